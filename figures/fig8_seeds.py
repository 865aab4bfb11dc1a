"""Fig. 8(b) and Fig. 16 over seeds: GrokTransfer (width-4 weak model), GrokFast and the random-A·B control on
the 2-layer Transformer, one panel per seed of the selection rule (TF_SEEDS), read from the multi-seed
records of `python -m xorgrok transformer --experiment fig8b|fig16 --method M --seed S`.

It never trains: `--records DIR` names the folder (default: the committed `docs/records/transformer_cpu` of the
checkout). A seed of the rule without a record is drawn as an empty panel that says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from figures.fig8 import LABELS, add_records_arg
from figures.registry import Figure, FigureContext
from figures.style import METHOD_COLORS, new_figure, save, title
from xorgrok.core.errors import InputError
from xorgrok.core.paths import default_docs_dir
from xorgrok.experiments.common import RunMetrics
from xorgrok.experiments.transformer import TF_SEEDS, seed_records

EXPERIMENTS = {"fig8b": "Fig. 8(b), addition", "fig16": "Fig. 16, multiplication"}
ARMS = ("groktransfer", "grokfast", "random_ab")
ARM_LABELS = {**LABELS, "random_ab": "random-A·B control"}


def _folder(ctx: FigureContext) -> Path:
    folder = ctx.extra.get("records") or default_docs_dir() / "records" / "transformer_cpu"
    if not Path(folder).is_dir():
        raise InputError(f"--records {folder}: not a folder (pass the folder of the multi-seed Transformer records)")
    return Path(folder)


def _panel(ax: Any, by_arm: dict[str, dict[str, Any]], head: str) -> dict[str, Any]:
    """Train (solid, faint) and test (dashed) accuracy of each arm on one seed; returns the plotted numbers."""
    data: dict[str, Any] = {}
    for arm in ARMS:
        rec = by_arm.get(arm)
        if rec is None:
            continue
        h, m = rec["history"]["target"], RunMetrics.from_record(rec)
        x = np.asarray(h["steps"])
        ax.plot(x, h["train_acc"], color=METHOD_COLORS[arm], linestyle="-", alpha=0.35, linewidth=1)
        ax.plot(x, h["test_acc"], color=METHOD_COLORS[arm], linestyle="--", linewidth=1.4)
        data[arm] = {"steps": h["steps"], "train_acc": h["train_acc"], "test_acc": h["test_acc"],
                     "epochs_to_95_test": m.epochs_to_95_test, "time_gap": m.time_gap,
                     "weak_final_test_acc": m.weak_final_test_acc}
    missing = [ARM_LABELS[a] for a in ARMS if a not in by_arm]
    if missing:
        ax.text(0.5, 0.5, "not run:\n" + "\n".join(missing), ha="center", va="center", fontsize=7,
                transform=ax.transAxes)
    ax.set_xlabel("epoch")  # linear: the late phase (1000-3000 epochs) is what the panels compare
    ax.grid(True, alpha=0.3)
    ax.set_ylim(-0.02, 1.02)
    ax.axhline(0.95, color="0.6", linewidth=0.6, linestyle=":")
    weak = data.get("groktransfer", {}).get("weak_final_test_acc")
    ax.set_title(head + (f", weak model {weak:.3f}" if weak is not None else ""), fontsize=8)
    return data


def _run(ctx: FigureContext) -> list[Path]:
    folder = _folder(ctx)
    recs = {exp: seed_records([folder], exp) for exp in EXPERIMENTS}
    exps = [e for e in EXPERIMENTS if recs[e]]
    if not exps:
        raise InputError(f"--records {folder}: no fig8b/fig16 multi-seed record (fig8b_add_<method>_grokfast_s<seed>"
                         ".json); write them with python -m xorgrok transformer --experiment fig8b --method M --seed S")
    ncols = max(len(TF_SEEDS[e]) for e in exps)
    fig, axes = new_figure(ncols, len(exps), size=(3.4, 2.8))
    data: dict[str, Any] = {"records": str(folder)}
    for row, exp in zip(axes, exps):
        by_seed: dict[int, dict[str, dict[str, Any]]] = {}
        for arm, rs in recs[exp].items():
            for r in rs:
                by_seed.setdefault(int(r["seed"]), {})[arm] = r
        data[exp] = {}
        for ax, seed in zip(row, TF_SEEDS[exp]):
            data[exp][str(seed)] = _panel(ax, by_seed.get(seed, {}), f"{EXPERIMENTS[exp]}, seed {seed}")
        for ax in row[len(TF_SEEDS[exp]):]:
            ax.set_axis_off()
        row[0].set_ylabel("accuracy")
    handles = [axes[0, 0].plot([], [], color=METHOD_COLORS[a], linestyle="--", label=f"{ARM_LABELS[a]} test")[0]
               for a in ARMS]
    handles.append(axes[0, 0].plot([], [], color="0.3", linestyle="-", alpha=0.35, label="train (same colour)")[0])
    fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8)
    title(fig, "2-layer Transformer over the rule's seeds (width-4 weak model): test dashed, train faint; "
          "dotted line = 95 % test", False)
    return save(fig, ctx.out_dir, "tf_seeds", {"quick": ctx.quick, **data})


FIGURE = Figure(name="tf-seeds", help="Fig. 8(b)/16 over seeds: GrokTransfer vs GrokFast vs random-A·B (records)",
                run=_run, add_args=add_records_arg, group="transformer")
