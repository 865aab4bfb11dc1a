"""Xu'24 explicit-constant proof bounds: the Gram-space trace against plain autograd GD on materialised W."""

import math

import numpy as np
import pytest
import torch

from xorgrok.data.xor import sample_gaussian_clusters
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer
from xorgrok.theory.xu_bounds import xu_bound_trace


def test_trace_matches_autograd_gd():
    n, p, m, steps, alpha, mu = 12, 40, 10, 4, 0.5, 3.0
    tr = sample_gaussian_clusters(n, p, mu, 0.1, 1)
    te = sample_gaussian_clusters(400, p, mu, 0.0, 2)
    par = init_two_layer(TwoLayerConfig(m=m, init="xu", omega=0.1), p, 3)
    x, y, W0, a = tr.x.double(), tr.y.double(), par.W.double(), par.a.double()
    xt, yt = te.x.double(), te.y_clean.double()
    got = xu_bound_trace(x, y, xt, yt, te.cluster.numpy(), W0, a, alpha, steps, mu, 2.4e-4)
    W = W0.clone().requires_grad_(True)
    cl = te.cluster.numpy()
    for t in range(steps + 1):
        f = torch.relu(x @ W.T) @ a
        marg = y * f
        g = torch.sigmoid(-marg.detach())
        assert got.max_g_dev[t] == pytest.approx(float((g - 0.5).abs().max()), rel=1e-9, abs=1e-12)
        assert got.min_margin[t] == pytest.approx(float(marg.detach().min()), rel=1e-9, abs=1e-12)
        wn = float(W.detach().norm())
        assert got.w_norm[t] == pytest.approx(wn, rel=1e-9)
        yf = (yt * (torch.relu(xt @ W.detach().T) @ a)).numpy()
        assert got.norm_margin[t] == pytest.approx(min(yf[cl == k].mean() for k in range(4)) / wn, rel=1e-8)
        assert got.margin_bound[t] == pytest.approx(alpha * p * t / (28 * n) - alpha * mu**2)
        assert got.w_bound[t] == pytest.approx(3 * alpha * t * math.sqrt(p / n))
        loss = torch.nn.functional.softplus(-marg).mean()  # logistic loss log(1 + exp(-y f))
        (gW,) = torch.autograd.grad(loss, W)
        with torch.no_grad():
            W -= alpha * gW
    assert got.g_bound == pytest.approx(2 / n**1.5)
    assert got.window == pytest.approx(1 / (math.sqrt(n) * p * alpha) - 2)


def test_bounds_hold_on_a_small_instance_inside_the_window():
    """A setting where the loss stays near log 2: g within 2/n^1.5 of 1/2 and ||W^(t)|| below 3 alpha t sqrt(p/n)."""
    n, p, m = 40, 4000, 50
    mu = 2.5 * math.sqrt(p / n)
    tr = sample_gaussian_clusters(n, p, mu, 0.0, 4)
    te = sample_gaussian_clusters(400, p, mu, 0.0, 5)
    par = init_two_layer(TwoLayerConfig(m=m, init="xu", omega=1e-12), p, 6)
    alpha = 1e-9
    got = xu_bound_trace(tr.x, tr.y, te.x, te.y_clean, te.cluster.numpy(), par.W, par.a, alpha, 6, mu, 2.4e-4)
    assert max(got.max_g_dev) <= got.g_bound
    assert all(w <= b for w, b in zip(got.w_norm[1:], got.w_bound[1:]))
    assert np.all(np.isfinite(got.norm_margin))
