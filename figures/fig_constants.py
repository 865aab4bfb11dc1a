"""Hidden constants of GrokTransfer Theorem 3.2 along scaling paths (p = 200 n, c3 = c4 = c5 = 1).

(a) exact one-step test error (synthetic U, structured delta) against log^2 n at fixed c1 (the paper's value)
    for two values of c2, with the fitted exponent c of error ~ exp(b - c log^2 n) and its 95% interval;
(b) P(G_data fails) (Lemma A.2's event, exact from the block law) and K = n^2 P against n;
(c) the (A2) constant C_A2 = c2 of trained 3-neuron weak nets (eps = 0.05, signal-normalised U) against n,
    with its log-log slope and 95% interval (flat in n if r_W is proportional to eps / sqrt(n)).
Default: synthetic n to 10^6, trained n to 1600, 4 seeds; --quick: n <= 1600 (synthetic) and n <= 400
(trained), 2 seeds. Sweeps are stored and reused.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from figures import style
from figures.registry import Figure, FigureContext
from xorgrok.core.paths import default_runs_dir
from xorgrok.sweep import presets
from xorgrok.sweep.studies import run_scaling

ERR_C2, GDATA_C2, GDATA_BLOCK = presets.ERR_C2, presets.GDATA_C2, presets.GDATA_BLOCK


def compute(quick: bool, seeds: int, workers: int, progress: bool) -> dict:
    ns = list(presets.SCALING_NS[0 if quick else 1])
    ns_tr = list(presets.TRAINED_NS[0 if quick else 1])
    runs = default_runs_dir()
    err = {str(c2): run_scaling(ns, "fixed-c1", "synthetic", runs, seeds, workers, progress, c2) for c2 in ERR_C2}
    gd = {str(c2): run_scaling(ns, "fixed-c1", "synthetic", runs, seeds, workers, progress, c2, GDATA_BLOCK)
          for c2 in GDATA_C2}
    tr = run_scaling(ns_tr, "paper-eps", "trained", runs, seeds, workers, progress)
    return {"ns": ns, "ns_trained": ns_tr, "error": err, "gdata": gd, "trained": tr}


def _fmt(fit: dict, key: str = "c") -> str:
    if fit.get(key) is None:
        return "n/a (" + fit.get("note", "") + ")"
    return f"{fit[key]:.3g} [{fit['ci_low']:.3g}, {fit['ci_high']:.3g}]"


def plot(d: dict, quick: bool):
    fig, axes = style.new_figure(ncols=3, size=(4.8, 3.8))
    ax = axes[0, 0]
    for (c2, r), col in zip(d["error"].items(), ("#1b9e77", "#d95f02", "#666666")):
        x = [math.log(row["n"]) ** 2 for row in r["rows"]]
        y = [row["test_error_upper"] for row in r["rows"]]
        ax.semilogy(x, np.maximum(y, 1e-300), "o", color=col, label=f"c2 = {c2}: c = {_fmt(r['error_fit'])}")
        f = r["error_fit"]
        if f.get("c") is not None:
            xx = np.linspace(min(x), max(x), 20)
            ax.semilogy(xx, np.exp(f["intercept"] - f["c"] * xx), "-", color=col)
    ax.set_xlabel("log^2 n")
    ax.set_ylabel("exact test error after one step")
    ax.legend(fontsize=7)
    ax.set_title("(a) error ~ exp(b - c log^2 n), fixed c1", fontsize=9)
    ax = axes[0, 1]
    for (c2, r), col in zip(d["gdata"].items(), ("#7570b3", "#e7298a")):
        ks = r["K_gdata_by_n"]
        pos = [(int(n), v / int(n) ** 2) for n, v in ks.items() if v > 0]
        zero = [int(n) for n, v in ks.items() if v == 0]
        if pos:
            ax.loglog(*zip(*pos), "o-", color=col, label=f"c2 = {c2}: P(G_data fails)")
        if zero:
            ax.text(0.02, 0.02 + 0.08 * list(d["gdata"]).index(c2), f"c2 = {c2}: exactly 0 at all {len(zero)} n "
                    f"from {min(zero)} to {max(zero)} (bounded block noise)", transform=ax.transAxes, fontsize=7,
                    color=col)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n")
    ax.set_ylabel("P(G_data fails), exact")
    ax.legend(fontsize=7)
    ax.set_title("(b) Lemma A.2's event", fontsize=9)
    ax = axes[0, 2]
    tr = d["trained"]
    for n, vals in tr["C_A2_by_n"].items():
        ax.loglog([int(n)] * len(vals), vals, "o", color="#1f77b4")
    f = tr["C_A2_fit"]
    ax.set_xlabel("n (p = 200 n, eps = 0.05)")
    ax.set_ylabel("C_A2 = ||delta||_F / (eps sqrt(p/n))")
    ax.set_title(f"(c) trained weak nets\nslope in n {f['slope']:.3g} [{f['ci_low']:.3g}, {f['ci_high']:.3g}]",
                 fontsize=9)
    style.title(fig, "GrokTransfer Thm 3.2: hidden constants along p = 200 n, c3 = c4 = c5 = 1", quick)
    return fig


def run(ctx: FigureContext) -> list[Path]:
    d = compute(ctx.quick, ctx.n_seeds or (2 if ctx.quick else 4), ctx.extra.get("sweep_workers", 0), ctx.progress)
    for r in [*d["error"].values(), *d["gdata"].values(), d["trained"]]:
        assert r["run"]["lost"] == 0, r["tag"]
    return style.save(plot(d, ctx.quick), ctx.out_dir, "constants", d)


FIGURE = Figure("constants", "GrokTransfer: hidden constants (error exponent, G_data, C_A2) along scaling paths",
                run, group="maps")
