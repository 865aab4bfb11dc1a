"""Symbolic checks of the algebra in Xu, Wang, Frei, Vardi, Hu (ICLR 2024), arXiv 2310.02541v1.

Notation follows Xu et al. (ICLR 2024), §3-§5 of the paper and its appendix.
"""

from __future__ import annotations

import sympy as sp

from xorgrok.proofs.core import Check, Outcome

_C, _n, _p, _M = sp.symbols("C n p M", positive=True)  # M = ||mu||^2


def _a1_a2_dimension() -> Outcome:
    # (A2) p >= C n^2 M and (A1) M >= C n^0.51 sqrt(p). The right side of (A2) increases in M, so
    # p >= C n^2 * C n^0.51 sqrt(p), i.e. sqrt(p) >= C^2 n^2.51, i.e. p >= C^4 n^5.02.
    e = sp.Rational(51, 100)
    chain = _C * _n**2 * (_C * _n**e * sp.sqrt(_p))
    inc = sp.diff(_C * _n**2 * _M, _M).is_positive
    sqrt_bound = sp.simplify(chain / sp.sqrt(_p))  # p >= chain  <=>  sqrt(p) >= chain / sqrt(p)
    final = sp.simplify(sqrt_bound**2)
    ok = inc and sp.simplify(final - _C**4 * _n ** sp.Rational(502, 100)) == 0
    p100 = float(final.subs({_C: 1, _n: 100}))
    return Outcome(bool(ok), f"(A1) and (A2) give sqrt(p) >= {sqrt_bound}, so p >= {final}; for n = 100, C = 1: "
                   f"p >= {p100:.3g}")


def _a1_exponent() -> Outcome:
    e = sp.Rational(51, 100)
    m_min = _C * _n**e * sp.sqrt(_p)  # (A1) at equality; the quantity is increasing in M
    val = sp.simplify(_n ** sp.Rational(99, 100) * m_min**2 / _p)
    ok = sp.simplify(val - _C**2 * _n ** sp.Rational(201, 100)) == 0
    return Outcome(bool(ok), f"at the (A1) boundary n^0.99 ||mu||^4 / p = {val}: Theorem 3.1(iii)'s "
                   "exp(-Omega(n^2.01))")


def _lemma46() -> Outcome:
    m = sp.Symbol("m", positive=True, integer=True)
    ident, e_term = True, True
    # phi = max(0, .); check both signs of b (and b = 0) with sign-aware symbols so Max resolves exactly.
    for b in (sp.Symbol("b", positive=True), -sp.Symbol("c", positive=True), sp.Integer(0)):
        ident &= sp.simplify(sp.Max(0, b) - sp.Max(0, -b) - b) == 0
        # a_j = ±1/sqrt(m) equally likely: E[a phi(a b) | b] = (1/2m)(phi(b) - phi(-b)) = b/(2m).
        term = (sp.Rational(1, 2) * (1 / sp.sqrt(m)) * sp.Max(0, b / sp.sqrt(m))
                + sp.Rational(1, 2) * (-1 / sp.sqrt(m)) * sp.Max(0, -b / sp.sqrt(m)))
        e_term &= sp.simplify(term - b / (2 * m)) == 0
    # Var of one term <= E[b^2]/m^2, so the sum of m terms has variance O(1/m): the a.s. limit E[b]/2.
    ok = ident and e_term
    return Outcome(bool(ok), "phi(b) - phi(-b) = b; E[a_j phi(a_j b_j) | b_j] = b_j/(2m) exactly, so "
                   "E[sum_j a_j phi(a_j b_j)] = E[b]/2 for every m, with variance O(1/m)")


def _eq43_constant() -> Outcome:
    alpha, n, M = sp.symbols("alpha n M", positive=True)
    c, nn, cm, nm = sp.symbols("c_nu n_nu c_mnu n_mnu", nonnegative=True)
    out = {}
    for y_nu in (1, -1):
        # <sum_i y_i x_i, nu> over clusters nu (clean y_nu, flipped -y_nu) and -nu (<-nu, nu> = -M);
        # the orthogonal clusters contribute 0.
        s = (c * y_nu - nn * y_nu) * M + (cm * y_nu - nm * y_nu) * (-M)
        e_nu = (c - nn - cm + nm) / 2
        out[y_nu] = sp.simplify(s - 2 * y_nu * e_nu * M) == 0
    # w_j^(1) ~ (alpha a_j / 2n) sum 1(...) y_i x_i ; Lemma 4.6 halves E[b], P(active) = 1/2:
    const = sp.Rational(1, 2) * (alpha / (2 * n)) * sp.Rational(1, 2)
    f_nu = const * 2 * M  # times <sum y x, nu> / (y_nu e_nu)
    ok = all(out.values()) and sp.simplify(const - alpha / (8 * n)) == 0 and sp.simplify(
        f_nu - alpha * M / (4 * n)) == 0
    return Outcome(
        bool(ok),
        "<sum_i y_i x_i, nu> = 2 y_nu e_nu ||mu||^2 for both label signs, and eq. (4.3)'s alpha/(8n) gives "
        "f(nu) = (alpha ||mu||^2 / 4n) y_nu e_nu, the constant of (A.88)",
        erratum="(A.90) is reported (reference §9) with alpha ||mu||^2/(2n); eq. (4.3) and (A.88) give /(4n). "
                "Only the sign matters for the theorem, so the factor 2 is harmless",
    )


