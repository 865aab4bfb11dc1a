"""Fig. 1(b): modular addition (p = 113, 25 %), GrokTransfer vs training from scratch (App. A.3.1).

Paper setting: GrokTransfer (init, lr, wd) = (0.3, 0.005, 3); scratch (lr, wd) = (0.05, 3) ([I] init 1.0,
the paper tunes only lr and wd for scratch). Weak model (4, 16), 10^4 epochs; target (128, 512), 10^4 epochs.
"""

from __future__ import annotations

from pathlib import Path

from figures.curves import plot_methods
from figures.registry import Figure, FigureContext
from figures.style import new_figure, save, title
from xorgrok.experiments.curves import make_configs, records_for, replace_all, seed_summary
from xorgrok.experiments.presets import FIG1B_TARGET

METHODS = ("groktransfer", "scratch")


def run(ctx: FigureContext) -> list[Path]:
    n = ctx.n_seeds or (1 if ctx.quick else 5)
    seeds = range(ctx.seed, ctx.seed + n)
    configs = []
    for m in METHODS:
        init, lr, wd = FIG1B_TARGET[m]
        cs = make_configs("add", m, seeds, ctx.quick, device=ctx.device)
        configs += replace_all(cs, init_scale=init, lr=lr, weight_decay=wd)
    recs = records_for(configs, ctx.out_dir / "fig1b", progress=ctx.progress)
    fig, axes = new_figure(1, 1, size=(6.0, 4.0))
    plot_methods(axes[0, 0], recs, METHODS)
    c = configs[0]
    title(
        fig,
        f"Fig. 1(b) modular addition p={c.modulus}, target ({c.d_embed},{c.width}), {c.epochs} epochs, {n} seed(s)",
        ctx.quick,
    )
    data = {m: seed_summary(recs, m) for m in METHODS} | {"settings": FIG1B_TARGET, "quick": ctx.quick}
    return save(fig, ctx.out_dir, "fig1b", data)


FIGURE = Figure(name="fig1b", help="modular addition: GrokTransfer vs scratch (Fig. 1b)", run=run, group="modular")
