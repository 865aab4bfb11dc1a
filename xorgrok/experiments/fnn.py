"""Weak FNN → target FNN GrokTransfer runs (paper §4.1, Fig. 1(b), 6, 7, 15) as one pure function.

`run_one(RunConfig) -> dict` builds the task, trains (or loads) the weak model, builds the target with the
chosen embedding, trains it, and returns a RunRecord dict (config, seed, versions, git SHA, metrics,
histories, weak and target wall clock measured separately). It has no other side effect than writing a
weak checkpoint when asked, so a grid or a distributed engine can map it over a list of configs.

Methods: "groktransfer" (E_T = A·B, A = E_W, B random), "scratch" (full random E_T), "grokfast" (scratch
plus the GrokFast EMA gradient filter), "random_ab" (Fig. 15(a): A and B both random), and
"groktransfer" with `merge_epoch` set (Fig. 15(b)) or with a weak d_embed equal to the target's (Fig. 15(c)).
"""

from __future__ import annotations

import dataclasses
import io
import time
from pathlib import Path
from typing import Any

import torch

from xorgrok.core.config import build_config
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError, check_choice, check_float, check_int
from xorgrok.core.records import atomic_write_bytes, load_record
from xorgrok.core.seeding import torch_gen
from xorgrok.data.base import TaskData
from xorgrok.data.modular import make_modular
from xorgrok.data.parity import make_parity
from xorgrok.experiments.common import Callback, WeakOutcome, join_histories, summarise, swap_in_optimizer, transfer_run
from xorgrok.models.embedding import FactorisedEmbedding
from xorgrok.models.fnn import FNN, FNNConfig
from xorgrok.train.history import History
from xorgrok.train.loop import (
    GrokFastConfig,
    LoopConfig,
    LoopResult,
    log_epoch,
    make_optimizer,
    train_full_batch,
)
from xorgrok.train.losses import task_loss
from xorgrok.transfer import (
    groktransfer_embedding,
    install_embedding,
    merge_embedding,
    random_factorised_embedding,
    weak_embedding,
)

TASKS = ("add", "mul", "parity")
METHODS = ("groktransfer", "scratch", "grokfast", "random_ab")


@dataclasses.dataclass(frozen=True)
class FnnWeakConfig:
    """The weak model and its training. [I] The paper gives no weak (init, lr, wd); see docs/modular.md."""

    d_embed: int = 4
    width: int = 16
    n_layers: int = 2
    init_scale: float = 1.0
    lr: float = 0.01
    weight_decay: float = 1.0
    epochs: int = 10_000  # §6.4: "trained for 10^4 epochs"
    stop_at_test_acc: float | None = None  # parity: 0.7 (§6.4); Transformer targets: 0.3 (§6.6)
    eval_every: int = 10

    def __post_init__(self) -> None:
        for name in ("d_embed", "width", "n_layers"):
            check_int(f"weak.{name}", getattr(self, name), lo=1)
        check_float("weak.init_scale", self.init_scale, 0.0, lo_open=True)
        check_int("weak.epochs", self.epochs, lo=0)



