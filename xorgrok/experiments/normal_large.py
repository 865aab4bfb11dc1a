"""Fig. 4(a)'s normal training (width 2048, PyTorch default init) at any p: data streamed, W⁽⁰⁾ streamed with it.

The Gram-space engine needs only G = XXᵀ, the test cross-Gram, P₀ = W⁽⁰⁾Xᵀ, W⁽⁰⁾X_testᵀ and ‖W⁽⁰⁾‖²; after them
nothing depends on p. Here the data are the explicit sampler's own (`data.xor_stream`, bit for bit), the Gram
is the exact integer sign Gram, and W⁽⁰⁾ ~ U(±1/√p) entrywise (PyTorch's nn.Linear default, fan_in = p) is
drawn column block by column block from its own numpy stream and multiplied into P₀ as it goes, so it never
exists whole: exact O(m(n + n_test)p) work, O(m·block) memory. The draws of W⁽⁰⁾ differ from
`init_two_layer`'s torch generator for the same seed (same law; the record's engine string says so); the
second layer a is `init_two_layer`'s own. `streamed_w0` materialises the same W⁽⁰⁾ at small p, for the test
that the streamed set-up equals the dense one.
Memory: O((n + n_test)² + m(n + n_test) + m·block); time O((n + n_test)²p/64) popcounts + O(m(n + n_test)p)
multiply-adds (float64 BLAS, all threads), then O(mn²) per GD step.
"""

from __future__ import annotations

import math
import resource
import time

import numpy as np
import torch
from tqdm.auto import tqdm

from xorgrok.core.seeding import derive, numpy_rng
from xorgrok.data.xor_stream import BLOCK_WORDS, RowSet, gram_from_signs, noise_signs, sign_gram, word_blocks
from xorgrok.experiments.xor import NormalConfig
from xorgrok.models.two_layer import TwoLayerConfig, TwoLayerParams, init_two_layer
from xorgrok.train.gd import GDConfig, Split
from xorgrok.train.gram import GramState, gram_train

W_BLOCK_WORDS = 128  # W⁽⁰⁾ and the ±ε data are dense in one block: 8192 columns keep them at ~0.1 GiB each
ENGINE = "streamed-gram, streamed uniform W0 (PyTorch default law; draws differ from init_two_layer's)"


def _w0_block(seed: int, m: int, p: int, b: int, cols: int) -> np.ndarray:
    """Columns of W⁽⁰⁾ for word block b (or b = -1: the two signal columns), U(±1/√p), float64."""
    rng = numpy_rng(derive(seed, "init"), "two_layer", "W-stream", b + 1)
    return (rng.random((m, cols)) * 2 - 1) / math.sqrt(p)


