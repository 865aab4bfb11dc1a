"""`python -m xorgrok.verify`: every assumption, lemma and theorem claim of the XOR theory, checked numerically.

With no arguments: the whole GrokTransfer case study at the paper's setting (n 400, p 80000, eps 0.05,
3-neuron weak net, target f_L with v_init 0.4, alpha 2.0, m = ceil(2 ln^3 n)), in about two minutes on two
CPU cores. Exit code 0 if every selected check holds, 1 if any fails, 2 on bad input.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence

import torch

from xorgrok.core.cli import ArgumentParser, int_at_least, positive_float, run_main
from xorgrok.core.errors import InputError, check_float
from xorgrok.core.records import RunRecord, _jsonable
from xorgrok.theory import assumptions as asm
from xorgrok.verify import gt, registry, render, sweep, xu, xu_literal
from xorgrok.verify.context import GTContext
from xorgrok.verify.params import GT_SWEEPABLE, XU_SWEEPABLE, GTParams, XuParams, parse_sweep


def _nonneg_float(name: str):
    def parse(text: str) -> float:
        try:
            return check_float(name, float(text), 0.0)
        except (ValueError, InputError):
            import argparse

            raise argparse.ArgumentTypeError(f"{name} must be a number >= 0, got {text!r}") from None

    return parse


def build_parser() -> ArgumentParser:
    ap = ArgumentParser(prog="python -m xorgrok.verify", description=__doc__)
    sel = ap.add_argument_group("what to check (repeatable; none = the default set)")
    sel.add_argument("--theorem", action="append", choices=["groktransfer", "xu2024"], default=[])
    sel.add_argument("--assumption", action="append", default=[], metavar="ID", help="A1..A5 (xu: A1..A6, regime)")
    sel.add_argument("--lemma", action="append", default=[], metavar="ID",
                     help="A.1 A.2 A.3 A.4 3.1 init (xu: B1 B2 B3 B4 D1 D2 D3 near-orth)")
    sel.add_argument("--claim", action="append", default=[], metavar="ID",
                     help="one-step neurons margins snr snr-scaling symbolic (xu: i ii iii sign-rule one-step)")
    sel.add_argument("--all", action="store_true", help="both theorems, every check (several minutes)")
    prm = ap.add_argument_group("parameters (defaults: each paper's setting)")
    prm.add_argument("--n", type=int_at_least("n", 2))
    prm.add_argument("--p", type=int_at_least("p", 3))
    prm.add_argument("--eps", type=positive_float("eps"))
    prm.add_argument("--mu-norm", type=positive_float("mu_norm"), help="Xu'24 ||mu|| (default 2.5 sqrt(p/n))")
    prm.add_argument("--eta", type=_nonneg_float("eta"), help="Xu'24 label-flip rate")
    prm.add_argument("--m", type=int_at_least("m", 1), help="target width (xu: network width)")
    prm.add_argument("--v-init", type=positive_float("v_init"))
    prm.add_argument("--alpha", type=positive_float("alpha"), help="step size")
    prm.add_argument("--omega-init", type=positive_float("omega_init"), help="Xu'24 init scale")
    prm.add_argument("--C", type=positive_float("C"), default=1.0, help="universal constant (default 1)")
    prm.add_argument("--log-base", default="e", help="'e' (default), 2, 10, ...")
    prm.add_argument("--seed", type=int_at_least("seed", 0), default=0)
    prm.add_argument("--seeds", type=int_at_least("seeds", 1), help="runs for frequencies (gt 20, xu 5)")
    prm.add_argument("--test-size", type=int_at_least("test_size", 1), help="fresh test points (gt 1e5, xu 2000)")
    prm.add_argument("--pipeline-seeds", type=int_at_least("pipeline_seeds", 0))
    prm.add_argument("--event-seeds", type=int_at_least("event_seeds", 1))
    prm.add_argument("--weak-steps", type=int_at_least("weak_steps", 1))
    prm.add_argument("--steps", type=int_at_least("steps", 1), help="Xu'24: GD steps (default floor(sqrt n))")
    out = ap.add_argument_group("sweeps and output")
    out.add_argument("--sweep", metavar="PARAM=LO:HI", help="tightness sweep of one parameter")
    out.add_argument("--sweep-points", type=int_at_least("sweep_points", 2), default=6)
    out.add_argument("--json", action="store_true", help="print a JSON list of check objects")
    out.add_argument("--threads", type=int_at_least("threads", 1), default=1,
                     help="torch threads for this command (default 1: the CPU is usually shared)")
    out.add_argument("--no-progress", action="store_true")
    out.add_argument("--record", metavar="PATH", help="also write a run record (JSON: config, seed, versions, "
                     "git SHA, wall time, every check)")
    xu_literal.add_arguments(ap)
    return ap


def _gt_params(a, sweep_mode: bool) -> GTParams:
    kw = {k: getattr(a, k) for k in ("n", "p", "eps", "m", "v_init", "alpha", "seeds", "test_size",
                                     "pipeline_seeds", "event_seeds", "weak_steps") if getattr(a, k) is not None}
    if sweep_mode:  # each grid point repeats the runs: smaller defaults unless asked
        kw.setdefault("test_size", 20_000)
        kw.setdefault("pipeline_seeds", 0)
        kw.setdefault("event_seeds", 500)
    return GTParams(C=a.C, log_base=asm.parse_log_base(a.log_base), seed=a.seed, **kw)


def _xu_params(a) -> XuParams:
    if a.eps is not None and "xu2024" in (a.theorem or []) and "groktransfer" not in (a.theorem or []):
        raise InputError("eps is a GrokTransfer parameter; Xu'24 uses --mu-norm and --eta")
    kw = {k: getattr(a, k) for k in ("n", "p", "m", "alpha", "omega_init", "eta", "seeds", "test_size", "steps")
          if getattr(a, k) is not None}
    if a.mu_norm is not None:
        kw["mu_norm"] = a.mu_norm
    return XuParams(C=a.C, seed=a.seed, **kw)


def main(argv: Sequence[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    asm.parse_log_base(a.log_base)
    picks = {"assumption": a.assumption, "lemma": a.lemma, "claim": a.claim}
    theorems = a.theorem or None
    if a.all:
        theorems = ["groktransfer", "xu2024"]
    progress = not a.no_progress and sys.stderr.isatty()
    old_threads = torch.get_num_threads()
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    try:
        if a.regime == "literal":
            sections, checks = xu_literal.run_from_args(a, registry.resolve(["xu2024"], picks)["xu2024"], progress)
        elif a.sweep:
            theorem = (theorems or ["groktransfer"])[0]
            allowed = GT_SWEEPABLE if theorem == "groktransfer" else XU_SWEEPABLE
            param, lo, hi = parse_sweep(a.sweep, allowed)
            base = _gt_params(a, True) if theorem == "groktransfer" else _xu_params(a)
            if param in ("n", "p", "m") and (lo < (2 if param == "n" else 3 if param == "p" else 1)):
                raise InputError(f"--sweep {param}: LO is below the smallest allowed value")
            checks = sweep.run_sweep(theorem, base, param, lo, hi, a.sweep_points, progress)
            sections = [([f"Sweep of {param} over [{lo:g}, {hi:g}] ({theorem}); log base "
                          f"{asm.base_name(getattr(base, 'log_base', 2.718281828459045))}"], checks)]
        else:
            chosen = registry.resolve(theorems, picks)
            sections, checks = [], []
            for theorem, ids in chosen.items():
                if theorem == "groktransfer":
                    ctx = GTContext(_gt_params(a, False), progress=progress)
                    head_fn = gt.header
                else:
                    ctx = xu.XuContext(_xu_params(a), progress=progress)
                    head_fn = xu.header
                got = []
                for b in registry.builders_for(theorem, ids, a.all):
                    got += [c for c in b.fn(ctx) if registry.keep(c["id"], ids)]
                head = head_fn(ctx)
                inside = not any(h.startswith("OUTSIDE") for h in head)
                for c in got:
                    c["in_assumptions"] = inside
                    c.setdefault("log_base", asm.base_name(ctx.prm.log_base) if theorem == "groktransfer"
                                 else "e (natural)")
                sections.append((head, got))
                checks += got
    finally:
        torch.set_num_threads(old_threads)
    wall = time.perf_counter() - t0
    if a.record:
        RunRecord(kind="verify", config=vars(a), seed=a.seed, metrics={"checks": checks}, wall_time_s=wall,
                  notes=[h for head, _ in sections for h in head]).write(a.record)
    if a.json:
        sys.stdout.write(json.dumps(_jsonable(checks), indent=1) + "\n")
    else:
        print(render.table(sections))
        print(render.summary(checks, wall))
    return 1 if any(c["holds"] is False for c in checks) else 0


if __name__ == "__main__":
    raise SystemExit(run_main(main))
