"""The check object every verification produces (one JSON object each in `--json`)."""

from __future__ import annotations

import math
from typing import Any

from xorgrok.theory.assumptions import AssumptionCheck
from xorgrok.theory.stats import Frequency


def check(id: str, kind: str, theorem: str, title: str, source: str, holds: bool | None, claimed: str,
          measured: str, figures: dict[str, Any] | None = None, note: str = "") -> dict[str, Any]:
    """kind: assumption | lemma | claim | symbolic. holds: True / False / None (informational)."""
    return {"id": id, "kind": kind, "theorem": theorem, "title": title, "source": source,
            "holds": None if holds is None else bool(holds), "claimed": claimed, "measured": measured,
            "figures": figures or {}, "note": note}


def from_assumption(a: AssumptionCheck, theorem: str, title: str, note: str = "") -> dict[str, Any]:
    out = check(a.id, "assumption", theorem, title, a.source, a.holds, f"{a.statement} (at C = {a.C:g})",
                f"lhs {fmt(a.lhs)} {a.relation} rhs {fmt(a.rhs)}; implied C {fmt(a.implied_C)} ({a.holds_when})",
                note=" ".join(x for x in (a.note, note) if x))
    out.update({"lhs": a.lhs, "rhs": a.rhs, "relation": a.relation, "C": a.C, "implied_C": a.implied_C,
                "holds_when": a.holds_when, "log_base": a.log_base, "statement": a.statement})
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
