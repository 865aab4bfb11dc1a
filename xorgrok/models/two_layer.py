"""Two-layer bias-free ReLU net f(x) = Σ_j a_j φ(<w_j, x>) (GrokTransfer §3.1; Xu et al. 2024 §2.3).

Parameters are plain tensors (W: (m, p), a: (m,)) so that the plain autograd trainer and the exact
Gram-space trainer share them and can be compared bit for bit.
"""

from __future__ import annotations

import dataclasses
import math

import torch

from xorgrok.core.errors import check_choice, check_float, check_int
from xorgrok.core.memory import check_fits
from xorgrok.core.seeding import torch_gen

INITS = ("gaussian", "torch", "xu")


@dataclasses.dataclass
class TwoLayerConfig:
    """Width and initialisation.

    init = "gaussian": w ~ N(0, w_std² I), a ~ N(0, a_std²)   (paper's weak net: w_std 0.1, a_std 0.01,
                       i.e. variances 0.01 and 1e-4, §3.3)
    init = "torch":    PyTorch nn.Linear default, U(±1/√fan_in), times init_scale (Fig. 4a)
    init = "xu":       w ~ N(0, ω² I), a ~ Unif{±1/√m} (Xu et al. 2024), ω = omega
    fixed_a_pm: if True, a is replaced by Unif{±1/√m} regardless of init (second layer "fixed at ±1/√m").
    """

    m: int = 3
    init: str = "gaussian"
    w_std: float = 0.1
    a_std: float = 0.01
    init_scale: float = 1.0
    omega: float = 1e-15
    fixed_a_pm: bool = False

    def __post_init__(self) -> None:
        check_int("m", self.m, lo=1)
        check_choice("init", self.init, INITS)
        check_float("w_std", self.w_std, 0.0)
        check_float("a_std", self.a_std, 0.0)
        check_float("init_scale", self.init_scale, 0.0, lo_open=True)
        check_float("omega", self.omega, 0.0)


@dataclasses.dataclass
class TwoLayerParams:
    W: torch.Tensor  # (m, p) first layer, row j = w_j
    a: torch.Tensor  # (m,) second layer

    def clone(self) -> TwoLayerParams:
        return TwoLayerParams(self.W.detach().clone(), self.a.detach().clone())


def pm_second_layer(m: int, seed: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """a_j ~ Unif{±1/√m}, i.i.d."""
    g = torch_gen(seed, "two_layer", "a_pm")
    return (torch.randint(0, 2, (m,), generator=g) * 2 - 1).to(dtype) / math.sqrt(m)


def init_two_layer(cfg: TwoLayerConfig, p: int, seed: int, dtype: torch.dtype = torch.float32,
                   device: str | torch.device = "cpu") -> TwoLayerParams:
    """Draw W⁽⁰⁾, a⁽⁰⁾ from `cfg` with streams derived from `seed` (same seed, same weights)."""
    p = check_int("p", p, lo=1)
    m = cfg.m
    check_fits(f"first-layer weights W, m×p = {m}×{p} ({dtype})", m * p, torch.empty(0, dtype=dtype).element_size(),
               reduce="the width m or p")
    gw = torch_gen(seed, "two_layer", "W")
    ga = torch_gen(seed, "two_layer", "a")
    if cfg.init == "gaussian":
        W = torch.randn(m, p, generator=gw, dtype=dtype) * cfg.w_std
        a = torch.randn(m, generator=ga, dtype=dtype) * cfg.a_std
    elif cfg.init == "torch":
        W = (torch.rand(m, p, generator=gw, dtype=dtype) * 2 - 1) * (cfg.init_scale / math.sqrt(p))
        a = (torch.rand(m, generator=ga, dtype=dtype) * 2 - 1) * (cfg.init_scale / math.sqrt(m))
    else:  # "xu"
        W = torch.randn(m, p, generator=gw, dtype=dtype) * cfg.omega
        a = pm_second_layer(m, seed, dtype)
    if cfg.fixed_a_pm:
        a = pm_second_layer(m, seed, dtype)
    return TwoLayerParams(W.to(device), a.to(device))


def two_layer_forward(W: torch.Tensor, a: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """f(x) for x (n, p) -> (n,)."""
    return torch.relu(x @ W.T) @ a


def signal_noise_norms(W: torch.Tensor, n_signal: int = 2) -> tuple[float, float]:
    """(‖W_{:, :2}‖_F, ‖W_{:, 2:}‖_F): the feature part and the noise part of the first layer."""
    Wd = W.detach().double()
    return float(Wd[:, :n_signal].norm()), float(Wd[:, n_signal:].norm())


def norm_ratio(W: torch.Tensor) -> float:
    """r_W = (‖W_{3:p}‖_F / √(p−2)) / (‖W_{1:2}‖_F / √2) (GrokTransfer §3.2, Fig. 5b,c)."""
    s, nz = signal_noise_norms(W)
    p = W.shape[1]
    return (nz / math.sqrt(p - 2)) / (s / math.sqrt(2))
