"""Synthetic transferred embeddings U = [S; δ] for GrokTransfer Theorem 3.2, with the one-step test error.

S (2×3) holds three DISTINCT features of {±1}² as columns (any of the 4·3·2 ordered choices, footnote 1 of the
paper), so "the weak net learned three features" holds by construction, and the noise block δ ((p−2)×3) is a
free knob: (A2) moves independently of everything else.

Structured δ: B disjoint blocks of s_b noise coordinates; on block b every entry of column j equals d_{bj}
(equal magnitudes inside a block). For a hypercube point x with noise signs σ ∈ {±1}^{p−2},
    εδᵀσ = ε Σ_b T_b d_b,   T_b = Σ_{k∈block b} σ_k = 2·Bin(s_b, 1/2) − s_b   (independent over b),
so z = Uᵀx = Sᵀx_signal + ε Σ_b T_b d_b exactly, without drawing p coordinates. The trained target after one
step is piecewise linear in z, and its test error conditional on the training set and the initialisation,
    err = ¼ Σ_clusters Σ_{t ∈ support} Π_b P(T_b = t_b) · 1[sgn f⁽¹⁾(z̄ + ε Σ_b t_b d_b) ≠ y],
is a finite sum of probability masses: `exact_test_error` computes it, truncating only the binomial tails whose
total mass is below `tail` (default 1e−30), and reports that dropped mass as the error's upper slack.
Twins (tests): `dense_delta` + a plain Rademacher matrix gives the same z law; brute-force enumeration of all
sign patterns gives the same error on tiny blocks; Monte Carlo agrees within its Clopper-Pearson interval.

General δ: Gaussian entries on every noise coordinate, scaled to a given ‖δ‖_F; errors by Monte Carlo only.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import torch
from scipy import stats

from xorgrok.core.errors import Diverged, InputError, check_choice, check_float, check_int
from xorgrok.core.health import first_nonfinite
from xorgrok.core.seeding import numpy_rng
from xorgrok.data.xor import CLUSTER_LABEL, CLUSTER_SIGNAL
from xorgrok.models.target import TargetConfig, eq4_update, init_target, target_forward_z

# ordered choices of three distinct features among the four cluster signals (ids as in data.xor)
ORDERINGS: tuple[tuple[int, int, int], ...] = tuple(itertools.permutations(range(4), 3))
PAPER_ORDERING = (2, 3, 1)  # u1 = [μ2; δ1], u2 = [−μ2; δ2], u3 = [−μ1; δ3] as in §3.3
LAYOUTS = ("diagonal", "mixed")
TIE_RTOL = 1e-9  # |<v, z>| below this times sum_k |v_k z_k| is an exact tie (phi'(0) = 0)
MAX_SUPPORT = 30_000_000  # joint support points evaluated by the exact sum (memory/time guard)


def signal_block(ordering: tuple[int, int, int] | list[int]) -> np.ndarray:
    """S (2×3): column j is the signal of cluster id ordering[j] (three distinct features)."""
    o = tuple(int(i) for i in ordering)
    if o not in ORDERINGS:
        raise InputError(f"ordering must be three distinct cluster ids in 0..3, got {list(ordering)}")
    return CLUSTER_SIGNAL[list(o)].T.copy()


@dataclasses.dataclass(frozen=True)
class StructuredDelta:
    """δ with B blocks: block b has `sizes[b]` coordinates on which column j equals `values[b, j]`."""

    values: np.ndarray  # (B, 3)
    sizes: tuple[int, ...]

    @property
    def fro(self) -> float:
        return float(math.sqrt(sum(s * float(v @ v) for s, v in zip(self.sizes, self.values))))

    @property
    def support(self) -> int:
        return int(sum(self.sizes))


def structured_delta(delta_fro: float, blocks: int = 3, block_size: int = 48, layout: str = "diagonal",
                     seed: int = 0) -> StructuredDelta:
    """Blocks of equal size; "diagonal": block b feeds column b mod 3 only; "mixed": block b has a random
    ±1 pattern over the three columns (from `seed`). Scaled so that ‖δ‖_F = delta_fro exactly."""
    delta_fro = check_float("delta_fro", delta_fro, 0.0)
    blocks = check_int("delta_blocks", blocks, lo=1, hi=12)
    block_size = check_int("delta_block_size", block_size, lo=1)
    layout = check_choice("delta_layout", layout, LAYOUTS)
    if layout == "diagonal":
        g = np.zeros((blocks, 3))
        g[np.arange(blocks), np.arange(blocks) % 3] = 1.0
    else:
        g = numpy_rng(seed, "synthetic-u", "delta-signs").choice([-1.0, 1.0], size=(blocks, 3)) / math.sqrt(3)
    kappa = delta_fro / math.sqrt(blocks * block_size)  # each row of g has unit norm
    return StructuredDelta(values=kappa * g, sizes=(block_size,) * blocks)


def dense_delta(delta: StructuredDelta, p: int) -> np.ndarray:
    """The (p−2)×3 matrix δ the structure stands for (blocks first, zeros after)."""
    p = check_int("p", p, lo=2 + delta.support)
    out = np.zeros((p - 2, 3))
    r = 0
    for s, v in zip(delta.sizes, delta.values):
        out[r:r + s] = v
        r += s
    return out


def gaussian_delta(p: int, delta_fro: float, seed: int) -> np.ndarray:
    """General δ: i.i.d. Gaussian entries, rescaled so that ‖δ‖_F = delta_fro."""
    p = check_int("p", p, lo=3)
    delta_fro = check_float("delta_fro", delta_fro, 0.0)
    g = numpy_rng(seed, "synthetic-u", "delta-gauss").standard_normal((p - 2, 3))
    return g * (delta_fro / float(np.linalg.norm(g)))


@dataclasses.dataclass
class SyntheticSample:
    z: np.ndarray  # (n, 3) = Uᵀx
    y: np.ndarray  # (n,) labels ±1
    cluster: np.ndarray  # (n,)


def sample_structured(n: int, S: np.ndarray, delta: StructuredDelta, eps: float, seed: int) -> SyntheticSample:
    """n fresh hypercube points projected on U = [S; δ], drawn through the block sums T_b (exact in law)."""
    n = check_int("n", n, lo=1)
    eps = check_float("eps", eps, 0.0, lo_open=True)
    cl = numpy_rng(seed, "synthetic-u", "cluster").integers(0, 4, size=n)
    rng = numpy_rng(seed, "synthetic-u", "block-sums")
    T = np.stack([2.0 * rng.binomial(s, 0.5, size=n) - s for s in delta.sizes], axis=1)  # (n, B)
    z = CLUSTER_SIGNAL[cl] @ S + eps * (T @ delta.values)
    return SyntheticSample(z=z, y=CLUSTER_LABEL[cl].astype(float), cluster=cl)


def sample_dense(n: int, S: np.ndarray, delta_dense: np.ndarray, eps: float, seed: int) -> SyntheticSample:
    """The obviously-correct twin: draw every noise sign σ ∈ {±1}^{p−2} and multiply by δ."""
    n = check_int("n", n, lo=1)
    cl = numpy_rng(seed, "synthetic-u", "dense-cluster").integers(0, 4, size=n)
    sig = numpy_rng(seed, "synthetic-u", "dense-signs").choice([-1.0, 1.0], size=(n, delta_dense.shape[0]))
    z = CLUSTER_SIGNAL[cl] @ S + eps * (sig @ delta_dense)
    return SyntheticSample(z=z, y=CLUSTER_LABEL[cl].astype(float), cluster=cl)


@dataclasses.dataclass
class OneStep:
    V0: torch.Tensor  # (m, 3)
    V1: torch.Tensor  # (m, 3) after eq. (4)
    a: torch.Tensor  # (m,)
    train_acc: float


def merge_neurons(V: torch.Tensor, a: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(Vu, au, counts, inverse): the distinct (v_j, a_j) pairs, how often each occurs, and neuron j's pair.

    With v ~ Unif{±v_init}³ and a ~ Unif{±1/√m} there are at most 16 distinct pairs however large m is, and
    f(z) = Σ_u counts_u au_u relu(<Vu_u, z>) exactly; eq. (4) gives equal neurons equal updates. This turns the
    (n, m) activation matrices into (n, 16) ones (n = 10⁶ at m = 5274 would need 42 GB otherwise).
    """
    key = torch.cat([V.double(), a.double()[:, None]], dim=1)
    uniq, inverse, counts = torch.unique(key, dim=0, return_inverse=True, return_counts=True)
    return uniq[:, :3].contiguous(), uniq[:, 3].contiguous(), counts.to(torch.float64), inverse


