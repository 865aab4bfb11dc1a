"""Claims of the FNN → Transformer experiments (§4.2, Figs. 8, 13, 16), the cost table (Table 1, A.4.1,
review "Cost") and the embedding study (Fig. 2).

Full mode reads records written by the commands below from `transformer/` and `cost/` of the report's
runs folder (`ctx.runs_dir`); it never starts a multi-hour run itself: a missing record is reported
"out of reach" with the command that makes it.
Quick mode runs the reduced setting (small models, fewer epochs) now and says so. Verdict rules are fixed
here, before looking at any number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from xorgrok.core.errors import InputError
from xorgrok.experiments.common import RunMetrics
from xorgrok.experiments.transformer import (
    TF_SEEDS,
    load_experiment,
    paper_runs,
    record_path,
    run,
    seed_records,
    seeds_with_records,
)
from xorgrok.models.transformer import PRESETS
from xorgrok.report import Claim, Measurement, ReportContext, quick_only
from xorgrok.report.transfer_verdict import helps_verdict, summarise_arms

FAMILY = "transformer"  # records live in ctx.runs_dir / FAMILY


def _folder(ctx: ReportContext) -> Path:
    return Path(ctx.runs_dir) / FAMILY


def _cmd(exp: str) -> str:
    return f"OMP_NUM_THREADS=1 python -m xorgrok transformer --experiment {exp} --out runs/{FAMILY}"


def _records(exp: str, ctx: ReportContext, seed: int = 0) -> tuple[list[dict[str, Any]] | None, str]:
    """(records of the experiment, provenance) or (None, what is missing)."""
    if ctx.quick:
        def compute() -> list[dict[str, Any]]:
            return [run(c, quick=True, cache=ctx.cache) for c in paper_runs(exp, True, overrides={"device": "cpu"})]

        return ctx.cache.get(("claims-transformer-quick", exp), compute), "quick run now"
    # an unfinished baseline still bounds its Time Gap from below (cap = last logged epoch)
    try:
        recs = load_experiment(_folder(ctx), exp, seed, False, partial_ok=("grokfast", "scratch"))
    except InputError as exc:
        return None, f"no record: {exc}"
    bad = [f"{r['config']['method']} seed {r['config'].get('seed', seed)} {d}" for r in recs
           if (d := RunMetrics.divergence(r)) is not None]
    if bad:  # its accuracies are not a measurement: say where it blew up instead of reading a number
        return None, "; ".join(bad)
    notes = [f"{r['config']['method']} UNFINISHED: partial record up to epoch {r['epoch']}"
             for r in recs if r.get("partial")]
    return recs, f"records in {_folder(ctx)}" + ("; " + "; ".join(notes) if notes else "")


def _by(recs: list[dict[str, Any]], key: str = "method") -> dict[str, dict[str, Any]]:
    return {r["config"][key]: r for r in recs}


def _desc(r: dict[str, Any]) -> str:
    m, c = RunMetrics.from_record(r), r["config"]
    return (f"{c['method']}: Time Gap {m.time_gap}, 95% train at {m.epochs_to_95_train}, 95% test at "
            f"{m.epochs_to_95_test}, best/final test {m.best_test_acc:.3f}/{m.final_test_acc:.3f} after "
            f"{m.epochs_run} ep")


def _setting(r: dict[str, Any], quick: bool) -> str:
    c = r["config"]
    weak = c.get("weak", {}).get("width") if c.get("method") == "groktransfer" else None
    return (f"seed 0, p={c['modulus']}, model {c['arch'] or c['preset']}" + (f", weak width {weak}" if weak else "")
            + (" [QUICK]" if quick else ""))


def _lower_gap(r: dict[str, Any]) -> float | None:
    """Time Gap, or its lower bound (cap − first 95 % train epoch) when test never reached 95 %."""
    m = RunMetrics.from_record(r)
    if m.time_gap is not None:
        return float(m.time_gap)
    if m.epochs_to_95_train is not None:
        return float(m.epochs_run - m.epochs_to_95_train)
    return None


def _gap_ok(gt: dict[str, Any], gf: dict[str, Any], factor: float) -> tuple[bool | None, str]:
    """One seed: GT's Time Gap <= GrokFast's (or its lower bound) / factor; None if undecidable."""
    g_gt, g_gf = RunMetrics.from_record(gt).time_gap, _lower_gap(gf)
    if g_gt is None:
        return False, "GrokTransfer did not reach 95% test"
    if g_gf is None:
        return None, "GrokFast did not even fit the training set by the cap"
    bound = ">= " if RunMetrics.from_record(gf).time_gap is None else ""
    return g_gt <= g_gf / factor, f"GT gap {g_gt} vs GrokFast {bound}{g_gf:g}"


def measure_grokfast_gap(exp: str, ctx: ReportContext, factor: float = 5.0) -> Measurement:
    """fig8b: GT's Time Gap <= GrokFast's / 5 (paper 46 vs 1119); fig16 (no numbers given): factor 1.

    Seed 0 must have both records; further seeds (`--seed N` runs) are added where present. The verdict
    needs every seed that has both methods to pass; a seed with only one method is shown, not judged."""
    recs, prov = _records(exp, ctx)
    if recs is None:
        return Measurement(prov, "out of reach", f"full 2-layer runs take hours on 2 CPU cores; run {_cmd(exp)}")
    paper = "paper 46 vs 1119" if exp == "fig8b" else "paper gives no numbers"
    why = (f"rule, per seed with both methods: GrokTransfer reaches 95% test and its Time Gap is at most "
           f"1/{factor:g} of GrokFast's ({paper}); GrokFast never reaching 95% counts with the lower bound "
           "cap - (first 95% train epoch); verdict 'reproduced' only if every such seed passes")
    b = _by(recs)
    weak_acc = RunMetrics.from_record(b["groktransfer"]).weak_final_test_acc
    parts = [f"{_setting(b['groktransfer'], ctx.quick)}; {_desc(b['groktransfer'])}; {_desc(b['grokfast'])}; weak "
             f"test acc at transfer {weak_acc if weak_acc is not None else float('nan'):.3f}"]
    results = [_gap_ok(b["groktransfer"], b["grokfast"], factor)]
    for seed in ([] if ctx.quick else [s for s in seeds_with_records(_folder(ctx), exp) if s > 0]):
        paths = [record_path(_folder(ctx), exp, c, seed, False) for c in paper_runs(exp, False)]
        single = [json.loads(q.read_text()) for q in paths if q.is_file()]
        bs = _by(single)
        parts.append(f"seed {seed}: " + "; ".join(_desc(r) for r in single)
                     + ("" if len(bs) == 2 else " (other method not run: not judged)"))
        if len(bs) == 2:
            results.append(_gap_ok(bs["groktransfer"], bs["grokfast"], factor))
    n_pass = sum(ok is True for ok, _ in results)
    text = " | ".join(parts) + f" ({prov}); {n_pass}/{len(results)} paired seed(s) pass: " + \
        "; ".join(r for _, r in results)
    if any(ok is None for ok, _ in results):
        return Measurement(text, "out of reach", why)
    return Measurement(text, "reproduced" if n_pass == len(results) else "differs", why)


def measure_fig8a(exp: str, ctx: ReportContext) -> Measurement:
    recs, prov = _records(exp, ctx)
    if recs is None:
        return Measurement(prov, "out of reach", "8-layer d512 target: ~9 s per full-batch epoch on this CPU, "
                           f"~10^4 epochs for scratch; run {_cmd(exp)} on a GPU")
    b = _by(recs)
    gt, sc = b["groktransfer"], b["scratch"]
    t_gt, t_sc = RunMetrics.from_record(gt).epochs_to_95_test, RunMetrics.from_record(sc).epochs_to_95_test
    text = f"{_setting(gt, ctx.quick)}; {_desc(gt)}; {_desc(sc)} ({prov})"
    ok = t_gt is not None and (t_sc is None or t_gt < t_sc)
    return Measurement(text, "reproduced" if ok else "differs",
                       "rule: GrokTransfer reaches 95% test accuracy in fewer epochs than scratch ('never' = inf)")


def measure_parity(ctx: ReportContext) -> Measurement:
    recs, prov = _records("fig13r", ctx)
    if recs is None:
        return Measurement(prov, "out of reach", f"run {_cmd('fig13r')}")
    parts, ok = [], True
    for r in recs:
        m = RunMetrics.from_record(r)
        n_layers = r["config"]["arch"].get("n_layers") or PRESETS[r["config"]["preset"]]["n_layers"]
        parts.append(f"{n_layers}-layer: 95% train at {m.epochs_to_95_train}, 95% test at "
                     f"{m.epochs_to_95_test}, final test {m.final_test_acc:.3f} after {m.epochs_run} ep")
        tr, te = m.epochs_to_95_train, m.epochs_to_95_test
        ok &= tr is not None and te is not None and te - tr <= max(50, 0.25 * tr)
    return Measurement("; ".join(parts) + f" ({'QUICK, ' if ctx.quick else ''}{prov})",
                       "reproduced" if ok else "differs",
                       "rule: both reach 95% test, with Time Gap <= max(50 epochs, 25% of the epochs to 95% train)")


def _cost_dir(ctx: ReportContext) -> Path:
    return Path(ctx.runs_dir) / "cost"


def _cost_cmd(setting: str, ctx: ReportContext) -> str:
    seeds = "0,1,2" if setting != "tf8" else "0"
    return f"OMP_NUM_THREADS=1 python -m xorgrok cost --setting {setting} --seeds {seeds} --out {_cost_dir(ctx)}"


def _cost_setting(ctx: ReportContext) -> str:
    """quick mode: the quick setting; full mode: the paper's 8-layer tf8 where any seed record of it exists
    (fixed preference, it is Table 1's own setting), else the 2-layer tf2."""
    from xorgrok.experiments.cost import load_seed_records

    if ctx.quick:
        return "quick"
    return "tf8" if load_seed_records(_cost_dir(ctx), "tf8")[0] else "tf2"


def measure_cost_ratio(ctx: ReportContext) -> Measurement:
    """Table 1 per seed, from the per-seed records of `python -m xorgrok cost` in ctx.runs_dir/cost."""
    from xorgrok.experiments.cost import load_seed_records, ratio_text, table1_verdict

    setting = _cost_setting(ctx)
    recs, unfinished = load_seed_records(_cost_dir(ctx), setting)
    if not recs:
        return Measurement(f"no per-seed record cost_{setting}_s*.json in {_cost_dir(ctx)}"
                           + ("; " + "; ".join(unfinished) if unfinished else ""), "out of reach",
                           f"run {_cost_cmd(setting, ctx)} (one process per seed, times side by side)")
    parts = []
    for r in recs:
        runs = r["runs"]

        def cell(k: str, runs: dict[str, Any] = runs) -> str:
            return (f"{runs[k]['train_s']:.1f} s/{runs[k]['epochs']} ep"
                    + ("" if runs[k]["reached"] else " (NOT reached)"))

        parts.append(f"seed {r['seed']}: weak {cell('weak')}, GT {cell('groktransfer')}, scratch {cell('scratch')}"
                     f" -> ratio {ratio_text(r)} [{r['ratio_kind']}: {r['ratio_why']}]")
    verdict, rule = table1_verdict(recs)
    hw = sorted({r["hardware"] for r in recs})
    text = (f"setting {setting}, to {recs[0]['target_test_acc']:.0%} test, {'; '.join(hw)}: " + "; ".join(parts)
            + ("; " + "; ".join(unfinished) if unfinished else "") + f" (records in {_cost_dir(ctx)})")
    return Measurement(text, verdict, rule)  # type: ignore[arg-type]


def measure_epoch_timing(ctx: ReportContext) -> Measurement:
    from xorgrok.experiments.cost import record_name

    setting = _cost_setting(ctx)
    path = _cost_dir(ctx) / record_name(setting)
    legacy = _cost_dir(ctx) / f"cost_{setting}.json"
    if path.is_file():
        r = json.loads(path.read_text())
    elif legacy.is_file() and "epoch_timing_ms" in json.loads(legacy.read_text()):
        r = json.loads(legacy.read_text())
    else:
        return Measurement(f"no record {path}", "out of reach", f"run {_cost_cmd(setting, ctx)}")
    rows = r["epoch_timing_ms"]
    text = "; ".join(f"d_W {e['d_W']}: weak {e['weak_ms']:.2f}, GT {e['groktransfer_ms']:.2f}, scratch "
                     f"{e['scratch_ms']:.2f} ms" for e in rows) + f" (setting {setting}, {r.get('hardware', '?')})"
    ok = all(e["groktransfer_ms"] <= 1.25 * e["scratch_ms"] and e["weak_ms"] < 0.25 * e["scratch_ms"] for e in rows)
    return Measurement(text, "reproduced" if ok else "differs",
                       "rule: for every d_W, GT target per-epoch <= 1.25x scratch and weak < 0.25x scratch "
                       "(review: 36-38 vs 35.6 ms, weak ~0.8 ms)")


def measure_flops(ctx: ReportContext) -> Measurement:
    import torch

    from xorgrok.experiments.cost import (
        counted_forward_flops,
        load_seed_records,
        total_forward_flops,
        transformer_forward_flops,
    )
    from xorgrok.models.transformer import Transformer, preset_config

    cfg = preset_config("paper8", vocab=113, n_out=113)
    counted = counted_forward_flops(Transformer(cfg), torch.tensor([[1, 2]]))
    formula = transformer_forward_flops(cfg, 2)
    n_ours = cfg.n_layers * (4 * cfg.d_embed * cfg.n_heads * cfg.d_head + 2 * cfg.d_embed * cfg.d_mlp)
    n_paper = 2 * 512 * 8 * (256 + 512)
    text = (f"8-layer target: forward {formula:.4g} FLOPs/example by formula, {counted:.4g} by flop_counter; "
            f"non-embedding weights N = {n_ours} vs the paper's N = {n_paper} (it uses d_attn = 128 = d_head, but "
            f"4 heads x 128 = 512); C_fwd ~ 2N = {2 * n_ours:.3g} ~ 10^7 either way")
    timing = _cost_dir(ctx) / "cost_tf8_timing.json"
    if timing.is_file():  # totals of the measured tf8 runs, informative only
        f = json.loads(timing.read_text())["flops_per_example"]
        for r in load_seed_records(_cost_dir(ctx), "tf8")[0]:
            t = total_forward_flops(r, f)
            text += (f"; seed {r['seed']} total forward FLOPs weak {t['weak']:.3g}, GT {t['groktransfer']:.3g}, "
                     f"scratch {t['scratch']:.3g}")
    ok = formula == counted and n_ours == n_paper
    return Measurement(text, "reproduced" if ok else "differs",
                       "rule: the paper's N equals the count of the 8-layer target's weights (formula checked "
                       "against torch.utils.flop_counter); order of magnitude 10^7 FLOPs/example agrees")


def measure_embeddings(quick: bool) -> Measurement:
    from xorgrok.experiments.embeddings import embedding_preset, run_embedding

    res = {}
    for kind in ("onehot", "binary", "fourier"):
        cfg = embedding_preset(kind, quick=quick, overrides=None if quick else {"epochs": 3000})
        res[kind] = run_embedding(cfg)["metrics"]
    parts = [f"{k}: 90% train at {m['epochs_to_90_train']}, 90% test at {m['epochs_to_90_test']}, final test "
             f"{m['final_test_acc']:.3f}" for k, m in res.items()]
    f, o = res["fourier"], res["onehot"]
    fourier_sim = (f["epochs_to_90_test"] is not None and f["epochs_to_90_train"] is not None
                   and f["epochs_to_90_test"] - f["epochs_to_90_train"] <= 0.2 * f["epochs_to_90_train"] + 10)
    onehot_delay = o["epochs_to_90_train"] is not None and (
        o["epochs_to_90_test"] is None or o["epochs_to_90_test"] >= 2 * o["epochs_to_90_train"])
    tag = "QUICK width 128, 300 epochs" if quick else "width 512, 3000 epochs"
    return Measurement("; ".join(parts) + f" ({tag}, seed 0)", "reproduced" if fourier_sim and onehot_delay
                       else "differs", "rule: Fourier reaches 90% test within 20% (+10 epochs) of 90% train; one-hot "
                       "reaches 90% test at least 2x later than 90% train, or never within the budget")


CPU_FAMILY = "transformer_cpu"  # multi-seed CPU records with the control (python -m xorgrok transformer)
WEAK_TARGET = 0.3  # §6.6: the transfer point


def _seeds(exp: str) -> str:
    return " ".join(map(str, TF_SEEDS[exp]))


def _seed_cmd(exp: str) -> str:
    return (f"for S in {_seeds(exp)}; do for M in groktransfer grokfast random_ab; do OMP_NUM_THREADS=1 python -m "
            f"xorgrok transformer --experiment {exp} --method $M --seed $S --out runs/{CPU_FAMILY}; done; done")


def weak_screen(folders: list[Path], task: str = "add") -> str:
    """How often the width-4 weak recipe (TF_WEAK_RECIPE) reaches 30 % test, from the weak-grid records of
    `folders`: one count per epoch cap over the distinct seeds run at that cap, with the CP interval."""
    from xorgrok.experiments.transformer import TF_WEAK_RECIPE
    from xorgrok.theory.stats import frequency

    by_cap: dict[int, dict[int, bool]] = {}
    for folder in folders:
        for f in sorted(folder.glob(f"weakgrid_{task}_w4*.json")) if folder.is_dir() else []:
            rec = json.loads(f.read_text())
            for r in rec.get("rows", []):
                if all(abs(r[k] - v) < 1e-12 for k, v in TF_WEAK_RECIPE.items()):
                    by_cap.setdefault(int(rec["epochs_cap"]), {})[int(r["seed"])] = r["epochs_to_30_test"] is not None
    if not by_cap:
        return "weak recipe: no screen record"
    parts = []
    for cap, hits in sorted(by_cap.items(), reverse=True):
        seeds = sorted(hits)
        won = [s for s in seeds if hits[s]]
        parts.append(f"{frequency(len(won), len(seeds))} within {cap} epochs (seeds {seeds[0]}–{seeds[-1]}, "
                     f"{len(seeds)} seeds; reached on {won})")
    recipe = ", ".join(f"{v:g}" for v in TF_WEAK_RECIPE.values())
    return f"weak recipe (init, lr, wd) = ({recipe}), width 4, reaches 30 % test: " + "; ".join(parts)


def controlled_measurement(exp: str, recs: dict[str, list[dict[str, Any]]], screen: str = "",
                           seeds: tuple[int, ...] | None = None) -> Measurement:
    """95 % test within the epoch cap, per arm over seeds; the rule of report.transfer_verdict (baseline
    GrokFast). Precondition of a GrokTransfer run: its weak model reached 30 % test (§6.6); a run whose weak
    model did not is left out of the arm and named (its transfer is not the paper's).

    `seeds`: the seeds the selection rule picked (TF_SEEDS). Records on other seeds are left out and named
    (no seed enters after the fact); while an arm lacks one of them the row is a partial result, "out of
    reach", whatever the runs so far would read."""
    if not recs:
        # the weak screen says whether the precondition (a 30 % width-4 weak model) could be met at all
        return Measurement("no multi-seed record" + (f"; {screen}" if screen else ""), "out of reach",
                           f"run {_seed_cmd(exp)} (~20-25 CPU-min per run)")
    recs = {m: sorted(rs, key=lambda r: r["seed"]) for m, rs in recs.items()}
    extra: list[int] = []
    missing: dict[str, list[int]] = {}
    if seeds is not None:
        extra = sorted({r["seed"] for rs in recs.values() for r in rs} - set(seeds))
        recs = {m: kept for m, rs in recs.items() if (kept := [r for r in rs if r["seed"] in seeds])}
        missing = {m: miss for m in ("groktransfer", "grokfast", "random_ab")
                   if (miss := sorted(set(seeds) - {r["seed"] for r in recs.get(m, [])}))}
    if not recs:
        return Measurement(f"no record on the rule's seeds {list(seeds or ())}" + (f"; {screen}" if screen else ""),
                           "out of reach", f"run {_seed_cmd(exp)} (~20-25 CPU-min per run)")
    weak = {r["seed"]: RunMetrics.from_record(r).weak_final_test_acc for r in recs.get("groktransfer", [])}
    failed = sorted(s for s, a in weak.items() if a is None or a < WEAK_TARGET)
    if failed:
        recs["groktransfer"] = [r for r in recs["groktransfer"] if r["seed"] not in failed]
        if not recs["groktransfer"]:
            del recs["groktransfer"]
    arms = summarise_arms({m: [(r["seed"], None if RunMetrics.divergence(r) else
                                RunMetrics.from_record(r).epochs_to_95_test) for r in rs]
                           for m, rs in recs.items()})
    verdict, why = helps_verdict(arms, baseline="grokfast")
    gaps = {m: [RunMetrics.from_record(r).time_gap for r in rs] for m, rs in recs.items()}
    best = {m: [round(RunMetrics.from_record(r).best_test_acc or 0.0, 3) for r in rs] for m, rs in recs.items()}
    text = "success = 95% test within the cap; " + "; ".join(
        f"{arms[m].text()}; Time Gaps {gaps[m]}; best test {best[m]}" for m in ("groktransfer", "grokfast",
                                                                                 "random_ab") if m in arms)
    pre = ", ".join(f"seed {s} {a:.3f}" for s, a in sorted(weak.items()) if a is not None)
    text += f"; precondition, weak model test accuracy at transfer: {pre or 'none'}"
    if failed:
        text += f" (below 30 %, left out of the GrokTransfer arm: seeds {failed})"
    if extra:
        text += f"; records on seeds outside the rule, left out: {extra}"
    if screen:
        text += f"; {screen}"
    if missing:
        runs = "; ".join(f"{m} seeds {s}" for m, s in missing.items())
        return Measurement("PARTIAL (not every seed of the rule is run): " + text, "out of reach",
                           f"the rule's seeds {list(seeds or ())} are not all run (missing: {runs}); the runs so "
                           f"far would read '{verdict}'; run {_seed_cmd(exp)}")
    return Measurement(text, verdict, why)  # type: ignore[arg-type]


def _controlled(exp: str, ctx: ReportContext) -> Measurement:
    if ctx.quick:
        return Measurement("multi-seed runs are read from records only", "out of reach", f"run {_seed_cmd(exp)}")
    folders = [Path(ctx.runs_dir) / CPU_FAMILY]
    task = "mul" if exp == "fig16" else "add"
    return controlled_measurement(exp, seed_records(folders, exp), screen=weak_screen(folders, task),
                                  seeds=TF_SEEDS[exp])


_ADAM_NAME = re.compile(r"^fig8b_add_grokfast_grokfast_adam_s(?P<seed>\d+)\.json$")
_CODE_NAME = re.compile(r"^fig8b_add_grokfast_grokfast_adam_wd0\.005_s(?P<seed>\d+)\.json$")
ADAM_CMD = (f"for S in {_seeds('fig8b')}; do OMP_NUM_THREADS=1 python -m xorgrok transformer --experiment fig8b "
            f"--method grokfast --grokfast-optimizer adam --seed $S --out runs/{CPU_FAMILY}; done")
CODE_CMD = ADAM_CMD.replace("--grokfast-optimizer adam", "--grokfast-optimizer adam --grokfast-wd 0.005")
_ADAM_RULE = ("ablation (GrokFast code: torch Adam with coupled L2; ours: AdamW), same lr 0.01, wd 1, warm-up, "
              "filter; rule: 'reproduced' if Adam and AdamW reach 95 % test on as many of the shared seeds, "
              "'differs' otherwise; >= 3 shared seeds. This isolates the optimiser at the paper's wd 1 (the GrokFast "
              "code's own recipe, Adam with wd 0.005, is the next row)")
_CODE_RULE = ("the GrokFast code's own optimiser (torch Adam, coupled L2 wd 0.005, as its README's EMA command) "
              "against the paper's AdamW wd 1; same lr 0.01, warm-up, filter; rule: 'reproduced' if both reach "
              "95 % test on as many of the shared seeds, 'differs' otherwise; >= 3 shared seeds")


def grokfast_optimizer_measurement(recs: dict[str, list[dict[str, Any]]], rule: str = _ADAM_RULE,
                                   cmd: str = ADAM_CMD) -> Measurement:
    """Two GrokFast baselines on the seeds both ran: recs = {"adamw": the paper's, other label: the variant}.
    Rule, fixed before the runs: success = 95 % test within the cap; 'reproduced' (the baseline's outcome does
    not hinge on the change) if both arms succeed on the same number of the shared seeds, 'differs'
    otherwise; 'out of reach' with fewer than 3 shared seeds."""
    base, alt = "adamw", next(k for k in recs if k != "adamw")
    by_seed = {m: {r["seed"]: r for r in rs} for m, rs in recs.items()}
    shared = sorted(set(by_seed[base]) & set(by_seed[alt]))
    if len(shared) < 3:
        return Measurement(f"shared seeds {shared}", "out of reach", rule + f"; run {cmd}")
    arms = summarise_arms({m: [(s, RunMetrics.from_record(by_seed[m][s]).epochs_to_95_test) for s in shared]
                           for m in (base, alt)})
    gaps = {m: [RunMetrics.from_record(by_seed[m][s]).time_gap for s in shared] for m in arms}
    best = {m: [round(RunMetrics.from_record(by_seed[m][s]).best_test_acc or 0.0, 3) for s in shared] for m in arms}
    # final train accuracy tells "fits but does not generalise" from "does not even fit"
    train = {m: [round(RunMetrics.from_record(by_seed[m][s]).final_train_acc, 3) for s in shared] for m in arms}
    text = "; ".join(f"GrokFast-{arms[m].text()}; Time Gaps {gaps[m]}; best test {best[m]}; final train {train[m]}"
                     for m in arms)
    verdict = "reproduced" if arms[alt].k == arms[base].k else "differs"
    return Measurement(text + " (success = 95% test within the cap)", verdict, rule)  # type: ignore[arg-type]


def _grokfast_variant(ctx: ReportContext, label: str, name: re.Pattern[str], rule: str, cmd: str) -> Measurement:
    if ctx.quick:
        return Measurement("read from records only", "out of reach", f"run {cmd}")
    folder = Path(ctx.runs_dir) / CPU_FAMILY
    recs: dict[str, list[dict[str, Any]]] = {"adamw": seed_records([folder], "fig8b").get("grokfast", []),
                                             label: []}
    for f in sorted(folder.iterdir()) if folder.is_dir() else []:
        if name.match(f.name):
            recs[label].append(json.loads(f.read_text()))
    return grokfast_optimizer_measurement(recs, rule, cmd)


# the single-seed Time Gap rows: no control, seeds as run; their stored runs used the earlier width-16 weak model
_VARIANT = ("labelled variant: single seeds, no control; the measured text names the weak model's width, and one "
            "that does not is the earlier width-16 weak model")

CLAIMS = [
    Claim("tf-fig8b-seeds-controls", "2-layer Transformer, modular addition, width-4 weak model: GrokTransfer "
          "beats GrokFast and the random-A·B control over seeds", "GrokTransfer Fig. 8(b), §4.2", _seed_cmd("fig8b"),
          lambda ctx: _controlled("fig8b", ctx)),
    Claim("tf-fig16-seeds-controls", "2-layer Transformer, modular multiplication, width-4 weak model: GrokTransfer "
          "beats GrokFast and the random-A·B control over seeds", "GrokTransfer Fig. 16", _seed_cmd("fig16"),
          lambda ctx: _controlled("fig16", ctx)),
    Claim("tf-fig8b-grokfast-adam", "Ablation: the GrokFast baseline with Adam and coupled L2 (the GrokFast code's "
          "optimiser) groks as with AdamW (Fig. 8(b) setting, width-4 weak seeds)", "review thread; GrokFast code",
          ADAM_CMD, lambda ctx: _grokfast_variant(ctx, "adam", _ADAM_NAME, _ADAM_RULE, ADAM_CMD)),
    Claim("tf-fig8b-grokfast-code-recipe", "Ablation: the GrokFast baseline with the GrokFast code's own optimiser "
          "(Adam, coupled L2 wd 0.005) groks as with the paper's AdamW wd 1 (Fig. 8(b) setting, width-4 weak seeds)",
          "GrokFast code (README, EMA filter)", CODE_CMD,
          lambda ctx: _grokfast_variant(ctx, "adam-wd0.005", _CODE_NAME, _CODE_RULE, CODE_CMD)),
    Claim("tf-grokfast-timegap-add", "2-layer Transformer, modular addition: Time Gap GrokTransfer 46 vs GrokFast 1119 "
          f"({_VARIANT}; the decided row is tf-fig8b-seeds-controls)", "GrokTransfer Fig. 8(b), §4.2",
          _cmd("fig8b"), lambda ctx: measure_grokfast_gap("fig8b", ctx)),
    Claim("tf-grokfast-timegap-mul", "2-layer Transformer, modular multiplication: GrokTransfer beats GrokFast "
          f"({_VARIANT}; the decided row is tf-fig16-seeds-controls)", "GrokTransfer Fig. 16; review thread",
          _cmd("fig16"), lambda ctx: measure_grokfast_gap("fig16", ctx, factor=1.0)),
    Claim("tf8-groktransfer-vs-scratch-add", "8-layer Transformer target: GrokTransfer generalises much earlier "
          "than scratch (modular addition)", "GrokTransfer Fig. 8(a)", _cmd("fig8a"),
          lambda ctx: measure_fig8a("fig8a", ctx)),
    Claim("tf8-groktransfer-vs-scratch-mul", "8-layer Transformer target on modular multiplication: GrokTransfer "
          "generalises earlier than scratch", "GrokTransfer Fig. 13 (left)", _cmd("fig13l"),
          lambda ctx: measure_fig8a("fig13l", ctx)),
    Claim("tf-parity-no-delay", "2- and 4-layer Transformers on (40,3)-parity show no delayed generalisation",
          "GrokTransfer Fig. 13 (right)", _cmd("fig13r"), measure_parity),
    Claim("cost-table1-ratio", "Weak + GrokTransfer target is ~5x cheaper than the target from scratch (Table 1: "
          "2828 / 71079 / 392667 ms)", "GrokTransfer Table 1",
          "python -m xorgrok cost --setting tf8 --seeds 0 (GPU; on CPU: --setting tf2 --seeds 0,1,2)",
          measure_cost_ratio),
    Claim("cost-per-epoch-by-dW", "Per-epoch cost of the GrokTransfer target is about that of scratch for d_W in "
          "{4..512}; the weak model is negligible", "review thread, cost table", "python -m xorgrok cost",
          measure_epoch_timing),
    Claim("cost-flops-a41", "Target forward cost N = 2·512·8·(256+512) = 6,291,456, C_fwd ~ 10^7", "GrokTransfer "
          "App. A.4.1", "python -m xorgrok cost", measure_flops),
    Claim("embeddings-fig2", "One-hot embedding groks (sharp late transition); Fourier fits and generalises "
          "simultaneously", "GrokTransfer Fig. 2, §2.1", "python -m figures fig2", quick_only(measure_embeddings)),
]
