"""Embedding study (GrokTransfer §2.1, Figs. 2 and 3): a fixed input embedding decides whether grokking happens.

The FNN of §6.2, f(x) = W_3 φ(W_2 φ(W_1 x)) with x = [e(a), e(b)] (bias-free, width 512), trained with
AdamW on modular addition (p = 113, 25 %) with each embedding's best (init, lr, wd) from App. A.3.1.
Optionally the pseudo-NTK change ‖Θ̂_t − Θ̂_{t−1}‖_F (Fig. 3) on a fixed probe set of training inputs.
The paper's "GPT" embedding is replaced by a user file (`kind="file"`): the hosted API is unreachable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from xorgrok.analysis.ntk import ntk_change, pseudo_ntk
from xorgrok.core.config import build_config
from xorgrok.core.device import pick_device
from xorgrok.core.errors import check_choice, check_int
from xorgrok.core.seeding import torch_gen
from xorgrok.data.base import TaskData
from xorgrok.data.embeddings import KINDS, embedded_task, embedding_table
from xorgrok.data.modular import make_modular
from xorgrok.experiments.common import summarise
from xorgrok.models.fnn import MLPBody
from xorgrok.train.history import first_step_reaching, log_spaced_steps
from xorgrok.train.loop import LoopConfig, train_full_batch

# App. A.3.1 best (init, lr, wd) per embedding; "file" takes the GPT row (the file stands in for it)
PAPER_SETTINGS = {"onehot": (0.2, 0.01, 5.0), "binary": (0.3, 0.01, 1.0), "fourier": (0.5, 0.1, 0.1),
                  "file": (1.3, 0.01, 1.0)}


@dataclasses.dataclass(frozen=True)
class EmbeddingRun:
    kind: str = "onehot"
    width: int = 512
    epochs: int = 10_000
    eval_every: int = 10
    stop_at_test_acc: float | None = None
    seed: int = 0
    split_seed: int = 0
    ntk_steps: int = 0  # >0: measure the NTK change at this many log-spaced epochs (and the epoch before)
    ntk_probe: int = 32
    n_test_eval: int | None = None  # evaluate on a subset of the test split (cheaper NTK runs)
    embedding_file: str | None = None
    device: str = "auto"

    def __post_init__(self) -> None:
        check_choice("embedding", self.kind, KINDS)
        check_int("width", self.width, lo=1)
        check_int("ntk_steps", self.ntk_steps, lo=0)


def run_embedding(cfg: EmbeddingRun, progress: bool = False) -> dict[str, Any]:
    init, lr, wd = PAPER_SETTINGS[cfg.kind]
    base = make_modular(113, "add", 0.25, cfg.split_seed)
    task = embedded_task(base, embedding_table(cfg.kind, 113, path=cfg.embedding_file))
    if cfg.n_test_eval is not None:
        idx = torch.randperm(len(task.y_test), generator=torch_gen(cfg.seed, "ntk-eval"))[: cfg.n_test_eval]
        # (task still on the CPU here: it moves to the device below)
        task = dataclasses.replace(task, x_test=task.x_test[idx], y_test=task.y_test[idx])
    device = pick_device(cfg.device)
    task = task.to(device)
    model = MLPBody(task.x_train.shape[1], cfg.width, 113, 3, init_scale=init,
                    generator=torch_gen(cfg.seed, "embedding-fnn")).to(device)
    ntk: dict[str, list[float]] = {"epoch": [], "change": []}
    callback = None
    eval_every = cfg.eval_every
    if cfg.ntk_steps:
        pick = torch.randperm(len(task.x_train), generator=torch_gen(cfg.seed, "probe"))[: cfg.ntk_probe]
        probe = task.x_train[pick.to(device)]
        wanted = set(log_spaced_steps(cfg.epochs, per_decade=max(1, cfg.ntk_steps // 4))[1:])
        prev: dict[int, torch.Tensor] = {}
        eval_every = 1  # Θ̂_{t−1} and Θ̂_t need consecutive epochs

        def callback(epoch: int, m: torch.nn.Module, hist: Any) -> None:
            if epoch + 1 in wanted:
                prev[epoch] = pseudo_ntk(m, probe, 113)
            if epoch in wanted and epoch - 1 in prev:
                ntk["epoch"].append(epoch)
                ntk["change"].append(ntk_change(prev.pop(epoch - 1), pseudo_ntk(m, probe, 113)))

    res = train_full_batch(model, task, LoopConfig(epochs=cfg.epochs, lr=lr, weight_decay=wd, eval_every=eval_every,
                                                   stop_at_test_acc=cfg.stop_at_test_acc),
                           progress=progress, callback=callback, desc=cfg.kind)
    out: dict[str, Any] = {"config": dataclasses.asdict(cfg), "paper_setting": {"init": init, "lr": lr, "wd": wd},
           "metrics": summarise(res.history), "history": _thin(res.history.to_dict(), cfg.eval_every),
           "ntk": ntk, "wall_s": res.wall_s}
    metrics = out["metrics"]
    assert isinstance(metrics, dict)
    metrics["epochs_to_90_test"] = first_step_reaching(res.history, "test_acc", 0.9)
    metrics["epochs_to_90_train"] = first_step_reaching(res.history, "train_acc", 0.9)
    return out


def _thin(h: dict[str, list], every: int) -> dict[str, list]:
    """Keep epochs that are multiples of `every` (and the last) when NTK runs logged every epoch."""
    keep = [i for i, s in enumerate(h["steps"]) if s % every == 0 or i == len(h["steps"]) - 1]
    return {k: [v[i] for i in keep] for k, v in h.items()}


def embedding_label(kind: str, path: str | Path | None = None) -> str:
    if kind == "file":
        return f"user file {Path(path).name if path else ''} (stands in for GPT: API unreachable)"
    return {"onehot": "one-hot", "binary": "binary (7 bits)", "fourier": "Fourier (k=7 primes)"}[kind]


def embedding_preset(kind: str, *, quick: bool = False, seed: int = 0, ntk: bool = False,
                     overrides: Mapping[str, Any] | None = None) -> EmbeddingRun:
    """Fig. 2 (or Fig. 3 with `ntk`): the paper run (width 512; 10^4 epochs, or 3000 epochs with the NTK
    change at 40 log-spaced epochs),
    or --quick: width 128, 300 epochs (Fig. 2) / width 64, 150 epochs on a 1000-point eval subset (Fig. 3);
    `overrides` applied through `build_config`."""
    if quick:
        base = (EmbeddingRun(kind=kind, width=64, epochs=150, eval_every=5, seed=seed, ntk_steps=12, n_test_eval=1000)
                if ntk else EmbeddingRun(kind=kind, width=128, epochs=300, eval_every=5, seed=seed))
    else:
        base = EmbeddingRun(kind=kind, seed=seed)
        if ntk:
            base = dataclasses.replace(base, epochs=3000, ntk_steps=40)
    return build_config(EmbeddingRun, overrides, base=base)


def quick_run(kind: str, seed: int, ntk: bool = False, embedding_file: str | None = None,
              device: str = "auto") -> EmbeddingRun:
    """`embedding_preset(kind, quick=True, ...)` with the embedding file and device."""
    return embedding_preset(kind, quick=True, seed=seed, ntk=ntk,
                            overrides={"embedding_file": embedding_file, "device": device})


def task_for(kind: str, split_seed: int = 0) -> TaskData:
    return embedded_task(make_modular(113, "add", 0.25, split_seed), embedding_table(kind, 113))
