"""MNIST with large initialisation (Omnigrok), GrokTransfer vs scratch (GrokTransfer Fig. 14, review Fig. 18).

    python -m xorgrok mnist --samples 200 --quick --out runs/mnist

Setting (review-notes.md "MNIST"): init scale α = 100 for both target runs; weak three-layer MLP → target
four-layer MLP, the weak model's first layer transferred; 200 (Fig. 14) or 1000 (Fig. 18) training samples.
Models are bias-free ReLU MLPs (paper §4: "All FNNs are homogeneous and have no bias terms"):
    f(x) = W_L φ(… φ(W_2 φ(x·E))),  E ∈ R^{784×d_1} the first layer, held as an embedding module,
so GrokTransfer is the §2.2 transfer with A = E_W (784 × d_W) and B (d_W × d_1): the target's first layer
is x·A·B (`xorgrok.transfer.groktransfer_embedding`, the `project` use of the embedding).

[I] Not given by the paper or the review, our choices (stated in every record): weak d_W = 16, width 16,
trained at α = 1 (lr 1e-3, wd 0.01) until it first reaches 40 % evaluation accuracy (Fig. 14 caption:
"weak model with 40 % test accuracy"); target width 200 (Omnigrok's MNIST width); MSE loss on one-hot
targets, full batch, AdamW lr 1e-3 (Omnigrok); weight decay chosen so that decoupled decay alone could
shrink an α = 100 init by 1/100 within the epoch budget (lr·wd·epochs ≈ 5): wd 0.1 with 5·10^4 epochs,
wd 2 with 2500 epochs in --quick. The same (lr, wd) for GrokTransfer and scratch.
Data: see `xorgrok.data.mnist`; the default source draws disjoint train/eval subsets from the 10,000 test
images, and every output says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xorgrok.core.config import build_config
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError, check_choice, check_float, check_int
from xorgrok.core.io import read_record
from xorgrok.data.base import TaskData
from xorgrok.data.mnist import SOURCES, mnist_task
from xorgrok.experiments.common import Callback, WeakOutcome, transfer_run
from xorgrok.models.mlp import MLP
from xorgrok.train.history import History, first_step_reaching
from xorgrok.train.loop import LoopConfig, LoopResult, train_full_batch
from xorgrok.transfer import groktransfer_embedding, weak_embedding

METHODS = ("groktransfer", "scratch")
SAMPLES = (200, 1000)  # Fig. 14 and review Fig. 18


@dataclasses.dataclass(frozen=True)
class MnistConfig:
    n_train: int = 200
    n_eval: int = 1000
    source: str = "test-split"
    data_dir: str | None = None
    method: str = "groktransfer"  # groktransfer | scratch
    init_scale: float = 100.0
    width: int = 200
    n_layers: int = 4
    lr: float = 1e-3
    weight_decay: float = 0.1
    epochs: int = 50_000
    eval_every: int = 50
    weak_d: int = 16
    weak_width: int = 16
    weak_layers: int = 3
    weak_init_scale: float = 1.0
    weak_lr: float = 1e-3
    weak_weight_decay: float = 0.01
    weak_stop_acc: float = 0.4
    weak_epochs: int = 5000
    seed: int = 0  # subsets (streams mnist-split / mnist-train / mnist-eval), inits (mnist-weak, mnist-target)
    device: str = "auto"

    def __post_init__(self) -> None:
        check_choice("method", self.method, METHODS)
        check_choice("source", self.source, SOURCES)
        check_float("init_scale", self.init_scale, 0.0, lo_open=True)
        check_float("weak_stop_acc", self.weak_stop_acc, 0.0, 1.0)
        check_int("epochs", self.epochs, lo=0)


def mnist_preset(n_train: int, method: str, *, quick: bool = False, seed: int = 0,
                 overrides: Mapping[str, Any] | None = None) -> MnistConfig:
    """The setting for (n_train, method), `overrides` applied through `build_config`.

    --quick: 2500 epochs with wd 2 (the same lr·wd·epochs = 5 as the full 5·10^4 epochs at wd 0.1).
    """
    base = MnistConfig(n_train=n_train, method=method, seed=seed)
    if quick:
        base = dataclasses.replace(base, epochs=2500, weight_decay=2.0, eval_every=25)
    return build_config(MnistConfig, overrides, base=base)


def quick_config(n_train: int, method: str) -> MnistConfig:
    """`mnist_preset(n_train, method, quick=True)`."""
    return mnist_preset(n_train, method, quick=True)


def record_tag(n_train: int, method: str, seed: int, quick: bool) -> str:
    """File stem of a run's record: written by the CLI, read by the figures and the report."""
    return f"mnist{n_train}_{method}_s{seed}{'_quick' if quick else ''}"


