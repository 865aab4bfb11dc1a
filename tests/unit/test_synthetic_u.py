"""Synthetic U = [S; delta]: the block-sum sampler in law, the exact one-step error against brute force and
Monte Carlo, and the truncation bound."""

import math

import numpy as np
import pytest
import torch
from scipy import stats

from xorgrok.core.errors import InputError
from xorgrok.theory import synthetic_u as su
from xorgrok.theory.stats import clopper_pearson


def _trained(n, p, eps, c2, m=60, blocks=3, size=4, layout="diagonal", seed=0, c4=1.0):
    S = su.signal_block(su.PAPER_ORDERING)
    d = su.structured_delta(c2 * eps * math.sqrt(p / n), blocks, size, layout, seed)
    v = math.log(n) ** -1.5
    st = su.one_step(su.sample_structured(n, S, d, eps, seed + 1), m, v, math.sqrt(m) * v / c4, seed + 2)
    return S, d, st


def test_signal_block_has_three_distinct_features():
    assert len(su.ORDERINGS) == 24
    for o in su.ORDERINGS:
        S = su.signal_block(o)
        assert set(np.abs(S).ravel()) == {1.0} and len({tuple(c) for c in S.T}) == 3
    with pytest.raises(InputError, match="ordering"):
        su.signal_block((0, 0, 1))


@pytest.mark.parametrize("layout", ["diagonal", "mixed"])
def test_structured_delta_norm_and_dense_form(layout):
    d = su.structured_delta(3.7, 4, 5, layout, seed=3)
    dense = su.dense_delta(d, 40)
    assert d.fro == pytest.approx(3.7) and np.linalg.norm(dense) == pytest.approx(3.7)
    assert dense.shape == (38, 3) and np.all(dense[20:] == 0)


def _noise_codes(sample, S, d, eps):
    """Recover the block sums T from z (diagonal layout: z - zbar = eps * kappa * T, one block per column)."""
    from xorgrok.data.xor import CLUSTER_SIGNAL

    kappa = d.values[0, 0]
    return np.rint((sample.z - CLUSTER_SIGNAL[sample.cluster] @ S) / (eps * kappa)).astype(int)


