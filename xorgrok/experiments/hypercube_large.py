"""GrokTransfer's XOR chain at any p: streamed exact Gram -> weak net in Gram space -> U in blocks -> f_L one
step -> fresh test points projected block by block. The n×p data matrix never exists.

Same data as the explicit chain (`experiments.xor.train_weak` + `transfer`) for the same seed, bit for bit
(`data.xor_stream`). The weak net's initialisation is the explicit engine's own (`init_two_layer`, m = 3, so
W⁽⁰⁾ is 3×p numbers); `init="pfree"` instead samples W⁽⁰⁾Xᵀ given the Gram (`train.gram_init`), exact in law,
which forms no U (W⁽⁰⁾ is never drawn) and so stops after the weak net. Memory: O(n² + n·block + p·k) numbers
(U and W⁽⁰⁾ are p×3); time: O(n²p/64) word operations for the Gram, O((n + n_fresh)·p/8) table look-ups.

The weak net's learning rate: GD on the exp loss is stable only while lr·‖x‖² stays bounded, and
‖x‖² = 2 + ε²(p − 2) grows with p, so the paper's lr 0.1 (set at p = 80,000, ε = 0.05, where lr·ε²p = 20)
diverges at p = 10⁷, ε = 0.05. Measured at n = 400 (seed 0, 2000 steps): finite at lr·ε²p = 225, 250 and 495,
diverged at 500 and 750. The rule (`weak_lr` = None): lr = min(0.1, 200 / (ε²p)), i.e. the paper's 0.1
wherever ε²p ≤ 2000 (the paper setting unchanged) and lr·ε²p held at 200 above it, a factor 2.5 below the
smallest divergent value seen. The record states the lr. (An earlier rule held lr·ε²p at 20; at p = 10⁷,
ε = 0.015 its 10× smaller step left the weak net at 0.45 fresh accuracy where lr 0.1 reaches 0.76.)
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import torch
from tqdm.auto import tqdm

from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError, check_choice, check_float, check_int
from xorgrok.core.seeding import derive
from xorgrok.data.xor_stream import (
    BLOCK_WORDS,
    RowSet,
    gram_from_signs,
    project_rows,
    rows_transpose_times,
    sign_gram,
    word_blocks,
)
from xorgrok.models.target import TargetConfig, eq4_update, init_target, target_forward_z
from xorgrok.models.two_layer import TwoLayerConfig, TwoLayerParams, init_two_layer
from xorgrok.theory.target_form import a5_width as default_target_width
from xorgrok.train.gd import GDConfig, Split
from xorgrok.train.gram import GramState, gram_train
from xorgrok.train.gram_init import gaussian_projections

INITS = ("explicit", "pfree")
NORMALIZE = ("none", "signal")


@dataclasses.dataclass(frozen=True)
class LargeChainConfig:
    n: int = 400
    p: int = 10**7
    eps: float = 0.05
    weak_steps: int = 2000
    n_fresh: int = 10_000
    m_target: int | None = None  # None: ceil(2 ln^3 n), (A5) in natural log
    v_init: float = 0.4
    alpha: float = 2.0
    seed: int = 0
    init: str = "explicit"
    block_words: int = BLOCK_WORDS
    device: str = "auto"
    weak_lr: float | None = None  # None: the rule min(0.1, 200 / (eps^2 p)) (module docstring)
    weak_w_std: float = 0.1  # the weak net's Gaussian init scale (the paper's 0.1)
    workers: int = 1  # threads for the streamed passes (numpy kernels release the GIL)
    normalize: str = "none"  # "signal": U's columns scaled to signal norm sqrt 2 before f_L (as TransferConfig)
    progress: bool = False

    def __post_init__(self) -> None:
        check_int("n", self.n, lo=1)
        check_int("p", self.p, lo=3)
        check_float("eps", self.eps, 0.0, lo_open=True)
        check_int("weak_steps", self.weak_steps, lo=1)
        check_int("n_fresh", self.n_fresh, lo=1)
        check_choice("init", self.init, INITS)
        check_choice("normalize", self.normalize, NORMALIZE)
        check_int("workers", self.workers, lo=1)
        check_float("weak_w_std", self.weak_w_std, 0.0, lo_open=True)
        if self.weak_lr is not None:
            check_float("weak_lr", self.weak_lr, 0.0, lo_open=True)

    @property
    def lr(self) -> float:
        return self.weak_lr if self.weak_lr is not None else weak_lr_rule(self.p, self.eps)


PAPER_LR = 0.1  # the paper's weak-net lr, at p = 80,000, eps = 0.05 (lr * eps^2 p = 20)
LR_EPS2P_CAP = 200.0  # lr * eps^2 p above which the rule lowers lr (module docstring: the measured edge is ~500)
LR_RULE = ("lr = min(0.1, 200 / (eps^2 p)): the paper's 0.1 wherever eps^2 p <= 2000 (the paper's p = 80,000, "
           "eps = 0.05 included), lr * eps^2 p = 200 above")


def weak_lr_rule(p: int, eps: float) -> float:
    """The weak net's lr at dimension p: the paper's 0.1 where eps²p ≤ 2000, else 200 / (eps²p)."""
    eps2p = eps * eps * p
    if eps2p <= (LR_EPS2P_CAP / PAPER_LR) * (1 + 1e-9):
        return PAPER_LR
    return LR_EPS2P_CAP / eps2p


@dataclasses.dataclass
class WeakState:
    """The weak net trained in Gram space on the streamed training set."""

    rows: RowSet
    G: np.ndarray
    M: np.ndarray  # int64 sign Gram
    W0: torch.Tensor | None  # (3, p) when init = "explicit"
    a: torch.Tensor
    P0: np.ndarray  # (3, n) = W⁽⁰⁾Xᵀ
    c: float
    C: torch.Tensor  # W⁽ᵀ⁾ = c W⁽⁰⁾ + C X
    history: dict
    train_logits: list[torch.Tensor]
    engine: str
    times: dict[str, float]


def _weak_gd(lr: float = PAPER_LR) -> GDConfig:
    return GDConfig(lr=lr, weight_decay=0.1, loss="exp", log="log")


def _bar(cfg: LargeChainConfig, desc: str, total: int) -> tqdm | None:
    return tqdm(total=total, desc=desc, unit="block", leave=False) if cfg.progress else None


def _close(bar: tqdm | None) -> None:
    if bar is not None:
        bar.close()


def train_weak_streamed(cfg: LargeChainConfig, keep_logits: bool = False) -> WeakState:
    dev = pick_device(cfg.device)
    t0, c0 = time.perf_counter(), time.process_time()
    rows = RowSet(cfg.n, derive(cfg.seed, "train"))  # the explicit weak net's training seed
    nblk = len(list(word_blocks(cfg.p, cfg.block_words)))
    bar = _bar(cfg, "Gram (popcount)", nblk)
    M = sign_gram([rows], cfg.p, cfg.block_words, workers=cfg.workers, progress=bar)
    _close(bar)
    S = rows.signal()
    G = gram_from_signs(S, M, cfg.eps)
    t_gram, c_gram = time.perf_counter() - t0, time.process_time() - c0
    tl = TwoLayerConfig(m=3, init="gaussian", w_std=cfg.weak_w_std, a_std=0.01)
    if cfg.init == "explicit":
        par = init_two_layer(tl, cfg.p, derive(cfg.seed, "init"))  # float32, as the explicit engine draws it
        W0 = par.W.double()
        W0n = W0[:, 2:].numpy()
        Wpad = np.zeros((cfg.p, 3))
        Wpad[2:] = W0n.T
        bar = _bar(cfg, "W0 X^T", nblk)
        P0n = project_rows(rows, cfg.p, cfg.eps, Wpad, cfg.block_words, workers=cfg.workers, progress=bar).T
        _close(bar)
        W0s = W0[:, :2].numpy()
        w0_sq = float((W0 * W0).sum())
        a = par.a.double()
        engine = "streamed-gram, explicit W0 (same draws as the explicit engine)"
    else:
        pf = gaussian_projections((cfg.eps**2) * M.astype(np.float64), S, 3, tl.w_std, cfg.p,
                                  derive(cfg.seed, "init"))
        P0n, W0s, w0_sq = pf.P0n, pf.W0s, pf.w0_sq
        W0 = None
        a = init_two_layer(dataclasses.replace(tl), 3, derive(cfg.seed, "init")).a.double()
        engine = f"streamed-gram, {pf.engine} (exact in law; draws differ from the explicit engine's)"
    t_p0, c_p0 = time.perf_counter() - t0 - t_gram, time.process_time() - c0 - c_gram
    t = lambda v: torch.as_tensor(np.ascontiguousarray(v), dtype=torch.float64, device=dev)  # noqa: E731
    P0 = W0s @ S.T + P0n
    st = GramState.from_grams(G=t(G), Gt=t(np.zeros((cfg.n, 0))), P0=t(P0), P0t=t(np.zeros((3, 0))),
                              Gn=t((cfg.eps**2) * M), P0n=t(P0n), w0_sq=w0_sq, w0s_sq=float((W0s**2).sum()),
                              W0s=t(W0s), Xs=t(S))
    y = t(rows.labels())
    empty = torch.zeros(cfg.n, 0, dtype=torch.float64, device=dev)
    gd = dataclasses.replace(_weak_gd(cfg.lr), steps=cfg.weak_steps, keep_train_logits=keep_logits)
    res = gram_train(TwoLayerParams(empty[:3], a.to(dev)), Split(empty, y, empty[:0], y[:0]), gd,
                     train_a=True, state=st, progress=cfg.progress, desc="weak net GD (Gram)")
    assert st.final is not None
    c, C, a_fin = st.final
    c_gd = time.process_time() - c0 - c_gram - c_p0
    return WeakState(rows, G, M, W0, a_fin, P0, c, C, res.history.to_dict(), res.train_logits, engine,
                     {"gram_s": t_gram, "p0_s": t_p0, "weak_gd_s": res.wall_s,
                      "cpu_gram_s": c_gram, "cpu_p0_s": c_p0, "cpu_weak_gd_s": c_gd})


def form_U(cfg: LargeChainConfig, w: WeakState) -> np.ndarray:
    """U = W⁽ᵀ⁾ᵀ = c W⁽⁰⁾ᵀ + XᵀCᵀ, (p, 3) float64, formed once in column blocks."""
    if w.W0 is None:
        raise ValueError("the p-free initialisation draws no W0, so U cannot be formed; use init='explicit'")
    bar = _bar(cfg, "U = W^T", len(list(word_blocks(cfg.p, cfg.block_words))))
    U = rows_transpose_times(w.rows, cfg.p, cfg.eps, w.C.T.cpu().numpy(), cfg.block_words, progress=bar)
    _close(bar)
    U += w.c * w.W0.T.numpy()
    return U


def embed_training_set(cfg: LargeChainConfig, w: WeakState, U: np.ndarray) -> tuple[np.ndarray, torch.Tensor]:
    """(U, z = X U) for the weak net's training set, exact and with no pass over the data (X U = c P0ᵀ + G Cᵀ);
    with normalize = "signal" U's column j is scaled by sqrt2/||U_{1:2,j}|| (in place) and z with it."""
    z = torch.from_numpy(w.G) @ w.C.T.cpu() + w.c * torch.from_numpy(w.P0.T)
    if cfg.normalize == "signal":
        s = np.linalg.norm(U[:2], axis=0)
        if (s == 0).any():
            raise InputError("a column of U has a zero signal part; it cannot be normalised")
        U *= math.sqrt(2) / s
        z = z * torch.from_numpy(math.sqrt(2) / s)
    return U, z


