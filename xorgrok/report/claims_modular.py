"""Claims of the FNN → FNN modular-addition experiments (GrokTransfer §4.1 Fig. 6(a), Table 1, Fig. 15(a)).

Full mode reads the run records under runs/modular_add (written by the commands below; runs are skipped
when their record exists, so the report re-measures from records and runs only what is missing, which
takes hours on a CPU). Quick mode runs the reduced setting (presets.quick_config) in a temporary folder
and says so. Verdict rules are fixed here, before looking at any number.
"""

from __future__ import annotations

import dataclasses
import glob
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xorgrok.experiments.modular import build_configs, run_configs, summarise_runs
from xorgrok.records import load_record
from xorgrok.report import Claim, Measurement

OUT = Path("runs/modular_add")
SEEDS = (0, 1, 2)
CAP = 4000  # epochs: the review thread's horizon ("within 4000 epochs"); runs stop at 99 % test accuracy
CMD_GT = (
    "OMP_NUM_THREADS=1 python -m xorgrok.modular --task add --methods groktransfer --seeds 3 "
    "--stop-at 0.99 --epochs 4000 --eval-every 5 --out runs/modular_add"
)
CMD_SCRATCH = (
    "OMP_NUM_THREADS=1 python -m xorgrok.modular --task add --methods scratch --seeds 3 "
    "--stop-at 0.99 --epochs 4000 --eval-every 10 --out runs/modular_add"
)
CMD_AB = (
    "OMP_NUM_THREADS=1 python -m xorgrok.modular --task add --methods random_ab --seeds 1 "
    "--stop-at 0.99 --epochs 4000 --eval-every 10 --out runs/modular_add"
)


def _canonical(method: str, seeds: Sequence[int], quick: bool) -> list:
    over: dict[str, Any] = {"device": "cpu", "split_seed": 0}
    if not quick:
        over.update(epochs=CAP, stop_at_test_acc=0.99, eval_every=5 if method == "groktransfer" else 10)
    return build_configs("add", [method], list(seeds), quick, over)


def _matches(rec: dict[str, Any], cfg: Any) -> bool:
    """Same task, split, method, target setting and weak setting; any cap >= CAP (a longer cap is as good)."""
    c = rec["config"]
    keys = (
        "task",
        "method",
        "modulus",
        "train_fraction",
        "split_seed",
        "init_scale",
        "lr",
        "weight_decay",
        "d_embed",
        "width",
        "n_layers",
        "merge_epoch",
        "seed",
    )
    if any(c[k] != getattr(cfg, k) for k in keys) or c["epochs"] < cfg.epochs:
        return False
    w = dataclasses.asdict(cfg.weak)
    return all(
        c["weak"][k] == w[k] for k in ("d_embed", "width", "n_layers", "init_scale", "lr", "weight_decay", "epochs")
    )


def records(method: str, seeds: Sequence[int], quick: bool, out: Path | None = None) -> list[dict[str, Any]]:
    """Records for (method, seeds): existing matching records in full mode, the rest run now."""
    cfgs = _canonical(method, seeds, quick)
    if quick:
        return run_configs(cfgs, out or Path(tempfile.mkdtemp(prefix="xorgrok-claims-")), progress=False)
    have = [load_record(p) for p in glob.glob(str(OUT / "runs" / "*.json"))]
    found, missing = [], []
    for cfg in cfgs:
        hit = [r for r in have if _matches(r, cfg)]
        (found.append(hit[0]) if hit else missing.append(cfg))
    return found + (run_configs(missing, OUT, progress=True) if missing else [])


def _fmt(v: Any) -> str:
    return "never" if v is None else str(v)


def _gap_key(v: Any) -> float:
    return float("inf") if v is None else float(v)


_QUICK_DIR: dict[str, Path] = {}


def _qdir(quick: bool) -> Path | None:
    if not quick:
        return None
    if "d" not in _QUICK_DIR:
        _QUICK_DIR["d"] = Path(tempfile.mkdtemp(prefix="xorgrok-claims-"))
    return _QUICK_DIR["d"]


