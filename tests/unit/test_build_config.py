"""One config mechanism: build_config for every run config (frozen), unknown keys on one line; typed metrics."""

from __future__ import annotations

import dataclasses
import json

import pytest

from xorgrok.core.config import build_config
from xorgrok.core.errors import InputError
from xorgrok.experiments.common import RunMetrics, summarise
from xorgrok.experiments.embeddings import EmbeddingRun
from xorgrok.experiments.fnn import FnnWeakConfig, RunConfig
from xorgrok.experiments.mnist import MnistConfig, load_runs, mnist_preset, record_path
from xorgrok.experiments.presets import fnn_preset
from xorgrok.experiments.transformer import TFRunConfig, paper_runs
from xorgrok.train.history import History

RUN_CONFIGS = (RunConfig, FnnWeakConfig, TFRunConfig, MnistConfig, EmbeddingRun)


@pytest.mark.parametrize("cls", RUN_CONFIGS)
def test_run_configs_are_frozen_and_reject_unknown_keys_on_one_line(cls):
    cfg = build_config(cls, {})
    field = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(cfg, field, getattr(cfg, field))
    with pytest.raises(InputError) as exc:
        build_config(cls, {"no_such_key": 1})
    msg = str(exc.value)
    assert "\n" not in msg and "no_such_key" in msg and cls.__name__ in msg
    assert all(f.name in msg for f in dataclasses.fields(cls))  # the known keys are listed


def test_nested_and_dotted_keys_and_base():
    cfg = build_config(RunConfig, {"lr": 0.5, "weak.epochs": 7, "weak": {"lr": 0.2}})
    assert cfg.lr == 0.5 and cfg.weak.epochs == 7 and cfg.weak.lr == 0.2 and isinstance(cfg.weak, FnnWeakConfig)
    base = fnn_preset("add", "groktransfer", quick=True)
    over = build_config(RunConfig, {"weak.lr": 0.3}, base=base)
    assert over.weak.lr == 0.3 and over.weak.epochs == base.weak.epochs == 600 and over.modulus == 59
    with pytest.raises(InputError, match=r"weak\.\*|wek"):
        build_config(RunConfig, {"wek.lr": 0.3})
    with pytest.raises(InputError, match="lrr"):
        build_config(RunConfig, {"weak.lrr": 0.3})
    with pytest.raises(InputError, match="no sub-keys"):
        build_config(RunConfig, {"lr.x": 1})


def test_nested_keys_start_from_the_fields_own_default():
    """The Transformer runs' weak default is not FnnWeakConfig(): partial weak keys keep its other values."""
    tf_weak = TFRunConfig().weak
    assert tf_weak != FnnWeakConfig()
    for cfg in (build_config(TFRunConfig, {"weak.epochs": 40}), build_config(TFRunConfig, {"weak": {"epochs": 40}}),
                TFRunConfig(weak={"epochs": 40})):  # type: ignore[arg-type]
        assert cfg.weak == dataclasses.replace(tf_weak, epochs=40)


def test_presets_share_one_shape_and_apply_overrides():
    assert fnn_preset("add", "scratch", seed=4, overrides={"epochs": 9}).epochs == 9
    assert mnist_preset(200, "scratch", quick=True, seed=2, overrides={"epochs": 5}) == dataclasses.replace(
        MnistConfig(n_train=200, method="scratch", seed=2, epochs=2500, weight_decay=2.0, eval_every=25), epochs=5)
    runs = paper_runs("fig8b", True, seed=3, overrides={"epochs": 4})
    assert [c.seed for c in runs] == [3, 3] and [c.epochs for c in runs] == [4, 4]
    for make in (lambda: fnn_preset("add", "scratch", overrides={"x": 1}),
                 lambda: mnist_preset(200, "scratch", overrides={"x": 1}),
                 lambda: paper_runs("fig8b", False, overrides={"x": 1})):
        with pytest.raises(InputError, match="unknown config key"):
            make()


def _metrics() -> dict:
    h = History()
    for step, (tr, te) in enumerate([(0.1, 0.0), (0.96, 0.2), (1.0, 0.97), (1.0, 1.0)]):
        h.log(step * 10, train_acc=tr, test_acc=te)
    return summarise(h)


def test_run_metrics_read_the_summary_and_refuse_a_missing_metric():
    m = RunMetrics.from_metrics({**_metrics(), "epochs_to_80_test": 20})
    assert (m.time_gap, m.epochs_to_95_test, m.epochs_to_99_test, m.epochs_run) == (10, 20, 30, 30)
    assert m.threshold_epoch("test", 80) == 20 and m.threshold_epoch("train", 95) == 10
    broken = _metrics()
    broken["timegap"] = broken.pop("time_gap")  # a renamed metric is an error, not a silent None
    with pytest.raises(KeyError, match="time_gap"):
        RunMetrics.from_metrics(broken)


def test_mnist_records_are_named_and_found_in_one_place(tmp_path):
    for method in ("groktransfer", "scratch"):
        path = record_path(tmp_path, 200, method, 1, True)
        path.write_text(json.dumps({"config": {"method": method}, "metrics": _metrics()}))
    recs = load_runs(tmp_path, 200, 1, True)
    assert [r["config"]["method"] for r in recs] == ["groktransfer", "scratch"]
    with pytest.raises(InputError, match="mnist200_groktransfer_s0_quick.json"):
        load_runs(tmp_path, 200, 0, True)
