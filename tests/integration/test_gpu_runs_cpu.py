"""`python -m xorgrok gpu-runs --tiny --device cpu`: the accelerator session's own code path at toy sizes.

The same steps, commands and budget logic as on a GPU; only the sizes differ (quick model, 2 epochs, weak
model capped at 2 epochs). Checks that every step ran, every record landed in the one output folder and the
bundle, and that the report's cost rows read them from that folder.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from xorgrok.commands import cost, gpu_runs
from xorgrok.commands.gpu_runs import main
from xorgrok.core.cli import run_main
from xorgrok.report import ReportContext
from xorgrok.report.claims_transformer import measure_cost_ratio, measure_epoch_timing


def test_tiny_plan_runs_every_step_and_writes_one_folder(tmp_path: Path, capsys):
    out, tar = tmp_path / "records", tmp_path / "bundle.tar.gz"
    assert main(["--device", "cpu", "--tiny", "--seeds", "1", "--budget-s", "900", "--out", str(out),
                 "--bundle", str(tar)]) == 0
    printed = capsys.readouterr().out
    assert "torch=" in printed and "device=cpu" in printed.splitlines()[0]
    summary = json.loads((out / "gpu_runs_summary.json").read_text())
    statuses = [(o["stage"], o["status"]) for o in summary["outcomes"]]
    assert statuses == [("smoke", "ok")] * 5 + [("main", "ok")] * 5, summary["outcomes"]
    tf = sorted(p.name for p in (out / "transformer").glob("*.json"))
    assert tf == [f"{e}_{t}_{m}_paper8_s0_quick.json" for e, t in (("fig13l", "mul"), ("fig8a", "add"))
                  for m in ("groktransfer", "scratch")]
    assert (out / "cost" / "cost_quick_s0.json").is_file() and (out / "cost" / "cost_quick_timing.json").is_file()
    names = set(tarfile.open(tar).getnames())
    assert {"gpu_runs_summary.json", "cost/cost_quick_s0.json", "smoke/bench.json"} <= names
    assert {f"transformer/{n}" for n in tf} <= names
    seed0 = json.loads((out / "cost" / "cost_quick_s0.json").read_text())
    r = seed0["runs"]
    assert [r[k]["epochs"] for k in ("weak", "groktransfer", "scratch")] == [2, 2, 2]
    assert seed0["ratio"] == r["scratch"]["train_s"] / (r["weak"]["train_s"] + r["groktransfer"]["train_s"])
    assert seed0["ratio_kind"] == "undetermined" and not r["groktransfer"]["reached"]
    ctx = ReportContext(quick=True, runs_dir=out)
    m = measure_cost_ratio(ctx)
    assert "seed 0:" in m.measured and str(out) in m.measured
    assert m.verdict == "out of reach"  # 2 epochs: both targets capped, the ratio is undetermined
    assert "d_W 4" in measure_epoch_timing(ctx).measured


def test_budget_spent_during_the_smoke_test_stops_with_nonzero_exit(tmp_path: Path):
    out = tmp_path / "r"
    assert main(["--device", "cpu", "--tiny", "--budget-s", "0.2", "--out", str(out)]) == 1
    outcomes = json.loads((out / "gpu_runs_summary.json").read_text())["outcomes"]
    assert outcomes[0]["status"] in ("stopped", "skipped") and len(outcomes) == 1


@pytest.mark.parametrize("module, args, name", [
    (gpu_runs, ["--budget-s", "0"], "--budget-s"),
    (gpu_runs, ["--seeds", "0"], "--seeds"),
    (gpu_runs, ["--device", "tpu"], "device"),
    (cost, ["--seeds", "1,1"], "--seeds"),
    (cost, ["--seeds", "x"], "--seeds"),
    (cost, ["--d-weak", "0"], "--d-weak"),
    (cost, ["--target-acc", "2"], "--target-acc"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, capsys, module, args, name):
    out = tmp_path / "never"
    try:
        rc = run_main(module.main, args + ["--out", str(out)])
    except SystemExit as exc:  # argparse errors exit from inside the parser
        rc = exc.code
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert rc == 2 and len(err) == 1 and name in err[0] and "Traceback" not in err[0]
    assert not out.exists()
