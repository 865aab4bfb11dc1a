"""Cost of GrokTransfer vs training from scratch (GrokTransfer Table 1, App. A.4.1, review "Cost").

    python -m xorgrok cost --setting quick --out runs/cost

Measured side by side in one process, on one machine (named in the table):
1. Table 1: training time (forward + backward + optimizer step; evaluation excluded) of the weak model up to
   its transfer point (30 % test accuracy, §6.6), of the target with GrokTransfer and of the target from
   scratch, each until the same test-accuracy target; the ratio scratch / (weak + GrokTransfer).
2. Per-epoch time by weak embedding dimension d_W ∈ {4, 8, 128, 256, 512} (review table), averaged over
   `--epoch-reps` epochs, for the weak model, the GrokTransfer target (A of rank d_W) and scratch.
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
from xorgrok.core.io import prepare_output_dir
from xorgrok.core.records import atomic_write_json, atomic_write_text
from xorgrok.experiments.cost import SETTINGS, measure


def render(r: dict[str, Any]) -> str:
    runs = r["runs"]

    def cell(k: str) -> str:
        v = f"{1000 * runs[k]['train_s']:.0f} ms ({runs[k]['epochs']} ep)"
        return v if runs[k]["reached"] else v + f" — did NOT reach {r['target_test_acc']:.0%} by the cap"

    lb = " (lower bound: scratch did not reach the target)" if r["ratio_is_lower_bound"] else ""
    if not r["ratio_determined"]:
        lb = " (UNDETERMINED: GrokTransfer did not reach the target)"
    f = r["flops"]
    lines = [
        f"# Cost table ({r['setting']}), hardware: {r['hardware']}", "",
        f"Training time (forward + backward + step, evaluation excluded) to {r['target_test_acc']:.0%} test accuracy;"
        f" weak model to its 30 % transfer point. Git {r['git_sha']}. {r['note']}.", "",
        "| weak | target (GrokTransfer) | target (scratch) | scratch / (weak + GrokTransfer) |", "|---|---|---|---|",
        f"| {cell('weak')} | {cell('groktransfer')} | {cell('scratch')} "
        f"| {r['ratio_scratch_over_groktransfer_total']:.2f}{lb} |",
        "", "Paper (A100, 8-layer target): 2828 / 71079 / 392667 ms, ratio 5.31.", "",
        f"## ms per epoch by weak d_W (mean of {r['epoch_reps']} epochs)", "",
        "| d_W | weak | target (GrokTransfer) | target (scratch) |", "|---|---|---|---|",
    ]
    lines += [f"| {e['d_W']} | {e['weak_ms']:.2f} | {e['groktransfer_ms']:.2f} | {e['scratch_ms']:.2f} |"
              for e in r["epoch_timing_ms"]]
    lines += ["", "## Forward FLOPs per example (formula, and the torch.utils.flop_counter count)", "",
              "The counter does not see the attention core (scores, weighted sum) inside nn.MultiheadAttention, "
              "so for the GrokFast-style target it is lower by 4·H·ctx²·d_head per layer; elsewhere they agree "
              "(unit tests).", "",
              "| model | formula | counted | total fwd FLOPs (× n_train × epochs) |", "|---|---|---|---|"]
    lines += [f"| {k} | {f['forward_flops_per_example_formula'][k]:.4g} "
              f"| {f['forward_flops_per_example_counted'][k]:.4g} | {f['total_forward_flops'][k]:.3g} |"
              for k in ("weak", "groktransfer", "scratch")]
    lines += ["", f"Non-embedding parameters: {f['non_embedding_params']}; the paper's A.4.1 N formula with "
              f"d_attn = d_head gives {f['paper_N_formula']}."]
    return "\n".join(lines) + "\n"
def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok cost", description=__doc__.split("\n\n")[0])
    p.add_argument("--setting", choices=SETTINGS, default="quick")
    p.add_argument("--target-acc", type=float, default=0.95, help="test accuracy every target run trains to")
    p.add_argument("--max-epochs", type=int_at_least("--max-epochs", 1), default=None,
                   help="epoch cap per target run (default: quick 1500, tf2 3000, tf8 10000)")
    p.add_argument("--epoch-reps", type=int_at_least("--epoch-reps", 1), default=None,
                   help="epochs averaged per d_W timing (default 100; quick 10)")
    p.add_argument("--device", default="auto")
    p.add_argument("--out", type=Path, default=Path("runs/cost"))
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    from xorgrok.core.errors import check_float

    check_float("--target-acc", args.target_acc, 0.0, 1.0, lo_open=True)
    out_dir = prepare_output_dir("--out", args.out)
    cap = args.max_epochs or {"quick": 1500, "tf2": 3000, "tf8": 10_000}[args.setting]
    reps = args.epoch_reps or (10 if args.setting == "quick" else 100)
    r = measure(args.setting, args.target_acc, cap, reps, args.device, progress=not args.no_progress)
    atomic_write_json(out_dir / f"cost_{args.setting}.json", r)
    text = render(r)
    atomic_write_text(out_dir / f"cost_{args.setting}.md", text)
    print(text)
    return 0
if __name__ == "__main__":
    sys.exit(run_main(main))
