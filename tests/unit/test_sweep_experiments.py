"""The sweep's experiments on tiny settings: records, coordinates, the Gaussian-delta Monte Carlo mode and the
trained (theorem) mode."""

import math

import pytest

from xorgrok.core.errors import InputError
from xorgrok.sweep.experiments import gt_onestep, gt_scaling, gt_synthetic


def test_synthetic_structured_record_is_deterministic_and_consistent():
    p = {"n": 80, "p": 4000, "c1": 0.7, "c2": 2.0, "c3": 1.0, "c4": 1.4, "c5": 1.0, "delta_block_size": 6,
         "mc_check": True, "n_eval": 4000}
    a, b = gt_synthetic(p, 3), gt_synthetic(p, 3)
    assert a == b
    assert a["c2"] == pytest.approx(2.0) and a["c4"] == pytest.approx(1.4)
    assert a["error_kind"] == "exact" and a["test_error"] <= a["test_error_upper"]
    assert a["success"] == (a["train_acc"] == 1.0 and a["test_error_upper"] <= 1 / 80**2)
    assert all(a[f"holds_A{i}"] for i in range(1, 6))
    assert gt_synthetic(p, 4) != a  # another seed, another training set and init


def test_gaussian_delta_gives_monte_carlo_errors():
    p = {"n": 80, "p": 3000, "c1": 0.7, "c2": 1.0, "c3": 1.0, "c4": 1.4, "c5": 1.0, "delta": "gaussian",
         "n_eval": 3000}
    r = gt_synthetic(p, 0)
    assert r["error_kind"] == "mc" and r["mc_points"] == 3000 and r["test_error"] == r["mc_errors"] / 3000
    assert r["delta_fro"] == pytest.approx(1.0 * r["eps"] * math.sqrt(3000 / 80))
    big = gt_synthetic({**p, "c2": 200.0}, 0)  # noise far above the signal: the one-step classifier is lost
    assert big["test_error"] > 0.1 and not big["success"]


def test_onestep_trained_weak_net_record():
    r = gt_onestep({"n": 60, "p": 400, "eps": 0.05, "c3": 1.0, "c4": 1.4, "c5": 1.0, "weak_steps": 30,
                    "n_eval": 500}, 0)
    assert r["error_kind"] == "mc" and r["mc_points"] == 500 and len(r["learned"]) == 3
    assert r["c2"] == pytest.approx(r["delta_fro"] / (0.05 * math.sqrt(400 / 60)))
    assert isinstance(r["three_features"], bool) and isinstance(r["success"], bool)


def test_scaling_path_fills_in_the_theorem_boundary():
    r = gt_scaling({"n": 50, "c2": 1.0, "delta_block_size": 4}, 0)
    assert r["p"] == 200 * 50 and r["eps"] == 0.05 and r["u"] == "synthetic"
    assert r["c3"] == pytest.approx(1.0) and r["c4"] == pytest.approx(1.0)
    assert r["m"] == math.ceil(2 * math.log(50) ** 3)


def test_bad_values_raise_input_errors():
    with pytest.raises(InputError, match="either c2 or delta_fro"):
        gt_synthetic({"n": 50, "p": 2000, "eps": 0.1, "c2": 1.0, "delta_fro": 1.0, "v_init": 0.1, "alpha": 1.0}, 0)
    with pytest.raises(InputError, match="delta support"):
        gt_synthetic({"n": 50, "p": 20, "eps": 0.1, "c2": 1.0, "v_init": 0.1, "alpha": 1.0}, 0)


def test_synthetic_exact_error_is_p_free_at_fixed_coordinates():
    """In coordinates, eps * ||delta||_F = c2 c1^2 / log^(3/2) n: p cancels, so the exact one-step error of a
    structured delta is the same at p = 200 n and p = 10^5 n (what lets the scaling path reach n = 10^6)."""
    from xorgrok.sweep.experiments import gt_synthetic

    base = {"n": 300, "c1": 0.7, "c2": 24.0, "c3": 1.0, "c4": 1.4, "c5": 1.0, "delta_block_size": 20}
    a = gt_synthetic({**base, "p": 200 * 300}, 3)
    b = gt_synthetic({**base, "p": 100_000 * 300}, 3)
    assert a["eps"] != b["eps"] and 0 < a["test_error"] < 0.5
    assert b["test_error"] == pytest.approx(a["test_error"], rel=1e-9)
    assert a["train_acc"] == b["train_acc"] and a["c2"] == pytest.approx(b["c2"])
