"""Xu et al. 2024 Theorem 3.1's claims (i)-(iii) for one run of the exact dimension-free simulator.

Shared by `python -m xorgrok.verify --regime literal` (at the assumption boundary) and the `xu-literal` sweep
(anywhere in the assumption coordinates). Per run, with T = floor(sqrt n) (the end of the proven window), two
events:
  (i)   100% training accuracy (observed labels) at every 1 <= t <= T;
  (iii) no clean test error on the fresh points at any C n^0.01 <= t <= T (None: the window is empty).
Claim (ii), clean test error at t = 1 equal to 1/2 (1 ± n^-Omega(1)), is not a per-run event: a run keeps its
t = 1 errors (the count and the rate), and the readers pool them over seeds at one n and ask which c the pooled
interval allows in 1/2 (1 ± n^-c) (theory.stats.band_constant).
"""

from __future__ import annotations

import dataclasses
import math

from xorgrok.core.seeding import derive
from xorgrok.train.xu_exact import XuSample, XuSetting, XuTrajectory, literal_test_set, sample_literal, xu_trajectory


def steps(n: int) -> int:
    return max(1, math.isqrt(n))


def t_from(n: int, C: float) -> int:
    return max(1, math.ceil(C * n**0.01))


@dataclasses.dataclass
class ClaimRun:
    i: bool
    iii: bool | None
    err_t1: float  # clean test error at t = 1
    errors_t1: int  # the same as a count: errors_t1 of the test_size fresh points are misclassified at t = 1
    T: int
    t_from: int
    sample: XuSample
    trajectory: XuTrajectory


def claims_run(st: XuSetting, seed: int, C: float, test_size: int, device: str = "cpu") -> ClaimRun:
    """One run from `seed`: data and initialisation from it, `test_size` fresh clean points from derive(seed,
    "test"); the trajectory keeps the operator-norm bound at t = T."""
    T_ = steps(st.n)
    smp = sample_literal(st, seed, device)
    te = literal_test_set(test_size, smp, derive(seed, "test"))
    tr = xu_trajectory(smp, st.alpha, T_, te, op_steps=(T_,))
    t0 = t_from(st.n, C)
    window = tr.test_err[t0:T_ + 1]
    # the trajectory stores error rates (means over the test set): the count is exact up to float rounding
    return ClaimRun(i=all(a == 1.0 for a in tr.train_acc[1:T_ + 1]), iii=(max(window) == 0.0) if window else None,
                    err_t1=tr.test_err[1], errors_t1=round(tr.test_err[1] * test_size), T=T_, t_from=t0,
                    sample=smp, trajectory=tr)
