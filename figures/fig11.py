"""GrokTransfer Fig. 11 (App. A.4.2; review thread): the 2-neuron weak net learns two of the four features,
its 2-D embedding Uᵀx, and the target f_L trained on it (raw and signal-normalised U). Claim: the 2-neuron
embedding is enough, the target generalises (the 1-neuron one, Fig. 10, is not).
"""

from __future__ import annotations

from pathlib import Path

from figures import style
from figures.fig10 import ladder_check, ladder_plot
from figures.registry import Figure, FigureContext
from figures.xor_common import seeds, setting
from xorgrok.experiments.xor_figures.ladder import FULL, QUICK, compute


def run(ctx: FigureContext) -> list[Path]:
    d = compute(2, setting(ctx, FULL, QUICK), seeds(ctx), ctx.cache, ctx.progress)
    ladder_check(d)
    return style.save(ladder_plot(d, ctx.quick, "Fig. 11"), ctx.out_dir, "fig11", d)


FIGURE = Figure("fig11", "XOR: 2-neuron weak net, its 2-D embedding, and the target trained on it", run)
