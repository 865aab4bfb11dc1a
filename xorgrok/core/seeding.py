"""One seed drives every random choice: named sub-streams derived from it deterministically.

`derive(seed, "train")` and `derive(seed, "test")` give independent, stable child seeds, so adding a
new random draw somewhere never shifts the others.
"""

from __future__ import annotations

import zlib

import numpy as np
import torch

from xorgrok.core.errors import check_int


def derive(seed: int, *keys: str | int) -> int:
    """A 63-bit child seed of `seed` for the stream named by `keys` (stable across runs and versions)."""
    seed = check_int("seed", seed, lo=0)
    words = [seed & 0xFFFFFFFF, seed >> 32] + [
        zlib.crc32(k.encode()) if isinstance(k, str) else int(k) & 0xFFFFFFFF for k in keys
    ]
    return int(np.random.SeedSequence(words).generate_state(2, dtype=np.uint32).astype(np.uint64) @ [1, 2**32]) >> 1


def numpy_rng(seed: int, *keys: str | int) -> np.random.Generator:
    return np.random.default_rng(derive(seed, *keys))


def torch_gen(seed: int, *keys: str | int, device: str | torch.device = "cpu") -> torch.Generator:
    g = torch.Generator(device=device)
    g.manual_seed(derive(seed, *keys))
    return g