def chain(cfg: LargeChainConfig) -> dict:
    """The whole chain at cfg.p; returns the figures (accuracies, times, sizes). U is (p, 3) in memory."""
    t0 = time.perf_counter()
    w = train_weak_streamed(cfg)
    t1, c1 = time.perf_counter(), time.process_time()
    U = form_U(cfg, w)
    t2, c2 = time.perf_counter(), time.process_time()
    dev = w.C.device
    Ut = torch.from_numpy(U)
    m = cfg.m_target if cfg.m_target is not None else default_target_width(cfg.n)
    tp = init_target(Ut[:0], TargetConfig(m=m, v_init=cfg.v_init), derive(cfg.seed, "target"))  # a, V only
    U, z = embed_training_set(cfg, w, U)
    y = torch.from_numpy(w.rows.labels())
    V1 = eq4_update(tp.V, tp.a, z, y, cfg.alpha)
    train_acc = float((torch.sign(target_forward_z(V1, tp.a, z)) == y).double().mean())
    t3, c3 = time.perf_counter(), time.process_time()
    fresh = RowSet(cfg.n_fresh, derive(cfg.seed, "transfer-eval"))
    bar = _bar(cfg, "fresh X U", len(list(word_blocks(cfg.p, cfg.block_words))))
    zf = torch.from_numpy(project_rows(fresh, cfg.p, cfg.eps, U, cfg.block_words, workers=cfg.workers,
                                       progress=bar))
    _close(bar)
    yf = torch.from_numpy(fresh.labels())
    test_acc = float((torch.sign(target_forward_z(V1, tp.a, zf)) == yf).double().mean())
    weak_test = float((torch.sign(torch.relu(zf) @ w.a.cpu()) == yf).double().mean())
    t4, c4 = time.perf_counter(), time.process_time()
    hist = w.history
    finite = bool(torch.isfinite(w.C).all()) and math.isfinite(w.c) and bool(np.isfinite(U).all())
    return {"weak_finite": finite,  # False: the weak net's GD diverged (the accuracies below are then meaningless)
            "n": cfg.n, "p": cfg.p, "eps": cfg.eps, "m_weak": 3, "m_target": m, "steps": cfg.weak_steps,
            "n_fresh": cfg.n_fresh, "seed": cfg.seed, "engine": w.engine, "device": str(dev),
            "weak_lr": cfg.lr, "weak_w_std": cfg.weak_w_std,
            "weak_lr_rule": LR_RULE if cfg.weak_lr is None else "given",
            "workers": cfg.workers, "normalize": cfg.normalize,
            "weak_train_acc": hist["train_acc"][-1],
            "weak_fresh_acc": weak_test, "target_train_acc": train_acc, "target_fresh_acc": test_acc,
            "wall_s": t4 - t0, "times_s": {**w.times, "U_s": t2 - t1, "target_step_s": t3 - t2,
                                            "fresh_projection_s": t4 - t3},
            # CPU seconds per stage, all threads of this process (wall times inflate on a shared machine)
            "cpu_times_s": {k: v for k, v in w.times.items() if k.startswith("cpu_")}
            | {"cpu_U_s": c2 - c1, "cpu_target_step_s": c3 - c2, "cpu_fresh_projection_s": c4 - c3}}




