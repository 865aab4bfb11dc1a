"""SNR formulas against samples; Xu'24 events on constructed and sampled data."""

import math

import numpy as np
import pytest
import torch

from xorgrok.data.xor import project_hypercube, sample_gaussian_clusters, sample_hypercube
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer
from xorgrok.theory import events, lemmas, snr


def test_raw_snr_formula_is_exact_on_the_hypercube():
    x = sample_hypercube(50, 1000, 0.07, 0, dtype=torch.float64).x.numpy()
    assert snr.raw_snr_measured(x) == pytest.approx(snr.raw_snr(1000, 0.07), rel=1e-12)


def test_embedding_snr_closed_form_vs_monte_carlo():
    rng = np.random.default_rng(0)
    S = np.array([[-1.0, 1.0, -1.0], [1.0, -1.0, -1.0]])
    U = np.vstack([S, rng.normal(0, 0.05, (498, 3))])
    pr = project_hypercube(torch.from_numpy(U), 40000, 0.1, 1)
    cf = snr.embedding_snr(S, float(np.linalg.norm(U[2:])), 0.1)
    mc = snr.embedding_snr_mc(pr.z.numpy(), lemmas.zbar(S, pr.cluster.numpy()))
    assert mc == pytest.approx(cf, rel=0.02)


def test_r_w_at_a2_boundary():
    assert snr.r_w_predicted_from_a2(1.0, 0.05, 400, 80000) == pytest.approx(
        0.05 * math.sqrt(200) / math.sqrt(3 * 79998))


def test_xu_data_events_in_a_separable_regime():
    """Large p and ||mu||: B1, B2 and near-orthogonality hold; the printed B3 bound is < 1 at this n."""
    d = sample_gaussian_clusters(30, 20000, 40.0, 0.1, seed=1)
    ev = events.data_events(d.x, d.cluster, d.flipped, d.mu1, d.mu2, 0.1)
    assert ev.b1 and ev.b2_holds and ev.near_orthogonal
    assert math.sqrt(events.XU_EPS_DEFAULT * 30 * math.log(30)) < 1


def test_xu_near_orthogonality_can_fail():
    d = sample_gaussian_clusters(30, 400, 10.0, 0.0, seed=1)  # bound 2 ||mu||^2 / p = 0.5
    x = d.x.clone()
    x[1] = x[0]  # a repeated point: cos = 1
    ev = events.data_events(x, d.cluster, d.flipped, d.mu1, d.mu2, 0.0)
    assert ev.cos_bound == pytest.approx(0.5) and ev.cos_max == pytest.approx(1.0) and not ev.near_orthogonal


def test_aligned_constructed():
    """Neuron 0 is active on the whole +mu1 cluster and nothing else: D = c_+mu1 > sqrt n."""
    n = 64
    cl = np.repeat(np.arange(4), n // 4)
    fl = np.zeros(n, dtype=bool)
    H0 = -np.ones((2, n))
    H0[0, cl == 0] = 1.0
    al = events.aligned(H0, cl, fl, 0, 0.0)
    # D = 16 > 8 = sqrt(64) but the cap min(c) - 2 (n_nu + n_-nu) - sqrt(n) = 16 - 8 = 8 < d = 16
    assert not al[0] and not al[1]
    H0[0, cl == 0] = -1.0
    H0[0, np.nonzero(cl == 0)[0][:7]] = 1.0  # d = 7 < 8 = cap, but D = 7 < 8: not aligned either
    assert not events.aligned(H0, cl, fl, 0, 0.0)[0]
    assert events.aligned(H0, cl, fl, 0, 0.2)[0]  # n^(1/2 - 0.2) = 3.5 < 7


def test_xu_init_events_fraction_positive():
    d = sample_gaussian_clusters(40, 500, 10.0, 0.05, seed=2)
    par = init_two_layer(TwoLayerConfig(m=300, init="xu", omega=1.0), 500, 3)
    ie = events.init_events(d.x, d.cluster, d.flipped, par.W, par.a)
    assert ie.d1 and 0.4 < ie.pos_frac < 0.6 and ie.d3_bound < 0


def test_xu_d2_counts_match_a_direct_count():
    """(D2): the smallest per-sign count of (nu, kappa)-aligned neurons, recounted from `aligned` directly."""
    d = sample_gaussian_clusters(40, 500, 10.0, 0.05, seed=2)
    par = init_two_layer(TwoLayerConfig(m=300, init="xu", omega=1.0), 500, 3)
    ie = events.init_events(d.x, d.cluster, d.flipped, par.W, par.a, xu_eps=0.01)
    H0 = (par.W @ d.x.T).numpy()
    pos = par.a.numpy() > 0
    direct = min(min(al[pos].sum(), al[~pos].sum()) / 300
                 for kap in (0.01, 0.2) for al in (events.aligned(H0, d.cluster.numpy(), d.flipped.numpy(), k, kap)
                                                   for k in range(4)))
    assert ie.d2_min_frac == direct
    assert ie.d2_bound == 40 ** (-0.1)
    assert ie.d2 == (direct >= 40 ** (-0.1))
    assert ie.d2_min_frac <= max(ie.pos_frac, 1 - ie.pos_frac)  # cannot exceed the neurons of one sign
