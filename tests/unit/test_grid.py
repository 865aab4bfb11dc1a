"""Grid engine: the paper's grids, deterministic run list, resumable and shardable runs, selection rule."""

import dataclasses
import json

import pytest

from xorgrok.core.errors import InputError
from xorgrok.experiments.grid import GRIDS, config_hash, expand, parse_shard, record_path, run_grid, select_best
from xorgrok.experiments.presets import paper_config


def _rec(cfg, to99, final=0.99):
    metrics = {"epochs_to_95_train": None, "epochs_to_99_train": None, "epochs_to_95_test": None,
               "epochs_to_99_test": to99, "time_gap": None, "final_train_acc": 1.0, "final_test_acc": final,
               "best_test_acc": final, "epochs_run": 1000}
    return {"config": dataclasses.asdict(cfg), "metrics": metrics}


def test_paper_grids_have_the_paper_sizes():
    inits, lrs, wds = GRIDS["paper"]
    assert (len(inits), len(lrs), len(wds)) == (16, 8, 9) and inits[0] == 0.05 and inits[-1] == 1.5
    inits, lrs, wds = GRIDS["fig1b-groktransfer"]
    assert (len(inits), len(lrs), len(wds)) == (15, 6, 9)
    assert GRIDS["fig1b-scratch"][1] == (1e-3, 5e-3, 1e-2, 5e-2, 1e-1)


def test_expand_order_and_hash_stability():
    base = paper_config("add", "scratch")
    cfgs = expand(base, [0.1, 0.2], [1e-3, 1e-2], [1.0])
    assert [(c.init_scale, c.lr) for c in cfgs] == [(0.1, 1e-3), (0.1, 1e-2), (0.2, 1e-3), (0.2, 1e-2)]
    assert config_hash(cfgs[0]) == config_hash(expand(base, [0.1], [1e-3], [1.0])[0])
    assert len({record_path("d", c) for c in cfgs}) == 4


def test_run_grid_resumes_and_shards(tmp_path):
    base = paper_config("add", "scratch")
    cfgs = expand(base, [0.1, 0.2, 0.3], [1e-3], [1.0, 2.0])
    calls = []

    def fake(cfg):
        calls.append(cfg)
        return _rec(cfg, int(cfg.init_scale * 1000))

    run_grid(cfgs, tmp_path, fake, progress=False, limit=2)  # "interrupted" after two runs
    assert len(calls) == 2 and len(list(tmp_path.glob("*.json"))) == 2
    recs = run_grid(cfgs, tmp_path, fake, progress=False)
    assert len(calls) == 6 and len(recs) == 6  # the first two were not rerun
    assert json.loads(record_path(tmp_path, cfgs[0]).read_text())["metrics"]["epochs_to_99_test"] == 100
    seen = []
    for i in range(3):
        seen += [
            (r["config"]["init_scale"], r["config"]["weight_decay"])
            for r in run_grid(cfgs, tmp_path, fake, shard=(i, 3), progress=False)
        ]
    assert sorted(seen) == sorted((c.init_scale, c.weight_decay) for c in cfgs)


def test_select_best_is_first_to_99():
    base = paper_config("add", "scratch")
    a, b, c = expand(base, [0.1, 0.2, 0.3], [1e-3], [1.0])
    assert select_best([_rec(a, None), _rec(b, 500), _rec(c, 300)])["config"]["init_scale"] == 0.3
    assert select_best([_rec(a, 300, 0.99), _rec(b, 300, 0.995)])["config"]["init_scale"] == 0.2
    assert select_best([_rec(a, None)]) is None


@pytest.mark.parametrize("text", ["1", "2/2", "a/b", "-1/3"])
def test_bad_shard(text):
    with pytest.raises(InputError, match="shard"):
        parse_shard(text)
