"""Xu et al. (2024) GD at any dimension p, simulated exactly in 2 + n + m dimensions.

`sample_literal` draws one run's training data and initial weights through the Bartlett representation
(`data.xu_bartlett`): same law as the explicit p-dimensional sampler (`sample_explicit`), at a cost that does
not depend on p. `xu_trajectory` runs Xu's GD (W only, logistic loss, fixed a, no weight decay) in Gram space
and records, at every step t = 0..T:
- the training accuracy (observed labels) and, given test points, the Monte Carlo clean test error;
- per cluster ν, the closed form E_ξ[y_ν f(ν + ξ)] = y_ν Σ_j a_j [b_j Φ(b_j/s_j) + s_j φ(b_j/s_j)] with
  b_j = <w_j, ν>, s_j = ‖w_j‖ (⟨w_j, ν+ξ⟩ ~ N(b_j, s_j²));
- a certified upper bound on each cluster's error, P(y_ν f(ν+ξ) <= 0) <= exp(−E²/(2‖a‖²L²)) for E > 0,
  by Gaussian concentration of the ‖a‖·‖W‖_op-Lipschitz function ξ ↦ f(ν+ξ); L = ‖W‖_F at every step
  (an upper bound on ‖W‖_op, so still certified) and L = ‖W‖_op itself at the steps asked for.
The same runner takes an explicit p-dimensional sample unchanged (the tests hold the two together, and the
runner against the core's `gram_train`).

Memory: O((n + m)² + n·n_test + m·n_test) float64 numbers for a run, whatever p.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable

import numpy as np
import torch

from xorgrok.core.errors import InputError, check_float, check_int
from xorgrok.core.seeding import derive
from xorgrok.data.xor import sample_gaussian_clusters
from xorgrok.data.xu_bartlett import (
    CLUSTER_DIRECTION,
    bartlett_noise,
    fresh_noise,
    gaussian_labels,
    signal_part,
)
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer, pm_second_layer
from xorgrok.train.losses import margin_loss_grad

CLUSTER_Y = (1.0, 1.0, -1.0, -1.0)  # clean label of cluster id 0..3


@dataclasses.dataclass(frozen=True)
class XuSetting:
    n: int
    p: int
    m: int
    mu_norm: float
    eta: float
    alpha: float
    omega: float

    def __post_init__(self) -> None:
        check_int("n", self.n, lo=2)
        check_int("p", self.p, lo=3)
        check_int("m", self.m, lo=1)
        check_float("mu_norm", self.mu_norm, 0.0, lo_open=True)
        check_float("eta", self.eta, 0.0, 0.5, hi_open=True)
        check_float("alpha", self.alpha, 0.0, lo_open=True)
        check_float("omega", self.omega, 0.0)


@dataclasses.dataclass
class XuSample:
    """One run's data and initialisation; D = the representation's dimension (p for the explicit engine)."""

    x: torch.Tensor  # (n, D) float64; coordinates 0, 1 are along μ₁/‖μ‖, μ₂/‖μ‖
    y: torch.Tensor  # (n,) observed labels
    y_clean: torch.Tensor
    flipped: np.ndarray
    cluster: np.ndarray
    W0: torch.Tensor  # (m, D)
    a: torch.Tensor  # (m,)
    p: int  # the ambient dimension the sample stands for
    mu_norm: float
    engine: str  # "bartlett" | "explicit" | "explicit-reduced"

    @property
    def D(self) -> int:
        return self.x.shape[1]

    def means(self) -> tuple[torch.Tensor, torch.Tensor]:
        mu1 = torch.zeros(self.D, dtype=torch.float64, device=self.x.device)
        mu2 = torch.zeros_like(mu1)
        mu1[0], mu2[1] = self.mu_norm, self.mu_norm
        return mu1, mu2


def _t(a: np.ndarray, device: str | torch.device) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64)).to(device)


def sample_literal(s: XuSetting, seed: int, device: str | torch.device = "cpu", df_shift: float = 0.0) -> XuSample:
    """Bartlett-engine sample for seed `seed`; labels and a_j are the explicit engine's for the same seed.

    `df_shift` is a deliberate error in the χ² degrees of freedom, for the tests that must reject it.
    """
    lab = gaussian_labels(s.n, s.eta, derive(seed, "train"))
    noise = bartlett_noise(s.n, s.m, s.p, derive(seed, "xu_noise"), df_shift)
    x = noise.rows[: s.n].copy()
    x[:, :2] += signal_part(lab.cluster, s.mu_norm)
    W0 = s.omega * noise.rows[s.n:]
    a = pm_second_layer(s.m, derive(seed, "init"), torch.float64).to(device)
    return XuSample(_t(x, device), _t(lab.y, device), _t(lab.y_clean, device), lab.flipped, lab.cluster,
                    _t(W0, device), a, s.p, s.mu_norm, "bartlett")


def sample_explicit(s: XuSetting, seed: int, device: str | torch.device = "cpu") -> XuSample:
    """The same run drawn in p dimensions by the core's samplers (float64); μ on the first two axes."""
    tr = sample_gaussian_clusters(s.n, s.p, s.mu_norm, s.eta, derive(seed, "train"), basis="axes",
                                  dtype=torch.float64, device=device)
    par = init_two_layer(TwoLayerConfig(m=s.m, init="xu", omega=s.omega), s.p, derive(seed, "init"),
                         dtype=torch.float64, device=device)
    return XuSample(tr.x, tr.y, tr.y_clean, tr.flipped.cpu().numpy(), tr.cluster.cpu().numpy(), par.W, par.a,
                    s.p, s.mu_norm, "explicit")


