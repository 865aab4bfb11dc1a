"""`python -m figures`: quick outputs in their own folder, the mode in every JSON, `all` going on past a
figure that cannot run (listing it, exit 1), and the output folder checked before any figure runs."""

from __future__ import annotations

import json

import pytest

import figures.__main__ as fm
from figures.registry import Figure
from xorgrok.core.cli import run_main
from xorgrok.core.errors import InputError


def _fake_figures(ran: list[str]):
    from figures import style

    def ok(name):
        def run(ctx):
            ran.append(name)
            fig, _ = style.new_figure()
            return style.save(fig, ctx.out_dir, name, {"value": 1})  # says nothing about its mode itself
        return run

    def cannot(ctx):
        ran.append("b_needs_data")
        raise InputError("MNIST file t10k-images-idx3-ubyte(.gz) not found in /nowhere")

    return {"a_ok": Figure("a_ok", "ok", ok("a_ok")), "b_needs_data": Figure("b_needs_data", "no data", cannot),
            "c_ok": Figure("c_ok", "ok", ok("c_ok"))}


def test_all_goes_on_and_lists_the_skipped(tmp_path, monkeypatch, capsys):
    ran: list[str] = []
    monkeypatch.setattr(fm, "discover", lambda: _fake_figures(ran))
    rc = run_main(fm.main, ["all", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 1 and ran == ["a_ok", "b_needs_data", "c_ok"]
    assert "1 of 3 figure(s) skipped: b_needs_data (MNIST file t10k-images" in err
    assert (tmp_path / "a_ok.png").is_file() and (tmp_path / "c_ok.json").is_file()


def test_single_figure_that_cannot_run_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fm, "discover", lambda: _fake_figures([]))
    assert run_main(fm.main, ["b_needs_data", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("quick", [False, True])
def test_quick_and_full_never_share_a_file_and_json_says_which(tmp_path, monkeypatch, quick):
    monkeypatch.setattr(fm, "discover", lambda: _fake_figures([]))
    assert run_main(fm.main, ["a_ok", "--out", str(tmp_path)] + (["--quick"] if quick else [])) == 0
    where = tmp_path / "quick" if quick else tmp_path
    assert json.loads((where / "a_ok.json").read_text())["quick"] is quick
    if quick:
        assert not (tmp_path / "a_ok.json").exists()


def test_default_out_is_not_the_working_directory(tmp_path, monkeypatch):
    ran: list[str] = []
    monkeypatch.setattr(fm, "discover", lambda: _fake_figures(ran))
    monkeypatch.setattr(fm, "default_figures_dir", lambda: tmp_path / "checkout-figures")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    assert run_main(fm.main, ["a_ok", "--quick"]) == 0
    assert (tmp_path / "checkout-figures" / "quick" / "a_ok.png").is_file() and list(cwd.iterdir()) == []


def test_out_checked_before_any_figure_runs(tmp_path, monkeypatch, capsys):
    ran: list[str] = []
    monkeypatch.setattr(fm, "discover", lambda: _fake_figures(ran))
    f = tmp_path / "file"
    f.write_text("x")
    assert run_main(fm.main, ["all", "--out", str(f)]) == 2
    assert ran == [] and "--out" in capsys.readouterr().err