@dataclasses.dataclass(frozen=True)
class RunConfig:
    """One target run (and the weak run it needs). Defaults: modular addition, Fig. 6(a) GrokTransfer."""

    task: str = "add"  # add | mul (modular, p = modulus) | parity ((q, k)-parity)
    method: str = "groktransfer"
    seed: int = 0  # init seed of weak and target (streams fnn-weak, fnn-target, transfer-B, random-ab-A)
    modulus: int = 113
    train_fraction: float = 0.25
    split_seed: int = 0  # the task's split / sample (its own seed, so one split serves many init seeds)
    q: int = 40
    k: int = 3
    n: int = 1000
    n_test: int = 1000
    d_embed: int = 128
    width: int = 512
    n_layers: int = 3
    init_scale: float = 0.3
    lr: float = 1e-3
    weight_decay: float = 1.0
    epochs: int = 10_000
    eval_every: int = 5
    stop_at_test_acc: float | None = None
    merge_epoch: int | None = None  # Fig. 15(b): merge A·B into E_T after this epoch
    batch_size: int | None = None  # target mini-batch size; None = full batch (one AdamW step per epoch)
    grokfast_alpha: float = 0.98
    grokfast_lamb: float = 2.0
    weak: FnnWeakConfig = dataclasses.field(default_factory=FnnWeakConfig)
    weak_checkpoint: str | None = None  # path of a saved E_W (.pt); trained inline when None
    device: str = "cpu"

    def __post_init__(self) -> None:
        if isinstance(self.weak, dict):
            object.__setattr__(self, "weak", build_config(FnnWeakConfig, self.weak))
        check_choice("task", self.task, TASKS)
        check_choice("method", self.method, METHODS)
        check_int("seed", self.seed, lo=0)
        check_int("modulus", self.modulus, lo=2)
        check_float("train_fraction", self.train_fraction, 0.0, 1.0, lo_open=True, hi_open=True)
        check_int("q", self.q, lo=1)
        check_int("k", self.k, lo=1)
        if self.k > self.q:
            raise InputError(f"k must be <= q (k={self.k}, q={self.q})")
        check_float("init_scale", self.init_scale, 0.0, lo_open=True)
        check_int("epochs", self.epochs, lo=0)
        if self.batch_size is not None:
            check_int("batch_size", self.batch_size, lo=1)
            if self.merge_epoch is not None or self.method == "grokfast":
                raise InputError("batch_size is only implemented for scratch, groktransfer and random_ab without merge")
        if self.merge_epoch is not None:
            check_int("merge_epoch", self.merge_epoch, lo=0, hi=self.epochs)
            if self.method not in ("groktransfer", "random_ab"):
                raise InputError("merge_epoch needs a factorised embedding (method groktransfer or random_ab)")

    @property
    def needs_weak(self) -> bool:
        return self.method == "groktransfer"


def make_task(cfg: RunConfig) -> TaskData:
    if cfg.task == "parity":
        return make_parity(cfg.q, cfg.k, cfg.n, cfg.n_test, seed=cfg.split_seed)
    return make_modular(cfg.modulus, cfg.task, cfg.train_fraction, cfg.split_seed)


def fnn_config(task: TaskData, d_embed: int, width: int, n_layers: int) -> FNNConfig:
    """The FNN shape for `task` (token pairs for modular tasks, dense ±1 inputs for parity)."""
    if task.binary:
        return FNNConfig(
            vocab_size=task.x_train.shape[1],
            d_embed=d_embed,
            width=width,
            n_layers=n_layers,
            n_out=1,
            input_mode="dense",
        )
    return FNNConfig(
        vocab_size=task.meta["vocab_size"],
        d_embed=d_embed,
        width=width,
        n_layers=n_layers,
        n_out=int(task.n_classes or 0),
        n_tokens=task.meta["n_tokens"],
    )



def train_weak_fnn(
    weak: FnnWeakConfig, seed: int, task: TaskData, progress: bool = False, callback: Callback | None = None
) -> tuple[FNN, LoopResult]:
    """Train the weak FNN `weak` on `task` from stream "fnn-weak" of `seed` (the FNN and Transformer runs)."""
    model = FNN(fnn_config(task, weak.d_embed, weak.width, weak.n_layers), init_scale=weak.init_scale, seed=seed,
                stream="fnn-weak")
    model.to(task.x_train.device)
    loop = LoopConfig(
        epochs=weak.epochs,
        lr=weak.lr,
        weight_decay=weak.weight_decay,
        eval_every=weak.eval_every,
        stop_at_test_acc=weak.stop_at_test_acc,
    )
    return model, train_full_batch(model, task, loop, progress=progress, desc="weak", callback=callback)


def train_weak(
    cfg: RunConfig, task: TaskData, progress: bool = False, callback: Callback | None = None
) -> tuple[FNN, LoopResult]:
    """Train the weak model of `cfg` on the same split as the target (init seed = cfg.seed).

    `callback(epoch, model, history)` is passed to the loop (e.g. to save E_W checkpoints, Fig. 7).
    """
    return train_weak_fnn(cfg.weak, cfg.seed, task, progress=progress, callback=callback)


