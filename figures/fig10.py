"""GrokTransfer Fig. 10 (App. A.4.2): the 1-neuron weak net. Its dynamics, its neuron, its 1-D embedding uᵀx,
and the target f_L trained on that embedding, with U as trained ("raw") and signal-normalised.

Paper and review thread: the neuron learns one feature; weak test accuracy ~25%, train accuracy <= 50%; both
classes lie on both sides of 0 in the embedding, so the target cannot classify (test accuracy stays low).
`ladder_plot` / `ladder_check` serve Fig. 11 (2 neurons) as well; the numbers come from
xorgrok.experiments.xor_figures.ladder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style
from figures.registry import Figure, FigureContext
from figures.xor_common import finite, seeds, setting, shifted
from xorgrok.experiments.xor import NORMALIZE
from xorgrok.experiments.xor_figures.ladder import FULL, QUICK
from xorgrok.experiments.xor_figures.ladder import compute as ladder_compute

CLUSTER_NAMES = ("+mu1 (y=+1)", "-mu1 (y=+1)", "+mu2 (y=-1)", "-mu2 (y=-1)")
CLUSTER_COLORS = ("#1f77b4", "#6baed6", "#ff7f0e", "#fdae6b")


def _acc_panel(ax, steps, tr, te, text: str, ref: float | None = None) -> None:
    x = shifted(steps)
    style.plot_band(ax, x, tr, "train", style.TRAIN)
    style.plot_band(ax, x, te, "test", style.TEST)
    if ref is not None:
        ax.axhline(ref, color="black", linestyle=":", linewidth=0.8)
    style.epochs_axis(ax)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("accuracy (fraction)")
    ax.legend(fontsize=7, loc="lower right")
    style.title(ax, text, False)


def ladder_plot(d: dict, quick: bool, fig_name: str):
    s, k = d["setting"], d["m_weak"]
    fig, axes = style.new_figure(5, 1, size=(3.7, 3.5))
    w = d["weak"]
    _acc_panel(axes[0, 0], w["steps"], w["train_acc"], w["test_acc"],
               f"(a) {k}-neuron weak net; fresh test acc {np.mean(w['final_test_acc_fresh']):.3f}",
               ref=0.25 * k)
    ax = axes[0, 1]
    Wc = np.asarray(d["neurons"]["weights"])
    width = 0.8 / Wc.shape[0]
    for j, row in enumerate(Wc):
        ax.bar(np.arange(1, Wc.shape[1] + 1) + (j - (Wc.shape[0] - 1) / 2) * width, row, width,
               label=f"neuron {j + 1}: {d['neurons']['learned'][j] or 'none'}")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel("coordinate index (1, 2 = signal)")
    ax.set_ylabel("weight w_j[i]")
    ax.legend(fontsize=7)
    style.title(ax, f"(b) neurons, seed {d['neurons']['seed']}", False)
    ax = axes[0, 2]
    z, cl = np.asarray(d["embedding"]["z"]), np.asarray(d["embedding"]["cluster"])
    if z.shape[1] == 1:
        bins = np.linspace(z.min(), z.max(), 60)
        for c in range(4):
            ax.hist(z[cl == c, 0], bins=bins, color=CLUSTER_COLORS[c], alpha=0.6, label=CLUSTER_NAMES[c])
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel("z = uᵀx")
        ax.set_ylabel("count")
    else:
        for c in range(4):
            ax.scatter(z[cl == c, 0], z[cl == c, 1], s=3, color=CLUSTER_COLORS[c], label=CLUSTER_NAMES[c])
        ax.axhline(0, color="black", linewidth=0.5)
        ax.axvline(0, color="black", linewidth=0.5)
        ax.set_xlabel("z1 = u1ᵀx")
        ax.set_ylabel("z2 = u2ᵀx")
    ax.legend(fontsize=6.5, markerscale=3)
    style.title(ax, f"(c) embedding Uᵀx, {len(z)} fresh points", False)
    for i, norm in enumerate(NORMALIZE):
        t = d["target"][norm]
        name = "raw U" if norm == "none" else "normalised U"
        nd = sum(x is not None for x in t.get("diverged_at", []))
        if nd:
            name += f" ({nd} diverged: acc 0)"
        _acc_panel(axes[0, 3 + i], t["steps"], t["train_acc"], t["test_acc"],
                   f"({'de'[i]}) f_L, {name}:\ntest {np.mean([c[1] for c in t['test_acc']]):.3f} at step 1, "
                   f"{np.mean([c[-1] for c in t['test_acc']]):.3f} last")
        axes[0, 3 + i].set_xlabel(f"GD step on V + 1 (m = {t['m']}, lr {s['alpha']}, v_init {s['v_init']})")
    style.title(fig, f"GrokTransfer {fig_name}: {k}-neuron weak net and the target on its embedding; XOR n={s['n']}, "
                 f"p={s['p']}, eps={s['eps']}; {len(d['seeds'])} seeds (band = min-max)", quick)
    return fig


def ladder_check(d: dict) -> None:
    ns = len(d["seeds"])
    for part in (d["weak"], d["target"]["none"], d["target"]["signal"]):
        for key in ("train_acc", "test_acc"):
            arr = np.asarray(part[key])
            assert arr.shape == (ns, len(part["steps"])) and finite(arr)
    z = np.asarray(d["embedding"]["z"])
    assert z.shape == (d["setting"]["n_scatter"], d["m_weak"]) and finite(z)
    assert np.asarray(d["neurons"]["weights"]).shape == (d["m_weak"], d["setting"]["coords"])


def run(ctx: FigureContext) -> list[Path]:
    d = ladder_compute(1, setting(ctx, FULL, QUICK), seeds(ctx), ctx.cache, ctx.progress)
    ladder_check(d)
    return style.save(ladder_plot(d, ctx.quick, "Fig. 10"), ctx.out_dir, "fig10", d)


FIGURE = Figure("fig10", "XOR: 1-neuron weak net, its 1-D embedding, and the target trained on it", run)
