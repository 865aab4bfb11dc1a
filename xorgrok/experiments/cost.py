"""Per-epoch training cost of the weak and target models, measured back to back in one process.

On a shared CPU the load changes over an hour-long run, so wall clocks of runs taken at different times
are not comparable. `per_epoch_costs` times short bursts of full-batch training (forward + backward +
AdamW step, no evaluation) of the weak model and the target, alternating W, T, W, T, … so both see the
same load, and returns the median seconds per epoch of each. `combined_ratio` turns epoch counts into
the Table 1 style ratio  scratch / (weak + GrokTransfer target).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import torch

from xorgrok.errors import check_int
from xorgrok.experiments.pipeline import RunConfig, _fnn_config, make_task
from xorgrok.models.fnn import FNN
from xorgrok.tasks.base import TaskData
from xorgrok.train.loop import LoopConfig, make_optimizer
from xorgrok.train.losses import task_loss


def _burst(model: FNN, task: TaskData, opt: torch.optim.Optimizer, epochs: int) -> float:
    t0 = time.perf_counter()
    for _ in range(epochs):
        opt.zero_grad(set_to_none=True)
        task_loss(task.loss, model(task.x_train), task.y_train).backward()
        opt.step()
    return (time.perf_counter() - t0) / epochs


def per_epoch_costs(cfg: RunConfig, rounds: int = 5, weak_epochs: int = 40, target_epochs: int = 4) -> dict[str, Any]:
    """Median train-only seconds per epoch of cfg's weak model and target, alternated `rounds` times."""
    rounds = check_int("rounds", rounds, lo=1)
    task = make_task(cfg)
    w = cfg.weak
    weak = FNN(_fnn_config(task, w.d_embed, w.width, w.n_layers), init_scale=w.init_scale, seed=cfg.seed)
    target = FNN(_fnn_config(task, cfg.d_embed, cfg.width, cfg.n_layers), init_scale=cfg.init_scale, seed=cfg.seed)
    ow = make_optimizer(weak, LoopConfig(lr=w.lr, weight_decay=w.weight_decay))
    ot = make_optimizer(target, LoopConfig(lr=cfg.lr, weight_decay=cfg.weight_decay))
    _burst(weak, task, ow, 2)  # warm-up: first calls allocate
    _burst(target, task, ot, 1)
    tw, tt = [], []
    for _ in range(rounds):
        tw.append(_burst(weak, task, ow, weak_epochs))
        tt.append(_burst(target, task, ot, target_epochs))
    return {
        "weak_s_per_epoch": statistics.median(tw),
        "target_s_per_epoch": statistics.median(tt),
        "weak_samples": tw,
        "target_samples": tt,
        "threads": torch.get_num_threads(),
    }


def combined_ratio(costs: dict[str, Any], weak_epochs: int, gt_epochs: int, scratch_epochs: int) -> float:
    """(scratch epochs × target cost) / (weak epochs × weak cost + GT epochs × target cost)."""
    tw, tt = costs["weak_s_per_epoch"], costs["target_s_per_epoch"]
    return scratch_epochs * tt / (weak_epochs * tw + gt_epochs * tt)
