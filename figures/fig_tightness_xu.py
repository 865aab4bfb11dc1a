"""Tightness maps of Xu et al. 2024 Theorem 3.1 in its literal regime, in the assumption coordinates of
xorgrok.sweep.xu_coords: (k1, k2) (signal strength against dimension), (k4, k5) (step size against
initialisation scale) and (k3, k6) (label noise against width) at n in {25, 50, 100} (--quick: n = 25 on
coarser grids), exact dimension-free simulator.

Map panels (i) and (iii): the per-run claim's success frequency ((i) 100% train for t <= sqrt n, (iii) no test
error for C n^0.01 <= t <= sqrt n) as a heat map. Panel (ii): the cell's pooled verdict on "test error at t = 1
is 1/2 (1 ± n^-Omega(1))", read as `verify --regime literal` reads it (every seed's t = 1 errors pooled, 95%
Clopper-Pearson interval, implied c = the largest c whose band 1/2 (1 ± n^-c) meets it): green where
c >= 0.01, red where the band is excluded, the implied c written in the cell. Every panel: the box where
(A1)-(A6) hold at C = 1 (dashed, k >= C; (A5): k5 >= 1), red x where the assumptions hold and the claim does
not. A second file (tightness_xu_scaling) shows (i) and (iii)'s failure frequency against n at verify's literal
boundary, and beside it (ii)'s pooled t = 1 error with its interval and the widest band c = 0.01 allows.
Sweeps are stored under RUNS/sweeps/ and reused.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.ticker import NullFormatter

from figures import style
from figures.fig_tightness import edges
from figures.registry import Figure, FigureContext
from xorgrok.core.paths import default_runs_dir
from xorgrok.sweep import presets
from xorgrok.sweep.studies import run_map, run_xu_scaling

LABELS = {"k1": "k1 = ||mu||^2 / (n^0.51 sqrt p)", "k2": "k2 = p / (n^2 ||mu||^2)",
          "k4": "k4 = 1 / (alpha n p)", "k5": "k5 = alpha ||mu||^2 / (omega n m^1.5 p)",
          "k3": "k3 = 1 / eta", "k6": "k6 = m / n^0.02"}
CLAIMS = (("claim_i", "(i)"), ("claim_ii", "(ii)"), ("claim_iii", "(iii)"))


def _holds(c: dict, claim: str, level: float) -> bool | None:
    if claim == "claim_ii":
        return c.get("claim_ii_holds")
    f = c.get(f"{claim}_freq")
    return None if f is None else f >= level


def panel(ax, m: dict, claim: str, name: str):
    x, y = m["pair"]
    # (ii) is a pooled verdict per cell (1 consistent, 0 excluded), not a frequency
    F = np.array(m["claim_ii"]["holds"] if claim == "claim_ii" else m["claim_freq"][claim], dtype=float)
    xe, ye = edges(m["x"]), edges(m["y"])
    im = ax.pcolormesh(xe, ye, F, cmap="RdYlGn", vmin=0, vmax=1, shading="flat")
    ax.set_xscale("log")
    ax.set_yscale("log")
    from matplotlib.patches import Rectangle

    x0 = 1.0 if x == "k5" else m["C"]
    y0 = 1.0 if y == "k5" else m["C"]
    ax.add_patch(Rectangle((x0, y0), xe[-1] - x0, ye[-1] - y0, fill=False, edgecolor="#1f3cff", linewidth=2.5,
                           linestyle="--"))
    for c in m["cells"]:
        if c.get("assumptions_hold") and _holds(c, claim, m["level"]) is False:
            ax.plot(c[x], c[y], "x", color="red", markersize=9, markeredgewidth=2)
        if claim == "claim_ii" and c.get("claim_ii_c_allowed") is not None:
            v = c["claim_ii_c_allowed"]
            # above the point, clear of a red x
            ax.text(c[x], c[y], "inf" if v == float("inf") else f"{v:.2g}", fontsize=6, ha="center", va="bottom",
                    color="white")
    ax.set_xlabel(LABELS[x], fontsize=7)
    ax.set_ylabel(LABELS[y], fontsize=7)
    what = "pooled; implied c" if claim == "claim_ii" else "frequency"
    ax.set_title(f"claim {name} ({what}), n = {m['n']}, {m['cells'][0]['tasks']} seeds", fontsize=8)
    return im


def run(ctx: FigureContext) -> list[Path]:
    ns = [25] if ctx.quick else list(presets.XU_NS)
    workers = ctx.extra.get("sweep_workers", 0)
    maps = [run_map(pair, n, ctx.quick, default_runs_dir(), workers, ctx.progress, ctx.n_seeds, theorem="xu")
            for n in ns for pair in presets.XU_PAIRS]
    for m in maps:
        assert m["run"]["lost"] == 0 and all(c["success_freq"] is not None for c in m["cells"]), m["tag"]
    n_pairs = len(presets.XU_PAIRS)
    fig, axes = style.new_figure(ncols=3 * n_pairs, nrows=len(ns), size=(3.2, 2.8))
    ims = []
    for i, m in enumerate(maps):
        r, col = divmod(i, n_pairs)
        for j, (cl, name) in enumerate(CLAIMS):
            ims.append(panel(axes[r, 3 * col + j], m, cl, name))
    fig.colorbar(ims[-1], ax=axes, shrink=0.6, label="(i), (iii): success frequency; (ii): 1 consistent, 0 excluded")
    style.title(fig, "Xu'24 Thm 3.1 in its literal regime (exact dimension-free simulator); blue box: (A1)-(A6) "
                f"hold at C = {presets.XU_C:g}; red x: assumptions hold, claim fails ((i), (iii): frequency < 0.95; "
                f"(ii): pooled t = 1 error excludes 1/2 (1 ± n^-c) for every c >= {presets.XU_II_C_MIN:g})",
                ctx.quick)
    files = style.save(fig, ctx.out_dir, "tightness_xu", {"maps": maps})
    sns = list(presets.XU_SCALING_NS[:3] if ctx.quick else presets.XU_SCALING_NS)
    sc = run_xu_scaling(sns, default_runs_dir(), ctx.n_seeds or (4 if ctx.quick else 10), workers, ctx.progress)
    fig2, ax2 = style.new_figure(ncols=2, nrows=1, size=(5.0, 3.6))
    ax = ax2[0, 0]
    for k, (cl, name) in enumerate(c for c in CLAIMS if c[0] != "claim_ii"):
        rows = [r for r in sc["claims"][cl]["per_n"] if r["runs"]]
        xs = np.array([r["n"] for r in rows], dtype=float) * (1 + 0.03 * (k - 0.5))
        q = np.array([r["fail_freq"] for r in rows])
        err = np.array([[r["fail_freq"] - r["ci_low"] for r in rows], [r["ci_high"] - r["fail_freq"] for r in rows]])
        ax.errorbar(xs, np.maximum(q, 1e-3), yerr=err, fmt="o-", capsize=3, label=f"claim {name}")
    ax.set_yscale("log")
    ax.set_ylabel("failure frequency (95% CP; 0 drawn at 1e-3)")
    ax.set_title("per-run claims (i), (iii)", fontsize=8)
    ax = ax2[0, 1]
    rows = [r for r in sc["claim_ii"]["per_n"] if r["runs"]]
    ns_ii = np.array([r["n"] for r in rows], dtype=float)
    e = np.array([r["claim_ii_err"] for r in rows])
    ax.errorbar(ns_ii, e, yerr=[e - np.array([r["claim_ii_ci_low"] for r in rows]),
                                np.array([r["claim_ii_ci_high"] for r in rows]) - e],
                fmt="o-", capsize=3, color="C2", label="pooled t = 1 error (95% CP)")
    grid_n = np.geomspace(min(sns), max(sns), 50)
    cmin = presets.XU_II_C_MIN
    # the band at c = C_MIN is nearly [0, 1] at these n (it fills the panel); bands at larger c give the scale
    ax.fill_between(grid_n, 0.5 * (1 - grid_n**-cmin), 0.5 * (1 + grid_n**-cmin), color="0.92",
                    label=f"1/2 (1 ± n^-{cmin:g}): the widest band, c = {cmin:g} (fills the panel)")
    for cb, ls in ((0.5, "--"), (1.0, ":")):
        for sgn in (-1, 1):
            ax.plot(grid_n, 0.5 * (1 + sgn * grid_n**-cb), color="0.35", linestyle=ls, linewidth=0.9,
                    label=f"1/2 (1 ± n^-{cb:g})" if sgn > 0 else None)
    ax.axhline(0.5, color="0.4", linewidth=0.8)
    for r in rows:
        v = r["claim_ii_c_allowed"]
        ax.annotate("c = inf" if v == float("inf") else f"c <= {v:.2g}", (r["n"], r["claim_ii_ci_high"]),
                    textcoords="offset points", xytext=(0, 4), ha="center", fontsize=6)
    ax.set_ylim(0.3, 0.7)
    ax.set_ylabel("clean test error at t = 1")
    ax.set_title("claim (ii): pooled, not a per-run event", fontsize=8)
    for ax in ax2[0]:
        ax.set_xscale("log")
        ax.set_xticks(sns, [str(n) for n in sns])  # one label per measured n; log minor labels overlapped
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("n (p = 2 n^5.02, every assumption on its boundary)")
        ax.legend(fontsize=7, loc="lower right" if ax is ax2[0, 1] else "best")
    style.title(fig2, f"Xu'24 claims against n at the literal boundary, {sc['seeds']} seeds per n", ctx.quick)
    files += style.save(fig2, ctx.out_dir, "tightness_xu_scaling", {"scaling": sc})
    return files


FIGURE = Figure("tightness-xu", "Xu'24: claim maps in assumption coordinates (k1,k2), (k4,k5), (k3,k6), literal regime",
                run, add_args=None, group="maps")
