"""Fig. 16: GrokTransfer vs GrokFast on modular multiplication with the 2-layer Transformer (no numbers
in the paper; the review says GrokTransfer is better). --quick: 1-layer width-64 model, 600 epochs."""

from __future__ import annotations

from pathlib import Path

from figures.fig8 import add_records_arg, experiment_records, plot_runs, setting_text
from figures.registry import Figure, FigureContext
from figures.style import new_figure, save, title


def _run(ctx: FigureContext) -> list[Path]:
    fig, axes = new_figure(1, 1)
    recs = experiment_records(ctx, "fig16")
    data = plot_runs(axes[0, 0], recs)
    title(axes[0, 0], f"Fig. 16: GrokTransfer vs GrokFast, modular multiplication, seed {ctx.seed}\n"
          f"{setting_text(recs[0], ctx.quick)}", ctx.quick)
    return save(fig, ctx.out_dir, "fig16" + ("_quick" if ctx.quick else ""), {"quick": ctx.quick, **data})


FIGURE = Figure(name="fig16", help="GrokTransfer vs GrokFast on modular multiplication (2-layer TF)",
                run=_run, add_args=add_records_arg, group="transformer")
