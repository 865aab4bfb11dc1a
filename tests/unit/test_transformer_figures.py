"""Figures 8/13/14/16 from saved records (no training): files written, numbers carried, data note shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from figures.registry import FigureContext, discover
from xorgrok.core.errors import InputError
from xorgrok.experiments.common import summarise
from xorgrok.experiments.transformer import paper_runs
from xorgrok.train.history import History


def _fake_record(cfg, gap: int | None) -> dict:
    hist = {"steps": [0, 10, 20, 30], "train_acc": [0, 0.5, 1, 1], "test_acc": [0, 0.1, 0.5, 1]}
    # the metrics a run would record for this history, with a distinct Time Gap per run to trace it
    metrics = {**summarise(History.from_dict(hist)), "time_gap": gap, "weak_final_test_acc": 0.31}
    return {"config": {**cfg.__dict__, "weak": {}}, "metrics": metrics, "history": {"target": hist},
            "data_note": "MNIST test-split: fake"}


def _write(folder: Path, exp: str, quick: bool) -> None:
    for i, cfg in enumerate(paper_runs(exp, quick)):
        tag = f"{exp}_{cfg.task}_{cfg.method}_{cfg.preset}_s0{'_quick' if quick else ''}"
        (folder / f"{tag}.json").write_text(json.dumps(_fake_record(cfg, 10 * (i + 1))))


def _ctx(tmp_path: Path, quick: bool, **extra) -> FigureContext:
    return FigureContext(out_dir=tmp_path / "out", quick=quick, seed=0, n_seeds=None, progress=False,
                         extra={"records": tmp_path, **extra})


def test_registered():
    figs = discover()
    assert {"fig2", "fig3", "fig8", "fig13", "fig14", "fig16"} <= set(figs)


@pytest.mark.parametrize("name,exps", [("fig8", ["fig8a", "fig8b"]), ("fig16", ["fig16"]),
                                       ("fig13", ["fig13l", "fig13r"])])
def test_transformer_figures_from_records(tmp_path, name, exps):
    for e in exps:
        _write(tmp_path, e, quick=True)
    files = discover()[name].run(_ctx(tmp_path, True))
    assert [f.suffix for f in files] == [".png", ".json"]
    data = json.loads(files[1].read_text())
    assert data["quick"] is True
    if name == "fig16":
        assert data["groktransfer"]["time_gap"] == 10 and data["grokfast"]["time_gap"] == 20


def test_missing_record_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        discover()["fig8"].run(_ctx(tmp_path, False))
    with pytest.raises(InputError, match="not found"):
        discover()["fig16"].run(_ctx(tmp_path, False))


def test_fig8_with_one_panel_missing_plots_the_other_and_says_so(tmp_path):
    _write(tmp_path, "fig8b", quick=False)  # the 8-layer fig8a records are absent (they need a GPU)
    files = discover()["fig8"].run(_ctx(tmp_path, False))
    data = json.loads(files[1].read_text())
    assert "fig8a_add_groktransfer_paper8_s0.json not found" in data["fig8a"]["missing"]
    assert data["fig8b"]["groktransfer"]["time_gap"] == 10 and data["fig8b"]["grokfast"]["time_gap"] == 20


def test_mnist_figure_from_records_carries_data_note(tmp_path):
    for m in ("groktransfer", "scratch"):
        rec = _fake_record(paper_runs("fig8b", False)[0], 5)
        rec["config"].update(method=m, init_scale=100.0, width=200, lr=1e-3, weight_decay=0.1)
        (tmp_path / f"mnist200_{m}_s0.json").write_text(json.dumps(rec))
    files = discover()["fig14"].run(_ctx(tmp_path, False, mnist_samples=200))
    assert files[0].name == "fig14.png"
    assert json.loads(files[1].read_text())["data_note"].startswith("MNIST test-split")


def test_tf_seeds_figure_one_panel_per_rule_seed(tmp_path):
    from xorgrok.experiments.transformer import TF_SEEDS

    first, second = TF_SEEDS["fig16"][:2]
    cfg = paper_runs("fig16", False)[0]
    runs = ((first, ("groktransfer", "grokfast", "random_ab")), (second, ("grokfast",)), (999, ("grokfast",)))
    for seed, arms in runs:
        for i, arm in enumerate(arms):
            rec = {**_fake_record(cfg, 10 * (i + 1)), "seed": seed}
            rec["config"] = {**rec["config"], "method": arm}
            (tmp_path / f"fig16_mul_{arm}_grokfast_s{seed}.json").write_text(json.dumps(rec))
    files = discover()["tf-seeds"].run(_ctx(tmp_path, False))
    data = json.loads(files[1].read_text())
    assert "fig8b" not in data and set(data["fig16"]) == {str(s) for s in TF_SEEDS["fig16"]}  # 999: not the rule's
    assert set(data["fig16"][str(first)]) == {"groktransfer", "grokfast", "random_ab"}
    assert set(data["fig16"][str(second)]) == {"grokfast"} and data["fig16"][str(second)]["grokfast"]["time_gap"] == 10
    with pytest.raises(InputError, match="no fig8b/fig16 multi-seed record"):
        (tmp_path / "empty").mkdir()
        discover()["tf-seeds"].run(_ctx(tmp_path, False, records=tmp_path / "empty"))
