"""Exact Lemma A.4, Theorem 3.2's deterministic core and the eq. (20) one-step fact, against oracles."""

import itertools
import math

import numpy as np
import pytest
import torch

from xorgrok.data.xor import CLUSTER_LABEL, CLUSTER_SIGNAL, project_hypercube
from xorgrok.models.target import TargetConfig, init_target
from xorgrok.theory import claims, lemmas, onestep
from xorgrok.theory.lemma_a4 import lemma_a4_exact, multinomial_outside
from xorgrok.theory.stats import clopper_pearson


# ------------------------------------------------------------------ Lemma A.4, exact
@pytest.mark.parametrize("total,cells,lo,hi", [(7, 3, 1, 4), (6, 2, 2.5, 3.5), (5, 4, 0, 2), (4, 2, 3, 1)])
def test_multinomial_outside_matches_enumeration(total, cells, lo, hi):
    inside = sum(all(lo <= np.bincount(w, minlength=cells)[c] <= hi for c in range(cells))
                 for w in itertools.product(range(cells), repeat=total))
    assert float(multinomial_outside(total, cells, lo, hi)) == pytest.approx(1 - inside / cells**total, abs=1e-15)


def _mc_counts(m, n, base, draws, seed=0):
    rng = np.random.default_rng(seed)
    ev = []
    for _ in range(draws):
        a = rng.choice([-1.0, 1.0], size=m) / math.sqrt(m)
        V0 = rng.choice([-1.0, 1.0], size=(m, 3))
        ev.append(lemmas.count_event(a, V0, rng.integers(0, 4, size=n), base))
    return ev


def test_exact_lemma_a4_agrees_with_monte_carlo_and_rejects_a_wrong_law():
    # log base 1.2 makes m/log n small, so every (B_k) fails often enough to be measured
    m, n, base, draws = 40, 40, 1.2, 4000
    ex = lemma_a4_exact(m, n, base)
    ev = _mc_counts(m, n, base, draws)
    conf = 1 - 0.001 / 5  # five intervals below
    for name, p in (("b1", ex.p_b1), ("b2", ex.p_b2), ("b3", ex.p_b3), ("b4", ex.p_b4)):
        k = sum(not getattr(e, name) for e in ev)
        lo, hi = clopper_pearson(k, draws, conf)
        assert lo <= p <= hi, (name, k, p)
    k = sum(not e.holds for e in ev)
    lo, hi = clopper_pearson(k, draws, conf)
    assert lo <= ex.p_high and ex.p_low <= hi  # the exact bracket meets the interval
    assert ex.p_low <= ex.p_high
    # the same test rejects a wrong law: (B2) as if there were 4 equiprobable directions e instead of 8
    L = math.log(n) / math.log(base)
    wrong = float(multinomial_outside(m, 4, m / 8 - m / L, m / 8 + m / L))
    k2 = sum(not e.b2 for e in ev)
    lo, hi = clopper_pearson(k2, draws, conf)
    assert not lo <= wrong <= hi


def test_exact_lemma_a4_at_the_paper_setting():
    ex = lemma_a4_exact(431, 400)
    assert ex.p_high < 400.0**-4  # holds at constant 1: no hidden constant needed
    assert ex.p_high == pytest.approx(ex.p_low, rel=1e-6)  # (B2), (B3) are negligible next to (B1), (B4)
    # (B1) alone: the two-sided binomial tail, summed directly
    tail = sum(math.comb(431, k) for k in range(431 + 1) if abs(k - 431 / 2) > 431 / math.log(400)) / 2**431
    assert ex.p_b1 == pytest.approx(tail, rel=1e-12)


# ------------------------------------------------------------------ the deterministic core
def _constructed_u(p, d, eps):
    """U = [S; delta] in the paper's frame, delta_j = d on its own coordinate: ||z - zbar|| = eps d sqrt 3 for
    EVERY point, so whether the points are inside the G_data radius is known exactly."""
    S = np.array([[-1.0, 1.0, -1.0], [1.0, -1.0, -1.0]])  # columns mu2, -mu2, -mu1
    delta = np.zeros((p - 2, 3))
    delta[0, 0] = delta[1, 1] = delta[2, 2] = d
    return np.vstack([S, delta]), S


