"""GrokTransfer Fig. 5: (a) the weak net's embedding Uᵀx of 4000 fresh points in 3-D; (b) r_W against p at
n = 1000 and (c) r_W against n (log-log, fitted slope) at p = 8·10⁴, for ε ∈ {1/40, 1/80, 1/160}
(§3.2, App. A.3.2). Paper: r_W ∝ ε/√n, flat in p, slope ≈ −1/2 in n.

r_W = (‖W_{3:p}‖_F/√(p−2)) / (‖W_{1:2}‖_F/√2) of the trained 3-neuron weak net (core: norm_ratio). Slopes
and their 95% intervals come from xorgrok.theory.stats.loglog_slope, fitted on every (x, seed) point.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from tqdm.auto import tqdm

from figures import style
from figures.registry import Figure, FigureContext
from figures.xor_common import finite, pick_setting, seeds_for, weak
from xorgrok.core.seeding import derive
from xorgrok.data.xor import project_hypercube
from xorgrok.experiments.xor import WeakConfig, train_weak
from xorgrok.theory.stats import loglog_slope

EPS_COLORS = ("#1b9e77", "#d95f02", "#7570b3")
LABEL_COLORS = {1: "#1f77b4", -1: "#ff7f0e"}


@dataclasses.dataclass(frozen=True)
class Fig5Setting:
    n: int = 400  # (a): the paper's setting
    p: int = 80_000
    eps: float = 0.05
    n_scatter: int = 4000
    n_b: int = 1000  # (b): n fixed
    ps: tuple[int, ...] = (40_000, 80_000, 160_000)
    p_c: int = 80_000  # (c): p fixed
    ns: tuple[int, ...] = (400, 800, 1600, 3200)
    epss: tuple[float, ...] = (1 / 40, 1 / 80, 1 / 160)
    weak_steps: int = 2000


FULL = Fig5Setting()
QUICK = Fig5Setting(n=200, p=8000, n_scatter=1000, n_b=100, ps=(1000, 2000, 4000), p_c=2000, ns=(50, 100, 200),
                    weak_steps=400)

_RW: dict[tuple, dict] = {}


def r_w(n: int, p: int, eps: float, steps: int, seed: int) -> dict:
    """r_W of one trained 3-neuron weak net (memoised; the data are not kept: n×p may be large)."""
    key = (n, p, eps, steps, seed)
    if key not in _RW:
        w = train_weak(WeakConfig(n=n, p=p, eps=eps, m=3, steps=steps, n_test=1, n_eval=1000, seed=seed))
        _RW[key] = {"r_W": w.r_W, "learned": w.learned, "test_acc": w.test_acc}
    return _RW[key]


def sweep(s: Fig5Setting, seeds: list[int], progress: bool, which: str) -> dict:
    """(b) which="p" or (c) which="n": r_W[eps][x][seed] and the log-log slope per ε."""
    xs = s.ps if which == "p" else s.ns
    jobs = [(e, x, sd) for e in s.epss for x in xs for sd in seeds]
    vals: dict[tuple, dict] = {}
    for e, x, sd in tqdm(jobs, desc=f"fig5 r_W vs {which}", disable=not progress, leave=False):
        n, p = (s.n_b, x) if which == "p" else (x, s.p_c)
        vals[(e, x, sd)] = r_w(n, p, e, s.weak_steps, sd)
    out: dict[str, Any] = {"x": list(xs), "eps": list(s.epss), "r_W": [], "learned": [], "slope": []}
    for e in s.epss:
        arr = [[vals[(e, x, sd)]["r_W"] for sd in seeds] for x in xs]
        out["r_W"].append(arr)
        out["learned"].append([[vals[(e, x, sd)]["learned"] for sd in seeds] for x in xs])
        fx: list[float] = [x for x in xs for _ in seeds]
        fy = [v for row in arr for v in row]
        f = loglog_slope(fx, fy)
        out["slope"].append(dataclasses.asdict(f))
    # slope in ε at each x, from the same runs (claim: r_W ∝ ε, slope 1)
    out["eps_slope"] = []
    for i, _x in enumerate(xs):
        fx = [e for e in s.epss for _ in seeds]
        fy = [v for k in range(len(s.epss)) for v in out["r_W"][k][i]]
        out["eps_slope"].append(dataclasses.asdict(loglog_slope(fx, fy)))
    return out


def compute(s: Fig5Setting, seeds: list[int], progress: bool) -> dict:
    w = weak(WeakConfig(n=s.n, p=s.p, eps=s.eps, m=3, steps=s.weak_steps, seed=seeds[0]), progress=progress)
    pr = project_hypercube(w.U, s.n_scatter, s.eps, derive(seeds[0], "fig5a"))
    return {
        "setting": dataclasses.asdict(s), "seeds": seeds,
        "a": {"seed": seeds[0], "z": pr.z.double().numpy().tolist(), "y": pr.y.numpy().tolist(),
              "cluster": pr.cluster.numpy().tolist(), "learned": w.learned, "weak_test_acc": w.test_acc},
        "b": sweep(s, seeds, progress, "p"),
        "c": sweep(s, seeds, progress, "n"),
    }


def _sweep_axis(ax, part: dict, seeds: list[int], xlabel: str, fitted: bool) -> None:
    for k, e in enumerate(part["eps"]):
        arr = np.asarray(part["r_W"][k])  # (len x, seeds)
        mean = arr.mean(1)
        sl = part["slope"][k]
        lab = f"eps=1/{round(1 / e)}: slope {sl['slope']:.2f} [{sl['ci_low']:.2f}, {sl['ci_high']:.2f}]"
        ax.plot(part["x"], mean, "o-", color=EPS_COLORS[k % 3], label=lab)
        if arr.shape[1] > 1:
            ax.fill_between(part["x"], arr.min(1), arr.max(1), color=EPS_COLORS[k % 3], alpha=0.2, linewidth=0)
        if fitted:
            xx = np.asarray(part["x"], dtype=float)
            ax.plot(xx, np.exp(sl["intercept"]) * xx ** sl["slope"], color=EPS_COLORS[k % 3], linestyle=":",
                    linewidth=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("r_W (dimensionless norm ratio)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=6.5)


def plot(d: dict, quick: bool) -> MplFigure:
    s = d["setting"]
    fig = MplFigure(figsize=(14.5, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 3, 1, projection="3d")
    z, y = np.asarray(d["a"]["z"]), np.asarray(d["a"]["y"])
    for lab, col in LABEL_COLORS.items():
        sel = y == lab
        ax.scatter(z[sel, 0], z[sel, 1], z[sel, 2], s=2, color=col, label=f"y = {lab:+d}", depthshade=False)
    ax.view_init(elev=18, azim=55)  # the default view stacks two clusters of different labels
    ax.set_xlabel("z1 = u1ᵀx")
    ax.set_ylabel("z2 = u2ᵀx")
    ax.set_zlabel("z3 = u3ᵀx")
    ax.legend(fontsize=7, markerscale=4)
    style.title(ax, f"(a) Uᵀx, {len(y)} fresh points, weak net seed {d['a']['seed']}\n"
                f"n={s['n']}, p={s['p']}, eps={s['eps']}, features {d['a']['learned']}", False)
    ax = fig.add_subplot(1, 3, 2)
    _sweep_axis(ax, d["b"], d["seeds"], "input dimension p", fitted=True)
    style.title(ax, f"(b) r_W vs p at n = {s['n_b']} (paper: flat in p)", False)
    ax = fig.add_subplot(1, 3, 3)
    _sweep_axis(ax, d["c"], d["seeds"], "training set size n", fitted=True)
    style.title(ax, f"(c) r_W vs n at p = {s['p_c']} (paper: slope -1/2)", False)
    style.title(fig, f"GrokTransfer Fig. 5: 3-neuron weak net, {s['weak_steps']} GD steps, lr 0.1, wd 0.1; "
                 f"mean and min-max band over {len(d['seeds'])} seeds; dotted: log-log fit (95% CI)", quick)
    return fig


def check(d: dict) -> None:
    z = np.asarray(d["a"]["z"])
    assert z.shape == (d["setting"]["n_scatter"], 3) and finite(z)
    for part, xs in (("b", "ps"), ("c", "ns")):
        arr = np.asarray(d[part]["r_W"])
        assert arr.shape == (len(d["setting"]["epss"]), len(d["setting"][xs]), len(d["seeds"]))
        assert finite(arr) and bool((arr > 0).all())
        assert finite([f["slope"] for f in d[part]["slope"]])


def run(ctx: FigureContext) -> list[Path]:
    s = pick_setting(ctx, FULL, QUICK)
    d = compute(s, seeds_for(ctx, quick=1), ctx.progress)
    check(d)
    return style.save(plot(d, ctx.quick), ctx.out_dir, "fig5", d)


FIGURE = Figure("fig5", "XOR: embedding scatter (a), r_W vs p (b) and vs n with fitted slope (c)", run)
