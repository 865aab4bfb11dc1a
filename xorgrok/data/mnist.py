"""MNIST for the Omnigrok-style large-init experiment (GrokTransfer Fig. 14 / review Fig. 18).

Data location, first match wins: `data_dir` argument (CLI --data-dir), $XORGROK_MNIST_DIR, the user cache
`$XDG_CACHE_HOME/xorgrok/mnist` (default `~/.cache/xorgrok/mnist`; downloaded there on demand from the
canonical mirror). Nothing outside these is searched.

Integrity: all four files are checked by the sha256 of their uncompressed content, whatever their form
(canonical .gz, a recompressed .gz, or uncompressed), after the IDX header; a corrupt gzip/deflate stream
is a one-line error. The TaskData's `meta` and its `data_note` (which every record stores) name the folder
the files came from and say they were verified.

Two sources:
- "standard": 60k training images for training, the 10k test images for evaluation (needs all four files);
- "test-split": training AND evaluation subsets drawn, disjoint, from the 10k test images only. This is
  what runs on machines without a data host use; `TaskData.meta["data_note"]` says so, and every CLI,
  figure and record prints or stores that note.

Every failure is an InputError naming the file and what was expected; there is no fallback to other data.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import urllib.request
import zlib
from pathlib import Path

import numpy as np
import torch

from xorgrok.core.errors import InputError, check_choice, check_int
from xorgrok.core.paths import user_cache_dir
from xorgrok.core.seeding import numpy_rng
from xorgrok.data.base import TaskData

ENV_VAR = "XORGROK_MNIST_DIR"
MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
N_IMAGES = {"train": 60000, "test": 10000}
# md5 of the canonical .gz files (the values torchvision checks)
GZ_MD5 = {
    "train-images-idx3-ubyte": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte": "ec29112dd5afa0611ce80d1b7f02629c",
}
# sha256 of the uncompressed canonical bytes (the published values for the four IDX files); lets any form
# (recompressed, uncompressed) be verified by content
RAW_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
SOURCES = ("test-split", "standard")


def default_dirs() -> list[Path]:
    """$XORGROK_MNIST_DIR (if set), then the user cache; the last entry is where downloads go."""
    out = []
    if os.environ.get(ENV_VAR):
        out.append(Path(os.environ[ENV_VAR]).expanduser())
    out.append(user_cache_dir() / "mnist")
    return out


def find_file(stem: str, data_dir: Path | None, download: bool = True) -> Path:
    """Locate `stem` (.gz or uncompressed). With an explicit data_dir, only that directory is searched."""
    dirs = [Path(data_dir)] if data_dir is not None else default_dirs()
    for d in dirs:
        for name in (stem + ".gz", stem):
            if (d / name).is_file():
                return d / name
    if data_dir is None and download:
        return _download(stem, default_dirs()[-1])
    raise InputError(f"MNIST file {stem}(.gz) not found in {', '.join(str(d) for d in dirs)} "
                     f"(set --data-dir or ${ENV_VAR} to a folder holding the IDX files)")


def _download(stem: str, cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    dest = cache / (stem + ".gz")
    try:
        with urllib.request.urlopen(MIRROR + stem + ".gz", timeout=60) as resp:  # noqa: S310 (fixed https URL)
            data = resp.read()
    except OSError as exc:
        raise InputError(f"MNIST file {stem}.gz not found locally and download from {MIRROR} failed ({exc}); "
                         f"set --data-dir or ${ENV_VAR} to a local copy") from None
    got = hashlib.md5(data).hexdigest()  # noqa: S324 (checksum, not security)
    if got != GZ_MD5[stem]:
        raise InputError(f"bad checksum for downloaded {stem}.gz: md5 {got}, expected {GZ_MD5[stem]}")
    from xorgrok.core.records import atomic_write_bytes

    return atomic_write_bytes(dest, data)


def _stem(path: Path) -> str:
    return path.name[:-3] if path.name.endswith(".gz") else path.name


def read_raw(path: Path) -> tuple[bytes, bytes]:
    """(file bytes, uncompressed IDX bytes) of `path`; an unreadable file or a corrupt gzip stream -> InputError."""
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise InputError(f"MNIST file {path} cannot be read ({exc.strerror or exc})") from None
    if not path.name.endswith(".gz"):
        return blob, blob
    try:
        return blob, gzip.decompress(blob)
    except (OSError, EOFError, zlib.error) as exc:  # bad header, truncated, or a corrupt deflate stream
        raise InputError(f"{path}: not a valid gzip file ({type(exc).__name__}: {exc})") from None


def verify(path: Path, blob: bytes, raw: bytes) -> str:
    """A one-line note of how `raw` (read from `path`) was verified; a wrong checksum -> InputError."""
    stem = _stem(path)
    if stem not in RAW_SHA256:
        raise InputError(f"{path}: not an MNIST file name (expected one of {', '.join(RAW_SHA256)}, .gz or not)")
    got = hashlib.sha256(raw).hexdigest()
    if got != RAW_SHA256[stem]:
        gz = ""
        if path.name.endswith(".gz"):
            gz = f"; md5 of the file {hashlib.md5(blob).hexdigest()}, expected {GZ_MD5[stem]} for the canonical .gz"  # noqa: S324
        raise InputError(f"bad checksum for {path}: sha256 of the uncompressed bytes is {got}, "
                         f"expected {RAW_SHA256[stem]}{gz}: not the canonical MNIST file")
    return f"{path.name}: sha256 of content verified"


def verify_and_read(path: Path) -> tuple[bytes, str]:
    """Raw IDX bytes of `path` and a one-line note of how they were verified; bad checksum -> InputError."""
    blob, raw = read_raw(path)
    return raw, verify(path, blob, raw)


def parse_idx(raw: bytes, path: Path | str, magic: int, dims: tuple[int, ...]) -> np.ndarray:
    """Parse IDX bytes: big-endian magic (0x0000, type 0x08 = uint8, ndim), ndim int32 sizes, data.

    `dims`: the expected sizes (a 0 entry means 'any'). Any mismatch is an InputError naming the file.
    """
    if len(raw) < 8:
        raise InputError(f"{path}: corrupt IDX header: file has {len(raw)} bytes, expected at least 8")
    got_magic = int.from_bytes(raw[:4], "big")
    if got_magic != magic:
        raise InputError(f"{path}: corrupt IDX header: magic {got_magic}, expected {magic} "
                         f"({'images' if magic == IMAGES_MAGIC else 'labels'}, uint8, {len(dims)}-d)")
    ndim = raw[3]
    hdr = 4 + 4 * ndim
    sizes = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    if any(e and s != e for s, e in zip(sizes, dims)):
        raise InputError(f"{path}: corrupt IDX header: sizes {sizes}, expected {dims}")
    n = int(np.prod(sizes))
    if len(raw) != hdr + n:
        raise InputError(f"{path}: IDX size mismatch: {len(raw) - hdr} data bytes, expected {n} for {sizes}")
    return np.frombuffer(raw, dtype=np.uint8, offset=hdr).reshape(sizes)


def load_split(split: str, data_dir: Path | None = None, download: bool = True
               ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(images uint8 (n, 28, 28), labels uint8 (n,), verification notes) of 'train' or 'test'."""
    check_choice("split", split, tuple(FILES))
    img_stem, lab_stem = FILES[split]
    n = N_IMAGES[split]
    img_path = find_file(img_stem, data_dir, download)
    lab_path = find_file(lab_stem, data_dir, download)
    # header first (its message says what is wrong), then the content checksum (what a header cannot show)
    img_blob, img_raw = read_raw(img_path)
    images = parse_idx(img_raw, img_path, IMAGES_MAGIC, (n, 28, 28))
    lab_blob, lab_raw = read_raw(lab_path)
    labels = parse_idx(lab_raw, lab_path, LABELS_MAGIC, (n,))
    if labels.max() > 9:
        raise InputError(f"{lab_path}: labels must be digits 0..9, found {int(labels.max())}")
    notes = [verify(img_path, img_blob, img_raw), verify(lab_path, lab_blob, lab_raw)]
    return images, labels, [f"{n} (from {p.parent})" for n, p in zip(notes, (img_path, lab_path))]


