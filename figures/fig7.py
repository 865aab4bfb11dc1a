"""Fig. 7: the target's behaviour against how long the weak model trained (modular addition, §6.5).

Per seed, one weak model is trained with E_W saved at epochs {100, 500, 800, 900, 1000, 1100, 1500, 2000};
a GrokTransfer target (Fig. 6(a) setting, 10^4 epochs) is trained from each checkpoint. Plotted against
the weak epoch: the weak test accuracy at the checkpoint, the target's final test accuracy, and 1/TimeGap
(0 when the target never reaches 95 % test accuracy; a gap ≤ 0 is drawn as 1/max(gap, 1)).
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import numpy as np
import torch

from figures.registry import Figure, FigureContext
from figures.style import METHOD_COLORS, new_figure, save, title
from xorgrok.core.records import atomic_write_bytes, atomic_write_json
from xorgrok.experiments.common import RunMetrics
from xorgrok.experiments.curves import records_for
from xorgrok.experiments.fnn import RunConfig, make_task, train_weak
from xorgrok.experiments.modular import weak_path
from xorgrok.experiments.presets import paper_config, quick_config
from xorgrok.transfer import weak_embedding

PAPER_EPOCHS = (100, 500, 800, 900, 1000, 1100, 1500, 2000)
QUICK_EPOCHS = (100, 300, 600)


def weak_checkpoints(base: RunConfig, epochs: tuple[int, ...], out_dir: Path) -> dict[int, tuple[str, float]]:
    """Train base's weak model once to max(epochs), saving E_W at each listed epoch (reused when saved).

    Returns {epoch: (checkpoint path, weak test accuracy at that epoch)}.
    """
    key = weak_path(out_dir, base)
    paths = {e: key.with_name(f"{key.stem}-ep{e}.pt") for e in epochs}
    meta = key.with_name(f"{key.stem}-checkpoints.json")
    if meta.exists() and all(p.exists() for p in paths.values()):
        accs = json.loads(meta.read_text())["test_acc"]
        return {e: (str(paths[e]), float(accs[str(e)])) for e in epochs}
    cfg = dataclasses.replace(base, weak=dataclasses.replace(base.weak, epochs=max(epochs), eval_every=10))
    saved: dict[int, float] = {}

    def grab(epoch: int, model: torch.nn.Module, hist) -> None:
        if epoch in paths:
            buf = io.BytesIO()
            torch.save({"E_W": weak_embedding(model), "epoch": epoch}, buf)
            atomic_write_bytes(paths[epoch], buf.getvalue())
            saved[epoch] = hist.last("test_acc")

    train_weak(cfg, make_task(cfg), callback=grab)
    atomic_write_json(meta, {"test_acc": {str(e): a for e, a in saved.items()}})
    return {e: (str(paths[e]), saved[e]) for e in epochs}


def inv_gap(gap: int | None) -> float:
    return 0.0 if gap is None else 1.0 / max(gap, 1)


def run(ctx: FigureContext) -> list[Path]:
    n = ctx.n_seeds or (1 if ctx.quick else 5)
    epochs = QUICK_EPOCHS if ctx.quick else PAPER_EPOCHS
    make = quick_config if ctx.quick else paper_config
    out = ctx.out_dir / "fig7"
    rows = []
    for s in range(ctx.seed, ctx.seed + n):
        base = make("add", "groktransfer", seed=s, device=ctx.device)
        cks = weak_checkpoints(base, epochs, out)
        configs = [dataclasses.replace(base, weak_checkpoint=cks[e][0]) for e in epochs]
        recs = records_for(configs, out, progress=ctx.progress)
        for e, r in zip(epochs, recs, strict=True):
            m = RunMetrics.from_record(r)
            rows.append(
                {
                    "seed": s,
                    "weak_epoch": e,
                    "weak_test_acc": cks[e][1],
                    "target_final_test_acc": m.final_test_acc,
                    "time_gap": m.time_gap,
                    "inv_time_gap": inv_gap(m.time_gap),
                }
            )
    fig, axes = new_figure(2, 1, size=(4.8, 3.6))
    x = np.array(epochs, dtype=float)

    def mean_of(key: str) -> np.ndarray:
        return np.array([np.mean([r[key] for r in rows if r["weak_epoch"] == e]) for e in epochs])

    ax = axes[0, 0]
    ax.plot(x, mean_of("weak_test_acc"), "o-", color="gray", label="weak test acc at checkpoint")
    ax.plot(
        x, mean_of("target_final_test_acc"), "s-", color=METHOD_COLORS["groktransfer"], label="target final test acc"
    )
    ax.set_xlabel("weak model epochs")
    ax.set_ylabel("accuracy")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    ax.plot(x, mean_of("inv_time_gap"), "o-", color=METHOD_COLORS["groktransfer"])
    ax.set_xlabel("weak model epochs")
    ax.set_ylabel("1 / TimeGap (0: never 95 % test)")
    base = make("add", "groktransfer")
    title(
        fig,
        f"Fig. 7: weak training length vs target (p={base.modulus}, target {base.epochs} ep., {n} seed(s))",
        ctx.quick,
    )
    return save(fig, ctx.out_dir, "fig7", {"rows": rows, "quick": ctx.quick})


FIGURE = Figure(
    name="fig7", help="weak-model training length vs target behaviour, 1/TimeGap (Fig. 7)", run=run, group="modular"
)
