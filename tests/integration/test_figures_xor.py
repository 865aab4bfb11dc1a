"""Smoke tests of the XOR figures: each runs in quick mode at tiny sizes, writes PNG + JSON, and the JSON has
the claimed shapes with finite plotted values. Plus the target step of `transfer` against the closed-form
eq. (4) step, the Xu'24 snapshots, the overrides and the run cache."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from figures import fig4, fig5, fig9, fig10, fig11, xor_common, xu_fig1, xu_fig2, xu_fig3
from figures.registry import FigureContext, discover
from xorgrok.core.errors import InputError
from xorgrok.core.seeding import derive
from xorgrok.data.xor import project_hypercube
from xorgrok.experiments.cache import RunCache
from xorgrok.experiments.xor import TransferConfig, XorWeakConfig, default_target_width, transfer, weak_run
from xorgrok.experiments.xu import XuConfig, xu_run
from xorgrok.models.target import eq4_update, target_forward_z

# one overrides dict per setting: an override naming a field the setting lacks is an error
_XOR = {"n": 60, "p": 400, "n_test": 50, "weak_steps": 60, "n_eval": 300}
FIG4_TINY = {**_XOR, "m_normal": 32, "normal_steps": 30, "coords": 5}
FIG9_TINY = {**_XOR, "target_steps": 5}
LADDER_TINY = {**_XOR, "coords": 5, "n_scatter": 100, "target_steps": 5}
FIG5_TINY = {"n": 60, "p": 400, "n_scatter": 100, "n_b": 40, "ps": (200, 400), "p_c": 200, "ns": (30, 60),
             "epss": (1 / 40, 1 / 80), "weak_steps": 40}
XU_TINY = {"n": 40, "p": 300, "m": 40, "n_test": 50, "steps_large": 16, "steps_small": 40}


def _ctx(tmp_path, overrides, seeds=2):
    return FigureContext(out_dir=tmp_path, quick=True, seed=0, n_seeds=seeds, progress=False,
                         extra={"overrides": overrides})


@pytest.fixture(autouse=True)
def _one_thread():
    # one intra-op thread for these tiny matrices: on a shared 2-core machine two spinning threads per process
    # cost ~3x the CPU time; restored afterwards so no other test sees the change
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _load(files):
    png, js = files
    assert png.suffix == ".png" and png.stat().st_size > 1000
    return json.loads(js.read_text())


def test_registered():
    names = set(discover())
    assert {"fig4", "fig5", "fig9", "fig10", "fig11", "xu_fig1", "xu_fig2", "xu_fig3"} <= names


def test_fig4(tmp_path):
    d = _load(fig4.FIGURE.run(_ctx(tmp_path, FIG4_TINY)))
    fig4.check(d)
    assert len(d["seeds"]) == 2 and d["setting"]["n"] == 60
    assert len(d["a"]["epochs"]) == 2 and np.asarray(d["c"]["weights"]).shape == (3, 5)


def test_fig5(tmp_path):
    d = _load(fig5.FIGURE.run(_ctx(tmp_path, FIG5_TINY)))
    fig5.check(d)
    assert np.asarray(d["b"]["r_W"]).shape == (2, 2, 2) and np.asarray(d["c"]["r_W"]).shape == (2, 2, 2)
    assert len(d["b"]["eps_slope"]) == 2


def test_fig9(tmp_path):
    d = _load(fig9.FIGURE.run(_ctx(tmp_path, FIG9_TINY)))
    fig9.check(d)
    assert d["none"]["steps"] == [0, 1, 2, 3, 4, 5] and d["as_proved"]["steps"] == d["none"]["steps"]


@pytest.mark.parametrize("mod,width", [(fig10, 1), (fig11, 2)])
def test_ladder(tmp_path, mod, width):
    d = _load(mod.FIGURE.run(_ctx(tmp_path, LADDER_TINY)))
    fig10.ladder_check(d)
    assert d["m_weak"] == width and np.asarray(d["embedding"]["z"]).shape == (100, width)


def test_xu_figs(tmp_path):
    d1 = _load(xu_fig1.FIGURE.run(_ctx(tmp_path, XU_TINY)))
    xu_fig1.check(d1)
    d2 = _load(xu_fig2.FIGURE.run(_ctx(tmp_path, XU_TINY)))
    xu_fig2.check(d2)
    assert sorted(d2["snapshots"], key=int) == ["0", "1", "15"]
    d3 = _load(xu_fig3.FIGURE.run(_ctx(tmp_path, XU_TINY)))
    xu_fig3.check(d3)
    assert d3["t"] == [0, 1, 15, 16]


def test_transfer_one_step_is_eq4_with_its_test_curve():
    """transfer's one GD step on V is the closed-form eq. (4) step, and its tracked test curve scores those
    V on the fresh points (the oracle recomputes both from the initial V, for raw and normalised U)."""
    w = weak_run(XorWeakConfig(n=60, p=400, steps=60, n_test=20, n_eval=200, seed=3), RunCache())
    for norm in ("none", "signal"):
        cfg = TransferConfig(steps=1, n_eval=500, normalize=norm, seed=3)
        r = transfer(w.U, w.train, cfg, track_test=True)
        tp = r.params0
        z = (w.train.x @ tp.U).double()
        V1 = eq4_update(tp.V.double(), tp.a.double(), z, w.train.y.double(), cfg.alpha)
        assert r.result.params is not None
        torch.testing.assert_close(r.result.params["V"].double(), V1, rtol=1e-4, atol=1e-6)
        ev = project_hypercube(tp.U, cfg.n_eval, w.train.eps, derive(cfg.seed, "transfer-eval"))
        for step, V in ((0, tp.V.double()), (1, V1)):
            f_train = target_forward_z(V, tp.a.double(), z)
            f_test = target_forward_z(V, tp.a.double(), ev.z.double())
            k = r.history.steps.index(step)
            assert r.history["train_acc"][k] == float((torch.sign(f_train) == w.train.y).double().mean())
            assert r.history["test_acc"][k] == float((torch.sign(f_test) == ev.y).double().mean())
        assert r.test_acc == r.history.last("test_acc") and r.train_acc == r.history.last("train_acc")
        assert r.m == default_target_width(60)


def test_tracking_the_test_curve_does_not_change_the_run():
    w = weak_run(XorWeakConfig(n=60, p=400, steps=60, n_test=20, n_eval=200, seed=3), RunCache())
    cfg = TransferConfig(steps=4, n_eval=300, seed=3)
    a, b = transfer(w.U, w.train, cfg), transfer(w.U, w.train, cfg, track_test=True)
    assert a.result.params is not None and b.result.params is not None
    assert torch.equal(a.result.params["V"], b.result.params["V"]) and a.test_acc == b.test_acc
    assert "test_acc" not in a.history and len(b.history["test_acc"]) == len(b.history.steps)


def test_xu_snapshot_matches_full_run():
    """A snapshot at the last step equals the full run's W; an earlier one equals a run stopped there."""
    cfg = XuConfig(n=30, p=200, m=20, n_test=20)
    cache = RunCache()
    r = xu_run(cfg, 0, 1e-12, 6, cache, snapshots=(2, 6))
    r2 = xu_run(cfg, 0, 1e-12, 2, cache, snapshots=(2,))
    assert np.allclose(r.proj[2], r2.proj[2], rtol=1e-6, atol=0)
    assert not np.allclose(r.proj[2], r.proj[6], rtol=1e-3, atol=0)
    assert xu_run(cfg, 0, 1e-12, 6, cache, snapshots=(2, 6)) is r and len(cache) == 2
    with pytest.raises(InputError):
        xu_run(cfg, 0, 1e-12, 2, cache, snapshots=(3,))


