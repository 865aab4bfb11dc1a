"""GrokTransfer Fig. 10 (App. A.4.2): the 1-neuron weak net. Its dynamics, its neuron, its 1-D embedding uᵀx,
and the target f_L trained on that embedding, with U as trained ("raw") and signal-normalised.

Paper and review thread: the neuron learns one feature; weak test accuracy ~25%, train accuracy <= 50%; both
classes lie on both sides of 0 in the embedding, so the target cannot classify (test accuracy stays low).
`ladder_compute` / `ladder_plot` serve Fig. 11 (2 neurons) as well.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from figures import style
from figures.registry import Figure, FigureContext
from figures.xor_common import curves, finite, pick_setting, seeds_for, shifted, target_curve, weak_seeds
from xorgrok.core.seeding import derive
from xorgrok.data.xor import project_hypercube
from xorgrok.experiments.xor import NORMALIZE, TransferConfig, WeakConfig

CLUSTER_NAMES = ("+mu1 (y=+1)", "-mu1 (y=+1)", "+mu2 (y=-1)", "-mu2 (y=-1)")
CLUSTER_COLORS = ("#1f77b4", "#6baed6", "#ff7f0e", "#fdae6b")


@dataclasses.dataclass(frozen=True)
class LadderSetting:
    n: int = 400
    p: int = 80_000
    eps: float = 0.05
    weak_steps: int = 2000
    n_test: int = 1000
    n_eval: int = 10_000  # fresh points for the weak net's and the target's test accuracy
    target_steps: int = 100
    v_init: float = 0.4
    alpha: float = 2.0
    n_scatter: int = 2000
    coords: int = 10


FULL = LadderSetting()
QUICK = LadderSetting(n=200, p=8000, weak_steps=800, n_test=300, n_eval=3000, target_steps=30, n_scatter=800)


def ladder_compute(m_weak: int, s: LadderSetting, seeds: list[int], progress: bool) -> dict:
    """Weak nets of width m_weak over seeds, then f_L on each one's U (raw and normalised)."""
    wk = weak_seeds(WeakConfig(n=s.n, p=s.p, eps=s.eps, m=m_weak, steps=s.weak_steps, n_test=s.n_test,
                               n_eval=s.n_eval), seeds, progress, f"{m_weak}-neuron weak nets")
    steps_w, tr_w = curves([w.history for w in wk], "train_acc")
    _, te_w = curves([w.history for w in wk], "test_acc")
    target: dict[str, dict] = {}
    for norm in NORMALIZE:
        tc = [target_curve(w.U, w.train, TransferConfig(v_init=s.v_init, alpha=s.alpha, steps=s.target_steps,
                                                        n_eval=s.n_eval, normalize=norm, seed=sd))
              for w, sd in zip(wk, seeds)]
        st, tr = curves([t.history for t in tc], "train_acc")
        _, te = curves([t.history for t in tc], "test_acc")
        target[norm] = {"steps": st, "train_acc": tr, "test_acc": te, "m": tc[0].m,
                        "diverged_at": [t.diverged_at for t in tc]}
    w0 = wk[0]
    pr = project_hypercube(w0.U, s.n_scatter, s.eps, derive(seeds[0], "ladder-scatter"))
    W0 = w0.U.T.double().numpy()
    return {
        "setting": dataclasses.asdict(s), "seeds": seeds, "m_weak": m_weak,
        "weak": {"steps": steps_w, "train_acc": tr_w, "test_acc": te_w,
                 "final_test_acc_fresh": [w.test_acc for w in wk],
                 "final_train_acc": [w.history.last("train_acc") for w in wk],
                 "learned": [w.learned for w in wk], "transition_step": [w.transition_step for w in wk],
                 "r_W": [w.r_W for w in wk]},
        "neurons": {"seed": seeds[0], "weights": W0[:, : s.coords].tolist(), "learned": w0.learned},
        "embedding": {"seed": seeds[0], "z": pr.z.double().numpy().tolist(), "y": pr.y.numpy().tolist(),
                      "cluster": pr.cluster.numpy().tolist()},
        "target": target,
    }


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
    s = pick_setting(ctx, FULL, QUICK)
    d = ladder_compute(1, s, seeds_for(ctx), ctx.progress)
    ladder_check(d)
    return style.save(ladder_plot(d, ctx.quick, "Fig. 10"), ctx.out_dir, "fig10", d)


FIGURE = Figure("fig10", "XOR: 1-neuron weak net, its 1-D embedding, and the target trained on it", run)
