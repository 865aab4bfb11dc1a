"""Full-batch training loop for any torch model on any TaskData (modular, parity, MNIST, XOR).

One loop for every task: AdamW (the paper's §4 default) or plain SGD, optional GrokFast EMA gradient
filter, per-epoch train/test loss, accuracy and weight norm, optional early stop at a test accuracy.
The XOR theory runs use the exact GD engines in `gd.py` / `gram.py` instead; they log into the same
History so the metrics code is shared.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable

import torch
from torch import nn
from tqdm.auto import tqdm

from xorgrok.core.errors import InputError, check_choice, check_float, check_int
from xorgrok.core.health import ON_DIVERGE, first_nonfinite
from xorgrok.data.base import TaskData
from xorgrok.train.history import History
from xorgrok.train.losses import accuracy, task_loss


@dataclasses.dataclass
class GrokFastConfig:
    """GrokFast-EMA (Lee et al. 2024): g <- g + lamb * EMA_alpha(g). Their defaults alpha 0.98, lamb 2."""

    alpha: float = 0.98
    lamb: float = 2.0

    def __post_init__(self) -> None:
        check_float("grokfast.alpha", self.alpha, 0.0, 1.0, hi_open=True)
        check_float("grokfast.lamb", self.lamb, 0.0)


@dataclasses.dataclass
class LoopConfig:
    epochs: int = 1000
    lr: float = 1e-3
    weight_decay: float = 1.0
    # "adamw" | "adam" (coupled L2: wd·θ added to the gradient before the moments, the GrokFast code's
    # optimizer) | "sgd" (full-batch GD, PyTorch weight-decay form)
    optimizer: str = "adamw"
    betas: tuple[float, float] = (0.9, 0.98)
    grokfast: GrokFastConfig | None = None
    eval_every: int = 1
    stop_at_test_acc: float | None = None  # stop once test accuracy reaches this (cost measurements)
    grad_clip: float | None = None
    warmup_steps: int = 0  # linear lr warm-up: lr * min(1, step / warmup_steps) for the first updates
    # a non-finite logged loss or weight norm: "stop" ends the run there (recorded in History.diverged_*),
    # "mark" records it and trains on
    on_diverge: str = "stop"

    def __post_init__(self) -> None:
        check_int("epochs", self.epochs, lo=0)
        check_int("warmup_steps", self.warmup_steps, lo=0)
        check_float("lr", self.lr, 0.0, lo_open=True)
        check_float("weight_decay", self.weight_decay, 0.0)
        check_choice("optimizer", self.optimizer, ("adamw", "adam", "sgd"))
        check_int("eval_every", self.eval_every, lo=1)
        check_choice("on_diverge", self.on_diverge, ON_DIVERGE)
        if self.stop_at_test_acc is not None:
            check_float("stop_at_test_acc", self.stop_at_test_acc, 0.0, 1.0)


@dataclasses.dataclass
class LoopResult:
    history: History
    wall_s: float  # training wall-clock, evaluation included
    epochs_run: int
    # added for the transfer experiments (all defaulted, so older call sites are unaffected):
    train_s: float = math.nan  # forward + backward + optimizer step only (evaluation excluded)
    optimizer: torch.optim.Optimizer | None = None  # to continue training (merge, Fig. 15b)


def weight_norm(model: nn.Module) -> float:
    """Global L2 norm of all trainable parameters."""
    with torch.no_grad():
        sq = sum(float((p.detach().double() ** 2).sum()) for p in model.parameters() if p.requires_grad)
    return sq**0.5


def make_optimizer(model: nn.Module, cfg: LoopConfig) -> torch.optim.Optimizer:
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise InputError("model has no trainable parameters")
    if cfg.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay, betas=cfg.betas)
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay, betas=cfg.betas)
    return torch.optim.SGD(params, lr=cfg.lr, weight_decay=cfg.weight_decay)


@torch.no_grad()
def evaluate(model: nn.Module, task: TaskData, split: str) -> tuple[float, float]:
    x, y = (task.x_train, task.y_train) if split == "train" else (task.x_test, task.y_test)
    out = model(x)
    return float(task_loss(task.loss, out, y)), accuracy(out, y, task.binary)


def log_epoch(model: nn.Module, task: TaskData, hist: History, epoch: int) -> tuple[float, str | None]:
    """Evaluate on train and test, log one History row (losses, accuracies, weight norm) and mark the history
    diverged at the first non-finite quantity; returns (test accuracy, that quantity or None)."""
    model.eval()
    tr_loss, tr_acc = evaluate(model, task, "train")
    te_loss, te_acc = evaluate(model, task, "test")
    model.train()
    wn = weight_norm(model)
    hist.log(epoch, train_loss=tr_loss, train_acc=tr_acc, test_loss=te_loss, test_acc=te_acc, weight_norm=wn)
    bad = first_nonfinite({"train_loss": tr_loss, "test_loss": te_loss, "weight_norm": wn})
    if bad is not None:
        hist.mark_diverged(epoch, bad)
    return te_acc, bad


def train_full_batch(
    model: nn.Module,
    task: TaskData,
    cfg: LoopConfig,
    *,
    progress: bool = False,
    callback: Callable[[int, nn.Module, History], bool | None] | None = None,
    desc: str = "train",
    optimizer: torch.optim.Optimizer | None = None,
    start_epoch: int = 0,
) -> LoopResult:
    """Train `model` on the whole training set each epoch; log metrics at epoch 0 and every eval_every.

    `callback(epoch, model, history)` runs after each logged epoch; returning True stops training
    (e.g. to take a weak-model checkpoint at a target accuracy).
    `optimizer` (default: a fresh one from cfg) and `start_epoch` (default 0) let a caller continue a run:
    epochs start_epoch+1 .. cfg.epochs are trained and the first log is at start_epoch.
    """
    start_epoch = check_int("start_epoch", start_epoch, lo=0, hi=cfg.epochs)
    opt = optimizer if optimizer is not None else make_optimizer(model, cfg)
    # warm-up as in the GrokFast code (LambdaLR, factor update/W for the first W updates); None when off
    sched = (torch.optim.lr_scheduler.LambdaLR(opt, lambda k: min(1.0, k / cfg.warmup_steps))
             if cfg.warmup_steps > 0 else None)
    ema: dict[int, torch.Tensor] = {}
    hist = History()

    def log(epoch: int) -> bool:
        te_acc, bad = log_epoch(model, task, hist, epoch)
        if bad is not None and cfg.on_diverge == "stop":
            return True
        stop = bool(callback(epoch, model, hist)) if callback is not None else False
        if cfg.stop_at_test_acc is not None and te_acc >= cfg.stop_at_test_acc:
            stop = True
        return stop

    t0 = time.perf_counter()
    train_s = 0.0
    model.train()
    stopped = log(start_epoch)
    bar = tqdm(range(start_epoch + 1, cfg.epochs + 1), desc=desc, disable=not progress or stopped,
               leave=False)
    for epoch in bar:
        if stopped:
            break
        t_step = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = task_loss(task.loss, model(task.x_train), task.y_train)
        loss.backward()
        if cfg.grokfast is not None:
            _grokfast_ema(model, ema, cfg.grokfast)
        if cfg.grad_clip is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        opt.step()
        if sched is not None:
            sched.step()
        if task.x_train.is_cuda:  # CUDA kernels are asynchronous: wait, so train_s is the step's real time
            torch.cuda.synchronize(task.x_train.device)
        train_s += time.perf_counter() - t_step
        if epoch % cfg.eval_every == 0 or epoch == cfg.epochs:
            stopped = log(epoch)
            if progress:
                bar.set_postfix(train=f"{hist.last('train_acc'):.3f}", test=f"{hist.last('test_acc'):.3f}")
    bar.close()
    return LoopResult(history=hist, wall_s=time.perf_counter() - t0, epochs_run=hist.steps[-1],
                      train_s=train_s, optimizer=opt)


def _grokfast_ema(model: nn.Module, ema: dict[int, torch.Tensor], gf: GrokFastConfig) -> None:
    """In place: ema <- alpha*ema + (1-alpha)*g ; g <- g + lamb*ema (ironjr/grokfast gradfilter_ema)."""
    for i, p in enumerate(model.parameters()):
        if p.grad is None:
            continue
        if i not in ema:
            ema[i] = p.grad.detach().clone()
        else:
            ema[i].mul_(gf.alpha).add_(p.grad.detach(), alpha=1 - gf.alpha)
        p.grad.add_(ema[i], alpha=gf.lamb)
