"""p-free Gaussian initial projections: P⁽⁰⁾ = W⁽⁰⁾Xᵀ given the Gram, exact in law, W⁽⁰⁾ never drawn.

For w_j ~ N(0, σ² I_p) and fixed X = [X_s | X_n] (signal columns, noise columns), split w_j = [w_js | w_jn].
w_js (2 entries) is drawn. For the noise part, write X_n = L Qᵀ with G_n = X_nX_nᵀ = L Lᵀ (rank r, from its
eigendecomposition) and Q (p − 2) × r orthonormal: w_jn X_nᵀ = (w_jn Q) Lᵀ, where w_jn Q ~ N(0, σ² I_r) is
independent of the part of w_jn orthogonal to span(Q), whose squared norm is σ² χ²(p − 2 − r). So
    P⁽⁰⁾_j = w_js X_sᵀ + z_j Lᵀ,   ‖w_j‖² = ‖w_js‖² + ‖z_j‖² + σ² χ²(p − 2 − r),   z_j ~ N(0, σ² I_r)
has exactly the joint law of (W⁽⁰⁾Xᵀ, row norms) under the explicit draw. Draws differ from the explicit
engine's for the same seed (equality is in law; tested by KS). Memory O(N² + mN); no O(p) anything.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from xorgrok.core.errors import InputError, check_float, check_int
from xorgrok.core.seeding import numpy_rng
from xorgrok.data.xu_bartlett import chi2

ENGINE = "pfree-gaussian-P0"


@dataclasses.dataclass
class PfreeInit:
    P0: np.ndarray  # (m, N) = W⁽⁰⁾Xᵀ
    P0n: np.ndarray  # (m, N) noise part
    W0s: np.ndarray  # (m, 2)
    row_sq: np.ndarray  # (m,) ‖w_j‖²
    engine: str = ENGINE

    @property
    def w0_sq(self) -> float:
        return float(self.row_sq.sum())

    @property
    def w0s_sq(self) -> float:
        return float((self.W0s**2).sum())


def gaussian_projections(Gn: np.ndarray, Xs: np.ndarray, m: int, w_std: float, p: int, seed: int,
                         drop_chi2: bool = False) -> PfreeInit:
    """P⁽⁰⁾ for m Gaussian neurons of std w_std against N points with noise Gram Gn and signal part Xs.

    `drop_chi2` replaces the χ² term by its mean: a deliberately wrong law, for the test that must reject it.
    """
    Gn = np.asarray(Gn, dtype=np.float64)
    Xs = np.asarray(Xs, dtype=np.float64)
    N = Gn.shape[0]
    if Gn.shape != (N, N) or Xs.shape != (N, 2):
        raise InputError(f"Gn must be (N, N) and Xs (N, 2), got {Gn.shape} and {Xs.shape}")
    m = check_int("m", m, lo=1)
    w_std = check_float("w_std", w_std, 0.0)
    p = check_int("p", p, lo=3)
    lam, vec = np.linalg.eigh(Gn)
    keep = lam > lam.max() * N * np.finfo(np.float64).eps
    r = int(keep.sum())
    if p - 2 < r:
        raise InputError(f"p - 2 = {p - 2} is below the rank {r} of the noise Gram")
    L = vec[:, keep] * np.sqrt(lam[keep])  # (N, r), L Lᵀ = Gn
    rng = numpy_rng(check_int("seed", seed, lo=0), "pfree", "P0")
    W0s = w_std * rng.standard_normal((m, 2))
    z = w_std * rng.standard_normal((m, r))
    rest = p - 2 - r
    if rest == 0:
        perp = np.zeros(m)
    elif drop_chi2:
        perp = np.full(m, w_std**2 * rest)
    else:
        perp = w_std**2 * chi2(rng, np.full(m, float(rest)))
    P0n = z @ L.T
    row_sq = (W0s**2).sum(1) + (z**2).sum(1) + perp
    return PfreeInit(W0s @ Xs.T + P0n, P0n, W0s, row_sq)
