"""Symbolic checks of the algebra in GrokTransfer (Xu, Ni, Wang, Hu; ICLR 2025), Section 3.3 and App. A.1.

Every check re-derives a step and compares it with the printed statement; see proofs_check.core.
Notation follows GrokTransfer (ICLR 2025), §3 and App. A.1.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import sympy as sp

from xorgrok.data.xor import PAPER_XOR
from xorgrok.proofs.core import Check, Outcome

MU1 = sp.Matrix([1, 1])
MU2 = sp.Matrix([-1, 1])
# Signal rows of U in the paper's orientation: u1 = [mu2; d1], u2 = [-mu2; d2], u3 = [-mu1; d3].
S = sp.Matrix.hstack(MU2, -MU2, -MU1)  # 2 x 3


# ---------------------------------------------------------------- eq. (4): the per-neuron update
def eq4_printed(alpha, n, a_j, ys, fs, vj, zs):
    """Eq. (4) as printed: (alpha/n) a_j sum_i y_i exp(-y_i f(x_i)) phi'(<v_j, z_i>) z_i."""
    terms = [((alpha / n) * a_j * y * sp.exp(-y * f) * sp.Heaviside(vj.dot(z))) * z for y, f, z in zip(ys, fs, zs)]
    return sum(terms[1:], terms[0])


def eq4_matches(update: Callable = eq4_printed, n: int = 2, m: int = 2) -> tuple[bool, str]:
    """Compare `update` with -alpha * grad_{v_j} of the empirical exponential loss, for every neuron j.

    phi = max(0, .) so phi' = Heaviside (sympy's derivative of Max(0, u)).
    """
    alpha = sp.Symbol("alpha", positive=True)
    a = sp.symbols(f"a1:{m + 1}", real=True)
    ys = sp.symbols(f"y1:{n + 1}", real=True)
    zs = [sp.Matrix(sp.symbols(f"z{i}_1:4", real=True)) for i in range(1, n + 1)]
    vs = [sp.Matrix(sp.symbols(f"v{j}_1:4", real=True)) for j in range(1, m + 1)]

    def f(z):
        return sum(a[j] * sp.Max(0, vs[j].dot(z)) for j in range(m))

    fs = [f(z) for z in zs]
    loss = sum(sp.exp(-y * fz) for y, fz in zip(ys, fs)) / n
    for j in range(m):
        grad = sp.Matrix([sp.diff(loss, c) for c in vs[j]])
        diff = sp.simplify(-alpha * grad - update(alpha, n, a[j], ys, fs, vs[j], zs))
        if diff != sp.zeros(3, 1):
            return False, f"neuron {j + 1}: -alpha*grad - eq.(4) = {diff.T}"
    return True, f"-alpha * grad_v_j L(V) equals eq. (4) exactly for n={n}, m={m} (phi'=Heaviside)"


def _eq4() -> Outcome:
    ok, detail = eq4_matches()
    return Outcome(ok, detail)


# ---------------------------------------------------------------- nu_1, nu_2 and the cluster images
def _nu() -> Outcome:
    nu1, nu2 = S.T * MU1, S.T * MU2
    want1, want2 = sp.Matrix([0, 0, -2]), sp.Matrix([2, -2, 0])
    ok = nu1 == want1 and nu2 == want2 and nu1.norm() == 2 and nu2.norm() == 2 * sp.sqrt(2)
    ok = ok and nu1.dot(nu2) == 0 and (S.T * (-MU1)) == -want1 and (S.T * (-MU2)) == -want2
    return Outcome(
        bool(ok),
        f"nu1 = {list(nu1)}, nu2 = {list(nu2)}, |nu1| = {nu1.norm()}, |nu2| = {nu2.norm()}, <nu1,nu2> = "
        f"{nu1.dot(nu2)}; the images of -mu1, -mu2 are -nu1, -nu2",
    )


# ---------------------------------------------------------------- Lemma A.1: the activation-set table
def lemma_a1_table() -> dict[tuple[tuple[int, int, int], str], int]:
    """sign <e, zbar_c> for every e in {±1}^3 and cluster c: +1 all of I_c active, -1 none, 0 about half."""
    centers = {"+mu1": MU1, "-mu1": -MU1, "+mu2": MU2, "-mu2": -MU2}
    out = {}
    for e in itertools.product((1, -1), (1, -1), (1, -1)):
        for name, c in centers.items():
            out[(e, name)] = int(sp.sign(sp.Matrix(e).dot(S.T * c)))
    return out


