"""Bias-free FNN: output against a slow per-sample reference, homogeneity, init scale, presets."""

import math

import pytest
import torch

from xorgrok.models.fnn import FNN, MODULAR_TARGET, MODULAR_WEAK, PARITY_TARGET, PARITY_WEAK, FNNConfig


def slow_forward(model: FNN, x: torch.Tensor) -> torch.Tensor:
    """One sample at a time, with explicit concatenation / weighted sums (the obvious reference)."""
    E = model.embed.table().detach()
    outs = []
    for row in x:
        if model.cfg.input_mode == "tokens":
            h = torch.cat([E[int(t)] for t in row])
        else:
            h = sum(float(row[i]) * E[i] for i in range(len(row)))
        for k, w in enumerate(model.body.weights):
            h = w.detach() @ h
            if k < len(model.body.weights) - 1:
                h = torch.clamp(h, min=0)
        outs.append(h)
    out = torch.stack(outs)
    return out.squeeze(-1) if model.cfg.n_out == 1 else out


@pytest.mark.parametrize(
    "cfg",
    [FNNConfig(11, 3, 7, 2, 11), FNNConfig(11, 3, 7, 3, 11), FNNConfig(6, 4, 5, 3, 1, input_mode="dense")],
)
def test_forward_matches_slow_reference(cfg):
    model = FNN(cfg, init_scale=0.7, seed=3)
    gen = torch.Generator().manual_seed(0)
    if cfg.input_mode == "tokens":
        x = torch.randint(0, cfg.vocab_size, (9, 2), generator=gen)
    else:
        x = torch.randint(0, 2, (9, cfg.vocab_size), generator=gen).float() * 2 - 1
    torch.testing.assert_close(model(x), slow_forward(model, x), rtol=1e-5, atol=1e-6)


def test_no_biases_and_homogeneity():
    """Bias-free ReLU net with L linear maps (embedding included) is L-homogeneous in its parameters."""
    cfg = FNNConfig(9, 3, 8, 3, 9)
    a = FNN(cfg, init_scale=1.0, seed=1)
    b = FNN(cfg, init_scale=2.0, seed=1)  # same draws, every matrix doubled
    assert all("bias" not in n for n, _ in a.named_parameters())
    x = torch.randint(0, 9, (20, 2), generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(b(x), a(x) * 2**4)


def test_init_is_pytorch_default_times_scale():
    m = FNN(MODULAR_TARGET(113), init_scale=0.3, seed=0)
    emb = m.embed.weight.detach()
    assert abs(emb.std().item() - 0.3) < 0.01  # nn.Embedding default N(0,1) × 0.3
    w1 = m.body.weights[0].detach()  # 512 × 256, U(±1/16) × 0.3
    assert w1.abs().max().item() <= 0.3 / math.sqrt(256) + 1e-7
    assert abs(w1.std().item() - 0.3 / math.sqrt(256) / math.sqrt(3)) < 2e-4


def test_presets_shapes():
    assert [tuple(w.shape) for w in FNN(MODULAR_WEAK(113)).body.weights] == [(16, 8), (113, 16)]
    assert [tuple(w.shape) for w in FNN(MODULAR_TARGET(113)).body.weights] == [
        (512, 256),
        (512, 512),
        (113, 512),
    ]
    assert FNN(PARITY_WEAK(40)).embed.table().shape == (40, 16)
    assert len(FNN(PARITY_TARGET(40)).body.weights) == 3


def test_seed_determinism():
    a, b = FNN(MODULAR_WEAK(13), seed=5), FNN(MODULAR_WEAK(13), seed=5)
    c = FNN(MODULAR_WEAK(13), seed=6)
    assert torch.equal(a.embed.weight, b.embed.weight)
    assert not torch.equal(a.embed.weight, c.embed.weight)
