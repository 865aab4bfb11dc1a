"""Accuracy curves of FNN transfer run records (Figs. 1(b), 6, 15): mean and band over seeds per method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from figures.style import METHOD_COLORS, TEST, TRAIN, epochs_axis, plot_band

LABELS = {"groktransfer": "GrokTransfer", "scratch": "scratch", "grokfast": "GrokFast", "random_ab": "random A·B"}


def plot_curves(ax: Any, histories: Sequence[dict[str, Any]], key: str, label: str, style: dict[str, Any]) -> None:
    """Mean and [min, max] band over seeds when the logged steps agree; otherwise one thin line per seed."""
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
