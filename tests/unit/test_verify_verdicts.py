"""The verdict model on hand-made inputs: preconditions gate conclusions, hidden constants give `undecided`
with the implied constant, `fails` needs every constant in the generous range excluded."""

import math
import types

import numpy as np
import pytest

from xorgrok.theory import claims
from xorgrok.theory.lemmas import normalise_embedding
from xorgrok.theory.stats import clopper_pearson
from xorgrok.verify import gt, render, verdict, xu
from xorgrok.verify.result import check, precondition


def _pre(id, holds):
    return precondition(id, "groktransfer", "t", "s", holds, "c", "m")


def _con(rule=None, pre=("P1",), holds=None):
    return check("c1", "claim", "groktransfer", "t", "s", holds, "claimed", "", preconditions=list(pre), rule=rule)


# ------------------------------------------------------------------ preconditions
def _U(cols, p=40, seed=0):
    rng = np.random.default_rng(seed)
    S = np.array(cols, dtype=float).T  # (2, k)
    return np.vstack([S * 0.7, 0.01 * rng.standard_normal((p - 2, S.shape[1]))])


@pytest.mark.parametrize("cols,ok", [
    ([(-1, 1), (1, -1), (-1, -1)], True),  # [mu2, -mu2, -mu1]: the paper's frame
    ([(1, 1), (-1, -1), (1, -1)], True),  # any three of the four (footnote 1)
    ([(1, 1), (1, 1), (-1, -1)], False),  # a repeated feature (the paper-setting weak seed 9 pattern)
    ([(1, 1), (-1, 1)], False),  # two features only
])
def test_features_precondition(cols, ok):
    emb = normalise_embedding(_U(cols))
    c = gt.features_precondition([], emb.S, emb.distinct_features, claims.paper_frame(emb.S) is not None, 0)
    assert c["kind"] == "precondition" and c["id"] == gt.FEAT and c["holds"] is ok


@pytest.mark.parametrize("cols", [[(1, 1), (1, 1), (-1, -1)], [(1, 1), (-1, 1)]])
def test_degenerate_u_makes_the_conclusions_not_applicable(cols):
    emb = normalise_embedding(_U(cols))
    pre = gt.features_precondition([], emb.S, emb.distinct_features, claims.paper_frame(emb.S) is not None, 0)
    others = [_pre(i, True) for i in gt.THM_PRE if i != gt.FEAT]
    # a conclusion that would otherwise FAIL (20/20 failures): measured outside its hypotheses instead
    con = _con({"type": "poly", "k_fail": 20, "trials": 20, "n": 400, "q": 2}, gt.THM_PRE)
    verdict.finalize([pre, *others, con])
    assert pre["holds"] is False
    assert con["status"] == "not-applicable" and con["holds"] is None
    assert con["preconditions_failing"] == [gt.FEAT]
    line = render.table([(["h"], [pre, *others, con])])
    assert "PRE FAILS  gt-pre-features" in line and "outside its hypotheses (gt-pre-features fail)" in line
    assert [ln.split()[0] for ln in line.splitlines() if ln.startswith(("N/A", "FAILS"))] == ["N/A"]


def test_independence_precondition_by_mode():
    th, pl = gt.independence_precondition("theorem"), gt.independence_precondition("pipeline")
    assert th["id"] == gt.IND and th["holds"] is True and th["kind"] == "precondition"
    assert pl["id"] == gt.IND_PIPE and pl["holds"] is False
    con = _con({"type": "poly", "k_fail": 3, "trials": 3, "n": 400, "q": 2}, [gt.IND_PIPE])
    verdict.finalize([pl, con])
    assert con["status"] == "not-applicable"


def test_n_large_precondition():
    ok = gt.n_large_precondition(400, 2.0, math.e, [1.2, 1.5], 0.05)
    assert ok["holds"] is True and ok["figures"]["log_n_over_C2"] == pytest.approx(math.log(400) / 4)
    assert ok["figures"]["max_R0_minus_1"] == pytest.approx(0.5)
    assert gt.n_large_precondition(400, 10.0, math.e, [1.2], 0.05)["holds"] is False  # log n / C^2 = 0.06
    assert gt.n_large_precondition(400, 2.0, math.e, [36.6], 0.4)["holds"] is False  # R0 far from 1