def reduce_explicit(e: XuSample) -> tuple[XuSample, torch.Tensor]:
    """Re-express an explicit sample in 2 + K coordinates through a QR of its complement block.

    Returns the reduced sample and Q ((p − 2) × K, orthonormal columns) so that test points can be reduced
    the same way: x_red = [x[:2], x[2:] @ Q]. Inner products among data and weights are preserved exactly
    (up to rounding), which is what the isometry test holds the GD trajectories to.
    """
    n = e.x.shape[0]
    Zc = torch.cat([e.x[:, 2:], e.W0[:, 2:]])  # (K, p - 2)
    if Zc.shape[0] > Zc.shape[1]:
        raise InputError("reduce_explicit needs p - 2 >= n + m")
    Q, _ = torch.linalg.qr(Zc.T)  # (p - 2, K)
    coords = Zc @ Q
    x = torch.cat([e.x[:, :2], coords[:n]], dim=1)
    W0 = torch.cat([e.W0[:, :2], coords[n:]], dim=1)
    return dataclasses.replace(e, x=x, W0=W0, engine="explicit-reduced"), Q


@dataclasses.dataclass
class FreshSet:
    x: torch.Tensor  # (size, D)
    y_clean: torch.Tensor
    cluster: np.ndarray


def literal_test_set(size: int, sample: XuSample, seed: int) -> FreshSet:
    """Fresh clean test points for a Bartlett sample: ξ ~ N(0, I_D) plus the cluster mean."""
    lab = gaussian_labels(size, 0.0, seed)
    x = fresh_noise(size, sample.D, seed)
    x[:, :2] += signal_part(lab.cluster, sample.mu_norm)
    dev = sample.x.device
    return FreshSet(_t(x, dev), _t(lab.y_clean, dev), lab.cluster)


def explicit_test_set(size: int, sample: XuSample, seed: int) -> FreshSet:
    te = sample_gaussian_clusters(size, sample.p, sample.mu_norm, 0.0, seed, basis="axes", dtype=torch.float64,
                                  device=sample.x.device)
    return FreshSet(te.x, te.y_clean, te.cluster.cpu().numpy())


@dataclasses.dataclass
class XuTrajectory:
    """Per step t = 0..steps (lists indexed by t)."""

    train_acc: list[float]
    train_logits: list[torch.Tensor]  # only when asked (keep_logits)
    test_err: list[float]  # Monte Carlo clean test error (empty without a test set)
    cluster_test_err_t1: list[float]  # per cluster at t = 1 (empty without a test set)
    test_logits_t1: torch.Tensor | None
    cluster_mean: list[list[float]]  # closed form E[y_ν f(ν+ξ)], ν = cluster id 0..3
    err_bound_fro: list[float]  # certified bound on the clean test error with L = ‖W‖_F
    err_bound_op: dict[int, float]  # the same with L = ‖W‖_op, at the requested steps
    w_fro: list[float]
    w_op: dict[int, float]
    n_test: int
    C_final: torch.Tensor | None = None  # W⁽ᵀ⁾ = W0 + C_final X (for the tests' materialised twin)


