"""The "GrokTransfer helps" rule (scratch AND random-A·B control) on hand-made arms and records."""

from __future__ import annotations

from xorgrok.report.claims_mnist import measure_records
from xorgrok.report.transfer_verdict import ArmSummary, beats, helps_verdict, summarise_arms
from xorgrok.train.history import History


def _arms(gt, sc, rc):
    return summarise_arms({"groktransfer": list(enumerate(gt)), "scratch": list(enumerate(sc)),
                           "random_ab": list(enumerate(rc))})


def test_rates_and_medians():
    a = ArmSummary("groktransfer", (0, 1, 2), (100, None, 300))
    assert (a.k, a.n, a.median_t) == (2, 3, 200.0)
    assert a.rate.ci_low < 2 / 3 < a.rate.ci_high


def test_beats_counts_then_halved_time():
    fast = ArmSummary("groktransfer", (0, 1), (100, 100))
    slow = ArmSummary("scratch", (0, 1), (200, 300))
    same = ArmSummary("scratch", (0, 1), (150, 150))
    none = ArmSummary("scratch", (0, 1), (None, None))
    assert beats(fast, slow) and not beats(fast, same)
    assert beats(fast, none) and not beats(none, fast)
    assert not beats(none, none)  # nobody succeeds: no help shown


def test_reproduced_needs_both_scratch_and_control():
    assert helps_verdict(_arms([100, 100], [None, None], [None, None]))[0] == "reproduced"
    v, why = helps_verdict(_arms([100, 100], [None, None], [110, 90]))  # the control is as good: no transfer
    assert v == "differs" and "beats the control: no" in why
    assert helps_verdict(_arms([100, 100], [150, 150], [None, None]))[0] == "differs"  # scratch as fast
    assert helps_verdict(_arms([100], [None], [None]))[0] == "out of reach"  # one seed only
    v, why = helps_verdict(_arms([None, None], [None, None], [None, None]))  # nothing generalises anywhere
    assert v == "out of reach" and "no arm reaches" in why
    assert helps_verdict(summarise_arms({"groktransfer": [(0, 1), (1, 1)], "scratch": [(0, None), (1, None)]}))[
        0] == "out of reach"  # no control arm


def _rec(method, seed, accs):
    h = History()
    for k, a in enumerate(accs):
        h.log(25 * k, train_loss=1.0, train_acc=1.0, test_loss=1.0, test_acc=a, weight_norm=1.0)
    metrics = {"epochs_to_95_train": 0, "epochs_to_99_train": 0, "epochs_to_95_test": None,
               "epochs_to_99_test": None, "time_gap": None, "final_train_acc": 1.0, "final_test_acc": accs[-1],
               "best_test_acc": max(accs), "epochs_run": 25 * (len(accs) - 1)}
    return {"config": {"method": method, "epochs": metrics["epochs_run"]}, "seed": seed, "metrics": metrics,
            "history": {"target": h.to_dict()}, "notes": ["parameterisation: test"], "data_note": "test data"}


def test_measure_records_reads_thresholds_from_histories():
    recs = {"groktransfer": [_rec("groktransfer", s, [0.1, 0.75, 0.8]) for s in (0, 1)],
            "scratch": [_rec("scratch", s, [0.1, 0.2, 0.75]) for s in (0, 1)],
            "random_ab": [_rec("random_ab", s, [0.1, 0.75, 0.8]) for s in (0, 1)]}
    m = measure_records(200, recs, quick=True)
    assert m.verdict == "differs"  # GrokTransfer at 25, scratch at 50 (beaten), control at 25 (not beaten)
    assert "2/2" in m.measured and "QUICK" in m.measured
    recs["random_ab"] = [_rec("random_ab", s, [0.1, 0.2, 0.3]) for s in (0, 1)]
    assert measure_records(200, recs, quick=False).verdict == "reproduced"
    assert measure_records(200, {}, quick=False).verdict == "out of reach"


def test_transformer_controlled_claim_uses_grokfast_as_baseline(tmp_path):
    import json

    from xorgrok.experiments.transformer import seed_records
    from xorgrok.report.claims_transformer import controlled_measurement

    def rec(method, seed, t95):
        m = {"epochs_to_95_train": 100, "epochs_to_99_train": 100, "epochs_to_95_test": t95,
             "epochs_to_99_test": None, "time_gap": None if t95 is None else t95 - 100, "final_train_acc": 1.0,
             "final_test_acc": 0.5, "best_test_acc": 0.5, "epochs_run": 3000,
             "weak_final_test_acc": 0.301 if method == "groktransfer" else None}
        return {"config": {"method": method}, "seed": seed, "metrics": m}

    for s in (0, 1):
        for method, t in (("groktransfer", 200), ("grokfast", None), ("random_ab", None)):
            (tmp_path / f"fig8b_add_{method}_grokfast_s{s}.json").write_text(json.dumps(rec(method, s, t)))
    (tmp_path / "fig8b_add_groktransfer_grokfast_weakw16_s0.json").write_text("{}")  # the variant: not read
    recs = seed_records([tmp_path], "fig8b")
    assert sorted(recs) == ["grokfast", "groktransfer", "random_ab"] and all(len(v) == 2 for v in recs.values())
    m = controlled_measurement("fig8b", recs)
    assert m.verdict == "reproduced" and "beats grokfast: yes" in m.why
    assert "seed 0 0.301" in m.measured
    assert controlled_measurement("fig8b", {}).verdict == "out of reach"
    # a GrokTransfer run whose weak model stayed below 30 % is not the paper's transfer: left out, named
    recs["groktransfer"][1]["metrics"]["weak_final_test_acc"] = 0.009
    m = controlled_measurement("fig8b", recs)
    assert m.verdict == "out of reach" and "left out of the GrokTransfer arm: seeds [1]" in m.measured


