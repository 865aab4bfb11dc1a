"""Losses on scalar margins (binary tasks, y in {±1}) and on class logits (multi-class tasks).

Margins: exponential exp(-y f) (GrokTransfer theory), logistic log(1+exp(-y f)) (Xu et al. 2024, parity).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from xorgrok.core.errors import check_choice
from xorgrok.data.base import BINARY_LOSSES, LOSSES


def margin_loss(name: str, margins: torch.Tensor) -> torch.Tensor:
    """Per-sample loss l(y f) for margins y*f of shape (n,)."""
    check_choice("loss", name, BINARY_LOSSES)
    if name == "exp":
        return torch.exp(-margins)
    return F.softplus(-margins)  # log(1 + exp(-m)), stable for large |m|


def margin_loss_grad(name: str, margins: torch.Tensor) -> torch.Tensor:
    """d l(m) / d m, closed form (the Gram engine uses it; tests hold it against autograd)."""
    check_choice("loss", name, BINARY_LOSSES)
    if name == "exp":
        return -torch.exp(-margins)
    return -torch.sigmoid(-margins)


def task_loss(name: str, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean loss for a model output `out` and targets `y`.

    exp / logistic: out (n,) or (n,1) real scores, y in {±1}.
    ce: out (n, classes) logits, y (n,) int64 class ids.
    mse: out (n, classes), y (n,) class ids, one-hot targets (Omnigrok's MNIST loss).
    """
    check_choice("loss", name, LOSSES)
    if name in BINARY_LOSSES:
        return margin_loss(name, y.to(out.dtype) * out.reshape(-1)).mean()
    if name == "ce":
        return F.cross_entropy(out, y)
    target = F.one_hot(y, out.shape[-1]).to(out.dtype)
    return ((out - target) ** 2).sum(-1).mean()


def accuracy(out: torch.Tensor, y: torch.Tensor, binary: bool) -> float:
    """Binary: sign(f) == y with sign(0) counted wrong (a tie is no decision). Multi-class: argmax."""
    if binary:
        return (torch.sign(out.reshape(-1)) == y.to(out.dtype)).double().mean().item()
    return (out.argmax(-1) == y).double().mean().item()
