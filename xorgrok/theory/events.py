"""Xu et al. 2024 (arXiv 2310.02541v1) data and initialisation events, §4.1 and App. A.2-A.3.

Lemma 4.1 (B1)-(B4), Corollary 4.2 (near-orthogonality) and Lemma 4.4 (D1)-(D3), as functions from one
sample (x, cluster, flipped, mu1, mu2) and one initialisation (W0, a) to figures and a bool each.
`xu_eps` is the paper's small universal constant epsilon in (0, 10^-3/4); logs are natural.

Several printed thresholds depend on xu_eps through n^(-eps) or sqrt(eps n log n); at any feasible n these
make the event either nearly certain or nearly impossible (e.g. (B3) asks |c + n - n/4| <= sqrt(eps n log n)
< 1 for n < 10^3). The verdicts report them as printed, with the measured frequency beside them.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import torch

XU_EPS_DEFAULT = 2.4e-4  # any value in (0, 10^-3/4); the paper fixes one without naming it
OPP = [1, 0, 3, 2]  # cluster id of -nu


def _np(t) -> np.ndarray:
    return t.detach().cpu().double().numpy() if isinstance(t, torch.Tensor) else np.asarray(t, dtype=float)


def centres(mu1, mu2) -> np.ndarray:
    """(4, p) cluster means in id order +mu1, -mu1, +mu2, -mu2."""
    m1, m2 = _np(mu1), _np(mu2)
    return np.stack([m1, -m1, m2, -m2])


@dataclasses.dataclass
class DataEvents:
    b1_proj: float  # max_k max_nu |<x_k - xbar_k, nu>| / (10 sqrt(log n) ||mu||)  (<= 1 wanted)
    b1_norm: float  # max_k | ||x_k||^2 - p - ||mu||^2 | / (10 sqrt(p log n))
    b2: float  # max_{i != k} |<x_i, x_k> - <xbar_i, xbar_k>| / (10 sqrt(p log n))
    b3_count: float  # max_nu |c_nu + n_nu - n/4| / sqrt(eps n log n)
    b3_noise: float  # max_nu |n_nu - eta (c_nu + n_nu)| / sqrt(eps eta n log n)
    b4_count: float  # min_nu |c_nu + n_nu - c_-nu - n_-nu| / n^(1/2 - eps)   (>= 1 wanted)
    b4_noise: float  # min_nu |n_nu - n_-nu| / (eta n^(1/2 - eps))
    cos_max: float  # max_{i != k} |cos(x_i, x_k)|
    cos_bound: float  # 2 ||mu||^2 / p   (Corollary 4.2)

    @property
    def b1(self) -> bool:
        return self.b1_proj <= 1 and self.b1_norm <= 1

    @property
    def b2_holds(self) -> bool:
        return self.b2 <= 1

    @property
    def b3(self) -> bool:
        return self.b3_count <= 1 and self.b3_noise <= 1

    @property
    def b4(self) -> bool:
        return self.b4_count >= 1 and self.b4_noise >= 1

    @property
    def near_orthogonal(self) -> bool:
        return self.cos_max <= self.cos_bound


def data_events(x, cluster, flipped, mu1, mu2, eta: float, xu_eps: float = XU_EPS_DEFAULT,
                p: int | None = None) -> DataEvents:
    """Lemma 4.1 (B1)-(B4) and Corollary 4.2 on one training sample, each as a ratio to its bound.

    p: the ambient dimension when x is a lower-dimensional exact representation (default: x's width).
    """
    X = _np(x)
    cl = np.asarray(cluster)
    fl = np.asarray(flipped, dtype=bool)
    n, width = X.shape
    p = width if p is None else int(p)
    L = math.log(n)
    cen = centres(mu1, mu2)
    mu_sq = float((cen[0] ** 2).sum())
    xb = cen[cl]
    xi = X - xb
    proj = np.abs(xi @ cen[[0, 2]].T).max()
    b1p = proj / (10 * math.sqrt(L) * math.sqrt(mu_sq))
    b1n = np.abs((X**2).sum(1) - p - mu_sq).max() / (10 * math.sqrt(p * L))
    G = X @ X.T
    Gb = xb @ xb.T
    off = ~np.eye(n, dtype=bool)
    b2 = np.abs(G - Gb)[off].max() / (10 * math.sqrt(p * L))
    c = np.array([np.sum((cl == k) & ~fl) for k in range(4)], dtype=float)
    nn = np.array([np.sum((cl == k) & fl) for k in range(4)], dtype=float)
    tot = c + nn
    b3c = np.abs(tot - n / 4).max() / math.sqrt(xu_eps * n * L)
    b3n = (np.abs(nn - eta * tot).max() / math.sqrt(xu_eps * eta * n * L)) if eta > 0 else 0.0
    b4c = np.abs(tot - tot[OPP]).min() / n ** (0.5 - xu_eps)
    b4n = (np.abs(nn - nn[OPP]).min() / (eta * n ** (0.5 - xu_eps))) if eta > 0 else math.inf
    norms = np.sqrt(np.diag(G))
    cos = np.abs(G / np.outer(norms, norms))[off].max()
    return DataEvents(float(b1p), float(b1n), float(b2), float(b3c), float(b3n), float(b4c), float(b4n),
                      float(cos), 2 * mu_sq / p)


@dataclasses.dataclass
class InitEvents:
    d1_min_frac: float  # min_i min(#active positive, #active negative) / m   (>= 1/7 wanted)
    aligned_frac: list[float]  # per nu: fraction of positive neurons (nu, 20 eps)-aligned
    d3_pos_frac: float  # fraction of positive neurons (±nu, 20 eps)-aligned for every nu
    d3_neg_frac: float
    d3_bound: float  # 1 - 10 n^(-20 eps)
    pos_frac: float  # |J_Pos| / m   (Lemma 4.3: >= 1/3)
    d2_min_frac: float = float("nan")  # min over nu, kappa in {eps, 20 eps}, sign of a: #(nu,kappa)-aligned / m
    d2_bound: float = float("nan")  # n^(-10 eps): (D2) wants >= m n^(-10 eps) aligned neurons of each sign

    @property
    def d2(self) -> bool:
        return self.d2_min_frac >= self.d2_bound

    @property
    def d1(self) -> bool:
        return self.d1_min_frac >= 1 / 7

    @property
    def d3(self) -> bool:
        return min(self.d3_pos_frac, self.d3_neg_frac) >= self.d3_bound


def aligned(H0: np.ndarray, cluster: np.ndarray, flipped: np.ndarray, nu: int, kappa: float) -> np.ndarray:
    """(m,) bool: neuron j is (nu, kappa)-aligned, Xu eq. (4.2) (the main-text form, see reference §5).

    d_{nu,j} = #clean - #flipped samples of cluster nu active on neuron j at t = 0; D = d_nu - d_-nu;
    aligned iff D > n^(1/2 - kappa) and max(d_nu, d_-nu) < min(c_nu, c_-nu) - 2(n_nu + n_-nu) - sqrt(n).
    """
    act = H0 > 0  # (m, n)
    n = act.shape[1]
    cl, fl = np.asarray(cluster), np.asarray(flipped, dtype=bool)
    sign = np.where(fl, -1.0, 1.0)

    def d(k: int) -> np.ndarray:
        return (act[:, cl == k] * sign[cl == k]).sum(1)

    o = OPP[nu]
    c_nu, c_o = np.sum((cl == nu) & ~fl), np.sum((cl == o) & ~fl)
    n_nu, n_o = np.sum((cl == nu) & fl), np.sum((cl == o) & fl)
    dn, do = d(nu), d(o)
    cap = min(c_nu, c_o) - 2 * (n_nu + n_o) - math.sqrt(n)
    return (dn - do > n ** (0.5 - kappa)) & (np.maximum(dn, do) < cap)


def init_events(x, cluster, flipped, W0, a, xu_eps: float = XU_EPS_DEFAULT) -> InitEvents:
    """Lemma 4.3's |J_Pos| and Lemma 4.4 (D1), (D3) on one sample and initialisation."""
    H0 = _np(W0) @ _np(x).T  # (m, n)
    A = _np(a)
    pos = A > 0
    n = H0.shape[1]
    act = H0 > 0
    d1 = min(act[pos].sum(0).min(), act[~pos].sum(0).min()) / len(A)
    kappa = 20 * xu_eps
    al = [aligned(H0, cluster, flipped, k, kappa) for k in range(4)]
    fr = [float(al[k][pos].mean()) if pos.any() else 0.0 for k in range(4)]
    both = [al[0] | al[1], al[2] | al[3]]
    d3p = float(min((b[pos].mean() if pos.any() else 0.0) for b in both))
    d3n = float(min((b[~pos].mean() if (~pos).any() else 0.0) for b in both))
    # (D2): for every nu and kappa, >= m n^(-10 eps) positive and as many negative neurons (nu, kappa)-aligned;
    # kappa is checked at eps and 20 eps (the values the proof uses)
    m = len(A)
    d2 = min(float(min(al_k[pos].sum(), al_k[~pos].sum())) / m
             for kap in (xu_eps, kappa) for al_k in (aligned(H0, cluster, flipped, k, kap) for k in range(4)))
    return InitEvents(float(d1), fr, d3p, d3n, 1 - 10 * n ** (-20 * xu_eps), float(pos.mean()),
                      d2, n ** (-10 * xu_eps))