def one_step(train: SyntheticSample, m: int, v_init: float, alpha: float, seed: int,
             merged: bool = True) -> OneStep:
    """f_L initialised as in §3.3 (a ~ Unif{±1/√m}, v ~ Unif{±v_init}³) and one GD step on V by eq. (4).

    merged=True evaluates eq. (4) once per distinct (v_j, a_j) pair (`merge_neurons`); merged=False is the
    plain per-neuron twin (tests hold them equal away from ties). The block law is discrete, so a pre-activation
    <v_j, z_i> can be exactly 0 in exact arithmetic: the merged path takes phi'(0) = 0 there (|<v_j, z_i>| within
    TIE_RTOL of its terms' scale), the twin reads it from the float rounding of its matrix product."""
    alpha = check_float("alpha", alpha, 0.0, lo_open=True)
    # init_target only reads U's width, dtype and device here; the embedding itself is the synthetic z.
    placeholder = torch.zeros(1, 3, dtype=torch.float64)
    tp = init_target(placeholder, TargetConfig(m=m, v_init=v_init), seed)
    z = torch.from_numpy(train.z)
    y = torch.from_numpy(train.y)
    if not merged:
        V1 = eq4_update(tp.V, tp.a, z, y, alpha)
        f = target_forward_z(V1, tp.a, z)
        return OneStep(V0=tp.V, V1=V1, a=tp.a, train_acc=float((torch.sign(f) == y).double().mean()))
    Vu, au, cnt, inv = merge_neurons(tp.V, tp.a)
    # eq. (4) is per neuron: the merged update needs the merged f (weights counts * a) but each type's own a
    n = z.shape[0]
    f0 = target_forward_z(Vu, au * cnt, z)
    w = y * torch.exp(-y * f0)
    bad = first_nonfinite({"f_L outputs": f0, "exp-loss weights": w})
    if bad is not None:
        raise Diverged(0, bad, "lower v_init or the inputs' scale")
    # phi'(0) = 0, decided exactly: the block law is discrete, so <v_j, z_i> = 0 in exact arithmetic has positive
    # probability (e.g. z1 + z2 = z3), and the float product lands on either side of 0 by rounding (which made the
    # error depend on p at fixed coordinates). A value within 1e-9 of the terms' scale is such a tie.
    pre = z @ Vu.T
    act = (pre > TIE_RTOL * (z.abs() @ Vu.abs().T)).to(z.dtype)
    V1u = Vu + (alpha / n) * au[:, None] * ((act * w[:, None]).T @ z)
    if first_nonfinite({"V": V1u}) is not None:
        raise Diverged(1, "V", "lower alpha")
    f = target_forward_z(V1u, au * cnt, z)
    return OneStep(V0=tp.V, V1=V1u[inv].to(tp.V.dtype), a=tp.a,
                   train_acc=float((torch.sign(f) == y).double().mean()))


