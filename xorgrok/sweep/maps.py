"""Tightness maps: the four classes of a cell and two-sided boundaries of the success region.

Class of a cell (level = 0.95: the conclusion "holds" in a cell when its success frequency is >= level):
- "hold/hold":  assumptions hold and the conclusion holds;
- "hold/FAIL":  assumptions hold and the conclusion fails: a counterexample candidate at this n (it is
                "significant" when even the CP upper bound is below the level);
- "fail/hold":  an assumption fails but the conclusion holds: the assumption is loose there;
- "fail/fail":  both fail.
Boundaries: every crossing of success_freq - level along an axis, in both directions, located by linear
interpolation in log(axis) between adjacent grid points: no monotonicity is assumed, so a success window
bounded on both sides (as (A4) predicts) gives two crossings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

LEVEL = 0.95
CLASSES = ("hold/hold", "hold/FAIL", "fail/hold", "fail/fail")


def classify(assumptions_hold: bool, freq: float, ci_high: float, level: float = LEVEL,
             pooled_holds: bool = True) -> str:
    """`pooled_holds`: a part of the conclusion read from the cell's pooled data rather than per run (Xu'24
    claim (ii)); the conclusion holds only if the per-run success frequency is >= level and that part holds."""
    ok = freq >= level and pooled_holds
    if assumptions_hold:
        return "hold/hold" if ok else "hold/FAIL"
    return "fail/hold" if ok else "fail/fail"


def crossings(xs: Sequence[float], freqs: Sequence[float | None], level: float = LEVEL) -> list[dict]:
    """All level crossings of freqs along xs (sorted ascending, positive): [{x, direction}] with direction
    "up" (failure -> success as x grows) or "down"."""
    pts = [(x, f) for x, f in zip(xs, freqs) if f is not None]
    out = []
    for (x0, f0), (x1, f1) in zip(pts, pts[1:]):
        a, b = f0 - level, f1 - level
        if (a < 0) != (b < 0):
            t = a / (a - b)
            x = math.exp(math.log(x0) + t * (math.log(x1) - math.log(x0))) if x0 > 0 and x1 > 0 else x0 + t * (x1 - x0)
            out.append({"x": x, "direction": "up" if b >= 0 else "down", "between": [x0, x1]})
    return out


def success_window(xs: Sequence[float], freqs: Sequence[float | None], level: float = LEVEL) -> dict:
    """The lower and upper boundary of the success region along one axis (None where it extends past the
    grid), from `crossings`."""
    cr = crossings(xs, freqs, level)
    ups = [c["x"] for c in cr if c["direction"] == "up"]
    downs = [c["x"] for c in cr if c["direction"] == "down"]
    return {"lower": ups[0] if ups else None, "upper": downs[-1] if downs else None, "crossings": cr}
