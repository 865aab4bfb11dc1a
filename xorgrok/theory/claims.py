"""Theorem claims as measurements on one run.

- GrokTransfer Theorem 3.2 (§3.3): after ONE GD step on V (eq. 4, exponential loss, no weight decay) the
  target f_L classifies every training point and has test error <= exp(-Omega(log^2 n)); plus the
  one-step neuron movements and per-cluster outputs of App. A.1.2 (in the paper's orientation).
- Xu et al. 2024 Theorem 3.1: (i) 100% training accuracy for 1 <= t <= sqrt(n); (ii) test error ~ 1/2 at
  t = 1, with the per-cluster sign rule "cluster nu is right at t = 1 iff c_nu - n_nu > c_-nu - n_-nu"
  (derived from (A.81), (A.88); xorgrok.proofs xu-sign-rule); (iii) small test error for C n^0.01 <= t <= sqrt n.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import torch

from xorgrok.data.xor import CLUSTER_LABEL, CLUSTER_SIGNAL, MU1, MU2
from xorgrok.models.target import eq4_update, target_forward_z
from xorgrok.theory.stats import clopper_pearson


@dataclasses.dataclass
class OneStepResult:
    """GrokTransfer Theorem 3.2 on one seed."""

    train_errors: int
    n_train: int
    min_train_margin: float  # min_i y_i f^(1)(x_i)
    test_errors: int
    n_test: int
    test_ci: tuple[float, float]  # Clopper-Pearson 95% interval of the test error
    cluster_test_err: list[float]  # per cluster id 0..3
    centre_margins: list[float]  # y_c f^(1)(zbar_c) per cluster: the proof's noise-free margins
    V1: np.ndarray

    @property
    def train_acc(self) -> float:
        return 1 - self.train_errors / self.n_train

    @property
    def test_err(self) -> float:
        return self.test_errors / self.n_test


def one_step(z: np.ndarray, y: np.ndarray, a: np.ndarray, V0: np.ndarray, alpha: float, z_test: np.ndarray,
             y_test: np.ndarray, cluster_test: np.ndarray, S: np.ndarray) -> OneStepResult:
    """One step of eq. (4) from V0, then train/test accuracy of sign f_L^(1) (sign 0 counts as an error)."""
    t = lambda v: torch.as_tensor(np.asarray(v), dtype=torch.float64)  # noqa: E731
    V1 = eq4_update(t(V0), t(a), t(z), t(y), float(alpha))
    f_tr = target_forward_z(V1, t(a), t(z)).numpy()
    f_te = target_forward_z(V1, t(a), t(z_test)).numpy()
    y, y_test, cluster_test = np.asarray(y), np.asarray(y_test), np.asarray(cluster_test)
    tr_err = int((np.sign(f_tr) != y).sum())
    wrong = np.sign(f_te) != y_test
    te_err = int(wrong.sum())
    per = [float(wrong[cluster_test == c].mean()) if np.any(cluster_test == c) else float("nan") for c in range(4)]
    centres = CLUSTER_SIGNAL @ S  # (4, k)
    cm = (CLUSTER_LABEL * target_forward_z(V1, t(a), t(centres)).numpy()).tolist()
    return OneStepResult(tr_err, len(y), float((y * f_tr).min()), te_err, len(y_test),
                         clopper_pearson(te_err, len(y_test)), per, cm, V1.numpy())


@dataclasses.dataclass
class Frame:
    """Map to the paper's orientation u1 = [mu2; .], u2 = [-mu2; .], u3 = [-mu1; .] (footnote 1)."""

    perm: list[int]  # new column c <- old column perm[c]
    flip3: float  # ±1: the third coordinate's sign (z3 and v3 flip together, <v, z> unchanged)
    a_sign: float  # -1 when the antipodal pair is ±mu1: x1 -> -x1 swaps mu1 and mu2 and negates y


def paper_frame(S: np.ndarray) -> Frame | None:
    """The frame, or None if the three columns are not three distinct features."""
    cols = [tuple(c) for c in np.asarray(S).T]
    if len(cols) != 3 or len(set(cols)) != 3:
        return None
    pair = next(((i, j) for i in range(3) for j in range(i + 1, 3) if cols[i] == tuple(-np.array(cols[j]))),
                None)
    if pair is None:
        return None
    M = np.array([1.0, 1.0])
    a_sign = 1.0
    if cols[pair[0]] in (MU1, (-MU1[0], -MU1[1])):
        M, a_sign = np.array([-1.0, 1.0]), -1.0  # pair is ±mu1: mirror x1
    mapped = [tuple(float(v) for v in M * np.array(c)) for c in cols]
    i, j = pair
    first, second = (i, j) if mapped[i] == MU2 else (j, i)
    third = 3 - i - j
    flip3 = 1.0 if mapped[third] == (-MU1[0], -MU1[1]) else -1.0
    return Frame([first, second, third], flip3, a_sign)


