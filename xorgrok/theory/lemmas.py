"""GrokTransfer App. A.1.2 as events on one sample: Lemmas A.1-A.4 and the facts at initialisation.

Inputs are plain arrays: the embedding z = U^T x of the training points (n, 3), their cluster ids
(0 = +mu1, 1 = -mu1, 2 = +mu2, 3 = -mu2, as in xorgrok.data.xor), the target's a (m,) and V^(0) (m, 3).
The theorem's U has signal rows exactly [mu2, -mu2, -mu1] (entries ±1); a trained weak net has arbitrary
neuron scales, so `normalise_embedding` rescales each neuron to unit signal entries and snaps the signal rows
to the nearest features. What the snap leaves over is reported (and counted inside the deviations).
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np

from xorgrok.core.errors import InputError
from xorgrok.data.xor import CLUSTER_SIGNAL

E_SIGNS = np.array(list(itertools.product((1.0, -1.0), repeat=3)))  # the 8 directions e in {±1}^3


@dataclasses.dataclass
class Embedding:
    """The transferred U in the theorem's normalisation."""

    U: np.ndarray  # (p, k) each column divided by its signal magnitude
    scales: np.ndarray  # (k,) the divisors
    S: np.ndarray  # (2, k) signal rows snapped to ±1
    signal_residual: float  # max |U[:2] - S| after scaling
    distinct_features: bool  # the k columns are k different features among ±[1,1], ±[-1,1]
    delta_fro: float  # ||U[2:]||_F after scaling: the (A2) figure


def normalise_embedding(U: np.ndarray) -> Embedding:
    """Scale neuron j by s_j = ||U_{1:2,j}|| / sqrt(2) so its signal part has the features' norm sqrt(2).

    The same scaling as xorgrok.experiments.xor.normalize_signal ("signal"); the signal entries are then ±1 up
    to the imbalance |U_1j| vs |U_2j|, which `signal_residual` reports.
    """
    U = np.asarray(U, dtype=np.float64)
    if U.ndim != 2 or U.shape[0] < 3:
        raise InputError(f"U must be a (p, k) matrix with p >= 3, got shape {U.shape}")
    s = np.linalg.norm(U[:2], axis=0) / math.sqrt(2)
    if np.any(s == 0):
        raise InputError("a column of U has zero signal part: it matches no feature")
    Un = U / s
    S = np.sign(Un[:2])
    feats = {tuple(c) for c in S.T}
    return Embedding(Un, s, S, float(np.abs(Un[:2] - S).max()), len(feats) == U.shape[1] and 0 not in S,
                     float(np.linalg.norm(Un[2:])))


def zbar(S: np.ndarray, cluster: np.ndarray) -> np.ndarray:
    """zbar_i = S^T xbar_i (GrokTransfer App. A.1.2), xbar_i the cluster signal."""
    return CLUSTER_SIGNAL[np.asarray(cluster)] @ S


def deviation_threshold(n: int, p: int, eps: float, log_base: float = math.e) -> float:
    """eps^2 sqrt(p/n) log n: the radius of G_data (Lemma A.2) and of Lemma A.3."""
    return eps**2 * math.sqrt(p / n) * math.log(n) / math.log(log_base)


@dataclasses.dataclass
class DeviationEvent:
    threshold: float
    max_dev_l2: float  # max_i ||z_i - zbar_i||_2   (Lemma A.2, G_data)
    n_over_max: int  # points with ||z_i - zbar_i||_max > threshold   (Lemma A.3)
    n_points: int
    holds: bool  # G_data: every point within the threshold (2-norm)


def deviation_event(z: np.ndarray, zb: np.ndarray, threshold: float) -> DeviationEvent:
    d = np.asarray(z, dtype=np.float64) - zb
    l2 = np.linalg.norm(d, axis=1)
    return DeviationEvent(threshold, float(l2.max()), int((np.abs(d).max(1) > threshold).sum()), len(d),
                          bool(np.all(l2 <= threshold)))


@dataclasses.dataclass
class ActivationEvent:
    """Lemma A.1: I_{e,c} = I_c when <e, zbar_c> > 0, empty when < 0, about half when = 0."""

    n_full_violations: int  # (e, c) with <e,zbar_c> > 0 where some point of c is inactive
    n_empty_violations: int  # (e, c) with <e,zbar_c> < 0 where some point of c is active
    worst_half_gap: float  # max | |I_{e,c}| - n_c/2 | over the zero-margin pairs
    half_bound: float  # sqrt(n log n)
    holds: bool


