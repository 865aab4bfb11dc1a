"""Property tests of the assumption arithmetic (GrokTransfer (A1)-(A5), Xu'24 (A1)-(A6)).

1. `holds` recomputed at any C agrees with the verdict `implied_C` predicts (away from float ties).
2. Each assumption is monotone in the right direction in every parameter.
"""

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xorgrok.theory import assumptions as A

ns = st.integers(21, 10**6)  # n >= 21: log^3 n / n is decreasing only for ln n > 3 (see test below)
ps = st.integers(3, 10**8)
pos = st.floats(1e-6, 1e3, allow_nan=False, allow_infinity=False)
Cs = st.floats(1e-3, 1e4, allow_nan=False, allow_infinity=False)
ms = st.integers(1, 10**6)
bases = st.sampled_from([math.e, 2.0, 10.0])
etas = st.floats(0.0, 0.4999)
FAR = 1e-9


def _gt_all(n, p, eps, m, v, alpha, d, C, b):
    return A.groktransfer_assumptions(n, p, eps, m, v, alpha, d, C, b)


def _xu_all(n, p, mu, eta, m, alpha, w, C):
    return A.xu_assumptions(n, p, mu, eta, m, alpha, w, C)


@settings(max_examples=300, deadline=None)
@given(n=ns, p=ps, eps=pos, m=ms, v=pos, alpha=pos, d=pos, C=Cs, C2=Cs, b=bases)
def test_gt_holds_agrees_with_implied_C(n, p, eps, m, v, alpha, d, C, C2, b):
    for chk in _gt_all(n, p, eps, m, v, alpha, d, C, b):
        assert chk.holds == A.holds_at(chk, C)
        ic = chk.implied_C
        assume(ic in (0.0, math.inf) or abs(C2 / ic - 1) > FAR)
        again = {c.id: c for c in _gt_all(n, p, eps, m, v, alpha, d, C2, b)}[chk.id]
        assert again.holds == A.holds_at(chk, C2)
        assert again.implied_C == ic  # implied_C does not depend on the C it was computed at


@settings(max_examples=300, deadline=None)
@given(n=ns, p=ps, mu=pos, eta=etas, m=ms, alpha=pos, w=pos, C=Cs, C2=Cs)
def test_xu_holds_agrees_with_implied_C(n, p, mu, eta, m, alpha, w, C, C2):
    for chk in _xu_all(n, p, mu, eta, m, alpha, w, C):
        assert chk.holds == A.holds_at(chk, C)
        ic = chk.implied_C
        assume(ic in (0.0, math.inf) or abs(C2 / ic - 1) > FAR)
        again = {c.id: c for c in _xu_all(n, p, mu, eta, m, alpha, w, C2)}[chk.id]
        assert again.holds == A.holds_at(chk, C2)


def _mono(make, x_lo, x_hi, ids_easier_up, ids_easier_down):
    """If an assumption holds at the harder end it holds at the easier end."""
    lo, hi = {c.id: c.holds for c in make(x_lo)}, {c.id: c.holds for c in make(x_hi)}
    for i in ids_easier_up:  # larger parameter is easier
        assert not lo[i] or hi[i], i
    for i in ids_easier_down:  # smaller parameter is easier
        assert not hi[i] or lo[i], i


mults = st.floats(1.0001, 100.0)


@settings(max_examples=200, deadline=None)
@given(n=ns, p=ps, eps=pos, m=ms, v=pos, alpha=pos, d=pos, C=Cs, b=bases, k=mults)
def test_gt_monotone(n, p, eps, m, v, alpha, d, C, b, k):
    g = _gt_all
    _mono(lambda x: g(n, p, x, m, v, alpha, d, C, b), eps, eps * k, ["A2"], ["A1"])  # A2's rhs grows with eps
    _mono(lambda x: g(n, x, eps, m, v, alpha, d, C, b), p, min(10**9, int(p * k) + 1), ["A2"], ["A1"])
    _mono(lambda x: g(x, p, eps, m, v, alpha, d, C, b), n, int(n * k) + 1, ["A1"], ["A2", "A3", "A5"])
    _mono(lambda x: g(n, p, eps, x, v, alpha, d, C, b), m, int(m * k) + 1, ["A5"], [])
    _mono(lambda x: g(n, p, eps, m, x, alpha, d, C, b), v, v * k, [], ["A3"])
    _mono(lambda x: g(n, p, eps, m, v, alpha, x, C, b), d, d * k, [], ["A2"])
    _mono(lambda x: g(n, p, eps, m, v, alpha, d, x, b), C, C * k, ["A2", "A3"], [])


