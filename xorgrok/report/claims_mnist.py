"""Claims of the MNIST large-initialisation experiment (GrokTransfer Fig. 14; review: α = 100, Fig. 18).

Full mode reads the records of `python -m xorgrok mnist --samples N` from `<runs>/mnist` of the report's
runs folder (`ctx.runs_dir`; a missing record is
"out of reach" with its command); quick mode runs the --quick setting now. Every measurement carries the
data note: training and evaluation images are disjoint subsets of the 10,000 MNIST TEST images.
Verdict rules are fixed here, before looking at any number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xorgrok.core.errors import InputError
from xorgrok.experiments.common import RunMetrics
from xorgrok.experiments.mnist import METHODS, MnistConfig, load_runs, mnist_preset, run
from xorgrok.report import Claim, Measurement, ReportContext
from xorgrok.train.history import History, first_step_reaching

FAMILY = "mnist"  # records live in ctx.runs_dir / FAMILY
THRESHOLD = {200: 0.7, 1000: 0.8}  # evaluation accuracy that counts as "generalised" (fixed in advance)


def _cmd(n: int) -> str:
    return f"OMP_NUM_THREADS=1 python -m xorgrok mnist --samples {n} --out runs/{FAMILY}"


def _records(n: int, ctx: ReportContext) -> list[dict[str, Any]] | None:
    if ctx.quick:
        def compute() -> list[dict[str, Any]]:
            return [run(mnist_preset(n, method, quick=True), quick=True) for method in METHODS]

        return ctx.cache.get(("claims-mnist-quick", n), compute)
    try:
        recs = load_runs(Path(ctx.runs_dir) / FAMILY, n, seed=0, quick=False)
    except InputError:
        return None
    if any(r["config"]["epochs"] != MnistConfig().epochs for r in recs):
        return None
    return recs


def measure(n: int, ctx: ReportContext) -> Measurement:
    recs = _records(n, ctx)
    if recs is None:
        return Measurement(f"no full record in {Path(ctx.runs_dir) / FAMILY}", "out of reach",
                           f"run {_cmd(n)} (~1 h per method on CPU)")
    bad = [f"{r['config']['method']} {d}" for r in recs if (d := RunMetrics.divergence(r)) is not None]
    if bad:
        return Measurement("; ".join(bad), "out of reach",
                           "a diverged run's accuracies are not read; rerun with a smaller lr or init scale")
    thr = THRESHOLD[n]
    parts, t = [], {}
    for r in recs:
        h = History.from_dict(r["history"]["target"])
        m = RunMetrics.from_record(r)
        t[r["config"]["method"]] = first_step_reaching(h, "test_acc", thr)
        parts.append(f"{r['config']['method']}: 95% train at {m.epochs_to_95_train}, 60% eval at "
                     f"{m.threshold_epoch('test', 60)}, {thr:.0%} eval at "
                     f"{t[r['config']['method']]}, final train/eval {m.final_train_acc:.3f}/"
                     f"{m.final_test_acc:.3f} after {m.epochs_run} ep")
    c = recs[0]["config"]
    quick = ctx.quick
    text = (f"seed 0, α={c['init_scale']:g}, lr {c['lr']:g}, wd {c['weight_decay']:g}{' [QUICK]' if quick else ''}; "
            + "; ".join(parts) + f". {recs[0]['data_note']}")
    gt, sc = t["groktransfer"], t["scratch"]
    ok = gt is not None and (sc is None or gt <= sc / 2)
    return Measurement(text, "reproduced" if ok else "differs",
                       f"rule: GrokTransfer reaches {thr:.0%} evaluation accuracy in at most half the epochs scratch "
                       "needs ('never' = inf)")


CLAIMS = [
    Claim("mnist-200-groktransfer-vs-scratch", "MNIST, 200 training samples, α = 100: GrokTransfer beats scratch and "
          "almost removes the generalisation delay", "GrokTransfer Fig. 14; review (α = 100)", _cmd(200),
          lambda ctx: measure(200, ctx)),
    Claim("mnist-1000-groktransfer-vs-scratch", "MNIST, 1000 training samples, α = 100: same as with 200",
          "review thread, Fig. 18", _cmd(1000), lambda ctx: measure(1000, ctx)),
]
