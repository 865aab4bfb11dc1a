"""Fig. 6: FNN → FNN on modular addition (a), multiplication (b) and (40,3)-parity (c) (§4.1, §6.4).

Row 1: the weak model (train/test accuracy); row 2: the target, GrokTransfer vs scratch, at the paper's
settings (presets.PAPER_TARGET). The weak row is the weak run that fed GrokTransfer (same seed).
"""

from __future__ import annotations

from pathlib import Path

from figures.curves import plot_curves, plot_methods
from figures.registry import Figure, FigureContext
from figures.style import TEST, TRAIN, epochs_axis, new_figure, save, title
from xorgrok.experiments.common import RunMetrics
from xorgrok.experiments.curves import make_configs, records_for, seed_summary

TASKS = (("add", "(a) modular addition"), ("mul", "(b) modular multiplication"), ("parity", "(c) parity"))
METHODS = ("groktransfer", "scratch")


def run(ctx: FigureContext) -> list[Path]:
    n = ctx.n_seeds or (1 if ctx.quick else 5)
    seeds = range(ctx.seed, ctx.seed + n)
    fig, axes = new_figure(3, 2, size=(4.6, 3.4))
    data: dict = {"quick": ctx.quick}
    for col, (task, name) in enumerate(TASKS):
        configs = [c for m in METHODS for c in make_configs(task, m, seeds, ctx.quick, device=ctx.device)]
        recs = records_for(configs, ctx.out_dir / "fig6", progress=ctx.progress)
        weak = [r["history"]["weak"] for r in recs if r["config"]["method"] == "groktransfer" and r["history"]["weak"]]
        ax = axes[0, col]
        plot_curves(ax, weak, "train_acc", "weak train", TRAIN)
        plot_curves(ax, weak, "test_acc", "weak test", TEST)
        epochs_axis(ax)
        ax.set_ylim(-0.02, 1.02)
        ax.legend(fontsize=7)
        w = configs[0].weak
        ax.set_title(f"{name}: weak (d_embed {w.d_embed}, width {w.width}, {w.n_layers} layers)", fontsize=8)
        plot_methods(axes[1, col], recs, METHODS)
        c = configs[0]
        axes[1, col].set_title(
            f"{name}: target ({c.d_embed}, {c.width}), GT {c.init_scale, c.lr, c.weight_decay}", fontsize=8
        )
        data[task] = {m: seed_summary(recs, m) for m in METHODS}
        data[task]["weak_final_test_acc"] = [
            RunMetrics.from_record(r).weak_final_test_acc for r in recs if r["config"]["method"] == "groktransfer"
        ]
    title(fig, f"Fig. 6: FNN → FNN, {n} seed(s)", ctx.quick)
    return save(fig, ctx.out_dir, "fig6", data)


FIGURE = Figure(
    name="fig6",
    help="FNN→FNN: weak row and GrokTransfer vs scratch on add/mul/parity (Fig. 6)",
    run=run,
    group="modular",
)
