"""`python -m xorgrok modular`: see xorgrok.experiments.modular."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xorgrok.experiments.modular as _doc_source
from xorgrok.core.cli import ArgumentParser, int_at_least, run_main
from xorgrok.core.errors import InputError, check_choice, check_float
from xorgrok.core.io import prepare_output_dir
from xorgrok.core.paths import default_runs_dir
from xorgrok.core.records import atomic_write_json
from xorgrok.experiments.fnn import METHODS, TASKS
from xorgrok.experiments.modular import (
    build_configs,
    format_summary,
    parse_setting,
    run_configs,
    summarise_runs,
    with_grid_checkpoints,
)
from xorgrok.experiments.modular_weak import CHECKPOINT_ACCS, grid_table, run_weak, select_recipe


def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok modular", description=_doc_source.__doc__.split("\n")[0])
    p.add_argument("--task", default="add", help="add | mul | parity (default add)")
    p.add_argument("--methods", default="groktransfer,scratch,grokfast", help="comma list of " + ", ".join(METHODS))
    p.add_argument("--seeds", type=int_at_least("--seeds", 1), default=3)
    p.add_argument("--seed", type=int_at_least("--seed", 0), default=0, help="first init seed")
    p.add_argument("--split-seed", type=int_at_least("--split-seed", 0), default=0)
    p.add_argument("--epochs", type=int_at_least("--epochs", 1), default=None, help="target epochs (cap)")
    p.add_argument("--stop-at", type=float, default=None, help="stop a target at this test accuracy, e.g. 0.99")
    p.add_argument("--eval-every", type=int_at_least("--eval-every", 1), default=None)
    p.add_argument("--modulus", type=int, default=None, help="p (default 113; quick 23)")
    p.add_argument("--train-fraction", type=float, default=None)
    p.add_argument("--q", type=int, default=None)
    p.add_argument("--k", type=int, default=None)
    for m in ("groktransfer", "scratch", "grokfast", "random_ab"):
        p.add_argument(
            f"--{m.replace('_', '-')}",
            dest=f"set_{m}",
            default=None,
            metavar="INIT,LR,WD",
            help=f"override the {m} target setting",
        )
    p.add_argument("--weak", dest="set_weak", default=None, metavar="INIT,LR,WD", help="override the weak setting")
    p.add_argument(
        "--weak-epochs", type=int_at_least("--weak-epochs", 0), default=None, help="weak training epochs (paper 10^4)"
    )
    p.add_argument("--weak-grid", default=None, metavar="I,LR,WD;...",
                   help="only train weak models: these recipes × the seeds, with checkpoints (see modular_weak)")
    p.add_argument("--min-success", type=int_at_least("--min-success", 1), default=None,
                   help="--weak-grid selection: seeds that must reach 90%% test (default: all but a quarter)")
    p.add_argument("--weak-from", type=Path, default=None,
                   help="take E_W of seed s from this --weak-grid folder (recipe: --weak) instead of training it")
    p.add_argument("--weak-at", default="final", help="with --weak-from: final | 0.4 | 0.6 | 0.8 (first epoch there)")
    p.add_argument("--batch-size", type=int_at_least("--batch-size", 1), default=None,
                   help="target mini-batch size (default: full batch, the paper's reading)")
    p.add_argument("--merge-epoch", type=int, default=None, help="merge A·B into E_T after this epoch")
    p.add_argument("--quick", action="store_true", help="reduced setting (p=59, small widths, few epochs)")
    p.add_argument("--out", type=Path, default=default_runs_dir() / "modular",
                   help="records folder (default: <runs>/modular, see xorgrok.core.paths)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    check_choice("task", args.task, TASKS)
    check_choice("--weak-at", args.weak_at, ("final", *map(str, CHECKPOINT_ACCS)))
    if args.weak_from is not None and not args.weak_from.is_dir():
        raise InputError(f"--weak-from must be a folder written by --weak-grid, got {str(args.weak_from)!r}")
    recipes = [parse_setting("--weak-grid", t) for t in (args.weak_grid or "").split(";") if t.strip()]
    if args.weak_grid is not None and not recipes:
        raise InputError(f"--weak-grid must list at least one INIT,LR,WD recipe; got {args.weak_grid!r}")
    if args.min_success is not None and args.min_success > args.seeds:
        raise InputError(f"--min-success must be at most --seeds ({args.seeds}), got {args.min_success}")
    out_dir = prepare_output_dir("--out", args.out)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    if not methods:
        raise InputError(f"--methods must list at least one of {', '.join(METHODS)}; got {args.methods!r}")
    for m in methods:
        check_choice("--methods entry", m, METHODS)
    overrides: dict[str, Any] = {"device": args.device, "split_seed": args.split_seed}
    for key, val in (
        ("epochs", args.epochs),
        ("stop_at_test_acc", args.stop_at),
        ("eval_every", args.eval_every),
        ("modulus", args.modulus),
        ("train_fraction", args.train_fraction),
        ("q", args.q),
        ("k", args.k),
        ("merge_epoch", args.merge_epoch),
        ("batch_size", args.batch_size),
    ):
        if val is not None:
            overrides[key] = val
    if args.stop_at is not None:
        check_float("--stop-at", args.stop_at, 0.0, 1.0, lo_open=True)
    setting = {m: parse_setting(f"--{m}", getattr(args, f"set_{m}")) for m in METHODS if getattr(args, f"set_{m}")}
    weak = parse_setting("--weak", args.set_weak) if args.set_weak else None
    seeds = list(range(args.seed, args.seed + args.seeds))
    if args.weak_grid is not None:
        return _weak_grid(args, out_dir, seeds, overrides, recipes)
    configs = build_configs(args.task, methods, seeds, args.quick, overrides, setting, weak, args.weak_epochs)
    if args.weak_from is not None:
        configs = with_grid_checkpoints(configs, args.weak_from, args.weak_at)
    records = run_configs(configs, out_dir, progress=not args.no_progress)
    summary = summarise_runs(records)
    atomic_write_json(out_dir / "summary.json", summary)
    print(format_summary(summary))
    return 0


def _weak_grid(args: Any, out_dir: Path, seeds: list[int], overrides: dict[str, Any],
               recipes: list[tuple[float, float, float]]) -> int:
    min_success = args.min_success if args.min_success is not None else len(seeds) - len(seeds) // 4
    recs = []
    for r in recipes:
        for s in seeds:
            cfg = build_configs(args.task, ["groktransfer"], [s], args.quick, overrides, None, r, args.weak_epochs)[0]
            rec = run_weak(cfg, cfg.weak, s, out_dir)
            print(f"[weak {r} seed {s}] to90={rec['epochs_to_grok']} final={rec['final_test_acc']:.3f}",
                  file=sys.stderr)
            recs.append(rec)
    table = grid_table(recs)
    chosen = select_recipe(recs, min_success)
    atomic_write_json(out_dir / "weak_grid_summary.json",
                      {"table": table, "min_success": min_success, "selected": chosen})
    for row in table:
        print(f"{row['recipe']}: {row['n_grok']}/{len(row['seeds'])} reach 90% test; epochs {row['epochs_to_grok']};"
              f" final {row['final_test_acc']}")
    print(f"selected (>= {min_success} of {len(seeds)} seeds reach 90%): {chosen}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
