"""Xu et al. 2024 Fig. 1 (App. A.7): train accuracy (noisy labels) and test accuracy (clean labels) of GD on
Gaussian XOR over independent runs, for a step size large (α = 1e−12, left) and small (α = 1e−16, right)
relative to the initialisation ω_init = 1e−15. Paper: with the large step the net fits the training set at
t = 1 with ≈ 50% test error and generalises later; the small step delays both.

The numbers come from xorgrok.experiments.xor_figures.xu (Figs. 2 and 3 share its runs).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style
from figures.registry import Figure, FigureContext
from figures.xor_common import finite, seeds, setting, shifted
from xorgrok.experiments.xor_figures.xu import FULL, QUICK, compute_fig1


def plot(d: dict, quick: bool):
    s = d["setting"]
    fig, axes = style.new_figure(2, 1, size=(5.0, 3.6))
    for i, name in enumerate(("large", "small")):
        part, ax = d[name], axes[0, i]
        x = shifted(part["steps"])
        style.plot_band(ax, x, part["train_acc"], "train (noisy labels)", style.TRAIN)
        style.plot_band(ax, x, part["test_acc"], "test (clean labels)", style.TEST)
        style.epochs_axis(ax, "GD step t")
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("accuracy (fraction)")
        ax.legend(fontsize=7, loc="lower right")
        te1 = np.mean([c[1] for c in part["test_acc"]])
        style.title(ax, f"alpha = {part['alpha']:g} ({'large' if i == 0 else 'small'} step vs omega_init "
                    f"{s['omega']:g}); test acc at t=1: {te1:.3f}", False)
    style.title(fig, f"Xu et al. 2024 Fig. 1: Gaussian XOR n={s['n']}, p={s['p']}, |mu|={d['mu_norm']:.1f}, "
                f"eta={s['eta']}, m={s['m']}, logistic loss, GD on W; {len(d['seeds'])} runs (band = min-max)", quick)
    return fig


def check(d: dict) -> None:
    for name in ("large", "small"):
        for key in ("train_acc", "test_acc"):
            arr = np.asarray(d[name][key])
            assert arr.shape == (len(d["seeds"]), len(d[name]["steps"])) and finite(arr)


def run(ctx: FigureContext) -> list[Path]:
    d = compute_fig1(setting(ctx, FULL, QUICK), seeds(ctx), ctx.cache, ctx.progress)
    check(d)
    return style.save(plot(d, ctx.quick), ctx.out_dir, "xu_fig1", d)


FIGURE = Figure("xu_fig1", "Xu'24: train/test accuracy over runs, large vs small step size", run)
