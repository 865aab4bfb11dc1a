"""Plain full-batch gradient descent with autograd: the obviously-correct reference engine.

Update (PyTorch SGD form, the default):     θ ← θ − α(∇L̂(θ) + λθ)  =  (1 − αλ)θ − α∇L̂(θ)
Update (GrokTransfer §3.1 as printed):      θ ← (1 − λ)θ − α∇L̂(θ)
The two coincide after rescaling λ by α; the paper's hyperparameters (lr 0.1, wd 0.1) are read in the
PyTorch form by default because the experiments were run with PyTorch (App. A.3).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence

import torch
from tqdm.auto import tqdm

from xorgrok.core.errors import InputError, check_choice, check_float, check_int
from xorgrok.core.health import ON_DIVERGE, first_nonfinite
from xorgrok.train.history import History, log_spaced_steps
from xorgrok.train.losses import BINARY_LOSSES, accuracy, margin_loss

WD_FORMS = ("torch", "paper")


@dataclasses.dataclass
class GDConfig:
    steps: int = 100
    lr: float = 0.1
    weight_decay: float = 0.0
    wd_form: str = "torch"
    loss: str = "exp"
    log: str = "log"  # "log": log-spaced steps; "every": every step
    per_decade: int = 20
    keep_train_logits: bool = False  # keep f(x_train) at every logged step (engine comparisons)
    # what a non-finite logged loss/output does: "mark" (default: the XOR figures plot the whole curve and
    # show where it blew up) records it in History.diverged_* and goes on; "stop" also ends the run there
    on_diverge: str = "mark"

    def __post_init__(self) -> None:
        check_int("steps", self.steps, lo=0)
        check_float("lr", self.lr, 0.0, lo_open=True)
        check_float("weight_decay", self.weight_decay, 0.0)
        check_choice("wd_form", self.wd_form, WD_FORMS)
        check_choice("loss", self.loss, BINARY_LOSSES)
        check_choice("log", self.log, ("log", "every"))
        check_int("per_decade", self.per_decade, lo=1)
        check_choice("on_diverge", self.on_diverge, ON_DIVERGE)

    def decay(self) -> float:
        """Multiplicative weight-decay factor per step."""
        return 1.0 - (self.lr * self.weight_decay if self.wd_form == "torch" else self.weight_decay)

    def logged_steps(self) -> set[int]:
        if self.log == "every":
            return set(range(self.steps + 1))
        return set(log_spaced_steps(self.steps, self.per_decade))


@dataclasses.dataclass
class Split:
    """Binary-task full batch: y in {±1}. The test part may be empty (0 rows)."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor

    def __post_init__(self) -> None:
        if self.x_train.shape[0] != self.y_train.shape[0] or self.x_test.shape[0] != self.y_test.shape[0]:
            raise InputError("x and y must have the same number of rows in each split")


@dataclasses.dataclass
class GDResult:
    history: History
    params: dict[str, torch.Tensor] | None  # final parameters (None if the engine did not materialise W)
    wall_s: float
    engine: str
    train_logits: list[torch.Tensor] = dataclasses.field(default_factory=list)
    setup_s: float = 0.0  # engine set-up (Gram matrices) before the first step
    step_s: float = 0.0  # total time of the update steps (forward + gradient + update), logging excluded
    n_updates: int = 0


def binary_metrics(loss: str, f: torch.Tensor, y: torch.Tensor, prefix: str) -> dict[str, float]:
    if f.numel() == 0:
        return {}
    return {
        f"{prefix}_loss": float(margin_loss(loss, y * f).mean()),
        f"{prefix}_acc": accuracy(f, y, binary=True),
    }


def gd_train(
    forward: Callable[[dict[str, torch.Tensor], torch.Tensor], torch.Tensor],
    params: dict[str, torch.Tensor],
    trainable: Sequence[str],
    split: Split,
    cfg: GDConfig,
    *,
    extra_metrics: Callable[[dict[str, torch.Tensor]], dict[str, float]] | None = None,
    progress: bool = False,
    desc: str = "GD (plain)",
) -> GDResult:
    """Full-batch GD with autograd on `trainable` params of `forward(params, x) -> scores (n,)`."""
    unknown = set(trainable) - set(params)
    if unknown:
        raise InputError(f"trainable names {sorted(unknown)} are not parameters ({sorted(params)})")
    P = {k: v.detach().clone().requires_grad_(k in trainable) for k, v in params.items()}
    logged = cfg.logged_steps()
    hist = History()
    logits: list[torch.Tensor] = []
    decay = cfg.decay()
    t0 = time.perf_counter()

    def log(step: int, f_train: torch.Tensor) -> bool:
        """Log one step; True if the run must stop here (a non-finite value with on_diverge='stop')."""
        with torch.no_grad():
            f_test = forward(P, split.x_test) if split.x_test.shape[0] else split.x_test.new_zeros(0)
            m = binary_metrics(cfg.loss, f_train, split.y_train, "train")
            m.update(binary_metrics(cfg.loss, f_test, split.y_test, "test"))
            if extra_metrics is not None:
                m.update(extra_metrics(P))
        hist.log(step, **m)
        if cfg.keep_train_logits:
            logits.append(f_train.detach().clone())
        bad = first_nonfinite({"train_loss": m.get("train_loss"), "train outputs": f_train,
                               "test_loss": m.get("test_loss"), "test outputs": f_test})
        if bad is not None:
            hist.mark_diverged(step, bad)
        return bad is not None and cfg.on_diverge == "stop"

    step_s = 0.0
    for step in tqdm(range(cfg.steps + 1), desc=desc, disable=not progress, leave=False):
        ts = time.perf_counter()
        f = forward(P, split.x_train)
        t_fwd = time.perf_counter() - ts
        if step in logged and log(step, f.detach()):
            break
        if step == cfg.steps:
            break
        ts = time.perf_counter()
        loss = margin_loss(cfg.loss, split.y_train * f).mean()
        grads = torch.autograd.grad(loss, [P[k] for k in trainable])
        with torch.no_grad():
            for k, g in zip(trainable, grads):
                P[k].mul_(decay).sub_(cfg.lr * g)
        step_s += t_fwd + time.perf_counter() - ts
    final = {k: v.detach() for k, v in P.items()}
    bad = first_nonfinite({f"parameter {k}": v for k, v in final.items()})
    if bad is not None:
        hist.mark_diverged(hist.steps[-1] if hist.steps else 0, bad)
    return GDResult(history=hist, params=final, wall_s=time.perf_counter() - t0, engine="plain",
                    train_logits=logits, step_s=step_s, n_updates=hist.steps[-1] if hist.steps else 0)
