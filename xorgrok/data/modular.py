"""Modular arithmetic tasks (GrokTransfer §4, App. A.3.1): y = (a ∘ b) mod p, ∘ ∈ {+, ×}.

All p² pairs (a, b) with a, b ∈ {0..p-1} form the data set; a fixed fraction (paper: 25 %, p = 113) is the
training split. The split is drawn from its own `split_seed`, separate from the model-init seed, so the
same split can be reused across init seeds (and the weak and target models see the same split).
Inputs are int64 token pairs (n, 2) for an embedding model; labels are int64 class ids in [0, p).
"""

from __future__ import annotations

import torch

from xorgrok.core.errors import InputError, check_choice, check_float, check_int
from xorgrok.core.memory import check_fits
from xorgrok.core.seeding import torch_gen
from xorgrok.data.base import TaskData

OPERATIONS = ("add", "mul")
PAPER_MODULUS = 113
PAPER_TRAIN_FRACTION = 0.25


def all_pairs(p: int, operation: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Every pair (a, b) in row-major order and its label (a∘b) mod p (the slow, obvious reference)."""
    p = check_int("modulus", p, lo=2)
    check_choice("operation", operation, OPERATIONS)
    a = torch.arange(p).repeat_interleave(p)
    b = torch.arange(p).repeat(p)
    y = (a + b) % p if operation == "add" else (a * b) % p
    return torch.stack([a, b], dim=1), y


def split_indices(n: int, train_fraction: float, split_seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """A random permutation of range(n) (stream "modular-split" of `split_seed`); the first round(fraction·n) train.

    Both splits are non-empty (a fraction so small or large that one split is empty is refused).
    """
    train_fraction = check_float("train_fraction", train_fraction, 0.0, 1.0, lo_open=True, hi_open=True)
    split_seed = check_int("split_seed", split_seed, lo=0)
    n_train = int(round(train_fraction * n))
    if not 0 < n_train < n:
        raise InputError(f"train_fraction {train_fraction:g} leaves an empty split for {n} examples")
    gen = torch_gen(split_seed, "modular-split")
    perm = torch.randperm(n, generator=gen)
    return perm[:n_train].sort().values, perm[n_train:].sort().values


def make_modular(
    p: int = PAPER_MODULUS,
    operation: str = "add",
    train_fraction: float = PAPER_TRAIN_FRACTION,
    split_seed: int = 0,
) -> TaskData:
    """TaskData for (a∘b) mod p with cross-entropy loss over p classes.

    Raises InputError for an unknown operation, p < 2, or a train fraction outside (0, 1).
    """
    check_choice("operation", operation, OPERATIONS)
    p = check_int("modulus", p, lo=2)
    # the full-batch logits over all p² pairs (p classes each) dominate, far above the pairs themselves
    check_fits(f"modular task with modulus {p}: p² pairs and their p-class logits", p * p * (p + 6), 4,
               reduce="--modulus")
    x, y = all_pairs(p, operation)
    tr, te = split_indices(len(y), train_fraction, split_seed)
    return TaskData(
        name=f"modular_{operation}",
        x_train=x[tr],
        y_train=y[tr],
        x_test=x[te],
        y_test=y[te],
        loss="ce",
        n_classes=p,
        meta={
            "modulus": p,
            "operation": operation,
            "train_fraction": train_fraction,
            "split_seed": split_seed,
            "vocab_size": p,
            "n_tokens": 2,
        },
    )