def test_overrides_and_seeds(tmp_path):
    ctx = _ctx(tmp_path, {"n": 77}, seeds=3)
    s = xor_common.setting(ctx, fig4.FULL, fig4.QUICK)
    assert s.n == 77 and s.p == fig4.QUICK.p
    assert xor_common.seeds(ctx) == [0, 1, 2]
    full = FigureContext(out_dir=tmp_path, quick=False, seed=4, n_seeds=None)
    assert xor_common.seeds(full) == [4, 5, 6, 7, 8]
    assert xor_common.setting(full, fig4.FULL, fig4.QUICK) == fig4.FULL
    assert len(full.cache) == 0 and full.cache is not ctx.cache


def test_unknown_override_is_an_error(tmp_path):
    """An override naming a field the setting does not have is refused, naming the key and the known ones."""
    ctx = _ctx(tmp_path, {"n": 77, "unrelated": 1})
    with pytest.raises(InputError, match=r"'unrelated' is not a field of Fig4Setting; known: n, p, eps, m_normal"):
        xor_common.setting(ctx, fig4.FULL, fig4.QUICK)
    with pytest.raises(InputError, match="unrelated"):
        fig4.FIGURE.run(ctx)


def test_weak_run_is_memoised_in_the_cache_it_is_given():
    cfg = XorWeakConfig(n=20, p=50, steps=5, n_test=5, n_eval=10)
    cache = RunCache()
    w = weak_run(cfg, cache)
    assert torch.is_tensor(w.U) and weak_run(cfg, cache) is w and len(cache) == 1
    assert weak_run(cfg, RunCache()) is not w


def test_transfer_reports_divergence():
    """A huge step makes GD on the exponential loss blow up; the run says when instead of showing acc 0."""
    w = weak_run(XorWeakConfig(n=60, p=400, steps=60, n_test=20, n_eval=200, seed=1), RunCache())
    bad = transfer(w.U, w.train, TransferConfig(alpha=1e6, steps=6, n_eval=100, seed=1), track_test=True)
    assert bad.diverged_at is not None and bad.diverged_at <= 6
    assert not np.isfinite(bad.history["train_loss"][-1])
    good = transfer(w.U, w.train, TransferConfig(alpha=1e-3, steps=3, n_eval=100, seed=1), track_test=True)
    assert good.diverged_at is None
