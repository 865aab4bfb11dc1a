"""Cost of GrokTransfer vs training from scratch (GrokTransfer Table 1, App. A.4.1, review "Cost").

    python -m xorgrok cost --setting quick --seeds 0,1,2

Measured in one process, on one machine (named in every record):
1. Table 1, per seed: training time (forward + backward + optimizer step; evaluation excluded) of the weak
   model up to its transfer point (30 % test accuracy, §6.6), of the target with GrokTransfer and of the
   target from scratch, each until the same test-accuracy target; the ratio scratch / (weak + GrokTransfer),
   which is a lower bound when scratch hit the epoch cap first, an upper bound when GrokTransfer did, and
   undetermined when both did. One record per seed, cost_<setting>_s<seed>.json; the verdict printed uses
   every seed record of the setting in --out.
2. Per-epoch time by weak embedding dimension d_W ∈ {4, 8, 128, 256, 512} (review table) for the weak model,
   the GrokTransfer target (A of rank d_W) and scratch, timed round-robin (cost_<setting>_timing.json).
3. Forward FLOPs per example by formula (A.4.1 style) checked against torch.utils.flop_counter, and the
   totals forward-FLOPs × training examples × epochs for each run.
Settings: "tf8" = the paper's Table 1 (8-layer target, fig8a hyperparameters; needs a GPU in practice),
"tf2" = the GrokFast 2-layer target, "quick" = a 2-layer d_embed 64 target with the fig8a hyperparameters.
Scratch uses the fig8a scratch (init, lr, wd) = (0.4, 5e-4, 1) in every setting [I].
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xorgrok.core.cli import ArgumentParser, int_at_least, run_main
from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError, check_float
from xorgrok.core.io import prepare_output_dir
from xorgrok.core.paths import default_runs_dir
from xorgrok.core.records import atomic_write_json, atomic_write_text
from xorgrok.experiments.cost import (
    D_WEAK,
    DEFAULT_CAP,
    SETTINGS,
    load_seed_records,
    ratio_text,
    record_name,
    seed_outcome,
    table1_seed,
    table1_verdict,
    timing_record,
    total_forward_flops,
)


def parse_seeds(text: str, first: int = 0) -> list[int]:
    """'0,1,2' (or '3,') -> those seeds; 'N' -> N seeds first .. first+N-1. Bad text -> one-line InputError."""
    parts = [p.strip() for p in text.split(",")]
    try:
        if len(parts) == 1:
            n = int(parts[0])
            if n < 1:
                raise ValueError
            return list(range(first, first + n))
        seeds = [int(p) for p in parts if p]
    except ValueError:
        raise InputError(f"--seeds must be a count >= 1 or a comma list of seeds >= 0, got {text!r}") from None
    if not seeds or min(seeds) < 0 or len(set(seeds)) != len(seeds):
        raise InputError(f"--seeds must be a count >= 1 or a comma list of distinct seeds >= 0, got {text!r}")
    return seeds


def parse_dims(text: str) -> list[int]:
    """--d-weak: a comma list of distinct dimensions >= 1."""
    try:
        dims = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        dims = []
    if not dims or min(dims) < 1 or len(set(dims)) != len(dims):
        raise InputError(f"--d-weak must be a comma list of distinct dimensions >= 1, got {text!r}")
    return dims


def render(setting: str, seeds: list[dict[str, Any]], unfinished: list[str], timing: dict[str, Any] | None) -> str:
    lines = [f"# Cost table ({setting})", ""]
    if seeds:
        target = seeds[0]["target_test_acc"]
        lines += [f"Training time (forward + backward + step, evaluation excluded) to {target:.0%} test accuracy; "
                  "weak model to its 30 % transfer point. Every seed record of this setting in the folder is shown "
                  "and judged.", "",
                  "| seed | hardware | weak | target (GrokTransfer) | target (scratch) | scratch / (weak + GT) | why |",
                  "|---|---|---|---|---|---|---|"]
        for r in seeds:
            runs = r["runs"]

            def cell(k: str, runs: dict[str, Any] = runs, r: dict[str, Any] = r) -> str:
                v = f"{1000 * runs[k]['train_s']:.0f} ms ({runs[k]['epochs']} ep)"
                return v if runs[k]["reached"] else v + " — NOT reached by the cap"

            lines.append(f"| {r['seed']} | {r['hardware']} | {cell('weak')} | {cell('groktransfer')} | "
                         f"{cell('scratch')} | {ratio_text(r)} | {r['ratio_why']} |")
        verdict, rule = table1_verdict(seeds)
        word = {True: "pass", False: "fail", None: "open"}
        per = ", ".join(f"seed {r['seed']}: {ratio_text(r)} ({word[seed_outcome(r)]})" for r in seeds)
        lines += ["", f"Verdict over {len(seeds)} seed(s): **{verdict}** — {per}. {rule}."]
    else:
        lines += ["No per-seed Table 1 record of this setting yet."]
    lines += [f"- {u}" for u in unfinished]
    lines += ["", "Paper (A100, 8-layer target): 2828 / 71079 / 392667 ms, ratio 5.31."]
    if timing is not None:
        lines += ["", f"## ms per epoch by weak d_W (median of {timing['rounds']} round-robin bursts of "
                  f"{timing['epoch_reps']} epochs; {timing['hardware']})", "",
                  "| d_W | weak | target (GrokTransfer) | target (scratch) |", "|---|---|---|---|"]
        lines += [f"| {e['d_W']} | {e['weak_ms']:.2f} | {e['groktransfer_ms']:.2f} | {e['scratch_ms']:.2f} |"
                  for e in timing["epoch_timing_ms"]]
        f = timing["flops_per_example"]
        lines += ["", "## Forward FLOPs per example (formula, and the torch.utils.flop_counter count)", "",
                  "The counter does not see the attention core (scores, weighted sum) inside "
                  "nn.MultiheadAttention, so for the GrokFast-style target it is lower by 4·H·ctx²·d_head per "
                  "layer; elsewhere they agree (unit tests).", "",
                  "| model | formula | counted | " + " | ".join(f"total fwd FLOPs seed {r['seed']}" for r in seeds)
                  + " |", "|---|---|---|" + "---|" * len(seeds)]
        totals = [total_forward_flops(r, f) for r in seeds]
        lines += [f"| {k} | {f['formula'][k]:.4g} | {f['counted'][k]:.4g} | "
                  + " | ".join(f"{t[k]:.3g}" for t in totals) + (" |" if totals else "|")
                  for k in ("weak", "groktransfer", "scratch")]
        lines += ["", f"Non-embedding parameters: {f['non_embedding_params']}; the paper's A.4.1 N formula with "
                  f"d_attn = d_head gives {f['paper_N_formula']}."]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok cost", description=__doc__.split("\n\n")[0])
    p.add_argument("--setting", choices=SETTINGS, default="quick")
    p.add_argument("--seeds", default="1", help="a count N (seeds --seed .. --seed+N-1) or a comma list, e.g. 0,1,2")
    p.add_argument("--seed", type=int_at_least("--seed", 0), default=0, help="first seed when --seeds is a count")
    p.add_argument("--target-acc", type=float, default=0.95, help="test accuracy every target run trains to")
    p.add_argument("--max-epochs", type=int_at_least("--max-epochs", 1), default=None,
                   help="epoch cap per target run (default: quick 1500, tf2 3000, tf8 10000)")
    p.add_argument("--weak-epochs", type=int_at_least("--weak-epochs", 0), default=None,
                   help="cap the weak model's epochs (default: to its 30%% transfer point, at most 10^4)")
    p.add_argument("--epoch-reps", type=int_at_least("--epoch-reps", 1), default=None,
                   help="epochs per timing burst by d_W (default 100; quick 10)")
    p.add_argument("--timing-rounds", type=int_at_least("--timing-rounds", 1), default=3)
    p.add_argument("--d-weak", default=",".join(map(str, D_WEAK)), help="weak d_W values of the per-epoch timing")
    p.add_argument("--no-timing", action="store_true", help="skip the per-epoch timing by d_W (seed-independent)")
    p.add_argument("--device", default="auto")
    p.add_argument("--out", type=Path, default=None, help="records folder (default: the runs folder's cost/)")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    check_float("--target-acc", args.target_acc, 0.0, 1.0, lo_open=True)
    seeds = parse_seeds(args.seeds, args.seed)
    d_weak = parse_dims(args.d_weak)
    pick_device(args.device)
    out = prepare_output_dir("--out", args.out if args.out is not None else default_runs_dir() / "cost")
    cap = args.max_epochs or DEFAULT_CAP[args.setting]
    reps = args.epoch_reps or (10 if args.setting == "quick" else 100)
    for seed in seeds:  # each seed's record is written as soon as it is complete
        rec = table1_seed(args.setting, seed, args.target_acc, cap, args.device, weak_epochs=args.weak_epochs,
                          partial_dir=out, progress=not args.no_progress)
        atomic_write_json(out / record_name(args.setting, seed), rec)
        print(f"seed {seed}: ratio {ratio_text(rec)} ({rec['ratio_why']})", file=sys.stderr)
    timing_path = out / record_name(args.setting)
    if not args.no_timing:
        atomic_write_json(timing_path, timing_record(args.setting, reps, args.device, args.timing_rounds,
                                                     tuple(d_weak)))
    import json

    timing = json.loads(timing_path.read_text()) if timing_path.is_file() else None
    records, unfinished = load_seed_records(out, args.setting)
    text = render(args.setting, records, unfinished, timing)
    atomic_write_text(out / f"cost_{args.setting}.md", text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
