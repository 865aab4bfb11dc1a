"""Xu et al. 2024 Figs. 1-3 (App. A.7) on Gaussian XOR: train/test accuracy over runs for a large and a
small step (Fig. 1), the decision boundary on span(μ1, μ2) at t = 0, 1, 15 (Fig. 2), and histograms of the
positive neurons' projections on μ1, μ2 (Fig. 3). The three figures share the same runs."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from xorgrok.experiments.cache import RunCache
from xorgrok.experiments.xor_figures.common import curves
from xorgrok.experiments.xu import XU_ALPHA_LARGE, XU_ALPHA_SMALL, XuConfig, XuRun, xu_run
from xorgrok.train.history import first_step_reaching

GRID = 121  # Fig. 2's boundary grid, per axis


@dataclasses.dataclass(frozen=True)
class XuFigSetting(XuConfig):
    """The Xu'24 setting (XuConfig's fields and defaults) plus the two step sizes and the snapshots."""

    alpha_large: float = XU_ALPHA_LARGE
    steps_large: int = 100
    alpha_small: float = XU_ALPHA_SMALL
    steps_small: int = 5000  # Xu'24 gives no step count; at seed 0 the fit is at ~100, test >= 0.99 by ~3000
    snapshots: tuple[int, ...] = (0, 1, 15)  # Fig. 2's t = 0, 1, 15; Fig. 3 adds the last step

    def config(self) -> XuConfig:
        return XuConfig(**{f.name: getattr(self, f.name) for f in dataclasses.fields(XuConfig)})


FULL = XuFigSetting()
QUICK = XuFigSetting(n=100, p=4000, m=200, n_test=200, steps_large=50, steps_small=2000)


def xu_runs(s: XuFigSetting, seeds: list[int], cache: RunCache, progress: bool = False,
            small: bool = False) -> list[XuRun]:
    """Large-step runs (with the snapshots) or small-step runs, one per seed, memoised."""
    alpha, steps = (s.alpha_small, s.steps_small) if small else (s.alpha_large, s.steps_large)
    snaps = () if small else tuple(sorted({t for t in s.snapshots if t <= steps} | {steps}))
    return [xu_run(s.config(), sd, alpha, steps, cache, snaps)
            for sd in tqdm(seeds, desc=f"Xu'24 runs, alpha={alpha:g}", disable=not progress, leave=False)]


def compute_fig1(s: XuFigSetting, seeds: list[int], cache: RunCache, progress: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"setting": dataclasses.asdict(s), "seeds": seeds, "mu_norm": s.mu_norm}
    for name, small in (("large", False), ("small", True)):
        runs = xu_runs(s, seeds, cache, progress, small)
        st, tr = curves([r.history for r in runs], "train_acc")
        _, te = curves([r.history for r in runs], "test_acc")
        out[name] = {"alpha": s.alpha_small if small else s.alpha_large, "steps": st, "train_acc": tr,
                     "test_acc": te,
                     "first_fit": [first_step_reaching(r.history, "train_acc", 1.0) for r in runs],
                     "first_test_0.9": [first_step_reaching(r.history, "test_acc", 0.9) for r in runs]}
    return out


def compute_fig2(s: XuFigSetting, seeds: list[int], cache: RunCache, progress: bool = False) -> dict[str, Any]:
    r = xu_runs(s, seeds[:1], cache, progress)[0]
    mu = s.mu_norm
    lim = 1.6 * mu
    g = np.linspace(-lim, lim, GRID)
    U, V = np.meshgrid(g, g)
    pts = np.stack([U.ravel(), V.ravel()], 1)  # coordinates along (μ̂1, μ̂2)
    snaps = {}
    for t, P in sorted(r.proj.items()):
        if t not in s.snapshots:
            continue
        Wp = P / mu  # (m, 2) projections on the unit vectors
        f = np.maximum(pts @ Wp.T, 0) @ r.a
        acc = float(np.mean(np.sign(r.test_f[t]) == r.test_y))
        snaps[str(t)] = {"f_plane": f.reshape(GRID, GRID).tolist(), "test_acc": acc, "w_proj": Wp.tolist()}
    return {"setting": dataclasses.asdict(s), "seeds": seeds[:1], "mu_norm": mu, "grid": g.tolist(),
            "test_xy": r.test_xy.tolist(), "test_y": r.test_y.tolist(), "a_sign": np.sign(r.a).tolist(),
            "snapshots": snaps}


def compute_fig3(s: XuFigSetting, seeds: list[int], cache: RunCache, progress: bool = False) -> dict[str, Any]:
    runs = xu_runs(s, seeds, cache, progress)
    ts = sorted(set(runs[0].proj) | {s.steps_large})
    out: dict[str, Any] = {"setting": dataclasses.asdict(s), "seeds": seeds, "t": ts, "mu1": {}, "mu2": {},
                           "mean_abs_ratio": {}}
    for t in ts:
        P = np.concatenate([r.proj[t][r.a > 0] for r in runs])  # (positive neurons over runs, 2)
        out["mu1"][str(t)] = P[:, 0].tolist()
        out["mu2"][str(t)] = P[:, 1].tolist()
        out["mean_abs_ratio"][str(t)] = float(np.mean(np.abs(P[:, 0])) / np.mean(np.abs(P[:, 1])))
    return out
