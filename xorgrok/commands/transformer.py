"""`python -m xorgrok transformer`: see xorgrok.experiments.transformer."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xorgrok.experiments.transformer as _doc_source
from xorgrok.core.cli import ArgumentParser, int_at_least, nonneg_float, run_main
from xorgrok.core.config import build_config
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError
from xorgrok.core.io import prepare_output_dir
from xorgrok.core.paths import default_runs_dir
from xorgrok.core.records import atomic_write_json
from xorgrok.experiments.cache import RunCache
from xorgrok.experiments.common import partial_path_of, result_text, store_record
from xorgrok.experiments.transformer import (
    EXPERIMENTS,
    METHODS,
    OPTIMIZERS,
    PAPER_LRS,
    PAPER_WDS,
    WEAK_GRID,
    TFRunConfig,
    control_runs,
    make_task,
    paper_runs,
    record_path,
    record_tag,
    run,
    weak_grid,
)


def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok transformer", description=_doc_source.__doc__.split("\n\n")[0])
    p.add_argument("--experiment", choices=EXPERIMENTS, default="fig8b")
    p.add_argument("--method", choices=METHODS, default=None, help="run only this method (default: all)")
    p.add_argument("--quick", action="store_true", help="fewer layers, smaller width, fewer epochs")
    p.add_argument("--seed", type=int_at_least("--seed", 0), default=0)
    p.add_argument("--epochs", type=int_at_least("--epochs", 0), default=None, help="override the epoch cap")
    p.add_argument("--weak-epochs", type=int_at_least("--weak-epochs", 0), default=None,
                   help="cap the weak model's epochs (default: to its 30%% transfer point, at most 10^4)")
    p.add_argument("--weak-width", type=int_at_least("--weak-width", 1), default=None,
                   help="weak FNN width (default 4, the paper's; 16 is our earlier labelled variant)")
    p.add_argument("--grokfast-optimizer", choices=OPTIMIZERS, default="adamw",
                   help="the GrokFast baseline's optimizer: adamw, or adam (coupled L2, as the GrokFast code)")
    p.add_argument("--grokfast-wd", type=nonneg_float("--grokfast-wd"), default=None,
                   help="the GrokFast baseline's weight decay (default 1, the paper's; the GrokFast code pairs "
                        "adam with 0.005); the record name gains _wd<value>")
    p.add_argument("--weak-grid", action="store_true",
                   help="instead of targets: the width-4 weak-FNN grid (WEAK_GRID) on the experiment's task, "
                        "one JSON record weakgrid_<task>_w<width>.json")
    p.add_argument("--grid-init", default=None,
                   help="comma-separated init scales in the paper's range [0.1, 1.5] (default WEAK_GRID)")
    p.add_argument("--grid-lr", default=None, help="comma-separated lrs from the paper's grid (default WEAK_GRID)")
    p.add_argument("--grid-wd", default=None, help="comma-separated wds from the paper's grid (default WEAK_GRID)")
    p.add_argument("--grid-seeds", type=int_at_least("--grid-seeds", 1), default=1,
                   help="seeds per grid config (S..S+N-1, S = --grid-seed-start)")
    p.add_argument("--grid-seed-start", type=int_at_least("--grid-seed-start", 0), default=0,
                   help="first seed S of the grid (default 0); a record of another seed range or epoch cap is "
                        "named for them, so it never overwrites the 0..N-1, 10^4-epoch one")
    p.add_argument("--device", default="auto")
    p.add_argument("--out", type=Path, default=default_runs_dir() / "transformer",
                   help="records folder (default: <runs>/transformer, see xorgrok.core.paths)")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    if args.grokfast_wd is not None and (args.experiment not in ("fig8b", "fig16") or args.weak_grid
                                         or args.method not in (None, "grokfast")):
        raise InputError("--grokfast-wd applies to a GrokFast run only: --experiment fig8b or fig16 with --method "
                         f"grokfast or none, no --weak-grid (got --experiment {args.experiment}, --method "
                         f"{args.method})")
    pick_device(args.device)
    out_dir = prepare_output_dir("--out", args.out)
    overrides: dict[str, Any] = {"device": args.device}
    if args.epochs is not None:
        overrides["epochs"] = args.epochs
    if args.weak_epochs is not None:
        overrides["weak.epochs"] = args.weak_epochs
    if args.weak_width is not None:
        overrides["weak.width"] = args.weak_width
    if args.grokfast_optimizer != "adamw":
        overrides["optimizer"] = args.grokfast_optimizer
    if args.weak_grid:
        return _weak_grid(args, out_dir)
    runs = paper_runs(args.experiment, args.quick, seed=args.seed, overrides=overrides)
    if args.method == "random_ab":
        runs = control_runs(args.experiment, args.quick, seed=args.seed, overrides=overrides)
    if args.grokfast_wd is not None:
        runs = [build_config(TFRunConfig, {"weight_decay": args.grokfast_wd}, base=c) if c.method == "grokfast"
                else c for c in runs]
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


GRID_EVAL_EVERY = 10  # the weak grid's resolution of "epoch at 30 % test" (its records say so)


def _weak_grid(args: Any, out_dir: Path) -> int:
    cfg = paper_runs(args.experiment, False)[0]
    if cfg.task == "parity":
        raise InputError("--weak-grid needs a modular experiment (fig8a, fig8b, fig16, fig13l)")
    width = args.weak_width or 4
    grid = dict(WEAK_GRID)
    lrs, wds = ", ".join(f"{v:g}" for v in PAPER_LRS), ", ".join(f"{v:g}" for v in PAPER_WDS)
    for flag, key, ok, allowed in (
            ("--grid-init", "init_scale", lambda v: 0.1 <= v <= 1.5, "init scales in the paper's range [0.1, 1.5]"),
            ("--grid-lr", "lr", lambda v: v in PAPER_LRS, f"values from the paper's grid {lrs}"),
            ("--grid-wd", "weight_decay", lambda v: v in PAPER_WDS, f"values from the paper's grid {wds}")):
        raw = getattr(args, flag[2:].replace("-", "_"))
        if raw is None:
            continue
        try:
            vals = tuple(float(v) for v in raw.split(","))
        except ValueError:
            vals = ()
        if not vals or not all(ok(v) for v in vals):
            raise InputError(f"{flag} {raw}: comma-separated {allowed}")
        grid[key] = vals
    epochs = args.weak_epochs if args.weak_epochs is not None else 10_000
    suffix = "" if grid == WEAK_GRID else "_lr" + "-".join(f"{v:g}" for v in grid["lr"]) + "_wd" + "-".join(
        f"{v:g}" for v in grid["weight_decay"])
    if grid["init_scale"] != WEAK_GRID["init_scale"]:
        suffix = "_init" + "-".join(f"{v:g}" for v in grid["init_scale"]) + suffix
    seeds = tuple(range(args.grid_seed_start, args.grid_seed_start + args.grid_seeds))
    if seeds[0] != 0:
        suffix += f"_seeds{seeds[0]}-{seeds[-1]}"
    if epochs != 10_000:
        suffix += f"_cap{epochs}"
    path = out_dir / f"weakgrid_{cfg.task}_w{width}{suffix}.json"
    n_all = len(grid["init_scale"]) * len(grid["lr"]) * len(grid["weight_decay"]) * args.grid_seeds
    t0 = time.perf_counter()

    def write(rows: list[dict[str, Any]]) -> None:
        atomic_write_json(path, {"kind": "transformer/weak-grid", "task": cfg.task, "width": width, "grid": grid,
                                 "epochs_cap": epochs, "rows": rows, "complete": len(rows) == n_all,
                                 "wall_s": time.perf_counter() - t0,
                                 "notes": ["d_embed 4, 2 layers, stopped at 30% test accuracy (the transfer point), "
                                           f"test accuracy checked every {GRID_EVAL_EVERY} epochs"]})

    rows = weak_grid(make_task(cfg), seeds=seeds, width=width, grid=grid, epochs=epochs,
                     eval_every=GRID_EVAL_EVERY, on_row=write)
    for r in rows:
        print(f"init {r['init_scale']:g} lr {r['lr']:g} wd {r['weight_decay']:g} seed {r['seed']}: 30% at "
              f"{r['epochs_to_30_test']}, best test {r['best_test_acc']:.3f}, final train {r['final_train_acc']:.3f}")
    print(f"{len(rows)} runs ({len(rows) // args.grid_seeds} configs) -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