def cluster_means(a: torch.Tensor, b: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
    """(4,) y_ν Σ_j a_j E[relu(N(b_jν, s_j²))] for b (m, 4) = <w_j, ν>, s (m,) = ‖w_j‖."""
    s = s.clamp_min(1e-300)[:, None]
    z = b / s
    er = b * torch.special.ndtr(z) + s * torch.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    y = torch.tensor(CLUSTER_Y, dtype=b.dtype, device=b.device)
    return y * (a @ er)


def certified_error(E: torch.Tensor, lip: float) -> list[float]:
    """Per cluster: exp(−E²/(2 lip²)) if E > 0 else 1 (an upper bound on P(y_ν f(ν+ξ) <= 0))."""
    out = []
    for e in E.tolist():
        out.append(1.0 if e <= 0 or lip <= 0 else math.exp(-(e * e) / (2 * lip * lip)))
    return out


def xu_trajectory(s: XuSample, alpha: float, steps: int, test: FreshSet | None = None,
                  op_steps: Iterable[int] = (), keep_logits: bool = False) -> XuTrajectory:
    """Xu's GD for `steps` steps from (W0, a), exact in Gram space: W⁽ᵗ⁾ = W0 + C⁽ᵗ⁾X."""
    alpha = check_float("alpha", alpha, 0.0, lo_open=True)
    steps = check_int("steps", steps, lo=1)
    ops = {int(t) for t in op_steps if 0 <= int(t) <= steps}
    X, W0, a, y = s.x, s.W0, s.a, s.y
    n, m = X.shape[0], W0.shape[0]
    G = X @ X.T
    P0 = W0 @ X.T
    w0_sq = (W0 * W0).sum(1)
    Xs, W0s = X[:, :2], W0[:, :2]
    dirs = torch.as_tensor(CLUSTER_DIRECTION.T, dtype=X.dtype, device=X.device) * s.mu_norm  # (2, 4)
    a_norm = float(a.norm())
    WW0 = W0 @ W0.T if ops else None
    Gt = P0t = None
    if test is not None:
        Gt, P0t = X @ test.x.T, W0 @ test.x.T
    C = torch.zeros(m, n, dtype=X.dtype, device=X.device)
    out = XuTrajectory([], [], [], [], None, [], [], {}, [], {}, 0 if test is None else test.x.shape[0])
    for t in range(steps + 1):
        CG = C @ G
        H = P0 + CG
        f = a @ torch.relu(H)
        out.train_acc.append(float((torch.sign(f) == y).double().mean()))
        if keep_logits:
            out.train_logits.append(f.clone())
        if test is not None and P0t is not None and Gt is not None:
            ft = a @ torch.relu(P0t + C @ Gt)
            wrong = torch.sign(ft) != test.y_clean
            out.test_err.append(float(wrong.double().mean()))
            if t == 1:
                out.test_logits_t1 = ft.clone()
                wr = wrong.cpu().numpy()
                out.cluster_test_err_t1 = [float(wr[test.cluster == k].mean()) if np.any(test.cluster == k)
                                           else float("nan") for k in range(4)]
        row_sq = (w0_sq + 2 * (C * P0).sum(1) + (C * CG).sum(1)).clamp_min(0)
        E = cluster_means(a, (W0s + C @ Xs) @ dirs, row_sq.sqrt())
        fro = float(row_sq.sum().sqrt())
        out.w_fro.append(fro)
        out.cluster_mean.append(E.tolist())
        out.err_bound_fro.append(float(np.mean(certified_error(E, a_norm * fro))))
        if t in ops and WW0 is not None:
            PC = P0 @ C.T
            M = WW0 + PC + PC.T + CG @ C.T
            op = float(torch.linalg.eigvalsh(M)[-1].clamp_min(0).sqrt())
            out.w_op[t] = op
            out.err_bound_op[t] = float(np.mean(certified_error(E, a_norm * op)))
        if t == steps:
            out.C_final = C
            break
        g = margin_loss_grad("logistic", y * f) * y / n
        C = C - alpha * (a[:, None] * (H > 0).to(H.dtype)) * g[None, :]
    return out
