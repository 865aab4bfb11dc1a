"""Xu et al. (2024) Gaussian XOR data in 2 + K dimensions, exact in law for any ambient dimension p.

Why it is exact. Write the K = n + m isotropic noise vectors of one run (the n training noises ξ_i and
the m initial directions g_j, all N(0, I_p)) as the rows of Z (K × p). Split coordinates into the two
mean directions μ₁/‖μ‖, μ₂/‖μ‖ and their (p − 2)-dimensional complement. The mean-direction part A (K × 2)
is i.i.d. N(0, 1). The complement part Z_⊥ has a Gram matrix Z_⊥Z_⊥ᵀ ~ Wishart_K(p − 2, I), and
Z_⊥ = T Q with Q a K × (p − 2) matrix of orthonormal rows and T lower triangular, the Bartlett factor:
T_kk = √χ²(p − 1 − k) (k = 1..K), T_kl ~ N(0, 1) for k > l, all independent (Bartlett 1933). Every
quantity of Xu's GD (weights stay in the span of the data and the initial weights) is a function of inner
products of these vectors, so replacing each row by its coordinates [A, T] in R^(2+K) changes nothing in law.
p enters only through the χ² degrees of freedom. Float64 throughout: the O(√p) cross terms must survive
next to the O(p) squared norms.

Labels, cluster signs and flips use the same stream and the same draws as `xor.sample_gaussian_clusters`, so
for a given seed the discrete part of the sample is identical to the explicit sampler's (tested).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from xorgrok.core.errors import InputError, check_float, check_int
from xorgrok.core.seeding import numpy_rng


def chi2(rng: np.random.Generator, df: float | np.ndarray) -> np.ndarray:
    """χ²(df) draws, float64, exact for any df > 0 up to float64 range (numpy's Marsaglia–Tsang gamma).

    Returned as an array of df's shape. The sampler's mean and variance are tested up to df = 10¹⁸.
    """
    d = np.asarray(df, dtype=np.float64)
    if not np.all(d > 0) or not np.all(np.isfinite(d)):
        raise InputError("chi-square degrees of freedom must be finite and > 0")
    return 2.0 * rng.standard_gamma(d / 2.0)


def bartlett_factor(K: int, df: int | float, rng: np.random.Generator, df_shift: float = 0.0) -> np.ndarray:
    """Lower-triangular T (K × K), T Tᵀ ~ Wishart_K(df, I): T_kk² ~ χ²(df − k + 1) (1-based k), T_kl ~ N(0,1).

    `df_shift` adds a constant to every diagonal degree of freedom. It exists only so that the in-law tests
    can show that they reject a wrong degree of freedom; 0 is the exact sampler.
    """
    K = check_int("K", K, lo=1)
    if df < K:
        raise InputError(f"Bartlett factor needs df >= K (p - 2 >= n + m), got df = {df:g}, K = {K}")
    T = np.tril(rng.standard_normal((K, K)), k=-1)
    T[np.diag_indices(K)] = np.sqrt(chi2(rng, float(df) - np.arange(K, dtype=np.float64) + df_shift))
    return T


@dataclasses.dataclass(frozen=True)
class Labels:
    y: np.ndarray  # observed labels in {±1}
    y_clean: np.ndarray
    flipped: np.ndarray  # bool
    cluster: np.ndarray  # int64: 0 = +μ₁, 1 = −μ₁, 2 = +μ₂, 3 = −μ₂


def gaussian_labels(n: int, eta: float, seed: int) -> Labels:
    """The discrete part of `sample_gaussian_clusters(n, ·, ·, eta, seed)`: same stream, same draws."""
    n = check_int("n", n, lo=1)
    eta = check_float("eta", eta, 0.0, 0.5, hi_open=True)
    lab = numpy_rng(check_int("seed", seed, lo=0), "gaussian", "labels")
    y_clean = lab.choice(np.array([1, -1]), size=n)
    sign = lab.choice(np.array([1, -1]), size=n)
    flipped = lab.random(n) < eta
    cluster = (np.where(y_clean == 1, 0, 2) + (sign == -1)).astype(np.int64)
    return Labels(np.where(flipped, -y_clean, y_clean), y_clean, flipped, cluster)


# cluster id -> its mean in the (μ₁/‖μ‖, μ₂/‖μ‖) coordinates
CLUSTER_DIRECTION = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])


def signal_part(cluster: np.ndarray, mu_norm: float) -> np.ndarray:
    """(n, 2): ‖μ‖ times the cluster direction."""
    return mu_norm * CLUSTER_DIRECTION[np.asarray(cluster)]


@dataclasses.dataclass(frozen=True)
class NoiseRep:
    """Coordinates of the K = n + m noise rows in R^(2+K): [A_k, T_k]; rows 0..n-1 data, n..K-1 init."""

    rows: np.ndarray  # (K, 2 + K) float64
    n: int
    m: int
    p: int


def bartlett_noise(n: int, m: int, p: int, seed: int, df_shift: float = 0.0) -> NoiseRep:
    """The joint law of (ξ_1..ξ_n, g_1..g_m) i.i.d. N(0, I_p), expressed in 2 + n + m dimensions."""
    n, m = check_int("n", n, lo=1), check_int("m", m, lo=1)
    p = check_int("p", p, lo=3)
    K = n + m
    if p - 2 < K:
        raise InputError(f"p must be >= n + m + 2 = {K + 2} for the Bartlett representation, got p = {p}")
    rng_a = numpy_rng(seed, "xu_bartlett", "mean_directions")
    rng_t = numpy_rng(seed, "xu_bartlett", "complement")
    rows = np.empty((K, 2 + K))
    rows[:, :2] = rng_a.standard_normal((K, 2))
    rows[:, 2:] = bartlett_factor(K, p - 2, rng_t, df_shift)
    return NoiseRep(rows, n, m, p)


def fresh_noise(size: int, D: int, seed: int) -> np.ndarray:
    """(size, D) i.i.d. N(0, 1): a fresh noise vector's coordinates in any orthonormal basis of the span.

    Its component orthogonal to the span is orthogonal to every weight vector and never enters f.
    """
    size, D = check_int("size", size, lo=0), check_int("D", D, lo=1)
    return numpy_rng(seed, "xu_bartlett", "test_noise").standard_normal((size, D))