def activation_event(z: np.ndarray, cluster: np.ndarray, S: np.ndarray,
                     log_base: float = math.e) -> ActivationEvent:
    z, cluster = np.asarray(z, dtype=np.float64), np.asarray(cluster)
    n = len(z)
    act = (z @ E_SIGNS.T) > 0  # (n, 8)
    full = empty = 0
    gap = 0.0
    for c in range(4):
        margin = E_SIGNS @ (CLUSTER_SIGNAL[c] @ S)  # (8,) <e, zbar_c>
        sel = act[cluster == c]  # (n_c, 8)
        for k in range(8):
            if margin[k] > 1e-9:
                full += int(not sel[:, k].all())
            elif margin[k] < -1e-9:
                empty += int(sel[:, k].any())
            else:
                gap = max(gap, abs(sel[:, k].sum() - len(sel) / 2))
    bound = math.sqrt(n * math.log(n) / math.log(log_base))
    return ActivationEvent(full, empty, gap, bound, full == 0 and empty == 0 and gap <= bound)


@dataclasses.dataclass
class CountEvent:
    """Lemma A.4 (B1)-(B4): counts within m/log n (neurons) and n/log n (samples) of their means."""

    b1_gap: float  # max over Pos/Neg of ||J| - m/2|
    b2_gap: float  # max_e ||J_e| - m/8|
    b3_gap: float  # max_{k,e} ||J_{k,e}| - m/16|
    b4_gap: float  # max_mu |n_mu - n/4|
    m_bound: float  # m / log n
    n_bound: float  # n / log n
    b1: bool
    b2: bool
    b3: bool
    b4: bool

    @property
    def holds(self) -> bool:
        return self.b1 and self.b2 and self.b3 and self.b4


def count_event(a: np.ndarray, V0: np.ndarray, cluster: np.ndarray, log_base: float = math.e) -> CountEvent:
    a, V0, cluster = np.asarray(a), np.asarray(V0), np.asarray(cluster)
    m, n = len(a), len(cluster)
    L = math.log(n) / math.log(log_base)
    pos = a > 0
    e_id = (np.sign(V0)[:, None, :] == E_SIGNS[None]).all(-1).argmax(1)  # (m,) which e each v_j^(0) is
    je = np.bincount(e_id, minlength=8)
    jpe = np.bincount(e_id[pos], minlength=8)
    jne = np.bincount(e_id[~pos], minlength=8)
    nmu = np.bincount(cluster, minlength=4)
    b1 = max(abs(pos.sum() - m / 2), abs((~pos).sum() - m / 2))
    b2 = float(np.abs(je - m / 8).max())
    b3 = float(max(np.abs(jpe - m / 16).max(), np.abs(jne - m / 16).max()))
    b4 = float(np.abs(nmu - n / 4).max())
    mb, nb = m / L, n / L
    return CountEvent(float(b1), b2, b3, b4, mb, nb, b1 <= mb, b2 <= mb, b3 <= mb, b4 <= nb)


@dataclasses.dataclass
class InitFacts:
    """GrokTransfer App. A.1.2, at t = 0."""

    max_unit: float  # max_{i,j} |a_j phi(<v_j, z_i>)|
    unit_bound: float  # 5 v_init / sqrt(m)
    max_f0: float  # max_i |f^(0)(x_i)|
    f0_bound: float  # v_init log n
    loss_ratio: float  # max_i l_i / min_i l_i
    ratio_bound: float  # exp(2 v_init log n)
    holds: bool


def init_facts(a: np.ndarray, V0: np.ndarray, z: np.ndarray, y: np.ndarray, v_init: float,
               log_base: float = math.e) -> InitFacts:
    a, V0, z, y = (np.asarray(t, dtype=np.float64) for t in (a, V0, z, y))
    m, n = len(a), len(z)
    L = math.log(n) / math.log(log_base)
    units = a[None, :] * np.maximum(z @ V0.T, 0.0)  # (n, m)
    f0 = units.sum(1)
    # the loss ratio and its bound exp(2 v_init log n) overflow for large v_init: compare their logs
    log_loss = -y * f0
    log_lr, log_rb = float(log_loss.max() - log_loss.min()), 2 * v_init * L
    mu, mf = float(np.abs(units).max()), float(np.abs(f0).max())
    lr, rb = (math.exp(t) if t < 709.0 else math.inf for t in (log_lr, log_rb))
    ub, fb = 5 * v_init / math.sqrt(m), v_init * L
    return InitFacts(mu, ub, mf, fb, lr, rb, mu <= ub and mf <= fb and log_lr <= log_rb)