def mnist_task(n_train: int = 200, n_eval: int = 1000, seed: int = 0, source: str = "test-split",
               data_dir: Path | None = None, download: bool = True) -> TaskData:
    """MNIST as a full-batch TaskData: x flattened pixels / 255 (float32, (n, 784)), 'mse' loss (Omnigrok).

    test-split: a permutation of the 10,000 test images from `seed`; the first n_train train, the next
    n_eval evaluate (disjoint by construction). standard: n_train drawn from the 60k training images,
    n_eval from the 10k test images.
    """
    check_choice("source", source, SOURCES)
    n_train = check_int("n_train", n_train, 1, 60000 if source == "standard" else 9999)
    cap = 10000 - n_train if source == "test-split" else 10000
    n_eval = check_int("n_eval", n_eval, 1, cap)
    te_x, te_y, notes = load_split("test", data_dir, download)
    if source == "test-split":
        perm = numpy_rng(seed, "mnist-split").permutation(len(te_x))
        tr_idx, ev_idx = perm[:n_train], perm[n_train:n_train + n_eval]
        tr_x, tr_y, ev_x, ev_y = te_x[tr_idx], te_y[tr_idx], te_x[ev_idx], te_y[ev_idx]
        note = (f"MNIST test-split: {n_train} training and {n_eval} evaluation images drawn disjoint "
                f"(seed {seed}) from the 10,000 MNIST TEST images; the 60k training set was not used")
    else:
        trx_all, try_all, notes2 = load_split("train", data_dir, download)
        notes += notes2
        tr_idx = numpy_rng(seed, "mnist-train").choice(len(trx_all), n_train, replace=False)
        ev_idx = numpy_rng(seed, "mnist-eval").choice(len(te_x), n_eval, replace=False)
        tr_x, tr_y, ev_x, ev_y = trx_all[tr_idx], try_all[tr_idx], te_x[ev_idx], te_y[ev_idx]
        note = f"MNIST standard: {n_train} training images from the 60k set, {n_eval} evaluation test images"

    folders = sorted({n.rsplit("(from ", 1)[-1].rstrip(")") for n in notes})
    note += f"; files from {', '.join(folders)}, sha256 of all {len(notes)} verified"

    def feats(a: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(a.reshape(len(a), -1).astype(np.float32) / 255.0)

    return TaskData(
        name="mnist", x_train=feats(tr_x), y_train=torch.from_numpy(tr_y.astype(np.int64)),
        x_test=feats(ev_x), y_test=torch.from_numpy(ev_y.astype(np.int64)), loss="mse", n_classes=10,
        meta={"source": source, "seed": seed, "data_note": note, "verification": notes, "verified": True,
              "data_dirs": folders,
              "train_index": tr_idx.tolist(), "eval_index": ev_idx.tolist()},
    )
