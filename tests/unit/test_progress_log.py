"""Recovering a trajectory from a tqdm progress log (for runs stopped before their record)."""

from xorgrok.experiments.progress_log import parse_progress

LOG = (
    "weak:  50%|#####     | 5/10 [00:01<00:01, 5.0it/s, test=0.100, train=0.200]\r"
    "scratch:   0%|          | 4/4000 [00:04<1:00:00,  1.0s/it, test=0.010, train=0.020]\r"
    "scratch:   0%|          | 5/4000 [00:05<1:00:00,  1.0s/it, test=0.011, train=0.021]\r"
    "scratch:   0%|          | 9/4000 [00:09<1:00:00,  1.0s/it, test=0.011, train=0.021]\r"
    "scratch:   0%|          | 10/4000 [00:10<1:00:00,  1.0s/it, test=0.500, train=0.960]\n"
    "scratch:   0%|          | 15/4000 [01:02:03<1:00:00,  1.0s/it, test=0.960, train=0.990]\r"
)


def test_parse_progress_keeps_logged_epochs_of_the_named_bar():
    hist, elapsed = parse_progress(LOG, "scratch", 5)
    assert hist.steps == [5, 10, 15]
    assert hist.values["test_acc"] == [0.011, 0.5, 0.96] and hist.values["train_acc"][1] == 0.96
    assert elapsed == 3723.0
    assert parse_progress(LOG, "groktransfer", 5)[0].steps == []


def test_write_partial_uses_the_one_partial_schema(tmp_path):
    """A partial record recovered from a log reads back like one written during training."""
    from xorgrok.experiments.common import read_partial_record
    from xorgrok.experiments.fnn import RunConfig
    from xorgrok.experiments.progress_log import write_partial

    log = tmp_path / "run.log"
    log.write_text(LOG)
    out = write_partial(log, "scratch", RunConfig(method="scratch", eval_every=5, seed=2), tmp_path / "r.json")
    assert out == tmp_path / "r.partial.json"
    rec = read_partial_record(out)
    assert rec["epoch"] == 15 and rec["seed"] == 2 and rec["source"] == "progress log run.log"
    assert rec["history"]["target"]["steps"] == [5, 10, 15] and rec["metrics"]["target_wall_s"] == 3723.0
    assert rec["metrics"]["epochs_to_95_train"] == 10 and rec["metrics"]["time_gap"] == 5
