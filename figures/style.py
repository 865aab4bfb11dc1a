"""One place for the figures' look: train vs test, log-x epochs, seed bands, titles, atomic saving.

Uses matplotlib's object API (no pyplot), so importing or plotting changes no global state.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure

from xorgrok.core.io import write_set
from xorgrok.core.records import jsonable

# Train and test are told apart the same way in every figure: colour AND line style.
TRAIN = {"color": "#1f77b4", "linestyle": "-"}
TEST = {"color": "#d62728", "linestyle": "--"}
# Method colours (GrokTransfer red, scratch blue as in the paper's Fig. 1b), others after.
METHOD_COLORS = {"groktransfer": "#d62728", "scratch": "#1f77b4", "grokfast": "#2ca02c", "random_ab": "#9467bd"}
SPLIT_STYLE = {"train": TRAIN, "test": TEST}


def new_figure(ncols: int = 1, nrows: int = 1, size: tuple[float, float] = (5.0, 3.6),
               **subplot_kw: Any) -> tuple[MplFigure, np.ndarray]:
    fig = MplFigure(figsize=(size[0] * ncols, size[1] * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, subplot_kw=subplot_kw or None)
    return fig, axes


def epochs_axis(ax: Axes, label: str = "epoch (GD step)", shift: bool = True) -> None:
    """Log-x epochs. With shift=True curves are plotted at step+1 so step 0 is visible."""
    ax.set_xscale("log")
    ax.set_xlabel(label + (" + 1" if shift else ""))
    ax.grid(True, which="major", alpha=0.3)


def plot_band(ax: Axes, x: Sequence[float] | np.ndarray, curves: Sequence[Sequence[float]], label: str,
              style: dict[str, Any], band: bool = True) -> None:
    """Mean over seeds as a line, [min, max] over seeds as a shaded band."""
    arr = np.vstack([np.asarray(c, dtype=float) for c in curves])
    mean = arr.mean(0)
    n = arr.shape[0]
    ax.plot(x, mean, label=f"{label} (mean of {n})" if n > 1 else label, **style)
    if band and n > 1:
        ax.fill_between(x, arr.min(0), arr.max(0), color=style.get("color"), alpha=0.18, linewidth=0)


def title(ax_or_fig: Any, text: str, quick: bool) -> None:
    """Setting in the title; quick runs say so."""
    full = ("[QUICK, reduced setting] " if quick else "") + text
    if isinstance(ax_or_fig, MplFigure):
        ax_or_fig.suptitle(full, fontsize=9)
    else:
        ax_or_fig.set_title(full, fontsize=9)


def save(fig: MplFigure, out_dir: Path, name: str, data: dict[str, Any], dpi: int = 120) -> list[Path]:
    """Write NAME.png and NAME.json (the numbers behind the plot) atomically; return both paths."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    # one set: a kill mid-way leaves the old PNG and JSON or the new ones, never a new PNG beside an old JSON
    text = json.dumps(jsonable(data), indent=2, allow_nan=False) + "\n"
    return write_set({Path(out_dir) / f"{name}.png": buf.getvalue(), Path(out_dir) / f"{name}.json": text})
