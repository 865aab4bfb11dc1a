"""The weak-grid selection rule on hand-made records, and one tiny weak run whose checkpoint a target loads."""

import dataclasses

import pytest

from xorgrok.core.errors import InputError
from xorgrok.experiments.fnn import run_one
from xorgrok.experiments.modular import build_configs, with_grid_checkpoints
from xorgrok.experiments.modular_weak import needed, run_weak, select_recipe


def _w(recipe, seed, to_grok):
    return {"recipe": list(recipe), "seed": seed, "epochs_to_grok": to_grok, "final_test_acc": 0.5}


def test_selection_needs_all_but_a_quarter_and_prefers_the_faster():
    assert [needed(n) for n in (1, 2, 4, 8)] == [1, 2, 3, 6]
    a = [_w((1, 0.01, 0.1), s, 3000 if s < 6 else None) for s in range(8)]  # 6/8: passes
    b = [_w((0.5, 0.01, 0.1), s, 1000 if s < 5 else None) for s in range(8)]  # 5/8: fails though faster
    assert select_recipe(a + b)["recipe"] == [1, 0.01, 0.1]
    c = [_w((0.3, 0.01, 0.1), s, 2000) for s in range(8)]
    assert select_recipe(a + b + c)["recipe"] == [0.3, 0.01, 0.1]
    assert select_recipe(b) is None
    assert select_recipe(b, min_success=5)["n_grok"] == 5


def test_weak_run_checkpoint_feeds_a_target(tmp_path):
    over = {"device": "cpu", "epochs": 5, "weak.epochs": 30, "weak.eval_every": 10}
    cfg = build_configs("add", ["groktransfer"], [0], True, over, None, (1.0, 0.01, 0.1))[0]
    rec = run_weak(cfg, cfg.weak, 0, tmp_path)
    assert rec["seed"] == 0 and rec["recipe"] == [1.0, 0.01, 0.1] and len(rec["curve"]["steps"]) >= 1
    assert run_weak(cfg, cfg.weak, 0, tmp_path) == rec  # resumes from the record
    [gt] = with_grid_checkpoints([cfg], tmp_path, "final")
    out = run_one(gt)
    assert out["metrics"]["weak_final_test_acc"] == pytest.approx(rec["final_test_acc"])
    with pytest.raises(InputError, match="no checkpoint"):
        with_grid_checkpoints([dataclasses.replace(cfg, seed=1)], tmp_path, "final")