def _forward_merged(V: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Vu, a_sum): distinct rows of V and the summed output weights of each, f(z) = relu(z Vuᵀ) a_sum exactly."""
    Vu, inv = np.unique(V, axis=0, return_inverse=True)
    return Vu, np.bincount(inv.ravel(), weights=a, minlength=len(Vu))


def _block_support(s: int, tail: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Values t = 2k − s and masses of T = 2·Bin(s, ½) − s on the central range whose two tails sum ≤ tail."""
    k = np.arange(s + 1)
    pmf = stats.binom.pmf(k, s, 0.5)
    cdf = stats.binom.cdf(k, s, 0.5)  # P(K ≤ k)
    lo = 0
    while lo < s // 2 and 2 * cdf[lo] <= tail:  # symmetric law: dropped = 2·P(K ≤ lo)
        lo += 1
    hi = s - lo
    dropped = 2.0 * float(cdf[lo - 1]) if lo > 0 else 0.0
    return 2.0 * k[lo:hi + 1] - s, pmf[lo:hi + 1], dropped


@dataclasses.dataclass
class ExactError:
    error: float  # ¼ Σ_c P(sgn f(z) ≠ y | cluster c), summed over the kept support
    per_cluster: list[float]
    dropped_mass: float  # probability mass not evaluated: the true error is in [error, error + dropped]
    support_points: int


