"""Fig. 15: ablations of the low-rank embedding E_T = A·B on modular addition (FNN target, §6.7).

(a) A and B both random (no transfer) vs GrokTransfer vs scratch;
(b) GrokTransfer with A·B merged into one full matrix E_T after epoch 100, then trained on, vs no merge;
(c) full-rank transfer: a weak model with d_W = d_T = 128 (width 16), vs the d_W = 4 GrokTransfer.
Paper/review setting: 4000 epochs; the review thread says (a) stays below 50 % test accuracy while
GrokTransfer and scratch reach perfect generalisation within 4000 epochs. Settings: presets.PAPER_TARGET.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from figures.curves import plot_methods
from figures.registry import Figure, FigureContext
from figures.style import new_figure, save, title
from xorgrok.experiments.curves import make_configs, records_for, seed_summary


def run(ctx: FigureContext) -> list[Path]:
    n = ctx.n_seeds or (1 if ctx.quick else 5)
    seeds = range(ctx.seed, ctx.seed + n)
    epochs = 200 if ctx.quick else 4000
    merge = 20 if ctx.quick else 100

    def cfgs(method: str, **kw):
        return make_configs("add", method, seeds, ctx.quick, device=ctx.device, epochs=epochs, **kw)

    out = ctx.out_dir / "fig15"
    base = cfgs("groktransfer")
    rec_a = records_for(cfgs("random_ab") + base + cfgs("scratch"), out, progress=ctx.progress)
    merged = cfgs("groktransfer", merge_epoch=merge)
    rec_b = records_for(merged, out, progress=ctx.progress)
    d_t = base[0].d_embed
    full = [dataclasses.replace(c, weak=dataclasses.replace(c.weak, d_embed=d_t)) for c in base]
    rec_c = records_for(full, out, progress=ctx.progress)
    rec_base = [r for r in rec_a if r["config"]["method"] == "groktransfer"]

    def relabel(recs, method):
        return [{**r, "config": {**r["config"], "method": method}} for r in recs]

    fig, axes = new_figure(3, 1, size=(4.6, 3.6))
    plot_methods(axes[0, 0], rec_a, ("random_ab", "groktransfer", "scratch"))
    axes[0, 0].set_title("(a) random A·B vs GrokTransfer vs scratch", fontsize=8)
    labels = {"groktransfer": "GrokTransfer (A·B)", "merged": f"merged at epoch {merge}"}
    plot_methods(axes[0, 1], rec_base + relabel(rec_b, "merged"), ("groktransfer", "merged"), labels=labels)
    axes[0, 1].set_title(f"(b) merge A·B → E_T at epoch {merge}", fontsize=8)
    labels = {"groktransfer": f"d_W = {base[0].weak.d_embed}", "full": f"d_W = d_T = {d_t}"}
    plot_methods(axes[0, 2], rec_base + relabel(rec_c, "full"), ("groktransfer", "full"), labels=labels)
    axes[0, 2].set_title("(c) full-rank transfer", fontsize=8)
    title(fig, f"Fig. 15: A·B ablations, modular addition p={base[0].modulus}, {epochs} epochs, {n} seed(s)", ctx.quick)
    data = {
        "a": {m: seed_summary(rec_a, m) for m in ("random_ab", "groktransfer", "scratch")},
        "b_merged": seed_summary(relabel(rec_b, "merged"), "merged"),
        "c_full_rank": seed_summary(relabel(rec_c, "full"), "full"),
        "quick": ctx.quick,
    }
    return save(fig, ctx.out_dir, "fig15", data)


FIGURE = Figure(
    name="fig15", help="A·B ablations: random A·B, merge at epoch 100, d_W = d_T (Fig. 15)", run=run, group="modular"
)