def streamed_w0(m: int, p: int, seed: int, block_words: int = W_BLOCK_WORDS) -> np.ndarray:
    """The (m, p) W⁽⁰⁾ the streamed engine uses, materialised (small p only: the agreement test)."""
    parts = [_w0_block(seed, m, p, -1, 2)]
    d = p - 2
    for w0, w1 in word_blocks(p, block_words):
        parts.append(_w0_block(seed, m, p, w0 // block_words, min(d, 64 * w1) - 64 * w0))
    return np.concatenate(parts, axis=1)


def streamed_state(cfg: NormalConfig, seed: int, block_words: int = BLOCK_WORDS, workers: int = 1,
                   progress: bool = False, w_block_words: int = W_BLOCK_WORDS,
                   ) -> tuple[GramState, TwoLayerParams, Split, dict[str, float]]:
    """Gram quantities of the Fig. 4(a) run of `seed` at cfg.p, streamed; also a, the labels, timings."""
    t0 = time.perf_counter()
    tr, te = RowSet(cfg.n, derive(seed, "train")), RowSet(cfg.n_test, derive(seed, "test"))
    n, N = cfg.n, cfg.n + cfg.n_test
    nblk = len(list(word_blocks(cfg.p, block_words)))
    bar = tqdm(total=nblk, desc="Gram (popcount)", unit="block", leave=False, disable=not progress)
    M = sign_gram([tr, te], cfg.p, block_words, workers=workers, progress=bar)
    bar.close()
    S = np.concatenate([tr.signal(), te.signal()])
    G_all = gram_from_signs(S, M, cfg.eps)
    t_gram = time.perf_counter() - t0
    W0s = _w0_block(seed, cfg.m, cfg.p, -1, 2)
    P0n = np.zeros((cfg.m, N))
    w0_sq = float((W0s**2).sum())
    d = cfg.p - 2
    bar = tqdm(total=len(list(word_blocks(cfg.p, w_block_words))), desc="W0 X^T (streamed W0)", unit="block",
               leave=False, disable=not progress)
    for w0, w1 in word_blocks(cfg.p, w_block_words):
        cols = min(d, 64 * w1) - 64 * w0
        Wb = _w0_block(seed, cfg.m, cfg.p, w0 // w_block_words, cols)
        w0_sq += float(np.einsum("ij,ij->", Wb, Wb))
        for rows, r0 in ((tr, 0), (te, n)):
            Xb = cfg.eps * noise_signs(rows, cfg.p, w0, w1)  # (rows, cols) ±ε, exact
            P0n[:, r0:r0 + rows.n] += Wb @ Xb.T
        bar.update(1)
    bar.close()
    P0 = W0s @ S.T + P0n
    t = lambda v: torch.as_tensor(np.ascontiguousarray(v), dtype=torch.float64)  # noqa: E731
    st = GramState.from_grams(G=t(G_all[:n, :n]), Gt=t(G_all[:n, n:]), P0=t(P0[:, :n]), P0t=t(P0[:, n:]),
                              Gn=t((cfg.eps**2) * M[:n, :n]), P0n=t(P0n[:, :n]), w0_sq=w0_sq,
                              w0s_sq=float((W0s**2).sum()), W0s=t(W0s), Xs=t(S[:n]))
    a = init_two_layer(TwoLayerConfig(m=cfg.m, init="torch"), 1, derive(seed, "init")).a.double()
    empty = torch.zeros(n, 0, dtype=torch.float64)
    split = Split(empty, t(tr.labels()), torch.zeros(cfg.n_test, 0, dtype=torch.float64), t(te.labels()))
    params = TwoLayerParams(torch.zeros(cfg.m, 0, dtype=torch.float64), a)
    return st, params, split, {"gram_s": t_gram, "p0_s": time.perf_counter() - t0 - t_gram}


def normal_streamed(cfg: NormalConfig, seed: int = 0, block_words: int = BLOCK_WORDS, workers: int = 1,
                    progress: bool = False) -> dict:
    """The Fig. 4(a) run at cfg.p end to end: history, the figure's epochs, time per phase, peak RSS."""
    from xorgrok.experiments.xor_figures.fig4 import epochs_of

    t0, c0 = time.perf_counter(), time.process_time()
    st, params, split, times = streamed_state(cfg, seed, block_words, workers, progress)
    gd = GDConfig(steps=cfg.steps, lr=cfg.lr, weight_decay=cfg.weight_decay, loss="exp", per_decade=cfg.per_decade)
    res = gram_train(params, split, gd, state=st, progress=progress, desc="Fig. 4(a) GD (Gram)")
    h = res.history
    return {"n": cfg.n, "p": cfg.p, "eps": cfg.eps, "m": cfg.m, "steps": cfg.steps, "n_test": cfg.n_test,
            "seed": seed, "engine": ENGINE, "epochs": epochs_of(h), "final_train_acc": h.last("train_acc"),
            "final_test_acc": h.last("test_acc"), "history": h.to_dict(),
            "wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0,
            "times_s": {**times, "gd_s": res.wall_s},
            "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}
