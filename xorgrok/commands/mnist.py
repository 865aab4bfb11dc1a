"""`python -m xorgrok mnist`: see xorgrok.experiments.mnist."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xorgrok.experiments.mnist as _doc_source
from xorgrok.core.cli import ArgumentParser, int_at_least, run_main
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError
from xorgrok.core.io import prepare_output_dir
from xorgrok.core.paths import default_runs_dir
from xorgrok.data.mnist import SOURCES
from xorgrok.experiments.common import partial_path_of, result_text, store_record
from xorgrok.experiments.mnist import (
    FIRST_LAYERS,
    METHODS,
    OPTIMISERS,
    SAMPLES,
    load_task,
    mnist_preset,
    record_path,
    record_tag,
    run,
    variant_tag,
)


def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok mnist", description=_doc_source.__doc__.split("\n\n")[0])
    p.add_argument("--samples", type=int, choices=SAMPLES, default=200, help="training samples (Fig. 14/18)")
    p.add_argument("--method", choices=METHODS, default=None,
                   help="default: all three (random_ab is the random-A·B control: same shapes and scales)")
    p.add_argument("--optimiser", choices=OPTIMISERS, default="ours",
                   help="ours (wd 0.1, betas (0.9, 0.98), full batch) or omnigrok (wd 0.01, betas (0.9, 0.999), "
                        "batch 200)")
    p.add_argument("--first-layer", choices=FIRST_LAYERS, default="factorised",
                   help="factorised: A·B trained as factors (rank-16 bottleneck); full: A·B merged at init")
    p.add_argument("--A-unscaled", dest="a_unscaled", action="store_true",
                   help="A = E_W not multiplied by alpha (default: every parameter x alpha)")
    p.add_argument("--quick", action="store_true", help="2500 epochs (wd 2) instead of 5·10^4 (wd 0.1)")
    p.add_argument("--epochs", type=int_at_least("--epochs", 0), default=None)
    p.add_argument("--seed", type=int_at_least("--seed", 0), default=0)
    p.add_argument("--source", choices=SOURCES, default="test-split",
                   help="test-split: disjoint train/eval subsets of the 10k test images (default; offline)")
    p.add_argument("--data-dir", default=None, help="folder with the IDX files (or set $XORGROK_MNIST_DIR)")
    p.add_argument("--device", default="auto")
    p.add_argument("--out", type=Path, default=default_runs_dir() / "mnist",
                   help="records folder (default: <runs>/mnist, see xorgrok.core.paths)")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    pick_device(args.device)
    out_dir = prepare_output_dir("--out", args.out)
    if args.data_dir is not None and not Path(args.data_dir).is_dir():
        raise InputError(f"--data-dir {args.data_dir} is not a directory (it must hold the MNIST IDX files)")
    overrides: dict[str, Any] = {"source": args.source, "data_dir": args.data_dir, "device": args.device,
                                 "first_layer": args.first_layer, "scale_A": not args.a_unscaled}
    if args.epochs is not None:
        overrides["epochs"] = args.epochs
    task = None
    for method in METHODS:
        if args.method and method != args.method:
            continue
        cfg = mnist_preset(args.samples, method, quick=args.quick, seed=args.seed, optimiser=args.optimiser,
                           overrides=overrides)
        variant = variant_tag(cfg)
        if task is None:
            task = load_task(cfg)
            print(task.meta["data_note"])
        t0 = time.perf_counter()
        path = record_path(out_dir, args.samples, method, args.seed, args.quick, variant)
        partial = partial_path_of(path)
        rec = run(cfg, progress=not args.no_progress, quick=args.quick, task=task, partial_path=partial)
        store_record(path, rec)
        result = result_text(rec, lambda m: (f"epochs_to_80_test={m.threshold_epoch('test', 80)} "
                                         f"final_train={m.final_train_acc:.3f} final_eval={m.final_test_acc:.3f}"))
        quick_note = " [QUICK reduced setting]" if args.quick else ""
        print(f"{record_tag(args.samples, method, args.seed, args.quick, variant)}: {result} "
              f"({time.perf_counter() - t0:.0f} s){quick_note}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
