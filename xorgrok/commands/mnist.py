"""`python -m xorgrok mnist`: see xorgrok.experiments.mnist."""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import xorgrok.experiments.mnist as _doc_source
from xorgrok.core.cli import ArgumentParser, int_at_least, run_main
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError
from xorgrok.core.health import diverged_text
from xorgrok.core.io import prepare_output_dir
from xorgrok.core.records import atomic_write_json
from xorgrok.data.mnist import SOURCES, mnist_task
from xorgrok.experiments.mnist import MnistConfig, quick_config, run


def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok mnist", description=_doc_source.__doc__.split("\n\n")[0])
    p.add_argument("--samples", type=int, choices=(200, 1000), default=200, help="training samples (Fig. 14/18)")
    p.add_argument("--method", choices=("groktransfer", "scratch"), default=None, help="default: both")
    p.add_argument("--quick", action="store_true", help="2500 epochs (wd 2) instead of 5·10^4 (wd 0.1)")
    p.add_argument("--epochs", type=int_at_least("--epochs", 0), default=None)
    p.add_argument("--seed", type=int_at_least("--seed", 0), default=0)
    p.add_argument("--source", choices=SOURCES, default="test-split",
                   help="test-split: disjoint train/eval subsets of the 10k test images (default; offline)")
    p.add_argument("--data-dir", default=None, help="folder with the IDX files (or set $XORGROK_MNIST_DIR)")
    p.add_argument("--device", default="auto")
    p.add_argument("--out", type=Path, default=Path("runs/mnist"))
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    pick_device(args.device)
    out_dir = prepare_output_dir("--out", args.out)
    if args.data_dir is not None and not Path(args.data_dir).is_dir():
        raise InputError(f"--data-dir {args.data_dir} is not a directory (it must hold the MNIST IDX files)")
    task = None
    for method in ("groktransfer", "scratch"):
        if args.method and method != args.method:
            continue
        cfg = quick_config(args.samples, method) if args.quick else MnistConfig(n_train=args.samples, method=method)
        cfg = dataclasses.replace(cfg, seed=args.seed, source=args.source, data_dir=args.data_dir,
                                  device=args.device, **({"epochs": args.epochs} if args.epochs is not None else {}))
        if task is None:
            task = mnist_task(cfg.n_train, cfg.n_eval, seed=cfg.seed, source=cfg.source,
                              data_dir=Path(cfg.data_dir) if cfg.data_dir else None)
            print(task.meta["data_note"])
        t0 = time.perf_counter()
        rec = run(cfg, progress=not args.no_progress, quick=args.quick, task=task)
        tag = f"mnist{args.samples}_{method}_s{args.seed}{'_quick' if args.quick else ''}"
        atomic_write_json(out_dir / f"{tag}.json", rec)
        m = rec["metrics"]
        result = (diverged_text(m["diverged_at"], m.get("diverged_quantity")) + " (no accuracies)"
                  if m.get("diverged_at") is not None else
                  f"epochs_to_80_test={m['epochs_to_80_test']} final_train={m['final_train_acc']:.3f} "
                  f"final_eval={m['final_test_acc']:.3f}")
        quick_note = " [QUICK reduced setting]" if args.quick else ""
        print(f"{tag}: {result} ({time.perf_counter() - t0:.0f} s){quick_note}")
    return 0
if __name__ == "__main__":
    sys.exit(run_main(main))
