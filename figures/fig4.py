"""GrokTransfer Fig. 4: (a) normal training of a width-2048 net groks; (b) the 3-neuron weak net's dynamics;
(c) the weak net's neuron weights on the first coordinates (§3.2, App. A.3.2).

Paper: (a) "overfitting is achieved by the fifth epoch and generalization begins around the 80-th epoch";
(b) "test accuracy around 75%", "a phase transition near 100th epoch"; (c) three of the four features
[±1, ±1, 0, ..., 0]. The dotted lines mark the paper's epochs; the JSON has the measured ones.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style
from figures.registry import Figure, FigureContext
from figures.xor_common import finite, seeds, setting, shifted
from xorgrok.experiments.xor_figures.fig4 import FULL, QUICK, compute


def plot(d: dict, quick: bool):
    s = d["setting"]
    fig, axes = style.new_figure(3, 1, size=(4.6, 3.6))
    ax = axes[0, 0]
    x = shifted(d["a"]["steps"])
    style.plot_band(ax, x, d["a"]["train_acc"], "train", style.TRAIN)
    style.plot_band(ax, x, d["a"]["test_acc"], "test", style.TEST)
    for e, lab in ((5, "paper: fit ~5"), (80, "paper: generalise ~80")):
        ax.axvline(e + 1, color="grey", linestyle=":", linewidth=1)
        ax.text(e + 1, 0.02, lab, rotation=90, fontsize=7, color="grey", va="bottom")
    style.epochs_axis(ax)
    ax.set_ylabel("accuracy (fraction)")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=7, loc="center right")
    style.title(ax, f"(a) normal training, width {s['m_normal']}, GD lr 0.1 wd 0.1", False)
    ax = axes[0, 1]
    x = shifted(d["b"]["steps"])
    style.plot_band(ax, x, d["b"]["train_acc"], "train", style.TRAIN)
    style.plot_band(ax, x, d["b"]["test_acc"], "test", style.TEST)
    ax.axvline(101, color="grey", linestyle=":", linewidth=1)
    ax.text(101, 0.02, "paper: transition ~100", rotation=90, fontsize=7, color="grey", va="bottom")
    ax.axhline(0.75, color="black", linestyle=":", linewidth=0.8)
    style.epochs_axis(ax)
    ax.set_ylabel("accuracy (fraction)")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=7, loc="center right")
    acc = np.mean(d["b"]["final_test_acc_fresh"])
    style.title(ax, f"(b) 3-neuron weak net; fresh-point test acc {acc:.3f} (mean)", False)
    ax = axes[0, 2]
    Wc = np.asarray(d["c"]["weights"])
    k = Wc.shape[1]
    width = 0.8 / Wc.shape[0]
    for j, row in enumerate(Wc):
        lab = d["c"]["learned"][j] or "none"
        ax.bar(np.arange(1, k + 1) + (j - (Wc.shape[0] - 1) / 2) * width, row, width, label=f"neuron {j + 1}: {lab}")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel("coordinate index (1, 2 = signal)")
    ax.set_ylabel("weight w_j[i]")
    ax.set_xticks(range(1, k + 1))
    ax.legend(fontsize=7)
    style.title(ax, f"(c) weak-net neurons, seed {d['c']['seed']}, first {k} coords", False)
    style.title(fig, f"GrokTransfer Fig. 4: XOR n={s['n']}, p={s['p']}, eps={s['eps']}, exp loss, "
                 f"{len(d['seeds'])} seeds (band = min-max)", quick)
    return fig


def check(d: dict) -> None:
    """Shape and finiteness of what is plotted (used by the smoke tests)."""
    for part in ("a", "b"):
        for key in ("train_acc", "test_acc"):
            arr = np.asarray(d[part][key])
            assert arr.shape == (len(d["seeds"]), len(d[part]["steps"])) and finite(arr)
    Wc = np.asarray(d["c"]["weights"])
    assert Wc.shape == (3, d["setting"]["coords"]) and finite(Wc)


def run(ctx: FigureContext) -> list[Path]:
    d = compute(setting(ctx, FULL, QUICK), seeds(ctx), ctx.cache, ctx.progress)
    check(d)
    return style.save(plot(d, ctx.quick), ctx.out_dir, "fig4", d)


FIGURE = Figure("fig4", "XOR: normal training groks (a), 3-neuron weak net dynamics (b) and neurons (c)", run)