def lemma_a1_printed(e: tuple[int, int, int], cluster: str) -> int | None:
    """The five bullet points of Lemma A.1 (GrokTransfer App. A.1.2), as printed; None if not covered."""
    i, j, k = e
    if cluster in ("+mu1", "-mu1"):
        s = 1 if k == -1 else -1  # I_[i,j,-1],+mu1 = I_+mu1 ; I_[i,j,+1],+mu1 = empty ; reversed for -mu1
        return s if cluster == "+mu1" else -s
    if i == j:
        return 0  # | |I_[i,i,k],mu| - n_mu/2 | <= sqrt(n log n) for mu in {±mu2}
    s = 1 if (i, j) == (1, -1) else -1  # I_[+1,-1,k],+mu2 = I_+mu2 ; I_[-1,+1,k],+mu2 = empty
    return s if cluster == "+mu2" else -s


def _lemma_a1() -> Outcome:
    table = lemma_a1_table()
    bad = [(e, c, s, lemma_a1_printed(e, c)) for (e, c), s in table.items() if lemma_a1_printed(e, c) != s]
    if bad:
        return Outcome(False, f"derived sign <e, zbar> disagrees with the lemma for {bad[:3]}")
    return Outcome(True, "all 32 (e, cluster) pairs: sign <e, zbar_c> reproduces the five bullets of Lemma A.1, "
                   "which therefore cover every case (margins |<e, zbar>| are 2 on ±mu1 and 4 or 0 on ±mu2)")


# ---------------------------------------------------------------- Lemma A.3: the Hoeffding step
def _hoeffding_a3() -> Outcome:
    t, eps, C, n, p, D, L = sp.symbols("t epsilon C n p D L", positive=True)
    # u_j^T x - nu_j = sum_k delta_jk * eps * s_k, s_k Rademacher: each term in [-eps|d_k|, eps|d_k|],
    # so Hoeffding's denominator sum (b_k - a_k)^2 = 4 eps^2 ||delta_j||^2 =: 4 eps^2 D^2.
    hoeff = 2 * sp.exp(-2 * t**2 / (4 * eps**2 * D**2))
    printed1 = 2 * sp.exp(-(t**2) / (2 * D**2 * eps**2))
    step1 = sp.simplify(hoeff - printed1) == 0
    # ||delta_j|| <= ||delta||_F <= C eps sqrt(p/n)  (A2), and the bound is increasing in D.
    mono = sp.simplify(sp.diff(sp.log(printed1), D)) .is_positive
    sub = printed1.subs(D, C * eps * sp.sqrt(p / n))
    printed2 = 2 * sp.exp(-n * t**2 / (2 * C**2 * eps**4 * p))
    step2 = sp.simplify(sub - printed2) == 0
    # With t = eps^2 sqrt(p/n) log n the exponent is -log^2 n / (2 C^2): exp(-Omega(log^2 n)).
    at_t = sp.simplify(sp.log(printed2.subs(t, eps**2 * sp.sqrt(p / n) * L) / 2))
    step3 = sp.simplify(at_t + L**2 / (2 * C**2)) == 0
    ok = bool(step1 and mono and step2 and step3)
    return Outcome(ok, f"Hoeffding gives 2exp(-t^2/(2 eps^2 ||d_j||^2)) [{step1}], increasing in ||d_j|| "
                   f"[{mono}], (A2) gives 2exp(-n t^2/(2C^2 eps^4 p)) [{step2}], and t = eps^2 sqrt(p/n) log n "
                   f"gives exponent {at_t} [{step3}]")


# ---------------------------------------------------------------- default-setting numbers
def _a1_default() -> Outcome:
    n, p, eps = PAPER_XOR.n, PAPER_XOR.p, sp.Rational(str(PAPER_XOR.eps))
    b_e = (sp.Integer(n) / (p * sp.log(n) ** 3)) ** sp.Rational(1, 4)
    b_2 = (sp.Integer(n) / (p * (sp.log(n) / sp.log(2)) ** 3)) ** sp.Rational(1, 4)
    ok = abs(float(b_e) - 0.0694) < 5e-4 and b_e > eps and b_2 > eps
    return Outcome(bool(ok), f"(A1) bound (n/(p ln^3 n))^(1/4) = {float(b_e):.5f} >= eps = 0.05 "
                   f"(log2: {float(b_2):.5f}, also >= 0.05)")


