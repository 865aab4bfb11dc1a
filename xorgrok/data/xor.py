"""XOR cluster data.

Hypercube XOR (GrokTransfer §3.1): x = [x_signal, x_noise], x_signal ~ Unif{±1}², x_noise ~ Unif{±ε}^{p−2},
y = x₁x₂. Clusters (paper's features μ₁ = [1,1], μ₂ = [−1,1]): id 0 = +μ₁, 1 = −μ₁ (label +1),
2 = +μ₂, 3 = −μ₂ (label −1).

Gaussian XOR with label noise (Xu et al. 2024, Def. 2.1): ỹ ~ Unif{±1}; x ~ N(±μ₁, I) if ỹ = 1,
N(±μ₂, I) if ỹ = −1; observed y flips ỹ with probability η. Same cluster ids (0 = +μ₁, ...).

Determinism: the signal/label stream and the noise stream come from separate children of the seed, and
the noise is drawn row by row, so the labels do not depend on p and chunking never changes a value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import torch

from xorgrok.core.errors import InputError, check_float, check_int
from xorgrok.core.memory import check_fits
from xorgrok.core.seeding import numpy_rng

MU1 = (1.0, 1.0)
MU2 = (-1.0, 1.0)
# signal of each cluster id, and its label
CLUSTER_SIGNAL = np.array([MU1, (-1.0, -1.0), MU2, (1.0, -1.0)])
CLUSTER_LABEL = np.array([1, 1, -1, -1])
_ROW_BLOCK_BYTES = 1 << 26  # rows are generated in blocks of about this many output bytes


@dataclasses.dataclass(frozen=True)
class XorSetting:
    """Size of a hypercube-XOR task: n training points in dimension p with noise level ε."""

    n: int
    p: int
    eps: float


# The paper's XOR setting (GrokTransfer §3, App. A.3.2): every default of the XOR runs, figures, the
# verification and the commands is read from here.
PAPER_XOR = XorSetting(n=400, p=80_000, eps=0.05)


def _dtype(dtype: torch.dtype) -> np.dtype:
    if dtype not in (torch.float32, torch.float64):
        raise InputError(f"dtype must be torch.float32 or torch.float64, got {dtype}")
    return np.dtype(np.float32 if dtype == torch.float32 else np.float64)


@dataclasses.dataclass
class HypercubeData:
    x: torch.Tensor  # (n, p)
    y: torch.Tensor  # (n,) in {±1}, same dtype as x
    cluster: torch.Tensor  # (n,) int64 in {0,1,2,3}
    eps: float

    @property
    def n(self) -> int:
        return self.x.shape[0]

    @property
    def p(self) -> int:
        return self.x.shape[1]


@dataclasses.dataclass
class GaussianData:
    x: torch.Tensor  # (n, p)
    y: torch.Tensor  # (n,) observed labels in {±1}
    y_clean: torch.Tensor  # (n,) clean labels ỹ
    flipped: torch.Tensor  # (n,) bool, y != y_clean
    cluster: torch.Tensor  # (n,) int64: 0 = +μ₁, 1 = −μ₁, 2 = +μ₂, 3 = −μ₂
    mu1: torch.Tensor  # (p,)
    mu2: torch.Tensor  # (p,)
    eta: float


def _check_hypercube(n: int, p: int, eps: float, seed: int) -> tuple[int, int, float, int]:
    return (
        check_int("n", n, lo=1),
        check_int("p", p, lo=3),
        check_float("eps", eps, 0.0, lo_open=True),
        check_int("seed", seed, lo=0),
    )


def _clusters(n: int, seed: int) -> np.ndarray:
    return numpy_rng(seed, "hypercube", "signal").integers(0, 4, size=n)


def _noise_bytes(rng: np.random.Generator, rows: int, d: int) -> np.ndarray:
    """(rows, 8·words) uint8 random bytes, bit j of a row (MSB first) is noise coordinate j.

    Each row consumes a whole number of 64-bit words, so block sizes never change a value.
    """
    words = (d + 63) // 64
    raw = rng.integers(0, 2**64, size=(rows, words), dtype=np.uint64, endpoint=False)
    return raw.view(np.uint8)


def _noise_signs(rng: np.random.Generator, rows: int, d: int) -> np.ndarray:
    """(rows, d) uint8 bits."""
    by = _noise_bytes(rng, rows, d)
    return np.unpackbits(by).reshape(rows, by.shape[1] * 8)[:, :d]


def _hypercube_blocks(n: int, p: int, eps: float, seed: int, np_dtype: np.dtype,
                      block: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (row0, x_block) blocks of the hypercube sample, in order."""
    cl = _clusters(n, seed)
    rng = numpy_rng(seed, "hypercube", "noise")
    rows = block or max(1, _ROW_BLOCK_BYTES // (p * np_dtype.itemsize))
    tdtype = torch.float32 if np_dtype == np.float32 else torch.float64
    for r0 in range(0, n, rows):
        r1 = min(n, r0 + rows)
        out = np.empty((r1 - r0, p), dtype=np_dtype)
        out[:, :2] = CLUSTER_SIGNAL[cl[r0:r1]]
        # bit b -> 2εb − ε, exactly ±ε in the target dtype (doubling is exact); torch converts ~5x faster
        bits = torch.from_numpy(_noise_signs(rng, r1 - r0, p - 2))
        out[:, 2:] = bits.to(tdtype).mul_(2 * eps).sub_(eps).numpy()
        yield r0, out


def sample_hypercube(n: int, p: int, eps: float, seed: int, dtype: torch.dtype = torch.float32,
                     device: str | torch.device = "cpu") -> HypercubeData:
    """n i.i.d. points of the GrokTransfer XOR distribution P (§3.1). Refuses n×p that won't fit."""
    n, p, eps, seed = _check_hypercube(n, p, eps, seed)
    np_dtype = _dtype(dtype)
    check_fits(f"hypercube XOR data n×p = {n}×{p} ({np_dtype.name})", n * p, np_dtype.itemsize)
    x = np.empty((n, p), dtype=np_dtype)
    for r0, blk in _hypercube_blocks(n, p, eps, seed, np_dtype):
        x[r0:r0 + len(blk)] = blk
    cl = _clusters(n, seed)
    y = CLUSTER_LABEL[cl].astype(np_dtype)
    return HypercubeData(
        x=torch.from_numpy(x).to(device), y=torch.from_numpy(y).to(device),
        cluster=torch.from_numpy(cl).to(device), eps=eps,
    )


@dataclasses.dataclass
class Projection:
    z: torch.Tensor  # (n, k) = x Uᵀ-projections, x never stored whole
    y: torch.Tensor  # (n,)
    cluster: torch.Tensor  # (n,)


def project_hypercube(U: torch.Tensor, n: int, eps: float, seed: int, block: int = 4096) -> Projection:
    """z_i = Uᵀx_i for n fresh hypercube points, streamed in blocks, x never materialised.

    Same points as `sample_hypercube(n, p, eps, seed)` (equal to `.x @ U` up to float rounding; tested).
    Fast path: the noise part ε Σ_j s_j U_j is summed byte by byte from a lookup table
    T[g, b] = ε Σ_{k<8} (±1 from bit k of b) U_{8g+k}: 8× fewer operations than the dense product and
    no float expansion of the signs. Bytes are visited in small groups so each sub-table stays in cache.
    """
    if U.dim() != 2:
        raise InputError(f"U must be a (p, k) matrix, got shape {tuple(U.shape)}")
    p, k = U.shape
    n, p, eps, seed = _check_hypercube(n, p, eps, seed)
    block = check_int("block", block, lo=1)
    np_dtype = _dtype(U.dtype)
    Un = U.detach().cpu().numpy().astype(np.float64)
    d = p - 2
    n_bytes = ((d + 63) // 64) * 8
    check_fits(f"projection lookup table ({n_bytes}×256×{k})", n_bytes * 256 * k, 8)
    upad = np.zeros((n_bytes * 8, k))
    upad[:d] = Un[2:]
    signs = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).astype(np.float64) * 2 - 1
    # a batched BLAS product: np.einsum on this contraction was the slowest step of a sweep task (0.4 s at p = 8e4)
    table = eps * np.matmul(signs, upad.reshape(n_bytes, 8, k))  # (n_bytes, 256, k)
    group = 32
    offs = (np.arange(group, dtype=np.intp) * 256)[:, None]
    cl = _clusters(n, seed)
    rng = numpy_rng(seed, "hypercube", "noise")
    z = np.zeros((n, k))
    for r0 in range(0, n, block):
        r1 = min(n, r0 + block)
        by_t = np.ascontiguousarray(_noise_bytes(rng, r1 - r0, d).T)  # (n_bytes, rows)
        acc = np.zeros((r1 - r0, k))
        for g0 in range(0, n_bytes, group):
            g1 = min(n_bytes, g0 + group)
            sub = table[g0:g1].reshape(-1, k)
            acc += np.take(sub, by_t[g0:g1].astype(np.intp) + offs[: g1 - g0], axis=0).sum(0)
        z[r0:r1] = acc
    z += CLUSTER_SIGNAL[cl] @ Un[:2]
    return Projection(
        z=torch.from_numpy(z.astype(np_dtype)).to(U.device),
        y=torch.from_numpy(CLUSTER_LABEL[cl].astype(np_dtype)).to(U.device),
        cluster=torch.from_numpy(cl).to(U.device),
    )


def gaussian_means(p: int, mu_norm: float, seed: int, basis: str = "axes",
                   dtype: torch.dtype = torch.float32) -> tuple[torch.Tensor, torch.Tensor]:
    """Orthogonal μ₁, μ₂ with ‖μ₁‖ = ‖μ₂‖ = mu_norm: the first two axes, or a random orthonormal pair."""
    p = check_int("p", p, lo=2)
    mu_norm = check_float("mu_norm", mu_norm, 0.0, lo_open=True)
    np_dtype = _dtype(dtype)
    if basis == "axes":
        mu1 = np.zeros(p)
        mu2 = np.zeros(p)
        mu1[0], mu2[1] = mu_norm, mu_norm
    elif basis == "random":
        g = numpy_rng(seed, "gaussian", "means").standard_normal((p, 2))
        q, _ = np.linalg.qr(g)
        mu1, mu2 = q[:, 0] * mu_norm, q[:, 1] * mu_norm
    else:
        raise InputError(f"basis must be 'axes' or 'random', got {basis!r}")
    return torch.from_numpy(mu1.astype(np_dtype)), torch.from_numpy(mu2.astype(np_dtype))


def sample_gaussian_clusters(n: int, p: int, mu_norm: float, eta: float, seed: int, basis: str = "axes",
                             dtype: torch.dtype = torch.float32,
                             device: str | torch.device = "cpu") -> GaussianData:
    """n i.i.d. points of Xu et al. (2024) Def. 2.1: Gaussian XOR clusters with label-flip rate η."""
    n = check_int("n", n, lo=1)
    p = check_int("p", p, lo=2)
    eta = check_float("eta", eta, 0.0, 0.5, hi_open=True)
    seed = check_int("seed", seed, lo=0)
    np_dtype = _dtype(dtype)
    check_fits(f"Gaussian XOR data n×p = {n}×{p} ({np_dtype.name})", n * p, np_dtype.itemsize)
    mu1, mu2 = gaussian_means(p, mu_norm, seed, basis, dtype)
    lab = numpy_rng(seed, "gaussian", "labels")
    y_clean = lab.choice(np.array([1, -1]), size=n)
    sign = lab.choice(np.array([1, -1]), size=n)
    flipped = lab.random(n) < eta
    cluster = np.where(y_clean == 1, 0, 2) + (sign == -1)
    noise_rng = numpy_rng(seed, "gaussian", "noise")
    x = noise_rng.standard_normal((n, p), dtype=np_dtype)
    means = np.where((y_clean == 1)[:, None], mu1.numpy()[None, :], mu2.numpy()[None, :]) * sign[:, None]
    x += means.astype(np_dtype)
    y = np.where(flipped, -y_clean, y_clean)
    t = lambda a, dt=np_dtype: torch.from_numpy(np.ascontiguousarray(a).astype(dt)).to(device)  # noqa: E731
    return GaussianData(
        x=t(x), y=t(y), y_clean=t(y_clean), flipped=torch.from_numpy(flipped).to(device),
        cluster=torch.from_numpy(cluster.astype(np.int64)).to(device), mu1=mu1.to(device), mu2=mu2.to(device),
        eta=eta,
    )