def build_target(cfg: RunConfig, task: TaskData, E_W: torch.Tensor | None) -> FNN:
    """The target FNN (stream "fnn-target"): E_T = A·B with A = E_W (groktransfer), A random (random_ab:
    the same B and body as groktransfer for the same seed), or a full random table (scratch, grokfast)."""
    model = FNN(fnn_config(task, cfg.d_embed, cfg.width, cfg.n_layers), init_scale=cfg.init_scale, seed=cfg.seed,
                stream="fnn-target")
    vocab = model.cfg.vocab_size
    if cfg.method == "groktransfer":
        assert E_W is not None
        install_embedding(
            model,
            groktransfer_embedding(E_W, cfg.d_embed, init_scale=cfg.init_scale, seed=cfg.seed, vocab_size=vocab),
        )
    elif cfg.method == "random_ab":
        install_embedding(
            model,
            random_factorised_embedding(vocab, cfg.weak.d_embed, cfg.d_embed, init_scale=cfg.init_scale, seed=cfg.seed),
        )
    return model


def train_target(
    cfg: RunConfig, task: TaskData, model: FNN, progress: bool = False, callback: Any = None
) -> LoopResult:
    """Train the target; `callback(epoch, model, history)` is passed to the loop (e.g. partial records)."""
    gf = GrokFastConfig(cfg.grokfast_alpha, cfg.grokfast_lamb) if cfg.method == "grokfast" else None
    loop = LoopConfig(
        epochs=cfg.epochs,
        lr=cfg.lr,
        weight_decay=cfg.weight_decay,
        eval_every=cfg.eval_every,
        stop_at_test_acc=cfg.stop_at_test_acc,
        grokfast=gf,
    )
    if cfg.batch_size is not None:
        return train_minibatch(model, task, loop, cfg.batch_size, torch_gen(cfg.seed, "fnn-target", "batch-order"),
                               callback=callback)
    if cfg.merge_epoch is None:
        return train_full_batch(model, task, loop, progress=progress, desc=cfg.method, callback=callback)
    first = train_full_batch(
        model,
        task,
        dataclasses.replace(loop, epochs=cfg.merge_epoch),
        progress=progress,
        desc=f"{cfg.method} (A·B)",
    )
    stopped_early = first.epochs_run < cfg.merge_epoch
    if stopped_early or cfg.merge_epoch == cfg.epochs:
        return first
    factorised = model.embed
    full = merge_embedding(model)  # refuses anything but a FactorisedEmbedding
    assert first.optimizer is not None and isinstance(factorised, FactorisedEmbedding)
    swap_in_optimizer(first.optimizer, [factorised.A, factorised.B], [full.weight])
    second = train_full_batch(
        model,
        task,
        loop,
        progress=progress,
        desc=f"{cfg.method} (merged)",
        optimizer=first.optimizer,
        start_epoch=cfg.merge_epoch,
    )
    return LoopResult(
        history=join_histories(first.history, second.history),
        wall_s=first.wall_s + second.wall_s,
        epochs_run=second.epochs_run,
        train_s=first.train_s + second.train_s,
        optimizer=second.optimizer,
    )


def train_minibatch(
    model: torch.nn.Module,
    task: TaskData,
    loop: LoopConfig,
    batch_size: int,
    gen: torch.Generator,
    callback: Any = None,
) -> LoopResult:
    """Mini-batch AdamW: each epoch visits the training set in a fresh random order (generator `gen`), one step
    per batch of `batch_size` (the last batch may be smaller); logged as `train_full_batch` logs (every
    eval_every epochs, same metrics, same early stop). With batch_size >= the training set it takes exactly
    the full-batch steps (a test checks that the two loops then agree)."""
    n = task.x_train.shape[0]
    opt = make_optimizer(model, loop)
    hist = History()
    t0 = time.perf_counter()
    train_s = 0.0

    def log(epoch: int) -> bool:
        te_acc, bad = log_epoch(model, task, hist, epoch)
        if bad is not None:
            return True
        stop = bool(callback(epoch, model, hist)) if callback is not None else False
        return stop or (loop.stop_at_test_acc is not None and te_acc >= loop.stop_at_test_acc)

    model.train()
    stopped = log(0)
    for epoch in range(1, loop.epochs + 1):
        if stopped:
            break
        t_step = time.perf_counter()
        order = torch.randperm(n, generator=gen).to(task.x_train.device) if batch_size < n else None
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size] if order is not None else slice(None)
            opt.zero_grad(set_to_none=True)
            task_loss(task.loss, model(task.x_train[idx]), task.y_train[idx]).backward()
            opt.step()
        train_s += time.perf_counter() - t_step
        if epoch % loop.eval_every == 0 or epoch == loop.epochs:
            stopped = log(epoch)
    return LoopResult(history=hist, wall_s=time.perf_counter() - t0, epochs_run=hist.steps[-1], train_s=train_s,
                      optimizer=opt)


