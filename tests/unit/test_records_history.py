"""Run records (atomic, complete), config key checking, history and grokking metrics."""

import dataclasses
import json
import os

import pytest

from xorgrok.core.config import from_dict
from xorgrok.core.errors import InputError, check_float, check_int
from xorgrok.core.records import RunRecord, atomic_write_json, atomic_write_text
from xorgrok.train.history import History, first_step_reaching, log_spaced_steps, time_gap


def test_record_has_required_fields(tmp_path):
    rec = RunRecord(kind="t", config={"n": 3}, seed=5, metrics={"acc": 0.5}, wall_time_s=1.0)
    path = rec.write(tmp_path / "r.json")
    d = json.loads(path.read_text())
    for key in ("config", "seed", "versions", "git_sha", "wall_time_s", "metrics", "history"):
        assert key in d
    assert d["seed"] == 5 and d["versions"]["torch"] and d["versions"]["numpy"]


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "out.json"
    atomic_write_text(path, "old")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write_json(path, {"new": 1})
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp file left behind


def test_non_finite_floats_are_valid_json(tmp_path):
    # strict JSON has no NaN/inf; they are null (a diverged run says where in its diverged_* fields), not strings
    p = atomic_write_json(tmp_path / "x.json", {"a": float("nan"), "b": [float("inf")]})
    assert json.loads(p.read_text()) == {"a": None, "b": [None]}


@dataclasses.dataclass
class _Cfg:
    n: int = 1
    lr: float = 0.1


def test_config_rejects_unknown_keys():
    assert from_dict(_Cfg, {"n": 3}).n == 3
    with pytest.raises(InputError, match="unknown config key.*lrr"):
        from_dict(_Cfg, {"lrr": 0.1})


def test_checks_name_parameter_and_range():
    with pytest.raises(InputError, match=r"^m must be an integer >= 1, got 0$"):
        check_int("m", 0, lo=1)
    with pytest.raises(InputError, match=r"eps must be in \(0, inf\)"):
        check_float("eps", 0.0, 0.0, lo_open=True)
    with pytest.raises(InputError, match="finite number"):
        check_float("C", float("nan"))
    with pytest.raises(InputError):
        check_int("n", True)


def test_history_and_time_gap():
    h = History()
    for step, tr, te in [(0, 0.1, 0.0), (1, 0.5, 0.1), (5, 0.96, 0.2), (50, 1.0, 0.5), (80, 1.0, 0.97)]:
        h.log(step, train_acc=tr, test_acc=te)
    assert first_step_reaching(h, "train_acc", 0.95) == 5
    assert first_step_reaching(h, "test_acc", 0.95) == 80
    assert time_gap(h) == 75
    assert time_gap(h, threshold=0.99) is None  # test never reaches 0.99
    with pytest.raises(ValueError):
        h.log(80, train_acc=1.0)
    h2 = History.from_dict(h.to_dict())
    assert h2.steps == h.steps and h2.values == h.values


def test_history_late_metric_is_padded():
    h = History()
    h.log(0, a=1.0)
    h.log(1, a=2.0, b=3.0)
    assert len(h.values["b"]) == 2 and h.values["b"][1] == 3.0


def test_log_spaced_steps():
    s = log_spaced_steps(10_000, 10)
    assert s[0] == 0 and s[-1] == 10_000 and s == sorted(set(s)) and len(s) < 60
    assert log_spaced_steps(0) == [0]
