"""`python -m xorgrok transformer`: see xorgrok.experiments.transformer."""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import xorgrok.experiments.transformer as _doc_source
from xorgrok.core.cli import ArgumentParser, int_at_least, run_main
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError
from xorgrok.core.health import diverged_text
from xorgrok.core.io import prepare_output_dir
from xorgrok.core.records import atomic_write_json
from xorgrok.experiments.transformer import EXPERIMENTS, METHODS, paper_runs, record_tag, run


def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok transformer", description=_doc_source.__doc__.split("\n\n")[0])
    p.add_argument("--experiment", choices=EXPERIMENTS, default="fig8b")
    p.add_argument("--method", choices=METHODS, default=None, help="run only this method (default: all)")
    p.add_argument("--quick", action="store_true", help="fewer layers, smaller width, fewer epochs")
    p.add_argument("--seed", type=int_at_least("--seed", 0), default=0)
    p.add_argument("--epochs", type=int_at_least("--epochs", 0), default=None, help="override the epoch cap")
    p.add_argument("--device", default="auto")
    p.add_argument("--out", type=Path, default=Path("runs/transformer"))
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    pick_device(args.device)
    out_dir = prepare_output_dir("--out", args.out)
    runs = paper_runs(args.experiment, args.quick)
    if args.method and not any(c.method == args.method for c in runs):
        have = sorted({c.method for c in runs})
        raise InputError(f"--method {args.method} is not part of --experiment {args.experiment} "
                         f"(it runs {', '.join(have)})")
    for cfg in runs:
        if args.method and cfg.method != args.method:
            continue
        cfg = dataclasses.replace(cfg, seed=args.seed, device=args.device,
                                  **({"epochs": args.epochs} if args.epochs is not None else {}))
        t0 = time.perf_counter()
        tag = record_tag(args.experiment, cfg, args.seed, args.quick)
        partial = out_dir / f"{tag}.partial.json"
        rec = run(cfg, progress=not args.no_progress, quick=args.quick, partial_path=partial)
        atomic_write_json(out_dir / f"{tag}.json", rec)
        partial.unlink(missing_ok=True)  # the full record supersedes it
        m = rec["metrics"]
        result = (diverged_text(m["diverged_at"], m.get("diverged_quantity")) + " (no accuracies)"
                  if m.get("diverged_at") is not None else
                  f"time_gap={m['time_gap']} epochs_to_95_test={m['epochs_to_95_test']} "
                  f"final_test={m['final_test_acc']:.3f}")
        quick_note = " [QUICK reduced setting]" if args.quick else ""
        print(f"{tag}: {result} ({time.perf_counter() - t0:.0f} s){quick_note}")
    return 0
if __name__ == "__main__":
    sys.exit(run_main(main))
