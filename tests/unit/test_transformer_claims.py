"""The Transformer claims' verdict rules on hand-made records (seed pairing, lower bounds, missing runs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xorgrok.experiments.transformer import paper_runs
from xorgrok.report import ReportContext
from xorgrok.report import claims_transformer as ct


def _rec(cfg, gap: int | None, to95_train: int | None, epochs: int = 3000) -> dict:
    to95_test = None if gap is None or to95_train is None else to95_train + gap
    m = {"time_gap": gap, "epochs_to_95_train": to95_train, "epochs_to_95_test": to95_test,
         "epochs_to_99_train": None, "epochs_to_99_test": None, "final_train_acc": 1.0,
         "best_test_acc": 0.99 if gap is not None else 0.4, "final_test_acc": 0.99 if gap is not None else 0.4,
         "epochs_run": epochs, "weak_final_test_acc": 0.3 if cfg.method == "groktransfer" else None}
    return {"config": {**cfg.__dict__, "weak": {}}, "metrics": m}


def _write(folder: Path, exp: str, seed: int, gaps: dict[str, tuple[int | None, int | None]]) -> None:
    for cfg in paper_runs(exp, False):
        if cfg.method in gaps:
            path = folder / f"{exp}_{cfg.task}_{cfg.method}_{cfg.preset}_s{seed}.json"
            path.write_text(json.dumps(_rec(cfg, *gaps[cfg.method])))


@pytest.fixture
def out(tmp_path):
    (tmp_path / ct.FAMILY).mkdir()
    return tmp_path / ct.FAMILY


def _ctx(out: Path) -> ReportContext:
    return ReportContext(runs_dir=out.parent)


def test_fig8b_rule_factor_five(out):
    _write(out, "fig8b", 0, {"groktransfer": (40, 100), "grokfast": (1000, 400)})
    assert ct.measure_grokfast_gap("fig8b", _ctx(out)).verdict == "reproduced"
    _write(out, "fig8b", 0, {"groktransfer": (300, 100), "grokfast": (1000, 400)})  # 300 > 1000 / 5
    assert ct.measure_grokfast_gap("fig8b", _ctx(out)).verdict == "differs"
    assert ct.measure_grokfast_gap("fig8b", _ctx(out), factor=1.0).verdict == "reproduced"  # 300 <= 1000


def test_groktransfer_never_reaching_95_differs_and_grokfast_lower_bound_counts(out):
    _write(out, "fig16", 0, {"groktransfer": (None, 100), "grokfast": (None, 330)})
    assert ct.measure_grokfast_gap("fig16", _ctx(out), factor=1.0).verdict == "differs"
    _write(out, "fig16", 0, {"groktransfer": (870, 180), "grokfast": (None, 330)})  # GrokFast >= 3000 - 330
    m = ct.measure_grokfast_gap("fig16", _ctx(out), factor=1.0)
    assert m.verdict == "reproduced" and ">= 2670" in m.measured
    _write(out, "fig16", 0, {"groktransfer": (870, 180), "grokfast": (None, None)})  # GrokFast never fitted
    assert ct.measure_grokfast_gap("fig16", _ctx(out), factor=1.0).verdict == "out of reach"


def test_every_paired_seed_must_pass_and_unpaired_seeds_are_shown_not_judged(out):
    _write(out, "fig8b", 0, {"groktransfer": (40, 100), "grokfast": (1000, 400)})
    _write(out, "fig8b", 2, {"groktransfer": (None, 100)})  # GT only: shown, not judged
    m = ct.measure_grokfast_gap("fig8b", _ctx(out))
    assert m.verdict == "reproduced" and "seed 2" in m.measured and "not judged" in m.measured
    assert "1/1 paired" in m.measured
    _write(out, "fig8b", 1, {"groktransfer": (400, 100), "grokfast": (1000, 400)})  # fails 1/5
    m = ct.measure_grokfast_gap("fig8b", _ctx(out))
    assert m.verdict == "differs" and "1/2 paired" in m.measured


def test_missing_seed0_record_is_out_of_reach_with_command(out):
    m = ct.measure_grokfast_gap("fig8b", _ctx(out))
    assert m.verdict == "out of reach" and "--experiment fig8b" in m.why


def test_a_diverged_run_is_reported_as_diverged_not_read_as_an_accuracy(out):
    _write(out, "fig8b", 0, {"groktransfer": (40, 100), "grokfast": (1000, 400)})
    path = next(out.glob("fig8b_*_grokfast_*_s0.json"))
    rec = json.loads(path.read_text())
    rec["metrics"].update(diverged_at=120, diverged_quantity="train_loss")
    path.write_text(json.dumps(rec))
    m = ct.measure_grokfast_gap("fig8b", _ctx(out))
    assert m.verdict == "out of reach" and "diverged at epoch 120 (train_loss)" in m.measured
