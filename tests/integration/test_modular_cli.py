"""End-to-end: the modular and grid commands on tiny settings, bad input as one line and exit code 2."""

import json

import pytest

from xorgrok.commands.grid import main as grid_main
from xorgrok.commands.modular import main as modular_main
from xorgrok.core.cli import run_main

TINY = ["--quick", "--epochs", "15", "--weak-epochs", "30", "--eval-every", "5", "--no-progress"]


def test_modular_cli_end_to_end_and_resume(tmp_path, capsys):
    args = ["--task", "add", "--seeds", "1", "--out", str(tmp_path), *TINY]
    assert run_main(modular_main, args) == 0
    recs = sorted((tmp_path / "runs").glob("*.json"))
    assert len(recs) == 3  # groktransfer, scratch, grokfast
    rec = json.loads(recs[0].read_text())
    for key in ("config", "seed", "versions", "git_sha", "wall_time_s", "metrics", "history"):
        assert key in rec
    gt = [json.loads(p.read_text()) for p in recs if "groktransfer" in p.name][0]
    assert gt["metrics"]["weak_wall_s"] > 0 and gt["metrics"]["target_wall_s"] > 0
    assert gt["history"]["target"]["steps"] == [0, 5, 10, 15]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert set(summary["methods"]) == {"groktransfer", "scratch", "grokfast"} and "0" in summary["cost_ratio"]
    before = {p: p.stat().st_mtime_ns for p in recs}
    assert run_main(modular_main, args) == 0  # rerun: every record exists, nothing is retrained
    assert {p: p.stat().st_mtime_ns for p in recs} == before


def test_grid_cli_resumes_and_selects(tmp_path, capsys):
    args = ["--quick", "--method", "groktransfer", "--inits", "0.3", "--lrs", "1e-3,1e-2", "--wds", "1",
            "--epochs", "10", "--weak-epochs", "20", "--out", str(tmp_path), "--no-progress"]
    assert run_main(grid_main, [*args, "--limit", "1"]) == 0
    assert len(list((tmp_path / "runs").glob("*.json"))) == 1
    assert run_main(grid_main, args) == 0
    assert len(list((tmp_path / "runs").glob("*.json"))) == 2
    best = json.loads((tmp_path / "best.json").read_text())
    assert best["n_runs"] == 2 and best["rule"].startswith("fewest epochs")


@pytest.mark.parametrize(
    "main, args, word",
    [
        (modular_main, ["--task", "div"], "task"),
        (modular_main, ["--methods", "magic"], "method"),
        (modular_main, ["--modulus", "1"], "modulus"),
        (modular_main, ["--train-fraction", "1.5"], "train_fraction"),
        (modular_main, ["--train-fraction", "0"], "train_fraction"),
        (modular_main, ["--task", "parity", "--q", "3", "--k", "4"], "k must be <= q"),
        (grid_main, ["--grid", "nope"], "grid"),
        (grid_main, ["--shard", "5/2"], "shard"),
        (grid_main, ["--task", "sub"], "task"),
    ],
)
def test_bad_input_is_one_line_exit_2(main, args, word, capsys, tmp_path):
    assert run_main(main, [*args, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert word in err and err.count("\n") == 1 and "Traceback" not in err


def test_modular_resumes_from_a_moved_folder_given_by_a_relative_path(tmp_path, monkeypatch):
    """Record names do not hold the output folder's location: moving it and spelling it relatively resumes."""
    first = tmp_path / "a"
    args = ["--task", "add", "--methods", "groktransfer", "--seeds", "1", *TINY]
    assert run_main(modular_main, [*args, "--out", str(first)]) == 0
    moved = tmp_path / "b" / "moved"
    moved.parent.mkdir()
    first.rename(moved)
    recs = sorted((moved / "runs").glob("*.json"))
    assert len(recs) == 1
    before = {p: p.stat().st_mtime_ns for p in recs}
    monkeypatch.chdir(tmp_path / "b")
    assert run_main(modular_main, [*args, "--out", "moved"]) == 0
    assert sorted((moved / "runs").glob("*.json")) == recs  # no duplicate record
    assert {p: p.stat().st_mtime_ns for p in recs} == before  # nothing recomputed
