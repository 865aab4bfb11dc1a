"""Bias-free FNNs with a trainable embedding (GrokTransfer §4, App. A.3.1): f(x) = W_L φ(… φ(W_1 e(x))).

e(x) is the embedding layer (`xorgrok.models.embedding`: a full table or the factorised E = A·B):
- token inputs (modular arithmetic): x = (a, b) int64 → e(x) = [E_a, E_b] (concatenation, 2·d_embed);
- dense inputs (parity): x ∈ {±1}^q → e(x) = x·E (d_embed), i.e. a bias-free first linear layer whose
  weight is the "embedding" transferred in Fig. 6(c).
There is no activation right after the embedding (it is a lookup); the body has `n_layers` bias-free
linear layers with ReLU between them (paper: "All FNNs are homogeneous and have no bias terms").
Init: PyTorch's default for every matrix × init_scale (the paper's "init scale", as in Omnigrok).

Paper sizes (§6.1, §6.4): modular weak (d_embed, width) = (4, 16) with 2 layers, target (128, 512) with
3 layers; parity weak d_embed 16, width 16, 3 layers ([I] d_embed = 16 so that A is 40×16), target
(128, 512) with 3 layers.
"""

from __future__ import annotations

import dataclasses

import torch
from torch import nn

from xorgrok.core.errors import check_choice, check_float, check_int
from xorgrok.core.seeding import torch_gen
from xorgrok.models.embedding import (
    EmbeddingLike,
    FactorisedEmbedding,
    FullEmbedding,
    default_embedding_init,
    default_linear_init,
)

__all__ = [
    "FNN",
    "FNNConfig",
    "MLPBody",
    "FullEmbedding",
    "FactorisedEmbedding",
    "EmbeddingLike",
    "default_embedding_init",
    "default_linear_init",
    "build_fnn",
    "MODULAR_WEAK",
    "MODULAR_TARGET",
    "PARITY_WEAK",
    "PARITY_TARGET",
]


@dataclasses.dataclass
class FNNConfig:
    """Shape of an FNN. `vocab_size`: number of tokens (p for modular, q for parity)."""

    vocab_size: int
    d_embed: int
    width: int
    n_layers: int
    n_out: int
    input_mode: str = "tokens"  # "tokens": int64 (n, n_tokens) ids; "dense": float (n, vocab_size)
    n_tokens: int = 2

    def __post_init__(self) -> None:
        check_int("vocab_size", self.vocab_size, lo=1)
        check_int("d_embed", self.d_embed, lo=1)
        check_int("width", self.width, lo=1)
        check_int("n_layers", self.n_layers, lo=1)
        check_int("n_out", self.n_out, lo=1)
        check_choice("input_mode", self.input_mode, ("tokens", "dense"))
        check_int("n_tokens", self.n_tokens, lo=1)

    @property
    def d_in(self) -> int:
        return self.d_embed * (self.n_tokens if self.input_mode == "tokens" else 1)


def MODULAR_WEAK(p: int = 113) -> FNNConfig:  # noqa: N802 (a preset, read like a constant)
    return FNNConfig(vocab_size=p, d_embed=4, width=16, n_layers=2, n_out=p)


def MODULAR_TARGET(p: int = 113) -> FNNConfig:  # noqa: N802
    return FNNConfig(vocab_size=p, d_embed=128, width=512, n_layers=3, n_out=p)


def PARITY_WEAK(q: int = 40) -> FNNConfig:  # noqa: N802
    return FNNConfig(vocab_size=q, d_embed=16, width=16, n_layers=3, n_out=1, input_mode="dense")


def PARITY_TARGET(q: int = 40) -> FNNConfig:  # noqa: N802
    return FNNConfig(vocab_size=q, d_embed=128, width=512, n_layers=3, n_out=1, input_mode="dense")


class MLPBody(nn.Module):
    """n_layers bias-free linear maps d_in → width → … → width → n_out with ReLU between them."""

    def __init__(
        self,
        d_in: int,
        width: int,
        n_out: int,
        n_layers: int,
        *,
        init_scale: float = 1.0,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        gen = generator or torch.Generator()
        dims = [d_in] + [width] * (n_layers - 1) + [n_out]
        pairs = zip(dims[:-1], dims[1:], strict=True)
        self.weights = nn.ParameterList(
            nn.Parameter(default_linear_init(a, b, init_scale, gen)) for a, b in pairs
        )

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        last = len(self.weights) - 1
        for i, w in enumerate(self.weights):
            h = h @ w.T
            if i < last:
                h = torch.relu(h)
        return h


class FNN(nn.Module):
    """Embedding layer `embed` (any EmbeddingLike; swappable) followed by an MLPBody `body`."""

    embed: EmbeddingLike

    def __init__(
        self,
        cfg: FNNConfig,
        *,
        init_scale: float = 1.0,
        seed: int = 0,
        stream: str = "fnn-init",
        embed: EmbeddingLike | None = None,
    ) -> None:
        super().__init__()
        check_float("init_scale", init_scale, 0.0, lo_open=True)
        check_int("seed", seed, lo=0)
        self.cfg = cfg
        gen = torch_gen(seed, stream)  # weak and target models name their own stream (fnn-weak, fnn-target)
        # the embedding is drawn first, then the body: a model with a transferred embedding still draws
        # a full table (and discards it) so its body is the same as the scratch model's for the same seed
        default = FullEmbedding(cfg.vocab_size, cfg.d_embed, init_scale=init_scale, generator=gen)
        self.embed = embed if embed is not None else default
        self.body = MLPBody(
            cfg.d_in, cfg.width, cfg.n_out, cfg.n_layers, init_scale=init_scale, generator=gen
        )

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The body's input e(x): concatenated token embeddings, or x·E for dense inputs."""
        if self.cfg.input_mode == "tokens":
            return self.embed(x).flatten(start_dim=1)
        return self.embed.project(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.body(self.features(x))
        return out.squeeze(-1) if self.cfg.n_out == 1 else out


def build_fnn(cfg: FNNConfig, init_scale: float = 1.0, seed: int = 0, stream: str = "fnn-init") -> FNN:
    return FNN(cfg, init_scale=init_scale, seed=seed, stream=stream)
