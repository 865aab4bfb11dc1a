"""The weak FNN recipe for modular GrokTransfer: grid runs over (init, lr, wd) × seeds, checkpoints, selection.

Each (recipe, seed) trains the weak FNN of `RunConfig.weak` (stream "fnn-weak" of the seed, so the weak model
of GrokTransfer seed s is the grid's seed s) for `weak.epochs` epochs on the target's split, and keeps E_W at
the end and at the first logged epoch where test accuracy reaches each of `CHECKPOINT_ACCS` (the Fig. 7 view:
a target trained from a weak model caught at 40 % / 60 % / 80 %). Each checkpoint has a sibling JSON whose
`metrics` give the weak accuracies at that epoch, so a GrokTransfer record built from it carries the weak
accuracy *at transfer*.

Selection rule (fixed before the runs): a recipe "groks reliably" when at least `needed(n)` of its n seeds
(6 of 8; or a stated `min_success`) reach `GROK_ACC` test accuracy within the cap; among those, the one
whose median epoch to `GROK_ACC` is smallest. No recipe passing is reported as such (`select_recipe` returns None).
"""

from __future__ import annotations

import dataclasses
import io
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from xorgrok.core.errors import InputError
from xorgrok.core.records import atomic_write_bytes, atomic_write_json, load_record
from xorgrok.experiments.common import summarise
from xorgrok.experiments.fnn import FnnWeakConfig, RunConfig, make_task, train_weak_fnn
from xorgrok.experiments.grid import config_hash
from xorgrok.train.history import History
from xorgrok.transfer import weak_embedding

GROK_ACC = 0.9  # "groks": reaches 90 % test accuracy within the cap
CHECKPOINT_ACCS = (0.4, 0.6, 0.8)


def recipe_of(weak: FnnWeakConfig) -> tuple[float, float, float]:
    return (weak.init_scale, weak.lr, weak.weight_decay)


def weak_tag(task_cfg: RunConfig, weak: FnnWeakConfig, seed: int) -> str:
    """A file stem naming (task split, weak config, seed); target-only fields do not enter it."""
    fields = ("task", "modulus", "train_fraction", "split_seed", "device")
    key = {f: getattr(task_cfg, f) for f in fields} | {"weak": dataclasses.asdict(weak), "seed": seed}
    i, lr, wd = recipe_of(weak)
    return f"weakgrid-i{i:g}-lr{lr:g}-wd{wd:g}-s{seed}-{config_hash(key)}"


def checkpoint_path(out_dir: Path, task_cfg: RunConfig, weak: FnnWeakConfig, seed: int, at: str) -> Path:
    """The E_W checkpoint of (recipe, seed) at `at` ('final' or an accuracy such as '0.4')."""
    if at != "final" and float(at) not in CHECKPOINT_ACCS:
        raise InputError(f"--weak-at must be 'final' or one of {', '.join(map(str, CHECKPOINT_ACCS))}, got {at!r}")
    return Path(out_dir) / "ckpt" / f"{weak_tag(task_cfg, weak, seed)}-at{at}.pt"


def record_file(out_dir: Path, task_cfg: RunConfig, weak: FnnWeakConfig, seed: int) -> Path:
    return Path(out_dir) / f"{weak_tag(task_cfg, weak, seed)}.json"


def _save(path: Path, E_W: torch.Tensor, info: dict[str, Any]) -> None:
    buf = io.BytesIO()
    torch.save({"E_W": E_W, "wall_s": float("nan"), "train_s": float("nan")}, buf)
    atomic_write_bytes(path, buf.getvalue())
    atomic_write_json(path.with_suffix(".json"), info)


