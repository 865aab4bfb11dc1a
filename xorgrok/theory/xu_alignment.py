"""Xu et al. 2024: Lemma 4.7's alignment rates and the m -> infinity limit of eq. (4.3).

Lemma 4.7 (with Lemmas A.6, A.7). J1 = positive neurons (a_j > 0) that are (+mu1, 20 eps)-aligned, J2 =
negative neurons (a_j < 0) that are (+mu1, 20 eps)- or (-mu1, 20 eps)-aligned (alignment: eq. (4.2), the
main-text form, xorgrok.theory.events.aligned). For 1 <= t <= sqrt(n):
- mean_{j in J1} <w_j^(t), +mu1>   = Omega(alpha ||mu||^2 t / sqrt(m));
- mean_{j in J2} |<w_j^(t), mu1>|  = O(alpha ||mu||^2 / sqrt(m) + alpha ||mu||^2 sqrt(log n) t / sqrt(m n)).
`lemma47_rates` reports the implied constants: c1(t) = mean_J1 / (alpha ||mu||^2 t / sqrt m) (the Omega
statement needs it bounded below by a positive constant) and K2(t) = mean_J2 / (the O bound's scale) (bounded
above), and the ratio of the two means, which the lemma predicts grows like sqrt(n / log n).

Eq. (4.3). After one step, as m -> infinity, f(x; W^(1)) -> (alpha / 8n) <sum_i y_i x_i, x>: with the step
large against the initialisation and g_i = 1/2, sum_j a_j phi(a_j b_j) -> E[b_j]/2 (Lemma 4.6) with
b_j = (alpha / 2n) sum_i 1(<w_j^(0), x_i> > 0) y_i <x_i, x>, and P(activation) = 1/2 gives the factor 1/8.
`one_step_outputs` computes f(x; W^(1)) exactly from the Gram matrix and the initial pre-activations (no p-vector
is formed), and `gaussian_preacts` draws those pre-activations exactly in law: for w_j ~ N(0, omega^2 I_p)
independent of the data, (<w_j, x_1>, ..., <w_j, x_N>) ~ N(0, omega^2 G), G the Gram matrix of x_1..x_N.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from xorgrok.core.errors import InputError


@dataclasses.dataclass
class Lemma47:
    ts: list[int]
    n_j1: int
    n_j2: int
    mean_j1: list[float]  # mean_{J1} <w_j^(t), mu1>, per t in ts
    mean_j2: list[float]  # mean_{J2} |<w_j^(t), mu1>|
    c1: list[float]  # mean_j1 / (alpha ||mu||^2 t / sqrt m): the Omega statement's implied constant
    K2: list[float]  # mean_j2 / (alpha ||mu||^2 / sqrt m + alpha ||mu||^2 sqrt(log n) t / sqrt(m n))
    ratio: list[float]  # mean_j1 / mean_j2
    ratio_predicted: float  # sqrt(n / log n): the lemma's rate ratio for t >> sqrt(n / log n)


def lemma47_rates(proj: np.ndarray, a: np.ndarray, j1: np.ndarray, j2: np.ndarray, alpha: float, mu_norm: float,
                  n: int, ts: list[int]) -> Lemma47:
    """proj: (T+1, m) with proj[t, j] = <w_j^(t), mu1>; j1, j2: (m,) bool masks (positivity of a is checked)."""
    proj = np.asarray(proj, dtype=np.float64)
    a = np.asarray(a)
    j1, j2 = np.asarray(j1, dtype=bool), np.asarray(j2, dtype=bool)
    if np.any(a[j1] <= 0) or np.any(a[j2] >= 0):
        raise InputError("J1 must hold positive neurons and J2 negative ones")
    m = proj.shape[1]
    s1 = alpha * mu_norm**2 / math.sqrt(m)
    L = math.log(n)
    m1, m2, c1, k2, r = [], [], [], [], []
    for t in ts:
        v1 = float(proj[t, j1].mean()) if j1.any() else math.nan
        v2 = float(np.abs(proj[t, j2]).mean()) if j2.any() else math.nan
        m1.append(v1)
        m2.append(v2)
        c1.append(v1 / (s1 * t))
        k2.append(v2 / (s1 + s1 * math.sqrt(L) * t / math.sqrt(n)))
        r.append(v1 / v2 if v2 > 0 else math.inf)
    return Lemma47(list(ts), int(j1.sum()), int(j2.sum()), m1, m2, c1, k2, r, math.sqrt(n / L))


def gaussian_preacts(G: np.ndarray, omega: float, m: int, rng: np.random.Generator) -> np.ndarray:
    """(m, N): m i.i.d. rows ~ N(0, omega^2 G), the exact law of <w_j^(0), x_k> given the data (module doc)."""
    G = np.asarray(G, dtype=np.float64)
    try:
        L = np.linalg.cholesky(G)
    except np.linalg.LinAlgError:
        # a singular Gram (N > p or repeated points): the eigen square root has the same law
        w, Q = np.linalg.eigh(G)
        L = Q * np.sqrt(np.clip(w, 0.0, None))
    return omega * (rng.standard_normal((m, G.shape[0])) @ L.T)


def one_step_outputs(H0: np.ndarray, H0t: np.ndarray, a: np.ndarray, y: np.ndarray, Gt: np.ndarray,
                     alpha: float) -> np.ndarray:
    """f(x; W^(1)) on the test points after one full-batch GD step of the logistic loss (eq. (2.2)).

    H0 (m, n), H0t (m, N): initial pre-activations on the training / test points; Gt (n, N) = <x_i, x>.
    w_j^(1) = w_j^(0) + (alpha a_j / n) sum_i g_i 1(H0_ji > 0) y_i x_i, g_i = 1 / (1 + exp(y_i f^(0)(x_i))).
    """
    H0, H0t, a, y, Gt = (np.asarray(v, dtype=np.float64) for v in (H0, H0t, a, y, Gt))
    f0 = a @ np.maximum(H0, 0.0)
    g = 1.0 / (1.0 + np.exp(y * f0))
    n = len(y)
    H1t = H0t + (alpha / n) * a[:, None] * (((H0 > 0) * (g * y)[None, :]) @ Gt)
    return a @ np.maximum(H1t, 0.0)


def linear_limit(y: np.ndarray, Gt: np.ndarray, alpha: float) -> np.ndarray:
    """(alpha / 8n) <sum_i y_i x_i, x> on the test points: eq. (4.3)'s m -> infinity limit."""
    y = np.asarray(y, dtype=np.float64)
    return (alpha / (8 * len(y))) * (y @ np.asarray(Gt, dtype=np.float64))


@dataclasses.dataclass
class Eq43Point:
    m: int
    agree: int  # test points where sgn f(x; W^(1)) = sgn of the linear classifier
    points: int
    rel_l2: float  # ||f - lin|| / ||lin|| on the test points


def eq43_point(G_all: np.ndarray, y: np.ndarray, omega: float, alpha: float, m: int,
               rng: np.random.Generator) -> Eq43Point:
    """One draw of (a, W^(0)) at width m on fixed data: agreement of f(.; W^(1)) with the linear limit.

    G_all: Gram matrix of the n training points followed by the test points.
    """
    n = len(y)
    a = rng.choice([-1.0, 1.0], size=m) / math.sqrt(m)
    H = gaussian_preacts(G_all, omega, m, rng)
    Gt = np.asarray(G_all)[:n, n:]
    f = one_step_outputs(H[:, :n], H[:, n:], a, y, Gt, alpha)
    lin = linear_limit(y, Gt, alpha)
    return Eq43Point(m, int(np.sum(np.sign(f) == np.sign(lin))), len(lin),
                     float(np.linalg.norm(f - lin) / np.linalg.norm(lin)))
