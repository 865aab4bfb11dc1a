"""Adam with coupled L2 (the GrokFast code's optimizer) vs AdamW: one step checked by hand."""

from __future__ import annotations

import torch
from torch import nn

from xorgrok.train.loop import LoopConfig, make_optimizer


def _step(optimizer: str, w0: float, g: float, lr: float, wd: float) -> float:
    m = nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        m.weight.fill_(w0)
    opt = make_optimizer(m, LoopConfig(lr=lr, weight_decay=wd, optimizer=optimizer, betas=(0.9, 0.98)))
    m.weight.grad = torch.full_like(m.weight, g)
    opt.step()
    return float(m.weight.detach())


def test_first_step_by_hand():
    w0, g, lr, wd, eps = 2.0, 0.5, 0.1, 1.0, 1e-8
    # AdamW: w <- w(1 - lr wd) - lr m̂/(√v̂ + eps), first step m̂ = g, v̂ = g²
    adamw = w0 * (1 - lr * wd) - lr * g / (abs(g) + eps)
    # Adam + L2: g' = g + wd w, then the same normalised step on g' (the decay is normalised away)
    gp = g + wd * w0
    adam = w0 - lr * gp / (abs(gp) + eps)
    assert abs(_step("adamw", w0, g, lr, wd) - adamw) < 1e-6
    assert abs(_step("adam", w0, g, lr, wd) - adam) < 1e-6
    assert abs(adam - adamw) > 0.1  # 1.9 vs 1.7: the two really differ


def test_second_step_coupled_decay_enters_the_moments():
    w0, lr, wd = 1.0, 0.01, 0.5
    m = nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        m.weight.fill_(w0)
    opt = make_optimizer(m, LoopConfig(lr=lr, weight_decay=wd, optimizer="adam", betas=(0.9, 0.98)))
    w, mom, v = w0, 0.0, 0.0
    for t, g in enumerate((0.3, -0.2), start=1):
        m.weight.grad = torch.full_like(m.weight, g)
        opt.step()
        gp = g + wd * w
        mom, v = 0.9 * mom + 0.1 * gp, 0.98 * v + 0.02 * gp * gp
        w = w - lr * (mom / (1 - 0.9 ** t)) / ((v / (1 - 0.98 ** t)) ** 0.5 + 1e-8)
        assert abs(float(m.weight.detach()) - w) < 1e-6
