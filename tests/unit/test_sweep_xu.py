"""xu-literal sweep: the coordinates k1..k6 against theory.assumptions, the default point against the
literal-regime verifier's boundary, and a task's record."""

import math

import pytest

from xorgrok.core.errors import InputError
from xorgrok.sweep.experiments import xu_literal
from xorgrok.sweep.table import cell_rows, task_rows
from xorgrok.sweep.xu_coords import xu_coordinates, xu_holds, xu_setting
from xorgrok.theory import assumptions as asm
from xorgrok.verify.xu_literal import LiteralParams


@pytest.mark.parametrize("ks", [(1.2, 1.2, 20, 1, 10, 1000), (0.3, 5.0, 3, 0.01, 0.5, 40), (9, 0.2, 50, 30, 2, 3)])
@pytest.mark.parametrize("C", [1.0, 2.0])
def test_coordinates_round_trip_and_agree_with_the_assumption_checks(ks, C):
    k1, k2, k3, k4, k5, m = ks
    st = xu_setting(50, k1, k2, k3, k4, k5, m)
    k = xu_coordinates(st)
    for name, want in zip(("k1", "k2", "k3", "k4", "k5"), (k1, k2, k3, k4, k5)):
        assert k[name] == pytest.approx(want, rel=1e-6)  # p is rounded up to an integer
    checks = asm.xu_assumptions(st.n, st.p, st.mu_norm, st.eta, st.m, st.alpha, st.omega, C)
    holds = xu_holds(k, C)
    for chk in checks:
        if abs(math.log(chk.lhs / chk.rhs)) > 1e-6:  # not on the edge, where rounding decides
            assert holds[chk.id] == chk.holds, chk.id


def test_default_point_is_the_verifiers_literal_boundary():
    P = LiteralParams(ns=(25, 50), C=1.0)
    for n in P.ns:
        want = P.setting(n)
        rec = xu_literal({"n": n}, 0)
        assert rec["p"] == want.p and rec["m"] == want.m and rec["eta"] == want.eta
        # the verifier takes the geometric mean of the (A1), (A2) bounds at the rounded p, the sweep k1 = C 2^(1/4)
        # at the unrounded one: they differ by p's rounding (relative 1/p)
        assert rec["mu_norm"] == pytest.approx(want.mu_norm, rel=1e-7)
        assert rec["alpha"] == pytest.approx(want.alpha, rel=1e-12)
        assert rec["omega"] == pytest.approx(want.omega, rel=1e-7)
        assert all(rec[f"holds_xu_A{i}"] for i in range(1, 7))
        # (ii) is pooled per cell, never judged per task: the record keeps its t = 1 errors as a count
        assert "claim_ii" not in rec and isinstance(rec["errors_t1"], int) and rec["test_size"] == 500
        assert rec["errors_t1"] == round(rec["err_t1"] * 500) and abs(rec["errors_t1"] / 500 - rec["err_t1"]) < 1e-12
        assert rec["T"] == math.isqrt(n) and rec["success"] == (rec["claim_i"] and rec["claim_iii"] is not False)


def test_bad_coordinates_are_refused():
    with pytest.raises(InputError, match="k3"):
        xu_literal({"n": 25, "k3": 1.5}, 0)
    with pytest.raises(InputError, match="k6 or m"):
        xu_literal({"n": 25, "k6": 900, "m": 1000}, 0)
    with pytest.raises(InputError, match="unknown"):
        xu_literal({"n": 25, "eps": 0.1}, 0)


def test_claim_ii_threshold_is_the_verdict_models():
    from xorgrok.sweep import presets
    from xorgrok.verify import verdict

    assert presets.XU_II_C_MIN == verdict.C_MIN


def _fake_rows(n, errors, success=True, test_size=500):
    return [{"cell": 0, "status": "ok", "n": n, "errors_t1": e, "test_size": test_size, "success": success,
             "claim_i": True, "claim_iii": success, "holds_xu_A1": True} for e in errors]


# 98% errors still meet 1/2 (1 + n^-c) for c = 0.013 at n = 100: the generous range c >= 0.01 is wide
@pytest.mark.parametrize("errors,holds", [((250, 240, 260), True), ((5, 3, 8), False), ((500, 500, 500), False),
                                          ((480, 490, 500), True)])
def test_cells_pool_claim_ii_like_the_verifier(errors, holds):
    from xorgrok.sweep.spec import from_dict
    from xorgrok.theory.stats import band_constant
    from xorgrok.verify.verdict import band_verdict

    spec = from_dict({"experiment": "xu-literal", "seeds": 3, "fixed": {"n": 100}, "axes": {"k4": [1.0]}})
    (c,) = cell_rows(spec, _fake_rows(100, errors))
    lo, hi, ca = band_constant(sum(errors), 1500, 100)
    assert (c["claim_ii_ci_low"], c["claim_ii_ci_high"], c["claim_ii_c_allowed"]) == (lo, hi, ca)
    assert c["claim_ii_errors"] == sum(errors) and c["claim_ii_points"] == 1500
    # the verifier, given the same pooled count, excludes the claim exactly where the cell says it fails
    assert c["claim_ii_holds"] == holds == (not band_verdict(sum(errors), 1500, 100, 0.05)["excluded"])
    # every seed succeeds on (i) and (iii): the class follows (ii)'s pooled verdict
    assert c["success_freq"] == 1.0 and c["class"] == ("hold/hold" if holds else "hold/FAIL")


def test_cells_without_errors_t1_are_classified_as_before():
    from xorgrok.sweep.spec import from_dict

    spec = from_dict({"experiment": "xu-literal", "seeds": 2, "fixed": {"n": 100}, "axes": {"k4": [1.0]}})
    rows = [{k: v for k, v in r.items() if k != "errors_t1"} for r in _fake_rows(100, (5, 5))]
    (c,) = cell_rows(spec, rows)
    assert "claim_ii_holds" not in c and c["class"] == "hold/hold"


def test_classify_counts_the_pooled_part():
    from xorgrok.sweep.maps import classify

    assert classify(True, 1.0, 1.0) == "hold/hold" == classify(True, 1.0, 1.0, pooled_holds=True)
    assert classify(True, 1.0, 1.0, pooled_holds=False) == "hold/FAIL"
    assert classify(False, 1.0, 1.0, pooled_holds=False) == "fail/fail"
    assert classify(True, 0.5, 0.9, pooled_holds=True) == "hold/FAIL"


def test_cells_carry_each_claims_frequency(tmp_path):
    from xorgrok.sweep.engine import run_tasks
    from xorgrok.sweep.spec import from_dict
    from xorgrok.sweep.store import TaskStore

    spec = from_dict({"experiment": "xu-literal", "seeds": 2, "fixed": {"n": 16, "test_size": 50},
                      "axes": {"k4": [1e-3, 1.0]}})
    store = TaskStore(tmp_path)
    run_tasks(spec, store, workers=0, progress=False)
    rows = task_rows(spec, store)
    cells = cell_rows(spec, rows)
    assert [c["ok"] for c in cells] == [2, 2]
    for c in cells:
        rs = [r for r in rows if r["cell"] == c["cell"]]
        assert c["claim_i_freq"] == sum(r["claim_i"] for r in rs) / 2
        assert c["claim_ii_errors"] == sum(r["errors_t1"] for r in rs) and c["claim_ii_points"] == 100
        assert "claim_ii_freq" not in c
        assert c["assumptions_hold"] == (c["k4"] >= 1.0 - 1e-9)
        assert c["class"] in ("hold/hold", "hold/FAIL", "fail/hold", "fail/fail")
