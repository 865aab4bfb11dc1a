"""Claims of the MNIST large-initialisation experiment (GrokTransfer Fig. 14; review: α = 100, Fig. 18).

Full mode reads the records of `python -m xorgrok mnist --samples N --out runs/mnist` (a missing record is
"out of reach" with its command); quick mode runs the --quick setting now. Every measurement carries the
data note: training and evaluation images are disjoint subsets of the 10,000 MNIST TEST images.
Verdict rules are fixed here, before looking at any number.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xorgrok.experiments.mnist import MnistConfig, quick_config, run
from xorgrok.report import Claim, Measurement
from xorgrok.train.history import History, first_step_reaching

OUT = Path("runs/mnist")
THRESHOLD = {200: 0.7, 1000: 0.8}  # evaluation accuracy that counts as "generalised" (fixed in advance)


def _cmd(n: int) -> str:
    return f"OMP_NUM_THREADS=1 python -m xorgrok mnist --samples {n} --out {OUT}"


def _records(n: int, quick: bool) -> list[dict[str, Any]] | None:
    out = []
    for method in ("groktransfer", "scratch"):
        if quick:
            out.append(run(quick_config(n, method), quick=True))
            continue
        path = OUT / f"mnist{n}_{method}_s0.json"
        if not path.is_file():
            return None
        rec = json.loads(path.read_text())
        if rec["config"]["epochs"] != MnistConfig().epochs:
            return None
        out.append(rec)
    return out


def measure(n: int, quick: bool) -> Measurement:
    recs = _records(n, quick)
    if recs is None:
        return Measurement(f"no full record in {OUT}", "out of reach", f"run {_cmd(n)} (~1 h per method on CPU)")
    thr = THRESHOLD[n]
    parts, t = [], {}
    for r in recs:
        h = History.from_dict(r["history"]["target"])
        m = r["metrics"]
        t[r["config"]["method"]] = first_step_reaching(h, "test_acc", thr)
        t60 = first_step_reaching(h, "test_acc", 0.6)
        parts.append(f"{r['config']['method']}: 95% train at {m['epochs_to_95_train']}, 60% eval at {t60}, "
                     f"{thr:.0%} eval at "
                     f"{t[r['config']['method']]}, final train/eval {m['final_train_acc']:.3f}/"
                     f"{m['final_test_acc']:.3f} after {m['epochs_run']} ep")
    c = recs[0]["config"]
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
          lambda ctx: measure(200, ctx.quick)),
    Claim("mnist-1000-groktransfer-vs-scratch", "MNIST, 1000 training samples, α = 100: same as with 200",
          "review thread, Fig. 18", _cmd(1000), lambda ctx: measure(1000, ctx.quick)),
]
