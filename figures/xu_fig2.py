"""Xu et al. 2024 Fig. 2 (App. A.7): test data projected on span(μ1, μ2) and the network's decision boundary
at t = 0, 1, 15 (large step α = 1e−12), plus the neurons' projections at t = 15. The boundary drawn is that
of f restricted to the plane (f(u μ̂1 + v μ̂2)); the accuracy in each title is f's on the full test points.
Paper: at t = 1 the net is nearly linear (≈ 50% test error: one cluster of each antipodal pair right); by
t = 15 it separates the XOR clusters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style
from figures.registry import Figure, FigureContext
from figures.xor_common import finite, seeds, setting
from xorgrok.experiments.xor_figures.xu import FULL, QUICK, compute_fig2


def plot(d: dict, quick: bool):
    ts = sorted(d["snapshots"], key=int)
    fig, axes = style.new_figure(len(ts) + 1, 1, size=(3.8, 3.6))
    g = np.asarray(d["grid"])
    xy, y = np.asarray(d["test_xy"]), np.asarray(d["test_y"])
    for i, t in enumerate(ts):
        ax, sn = axes[0, i], d["snapshots"][t]
        f = np.asarray(sn["f_plane"])
        ax.contourf(g, g, np.sign(f), levels=[-1.5, -0.5, 0.5, 1.5], colors=["#fdd0a2", "#f0f0f0", "#c6dbef"],
                    alpha=0.8)
        if np.ptp(f) > 0 and f.min() < 0 < f.max():
            ax.contour(g, g, f, levels=[0.0], colors="black", linewidths=1.2)
        for lab, col in ((1, "#1f77b4"), (-1, "#ff7f0e")):
            sel = y == lab
            ax.scatter(xy[sel, 0], xy[sel, 1], s=4, color=col, label=f"clean y = {lab:+d}")
        ax.set_xlabel("<x, mu1/|mu1|>")
        ax.set_ylabel("<x, mu2/|mu2|>")
        ax.set_aspect("equal")
        ax.legend(fontsize=6.5, loc="upper right", markerscale=2)
        style.title(ax, f"t = {t}: test acc {sn['test_acc']:.3f} (black: f = 0 on the plane)", False)
    ax = axes[0, -1]
    last = d["snapshots"][ts[-1]]
    Wp = np.asarray(last["w_proj"])
    a = np.asarray(d["a_sign"])
    ax.scatter(Wp[a > 0, 0], Wp[a > 0, 1], s=5, color="#2ca02c", label="a_j > 0")
    ax.scatter(Wp[a < 0, 0], Wp[a < 0, 1], s=5, color="#9467bd", label="a_j < 0")
    ax.set_xlabel("<w_j, mu1/|mu1|>")
    ax.set_ylabel("<w_j, mu2/|mu2|>")
    ax.legend(fontsize=7)
    style.title(ax, f"neurons at t = {ts[-1]}", False)
    s = d["setting"]
    style.title(fig, f"Xu et al. 2024 Fig. 2: Gaussian XOR n={s['n']}, p={s['p']}, m={s['m']}, eta={s['eta']}, "
                f"alpha={s['alpha_large']:g}, omega={s['omega']:g}; seed {d['seeds'][0]}, {len(y)} test points", quick)
    return fig


def check(d: dict) -> None:
    n = len(d["grid"])
    for sn in d["snapshots"].values():
        f = np.asarray(sn["f_plane"])
        assert f.shape == (n, n) and finite(f)
        assert np.asarray(sn["w_proj"]).shape == (d["setting"]["m"], 2)
    assert np.asarray(d["test_xy"]).shape == (d["setting"]["n_test"], 2) and finite(d["test_xy"])


def run(ctx: FigureContext) -> list[Path]:
    d = compute_fig2(setting(ctx, FULL, QUICK), seeds(ctx), ctx.cache, ctx.progress)
    check(d)
    return style.save(plot(d, ctx.quick), ctx.out_dir, "xu_fig2", d)


FIGURE = Figure("xu_fig2", "Xu'24: data on span(mu1, mu2) with the decision boundary at t = 0, 1, 15", run)
