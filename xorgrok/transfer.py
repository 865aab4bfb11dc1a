"""The GrokTransfer API (paper §2.2; ablations of Fig. 15), usable without any experiment script.

Typical use (weak FNN → target FNN, or any target whose `embed` attribute is an embedding module):

    E_W = weak_embedding(weak_model)                       # (vocab, d_W), detached copy
    target = FNN(MODULAR_TARGET(113), init_scale=0.3, seed=1)
    install_embedding(target, groktransfer_embedding(E_W, d_target=128, init_scale=0.3, seed=1))
    ... train target ...                                   # A (= E_W at start) and B both train
    merge_embedding(target)                                # optional, Fig. 15(b): E_T ← A·B, keep training

Variants:
- `random_factorised_embedding`: A and B both random (Fig. 15(a), no transfer, same low rank);
- full-rank transfer (Fig. 15(c)): train a weak model with d_W = d_T and call `groktransfer_embedding` on it.

Shapes are checked: a weak embedding whose vocabulary does not match the target's is refused with both
shapes in the message (InputError).
"""

from __future__ import annotations

import torch
from torch import nn

from xorgrok.core.errors import InputError, check_float, check_int
from xorgrok.core.seeding import torch_gen
from xorgrok.models.embedding import (
    EmbeddingLike,
    FactorisedEmbedding,
    FullEmbedding,
    default_embedding_init,
    default_linear_init,
)

__all__ = [
    "weak_embedding",
    "check_vocab",
    "groktransfer_embedding",
    "random_factorised_embedding",
    "random_B",
    "install_embedding",
    "merge_embedding",
    "embedding_of",
]


def embedding_of(model: nn.Module) -> EmbeddingLike:
    """The model's embedding module (attribute `embed`); InputError if it has none."""
    emb = getattr(model, "embed", None)
    if emb is None or not hasattr(emb, "table"):
        raise InputError(f"{type(model).__name__} has no embedding module at attribute 'embed'")
    return emb


@torch.no_grad()
def weak_embedding(model_or_table: nn.Module | torch.Tensor) -> torch.Tensor:
    """E_W as a detached float32 copy (vocab, d_W) from a trained weak model (or a table given directly)."""
    if isinstance(model_or_table, torch.Tensor):
        table = model_or_table
    else:
        table = embedding_of(model_or_table).table()
    if table.dim() != 2:
        raise InputError(
            f"a weak embedding must be a 2-D (vocab, d_W) matrix, got shape {tuple(table.shape)}"
        )
    return table.detach().clone().float().cpu()


def check_vocab(E_W: torch.Tensor, vocab_size: int) -> None:
    """Refuse a weak embedding whose row count is not the target's vocabulary size (both shapes shown)."""
    if E_W.dim() != 2 or E_W.shape[0] != vocab_size:
        raise InputError(
            f"weak embedding shape {tuple(E_W.shape)} does not match the target vocabulary: "
            f"target embedding needs ({vocab_size}, d_W) rows, one per token"
        )


def groktransfer_embedding(
    E_W: torch.Tensor, d_target: int, *, init_scale: float = 1.0, seed: int = 0, vocab_size: int | None = None
) -> FactorisedEmbedding:
    """E_T = A·B with A = E_W (copied) and B ∈ R^{d_W×d_T} random (PyTorch linear default × init_scale).

    Paper §2.2, Step 2: "Initialize A = E_W and randomly initialize a matrix B … both A and B are trainable."
    [I] B's distribution is not given in the paper; we use the default init of a linear map d_W → d_T
    (U(±1/√d_W)) times the target's init scale. A is not rescaled.
    """
    d_target = check_int("d_target", d_target, lo=1)
    check_float("init_scale", init_scale, 0.0, lo_open=True)
    if vocab_size is not None:
        check_vocab(E_W, vocab_size)
    E_W = weak_embedding(E_W)
    return FactorisedEmbedding(E_W, random_B(E_W.shape[1], d_target, init_scale=init_scale, seed=seed))


def random_B(rank: int, d_target: int, *, init_scale: float = 1.0, seed: int = 0) -> torch.Tensor:
    """B ∈ R^{rank×d_T} of E_T = A·B from the stream "transfer-B" of `seed`.

    GrokTransfer and the random A·B ablation both draw B here, so for one seed they differ only in A.
    """
    gen = torch_gen(check_int("seed", seed, lo=0), "transfer-B")
    return default_linear_init(rank, d_target, init_scale, gen).T  # (rank, d_T)


def random_factorised_embedding(
    vocab_size: int, rank: int, d_target: int, *, init_scale: float = 1.0, seed: int = 0
) -> FactorisedEmbedding:
    """Ablation Fig. 15(a): E_T = A·B with A (nn.Embedding default N(0,1) × init) and B both random.

    B is GrokTransfer's B for the same (seed, rank, d_target, init_scale); only A differs (stream "random-ab-A").
    """
    vocab_size = check_int("vocab_size", vocab_size, lo=1)
    rank = check_int("rank", rank, lo=1)
    d_target = check_int("d_target", d_target, lo=1)
    check_float("init_scale", init_scale, 0.0, lo_open=True)
    seed = check_int("seed", seed, lo=0)
    A = default_embedding_init(vocab_size, rank, init_scale, torch_gen(seed, "random-ab-A"))
    return FactorisedEmbedding(A, random_B(rank, d_target, init_scale=init_scale, seed=seed))


def install_embedding(model: nn.Module, embedding: nn.Module) -> nn.Module:
    """Replace `model.embed` by `embedding` after checking (vocab_size, dim) against the current one.

    Returns the model. A vocabulary or width mismatch is refused with both shapes in the message.
    """
    old = embedding_of(model)
    want = (old.vocab_size, old.dim)
    got = (getattr(embedding, "vocab_size", None), getattr(embedding, "dim", None))
    if got != want:
        raise InputError(f"embedding of shape {got} (vocab, dim) does not fit the target, which needs {want}")
    model.embed = embedding
    return model


def merge_embedding(model: nn.Module) -> FullEmbedding:
    """Fig. 15(b): replace a factorised `model.embed` (A·B) by one full matrix E_T = A·B; same function.

    Returns the new FullEmbedding. Any optimizer holding A and B must be told (see
    `xorgrok.experiments.common.swap_in_optimizer`); a model with a full embedding is refused.
    """
    emb = embedding_of(model)
    if not isinstance(emb, FactorisedEmbedding):
        raise InputError(f"merge needs a factorised embedding (A·B), the model has {type(emb).__name__}")
    full = emb.merged().to(emb.A.device)
    model.embed = full
    return full