def test_missing_precondition_is_never_assumed():
    con = _con({"type": "zero", "errors": 0, "eligible": 10}, ["P1"])
    verdict.finalize([con])
    assert con["status"] == "undecided" and con["preconditions_missing"] == ["P1"]


# ------------------------------------------------------------------ rules
def test_poly_rule_fails_only_beyond_the_generous_range():
    n = 400
    # 7/20 failures: CP low 0.154 >> 100/n^2: excluded for every K <= 100
    c = _con({"type": "poly", "k_fail": 7, "trials": 20, "n": n, "q": 2})
    verdict.finalize([_pre("P1", True), c], family_level=0.05)
    lo, _ = clopper_pearson(7, 20, 0.95)
    assert c["status"] == "fails" and c["holds"] is False
    assert c["verdict"]["implied_K"] == pytest.approx(n**2 * lo)
    # 0/20: consistent with K = 0, undecided (20 runs cannot certify 1/n^2)
    c0 = _con({"type": "poly", "k_fail": 0, "trials": 20, "n": n, "q": 2})
    verdict.finalize([_pre("P1", True), c0])
    assert c0["status"] == "undecided" and c0["holds"] is None and c0["verdict"]["implied_K"] == 0
    # 1 failure in 10^6 runs at n = 400: CP low ~2.5e-8 < 100/n^2 = 6.25e-4: undecided, implied K > 0
    c1 = _con({"type": "poly", "k_fail": 1, "trials": 10**6, "n": n, "q": 2})
    verdict.finalize([_pre("P1", True), c1])
    assert c1["status"] == "undecided" and 0 < c1["verdict"]["implied_K"] < 100


def test_bonferroni_adjusts_the_intervals_across_the_run():
    rules = [{"type": "poly", "k_fail": 2, "trials": 20, "n": 400, "q": 2} for _ in range(4)]
    cs = [check(f"c{i}", "claim", "t", "t", "s", None, "", "", rule=r) for i, r in enumerate(rules)]
    verdict.finalize(cs, family_level=0.05)
    lo, hi = clopper_pearson(2, 20, 1 - 0.05 / 4)
    assert cs[0]["verdict"]["ci"] == [pytest.approx(lo), pytest.approx(hi)]
    assert cs[0]["verdict"]["level"] == pytest.approx(0.0125)


def test_zero_errors_and_k_errors_are_worded_differently():
    L = math.log(400)
    z = verdict.exp_log2_verdict(0, 100_000, L, 0.05)
    k = verdict.exp_log2_verdict(25, 100_000, L, 0.05)
    assert "certify" in z["text"] and "allow" not in z["text"] and z["c_allowed"] == math.inf
    assert z["c_certified"] == pytest.approx(-math.log(clopper_pearson(0, 100_000)[1]) / L**2)
    assert "allow" in k["text"] and "rejected" in k["text"]
    lo, hi = clopper_pearson(25, 100_000)
    assert k["c_allowed"] == pytest.approx(-math.log(lo) / L**2)
    assert k["c_certified"] == pytest.approx(-math.log(hi) / L**2) and k["c_certified"] < k["c_allowed"]
    assert not k["excluded"]  # 2.5e-4 is far below exp(-0.01 log^2 400) = 0.70
    assert verdict.exp_log2_verdict(90, 100, L, 0.05)["excluded"]  # 90% errors: no c >= 0.01 fits


def test_band_rule_for_xu_ii():
    b = verdict.band_verdict(1000, 2000, 200, 0.05)
    assert b["c_allowed"] == math.inf and not b["excluded"]
    lo, hi = clopper_pearson(1300, 2000)
    b = verdict.band_verdict(1300, 2000, 200, 0.05)
    assert b["c_allowed"] == pytest.approx(-math.log(2 * (lo - 0.5)) / math.log(200))
    assert verdict.band_verdict(2000, 2000, 200, 0.05)["excluded"]  # error 1: outside 1/2 (1 ± n^-0.01)