def _a5_default() -> Outcome:
    n = 400
    m_e = 2 * sp.log(n) ** 3
    m_2 = 2 * (sp.log(n) / sp.log(2)) ** 3
    ok = abs(float(m_e) - 430) < 1 and int(sp.ceiling(m_e)) == 431
    return Outcome(bool(ok), f"(A5) 2 ln^3 400 = {float(m_e):.2f}, so m >= {int(sp.ceiling(m_e))}; "
                   f"with log2: {float(m_2):.1f}")


def _a3_a4_fig9() -> Outcome:
    n, v, alpha = 400, sp.Rational(2, 5), 2
    rhs = sp.log(n) ** sp.Rational(-3, 2)
    c_a3 = v / rhs
    m_min_a4 = sp.ceiling((alpha / v) ** 2)  # alpha <= sqrt(m) v_init
    m_a5 = sp.ceiling(2 * sp.log(n) ** 3)
    c_a4 = sp.sqrt(m_a5) * v / alpha  # sqrt(m) v/C <= alpha at the smallest (A5) width
    ok = abs(float(rhs) - 0.0682) < 5e-4 and abs(float(c_a3) - 5.87) < 0.01 and m_min_a4 == 25
    m_max = sp.floor((alpha * c_a3 / v) ** 2)
    return Outcome(
        bool(ok),
        f"ln^(-3/2) 400 = {float(rhs):.4f}: (A3) with v_init = 0.4 needs C >= {float(c_a3):.3f}; (A4) upper needs "
        f"m >= {m_min_a4}; at m = {m_a5} (A5) the (A4) lower side needs C >= {float(c_a4):.2f}. Fig. 9's "
        f"setting meets (A1)-(A5) together only for C >= {float(c_a3):.2f} and {m_a5} <= m <= {m_max}",
        erratum="'All assumptions are satisfied in the empirical setup' holds only if the universal constant "
                f"is allowed to be C >= {float(c_a3):.2f} (A3 with v_init = 0.4); the width m of Fig. 9 is "
                "not stated and must be >= 431 for (A5)",
    )


def _a1_implies_dev() -> Outcome:
    n, p, L = sp.symbols("n p L", positive=True)  # L = log n
    eps_max = (n / (p * L**3)) ** sp.Rational(1, 4)
    dev = sp.simplify(eps_max**2 * sp.sqrt(p / n) * L)
    ok = sp.simplify(dev - L ** sp.Rational(-1, 2)) == 0
    n0, p0, eps0 = PAPER_XOR.n, PAPER_XOR.p, sp.Rational(str(PAPER_XOR.eps))
    d400 = float(eps0**2 * sp.sqrt(sp.Rational(p0, n0)) * sp.log(n0))
    return Outcome(bool(ok), f"at the (A1) boundary eps^2 sqrt(p/n) log n = {dev}, so (A1) => deviation "
                   f"<= log^(-1/2) n; default threshold eps^2 sqrt(p/n) ln n = {d400:.4f} "
                   f"(< 1/sqrt(3) and < 2/sqrt(3), as the activation and init bounds need)")


def _init_bound() -> Outcome:
    # |<v, z>| <= v_init ||z||_1 for v in v_init {±1}^3; ||zbar||_1 is 2 (±nu1) or 4 (±nu2).
    l1 = max(sum(abs(c) for c in (S.T * s * mu)) for mu in (MU1, MU2) for s in (1, -1))
    cs = sp.sqrt(3) * 2 * sp.sqrt(2)  # Cauchy-Schwarz: ||v|| max ||zbar|| = sqrt(3) 2 sqrt(2)
    d = sp.Symbol("d", positive=True)
    slack = sp.solve(sp.Eq(l1 + sp.sqrt(3) * d, 5), d)[0]
    ok = l1 == 4 and float(cs) < 5 and sp.simplify(slack - 1 / sp.sqrt(3)) == 0
    return Outcome(bool(ok), f"max ||zbar||_1 = {l1}, so |a_j phi(<v_j,z_i>)| <= (4 + sqrt(3) ||z-zbar||) "
                   f"v_init/sqrt(m) <= 5 v_init/sqrt(m) iff ||z-zbar|| <= 1/sqrt(3); Cauchy-Schwarz alone "
                   f"gives {float(cs):.3f} v_init/sqrt(m), leaving only {5 - float(cs):.3f}")


