"""The report's cost rows read every per-seed record from ctx.runs_dir/cost and judge them all."""

from __future__ import annotations

import json
from pathlib import Path

from xorgrok.experiments.cost import record_name, table1_bound
from xorgrok.report import ReportContext
from xorgrok.report.claims_transformer import measure_cost_ratio, measure_epoch_timing


def _write(folder: Path, setting: str, seed: int, times: tuple[float, float, float], reached=(True, True)) -> None:
    runs = {"weak": {"train_s": times[0], "epochs": 100, "reached": True},
            "groktransfer": {"train_s": times[1], "epochs": 200, "reached": reached[0]},
            "scratch": {"train_s": times[2], "epochs": 900, "reached": reached[1]}}
    rec = {"seed": seed, "setting": setting, "target_test_acc": 0.95, "hardware": f"hw-{setting}", "runs": runs,
           **table1_bound(runs)}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / record_name(setting, seed)).write_text(json.dumps(rec))


def test_every_seed_is_judged_and_one_failing_seed_decides(tmp_path: Path):
    cost = tmp_path / "cost"
    _write(cost, "tf2", 0, (1.0, 1.0, 20.0))  # 10x
    _write(cost, "tf2", 1, (1.0, 1.0, 6.0))  # 3x
    m = measure_cost_ratio(ReportContext(quick=False, runs_dir=tmp_path))
    assert m.verdict == "differs" and "seed 0:" in m.measured and "seed 1:" in m.measured
    _write(cost, "tf2", 1, (1.0, 1.0, 16.0), reached=(True, False))  # at least 8x
    m = measure_cost_ratio(ReportContext(quick=False, runs_dir=tmp_path))
    assert m.verdict == "reproduced" and ">= 8.00" in m.measured and "lower" in m.measured


def test_full_mode_prefers_the_paper_tf8_setting_and_quick_reads_quick(tmp_path: Path):
    cost = tmp_path / "cost"
    _write(cost, "tf2", 0, (1.0, 1.0, 20.0))
    _write(cost, "tf8", 0, (1.0, 1.0, 4.0), reached=(False, True))  # at most 2x
    _write(cost, "quick", 0, (1.0, 1.0, 2.0), reached=(False, False))
    full = measure_cost_ratio(ReportContext(quick=False, runs_dir=tmp_path))
    assert "setting tf8" in full.measured and "hw-tf8" in full.measured and full.verdict == "differs"
    quick = measure_cost_ratio(ReportContext(quick=True, runs_dir=tmp_path))
    assert "setting quick" in quick.measured and quick.verdict == "out of reach"


def test_missing_records_are_out_of_reach_with_the_command(tmp_path: Path):
    m = measure_cost_ratio(ReportContext(quick=False, runs_dir=tmp_path))
    assert m.verdict == "out of reach" and "python -m xorgrok cost --setting tf2" in m.why
    assert measure_epoch_timing(ReportContext(quick=False, runs_dir=tmp_path)).verdict == "out of reach"
