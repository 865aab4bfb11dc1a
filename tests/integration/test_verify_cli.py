"""End to end: `python -m xorgrok.verify` on tiny settings, the JSON contract, exit codes, bad input."""

import json
import math
import subprocess
import sys

import pytest

from xorgrok.core.cli import run_main
from xorgrok.verify import verdict
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
    ids = [c["id"] for c in checks]
    conclusions = {"lemma-A.2", "lemma-A.4", "init-unit", "init-f0", "init-ratio", "thm-3.2-train",
                   "thm-3.2-test", "thm-3.2-freq", "thm-3.2-pipeline", "thm-3.2-core", "thm-3.2-margins"}
    pre = {"A1", "A2", "A3", "A4", "A5", "gt-pre-features", "gt-pre-independent", "gt-pre-independent-pipeline",
           "gt-pre-n-large"}
    assert set(ids) == conclusions | pre
    assert set(ids[:len(pre)]) == pre  # each section starts with its preconditions
    by = {c["id"]: c for c in checks}
    for c in checks:
        assert {"id", "kind", "holds", "status", "figures", "log_base"} <= set(c)
        assert c["kind"] in ("precondition", "lemma", "claim")
        assert c["status"] in verdict.STATUSES
        assert c["holds"] == {"holds": True, "fails": False}.get(c["status"])
        for p in c.get("preconditions", []):
            assert p in by and by[p]["kind"] == "precondition"
        failing = [p for p in c.get("preconditions", []) if by[p]["holds"] is False]
        if failing:
            assert c["status"] == "not-applicable" and c["preconditions_failing"] == failing
    a2 = by["A2"]
    assert {"lhs", "rhs", "C", "implied_C"} <= set(a2) and a2["C"] == 2.0  # the default C > 1
    assert a2["holds"] == (a2["implied_C"] <= 2.0)
    assert by["gt-pre-independent"]["holds"] is True and by["gt-pre-independent-pipeline"]["holds"] is False
    assert by["thm-3.2-pipeline"]["status"] == "not-applicable"
    assert "gt-pre-independent-pipeline" in by["thm-3.2-pipeline"]["preconditions_failing"]
    freq = by["thm-3.2-freq"]["verdict"]
    assert freq["ci"][0] <= freq["ci"][1] and freq["level"] == pytest.approx(0.05 / verdict.n_statistical(checks))
    assert code == verdict.exit_code(checks, {"A2", "A5"})


@pytest.mark.parametrize("seed,degenerate", [(0, True), (3, False)])
def test_degenerate_weak_seed_makes_the_theorem_not_applicable(capsys, seed, degenerate):
    """At the tiny setting weak seed 0 learns a repeated feature ([1,-1] twice) and seed 3 three distinct ones
    (both read off the precondition's own figures below, not assumed)."""
    code, checks = _json(capsys, TINY + ["--seed", str(seed), "--claim", "one-step", "--lemma", "A.1"])
    by = {c["id"]: c for c in checks}
    feat = by["gt-pre-features"]
    cols = feat["figures"]["signal_columns"]
    assert (len({tuple(c) for c in cols}) < 3) == degenerate
    assert feat["holds"] is (not degenerate)
    for cid in ("lemma-A.1", "thm-3.2-train", "thm-3.2-test", "thm-3.2-freq", "thm-3.2-core"):
        c = by[cid]
        assert "gt-pre-features" in c["preconditions"]
        assert ("gt-pre-features" in c["preconditions_failing"]) == degenerate
        if degenerate:
            assert c["status"] == "not-applicable" and c["holds"] is None
    run_main(main, TINY + ["--seed", str(seed), "--claim", "one-step"])
    out = capsys.readouterr().out
    assert ("PRE FAILS  gt-pre-features" in out) == degenerate
    assert "Conclusions:" in out and "Preconditions:" in out