def run_weak(task_cfg: RunConfig, weak: FnnWeakConfig, seed: int, out_dir: Path) -> dict[str, Any]:
    """Train one (recipe, seed); save its checkpoints; return (and write) its small record. Resumes: an
    existing record is returned as is."""
    rec_path = record_file(out_dir, task_cfg, weak, seed)
    if rec_path.exists():
        return load_record(rec_path)
    task = make_task(task_cfg)
    caught: dict[str, dict[str, Any]] = {}

    def keep(epoch: int, model: torch.nn.Module, hist: History) -> None:
        acc = hist.values["test_acc"][-1]
        for a in CHECKPOINT_ACCS:
            if str(a) not in caught and acc >= a:
                info = {"metrics": {"final_test_acc": acc, "final_train_acc": hist.values["train_acc"][-1],
                                    "epochs_run": epoch}, "at": a}
                path = checkpoint_path(out_dir, task_cfg, weak, seed, str(a))
                _save(path, weak_embedding(model), info)
                caught[str(a)] = {"epoch": epoch, "test_acc": acc, "path": path.name}

    model, res = train_weak_fnn(weak, seed, task, callback=keep)
    m = summarise(res.history)
    final = checkpoint_path(out_dir, task_cfg, weak, seed, "final")
    _save(final, weak_embedding(model), {"metrics": m, "at": "final"})
    steps = res.history.steps
    acc = res.history.values["test_acc"]
    to_grok = next((s for s, a in zip(steps, acc) if a >= GROK_ACC), None)
    rec = {
        "kind": "modular_weak_grid",
        "recipe": list(recipe_of(weak)),
        "weak": dataclasses.asdict(weak),
        "seed": seed,
        "task": {f: getattr(task_cfg, f) for f in ("task", "modulus", "train_fraction", "split_seed")},
        "epochs_to_grok": to_grok,
        "grok_acc": GROK_ACC,
        "final_test_acc": m["final_test_acc"],
        "final_train_acc": m["final_train_acc"],
        "best_test_acc": m["best_test_acc"],
        "checkpoints": caught,
        "wall_s": res.wall_s,
        # a coarse curve (every 10th logged point) for the Fig. 7 view; the full history stays out of the record
        "curve": {"steps": steps[::10], "test_acc": acc[::10], "train_acc": res.history.values["train_acc"][::10]},
    }
    atomic_write_json(rec_path, rec)
    return rec


def needed(n: int) -> int:
    """Successes a recipe with n seeds needs to "grok reliably": all but a quarter (6 of 8, 2 of 2, 3 of 4)."""
    return n - n // 4


def select_recipe(records: Sequence[dict[str, Any]], min_success: int | None = None) -> dict[str, Any] | None:
    """The reliably grokking recipe (module docstring), or None when no recipe has enough successes:
    `min_success` of its seeds, or `needed(n)` of its n seeds when None."""
    by: dict[tuple[float, ...], list[dict[str, Any]]] = {}
    for r in records:
        by.setdefault(tuple(r["recipe"]), []).append(r)
    passing = []
    for recipe, recs in by.items():
        hits = [r["epochs_to_grok"] for r in recs if r["epochs_to_grok"] is not None]
        if len(hits) >= (needed(len(recs)) if min_success is None else min_success):
            passing.append((statistics.median(hits), recipe, len(hits), len(recs)))
    if not passing:
        return None
    med, recipe, k, n = min(passing)
    return {"recipe": list(recipe), "n_grok": k, "n": n, "median_epochs_to_grok": med}


def grid_table(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per recipe: seeds, how many grok, epochs to grok, final test accuracies."""
    by: dict[tuple[float, ...], list[dict[str, Any]]] = {}
    for r in records:
        by.setdefault(tuple(r["recipe"]), []).append(r)
    out = []
    for recipe, recs in sorted(by.items()):
        recs = sorted(recs, key=lambda r: r["seed"])
        out.append({
            "recipe": list(recipe),
            "seeds": [r["seed"] for r in recs],
            "n_grok": sum(r["epochs_to_grok"] is not None for r in recs),
            "epochs_to_grok": [r["epochs_to_grok"] for r in recs],
            "final_test_acc": [round(r["final_test_acc"], 3) for r in recs],
        })
    return out