def record_path(folder: Path, n_train: int, method: str, seed: int, quick: bool) -> Path:
    return Path(folder) / f"{record_tag(n_train, method, seed, quick)}.json"


def load_runs(folder: Path, n_train: int, seed: int, quick: bool) -> list[dict[str, Any]]:
    """The GrokTransfer and scratch records (in METHODS order) from `folder`; InputError names a missing one."""
    out = []
    for method in METHODS:
        path = record_path(folder, n_train, method, seed, quick)
        if not path.is_file():
            raise InputError(f"{path} not found (write it with python -m xorgrok mnist --samples {n_train}"
                             f"{' --quick' if quick else ''} --seed {seed} --out {folder})")
        out.append(read_record(path, ("config", "metrics")))
    return out


def load_task(cfg: MnistConfig) -> TaskData:
    return mnist_task(cfg.n_train, cfg.n_eval, seed=cfg.seed, source=cfg.source,
                      data_dir=Path(cfg.data_dir) if cfg.data_dir else None)


def _weak(cfg: MnistConfig, task: TaskData, progress: bool) -> WeakOutcome:
    weak = MLP(cfg.weak_d, cfg.weak_width, cfg.weak_layers, init_scale=cfg.weak_init_scale, seed=cfg.seed,
               stream="mnist-weak").to(task.x_train.device)
    res = train_full_batch(weak, task, LoopConfig(epochs=cfg.weak_epochs, lr=cfg.weak_lr,
                                                  weight_decay=cfg.weak_weight_decay, eval_every=1,
                                                  stop_at_test_acc=cfg.weak_stop_acc),
                           progress=progress, desc="weak")
    return WeakOutcome.from_loop(weak_embedding(weak), res)


def _target(cfg: MnistConfig, E_W: Any) -> MLP:
    embed = None if E_W is None else groktransfer_embedding(E_W, cfg.width, init_scale=cfg.init_scale, seed=cfg.seed)
    return MLP(cfg.width, cfg.width, cfg.n_layers, init_scale=cfg.init_scale, seed=cfg.seed, stream="mnist-target",
               embed=embed)


def _train(cfg: MnistConfig, task: TaskData, model: Any, progress: bool, callback: Callback | None) -> LoopResult:
    loop = LoopConfig(epochs=cfg.epochs, lr=cfg.lr, weight_decay=cfg.weight_decay, eval_every=cfg.eval_every)
    return train_full_batch(model, task, loop, progress=progress, desc=cfg.method, callback=callback)


def _thresholds(history: History) -> dict[str, Any]:
    return {f"epochs_to_{int(thr * 100)}_test": first_step_reaching(history, "test_acc", thr) for thr in (0.6, 0.8)}


def run(cfg: MnistConfig | dict[str, Any], progress: bool = False, quick: bool = False,
        task: TaskData | None = None, partial_path: Path | None = None) -> dict[str, Any]:
    """One target run (and its weak model for GrokTransfer) -> RunRecord dict with the data note."""
    if isinstance(cfg, dict):
        cfg = build_config(MnistConfig, cfg)
    run_cfg: MnistConfig = cfg
    device = pick_device(run_cfg.device)
    if task is None:
        task = load_task(run_cfg)
    note = task.meta["data_note"]
    dev_task = task.to(device)
    out = transfer_run(
        kind=f"mnist/{run_cfg.method}", cfg=run_cfg, device=device,
        weak=(lambda: _weak(run_cfg, dev_task, progress)) if run_cfg.method == "groktransfer" else None,
        build_target=lambda E_W: _target(run_cfg, E_W),
        train_target=lambda model, cb: _train(run_cfg, dev_task, model, progress, cb),
        partial_path=partial_path, extra_metrics=_thresholds,
        notes=[note] + (["QUICK reduced setting (2500 epochs, wd 2)"] if quick else []))
    out["data_note"] = note
    return out
