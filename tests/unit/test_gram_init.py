"""p-free Gaussian P⁽⁰⁾ given the Gram: the same law as W⁽⁰⁾Xᵀ with W⁽⁰⁾ drawn in p dimensions (KS), and a
wrong law rejected by the same test."""

from __future__ import annotations

import numpy as np
import torch
from scipy import stats

from xorgrok.data.xor import sample_hypercube
from xorgrok.train.gram_init import gaussian_projections

P, N, M, W_STD = 150, 8, 3000, 0.1


def _data():
    x = sample_hypercube(N, P, 0.3, 4, dtype=torch.float64).x.numpy()
    return x, x[:, 2:] @ x[:, 2:].T, x[:, :2]


def _explicit(x):
    W = W_STD * np.random.default_rng(99).standard_normal((M, P))
    return W @ x.T, (W**2).sum(1)


def _pvalues(pf, P0, row_sq):
    pv = {f"P0[:, {i}]": stats.ks_2samp(pf.P0[:, i], P0[:, i]).pvalue for i in (0, N - 1)}
    pv["P0 diff"] = stats.ks_2samp(pf.P0[:, 0] - pf.P0[:, 1], P0[:, 0] - P0[:, 1]).pvalue
    pv["row_sq"] = stats.ks_2samp(pf.row_sq, row_sq).pvalue
    return pv


def test_pfree_projections_match_explicit_in_law():
    x, Gn, Xs = _data()
    P0, row_sq = _explicit(x)
    pf = gaussian_projections(Gn, Xs, M, W_STD, P, seed=1)
    pv = _pvalues(pf, P0, row_sq)
    assert min(pv.values()) > 1e-3, pv
    # second moments: E[P0ᵀP0]/m = σ² G
    G = x @ x.T
    sd = W_STD**2 * np.sqrt((np.outer(np.diag(G), np.diag(G)) + G**2) / M)
    assert np.all(np.abs(pf.P0.T @ pf.P0 / M - W_STD**2 * G) < 5 * sd)


def test_pfree_ks_rejects_a_wrong_law():
    x, Gn, Xs = _data()
    P0, row_sq = _explicit(x)
    pf = gaussian_projections(Gn, Xs, M, W_STD, P, seed=1, drop_chi2=True)
    assert _pvalues(pf, P0, row_sq)["row_sq"] < 1e-3
