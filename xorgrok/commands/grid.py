"""python -m xorgrok grid: grid search over init × lr × wd (paper grids), resumable, shardable.

Examples:
  python -m xorgrok grid --task add --method groktransfer --grid fig1b-groktransfer --out runs/grid_gt
  python -m xorgrok grid --task add --method scratch --grid fig1b-scratch --shard 0/2 --out runs/grid_s
  python -m xorgrok grid --list ...      # print the run list (JSON lines) for an external engine
Each run writes one record (named by its config hash) under --out/runs; existing records are skipped.
The best run by the paper's rule (first to 99 % test accuracy) is written to --out/best.json.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from xorgrok.core.cli import ArgumentParser, int_at_least, run_main
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError, check_choice, check_float
from xorgrok.core.io import prepare_output_dir
from xorgrok.core.paths import default_runs_dir
from xorgrok.core.records import atomic_write_json, jsonable
from xorgrok.experiments.common import RunMetrics
from xorgrok.experiments.fnn import METHODS, TASKS, run_one, save_weak_checkpoint
from xorgrok.experiments.grid import GRIDS, expand, parse_shard, run_grid, select_best
from xorgrok.experiments.modular import weak_path
from xorgrok.experiments.presets import fnn_preset


def _floats(name: str, text: str | None, lo_open: bool = True) -> tuple[float, ...] | None:
    """A comma list of finite numbers > 0 (>= 0 with lo_open=False); InputError naming `name` otherwise."""
    if text is None:
        return None
    try:
        vals = tuple(float(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise InputError(f"{name} must be a comma list of numbers, got {text!r}") from None
    if not vals:
        raise InputError(f"{name} must list at least one number")
    for v in vals:
        check_float(name, v, 0.0, lo_open=lo_open)
    return vals


def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok grid", description=__doc__.split("\n")[0])
    p.add_argument("--task", default="add", help="add | mul | parity")
    p.add_argument("--method", default="groktransfer", help=" | ".join(METHODS))
    p.add_argument("--grid", default="paper", help="paper | fig1b-groktransfer | fig1b-scratch")
    p.add_argument("--inits", default=None, help="override the init-scale list, e.g. 0.1,0.3")
    p.add_argument("--lrs", default=None, help="override the lr list")
    p.add_argument("--wds", default=None, help="override the weight-decay list")
    p.add_argument("--seed", type=int_at_least("--seed", 0), default=0)
    p.add_argument("--epochs", type=int_at_least("--epochs", 1), default=None)
    p.add_argument("--weak-epochs", type=int_at_least("--weak-epochs", 0), default=None)
    p.add_argument("--stop-at", type=float, default=0.99, help="stop each run at this test accuracy (0.99)")
    p.add_argument("--shard", default="0/1", help="i/n: run every n-th config starting at i")
    p.add_argument("--limit", type=int_at_least("--limit", 1), default=None, help="run at most this many now")
    p.add_argument("--quick", action="store_true", help="reduced task and model (see presets.quick_config)")
    p.add_argument("--list", action="store_true", help="print the run list as JSON lines and exit")
    p.add_argument("--out", type=Path, default=default_runs_dir() / "grid",
                   help="records folder (default: <runs>/grid, see xorgrok.core.paths)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    check_choice("task", args.task, TASKS)
    check_choice("method", args.method, METHODS)
    check_choice("grid", args.grid, tuple(GRIDS))
    check_float("--stop-at", args.stop_at, 0.0, 1.0, lo_open=True)
    shard = parse_shard(args.shard)
    inits, lrs, wds = GRIDS[args.grid]
    inits = _floats("--inits", args.inits) or inits
    lrs = _floats("--lrs", args.lrs) or lrs
    wds = _floats("--wds", args.wds, lo_open=False) or wds
    pick_device(args.device)  # a config listed as runnable must be runnable here
    out_dir = args.out if args.list else prepare_output_dir("--out", args.out)
    over: dict[str, object] = {"stop_at_test_acc": args.stop_at, "device": args.device}
    if args.epochs is not None:
        over["epochs"] = args.epochs
    if args.weak_epochs is not None:
        over["weak.epochs"] = args.weak_epochs
    base = fnn_preset(args.task, args.method, quick=args.quick, seed=args.seed, overrides=over)
    configs = expand(base, inits, lrs, wds)  # every config validates itself on construction
    if args.list:
        for cfg in configs:
            print(json.dumps(jsonable(cfg)))
        return 0
    if base.needs_weak:  # one weak model serves the whole grid: train it once, then every run loads it
        wp = weak_path(out_dir, base)
        if not wp.exists():
            atomic_write_json(wp.with_suffix(".json"), save_weak_checkpoint(base, wp, progress=not args.no_progress))
        configs = [dataclasses.replace(c, weak_checkpoint=str(wp)) for c in configs]
    records = run_grid(
        configs, out_dir / "runs", run_one, shard=shard, progress=not args.no_progress, limit=args.limit
    )
    best = select_best(records)
    atomic_write_json(
        out_dir / "best.json",
        {
            "n_runs": len(records),
            "rule": "fewest epochs to 99% test acc",
            "best": best and {"config": best["config"], "metrics": best["metrics"]},
        },
    )
    if best is None:
        print(f"{len(records)} runs; none reached 99% test accuracy")
    else:
        c = best["config"]
        print(
            f"{len(records)} runs; best (init, lr, wd) = "
            f"({c['init_scale']}, {c['lr']}, {c['weight_decay']}): "
            f"99% test at epoch {RunMetrics.from_record(best).epochs_to_99_test}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
