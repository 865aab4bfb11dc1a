"""Numerical blow-ups are recorded (step and quantity), stored as null + diverged_* in JSON, and reported as
"diverged at step k" instead of an accuracy; theory bounds that would overflow are compared in log space."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from xorgrok.core.cli import run_main
from xorgrok.core.errors import Diverged
from xorgrok.core.health import diverged_text, first_nonfinite
from xorgrok.core.records import RunRecord
from xorgrok.core.seeding import derive
from xorgrok.data.base import TaskData
from xorgrok.data.xor import sample_hypercube
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer
from xorgrok.train.gd import GDConfig, Split
from xorgrok.train.history import History
from xorgrok.train.loop import LoopConfig, train_full_batch
from xorgrok.train.two_layer import train_two_layer


def _xor(n=40, p=50, seed=0):
    tr = sample_hypercube(n, p, 0.1, derive(seed, "train"))
    te = sample_hypercube(20, p, 0.1, derive(seed, "test"))
    return Split(tr.x, tr.y, te.x, te.y), init_two_layer(TwoLayerConfig(m=16, init="torch"), p, derive(seed, "i"))


def test_first_nonfinite_and_text():
    assert first_nonfinite({"a": 1.0, "b": torch.tensor([1.0, float("nan")]), "c": math.inf}) == "b"
    assert first_nonfinite({"a": 1.0, "b": torch.zeros(0)}) is None
    assert diverged_text(None) == ""
    assert diverged_text(7, "train_loss") == "diverged at step 7 (train_loss not finite)"


@pytest.mark.parametrize("engine", ["plain", "gram"])
def test_gd_engines_record_the_step_and_quantity(engine):
    split, p0 = _xor()
    res = train_two_layer(p0, split, GDConfig(steps=30, lr=1e4, weight_decay=0.1, log="every"), engine=engine)
    h = res.history
    assert h.diverged_at is not None and h.diverged_quantity in ("train_loss", "train outputs")
    k = h.steps.index(h.diverged_at)
    assert all(math.isfinite(v) for v in h.values["train_loss"][:k])  # the first blow-up, not a later one
    assert not math.isfinite(h.values["train_loss"][k]) or h.diverged_quantity == "train outputs"
    healthy = train_two_layer(p0, split, GDConfig(steps=30, lr=0.1, log="every"), engine=engine)
    assert healthy.history.diverged_at is None


def test_both_engines_agree_on_where_it_blew_up():
    split, p0 = _xor(seed=1)
    cfg = GDConfig(steps=20, lr=1e4, weight_decay=0.1, log="every")
    a = train_two_layer(p0, split, cfg, engine="plain").history
    b = train_two_layer(p0, split, cfg, engine="gram").history
    assert a.diverged_at == b.diverged_at is not None


def test_stop_mode_ends_the_run_at_the_divergence():
    split, p0 = _xor()
    cfg = GDConfig(steps=50, lr=1e4, weight_decay=0.1, log="every", on_diverge="stop")
    res = train_two_layer(p0, split, cfg, engine="gram")
    assert res.history.steps[-1] == res.history.diverged_at < 50
    assert res.n_updates == res.history.diverged_at


def test_record_json_keeps_null_plus_the_fields(tmp_path):
    h = History()
    h.log(0, train_loss=1.0, train_acc=0.5)
    h.log(1, train_loss=float("inf"), train_acc=0.0)
    h.mark_diverged(1, "train_loss")
    p = RunRecord(kind="t", config={}, seed=0, history=h.to_dict()).write(tmp_path / "r.json")
    d = json.loads(p.read_text())
    assert d["history"]["train_loss"] == [1.0, None]
    assert d["history"]["diverged_at"] == 1 and d["history"]["diverged_quantity"] == "train_loss"
    back = History.from_dict(d["history"])
    assert back.diverged_at == 1 and math.isnan(back.values["train_loss"][1])


def _toy_task(n=64, d=8, seed=0) -> TaskData:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g)
    y = (x[:, 0] > 0).long()
    return TaskData(name="toy", x_train=x, y_train=y, x_test=x[:16], y_test=y[:16], loss="ce", n_classes=2)


def test_loop_stops_and_summary_says_where():
    from xorgrok.experiments.common import summarise

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 2))
    res = train_full_batch(model, _toy_task(), LoopConfig(epochs=200, lr=1e12, weight_decay=0.0, optimizer="sgd"))
    h = res.history
    assert h.diverged_at is not None and h.steps[-1] == h.diverged_at < 200
    s = summarise(h)
    assert s["diverged_at"] == h.diverged_at and s["diverged_quantity"] in ("train_loss", "test_loss", "weight_norm")


def test_target_step_raises_diverged():
    from xorgrok.models.target import eq4_update

    z = torch.randn(10, 3, dtype=torch.float64) * 1e3
    V = torch.ones(20, 3, dtype=torch.float64) * 1e3
    a = torch.ones(20, dtype=torch.float64)
    y = -torch.ones(10, dtype=torch.float64)
    with pytest.raises(Diverged, match="diverged at step 0"):
        eq4_update(V, a, z.abs(), y, 1.0)


def test_casestudy_reports_divergence_not_accuracy(tmp_path, capsys):
    from xorgrok.commands import casestudy

    rec = tmp_path / "rec.json"
    rc = run_main(casestudy.main, ["--n", "60", "--p", "400", "--weak-steps", "50", "--n-eval", "200",
                                   "--alpha", "1e6", "--v-init", "50", "--steps", "5", "--record", str(rec)])
    assert rc == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "as_used" in ln)
    assert "diverged at step" in line and "test acc" not in line
    row = json.loads(rec.read_text())["metrics"]["runs"][0]["as_used"]
    assert row["diverged_at"] is not None and row["test_acc"] is None and row["train_acc"] is None


def test_init_facts_bound_does_not_overflow():
    from xorgrok.theory.lemmas import init_facts

    rng = np.random.default_rng(0)
    n, m, k = 50, 20, 3
    a = rng.choice([-1, 1], m) / math.sqrt(m)
    V0 = rng.choice([-1, 1], (m, k)) * 100.0  # v_init 100: exp(2 v_init log n) overflows a float
    z = rng.standard_normal((n, k))
    y = rng.choice([-1.0, 1.0], n)
    f = init_facts(a, V0, z, y, v_init=100.0)
    assert f.ratio_bound == math.inf and isinstance(f.holds, bool)
    small = init_facts(a, V0 / 1000, z, y, v_init=0.1)
    assert math.isclose(small.ratio_bound, math.exp(2 * 0.1 * math.log(n)))


def test_modular_summary_says_which_run_diverged():
    from xorgrok.experiments.modular import format_summary, summarise_runs

    def rec(seed, div):
        return {"config": {"method": "scratch"}, "seed": seed,
                "metrics": {"time_gap": None, "epochs_to_95_test": None, "epochs_to_99_test": None,
                            "epochs_to_95_train": None, "epochs_to_99_train": None, "final_test_acc": 0.01,
                            "final_train_acc": 0.02, "best_test_acc": 0.01, "epochs_run": 40,
                            "target_wall_s": 1.0, "diverged_at": div}}

    s = summarise_runs([rec(0, None), rec(1, 40)])
    assert s["methods"]["scratch"]["final_test_acc"]["values"] == [0.01, None]
    assert s["methods"]["scratch"]["diverged_at"] == [None, 40]
    assert "scratch seed 1: diverged at step 40 (no accuracy)" in format_summary(s)