def _sign_rule() -> Outcome:
    e, M, k = sp.symbols("e M k", real=True)
    # f(nu) = k y_nu e_nu with k = alpha ||mu||^2/(4n) > 0: y_nu f(nu) = k e_nu (y_nu^2 = 1).
    ok = all(sp.simplify(y * (k * y * e) - k * e) == 0 for y in (1, -1))
    return Outcome(bool(ok), "y_nu f(nu) = k e_nu with k > 0: cluster nu is right at t = 1 iff e_nu > 0, "
                   "i.e. c_nu - n_nu > c_-nu - n_-nu; e_-nu = -e_nu, so exactly one of ±nu is right")


def _window() -> Outcome:
    alpha = sp.Symbol("alpha", positive=True)
    window = 1 / (sp.sqrt(_n) * _p * alpha) - 2
    at_max = sp.simplify(window.subs(alpha, 1 / (_C * _n * _p)))
    dec = sp.diff(window, alpha).is_negative
    ok = dec and sp.simplify(at_max - (_C * sp.sqrt(_n) - 2)) == 0
    return Outcome(bool(ok), f"(A4) alpha <= 1/(Cnp) and the window 1/(sqrt(n) p alpha) - 2 decreasing in alpha "
                   f"give window >= {at_max}, which contains [1, sqrt(n)] for C >= 1 + 2/sqrt(n)")


def _experiments() -> Outcome:
    p, n, m = 40000, 200, 1000
    M = sp.Rational(25, 4) * sp.Rational(p, n)  # ||mu|| = 2.5 sqrt(p/n)
    a1 = float(M / (sp.Integer(n) ** sp.Rational(51, 100) * sp.sqrt(p)))
    a2 = float(sp.Integer(p) / (n**2 * M))
    a5_lhs = float(sp.Rational(1, 10**15) * n * sp.Integer(m) ** sp.Rational(3, 2) * p)
    a5_rhs = float(sp.Rational(1, 10**12) * M)
    ok = abs(a1 - 0.42) < 0.01 and abs(a2 - 8e-4) < 1e-5 and a5_lhs > a5_rhs
    return Outcome(bool(ok), f"App. A.7 setting: (A1) ratio ||mu||^2/(n^0.51 sqrt p) = {a1:.3f} < 1, (A2) ratio "
                   f"p/(n^2||mu||^2) = {a2:.2e} < 1, (A5) {a5_lhs:.2e} > {a5_rhs:.2e}: the paper's own "
                   "experiments are outside (A1), (A2), (A5) for every C >= 1")


CHECKS: list[Check] = [
    Check("xu-A1A2-dimension", "Xu'24 (A1),(A2)", "(A1) and (A2) => p >= C^4 n^5.02", _a1_a2_dimension),
    Check("xu-A1-exponent", "Xu'24 (A1), Thm 3.1(iii)", "(A1) => n^0.99 ||mu||^4/p >= C^2 n^2.01", _a1_exponent),
    Check("xu-lemma-4.6", "Xu'24 Lemma 4.6", "sum_j a_j phi(a_j b_j) -> E[b]/2", _lemma46),
    Check("xu-eq4.3-constant", "Xu'24 eq. (4.3), (A.88)", "f(nu) = (alpha||mu||^2/4n) y_nu e_nu",
          _eq43_constant),
    Check("xu-sign-rule", "Xu'24 (A.81),(A.88)", "cluster nu right at t=1 iff e_nu > 0", _sign_rule),
    Check("xu-A4-window", "Xu'24 (A4), Thm A.8", "(A4) => the window contains [1, sqrt n]", _window),
    Check("xu-experiments", "Xu'24 App. A.7", "the paper's runs break (A1), (A2), (A5)", _experiments),
]
