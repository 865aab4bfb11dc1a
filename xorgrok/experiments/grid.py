"""Grid search over init × lr × wd with the paper's grids and selection rule (GrokTransfer §4, App. A.3.1).

The search is a list of configs and a pure function `run_fn(config) -> record dict`; nothing else.
- `expand(base, inits, lrs, wds)` lists the configs (deterministic order: init, then lr, then wd);
- `record_path(out_dir, cfg)` names each run's record by a stable hash of its full config;
- `run_grid` maps `run_fn` over the list, writes one record per run atomically, and skips runs whose
  record already exists, so an interrupted search resumes where it stopped; `shard=(i, n)` takes every
  n-th run, so n independent workers (or a distributed engine mapping `run_fn`) cover the grid once;
- `select_best(records)`: the paper's rule, the run that reaches 99 % test accuracy first (fewest epochs);
  ties go to the higher final test accuracy, then to grid order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from xorgrok.core.errors import InputError
from xorgrok.core.records import atomic_write_json, jsonable, load_record_or_set_aside
from xorgrok.experiments.common import RunMetrics

# Section 4 grid (all FNN → FNN experiments)
PAPER_INITS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5)
PAPER_LRS = (1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 1e-1, 0.5, 1.0)
PAPER_WDS = (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 2.0, 3.0, 4.0, 5.0)
# App. A.3.1 (Fig. 1(b)): GrokTransfer grid, and the scratch grid (lr and wd only)
FIG1B_GT_INITS = tuple(round(0.1 * i, 1) for i in range(1, 16))
FIG1B_GT_LRS = (1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 1e-1)
FIG1B_GT_WDS = PAPER_WDS
FIG1B_SCRATCH_LRS = (1e-3, 5e-3, 1e-2, 5e-2, 1e-1)
FIG1B_SCRATCH_WDS = (1e-2, 1e-1, 1.0, 2.0, 3.0, 4.0, 5.0)

GRIDS: dict[str, tuple[Sequence[float], Sequence[float], Sequence[float]]] = {
    "paper": (PAPER_INITS, PAPER_LRS, PAPER_WDS),
    "fig1b-groktransfer": (FIG1B_GT_INITS, FIG1B_GT_LRS, FIG1B_GT_WDS),
    "fig1b-scratch": ((1.0,), FIG1B_SCRATCH_LRS, FIG1B_SCRATCH_WDS),
}


def expand(base: Any, inits: Iterable[float], lrs: Iterable[float], wds: Iterable[float]) -> list[Any]:
    """Copies of dataclass `base` with (init_scale, lr, weight_decay) over the product, init outermost."""
    return [
        dataclasses.replace(base, init_scale=i, lr=lr, weight_decay=wd)
        for i in inits
        for lr in lrs
        for wd in wds
    ]


def config_hash(cfg: Any) -> str:
    blob = json.dumps(jsonable(cfg), sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def _location_free(cfg: Any) -> Any:
    """The config as it enters a record's name: a weak checkpoint by its file name only (the name already
    hashes the weak config), so a moved or differently spelled output folder finds its records again."""
    ck = getattr(cfg, "weak_checkpoint", None)
    if dataclasses.is_dataclass(cfg) and not isinstance(cfg, type) and ck is not None:
        return dataclasses.replace(cfg, weak_checkpoint=Path(ck).name)
    return cfg


def record_path(out_dir: str | Path, cfg: Any) -> Path:
    tag = "-".join(
        f"{k}{getattr(cfg, f)}"
        for k, f in (
            ("", "method"),
            ("init", "init_scale"),
            ("lr", "lr"),
            ("wd", "weight_decay"),
            ("s", "seed"),
        )
        if hasattr(cfg, f)
    )
    return Path(out_dir) / f"{tag}-{config_hash(_location_free(cfg))}.json"


def parse_shard(text: str) -> tuple[int, int]:
    """'i/n' with 0 <= i < n."""
    try:
        i, n = (int(v) for v in text.split("/"))
    except ValueError:
        raise InputError(f"shard must look like i/n (e.g. 0/4), got {text!r}") from None
    if not (n >= 1 and 0 <= i < n):
        raise InputError(f"shard i/n needs 0 <= i < n and n >= 1, got {text!r}")
    return i, n


def run_grid(
    configs: Sequence[Any],
    out_dir: str | Path,
    run_fn: Callable[[Any], dict[str, Any]],
    *,
    shard: tuple[int, int] = (0, 1),
    progress: bool = True,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Run every config of this shard whose record does not exist yet; return all of the shard's records."""
    i, n = shard
    mine = [c for k, c in enumerate(configs) if k % n == i]
    records: list[dict[str, Any]] = []
    done_now = 0
    for cfg in tqdm(mine, desc="grid", disable=not progress):
        path = record_path(out_dir, cfg)
        if path.exists() and (old := load_record_or_set_aside(path)) is not None:
            records.append(old)
            continue
        if limit is not None and done_now >= limit:
            continue
        rec = run_fn(cfg)
        atomic_write_json(path, rec)
        records.append(rec)
        done_now += 1
    return records


def select_best(
    records: Sequence[dict[str, Any]], threshold_key: str = "epochs_to_99_test"
) -> dict[str, Any] | None:
    """The paper's rule: fewest epochs to 99 % test accuracy; None if no run reached it."""
    metrics = [RunMetrics.from_record(r) for r in records]
    split, percent = threshold_key.removeprefix("epochs_to_").split("_")[::-1]
    reached = [
        (m.threshold_epoch(split, int(percent)), -float(m.final_test_acc), k, r)
        for k, (m, r) in enumerate(zip(metrics, records, strict=True))
        if m.threshold_epoch(split, int(percent)) is not None
    ]
    if not reached:
        return None
    return min(reached, key=lambda t: t[:3])[3]
