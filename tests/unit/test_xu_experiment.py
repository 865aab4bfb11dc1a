"""The one Xu'24 GD run (experiments.xu) against autograd, and Theorem 3.1's measurements on a run
(theory.claims.xu_theorem31) against direct counts."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from xorgrok.data.xor import sample_gaussian_clusters
from xorgrok.experiments.xu import XU_PAPER, xu_gd
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer
from xorgrok.theory import claims
from xorgrok.train.gd import GDConfig, Split
from xorgrok.train.two_layer import train_two_layer

MU = 8.0


def _setup():
    d = sample_gaussian_clusters(40, 300, MU, 0.1, seed=3)
    te = sample_gaussian_clusters(200, 300, MU, 0.0, seed=4)
    par = init_two_layer(TwoLayerConfig(m=50, init="xu", omega=1e-3), 300, 5)
    return d, te, par


def test_xu_gd_matches_autograd():
    """Curves, snapshots of W and f on the test points agree with plain autograd GD on W (a fixed)."""
    d, te, par = _setup()
    alpha, steps = 1e-3, 6
    run = xu_gd(d, te, par, MU, alpha, steps, snapshots=(1, 3, 6), log="every")
    mus = torch.stack([d.mu1, d.mu2], 1).double()
    for t in (1, 3, 6):
        ref = train_two_layer(par, Split(d.x, d.y, te.x, te.y_clean),
                              GDConfig(steps=t, lr=alpha, loss="logistic", log="every"), engine="plain", train_a=False)
        W = ref.params["W"].double()  # type: ignore[index]
        np.testing.assert_allclose(run.proj[t], (W @ mus).numpy(), rtol=1e-4, atol=1e-7)
        f = (torch.relu(te.x.double() @ W.T) @ par.a.double()).numpy()
        np.testing.assert_allclose(run.test_f[t], f, rtol=1e-4, atol=1e-6)
        if t == steps:
            for key in ("train_acc", "test_acc"):
                assert np.array_equal(run.history[key], ref.history[key])
            np.testing.assert_allclose(run.history["train_loss"], ref.history["train_loss"], rtol=1e-5)
    assert run.history.steps == list(range(steps + 1))
    np.testing.assert_allclose(run.test_xy, (te.x.double() @ mus / MU).numpy(), rtol=1e-6)
    assert np.array_equal(run.test_y, te.y_clean.double().numpy()) and np.array_equal(run.cluster, d.cluster.numpy())


def test_xu_gd_trains_only_W():
    d, te, par = _setup()
    run = xu_gd(d, te, par, MU, 1e-3, 2, snapshots=(2,))
    assert np.array_equal(run.a, par.a.double().numpy())
    assert not np.allclose(run.proj[2], (par.W.double() @ torch.stack([d.mu1, d.mu2], 1).double()).numpy())


def test_paper_setting():
    assert (XU_PAPER.n, XU_PAPER.p, XU_PAPER.m, XU_PAPER.eta, XU_PAPER.omega) == (200, 40_000, 1000, 0.05, 1e-15)
    assert XU_PAPER.mu_norm == pytest.approx(2.5 * np.sqrt(200))


@pytest.mark.parametrize("n", [1, 7, 200, 2000])
def test_error_rate_is_the_exact_error_fraction(n):
    """k/n behind every accuracy (n - k)/n, bit for bit (1 - acc is not: it can be one ulp off)."""
    for k in range(n + 1):
        wrong = torch.zeros(n, dtype=torch.bool)
        wrong[:k] = True
        acc = (~wrong).double().mean().item()
        assert claims.error_rate(acc, n) == float(wrong.double().mean())


def test_theorem31_measures():
    """Per-cluster majorities at t = 1 and the sign rule, on a hand-made run."""
    yt = np.array([1, 1, 1, 1, -1, -1, -1, -1], dtype=float)
    ct = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    f1 = np.array([1.0, 2.0, -1.0, 0.5, -3.0, 0.0, 1.0, 2.0])  # right: 2/2, 1/2, 1/2 (0 is wrong), 0/2
    cluster = np.array([0, 0, 1, 2, 3, 3])
    flipped = np.array([False, False, False, False, False, True])
    r = claims.xu_theorem31([0.5, 1.0], [0.375, 0.5], 8, f1, yt, ct, cluster, flipped)
    assert r.cluster_right_t1 == [True, False, False, False]
    assert r.test_err == [0.625, 0.5] and r.train_acc == [0.5, 1.0] and r.n_test == 8
    e, pred = claims.sign_rule(cluster, flipped)
    assert r.e_nu == e == [0.5, -0.5, 0.5, -0.5]  # c = (2, 1, 1, 1), flips = (0, 0, 0, 1)
    assert r.cluster_predicted == pred == [True, False, True, False]
