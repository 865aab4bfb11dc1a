"""Helpers shared by the transfer experiments: metric summaries, history joining, optimizer surgery."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import nn

from xorgrok.core.health import divergence_fields
from xorgrok.train.history import History, first_step_reaching, time_gap


def summarise(history: History) -> dict[str, Any]:
    """Epochs to 95 % / 99 % train and test accuracy, the Time Gap (§6.5), and final/best values.

    Epochs are the logged steps (resolution eval_every); None where a threshold is never reached.
    """
    out: dict[str, Any] = {}
    for split in ("train", "test"):
        for thr in (0.95, 0.99):
            out[f"epochs_to_{int(thr * 100)}_{split}"] = first_step_reaching(history, f"{split}_acc", thr)
    out["time_gap"] = time_gap(history, 0.95)
    out["final_train_acc"] = history.last("train_acc")
    out["final_test_acc"] = history.last("test_acc")
    out["best_test_acc"] = max(history.values["test_acc"])
    out["epochs_run"] = history.steps[-1]
    out.update(divergence_fields(history))  # a diverged run's accuracies are not measurements
    return out


def join_histories(first: History, second: History) -> History:
    """Concatenate two phases of one run; `second` starts with a re-log of `first`'s last step (dropped)."""
    out = History.from_dict(first.to_dict())
    for k, step in enumerate(second.steps):
        if step <= out.steps[-1]:
            continue
        out.log(step, **{name: col[k] for name, col in second.values.items()})
    return out


def swap_in_optimizer(opt: torch.optim.Optimizer, old: Iterable[nn.Parameter], new: Iterable[nn.Parameter]) -> None:
    """Remove `old` parameters (and their state) from `opt` and add `new` ones to its first group.

    Used when A·B is merged into one matrix mid-run (Fig. 15(b)): the body keeps its AdamW moments, the
    new full table starts with fresh moments. [I] The paper does not say how the optimizer is handled.
    """
    old_ids = {id(p) for p in old}
    for group in opt.param_groups:
        group["params"] = [p for p in group["params"] if id(p) not in old_ids]
    for p in list(opt.state):
        if id(p) in old_ids:
            del opt.state[p]
    opt.param_groups[0]["params"].extend(new)
