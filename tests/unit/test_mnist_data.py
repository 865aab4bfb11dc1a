"""MNIST IDX loader: real offline test set, checksums, disjoint subsets, and every bad-input path."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from xorgrok.core.errors import InputError
from xorgrok.data import mnist as M

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist"
needs_data = pytest.mark.skipif(not (SHARED / "t10k-images-idx3-ubyte.gz").is_file(),
                                reason="offline MNIST copy not present")


@needs_data
def test_real_test_set_loads_and_matches_readme_class_counts():
    images, labels, notes = M.load_split("test", SHARED, download=False)
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert all("sha256 of content verified" in n for n in notes)


@needs_data
def test_test_split_subsets_are_disjoint_and_say_so():
    t = M.mnist_task(200, 400, seed=3, source="test-split", data_dir=SHARED)
    tr, ev = set(t.meta["train_index"]), set(t.meta["eval_index"])
    assert len(tr) == 200 and len(ev) == 400 and not tr & ev
    assert "TEST images" in t.meta["data_note"] and "disjoint" in t.meta["data_note"]
    assert t.x_train.shape == (200, 784) and float(t.x_train.max()) <= 1.0
    # same seed, same draw; other seed, other draw
    assert M.mnist_task(200, 400, seed=3, data_dir=SHARED).meta["train_index"] == t.meta["train_index"]
    assert M.mnist_task(200, 400, seed=4, data_dir=SHARED).meta["train_index"] != t.meta["train_index"]


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(InputError, match="t10k-images-idx3-ubyte"):
        M.load_split("test", tmp_path, download=False)


@needs_data
def test_standard_source_without_training_files_is_an_error_not_a_fallback(tmp_path):
    for f in SHARED.glob("t10k-*.gz"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    with pytest.raises(InputError, match="train-images-idx3-ubyte"):
        M.mnist_task(200, 400, source="standard", data_dir=tmp_path)


@needs_data
def test_bad_checksum_is_refused(tmp_path):
    raw = bytearray(gzip.decompress((SHARED / "t10k-labels-idx1-ubyte.gz").read_bytes()))
    raw[100] = (raw[100] + 1) % 10  # one label changed: header still valid, content not canonical
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(bytes(raw)))
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes((SHARED / "t10k-images-idx3-ubyte.gz").read_bytes())
    with pytest.raises(InputError, match=r"bad checksum for .*t10k-labels.*expected ff7bcfd4"):
        M.load_split("test", tmp_path, download=False)


def test_canonical_gz_md5_checked_for_training_files(tmp_path):
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(b"\x00\x00\x08\x03" + b"\x00" * 12))
    with pytest.raises(InputError, match="md5 .* expected f68b3c2d"):
        M.verify_and_read(tmp_path / "train-images-idx3-ubyte.gz")


def _idx(magic: int, sizes: tuple[int, ...], fill: int = 0) -> bytes:
    return magic.to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in sizes) + bytes([fill]) * int(
        np.prod(sizes))


def test_corrupt_header_names_file_and_expectation(tmp_path):
    # uncompressed training files have no known hash: the header is what is checked
    (tmp_path / "train-images-idx3-ubyte").write_bytes(_idx(2049, (60000, 28, 28)))  # labels magic
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx(2049, (60000,)))
    with pytest.raises(InputError, match=r"train-images-idx3-ubyte: corrupt IDX header: magic 2049, expected 2051"):
        M.load_split("train", tmp_path, download=False)
    with pytest.raises(InputError, match=r"x\.idx: corrupt IDX header: sizes \(5, 28, 28\), expected \(60000"):
        M.parse_idx(_idx(2051, (5, 28, 28)), "x.idx", 2051, (60000, 28, 28))
    with pytest.raises(InputError, match="size mismatch"):
        M.parse_idx(_idx(2049, (10,))[:-3], "y.idx", 2049, (10,))
    with pytest.raises(InputError, match="at least 8"):
        M.parse_idx(b"\x00\x00", "z.idx", 2049, (10,))


def test_parse_idx_round_trip():
    arr = M.parse_idx(_idx(2049, (4,), fill=7), "ok.idx", 2049, (4,))
    assert arr.tolist() == [7, 7, 7, 7]


def test_env_var_is_searched_first(tmp_path, monkeypatch):
    monkeypatch.setenv(M.ENV_VAR, str(tmp_path))
    assert M.default_dirs()[0] == tmp_path


def test_bad_arguments_refused():
    with pytest.raises(InputError, match="source"):
        M.mnist_task(source="cifar")
    with pytest.raises(InputError, match="n_eval"):
        M.mnist_task(n_train=9000, n_eval=2000, data_dir=SHARED)
