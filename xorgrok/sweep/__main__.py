"""python -m xorgrok.sweep SPEC [--out DIR] [--workers N | --scheduler tcp://HOST:PORT] [--json]
python -m xorgrok.sweep --bench [--bench-p P] [--bench-seeds K] [--bench-steps S]

Runs every (point, seed) task of SPEC (TOML or JSON, see xorgrok.sweep.spec), storing one record per task under
DIR/tasks/ (resume: stored tasks are skipped), then writes DIR/tasks.{csv,json} and DIR/cells.{csv,json}
and prints a summary. Exit code 0 even when some tasks raised (they are counted in the summary); 2 on bad input.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from xorgrok.core.cli import ArgumentParser, int_at_least, run_main
from xorgrok.core.errors import InputError
from xorgrok.core.io import check_output_dir
from xorgrok.core.paths import default_runs_dir


def _parser() -> ArgumentParser:
    p = ArgumentParser(prog="python -m xorgrok.sweep", description=__doc__.split("\n\n")[1])
    p.add_argument("spec", nargs="?", type=Path, help="sweep spec, .toml or .json")
    p.add_argument("--out", type=Path, default=None,
                   help="output directory (default: RUNS/sweeps/<spec name>; --bench: RUNS/sweeps for bench.json)")
    p.add_argument("--workers", type=int_at_least("--workers", 0), default=None,
                   help="0: in-process; N: LocalCluster of N processes x 1 thread (default: one per core)")
    p.add_argument("--scheduler", default=None, help="address of an existing Dask scheduler, tcp://HOST:PORT")
    p.add_argument("--start-method", default=None, metavar="{auto,fork,forkserver,spawn}",
                   help="how the LocalCluster starts its workers (default auto: fork on Linux, so they inherit the "
                        "loaded torch, spawn elsewhere; spawn: fresh interpreters, Dask's own default); not with "
                        "--scheduler or --workers 0")
    p.add_argument("--retry-errors", action="store_true", help="recompute tasks stored as errors")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.add_argument("--bench", action="store_true",
                   help="benchmark: the same gt-onestep sweep in-process and on a 2-worker LocalCluster")
    p.add_argument("--bench-p", type=int_at_least("--bench-p", 3), default=80_000, help="p of the benchmark")
    p.add_argument("--bench-seeds", type=int_at_least("--bench-seeds", 1), default=8,
                   help="seeds per point of the benchmark (8 points)")
    p.add_argument("--bench-steps", type=int_at_least("--bench-steps", 1), default=100,
                   help="weak-net GD steps per benchmark task")
    return p


def use_huge_pages() -> None:
    """Ask torch for transparent huge pages on its large allocations (THP_MEM_ALLOC_ENABLE, read once at torch's
    first allocation), unless the user set the variable. A p = 80,000 task allocates ~0.5 GB in fresh tensors and
    spent ~15% of its CPU in page faults, more when two workers fault at once. Set only while torch is not yet
    loaded, so that the in-process run and the workers (which inherit the environment) always agree."""
    if "torch" not in sys.modules:
        os.environ.setdefault("THP_MEM_ALLOC_ENABLE", "1")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    use_huge_pages()
    if args.out is not None:  # refused before any work: a file, or a path under a file
        check_output_dir("--out", args.out)
    if args.start_method is not None:
        from xorgrok.sweep.engine import resolve_start_method

        resolve_start_method(args.start_method)  # refuses an unknown method
        if args.scheduler is not None or args.workers == 0:
            raise InputError("--start-method applies to the LocalCluster only: not with --scheduler or --workers 0")
    start_method = args.start_method or "auto"
    if args.bench:
        from xorgrok.core.records import atomic_write_json
        from xorgrok.sweep.bench import run_bench

        res = run_bench(p=args.bench_p, seeds=args.bench_seeds, weak_steps=args.bench_steps,
                        progress=not args.no_progress, start_method=start_method)
        atomic_write_json((args.out or default_runs_dir() / "sweeps") / "bench.json", res)
        print(json.dumps(res, indent=2) if args.json else res["text"])
        return 0
    if args.spec is None:
        raise InputError("SPEC is required (a .toml or .json sweep spec), or --bench")
    if args.scheduler is not None and args.workers is not None:
        raise InputError("give --workers or --scheduler, not both")
    from xorgrok.core.records import atomic_write_json
    from xorgrok.sweep.engine import run_tasks
    from xorgrok.sweep.spec import load_spec
    from xorgrok.sweep.store import TaskStore
    from xorgrok.sweep.table import write_tables

    spec = load_spec(args.spec)
    out = args.out if args.out is not None else default_runs_dir() / "sweeps" / args.spec.stem
    check_output_dir("--out", out)
    store = TaskStore(out)
    atomic_write_json(out / "spec.json", spec.to_dict())
    run = run_tasks(spec, store, workers=args.workers, scheduler=args.scheduler, progress=not args.no_progress,
                    retry_errors=args.retry_errors, start_method=start_method)
    tables = write_tables(spec, store, out)
    classes: dict[str, int] = {}
    for c in tables["cells"]:
        classes[c["class"]] = classes.get(c["class"], 0) + 1
    errors = [r["error"] for r in tables["tasks"] if r["status"] == "error"][:5]
    summary = {"experiment": spec.experiment, "out": str(out), "where": run.where, "tasks": run.total,
               "skipped_stored": run.skipped, "computed": run.computed, "failed_tasks": run.failed,
               "lost_tasks": run.lost, "cells": len(tables["cells"]), "classes": classes,
               "errors": errors}
    atomic_write_json(out / "summary.json", summary)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"sweep {spec.experiment}: {run.total} tasks ({run.skipped} stored, {run.computed} computed, "
              f"{run.failed} failed, {run.lost} lost) on {run.where} -> {out}")
        print("cells: " + ", ".join(f"{k} {v}" for k, v in sorted(classes.items())))
        for e in errors:
            print(f"  task error: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
