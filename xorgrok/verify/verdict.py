"""The verdict model: preconditions, conclusions, and the constants hidden in O(.) / Omega(.) kept apart.

Every check object carries `status`, one of
- `holds`: a statement with no hidden constant (or an exact computation) that the run confirms;
- `fails`: a conclusion whose preconditions all hold and whose confidence interval excludes the claim for
  EVERY constant in the stated generous range (K <= K_MAX in O(n^-q), c >= C_MIN in exp(-c log^2 n));
- `not-applicable`: a conclusion with a failing precondition: it was measured outside its hypotheses, which
  says nothing against the theorem;
- `undecided`: preconditions hold but, at this one n, the data are consistent with some constant in the
  generous range; the implied constant is reported instead;
- `info`: a measurement without a verdict.
`holds` is kept beside it: True / False for holds / fails (and for preconditions), None otherwise.

Statistical conclusions are built with a `rule` (what was counted, and against which form of bound); the
verdict is reached in `finalize`, after the whole run is known, so that the Clopper-Pearson intervals can be
Bonferroni-adjusted across the statistical checks of the run (`family_level`).
"""

from __future__ import annotations

import math
from typing import Any

from xorgrok.core.errors import InputError, check_float
from xorgrok.theory.stats import band_constant, clopper_pearson

STATUSES = ("holds", "fails", "not-applicable", "undecided", "info")
K_MAX = 100.0  # the generous range of the constant in O(n^-q): K <= 100
C_MIN = 0.01  # the generous range of the constant in exp(-Omega(log^2 n)) and n^-Omega(1): c >= 0.01
STATISTICAL = ("poly", "exp_log2", "band", "npow")


def is_conclusion(c: dict) -> bool:
    return c["kind"] in ("lemma", "claim")


def n_statistical(checks: list[dict]) -> int:
    """How many intervals the run computes: the Bonferroni divisor."""
    return sum(1 for c in checks if c.get("rule", {}).get("type") in STATISTICAL)


def interval(k: int, n: int, level: float) -> tuple[float, float]:
    """Two-sided Clopper-Pearson interval at confidence 1 - level."""
    return clopper_pearson(k, n, 1.0 - level)


def poly_verdict(k_fail: int, n_trials: int, n: int, q: float, level: float) -> dict[str, Any]:
    """P(fail) <= K / n^q from k_fail failures in n_trials independent runs.

    The implied constant is the smallest K consistent with the data, n^q * CP_low. The claim is excluded for
    every K <= K_MAX iff CP_low > K_MAX / n^q.
    """
    lo, hi = interval(k_fail, n_trials, level)
    scale = float(n) ** q
    k_min = scale * lo
    return {"ci": [lo, hi], "implied_K": k_min, "K_certified": scale * hi, "excluded": lo > K_MAX / scale,
            "text": (f"{k_fail}/{n_trials} runs fail; P(fail) in [{lo:.3g}, {hi:.3g}] "
                     f"({100 * (1 - level):.4g}% CP); consistent with P(fail) <= K/n^{q:g} for K >= {k_min:.3g} "
                     f"(constant 1 means P(fail) <= {1 / scale:.3g}); the data certify only K <= "
                     f"{scale * hi:.3g}")}


def exp_log2_verdict(k_err: int, n_points: int, L: float, level: float, unit: str = "errors") -> dict[str, Any]:
    """error rate <= exp(-c log^2 n) from k_err errors on n_points fresh points (L = log n).

    With 0 errors the data CERTIFY the bound for every c <= -ln(CP_high)/L^2 (and allow every c). With k > 0
    errors they ALLOW only c <= -ln(CP_low)/L^2 (larger c are rejected) and certify c <= -ln(CP_high)/L^2.
    """
    lo, hi = interval(k_err, n_points, level)
    c_cert = max(0.0, -math.log(hi) / L**2) if hi > 0 else math.inf
    if k_err == 0:
        return {"ci": [lo, hi], "c_certified": c_cert, "c_allowed": math.inf, "excluded": False,
                "text": (f"0/{n_points} {unit}; rate <= {hi:.3g} ({100 * (1 - level):.4g}% CP): the data "
                         f"certify rate <= exp(-c log^2 n) for every c <= {c_cert:.3g}")}
    c_allow = -math.log(lo) / L**2
    return {"ci": [lo, hi], "c_certified": c_cert, "c_allowed": c_allow,
            "excluded": lo > math.exp(-C_MIN * L**2),
            "text": (f"{k_err}/{n_points} {unit}; rate in [{lo:.3g}, {hi:.3g}] ({100 * (1 - level):.4g}% CP): "
                     f"the data allow exp(-c log^2 n) only for c <= {c_allow:.3g} (larger c rejected) and "
                     f"certify it for c <= {c_cert:.3g}")}


