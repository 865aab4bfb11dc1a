"""One seed drives every random choice: named sub-streams derived from it deterministically.

`derive(seed, "train")` and `derive(seed, "test")` give independent, stable child seeds, so adding a
new random draw somewhere never shifts the others. Every stream name the package uses is listed in
`STREAMS` (first key of a `derive` / `numpy_rng` / `torch_gen` call); a test walks the source and fails on
a name that is not listed, and another checks that no two listed streams of one seed coincide.
"""

from __future__ import annotations

import zlib
from types import MappingProxyType

import numpy as np
import torch

from xorgrok.core.errors import check_int

# name -> what it draws. Read-only: a new random choice adds its name here.
STREAMS = MappingProxyType({
    # XOR cluster data and the two-layer / target networks
    "train": "training sample of a task drawn from a distribution",
    "test": "test sample of a task drawn from a distribution",
    "eval": "fresh evaluation sample (weak model)",
    "init": "two-layer network initialisation (XOR weak model)",
    "target": "XOR target network initialisation",
    "transfer-eval": "fresh evaluation sample of the XOR target",
    "fresh-train": "a fresh training sample of the same size (XOR case study)",
    "hypercube": "XOR hypercube sampler (signal, noise sub-streams)",
    "gaussian": "Gaussian XOR cluster sampler (means, labels, noise sub-streams)",
    "two_layer": "two-layer network parameter draws",
    "ladder-scatter": "points projected for the Fig. 10 scatter",
    "fig5a": "points projected for the Fig. 5(a) scatter",
    "verify": "the verification checks (own sub-streams)",
    "xu_bartlett": "Xu'24 dimension-free sample: labels, signal components, Bartlett factor (sub-streams)",
    "xu_noise": "fresh test noise of the dimension-free Xu'24 simulator",
    "pfree": "p-free Gaussian initial projections P0 given the Gram matrix",
    "synthetic-u": "synthetic U = [S; delta]: feature ordering and noise block (sweep gt-synthetic)",
    "delta": "the noise block delta of a synthetic U (one sweep task)",
    "weak": "seed of the weak net of one sweep task (gt-onestep)",
    "xu-task": "data, initialisation and test points of one Xu'24 sweep task (xu-literal)",
    "target-train": "fresh training sample of the target in one sweep task (gt-onestep)",
    "transfer": "seed of the target f_L of one sweep task (gt-onestep)",
    "data": "training sample of one verification run (child of a 'verify' stream)",
    # beyond XOR: modular arithmetic, parity, MNIST, embeddings, FNN / MLP / Transformer, GrokTransfer
    "modular-split": "permutation of the p^2 pairs into train / test",
    "parity-train": "(q,k)-parity training inputs",
    "parity-test": "(q,k)-parity test inputs",
    "mnist-split": "MNIST subsets: permutation of the test images (test-split source)",
    "mnist-train": "MNIST training subset of the 60k images (standard source)",
    "mnist-eval": "MNIST evaluation subset of the 10k test images (standard source)",
    "fnn-init": "FNN initialisation when no role is named",
    "fnn-weak": "weak FNN initialisation (embedding, then body)",
    "fnn-target": "target FNN initialisation (embedding, then body)",
    "mlp-init": "MNIST MLP initialisation when no role is named",
    "mnist-weak": "weak MNIST MLP initialisation",
    "mnist-target": "target MNIST MLP initialisation",
    "mnist-random-A": "random A of the MNIST random-A·B control (no transfer)",
    "transformer": "Transformer target initialisation",
    "transfer-B": "B of E_T = A·B (GrokTransfer and the random A·B ablation share it)",
    "random-ab-A": "A of the random A·B ablation (Fig. 15(a))",
    "embedding-fnn": "FNN of the embedding study",
    "ntk-eval": "evaluation subset of the embedding study",
    "probe": "probe inputs of the pseudo-NTK",
})


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
