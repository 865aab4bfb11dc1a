"""End to end on tiny settings: weak FNN → embedding → Transformer target; the CLI writes records."""

from __future__ import annotations

import json

import torch

from xorgrok.commands.transformer import main
from xorgrok.experiments.transformer import TFRunConfig, _tf_weak, build_model, make_task, run

TINY = dict(n_layers=1, d_embed=16, d_mlp=32, n_heads=2, d_head=8)


def test_groktransfer_run_records_weak_stop_and_transfer():
    cfg = TFRunConfig(task="add", method="groktransfer", arch=TINY, modulus=11, epochs=15, eval_every=5,
                      weak=_tf_weak(epochs=40), device="cpu")
    rec = run(cfg)
    weak = rec["history"]["weak"]
    # the weak model stops at the first epoch with test accuracy >= 30 % (or at its epoch cap)
    reached = [i for i, a in enumerate(weak["test_acc"]) if a >= 0.3]
    if reached:
        assert len(weak["steps"]) == reached[0] + 1
    else:
        assert weak["steps"][-1] == 40
    m = rec["metrics"]
    assert m["weak_final_test_acc"] == weak["test_acc"][-1]
    assert rec["history"]["target"]["steps"][-1] <= 15 and "time_gap" in m


def test_build_model_puts_weak_embedding_in_A():
    cfg = TFRunConfig(task="add", method="groktransfer", arch=TINY, modulus=11)
    task = make_task(cfg)
    E_W = torch.randn(11, 4, generator=torch.Generator().manual_seed(0))
    m = build_model(cfg, task, E_W)
    torch.testing.assert_close(m.embed.A, E_W)
    assert m.embed.B.shape == (4, 16)
    assert m(task.x_test[:3]).shape == (3, 11)


def test_parity_transformer_outputs_one_logit():
    cfg = TFRunConfig(task="parity", method="scratch", arch=TINY, epochs=1)
    task = make_task(cfg)
    m = build_model(cfg, task, None)
    assert m(task.x_train[:4]).shape == (4,)


def test_cli_quick_writes_records(tmp_path, capsys):
    stale = tmp_path / "fig13r_parity_scratch_grokfast_s0_quick.partial.json"  # left by an interrupted run
    stale.write_text("{}")
    assert main(["--experiment", "fig13r", "--quick", "--epochs", "1", "--out", str(tmp_path),
                 "--no-progress"]) == 0
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 2 and not any(f.name.endswith(".partial.json") for f in files)  # finished: no partials
    rec = json.loads(files[0].read_text())
    assert rec["config"]["task"] == "parity" and "QUICK" in rec["notes"][0]
    assert "[QUICK reduced setting]" in capsys.readouterr().out


def test_cli_bad_input_exit_2(capsys, monkeypatch, tmp_path):
    import pytest

    from xorgrok.core.cli import run_main

    with pytest.raises(SystemExit) as e:
        main(["--experiment", "fig99"])
    assert e.value.code == 2
    capsys.readouterr()
    # a one-GPU machine, on any machine: the index check itself must reject cuda:7 before any run starts
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert run_main(main, ["--device", "cuda:7", "--quick", "--epochs", "1", "--no-progress",
                              "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--device" in err and "cuda:7" in err


def test_partial_record_written_during_training(tmp_path):
    cfg = TFRunConfig(task="add", method="scratch", arch=TINY, modulus=11, epochs=19, eval_every=1,
                      stop_at_test_acc=None, device="cpu")
    path = tmp_path / "x.partial.json"
    rec = run(cfg, partial_path=path)
    part = json.loads(path.read_text())
    assert part["partial"] is True and part["epoch"] == 19  # the 20th log is epoch 19 (epoch 0 logged first)
    assert part["history"]["target"]["steps"] == rec["history"]["target"]["steps"]


def test_cli_default_out_is_the_runs_folder_not_the_cwd(tmp_path, monkeypatch):
    """Without --out the records go to <runs>/transformer (core.paths.default_runs_dir), wherever it starts."""
    monkeypatch.setenv("XORGROK_RUNS", str(tmp_path / "store"))
    monkeypatch.chdir(tmp_path)
    assert main(["--experiment", "fig13r", "--quick", "--epochs", "1", "--no-progress"]) == 0
    assert len(list((tmp_path / "store" / "transformer").glob("fig13r_*_s0_quick.json"))) == 2
    assert not (tmp_path / "runs").exists()


def test_cli_weak_grid_seed_range_names_its_record_and_runs_those_seeds(tmp_path):
    """A grid over seeds S..S+N-1 or another epoch cap gets its own record name (never the 0..N-1, 10^4 one),
    and its rows are the seeds asked for, each equal to a direct weak_grid run of that seed."""
    from xorgrok.experiments.transformer import weak_grid

    args = ["--weak-grid", "--grid-init", "0.2", "--grid-lr", "0.01", "--grid-wd", "0.01", "--weak-epochs", "20",
            "--out", str(tmp_path)]
    assert main(args + ["--grid-seed-start", "3", "--grid-seeds", "2"]) == 0
    assert main(args) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["weakgrid_add_w4_init0.2_lr0.01_wd0.01_cap20.json",
                     "weakgrid_add_w4_init0.2_lr0.01_wd0.01_seeds3-4_cap20.json"]
    rec = json.loads((tmp_path / names[1]).read_text())
    rows = rec["rows"]
    assert [r["seed"] for r in rows] == [3, 4]
    assert "checked every 10 epochs" in rec["notes"][0]  # the resolution of epochs_to_30_test
    grid = {"init_scale": (0.2,), "lr": (0.01,), "weight_decay": (0.01,)}
    direct = weak_grid(make_task(TFRunConfig()), seeds=(4,), grid=grid, epochs=20)[0]
    assert direct["best_test_acc"] == rows[1]["best_test_acc"] and direct["final_train_acc"] == rows[1][
        "final_train_acc"]