def npow_verdict(k_fail: int, n_trials: int, n: int, level: float, m: int | None = None) -> dict[str, Any]:
    """P(fail) <= n^-c (+ O(1/sqrt m)) from k_fail failing runs: Xu'24's "1 - n^-Omega(1) - O(1/sqrt m)".

    The O(1/sqrt m) term is taken as 0 for the implied c (which makes c as large as the data allow); the
    claim is excluded for every constant in the generous range iff CP_low > n^-C_MIN + K_MAX/sqrt m.
    """
    lo, hi = interval(k_fail, n_trials, level)
    ln = math.log(n)
    c_allow = math.inf if lo == 0 else -math.log(lo) / ln
    c_cert = max(0.0, -math.log(hi) / ln)
    edge = n ** -C_MIN + (K_MAX / math.sqrt(m) if m else 0.0)
    return {"ci": [lo, hi], "c_allowed": c_allow, "c_certified": c_cert, "excluded": lo > edge,
            "text": (f"{k_fail}/{n_trials} runs fail; P(fail) in [{lo:.3g}, {hi:.3g}] ({100 * (1 - level):.4g}% CP): "
                     + (f"consistent with P(fail) <= n^-c for every c (0 failures); the data certify c <= "
                        f"{c_cert:.3g}" if k_fail == 0 else
                        f"consistent with P(fail) <= n^-c only for c <= {c_allow:.3g} (the O(1/sqrt m) term "
                        f"taken as 0); the data certify c <= {c_cert:.3g}"))}


def band_verdict(k: int, n_points: int, n: int, level: float) -> dict[str, Any]:
    """|err - 1/2| <= 1/2 n^-c (Xu (ii): 1/2 (1 ± n^-Omega(1))) from k errors on n_points points.

    The implied constant is the largest c whose band meets the interval, c = -ln(2 d)/ln n with d the distance
    from 1/2 to the interval (c = inf if the interval contains 1/2): theory.stats.band_constant.
    """
    lo, hi, c_allow = band_constant(k, n_points, n, 1.0 - level)
    contains = math.isinf(c_allow)
    return {"ci": [lo, hi], "c_allowed": c_allow, "excluded": c_allow < C_MIN,
            "text": (f"{k}/{n_points} errors; error in [{lo:.3g}, {hi:.3g}] ({100 * (1 - level):.4g}% CP): "
                     + ("contains 1/2, consistent with every c" if contains else
                        f"consistent with 1/2 (1 ± n^-c) for c <= {c_allow:.3g}"))}


