"""Figure data for the FNN transfer experiments: configs, run (or load cached) records, per-seed summaries.

Figures call `records_for` with the configs they need; runs are cached as records under the figure's
output directory (`<out>/runs`), so regenerating a figure reuses finished runs and resumes unfinished ones.
The plotting of these records lives in `figures.curves`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xorgrok.experiments.common import RunMetrics
from xorgrok.experiments.fnn import RunConfig
from xorgrok.experiments.modular import run_configs
from xorgrok.experiments.presets import fnn_preset


def make_configs(task: str, method: str, seeds: Sequence[int], quick: bool, **overrides: Any) -> list[RunConfig]:
    return [fnn_preset(task, method, quick=quick, seed=s, overrides=overrides) for s in seeds]


def records_for(configs: Sequence[RunConfig], out_dir: Path, progress: bool = True) -> list[dict[str, Any]]:
    return run_configs(configs, Path(out_dir) / "runs", progress=progress)


def seed_summary(recs: Sequence[dict[str, Any]], method: str) -> dict[str, list[Any]]:
    """Per seed (sorted) of one method: Time Gap, epochs to 95 % / 99 % test, final test accuracy."""
    rs = sorted((r for r in recs if r["config"]["method"] == method), key=lambda r: r["seed"])
    ms = [RunMetrics.from_record(r) for r in rs]
    return {
        "time_gap": [m.time_gap for m in ms],
        "epochs_to_95_test": [m.epochs_to_95_test for m in ms],
        "epochs_to_99_test": [m.epochs_to_99_test for m in ms],
        "final_test_acc": [m.final_test_acc for m in ms],
        "seeds": [r["seed"] for r in rs],
    }


def replace_all(configs: Sequence[RunConfig], **changes: Any) -> list[RunConfig]:
    return [dataclasses.replace(c, **changes) for c in configs]