@pytest.mark.parametrize("inside", [True, False])
def test_core_on_a_constructed_u_with_known_radius(inside):
    n, p, eps = 200, 40, 0.05
    radius = lemmas.deviation_threshold(n, p, eps)
    d = (0.5 if inside else 2.0) * radius / (eps * math.sqrt(3))
    U, S = _constructed_u(p, d, eps)
    Ut = torch.from_numpy(U)
    tr = project_hypercube(Ut, n, eps, 1)
    te = project_hypercube(Ut, 3000, eps, 2)
    m, v = 256, 0.05
    tp = init_target(Ut, TargetConfig(m=m, v_init=v), 3)
    a, V0 = tp.a.numpy(), tp.V.numpy()
    res = claims.one_step(tr.z.numpy(), tr.y.numpy(), a, V0, math.sqrt(m) * v, te.z.numpy(), te.y.numpy(),
                          te.cluster.numpy(), S)
    ev = onestep.core_event(res.V1, a, te.z.numpy(), te.y.numpy(), te.cluster.numpy(), S, radius)
    dev = np.linalg.norm(te.z.numpy() - lemmas.zbar(S, te.cluster.numpy()), axis=1)
    assert dev == pytest.approx(eps * d * math.sqrt(3))  # the construction: one known deviation
    if inside:
        assert ev.n_inside == 3000 and ev.errors_inside == 0  # the theorem's core: no error, no constant
    else:
        assert ev.n_inside == 0 and ev.errors_inside == 0
    assert ev.errors_inside + ev.errors_outside == res.test_errors


def test_core_event_counts_inside_and_outside_by_hand():
    S = CLUSTER_SIGNAL[[2, 3, 1]].T  # mu2, -mu2, -mu1 as columns
    cl = np.array([0, 0, 2, 3])
    z = lemmas.zbar(S, cl) + np.array([[0.01, 0, 0], [0.5, 0, 0], [0, 0.01, 0], [0, 0, 0.3]])
    y = CLUSTER_LABEL[cl]
    V1 = np.eye(3)
    a = np.array([1.0, 1.0, 1.0])  # f = sum relu(z) > 0 always: every y = -1 point is wrong
    ev = onestep.core_event(V1, a, z, y, cl, S, 0.1)
    assert (ev.n_inside, ev.errors_inside, ev.errors_outside) == (2, 1, 1)


# ------------------------------------------------------------------ eq. (20)
def test_eq20_deviation_is_zero_for_the_exact_predicted_move():
    frame = claims.paper_frame(CLUSTER_SIGNAL[[2, 3, 1]].T)
    assert frame.perm == [0, 1, 2] and frame.flip3 == 1.0 and frame.a_sign == 1.0
    m, v, alpha, n = 4, 0.1, 0.7, 400
    V0 = v * np.array([[1.0, -1.0, 1.0], [1.0, -1.0, 1.0], [1.0, 1.0, 1.0], [-1.0, -1.0, 1.0]])
    a = np.array([1.0, -1.0, 1.0, -1.0]) / math.sqrt(m)
    V1 = V0.copy()
    V1[:2] += (alpha / 2) * a[:2, None] * np.sign(V0[:2]) * onestep.XI
    V1[2:] += 5.0  # other neurons are not part of the statement
    f = onestep.eq20_facts(V0, V1, a, frame, alpha, n)
    assert f.n_neurons == 2 and f.max_dev == pytest.approx(0.0, abs=1e-15)
    V1[1, 2] += 0.03
    f = onestep.eq20_facts(V0, V1, a, frame, alpha, n)
    assert f.max_dev == pytest.approx(0.03) and f.implied_K == pytest.approx(0.03 * math.sqrt(m * math.log(n)) / alpha)


def test_eq20_on_a_real_step_with_noise_free_embedding():
    """With delta = 0 and uniform-enough loss weights the move is the predicted one up to a small K."""
    n, p, eps = 400, 40, 0.05
    U, S = _constructed_u(p, 0.0, eps)
    Ut = torch.from_numpy(U)
    tr = project_hypercube(Ut, n, eps, 5)
    m, v = 431, 0.01
    tp = init_target(Ut, TargetConfig(m=m, v_init=v), 6)
    a, V0 = tp.a.numpy(), tp.V.numpy()
    alpha = math.sqrt(m) * v
    res = claims.one_step(tr.z.numpy(), tr.y.numpy(), a, V0, alpha, tr.z.numpy()[:10], tr.y.numpy()[:10],
                          tr.cluster.numpy()[:10], S)
    f = onestep.eq20_facts(V0, res.V1, a, claims.paper_frame(S), alpha, n)
    assert f.n_neurons > 0 and f.implied_K < 0.5
