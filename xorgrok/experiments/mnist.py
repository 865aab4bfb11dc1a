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
images, and every output says so (`--source standard` trains on the 60k training images when present).

Parameterisation (config options, named in every record's notes by `parameterisation_text`):
- `scale_A` (default True): A = α·E_W, so every parameter of the target is ×α at init as the Omnigrok recipe
  reads (B is ×α too). False: A = E_W unscaled (the earlier setting, where A is the only unscaled layer).
- `first_layer` "factorised" (default): E_T = A·B trained as two factors, a rank-d_W (16) bottleneck;
  "full": E_T = A·B formed at init and trained as one full 784×width matrix (same function at init).
- method "random_ab": the control: A random with the Frobenius norm of that seed's weak E_W (so the same
  shape and scale), the same B and body as GrokTransfer for the seed; no information is transferred.
- `optimiser` "ours" (wd as above, betas (0.9, 0.98), full batch) or "omnigrok" (wd 0.01, PyTorch's
  default betas (0.9, 0.999), batch 200). The loop is full-batch, so "omnigrok" is refused unless
  n_train <= 200 (where batch 200 is the full batch: the Fig. 14 setting).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from xorgrok.core.config import build_config
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError, check_choice, check_float, check_int
from xorgrok.core.io import read_record
from xorgrok.core.seeding import torch_gen
from xorgrok.data.base import TaskData
from xorgrok.data.mnist import SOURCES, mnist_task
from xorgrok.experiments.common import Callback, WeakOutcome, transfer_run
from xorgrok.models.embedding import EmbeddingLike
from xorgrok.models.mlp import MLP
from xorgrok.train.history import History, first_step_reaching
from xorgrok.train.loop import LoopConfig, LoopResult, train_full_batch
from xorgrok.transfer import groktransfer_embedding, weak_embedding

METHODS = ("groktransfer", "scratch", "random_ab")
FIRST_LAYERS = ("factorised", "full")
OPTIMISERS = ("ours", "omnigrok")
# Omnigrok's MNIST optimiser: wd, betas (PyTorch's default), batch size
OMNIGROK_WD, OMNIGROK_BETAS, OMNIGROK_BATCH = 0.01, (0.9, 0.999), 200
SAMPLES = (200, 1000)  # Fig. 14 and review Fig. 18


@dataclasses.dataclass(frozen=True)
class MnistConfig:
    n_train: int = 200
    n_eval: int = 1000
    source: str = "test-split"
    data_dir: str | None = None
    method: str = "groktransfer"  # groktransfer | scratch | random_ab
    init_scale: float = 100.0
    scale_A: bool = True  # A = α·E_W (every parameter ×α); False: A = E_W
    first_layer: str = "factorised"  # factorised (rank-d_W A·B) | full (A·B as one trainable matrix)
    optimiser: str = "ours"  # ours | omnigrok (set through mnist_preset, which fills the three below)
    betas: tuple[float, float] = (0.9, 0.98)
    batch_size: int | None = None  # None: full batch
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
        check_choice("first_layer", self.first_layer, FIRST_LAYERS)
        check_choice("optimiser", self.optimiser, OPTIMISERS)
        if isinstance(self.betas, list):
            object.__setattr__(self, "betas", tuple(self.betas))
        if self.batch_size is not None:
            check_int("batch_size", self.batch_size, lo=1)
            if self.batch_size < self.n_train:
                raise InputError(f"batch_size {self.batch_size} < n_train {self.n_train}: the MNIST loop is "
                                 "full-batch; use n_train <= batch_size (200 samples for the omnigrok optimiser)")
        check_float("init_scale", self.init_scale, 0.0, lo_open=True)
        check_float("weak_stop_acc", self.weak_stop_acc, 0.0, 1.0)
        check_int("epochs", self.epochs, lo=0)


def mnist_preset(n_train: int, method: str, *, quick: bool = False, seed: int = 0, optimiser: str = "ours",
                 overrides: Mapping[str, Any] | None = None) -> MnistConfig:
    """The setting for (n_train, method, optimiser), `overrides` applied through `build_config`.

    --quick: 2500 epochs with wd 2 (the same lr·wd·epochs = 5 as the full 5·10^4 epochs at wd 0.1);
    with optimiser "omnigrok" the quick run keeps Omnigrok's wd 0.01 (only the epochs shrink).
    """
    check_choice("optimiser", optimiser, OPTIMISERS)
    base = MnistConfig(n_train=n_train, method=method, seed=seed)
    if quick:
        base = dataclasses.replace(base, epochs=2500, weight_decay=2.0, eval_every=25)
    if optimiser == "omnigrok":
        base = dataclasses.replace(base, optimiser="omnigrok", weight_decay=OMNIGROK_WD,
                                   betas=OMNIGROK_BETAS, batch_size=OMNIGROK_BATCH)
    return build_config(MnistConfig, overrides, base=base)


