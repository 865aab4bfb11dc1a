"""The assumptions of GrokTransfer Theorem 3.2 ((A1)-(A5)) and Xu et al. 2024 Theorem 3.1 ((A1)-(A6)).

Each assumption is one small function returning an `AssumptionCheck`: both sides of the inequality at the
given universal constant C, whether it holds, and `implied_C`, the boundary value of C:

- GrokTransfer ("Given a universal constant C > 1", §3.3): C loosens the condition, so the assumption holds
  iff C >= implied_C (implied_C is the smallest C that works). `holds_when = "C >= implied_C"`.
- Xu et al. ("a large enough universal constant C", §3): C tightens the condition, so the assumption holds
  iff C <= implied_C (the largest C that works). `holds_when = "C <= implied_C"`.

An assumption without C ((A1), (A5) of GrokTransfer; (A5) of Xu) gets implied_C = 0 or inf so that the same
rule gives its (C-free) verdict. Logs are natural unless `log_base` says otherwise (the paper does not state
the base; the proofs' exp(-Omega(log^2 n)) reads naturally in base e).
"""

from __future__ import annotations

import dataclasses
import math

from xorgrok.core.errors import InputError, check_float, check_int

GT_IDS = ("A1", "A2", "A3", "A4", "A5")
XU_IDS = ("xu-A1", "xu-A2", "xu-A3", "xu-A4", "xu-A5", "xu-A6")


@dataclasses.dataclass
class AssumptionCheck:
    id: str
    statement: str
    source: str
    lhs: float
    rhs: float | list[float]  # a [lo, hi] pair for the two-sided (A4) of GrokTransfer
    relation: str  # "<=", ">=" or "in": lhs relation rhs
    C: float
    implied_C: float
    holds_when: str
    holds: bool
    log_base: str
    c_free: bool
    note: str = ""
    kind: str = "assumption"


def parse_log_base(base: float | str | None) -> float:
    """'e' / None -> e; '2', '10', or any number > 1."""
    if base is None or base == "e":
        return math.e
    try:
        b = float(base)
    except (TypeError, ValueError):
        raise InputError(f"log_base must be 'e' or a number > 1, got {base!r}") from None
    return check_float("log_base", b, 1.0, lo_open=True)


def base_name(base: float) -> str:
    return "e (natural)" if base == math.e else f"{base:g}"


def log_n(n: int, base: float) -> float:
    return math.log(n) / math.log(base)


def _n(n) -> int:
    return check_int("n", n, lo=2)  # log n > 0 is needed by every bound below


def _pos(name: str, v) -> float:
    return check_float(name, v, 0.0, lo_open=True)


def _c(C) -> float:
    return _pos("C", C)


# ------------------------------------------------------------------ GrokTransfer (A1)-(A5), §3.3
def gt_a1(n: int, p: int, eps: float, C: float = 1.0, log_base: float = math.e) -> AssumptionCheck:
    """(A1) eps <= (n / (p log^3 n))^(1/4). No C."""
    n, p, eps, C = _n(n), check_int("p", p, lo=3), _pos("eps", eps), _c(C)
    rhs = (n / (p * log_n(n, log_base) ** 3)) ** 0.25
    ok = eps <= rhs
    return AssumptionCheck("A1", "eps <= (n / (p log^3 n))^(1/4)", "GrokTransfer (A1), §3.3", eps, rhs, "<=",
                           C, 0.0 if ok else math.inf, "C >= implied_C", ok, base_name(log_base), True,
                           "no C: implied_C is 0 (holds for every C) or inf (for none)")


