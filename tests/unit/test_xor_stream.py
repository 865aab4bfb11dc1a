"""The streamed hypercube engine: bit-for-bit the explicit sampler's data, exact Grams and projections."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from xorgrok.data.xor import sample_hypercube
from xorgrok.data.xor_stream import (
    RowSet,
    gram_from_signs,
    gram_of_explicit,
    n_words,
    noise_signs,
    project_rows,
    rows_transpose_times,
    sign_gram,
)


@pytest.mark.parametrize("p", [3, 66, 130, 1000])
def test_streamed_data_is_the_explicit_samplers_bit_for_bit(p):
    x = sample_hypercube(7, p, 0.05, 123, dtype=torch.float64).x.numpy()
    rows = RowSet(7, 123)
    w = n_words(p)
    # assembled from blocks of 1 and 2 words, so block edges fall everywhere
    got = np.concatenate([noise_signs(rows, p, w0, min(w, w0 + 2)) for w0 in range(0, w, 2)], axis=1)
    assert np.array_equal(np.where(x[:, 2:] > 0, 1.0, -1.0), got)
    assert np.array_equal(rows.signal(), x[:, :2])


@pytest.mark.parametrize("p,block", [(1000, 3), (4099, 64), (70, 1)])
def test_streamed_gram_equals_explicit_gram_bit_for_bit(p, block):
    a, b = RowSet(9, 1), RowSet(5, 2)
    xa = sample_hypercube(9, p, 0.05, 1, dtype=torch.float64).x.numpy()
    xb = sample_hypercube(5, p, 0.05, 2, dtype=torch.float64).x.numpy()
    M = sign_gram([a, b], p, block_words=block)
    G = gram_from_signs(np.concatenate([a.signal(), b.signal()]), M, 0.05)
    G_ex = gram_of_explicit(np.concatenate([xa, xb]), 0.05)
    assert np.array_equal(G, G_ex)  # bit for bit
    x = np.concatenate([xa, xb])
    assert np.allclose(G, x @ x.T, rtol=1e-12, atol=1e-12)  # and it is the Gram


def test_gram_check_detects_a_different_seed():
    p = 300
    M = sign_gram([RowSet(6, 1)], p)
    x = sample_hypercube(6, p, 0.05, 2, dtype=torch.float64).x.numpy()
    assert not np.array_equal(gram_from_signs(RowSet(6, 1).signal(), M, 0.05), gram_of_explicit(x, 0.05))


def test_projection_and_transpose_products_match_dense():
    p, n = 777, 11
    rows = RowSet(n, 42)
    x = sample_hypercube(n, p, 0.05, 42, dtype=torch.float64).x.numpy()
    rng = np.random.default_rng(0)
    V = rng.standard_normal((p, 3))
    B = rng.standard_normal((n, 3))
    assert np.allclose(project_rows(rows, p, 0.05, V, block_words=2, row_chunk=4), x @ V, rtol=1e-12, atol=1e-12)
    assert np.allclose(rows_transpose_times(rows, p, 0.05, B, block_words=3), x.T @ B, rtol=1e-12, atol=1e-12)


def test_fast_transpose_product_equals_its_histogram_twin_and_threads_change_nothing():
    from xorgrok.data.xor_stream import rows_transpose_times_hist

    p = 3000
    rows = RowSet(30, 11)
    B = np.random.default_rng(5).standard_normal((30, 3))
    fast = rows_transpose_times(rows, p, 0.05, B, block_words=7, col_chunk=64)
    assert np.allclose(fast, rows_transpose_times_hist(rows, p, 0.05, B, block_words=7), rtol=1e-12, atol=1e-12)
    V = np.random.default_rng(6).standard_normal((p, 3))
    one = project_rows(rows, p, 0.05, V, block_words=5, row_chunk=4)
    assert np.array_equal(one, project_rows(rows, p, 0.05, V, block_words=5, row_chunk=4, workers=3))
    assert np.array_equal(sign_gram([rows], p, block_words=5), sign_gram([rows], p, block_words=5, workers=2))
