"""Xu'24 Lemma 4.7 rates and eq. (4.3): the Gram-space one step against materialised W, the pre-activation
sampler in law, the 1/8 constant of the limit, and the implied constants on hand-made projections."""

import math

import numpy as np
import pytest
import torch

from xorgrok.core.errors import InputError
from xorgrok.data.xor import sample_gaussian_clusters
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer
from xorgrok.theory import events
from xorgrok.theory.xu_alignment import eq43_point, gaussian_preacts, lemma47_rates, linear_limit, one_step_outputs
from xorgrok.theory.xu_bounds import xu_bound_trace


def test_one_step_outputs_match_an_explicit_autograd_step():
    n, p, m, alpha = 16, 60, 25, 0.3
    tr = sample_gaussian_clusters(n, p, 4.0, 0.1, 1)
    te = sample_gaussian_clusters(50, p, 4.0, 0.0, 2)
    par = init_two_layer(TwoLayerConfig(m=m, init="xu", omega=0.2), p, 3)
    x, y, xt = tr.x.double(), tr.y.double(), te.x.double()
    W, a = par.W.double().clone().requires_grad_(True), par.a.double()
    loss = torch.nn.functional.softplus(-y * (torch.relu(x @ W.T) @ a)).mean()
    (g,) = torch.autograd.grad(loss, W)
    W1 = (W - alpha * g).detach()
    want = (torch.relu(xt @ W1.T) @ a).numpy()
    W0 = par.W.double()
    got = one_step_outputs((W0 @ x.T).numpy(), (W0 @ xt.T).numpy(), a.numpy(), y.numpy(), (x @ xt.T).numpy(), alpha)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def _max_cov_err(H: np.ndarray, target: np.ndarray) -> float:
    return float(np.abs(H.T @ H / len(H) - target).max() / np.abs(target).max())


def test_gaussian_preacts_have_the_law_of_explicit_gaussian_weights():
    """Rows ~ N(0, omega^2 G): empirical covariance within sampling error of omega^2 G, as for explicit
    w ~ N(0, omega^2 I_p); a sampler that ignores the off-diagonal of G is rejected by the same tolerance."""
    rng = np.random.default_rng(0)
    p, N, m, omega = 30, 5, 40000, 0.7
    X = rng.standard_normal((N, p)) + 2.0 * rng.standard_normal((1, p))  # strongly correlated points
    G = X @ X.T
    target = omega**2 * G
    H = gaussian_preacts(G, omega, m, np.random.default_rng(1))
    Hx = (omega * np.random.default_rng(2).standard_normal((m, p))) @ X.T  # the explicit twin
    tol = 0.05  # relative; the sampling error at m = 40000 is ~ sqrt(2/m) ~ 0.007
    assert _max_cov_err(Hx, target) < tol
    assert _max_cov_err(H, target) < tol
    assert abs(H.mean(0)).max() < 0.05 * math.sqrt(target.max())
    wrong = omega * np.random.default_rng(3).standard_normal((m, N)) * np.sqrt(np.diag(G))
    assert _max_cov_err(wrong, target) > tol


def test_linear_limit_constant_one_eighth_against_a_direct_large_m_computation():
    """With the initialisation negligible against the step (only its signs matter) and g = 1/2, f(x; W^(1))
    at large m equals (alpha/8n) <sum y_i x_i, x> up to the O(1/sqrt m) fluctuation; 1/4 or 1/16 would not."""
    n, p, alpha = 20, 400, 1.0
    tr = sample_gaussian_clusters(n, p, 8.0, 0.0, 4)
    te = sample_gaussian_clusters(30, p, 8.0, 0.0, 5)
    X = torch.cat([tr.x, te.x]).double().numpy()
    G = X @ X.T
    y = tr.y.double().numpy()
    pt = eq43_point(G, y, 1e-30, alpha, 400_000, np.random.default_rng(6))
    assert pt.rel_l2 < 0.02
    assert pt.agree == pt.points
    lin = linear_limit(y, G[:n, n:], alpha)
    assert np.allclose(lin, alpha / (8 * n) * (y @ G[:n, n:]))
    # the direct sum at g = 1/2, sum_j a_j phi(a_j b_j) with b_j = (alpha/2n) sum_i 1(<w_j, x_i> > 0) y_i <x_i, x>
    rng = np.random.default_rng(7)
    m = 200_000
    a = rng.choice([-1.0, 1.0], size=m) / math.sqrt(m)
    act = gaussian_preacts(G[:n, :n], 1.0, m, rng) > 0
    b = (alpha / (2 * n)) * ((act * y[None, :]) @ G[:n, n:])
    f = (a[:, None] * np.maximum(a[:, None] * b, 0.0)).sum(0)
    assert float(np.linalg.norm(f - lin) / np.linalg.norm(lin)) < 0.03
    assert float(np.linalg.norm(2 * f - lin) / np.linalg.norm(lin)) > 0.5  # a constant 1/4 would be far off