def gt_a2(n: int, p: int, eps: float, delta_fro: float, C: float = 1.0,
          log_base: float = math.e) -> AssumptionCheck:
    """(A2) ||delta||_F <= C eps sqrt(p/n), delta = noise rows of U (signal entries normalised to ±1)."""
    n, p, eps, C = _n(n), check_int("p", p, lo=3), _pos("eps", eps), _c(C)
    d = check_float("delta_fro", delta_fro, 0.0)
    unit = eps * math.sqrt(p / n)
    c_need, ok = d / unit, d <= C * unit
    return AssumptionCheck("A2", "||delta||_F <= C eps sqrt(p/n)", "GrokTransfer (A2), §3.3", d, C * unit, "<=",
                           C, c_need, "C >= implied_C", ok, base_name(log_base), False,
                           "delta measured on the trained weak net, each neuron scaled to unit signal entries")


def gt_a3(n: int, v_init: float, C: float = 1.0, log_base: float = math.e) -> AssumptionCheck:
    """(A3) v_init <= C log^(-3/2) n."""
    n, v, C = _n(n), _pos("v_init", v_init), _c(C)
    unit = log_n(n, log_base) ** -1.5
    return AssumptionCheck("A3", "v_init <= C log^(-3/2) n", "GrokTransfer (A3), §3.3", v, C * unit, "<=", C,
                           v / unit, "C >= implied_C", v <= C * unit, base_name(log_base), False)


def gt_a4(m: int, v_init: float, alpha: float, C: float = 1.0, log_base: float = math.e) -> AssumptionCheck:
    """(A4) sqrt(m) v_init / C <= alpha <= sqrt(m) v_init. The upper side has no C."""
    m, v, a, C = check_int("m", m, lo=1), _pos("v_init", v_init), _pos("alpha", alpha), _c(C)
    hi = math.sqrt(m) * v
    ok = hi / C <= a <= hi
    c_need = hi / a if a <= hi else math.inf
    return AssumptionCheck("A4", "sqrt(m) v_init / C <= alpha <= sqrt(m) v_init", "GrokTransfer (A4), §3.3", a,
                           [hi / C, hi], "in", C, c_need, "C >= implied_C", ok, base_name(log_base), False,
                           "" if a <= hi else "alpha > sqrt(m) v_init: fails for every C")


def gt_a5(n: int, m: int, C: float = 1.0, log_base: float = math.e) -> AssumptionCheck:
    """(A5) m >= 2 log^3 n. No C."""
    n, m, C = _n(n), check_int("m", m, lo=1), _c(C)
    rhs = 2 * log_n(n, log_base) ** 3
    ok = m >= rhs
    return AssumptionCheck("A5", "m >= 2 log^3 n", "GrokTransfer (A5), §3.3", m, rhs, ">=", C,
                           0.0 if ok else math.inf, "C >= implied_C", ok, base_name(log_base), True,
                           "no C: implied_C is 0 (holds for every C) or inf (for none)")


def groktransfer_assumptions(n: int, p: int, eps: float, m: int, v_init: float, alpha: float,
                             delta_fro: float | None, C: float = 1.0,
                             log_base: float = math.e) -> list[AssumptionCheck]:
    out = [gt_a1(n, p, eps, C, log_base)]
    if delta_fro is not None:
        out.append(gt_a2(n, p, eps, delta_fro, C, log_base))
    out += [gt_a3(n, v_init, C, log_base), gt_a4(m, v_init, alpha, C, log_base), gt_a5(n, m, C, log_base)]
    return out


# ------------------------------------------------------------------ Xu et al. 2024 (A1)-(A6), §3
def xu_a1(n: int, p: int, mu_norm: float, C: float = 1.0) -> AssumptionCheck:
    """(A1) ||mu||^2 >= C n^0.51 sqrt(p)."""
    n, p, mu, C = _n(n), check_int("p", p, lo=3), _pos("mu_norm", mu_norm), _c(C)
    unit = n**0.51 * math.sqrt(p)
    return AssumptionCheck("xu-A1", "||mu||^2 >= C n^0.51 sqrt(p)", "Xu'24 (A1), §3", mu**2, C * unit, ">=", C,
                           mu**2 / unit, "C <= implied_C", mu**2 >= C * unit, "none", False)


