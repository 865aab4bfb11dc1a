"""Fig. 14 (200 training samples) and review Fig. 18 (`--mnist-samples 1000`): MNIST with init scale α = 100,
four-layer MLP target, GrokTransfer (first layer from a weak three-layer MLP at 40 % accuracy) vs scratch.

Data: disjoint training and evaluation subsets of the 10,000 MNIST TEST images (no training set offline);
the title and the JSON say so. --quick: 2500 epochs at wd 2 (full: 5·10^4 at wd 0.1, same lr·wd·epochs).
`--records DIR` plots records written by `python -m xorgrok mnist --out DIR`.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from figures.fig8 import add_records_arg, plot_runs
from figures.registry import Figure, FigureContext
from figures.style import new_figure, save, title
from xorgrok.experiments.mnist import METHODS, SAMPLES, load_runs, load_task, mnist_preset, run


def _args(p: argparse.ArgumentParser) -> None:
    add_records_arg(p)
    p.add_argument("--mnist-samples", type=int, choices=SAMPLES, default=200,
                   help="fig14: MNIST training samples (200 = Fig. 14, 1000 = review Fig. 18)")
    if not any("--data-dir" in a.option_strings for a in p._actions):
        p.add_argument("--data-dir", type=Path, default=None,
                       help="fig14: folder with the MNIST IDX files (default $XORGROK_MNIST_DIR, then the user cache)")


def _run(ctx: FigureContext) -> list[Path]:
    n = int(ctx.extra.get("mnist_samples") or 200)
    folder = ctx.extra.get("records")
    if folder is not None:
        recs = load_runs(Path(folder), n, ctx.seed, ctx.quick)
    else:
        over = {"device": ctx.device, **({"data_dir": str(ctx.extra["data_dir"])} if ctx.extra.get("data_dir") else {})}
        cfgs = [mnist_preset(n, m, quick=ctx.quick, seed=ctx.seed, overrides=over) for m in METHODS]
        task = load_task(cfgs[0])  # one data draw for both methods
        recs = [run(cfg, progress=ctx.progress, quick=ctx.quick, task=task) for cfg in cfgs]
    fig, axes = new_figure(1, 1, size=(6.0, 4.0))
    data = plot_runs(axes[0, 0], recs)
    c = recs[0]["config"]
    note = recs[0]["data_note"]
    title(axes[0, 0], f"MNIST, α={c['init_scale']:g}, 4-layer MLP width {c['width']}, lr {c['lr']:g}, "
          f"wd {c['weight_decay']:g}, seed {ctx.seed}\n" + "\n".join(textwrap.wrap(note, 100)), ctx.quick)
    axes[0, 0].set_ylabel("accuracy (test = evaluation subset)")
    name = ("fig14" if n == 200 else "fig18") + ("_quick" if ctx.quick else "")
    return save(fig, ctx.out_dir, name, {"quick": ctx.quick, "data_note": note, "n_train": n, **data})


FIGURE = Figure(name="fig14", help="MNIST α=100: GrokTransfer vs scratch (200 samples; 1000 = Fig. 18)",
                run=_run, add_args=_args, group="mnist")
