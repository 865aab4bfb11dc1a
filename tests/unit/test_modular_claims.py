"""The modular claims' comparison rules on hand-made records (full and partial)."""

from xorgrok.experiments.common import read_partial_record, write_partial_record
from xorgrok.experiments.fnn import RunConfig


def _rec(to95, to99, epochs_run, partial=False):
    metrics = {"epochs_to_95_test": to95, "epochs_to_99_test": to99, "epochs_run": epochs_run,
               "epochs_to_95_train": None, "epochs_to_99_train": None, "time_gap": None,
               "final_train_acc": 1.0, "final_test_acc": 0.5, "best_test_acc": 0.5}
    return {"metrics": metrics, "partial": partial}


def test_partial_record_round_trip_gives_metrics_so_far(tmp_path):
    hist = {"steps": [0, 10, 20], "train_acc": [0.0, 0.96, 1.0], "test_acc": [0.0, 0.2, 0.96],
            "train_loss": [1, 1, 1], "test_loss": [1, 1, 1], "weight_norm": [1, 1, 1]}
    path = write_partial_record(tmp_path / "r.partial.json", RunConfig(method="scratch", seed=3), hist, wall_s=12.0)
    rec = read_partial_record(path)
    m = rec["metrics"]
    assert rec["partial"] and m["epochs_run"] == 20 and m["time_gap"] == 10 and m["target_wall_s"] == 12.0
    assert m["epochs_to_99_test"] is None
    assert rec["seed"] == 3 and rec["config"]["method"] == "scratch" and rec["epoch"] == 20


def test_combined_ratio_and_cost_measurement():
    from xorgrok.experiments.cost import combined_ratio, per_epoch_costs
    from xorgrok.experiments.presets import quick_config

    costs = {"weak_s_per_epoch": 0.01, "target_s_per_epoch": 1.0}
    assert combined_ratio(costs, 10_000, 50, 4000) == 4000 / (100 + 50)
    measured = per_epoch_costs(quick_config("add", "groktransfer", d_embed=8, width=16), rounds=1, weak_epochs=2,
                               target_epochs=1)
    assert measured["weak_s_per_epoch"] > 0 and measured["target_s_per_epoch"] > 0


def _write_group(runs, group, seeds, to95_train, to95, to99, cap=600, **cfg_over):
    import dataclasses

    from xorgrok.core.records import atomic_write_json, jsonable
    from xorgrok.report import claims_modular as cm
    for s in seeds:
        cfg = dataclasses.replace(cm._canonical(group, False), seed=s, **cfg_over)
        gap = None if to95 is None else to95 - to95_train
        metrics = {**_rec(to95, to99, cap)["metrics"], "epochs_to_95_train": to95_train, "time_gap": gap,
                   "target_wall_s": 1.0, "weak_final_test_acc": 0.95 if group == "groktransfer" else None}
        atomic_write_json(runs / group / f"{group}-{s}.json", {"config": jsonable(cfg), "seed": s, "metrics": metrics})


def test_full_mode_reads_records_from_the_context_runs_folder_not_the_cwd(tmp_path, monkeypatch):
    """Records anywhere under ctx.runs_dir/modular give the verdict wherever the report is started; each is
    sorted into its method by its config (a Fig. 1(b) scratch or a mini-batch run is not the Fig. 6(a) scratch)."""
    from xorgrok.report import ReportContext
    from xorgrok.report import claims_modular as cm

    runs = tmp_path / "store" / cm.FAMILY
    seeds = range(8)
    _write_group(runs, "groktransfer", seeds, 20, 30, 50)
    _write_group(runs, "scratch", seeds, 160, 170, 300)
    _write_group(runs, "random_ab", seeds, 20, None, None, cap=300)
    _write_group(runs, "scratch_fig1b", range(3), 100, 400, 450)  # a late grokker, other setting
    _write_group(runs, "minibatch", range(3), 100, 110, 150, batch_size=512)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    ctx = ReportContext(runs_dir=tmp_path / "store")
    m = cm.measure_helps(ctx)
    assert m.verdict == "reproduced" and "8/8" in m.measured
    shape = cm.measure_shape(ctx)
    assert shape.verdict == "reproduced" and "seeds [0, 1, 2]" in shape.why  # only the Fig. 1(b) runs are late
    mb = cm.measure_minibatch(ctx)
    assert mb.verdict == "differs" and "3 seeds" in mb.measured and "Fig. 1(b)" not in mb.measured
    _write_group(runs, "minibatch_fig1b", range(3), 100, 300, 320, batch_size=512)  # a late grokker
    mb = cm.measure_minibatch(ctx)
    assert mb.verdict == "reproduced" and "Fig. 1(b) (1.0, 0.05, 3), mini-batch" in mb.measured
    assert cm.measure_random_ab(ctx).verdict == "reproduced"
    assert cm.measure_helps(ReportContext(runs_dir=elsewhere)).verdict == "out of reach"  # nothing there


def test_a_control_as_fast_as_gt_makes_helps_differ(tmp_path):
    from xorgrok.report import ReportContext
    from xorgrok.report import claims_modular as cm

    runs = tmp_path / cm.FAMILY
    _write_group(runs, "groktransfer", range(8), 20, 30, 50)
    _write_group(runs, "scratch", range(8), 160, 170, 300)
    _write_group(runs, "random_ab", range(8), 20, 30, 40, cap=300)
    m = cm.measure_helps(ReportContext(runs_dir=tmp_path))
    assert m.verdict == "differs" and "does not beat random" in m.why
