"""Fixed input embeddings for modular addition (GrokTransfer §2.1, Fig. 2; App. A.3.1).

Each integer a ∈ {0..p-1} gets a vector e(a), normalised to norm 1; the FNN input is [e(a), e(b)].
- one-hot: e(a) = unit vector a (dim p);
- binary: the bits of a, zero-padded to ⌊log2(p-1)⌋+1 bits (7 for p = 113), most significant first
  (a = 0 has no bit set: its vector stays 0, the only one that cannot be normalised);
- Fourier: [cos(2π i_1 a/p), sin(2π i_1 a/p), …, cos(2π i_k a/p), sin(2π i_k a/p)] with i_j the j-th prime
  (k = 7: 2, 3, 5, 7, 11, 13, 17), dim 2k (each pair has norm 1, so the raw norm is √k before normalising);
- file: a user-supplied table, one row per integer (.npy, or text/CSV read by numpy.loadtxt). It stands in
  for the paper's "GPT" embedding (OpenAI text-embedding-3-small, dim 128), whose hosted API these machines
  cannot reach; figures using it say so.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from xorgrok.core.errors import InputError, check_choice, check_int
from xorgrok.data.base import TaskData

KINDS = ("onehot", "binary", "fourier", "file")
PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def n_bits(p: int) -> int:
    """⌊log2(p-1)⌋ + 1 (paper App. A.3.1): 7 for p = 113."""
    p = check_int("modulus", p, lo=3)
    return int(math.floor(math.log2(p - 1))) + 1


def _normalise(t: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(t, axis=1, keepdims=True)
    return np.where(norms > 0, t / np.where(norms > 0, norms, 1.0), 0.0)


def embedding_table(kind: str, p: int = 113, k: int = 7, path: str | Path | None = None) -> np.ndarray:
    """The (p, d) table of `kind`, every nonzero row normalised to norm 1 (float64)."""
    check_choice("embedding", kind, KINDS)
    p = check_int("modulus", p, lo=3)
    a = np.arange(p)
    if kind == "onehot":
        t = np.eye(p)
    elif kind == "binary":
        b = n_bits(p)
        t = ((a[:, None] >> np.arange(b - 1, -1, -1)[None, :]) & 1).astype(float)
    elif kind == "fourier":
        k = check_int("k (Fourier frequencies)", k, 1, len(PRIMES))
        freqs = np.array(PRIMES[:k])
        ang = 2 * np.pi * np.outer(a, freqs) / p  # (p, k)
        t = np.stack([np.cos(ang), np.sin(ang)], axis=2).reshape(p, 2 * k)  # cos_1, sin_1, cos_2, ...
    else:
        t = load_embedding_file(path, p)
    return _normalise(t)


def load_embedding_file(path: str | Path | None, p: int) -> np.ndarray:
    """A user table with exactly p rows (one per integer 0..p-1) and d >= 1 columns; else InputError."""
    if path is None:
        raise InputError("embedding 'file' needs --embedding-file PATH (one row per integer 0..p-1)")
    path = Path(path)
    if not path.is_file():
        raise InputError(f"embedding file {str(path)!r} does not exist")
    try:  # empty .npy -> EOFError, a table of strings -> ValueError on the cast, a pickle -> ValueError
        t = np.load(path, allow_pickle=False) if path.suffix == ".npy" else np.loadtxt(
            path, delimiter="," if path.suffix == ".csv" else None, ndmin=2)
        t = np.asarray(t, dtype=float)
    except (ValueError, EOFError, OSError, TypeError) as exc:
        raise InputError(f"embedding file {path}: cannot read a numeric table ({type(exc).__name__}: "
                         f"{' '.join(str(exc).split())})") from None
    if t.ndim != 2 or t.shape[0] != p or t.shape[1] < 1:
        raise InputError(f"embedding file {path} has shape {t.shape}; expected ({p}, d): one row per integer "
                         f"0..{p - 1}")
    if not np.all(np.isfinite(t)):
        raise InputError(f"embedding file {path} contains non-finite values")
    return t


def embedded_task(task: TaskData, table: np.ndarray) -> TaskData:
    """The modular task with x = [e(a), e(b)] (float32, (n, 2d)) instead of token ids (paper [I]: concat)."""
    if task.x_train.dtype != torch.long or task.x_train.shape[1] != 2:
        raise InputError("embedded_task needs a modular TaskData with (n, 2) int64 token pairs")
    E = torch.as_tensor(table, dtype=torch.float32)

    def feats(x: torch.Tensor) -> torch.Tensor:
        return E[x].flatten(start_dim=1)

    return TaskData(name=task.name + "/fixed-embedding", x_train=feats(task.x_train), y_train=task.y_train,
                    x_test=feats(task.x_test), y_test=task.y_test, loss=task.loss, n_classes=task.n_classes,
                    meta={**task.meta, "embedding_dim": int(E.shape[1])})
