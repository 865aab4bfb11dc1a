"""`python -m xorgrok.verify`: every assumption, lemma and theorem claim of the XOR theory, checked numerically.

With no arguments: the whole GrokTransfer case study at the paper's setting (n 400, p 80000, eps 0.05,
3-neuron weak net, target f_L with v_init 0.4, alpha 2.0, m = ceil(2 ln^3 n)), in about two minutes on two
CPU cores, at C = 2 (GrokTransfer needs a universal constant C > 1; Xu'24's C defaults to 1).
`--u synthetic` replaces the trained weak net's U by U = [S; delta] fixed before the data (three distinct
features, (A2) at 90% of its bound at C), so Theorem 3.2 can be measured inside its hypotheses on U.

Every line is a precondition (PRE holds / PRE FAILS) or a conclusion with one status: HOLDS (no hidden
constant, confirmed), FAILS (preconditions hold and the interval excludes the claim for every constant in the
generous range K <= 100 in O(n^-q), c >= 0.01 in exp(-c log^2 n)), N/A (a precondition fails: measured outside
its hypotheses), UNDECIDED (the implied constant is reported) or INFO. Intervals are Clopper-Pearson,
Bonferroni-adjusted across the statistical checks of the run (--family-level, default 0.05).

Exit code: 0 if no conclusion fails and no assumption named with --assumption fails; 1 otherwise; 2 on bad
input (one line on stderr).
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import torch

from xorgrok.core.cli import ArgumentParser, int_at_least, positive_float, run_main
from xorgrok.core.errors import InputError, check_float
from xorgrok.core.io import check_output_file
from xorgrok.core.records import RunRecord, jsonable
from xorgrok.theory import assumptions as asm
from xorgrok.verify import gt, registry, render, sweep, verdict, xu, xu_literal
from xorgrok.verify.context import GTContext
from xorgrok.verify.params import GT_DEFAULT_C, GT_SWEEPABLE, U_MODES, XU_SWEEPABLE, GTParams, XuParams, parse_sweep


def _nonneg_float(name: str):
    def parse(text: str) -> float:
        try:
            return check_float(name, float(text), 0.0)
        except (ValueError, InputError):
            import argparse

            raise argparse.ArgumentTypeError(f"{name} must be a number >= 0, got {text!r}") from None

    return parse


def _level(text: str) -> float:
    import argparse

    try:
        v = float(text)
    except ValueError:
        v = math.nan
    if not 0 < v < 1:
        raise argparse.ArgumentTypeError(f"family_level must be a number in (0, 1), got {text!r}")
    return v


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
    prm.add_argument("--C", type=positive_float("C"), default=None,
                     help="universal constant (default: 2 for GrokTransfer, which needs C > 1; 1 for Xu'24)")
    prm.add_argument("--log-base", default="e", help="'e' (default), 2, 10, ...")
    prm.add_argument("--seed", type=int_at_least("seed", 0), default=0)
    prm.add_argument("--seeds", type=int_at_least("seeds", 1), help="runs for frequencies (gt 20, xu 5)")
    prm.add_argument("--test-size", type=int_at_least("test_size", 1), help="fresh test points (gt 1e5, xu 2000)")
    prm.add_argument("--pipeline-seeds", type=int_at_least("pipeline_seeds", 0))
    prm.add_argument("--event-seeds", type=int_at_least("event_seeds", 1))
    prm.add_argument("--weak-steps", type=int_at_least("weak_steps", 1))
    prm.add_argument("--steps", type=int_at_least("steps", 1), help="Xu'24: GD steps (default floor(sqrt n))")
    prm.add_argument("--u", choices=list(U_MODES), default="trained",
                     help="GrokTransfer's U: trained (default: the weak net, theorem and pipeline modes) or "
                          "synthetic (U = [S; delta], three distinct features and (A2) at 90%% of its bound at C, "
                          "fixed before the data: Theorem 3.2 measured inside its hypotheses on U)")
    out = ap.add_argument_group("sweeps and output")
    out.add_argument("--sweep", metavar="PARAM=LO:HI", help="tightness sweep of one parameter")
    out.add_argument("--sweep-points", type=int_at_least("sweep_points", 2), default=6)
    out.add_argument("--json", action="store_true", help="print a JSON list of check objects")
    out.add_argument("--family-level", type=_level, default=0.05,
                     help="family-wise error level of the run's intervals, Bonferroni-adjusted across its "
                          "statistical checks (default 0.05)")
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
    if a.u == "synthetic":
        if kw.get("pipeline_seeds"):
            raise InputError("--pipeline-seeds needs --u trained: a synthetic U has no weak net to run a "
                             "pipeline with")
        if a.weak_steps is not None:
            raise InputError("--weak-steps needs --u trained: a synthetic U trains no weak net")
        kw["pipeline_seeds"] = 0
        kw["u"] = "synthetic"
    elif a.u != "trained":
        raise InputError(f"--u must be one of {', '.join(U_MODES)}; got {a.u!r}")
    if sweep_mode:  # each grid point repeats the runs: smaller defaults unless asked
        kw.setdefault("test_size", 20_000)
        kw.setdefault("pipeline_seeds", 0)
        kw.setdefault("event_seeds", 500)
    return GTParams(C=GT_DEFAULT_C if a.C is None else a.C, log_base=asm.parse_log_base(a.log_base), seed=a.seed, **kw)


def _xu_params(a) -> XuParams:
    if a.eps is not None and "xu2024" in (a.theorem or []) and "groktransfer" not in (a.theorem or []):
        raise InputError("eps is a GrokTransfer parameter; Xu'24 uses --mu-norm and --eta")
    kw = {k: getattr(a, k) for k in ("n", "p", "m", "alpha", "omega_init", "eta", "seeds", "test_size", "steps")
          if getattr(a, k) is not None}
    if a.mu_norm is not None:
        kw["mu_norm"] = a.mu_norm
    return XuParams(C=1.0 if a.C is None else a.C, seed=a.seed, **kw)


def main(argv: Sequence[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    asm.parse_log_base(a.log_base)
    picks = {"assumption": a.assumption, "lemma": a.lemma, "claim": a.claim}
    chosen_flags = [f"--{k} {' '.join(v)}" for k, v in picks.items() if v]
    if a.all and (chosen_flags or a.theorem):
        raise InputError(f"--all runs every check; it conflicts with {', '.join(chosen_flags) or '--theorem'}")
    if a.sweep and chosen_flags:
        raise InputError(f"--sweep runs its own fixed checks at each point; it conflicts with "
                         f"{', '.join(chosen_flags)}")
    if a.u != "trained" and (a.regime == "literal" or (a.theorem and "groktransfer" not in a.theorem)):
        raise InputError("--u synthetic applies to GrokTransfer only (its transferred U); drop it for Xu'24")
    if a.record:
        check_output_file("--record", a.record)
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
            verdict.finalize(checks, a.family_level)
        elif a.sweep:
            theorem = (theorems or ["groktransfer"])[0]
            allowed = GT_SWEEPABLE if theorem == "groktransfer" else XU_SWEEPABLE
            param, lo, hi = parse_sweep(a.sweep, allowed)
            base = _gt_params(a, True) if theorem == "groktransfer" else _xu_params(a)
            if param in ("n", "p", "m") and (lo < (2 if param == "n" else 3 if param == "p" else 1)):
                raise InputError(f"--sweep {param}: LO is below the smallest allowed value")
            checks = verdict.finalize(sweep.run_sweep(theorem, base, param, lo, hi, a.sweep_points, progress),
                                      a.family_level)
            sections = [([f"Sweep of {param} over [{lo:g}, {hi:g}] ({theorem}); log base "
                          f"{asm.base_name(getattr(base, 'log_base', 2.718281828459045))}"], checks)]
        else:
            chosen = registry.resolve(theorems, picks)
            sections, checks = [], []
            ctx: Any  # GTContext or XuContext, by theorem; the registry pairs each builder with its own
            head_fn: Callable[[Any], list[str]]
            for theorem, ids in chosen.items():
                if theorem == "groktransfer":
                    ctx = GTContext(_gt_params(a, False), progress=progress)
                    head_fn = gt.header
                else:
                    ctx = xu.XuContext(_xu_params(a), progress=progress)
                    head_fn = xu.header
                got = []
                for b in registry.builders_for(theorem, ids, a.all):
                    if theorem == "groktransfer" and a.u == "synthetic" and b.fn in registry.NEEDS_WEAK_NET:
                        continue  # Lemma 3.1's weak-net figure and the SNR of a trained weak net: no weak net here
                    got += [c for c in b.fn(ctx) if registry.keep(c["id"], ids)]
                got = _with_preconditions(theorem, ctx, got)
                head = head_fn(ctx)
                for c in got:
                    c.setdefault("log_base", asm.base_name(ctx.prm.log_base) if theorem == "groktransfer"
                                 else "e (natural)")
                sections.append((head, got))
                checks += got
            verdict.finalize(checks, a.family_level)
            m = verdict.n_statistical(checks)
            for head, _ in sections:
                head.append(f"Intervals: Clopper-Pearson, family level {a.family_level:g} Bonferroni-adjusted "
                            f"over the {m} statistical checks of this run (each at {a.family_level / max(m, 1):.3g})."
                            f" FAILS needs all preconditions and excludes every constant in K <= "
                            f"{verdict.K_MAX:g} (O(n^-q)), c >= {verdict.C_MIN:g} (exp(-c log^2 n), n^-c).")
    finally:
        torch.set_num_threads(old_threads)
    wall = time.perf_counter() - t0
    if a.record:
        RunRecord(kind="verify", config=vars(a), seed=a.seed, metrics={"checks": checks}, wall_time_s=wall,
                  notes=[h for head, _ in sections for h in head]).write(a.record)
    if a.json:
        sys.stdout.write(json.dumps(jsonable(checks), indent=1) + "\n")
    else:
        print(render.table(sections))
        print(render.summary(checks, wall))
    if a.sweep:
        return 0
    named = set()
    for name in a.assumption:
        for t in ("groktransfer", "xu2024"):
            named |= set(registry.SELECTORS[t]["assumption"].get(name, ()))
    return verdict.exit_code(checks, named)


def _with_preconditions(theorem: str, ctx, got: list[dict]) -> list[dict]:
    """Preconditions first: the selected ones, then any a selected conclusion rests on."""
    have = {c["id"] for c in got}
    need = {i for c in got for i in c.get("preconditions", [])} - have
    extra = []
    if need:
        for b in registry.builders_for(theorem, need, False):
            extra += [c for c in b.fn(ctx) if c["id"] in need]
    pre_ids = registry.precondition_ids(theorem)
    pre = [c for c in got + extra if c["id"] in pre_ids or c["kind"] == "precondition"]
    return pre + [c for c in got if c not in pre]


if __name__ == "__main__":
    raise SystemExit(run_main(main))