def test_table_states_log_base_and_assumption_status(capsys):
    code = run_main(main, TINY + ["--assumption", "A1", "--assumption", "A3", "--log-base", "2"])
    out = capsys.readouterr().out
    assert "log base 2" in out and "PRE FAILS  A3" in out  # v_init 0.4 breaks (A3) at C = 2
    assert "needs <=" in out and code == 1  # an assumption named with --assumption that fails: exit 1


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
    by = {c["id"]: c for c in checks}
    reg = by["xu-regime"]
    assert reg["holds"] is False and reg["kind"] == "precondition" and "outside the literal regime" in reg["note"]
    for cid in ("xu-thm-3.1-i", "xu-thm-3.1-ii", "xu-sign-rule", "xu-thm-3.1-iii"):
        assert by[cid]["status"] == "not-applicable"  # (A1), (A2), (A5) fail at this scaled-down setting
    assert by["xu-D3"]["status"] == "info" and "vacuous" in by["xu-D3"]["note"]
    assert by["xu-D4"]["status"] == "info" and "not transcribed" in by["xu-D4"]["measured"]
    eq = by["xu-eq-4.3-limit"]
    assert eq["status"] == "info"
    for series in ("as set", "A5 met"):
        rows = eq["figures"][series]["per_m"]
        assert [r["m"] for r in rows] == [100, 1000, 10000]
        assert all(0 <= r["ci95"][0] <= r["freq"] <= r["ci95"][1] <= 1 for r in rows)
    assert all(r["A5_lhs_over_rhs"] == pytest.approx(0.5) for r in eq["figures"]["A5 met"]["per_m"])
    for cid in ("xu-lemma-4.7-J1", "xu-lemma-4.7-J2"):
        assert by[cid]["status"] == "not-applicable"  # outside (A1)/(A2)/(A5), or J empty (said in the text)
    both = any(a > 0 and b > 0 for a, b in zip(by["xu-lemma-4.7-J1"]["figures"]["n_j1"],
                                                by["xu-lemma-4.7-J2"]["figures"]["n_j2"]))
    assert by["xu-lemma-4.7-ratio"]["status"] == ("info" if both else "not-applicable")
    assert code == 0  # nothing fails inside its hypotheses and no assumption was named


def test_synthetic_u_puts_theorem_32_inside_its_hypotheses(capsys):
    """--u synthetic at n = 400: U = [S; delta] fixed before the data, so gt-pre-features and
    gt-pre-independent hold by construction; with v_init 0.05, alpha = sqrt(m) v_init every precondition holds
    and the conclusions get real verdicts (holds / undecided), never not-applicable."""
    code, checks = _json(capsys, ["--u", "synthetic", "--v-init", "0.05", "--alpha", "1.038", "--claim", "one-step",
                                  "--lemma", "A.2", "--seeds", "3", "--test-size", "3000", "--event-seeds", "50",
                                  "--no-progress"])
    by = {c["id"]: c for c in checks}
    assert "thm-3.2-pipeline" not in by and "gt-pre-independent-pipeline" not in by
    for pid in ("A1", "A2", "A3", "A4", "A5", "gt-pre-features", "gt-pre-independent", "gt-pre-n-large"):
        assert by[pid]["holds"] is True, (pid, by[pid]["measured"])
    assert by["A2"]["implied_C"] == pytest.approx(0.9 * 2.0)  # delta at 90% of (A2)'s bound at C = 2
    for cid in ("thm-3.2-train", "thm-3.2-test", "thm-3.2-freq", "thm-3.2-core", "lemma-A.2"):
        assert by[cid]["status"] in ("holds", "undecided"), (cid, by[cid]["status"], by[cid]["measured"])
        assert by[cid]["preconditions_failing"] == []
    core = by["thm-3.2-core"]
    assert core["status"] == "holds" and core["figures"]["inside"] > 0 and core["figures"]["errors_inside"] == 0
    assert code == 0


def test_sweep_tiny(capsys):
    code, checks = _json(capsys, TINY + ["--sweep", "v_init=0.01:1", "--sweep-points", "3", "--seeds", "2",
                                         "--C", "1"])
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
    (["--family-level", "0"], "family_level"), (["--family-level", "1.5"], "family_level"),
    (["--family-level", "x"], "family_level"),
])
def test_bad_input_one_line_exit_2(capsys, argv, name):
    try:
        code = run_main(main, argv + ["--no-progress"])
    except SystemExit as exc:  # argparse's own errors (xorgrok.core.cli.ArgumentParser: one line, code 2)
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and name in err and "Traceback" not in err


def test_help_documents_statuses_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as exc:
        run_main(main, ["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for word in ("Exit code", "2 on bad", "N/A", "UNDECIDED", "--family-level", "C = 2"):
        assert word in out, word


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
