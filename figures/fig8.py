"""Fig. 8: FNN → Transformer. (a) 8-layer target, GrokTransfer vs scratch; (b) 2-layer GrokFast target,
GrokTransfer vs GrokFast (modular addition). Time Gap (§6.5) in the legend; paper: 46 vs 1119.

Default mode runs the paper setting (hours on a CPU: `--records DIR` plots the records written by
`python -m xorgrok transformer --out DIR` instead). --quick: small models (QUICK_ARCH), 300 epochs
(`--records DIR --quick` plots the 600-epoch records of `python -m xorgrok transformer --quick`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from figures.registry import Figure, FigureContext
from figures.style import METHOD_COLORS, TEST, TRAIN, epochs_axis, new_figure, save, title
from xorgrok.core.config import build_config
from xorgrok.core.errors import InputError
from xorgrok.experiments.common import RunMetrics
from xorgrok.experiments.transformer import TFRunConfig, load_experiment, missing_record, paper_runs, run
from xorgrok.models.transformer import PRESETS

FIGURE_QUICK_EPOCHS = 300  # figures --quick; `python -m xorgrok transformer --quick` runs 600
LABELS = {"groktransfer": "GrokTransfer", "scratch": "scratch", "grokfast": "GrokFast"}


def add_records_arg(p: argparse.ArgumentParser) -> None:
    if not any("--records" in a.option_strings for a in p._actions):
        p.add_argument("--records", type=Path, default=None,
                       help="transformer/MNIST figures: plot saved run records from this folder instead of running")


def missing_records(ctx: FigureContext, experiment: str) -> str | None:
    """With --records: None if every record of the experiment is there, else a one-line note naming the first
    missing file and the command that writes it. Without --records: None (the figure runs the experiment)."""
    folder = ctx.extra.get("records")
    if folder is None:
        return None
    path = missing_record(Path(folder), experiment, ctx.seed, ctx.quick)
    if path is None:
        return None
    return (f"--records: {path} not found (write it with python -m xorgrok transformer "
            f"--experiment {experiment} --out {folder})")


def experiment_records(ctx: FigureContext, experiment: str) -> list[dict[str, Any]]:
    """Run the experiment's configurations (or load them from --records) -> list of RunRecord dicts."""
    folder = ctx.extra.get("records")
    missing = missing_records(ctx, experiment)
    if missing is not None:
        raise InputError(missing)
    if folder is not None:
        return load_experiment(Path(folder), experiment, ctx.seed, ctx.quick)
    out = []
    for cfg in paper_runs(experiment, ctx.quick, seed=ctx.seed, overrides={"device": ctx.device}):
        if ctx.quick:  # the figure's budget (< 60 s): at most FIGURE_QUICK_EPOCHS of the CLI's --quick
            cfg = build_config(TFRunConfig, {"epochs": min(cfg.epochs, FIGURE_QUICK_EPOCHS), "eval_every": 10},
                               base=cfg)
        out.append(run(cfg, progress=ctx.progress, quick=ctx.quick))
    return out


def plot_runs(ax: Any, records: list[dict[str, Any]], label_key: str = "method") -> dict[str, Any]:
    """Train (solid) and test (dashed) accuracy per run, coloured by method; returns the plotted numbers."""
    data: dict[str, Any] = {}
    for rec in records:
        cfg, h, m = rec["config"], rec["history"]["target"], RunMetrics.from_record(rec)
        name = cfg[label_key] if label_key == "method" else str(cfg["preset"])
        x = np.asarray(h["steps"]) + 1
        color = METHOD_COLORS.get(name, None)
        if label_key == "method":
            lab = LABELS.get(name, name)
        else:
            lab = f"{cfg['arch'].get('n_layers', PRESETS[name]['n_layers'])}-layer TF"
        gap = m.time_gap
        ax.plot(x, h["train_acc"], color=color, linestyle=TRAIN["linestyle"], label=f"{lab} train")
        ax.plot(x, h["test_acc"], color=color, linestyle=TEST["linestyle"],
                label=f"{lab} test (Time Gap {gap if gap is not None else 'n/a'})")
        data[name] = {"steps": h["steps"], "train_acc": h["train_acc"], "test_acc": h["test_acc"],
                      "time_gap": gap, "epochs_to_95_test": m.epochs_to_95_test,
                      "config": cfg, "weak_final_test_acc": m.weak_final_test_acc}
    epochs_axis(ax)
    ax.set_ylabel("accuracy")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=7, loc="best")  # the late grokking curves sit lower right
    return data


def setting_text(rec: dict[str, Any], quick: bool) -> str:
    c = rec["config"]
    arch = c["arch"] or c["preset"]
    return f"p={c['modulus']}, {c['task']}, model {arch}"


def _run(ctx: FigureContext) -> list[Path]:
    fig, axes = new_figure(2, 1)
    data: dict[str, Any] = {}
    panels = (("fig8a", "(a) 8-layer TF: GrokTransfer vs scratch"),
              ("fig8b", "(b) 2-layer TF: GrokTransfer vs GrokFast"))
    missing = {exp: missing_records(ctx, exp) for exp, _ in panels}
    if all(missing.values()):  # nothing to plot: the first panel's error
        raise InputError(missing["fig8a"])
    for ax, (exp, head) in zip(axes[0], panels):
        if msg := missing[exp]:  # --records with one panel's runs absent (the 8-layer ones need a GPU): say so
            ax.text(0.5, 0.5, "no record:\n" + msg.split(" (write it")[0].removeprefix("--records: ")
                    + f"\nrun python -m xorgrok transformer --experiment {exp}", ha="center", va="center",
                    fontsize=7, wrap=True, transform=ax.transAxes)
            ax.set_axis_off()
            title(ax, head, ctx.quick)
            data[exp] = {"missing": missing[exp]}
            continue
        recs = experiment_records(ctx, exp)
        data[exp] = plot_runs(ax, recs)
        title(ax, f"{head}\n{setting_text(recs[0], ctx.quick)}", ctx.quick)
    title(fig, f"Fig. 8, seed {ctx.seed}; paper Time Gap: GrokTransfer 46 vs GrokFast 1119", ctx.quick)
    return save(fig, ctx.out_dir, "fig8" + ("_quick" if ctx.quick else ""), {"quick": ctx.quick, **data})


FIGURE = Figure(name="fig8", help="FNN→Transformer: 8-layer GT vs scratch; 2-layer GT vs GrokFast (Time Gap)",
                run=_run, add_args=add_records_arg, group="transformer")
