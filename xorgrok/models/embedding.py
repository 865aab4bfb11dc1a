"""Embedding tables for GrokTransfer (paper §2.2), separate from any model body so any target can use them.

Two interchangeable modules share one small API (`EmbeddingLike`):

- `FullEmbedding(vocab, dim)`: one trainable table E ∈ R^{vocab×dim}.
- `FactorisedEmbedding(A, B)`: E = A·B with A ∈ R^{vocab×r}, B ∈ R^{r×dim}, both trainable
  (GrokTransfer: A = E_W from the weak model, B random; the rank of E is ≤ r = d_W).

Both provide
- `vocab_size`, `dim` (ints), `table()` → the (vocab, dim) matrix E (differentiable);
- `forward(tokens)`: int64 token ids of any shape (...,) → (..., dim) rows of E (a lookup, like nn.Embedding);
- `project(x)`: float inputs (..., vocab) → x·E (..., dim): the "dense" use, e.g. parity, where
  coordinate i of x ∈ {±1}^q weights the embedding of token i (= a bias-free first linear layer);
- `merged()` (FactorisedEmbedding only) → a FullEmbedding holding the product A·B, same function.

A model that wants GrokTransfer only needs an attribute holding one of these and to call it on its
tokens (see `xorgrok.transfer.install_embedding`, which swaps it after checking the shape).
Initialisation follows PyTorch's defaults (nn.Embedding: N(0, 1); a linear map r→dim: U(±1/√r)),
multiplied by `init_scale` (the paper's "init scale", as in Omnigrok), drawn from an explicit generator.
"""

from __future__ import annotations

import math
from typing import Protocol, runtime_checkable

import torch
import torch.nn.functional as F
from torch import nn

from xorgrok.core.errors import InputError, check_float, check_int


@runtime_checkable
class EmbeddingLike(Protocol):
    vocab_size: int
    dim: int

    def table(self) -> torch.Tensor: ...
    def __call__(self, tokens: torch.Tensor) -> torch.Tensor: ...
    def project(self, x: torch.Tensor) -> torch.Tensor: ...


def default_embedding_init(
    vocab: int, dim: int, init_scale: float, generator: torch.Generator
) -> torch.Tensor:
    """nn.Embedding's default N(0, 1) entries times init_scale."""
    return torch.randn(vocab, dim, generator=generator) * init_scale


def default_linear_init(
    fan_in: int, fan_out: int, init_scale: float, generator: torch.Generator
) -> torch.Tensor:
    """nn.Linear's default (kaiming_uniform, a=√5: U(±1/√fan_in)) times init_scale; shape (out, in)."""
    bound = 1.0 / math.sqrt(fan_in)
    return (torch.rand(fan_out, fan_in, generator=generator) * 2 - 1) * bound * init_scale


class FullEmbedding(nn.Module):
    """A full trainable table E ∈ R^{vocab×dim}; `weight` is the parameter (same layout as nn.Embedding)."""

    def __init__(
        self,
        vocab_size: int,
        dim: int,
        *,
        init_scale: float = 1.0,
        generator: torch.Generator | None = None,
        weight: torch.Tensor | None = None,
    ) -> None:
        super().__init__()
        self.vocab_size = check_int("vocab_size", vocab_size, lo=1)
        self.dim = check_int("dim", dim, lo=1)
        if weight is None:
            check_float("init_scale", init_scale, 0.0, lo_open=True)
            weight = default_embedding_init(vocab_size, dim, init_scale, generator or torch.Generator())
        if tuple(weight.shape) != (self.vocab_size, self.dim):
            raise InputError(
                f"embedding weight must have shape {(self.vocab_size, self.dim)}, got {tuple(weight.shape)}"
            )
        self.weight = nn.Parameter(weight.detach().clone().float())

    def table(self) -> torch.Tensor:
        return self.weight

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return F.embedding(tokens, self.weight)

    def project(self, x: torch.Tensor) -> torch.Tensor:
        return x @ self.weight

    def extra_repr(self) -> str:
        return f"vocab_size={self.vocab_size}, dim={self.dim}"


class FactorisedEmbedding(nn.Module):
    """E = A·B with A ∈ R^{vocab×r} and B ∈ R^{r×dim}, both trainable parameters (paper §2.2, Step 2).

    `from_factors(A, B)` copies the given matrices (so the weak model is never modified);
    `merged()` returns a FullEmbedding with weight A·B (Fig. 15(b): merge and keep training).
    """

    def __init__(self, A: torch.Tensor, B: torch.Tensor) -> None:
        super().__init__()
        if A.dim() != 2 or B.dim() != 2 or A.shape[1] != B.shape[0]:
            raise InputError(
                f"factors must be A (vocab, r) and B (r, dim) with matching r; "
                f"got A {tuple(A.shape)} and B {tuple(B.shape)}"
            )
        self.A = nn.Parameter(A.detach().clone().float())
        self.B = nn.Parameter(B.detach().clone().float())
        self.vocab_size = int(A.shape[0])
        self.rank = int(A.shape[1])
        self.dim = int(B.shape[1])

    @classmethod
    def from_factors(cls, A: torch.Tensor, B: torch.Tensor) -> FactorisedEmbedding:
        return cls(A, B)

    def table(self) -> torch.Tensor:
        return self.A @ self.B

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        # gather rows of A first: (n, r)·(r, dim) is cheaper than forming the whole table, same value
        return F.embedding(tokens, self.A) @ self.B

    def project(self, x: torch.Tensor) -> torch.Tensor:
        return (x @ self.A) @ self.B

    @torch.no_grad()
    def merged(self) -> FullEmbedding:
        return FullEmbedding(self.vocab_size, self.dim, weight=self.A @ self.B)

    def extra_repr(self) -> str:
        return f"vocab_size={self.vocab_size}, rank={self.rank}, dim={self.dim}"
