"""`python -m xorgrok.verify --theorem xu2024 --regime literal`: every assumption holds, the JSON contract,
the in-regime table, bad input."""

import json

import pytest

from xorgrok.core.cli import run_main
from xorgrok.theory import assumptions as asm
from xorgrok.verify.__main__ import main
from xorgrok.verify.xu_literal import LiteralParams

TINY = ["--theorem", "xu2024", "--regime", "literal", "--ns", "25,36", "--seeds", "2", "--m", "20",
        "--test-size", "100", "--no-progress", "--device", "cpu"]


@pytest.mark.parametrize("n,C", [(n, C) for n in (4, 25, 400, 1000, 3000) for C in (1.0, 3.0, 10.0)]
                         + [(4, 2000.0), (25, 2000.0)])
def test_boundary_setting_satisfies_every_assumption(n, C):
    P = LiteralParams(C=C, ns=(n,))
    s = P.setting(n)
    checks = asm.xu_assumptions(n, s.p, s.mu_norm, s.eta, s.m, s.alpha, s.omega, C)
    assert all(c.holds for c in checks), [(c.id, c.lhs, c.rhs) for c in checks if not c.holds]
    assert s.p >= asm.xu_min_dimension(n, C) and s.p <= 2.01 * asm.xu_min_dimension(n, C)  # on the boundary


def test_literal_json_contract(capsys):
    code = run_main(main, TINY + ["--json"])
    checks = json.loads(capsys.readouterr().out)
    by = {c["id"]: c for c in checks}
    assert {f"xu-A{i}" for i in range(1, 7)} | {"xu-regime", "xu-thm-3.1-i", "xu-thm-3.1-ii", "xu-thm-3.1-iii",
                                                 "xu-B1", "xu-D3"} <= set(by)
    assert all(by[f"xu-A{i}"]["holds"] is True for i in range(1, 7))
    assert by["xu-regime"]["holds"] is True and by["xu-regime"]["measured"].startswith("reachable")
    for c in checks:
        assert c["regime"] == "literal" and c["in_assumptions"] is True
    rows = by["xu-thm-3.1-i"]["figures"]["per_n"]
    assert [r["n"] for r in rows] == [25, 36] and all(r["seeds"] == 2 for r in rows)
    assert all(r["p"] >= asm.xu_min_dimension(r["n"]) for r in rows)
    for r in rows:
        assert r["ci95"][0] <= r["freq"] <= r["ci95"][1]
    assert "failure_slope" in by["xu-thm-3.1-i"]["figures"]
    assert code == (1 if any(c["holds"] is False for c in checks) else 0)


def test_literal_table_and_selection(capsys):
    run_main(main, TINY + ["--claim", "i"])
    out = capsys.readouterr().out
    assert "LITERAL regime" in out and "| n | p | seeds | xu-thm-3.1-i |" in out and "xu-thm-3.1-ii" not in out


@pytest.mark.parametrize("extra,name", [
    (["--p", "1000"], "--p"), (["--alpha", "1e-3"], "--alpha"), (["--slack", "1"], "--slack"),
    (["--ns", "2,30"], "n"), (["--ns", "a,b"], "--ns"), (["--theorem", "groktransfer"], "xu2024"),
    (["--C", "1e6"], "C"),
])
def test_literal_bad_input_one_line_exit_2(capsys, extra, name):
    try:
        code = run_main(main, TINY + extra)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and name in err and "Traceback" not in err


def test_literal_claim_ii_is_read_by_the_band_rule_not_a_fixed_tolerance(capsys):
    run_main(main, TINY + ["--json"])
    ii = {c["id"]: c for c in json.loads(capsys.readouterr().out)}["xu-thm-3.1-ii"]
    rows = ii["figures"]["per_n"]
    last = rows[-1]
    assert ii["rule"] == {"type": "band", "k_err": last["k_err"], "points": last["points"], "n": 36}
    assert all(r["points"] == 2 * 100 and r["ci95"][0] <= r["err"] <= r["ci95"][1] for r in rows)
    for r in rows:  # the implied constant is the band's: 1/2 (1 ± n^-c) just meets the interval
        d = 0.0 if r["ci95"][0] <= 0.5 <= r["ci95"][1] else min(abs(r["ci95"][0] - 0.5), abs(r["ci95"][1] - 0.5))
        if d == 0:  # strict JSON writes the infinite constant as null
            assert r["implied_c"] in (None, float("inf"))
        else:
            assert abs(0.5 * r["n"] ** -r["implied_c"] - d) < 1e-12
    assert ii["status"] in ("holds", "fails", "undecided")
