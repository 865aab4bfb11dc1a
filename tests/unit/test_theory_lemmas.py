"""Lemma A.1-A.4 events and the init facts on constructed samples with known answers, and Monte Carlo
estimators against exact probabilities."""

import itertools
import math

import numpy as np
import pytest
import torch
from scipy import stats

from xorgrok.data.xor import CLUSTER_SIGNAL, project_hypercube
from xorgrok.experiments.xor import normalize_signal
from xorgrok.theory import lemmas

S_PAPER = np.array([[-1.0, 1.0, -1.0], [1.0, -1.0, -1.0]])  # columns mu2, -mu2, -mu1


def test_zbar_gives_nu_vectors():
    zb = lemmas.zbar(S_PAPER, np.arange(4))
    assert np.allclose(zb, [[0, 0, -2], [0, 0, 2], [2, -2, 0], [-2, 2, 0]])


def test_normalise_matches_core_and_reports_residual():
    rng = np.random.default_rng(0)
    U = np.vstack([S_PAPER * np.array([0.2, 0.3, 0.25]), rng.normal(0, 0.01, (50, 3))])
    U[0, 0] *= 1.1  # imbalance |U_1j| != |U_2j|
    emb = lemmas.normalise_embedding(U)
    core = normalize_signal(torch.from_numpy(U)).numpy()
    assert np.allclose(emb.U, core)
    assert np.array_equal(emb.S, S_PAPER) and emb.distinct_features
    assert 0 < emb.signal_residual < 0.1
    assert emb.delta_fro == pytest.approx(np.linalg.norm(core[2:]))


def test_deviation_event_oracle():
    cl = np.array([0, 1, 2, 3])
    zb = lemmas.zbar(S_PAPER, cl)
    ev = lemmas.deviation_event(zb, zb, 0.1)
    assert ev.holds and ev.max_dev_l2 == 0 and ev.n_over_max == 0
    z = zb.copy()
    z[2] += [0.06, 0.06, 0.06]  # l2 0.104 > 0.1, max-norm 0.06 < 0.1
    ev = lemmas.deviation_event(z, zb, 0.1)
    assert not ev.holds and ev.n_over_max == 0 and ev.max_dev_l2 == pytest.approx(0.06 * math.sqrt(3))


def test_activation_event_oracle():
    """Small noise: the sets follow sign <e, zbar>; a big push on one +mu1 point breaks 'all active'."""
    rng = np.random.default_rng(1)
    cl = rng.integers(0, 4, 400)
    z = lemmas.zbar(S_PAPER, cl) + rng.normal(0, 0.05, (400, 3))
    ev = lemmas.activation_event(z, cl, S_PAPER)
    assert ev.holds and ev.n_full_violations == 0 and ev.n_empty_violations == 0
    i = int(np.nonzero(cl == 0)[0][0])
    z[i] = [0.0, 0.0, 5.0]  # far from nu1 = [0, 0, -2]
    assert not lemmas.activation_event(z, cl, S_PAPER).holds


def test_count_event_exact_balance_and_failure():
    m = 16 * 8
    es = np.array(list(itertools.product((1.0, -1.0), repeat=3)))
    V0 = np.repeat(es, m // 8, axis=0) * 0.4
    a = np.tile([1.0, -1.0], m // 2) / math.sqrt(m)
    cl = np.repeat(np.arange(4), 25)
    ev = lemmas.count_event(a, V0, cl)
    assert ev.holds and ev.b1_gap == 0 and ev.b2_gap == 0 and ev.b3_gap == 0 and ev.b4_gap == 0
    assert not lemmas.count_event(np.abs(a), V0, cl).b1  # all positive: |J_Pos| = m


def test_count_event_mc_matches_exact_binomial():
    """Oracle: P(B1) = P(| Bin(m, 1/2) - m/2 | <= m / ln n) exactly; the Monte Carlo frequency agrees."""
    m, n, draws = 40, 400, 3000
    L = math.log(n)
    ks = np.arange(m + 1)
    exact = float(stats.binom.pmf(ks, m, 0.5)[np.abs(ks - m / 2) <= m / L].sum())
    rng = np.random.default_rng(2)
    hits = 0
    for _ in range(draws):
        a = rng.choice([-1.0, 1.0], m)
        V0 = rng.choice([-1.0, 1.0], (m, 3))
        hits += lemmas.count_event(a, V0, rng.integers(0, 4, n)).b1
    lo, hi = stats.binomtest(hits, draws).proportion_ci(0.999)
    assert lo <= exact <= hi


def test_lemma_a3_fraction_matches_exact_enumeration():
    """Oracle: for p = 10 the exceedance probability of ||U^T x - nu||_max is a finite sum over 2^8 noise signs."""
    rng = np.random.default_rng(3)
    p, eps = 10, 0.3
    U = np.vstack([S_PAPER, rng.normal(0, 1, (p - 2, 3))])
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=p - 2)))
    dev = np.abs(eps * signs @ U[2:]).max(1)
    thr = float(np.quantile(dev, 0.6)) + 1e-9
    exact = float((dev > thr).mean())
    pr = project_hypercube(torch.from_numpy(U), 40000, eps, seed=5)
    ev = lemmas.deviation_event(pr.z.numpy(), lemmas.zbar(S_PAPER, pr.cluster.numpy()), thr)
    lo, hi = stats.binomtest(ev.n_over_max, ev.n_points).proportion_ci(0.999)
    assert lo <= exact <= hi and 0.05 < exact < 0.95


def test_init_facts_known_answers():
    m, v = 64, 0.1
    a = np.tile([1.0, -1.0], m // 2) / math.sqrt(m)
    V0 = np.tile([v, -v, -v], (m, 1))  # <v0, nu1> = 2v, <v0, nu2> = 4v
    z = CLUSTER_SIGNAL[[0, 2]] @ S_PAPER  # nu1, nu2
    facts = lemmas.init_facts(a, V0, z, np.array([1.0, -1.0]), v)
    assert facts.max_f0 == pytest.approx(0.0, abs=1e-12)  # + and - neurons cancel
    assert facts.max_unit == pytest.approx(4 * v / math.sqrt(m))  # the ||zbar||_1 = 4 case, below 5 v/sqrt(m)
    assert facts.loss_ratio == pytest.approx(1.0) and facts.holds
    big = lemmas.init_facts(np.abs(a), V0 * 10, z * 10, np.array([1.0, -1.0]), v)
    assert not big.holds


def test_threshold_and_log_base():
    assert lemmas.deviation_threshold(400, 80000, 0.05) == pytest.approx(0.2118, abs=1e-4)
    assert lemmas.deviation_threshold(400, 80000, 0.05, 2.0) == pytest.approx(
        0.0025 * math.sqrt(200) * math.log2(400))
