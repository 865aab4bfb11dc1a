"""Fixed embeddings of §6.2: exact tables, unit norms, and the user-file path with its shape check."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from xorgrok.core.errors import InputError
from xorgrok.data.embeddings import embedded_task, embedding_table, n_bits
from xorgrok.data.modular import make_modular


def test_n_bits_paper_value():
    assert n_bits(113) == 7 and n_bits(3) == 2 and n_bits(129) == 8


@pytest.mark.parametrize("kind", ["onehot", "binary", "fourier"])
def test_rows_have_unit_norm(kind):
    t = embedding_table(kind, 113)
    norms = np.linalg.norm(t, axis=1)
    if kind == "binary":  # a = 0 has no bits set
        assert norms[0] == 0
        norms = norms[1:]
    np.testing.assert_allclose(norms, 1.0, atol=1e-12)


def test_binary_rows_are_the_bits_msb_first():
    t = embedding_table("binary", 113)
    for a in (1, 5, 64, 112):
        bits = [int(c) for c in format(a, "07b")]
        np.testing.assert_allclose(t[a], np.array(bits) / np.sqrt(sum(bits)))


def test_fourier_uses_primes_2_to_17_and_matches_formula():
    t = embedding_table("fourier", 113, k=7)
    assert t.shape == (113, 14)
    a = 10
    expect = []
    for f in (2, 3, 5, 7, 11, 13, 17):
        expect += [np.cos(2 * np.pi * f * a / 113), np.sin(2 * np.pi * f * a / 113)]
    np.testing.assert_allclose(t[a], np.array(expect) / np.sqrt(7), atol=1e-12)


def test_onehot_is_identity():
    np.testing.assert_array_equal(embedding_table("onehot", 7), np.eye(7))


def test_user_file_npy_and_csv(tmp_path):
    rng = np.random.default_rng(0)
    raw = rng.normal(size=(11, 5))
    np.save(tmp_path / "e.npy", raw)
    np.savetxt(tmp_path / "e.csv", raw, delimiter=",")
    for f in ("e.npy", "e.csv"):
        t = embedding_table("file", 11, path=tmp_path / f)
        np.testing.assert_allclose(t, raw / np.linalg.norm(raw, axis=1, keepdims=True), atol=1e-12)


def test_user_file_of_wrong_shape_refused_with_shapes(tmp_path):
    np.save(tmp_path / "bad.npy", np.ones((10, 4)))
    with pytest.raises(InputError, match=r"shape \(10, 4\); expected \(11, d\)"):
        embedding_table("file", 11, path=tmp_path / "bad.npy")
    np.save(tmp_path / "bad3.npy", np.ones((11, 4, 2)))
    with pytest.raises(InputError, match=r"shape \(11, 4, 2\)"):
        embedding_table("file", 11, path=tmp_path / "bad3.npy")
    with pytest.raises(InputError, match="does not exist"):
        embedding_table("file", 11, path=tmp_path / "none.npy")
    with pytest.raises(InputError, match="embedding-file"):
        embedding_table("file", 11)
    (tmp_path / "txt.txt").write_text("a b\nc d\n")
    with pytest.raises(InputError, match="cannot read"):
        embedding_table("file", 2 + 1, path=tmp_path / "txt.txt")


def test_embedded_task_concatenates_a_then_b():
    task = make_modular(11, "add", 0.5, 0)
    t = embedding_table("onehot", 11)
    et = embedded_task(task, t)
    a, b = task.x_train[0].tolist()
    expect = torch.zeros(22)
    expect[a] = 1
    expect[11 + b] = 1
    torch.testing.assert_close(et.x_train[0], expect)
    assert et.y_train is task.y_train