def test_block_sum_sampler_matches_dense_signs_in_law_and_rejects_a_wrong_one():
    S, eps, s = su.signal_block(su.PAPER_ORDERING), 0.1, 6
    d = su.structured_delta(2.0, 3, s, "diagonal")
    fast = _noise_codes(su.sample_structured(20_000, S, d, eps, 5), S, d, eps)
    slow = _noise_codes(su.sample_dense(20_000, S, su.dense_delta(d, 30), eps, 5), S, d, eps)
    support = np.arange(-s, s + 1, 2)
    pmf = stats.binom.pmf((support + s) // 2, s, 0.5)

    def gof(codes):
        obs = np.array([(codes == t).sum() for t in support])
        return stats.chisquare(obs, pmf * obs.sum()).pvalue

    for col in range(3):
        assert gof(fast[:, col]) > 1e-4 and gof(slow[:, col]) > 1e-4
    # a wrong sampler (bias 0.45 instead of 1/2) is rejected at this sample size
    wrong = 2 * np.random.default_rng(0).binomial(s, 0.45, size=20_000) - s
    assert gof(wrong) < 1e-6
    # and the block sums of different columns are independent (contingency test on columns 0 and 1)
    table = np.array([[((fast[:, 0] == a) & (fast[:, 1] == b)).sum() for b in support] for a in support])
    table = table[table.sum(1) > 50][:, table.sum(0) > 50]
    assert stats.chi2_contingency(table).pvalue > 1e-4


@pytest.mark.parametrize("c2,layout", [(40.0, "diagonal"), (60.0, "mixed"), (1.0, "diagonal")])
def test_exact_error_equals_brute_force_enumeration(c2, layout):
    n, p, eps = 100, 4000, 0.1
    S, d, st = _trained(n, p, eps, c2, layout=layout, size=4)
    ex = su.exact_test_error(st.V1, st.a, S, d, eps)
    brute = su.brute_force_error(st.V1, st.a, S, su.dense_delta(d, p)[: d.support], eps)
    assert ex.dropped_mass == 0.0  # 5 values per block: nothing below 1e-30 to drop
    assert ex.error == pytest.approx(brute, abs=1e-12)
    if c2 >= 40:
        assert ex.error > 0.01  # the case is not trivially zero


def test_exact_error_agrees_with_monte_carlo_on_a_visible_error():
    n, p, eps = 200, 20_000, 0.05
    S, d, st = _trained(n, p, eps, 50.0, m=120, size=32, seed=7)
    ex = su.exact_test_error(st.V1, st.a, S, d, eps)
    k, N = su.mc_test_error(st.V1, st.a, su.sample_structured(40_000, S, d, eps, 99))
    lo, hi = clopper_pearson(k, N, 0.999)
    assert 0.002 < ex.error < 0.5
    assert lo <= ex.error <= hi


def test_truncated_sum_is_within_its_dropped_mass():
    n, p, eps = 200, 200_000, 0.05
    S, d, st = _trained(n, p, eps, 25.0, m=80, size=300, blocks=2, layout="mixed", seed=2)
    cut = su.exact_test_error(st.V1, st.a, S, d, eps, tail=1e-30)
    full = su.exact_test_error(st.V1, st.a, S, d, eps, tail=1e-300)
    assert 0 < cut.dropped_mass <= 1e-30 and cut.support_points < full.support_points
    assert cut.error <= full.error <= cut.error + cut.dropped_mass + 1e-15 * full.error


def test_one_step_is_eq4_and_deviation_tail_is_a_probability():
    S, d, st = _trained(100, 4000, 0.1, 2.0)
    assert st.V1.shape == st.V0.shape == (60, 3) and not torch.equal(st.V0, st.V1)
    q_small, q_big = su.deviation_tail(d, 0.1, 1e-9), su.deviation_tail(d, 0.1, 1e9)
    assert q_big == 0.0 and 0.9 < q_small <= 1.0


def test_theorem_u_has_three_distinct_features_and_a2_at_its_stated_fraction():
    import math

    from xorgrok.theory.assumptions import gt_a2
    from xorgrok.theory.lemmas import normalise_embedding
    from xorgrok.theory.synthetic_u import A2_FRACTION, theorem_u

    n, p, eps = 400, 80000, 0.05
    for C in (1.5, 2.0, 4.0):
        U = theorem_u(n, p, eps, C)
        emb = normalise_embedding(U)
        assert U.shape == (p, 3) and emb.distinct_features
        assert emb.delta_fro == pytest.approx(A2_FRACTION * C * eps * math.sqrt(p / n))
        a2 = gt_a2(n, p, eps, emb.delta_fro, C)
        assert a2.holds and not gt_a2(n, p, eps, emb.delta_fro, 0.8 * C).holds  # at 90%: fails at 80% of C
    assert np.array_equal(theorem_u(n, p, eps, 2.0), theorem_u(n, p, eps, 2.0))  # no seed, no data


@pytest.mark.parametrize("c4", [0.3, 1.0, 4.0])
def test_merged_one_step_equals_per_neuron_eq4(c4):
    """The merged fast path (at most 16 neuron types) against the plain per-neuron eq. (4) twin.

    Odd blocks and the mixed layout: no pre-activation is exactly 0 in exact arithmetic, where either path's
    phi'(0) would be decided by the float rounding of its own matrix product."""
    S = su.signal_block(su.PAPER_ORDERING)
    n, p, eps, m = 200, 8000, 0.1, 300
    d = su.structured_delta(3.0 * eps * math.sqrt(p / n), 3, 7, "mixed", 4)
    train = su.sample_structured(n, S, d, eps, 5)
    v = math.log(n) ** -1.5
    fast = su.one_step(train, m, v, math.sqrt(m) * v / c4, 6)
    slow = su.one_step(train, m, v, math.sqrt(m) * v / c4, 6, merged=False)
    assert torch.equal(fast.V0, slow.V0) and torch.equal(fast.a, slow.a)
    torch.testing.assert_close(fast.V1, slow.V1, rtol=1e-12, atol=1e-14)
    assert fast.train_acc == slow.train_acc
    Vu, au, cnt, inv = su.merge_neurons(slow.V0, slow.a)
    assert len(Vu) <= 16 and int(cnt.sum()) == m and torch.equal(Vu[inv], slow.V0.double())
    # the merged forward pass in exact_test_error against the per-neuron sum on a grid of points
    z = train.z
    Vm, am = su._forward_merged(slow.V1.numpy(), slow.a.numpy())
    f_fast = np.maximum(z @ Vm.T, 0.0) @ am
    f_slow = np.maximum(z @ slow.V1.numpy().T, 0.0) @ slow.a.numpy()
    np.testing.assert_allclose(f_fast, f_slow, rtol=1e-10, atol=1e-14)
