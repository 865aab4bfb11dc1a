"""Clopper-Pearson, the band constant and log-log slopes against scipy's independent implementations and closed
forms."""

import math

import numpy as np
import pytest
from scipy import stats

from xorgrok.core.errors import InputError
from xorgrok.theory.stats import band_constant, clopper_pearson, frequency, loglog_slope


@pytest.mark.parametrize("k,n", [(0, 10), (3, 10), (10, 10), (1, 1), (57, 1000), (999, 1000), (0, 100000)])
@pytest.mark.parametrize("conf", [0.9, 0.95, 0.99])
def test_cp_matches_scipy_exact(k, n, conf):
    ref = stats.binomtest(k, n).proportion_ci(confidence_level=conf, method="exact")
    lo, hi = clopper_pearson(k, n, conf)
    assert lo == pytest.approx(ref.low, abs=1e-12) and hi == pytest.approx(ref.high, abs=1e-12)


def test_cp_closed_forms():
    # k = 0: upper bound 1 - (alpha/2)^(1/n); k = n: lower bound (alpha/2)^(1/n)
    n = 20
    assert clopper_pearson(0, n)[1] == pytest.approx(1 - 0.025 ** (1 / n))
    assert clopper_pearson(n, n)[0] == pytest.approx(0.025 ** (1 / n))
    assert clopper_pearson(0, 100000)[1] == pytest.approx(3.689e-5, rel=1e-3)


def test_band_constant_interval_containing_half_allows_every_c():
    lo, hi, c = band_constant(250, 500, 25)
    assert (lo, hi) == clopper_pearson(250, 500) and lo < 0.5 < hi and c == math.inf


def test_band_constant_by_hand():
    # 20/20 errors: CP lower bound 0.025^(1/20) = 0.83157, d = 0.33157, c = -ln(2 d)/ln 100 = 0.41080/4.6052
    lo, hi, c = band_constant(20, 20, 100)
    assert lo == pytest.approx(0.831567, abs=1e-6) and hi == 1.0
    assert c == pytest.approx(0.089200, abs=1e-6)
    # 0/20 is the mirror image: the same distance to 1/2 from below
    assert band_constant(0, 20, 100)[2] == pytest.approx(c, rel=1e-12)
    # 1/500 errors at n = 25: d = 1/2 - CP_high, and c drops below the verdict model's 0.01
    lo, hi, c = band_constant(1, 500, 25)
    assert c == pytest.approx(-math.log(1 - 2 * hi) / math.log(25)) and 0 < c < 0.01
    # a tighter interval at the same rate allows a smaller c
    assert band_constant(400, 500, 25)[2] < band_constant(8, 10, 25)[2]


def test_band_constant_rejects_n_below_2():
    with pytest.raises(InputError, match="n"):
        band_constant(1, 10, 1)


def test_cp_coverage_is_at_least_nominal():
    """Exact coverage by enumeration: the CP interval is conservative for every p."""
    n = 30
    for p in (0.02, 0.3, 0.5, 0.93):
        cover = sum(stats.binom.pmf(k, n, p) for k in range(n + 1)
                    if clopper_pearson(k, n)[0] <= p <= clopper_pearson(k, n)[1])
        assert cover >= 0.95 - 1e-12


def test_cp_accepts_numpy_counts_and_rejects_bad():
    assert frequency(np.int64(3), np.int64(4)).freq == 0.75
    for k, n in ((5, 4), (-1, 4), (1, 0), (1.5, 4)):
        with pytest.raises(InputError):
            clopper_pearson(k, n)


def test_slope_exact_power_law_and_linregress():
    x = np.array([100, 200, 400, 800, 1600.0])
    fit = loglog_slope(x, 3 * x**-0.5)
    assert fit.slope == pytest.approx(-0.5, abs=1e-12) and fit.ci_high - fit.ci_low < 1e-9
    rng = np.random.default_rng(0)
    y = 2 * x**0.8 * np.exp(rng.normal(0, 0.1, len(x)))
    fit = loglog_slope(x, y)
    ref = stats.linregress(np.log(x), np.log(y))
    assert fit.slope == pytest.approx(ref.slope) and fit.stderr == pytest.approx(ref.stderr)
    tq = stats.t.ppf(0.975, len(x) - 2)
    assert fit.ci_low == pytest.approx(ref.slope - tq * ref.stderr)


def test_slope_ci_coverage():
    """Over many noisy power laws the 95% interval holds the true slope about 95% of the time."""
    rng = np.random.default_rng(1)
    x = np.geomspace(1, 100, 6)
    hits = sum(loglog_slope(x, x**1.0 * np.exp(rng.normal(0, 0.2, 6))).contains(1.0) for _ in range(400))
    assert 0.91 <= hits / 400 <= 0.99


def test_slope_bad_input():
    with pytest.raises(InputError):
        loglog_slope([1.0], [1.0])
    with pytest.raises(InputError):
        loglog_slope([1.0, 2.0], [1.0, -1.0])
    two = loglog_slope([1.0, 2.0], [1.0, 2.0])
    assert two.slope == pytest.approx(1.0) and math.isinf(two.stderr)