def test_lemma47_implied_constants_on_hand_made_projections():
    n, alpha, mu, m = 100, 0.5, 3.0, 4
    a = np.array([0.5, 0.5, -0.5, -0.5])
    s = alpha * mu**2 / math.sqrt(m)
    T = 3
    proj = np.zeros((T + 1, m))
    for t in range(T + 1):
        proj[t] = [2 * s * t, 4 * s * t, -s, 3 * s]
    j1 = np.array([True, True, False, False])
    j2 = np.array([False, False, True, True])
    r = lemma47_rates(proj, a, j1, j2, alpha, mu, n, [1, 2, 3])
    assert r.c1 == pytest.approx([3.0, 3.0, 3.0])  # mean 3 s t over scale s t
    L = math.log(n)
    assert r.K2 == pytest.approx([2 / (1 + math.sqrt(L) * t / 10) for t in (1, 2, 3)])
    assert r.ratio == pytest.approx([1.5 * t for t in (1, 2, 3)])
    assert r.ratio_predicted == pytest.approx(math.sqrt(n / L))
    with pytest.raises(InputError):
        lemma47_rates(proj, a, j2, j1, alpha, mu, n, [1])


def test_trace_projections_match_materialised_weights():
    n, p, m, steps, alpha, mu = 12, 40, 10, 3, 0.5, 3.0
    tr = sample_gaussian_clusters(n, p, mu, 0.1, 1)
    te = sample_gaussian_clusters(40, p, mu, 0.0, 2)
    par = init_two_layer(TwoLayerConfig(m=m, init="xu", omega=0.1), p, 3)
    x, y, W0, a = tr.x.double(), tr.y.double(), par.W.double(), par.a.double()
    got = xu_bound_trace(x, y, te.x.double(), te.y_clean.double(), te.cluster.numpy(), W0, a, alpha, steps, mu,
                         2.4e-4, mu1=tr.mu1.double())
    W = W0.clone().requires_grad_(True)
    for t in range(steps + 1):
        np.testing.assert_allclose(got.proj_mu1[t], (W.detach() @ tr.mu1.double()).numpy(), rtol=1e-9, atol=1e-12)
        loss = torch.nn.functional.softplus(-y * (torch.relu(x @ W.T) @ a)).mean()
        (g,) = torch.autograd.grad(loss, W)
        with torch.no_grad():
            W -= alpha * g


def test_alignment_masks_use_the_main_text_definition():
    """J1 = positive neurons (+mu1)-aligned: a neuron active on every clean +mu1 point and no -mu1 point has
    D = c_+ - c_-... and fails the cap (max d < min c - ...), as eq. (4.2) requires."""
    cl = np.array([0] * 10 + [1] * 10)
    fl = np.zeros(20, dtype=bool)
    H0 = np.zeros((2, 20))
    H0[0, :4] = 1.0  # d_+ = 4, d_- = 0: D = 4 > n^(1/2 - kappa), max d = 4 < 10 - sqrt 20 = 5.53
    H0[1, :10] = 1.0  # d_+ = 10: fails the cap
    got = events.aligned(H0, cl, fl, 0, 0.2)
    assert got.tolist() == [True, False]
