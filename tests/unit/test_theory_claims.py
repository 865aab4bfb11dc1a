"""Theorem 3.2 one-step measurement and Xu Theorem 3.1 helpers against independent computations."""

import math

import numpy as np
import pytest
import torch

from xorgrok.data.xor import CLUSTER_LABEL, project_hypercube
from xorgrok.models.target import target_forward_z
from xorgrok.theory import claims, lemmas

S_PAPER = np.array([[-1.0, 1.0, -1.0], [1.0, -1.0, -1.0]])


def _setup(seed=0, n=80, m=64, v=0.05, p=200, eps=0.02):
    rng = np.random.default_rng(seed)
    U = np.vstack([S_PAPER, rng.normal(0, 0.3, (p - 2, 3))])
    tr = project_hypercube(torch.from_numpy(U), n, eps, seed + 1)
    te = project_hypercube(torch.from_numpy(U), 3000, eps, seed + 2)
    a = rng.choice([-1.0, 1.0], m) / math.sqrt(m)
    V0 = rng.choice([-1.0, 1.0], (m, 3)) * v
    return tr, te, a, V0


def test_one_step_equals_autograd_step():
    tr, te, a, V0 = _setup()
    alpha = 1.3
    res = claims.one_step(tr.z.numpy(), tr.y.numpy(), a, V0, alpha, te.z.numpy(), te.y.numpy(),
                          te.cluster.numpy(), S_PAPER)
    V = torch.tensor(V0, requires_grad=True)
    z, y, at = tr.z.double(), tr.y.double(), torch.tensor(a)
    torch.exp(-y * target_forward_z(V, at, z)).mean().backward()
    assert np.allclose(res.V1, V0 - alpha * V.grad.numpy(), atol=1e-12)
    f = target_forward_z(torch.tensor(res.V1), at, te.z.double()).numpy()
    assert res.test_errors == int((np.sign(f) != te.y.numpy()).sum())
    assert 0 <= res.test_ci[0] <= res.test_err <= res.test_ci[1] <= 1


def test_one_step_small_init_generalises_in_the_theorem_regime():
    """Inside the assumptions' spirit (tiny noise, v_init small, alpha ~ sqrt(m) v_init): 100% / 0 errors."""
    tr, te, a, V0 = _setup(v=0.01, eps=0.005, m=256)
    res = claims.one_step(tr.z.numpy(), tr.y.numpy(), a, V0, math.sqrt(256) * 0.01, te.z.numpy(), te.y.numpy(),
                          te.cluster.numpy(), S_PAPER)
    assert res.train_errors == 0 and res.test_errors == 0 and min(res.centre_margins) > 0


@pytest.mark.parametrize("perm", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
@pytest.mark.parametrize("third_sign", [1.0, -1.0])
@pytest.mark.parametrize("mirror", [False, True])
def test_paper_frame_maps_any_three_features_to_the_paper(perm, third_sign, mirror):
    S = S_PAPER.copy()
    S[:, 2] *= third_sign
    if mirror:
        S = np.diag([-1.0, 1.0]) @ S  # pair becomes ±mu1
    S = S[:, list(perm)]
    fr = claims.paper_frame(S)
    assert fr is not None
    mapped = (np.diag([-1.0, 1.0]) if mirror else np.eye(2)) @ S[:, fr.perm] * np.array([1.0, 1.0, fr.flip3])
    assert np.array_equal(mapped, S_PAPER)
    assert fr.a_sign == (-1.0 if mirror else 1.0)


def test_paper_frame_rejects_repeated_features():
    assert claims.paper_frame(np.array([[1.0, 1.0, -1.0], [1.0, 1.0, 1.0]])) is None


def test_neuron_facts_frame_invariant():
    """Permuting U's columns (and V's with them) changes nothing the paper's frame sees."""
    tr, te, a, V0 = _setup(m=400, v=0.02, eps=0.005)
    args = (tr.y.numpy(), a)
    res = claims.one_step(tr.z.numpy(), *args, V0, 2.0, te.z.numpy()[:10], te.y.numpy()[:10],
                          te.cluster.numpy()[:10], S_PAPER)
    f1 = claims.neuron_facts(V0, res.V1, a, claims.paper_frame(S_PAPER), 0.02, 2.0, 80)
    perm = [2, 0, 1]
    res2 = claims.one_step(tr.z.numpy()[:, perm], *args, V0[:, perm], 2.0, te.z.numpy()[:10, perm],
                           te.y.numpy()[:10], te.cluster.numpy()[:10], S_PAPER[:, perm])
    f2 = claims.neuron_facts(V0[:, perm], res2.V1, a, claims.paper_frame(S_PAPER[:, perm]), 0.02, 2.0, 80)
    assert f1.n_111_pos == f2.n_111_pos > 0
    assert f1.min_v3_gain == pytest.approx(f2.min_v3_gain)


def test_sign_rule_counts():
    cl = np.array([0] * 5 + [1] * 3 + [2] * 4 + [3] * 4)
    fl = np.zeros(16, dtype=bool)
    fl[0] = True  # cluster +mu1: c=4, n=1 ; -mu1: c=3, n=0 -> e = (4-1-3+0)/2 = 0
    fl[8] = True  # +mu2: c=3, n=1 ; -mu2: c=4, n=0 -> e = (3-1-4)/2 = -1
    e, pred = claims.sign_rule(cl, fl)
    assert e == [0.0, 0.0, -1.0, 1.0] and pred == [False, False, False, True]


def test_centre_margins_use_cluster_labels():
    tr, te, a, V0 = _setup()
    res = claims.one_step(tr.z.numpy(), tr.y.numpy(), a, V0, 1.0, te.z.numpy(), te.y.numpy(),
                          te.cluster.numpy(), S_PAPER)
    f = target_forward_z(torch.tensor(res.V1), torch.tensor(a), torch.tensor(lemmas.zbar(S_PAPER, np.arange(4))))
    assert np.allclose(res.centre_margins, CLUSTER_LABEL * f.numpy())
