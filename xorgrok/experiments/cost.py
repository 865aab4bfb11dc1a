"""Cost of GrokTransfer vs scratch: per-epoch timing, the Table 1 ratio per seed, forward FLOPs.

One timing method serves every per-epoch cost in the project (FNN and Transformer targets alike):
`epoch_seconds` runs full-batch epochs through the training loop itself (`train.loop.train_full_batch`)
and returns its `train_s` per epoch, i.e. forward + backward + optimizer step with evaluation excluded and
CUDA synchronised after each step. That is the same clock that the runs' `target_train_s` / `weak_train_s`
use, so a per-epoch cost and a run's training time are comparable. `alternated_seconds` times several
models in round-robin bursts (W, T, W, T, …) so that all of them see the same machine load, after one
discarded warm-up burst each (the first steps allocate the optimizer state).

Table 1 (`table1_seed`): the weak model to its transfer point (30 % test, §6.6), the GrokTransfer target
and the scratch target, each until the same test accuracy, one seed per call. A run stopped by the epoch
cap before the target makes the ratio scratch / (weak + GrokTransfer) a bound (`table1_bound`), and
`table1_verdict` judges every seed given, never a chosen one.
"""

from __future__ import annotations

import dataclasses
import platform
import statistics
from pathlib import Path
from types import MappingProxyType
from typing import Any

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from xorgrok.core.device import pick_device
from xorgrok.core.errors import check_choice, check_float, check_int
from xorgrok.core.records import git_sha
from xorgrok.data.base import TaskData
from xorgrok.experiments.fnn import RunConfig, build_target, make_task, train_weak
from xorgrok.experiments.transformer import QUICK_ARCH, TFRunConfig, build_model, run
from xorgrok.experiments.transformer import make_task as make_tf_task
from xorgrok.models.fnn import FNN, FNNConfig
from xorgrok.models.transformer import TransformerConfig
from xorgrok.train.history import History, first_step_reaching
from xorgrok.train.loop import GrokFastConfig, LoopConfig, make_optimizer, train_full_batch
from xorgrok.transfer import weak_embedding

SETTINGS = ("quick", "tf2", "tf8")
D_WEAK = (4, 8, 128, 256, 512)
DEFAULT_CAP = MappingProxyType({"quick": 1500, "tf2": 3000, "tf8": 10_000})
TABLE1_THRESHOLD = 5.0  # the claim: weak + GrokTransfer at least ~5x cheaper (paper 5.31x)
RATIO_KINDS = ("exact", "lower", "upper", "undetermined")


# ---------------------------------------------------------------- the one timing method
@dataclasses.dataclass
class Timed:
    """One model to time: its loop settings (lr, wd, GrokFast filter) and epochs per burst."""

    model: nn.Module
    loop: LoopConfig
    epochs: int


def epoch_seconds(model: nn.Module, task: TaskData, loop: LoopConfig, epochs: int,
                  optimizer: torch.optim.Optimizer | None = None) -> float:
    """Train-only seconds per epoch over `epochs` full-batch epochs, timed by the training loop itself."""
    epochs = check_int("epochs", epochs, lo=1)
    cfg = dataclasses.replace(loop, epochs=epochs, eval_every=epochs, stop_at_test_acc=None, warmup_steps=0)
    res = train_full_batch(model, task, cfg, optimizer=optimizer)
    return res.train_s / epochs


def alternated_seconds(entries: dict[str, Timed], task: TaskData, rounds: int) -> dict[str, list[float]]:
    """Seconds per epoch of each entry, `rounds` bursts each, taken round-robin after one warm-up burst."""
    rounds = check_int("rounds", rounds, lo=1)
    opts = {k: make_optimizer(e.model, e.loop) for k, e in entries.items()}
    for k, e in entries.items():
        epoch_seconds(e.model, task, e.loop, 1, opts[k])  # warm-up, discarded
    samples: dict[str, list[float]] = {k: [] for k in entries}
    for _ in range(rounds):
        for k, e in entries.items():
            samples[k].append(epoch_seconds(e.model, task, e.loop, e.epochs, opts[k]))
    return samples


