"""python -m xorgrok.sweep: a JSON spec end to end (in-process), resume, and one-line bad input."""

import csv
import json
import subprocess
import sys

import pytest

SPEC = {"experiment": "gt-synthetic", "seeds": 2,
        "fixed": {"n": 60, "p": 2000, "c1": 0.7, "c3": 1.0, "c5": 1.0, "delta_block_size": 6},
        "axes": {"mode": "path", "c2": [1.0, 40.0], "c4": [1.0, 0.1]}}


def _run(*args):
    return subprocess.run([sys.executable, "-m", "xorgrok", "sweep", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


class _Result:
    def __init__(self, code, err):
        self.returncode, self.stderr = code, err


def _run_inproc(capsys, *args):
    """Bad input through the same entry point (run_main), without a subprocess's start-up cost."""
    from xorgrok.core.cli import run_main
    from xorgrok.sweep.__main__ import main

    try:
        code = run_main(main, [str(a) for a in args])
    except SystemExit as exc:  # argparse errors
        code = exc.code
    return _Result(code, capsys.readouterr().err)


def test_json_spec_runs_writes_tables_and_resumes(tmp_path):
    spec = tmp_path / "s.json"
    spec.write_text(json.dumps(SPEC))
    out = tmp_path / "out"
    r = _run(spec, "--workers", "0", "--out", out, "--json", "--no-progress")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert (summary["tasks"], summary["computed"], summary["failed_tasks"]) == (4, 4, 0)
    cells = list(csv.DictReader((out / "cells.csv").open()))
    assert len(cells) == 2 and {c["class"] for c in cells} <= {"hold/hold", "hold/FAIL", "fail/hold", "fail/fail"}
    assert cells[0]["class"] == "hold/hold" and cells[1]["class"] == "fail/fail"  # c4 = 0.1 breaks (A4)
    assert len(list((out / "tasks").glob("*.json"))) == 4
    again = json.loads(_run(spec, "--workers", "0", "--out", out, "--json", "--no-progress").stdout)
    assert (again["skipped_stored"], again["computed"]) == (4, 0)


@pytest.mark.parametrize("content,msg", [
    (None, "SPEC must be an existing"),
    ('experiment = "nope"', "experiment must be one of"),
    ('experiment = "gt-synthetic"\n[axes]\nc2 = {geom = [0, 1, 3]}', "geom needs lo > 0"),
    ('experiment = "gt-synthetic"\nseeds = 0', "seeds must be an integer in [1, 100000]"),
    ("experiment = [", "not valid TOML"),
])
def test_bad_spec_is_one_line_exit_2(tmp_path, capsys, content, msg):
    spec = tmp_path / "s.toml"
    if content is not None:
        spec.write_text(content)
    r = _run_inproc(capsys, spec, "--workers", "0", "--out", tmp_path / "o")
    assert r.returncode == 2 and msg in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_bad_workers_and_scheduler_are_rejected(tmp_path):
    r = _run(tmp_path / "x.toml", "--workers", "-1")  # through `python -m xorgrok sweep`: a real exit code
    assert r.returncode == 2 and "--workers must be an integer >= 0" in r.stderr
    spec = tmp_path / "s.json"
    spec.write_text(json.dumps(SPEC))
    r = _run(spec, "--scheduler", "localhost:1", "--out", tmp_path / "o")
    assert r.returncode == 2 and "tcp://HOST:PORT" in r.stderr and "Traceback" not in r.stderr


def test_unknown_parameter_is_rejected_before_any_work(tmp_path, capsys):
    spec = tmp_path / "s.json"
    spec.write_text(json.dumps({**SPEC, "fixed": {**SPEC["fixed"], "vinit": 0.1}}))
    r = _run_inproc(capsys, spec, "--workers", "0", "--out", tmp_path / "o")
    assert r.returncode == 2 and "unknown parameter(s) vinit" in r.stderr and not (tmp_path / "o").exists()
