"""Figure support for the FNN transfer experiments: run (or load cached) records, plot accuracy curves.

Figures call `records_for` with the configs they need; runs are cached as records under the figure's
output directory (`<out>/runs`), so regenerating a figure reuses finished runs and resumes unfinished ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from xorgrok.experiments.fnn import RunConfig
from xorgrok.experiments.modular import run_configs
from xorgrok.experiments.presets import paper_config, quick_config

LABELS = {"groktransfer": "GrokTransfer", "scratch": "scratch", "grokfast": "GrokFast", "random_ab": "random A·B"}


def make_configs(task: str, method: str, seeds: Sequence[int], quick: bool, **overrides: Any) -> list[RunConfig]:
    make = quick_config if quick else paper_config
    return [make(task, method, seed=s, **overrides) for s in seeds]


def records_for(configs: Sequence[RunConfig], out_dir: Path, progress: bool = True) -> list[dict[str, Any]]:
    return run_configs(configs, Path(out_dir) / "runs", progress=progress)


def plot_curves(ax: Any, histories: Sequence[dict[str, Any]], key: str, label: str, style: dict[str, Any]) -> None:
    """Mean and [min, max] band over seeds when the logged steps agree; otherwise one thin line per seed."""
    from figures.style import plot_band

    if not histories:
        return
    steps = [tuple(h["steps"]) for h in histories]
    if len(set(steps)) == 1:
        x = np.asarray(steps[0], dtype=float) + 1
        plot_band(ax, x, [h[key] for h in histories], label, style)
        return
    for k, h in enumerate(histories):
        ax.plot(
            np.asarray(h["steps"], dtype=float) + 1,
            h[key],
            label=label if k == 0 else None,
            alpha=0.8,
            linewidth=1.0,
            **style,
        )


def plot_methods(
    ax: Any,
    recs: Sequence[dict[str, Any]],
    methods: Sequence[str],
    which: str = "target",
    labels: dict[str, str] | None = None,
) -> None:
    """Train (solid) and test (dashed) accuracy per method, method colour from figures.style."""
    from figures.style import METHOD_COLORS, TEST, TRAIN, epochs_axis

    for m in methods:
        hs = [r["history"][which] for r in recs if r["config"]["method"] == m and r["history"].get(which)]
        name = (labels or LABELS).get(m, m)
        color = METHOD_COLORS.get(m, "black")
        plot_curves(ax, hs, "train_acc", f"{name} train", {**TRAIN, "color": color})
        plot_curves(ax, hs, "test_acc", f"{name} test", {**TEST, "color": color})
    epochs_axis(ax)
    ax.set_ylabel("accuracy")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=7)


def seed_summary(recs: Sequence[dict[str, Any]], method: str) -> dict[str, list[Any]]:
    rs = sorted((r for r in recs if r["config"]["method"] == method), key=lambda r: r["seed"])
    return {
        k: [r["metrics"].get(k) for r in rs]
        for k in ("time_gap", "epochs_to_95_test", "epochs_to_99_test", "final_test_acc")
    } | {"seeds": [r["seed"] for r in rs]}


def replace_all(configs: Sequence[RunConfig], **changes: Any) -> list[RunConfig]:
    return [dataclasses.replace(c, **changes) for c in configs]