@settings(max_examples=200, deadline=None)
@given(n=ns, p=ps, eps=pos, m=ms, v=pos, alpha=pos, d=pos, C=Cs, b=bases, k=mults)
def test_gt_a4_lower_side_monotone(n, p, eps, m, v, alpha, d, C, b, k):
    """(A4) is two-sided in alpha; its lower side sqrt(m) v / C <= alpha loosens as C grows."""
    a1 = A.gt_a4(m, v, alpha, C, b)
    a2 = A.gt_a4(m, v, alpha, C * k, b)
    assert not a1.holds or a2.holds


@settings(max_examples=200, deadline=None)
@given(n=ns, p=ps, mu=pos, eta=etas, m=ms, alpha=pos, w=pos, C=Cs, k=mults)
def test_xu_monotone(n, p, mu, eta, m, alpha, w, C, k):
    x = _xu_all
    _mono(lambda t: x(n, p, t, eta, m, alpha, w, C), mu, mu * k, ["xu-A1", "xu-A5"], ["xu-A2"])
    _mono(lambda t: x(n, t, mu, eta, m, alpha, w, C), p, min(10**9, int(p * k) + 1), ["xu-A2"],
          ["xu-A1", "xu-A4", "xu-A5"])
    _mono(lambda t: x(t, p, mu, eta, m, alpha, w, C), n, int(n * k) + 1, [],
          ["xu-A1", "xu-A2", "xu-A4", "xu-A5", "xu-A6"])
    _mono(lambda t: x(n, p, mu, eta, t, alpha, w, C), m, int(m * k) + 1, ["xu-A6"], ["xu-A5"])
    _mono(lambda t: x(n, p, mu, eta, m, t, w, C), alpha, alpha * k, ["xu-A5"], ["xu-A4"])
    _mono(lambda t: x(n, p, mu, eta, m, alpha, t, C), w, w * k, [], ["xu-A5"])
    _mono(lambda t: x(n, p, mu, eta, m, alpha, w, t), C, C * k, [],
          ["xu-A1", "xu-A2", "xu-A3", "xu-A4", "xu-A6"])
    if eta * k < 0.5:
        _mono(lambda t: x(n, p, mu, t, m, alpha, w, C), eta, eta * k, [], ["xu-A3"])


def test_a1_bound_is_not_monotone_below_e_cubed():
    """A finding, kept as a test: (n/(p log^3 n))^(1/4) decreases in n for ln n < 3 (n <= 20)."""
    r = [A.gt_a1(n, 1000, 1.0).rhs for n in (3, 10, 20, 21, 100)]
    assert r[0] > r[1] > r[2] and r[3] < r[4]


def test_default_setting_numbers():
    a = {c.id: c for c in A.groktransfer_assumptions(400, 80000, 0.05, 431, 0.4, 2.0, 1.0, 1.0)}
    assert a["A1"].holds and abs(a["A1"].rhs - 0.0694) < 5e-4
    assert a["A5"].holds and abs(a["A5"].rhs - 430.16) < 0.01
    assert not a["A3"].holds and abs(a["A3"].implied_C - 5.866) < 1e-3
    assert not a["A4"].holds and abs(a["A4"].implied_C - math.sqrt(431) * 0.4 / 2) < 1e-9
    assert not A.gt_a5(400, 431, log_base=2.0).holds  # log2 needs m >= 1292
    xu = {c.id: c for c in A.xu_assumptions(200, 40000, 2.5 * math.sqrt(200), 0.05, 1000, 1e-12, 1e-15)}
    assert not xu["xu-A1"].holds and abs(xu["xu-A1"].implied_C - 0.419) < 1e-3
    assert not xu["xu-A2"].holds and not xu["xu-A5"].holds and xu["xu-A4"].holds
    assert A.xu_min_dimension(100) == 100**5.02
