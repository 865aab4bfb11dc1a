"""The GrokTransfer hypercube sample streamed by column blocks: Grams and projections without the n×p matrix.

Same data as `xor.sample_hypercube` for the same seed, bit for bit: that sampler draws row i's noise as the
words [i·w, (i+1)·w) of one PCG64 stream (w = ⌈(p−2)/64⌉ 64-bit words per row, bit j of the row's bytes,
MSB first, is noise coordinate j, +ε for a 1). A column block [w0, w1) of row i is therefore the stream
advanced by i·w + w0 draws (PCG64 jumps ahead in O(log) time), so any block of any row is generated
directly, in any order, with no change of value. Every quantity below is exact:
- `sign_gram`: M_ik = Σ_j s_ij s_kj (s = ±1 noise signs) as int64, from popcounts of XORed words:
  M_ik = d − 2·Hamming(b_i, b_k); the Gram is G = S Sᵀ + ε² M (S the ±1 signal coordinates), so the Gram
  of the explicit matrix computed the same way (`gram_of_explicit`) is identical bit for bit;
- `project_rows`: X V for a (p × k) matrix V, by per-byte lookup tables (ε Σ_{bits} ±V rows), block by block;
- `rows_transpose_times`: Xᵀ B for an (n × k) matrix B (the weak net's U = c W⁽⁰⁾ᵀ + XᵀCᵀ), from the
  unpacked 0/1 bits of a column block through one BLAS product, Xᵀ B = ε(2 bitsᵀB − 1·ΣB);
  `rows_transpose_times_hist` is its slow twin (weighted byte histograms), kept for the agreement test.
Memory: O(N² + N·block) for N streamed rows, never O(N·p); time O(N²p/64) word operations for the Gram.
`workers` > 1 splits rows (projection) or Gram rows (popcounts) over threads: the numpy kernels used release
the GIL, and each thread writes disjoint output rows, so results do not depend on the number of threads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from xorgrok.core.errors import InputError, check_float, check_int
from xorgrok.core.seeding import numpy_rng
from xorgrok.data.xor import CLUSTER_LABEL, CLUSTER_SIGNAL

BLOCK_WORDS = 2048  # 131,072 noise coordinates per column block
_SIGNS = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).astype(np.float64) * 2 - 1  # (256, 8)


@dataclasses.dataclass(frozen=True)
class RowSet:
    """n hypercube points of seed `seed` (the rows `sample_hypercube(n, p, eps, seed)` would hold)."""

    n: int
    seed: int

    def clusters(self) -> np.ndarray:
        return numpy_rng(self.seed, "hypercube", "signal").integers(0, 4, size=self.n)

    def labels(self) -> np.ndarray:
        return CLUSTER_LABEL[self.clusters()].astype(np.float64)

    def signal(self) -> np.ndarray:
        return CLUSTER_SIGNAL[self.clusters()]


def n_words(p: int) -> int:
    return (check_int("p", p, lo=3) - 2 + 63) // 64


def word_blocks(p: int, block_words: int = BLOCK_WORDS) -> Iterator[tuple[int, int]]:
    w = n_words(p)
    block_words = check_int("block_words", block_words, lo=1)
    for w0 in range(0, w, block_words):
        yield w0, min(w, w0 + block_words)


def noise_words(rows: RowSet, p: int, w0: int, w1: int, r0: int = 0, r1: int | None = None) -> np.ndarray:
    """(r1 − r0, w1 − w0) uint64: words [w0, w1) of rows [r0, r1) of the explicit sampler's noise stream."""
    w = n_words(p)
    r1 = rows.n if r1 is None else r1
    if not (0 <= w0 <= w1 <= w and 0 <= r0 <= r1 <= rows.n):
        raise InputError(f"block out of range: words [{w0}, {w1}) of {w}, rows [{r0}, {r1}) of {rows.n}")
    base: Any = numpy_rng(rows.seed, "hypercube", "noise").bit_generator.state
    out = np.empty((r1 - r0, w1 - w0), dtype=np.uint64)
    bg = np.random.PCG64()
    for i in range(r0, r1):
        bg.state = base
        bg.advance(i * w + w0)
        out[i - r0] = np.random.Generator(bg).integers(0, 2**64, size=w1 - w0, dtype=np.uint64, endpoint=False)
    return out


def _valid_mask(p: int, w0: int, w1: int) -> np.ndarray | None:
    """uint64 mask of the valid noise bits of words [w0, w1) (the last word of a row is padded), or None."""
    d = p - 2
    if w1 * 64 <= d:
        return None
    bits = np.zeros((w1 - w0) * 64, dtype=np.uint8)
    bits[: max(0, d - w0 * 64)] = 1
    return np.packbits(bits).view(np.uint64)