def xu_a2(n: int, p: int, mu_norm: float, C: float = 1.0) -> AssumptionCheck:
    """(A2) p >= C n^2 ||mu||^2."""
    n, p, mu, C = _n(n), check_int("p", p, lo=3), _pos("mu_norm", mu_norm), _c(C)
    unit = n**2 * mu**2
    return AssumptionCheck("xu-A2", "p >= C n^2 ||mu||^2", "Xu'24 (A2), §3", p, C * unit, ">=", C, p / unit,
                           "C <= implied_C", p >= C * unit, "none", False)


def xu_a3(eta: float, C: float = 1.0) -> AssumptionCheck:
    """(A3) eta <= 1/C."""
    eta = check_float("eta", eta, 0.0, 0.5, hi_open=True)
    C = _c(C)
    return AssumptionCheck("xu-A3", "eta <= 1/C", "Xu'24 (A3), §3", eta, 1 / C, "<=", C,
                           math.inf if eta == 0 else 1 / eta, "C <= implied_C", eta <= 1 / C, "none", False)


def xu_a4(n: int, p: int, alpha: float, C: float = 1.0) -> AssumptionCheck:
    """(A4) alpha <= 1/(C n p)."""
    n, p, a, C = _n(n), check_int("p", p, lo=3), _pos("alpha", alpha), _c(C)
    return AssumptionCheck("xu-A4", "alpha <= 1/(C n p)", "Xu'24 (A4), §3", a, 1 / (C * n * p), "<=", C,
                           1 / (a * n * p), "C <= implied_C", a <= 1 / (C * n * p), "none", False)


def xu_a5(n: int, p: int, m: int, mu_norm: float, alpha: float, omega_init: float,
          C: float = 1.0) -> AssumptionCheck:
    """(A5) omega_init n m^(3/2) p <= alpha ||mu||^2. No C."""
    n, p, m = _n(n), check_int("p", p, lo=3), check_int("m", m, lo=1)
    mu, a, w, C = _pos("mu_norm", mu_norm), _pos("alpha", alpha), _pos("omega_init", omega_init), _c(C)
    lhs, rhs = w * n * m**1.5 * p, a * mu**2
    ok = lhs <= rhs
    return AssumptionCheck("xu-A5", "omega_init n m^(3/2) p <= alpha ||mu||^2", "Xu'24 (A5), §3", lhs, rhs, "<=",
                           C, math.inf if ok else 0.0, "C <= implied_C", ok, "none", True,
                           "no C: implied_C is inf (holds for every C) or 0 (for none)")


def xu_a6(n: int, m: int, C: float = 1.0) -> AssumptionCheck:
    """(A6) m >= C n^0.02."""
    n, m, C = _n(n), check_int("m", m, lo=1), _c(C)
    unit = n**0.02
    return AssumptionCheck("xu-A6", "m >= C n^0.02", "Xu'24 (A6), §3", m, C * unit, ">=", C, m / unit,
                           "C <= implied_C", m >= C * unit, "none", False)


def xu_assumptions(n: int, p: int, mu_norm: float, eta: float, m: int, alpha: float, omega_init: float,
                   C: float = 1.0) -> list[AssumptionCheck]:
    return [xu_a1(n, p, mu_norm, C), xu_a2(n, p, mu_norm, C), xu_a3(eta, C), xu_a4(n, p, alpha, C),
            xu_a5(n, p, m, mu_norm, alpha, omega_init, C), xu_a6(n, m, C)]


def xu_min_dimension(n: int, C: float = 1.0) -> float:
    """(A1) and (A2) together force p >= C^4 n^5.02 (xorgrok.proofs xu-A1A2-dimension)."""
    return _c(C) ** 4 * _n(n) ** 5.02


def holds_at(chk: AssumptionCheck, C: float) -> bool:
    """The verdict `implied_C` predicts at another C (the property tests hold it against recomputation)."""
    return C >= chk.implied_C if chk.holds_when == "C >= implied_C" else C <= chk.implied_C
