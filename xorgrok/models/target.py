"""GrokTransfer target f_L(x) = Σ_j a_j φ(<v_j, Uᵀx>) (§3.3).

U (p×k, k = 3 for the 3-neuron weak net) is the weak net's first layer, a_j ~ Unif{±1/√m},
v_j ~ Unif{±v_init}^k. By default only V trains (U and a fixed, footnote 2 says this does not matter).
"""

from __future__ import annotations

import dataclasses
import math

import torch

from xorgrok.core.errors import Diverged, InputError, check_float, check_int
from xorgrok.core.health import first_nonfinite
from xorgrok.core.memory import check_fits
from xorgrok.core.seeding import torch_gen


@dataclasses.dataclass
class TargetConfig:
    m: int = 512
    v_init: float = 0.4
    train_U: bool = False
    train_a: bool = False

    def __post_init__(self) -> None:
        check_int("m", self.m, lo=1)
        check_float("v_init", self.v_init, 0.0, lo_open=True)


@dataclasses.dataclass
class TargetParams:
    U: torch.Tensor  # (p, k) transferred embedding
    V: torch.Tensor  # (m, k), row j = v_j
    a: torch.Tensor  # (m,)


def init_target(U: torch.Tensor, cfg: TargetConfig, seed: int) -> TargetParams:
    """a_j ~ Unif{±1/√m}, v_j ~ Unif{±v_init}^k, i.i.d., from streams of `seed`."""
    if U.dim() != 2:
        raise InputError(f"U must be a (p, k) matrix, got shape {tuple(U.shape)}")
    k = U.shape[1]
    m = cfg.m
    check_fits(f"target weights V and a, m×(k+1) = {m}×{k + 1}", m * (k + 1), U.element_size() + 8,
               reduce="the target width m", float32_helps=False)
    ga = torch_gen(seed, "target", "a")
    gv = torch_gen(seed, "target", "V")
    a = (torch.randint(0, 2, (m,), generator=ga) * 2 - 1).to(U.dtype) / math.sqrt(m)
    V = (torch.randint(0, 2, (m, k), generator=gv) * 2 - 1).to(U.dtype) * cfg.v_init
    return TargetParams(U.detach().clone(), V.to(U.device), a.to(U.device))


def target_forward_z(V: torch.Tensor, a: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """f_L on embedded inputs z = Uᵀx, z (n, k) -> (n,)."""
    return torch.relu(z @ V.T) @ a


def target_forward(params: TargetParams, x: torch.Tensor) -> torch.Tensor:
    return target_forward_z(params.V, params.a, x @ params.U)


def eq4_update(V: torch.Tensor, a: torch.Tensor, z: torch.Tensor, y: torch.Tensor, alpha: float) -> torch.Tensor:
    """One GD step on V by the paper's explicit per-neuron formula (eq. 4), exponential loss:

    v_j⁽¹⁾ = v_j⁽⁰⁾ + (α/n) a_j Σ_i y_i exp(−y_i f(x_i)) φ′(<v_j, z_i>) z_i.
    Held against autograd in the tests. A non-finite output, loss weight or updated V raises Diverged
    (step 0 for the inputs, 1 for the result): there is no curve to mark for one step.
    """
    n = z.shape[0]
    f = target_forward_z(V, a, z)
    w = y * torch.exp(-y * f)  # (n,)
    bad = first_nonfinite({"f_L outputs": f, "exp-loss weights": w})
    if bad is not None:
        raise Diverged(0, bad, "lower v_init or the inputs' scale")
    act = (z @ V.T > 0).to(z.dtype)  # (n, m)  φ′ with φ′(0) = 0
    V1 = V + (alpha / n) * a[:, None] * ((act * w[:, None]).T @ z)
    if first_nonfinite({"V": V1}) is not None:
        raise Diverged(1, "V", "lower alpha")
    return V1
