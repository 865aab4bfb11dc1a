"""GrokTransfer Lemma A.4 (B1)-(B4) from the exact law of the counts, no sampling.

At initialisation a_j ~ Uniform{±1/sqrt m} and v_j ~ Uniform{±v_init}^3 independently, so the 16 types
(sign of a_j, e in {±1}^3) of the m neurons are i.i.d. uniform; the cluster ids of the n training points are
i.i.d. uniform over the 4 clusters. Hence (with L = log n):
- (B1) |J_Pos| ~ Bin(m, 1/2), and |J_Neg| - m/2 = -(|J_Pos| - m/2): one two-sided binomial tail;
- (B2) (|J_e|)_e ~ Multinomial(m; 8 cells of 1/8);
- (B3) (|J_{k,e}|)_{k,e} ~ Multinomial(m; 16 cells of 1/16);
- (B4) (n_mu)_mu ~ Multinomial(n; 4 cells of 1/4), independent of (B1)-(B3).
P(some cell of an equiprobable multinomial leaves [lo, hi]) is computed exactly with integer arithmetic
(`multinomial_outside`). (B1)-(B3) are functions of the same neuron types, so their joint failure probability
is bracketed by [max, sum] of the three exact marginals; (B4) is independent, which gives the exact bracket
for P((B1)-(B4) fail) returned by `lemma_a4_exact`.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

from xorgrok.core.errors import check_int


def multinomial_outside(total: int, cells: int, lo: float, hi: float) -> Fraction:
    """P(some count of Multinomial(total; `cells` equal cells) lies outside [lo, hi]), exactly.

    W_j(s) = number of ways to place s labelled items into j cells with every count in [lo, hi]
    (W_j(s) = sum_c C(s, c) W_{j-1}(s - c)); P(all inside) = W_cells(total) / cells^total.
    """
    total = check_int("total", total, lo=0)
    cells = check_int("cells", cells, lo=1)
    a, b = max(0, math.ceil(lo)), min(total, math.floor(hi))
    if a > b:
        return Fraction(1)
    W = [1] + [0] * total  # zero cells: only s = 0
    for _ in range(cells):
        new = [0] * (total + 1)
        for s in range(total + 1):
            acc = 0
            for c in range(a, min(b, s) + 1):
                if W[s - c]:
                    acc += math.comb(s, c) * W[s - c]
            new[s] = acc
        W = new
    return 1 - Fraction(W[total], cells**total)


@dataclasses.dataclass
class LemmaA4Exact:
    p_b1: float
    p_b2: float
    p_b3: float
    p_b4: float
    p_low: float  # P((B1)-(B4) fail) lies in [p_low, p_high]
    p_high: float
    m_bound: float  # m / log n
    n_bound: float  # n / log n


def lemma_a4_exact(m: int, n: int, log_base: float = math.e) -> LemmaA4Exact:
    m = check_int("m", m, lo=1)
    n = check_int("n", n, lo=2)
    L = math.log(n) / math.log(log_base)
    mb, nb = m / L, n / L
    p1 = multinomial_outside(m, 2, m / 2 - mb, m / 2 + mb)  # both cells in range <=> |J_Pos - m/2| <= m/L
    p2 = multinomial_outside(m, 8, m / 8 - mb, m / 8 + mb)
    p3 = multinomial_outside(m, 16, m / 16 - mb, m / 16 + mb)
    p4 = multinomial_outside(n, 4, n / 4 - nb, n / 4 + nb)
    lo123, hi123 = max(p1, p2, p3), min(Fraction(1), p1 + p2 + p3)
    lo = 1 - (1 - lo123) * (1 - p4)
    hi = 1 - (1 - hi123) * (1 - p4)
    return LemmaA4Exact(float(p1), float(p2), float(p3), float(p4), float(lo), float(hi), mb, nb)