def parameterisation_text(cfg: MnistConfig) -> str:
    """The parameterisation and optimiser of a run, in words (written into every record's notes)."""
    if cfg.method == "scratch":
        first = f"first layer a full random 784×{cfg.width} matrix ×α"
    else:
        a = "random A (norm of the weak E_W), no transfer" if cfg.method == "random_ab" else "A = weak E_W"
        first = (f"{a}, {'×α' if cfg.scale_A else 'NOT scaled by α'}; B ×α; "
                 + (f"trained as factors (rank {cfg.weak_d} bottleneck)" if cfg.first_layer == "factorised"
                    else f"A·B merged at init into one full 784×{cfg.width} matrix"))
    batch = "full batch" if cfg.batch_size is None or cfg.batch_size >= cfg.n_train else f"batch {cfg.batch_size}"
    return (f"parameterisation: α={cfg.init_scale:g} on every other layer; {first}. optimiser {cfg.optimiser}: "
            f"AdamW lr {cfg.lr:g}, wd {cfg.weight_decay:g}, betas {tuple(cfg.betas)}, {batch}")


def quick_config(n_train: int, method: str) -> MnistConfig:
    """`mnist_preset(n_train, method, quick=True)`."""
    return mnist_preset(n_train, method, quick=True)


def variant_tag(cfg: MnistConfig | None = None, *, scale_A: bool = True, first_layer: str = "factorised",
                optimiser: str = "ours") -> str:
    """'' for the default parameterisation, else '_Araw', '_full', '_omnigrok' joined (record names)."""
    if cfg is not None:
        scale_A, first_layer, optimiser = cfg.scale_A, cfg.first_layer, cfg.optimiser
    return ("" if scale_A else "_Araw") + ("" if first_layer == "factorised" else "_full") + (
        "" if optimiser == "ours" else f"_{optimiser}")


def record_tag(n_train: int, method: str, seed: int, quick: bool, variant: str = "") -> str:
    """File stem of a run's record: written by the CLI, read by the figures and the report."""
    return f"mnist{n_train}_{method}{variant}_s{seed}{'_quick' if quick else ''}"


def record_path(folder: Path, n_train: int, method: str, seed: int, quick: bool, variant: str = "") -> Path:
    return Path(folder) / f"{record_tag(n_train, method, seed, quick, variant)}.json"


def load_runs(folder: Path, n_train: int, seed: int, quick: bool, variant: str = "",
              methods: tuple[str, ...] = ("groktransfer", "scratch")) -> list[dict[str, Any]]:
    """The records of `methods` (in that order) from `folder`; InputError names a missing one."""
    out = []
    for method in methods:
        path = record_path(folder, n_train, method, seed, quick, variant)
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


def random_A_like(E_W: torch.Tensor, seed: int) -> torch.Tensor:
    """The control's A: Gaussian entries (stream mnist-random-A), rescaled to E_W's Frobenius norm."""
    g = torch.randn(E_W.shape, generator=torch_gen(seed, "mnist-random-A"), dtype=torch.float32)
    return g * (E_W.float().norm() / g.norm())


def target_embedding(cfg: MnistConfig, E_W: torch.Tensor) -> EmbeddingLike:
    """E_T for groktransfer / random_ab: A (E_W or its random twin) ×α if scale_A, B from transfer-B ×α;
    first_layer "full" merges A·B into one trainable matrix (the same function at init)."""
    A = random_A_like(E_W, cfg.seed) if cfg.method == "random_ab" else E_W
    if cfg.scale_A:
        A = A * cfg.init_scale
    emb = groktransfer_embedding(A, cfg.width, init_scale=cfg.init_scale, seed=cfg.seed)
    return emb.merged() if cfg.first_layer == "full" else emb


def _target(cfg: MnistConfig, E_W: Any) -> MLP:
    embed = None if E_W is None else target_embedding(cfg, E_W)
    return MLP(cfg.width, cfg.width, cfg.n_layers, init_scale=cfg.init_scale, seed=cfg.seed, stream="mnist-target",
               embed=embed)


def _train(cfg: MnistConfig, task: TaskData, model: Any, progress: bool, callback: Callback | None) -> LoopResult:
    loop = LoopConfig(epochs=cfg.epochs, lr=cfg.lr, weight_decay=cfg.weight_decay, eval_every=cfg.eval_every,
                      betas=tuple(cfg.betas))  # type: ignore[arg-type]
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
        weak=(lambda: _weak(run_cfg, dev_task, progress)) if run_cfg.method != "scratch" else None,
        build_target=lambda E_W: _target(run_cfg, E_W),
        train_target=lambda model, cb: _train(run_cfg, dev_task, model, progress, cb),
        partial_path=partial_path, extra_metrics=_thresholds,
        notes=[note, parameterisation_text(run_cfg)]
        + ([f"QUICK reduced setting ({run_cfg.epochs} epochs, wd {run_cfg.weight_decay:g})"] if quick else []))
    out["data_note"] = note
    return out
