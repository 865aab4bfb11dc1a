"""Transformer runs: the random-A·B control, the width-4 weak recipe, the weak grid, the GrokFast optimizer."""

from __future__ import annotations

import torch

from xorgrok.data.modular import make_modular
from xorgrok.experiments.transformer import (
    TFRunConfig,
    build_model,
    control_runs,
    paper_runs,
    record_tag,
    train_target,
    weak_grid,
)
from xorgrok.models.embedding import FactorisedEmbedding

TINY = {"arch": {"n_layers": 1, "d_embed": 8, "d_mlp": 16, "n_heads": 2, "d_head": 4}, "modulus": 11,
        "device": "cpu"}


def test_control_is_the_groktransfer_run_with_random_A():
    gt = [c for c in paper_runs("fig8b", True, seed=2) if c.method == "groktransfer"][0]
    (rc,) = control_runs("fig8b", True, seed=2)
    assert rc.method == "random_ab" and (rc.init_scale, rc.lr, rc.weight_decay) == (gt.init_scale, gt.lr,
                                                                                    gt.weight_decay)
    assert control_runs("fig13r", True) == []
    task = make_modular(11, "add", 0.5, 0)
    cfg_gt = TFRunConfig(method="groktransfer", **TINY)
    cfg_rc = TFRunConfig(method="random_ab", **TINY)
    E_W = torch.randn(11, 4)
    m_gt, m_rc = build_model(cfg_gt, task, E_W), build_model(cfg_rc, task, None)
    assert isinstance(m_rc.embed, FactorisedEmbedding) and m_rc.embed.rank == cfg_rc.weak.d_embed == 4
    torch.testing.assert_close(m_rc.embed.B, m_gt.embed.B)  # same B for the seed: only A differs
    torch.testing.assert_close(m_gt.embed.A, E_W)
    assert not torch.allclose(m_rc.embed.A, E_W)


def test_weak_is_width_4_and_width_16_is_a_labelled_variant():
    cfg = TFRunConfig()
    assert (cfg.weak.d_embed, cfg.weak.width, cfg.weak.n_layers) == (4, 4, 2)  # App. A.3.3 / A.4.1
    assert "weakw" not in record_tag("fig8b", cfg, 0, False)
    w16 = TFRunConfig(weak={"width": 16})
    assert "_weakw16_" in record_tag("fig8b", w16, 0, False)


def test_grokfast_optimizer_option_reaches_the_loop():
    task = make_modular(11, "add", 0.5, 0)
    for opt, cls in (("adamw", torch.optim.AdamW), ("adam", torch.optim.Adam)):
        cfg = TFRunConfig(method="grokfast", optimizer=opt, epochs=1, **TINY)
        res = train_target(cfg, task, build_model(cfg, task, None))
        assert type(res.optimizer) is cls
    assert "_adam_" in record_tag("fig8b", TFRunConfig(method="grokfast", optimizer="adam"), 0, False)


def test_grokfast_wd_override_reaches_the_loop_and_names_the_record(tmp_path):
    import json

    from xorgrok.experiments.transformer import seed_records
    from xorgrok.report.claims_transformer import _ADAM_NAME
    task = make_modular(11, "add", 0.5, 0)
    cfg = TFRunConfig(method="grokfast", optimizer="adam", weight_decay=0.005, epochs=1, **TINY)
    res = train_target(cfg, task, build_model(cfg, task, None))
    assert [g["weight_decay"] for g in res.optimizer.param_groups] == [0.005] * len(res.optimizer.param_groups)
    name = record_tag("fig8b", TFRunConfig(method="grokfast", optimizer="adam", weight_decay=0.005), 1, False)
    assert name == "fig8b_add_grokfast_grokfast_adam_wd0.005_s1"
    # the wd-1 ablation rows and the controlled rows must not read it
    assert not _ADAM_NAME.match(name + ".json")
    (tmp_path / f"{name}.json").write_text(json.dumps({"config": {}, "metrics": {}}))
    assert seed_records([tmp_path], "fig8b") == {}
    paper = next(c for c in paper_runs("fig8b", False, seed=1) if c.method == "grokfast")
    assert record_tag("fig8b", paper, 1, False) == "fig8b_add_grokfast_grokfast_s1"  # the paper's wd: no suffix


def test_weak_grid_rows():
    task = make_modular(11, "add", 0.5, 0)
    rows = weak_grid(task, seeds=(0, 1), grid={"init_scale": (1.0,), "lr": (0.1, 0.5), "weight_decay": (1.0,)},
                     epochs=20, eval_every=5)
    assert len(rows) == 4 and {r["lr"] for r in rows} == {0.1, 0.5} and {r["seed"] for r in rows} == {0, 1}
    for r in rows:
        assert r["width"] == 4 and 0.0 <= r["best_test_acc"] <= 1.0
        assert r["epochs_to_30_test"] is None or r["best_test_acc"] >= 0.3
