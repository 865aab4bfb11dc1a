"""MNIST parameterisation options: each changes what it claims (scales at init, rank, optimiser settings)."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from xorgrok.core.errors import InputError
from xorgrok.experiments.mnist import (
    MnistConfig,
    _target,
    mnist_preset,
    parameterisation_text,
    random_A_like,
    target_embedding,
    variant_tag,
)
from xorgrok.models.embedding import FactorisedEmbedding, FullEmbedding

E_W = torch.randn(784, 16, generator=torch.Generator().manual_seed(0)) * 0.03


def _cfg(**kw):
    return dataclasses.replace(MnistConfig(), **kw)


def test_default_scales_A_by_alpha_and_B_by_alpha():
    emb = target_embedding(_cfg(), E_W)
    raw = target_embedding(_cfg(scale_A=False), E_W)
    assert isinstance(emb, FactorisedEmbedding) and emb.rank == 16
    torch.testing.assert_close(emb.A, 100.0 * E_W)
    torch.testing.assert_close(raw.A, E_W)
    torch.testing.assert_close(emb.B, raw.B)  # B is the same draw, ×α either way
    assert raw.B.abs().max() <= 100.0 / 16 ** 0.5 and raw.B.abs().max() > 10.0


def test_full_first_layer_is_one_matrix_with_the_same_function():
    fact = target_embedding(_cfg(), E_W)
    full = target_embedding(_cfg(first_layer="full"), E_W)
    assert isinstance(full, FullEmbedding) and full.weight.shape == (784, 200)
    sv = torch.linalg.svdvals(full.weight.detach().double())
    assert sv[15] / sv[0] > 1e-3 and sv[16] / sv[0] < 1e-5  # rank 16 at init; training is no longer rank-bound
    x = torch.rand(3, 784)
    torch.testing.assert_close(full.project(x), fact.project(x), rtol=1e-4, atol=1e-2)
    assert sum(p.numel() for p in full.parameters()) == 784 * 200


def test_random_control_has_the_shape_and_norm_of_E_W_but_not_its_values():
    A = random_A_like(E_W, seed=0)
    assert A.shape == E_W.shape
    torch.testing.assert_close(A.norm(), E_W.norm())
    assert abs(float((A * E_W).sum() / (A.norm() * E_W.norm()))) < 0.05  # unrelated directions
    gt, rc = _target(_cfg(), E_W), _target(_cfg(method="random_ab"), E_W)
    torch.testing.assert_close(rc.embed.B, gt.embed.B)  # same B and body for the seed: only A differs
    for pa, pb in zip(gt.body.parameters(), rc.body.parameters()):
        torch.testing.assert_close(pa, pb)
    torch.testing.assert_close(rc.embed.A.norm(), gt.embed.A.norm())


def test_omnigrok_preset_and_its_batch_limit():
    ours, omni = mnist_preset(200, "scratch"), mnist_preset(200, "scratch", optimiser="omnigrok")
    assert (ours.weight_decay, ours.betas, ours.batch_size) == (0.1, (0.9, 0.98), None)
    assert (omni.weight_decay, omni.betas, omni.batch_size) == (0.01, (0.9, 0.999), 200)
    assert "omnigrok" in parameterisation_text(omni) and "betas (0.9, 0.999)" in parameterisation_text(omni)
    with pytest.raises(InputError, match="batch_size"):
        mnist_preset(1000, "scratch", optimiser="omnigrok")


def test_every_record_names_its_parameterisation():
    assert "NOT scaled" in parameterisation_text(_cfg(scale_A=False))
    assert "rank 16 bottleneck" in parameterisation_text(_cfg())
    assert "merged at init" in parameterisation_text(_cfg(first_layer="full"))
    assert variant_tag(_cfg()) == "" and variant_tag(_cfg(scale_A=False, first_layer="full")) == "_Araw_full"
    with pytest.raises(InputError, match="first_layer"):
        _cfg(first_layer="lowrank")
