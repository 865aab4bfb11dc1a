"""`python -m xorgrok casestudy`: the GrokTransfer XOR chain once per seed (weak net -> U -> f_L after one GD step)."""

from __future__ import annotations

from collections.abc import Sequence

from xorgrok.core.seeding import derive
from xorgrok.data.xor import PAPER_XOR, sample_hypercube
from xorgrok.experiments.xor import (
    TransferConfig,
    XorWeakConfig,
    default_target_width,
    theorem_hyperparameters,
    train_weak,
    transfer,
)


def main(argv: Sequence[str] | None = None) -> int:
    """python -m xorgrok casestudy: weak net -> U -> f_L after one GD step, per seed."""
    import json
    import math
    import time

    from xorgrok.core.cli import ArgumentParser, int_at_least, positive_float
    from xorgrok.core.device import pick_device
    from xorgrok.core.health import diverged_text, divergence_fields
    from xorgrok.core.io import check_output_file
    from xorgrok.core.records import RunRecord

    ap = ArgumentParser(prog="python -m xorgrok casestudy",
                        description="One end-to-end GrokTransfer XOR run per seed at the paper's setting "
                        f"(n {PAPER_XOR.n}, p {PAPER_XOR.p}, eps {PAPER_XOR.eps}, 3-neuron weak net, target "
                        "width m = ceil(2 ln^3 n)). The target f_L is run twice: 'as_used' (raw weak weights, the weak "
                        "net's own training set, "
                        "--v-init/--alpha, Fig. 9's 0.4/2.0) and 'as_proved' (each u_j scaled to [±mu; delta_j] as "
                        "the proof writes it, a fresh training set independent of U, v_init = ln^-1.5 n and "
                        "alpha = sqrt(m) v_init, the (A3)/(A4) boundary at C = 1). About 20-40 s per seed on 2 cores.")
    ap.add_argument("--n", type=int_at_least("--n", 2), default=PAPER_XOR.n)
    ap.add_argument("--p", type=int_at_least("--p", 3), default=PAPER_XOR.p)
    ap.add_argument("--eps", type=positive_float("--eps"), default=PAPER_XOR.eps)
    ap.add_argument("--m-weak", type=int_at_least("--m-weak", 1), default=3, help="weak-net width (1, 2, 3...)")
    ap.add_argument("--weak-steps", type=int_at_least("--weak-steps", 1), default=2000)
    ap.add_argument("--m", type=int_at_least("--m", 1), default=None, help="target width (default ceil(2 ln^3 n))")
    ap.add_argument("--v-init", type=positive_float("--v-init"), default=0.4)
    ap.add_argument("--alpha", type=positive_float("--alpha"), default=2.0)
    ap.add_argument("--steps", type=int_at_least("--steps", 1), default=1, help="GD steps on V (theorem: 1)")
    ap.add_argument("--n-eval", type=int_at_least("--n-eval", 1), default=10_000)
    ap.add_argument("--seed", type=int_at_least("--seed", 0), default=0)
    ap.add_argument("--seeds", type=int_at_least("--seeds", 1), default=1, help="run seeds seed..seed+K-1")
    ap.add_argument("--device", default="auto", help="auto (CUDA when present), cpu or cuda[:k]")
    ap.add_argument("--record", default=None, help="write a run record (JSON) here")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)
    if args.record:
        check_output_file("--record", args.record)  # before the minutes of work, not after
    pick_device(args.device)
    t0 = time.perf_counter()
    rows = []
    for s in range(args.seed, args.seed + args.seeds):
        wc = XorWeakConfig(n=args.n, p=args.p, eps=args.eps, m=args.m_weak, steps=args.weak_steps, seed=s,
                           n_eval=args.n_eval, device=args.device)
        weak = train_weak(wc)
        wdiv = divergence_fields(weak.history)
        row = {"seed": s, "weak_test_acc": None if wdiv["diverged_at"] is not None else weak.test_acc,
               "weak_learned": weak.learned, "weak_transition_step": weak.transition_step, "r_W": weak.r_W,
               "n_eval": args.n_eval, "weak_diverged_at": wdiv["diverged_at"],
               "weak_diverged_quantity": wdiv["diverged_quantity"]}
        m = args.m if args.m is not None else default_target_width(args.n)
        v_thm, a_thm = theorem_hyperparameters(args.n, m)
        fresh = sample_hypercube(args.n, args.p, args.eps, derive(s, "fresh-train"), device=weak.train.x.device)
        regimes = {
            # the method as the paper runs it: raw W, the weak net's own training set, Fig. 9's v_init and lr
            "as_used": (weak.train, "none", args.v_init, args.alpha),
            # the theorem as proved: u_j = [±μ; δ_j], data independent of U, (A3)/(A4) at C = 1
            "as_proved": (fresh, "signal", v_thm, a_thm),
        }
        row["target_m"] = m
        for name, (data, norm, v, alpha) in regimes.items():
            tr = transfer(weak.U, data, TransferConfig(m=m, v_init=v, alpha=alpha, steps=args.steps,
                                                       n_eval=args.n_eval, normalize=norm, seed=s))
            div = divergence_fields(tr.result.history)
            if div["diverged_at"] is None and not math.isfinite(tr.test_acc):
                div = {"diverged_at": args.steps, "diverged_quantity": "test outputs"}
            ok = div["diverged_at"] is None
            row[name] = {"normalize": norm, "fresh_data": data is fresh, "v_init": v, "alpha": alpha,
                         "train_acc": tr.train_acc if ok else None, "test_acc": tr.test_acc if ok else None, **div}
        rows.append(row)
        if not args.json:
            if row["weak_diverged_at"] is not None:
                print(f"seed {s}: weak net (m={args.m_weak}) "
                      f"{diverged_text(row['weak_diverged_at'], row['weak_diverged_quantity'])}: no accuracy, "
                      f"features or r_W to report (lower --eps)")
            else:
                print(f"seed {s}: weak net (m={args.m_weak}) test acc {row['weak_test_acc']:.4f} "
                      f"({args.n_eval} fresh points), features {row['weak_learned']}, "
                      f"transition ~step {row['weak_transition_step']}, r_W {row['r_W']:.4f}")
            for name in regimes:
                r = row[name]
                acc = (f"train acc {r['train_acc']:.4f}, test acc {r['test_acc']:.4f}" if r["diverged_at"] is None
                       else diverged_text(r["diverged_at"], r["diverged_quantity"]) + " (no accuracy)")
                print(f"    f_L {name:9s} (m={m}, U {r['normalize']}, {'fresh' if r['fresh_data'] else 'reused'} "
                      f"data, v_init {r['v_init']:.3g}, alpha {r['alpha']:.3g}) after {args.steps} step(s): {acc}")
    wall = time.perf_counter() - t0
    if args.json:
        print(json.dumps(rows, indent=2))
    if args.record:
        RunRecord(kind="casestudy", config=vars(args), seed=args.seed, metrics={"runs": rows},
                  wall_time_s=wall).write(args.record)
    return 0
if __name__ == "__main__":
    import sys

    from xorgrok.core.cli import run_main

    sys.exit(run_main(main))
