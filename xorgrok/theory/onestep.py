"""GrokTransfer App. A.1.2: statements about the first GD step that carry no hidden probability constant.

- `core_event`: the deterministic core of Theorem 3.2's proof. Given the run's events, sgn f^(1)(x) = y for
  EVERY x with ||U^T x - zbar|| <= eps^2 sqrt(p/n) log n (the G_data radius); the test error is then at most
  P(a fresh point leaves the radius). Measured on fresh points: errors among the points inside the radius,
  which must be zero.
- `eq20_facts`: the one-step move of the neurons with v^(0) = v_init [1, -1, 1] (eq. (20)):
  |v_l^(1) - (v_l^(0) + (alpha/2) a_j sgn(v_l^(0)) xi_l)| = O(alpha / sqrt(m log n)), xi = (-1, -1, +1),
  in the paper's frame u = [mu2, -mu2, -mu1] (xorgrok.theory.claims.paper_frame). The constant implied by a
  run is max |.| * sqrt(m log n) / alpha.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from xorgrok.theory.claims import Frame
from xorgrok.theory.lemmas import zbar

XI = np.array([-1.0, -1.0, 1.0])
E_1M1 = np.array([1.0, -1.0, 1.0])


@dataclasses.dataclass
class CoreEvent:
    radius: float
    n_inside: int
    n_points: int
    errors_inside: int  # must be 0
    errors_outside: int


def core_event(V1: np.ndarray, a: np.ndarray, z: np.ndarray, y: np.ndarray, cluster: np.ndarray, S: np.ndarray,
               radius: float) -> CoreEvent:
    """Errors of sgn f^(1) (sign 0 is an error) among fresh points inside / outside the G_data radius."""
    z = np.asarray(z, dtype=np.float64)
    f = np.maximum(z @ np.asarray(V1, dtype=np.float64).T, 0.0) @ np.asarray(a, dtype=np.float64)
    wrong = np.sign(f) != np.asarray(y)
    inside = np.linalg.norm(z - zbar(S, cluster), axis=1) <= radius
    return CoreEvent(float(radius), int(inside.sum()), len(z), int((wrong & inside).sum()),
                     int((wrong & ~inside).sum()))


@dataclasses.dataclass
class Eq20Facts:
    n_neurons: int  # neurons with v^(0) = v_init [1, -1, 1] in the paper's frame (either sign of a)
    max_dev: float  # max |v^(1) - predicted| over them and l = 1, 2, 3
    scale: float  # alpha / sqrt(m log n)
    implied_K: float  # max_dev / scale
    move_scale: float  # alpha / (2 sqrt m): the size of the predicted move itself


def eq20_facts(V0: np.ndarray, V1: np.ndarray, a: np.ndarray, frame: Frame, alpha: float, n: int,
               log_base: float = math.e) -> Eq20Facts:
    sgn = np.array([1.0, 1.0, frame.flip3])
    V0c, V1c = np.asarray(V0)[:, frame.perm] * sgn, np.asarray(V1)[:, frame.perm] * sgn
    ac = np.asarray(a) * frame.a_sign
    m = len(ac)
    L = math.log(n) / math.log(log_base)
    scale = alpha / math.sqrt(m * L)
    sel = np.all(np.sign(V0c) == E_1M1, axis=1)
    if not np.any(sel):
        return Eq20Facts(0, float("nan"), scale, float("nan"), alpha / (2 * math.sqrt(m)))
    pred = V0c[sel] + (alpha / 2) * ac[sel, None] * np.sign(V0c[sel]) * XI
    dev = float(np.abs(V1c[sel] - pred).max())
    return Eq20Facts(int(sel.sum()), dev, scale, dev / scale, alpha / (2 * math.sqrt(m)))
