"""Bias-free ReLU MLP whose first layer is an embedding module (MNIST weak and target nets, review Fig. 14/18).

f(x) = W_L φ(… φ(W_2 φ(x·E))), E ∈ R^{784×d_1} held at `embed`, so GrokTransfer's E_T = A·B drops in.
"""

from __future__ import annotations

import torch
from torch import nn

from xorgrok.core.errors import check_int
from xorgrok.core.seeding import torch_gen
from xorgrok.models.embedding import EmbeddingLike, FullEmbedding, default_linear_init
from xorgrok.models.fnn import MLPBody

N_PIXELS, N_CLASSES = 784, 10


class MLP(nn.Module):
    """Bias-free ReLU MLP with the first layer held as an embedding: f(x) = body(φ(x·E)).

    `n_layers` counts all linear maps (first layer included): 3 for the weak model, 4 for the target.
    """

    embed: EmbeddingLike

    def __init__(self, d_first: int, width: int, n_layers: int, *, init_scale: float = 1.0, seed: int = 0,
                 stream: str = "mlp-init", embed: EmbeddingLike | None = None) -> None:
        super().__init__()
        check_int("n_layers", n_layers, lo=2)
        gen = torch_gen(seed, stream)  # the MNIST run names its roles: mnist-weak, mnist-target
        default = FullEmbedding(N_PIXELS, d_first, weight=_linear_table(N_PIXELS, d_first, init_scale, gen))
        self.embed = embed if embed is not None else default
        self.body = MLPBody(d_first, width, N_CLASSES, n_layers - 1, init_scale=init_scale, generator=gen)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (n, 784) -> (n, 10)
        return self.body(torch.relu(self.embed.project(x)))


def _linear_table(fan_in: int, fan_out: int, init_scale: float, gen: torch.Generator) -> torch.Tensor:
    """The first layer as a (784, d) table with nn.Linear's default U(±1/√784) entries × init_scale.

    (nn.Embedding's N(0, 1) would be the wrong default here: this table IS a linear layer.)
    """
    return default_linear_init(fan_in, fan_out, init_scale, gen).T.contiguous()
