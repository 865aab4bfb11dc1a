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
from pathlib import Path
from typing import Any

from xorgrok.core.config import from_dict
from xorgrok.core.device import pick_device
from xorgrok.core.errors import check_choice, check_float, check_int
from xorgrok.core.records import RunRecord
from xorgrok.data.base import TaskData
from xorgrok.data.mnist import SOURCES, mnist_task
from xorgrok.experiments.common import summarise
from xorgrok.models.mlp import MLP
from xorgrok.train.loop import LoopConfig, train_full_batch
from xorgrok.transfer import groktransfer_embedding, weak_embedding


@dataclasses.dataclass
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
    seed: int = 0
    device: str = "auto"

    def __post_init__(self) -> None:
        check_choice("method", self.method, ("groktransfer", "scratch"))
        check_choice("source", self.source, SOURCES)
        check_float("init_scale", self.init_scale, 0.0, lo_open=True)
        check_float("weak_stop_acc", self.weak_stop_acc, 0.0, 1.0)
        check_int("epochs", self.epochs, lo=0)


def quick_config(n_train: int, method: str) -> MnistConfig:
    """--quick: 2500 epochs with wd 2 (the same lr·wd·epochs = 5 as the full 5·10^4 epochs at wd 0.1)."""
    return MnistConfig(n_train=n_train, method=method, epochs=2500, weight_decay=2.0, eval_every=25)


def run(cfg: MnistConfig | dict[str, Any], progress: bool = False, quick: bool = False,
        task: TaskData | None = None) -> dict[str, Any]:
    """One target run (and its weak model for GrokTransfer) -> RunRecord dict with the data note."""
    if isinstance(cfg, dict):
        cfg = from_dict(MnistConfig, cfg)
    device = pick_device(cfg.device)
    if task is None:
        task = mnist_task(cfg.n_train, cfg.n_eval, seed=cfg.seed, source=cfg.source,
                          data_dir=Path(cfg.data_dir) if cfg.data_dir else None)
    note = task.meta["data_note"]
    task = task.to(device)
    weak_info: dict[str, Any] = {}
    embed = None
    if cfg.method == "groktransfer":
        weak = MLP(cfg.weak_d, cfg.weak_width, cfg.weak_layers, init_scale=cfg.weak_init_scale,
                   seed=cfg.seed).to(device)
        wres = train_full_batch(weak, task, LoopConfig(epochs=cfg.weak_epochs, lr=cfg.weak_lr,
                                                       weight_decay=cfg.weak_weight_decay, eval_every=1,
                                                       stop_at_test_acc=cfg.weak_stop_acc),
                                progress=progress, desc="weak")
        weak_info = {"wall_s": wres.wall_s, "train_s": wres.train_s, "metrics": summarise(wres.history),
                     "history": wres.history.to_dict()}
        embed = groktransfer_embedding(weak_embedding(weak), cfg.width, init_scale=cfg.init_scale, seed=cfg.seed)
    model = MLP(cfg.width, cfg.width, cfg.n_layers, init_scale=cfg.init_scale, seed=cfg.seed, embed=embed)
    model.to(device)
    res = train_full_batch(model, task, LoopConfig(epochs=cfg.epochs, lr=cfg.lr, weight_decay=cfg.weight_decay,
                                                   eval_every=cfg.eval_every), progress=progress, desc=cfg.method)
    metrics = summarise(res.history)
    for thr in (0.6, 0.8):
        from xorgrok.train.history import first_step_reaching

        metrics[f"epochs_to_{int(thr * 100)}_test"] = first_step_reaching(res.history, "test_acc", thr)
    metrics.update(target_wall_s=res.wall_s, target_train_s=res.train_s, weak_wall_s=weak_info.get("wall_s"),
                   weak_test_acc_at_transfer=weak_info["metrics"]["final_test_acc"] if weak_info else None,
                   weak_epochs_to_transfer=weak_info["metrics"]["epochs_run"] if weak_info else None)
    notes = [note] + (["QUICK reduced setting (2500 epochs, wd 2)"] if quick else [])
    rec = RunRecord(kind=f"mnist/{cfg.method}", config=cfg, seed=cfg.seed, metrics=metrics,
                    history={"target": res.history.to_dict(), "weak": weak_info.get("history")},
                    wall_time_s=res.wall_s + (weak_info.get("wall_s") or 0.0), device=str(device), notes=notes)
    out = rec.to_dict()
    out["data_note"] = note
    return out
