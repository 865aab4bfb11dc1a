"""`python -m xorgrok transformer`: see xorgrok.experiments.transformer."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xorgrok.experiments.transformer as _doc_source
from xorgrok.core.cli import ArgumentParser, int_at_least, run_main
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError
from xorgrok.core.io import prepare_output_dir
from xorgrok.core.paths import default_runs_dir
from xorgrok.experiments.cache import RunCache
from xorgrok.experiments.common import partial_path_of, result_text, store_record
from xorgrok.experiments.transformer import EXPERIMENTS, METHODS, paper_runs, record_path, record_tag, run


def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok transformer", description=_doc_source.__doc__.split("\n\n")[0])
    p.add_argument("--experiment", choices=EXPERIMENTS, default="fig8b")
    p.add_argument("--method", choices=METHODS, default=None, help="run only this method (default: all)")
    p.add_argument("--quick", action="store_true", help="fewer layers, smaller width, fewer epochs")
    p.add_argument("--seed", type=int_at_least("--seed", 0), default=0)
    p.add_argument("--epochs", type=int_at_least("--epochs", 0), default=None, help="override the epoch cap")
    p.add_argument("--weak-epochs", type=int_at_least("--weak-epochs", 0), default=None,
                   help="cap the weak model's epochs (default: to its 30%% transfer point, at most 10^4)")
    p.add_argument("--device", default="auto")
    p.add_argument("--out", type=Path, default=default_runs_dir() / "transformer",
                   help="records folder (default: <runs>/transformer, see xorgrok.core.paths)")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    pick_device(args.device)
    out_dir = prepare_output_dir("--out", args.out)
    overrides: dict[str, Any] = {"device": args.device}
    if args.epochs is not None:
        overrides["epochs"] = args.epochs
    if args.weak_epochs is not None:
        overrides["weak.epochs"] = args.weak_epochs
    runs = paper_runs(args.experiment, args.quick, seed=args.seed, overrides=overrides)
    if args.method and not any(c.method == args.method for c in runs):
        have = sorted({c.method for c in runs})
        raise InputError(f"--method {args.method} is not part of --experiment {args.experiment} "
                         f"(it runs {', '.join(have)})")
    cache = RunCache()  # the weak model serves both targets of an experiment
    for cfg in runs:
        if args.method and cfg.method != args.method:
            continue
        t0 = time.perf_counter()
        tag = record_tag(args.experiment, cfg, args.seed, args.quick)
        path = record_path(out_dir, args.experiment, cfg, args.seed, args.quick)
        partial = partial_path_of(path)
        rec = run(cfg, progress=not args.no_progress, quick=args.quick, partial_path=partial, cache=cache)
        store_record(path, rec)
        result = result_text(rec, lambda m: (f"time_gap={m.time_gap} epochs_to_95_test={m.epochs_to_95_test} "
                                         f"final_test={m.final_test_acc:.3f}"))
        quick_note = " [QUICK reduced setting]" if args.quick else ""
        print(f"{tag}: {result} ({time.perf_counter() - t0:.0f} s){quick_note}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