def get_weak_embedding(cfg: RunConfig, task: TaskData, progress: bool = False) -> WeakOutcome:
    """E_W from `cfg.weak_checkpoint` if given (with the weak record stored beside it, when there is one),
    else trained now."""
    if cfg.weak_checkpoint is not None:
        path = Path(cfg.weak_checkpoint)
        if not path.exists():
            raise InputError(f"weak_checkpoint {str(path)!r} does not exist")
        try:
            blob = torch.load(path, map_location="cpu", weights_only=True)
            blob["E_W"]
        except Exception as exc:  # truncated zip, foreign pickle, missing key: all mean "not our checkpoint"
            raise InputError(f"weak checkpoint {path} is truncated or not a checkpoint of this toolkit "
                             f"({type(exc).__name__}); delete it and rerun to retrain the weak model") from None
        info = path.with_suffix(".json")
        saved = load_record(info) if info.is_file() else {}
        return WeakOutcome(
            blob["E_W"],
            float(blob.get("wall_s", float("nan"))),
            float(blob.get("train_s", float("nan"))),
            metrics=saved.get("metrics"),
            history=saved.get("history"),
            source=f"checkpoint {path}",
        )
    model, res = train_weak(cfg, task, progress=progress)
    return WeakOutcome.from_loop(weak_embedding(model), res)


def run_one(
    cfg: RunConfig | dict[str, Any],
    progress: bool = False,
    callback: Callback | None = None,
    partial_path: Path | None = None,
) -> dict[str, Any]:
    """Run one configuration; return its RunRecord as a dict (metrics, both wall clocks, histories).

    `partial_path`: write the partial record there during training. `callback(epoch, model, history)`
    sees the target's logged epochs (not the merged phase of Fig. 15(b)); it replaces the partial writer.
    """
    if isinstance(cfg, dict):
        cfg = build_config(RunConfig, cfg)
    run_cfg: RunConfig = cfg
    device = pick_device(run_cfg.device)
    task = make_task(run_cfg).to(device)
    return transfer_run(
        kind=f"fnn_transfer/{run_cfg.task}/{run_cfg.method}",
        cfg=run_cfg,
        device=device,
        weak=(lambda: get_weak_embedding(run_cfg, task, progress=progress)) if run_cfg.needs_weak else None,
        build_target=lambda E_W: build_target(run_cfg, task, E_W),
        train_target=lambda model, cb: train_target(run_cfg, task, model, progress=progress,  # type: ignore[arg-type]
                                                    callback=callback or cb),
        partial_path=partial_path,
    )


def save_weak_checkpoint(cfg: RunConfig, path: str | Path, progress: bool = False) -> dict[str, Any]:
    """Train the weak model of `cfg` and save {'E_W', 'wall_s', 'train_s', 'config'} to `path` atomically.

    Returns the weak run's {'metrics', 'history', 'wall_s'} (callers store it beside, as `<path>.json`).
    """
    task = make_task(cfg).to(pick_device(cfg.device))
    model, res = train_weak(cfg, task, progress=progress)
    buf = io.BytesIO()
    torch.save(
        {
            "E_W": weak_embedding(model),
            "wall_s": res.wall_s,
            "train_s": res.train_s,
            "config": dataclasses.asdict(cfg.weak),
        },
        buf,
    )
    atomic_write_bytes(path, buf.getvalue())
    return {"metrics": summarise(res.history), "history": res.history.to_dict(), "wall_s": res.wall_s}
