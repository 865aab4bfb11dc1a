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
from xorgrok.sweep.table import pooled_ii, write_tables
from xorgrok.theory.stats import frequency, loglog_slope


def run_spec(d: dict[str, Any], out: Path, workers: int | None, progress: bool) -> dict[str, Any]:
    spec = from_dict(d)
    store = TaskStore(out)
    atomic_write_json(out / "spec.json", spec.to_dict())
    run = run_tasks(spec, store, workers=workers, progress=progress)
    tables = write_tables(spec, store, out)
    return {"spec": spec.to_dict(), "run": run.__dict__, **tables}


def run_map(pair: tuple[str, str], n: int, quick: bool, runs_dir: Path, workers: int | None = 0,
            progress: bool = False, seeds: int | None = None, theorem: str = "gt") -> dict[str, Any]:
    """One (x, y) map at n: its cells, and the success window along each axis for every row/column.
    theorem "gt": GrokTransfer synthetic U (presets.map_spec); "xu": Xu'24 literal regime (presets.xu_map_spec)."""
    x, y = pair
    if theorem == "xu":
        tag = f"xu-map-{x}-{y}-n{n}-{'quick' if quick else 'full'}"
        d, C = presets.xu_map_spec(pair, n, quick, seeds), presets.XU_C
    else:
        tag = f"map-{x}-{y}-n{n}-{'quick' if quick else 'full'}"
        d, C = presets.map_spec(pair, n, quick, seeds), presets.C_MAP
    res = run_spec(d, runs_dir / "sweeps" / tag, workers, progress)
    cells = res["cells"]
    xs = sorted({c[x] for c in cells})
    ys = sorted({c[y] for c in cells})

    def grid(key: str) -> np.ndarray:
        F = np.full((len(ys), len(xs)), np.nan)
        for c in cells:
            if c.get(key) is not None:
                F[ys.index(c[y]), xs.index(c[x])] = c[key]
        return F

    F = grid("success_freq")
    along_x = [{y: yv, **success_window(xs, [None if np.isnan(v) else v for v in F[i]])} for i, yv in enumerate(ys)]
    along_y = [{x: xv, **success_window(ys, [None if np.isnan(v) else v for v in F[:, j]])}
               for j, xv in enumerate(xs)]
    out = {"pair": list(pair), "n": n, "quick": quick, "tag": tag, "x": xs, "y": ys, "freq": F.tolist(),
           "cells": cells, "along_x": along_x, "along_y": along_y, "level": LEVEL, "C": C, "run": res["run"],
           "theorem": theorem}
    if theorem == "xu":
        # (i) and (iii) are per-run events (a frequency per cell); (ii) is the cell's pooled verdict
        out["claim_freq"] = {cl: grid(f"{cl}_freq").tolist() for cl in ("claim_i", "claim_iii")}
        out["claim_ii"] = {"c_allowed": grid("claim_ii_c_allowed").tolist(), "holds": grid("claim_ii_holds").tolist(),
                           "c_min": presets.XU_II_C_MIN}
    return out


def run_xu_scaling(ns: list[int], runs_dir: Path, seeds: int, workers: int | None = 0,
                   progress: bool = False) -> dict[str, Any]:
    """Xu'24 at verify's literal boundary along n. Claims (i) and (iii): the failure frequency with its CP
    interval and the log-log slope of failure frequency against n (Theorem 3.1: n^(-Omega(1)) + O(1/sqrt m)).
    Claim (ii) is pooled, not a per-run event: per n, every seed's t = 1 errors pooled, their CP interval and
    the largest c with 1/2 (1 ± n^-c) meeting it (as sweep.table and `verify --regime literal`)."""
    tag = f"xu-scaling-n{'-'.join(map(str, ns))}-s{seeds}"
    res = run_spec(presets.xu_scaling_spec(ns, seeds), runs_dir / "sweeps" / tag, workers, progress)
    ok = [r for r in res["tasks"] if r["status"] == "ok"]
    out: dict[str, Any] = {"tag": tag, "ns": ns, "seeds": seeds, "run": res["run"], "claims": {}}
    ii: list[dict[str, Any]] = []
    for n in ns:
        rs = [r for r in ok if r["n"] == n and isinstance(r.get("errors_t1"), int)]
        ii.append({"n": n, "runs": len(rs), **(pooled_ii(rs) if rs else {})})
    out["claim_ii"] = {"per_n": ii, "c_min": presets.XU_II_C_MIN,
                       "rule": "pooled, not a per-run event: 95% CP interval of the pooled t = 1 error; c_allowed "
                               "= the largest c with 1/2 (1 ± n^-c) meeting it"}
    for cl in ("claim_i", "claim_iii"):
        per: list[dict[str, Any]] = []
        xs: list[int] = []
        qs: list[float] = []
        for n in ns:
            said = [bool(r[cl]) for r in ok if r["n"] == n and isinstance(r.get(cl), bool)]
            if not said:
                per.append({"n": n, "runs": 0})
                continue
            fr = frequency(sum(not v for v in said), len(said))
            per.append({"n": n, "runs": len(said), "fails": sum(not v for v in said), "fail_freq": fr.freq,
                        "ci_low": fr.ci_low, "ci_high": fr.ci_high})
            if fr.freq > 0:
                xs.append(n)
                qs.append(fr.freq)
        slope: dict[str, Any] = {"points": len(xs)}
        if len(set(xs)) >= 2:
            fit = loglog_slope(xs, qs)
            slope.update({"slope": fit.slope, "ci_low": fit.ci_low, "ci_high": fit.ci_high})
            # the OLS interval ignores the binomial noise of each frequency (all-1 frequencies give [0, 0]):
            # beside it, the slopes the end points' CP intervals allow
            a, b = next(r for r in per if r["n"] == xs[0]), next(r for r in per if r["n"] == xs[-1])
            lr = math.log(xs[-1] / xs[0])
            slope["endpoint_cp_range"] = [math.log(max(b["ci_low"], 1e-300) / a["ci_high"]) / lr,
                                          math.log(b["ci_high"] / max(a["ci_low"], 1e-300)) / lr]
        else:
            slope.update({"slope": None, "why": "fewer than two n with an observed failure"})
        out["claims"][cl] = {"per_n": per, "slope": slope}
    out["holds_all"] = all(all(v for k, v in r.items() if k.startswith("holds_")) for r in ok)
    return out


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
