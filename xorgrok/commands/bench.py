"""python -m xorgrok bench: the Gram-space engine against plain autograd GD, in one process.

Default setting is Fig. 4(a): n = 400, p = 80,000, ε = 0.05, width m = 2048 (PyTorch default init),
lr 0.1, wd 0.1, 100 GD steps, 2000 test points. Prints one JSON object:
  plain_step_s      mean time of one plain autograd GD step (forward + backward + update)
  gram_step_s       mean time of one Gram-space step
  per_step_speedup  plain_step_s / gram_step_s
  total_s           the whole Gram run: data, init, set-up, all steps, test evaluation
  max_rel_logit_diff  agreement of the two engines' training logits over the plain steps run
A benchmark, not a test: the bars (speed-up >= 100x, total <= 20 s on 2 cores) are read off its output.

--scale: the exact large-p engines instead (experiments/scale_bench.py): one JSON object with keys
`xu_literal` (Xu'24 GD at p = 10^12 by the Bartlett simulator, n 200, m 1000, per-seed wall time, isometry and
in-law agreement figures) and `hypercube_large` (the GrokTransfer chain at p = 10^7 with the streamed Gram,
the explicit engine's memory refusal, streamed-vs-explicit agreement at p = 80,000). Several minutes.
The chain's weak net uses lr = min(0.1, 200 / (eps^2 p)): the paper's 0.1 wherever eps^2 p <= 2000 (p = 80,000
at eps = 0.05 included) and lr * eps^2 p held at 200 above it (the paper's lr diverges at p = 10^7, eps = 0.05,
since ||x||^2 ~ eps^2 p); the record states the lr used. --hyper-eps sets the chain's eps (default 0.05, the
paper's): at p = 10^7, eps = 0.05 the data are outside (A1) (c1 = 2.4) and the weak net does not learn;
eps = 0.015 holds c1 at the paper's 0.72. Streamed passes use torch's thread count
(OMP_NUM_THREADS), progress bars on stderr, and a last stderr line with wall_s, cpu_s and peak_rss_gib.
--part fig4a (not in "both"): Fig. 4(a)'s width-2048 normal training at p = --fig4a-p (default 10^6), data and
PyTorch-default uniform W0 streamed (exact O(mnp) set-up), then Gram-space GD free of p.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence

import torch

from xorgrok.core.cli import ArgumentParser, int_at_least, nonneg_float, positive_float, run_main
from xorgrok.core.device import pick_device
from xorgrok.core.health import diverged_text, divergence_fields
from xorgrok.core.io import check_output_file
from xorgrok.core.records import RunRecord
from xorgrok.core.seeding import derive
from xorgrok.data.xor import PAPER_XOR, sample_hypercube
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer
from xorgrok.train.gd import GDConfig, Split
from xorgrok.train.two_layer import train_two_layer


def main(argv: Sequence[str] | None = None) -> int:
    ap = ArgumentParser(prog="python -m xorgrok bench", description=__doc__,
                        formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int_at_least("--n", 1), default=PAPER_XOR.n)
    ap.add_argument("--p", type=int_at_least("--p", 3), default=PAPER_XOR.p)
    ap.add_argument("--eps", type=positive_float("--eps"), default=PAPER_XOR.eps)
    ap.add_argument("--m", type=int_at_least("--m", 1), default=2048)
    ap.add_argument("--steps", type=int_at_least("--steps", 1), default=100)
    ap.add_argument("--plain-steps", type=int_at_least("--plain-steps", 1), default=3,
                    help="plain steps to time (each takes ~1-2 s at the default setting)")
    ap.add_argument("--n-test", type=int_at_least("--n-test", 1), default=2000)
    ap.add_argument("--lr", type=positive_float("--lr"), default=0.1)
    ap.add_argument("--wd", type=nonneg_float("--wd"), default=0.1)
    ap.add_argument("--seed", type=int_at_least("--seed", 0), default=0)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--record", default=None, help="also write a run record (JSON) to this path")
    ap.add_argument("--scale", action="store_true", help="the large-p engines' benchmark (see above)")
    ap.add_argument("--json", action="store_true", help="JSON output (always on; accepted for symmetry)")
    ap.add_argument("--xu-p", type=int_at_least("--xu-p", 3), default=10**12, help="--scale: Xu'24 dimension")
    ap.add_argument("--xu-seeds", type=int_at_least("--xu-seeds", 1), default=3, help="--scale: Xu'24 seeds")
    ap.add_argument("--hyper-p", type=int_at_least("--hyper-p", 3), default=10**7,
                    help="--scale: hypercube dimension")
    ap.add_argument("--hyper-eps", type=positive_float("--hyper-eps"), default=0.05,
                    help="--scale: the hypercube chain's noise eps (default 0.05, the paper's; 0.015 at p = 10^7 "
                         "holds (A1)'s c1 at the paper's value)")
    ap.add_argument("--fig4a-p", type=int_at_least("--fig4a-p", 3), default=10**6,
                    help="--scale --part fig4a: dimension of the streamed Fig. 4(a) run")
    ap.add_argument("--part", choices=["both", "xu_literal", "hypercube_large", "fig4a"], default="both",
                    help="--scale: run one part only (its key alone in the JSON object)")
    args = ap.parse_args(argv)
    if args.record:
        check_output_file("--record", args.record)
    dev = pick_device(args.device)
    if args.scale:
        return _scale(args)

    t0 = time.perf_counter()
    tr = sample_hypercube(args.n, args.p, args.eps, derive(args.seed, "train"), device=dev)
    te = sample_hypercube(args.n_test, args.p, args.eps, derive(args.seed, "test"), device=dev)
    t_data = time.perf_counter() - t0
    p0 = init_two_layer(TwoLayerConfig(m=args.m, init="torch"), args.p, derive(args.seed, "init"), device=dev)
    t_init = time.perf_counter() - t0 - t_data
    split = Split(tr.x, tr.y, te.x, te.y)
    cfg = GDConfig(steps=args.steps, lr=args.lr, weight_decay=args.wd, loss="exp", log="log",
                   keep_train_logits=True)
    gram = train_two_layer(p0, split, cfg, engine="gram", progress=True)
    total = time.perf_counter() - t0

    # plain reference on the same data and init; no test set, so only the steps themselves are timed
    empty = Split(tr.x, tr.y, te.x[:0], te.y[:0])
    pcfg = GDConfig(steps=args.plain_steps, lr=args.lr, weight_decay=args.wd, loss="exp", log="every",
                    keep_train_logits=True)
    plain = train_two_layer(p0, empty, pcfg, engine="plain", progress=True)
    gsteps = dict(zip(gram.history.steps, gram.train_logits))
    diffs = [float((lp - gsteps[s]).abs().max() / gsteps[s].abs().max().clamp_min(1e-30))
             for s, lp in zip(plain.history.steps, plain.train_logits) if s in gsteps]
    plain_step = plain.step_s / max(plain.n_updates, 1)
    gram_step = gram.step_s / max(gram.n_updates, 1)
    div = divergence_fields(gram.history)
    healthy = div["diverged_at"] is None
    out = {
        "setting": {"n": args.n, "p": args.p, "eps": args.eps, "m": args.m, "steps": args.steps,
                    "n_test": args.n_test, "lr": args.lr, "wd": args.wd, "seed": args.seed,
                    "dtype": "float32", "device": str(dev), "threads": torch.get_num_threads()},
        "plain_step_s": plain_step,
        "gram_step_s": gram_step,
        "per_step_speedup": plain_step / gram_step,
        "total_s": total,
        "data_s": t_data,
        "init_s": t_init,
        "gram_setup_s": gram.setup_s,
        "gram_run_s": gram.wall_s,
        "plain_steps_timed": plain.n_updates,
        "max_rel_logit_diff": max(diffs) if diffs else None,
        # accuracies of a run whose scores went NaN are not measurements: null plus where it blew up
        "final_train_acc": gram.history.last("train_acc") if healthy else None,
        "final_test_acc": gram.history.last("test_acc") if healthy else None,
        **div,
    }
    if not healthy:
        print(f"bench: the Gram run {diverged_text(div['diverged_at'], div['diverged_quantity'])}; lower --lr",
              file=sys.stderr)
    print(json.dumps(out, indent=2))
    if args.record:
        RunRecord(kind="bench", config=out["setting"], seed=args.seed, metrics=out,
                  history=gram.history.to_dict(), wall_time_s=time.perf_counter() - t0,
                  device=str(dev)).write(args.record)
    return 0


def _scale(args) -> int:
    from xorgrok.experiments.scale_bench import scale_bench

    t0 = time.perf_counter()
    out = scale_bench(xu_p=args.xu_p, hyper_p=args.hyper_p, device=args.device, xu_seeds=args.xu_seeds,
                      part=args.part, fig4a_p=args.fig4a_p, hyper_eps=args.hyper_eps)
    print(json.dumps(out, indent=2, default=str))
    if args.record:
        RunRecord(kind="bench-scale", config={"xu_p": args.xu_p, "hyper_p": args.hyper_p, "device": args.device},
                  seed=0, metrics=out, wall_time_s=time.perf_counter() - t0,
                  device=str(pick_device(args.device)),
                  notes=[out["hypercube_large"]["engine"]] if "hypercube_large" in out else []).write(args.record)
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
