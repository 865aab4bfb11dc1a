"""Xu et al. 2024 on Gaussian XOR: the one run of their GD (App. A.7), used by the Xu figures, the report
and `python -m xorgrok.verify --theorem xu2024`.

`XuConfig` is THE Xu'24 setting (n 200, p 40000, ‖μ‖ = 2.5√(p/n), m 1000, η 0.05, ω_init 1e−15; the large
step α = 1e−12); the verification and the figures take their defaults from `XU_PAPER`. `xu_gd` trains W only
(a fixed ±1/√m), logistic loss, no weight decay, with the core's exact Gram-space engine, and reads W and f on
the test points at the requested snapshot steps; `xu_run` samples the data and the initialisation of one seed
and memoises the run in a `RunCache`. The theorem's measurements on a run are pure functions in
xorgrok.theory.claims.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import torch

from xorgrok.core.errors import InputError
from xorgrok.core.seeding import derive
from xorgrok.data.xor import GaussianData, sample_gaussian_clusters
from xorgrok.experiments.cache import RunCache
from xorgrok.models.two_layer import TwoLayerConfig, TwoLayerParams, init_two_layer
from xorgrok.train.gd import GDConfig, Split
from xorgrok.train.history import History
from xorgrok.train.two_layer import train_two_layer


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


XU_PAPER = XuConfig()
XU_ALPHA_LARGE = 1e-12  # the step size of Xu'24 Fig. 1 (left) and of Theorem 3.1's experiments
XU_ALPHA_SMALL = 1e-16  # Fig. 1 (right)


@dataclasses.dataclass
class XuRun:
    """One Xu'24 GD run."""

    history: History  # train_acc (noisy labels), test_acc (clean labels), losses, norms at the logged steps
    proj: dict[int, np.ndarray]  # step -> (m, 2) matrix [<w_j, μ1>, <w_j, μ2>] at the requested snapshots
    a: np.ndarray  # (m,) fixed second layer
    cluster: np.ndarray  # training clusters (0 = +μ1, 1 = −μ1, 2 = +μ2, 3 = −μ2)
    flipped: np.ndarray  # training label flips
    test_xy: np.ndarray  # (n_test, 2) test points' coordinates <x, μ̂1>, <x, μ̂2>
    test_y: np.ndarray  # clean test labels
    test_cluster: np.ndarray
    test_f: dict[int, np.ndarray]  # step -> f on the test points at the snapshots


def xu_gd(train: GaussianData, test: GaussianData, params0: TwoLayerParams, mu_norm: float, alpha: float,
          steps: int, snapshots: Sequence[int] = (), *, log: str = "log", per_decade: int = 20,
          progress: bool = False) -> XuRun:
    """Xu'24 GD with the Gram-space engine; W's projections on μ1, μ2 and f on the test set at `snapshots`.

    The test labels are the clean ones. Snapshots re-run the same deterministic GD for t steps (the engine
    materialises W only at the end); the curves come from the full run. log: "log" (log-spaced steps,
    `per_decade` a decade) or "every". mu_norm = ‖μ‖ of the data (test_xy = coordinates along μ/‖μ‖).
    """
    for t in snapshots:
        if not 0 <= t <= steps:
            raise InputError(f"snapshot step must be in [0, steps = {steps}], got {t}")
    split = Split(train.x, train.y, test.x, test.y_clean)

    def gd(t: int) -> GDConfig:
        return GDConfig(steps=t, lr=alpha, weight_decay=0.0, loss="logistic", log=log, per_decade=per_decade)

    res = train_two_layer(params0, split, gd(steps), engine="gram", train_a=False, progress=progress)
    mus = torch.stack([train.mu1, train.mu2], 1)  # (p, 2)
    proj, test_f = {}, {}
    for t in snapshots:
        r = res if t == steps else train_two_layer(params0, Split(train.x, train.y, test.x[:0], test.y[:0]),
                                                   gd(t), engine="gram", train_a=False)
        W = r.params["W"]  # type: ignore[index]
        proj[t] = (W.double() @ mus.double()).numpy()
        test_f[t] = (torch.relu(test.x @ W.T) @ params0.a).double().numpy()
    unit = mus / mu_norm
    return XuRun(res.history, proj, params0.a.double().numpy(), train.cluster.numpy(), train.flipped.numpy(),
                 (test.x @ unit).double().numpy(), test.y_clean.double().numpy(), test.cluster.numpy(), test_f)


def xu_run(cfg: XuConfig, seed: int, alpha: float, steps: int, cache: RunCache, snapshots: Sequence[int] = (),
           progress: bool = False) -> XuRun:
    """`xu_gd` on the data and initialisation of `seed` (streams "train", "test", "init"), memoised in `cache`.

    The test set has cfg.n_test points drawn with the same label noise; they are scored on their clean labels.
    μ1, μ2 are the first two axes (Xu'24 does not say where).
    """
    def compute() -> XuRun:
        tr = sample_gaussian_clusters(cfg.n, cfg.p, cfg.mu_norm, cfg.eta, derive(seed, "train"))
        te = sample_gaussian_clusters(cfg.n_test, cfg.p, cfg.mu_norm, cfg.eta, derive(seed, "test"))
        p0 = init_two_layer(TwoLayerConfig(m=cfg.m, init="xu", omega=cfg.omega), cfg.p, derive(seed, "init"))
        return xu_gd(tr, te, p0, cfg.mu_norm, alpha, steps, snapshots, per_decade=cfg.per_decade, progress=progress)

    return cache.get(("xu-run", cfg, seed, alpha, steps, tuple(snapshots)), compute)
