"""GrokTransfer Fig. 9 (§3.3, App. A.3.2): the target f_L trained beyond one step, v_init 0.4, lr 2.0, no
weight decay, on the 3-neuron weak net's U, transferred as trained ("raw") and signal-normalised (the form
Theorem 3.2's proof assumes). Paper: one step suffices, and "the model continues to generalize with
further training". The third panel shows the test error on a log scale (floor 1/(2·n_eval) = none seen).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style
from figures.registry import Figure, FigureContext
from figures.xor_common import finite, seeds, setting, shifted
from xorgrok.experiments.xor import NORMALIZE
from xorgrok.experiments.xor_figures.fig9 import FULL, QUICK, REGIMES, compute


def plot(d: dict, quick: bool):
    s = d["setting"]
    fig, axes = style.new_figure(3, 1, size=(4.6, 3.6))
    floor = 0.5 / s["n_eval"]
    colors = {"none": "#d62728", "signal": "#9467bd", "as_proved": "#2ca02c"}
    t = d["as_proved"]
    err = np.clip(1 - np.asarray(t["test_acc"]), floor, None)
    for k, row in enumerate(err):
        axes[0, 2].plot(shifted(t["steps"]), row, color=colors["as_proved"], linestyle=style.TEST["linestyle"],
                        alpha=0.8, label=(f"test error, as proved (fresh data, v_init {t['v_init']:.3f}, "
                                          f"lr {t['alpha']:.2f})") if k == 0 else None)
    for i, norm in enumerate(NORMALIZE):
        t = d[norm]
        ax = axes[0, i]
        x = shifted(t["steps"])
        style.plot_band(ax, x, t["train_acc"], "train", style.TRAIN)
        style.plot_band(ax, x, t["test_acc"], "test", style.TEST)
        style.epochs_axis(ax, "GD step on V")
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("accuracy (fraction)")
        ax.legend(fontsize=7, loc="lower right")
        name = "U as trained (raw)" if norm == "none" else "U signal-normalised"
        te1 = [c[1] for c in t["test_acc"]]
        style.title(ax, f"({'ab'[i]}) {name}: test acc after 1 step\nmin {min(te1):.4f}, mean {np.mean(te1):.4f}",
                    False)
        ax3 = axes[0, 2]
        err = np.clip(1 - np.asarray(t["test_acc"]), floor, None)
        for k, row in enumerate(err):
            ax3.plot(x, row, color=colors[norm], linestyle=style.TEST["linestyle"], alpha=0.8,
                     label=f"test error, {name}" if k == 0 else None)
    ax3 = axes[0, 2]
    ax3.axhline(floor, color="grey", linestyle=":", linewidth=0.8)
    ax3.set_yscale("log")
    style.epochs_axis(ax3, "GD step on V")
    ax3.set_ylabel(f"test error (fraction; floor {floor:.0e} = 0 errors)")
    ax3.legend(fontsize=7)
    style.title(ax3, "(c) test error per seed (one line per seed)", False)
    style.title(fig, f"GrokTransfer Fig. 9: f_L (m={d['none']['m']}, v_init {s['v_init']}, lr {s['alpha']}, no wd) "
                 f"on the 3-neuron weak net's U; XOR n={s['n']}, p={s['p']}, eps={s['eps']}; {len(d['seeds'])} seeds, "
                 f"test on {s['n_eval']} fresh points", quick)
    return fig


def check(d: dict) -> None:
    for norm in REGIMES:
        for key in ("train_acc", "test_acc"):
            arr = np.asarray(d[norm][key])
            assert arr.shape == (len(d["seeds"]), len(d[norm]["steps"])) and finite(arr)
        assert d[norm]["steps"][:2] == [0, 1]


def run(ctx: FigureContext) -> list[Path]:
    d = compute(setting(ctx, FULL, QUICK), seeds(ctx), ctx.cache, ctx.progress)
    check(d)
    return style.save(plot(d, ctx.quick), ctx.out_dir, "fig9", d)


FIGURE = Figure("fig9", "XOR: target f_L trained beyond one step on the weak net's U (raw and normalised)", run)