def exact_test_error(V: torch.Tensor, a: torch.Tensor, S: np.ndarray, delta: StructuredDelta, eps: float,
                     tail: float = 1e-30, chunk: int = 1 << 18) -> ExactError:
    """The one-step conditional test error as an exact sum of probability masses (module docstring)."""
    tail = check_float("tail", tail, 0.0, 1.0, lo_open=True)
    B = len(delta.sizes)
    parts = [_block_support(s, tail / B) for s in delta.sizes]
    npts = int(np.prod([len(t) for t, _, _ in parts], dtype=np.float64))
    if npts > MAX_SUPPORT:
        raise InputError(f"delta_block_size gives {npts} joint support points (> {MAX_SUPPORT}); use smaller "
                         "blocks or fewer of them")
    Vn, an = _forward_merged(V.detach().double().numpy(), a.detach().double().numpy())
    grids = np.meshgrid(*[t for t, _, _ in parts], indexing="ij")
    wgrids = np.meshgrid(*[w for _, w, _ in parts], indexing="ij")
    T = np.stack([g.ravel() for g in grids], axis=1)  # (G, B)
    W = np.prod(np.stack([g.ravel() for g in wgrids], axis=1), axis=1)  # (G,)
    noise = eps * (T @ delta.values)  # (G, 3)
    per = []
    for c in range(4):
        zbar = CLUSTER_SIGNAL[c] @ S
        wrong = 0.0
        for g0 in range(0, len(W), chunk):
            z = zbar + noise[g0:g0 + chunk]
            f = np.maximum(z @ Vn.T, 0.0) @ an
            wrong += float(W[g0:g0 + chunk][np.sign(f) != CLUSTER_LABEL[c]].sum())
        per.append(wrong)
    dropped = float(min(1.0, sum(d for _, _, d in parts)))
    return ExactError(error=float(np.mean(per)), per_cluster=per, dropped_mass=dropped, support_points=npts)


def brute_force_error(V: torch.Tensor, a: torch.Tensor, S: np.ndarray, delta_dense_support: np.ndarray,
                      eps: float) -> float:
    """Enumerate every sign pattern of the (few) noise coordinates δ is supported on: exact, exponential cost."""
    d = delta_dense_support.shape[0]
    if d > 20:
        raise InputError(f"brute force enumerates 2^{d} patterns; the support must have <= 20 coordinates")
    Vn, an = V.detach().double().numpy(), a.detach().double().numpy()
    sig = np.array(list(itertools.product([-1.0, 1.0], repeat=d)))
    noise = eps * sig @ delta_dense_support
    err = 0.0
    for c in range(4):
        f = np.maximum((CLUSTER_SIGNAL[c] @ S + noise) @ Vn.T, 0.0) @ an
        err += float(np.mean(np.sign(f) != CLUSTER_LABEL[c]))
    return err / 4


def mc_test_error(V: torch.Tensor, a: torch.Tensor, sample: SyntheticSample) -> tuple[int, int]:
    """(errors, points) of sgn f on a fresh sample: Monte Carlo counts for a Clopper-Pearson interval."""
    f = target_forward_z(V.double(), a.double(), torch.from_numpy(sample.z))
    wrong = int((torch.sign(f) != torch.from_numpy(sample.y)).sum())
    return wrong, int(sample.z.shape[0])


def deviation_tail(delta: StructuredDelta, eps: float, r: float) -> float:
    """P(‖z − z̄‖ > r) for one fresh point, summed exactly over the whole block-sum support (no truncation)."""
    npts = int(np.prod([s + 1 for s in delta.sizes], dtype=np.float64))
    if npts > MAX_SUPPORT:
        raise InputError(f"delta_block_size gives {npts} support points (> {MAX_SUPPORT})")
    grids = np.meshgrid(*[2.0 * np.arange(s + 1) - s for s in delta.sizes], indexing="ij")
    masses = np.meshgrid(*[stats.binom.pmf(np.arange(s + 1), s, 0.5) for s in delta.sizes], indexing="ij")
    T = np.stack([g.ravel() for g in grids], axis=1)
    W = np.prod(np.stack([w.ravel() for w in masses], axis=1), axis=1)
    return float(W[np.linalg.norm(eps * (T @ delta.values), axis=1) > r].sum())


A2_FRACTION = 0.9  # the synthetic delta's ||delta||_F as a fraction of (A2)'s bound C eps sqrt(p/n)


def theorem_u(n: int, p: int, eps: float, C: float, ordering: tuple[int, int, int] = PAPER_ORDERING,
              blocks: int = 3, block_size: int = 48) -> np.ndarray:
    """A dense p x 3 U = [S; delta] inside Theorem 3.2's hypotheses on U, fixed before any data is drawn.

    S: three distinct features (`ordering`, the paper's u1 = [mu2; d1], u2 = [-mu2; d2], u3 = [-mu1; d3] by
    default); delta: the structured block delta with ||delta||_F = A2_FRACTION * C eps sqrt(p/n), so (A2)
    ||delta||_F <= C eps sqrt(p/n) holds at C with a 10% margin. Nothing depends on a seed or on data.
    """
    n = check_int("n", n, lo=2)
    eps = check_float("eps", eps, 0.0, lo_open=True)
    C = check_float("C", C, 0.0, lo_open=True)
    delta = structured_delta(A2_FRACTION * C * eps * math.sqrt(p / n), blocks, min(block_size, (p - 2) // blocks))
    return np.vstack([signal_block(ordering), dense_delta(delta, p)])
