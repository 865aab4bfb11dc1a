"""Fig. 12: a 2-D view (t-SNE, scikit-learn) of the 4-D weak embedding on modular addition.

The weak model (d_embed 4, width 16) is trained as in Fig. 6(a) (10^4 epochs). Left: t-SNE of the 113
rows of E_W, coloured by k·a mod p for the dominant frequency k (joined in that order). Right: the Fourier
power of E_W along the token axis (summed over the 4 columns), which measures the periodic structure
the review thread reports (one or a few dominant frequencies k, i.e. period p/k).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures.registry import Figure, FigureContext
from figures.style import new_figure, save, title
from xorgrok.experiments.fnn import make_task, train_weak
from xorgrok.experiments.presets import paper_config, quick_config
from xorgrok.transfer import weak_embedding


def fourier_power(E: np.ndarray) -> np.ndarray:
    """Power |DFT_k|² of each column along tokens, summed over columns, for k = 1 .. p//2 (k = 0 dropped)."""
    F = np.fft.rfft(E - E.mean(0), axis=0)
    return (np.abs(F) ** 2).sum(1)[1 : E.shape[0] // 2 + 1]


def run(ctx: FigureContext) -> list[Path]:
    from sklearn.manifold import TSNE

    cfg = (quick_config if ctx.quick else paper_config)("add", "groktransfer", seed=ctx.seed, device=ctx.device)
    task = make_task(cfg)
    model, res = train_weak(cfg, task, progress=ctx.progress)
    E = weak_embedding(model).numpy().astype(np.float64)
    p = E.shape[0]
    xy = TSNE(n_components=2, perplexity=min(20.0, (p - 1) / 3), init="pca", random_state=ctx.seed).fit_transform(E)
    power = fourier_power(E)
    k_top = int(np.argmax(power)) + 1
    share = float(power.max() / power.sum())
    fig, axes = new_figure(2, 1, size=(4.6, 4.0))
    ax = axes[0, 0]
    phase = (k_top * np.arange(p)) % p  # position of token a on the dominant Fourier circle
    order = np.argsort(phase)
    ax.plot(xy[order, 0], xy[order, 1], color="lightgray", linewidth=0.6, zorder=1)
    sc = ax.scatter(xy[:, 0], xy[:, 1], c=phase, cmap="twilight", s=18, zorder=2)
    for a in range(0, p, max(1, p // 12)):
        ax.annotate(str(a), xy[a], fontsize=6)
    fig.colorbar(sc, ax=ax, label=f"{k_top}·a mod {p} (points labelled by a)")
    ax.set_title(f"t-SNE of E_W ({p}×{E.shape[1]}), weak test acc {res.history.last('test_acc'):.2f}", fontsize=8)
    ax = axes[0, 1]
    ks = np.arange(1, len(power) + 1)
    ax.bar(ks, power / power.sum(), color="#444444")
    ax.set_xlabel("frequency k (period p/k)")
    ax.set_ylabel("share of Fourier power")
    ax.set_title(f"dominant k = {k_top} ({share:.0%} of power)", fontsize=8)
    title(fig, f"Fig. 12: weak embedding on modular addition, p={p}, weak {cfg.weak.epochs} epochs", ctx.quick)
    data = {
        "tsne": xy.tolist(),
        "E_W": E.tolist(),
        "fourier_power": power.tolist(),
        "dominant_k": k_top,
        "dominant_share": share,
        "weak_test_acc": res.history.last("test_acc"),
        "quick": ctx.quick,
    }
    return save(fig, ctx.out_dir, "fig12", data)


FIGURE = Figure(
    name="fig12", help="t-SNE of the 4-D weak embedding, modular addition (Fig. 12)", run=run, group="modular"
)
