"""Resuming over a corrupt or foreign run record recomputes that run (the bad file is kept aside with a
suffix and the command says so) instead of crashing; a truncated weak checkpoint is one line, exit 2."""

from __future__ import annotations

import json

from xorgrok.commands.grid import main as grid_main
from xorgrok.commands.modular import main as modular_main
from xorgrok.core.cli import run_main

TINY = ["--quick", "--epochs", "15", "--weak-epochs", "30", "--eval-every", "5", "--no-progress"]


def _metrics_without_timings(rec: dict) -> dict:
    return {k: v for k, v in rec["metrics"].items() if not k.endswith("_s")}


def test_modular_recomputes_a_truncated_record(tmp_path, capsys):
    args = ["--task", "add", "--methods", "scratch", "--seeds", "1", "--out", str(tmp_path), *TINY]
    assert run_main(modular_main, args) == 0
    (rec,) = sorted((tmp_path / "runs").glob("*.json"))
    good = json.loads(rec.read_text())
    rec.write_text(rec.read_text()[:200])  # a kill mid-write on a filesystem without atomic rename
    capsys.readouterr()
    assert run_main(modular_main, args) == 0
    err = capsys.readouterr().err
    assert "is not a usable run record" in err and "recomputed" in err
    again = json.loads(rec.read_text())
    assert _metrics_without_timings(again) == _metrics_without_timings(good)  # same seed, same run
    kept = list((tmp_path / "runs").glob(f"{rec.name}.bad-*"))
    assert len(kept) == 1 and len(kept[0].read_text()) == 200


def test_grid_recomputes_a_foreign_record(tmp_path, capsys):
    args = ["--quick", "--method", "scratch", "--inits", "0.3", "--lrs", "1e-3", "--wds", "1", "--epochs", "10",
            "--out", str(tmp_path), "--no-progress"]
    assert run_main(grid_main, args) == 0
    (rec,) = sorted((tmp_path / "runs").glob("*.json"))
    rec.write_text('{"foo": 1}')
    capsys.readouterr()
    assert run_main(grid_main, args) == 0
    assert "recomputed" in capsys.readouterr().err
    assert "config" in json.loads(rec.read_text())
    assert json.loads((tmp_path / "best.json").read_text())["n_runs"] == 1