def measure_timegap(quick: bool) -> Measurement:
    seeds = SEEDS[:1] if quick else SEEDS
    gt = records("groktransfer", seeds, quick, _qdir(quick))
    sc = records("scratch", seeds, quick, _qdir(quick))
    s = summarise_runs(gt + sc)["methods"]
    g, c = s["groktransfer"], s["scratch"]
    weak = [r["metrics"].get("weak_final_test_acc") for r in sorted(gt, key=lambda r: r["seed"])]
    text = (
        f"seeds {g['seeds']}: Time Gap GT {[_fmt(v) for v in g['time_gap']['values']]} vs scratch "
        f"{[_fmt(v) for v in c['time_gap']['values']]}; epochs to 99% test GT "
        f"{[_fmt(v) for v in g['epochs_to_99_test']['values']]} vs scratch "
        f"{[_fmt(v) for v in c['epochs_to_99_test']['values']]} (cap {CAP if not quick else 'quick'}, "
        f"logged every 5/10 epochs); weak test acc {[round(w, 3) if w is not None else None for w in weak]}"
    )
    pairs = list(zip(g["time_gap"]["values"], c["time_gap"]["values"], strict=True))
    p99 = list(zip(g["epochs_to_99_test"]["values"], c["epochs_to_99_test"]["values"], strict=True))
    ok = all(a is not None and _gap_key(a) < _gap_key(b) for a, b in pairs) and all(
        a is not None and _gap_key(a) < _gap_key(b) for a, b in p99
    )
    why = (
        "rule: for every seed GT reaches 95% and 99% test accuracy, with a smaller Time Gap and fewer epochs "
        "to 99% than scratch ('never' counts as infinite)"
    )
    return Measurement(text, "reproduced" if ok else "differs", why)


def measure_cost(quick: bool) -> Measurement:
    seeds = SEEDS[:1] if quick else SEEDS
    recs = records("groktransfer", seeds, quick, _qdir(quick)) + records("scratch", seeds, quick, _qdir(quick))
    ratios = summarise_runs(recs)["cost_ratio"]
    if not ratios:
        return Measurement("no seed with both runs", "out of reach", "no GT/scratch pair")
    by_seed = {(r["config"]["method"], r["seed"]): r for r in recs}
    parts, all_ok = [], True
    for seed, r in sorted(ratios.items()):
        g, c = by_seed[("groktransfer", int(seed))], by_seed[("scratch", int(seed))]
        # scratch started right after the GT target ended: both measured in one sequential job
        gap = c["started_at"] - (g["started_at"] + g["metrics"]["target_wall_s"])
        job = "one sequential job" if 0 <= gap < 120 else "separate jobs"
        parts.append(
            f"seed {seed}: weak {r['weak_wall_s']:.0f} s + GT target {r['gt_target_wall_s']:.0f} s vs "
            f"scratch {r['scratch_wall_s']:.0f} s: ratio {r['ratio_wall']:.2f}x wall, "
            f"{r['ratio_train_only']:.2f}x train-only [{job}]"
            + ("" if r["both_reached_stop"] else " (a run stopped at the cap, not at 99%)")
        )
        all_ok &= r["ratio_train_only"] > 1
    why = (
        "rule: GT total (weak + target, train-only time) < scratch for every seed; paper 5.3x is an A100 "
        "Transformer target, ours is the FNN target on a shared 2-core CPU (noisy; [job] says whether the two "
        "were timed back to back)"
    )
    return Measurement("; ".join(parts), "reproduced" if all_ok else "differs", why)


def measure_random_ab(quick: bool) -> Measurement:
    recs = records("random_ab", SEEDS[:1], quick, _qdir(quick))
    parts, fails = [], True
    for r in recs:
        m = r["metrics"]
        parts.append(
            f"seed {r['seed']}: best test acc {m['best_test_acc']:.3f} (final {m['final_test_acc']:.3f}, "
            f"train {m['final_train_acc']:.3f}) after {m['epochs_run']} epochs"
        )
        fails &= m["epochs_to_99_test"] is None
    return Measurement(
        "; ".join(parts),
        "reproduced" if fails else "differs",
        "rule: random A·B never reaches 99% test accuracy within 4000 epochs (review: < 50%)",
    )


CLAIMS = [
    Claim(
        "modular-add-groktransfer-no-delay",
        "GrokTransfer removes the delayed generalisation on modular addition (p=113, 25%): FNN (4,16) weak -> "
        "(128,512) target; GT (0.3, 1e-3, 1) vs scratch (0.1, 0.1, 2)",
        "GrokTransfer Fig. 6(a), §4.1",
        f"{CMD_GT}; {CMD_SCRATCH}",
        measure_timegap,
    ),
    Claim(
        "modular-add-cost-ratio",
        "Weak + GrokTransfer target costs less wall-clock than the target from scratch (paper: 5.3x, A100)",
        "GrokTransfer Table 1, §4.2",
        f"{CMD_GT}; {CMD_SCRATCH}",
        measure_cost,
    ),
    Claim(
        "modular-add-random-ab-fails",
        "E_T = A·B with both A and B random does not generalise fully within 4000 epochs (< 50% test)",
        "GrokTransfer Fig. 15(a); review thread",
        CMD_AB,
        measure_random_ab,
    ),
]
