"""The multi-seed modular verdict rule on hand-made records: chaotic baselines, all-success, controls, shape."""

import math

import pytest

from xorgrok.experiments.modular_verdict import (
    LATE_GAP,
    beats,
    forty_percent_verdict,
    helps_verdict,
    shape_verdict,
    summarise_method,
    weak_accuracy_table,
)


def _rec(seed, to95_train, to95, to99, epochs_run=600, partial=False, weak_acc=None, best=None):
    gap = None if to95 is None or to95_train is None else to95 - to95_train
    m = {"epochs_to_95_train": to95_train, "epochs_to_99_train": to95_train, "epochs_to_95_test": to95,
         "epochs_to_99_test": to99, "time_gap": gap, "final_train_acc": 1.0, "final_test_acc": 0.5,
         "best_test_acc": best if best is not None else (0.99 if to99 else 0.5), "epochs_run": epochs_run,
         "weak_final_test_acc": weak_acc}
    return {"seed": seed, "metrics": m, "partial": partial}


def _method(label, outcomes):
    return summarise_method(label, [_rec(s, *o) for s, o in enumerate(outcomes)])


def test_chaotic_baseline_is_reported_as_chaotic_with_its_rate_not_never():
    recs = [(160, 160, 560), (None, None, None), (150, 160, 200), (None, None, None)] * 2
    s = _method("scratch", recs)
    assert s.outcome == "chaotic"
    assert (s.reach95.k, s.reach95.n, s.reach99.k) == (4, 8, 4)
    lo, hi = s.reach95.ci_low, s.reach95.ci_high
    assert 0.1 < lo < 0.2 and 0.8 < hi < 0.9  # CP 95 % interval of 4/8 is [0.157, 0.843]
    text = s.describe()
    assert "chaotic" in text and "4/8" in text and "never" not in text
    assert s.epochs_to_95 == (160, 160, 160, 160) and s.time_gaps == (0, 10, 0, 10)


def test_no_success_says_within_the_cap_and_all_success_is_all():
    none = _method("scratch", [(None, None, None, 400)] * 8)
    assert none.outcome == "none" and "within the 400-epoch cap" in none.describe()
    assert none.reach95.ci_low == 0.0 and math.isinf(none.median_to_99)
    full = _method("gt", [(20, 30, 50)] * 8)
    assert full.outcome == "all" and full.reach95.ci_high == 1.0 and full.median_to_99 == 50


def test_helps_needs_gt_to_beat_scratch_and_the_control():
    gt = _method("GrokTransfer", [(20, 30, 50)] * 8)
    scratch = _method("scratch", [(160, 160, 560), (None, None, None)] * 4)
    slow_control = _method("random A·B", [(100, 300, 400)] * 8)
    assert helps_verdict(gt, scratch, slow_control)[0] == "reproduced"
    fast_control = _method("random A·B", [(10, 20, 30)] * 8)  # the control is faster than GT
    assert not beats(gt, fast_control)
    verdict, why = helps_verdict(gt, scratch, fast_control)
    assert verdict == "differs" and "does not beat random A·B" in why


def test_a_gt_that_plateaus_does_not_beat_a_chaotic_scratch():
    gt_plateau = _method("GrokTransfer", [(300, None, None)] * 6 + [(20, 30, 50)] * 2)
    scratch = _method("scratch", [(160, 160, 200), (None, None, None)] * 4)  # 4/8 succeed
    control = _method("random A·B", [(300, None, None)] * 8)
    assert not beats(gt_plateau, scratch)  # fewer successes (2 < 4) even though its successes are fast
    assert helps_verdict(gt_plateau, scratch, control)[0] == "differs"


def test_fewer_seeds_than_the_minimum_is_out_of_reach():
    gt = _method("GrokTransfer", [(20, 30, 50)] * 3)
    scratch = _method("scratch", [(None, None, None)] * 3)
    assert helps_verdict(gt, scratch, scratch)[0] == "out of reach"


def test_shape_detection_counts_late_grokkers_only():
    no_delay = _method("scratch", [(160, 160, 200), (150, 170, 190), (None, None, None)])
    assert no_delay.late_seeds == ()
    assert shape_verdict([no_delay])[0] == "differs"
    late = _method("scratch", [(100, 100 + LATE_GAP, 100 + LATE_GAP + 20), (150, 170, 190)])
    assert late.late_seeds == (0,)
    assert shape_verdict([no_delay, late])[0] == "reproduced"
    just_short = _method("scratch", [(100, 100 + LATE_GAP - 10, 300)])
    assert just_short.late_seeds == ()
    fit_only = _method("scratch", [(100, None, None), (None, None, None)])
    assert fit_only.fit_not_generalised == (0,) and fit_only.late_seeds == ()
    assert shape_verdict([fit_only])[0] == "out of reach"


def test_duplicate_seed_is_refused():
    with pytest.raises(ValueError, match="more than one record"):
        summarise_method("x", [_rec(0, 1, 2, 3), _rec(0, 1, 2, 3)])


def test_partial_run_is_named():
    s = summarise_method("x", [_rec(0, None, None, None, epochs_run=120, partial=True)])
    assert "unfinished at epoch 120" in s.describe()


def test_forty_percent_rule():
    rows = weak_accuracy_table([_rec(s, 20, t, None, weak_acc=w) for s, (w, t) in
                                enumerate([(0.41, None), (0.45, None), (0.55, 300), (0.97, 30), (0.2, None)])])
    assert [r["weak_acc"] for r in rows] == [0.2, 0.41, 0.45, 0.55, 0.97]
    verdict, why = forty_percent_verdict(rows)
    assert verdict == "differs" and "1/3" in why
    rows_ok = weak_accuracy_table([_rec(s, 20, 60, None, weak_acc=0.4) for s in range(3)])
    assert forty_percent_verdict(rows_ok)[0] == "reproduced"
    assert forty_percent_verdict(rows_ok[:2])[0] == "out of reach"
