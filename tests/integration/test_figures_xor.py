"""Smoke tests of the XOR figures: each runs in quick mode at tiny sizes, writes PNG + JSON, and the JSON has
the claimed shapes with finite plotted values. Plus the f_L curve against the case study's transfer."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from figures import fig4, fig5, fig9, fig10, fig11, xor_common, xu_fig1, xu_fig2, xu_fig3
from figures.registry import FigureContext, discover
from xorgrok.core.errors import InputError
from xorgrok.experiments.xor import TransferConfig, WeakConfig, transfer

XOR_TINY = {"n": 60, "p": 400, "m_normal": 32, "normal_steps": 30, "n_test": 50, "weak_steps": 60, "n_eval": 300,
            "coords": 5, "n_scatter": 100, "target_steps": 5}
FIG5_TINY = {"n": 60, "p": 400, "n_scatter": 100, "n_b": 40, "ps": (200, 400), "p_c": 200, "ns": (30, 60),
             "epss": (1 / 40, 1 / 80), "weak_steps": 40}
XU_TINY = {"n": 40, "p": 300, "m": 40, "n_test": 50, "steps_large": 16, "steps_small": 40}


def _ctx(tmp_path, overrides, seeds=2):
    return FigureContext(out_dir=tmp_path, quick=True, seed=0, n_seeds=seeds, progress=False,
                         extra={"overrides": overrides})


@pytest.fixture(autouse=True)
def _fresh_cache():
    # one intra-op thread for these tiny matrices: on a shared 2-core machine two spinning threads per process
    # cost ~3x the CPU time; restored afterwards so no other test sees the change
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    xor_common.clear_cache()
    yield
    xor_common.clear_cache()
    torch.set_num_threads(threads)


def _load(files):
    png, js = files
    assert png.suffix == ".png" and png.stat().st_size > 1000
    return json.loads(js.read_text())


def test_registered():
    names = set(discover())
    assert {"fig4", "fig5", "fig9", "fig10", "fig11", "xu_fig1", "xu_fig2", "xu_fig3"} <= names


def test_fig4(tmp_path):
    d = _load(fig4.FIGURE.run(_ctx(tmp_path, XOR_TINY)))
    fig4.check(d)
    assert len(d["seeds"]) == 2 and d["setting"]["n"] == 60
    assert len(d["a"]["epochs"]) == 2 and np.asarray(d["c"]["weights"]).shape == (3, 5)


def test_fig5(tmp_path):
    d = _load(fig5.FIGURE.run(_ctx(tmp_path, FIG5_TINY)))
    fig5.check(d)
    assert np.asarray(d["b"]["r_W"]).shape == (2, 2, 2) and np.asarray(d["c"]["r_W"]).shape == (2, 2, 2)
    assert len(d["b"]["eps_slope"]) == 2


def test_fig9(tmp_path):
    d = _load(fig9.FIGURE.run(_ctx(tmp_path, XOR_TINY)))
    fig9.check(d)
    assert d["none"]["steps"] == [0, 1, 2, 3, 4, 5] and d["as_proved"]["steps"] == d["none"]["steps"]


@pytest.mark.parametrize("mod,width", [(fig10, 1), (fig11, 2)])
def test_ladder(tmp_path, mod, width):
    d = _load(mod.FIGURE.run(_ctx(tmp_path, XOR_TINY)))
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


def test_target_curve_matches_transfer():
    """The figures' f_L curve (fast: fresh points embedded once) gives the case study's transfer numbers."""
    w = xor_common.weak(WeakConfig(n=60, p=400, steps=60, n_test=20, n_eval=200, seed=3))
    for norm in ("none", "signal"):
        cfg = TransferConfig(steps=3, n_eval=500, normalize=norm, seed=3)
        tc = xor_common.target_curve(w.U, w.train, cfg)
        ref = transfer(w.U, w.train, cfg)
        assert tc.history.last("test_acc") == pytest.approx(ref.test_acc, abs=1e-12)
        assert tc.history.last("train_acc") == pytest.approx(ref.train_acc, abs=1e-12)
        assert tc.m == ref.m


def test_xu_snapshot_matches_full_run():
    """A snapshot at the last step equals the full run's W; an earlier one equals a run stopped there."""
    cfg = xor_common.XuConfig(n=30, p=200, m=20, n_test=20)
    r = xor_common.xu_run(cfg, 0, 1e-12, 6, snapshots=(2, 6))
    r2 = xor_common.xu_run(cfg, 0, 1e-12, 2, snapshots=(2,))
    assert np.allclose(r.proj[2], r2.proj[2], rtol=1e-6, atol=0)
    assert not np.allclose(r.proj[2], r.proj[6], rtol=1e-3, atol=0)
    with pytest.raises(InputError):
        xor_common.xu_run(cfg, 0, 1e-12, 2, snapshots=(3,))


def test_overrides_and_seeds(tmp_path):
    ctx = _ctx(tmp_path, {"n": 77, "unrelated": 1}, seeds=3)
    s = xor_common.pick_setting(ctx, fig4.FULL, fig4.QUICK)
    assert s.n == 77 and s.p == fig4.QUICK.p
    assert xor_common.seeds_for(ctx) == [0, 1, 2]
    full = FigureContext(out_dir=tmp_path, quick=False, seed=4, n_seeds=None)
    assert xor_common.seeds_for(full) == [4, 5, 6, 7, 8]
    assert xor_common.pick_setting(full, fig4.FULL, fig4.QUICK) == fig4.FULL
    assert torch.is_tensor(xor_common.weak(WeakConfig(n=20, p=50, steps=5, n_test=5, n_eval=10)).U)


def test_target_curve_reports_divergence():
    """A huge step makes GD on the exponential loss blow up; the curve says when instead of showing acc 0."""
    w = xor_common.weak(WeakConfig(n=60, p=400, steps=60, n_test=20, n_eval=200, seed=1))
    bad = xor_common.target_curve(w.U, w.train, TransferConfig(alpha=1e6, steps=6, n_eval=100, seed=1))
    assert bad.diverged_at is not None and bad.diverged_at <= 6
    assert not np.isfinite(bad.history["train_loss"][-1])
    good = xor_common.target_curve(w.U, w.train, TransferConfig(alpha=1e-3, steps=3, n_eval=100, seed=1))
    assert good.diverged_at is None
