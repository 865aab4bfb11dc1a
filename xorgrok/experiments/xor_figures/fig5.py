"""GrokTransfer Fig. 5: (a) the weak net's embedding Uᵀx of fresh points; (b) r_W against p and (c) against n
for several ε, with log-log slopes (§3.2, App. A.3.2). Paper: r_W ∝ ε/√n, flat in p, slope ≈ −1/2 in n.

r_W = (‖W_{3:p}‖_F/√(p−2)) / (‖W_{1:2}‖_F/√2) of the trained 3-neuron weak net (core: norm_ratio). Slopes
and their 95% intervals come from xorgrok.theory.stats.loglog_slope, fitted on every (x, seed) point.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tqdm.auto import tqdm

from xorgrok.core.seeding import derive
from xorgrok.data.xor import PAPER_XOR, project_hypercube
from xorgrok.experiments.cache import RunCache
from xorgrok.experiments.xor import XorWeakConfig, train_weak, weak_run
from xorgrok.theory.stats import loglog_slope


@dataclasses.dataclass(frozen=True)
class Fig5Setting:
    n: int = PAPER_XOR.n  # (a): the paper's setting
    p: int = PAPER_XOR.p
    eps: float = PAPER_XOR.eps
    n_scatter: int = 4000
    n_b: int = 1000  # (b): n fixed
    ps: tuple[int, ...] = (PAPER_XOR.p // 2, PAPER_XOR.p, 2 * PAPER_XOR.p)
    p_c: int = PAPER_XOR.p  # (c): p fixed
    ns: tuple[int, ...] = (400, 800, 1600, 3200)
    epss: tuple[float, ...] = (1 / 40, 1 / 80, 1 / 160)
    weak_steps: int = 2000


FULL = Fig5Setting()
QUICK = Fig5Setting(n=200, p=8000, n_scatter=1000, n_b=100, ps=(1000, 2000, 4000), p_c=2000, ns=(50, 100, 200),
                    weak_steps=400)


def r_w(n: int, p: int, eps: float, steps: int, seed: int, cache: RunCache) -> dict[str, Any]:
    """r_W of one trained 3-neuron weak net, memoised (only the numbers are kept: n×p may be large)."""
    cfg = XorWeakConfig(n=n, p=p, eps=eps, m=3, steps=steps, n_test=1, n_eval=1000, seed=seed)

    def compute() -> dict[str, Any]:
        w = train_weak(cfg)
        return {"r_W": w.r_W, "learned": w.learned, "test_acc": w.test_acc}

    return cache.get(("xor-rw", cfg), compute)


def sweep(s: Fig5Setting, seeds: list[int], cache: RunCache, progress: bool, which: str) -> dict[str, Any]:
    """(b) which="p" or (c) which="n": r_W[eps][x][seed] and the log-log slope per ε."""
    xs = s.ps if which == "p" else s.ns
    jobs = [(e, x, sd) for e in s.epss for x in xs for sd in seeds]
    vals: dict[tuple, dict] = {}
    for e, x, sd in tqdm(jobs, desc=f"fig5 r_W vs {which}", disable=not progress, leave=False):
        n, p = (s.n_b, x) if which == "p" else (x, s.p_c)
        vals[(e, x, sd)] = r_w(n, p, e, s.weak_steps, sd, cache)
    out: dict[str, Any] = {"x": list(xs), "eps": list(s.epss), "r_W": [], "learned": [], "slope": []}
    for e in s.epss:
        arr = [[vals[(e, x, sd)]["r_W"] for sd in seeds] for x in xs]
        out["r_W"].append(arr)
        out["learned"].append([[vals[(e, x, sd)]["learned"] for sd in seeds] for x in xs])
        fx: list[float] = [x for x in xs for _ in seeds]
        fy = [v for row in arr for v in row]
        out["slope"].append(dataclasses.asdict(loglog_slope(fx, fy)))
    # slope in ε at each x, from the same runs (claim: r_W ∝ ε, slope 1)
    out["eps_slope"] = []
    for i, _x in enumerate(xs):
        fe = [e for e in s.epss for _ in seeds]
        fy = [v for k in range(len(s.epss)) for v in out["r_W"][k][i]]
        out["eps_slope"].append(dataclasses.asdict(loglog_slope(fe, fy)))
    return out


def compute(s: Fig5Setting, seeds: list[int], cache: RunCache, progress: bool = False) -> dict[str, Any]:
    w = weak_run(XorWeakConfig(n=s.n, p=s.p, eps=s.eps, m=3, steps=s.weak_steps, seed=seeds[0]), cache,
                 progress=progress)
    pr = project_hypercube(w.U, s.n_scatter, s.eps, derive(seeds[0], "fig5a"))
    return {
        "setting": dataclasses.asdict(s), "seeds": seeds,
        "a": {"seed": seeds[0], "z": pr.z.double().numpy().tolist(), "y": pr.y.numpy().tolist(),
              "cluster": pr.cluster.numpy().tolist(), "learned": w.learned, "weak_test_acc": w.test_acc},
        "b": sweep(s, seeds, cache, progress, "p"),
        "c": sweep(s, seeds, cache, progress, "n"),
    }