def per_epoch_costs(cfg: RunConfig, rounds: int = 5, weak_epochs: int = 40, target_epochs: int = 4) -> dict[str, Any]:
    """Median train-only seconds per epoch of cfg's weak FNN and its target, alternated `rounds` times."""
    task = make_task(cfg).to(pick_device(cfg.device))
    weak, _ = train_weak(dataclasses.replace(cfg, weak=dataclasses.replace(cfg.weak, epochs=0)), task)
    target = build_target(cfg, task, weak_embedding(weak) if cfg.needs_weak else None).to(task.x_train.device)
    gf = GrokFastConfig(cfg.grokfast_alpha, cfg.grokfast_lamb) if cfg.method == "grokfast" else None
    s = alternated_seconds({
        "weak": Timed(weak, LoopConfig(lr=cfg.weak.lr, weight_decay=cfg.weak.weight_decay), weak_epochs),
        "target": Timed(target, LoopConfig(lr=cfg.lr, weight_decay=cfg.weight_decay, grokfast=gf), target_epochs),
    }, task, rounds)
    return {"weak_s_per_epoch": statistics.median(s["weak"]), "target_s_per_epoch": statistics.median(s["target"]),
            "weak_samples": s["weak"], "target_samples": s["target"], "threads": torch.get_num_threads()}


def combined_ratio(costs: dict[str, Any], weak_epochs: int, gt_epochs: int, scratch_epochs: int) -> float:
    """(scratch epochs × target cost) / (weak epochs × weak cost + GT epochs × target cost)."""
    tw, tt = costs["weak_s_per_epoch"], costs["target_s_per_epoch"]
    return scratch_epochs * tt / (weak_epochs * tw + gt_epochs * tt)


def epoch_timing(gt_cfg: TFRunConfig, sc_cfg: TFRunConfig, reps: int, device: torch.device,
                 rounds: int = 3, d_weak: tuple[int, ...] = D_WEAK) -> list[dict[str, Any]]:
    """ms per epoch by weak d_W: the weak FNN of gt_cfg.weak with d_embed = d_W (its own width), the GT target with
    rank-d_W A, and scratch; medians of `rounds`."""
    task = make_tf_task(gt_cfg).to(device)
    rows = []
    for d_w in d_weak:
        wcfg = RunConfig(task=gt_cfg.task, seed=gt_cfg.seed, weak=dataclasses.replace(gt_cfg.weak, d_embed=d_w,
                                                                                       epochs=0))
        weak, _ = train_weak(wcfg, task)
        gt_model = build_model(gt_cfg, task, weak_embedding(weak)).to(device)
        sc_model = build_model(sc_cfg, task, None).to(device)
        s = alternated_seconds({
            "weak": Timed(weak, LoopConfig(lr=gt_cfg.weak.lr, weight_decay=gt_cfg.weak.weight_decay), reps),
            "groktransfer": Timed(gt_model, LoopConfig(lr=gt_cfg.lr, weight_decay=gt_cfg.weight_decay), reps),
            "scratch": Timed(sc_model, LoopConfig(lr=sc_cfg.lr, weight_decay=sc_cfg.weight_decay), reps),
        }, task, rounds)
        rows.append({"d_W": d_w, **{f"{k}_ms": 1000.0 * statistics.median(v) for k, v in s.items()},
                     "samples_ms": {k: [1000.0 * x for x in v] for k, v in s.items()}})
    return rows


# ---------------------------------------------------------------- FLOPs
def transformer_forward_flops(cfg: TransformerConfig, ctx: int, rank: int | None = None) -> int:
    """Matmul FLOPs (2 per multiply-add) of one forward pass on one sequence of length ctx.

    Per layer: Q, K, V and O projections 4·2·ctx·d·(H·dh); scores and weighted sum 2·2·H·ctx²·dh;
    MLP 2·2·ctx·d·d_mlp. Plus the unembedding at the last position, 2·d·n_out, and for a factorised
    embedding E = A·B the product of the gathered rows of A with B, 2·ctx·r·d (a full table is a lookup).
    """
    da = cfg.n_heads * cfg.d_head
    layer = 8 * ctx * cfg.d_embed * da + 4 * cfg.n_heads * ctx * ctx * cfg.d_head + 4 * ctx * cfg.d_embed * cfg.d_mlp
    emb = 2 * ctx * rank * cfg.d_embed if rank else 0
    return cfg.n_layers * layer + 2 * cfg.d_embed * cfg.n_out + emb


