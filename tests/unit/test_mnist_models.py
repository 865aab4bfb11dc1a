"""MNIST MLPs: bias-free, α scaling, first-layer transfer A·B, and the CLI's bad-input path."""

from __future__ import annotations

import torch

from xorgrok.commands.mnist import main
from xorgrok.models.mlp import MLP
from xorgrok.transfer import groktransfer_embedding, weak_embedding


def test_shapes_layers_and_no_biases():
    m = MLP(200, 200, 4, init_scale=1.0, seed=0)
    assert m(torch.rand(5, 784)).shape == (5, 10)
    assert len(m.body.weights) == 3  # 4 linear maps in all: first layer (embed) + 3
    assert not any("bias" in n for n, _ in m.named_parameters())


def test_init_scale_multiplies_every_parameter():
    a = MLP(16, 16, 3, init_scale=1.0, seed=3)
    b = MLP(16, 16, 3, init_scale=100.0, seed=3)
    for pa, pb in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(pb, 100.0 * pa)
    # first layer has nn.Linear's default bound 1/sqrt(784)
    assert a.embed.weight.abs().max() <= 784 ** -0.5


def test_forward_is_relu_mlp_by_hand():
    m = MLP(6, 5, 3, seed=1)
    x = torch.rand(4, 784)
    w1 = m.embed.weight  # (784, 6)
    w2, w3 = m.body.weights
    ref = torch.relu(torch.relu(x @ w1) @ w2.T) @ w3.T
    torch.testing.assert_close(m(x), ref)


def test_first_layer_transfer_is_x_A_B():
    weak = MLP(16, 16, 3, seed=0)
    emb = groktransfer_embedding(weak_embedding(weak), 200, init_scale=100.0, seed=0)
    target = MLP(200, 200, 4, init_scale=100.0, seed=0, embed=emb)
    torch.testing.assert_close(target.embed.A, weak.embed.weight)
    x = torch.rand(3, 784)
    torch.testing.assert_close(target.embed.project(x), x @ weak.embed.weight @ target.embed.B)
    assert target(x).shape == (3, 10)


def test_cli_bad_input_is_one_line_exit_2(capsys):
    import pytest

    with pytest.raises(SystemExit) as e:
        main(["--samples", "300"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "--samples" in err and len(err.strip().splitlines()) == 1
