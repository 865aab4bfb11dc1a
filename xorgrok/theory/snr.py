"""Signal-to-noise ratios of the XOR data and of the transferred embedding; the norm ratio r_W.

- Raw SNR (GrokTransfer §3.1, [I] in the reference): ||x_signal|| / ||x_noise|| = sqrt(2) / (eps sqrt(p-2)),
  the same for every point of the hypercube (proofs_check gt-snr-formula).
- Embedding SNR (Fig. 5a, "relatively high SNR"): z = U^T x = S^T xbar + delta^T x_noise. We define it the
  same way as the raw one, sqrt(E||signal||^2 / E||noise||^2). For fresh x, E||delta^T x_noise||^2 =
  eps^2 ||delta||_F^2 exactly (independent ±eps coordinates), so the closed form is
  sqrt(mean_c ||S^T xbar_c||^2) / (eps ||delta||_F); `embedding_snr_mc` estimates it from samples.
- r_W = (||W_{3:p}||_F / sqrt(p-2)) / (||W_{1:2}||_F / sqrt(2)) (§3.2, Fig. 5b,c; computed by the core's
  xorgrok.models.two_layer.norm_ratio). The scaling law r_W ~ eps / sqrt(n), flat in p, is fitted with
  xorgrok.theory.stats.loglog_slope.
"""

from __future__ import annotations

import math

import numpy as np

from xorgrok.core.errors import check_float, check_int
from xorgrok.data.xor import CLUSTER_SIGNAL


def raw_snr(p: int, eps: float) -> float:
    p = check_int("p", p, lo=3)
    eps = check_float("eps", eps, 0.0, lo_open=True)
    return math.sqrt(2) / (eps * math.sqrt(p - 2))


def raw_snr_measured(x: np.ndarray) -> float:
    """mean_i ||x_i[:2]|| / ||x_i[2:]|| over a sample (equals raw_snr exactly on the hypercube)."""
    x = np.asarray(x, dtype=np.float64)
    return float(np.mean(np.linalg.norm(x[:, :2], axis=1) / np.linalg.norm(x[:, 2:], axis=1)))


def embedding_snr(S: np.ndarray, delta_fro: float, eps: float) -> float:
    """Closed form sqrt(E||S^T xbar||^2) / (eps ||delta||_F), xbar uniform over the four clusters."""
    sig = float(np.mean(np.sum((CLUSTER_SIGNAL @ np.asarray(S)) ** 2, axis=1)))
    return math.sqrt(sig) / (eps * delta_fro)


def embedding_snr_mc(z: np.ndarray, zb: np.ndarray) -> float:
    """Sample estimate sqrt(mean ||zbar||^2 / mean ||z - zbar||^2) from fresh embedded points."""
    z, zb = np.asarray(z, dtype=np.float64), np.asarray(zb, dtype=np.float64)
    return math.sqrt(float(np.mean(np.sum(zb**2, 1))) / float(np.mean(np.sum((z - zb) ** 2, 1))))


def r_w_predicted_from_a2(C: float, eps: float, n: int, p: int) -> float:
    """The r_W that (A2) at equality implies when every signal entry is ±1: C eps sqrt(p/n) / sqrt(3(p-2))."""
    return C * eps * math.sqrt(p / n) / math.sqrt(3 * (p - 2))
