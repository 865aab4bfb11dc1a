"""The modular claims' comparison rules on hand-made records (full and partial)."""

from xorgrok.experiments.common import read_partial_record, write_partial_record
from xorgrok.experiments.fnn import RunConfig
from xorgrok.report.claims_modular import _less


def _rec(to95, to99, epochs_run, partial=False):
    metrics = {"epochs_to_95_test": to95, "epochs_to_99_test": to99, "epochs_run": epochs_run,
               "epochs_to_95_train": None, "epochs_to_99_train": None, "time_gap": None,
               "final_train_acc": 1.0, "final_test_acc": 0.5, "best_test_acc": 0.5}
    return {"metrics": metrics, "partial": partial}


def test_less_with_complete_runs():
    gt = _rec(40, 50, 50)
    assert _less(gt, _rec(100, 300, 4000), "epochs_to_99_test") is True
    assert _less(_rec(400, 500, 500), _rec(100, 300, 4000), "epochs_to_99_test") is False
    assert _less(gt, _rec(None, None, 4000), "epochs_to_99_test") is True  # scratch never within the cap
    assert _less(_rec(None, None, 4000), _rec(None, None, 4000), "epochs_to_99_test") is False  # GT never


def test_less_with_partial_runs():
    assert _less(_rec(40, 50, 50), _rec(None, None, 800, partial=True), "epochs_to_99_test") is True
    assert _less(_rec(40, 900, 900), _rec(None, None, 800, partial=True), "epochs_to_99_test") is None
    assert _less(_rec(40, 900, 900), _rec(None, 850, 900, partial=True), "epochs_to_99_test") is False
    gt_partial = _rec(None, None, 1000, partial=True)
    assert _less(gt_partial, _rec(None, None, 900, partial=True), "epochs_to_99_test") is None
    assert _less(gt_partial, _rec(None, 700, 900), "epochs_to_99_test") is False  # scratch got there first
    assert _less(gt_partial, _rec(None, 1200, 1200), "epochs_to_99_test") is None


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


def test_full_mode_reads_records_from_the_context_runs_folder_not_the_cwd(tmp_path, monkeypatch):
    """Records under ctx.runs_dir/modular_add/runs give the verdict wherever the report is started."""
    from xorgrok.core.records import atomic_write_json, jsonable
    from xorgrok.report import ReportContext
    from xorgrok.report import claims_modular as cm

    runs = tmp_path / "store" / cm.FAMILY / "runs"
    for method, to95, to99 in (("groktransfer", 40, 60), ("scratch", 900, 1500)):
        for k, cfg in enumerate(cm._canonical(method, cm.SEEDS, False)):
            metrics = {**_rec(to95, to99, 4000)["metrics"], "time_gap": to95 - 20, "target_wall_s": 1.0}
            atomic_write_json(runs / f"{method}-{k}.json", {"config": jsonable(cfg), "seed": cfg.seed,
                                                           "metrics": metrics})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    m = cm.measure_timegap(ReportContext(runs_dir=tmp_path / "store"))
    assert m.verdict == "reproduced" and m.measured.count("seed ") == 3
    assert cm.measure_timegap(ReportContext(runs_dir=elsewhere)).verdict == "out of reach"  # nothing there