def test_exact_rule_and_constant_rule():
    c = _con({"type": "exact_poly", "p_low": 3.2e-12, "p_high": 3.3e-12, "n": 400, "q": 4})
    verdict.finalize([_pre("P1", True), c])
    assert c["status"] == "holds"  # below 1/n^4 = 3.9e-11: holds at constant 1, nothing hidden
    c = _con({"type": "exact_poly", "p_low": 1e-4, "p_high": 1e-4, "n": 60, "q": 4})
    verdict.finalize([_pre("P1", True), c])
    assert c["status"] == "fails" and c["verdict"]["implied_K"] == pytest.approx(1e-4 * 60**4)
    k = _con({"type": "constant", "K": 4.9})
    verdict.finalize([_pre("P1", True), k])
    assert k["status"] == "undecided" and "K = 4.9" in k["measured"]


def test_failing_line_shows_the_violated_direction():
    from xorgrok.theory.assumptions import gt_a2, gt_a4
    from xorgrok.verify.result import from_assumption

    a2 = from_assumption(gt_a2(400, 80_000, 0.05, 6.412, 2.0), "groktransfer", "t")
    assert "lhs 6.412 > rhs 1.414 (needs <=)" in a2["measured"] and "holds iff C >= 9.068" in a2["measured"]
    a4 = from_assumption(gt_a4(431, 0.4, 2.0, 2.0), "groktransfer", "t")
    assert "lhs 2 < 4.152, outside [4.152, 8.304]" in a4["measured"] and "at C = 2" in a4["measured"]


def test_exit_code_rule():
    pre = _pre("A3", False)
    con = _con({"type": "poly", "k_fail": 0, "trials": 5, "n": 400, "q": 2}, ["A3"])
    verdict.finalize([pre, con])
    assert verdict.exit_code([pre, con], set()) == 0  # a failing precondition alone is not a failure
    assert verdict.exit_code([pre, con], {"A3"}) == 1  # ... unless it was asked for with --assumption
    bad = _con({"type": "poly", "k_fail": 20, "trials": 20, "n": 400, "q": 2}, [])
    verdict.finalize([bad])
    assert verdict.exit_code([bad], set()) == 1


# ------------------------------------------------------------------ Xu readings
def _xu_ctx(e_nu, right, steps=3):
    prm = types.SimpleNamespace(n=200, m=1000, T=steps, C=1.0, mu=2.5 * math.sqrt(200.0), p=40_000)
    run = claims.XuTheorem31(train_acc=[0.5] + [1.0] * steps, test_err=[0.5, 0.5] + [0.0] * (steps - 1), n_test=2000,
                       cluster_right_t1=right, cluster_predicted=[e > 0 for e in e_nu], e_nu=e_nu)
    return types.SimpleNamespace(prm=prm, runs=lambda: [(run, None, None)])


def test_sign_rule_excludes_ties_and_counts_them():
    # e = [0, 0, -15, 15]: the rule predicts nothing for the tied pair; there the net got +mu1 right
    ctx = _xu_ctx([0.0, 0.0, -15.0, 15.0], [True, False, False, True])
    cs = {c["id"]: c for c in xu.theorem_checks(ctx)}
    pres = [precondition(i, "xu2024", "t", "s", True, "", "") for i in xu.XU_PRE]
    verdict.finalize(pres + list(cs.values()))
    sr = cs["xu-sign-rule"]
    assert sr["figures"]["ties"] == 2 and sr["rule"] == {"type": "zero", "errors": 0, "eligible": 2}
    assert sr["status"] == "holds" and "2 ties" in sr["measured"]
    # a real disagreement on a non-tied cluster is counted
    ctx = _xu_ctx([0.0, 0.0, -15.0, 15.0], [True, False, True, False])
    sr = next(c for c in xu.theorem_checks(ctx) if c["id"] == "xu-sign-rule")
    verdict.finalize(pres + [sr])
    assert sr["rule"]["errors"] == 2 and sr["status"] == "fails"


def test_xu_i_and_iii_are_frequencies_with_the_same_reading():
    ctx = _xu_ctx([5.0, -5.0, 3.0, -3.0], [True, False, True, False])
    cs = {c["id"]: c for c in xu.theorem_checks(ctx)}
    assert cs["xu-thm-3.1-i"]["rule"]["type"] == cs["xu-thm-3.1-iii"]["rule"]["type"] == "npow"
    assert cs["xu-thm-3.1-iii"]["rule"]["k_fail"] == 0 and cs["xu-thm-3.1-i"]["rule"]["k_fail"] == 0
    assert cs["xu-thm-3.1-ii"]["rule"] == {"type": "band", "k_err": 1000, "points": 2000, "n": 200}