def noise_signs(rows: RowSet, p: int, w0: int, w1: int) -> np.ndarray:
    """(n, cols) float64 ±1 noise signs of columns [64 w0, min(64 w1, p − 2)) (tests and small blocks)."""
    by = noise_words(rows, p, w0, w1).view(np.uint8)
    bits = np.unpackbits(by, axis=1)[:, : min(64 * w1, p - 2) - 64 * w0]
    return bits.astype(np.float64) * 2 - 1


def _run(tasks: Sequence[Callable[[], None]], workers: int) -> None:
    """Run independent tasks (each writes its own output rows) on `workers` threads, or inline."""
    if workers <= 1 or len(tasks) <= 1:
        for t in tasks:
            t()
        return
    with ThreadPoolExecutor(max_workers=workers) as ex:
        for fut in [ex.submit(t) for t in tasks]:
            fut.result()


def _tick(progress: Any) -> None:
    if progress is not None:
        progress.update(1)


def sign_gram(parts: Sequence[RowSet], p: int, block_words: int = BLOCK_WORDS, workers: int = 1,
              progress: Any = None) -> np.ndarray:
    """(N, N) int64 M = Σ_j s_ij s_kj over the noise coordinates, rows of all parts stacked in order.

    Integer popcounts, so exact at any p and any number of `workers`; `progress` (a tqdm bar) ticks per block.
    """
    d = p - 2
    N = sum(r.n for r in parts)
    ham = np.zeros((N, N), dtype=np.int64)
    for w0, w1 in word_blocks(p, block_words):
        blk = np.concatenate([noise_words(r, p, w0, w1) for r in parts])
        mask = _valid_mask(p, w0, w1)
        if mask is not None:
            blk &= mask

        def rows_of(idx: range, blk: np.ndarray = blk) -> Callable[[], None]:
            def go() -> None:
                for i in idx:
                    ham[i, i:] += np.bitwise_count(np.bitwise_xor(blk[i], blk[i:])).sum(1, dtype=np.int64)
            return go
        # interleaved rows: row i costs N − i, so strided slices balance the threads
        _run([rows_of(range(k, N, max(workers, 1))) for k in range(max(workers, 1))], workers)
        _tick(progress)
    ham = np.triu(ham) + np.triu(ham, 1).T
    return d - 2 * ham


def gram_from_signs(signal: np.ndarray, M: np.ndarray, eps: float) -> np.ndarray:
    """G = S Sᵀ + ε² M in float64 (one formula for both engines, so equal inputs give equal bits)."""
    eps = check_float("eps", eps, 0.0, lo_open=True)
    return signal @ signal.T + (eps * eps) * M.astype(np.float64)


def gram_of_explicit(x: np.ndarray, eps: float) -> np.ndarray:
    """The same G from an explicit (N, p) hypercube matrix: signs read off, integer sign Gram, same formula."""
    s = np.where(np.asarray(x)[:, 2:] > 0, 1.0, -1.0)
    M = np.rint(s @ s.T).astype(np.int64)  # ±1 products: exact in float64 below 2^53
    return gram_from_signs(np.asarray(x, dtype=np.float64)[:, :2], M, eps)


def _byte_tables(V: np.ndarray, w0: int, w1: int, p: int, eps: float) -> np.ndarray:
    """(nb, 256, k): T[b, v] = ε Σ_{bit k of v} (±1) V[2 + 8(8 w0 + b) + k]; zero rows beyond p − 2.

    Position-major, so the 32 positions looked up together are one contiguous piece of memory.
    """
    k = V.shape[1]
    d = p - 2
    nb = (w1 - w0) * 8
    pad = np.zeros((nb * 8, k))
    c0 = w0 * 64
    c1 = min(d, w1 * 64)
    pad[: c1 - c0] = V[2 + c0: 2 + c1]
    return eps * np.matmul(_SIGNS, pad.reshape(nb, 8, k))


