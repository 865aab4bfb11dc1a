"""The Bartlett simulator against the explicit p-dimensional engine at Xu'24's own setting (App. A.7:
n 200, p 40,000, m 1000, ||mu|| = 2.5 sqrt(p/n), eta 0.05, omega 1e-15, alpha 1e-12), in distribution."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from xorgrok.train.xu_exact import (
    XuSetting,
    explicit_test_set,
    literal_test_set,
    sample_explicit,
    sample_literal,
    xu_trajectory,
)


@pytest.mark.slow
def test_bartlett_matches_explicit_runs_at_the_paper_setting():
    n, p, m = 200, 40_000, 1000
    s = XuSetting(n=n, p=p, m=m, mu_norm=2.5 * math.sqrt(p / n), eta=0.05, alpha=1e-12, omega=1e-15)
    seeds = 16
    got: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in ("norm", "cross", "f1", "err1", "errT")}
    for k in range(seeds):
        for side, smp in ((0, sample_literal(s, 10**6 + k)), (1, sample_explicit(s, k))):
            te = (literal_test_set if side == 0 else explicit_test_set)(200, smp, 5 * 10**6 + 2 * k + side)
            tr = xu_trajectory(smp, s.alpha, 14, te)
            got["norm"][side].extend((smp.x * smp.x).sum(1).tolist())
            got["cross"][side].extend((smp.x[0:-1:2] * smp.x[1::2]).sum(1).tolist())
            assert tr.test_logits_t1 is not None
            got["f1"][side].append(float(tr.test_logits_t1[0]))
            got["err1"][side].append(tr.test_err[1])
            got["errT"][side].append(tr.test_err[14])
    pv = {key: stats.ks_2samp(u, v).pvalue for key, (u, v) in got.items()}
    assert min(pv.values()) > 1e-3, pv
