"""End to end: `python -m xorgrok.verify` on tiny settings, the JSON contract, exit codes, bad input."""

import json
import math
import subprocess
import sys

import pytest

from xorgrok.core.cli import run_main
from xorgrok.verify.__main__ import main

TINY = ["--n", "60", "--p", "400", "--seeds", "3", "--test-size", "2000", "--pipeline-seeds", "1",
        "--event-seeds", "50", "--weak-steps", "300", "--no-progress"]


def _json(capsys, argv):
    code = run_main(main, argv + ["--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_groktransfer_tiny_json_contract(capsys):
    sel = ["--assumption", "A2", "--assumption", "A5", "--lemma", "A.2", "--lemma", "A.4", "--lemma", "init",
           "--claim", "one-step", "--claim", "margins"]
    code, checks = _json(capsys, TINY + sel)
    ids = {c["id"] for c in checks}
    assert ids == {"A2", "A5", "lemma-A.2", "lemma-A.4", "init-facts", "thm-3.2-train", "thm-3.2-test",
                   "thm-3.2-freq", "thm-3.2-pipeline", "thm-3.2-margins"}
    for c in checks:
        assert {"id", "kind", "holds", "figures", "log_base", "in_assumptions"} <= set(c)
        assert c["kind"] in ("assumption", "lemma", "claim", "symbolic")
        assert c["holds"] in (True, False, None)
    a2 = next(c for c in checks if c["id"] == "A2")
    assert {"lhs", "rhs", "C", "implied_C"} <= set(a2) and a2["C"] == 1.0
    assert a2["holds"] == (a2["implied_C"] <= 1.0)
    freq = next(c for c in checks if c["id"] == "thm-3.2-freq")["figures"]["frequency"]
    assert freq["n"] == 3 and freq["ci95"][0] <= freq["freq"] <= freq["ci95"][1]
    assert code == (1 if any(c["holds"] is False for c in checks) else 0)


def test_table_states_log_base_and_assumption_status(capsys):
    code = run_main(main, TINY + ["--assumption", "A1", "--assumption", "A3", "--log-base", "2"])
    out = capsys.readouterr().out
    assert "log base 2" in out and "OUTSIDE the theorem's assumptions" in out  # v_init 0.4 breaks (A3)
    assert "A3" in out and "FAILS" in out and code == 1


def test_exit_zero_when_everything_selected_holds(capsys, tmp_path):
    rec = tmp_path / "rec.json"
    assert run_main(main, TINY + ["--assumption", "A1", "--assumption", "A5", "--record", str(rec)]) == 0
    data = json.loads(rec.read_text())
    assert data["kind"] == "verify" and [c["id"] for c in data["metrics"]["checks"]] == ["A1", "A5"]


def test_xu_tiny(capsys):
    code, checks = _json(capsys, ["--theorem", "xu2024", "--n", "20", "--p", "300", "--m", "20", "--seeds", "2",
                                  "--test-size", "200", "--no-progress"])
    ids = {c["id"] for c in checks}
    assert {"xu-A1", "xu-A6", "xu-regime", "xu-B1", "xu-D3", "xu-thm-3.1-i", "xu-thm-3.1-ii", "xu-sign-rule",
            "xu-thm-3.1-iii"} <= ids
    reg = next(c for c in checks if c["id"] == "xu-regime")
    assert reg["holds"] is False and "out of reach" in reg["note"]
    assert code == 1


def test_sweep_tiny(capsys):
    code, checks = _json(capsys, TINY + ["--sweep", "v_init=0.01:1", "--sweep-points", "3", "--seeds", "2"])
    assert {c["id"] for c in checks} == {"sweep:v_init:A3:thm-3.2", "sweep:v_init:A3:lemma-A.2",
                                         "sweep:v_init:A4:thm-3.2", "sweep:v_init:A4:lemma-A.2"}
    a3 = next(c for c in checks if c["id"] == "sweep:v_init:A3:thm-3.2")["figures"]
    # (A3) v_init <= ln^(-3/2) 60 = 0.1207 at C = 1: bisection finds it
    assert a3["assumption_boundary"] == pytest.approx(math.log(60) ** -1.5, rel=1e-6)
    assert a3["assumption_holds"] == [True, True, False]
    assert len(a3["consequence_by_value"]) == 3
    assert code == 0


@pytest.mark.parametrize("argv,name", [
    (["--assumption", "A9"], "A9"), (["--lemma", "Z.9"], "Z.9"), (["--claim", "nope"], "nope"),
    (["--theorem", "foo"], "--theorem"), (["--p", "2"], "p"), (["--eps", "0"], "eps"), (["--eps", "-1"], "eps"),
    (["--n", "0"], "n"), (["--m", "0"], "m"), (["--C", "0"], "C"), (["--C", "-2"], "C"),
    (["--n", "abc"], "n"), (["--eps", "x"], "eps"), (["--log-base", "x"], "log_base"),
    (["--log-base", "1"], "log_base"), (["--sweep", "m=10:5"], "m"), (["--sweep", "m=5:5"], "m"),
    (["--sweep", "m=a:b"], "m"), (["--sweep", "zz=1:2"], "zz"), (["--sweep", "m"], "--sweep"),
    (["--eta", "0.7", "--theorem", "xu2024"], "eta"), (["--seeds", "0"], "seeds"),
    (["--n", "100000", "--p", "100000000", "--assumption", "A2"], "GiB"),
])
def test_bad_input_one_line_exit_2(capsys, argv, name):
    try:
        code = run_main(main, argv + ["--no-progress"])
    except SystemExit as exc:  # argparse's own errors (xorgrok.core.cli.ArgumentParser: one line, code 2)
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and name in err and "Traceback" not in err


def test_no_traceback_in_a_real_process():
    r = subprocess.run([sys.executable, "-m", "xorgrok.verify", "--p", "2"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr and "p" in r.stderr


@pytest.mark.slow
def test_default_run_at_the_paper_setting_within_budget():
    """`python -m xorgrok.verify` (what `bash run.sh` runs) in <= 120 s on 2 cores; every check present."""
    import time

    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "xorgrok.verify", "--json"], capture_output=True, text=True,
                       timeout=600)
    wall = time.perf_counter() - t0
    checks = json.loads(r.stdout)
    assert r.returncode in (0, 1) and len(checks) > 40
    assert wall <= 120, f"default run took {wall:.0f} s"
