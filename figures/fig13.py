"""Fig. 13. Left: 8-layer Transformer on modular multiplication, GrokTransfer vs scratch ([I] fig8a
hyperparameters). Right: 2- and 4-layer Transformers trained normally on (40,3)-parity; the authors say
neither shows delayed generalisation. --quick: small models, fewer epochs."""

from __future__ import annotations

from pathlib import Path

from figures.fig8 import add_records_arg, experiment_records, plot_runs, setting_text
from figures.registry import Figure, FigureContext
from figures.style import new_figure, save, title


def _run(ctx: FigureContext) -> list[Path]:
    fig, axes = new_figure(2, 1)
    left = experiment_records(ctx, "fig13l")
    right = experiment_records(ctx, "fig13r")
    data = {"fig13l": plot_runs(axes[0, 0], left), "fig13r": plot_runs(axes[0, 1], right, label_key="preset")}
    title(axes[0, 0], f"(left) 8-layer TF, multiplication\n{setting_text(left[0], ctx.quick)}", ctx.quick)
    arch = right[0]["config"]["arch"] or "2 and 4 layers"
    title(axes[0, 1], f"(right) TF on (40,3)-parity, n=1000, normal training\n{arch}", ctx.quick)
    title(fig, f"Fig. 13, seed {ctx.seed}", ctx.quick)
    return save(fig, ctx.out_dir, "fig13" + ("_quick" if ctx.quick else ""), {"quick": ctx.quick, **data})


FIGURE = Figure(name="fig13", help="8-layer TF on multiplication; 2/4-layer TF on (40,3)-parity",
                run=_run, add_args=add_records_arg, group="transformer")
