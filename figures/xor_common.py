"""Plotting-side helpers of the XOR figures (the settings, runs and numbers live in
xorgrok.experiments.xor_figures).

- `setting(ctx, full, quick)`: FULL or QUICK by ctx.quick, then `ctx.extra["overrides"]` (field -> value; an
  unknown field is an error), used by the tests to shrink runs further;
- `seeds(ctx)`: the seeds of a run;
- `finite`, `shifted`: checks and axes of what is plotted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np

from figures.registry import FigureContext
from xorgrok.experiments.xor_figures.common import pick_setting, seeds_for

S = TypeVar("S")


def setting(ctx: FigureContext, full: S, quick: S) -> S:
    return pick_setting(full, quick, ctx.quick, ctx.extra.get("overrides"))


def seeds(ctx: FigureContext, full: int = 5, quick: int = 2) -> list[int]:
    return seeds_for(ctx.seed, ctx.n_seeds, ctx.quick, full, quick)


def finite(x: Sequence[float] | np.ndarray) -> bool:
    return bool(np.all(np.isfinite(np.asarray(x, dtype=float))))


def shifted(steps: Sequence[int]) -> list[int]:
    """Steps + 1 for a log-x axis (style.epochs_axis(shift=True))."""
    return [s + 1 for s in steps]
