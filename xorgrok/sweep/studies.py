"""Run the preset sweeps (presets.py) through the engine and reduce them: maps with their boundaries, and the
hidden constants fitted along scaling paths. Stored sweeps are reused (resume), so a second call is fast."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from xorgrok.core.errors import InputError
from xorgrok.core.records import atomic_write_json
from xorgrok.sweep import presets
from xorgrok.sweep.engine import run_tasks
from xorgrok.sweep.maps import LEVEL, success_window
from xorgrok.sweep.spec import from_dict
from xorgrok.sweep.store import TaskStore
from xorgrok.sweep.table import write_tables
from xorgrok.theory.stats import frequency, loglog_slope


def run_spec(d: dict[str, Any], out: Path, workers: int | None, progress: bool) -> dict[str, Any]:
    spec = from_dict(d)
    store = TaskStore(out)
    atomic_write_json(out / "spec.json", spec.to_dict())
    run = run_tasks(spec, store, workers=workers, progress=progress)
    tables = write_tables(spec, store, out)
    return {"spec": spec.to_dict(), "run": run.__dict__, **tables}


def run_map(pair: tuple[str, str], n: int, quick: bool, runs_dir: Path, workers: int | None = 0,
            progress: bool = False, seeds: int | None = None) -> dict[str, Any]:
    """One (x, y) map at n: its cells, and the success window along each axis for every row/column."""
    x, y = pair
    tag = f"map-{x}-{y}-n{n}-{'quick' if quick else 'full'}"
    res = run_spec(presets.map_spec(pair, n, quick, seeds), runs_dir / "sweeps" / tag, workers, progress)
    cells = res["cells"]
    xs = sorted({c[x] for c in cells})
    ys = sorted({c[y] for c in cells})
    F = np.full((len(ys), len(xs)), np.nan)
    for c in cells:
        if c["success_freq"] is not None:
            F[ys.index(c[y]), xs.index(c[x])] = c["success_freq"]
    along_x = [{y: yv, **success_window(xs, [None if np.isnan(v) else v for v in F[i]])} for i, yv in enumerate(ys)]
    along_y = [{x: xv, **success_window(ys, [None if np.isnan(v) else v for v in F[:, j]])}
               for j, xv in enumerate(xs)]
    return {"pair": list(pair), "n": n, "quick": quick, "tag": tag, "x": xs, "y": ys, "freq": F.tolist(),
            "cells": cells, "along_x": along_x, "along_y": along_y, "level": LEVEL, "C": presets.C_MAP,
            "run": res["run"]}


def fit_log2_exponent(ns: list[float], values: list[float], conf: float = 0.95) -> dict[str, Any]:
    """OLS of log(value) = b - c log^2 n over the points with value > 0; c with a Student-t interval."""
    pts = [(math.log(n) ** 2, math.log(v)) for n, v in zip(ns, values) if v is not None and 0 < v < 1]
    out: dict[str, Any] = {"points_used": len(pts), "points_zero": sum(1 for v in values if v == 0),
                           "points_one": sum(1 for v in values if v is not None and v >= 1),
                           "points_total": len(values)}
    if len({p[0] for p in pts}) < 3:
        return {**out, "c": None, "ci_low": None, "ci_high": None, "note": "fewer than 3 distinct n with 0 < value < 1"}
    xa, ya = np.array([p[0] for p in pts]), np.array([p[1] for p in pts])
    r = stats.linregress(xa, ya)
    tq = float(stats.t.ppf(0.5 + conf / 2, len(pts) - 2))
    c, se = -float(r.slope), float(r.stderr)
    return {**out, "c": c, "stderr": se, "ci_low": c - tq * se, "ci_high": c + tq * se, "intercept": float(r.intercept),
            "conf": conf}


def run_scaling(ns: list[int], path: str, u: str, runs_dir: Path, seeds: int, workers: int | None = 0,
                progress: bool = False, c2: float = 1.0, block_size: int = 40) -> dict[str, Any]:
    tag = f"scaling-{u}-{path}-c2{c2:g}-b{block_size}-n{'-'.join(map(str, ns))}-s{seeds}"
    res = run_spec(presets.scaling_spec(ns, path, u, seeds, c2, block_size), runs_dir / "sweeps" / tag, workers,
                   progress)
    ok = [r for r in res["tasks"] if r["status"] == "ok"]
    if not ok:
        raise InputError(f"scaling sweep {tag} has no successful task")
    out: dict[str, Any] = {"tag": tag, "ns": ns, "path": path, "u": u, "rows": ok, "run": res["run"],
                           "cells": res["cells"]}
    nn = [r["n"] for r in ok]
    if u == "synthetic":
        out["error_fit"] = fit_log2_exponent(nn, [r["test_error_upper"] for r in ok])
        gd = [(r["n"], r["gdata_fail"]) for r in ok if r.get("gdata_fail") is not None]
        out["gdata_fit"] = fit_log2_exponent([g[0] for g in gd], [g[1] for g in gd])
        # K in P(G_data fails) <= K / n^2, exact per n (the law of G_data does not depend on the seed)
        out["K_gdata_by_n"] = {str(n): n**2 * max((g[1] for g in gd if g[0] == n), default=float("nan"))
                               for n in ns}
    else:
        a2 = [r["c2"] for r in ok]
        fit = loglog_slope(nn, a2)
        out["C_A2_fit"] = {"slope": fit.slope, "ci_low": fit.ci_low, "ci_high": fit.ci_high, "points": fit.n_points}
        out["C_A2_by_n"] = {str(n): [r["c2"] for r in ok if r["n"] == n] for n in ns}
    # K in P(conclusion fails) <= K / n^2 from the failure frequency over seeds, with its CP interval
    out["K_fail_by_n"] = {}
    for n in ns:
        rs = [r for r in ok if r["n"] == n]
        if rs:
            fr = frequency(sum(not r["success"] for r in rs), len(rs))
            out["K_fail_by_n"][str(n)] = {"freq": fr.freq, "K": n**2 * fr.freq, "K_ci": [n**2 * fr.ci_low,
                                                                                         n**2 * fr.ci_high]}
    out["c1_by_n"] = {str(n): next(r["c1"] for r in ok if r["n"] == n) for n in ns if any(r["n"] == n for r in ok)}
    return out