def _loss_ratio() -> Outcome:
    B = sp.Symbol("B", positive=True)
    f1, f2 = sp.symbols("f1 f2", real=True)
    # l = exp(-y f) with |f| <= B: the largest ratio is at y f1 = -B, y f2 = +B.
    worst = sp.exp(B) / sp.exp(-B)
    ok = sp.simplify(worst - sp.exp(2 * B)) == 0
    return Outcome(bool(ok), "max_i |f(x_i)| <= v_init log n gives R(0) = max l_i / min l_i <= "
                   "exp(2 v_init log n)")


def _lemma_a4_hoeffding() -> Outcome:
    m, L, n = sp.symbols("m L n", positive=True)  # L = ln n
    # |J_e| is Binomial(m, 1/8): Hoeffding P(| |J_e| - m/8 | > m/L) <= 2 exp(-2 (m/L)^2 / m).
    bound = 2 * sp.exp(-2 * (m / L) ** 2 / m)
    at_a5 = sp.simplify(bound.subs(m, 2 * L**3).subs(L, sp.log(n)))
    ok = sp.simplify(at_a5 - 2 / n**4) == 0
    return Outcome(bool(ok), f"Hoeffding with deviation m/log n: 2exp(-2m/log^2 n); at m = 2 log^3 n (A5) "
                   f"this is {at_a5}: the O(1/n^4) of Lemma A.4 (natural log; log2 gives n^(-4/ln 2))")


def _optimal_four() -> Outcome:
    x1, x2 = sp.symbols("x1 x2", real=True)

    def relu(u):
        return sp.Max(0, u)

    f = relu(x1 + x2) + relu(-x1 - x2) - relu(-x1 + x2) - relu(x1 - x2)
    vals = {(s1, s2): f.subs({x1: s1, x2: s2}) for s1 in (1, -1) for s2 in (1, -1)}
    ok = all(sp.sign(v) == s1 * s2 for (s1, s2), v in vals.items())
    return Outcome(bool(ok), f"f = phi(x1+x2)+phi(-x1-x2)-phi(-x1+x2)-phi(x1-x2) on the four signals: {vals}; "
                   "sign f = x1 x2 = y on every cluster (the noise does not enter)")


def _snr() -> Outcome:
    eps, q = sp.symbols("epsilon q", positive=True)  # q = p - 2 > 0 noise coordinates
    p = q + 2
    noise_norm = sp.sqrt(q * eps**2)  # p-2 entries of size eps
    snr = sp.sqrt(2) / noise_norm
    ok = sp.simplify(snr - sp.sqrt(2 / (eps**2 * (p - 2)))) == 0
    reply = sp.sqrt(2 / (eps * (p - 2)))
    same = sp.simplify(snr - reply) == 0
    d = {eps: sp.Rational(5, 100), q: 79998}
    return Outcome(
        bool(ok and not same),
        f"||x_noise|| = eps sqrt(p-2), SNR = sqrt(2/(eps^2 (p-2))) = {float(snr.subs(d)):.4f} at the default; "
        f"the reply's sqrt(2/(eps (p-2))) = {float(reply.subs(d)):.4f}",
        erratum="the authors' OpenReview reply writes the SNR as sqrt(2/(eps(p-2))); with noise entries ±eps "
                "the noise norm is eps sqrt(p-2), so the exponent of eps must be 2 (the two agree only at eps=1)",
    )


def _rw_a2() -> Outcome:
    r, p, dF = sp.symbols("r_W p dF", positive=True)
    # signal rows ±1 in every column: ||W_{1:2}||_F = sqrt(6); r_W = (dF/sqrt(p-2)) / (sqrt(6)/sqrt(2)).
    sol = sp.solve(sp.Eq(r, (dF / sp.sqrt(p - 2)) / (sp.sqrt(6) / sp.sqrt(2))), dF)[0]
    ok = sp.simplify(sol - r * sp.sqrt(3 * (p - 2))) == 0
    return Outcome(bool(ok), f"with unit signal entries ||delta||_F = {sol}: r_W = c eps/sqrt(n) is (A2) with "
                   "C = c sqrt(3) (up to p-2 vs p)")


