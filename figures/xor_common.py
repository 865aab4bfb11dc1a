"""Shared pieces of the XOR figures (GrokTransfer §3, App. A.3.2/A.4.2; Xu et al. 2024 App. A.7).

- settings: every figure has a FULL (paper's setting) and a QUICK setting dataclass; `pick_setting` chooses
  one and applies size overrides (`ctx.extra["overrides"]`, used by the tests to shrink runs further);
- cached runs: weak nets, normal training and Xu'24 runs are memoised by their full configuration, so
  `python -m figures all` and `python -m xorgrok.report` train each configuration once per process;
- `target_curve`: the target f_L of §3.3 trained on an embedding with its test accuracy tracked on fresh
  points at every logged step (the same init and the same fresh points as `casestudy.transfer`, so its
  step-1 numbers are the case study's; tested).
Nothing here trains by a new rule: all training goes through the core engines (xorgrok.train).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np
import torch
from tqdm.auto import tqdm

from figures.registry import FigureContext
from xorgrok.core.errors import InputError
from xorgrok.core.seeding import derive
from xorgrok.data.xor import HypercubeData, project_hypercube, sample_gaussian_clusters, sample_hypercube
from xorgrok.experiments.xor import (
    TransferConfig,
    WeakConfig,
    WeakResult,
    default_target_width,
    normalize_signal,
    train_weak,
)
from xorgrok.models.target import TargetConfig, init_target, target_forward_z
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer
from xorgrok.train.gd import GDConfig, Split, gd_train
from xorgrok.train.history import History
from xorgrok.train.two_layer import train_two_layer

S = TypeVar("S")


# ------------------------------------------------------------------ settings and seeds
def pick_setting(ctx: FigureContext, full: S, quick: S) -> S:
    """FULL or QUICK by ctx.quick, then `ctx.extra["overrides"]` (a dict of field -> value) applied."""
    base = quick if ctx.quick else full
    over = dict(ctx.extra.get("overrides") or {})
    names = {f.name for f in dataclasses.fields(base)}  # type: ignore[arg-type]
    over = {k: v for k, v in over.items() if k in names}  # one overrides dict may serve several figures
    return dataclasses.replace(base, **over)  # type: ignore[type-var]


def seeds_for(ctx: FigureContext, full: int = 5, quick: int = 2) -> list[int]:
    k = ctx.n_seeds if ctx.n_seeds is not None else (quick if ctx.quick else full)
    if k < 1:
        raise InputError(f"--seeds must be an integer >= 1, got {k}")
    return list(range(ctx.seed, ctx.seed + k))


def finite(x: Sequence[float] | np.ndarray) -> bool:
    return bool(np.all(np.isfinite(np.asarray(x, dtype=float))))


def curves(hists: Sequence[History], key: str) -> tuple[list[int], list[list[float]]]:
    """Steps (shared) and one curve per seed of metric `key`; all histories must log the same steps."""
    steps = hists[0].steps
    for h in hists[1:]:
        if h.steps != steps:
            raise ValueError("histories log different steps; run them with the same GDConfig")
    return list(steps), [list(map(float, h[key])) for h in hists]


def shifted(steps: Sequence[int]) -> list[int]:
    """Steps + 1 for a log-x axis (style.epochs_axis(shift=True))."""
    return [s + 1 for s in steps]


# ------------------------------------------------------------------ cached weak nets
_WEAK: dict[tuple, WeakResult] = {}


def weak(cfg: WeakConfig, progress: bool = False) -> WeakResult:
    """casestudy.train_weak, memoised by the whole config (the weak nets are shared by several figures)."""
    key = dataclasses.astuple(cfg)
    if key not in _WEAK:
        _WEAK[key] = train_weak(cfg, progress=progress)
    return _WEAK[key]


def weak_seeds(cfg: WeakConfig, seeds: Sequence[int], progress: bool, desc: str) -> list[WeakResult]:
    return [weak(dataclasses.replace(cfg, seed=s))
            for s in tqdm(seeds, desc=desc, disable=not progress, leave=False)]


def clear_cache() -> None:
    """Forget every memoised run (tests use it to keep memory low)."""
    _WEAK.clear()
    _NORMAL.clear()
    _XU.clear()


# ------------------------------------------------------------------ the target f_L with a test curve
@dataclasses.dataclass
class TargetCurve:
    history: History  # train_acc/train_loss on the n training points, test_acc/test_loss on fresh points
    m: int
    n_eval: int
    diverged_at: int | None = None  # first logged step with a non-finite training loss (GD blew up)


def target_curve(U: torch.Tensor, train: HypercubeData, cfg: TransferConfig, log: str = "log",
                 progress: bool = False) -> TargetCurve:
    """f_L(x) = Σ a_j φ(<v_j, Uᵀx>) (§3.3) trained by GD on V; test accuracy on cfg.n_eval fresh points.

    Same target initialisation and same fresh points as `casestudy.transfer(U, train, cfg)`, so the step-1
    and last-step test accuracies agree with it (tests/integration/test_figures_xor.py).
    """
    n = train.n
    m = cfg.m if cfg.m is not None else default_target_width(n)
    if cfg.normalize == "signal":
        U = normalize_signal(U)
    tp = init_target(U, TargetConfig(m=m, v_init=cfg.v_init), derive(cfg.seed, "target"))
    z = train.x @ tp.U
    ev = project_hypercube(tp.U, cfg.n_eval, train.eps, derive(cfg.seed, "transfer-eval"))
    res = gd_train(lambda P, zz: target_forward_z(P["V"], P["a"], zz), {"V": tp.V, "a": tp.a}, ["V"],
                   Split(z, train.y, ev.z, ev.y),
                   GDConfig(steps=cfg.steps, lr=cfg.alpha, weight_decay=0.0, loss="exp", log=log),
                   progress=progress, desc="f_L (GD on V)")
    bad = [st for st, v in zip(res.history.steps, res.history["train_loss"]) if not math.isfinite(v)]
    # after a blow-up f is inf/NaN, sign(f) matches no label and the accuracies read 0: say so, don't hide it
    return TargetCurve(res.history, m, cfg.n_eval, bad[0] if bad else None)


# ------------------------------------------------------------------ normal training (Fig. 4a)
@dataclasses.dataclass(frozen=True)
class NormalConfig:
    """Fig. 4(a): width-2048 two-layer net, PyTorch default init, full-batch GD lr 0.1, wd 0.1, exp loss."""

    n: int = 400
    p: int = 80_000
    eps: float = 0.05
    m: int = 2048
    lr: float = 0.1
    weight_decay: float = 0.1
    steps: int = 1000
    n_test: int = 1000
    per_decade: int = 30


_NORMAL: dict[tuple, History] = {}


def normal_run(cfg: NormalConfig, seed: int, progress: bool = False) -> History:
    """One normal-training run (both layers, Gram-space engine, exact), memoised."""
    key = (*dataclasses.astuple(cfg), seed)
    if key not in _NORMAL:
        tr = sample_hypercube(cfg.n, cfg.p, cfg.eps, derive(seed, "train"))
        te = sample_hypercube(cfg.n_test, cfg.p, cfg.eps, derive(seed, "test"))
        p0 = init_two_layer(TwoLayerConfig(m=cfg.m, init="torch"), cfg.p, derive(seed, "init"))
        gd = GDConfig(steps=cfg.steps, lr=cfg.lr, weight_decay=cfg.weight_decay, loss="exp",
                      per_decade=cfg.per_decade)
        res = train_two_layer(p0, Split(tr.x, tr.y, te.x, te.y), gd, engine="gram", progress=progress)
        del tr, te, p0, res.params
        _NORMAL[key] = res.history
    return _NORMAL[key]


# ------------------------------------------------------------------ Xu et al. 2024 (Gaussian XOR)
@dataclasses.dataclass(frozen=True)
class XuConfig:
    """Xu et al. 2024 App. A.7: p 40000, n 200, ‖μ‖ = 2.5√(p/n), m 1000, η 0.05, ω_init 1e−15, logistic loss,
    GD on W only (a fixed ±1/√m), no weight decay. α = 1e−12 (large step) or 1e−16 (small step)."""

    n: int = 200
    p: int = 40_000
    mu_scale: float = 2.5  # ‖μ‖ = mu_scale √(p/n)
    m: int = 1000
    eta: float = 0.05
    omega: float = 1e-15
    n_test: int = 500  # fresh test points, scored against CLEAN labels (the theorem's test error)
    per_decade: int = 20

    @property
    def mu_norm(self) -> float:
        return self.mu_scale * math.sqrt(self.p / self.n)


@dataclasses.dataclass
class XuRun:
    history: History  # train_acc (noisy labels), test_acc (clean labels) at log-spaced steps
    proj: dict[int, np.ndarray]  # step -> (m, 2) matrix [<w_j, μ1>, <w_j, μ2>] at the requested snapshots
    a: np.ndarray  # (m,) fixed second layer
    cluster: np.ndarray  # training clusters (0 = +μ1, 1 = −μ1, 2 = +μ2, 3 = −μ2)
    flipped: np.ndarray  # training label flips
    test_xy: np.ndarray  # (n_test, 2) test points' coordinates <x, μ̂1>, <x, μ̂2>
    test_y: np.ndarray  # clean test labels
    test_cluster: np.ndarray
    test_f: dict[int, np.ndarray]  # step -> f on the test points at the snapshots


_XU: dict[tuple, XuRun] = {}


def xu_run(cfg: XuConfig, seed: int, alpha: float, steps: int, snapshots: Sequence[int] = (),
           progress: bool = False) -> XuRun:
    """Xu'24 GD with the Gram-space engine; W's projections on μ1, μ2 and f on the test set at `snapshots`.

    Snapshots re-run the same deterministic GD for t steps (the engine materialises W only at the end);
    the test curve comes from the full run. μ1, μ2 are the first two axes (Xu'24 does not say where).
    """
    key = (*dataclasses.astuple(cfg), seed, alpha, steps, tuple(snapshots))
    if key in _XU:
        return _XU[key]
    tr = sample_gaussian_clusters(cfg.n, cfg.p, cfg.mu_norm, cfg.eta, derive(seed, "train"))
    te = sample_gaussian_clusters(cfg.n_test, cfg.p, cfg.mu_norm, cfg.eta, derive(seed, "test"))
    p0 = init_two_layer(TwoLayerConfig(m=cfg.m, init="xu", omega=cfg.omega), cfg.p, derive(seed, "init"))
    split = Split(tr.x, tr.y, te.x, te.y_clean)

    def gd(t: int) -> GDConfig:
        return GDConfig(steps=t, lr=alpha, weight_decay=0.0, loss="logistic", per_decade=cfg.per_decade)

    res = train_two_layer(p0, split, gd(steps), engine="gram", train_a=False, progress=progress)
    mus = torch.stack([tr.mu1, tr.mu2], 1)  # (p, 2)
    proj, test_f = {}, {}
    for t in snapshots:
        if t > steps:
            raise InputError(f"snapshot step must be <= steps ({steps}), got {t}")
        r = res if t == steps else train_two_layer(p0, Split(tr.x, tr.y, te.x[:0], te.y[:0]), gd(t),
                                                   engine="gram", train_a=False)
        W = r.params["W"]  # type: ignore[index]
        proj[t] = (W.double() @ mus.double()).numpy()
        test_f[t] = (torch.relu(te.x @ W.T) @ p0.a).double().numpy()
    unit = mus / cfg.mu_norm
    out = XuRun(res.history, proj, p0.a.double().numpy(), tr.cluster.numpy(), tr.flipped.numpy(),
                (te.x @ unit).double().numpy(), te.y_clean.double().numpy(), te.cluster.numpy(), test_f)
    _XU[key] = out
    return out


def jsonable_setting(s: Any) -> dict[str, Any]:
    d = dataclasses.asdict(s)
    if isinstance(s, XuConfig):
        d["mu_norm"] = s.mu_norm
    return d