def test_transformer_controlled_claim_reads_only_the_rules_seeds(tmp_path):
    """Seeds named by the selection rule: a missing run makes the row partial, a run on another seed is left
    out, and per-seed lists follow the seed order (file names sort 122 before 63)."""
    import json

    from xorgrok.experiments.transformer import seed_records
    from xorgrok.report.claims_transformer import controlled_measurement

    def rec(method, seed, t95):
        m = {"epochs_to_95_train": 100, "epochs_to_99_train": 100, "epochs_to_95_test": t95,
             "epochs_to_99_test": None, "time_gap": None if t95 is None else t95 - 100, "final_train_acc": 1.0,
             "final_test_acc": 0.5, "best_test_acc": seed / 1000, "epochs_run": 3000,
             "weak_final_test_acc": 0.301 if method == "groktransfer" else None}
        return {"config": {"method": method}, "seed": seed, "metrics": m}

    for s in (63, 122, 7, 5):
        for method, t in (("groktransfer", 200), ("grokfast", None), ("random_ab", None)):
            if (s, method) != (122, "random_ab"):
                (tmp_path / f"fig16_mul_{method}_grokfast_s{s}.json").write_text(json.dumps(rec(method, s, t)))
    recs = seed_records([tmp_path], "fig16")
    m = controlled_measurement("fig16", recs, seeds=(7, 63, 122))
    assert m.verdict == "out of reach" and m.measured.startswith("PARTIAL")
    assert "random_ab seeds [122]" in m.why and "would read 'reproduced'" in m.why
    assert "outside the rule, left out: [5]" in m.measured
    assert "best test [0.007, 0.063, 0.122]" in m.measured  # seed order, not file-name order
    (tmp_path / "fig16_mul_random_ab_grokfast_s122.json").write_text(json.dumps(rec("random_ab", 122, None)))
    m = controlled_measurement("fig16", seed_records([tmp_path], "fig16"), seeds=(7, 63, 122))
    assert m.verdict == "reproduced" and "PARTIAL" not in m.measured and "3/3" in m.measured


def test_weak_screen_counts_distinct_seeds_per_cap(tmp_path):
    import json

    from xorgrok.experiments.transformer import TF_WEAK_RECIPE
    from xorgrok.report.claims_transformer import weak_screen

    def grid(cap, hits, seeds, recipe=TF_WEAK_RECIPE):
        rows = [{**recipe, "seed": s, "epochs_to_30_test": 600 if s in hits else None} for s in seeds]
        return {"epochs_cap": cap, "rows": rows}

    for name, rec in (("weakgrid_add_w4_a.json", grid(10_000, {1}, range(8))),
                      ("weakgrid_add_w4_b.json", grid(10_000, {1}, range(2))),  # same seeds again: counted once
                      ("weakgrid_add_w4_c.json", grid(3000, {31, 40}, range(8, 48))),
                      ("weakgrid_add_w4_d.json", grid(3000, set(range(100)), range(100),
                                                      {**TF_WEAK_RECIPE, "lr": 0.1}))):  # another config
        (tmp_path / name).write_text(json.dumps(rec))
    text = weak_screen([tmp_path])
    assert "1/8" in text and "within 10000 epochs" in text and "2/40" in text and "[31, 40]" in text
    assert weak_screen([tmp_path / "none"]) == "weak recipe: no screen record"


def test_mnist_variant_row_falls_back_to_quick_when_only_scratch_has_full_records(tmp_path):
    """Scratch records are shared by every parameterisation: full-length scratch alone must not hide the
    variant's quick GrokTransfer and control records."""
    import json

    from xorgrok.report import ReportContext
    from xorgrok.report.claims_mnist import _records

    d = tmp_path / "mnist"
    d.mkdir()
    for name, rec in (("mnist200_scratch_s0.json", _rec("scratch", 0, [0.1, 0.8])),
                      ("mnist200_groktransfer_Araw_s0_quick.json", _rec("groktransfer", 0, [0.1, 0.2])),
                      ("mnist200_random_ab_Araw_s0_quick.json", _rec("random_ab", 0, [0.1, 0.2])),
                      ("mnist200_scratch_s0_quick.json", _rec("scratch", 0, [0.1, 0.3]))):
        (d / name).write_text(json.dumps(rec))
    ctx = ReportContext(runs_dir=tmp_path, quick=False)
    recs, quick = _records(200, ctx, "_Araw")
    assert quick and sorted(recs) == ["groktransfer", "random_ab", "scratch"]
    (d / "mnist200_groktransfer_Araw_s0.json").write_text(json.dumps(_rec("groktransfer", 0, [0.1, 0.9])))
    recs, quick = _records(200, ctx, "_Araw")
    assert not quick and sorted(recs) == ["groktransfer", "scratch"]


