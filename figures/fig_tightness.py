"""Tightness maps of GrokTransfer Theorem 3.2 in the dimensionless coordinates (xorgrok.sweep.coords):
(c2, c4), (c3, c4), (c2, c3) at n in {100, 400, 1600} (--quick: n = 100 on coarser grids), synthetic-U mode.

Each panel: the success frequency of the one-step conclusion (100% train, exact test error <= 1/n^2) as a heat
map, the assumption box at C = 2 (dashed), the 0.95 success contour (solid black; two-sided, from matplotlib's
contouring of the grid, no monotonicity assumed), and markers for counterexample candidates (assumptions hold,
conclusion fails: red x) and loose cells (assumption fails, conclusion holds: white dot).
The sweeps are stored under RUNS/sweeps/ and reused, so a second call only plots.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from figures import style
from figures.registry import Figure, FigureContext
from xorgrok.core.paths import default_runs_dir
from xorgrok.sweep import presets
from xorgrok.sweep.studies import run_map

LABELS = {"c2": "c2 = ||delta||_F / (eps sqrt(p/n))", "c3": "c3 = v_init log^1.5 n",
          "c4": "c4 = sqrt(m) v_init / alpha"}


def edges(v: list[float]) -> np.ndarray:
    lv = np.log(v)
    mid = (lv[1:] + lv[:-1]) / 2
    return np.exp(np.concatenate([[lv[0] - (mid[0] - lv[0])], mid, [lv[-1] + (lv[-1] - mid[-1])]]))


def _side(coord: str, C: float, lo_edge: float) -> tuple[float, float]:
    """The interval of a coordinate where its assumption holds: [1, C] for c4, (0, C] otherwise."""
    return (1.0, C) if coord == "c4" else (lo_edge, C)


def _box(ax, x: str, y: str, C: float, xe: np.ndarray, ye: np.ndarray) -> None:
    from matplotlib.patches import Rectangle

    x0, x1 = _side(x, C, xe[0])
    y0, y1 = _side(y, C, ye[0])
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#1f3cff", linewidth=2.5,
                           linestyle="--", label=f"assumptions hold (C = {C:g})"))


def panel(ax, m: dict):
    x, y = m["pair"]
    F = np.array(m["freq"], dtype=float)
    xe, ye = edges(m["x"]), edges(m["y"])
    im = ax.pcolormesh(xe, ye, F, cmap="RdYlGn", vmin=0, vmax=1, shading="flat")
    ax.set_xscale("log")
    ax.set_yscale("log")
    if np.nanmax(F) >= m["level"] > np.nanmin(F):
        ax.contour(m["x"], m["y"], F, levels=[m["level"]], colors="k", linewidths=2)
    _box(ax, x, y, m["C"], xe, ye)
    for c in m["cells"]:
        if c["class"] == "hold/FAIL":
            ax.plot(c[x], c[y], "x", color="red", markersize=12, markeredgewidth=3)
        elif c["class"] == "fail/hold":
            ax.plot(c[x], c[y], "o", color="white", markersize=4, markeredgecolor="k")
    ax.set_xlabel(LABELS[x])
    ax.set_ylabel(LABELS[y])
    ax.set_title(f"n = {m['n']}, m = {int(m['cells'][0]['m'])}, seeds = {m['cells'][0]['tasks']}", fontsize=9)
    return im


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sweep-workers", type=int, default=0,
                   help="tightness-gt/constants: 0 in-process (default), N a LocalCluster of N processes")


def run(ctx: FigureContext) -> list[Path]:
    ns = [100] if ctx.quick else [100, 400, 1600]
    workers = ctx.extra.get("sweep_workers", 0)
    maps = [run_map(pair, n, ctx.quick, default_runs_dir(), workers, ctx.progress, ctx.n_seeds)
            for n in ns for pair in presets.PAIRS]
    for m in maps:
        assert m["run"]["lost"] == 0 and all(c["success_freq"] is not None for c in m["cells"]), m["tag"]
    fig, axes = style.new_figure(ncols=3, nrows=len(ns), size=(4.6, 3.8))
    ims = [panel(axes[i // 3, i % 3], m) for i, m in enumerate(maps)]
    im = ims[-1]
    fig.colorbar(im, ax=axes, shrink=0.6, label="success frequency")
    style.title(fig, "GrokTransfer Thm 3.2 after one step (success: 100% train, exact test error <= 1/n^2), "
                f"synthetic U\nblue box: assumptions hold at C = 2; black: success = {maps[0]['level']} contour; "
                "red x: counterexample candidate; white dot: assumption fails, conclusion holds", ctx.quick)
    data = {"maps": [{k: v for k, v in m.items()} for m in maps], "c1": presets.C1_PAPER}
    return style.save(fig, ctx.out_dir, "tightness_gt", data)


FIGURE = Figure("tightness-gt", "GrokTransfer: success maps in assumption coordinates (c2,c4), (c3,c4), (c2,c3)",
                run, add_args=add_args, group="maps")