def fnn_forward_flops(cfg: FNNConfig) -> int:
    """A token-input FNN: lookup (0 FLOPs), then n_layers bias-free matmuls d_in → width → … → n_out."""
    dims = [cfg.d_in] + [cfg.width] * (cfg.n_layers - 1) + [cfg.n_out]
    return sum(2 * a * b for a, b in zip(dims[:-1], dims[1:]))


def counted_forward_flops(model: torch.nn.Module, x: torch.Tensor) -> float:
    """Brute force: torch.utils.flop_counter on a real forward pass, per example."""
    with FlopCounterMode(display=False) as fc, torch.no_grad():
        model(x)
    return fc.get_total_flops() / x.shape[0]


def flops_per_example(gt_cfg: TFRunConfig) -> dict[str, Any]:
    """Forward FLOPs per example of weak, GT target (rank-4 A) and scratch: formula and flop_counter."""
    task = make_tf_task(dataclasses.replace(gt_cfg, device="cpu"))
    x = task.x_train[:8]
    gt_model = build_model(gt_cfg, task, torch.zeros(task.meta["modulus"], 4))
    tcfg = gt_model.cfg
    assert isinstance(tcfg, TransformerConfig)
    weak_cfg = FNNConfig(vocab_size=tcfg.vocab, d_embed=4, width=16, n_layers=2, n_out=tcfg.n_out)
    sc_model = build_model(dataclasses.replace(gt_cfg, method="scratch"), task, None)
    n_body = tcfg.n_layers * (4 * tcfg.d_embed * tcfg.n_heads * tcfg.d_head + 2 * tcfg.d_embed * tcfg.d_mlp)
    return {"formula": {"weak": fnn_forward_flops(weak_cfg), "groktransfer": transformer_forward_flops(tcfg, 2, rank=4),
                        "scratch": transformer_forward_flops(tcfg, 2)},
            "counted": {"weak": counted_forward_flops(FNN(weak_cfg), x),
                        "groktransfer": counted_forward_flops(gt_model, x),
                        "scratch": counted_forward_flops(sc_model, x)},
            "n_train": len(task.y_train), "non_embedding_params": n_body,
            "paper_N_formula": 2 * tcfg.d_embed * tcfg.n_layers * (2 * tcfg.d_head + tcfg.d_mlp)}


# ---------------------------------------------------------------- Table 1, one seed at a time
def hardware(device: torch.device) -> str:
    if device.type == "cuda":
        return f"{torch.cuda.get_device_name(device)} (CUDA {torch.version.cuda}, torch {torch.__version__})"
    cpu = platform.processor() or "cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {torch.get_num_threads()} torch thread(s), CPU"


def setting_configs(setting: str, target_acc: float, max_epochs: int, device: str, seed: int = 0,
                    weak_epochs: int | None = None) -> tuple[TFRunConfig, TFRunConfig]:
    """(GrokTransfer, scratch) run configs of a cost setting, both stopping at `target_acc` test accuracy.

    tf8 = the paper's Table 1 (8-layer target, Fig. 8(a) hyperparameters), tf2 = the GrokFast 2-layer
    target, quick = a 2-layer d_embed 64 target with the Fig. 8(a) hyperparameters. `weak_epochs` caps the
    weak model's epochs (tiny test runs); by default it trains to its 30 % transfer point (cap 10^4).
    """
    check_choice("setting", setting, SETTINGS)
    check_float("target_acc", target_acc, 0.0, 1.0, lo_open=True)
    check_int("seed", seed, lo=0)
    preset = {"quick": "paper8", "tf2": "grokfast", "tf8": "paper8"}[setting]
    arch = QUICK_ARCH["paper8"] if setting == "quick" else {}
    gt = (0.6, 5e-3, 0.1) if setting == "tf2" else (0.7, 1e-3, 1.0)
    common: dict[str, Any] = dict(task="add", preset=preset, arch=arch, epochs=max_epochs, eval_every=5,
                                  stop_at_test_acc=target_acc, device=device, seed=seed)
    gt_cfg = TFRunConfig(method="groktransfer", init_scale=gt[0], lr=gt[1], weight_decay=gt[2], **common)
    if weak_epochs is not None:
        gt_cfg = dataclasses.replace(gt_cfg, weak=dataclasses.replace(gt_cfg.weak, epochs=weak_epochs))
    return gt_cfg, TFRunConfig(method="scratch", init_scale=0.4, lr=5e-4, weight_decay=1.0, **common)


