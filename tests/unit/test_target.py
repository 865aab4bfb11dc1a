"""GrokTransfer target f_L (§3.3) and its explicit one-step update (eq. 4) against autograd."""

import math

import pytest
import torch

from xorgrok.core.errors import InputError
from xorgrok.data.xor import sample_hypercube
from xorgrok.experiments.xor import default_target_width, normalize_signal
from xorgrok.models.target import TargetConfig, eq4_update, init_target, target_forward, target_forward_z


def _setup(m=50, p=120, n=80, seed=0, v_init=0.4):
    g = torch.Generator().manual_seed(seed)
    U = torch.randn(p, 3, generator=g, dtype=torch.float64)
    d = sample_hypercube(n, p, 0.2, seed, dtype=torch.float64)
    tp = init_target(U, TargetConfig(m=m, v_init=v_init), seed)
    return tp, d


def test_init_distribution():
    tp, _ = _setup(m=400)
    assert set(tp.a.unique().tolist()) == {-1 / math.sqrt(400), 1 / math.sqrt(400)}
    assert set(tp.V.unique().tolist()) == {-0.4, 0.4}
    # all 8 sign patterns e in {±1}^3 appear (P(missing one) ~ 8 (7/8)^400 ≈ 5e-23)
    assert len({tuple(r) for r in torch.sign(tp.V).tolist()}) == 8


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("alpha", [0.1, 2.0])
def test_eq4_is_one_autograd_gd_step(seed, alpha):
    tp, d = _setup(seed=seed)
    z = d.x @ tp.U
    V = tp.V.clone().requires_grad_()
    loss = torch.exp(-d.y * target_forward_z(V, tp.a, z)).mean()
    (g,) = torch.autograd.grad(loss, V)
    torch.testing.assert_close(eq4_update(tp.V, tp.a, z, d.y, alpha), tp.V - alpha * g, rtol=1e-12, atol=1e-12)


def test_forward_on_x_equals_forward_on_z():
    tp, d = _setup()
    torch.testing.assert_close(target_forward(tp, d.x), target_forward_z(tp.V, tp.a, d.x @ tp.U))


def test_default_width_is_A5_bound():
    assert default_target_width(400) == math.ceil(2 * math.log(400) ** 3) == 431
    assert default_target_width(400) >= 2 * math.log(400) ** 3


def test_normalize_signal():
    U = torch.tensor([[0.3, -2.0], [0.3, 2.0], [0.01, 0.5]])
    N = normalize_signal(U)
    torch.testing.assert_close(N[:2].norm(dim=0), torch.full((2,), math.sqrt(2)))
    torch.testing.assert_close(N[:, 0] / U[:, 0], torch.full((3,), N[0, 0] / U[0, 0]))
    with pytest.raises(InputError, match="zero signal"):
        normalize_signal(torch.tensor([[0.0], [0.0], [1.0]]))


def test_target_config_validation():
    with pytest.raises(InputError, match="v_init"):
        TargetConfig(m=3, v_init=0.0)
    with pytest.raises(InputError, match="m"):
        TargetConfig(m=0)


def test_weak_net_without_tracked_test_set():
    from xorgrok.experiments.xor import XorWeakConfig, train_weak

    w = train_weak(XorWeakConfig(n=40, p=60, eps=0.2, steps=20, n_test=0, n_eval=100))
    assert "test_acc" not in w.history and w.transition_step is None and 0.0 <= w.test_acc <= 1.0
