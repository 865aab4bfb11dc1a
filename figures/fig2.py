"""Fig. 2: the FNN of §6.2 on modular addition with one-hot, binary (7 bits) and Fourier (k = 7 primes)
input embeddings, each normalised to norm 1, and optionally a user embedding file (`--embedding-file`),
which stands in for the paper's GPT embedding (hosted API unreachable here; the panel says so).
--quick: width 128, 300 epochs (full: width 512, 10^4 epochs).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from figures.registry import Figure, FigureContext
from figures.style import TEST, TRAIN, epochs_axis, new_figure, save, title
from xorgrok.data.embeddings import load_embedding_file
from xorgrok.experiments.embeddings import PAPER_SETTINGS, embedding_label, embedding_preset, run_embedding


def add_embedding_arg(p: argparse.ArgumentParser) -> None:
    if not any("--embedding-file" in a.option_strings for a in p._actions):
        p.add_argument("--embedding-file", default=None,
                       help="fig2/fig3: a (113, d) table (.npy/.csv/.txt), one row per integer, in place of GPT")


def kinds(ctx: FigureContext) -> list[str]:
    return ["onehot", "binary", "fourier"] + (["file"] if ctx.extra.get("embedding_file") else [])


def _run(ctx: FigureContext) -> list[Path]:
    ks = kinds(ctx)
    if ctx.extra.get("embedding_file"):  # a bad file must stop the figure before the other embeddings train
        load_embedding_file(ctx.extra["embedding_file"], 113)
    fig, axes = new_figure(len(ks), 1, size=(4.0, 3.4))
    data = {}
    for ax, kind in zip(axes[0], ks):
        path = ctx.extra.get("embedding_file")
        cfg = embedding_preset(kind, quick=ctx.quick, seed=ctx.seed,
                               overrides={"embedding_file": path, "device": ctx.device})
        r = run_embedding(cfg, progress=ctx.progress)
        h = r["history"]
        x = np.asarray(h["steps"]) + 1
        ax.plot(x, h["train_acc"], label="train", **TRAIN)
        ax.plot(x, h["test_acc"], label="test", **TEST)
        epochs_axis(ax)
        ax.set_ylim(-0.02, 1.02)
        ax.legend(fontsize=7)
        init, lr, wd = PAPER_SETTINGS[kind]
        title(ax, f"{embedding_label(kind, path)}\n(init, lr, wd)=({init}, {lr}, {wd}), width {cfg.width}", ctx.quick)
        data[kind] = {"steps": h["steps"], "train_acc": h["train_acc"], "test_acc": h["test_acc"],
                      "metrics": r["metrics"], "config": r["config"]}
    title(fig, f"Fig. 2: embeddings for modular addition (p=113, 25%), seed {ctx.seed}"
          + ("" if "file" in ks else "; GPT embedding not available offline (use --embedding-file)"), ctx.quick)
    return save(fig, ctx.out_dir, "fig2" + ("_quick" if ctx.quick else ""), {"quick": ctx.quick, **data})


FIGURE = Figure(name="fig2", help="FNN on modular addition with one-hot / binary / Fourier / file embeddings",
                run=_run, add_args=add_embedding_arg, group="embeddings")
