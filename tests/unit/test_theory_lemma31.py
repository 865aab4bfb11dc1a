"""Lemma 3.1: the exhaustive orbit argument and the optimisation attack (with a 4-neuron power control)."""

import numpy as np

from xorgrok.theory import lemma31


def test_orbit_enumeration():
    r = lemma31.exhaustive_orbit_check()
    assert r.max_correct == 3 and r.attained and r.group_free and r.labels_ok
    assert r.n_patterns == 27 * 729


def test_three_features_score_exactly_three_quarters_on_the_support():
    x = lemma31._support(6, 0.1)
    y = x[:, 0] * x[:, 1]
    W = np.zeros((6, 3))
    W[:2] = [[-1, 1, -1], [1, -1, -1]]  # mu2, -mu2, -mu1
    a = np.array([-1.0, -1.0, 1.0])
    assert lemma31.net_accuracy(W, a, x, y) == 0.75
    W4 = np.zeros((6, 4))
    W4[:2] = [[1, -1, -1, 1], [1, -1, 1, -1]]
    assert lemma31.net_accuracy(W4, np.array([1.0, 1.0, -1.0, -1.0]), x, y) == 1.0


def test_attack_exact_small_p_never_beats_75():
    r = lemma31.optimisation_attack(p=6, eps=0.2, seed=1, n_random=300, n_trained=2, steps=150)
    assert r.mode == "exact" and r.best_accuracy <= 0.75 and r.holds


def test_attack_has_power_with_four_neurons():
    r = lemma31.optimisation_attack(p=4, eps=0.2, seed=1, n_random=200, n_trained=2, steps=200, k=4)
    assert r.best_accuracy > 0.9


def test_attack_sampled_uses_fresh_sample():
    r = lemma31.optimisation_attack(p=40, eps=0.1, seed=2, n_random=30, n_trained=1, n_search=2000,
                                    n_fresh=20000, steps=100)
    assert r.mode == "sampled" and r.n_eval == 20000 and r.ci_low <= r.best_accuracy <= r.ci_high and r.holds
