"""Empirical pseudo-NTK (Mohamadi et al. 2023) as used in GrokTransfer §2.1, Fig. 3.

    Θ̂(x1, x2) = [∇_θ Σ_{i=1}^{C} f_θ^{(i)}(x1)]ᵀ [∇_θ Σ_{i=1}^{C} f_θ^{(i)}(x2)] / C

(C = number of outputs, p for modular arithmetic.) Fig. 3 plots ‖Θ̂_t − Θ̂_{t−1}‖_F on a fixed probe set.
`pseudo_ntk` uses torch.func (vmap over per-example gradients); `pseudo_ntk_bruteforce` loops over
examples with autograd, the slow obvious reference the tests hold it against.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.func import functional_call, grad, vmap


def _params(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach() for k, v in model.named_parameters() if v.requires_grad}


def summed_output_jacobian(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """J (m, P): row j is ∇_θ Σ_i f_i(x_j), all trainable parameters flattened in named order."""
    params = _params(model)

    def g(p: dict[str, torch.Tensor], xi: torch.Tensor) -> torch.Tensor:
        return functional_call(model, p, (xi.unsqueeze(0),)).sum()

    grads = vmap(grad(g), in_dims=(None, 0))(params, x)  # dict name -> (m, *shape)
    return torch.cat([grads[k].reshape(x.shape[0], -1) for k in params], dim=1)


def pseudo_ntk(model: nn.Module, x: torch.Tensor, n_out: int | None = None) -> torch.Tensor:
    """Θ̂ on the probe inputs x (m, ...): an (m, m) matrix. n_out defaults to the model's output width."""
    with torch.no_grad():
        c = n_out if n_out is not None else int(model(x[:1]).reshape(1, -1).shape[1])
    J = summed_output_jacobian(model, x)
    return (J @ J.T) / c


def pseudo_ntk_bruteforce(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Reference: one autograd call per probe example, then all pairwise dot products (float64)."""
    params = [p for p in model.parameters() if p.requires_grad]
    rows = []
    c = 0  # the output width, read from the first probe (torch.stack below refuses an empty x)
    for j in range(x.shape[0]):
        out = model(x[j: j + 1])
        c = out.reshape(1, -1).shape[1]
        gs = torch.autograd.grad(out.sum(), params)
        rows.append(torch.cat([gi.reshape(-1) for gi in gs]).double())
    J = torch.stack(rows)
    return (J @ J.T) / c


def ntk_change(prev: torch.Tensor, cur: torch.Tensor) -> float:
    """‖Θ̂_t − Θ̂_{t−1}‖_F."""
    return float(torch.linalg.matrix_norm(cur.double() - prev.double(), ord="fro"))