def project_rows(rows: RowSet, p: int, eps: float, V: np.ndarray, block_words: int = BLOCK_WORDS,
                 row_chunk: int = 2048, workers: int = 1, progress: Any = None) -> np.ndarray:
    """X V, (n, k) float64, for the n rows of `rows` and a (p, k) matrix V; X never materialised.

    Row chunks run on `workers` threads (each adds into its own rows, in the same order: thread-count free).
    """
    V = np.asarray(V, dtype=np.float64)
    if V.ndim != 2 or V.shape[0] != p:
        raise InputError(f"V must be a ({p}, k) matrix, got shape {V.shape}")
    k = V.shape[1]
    z = rows.signal() @ V[:2]
    group = 32
    offs = (np.arange(group, dtype=np.intp) * 256)[:, None]
    for w0, w1 in word_blocks(p, block_words):
        table = _byte_tables(V, w0, w1, p, eps)  # padding bits meet zero table rows: no mask needed
        nb = table.shape[0]
        chunk = max(1, min(row_chunk, -(-rows.n // max(workers, 1))))

        def chunk_of(r0: int, r1: int, w0: int = w0, w1: int = w1, table: np.ndarray = table,
                     nb: int = nb) -> Callable[[], None]:
            def go() -> None:
                by_t = np.ascontiguousarray(noise_words(rows, p, w0, w1, r0, r1).view(np.uint8).T)  # (nb, rows)
                acc = np.zeros((r1 - r0, k))
                for g0 in range(0, nb, group):  # 32 byte positions at a time: their tables stay in cache
                    g1 = min(nb, g0 + group)
                    sub = table[g0:g1].reshape(-1, k)
                    acc += np.take(sub, by_t[g0:g1].astype(np.intp) + offs[: g1 - g0], axis=0).sum(0)
                z[r0:r1] += acc
            return go
        _run([chunk_of(r0, min(rows.n, r0 + chunk)) for r0 in range(0, rows.n, chunk)], workers)
        _tick(progress)
    return z


def rows_transpose_times(rows: RowSet, p: int, eps: float, B: np.ndarray, block_words: int = BLOCK_WORDS,
                         col_chunk: int = 8192, progress: Any = None) -> np.ndarray:
    """Xᵀ B, (p, k) float64, for an (n, k) matrix B: Xᵀ_noise B = ε(2·bitsᵀB − ΣᵢBᵢ), bits 0/1, one BLAS
    product per `col_chunk` columns (threads: BLAS's own)."""
    B = np.asarray(B, dtype=np.float64)
    if B.ndim != 2 or B.shape[0] != rows.n:
        raise InputError(f"B must be a ({rows.n}, k) matrix, got shape {B.shape}")
    k = B.shape[1]
    d = p - 2
    out = np.zeros((p, k))
    out[:2] = rows.signal().T @ B
    BT = np.ascontiguousarray(B.T)  # (k, n)
    colsum = B.sum(0)
    step = max(8, col_chunk - col_chunk % 8)
    for w0, w1 in word_blocks(p, block_words):
        by = noise_words(rows, p, w0, w1).view(np.uint8)  # (n, nb)
        c0, c1 = w0 * 64, min(d, w1 * 64)
        for b0 in range(0, (c1 - c0 + 7) // 8, step // 8):
            b1 = min(by.shape[1], b0 + step // 8)
            bits = np.unpackbits(by[:, b0:b1], axis=1).astype(np.float64)  # (n, 8(b1 − b0)), exact 0/1
            lo, hi = c0 + 8 * b0, min(c1, c0 + 8 * b1)
            out[2 + lo: 2 + hi] = (eps * (2.0 * (BT @ bits) - colsum[:, None])).T[: hi - lo]
        _tick(progress)
    return out


def rows_transpose_times_hist(rows: RowSet, p: int, eps: float, B: np.ndarray,
                              block_words: int = BLOCK_WORDS) -> np.ndarray:
    """Slow twin of `rows_transpose_times`: per byte position, a B-weighted histogram of byte values."""
    B = np.asarray(B, dtype=np.float64)
    if B.ndim != 2 or B.shape[0] != rows.n:
        raise InputError(f"B must be a ({rows.n}, k) matrix, got shape {B.shape}")
    k = B.shape[1]
    d = p - 2
    out = np.zeros((p, k))
    out[:2] = rows.signal().T @ B
    for w0, w1 in word_blocks(p, block_words):
        by = noise_words(rows, p, w0, w1).view(np.uint8)  # (n, nb)
        nb = by.shape[1]
        idx = (np.arange(nb, dtype=np.intp)[None, :] * 256 + by).ravel()
        c0, c1 = w0 * 64, min(d, w1 * 64)
        for c in range(k):
            hist = np.bincount(idx, weights=np.repeat(B[:, c], nb), minlength=nb * 256).reshape(nb, 256)
            out[2 + c0: 2 + c1, c] = (eps * (hist @ _SIGNS)).reshape(-1)[: c1 - c0]
    return out