def table1_bound(runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The ratio scratch / (weak + GrokTransfer) of train times, and what it is when a target was capped.

    A target that stopped at the epoch cap before the test-accuracy target would have needed at least its
    measured time: a capped scratch makes the ratio a lower bound, a capped GrokTransfer an upper bound,
    both capped leaves it undetermined (a ratio of two lower bounds). The weak model's time is what the
    pipeline spent up to the transfer (flagged when it never reached its transfer accuracy).
    """
    w, g, s = runs["weak"], runs["groktransfer"], runs["scratch"]
    ratio = s["train_s"] / (w["train_s"] + g["train_s"])
    if g["reached"] and s["reached"]:
        kind, why = "exact", "both targets reached the test accuracy"
    elif g["reached"]:
        kind, why = "lower", "scratch hit the epoch cap first: its real time is longer, so the ratio is at least this"
    elif s["reached"]:
        kind, why = "upper", ("GrokTransfer hit the epoch cap first: its real time is longer, so the ratio is at "
                              "most this")
    else:
        kind, why = "undetermined", "both targets hit the epoch cap: neither time is known"
    if not w.get("reached", True):
        why += "; the weak model never reached its transfer accuracy (transferred at its cap)"
    return {"ratio": ratio, "ratio_kind": kind, "ratio_why": why}


def ratio_text(rec: dict[str, Any]) -> str:
    sign = {"exact": "", "lower": ">= ", "upper": "<= ", "undetermined": "? "}[rec["ratio_kind"]]
    return f"{sign}{rec['ratio']:.2f}" + (" (undetermined)" if rec["ratio_kind"] == "undetermined" else "")


def seed_outcome(rec: dict[str, Any], threshold: float = TABLE1_THRESHOLD) -> bool | None:
    """True: the ratio is (at least) >= threshold; False: it is (at most) < threshold; None: the bound cannot say."""
    r, kind = rec["ratio"], rec["ratio_kind"]
    if kind == "exact":
        return r >= threshold
    if kind == "lower":
        return True if r >= threshold else None
    if kind == "upper":
        return False if r < threshold else None
    return None


def table1_verdict(records: list[dict[str, Any]], threshold: float = TABLE1_THRESHOLD) -> tuple[str, str]:
    """(verdict, rule) over every seed record given: any seed below -> differs; all at or above -> reproduced."""
    rule = (f"rule, per seed: scratch / (weak + GrokTransfer) >= {threshold:g} (paper 5.31x, A100, 8-layer "
            "target); a lower bound >= the threshold passes, an upper bound below it fails, any other bound is "
            "open; verdict over every seed with a record: one failing seed -> differs, all passing -> "
            "reproduced, else out of reach")
    outcomes = [seed_outcome(r, threshold) for r in records]
    if not outcomes:
        return "out of reach", rule
    if False in outcomes:
        return "differs", rule
    if all(o is True for o in outcomes):
        return "reproduced", rule
    return "out of reach", rule


def _reached(hist: dict[str, Any] | None, acc: float | None) -> bool:
    if hist is None or acc is None:
        return True
    return first_step_reaching(History.from_dict(hist), "test_acc", acc) is not None


def table1_seed(setting: str, seed: int, target_acc: float, max_epochs: int, device_name: str,
                weak_epochs: int | None = None, partial_dir: Path | None = None,
                progress: bool = False) -> dict[str, Any]:
    """One seed of Table 1: weak + GrokTransfer and scratch, each to `target_acc` test accuracy (or the cap).

    `partial_dir`: the two target runs write their partial curves there while they train.
    """
    device = pick_device(device_name)
    gt_cfg, sc_cfg = setting_configs(setting, target_acc, max_epochs, device_name, seed, weak_epochs)

    def partial(method: str) -> Path | None:
        return None if partial_dir is None else partial_dir / f"cost_{setting}_s{seed}_{method}.partial.json"

    gt = run(gt_cfg, progress=progress, partial_path=partial("groktransfer"))
    sc = run(sc_cfg, progress=progress, partial_path=partial("scratch"))
    whist = gt["history"]["weak"]
    runs = {
        "weak": {"train_s": gt["metrics"]["weak_train_s"], "epochs": whist["steps"][-1],
                 "reached": _reached(whist, gt_cfg.weak.stop_at_test_acc)},
        "groktransfer": {"train_s": gt["metrics"]["target_train_s"], "epochs": gt["metrics"]["epochs_run"],
                         "reached": _reached(gt["history"]["target"], target_acc)},
        "scratch": {"train_s": sc["metrics"]["target_train_s"], "epochs": sc["metrics"]["epochs_run"],
                    "reached": _reached(sc["history"]["target"], target_acc)},
    }
    for method in ("groktransfer", "scratch"):
        p = partial(method)
        if p is not None:
            p.unlink(missing_ok=True)  # superseded by this record
    return {"kind": "cost/table1", "setting": setting, "seed": seed, "target_test_acc": target_acc,
            "max_epochs": max_epochs, "weak_epochs_cap": gt_cfg.weak.epochs, "hardware": hardware(device),
            "device": str(device), "git_sha": git_sha(), "runs": runs, **table1_bound(runs),
            "note": "train time = forward + backward + optimizer step (evaluation excluded), one process"}


def timing_record(setting: str, reps: int, device_name: str, rounds: int = 3,
                  d_weak: tuple[int, ...] = D_WEAK) -> dict[str, Any]:
    """Per-epoch ms by weak d_W and forward FLOPs per example of one setting (seed-independent)."""
    device = pick_device(device_name)
    gt_cfg, sc_cfg = setting_configs(setting, 0.95, 1, device_name)
    return {"kind": "cost/timing", "setting": setting, "hardware": hardware(device), "device": str(device),
            "git_sha": git_sha(), "epoch_reps": reps, "rounds": rounds,
            "timing_method": "experiments.cost.epoch_seconds (the training loop's train_s per epoch), round-robin "
                             "bursts after one warm-up burst each, median of the rounds",
            "epoch_timing_ms": epoch_timing(gt_cfg, sc_cfg, reps, device, rounds, d_weak),
            "flops_per_example": flops_per_example(gt_cfg)}


def total_forward_flops(seed_rec: dict[str, Any], flops: dict[str, Any]) -> dict[str, float]:
    """Forward FLOPs per example × training examples × epochs run, per model of one seed record."""
    return {k: flops["formula"][k] * flops["n_train"] * (seed_rec["runs"][k]["epochs"] or 0)
            for k in ("weak", "groktransfer", "scratch")}


def record_name(setting: str, seed: int | None = None) -> str:
    """File names of the cost records: cost_<setting>_s<seed>.json per seed, cost_<setting>_timing.json."""
    return f"cost_{setting}_timing.json" if seed is None else f"cost_{setting}_s{seed}.json"


def load_seed_records(folder: Path, setting: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Every per-seed Table 1 record of `setting` in `folder` (sorted by seed), and notes on unfinished seeds.

    A record from before per-seed records (cost_<setting>.json, seed 0) is read as seed 0 when no
    cost_<setting>_s0.json exists; its bound is recomputed from its runs by `table1_bound`.
    """
    import json

    recs: dict[int, dict[str, Any]] = {}
    for f in sorted(folder.glob(f"cost_{setting}_s*.json")):
        tail = f.name.removesuffix(".json").rsplit("_s", 1)[-1]
        if tail.isdigit():
            recs[int(tail)] = json.loads(f.read_text())
    legacy = folder / f"cost_{setting}.json"
    if 0 not in recs and legacy.is_file():
        old = json.loads(legacy.read_text())
        if "runs" in old:
            recs[0] = {**old, "seed": 0, **table1_bound(old["runs"])}
    notes = sorted({f.name.split("_s", 1)[1].split("_", 1)[0] for f in folder.glob(f"cost_{setting}_s*.partial.json")})
    unfinished = [f"seed {s}: unfinished (partial curves only, not judged)" for s in notes
                  if s.isdigit() and int(s) not in recs]
    return [recs[s] for s in sorted(recs)], unfinished
