"""(q, k)-sparse parity (GrokTransfer §4, following Merrill et al. 2023): x ∈ {±1}^q, y = Π_{i∈S} x_i.

Paper setting: q = 40, k = 3, S = {1, 2, 3} (1-based; here the 0-based coordinates 0, 1, 2), n = 1000
training samples, logistic loss. Labels are ±1 floats (binary loss convention of `xorgrok.train.losses`).

Test set (not stated in the paper, our choice): `n_test` fresh i.i.d. draws from the same distribution,
uniform on {±1}^q, from their own stream ("parity-test" of the seed; training inputs: "parity-train"),
so changing n_test leaves the training set unchanged. With q = 40 the chance
that a test point repeats a training point is ≤ n·n_test/2^40 ≈ 1e-6, so the test set is effectively
disjoint from the training set without filtering. Inputs are float32 vectors; an embedding model treats
coordinate i as "token" i with weight x_i (see `xorgrok.models.fnn.DenseEmbeddingInput`).
"""

from __future__ import annotations

import torch

from xorgrok.core.errors import InputError, check_int
from xorgrok.core.seeding import torch_gen
from xorgrok.data.base import TaskData

PAPER_Q, PAPER_K, PAPER_N = 40, 3, 1000


def parity_labels(x: torch.Tensor, k: int) -> torch.Tensor:
    """y = product of the first k coordinates (S = {1..k} in the paper's 1-based indexing)."""
    return x[:, :k].prod(dim=1)


def _signs(n: int, q: int, gen: torch.Generator) -> torch.Tensor:
    """n i.i.d. uniform points of {±1}^q (float32)."""
    return torch.randint(0, 2, (n, q), generator=gen).float() * 2 - 1


def make_parity(
    q: int = PAPER_Q, k: int = PAPER_K, n: int = PAPER_N, n_test: int = 1000, seed: int = 0
) -> TaskData:
    """TaskData for (q,k)-parity with logistic loss; `seed` draws both splits (each from its own stream).

    Raises InputError for q < 1, k < 1, k > q, n < 1 or n_test < 1.
    """
    q = check_int("q", q, lo=1)
    k = check_int("k", k, lo=1)
    if k > q:
        raise InputError(f"k must be <= q (k={k}, q={q})")
    n = check_int("n", n, lo=1)
    n_test = check_int("n_test", n_test, lo=1)
    seed = check_int("seed", seed, lo=0)
    x = torch.cat([_signs(n, q, torch_gen(seed, "parity-train")), _signs(n_test, q, torch_gen(seed, "parity-test"))])
    y = parity_labels(x, k)
    return TaskData(
        name="parity",
        x_train=x[:n],
        y_train=y[:n],
        x_test=x[n:],
        y_test=y[n:],
        loss="logistic",
        meta={
            "q": q,
            "k": k,
            "n": n,
            "n_test": n_test,
            "split_seed": seed,
            "vocab_size": q,
            "support": list(range(1, k + 1)),
        },
    )
