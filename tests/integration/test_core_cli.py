"""End-to-end: the case-study and bench commands on tiny settings, and their bad-input behaviour."""

import json
import subprocess
import sys

import pytest


def _run(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, timeout=timeout)


def test_casestudy_tiny_end_to_end(tmp_path):
    rec = tmp_path / "rec.json"
    r = _run("xorgrok", "casestudy", "--n", "60", "--p", "400", "--eps", "0.1", "--weak-steps", "300",
             "--n-eval", "500", "--m", "64", "--json", "--record", str(rec))
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 1
    row = rows[0]
    assert 0.0 <= row["weak_test_acc"] <= 1.0 and row["r_W"] > 0
    for regime in ("as_used", "as_proved"):
        assert 0.0 <= row[regime]["train_acc"] <= 1.0 and 0.0 <= row[regime]["test_acc"] <= 1.0
    assert row["as_proved"]["fresh_data"] and not row["as_used"]["fresh_data"]
    d = json.loads(rec.read_text())
    assert d["config"]["n"] == 60 and "git_sha" in d and d["metrics"]["runs"][0]["seed"] == 0


def test_bench_tiny_prints_required_keys():
    r = _run("xorgrok", "bench", "--n", "30", "--p", "200", "--m", "16", "--steps", "5", "--n-test", "20",
             "--plain-steps", "2")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for k in ("plain_step_s", "gram_step_s", "per_step_speedup", "total_s"):
        assert out[k] > 0
    assert out["max_rel_logit_diff"] < 1e-4


@pytest.mark.parametrize("cmd, args, name", [
    ("xorgrok casestudy", ["--p", "2"], "--p"),
    ("xorgrok casestudy", ["--eps", "0"], "--eps"),
    ("xorgrok casestudy", ["--n", "abc"], "--n"),
    ("xorgrok bench", ["--m", "0"], "--m"),
])
def test_bad_input_is_one_line_exit_2(cmd, args, name):
    r = _run(*cmd.split(), *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in r.stderr
