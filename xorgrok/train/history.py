"""Metric history shared by every trainer, and the grokking metrics computed from it.

A History is a list of logged steps plus one list per metric, so every task (XOR, modular
arithmetic, parity, MNIST) reports the same way and the same metric code applies.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from xorgrok.core.errors import check_float, check_int


@dataclasses.dataclass
class History:
    """steps[k] is the step (epoch) at which values[name][k] was measured."""

    steps: list[int] = dataclasses.field(default_factory=list)
    values: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    # set by the engines when a logged loss or output stopped being finite (see xorgrok.core.health)
    diverged_at: int | None = None
    diverged_quantity: str | None = None

    def mark_diverged(self, step: int, quantity: str) -> None:
        if self.diverged_at is None:  # the first blow-up is the one that matters
            self.diverged_at, self.diverged_quantity = int(step), quantity

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    def log(self, step: int, **metrics: float) -> None:
        if self.steps and step <= self.steps[-1]:
            raise ValueError(f"steps must increase: {step} after {self.steps[-1]}")
        for name in metrics:
            if name not in self.values:
                # a metric that appears late is padded with NaN, so all lists stay aligned with steps
                self.values[name] = [math.nan] * len(self.steps)
        self.steps.append(int(step))
        for name, col in self.values.items():
            col.append(float(metrics.get(name, math.nan)))

    def __getitem__(self, name: str) -> np.ndarray:
        return np.asarray(self.values[name], dtype=float)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def last(self, name: str) -> float:
        return self.values[name][-1]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"steps": list(self.steps), **{k: list(v) for k, v in self.values.items()}}
        if self.diverged_at is not None:
            out["diverged_at"], out["diverged_quantity"] = self.diverged_at, self.diverged_quantity
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> History:
        """Inverse of to_dict; null entries (how strict JSON stores NaN/inf) read back as NaN."""
        h = cls(steps=[int(s) for s in d["steps"]])
        skip = ("steps", "diverged_at", "diverged_quantity")
        h.values = {k: [math.nan if x is None else float(x) for x in v] for k, v in d.items() if k not in skip}
        if d.get("diverged_at") is not None:
            h.mark_diverged(int(d["diverged_at"]), str(d.get("diverged_quantity")))
        return h


def log_spaced_steps(total: int, per_decade: int = 20) -> list[int]:
    """Steps 0..total, dense near 0 and log-spaced after, always including 0, 1 and total."""
    total = check_int("total", total, lo=0)
    per_decade = check_int("per_decade", per_decade, lo=1)
    if total == 0:
        return [0]
    k = max(2, int(math.ceil(per_decade * math.log10(total + 1))) + 1)
    pts = np.unique(np.round(np.logspace(0, math.log10(total + 1), k) - 1).astype(int))
    return sorted(set(pts.tolist()) | {0, 1, total})


def first_step_reaching(history: History, name: str, threshold: float) -> int | None:
    """First logged step at which metric `name` is >= threshold; None if never."""
    threshold = check_float("threshold", threshold)
    for step, v in zip(history.steps, history.values[name]):
        if v >= threshold:
            return step
    return None


def time_gap(
    history: History, threshold: float = 0.95, train: str = "train_acc", test: str = "test_acc"
) -> int | None:
    """GrokTransfer §6.5 'Time Gap': first step with test >= thr minus first step with train >= thr.

    None when either never reaches the threshold (the paper plots 1/TimeGap = 0 then).
    """
    t_test = first_step_reaching(history, test, threshold)
    t_train = first_step_reaching(history, train, threshold)
    if t_test is None or t_train is None:
        return None
    return t_test - t_train


def mean_band(curves: Iterable[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and [min, max] band over seeds of equally long curves."""
    arr = np.vstack([np.asarray(c, dtype=float) for c in curves])
    return arr.mean(0), arr.min(0), arr.max(0)