@dataclasses.dataclass
class NeuronFacts:
    """App. A.1.2 one-step neuron movements, in the paper's frame."""

    n_111_pos: int  # neurons with v^(0) = v_init [1,1,1] and a_j > 0
    min_v3_gain: float  # min over them of v3^(1) - v_init
    v3_gain_bound: float  # 2 alpha / (5 sqrt m)
    max_v12_move: float  # max over them of |v_l^(1) - v_l^(0)|, l = 1, 2
    implied_C_v12: float  # the C in |.| <= C alpha / sqrt(m log n)
    holds: bool  # min gain >= bound (vacuous-true is reported as None by callers when n_111_pos = 0)


def neuron_facts(V0: np.ndarray, V1: np.ndarray, a: np.ndarray, frame: Frame, v_init: float, alpha: float,
                 n: int, log_base: float = math.e) -> NeuronFacts:
    sgn = np.array([1.0, 1.0, frame.flip3])
    V0c, V1c = np.asarray(V0)[:, frame.perm] * sgn, np.asarray(V1)[:, frame.perm] * sgn
    ac = np.asarray(a) * frame.a_sign
    m = len(ac)
    sel = (ac > 0) & np.all(V0c > 0, axis=1)
    bound = 2 * alpha / (5 * math.sqrt(m))
    if not np.any(sel):
        return NeuronFacts(0, float("nan"), bound, float("nan"), float("nan"), True)
    gain = V1c[sel, 2] - v_init
    move = float(np.abs(V1c[sel, :2] - V0c[sel, :2]).max())
    L = math.log(n) / math.log(log_base)
    return NeuronFacts(int(sel.sum()), float(gain.min()), bound, move, move * math.sqrt(m * L) / alpha,
                       bool(gain.min() >= bound))


# ----------------------------------------------------------------------------- Xu et al. 2024
@dataclasses.dataclass
class XuTheorem31:
    """Xu Theorem 3.1 on one seed: accuracies along t = 0..T and the t = 1 per-cluster pattern."""

    train_acc: list[float]  # observed (noisy) labels, t = 0..T
    test_err: list[float]  # clean labels, t = 0..T
    n_test: int
    cluster_right_t1: list[bool]  # cluster nu right at t = 1 (majority of its test points right)
    cluster_predicted: list[bool]  # the sign rule's prediction e_nu > 0
    e_nu: list[float]


def sign_rule(cluster: np.ndarray, flipped: np.ndarray) -> tuple[list[float], list[bool]]:
    """e_nu = (c_nu - n_nu - c_-nu + n_-nu)/2 for nu = 0..3 (ids: 0 = +mu1, 1 = -mu1, 2 = +mu2, 3 = -mu2)."""
    cluster, flipped = np.asarray(cluster), np.asarray(flipped, dtype=bool)
    c = np.array([np.sum((cluster == k) & ~flipped) for k in range(4)], dtype=float)
    nn = np.array([np.sum((cluster == k) & flipped) for k in range(4)], dtype=float)
    opp = [1, 0, 3, 2]
    e = (c - nn - c[opp] + nn[opp]) / 2
    return e.tolist(), (e > 0).tolist()


def error_rate(acc: float, n: int) -> float:
    """The error fraction k/n behind an accuracy (n - k)/n, exactly: 1 - acc can be off by one ulp."""
    return (n - round(acc * n)) / n


def xu_theorem31(train_acc: Sequence[float] | np.ndarray, test_acc: Sequence[float] | np.ndarray, n_test: int,
                 f1_test: np.ndarray,
                 y_test_clean: np.ndarray, cluster_test: np.ndarray, cluster: np.ndarray,
                 flipped: np.ndarray) -> XuTheorem31:
    """Theorem 3.1's quantities from one GD run logged at every step t = 0..T.

    train_acc, test_acc: accuracies at t = 0..T on the noisy training labels and the clean test labels of
    n_test points; f1_test: f on those test points at t = 1; cluster, flipped: the training clusters and
    label flips (for the sign rule). A cluster with no test point counts as not right.
    """
    f1, yt, ct = np.asarray(f1_test), np.asarray(y_test_clean), np.asarray(cluster_test)
    right = []
    assert f1 is not None, "f after the first step: needs steps >= 1"
    for k in range(4):
        sel = ct == k
        right.append(bool(np.mean(np.sign(f1[sel]) == yt[sel]) > 0.5) if sel.any() else False)
    e, pred = sign_rule(cluster, flipped)
    return XuTheorem31([float(a) for a in train_acc], [error_rate(float(a), n_test) for a in test_acc], n_test,
                       right, pred, e)
