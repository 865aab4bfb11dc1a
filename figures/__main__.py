"""python -m figures {list | all | NAME} [--quick] [--out DIR] [--seed S] [--seeds K]

Outputs go to --out (default: figures/out of the checkout, wherever the command runs); --quick outputs go to
its `quick/` subfolder, so a reduced run never replaces a paper-setting file of the same name, and every JSON
written records its mode ("quick": true/false). `all` goes on past a figure that cannot run here (missing
data, a failed check), lists the skipped figures with the reason, and exits 1 if any was skipped.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from figures.registry import FigureContext, discover
from xorgrok.core.cli import ArgumentParser, int_at_least, run_main
from xorgrok.core.errors import InputError
from xorgrok.core.io import check_output_dir, recover
from xorgrok.core.paths import default_figures_dir
from xorgrok.core.records import atomic_write_json
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
    p.add_argument("--out", type=Path, default=None,
                   help="output directory (default figures/out of the checkout; --quick writes to its quick/)")
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
    base = args.out if args.out is not None else default_figures_dir()
    out_dir = check_output_dir("--out", base / "quick" if args.quick else base)
    recover(out_dir)  # finish or drop what a killed run left behind
    skipped: list[tuple[str, str]] = []
    cache = RunCache()  # one for all figures of this run: runs shared by several figures train once
    for name in names:
        ctx = FigureContext(out_dir=out_dir, quick=args.quick, seed=args.seed, n_seeds=args.seeds,
                            device=args.device, progress=not args.no_progress, extra=vars(args), cache=cache)
        t0 = time.perf_counter()
        try:
            files = figs[name].run(ctx)
        except Exception as exc:  # noqa: BLE001 (with 'all', one figure that cannot run must not stop the rest)
            if len(names) == 1:
                raise
            why = " ".join(str(exc).split()) or type(exc).__name__
            skipped.append((name, f"{type(exc).__name__}: {why}" if not isinstance(exc, InputError) else why))
            print(f"{name}: SKIPPED ({skipped[-1][1]})", file=sys.stderr)
            continue
        record_mode(files, args.quick)
        dt = time.perf_counter() - t0
        print(f"{name}: {dt:.1f} s -> " + ", ".join(str(f) for f in files))
    if skipped:
        print(f"{len(skipped)} of {len(names)} figure(s) skipped: "
              + "; ".join(f"{n} ({why})" for n, why in skipped), file=sys.stderr)
        return 1
    return 0


def record_mode(files: Sequence[Path], quick: bool) -> None:
    """Make sure every JSON a figure wrote says which mode made it (figures that do not say so themselves)."""
    for f in files:
        if Path(f).suffix != ".json":
            continue
        try:
            data = json.loads(Path(f).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("quick") is not quick:
            data["quick"] = quick
            atomic_write_json(f, data)


if __name__ == "__main__":
    sys.exit(run_main(main))
