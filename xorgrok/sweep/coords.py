"""Dimensionless assumption coordinates c1..c5 of GrokTransfer Theorem 3.2 and their inverses.

Each coordinate is the ratio at which one assumption sits, so that "the assumption holds at C" is a box:
    c1 = eps / (n / (p log^3 n))^(1/4)          (A1) holds iff c1 <= 1 (no C)
    c2 = ||delta||_F / (eps sqrt(p/n))           (A2) holds iff c2 <= C
    c3 = v_init log^(3/2) n                      (A3) holds iff c3 <= C
    c4 = sqrt(m) v_init / alpha                  (A4) holds iff 1 <= c4 <= C (two-sided)
    c5 = 2 log^3 n / m                           (A5) holds iff c5 <= 1 (no C)
Natural logs (the proofs' exp(-Omega(log^2 n)) reads naturally in base e).
"""

from __future__ import annotations

import math

from xorgrok.core.errors import InputError, check_float, check_int

COORDS = ("c1", "c2", "c3", "c4", "c5")
PHYSICAL = {"c1": "eps", "c2": "delta_fro", "c3": "v_init", "c4": "alpha", "c5": "m"}


def coordinates(n: int, p: int, eps: float, delta_fro: float | None, v_init: float, alpha: float,
                m: int) -> dict[str, float | None]:
    L = math.log(n)
    return {
        "c1": eps / (n / (p * L**3)) ** 0.25,
        "c2": None if delta_fro is None else delta_fro / (eps * math.sqrt(p / n)),
        "c3": v_init * L**1.5,
        "c4": math.sqrt(m) * v_init / alpha,
        "c5": 2 * L**3 / m,
    }


def assumptions_hold(c: dict[str, float | None], C: float) -> dict[str, bool | None]:
    """Which of (A1)-(A5) hold at the universal constant C (None where the coordinate is unknown)."""

    def le(v: float | None, bound: float) -> bool | None:
        return None if v is None else bool(v <= bound * (1 + 1e-12))

    c4 = c["c4"]
    return {"A1": le(c["c1"], 1.0), "A2": le(c["c2"], C), "A3": le(c["c3"], C),
            "A4": None if c4 is None else bool(1.0 - 1e-12 <= c4 <= C * (1 + 1e-12)), "A5": le(c["c5"], 1.0)}


def resolve(params: dict) -> dict:
    """Physical parameters from a mix of physical ones and coordinates (a coordinate and its parameter
    together is an error). Order matters: eps before delta_fro, v_init and m before alpha."""
    out = dict(params)
    n = check_int("n", out.get("n"), lo=3)
    p = check_int("p", out.get("p"), lo=3)
    L = math.log(n)
    for c, phys in PHYSICAL.items():
        if c in out and phys in out:
            raise InputError(f"give either {c} or {phys}, not both")
    if "c1" in out:
        out["eps"] = check_float("c1", out.pop("c1"), 0.0, lo_open=True) * (n / (p * L**3)) ** 0.25
    if "c5" in out:
        out["m"] = max(1, math.ceil(2 * L**3 / check_float("c5", out.pop("c5"), 0.0, lo_open=True) - 1e-9))
    if "c3" in out:
        out["v_init"] = check_float("c3", out.pop("c3"), 0.0, lo_open=True) * L**-1.5
    if "c2" in out:
        eps = check_float("eps", out.get("eps"), 0.0, lo_open=True)
        out["delta_fro"] = check_float("c2", out.pop("c2"), 0.0) * eps * math.sqrt(p / n)
    if "c4" in out:
        m = check_int("m", out.get("m"), lo=1)
        v = check_float("v_init", out.get("v_init"), 0.0, lo_open=True)
        out["alpha"] = math.sqrt(m) * v / check_float("c4", out.pop("c4"), 0.0, lo_open=True)
    return out
