"""The report's Xu'24 sign-rule row on hand-made runs: ties (e_nu = 0) are excluded and counted, not scored."""
from types import SimpleNamespace

import numpy as np

from xorgrok.report import ReportContext, claims_xor


def _run(cluster: list[int], flipped: list[bool], right: list[bool]) -> SimpleNamespace:
    # Ten test points per cluster; f at t = 1 has the clean label's sign on clusters marked right.
    tc = np.repeat(np.arange(4), 10)
    ty = np.ones(40)
    f1 = np.where(np.repeat(right, 10), 1.0, -1.0)
    return SimpleNamespace(cluster=np.array(cluster), flipped=np.array(flipped), test_cluster=tc,
                           test_y=ty, test_f={1: f1})


def _measure(monkeypatch, runs):
    monkeypatch.setattr(claims_xor, "_data", lambda name, ctx: {"seeds": list(range(len(runs))), "runs": runs})
    return claims_xor.measure_sign_rule(ReportContext(quick=False))


# clusters: 0 = +mu1, 1 = -mu1, 2 = +mu2, 3 = -mu2; no flips. Counts 3,1 -> e_0 = +1, e_1 = -1; 2,2 -> ties.
CLUSTERS = [0, 0, 0, 1, 2, 2, 3, 3]
NOFLIP = [False] * 8


def test_tie_is_excluded_and_counted(monkeypatch):
    # Clusters 2 and 3 tie (e = 0); whatever the net does there cannot make the rule fail.
    m = _measure(monkeypatch, [_run(CLUSTERS, NOFLIP, [True, False, False, True])])
    assert m.verdict == "reproduced"
    assert "2 tie(s)" in m.measured and "2/2" in m.measured


def test_non_tie_miss_fails(monkeypatch):
    m = _measure(monkeypatch, [_run(CLUSTERS, NOFLIP, [False, False, True, True])])
    assert m.verdict == "differs"
    assert "seed 0 cluster 0" in m.measured