def _shapes() -> Outcome:
    p, m = 7, 5  # any p != m shows the mismatch
    U, x = sp.MatrixSymbol("U", p, 3), sp.MatrixSymbol("x", p, 1)
    a = sp.MatrixSymbol("a", m, 1)
    good = (a.T * (sp.MatrixSymbol("V", 3, m).T * (U.T * x))).shape == (1, 1)
    try:
        _ = a.T * (sp.MatrixSymbol("V", 3, p).T * (U.T * x))
        printed_ok = True
    except sp.ShapeError:
        printed_ok = False
    try:
        _ = U * x
        ux_ok = True
    except sp.ShapeError:
        ux_ok = False
    return Outcome(
        bool(good and not printed_ok and not ux_ok),
        "a^T phi(V^T U^T x) is well-formed with V in R^{3 x m}; with V in R^{3 x p} the product is p x 1 "
        "and does not meet a in R^m; 'Ux' is undefined for U in R^{p x 3}",
        erratum="Section 3.3 prints V in R^{3 x p}: it must be R^{3 x m}; Fig. 5(a) writes Ux for U^T x",
    )


def _lemma31() -> Outcome:
    from xorgrok.theory.lemma31 import exhaustive_orbit_check

    res = exhaustive_orbit_check()
    return Outcome(res.max_correct == 3 and res.group_free and res.labels_ok,
                   f"{res.n_patterns} (a-sign, activation) patterns on the orbit {{x,-x,x',-x'}}: at most "
                   f"{res.max_correct} of 4 points correct; the orbit map is free and measure-preserving, "
                   "so accuracy <= 3/4")


CHECKS: list[Check] = [
    Check("gt-eq4-gradient", "GrokTransfer eq. (4)", "per-neuron update = -alpha grad of the exp loss", _eq4),
    Check("gt-nu-vectors", "GrokTransfer App. A.1.2", "nu1 = [0,0,-2], nu2 = [2,-2,0], norms 2, 2sqrt2", _nu),
    Check("gt-lemma-A.1-table", "GrokTransfer Lemma A.1", "activation sets follow from sign <e, zbar>",
          _lemma_a1),
    Check("gt-lemma-A.3-hoeffding", "GrokTransfer Lemma A.3", "Hoeffding: 2exp(-n t^2/(2C^2 eps^4 p))",
          _hoeffding_a3),
    Check("gt-A1-default", "GrokTransfer (A1)", "(A1) bound at n=400, p=80000 is 0.0694 >= 0.05", _a1_default),
    Check("gt-A5-default", "GrokTransfer (A5)", "(A5) at n=400: m >= 2 ln^3 400 = 430.2", _a5_default),
    Check("gt-A3-A4-fig9", "GrokTransfer (A3),(A4), Fig. 9", "v_init=0.4, alpha=2 need C >= 5.87",
          _a3_a4_fig9),
    Check("gt-A1-deviation", "GrokTransfer (A1), Lemma A.2", "(A1) => eps^2 sqrt(p/n) log n <= log^-1/2 n",
          _a1_implies_dev),
    Check("gt-init-5vinit", "GrokTransfer App. A.1.2", "|a_j phi(<v_j,z_i>)| <= 5 v_init/sqrt(m)",
          _init_bound),
    Check("gt-loss-ratio", "GrokTransfer App. A.1.2", "R(0) <= exp(2 v_init log n)", _loss_ratio),
    Check("gt-lemma-A.4-hoeffding", "GrokTransfer Lemma A.4, (A5)", "(A5) gives the O(1/n^4) counts",
          _lemma_a4_hoeffding),
    Check("gt-optimal-4-neuron", "GrokTransfer Section 3.1", "the 4-neuron classifier is exact", _optimal_four),
    Check("gt-snr-formula", "GrokTransfer OpenReview reply", "raw SNR = sqrt(2/(eps^2 (p-2)))", _snr),
    Check("gt-rw-vs-A2", "GrokTransfer Fig. 5, (A2)", "||delta||_F = r_W sqrt(3(p-2))", _rw_a2),
    Check("gt-shapes", "GrokTransfer Section 3.3", "V is 3 x m; the embedding is U^T x", _shapes),
    Check("gt-lemma-3.1-orbits", "GrokTransfer Lemma 3.1", "no 3-neuron net gets a 4-point orbit right",
          _lemma31),
]
