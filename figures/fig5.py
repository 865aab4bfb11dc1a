"""GrokTransfer Fig. 5: (a) the weak net's embedding Uᵀx of 4000 fresh points in 3-D; (b) r_W against p at
n = 1000 and (c) r_W against n (log-log, fitted slope) at p = 8·10⁴, for ε ∈ {1/40, 1/80, 1/160}
(§3.2, App. A.3.2). Paper: r_W ∝ ε/√n, flat in p, slope ≈ −1/2 in n.

r_W = (‖W_{3:p}‖_F/√(p−2)) / (‖W_{1:2}‖_F/√2) of the trained 3-neuron weak net (core: norm_ratio). Slopes
and their 95% intervals come from xorgrok.theory.stats.loglog_slope, fitted on every (x, seed) point.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure

from figures import style
from figures.registry import Figure, FigureContext
from figures.xor_common import finite, seeds, setting
from xorgrok.experiments.xor_figures.fig5 import FULL, QUICK, compute

EPS_COLORS = ("#1b9e77", "#d95f02", "#7570b3")
LABEL_COLORS = {1: "#1f77b4", -1: "#ff7f0e"}


def _sweep_axis(ax, part: dict, seeds: list[int], xlabel: str, fitted: bool) -> None:
    for k, e in enumerate(part["eps"]):
        arr = np.asarray(part["r_W"][k])  # (len x, seeds)
        mean = arr.mean(1)
        sl = part["slope"][k]
        lab = f"eps=1/{round(1 / e)}: slope {sl['slope']:.2f} [{sl['ci_low']:.2f}, {sl['ci_high']:.2f}]"
        ax.plot(part["x"], mean, "o-", color=EPS_COLORS[k % 3], label=lab)
        if arr.shape[1] > 1:
            ax.fill_between(part["x"], arr.min(1), arr.max(1), color=EPS_COLORS[k % 3], alpha=0.2, linewidth=0)
        if fitted:
            xx = np.asarray(part["x"], dtype=float)
            ax.plot(xx, np.exp(sl["intercept"]) * xx ** sl["slope"], color=EPS_COLORS[k % 3], linestyle=":",
                    linewidth=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("r_W (dimensionless norm ratio)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=6.5)


def plot(d: dict, quick: bool) -> MplFigure:
    s = d["setting"]
    fig = MplFigure(figsize=(14.5, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 3, 1, projection="3d")
    z, y = np.asarray(d["a"]["z"]), np.asarray(d["a"]["y"])
    for lab, col in LABEL_COLORS.items():
        sel = y == lab
        ax.scatter(z[sel, 0], z[sel, 1], z[sel, 2], s=2, color=col, label=f"y = {lab:+d}", depthshade=False)
    ax.view_init(elev=18, azim=55)  # the default view stacks two clusters of different labels
    ax.set_xlabel("z1 = u1ᵀx")
    ax.set_ylabel("z2 = u2ᵀx")
    ax.set_zlabel("z3 = u3ᵀx")
    ax.legend(fontsize=7, markerscale=4)
    style.title(ax, f"(a) Uᵀx, {len(y)} fresh points, weak net seed {d['a']['seed']}\n"
                f"n={s['n']}, p={s['p']}, eps={s['eps']}, features {d['a']['learned']}", False)
    ax = fig.add_subplot(1, 3, 2)
    _sweep_axis(ax, d["b"], d["seeds"], "input dimension p", fitted=True)
    style.title(ax, f"(b) r_W vs p at n = {s['n_b']} (paper: flat in p)", False)
    ax = fig.add_subplot(1, 3, 3)
    _sweep_axis(ax, d["c"], d["seeds"], "training set size n", fitted=True)
    style.title(ax, f"(c) r_W vs n at p = {s['p_c']} (paper: slope -1/2)", False)
    style.title(fig, f"GrokTransfer Fig. 5: 3-neuron weak net, {s['weak_steps']} GD steps, lr 0.1, wd 0.1; "
                 f"mean and min-max band over {len(d['seeds'])} seeds; dotted: log-log fit (95% CI)", quick)
    return fig


def check(d: dict) -> None:
    z = np.asarray(d["a"]["z"])
    assert z.shape == (d["setting"]["n_scatter"], 3) and finite(z)
    for part, xs in (("b", "ps"), ("c", "ns")):
        arr = np.asarray(d[part]["r_W"])
        assert arr.shape == (len(d["setting"]["epss"]), len(d["setting"][xs]), len(d["seeds"]))
        assert finite(arr) and bool((arr > 0).all())
        assert finite([f["slope"] for f in d[part]["slope"]])


def run(ctx: FigureContext) -> list[Path]:
    d = compute(setting(ctx, FULL, QUICK), seeds(ctx, quick=1), ctx.cache, ctx.progress)
    check(d)
    return style.save(plot(d, ctx.quick), ctx.out_dir, "fig5", d)


FIGURE = Figure("fig5", "XOR: embedding scatter (a), r_W vs p (b) and vs n with fitted slope (c)", run)
