"""python -m figures {list | all | NAME} [--quick] [--out DIR] [--seed S] [--seeds K]"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from figures.registry import FigureContext, discover
from xorgrok.core.cli import ArgumentParser, int_at_least, run_main
from xorgrok.core.errors import InputError
from xorgrok.experiments.cache import RunCache


def _parser(figs: dict) -> ArgumentParser:
    p = ArgumentParser(
        prog="python -m figures",
        description="Regenerate the paper's figures. Each writes a PNG and the numbers behind it "
        "(JSON) under --out. Default mode reproduces the paper's setting; --quick runs a reduced "
        "setting (< 60 s per figure on 2 CPU cores) and says so in the title.",
    )
    p.add_argument("name", help="a figure name, 'all', or 'list' (" + ", ".join(sorted(figs)) + ")")
    p.add_argument("--quick", action="store_true", help="reduced n/p/steps; the title says so")
    p.add_argument("--out", type=Path, default=Path("figures/out"), help="output directory (default figures/out)")
    p.add_argument("--seed", type=int_at_least("--seed", 0), default=0, help="base seed (default 0)")
    p.add_argument("--seeds", type=int_at_least("--seeds", 1), default=None,
                   help="number of seeds for figures that average over seeds (default: figure's own, >= 5)")
    p.add_argument("--device", default="auto", help="auto (default), cpu or cuda[:k]")
    p.add_argument("--no-progress", action="store_true", help="hide progress bars")
    for fig in figs.values():
        if fig.add_args is not None:
            fig.add_args(p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    figs = discover()
    args = _parser(figs).parse_args(argv)
    if args.name == "list":
        for name in sorted(figs):
            print(f"{name:12s} [{figs[name].group}] {figs[name].help}")
        return 0
    if args.name == "all":
        names = sorted(figs)
    elif args.name in figs:
        names = [args.name]
    else:
        raise InputError(f"figure name must be 'all', 'list' or one of {', '.join(sorted(figs))}; got {args.name!r}")
    from xorgrok.core.device import pick_device

    pick_device(args.device)  # validate before any work
    cache = RunCache()  # one for all figures of this run: runs shared by several figures train once
    for name in names:
        ctx = FigureContext(out_dir=args.out, quick=args.quick, seed=args.seed, n_seeds=args.seeds,
                            device=args.device, progress=not args.no_progress, extra=vars(args), cache=cache)
        t0 = time.perf_counter()
        files = figs[name].run(ctx)
        dt = time.perf_counter() - t0
        print(f"{name}: {dt:.1f} s -> " + ", ".join(str(f) for f in files))
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