def test_grokfast_optimizer_ablation_compares_shared_seeds_only():
    from xorgrok.report.claims_transformer import grokfast_optimizer_measurement

    def rec(seed, t95):
        m = {"epochs_to_95_train": 600, "epochs_to_99_train": 600, "epochs_to_95_test": t95, "epochs_to_99_test": t95,
             "time_gap": None if t95 is None else t95 - 600,
             "best_test_acc": 0.99 if t95 else 0.4, "final_train_acc": 1.0, "final_test_acc": 0.5,
             "epochs_run": 3000}
        return {"config": {"method": "grokfast"}, "seed": seed, "metrics": m}

    recs = {"adamw": [rec(s, 2000) for s in (1, 31, 50, 57)], "adam": [rec(s, 1500) for s in (1, 31)]}
    assert grokfast_optimizer_measurement(recs).verdict == "out of reach"  # 2 shared seeds
    recs["adam"].append(rec(50, None))
    m = grokfast_optimizer_measurement(recs)
    assert m.verdict == "differs" and "seeds [1, 31, 50]" in m.measured and "57" not in m.measured
    recs["adam"][-1] = rec(50, 2500)
    assert grokfast_optimizer_measurement(recs).verdict == "reproduced"


def test_grokfast_code_recipe_row_reads_only_its_own_records(tmp_path):
    """The wd-0.005 Adam records feed the code-recipe row, never the wd-1 ablation row (and vice versa)."""
    import json

    from xorgrok.report import ReportContext
    from xorgrok.report.claims_transformer import _ADAM_NAME, _ADAM_RULE, _CODE_NAME, _CODE_RULE, _grokfast_variant

    folder = tmp_path / "transformer_cpu"
    folder.mkdir()

    def write(name, seed, t95):
        m = {"epochs_to_95_train": 500, "epochs_to_99_train": 500, "epochs_to_95_test": t95,
             "epochs_to_99_test": t95, "time_gap": None if t95 is None else t95 - 500,
             "best_test_acc": 0.99 if t95 else 0.01, "final_train_acc": 1.0 if t95 else 0.008,
             "final_test_acc": 0.5, "epochs_run": 3000}
        (folder / name).write_text(json.dumps({"config": {"method": "grokfast"}, "seed": seed, "metrics": m}))

    for s in (1, 31, 50):
        write(f"fig8b_add_grokfast_grokfast_s{s}.json", s, 2000)  # AdamW wd 1
        write(f"fig8b_add_grokfast_grokfast_adam_s{s}.json", s, None)  # Adam wd 1: never fits
        write(f"fig8b_add_grokfast_grokfast_adam_wd0.005_s{s}.json", s, 900)  # the code's recipe
    ctx = ReportContext(runs_dir=tmp_path)
    wd1 = _grokfast_variant(ctx, "adam", _ADAM_NAME, _ADAM_RULE, "cmd")
    code = _grokfast_variant(ctx, "adam-wd0.005", _CODE_NAME, _CODE_RULE, "cmd")
    assert wd1.verdict == "differs" and "final train [0.008, 0.008, 0.008]" in wd1.measured
    assert code.verdict == "reproduced" and "GrokFast-adam-wd0.005: 3/3" in code.measured


def test_single_seed_time_gap_row_names_the_weak_width(tmp_path):
    """The single-seed Time Gap rows are a labelled variant: the measured text says which weak model ran."""
    import json

    from xorgrok.experiments.transformer import paper_runs, record_path
    from xorgrok.report import ReportContext
    from xorgrok.report.claims_transformer import measure_grokfast_gap

    folder = tmp_path / "transformer"
    folder.mkdir()
    for cfg, t95 in zip(paper_runs("fig16", False), (200, None)):
        m = {"epochs_to_95_train": 100, "epochs_to_99_train": 100, "epochs_to_95_test": t95, "epochs_to_99_test": None,
             "time_gap": None if t95 is None else t95 - 100, "final_train_acc": 1.0, "final_test_acc": 0.5,
             "best_test_acc": 0.5, "epochs_run": 3000, "weak_final_test_acc": 0.3}
        config = {**cfg.__dict__, "weak": {**cfg.weak.__dict__, "width": 16}}
        record_path(folder, "fig16", cfg, 0, False).write_text(json.dumps({"config": config, "metrics": m}))
    m = measure_grokfast_gap("fig16", ReportContext(runs_dir=tmp_path), factor=1.0)
    assert "weak width 16" in m.measured and m.verdict == "reproduced"
