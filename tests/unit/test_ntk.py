"""Pseudo-NTK (Mohamadi et al. 2023): vmap fast path against a per-example autograd loop and a hand formula."""

from __future__ import annotations

import torch
from torch import nn

from xorgrok.analysis.ntk import ntk_change, pseudo_ntk, pseudo_ntk_bruteforce, summed_output_jacobian


def _tiny(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)  # test-local; library code never seeds globally
    return nn.Sequential(nn.Linear(5, 7, bias=False), nn.ReLU(), nn.Linear(7, 3, bias=False))


def test_fast_matches_bruteforce():
    m = _tiny()
    x = torch.randn(6, 5, generator=torch.Generator().manual_seed(1))
    fast = pseudo_ntk(m, x)
    slow = pseudo_ntk_bruteforce(m, x)
    assert fast.shape == (6, 6)
    torch.testing.assert_close(fast.double(), slow, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(fast, fast.T)


def test_linear_model_closed_form():
    """f(x) = W x (C outputs): ∇_W Σ_i f_i(x) = 1 xᵀ, so Θ̂(x1, x2) = C (x1·x2) / C = x1·x2."""
    m = nn.Linear(4, 3, bias=False)
    x = torch.randn(5, 4, generator=torch.Generator().manual_seed(2))
    torch.testing.assert_close(pseudo_ntk(m, x), x @ x.T, rtol=1e-5, atol=1e-6)


def test_jacobian_rows_are_per_example_gradients():
    m = _tiny(3)
    x = torch.randn(3, 5, generator=torch.Generator().manual_seed(4))
    J = summed_output_jacobian(m, x)
    g = torch.autograd.grad(m(x[1:2]).sum(), list(m.parameters()))
    torch.testing.assert_close(J[1], torch.cat([t.reshape(-1) for t in g]))


def test_change_is_zero_for_same_params_and_positive_after_a_step():
    m = _tiny(5)
    x = torch.randn(4, 5, generator=torch.Generator().manual_seed(6))
    k0 = pseudo_ntk(m, x)
    assert ntk_change(k0, pseudo_ntk(m, x)) == 0.0
    with torch.no_grad():
        m[0].weight.add_(0.1)
    assert ntk_change(k0, pseudo_ntk(m, x)) > 1e-4
