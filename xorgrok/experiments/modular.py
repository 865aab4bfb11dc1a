"""python -m xorgrok modular: weak → target GrokTransfer vs scratch vs GrokFast, over seeds, with records.

Per seed, in one process and in this order: train the weak model once (checkpoint E_W), then the target
with each method. Every run leaves a RunRecord under --out (skipped when it exists: rerunning resumes).
The summary gives per method the Time Gap and epochs to 95 %/99 % test accuracy over seeds, and per seed
the cost ratio scratch / (weak + GrokTransfer target), from wall clocks measured in the same process.
Default settings are the paper's (Fig. 6); --quick is a reduced setting for smoke tests.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xorgrok.core.errors import InputError, check_float
from xorgrok.core.records import atomic_write_json, load_record_or_set_aside
from xorgrok.experiments.common import RunMetrics, partial_path_of
from xorgrok.experiments.fnn import RunConfig, run_one, save_weak_checkpoint
from xorgrok.experiments.grid import config_hash, record_path
from xorgrok.experiments.modular_weak import checkpoint_path
from xorgrok.experiments.presets import fnn_preset


def parse_setting(name: str, text: str) -> tuple[float, float, float]:
    try:
        a, b, c = (float(v) for v in text.split(","))
    except ValueError:
        raise InputError(f"{name} must be 'init,lr,wd' (three numbers), got {text!r}") from None
    return (
        check_float(f"{name} init", a, 0.0, lo_open=True),
        check_float(f"{name} lr", b, 0.0, lo_open=True),
        check_float(f"{name} wd", c, 0.0),
    )


def build_configs(
    task: str,
    methods: Sequence[str],
    seeds: Sequence[int],
    quick: bool,
    overrides: dict[str, Any],
    setting: dict[str, tuple[float, float, float]] | None = None,
    weak_setting: tuple[float, float, float] | None = None,
    weak_epochs: int | None = None,
) -> list[RunConfig]:
    """One config per (seed, method): the preset, then `overrides` (RunConfig keys, dotted `weak.*` keys
    allowed), then the (init, lr, wd) triples of `setting` / `weak_setting` and `weak_epochs`."""
    out = []
    for s in seeds:
        for m in methods:
            over = dict(overrides)
            if setting and m in setting:
                over.update(zip(("init_scale", "lr", "weight_decay"), setting[m], strict=True))
            if weak_setting is not None:
                over.update(zip(("weak.init_scale", "weak.lr", "weak.weight_decay"), weak_setting, strict=True))
            if weak_epochs is not None:
                over["weak.epochs"] = weak_epochs
            out.append(fnn_preset(task, m, quick=quick, seed=s, overrides=over))
    return out


def weak_path(out_dir: Path, cfg: RunConfig) -> Path:
    """One weak checkpoint per (task setting, weak config, seed): target-only fields do not enter its name."""
    fields = ("task", "modulus", "train_fraction", "split_seed", "q", "k", "n", "n_test", "seed", "weak", "device")
    key = {f: getattr(cfg, f) for f in fields}
    return Path(out_dir) / "weak" / f"weak-{cfg.task}-s{cfg.seed}-{config_hash(key)}.pt"


def run_configs(configs: Sequence[RunConfig], out_dir: Path, progress: bool = True) -> list[dict[str, Any]]:
    """Run each config (weak checkpoint first where needed), skipping runs that already have a record."""
    records = []
    for cfg in configs:
        if cfg.needs_weak and cfg.weak_checkpoint is None:
            wp = weak_path(out_dir, cfg)
            if not wp.exists():
                info = save_weak_checkpoint(cfg, wp, progress=progress)
                atomic_write_json(wp.with_suffix(".json"), info)
            cfg = dataclasses.replace(cfg, weak_checkpoint=str(wp))
        path = record_path(out_dir / "runs", cfg)
        if path.exists() and (old := load_record_or_set_aside(path)) is not None:
            records.append(old)
            continue
        partial = partial_path_of(path)
        rec = run_one(cfg, progress=progress, partial_path=partial)
        partial.unlink(missing_ok=True)  # the full record supersedes it
        atomic_write_json(path, rec)
        records.append(rec)
        m = RunMetrics.from_record(rec)
        print(
            f"[{cfg.method} seed {cfg.seed}] time_gap={m.time_gap} to99={m.epochs_to_99_test} "
            f"final_test={m.final_test_acc:.4f} target_wall={m.target_wall_s:.1f}s",
            file=sys.stderr,
        )
    return records


def _stats(values: list[Any]) -> dict[str, Any]:
    got = [v for v in values if v is not None]
    return {
        "values": values,
        "n_reached": len(got),
        "n": len(values),
        "mean": statistics.fmean(got) if got else None,
        "min": min(got) if got else None,
        "max": max(got) if got else None,
    }


def summarise_runs(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per method: Time Gap and epochs to 95/99 % test over seeds; per seed: cost ratio (same process)."""
    by_method: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_method.setdefault(r["config"]["method"], []).append(r)
    out: dict[str, Any] = {"methods": {}, "cost_ratio": {}}
    for meth, recs in by_method.items():
        recs = sorted(recs, key=lambda r: r["seed"])
        ms = [RunMetrics.from_record(r) for r in recs]
        out["methods"][meth] = {
            "seeds": [r["seed"] for r in recs],
            # a diverged run has no accuracy to average: None there, and where it blew up
            "diverged_at": [r["metrics"].get("diverged_at") for r in recs],
            "time_gap": _stats([m.time_gap for m in ms]),
            "epochs_to_95_test": _stats([m.epochs_to_95_test for m in ms]),
            "epochs_to_99_test": _stats([m.epochs_to_99_test for m in ms]),
            "epochs_to_95_train": _stats([m.epochs_to_95_train for m in ms]),
            "final_test_acc": _stats([None if r["metrics"].get("diverged_at") is not None else m.final_test_acc
                                      for r, m in zip(recs, ms)]),
            "target_wall_s": [m.target_wall_s for m in ms],
            "weak_wall_s": [m.weak_wall_s for m in ms],
        }
    gt = {r["seed"]: RunMetrics.from_record(r) for r in by_method.get("groktransfer", [])}
    for r in by_method.get("scratch", []):
        gm = gt.get(r["seed"])
        if gm is None:
            continue
        sm = RunMetrics.from_record(r)
        assert gm.target_wall_s is not None and sm.target_wall_s is not None  # full records carry both
        combined = (gm.weak_wall_s or math.nan) + gm.target_wall_s
        combined_train = (gm.weak_train_s or math.nan) + (gm.target_train_s or math.nan)
        out["cost_ratio"][str(r["seed"])] = {
            "weak_wall_s": gm.weak_wall_s,
            "gt_target_wall_s": gm.target_wall_s,
            "scratch_wall_s": sm.target_wall_s,
            "ratio_wall": sm.target_wall_s / combined,
            "ratio_train_only": (sm.target_train_s or math.nan) / combined_train,
            "both_reached_stop": gm.epochs_to_99_test is not None and sm.epochs_to_99_test is not None,
        }
    return out


