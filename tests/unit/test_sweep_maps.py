"""Tightness maps: the four classes, two-sided boundaries (no monotonicity assumed), and the coordinates."""

import math

import pytest

from xorgrok.sweep.coords import assumptions_hold, coordinates, resolve
from xorgrok.sweep.engine import run_tasks
from xorgrok.sweep.maps import classify, crossings, success_window
from xorgrok.sweep.spec import from_dict
from xorgrok.sweep.store import TaskStore
from xorgrok.sweep.table import write_tables
from xorgrok.theory.assumptions import groktransfer_assumptions


def test_classes():
    assert classify(True, 1.0, 1.0) == "hold/hold"
    assert classify(True, 0.5, 0.9) == "hold/FAIL"
    assert classify(False, 1.0, 1.0) == "fail/hold"
    assert classify(False, 0.0, 0.3) == "fail/fail"


def test_crossings_find_both_sides_of_a_window():
    xs = [0.1, 0.3, 1, 3, 10, 30]
    w = success_window(xs, [0.0, 0.5, 1.0, 1.0, 0.2, 0.0])
    assert w["lower"] is not None and w["upper"] is not None
    assert 0.3 < w["lower"] < 1 and 3 < w["upper"] < 10
    assert [c["direction"] for c in w["crossings"]] == ["up", "down"]
    # monotone data give one side only, and a success at the edge is not a crossing
    assert success_window(xs, [1, 1, 1, 0, 0, 0])["lower"] is None
    assert crossings(xs, [1, 1, 1, 1, 1, 1]) == []


def test_coordinates_round_trip_and_agree_with_the_assumption_checks():
    n, p = 400, 80_000
    q = resolve({"n": n, "p": p, "c1": 0.7, "c2": 3.0, "c3": 1.5, "c4": 1.2, "c5": 1.0})
    c = coordinates(n, p, q["eps"], q["delta_fro"], q["v_init"], q["alpha"], q["m"])
    assert c["c1"] == pytest.approx(0.7) and c["c2"] == pytest.approx(3.0) and c["c3"] == pytest.approx(1.5)
    assert c["c4"] == pytest.approx(1.2) and c["c5"] <= 1 and q["m"] == math.ceil(2 * math.log(n) ** 3)
    for C in (1.1, 2.0, 3.5):
        mine = assumptions_hold(c, C)
        theirs = {a.id: a.holds for a in groktransfer_assumptions(n, p, q["eps"], q["m"], q["v_init"], q["alpha"],
                                                                  q["delta_fro"], C)}
        assert mine == theirs


def test_two_sided_a4_boundary_is_found_on_both_sides(tmp_path):
    """A real 1-D sweep of c4 = sqrt(m) v_init / alpha: too large a step (c4 small: f after one step is nearly
    linear in z) and too small a step (c4 large: f barely moves from its random start) both fail."""
    xs = [0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0]
    spec = from_dict({"experiment": "gt-synthetic", "seeds": 2,
                      "fixed": {"n": 100, "p": 20_000, "c1": 0.72, "c2": 1.0, "c3": 1.0, "c5": 1.0,
                                "delta_block_size": 8},
                      "axes": {"c4": xs}})
    store = TaskStore(tmp_path)
    assert run_tasks(spec, store, workers=0, progress=False).failed == 0
    cells = write_tables(spec, store, tmp_path)["cells"]
    w = success_window(xs, [c["success_freq"] for c in cells])
    assert w["lower"] is not None and w["upper"] is not None and w["lower"] < w["upper"]
    assert {c["class"] for c in cells} >= {"fail/fail"}
