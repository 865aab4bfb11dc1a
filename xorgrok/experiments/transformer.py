"""FNN → Transformer GrokTransfer runs (paper §4.2, App. A.3.3): Fig. 8(a)(b), Fig. 13, Fig. 16.

    python -m xorgrok transformer --experiment fig8b --quick --out runs/transformer

Experiments (paper settings, `--quick` reduces layers, width and epochs and says so in every output):
- fig8a: 8-layer target ("paper8"), modular addition, GrokTransfer (init, lr, wd) = (0.7, 1e-3, 1) vs
  scratch (0.4, 5e-4, 1);
- fig8b / fig16: the GrokFast 2-layer target ("grokfast", d_mlp 512 by default), addition / multiplication,
  GrokTransfer (0.6, 5e-3, 0.1) vs GrokFast-EMA (lr 0.01, wd 1.0, alpha 0.98, lamb 2, init 1);
- fig13l: 8-layer target on multiplication ([I] the paper gives no settings: the fig8a ones are used);
- fig13r: 2- and 4-layer Transformers trained normally on (40,3)-parity ([I] settings not given: lr 1e-3,
  wd 0.1, init 1; each ±1 coordinate is a token in {0, 1}, 40 positions, logistic loss).
The weak model is the modular FNN of experiments.fnn (d_embed 4, width 4, 2 layers: App. A.3.3; width 16
is a labelled variant), stopped when it first reaches 30% test accuracy (§6.6);
its embedding becomes A in E_T = A·B. The device is CUDA when present (or --device).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import torch
from torch import nn

from xorgrok.core.config import build_config
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError, check_choice, check_float, check_int
from xorgrok.core.io import read_record
from xorgrok.core.memory import check_fits
from xorgrok.core.seeding import torch_gen
from xorgrok.data.base import TaskData
from xorgrok.data.modular import make_modular
from xorgrok.data.parity import make_parity
from xorgrok.experiments.cache import RunCache
from xorgrok.experiments.common import Callback, WeakOutcome, partial_path_of, read_partial_record, transfer_run
from xorgrok.experiments.fnn import FnnWeakConfig, train_weak_fnn
from xorgrok.models.transformer import PRESETS, Transformer, preset_config, training_activation_elements
from xorgrok.train.history import first_step_reaching
from xorgrok.train.loop import GrokFastConfig, LoopConfig, LoopResult, train_full_batch
from xorgrok.transfer import (
    groktransfer_embedding,
    install_embedding,
    random_factorised_embedding,
    weak_embedding,
)

METHODS = ("groktransfer", "scratch", "grokfast", "random_ab")
# the GrokFast baseline's wd in the paper (§4.2: (lr, wd) = (0.01, 1)); a run with another is named for it
GROKFAST_WD = 1.0
OPTIMIZERS = ("adamw", "adam")  # adam: torch Adam with coupled L2 (the GrokFast code's optimizer)
# The weak-FNN grid for a width-4 weak model (values from the paper's Section 4 grid; a subset, so that it
# runs on a CPU): init x lr x wd, each config trained up to 10^4 epochs, stopped at 30 % test accuracy.
# A 300-epoch probe of init {0.5, 1} x lr {5e-3, 1e-2, 0.1} x wd {1e-2, 0.1, 1} moved only at lr 0.1, wd 1,
# so the grid is the large-lr, large-wd corner.
WEAK_GRID = {"init_scale": (1.0,), "lr": (0.1, 0.5, 1.0), "weight_decay": (1.0, 3.0)}
# the paper's Section 4 ranges: a grid given on the command line must stay inside them
PAPER_LRS = (1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 1e-1, 0.5, 1.0)
PAPER_WDS = (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 2.0, 3.0, 4.0, 5.0)
TASKS = ("add", "mul", "parity")
# quick variant of the model: fewer layers, smaller width (keeps d_mlp/d_embed of the full preset)
QUICK_ARCH = {"paper8": dict(n_layers=2, d_embed=64, d_mlp=64, n_heads=4, d_head=16),
              "grokfast": dict(n_layers=1, d_embed=64, d_mlp=256, n_heads=4, d_head=16),
              "grokfast-mlp128": dict(n_layers=1, d_embed=64, d_mlp=64, n_heads=4, d_head=16),
              "grokfast4": dict(n_layers=2, d_embed=64, d_mlp=256, n_heads=4, d_head=16)}


@dataclasses.dataclass(frozen=True)
class TFRunConfig:
    task: str = "add"
    method: str = "groktransfer"
    preset: str = "grokfast"
    arch: dict = dataclasses.field(default_factory=dict)  # overrides of the preset (quick variants)
    layer_norm: bool | None = None  # None: the preset style's default (grokfast presets: on; paper8: off)
    init_scale: float = 0.6
    lr: float = 5e-3
    weight_decay: float = 0.1
    epochs: int = 3000
    eval_every: int = 5
    stop_at_test_acc: float | None = 0.99
    seed: int = 0
    modulus: int = 113
    train_fraction: float = 0.25
    split_seed: int = 0
    grokfast_alpha: float = 0.98
    grokfast_lamb: float = 2.0
    # [I] linear lr warm-up over the first 10 updates for the GrokFast baseline, as in the GrokFast code
    # (ironjr/grokfast main.py); the paper does not say. 0 = none (the GrokTransfer and scratch runs).
    warmup_steps: int | None = None  # None: 10 for method grokfast, else 0
    # §6.6: the embedding is taken when the weak model first reaches 30 % test accuracy (checked every epoch).
    # Weak model: width 4 (App. A.3.3 and the A.4.1 FLOP formula), d_embed 4, 2 layers; [I] its (init, lr,
    # wd) = TF_WEAK_RECIPE, the best of the width-4 grid (`--weak-grid`; docs/beyond_xor.md gives every
    # config tried). The earlier width-16 weak model with (1, 0.01, 0.1) is the variant weak={"width": 16,
    # "lr": 0.01, "weight_decay": 0.1} (records tagged _weakw16).
    weak: FnnWeakConfig = dataclasses.field(default_factory=lambda: _tf_weak())
    # the GrokFast baseline's optimizer: adamw (decoupled decay, our default) or adam (coupled L2, as in
    # the GrokFast code); the GrokTransfer and scratch runs use AdamW (paper §4)
    optimizer: str = "adamw"
    device: str = "auto"

    def __post_init__(self) -> None:
        check_choice("task", self.task, TASKS)
        check_choice("method", self.method, METHODS)
        check_choice("preset", self.preset, tuple(PRESETS))
        check_float("init_scale", self.init_scale, 0.0, lo_open=True)
        check_int("epochs", self.epochs, lo=0)
        if isinstance(self.weak, dict):
            object.__setattr__(self, "weak", build_config(FnnWeakConfig, self.weak, base=_tf_weak()))
        if self.warmup_steps is None:
            object.__setattr__(self, "warmup_steps", 10 if self.method == "grokfast" else 0)
        check_int("warmup_steps", self.warmup_steps, lo=0)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        if self.task == "parity" and self.method == "groktransfer":
            raise InputError("method groktransfer is not defined for the parity Transformer runs (Fig. 13 right "
                             "trains normally); use scratch")


# the width-4 config with the most seeds reaching 30 % test within 10^4 epochs, of the 49 configs tried
# (1 of 2 in its grid round; 1 of 8 on seeds 0-7: docs/beyond_xor.md)
TF_WEAK_RECIPE = {"init_scale": 0.2, "lr": 0.01, "weight_decay": 0.01}


# The seeds the Fig. 8(b) / Fig. 16 arms run on: seeds whose TF_WEAK_RECIPE weak model reaches 30 % test,
# picked by a rule written before the runs (docs/beyond_xor.md). Fig. 8(b), addition: seed 1 (1 of 0-7 within
# 10^4 epochs), then the first three of the 3000-epoch screen of seeds 8-57. Fig. 16, multiplication: the first
# four seeds of the 3000-epoch screen from seed 0 on.
TF_SEEDS: dict[str, tuple[int, ...]] = {"fig8b": (1, 31, 50, 57), "fig16": (63, 122, 219, 387)}


def _tf_weak(**kw: Any) -> FnnWeakConfig:
    return FnnWeakConfig(**{"width": 4, **TF_WEAK_RECIPE, "stop_at_test_acc": 0.3, "eval_every": 1, **kw})


class ParityTokens(nn.Module):
    """(40,3)-parity for a Transformer: x ∈ {±1}^q -> tokens (x > 0) ∈ {0,1}^q -> one logit."""

    def __init__(self, tf: Transformer) -> None:
        super().__init__()
        self.tf = tf

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.tf((x > 0).long()).squeeze(-1)


def make_task(cfg: TFRunConfig) -> TaskData:
    if cfg.task == "parity":
        return make_parity(seed=cfg.split_seed)
    return make_modular(cfg.modulus, cfg.task, cfg.train_fraction, cfg.split_seed)


def build_model(cfg: TFRunConfig, task: TaskData, E_W: torch.Tensor | None) -> nn.Module:
    if cfg.task == "parity":
        tcfg = preset_config(cfg.preset, **{**cfg.arch, "vocab": 2, "n_out": 1, "n_ctx": task.meta["q"],
                                            "init_scale": cfg.init_scale, "layer_norm": cfg.layer_norm})
        return ParityTokens(Transformer(tcfg, generator=torch_gen(cfg.seed, "transformer")))
    p = task.meta["modulus"]
    tcfg = preset_config(cfg.preset, **{**cfg.arch, "vocab": p, "n_out": p, "init_scale": cfg.init_scale,
                                        "layer_norm": cfg.layer_norm})
    n_rows = task.x_train.shape[0] + task.x_test.shape[0]
    check_fits(f"Transformer activations for a full batch of {n_rows} sequences ({tcfg.n_layers} layers, "
               f"d_embed {tcfg.d_embed}, d_mlp {tcfg.d_mlp})", training_activation_elements(tcfg, n_rows), 4,
               reduce="the modulus, the layers or the widths", float32_helps=False)
    model = Transformer(tcfg, generator=torch_gen(cfg.seed, "transformer"))
    if cfg.method == "groktransfer":
        assert E_W is not None
        install_embedding(model, groktransfer_embedding(E_W, tcfg.d_embed, init_scale=cfg.init_scale,
                                                        seed=cfg.seed, vocab_size=p))
    elif cfg.method == "random_ab":  # the control: the modular FNN's random A·B (same rank, same B), no transfer
        install_embedding(model, random_factorised_embedding(p, cfg.weak.d_embed, tcfg.d_embed,
                                                             init_scale=cfg.init_scale, seed=cfg.seed))
    return model


def weak_outcome(cfg: TFRunConfig, task: TaskData, progress: bool = False) -> WeakOutcome:
    """The weak FNN of a Transformer GrokTransfer run (stream "fnn-weak" of the seed, as the FNN runs)."""
    weak, res = train_weak_fnn(cfg.weak, cfg.seed, task, progress=progress)
    return WeakOutcome.from_loop(weak_embedding(weak), res)


def train_target(cfg: TFRunConfig, task: TaskData, model: nn.Module, progress: bool = False,
                 callback: Callback | None = None) -> LoopResult:
    gf = GrokFastConfig(cfg.grokfast_alpha, cfg.grokfast_lamb) if cfg.method == "grokfast" else None
    loop = LoopConfig(epochs=cfg.epochs, lr=cfg.lr, weight_decay=cfg.weight_decay, eval_every=cfg.eval_every,
                      stop_at_test_acc=cfg.stop_at_test_acc, grokfast=gf, warmup_steps=cfg.warmup_steps or 0,
                      optimizer=cfg.optimizer if cfg.method == "grokfast" else "adamw")
    return train_full_batch(model, task, loop, progress=progress, desc=f"{cfg.task}/{cfg.method}",
                            callback=callback)


def run(cfg: TFRunConfig | dict[str, Any], progress: bool = False, quick: bool = False,
        partial_path: Path | None = None, cache: RunCache | None = None) -> dict[str, Any]:
    """One target run (plus its weak model for GrokTransfer); returns a RunRecord dict.

    `partial_path`: every 20 logged epochs the partial record is written there, so a run stopped early
    (CPU budget) still leaves its curve. `cache`: one weak model per (task, split, seed, weak config,
    device) and cache, so figures and the report reuse it across targets.
    """
    if isinstance(cfg, dict):
        cfg = build_config(TFRunConfig, cfg)
    run_cfg: TFRunConfig = cfg
    device = pick_device(run_cfg.device)
    task = make_task(run_cfg).to(device)
    key = ("transformer-weak", run_cfg.task, run_cfg.modulus, run_cfg.train_fraction, run_cfg.split_seed,
           run_cfg.seed, run_cfg.weak, str(device))

    def weak() -> WeakOutcome:
        def compute() -> WeakOutcome:
            return weak_outcome(run_cfg, task, progress=progress)

        return cache.get(key, compute) if cache is not None else compute()

    notes = ["QUICK reduced setting: " + str(run_cfg.arch)] if quick else []
    return transfer_run(
        kind=f"transformer/{run_cfg.task}/{run_cfg.method}", cfg=run_cfg, device=device,
        weak=weak if run_cfg.method == "groktransfer" else None,
        build_target=lambda E_W: build_model(run_cfg, task, E_W),
        train_target=lambda model, cb: train_target(run_cfg, task, model, progress=progress, callback=cb),
        partial_path=partial_path, notes=notes)


def weak_grid(task: TaskData, seeds: tuple[int, ...] = (0,), width: int = 4,
              grid: Mapping[str, tuple[float, ...]] | None = None, epochs: int = 10_000,
              eval_every: int = 10,
              on_row: Callable[[list[dict[str, Any]]], None] | None = None) -> list[dict[str, Any]]:
    """Every (init, lr, wd) of `grid` (default WEAK_GRID) for a weak FNN of `width` (d_embed 4, 2 layers),
    trained on each seed until it first reaches 30 % test accuracy or `epochs`: one row per (config, seed)
    with the epoch it reached 30 % (None: never; resolution `eval_every`), its best and final test and final
    train accuracy. `on_row(rows so far)` runs after each row (the CLI writes its record there, so an
    interrupted grid keeps its finished configs)."""
    g = dict(grid or WEAK_GRID)
    rows = []
    for init in g["init_scale"]:
        for lr in g["lr"]:
            for wd in g["weight_decay"]:
                for seed in seeds:
                    wcfg = _tf_weak(width=width, init_scale=init, lr=lr, weight_decay=wd, epochs=epochs,
                                     eval_every=eval_every)
                    _, res = train_weak_fnn(wcfg, seed, task)
                    h = res.history
                    rows.append({"init_scale": init, "lr": lr, "weight_decay": wd, "seed": seed, "width": width,
                                 "epochs_to_30_test": first_step_reaching(h, "test_acc", 0.3),
                                 "best_test_acc": max(h.values["test_acc"]), "final_test_acc": h.last("test_acc"),
                                 "final_train_acc": h.last("train_acc"), "epochs_run": h.steps[-1],
                                 "wall_s": res.wall_s})
                    if on_row is not None:
                        on_row(rows)
    return rows


def weak_variant(cfg: TFRunConfig) -> str:
    """'' for the width-4 weak recipe (the paper's) or a run without a weak model, '_weakw<width>' for a
    GrokTransfer run with another weak width (record names)."""
    return "" if cfg.weak.width == 4 or cfg.method != "groktransfer" else f"_weakw{cfg.weak.width}"


def record_tag(experiment: str, cfg: TFRunConfig, seed: int, quick: bool) -> str:
    """File stem of a run's record: written by the CLI, read by the figures and the report."""
    opt = "" if cfg.optimizer == "adamw" else f"_{cfg.optimizer}"
    if cfg.method == "grokfast" and cfg.weight_decay != GROKFAST_WD:
        opt += f"_wd{cfg.weight_decay:g}"
    return (f"{experiment}_{cfg.task}_{cfg.method}_{cfg.preset}{weak_variant(cfg)}{opt}_s{seed}"
            f"{'_quick' if quick else ''}")


def record_path(folder: Path, experiment: str, cfg: TFRunConfig, seed: int, quick: bool) -> Path:
    return Path(folder) / f"{record_tag(experiment, cfg, seed, quick)}.json"


def missing_record(folder: Path, experiment: str, seed: int, quick: bool) -> Path | None:
    """The first run of `experiment` without a final record in `folder`, or None when all are there."""
    for cfg in paper_runs(experiment, quick):
        path = record_path(folder, experiment, cfg, seed, quick)
        if not path.is_file():
            return path
    return None


def load_experiment(folder: Path, experiment: str, seed: int, quick: bool,
                    partial_ok: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The records of `experiment` (one per run, in paper_runs order) from `folder`.

    A method in `partial_ok` without a final record may be read from its partial record (marked
    `partial`); any other missing record is an InputError naming the file and the command that writes it.
    """
    out = []
    for cfg in paper_runs(experiment, quick):
        path = record_path(folder, experiment, cfg, seed, quick)
        part = partial_path_of(path)
        if path.is_file():
            out.append(read_record(path, ("config", "metrics")))
        elif cfg.method in partial_ok and part.is_file():
            out.append(read_partial_record(part))
        else:
            raise InputError(f"{path} not found (write it with python -m xorgrok transformer --experiment "
                             f"{experiment}{' --quick' if quick else ''} --seed {seed} --out {folder})")
    return out


def seeds_with_records(folder: Path, experiment: str) -> list[int]:
    """Seeds with at least one full (not quick) record of `experiment` in `folder`."""
    found = set()
    for f in Path(folder).glob(f"{experiment}_*_s*.json"):
        tail = f.name.removesuffix(".json").rsplit("_s", 1)[-1]
        if tail.isdigit():
            found.add(int(tail))
    return sorted(found)


_SEED_RECORD = re.compile(r"^(?P<exp>fig8b|fig16)_(?P<task>add|mul)_(?P<method>groktransfer|grokfast|random_ab)"
                          r"_grokfast_s(?P<seed>\d+)\.json$")


def seed_records(folders: list[Path], experiment: str) -> dict[str, list[dict[str, Any]]]:
    """{method: [full record per seed, in seed order]} of the multi-seed Fig. 8(b) / Fig. 16 runs (width-4 weak
    model, AdamW GrokFast) in `folders`; other variants (another weak width or optimiser) are not read."""
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for folder in folders:
        for f in sorted(Path(folder).iterdir()) if Path(folder).is_dir() else []:
            m = _SEED_RECORD.match(f.name)
            if m is not None and m["exp"] == experiment:
                out.setdefault(m["method"], {})[int(m["seed"])] = read_record(f)
    return {k: [v[s] for s in sorted(v)] for k, v in out.items()}


def paper_runs(experiment: str, quick: bool, seed: int = 0,
               overrides: Mapping[str, Any] | None = None) -> list[TFRunConfig]:
    """The configurations of one paper experiment (full, or the --quick reduction), with `seed` and
    `overrides` (TFRunConfig keys, through `build_config`) applied to each.

    --quick: the QUICK_ARCH model (fewer layers, width 64), 600 epochs (parity: 150 epochs), same task
    (p = 113, 25 %; a smaller p was tried: at p = 59 the weak FNN never generalised, so nothing transfers).
    Hyperparameters (init, lr, wd) are the paper's in both modes.
    """
    check_choice("experiment", experiment, EXPERIMENTS)
    over = {"seed": seed, **(overrides or {})}
    return [build_config(TFRunConfig, over, base=c) for c in _paper_runs(experiment, quick)]


def _paper_runs(experiment: str, quick: bool) -> list[TFRunConfig]:
    q: dict[str, Any] = {}
    if experiment in ("fig8a", "fig13l"):
        task = "add" if experiment == "fig8a" else "mul"
        arch = dict(QUICK_ARCH["paper8"]) if quick else {}
        ep = 600 if quick else 10_000
        return [TFRunConfig(task=task, method="groktransfer", preset="paper8", arch=arch, init_scale=0.7,
                            lr=1e-3, weight_decay=1.0, epochs=ep, **q),
                TFRunConfig(task=task, method="scratch", preset="paper8", arch=arch, init_scale=0.4, lr=5e-4,
                            weight_decay=1.0, epochs=ep, **q)]
    if experiment in ("fig8b", "fig16"):
        task = "add" if experiment == "fig8b" else "mul"
        arch = dict(QUICK_ARCH["grokfast"]) if quick else {}
        ep = 600 if quick else 3000
        return [TFRunConfig(task=task, method="groktransfer", preset="grokfast", arch=arch, init_scale=0.6,
                            lr=5e-3, weight_decay=0.1, epochs=ep, **q),
                TFRunConfig(task=task, method="grokfast", preset="grokfast", arch=arch, init_scale=1.0, lr=1e-2,
                            weight_decay=GROKFAST_WD, epochs=ep, eval_every=5 if quick else 10, **q)]
    ep = 150 if quick else 2000
    return [TFRunConfig(task="parity", method="scratch", preset=pre, arch=dict(QUICK_ARCH[pre]) if quick else {},
                        init_scale=1.0, lr=1e-3, weight_decay=0.1, epochs=ep, stop_at_test_acc=None)
            for pre in ("grokfast", "grokfast4")]


def control_runs(experiment: str, quick: bool, seed: int = 0,
                 overrides: Mapping[str, Any] | None = None) -> list[TFRunConfig]:
    """The random-A·B control of an experiment with a GrokTransfer run: that run's config with method
    random_ab (same target, hyperparameters, rank and B; A random, no weak model). [] for fig13r."""
    return [build_config(TFRunConfig, {"method": "random_ab"}, base=c)
            for c in paper_runs(experiment, quick, seed, overrides) if c.method == "groktransfer"]


EXPERIMENTS = ("fig8a", "fig8b", "fig16", "fig13l", "fig13r")
