"""Fig. 3: pseudo-NTK change ‖Θ̂_t − Θ̂_{t−1}‖_F (Mohamadi et al. 2023) over training, for each embedding of
Fig. 2, on a fixed probe set of 32 training pairs. --quick: width 64, 150 epochs, accuracy on 1000 test pairs.
"""

from __future__ import annotations

from pathlib import Path

from figures.fig2 import add_embedding_arg, kinds
from figures.registry import Figure, FigureContext
from figures.style import epochs_axis, new_figure, save, title
from xorgrok.experiments.embeddings import embedding_label, embedding_preset, run_embedding

COLORS = {"onehot": "#1f77b4", "binary": "#ff7f0e", "fourier": "#2ca02c", "file": "#9467bd"}


def _run(ctx: FigureContext) -> list[Path]:
    fig, axes = new_figure(1, 1, size=(6.0, 4.0))
    ax = axes[0, 0]
    data = {}
    path = ctx.extra.get("embedding_file")
    for kind in kinds(ctx):
        cfg = embedding_preset(kind, quick=ctx.quick, seed=ctx.seed, ntk=True,
                               overrides={"embedding_file": path, "device": ctx.device})
        r = run_embedding(cfg, progress=ctx.progress)
        ax.plot([e + 1 for e in r["ntk"]["epoch"]], r["ntk"]["change"], marker="o", ms=3,
                color=COLORS[kind], label=embedding_label(kind, path))
        data[kind] = {"ntk": r["ntk"], "metrics": r["metrics"], "config": r["config"]}
    epochs_axis(ax)
    ax.set_yscale("log")
    ax.set_ylabel("‖Θ̂_t − Θ̂_{t−1}‖_F (32 probe pairs)")
    ax.legend(fontsize=7)
    title(ax, f"Fig. 3: empirical NTK change, modular addition, seed {ctx.seed}"
          + ("" if path else "\nGPT embedding not available offline (use --embedding-file)"), ctx.quick)
    return save(fig, ctx.out_dir, "fig3" + ("_quick" if ctx.quick else ""), {"quick": ctx.quick, **data})


FIGURE = Figure(name="fig3", help="empirical pseudo-NTK change for the Fig. 2 embeddings",
                run=_run, add_args=add_embedding_arg, group="embeddings")
