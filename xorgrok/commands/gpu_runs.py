"""The prepared accelerator session: smoke test of every GPU path, then the paper's GPU runs under a budget.

    python -m xorgrok gpu-runs --device cuda --budget-s 480 --out /tmp/gpu_runs --bundle $OUT/gpu_runs.tar.gz

Prints the device, torch and CUDA versions; runs each GPU command for 2 epochs (stopping at the first
failure, with its message); then Fig. 8(a) full size seed 0 (GrokTransfer, scratch), `cost --setting tf8`
seed 0, Fig. 13 left seed 0, and further seeds while the budget lasts, never starting a run whose estimate
exceeds the time left (see xorgrok.experiments.gpu_plan). Every record, partial ones included, goes under
--out (a runs folder: transformer/, cost/, smoke/), with gpu_runs_summary.json; --bundle also packs that
folder into one .tar.gz after every step, so whatever finished survives a stop. Render the report rows with
`python -m xorgrok.report --runs OUT --only tf,cost`. `--tiny --device cpu` runs the same steps at toy sizes.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import os
import platform
import signal
import sys
import tarfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import torch

from xorgrok.commands import by_name
from xorgrok.core.cli import ArgumentParser, int_at_least, positive_float, run_main
from xorgrok.core.device import pick_device
from xorgrok.core.io import prepare_output_dir
from xorgrok.core.paths import default_runs_dir
from xorgrok.core.records import atomic_write_bytes, atomic_write_json, git_sha
from xorgrok.experiments.gpu_plan import BudgetExceeded, Outcome, PlanConfig, Step, build_plan, execute, probe


def versions(device: torch.device) -> dict[str, Any]:
    info: dict[str, Any] = {"python": platform.python_version(), "torch": torch.__version__,
                            "cuda_build": torch.version.cuda, "cuda_available": torch.cuda.is_available(),
                            "device": str(device), "git_sha": git_sha()}
    if device.type == "cuda":
        info.update(device_name=torch.cuda.get_device_name(device), device_count=torch.cuda.device_count(),
                    cudnn=torch.backends.cudnn.version(),
                    capability=".".join(map(str, torch.cuda.get_device_capability(device))))
    else:
        info.update(device_name=platform.processor() or "cpu", threads=torch.get_num_threads())
    return info


def _alarm(_sig: int, _frame: FrameType | None) -> None:
    raise BudgetExceeded


def run_step(step: Step, seconds_left: float) -> None:
    """Run one step in this process; a timer raises BudgetExceeded into it at the deadline."""
    print(f"\n== {step.name}: python -m xorgrok {step.command or '(library call)'} {' '.join(step.argv)}",
          flush=True)
    use_timer = hasattr(signal, "setitimer")
    if use_timer:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, max(seconds_left, 0.01))
    try:
        if step.call is not None:
            step.call()
            return
        cmd = by_name(step.command or "")
        if cmd is None:
            raise RuntimeError(f"no command {step.command!r}")
        rc = importlib.import_module(cmd.module).main(list(step.argv))
        if rc:
            raise RuntimeError(f"exit code {rc}")
    except SystemExit as exc:  # argparse errors inside a command
        if exc.code:
            raise RuntimeError(f"exit code {exc.code}") from None
    except BudgetExceeded:
        raise
    except Exception:
        traceback.print_exc()  # the whole story for the log; the summary keeps the one-line message
        raise
    finally:
        if use_timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


def bundle(folder: Path, dest: Path) -> None:
    """Pack every file under `folder` (except `dest`) into the .tar.gz `dest`, written atomically."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for f in sorted(folder.rglob("*")):
            if f.is_file() and f.resolve() != dest.resolve() and not f.name.startswith("."):
                tar.add(f, arcname=str(f.relative_to(folder)))
    atomic_write_bytes(dest, buf.getvalue())


def _table(outcomes: list[Outcome]) -> str:
    rows = [f"  {o.status:<8} {o.wall_s:7.1f} s  est {'-' if o.estimate_s is None else f'{o.estimate_s:.0f} s':>7}  "
            f"{o.name}{'  -- ' + o.message if o.message else ''}" for o in outcomes]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok gpu-runs", description=__doc__.split("\n\n")[0])
    p.add_argument("--device", default="auto", help="cuda, cuda:K, cpu or auto")
    p.add_argument("--budget-s", type=positive_float("--budget-s"), default=660.0,
                   help="wall-clock budget of the whole session, smoke test included (default 660 = 11 min)")
    p.add_argument("--out", type=Path, default=None,
                   help="folder of every record (default: $OUT if set, else the runs folder's gpu_runs/)")
    p.add_argument("--bundle", type=Path, default=None, help="also pack --out into this .tar.gz after every step")
    p.add_argument("--seeds", type=int_at_least("--seeds", 1), default=3,
                   help="main runs for seeds 0 .. N-1 while time remains (seed 0 first)")
    p.add_argument("--tiny", action="store_true", help="toy sizes (quick model, 2 epochs): test the plan on CPU")
    p.add_argument("--redo", action="store_true",
                   help="run main steps again even where --out already holds their complete record")
    p.add_argument("--dry-run", action="store_true", help="print the steps and exit (the device is not checked)")
    args = p.parse_args(argv)
    device = pick_device(args.device) if not args.dry_run else torch.device("cpu")  # a plan can be read anywhere
    out = args.out or (Path(os.environ["OUT"]) if os.environ.get("OUT") else default_runs_dir() / "gpu_runs")
    if not args.dry_run:  # checked before the smoke test, not when the first record is written
        out = prepare_output_dir("--out", out)
    cfg = PlanConfig(device=args.device, out=out, tiny=args.tiny, seeds=args.seeds, budget_s=args.budget_s)
    steps = build_plan(cfg)
    if args.dry_run:
        for s in steps:
            print(f"{s.stage:<5} {s.name}: python -m xorgrok {s.command or '(library call)'} {' '.join(s.argv)}")
        return 0
    t0 = time.monotonic()
    head = versions(device)
    print(" ".join(f"{k}={v}" for k, v in head.items()), flush=True)
    summary_path = out / "gpu_runs_summary.json"

    def on_done(outcomes: list[Outcome]) -> None:
        atomic_write_json(summary_path, {"versions": head, "plan": dataclasses.asdict(cfg),
                                         "elapsed_s": time.monotonic() - t0,
                                         "outcomes": [dataclasses.asdict(o) for o in outcomes]})
        if args.bundle is not None:
            bundle(out, args.bundle)
        print(_table(outcomes[-1:]), flush=True)

    outcomes = execute(steps, args.budget_s, run_step, lambda: probe(cfg), on_done=on_done, start=t0,
                       keep_done=not args.redo)
    print(f"\n== summary ({time.monotonic() - t0:.0f} s of {args.budget_s:.0f} s; records in {out})")
    print(_table(outcomes))
    smoke_ok = all(o.status == "ok" for o in outcomes if o.stage == "smoke") and any(
        o.stage == "main" for o in outcomes)
    return 0 if smoke_ok else 1


if __name__ == "__main__":
    sys.exit(run_main(main))