def _rule_verdict(rule: dict, level: float) -> tuple[str, dict[str, Any]]:
    t = rule["type"]
    level = level / rule.get("simultaneous", 1)  # e.g. the worst of several runs: one interval per run
    if t == "poly":
        v = poly_verdict(rule["k_fail"], rule["trials"], rule["n"], rule["q"], level)
    elif t == "exp_log2":
        v = exp_log2_verdict(rule["k_err"], rule["points"], rule["L"], level, rule.get("unit", "errors"))
    elif t == "npow":
        v = npow_verdict(rule["k_fail"], rule["trials"], rule["n"], level, rule.get("m"))
    elif t == "band":
        v = band_verdict(rule["k_err"], rule["points"], rule["n"], level)
    elif t == "exact_poly":  # an exact probability (or an exact bracket [lo, hi]) against K / n^q
        lo, hi = rule["p_low"], rule["p_high"]
        scale = float(rule["n"]) ** rule["q"]
        v = {"implied_K": scale * hi, "implied_K_low": scale * lo, "excluded": lo > K_MAX / scale,
             "text": f"exact P(fail) in [{lo:.3g}, {hi:.3g}] = [{scale * lo:.3g}, {scale * hi:.3g}] / n^{rule['q']:g}"}
        if hi <= 1 / scale:
            return "holds", v
    elif t == "zero":  # a deterministic statement: no error allowed, no constant
        v = {"excluded": rule["errors"] > 0,
             "text": f"{rule['errors']} {rule.get('unit', 'errors')} among {rule['eligible']} "
                     f"{rule.get('cases', 'eligible cases')}"}
        if rule["errors"] == 0:
            return ("holds" if rule["eligible"] > 0 else "undecided"), v
    elif t == "constant":  # a measured constant K in |x| <= K * scale; fails above K_MAX
        v = {"implied_K": rule["K"], "excluded": rule["K"] > K_MAX,
             "text": f"holds with constant K = {rule['K']:.3g}"}
    else:
        raise InputError(f"unknown verdict rule {t!r}")
    return ("fails" if v["excluded"] else "undecided"), v


def finalize(checks: list[dict], family_level: float = 0.05) -> list[dict]:
    """Set `status` (and `holds`) on every check, in place; returns the checks.

    Conclusions listing `preconditions` become `not-applicable` when any of them fails in the same run (the
    precondition checks must be in `checks`; an id that is missing is reported, never assumed to hold).
    """
    family_level = check_float("family_level", family_level, 0.0, 1.0, lo_open=True, hi_open=True)
    m = max(1, n_statistical(checks))
    level = family_level / m
    pre = {c["id"]: c for c in checks if c["kind"] in ("precondition", "assumption")}
    for c in checks:
        if c["kind"] in ("precondition", "assumption", "symbolic"):
            c["status"] = "holds" if c["holds"] else ("info" if c["holds"] is None else "fails")
            continue
        rule = c.get("rule")
        if rule is None:
            c.setdefault("status", "info" if c["holds"] is None else ("holds" if c["holds"] else "fails"))
        else:
            status, v = _rule_verdict(rule, level)
            c["verdict"] = {k: v[k] for k in v if k != "text"}
            c["verdict"]["level"] = level if rule["type"] in STATISTICAL else None
            c["measured"] = v["text"] + (f"; {c['measured']}" if c.get("measured") else "")
            c["status"] = status
        needs = c.get("preconditions", [])
        missing = [i for i in needs if i not in pre]
        failing = [i for i in needs if i in pre and pre[i]["holds"] is False]
        c["preconditions_failing"] = failing
        if missing:
            c["preconditions_missing"] = missing
        if failing and c["status"] in ("holds", "fails", "undecided"):
            c["status"] = "not-applicable"
        elif missing and c["status"] in ("holds", "fails"):
            c["status"] = "undecided"  # a verdict needs its preconditions checked
        c["holds"] = {"holds": True, "fails": False}.get(c["status"])
    return checks


def exit_code(checks: list[dict], selected_assumptions: set[str]) -> int:
    """1 if a conclusion (or a symbolic check) fails or an assumption named on the command line fails, else 0."""
    if any(c["status"] == "fails" for c in checks if is_conclusion(c) or c["kind"] == "symbolic"):
        return 1
    if any(c["holds"] is False for c in checks if c["id"] in selected_assumptions):
        return 1
    return 0


def counts(checks: list[dict]) -> tuple[dict[str, int], dict[str, int]]:
    """(conclusions by status, preconditions by status)."""
    con = {s: 0 for s in STATUSES}
    pre = {"holds": 0, "fails": 0}
    for c in checks:
        if c["kind"] in ("precondition", "assumption"):
            if c["holds"] is not None:
                pre["holds" if c["holds"] else "fails"] += 1
        elif c["kind"] != "symbolic":
            con[c["status"]] += 1
    return con, pre
