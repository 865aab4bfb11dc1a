"""The accelerator plan's budget logic on fake steps and a fake clock, and the real deadline timer."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from xorgrok.commands.gpu_runs import run_step
from xorgrok.experiments.gpu_plan import (
    BudgetExceeded,
    PlanConfig,
    Step,
    Work,
    build_plan,
    estimate_s,
    execute,
)


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _runner(clock: FakeClock, cost: dict[str, float], fail: set[str] = frozenset(), stop: set[str] = frozenset()):
    ran: list[str] = []

    def run(step: Step, left: float) -> None:
        ran.append(step.name)
        clock.t += cost.get(step.name, 1.0)
        if step.name in stop:
            raise BudgetExceeded
        if step.name in fail:
            raise RuntimeError("boom on the device\nsecond line")

    return run, ran


RATES = {"target": 1.0, "weak": 0.1}


def _main(name: str, epochs: int, known=None) -> Step:
    return Step(name, "main", "x", work=(Work("target", epochs, known),))


def test_main_step_whose_estimate_exceeds_the_time_left_is_skipped_and_later_ones_still_run():
    clock = FakeClock()
    run, ran = _runner(clock, {"s": 10.0, "a": 30.0})
    steps = [Step("s", "smoke", "x"), _main("a", 30), _main("big", 500), _main("c", 20)]
    out = execute(steps, 100.0, run, lambda: RATES, clock=clock)
    assert [(o.name, o.status) for o in out] == [("s", "ok"), ("a", "ok"), ("big", "skipped"), ("c", "ok")]
    assert ran == ["s", "a", "c"]
    assert out[2].estimate_s == pytest.approx(505.0) and "left" in out[2].message


def test_smoke_failure_stops_before_any_main_step_and_before_the_probe():
    clock = FakeClock()
    run, ran = _runner(clock, {}, fail={"s2"})
    probed = []
    steps = [Step("s1", "smoke", "x"), Step("s2", "smoke", "x"), Step("s3", "smoke", "x"), _main("a", 1)]
    out = execute(steps, 100.0, run, lambda: probed.append(1) or RATES, clock=clock)
    assert [(o.name, o.status) for o in out] == [("s1", "ok"), ("s2", "failed")]
    assert out[1].message == "RuntimeError: boom on the device" and not probed and ran == ["s1", "s2"]


def test_a_step_stopped_at_the_deadline_ends_the_plan():
    clock = FakeClock()
    run, ran = _runner(clock, {}, stop={"a"})
    out = execute([Step("s", "smoke", "x"), _main("a", 1), _main("b", 1)], 100.0, run, lambda: RATES, clock=clock)
    assert [o.status for o in out] == ["ok", "stopped"] and ran == ["s", "a"]


def test_failed_main_step_does_not_stop_the_others():
    clock = FakeClock()
    run, ran = _runner(clock, {}, fail={"a"})
    out = execute([Step("s", "smoke", "x"), _main("a", 1), _main("b", 1)], 100.0, run, lambda: RATES, clock=clock)
    assert [o.status for o in out] == ["ok", "failed", "ok"]


def test_estimate_uses_epochs_of_an_earlier_record_of_the_same_configuration():
    rec = {"metrics": {"epochs_to_95_test": 40}, "history": {"weak": {"steps": [0, 1, 2, 3]}}}
    records = {("add", "groktransfer", 0): rec}
    step = Step("cost", "main", "cost", work=(Work("weak", 10_000, ("add", "weak", 0)),
                                              Work("target", 10_000, ("add", "groktransfer", 0)),
                                              Work("target", 10_000, ("add", "scratch", 0))))
    assert estimate_s(step, RATES, records, overhead_s=0.0) == pytest.approx(3 * 0.1 + 40 * 1.0 + 10_000 * 1.0)
    assert estimate_s(step, RATES, {}, overhead_s=0.0) == pytest.approx(10_000 * 0.1 + 20_000)


def test_plan_order_of_value_and_full_sizes(tmp_path: Path):
    steps = build_plan(PlanConfig(device="cuda", out=tmp_path, seeds=2), mnist_data=False)
    smoke = [s for s in steps if s.stage == "smoke"]
    main = [s.name for s in steps if s.stage == "main"]
    assert len(smoke) == 5 and smoke[2].command is None  # MNIST absent: the synthetic library call
    assert main[:5] == ["fig8a seed 0 groktransfer", "fig8a seed 0 scratch", "cost tf8 seed 0",
                        "fig13l seed 0 groktransfer", "fig13l seed 0 scratch"]
    assert main[5:] == [n.replace("seed 0", "seed 1") for n in main[:5]]
    full = [s for s in steps if s.stage == "main"]
    assert all("--quick" not in s.argv and "--weak-epochs" not in s.argv for s in full)
    assert all(("--device", "cuda") == s.argv[s.argv.index("--device"):s.argv.index("--device") + 2]
               for s in steps if s.command is not None)
    assert "--no-timing" not in full[2].argv and "--no-timing" in full[7].argv  # timing once, with seed 0


def test_deadline_timer_stops_a_running_step():
    t0 = time.monotonic()
    with pytest.raises(BudgetExceeded):
        run_step(Step("sleeper", "main", None, call=lambda: time.sleep(5)), 0.3)
    assert time.monotonic() - t0 < 3
    run_step(Step("quick", "main", None, call=lambda: None), 5.0)  # timer cleared: nothing fires later
    time.sleep(0.1)


def test_main_step_with_a_complete_record_is_kept_and_informs_estimates(tmp_path: Path):
    import json

    rec_path = tmp_path / "fig8a_gt.json"
    rec_path.write_text(json.dumps({"config": {"task": "add", "method": "groktransfer"}, "seed": 0,
                                    "metrics": {"epochs_to_95_test": 7}, "history": {"weak": {"steps": [0, 1]}}}))
    clock = FakeClock()
    run, ran = _runner(clock, {})
    kept = Step("gt", "main", "x", work=(Work("target", 50),), record=rec_path)
    cost = _main("cost", 10_000, known=("add", "groktransfer", 0))
    out = execute([Step("s", "smoke", "x"), kept, cost], 100.0, run, lambda: RATES, clock=clock)
    assert [(o.name, o.status) for o in out] == [("s", "ok"), ("gt", "kept"), ("cost", "ok")] and ran == ["s", "cost"]
    assert out[2].estimate_s == pytest.approx(5.0 + 7 * 1.0)  # 7 epochs known from the kept record
    out = execute([Step("s", "smoke", "x"), kept], 100.0, run, lambda: RATES, clock=clock, keep_done=False)
    assert out[1].status == "ok"
