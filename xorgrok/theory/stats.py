"""Small statistics used by every verdict: Clopper-Pearson intervals, the band constant of a pooled error
rate, and log-log slope fits.

Both are tested against scipy's independent implementations and against closed forms
(tests/unit/test_theory_stats.py).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy import stats

from xorgrok.core.errors import InputError, check_float, check_int


def _as_int(v):
    """numpy integers (counts from array sums) as Python ints; anything else unchanged for the checks."""
    return int(v) if isinstance(v, np.integer) else v


def clopper_pearson(k: int, n: int, conf: float = 0.95) -> tuple[float, float]:
    """Exact two-sided binomial interval for k successes in n trials (Clopper & Pearson 1934).

    Bounds are the alpha/2 and 1-alpha/2 Beta quantiles: lo = Beta(k, n-k+1).ppf(a/2), hi = Beta(k+1, n-k)
    .ppf(1-a/2), with lo = 0 at k = 0 and hi = 1 at k = n.
    """
    n = check_int("n", _as_int(n), lo=1)
    k = check_int("k", _as_int(k), lo=0, hi=n)
    conf = check_float("conf", conf, 0.0, 1.0, lo_open=True, hi_open=True)
    a = 1.0 - conf
    lo = 0.0 if k == 0 else float(stats.beta.ppf(a / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(stats.beta.ppf(1 - a / 2, k + 1, n - k))
    return lo, hi


def band_constant(k: int, n_points: int, n: int, conf: float = 0.95) -> tuple[float, float, float]:
    """The constant c a pooled error rate allows in 1/2 (1 ± n^-c), from k errors on n_points points.

    Returns (lo, hi, c_allowed): the Clopper-Pearson interval of the rate and the largest c whose band
    [1/2 (1 - n^-c), 1/2 (1 + n^-c)] meets it, c = -ln(2 d)/ln n with d the distance from 1/2 to the interval
    (c = inf when the interval contains 1/2; otherwise 0 < d < 1/2, so c is finite and positive).
    Shared by the verdict model and the sweeps, so both read Xu'24's claim (ii) the same way.
    """
    n = check_int("n", _as_int(n), lo=2)  # ln n > 0: the band shrinks with n
    lo, hi = clopper_pearson(k, n_points, conf)
    d = 0.0 if lo <= 0.5 <= hi else min(abs(lo - 0.5), abs(hi - 0.5))
    return lo, hi, (math.inf if d == 0 else -math.log(2 * d) / math.log(n))


@dataclasses.dataclass
class Frequency:
    """An empirical frequency k/n with its Clopper-Pearson interval."""

    k: int
    n: int
    freq: float
    ci_low: float
    ci_high: float
    conf: float = 0.95

    def __str__(self) -> str:
        return f"{self.k}/{self.n} = {self.freq:.3g} [{self.ci_low:.3g}, {self.ci_high:.3g}]"


def frequency(k: int, n: int, conf: float = 0.95) -> Frequency:
    lo, hi = clopper_pearson(k, n, conf)
    return Frequency(int(k), int(n), int(k) / int(n), lo, hi, conf)


@dataclasses.dataclass
class SlopeFit:
    """OLS fit log y = intercept + slope log x, with a t-based confidence interval on the slope."""

    slope: float
    intercept: float
    stderr: float
    ci_low: float
    ci_high: float
    n_points: int
    conf: float

    def contains(self, value: float) -> bool:
        return self.ci_low <= value <= self.ci_high


def loglog_slope(x, y, conf: float = 0.95) -> SlopeFit:
    """Fit the exponent b of y = c x^b by least squares on (log x, log y); CI from Student t with n-2 dof.

    With exactly two distinct points the slope is exact but has no error estimate (stderr = inf, CI = R).
    """
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xa.shape != ya.shape or xa.ndim != 1:
        raise InputError("x and y must be 1-D arrays of the same length")
    if not (np.all(xa > 0) and np.all(ya > 0) and np.all(np.isfinite(xa)) and np.all(np.isfinite(ya))):
        raise InputError("x and y must be positive and finite for a log-log fit")
    lx, ly = np.log(xa), np.log(ya)
    if len(lx) < 2 or np.ptp(lx) == 0:
        raise InputError("a slope fit needs at least 2 distinct x values")
    n = len(lx)
    xm, ym = lx.mean(), ly.mean()
    sxx = float(((lx - xm) ** 2).sum())
    slope = float(((lx - xm) * (ly - ym)).sum() / sxx)
    intercept = float(ym - slope * xm)
    if n == 2:
        return SlopeFit(slope, intercept, math.inf, -math.inf, math.inf, n, conf)
    resid = ly - (intercept + slope * lx)
    s2 = float((resid**2).sum() / (n - 2))
    se = math.sqrt(s2 / sxx)
    tq = float(stats.t.ppf(0.5 + conf / 2, n - 2))
    return SlopeFit(slope, intercept, se, slope - tq * se, slope + tq * se, n, conf)
