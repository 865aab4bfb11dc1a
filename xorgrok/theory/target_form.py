"""The forms Theorem 3.2's proof takes for the target f_L (GrokTransfer §3.3, Assumption (A5)).

The one home of two facts the experiments, verify and the sweeps all use:
- the (A5) width: the smallest m with m >= 2 ln³ n (natural log; 431 at n = 400);
- U "without loss of generality" in the form u_j = [±μ; δ_j]: each column rescaled so that its signal part (the
  first two coordinates) has the features' norm √2.
"""

from __future__ import annotations

import math

import torch

from xorgrok.core.errors import InputError, check_int


def a5_width(n: int) -> int:
    """Smallest m with m >= 2 ln³ n, Assumption (A5) with natural log (431 at n = 400)."""
    n = check_int("n", n, lo=2)
    return math.ceil(2 * math.log(n) ** 3)


def normalize_signal(U: torch.Tensor) -> torch.Tensor:
    """Scale column j of U (p, k) by √2/‖U_{1:2, j}‖ so its signal part has the features' norm √2."""
    s = U[:2].norm(dim=0)
    if bool((s == 0).any()):
        raise InputError("a column of U has a zero signal part; it cannot be normalised")
    return U * (math.sqrt(2) / s)
