"""The check object every verification produces (one JSON object each in `--json`).

Verdicts (`status`) are set by xorgrok.verify.verdict.finalize once the whole run is known.
"""

from __future__ import annotations

import math
from typing import Any

from xorgrok.theory.assumptions import AssumptionCheck
from xorgrok.theory.stats import Frequency


def check(id: str, kind: str, theorem: str, title: str, source: str, holds: bool | None, claimed: str,
          measured: str, figures: dict[str, Any] | None = None, note: str = "",
          preconditions: list[str] | None = None, rule: dict[str, Any] | None = None) -> dict[str, Any]:
    """kind: precondition | lemma | claim | symbolic | sweep. holds: True / False / None (no verdict yet).

    `preconditions`: ids of the precondition checks a conclusion rests on. `rule`: how a statistical or
    constant-carrying conclusion is judged (xorgrok.verify.verdict); without one, `holds` is the verdict.
    """
    out: dict[str, Any] = {"id": id, "kind": kind, "theorem": theorem, "title": title, "source": source,
           "holds": None if holds is None else bool(holds), "claimed": claimed, "measured": measured,
           "figures": figures or {}, "note": note}
    if preconditions is not None:
        out["preconditions"] = list(preconditions)
    if rule is not None:
        out["rule"] = rule
    return out


def precondition(id: str, theorem: str, title: str, source: str, holds: bool, claimed: str, measured: str,
                 figures: dict[str, Any] | None = None, note: str = "") -> dict[str, Any]:
    return check(id, "precondition", theorem, title, source, holds, claimed, measured, figures, note)


_NEGATE = {"<=": ">", ">=": "<"}


def relation_text(a: AssumptionCheck) -> str:
    """'lhs 6.41 > rhs 0.71 (needs <=)' for a failing assumption, 'lhs 2 <= rhs 8.3' for a holding one."""
    if a.relation == "in":
        lo, hi = a.rhs  # type: ignore[misc]
        if a.holds:
            return f"lhs {fmt(a.lhs)} in [{fmt(lo)}, {fmt(hi)}]"
        side = f"< {fmt(lo)}" if a.lhs < lo else f"> {fmt(hi)}"
        return f"lhs {fmt(a.lhs)} {side}, outside [{fmt(lo)}, {fmt(hi)}] (needs in)"
    if a.holds:
        return f"lhs {fmt(a.lhs)} {a.relation} rhs {fmt(a.rhs)}"
    return f"lhs {fmt(a.lhs)} {_NEGATE[a.relation]} rhs {fmt(a.rhs)} (needs {a.relation})"


def implied_text(a: AssumptionCheck) -> str:
    if a.c_free:
        return "C-free: " + ("holds for every C" if a.holds else "fails for every C")
    if math.isinf(a.implied_C):
        return "fails for every C"
    word = ">=" if a.holds_when == "C >= implied_C" else "<="
    return f"holds iff C {word} {fmt(a.implied_C)}"


def from_assumption(a: AssumptionCheck, theorem: str, title: str, note: str = "") -> dict[str, Any]:
    verdict = "holds" if a.holds else "fails"
    out = precondition(a.id, theorem, title, a.source, a.holds, f"{a.statement} (at C = {a.C:g})",
                       f"{relation_text(a)}: {verdict} at C = {a.C:g}; {implied_text(a)}",
                       note=" ".join(x for x in (a.note, note) if x))
    out.update({"role": "assumption", "lhs": a.lhs, "rhs": a.rhs, "relation": a.relation, "C": a.C,
                "implied_C": a.implied_C, "holds_when": a.holds_when, "log_base": a.log_base,
                "statement": a.statement, "c_free": a.c_free})
    return out


def freq_fig(f: Frequency) -> dict[str, Any]:
    return {"k": f.k, "n": f.n, "freq": f.freq, "ci95": [f.ci_low, f.ci_high]}


def fmt(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if math.isnan(v):
            return "nan"
        return f"{v:.4g}"
    return str(v)
