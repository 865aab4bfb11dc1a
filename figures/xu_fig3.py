"""Xu et al. 2024 Fig. 3 (App. A.7): histograms, over runs, of <w_j, μ1> and <w_j, μ2> for the positive
neurons (a_j > 0) at t = 0, 1, 15 and the last step (large step α = 1e−12). Paper: at t = 0 and 1 the two
distributions look the same; later the positive neurons' mass moves to ±μ1 (the +1 clusters), so
|<w_j, μ1>| grows faster than |<w_j, μ2>| (Lemma 4.7).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style
from figures.registry import Figure, FigureContext
from figures.xor_common import finite, seeds, setting
from xorgrok.experiments.xor_figures.xu import FULL, QUICK, compute_fig3


def plot(d: dict, quick: bool):
    ts = d["t"]
    fig, axes = style.new_figure(len(ts), 1, size=(3.8, 3.4))
    for i, t in enumerate(ts):
        ax = axes[0, i]
        a, b = np.asarray(d["mu1"][str(t)]), np.asarray(d["mu2"][str(t)])
        lo, hi = min(a.min(), b.min()), max(a.max(), b.max())
        bins = np.linspace(lo, hi, 50)
        ax.hist(a, bins=bins, alpha=0.6, color="#1f77b4", label="<w_j, mu1>")
        ax.hist(b, bins=bins, alpha=0.6, color="#ff7f0e", label="<w_j, mu2>")
        ax.set_xlabel("inner product (raw units)")
        ax.set_ylabel("count (positive neurons, all runs)")
        ax.legend(fontsize=7)
        style.title(ax, f"t = {t}: mean|<w,mu1>| / mean|<w,mu2>| = {d['mean_abs_ratio'][str(t)]:.2f}", False)
    s = d["setting"]
    style.title(fig, f"Xu et al. 2024 Fig. 3: positive neurons, n={s['n']}, p={s['p']}, m={s['m']}, "
                f"alpha={s['alpha_large']:g}; {len(d['seeds'])} runs", quick)
    return fig


def check(d: dict) -> None:
    for t in d["t"]:
        a, b = np.asarray(d["mu1"][str(t)]), np.asarray(d["mu2"][str(t)])
        assert a.shape == b.shape and a.size > 0 and finite(a) and finite(b)


def run(ctx: FigureContext) -> list[Path]:
    d = compute_fig3(setting(ctx, FULL, QUICK), seeds(ctx), ctx.cache, ctx.progress)
    check(d)
    return style.save(plot(d, ctx.quick), ctx.out_dir, "xu_fig3", d)


FIGURE = Figure("xu_fig3", "Xu'24: histograms of <w_j, mu1>, <w_j, mu2> for positive neurons over runs", run)
