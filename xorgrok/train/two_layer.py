"""Train the two-layer net with either engine; one entry point for weak nets, wide nets and Xu'24."""

from __future__ import annotations

import torch

from xorgrok.core.errors import check_choice
from xorgrok.models.two_layer import TwoLayerParams, signal_noise_norms, two_layer_forward
from xorgrok.train.gd import GDConfig, GDResult, Split, gd_train
from xorgrok.train.gram import gram_train

ENGINES = ("gram", "plain")


def _plain_metrics(P: dict[str, torch.Tensor]) -> dict[str, float]:
    s, nz = signal_noise_norms(P["W"])
    return {"w_norm": (s * s + nz * nz) ** 0.5, "w_signal": s, "w_noise": nz,
            "a_norm": float(P["a"].detach().double().norm())}


def train_two_layer(
    params0: TwoLayerParams,
    split: Split,
    cfg: GDConfig,
    *,
    engine: str = "gram",
    train_W: bool = True,
    train_a: bool = True,
    progress: bool = False,
) -> GDResult:
    """Full-batch GD on f(x) = Σ a_j φ(<w_j,x>); 'gram' (fast, exact) or 'plain' (autograd reference)."""
    check_choice("engine", engine, ENGINES)
    if engine == "gram":
        return gram_train(params0, split, cfg, train_W=train_W, train_a=train_a, progress=progress)
    trainable = [k for k, on in (("W", train_W), ("a", train_a)) if on]
    return gd_train(
        lambda P, x: two_layer_forward(P["W"], P["a"], x),
        {"W": params0.W, "a": params0.a}, trainable, split, cfg,
        extra_metrics=_plain_metrics, progress=progress,
    )