def engine_agreement(n: int = 400, p: int = 80_000, eps: float = 0.05, steps: int = 2000, seed: int = 0) -> dict:
    """Streamed against explicit at a p where both run: data and G bit for bit, weak-net trajectories.

    The explicit side is the core's own route (sample_hypercube, init_two_layer, GramState from the dense
    matrix), run in float64 so that the comparison measures the engines and not float32 rounding.
    """
    from xorgrok.data.xor import sample_hypercube
    from xorgrok.data.xor_stream import gram_of_explicit

    cfg = LargeChainConfig(n=n, p=p, eps=eps, weak_steps=steps, seed=seed, device="cpu")
    w = train_weak_streamed(cfg, keep_logits=True)
    tr = sample_hypercube(n, p, eps, derive(seed, "train"), dtype=torch.float64)
    X = tr.x.numpy()
    data_equal = bool(np.array_equal(np.where(X[:, 2:] > 0, 1, -1), _signs_streamed(w.rows, p))
                      and np.array_equal(X[:, :2], w.rows.signal()))
    gram_equal = bool(np.array_equal(gram_of_explicit(X, eps), w.G))
    par = init_two_layer(TwoLayerConfig(m=3, init="gaussian", w_std=0.1, a_std=0.01), p, derive(seed, "init"))
    gd = dataclasses.replace(_weak_gd(cfg.lr), steps=steps, keep_train_logits=True)
    res = gram_train(TwoLayerParams(par.W.double(), par.a.double()),
                     Split(tr.x, tr.y, tr.x[:0], tr.y[:0]), gd)
    diffs = [float((a - b).abs().max() / b.abs().max().clamp_min(1e-300))
             for a, b in zip(w.train_logits, res.train_logits)]
    assert res.params is not None
    U = form_U(cfg, w)
    U_ex = res.params["W"].T.numpy()
    return {"n": n, "p": p, "steps": steps, "data_bitwise_equal": data_equal, "gram_bitwise_equal": gram_equal,
            "trajectory_max_rel_logit_diff": max(diffs), "U_max_rel_diff": float(np.abs(U - U_ex).max()
                                                                                  / np.abs(U_ex).max()),
            "same_train_acc_curve": w.history["train_acc"] == res.history.to_dict()["train_acc"]}


def _signs_streamed(rows: RowSet, p: int) -> np.ndarray:
    from xorgrok.data.xor_stream import n_words, noise_signs

    return noise_signs(rows, p, 0, n_words(p)).astype(np.int64)