def format_summary(summary: dict[str, Any]) -> str:
    """A short text table: per method the per-seed Time Gap and epochs to 95/99 % test; cost ratios."""
    lines = [f"{'method':14s} {'seeds':12s} {'time gap':22s} {'to 95% test':22s} {'to 99% test':22s}"]
    for m, s in summary["methods"].items():
        lines.append(
            f"{m:14s} {str(s['seeds']):12s} {str(s['time_gap']['values']):22s} "
            f"{str(s['epochs_to_95_test']['values']):22s} {str(s['epochs_to_99_test']['values']):22s}"
        )
    for m, s in summary["methods"].items():
        lines += [f"{m} seed {seed}: diverged at step {k} (no accuracy)"
                  for seed, k in zip(s["seeds"], s.get("diverged_at", [])) if k is not None]
    for seed, r in summary["cost_ratio"].items():
        lines.append(
            f"seed {seed}: scratch / (weak + GrokTransfer) = {r['ratio_wall']:.2f}x wall, "
            f"{r['ratio_train_only']:.2f}x train-only" + ("" if r["both_reached_stop"] else " (a run hit the cap)")
        )
    return "\n".join(lines)


def with_grid_checkpoints(configs: Sequence[RunConfig], grid_dir: Path, at: str) -> list[RunConfig]:
    """GrokTransfer configs whose E_W is the weak-grid checkpoint of (their weak recipe, their seed) at `at`.

    A missing checkpoint (the weak run never reached that accuracy, or was not run) is an InputError."""
    out = []
    for cfg in configs:
        if cfg.needs_weak:
            path = checkpoint_path(grid_dir, cfg, cfg.weak, cfg.seed, at)
            if not path.exists():
                raise InputError(f"--weak-from: no checkpoint {path.name} (weak seed {cfg.seed} at {at}) in {grid_dir}")
            cfg = dataclasses.replace(cfg, weak_checkpoint=str(path))
        out.append(cfg)
    return out
