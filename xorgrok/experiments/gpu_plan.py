"""The prepared accelerator session: a smoke test of every GPU path, then the paper's runs in order of value.

`build_plan` lists the steps, each a command of the registry with its arguments (`python -m xorgrok NAME
ARGS`) or, where no command fits, a library call:
- smoke (2 epochs each, on the device, stopped at the first failure): the Transformer command (both
  methods, Fig. 8(a) size), the modular FNN command (all three methods), MNIST (the command where the
  MNIST files are present, else the MNIST runner on a tiny synthetic task), the cost command, and the
  XOR Gram-space engine against autograd GD (the bench command);
- main, in order of value: Fig. 8(a) full size seed 0 (GrokTransfer, scratch), `cost --setting tf8`
  seed 0, Fig. 13 left seed 0, then the same for seeds 1, 2, … while time remains.
`execute` runs them under one wall-clock budget that it checks itself: a main step starts only when its
estimate (`estimate_s`, from per-epoch wall times probed on the device and the epoch caps, or the
epochs that an earlier step of the same configuration took) fits in the time left, and a step still
running at the deadline is stopped by the caller's deadline mechanism; its partial records stay. `tiny`
swaps in the reduced sizes (quick model, 2 epochs, weak model capped) on the same steps, for tests on CPU.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch

from xorgrok.core.device import pick_device
from xorgrok.core.errors import check_int
from xorgrok.core.records import atomic_write_json
from xorgrok.data.base import TaskData
from xorgrok.experiments.transformer import (
    QUICK_ARCH,
    TFRunConfig,
    build_model,
    make_task,
    paper_runs,
    record_tag,
)
from xorgrok.train.loop import LoopConfig, train_full_batch

TF_EPOCHS = 10_000  # the Fig. 8(a) / 13-left / Table 1 epoch cap
WEAK_CAP = 10_000  # the weak model's cap when it never reaches its 30 % transfer point
TINY_EPOCHS = 2


class BudgetExceeded(Exception):
    """Raised into a running step when the plan's wall-clock budget is spent."""


@dataclasses.dataclass(frozen=True)
class Work:
    """Epochs of one model in a step, for its time estimate: `model` is 'target' or 'weak'."""

    model: str
    epochs: int
    known: tuple[str, str, int] | None = None  # (task, method, seed) whose earlier record may give epochs


@dataclasses.dataclass(frozen=True)
class Step:
    name: str
    stage: str  # "smoke" | "main"
    command: str | None  # registry name, or None for a library call
    argv: tuple[str, ...] = ()
    work: tuple[Work, ...] = ()
    call: Callable[[], None] | None = dataclasses.field(default=None, compare=False)
    record: Path | None = None  # where a Transformer step writes its record (read back for known epochs)


@dataclasses.dataclass
class Outcome:
    name: str
    stage: str
    status: str  # ok | failed | skipped | stopped | kept (a complete record from an earlier session)
    wall_s: float = 0.0
    estimate_s: float | None = None
    message: str = ""


@dataclasses.dataclass(frozen=True)
class PlanConfig:
    device: str = "auto"
    out: Path = Path("gpu_runs")
    tiny: bool = False
    seeds: int = 3  # seeds 0 .. seeds-1 for the main runs, seed 0 first
    budget_s: float = 660.0

    def __post_init__(self) -> None:
        check_int("seeds", self.seeds, lo=1)


# ---------------------------------------------------------------- the plan
def _tf_args(cfg: PlanConfig) -> tuple[str, ...]:
    size = ("--quick", "--epochs", str(TINY_EPOCHS), "--weak-epochs", str(TINY_EPOCHS)) if cfg.tiny else ()
    return ("--device", cfg.device, "--no-progress") + size


def _tf_steps(cfg: PlanConfig, experiment: str, seed: int) -> list[Step]:
    steps = []
    for run_cfg in paper_runs(experiment, cfg.tiny):
        epochs = TINY_EPOCHS if cfg.tiny else run_cfg.epochs
        work = [Work("target", epochs)]
        if run_cfg.method == "groktransfer":
            work.insert(0, Work("weak", TINY_EPOCHS if cfg.tiny else WEAK_CAP))
        out = cfg.out / "transformer"
        tag = record_tag(experiment, dataclasses.replace(run_cfg, seed=seed), seed, cfg.tiny)
        steps.append(Step(f"{experiment} seed {seed} {run_cfg.method}", "main", "transformer",
                          ("--experiment", experiment, "--method", run_cfg.method, "--seed", str(seed),
                           "--out", str(out)) + _tf_args(cfg), tuple(work), record=out / f"{tag}.json"))
    return steps


def _cost_step(cfg: PlanConfig, seed: int, timing: bool) -> Step:
    setting = "quick" if cfg.tiny else "tf8"
    cap = TINY_EPOCHS if cfg.tiny else TF_EPOCHS
    argv: tuple[str, ...] = ("--setting", setting, "--seeds", f"{seed},", "--out", str(cfg.out / "cost"),
                             "--device", cfg.device, "--no-progress", "--max-epochs", str(cap))
    reps, rounds, dims = (1, 1, 1) if cfg.tiny else (100, 3, 5)
    if cfg.tiny:
        argv += ("--weak-epochs", str(TINY_EPOCHS), "--epoch-reps", "1", "--timing-rounds", "1", "--d-weak", "4")
    if not timing:
        argv += ("--no-timing",)
    work = [Work("weak", TINY_EPOCHS if cfg.tiny else WEAK_CAP, ("add", "weak", seed)),
            Work("target", cap, ("add", "groktransfer", seed)), Work("target", cap, ("add", "scratch", seed))]
    if timing:  # per d_W: weak, GT and scratch, one warm-up burst of 1 epoch and `rounds` bursts of `reps`
        work += [Work("target", 2 * dims * (1 + rounds * reps)), Work("weak", dims * (1 + rounds * reps))]
    return Step(f"cost {setting} seed {seed}", "main", "cost", argv, tuple(work),
                record=cfg.out / "cost" / f"cost_{setting}_s{seed}.json")


def main_steps(cfg: PlanConfig) -> list[Step]:
    steps: list[Step] = []
    for seed in range(cfg.seeds):
        steps += _tf_steps(cfg, "fig8a", seed)
        steps.append(_cost_step(cfg, seed, timing=seed == 0))
        steps += _tf_steps(cfg, "fig13l", seed)
    return steps


def synthetic_mnist(n_train: int = 64, n_eval: int = 64, seed: int = 0) -> TaskData:
    """A tiny stand-in for MNIST (random 784-pixel images, 10 classes) that exercises the same models."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n_train + n_eval, 784, generator=g)
    y = torch.randint(0, 10, (n_train + n_eval,), generator=g)
    return TaskData(name="mnist", x_train=x[:n_train], y_train=y[:n_train], x_test=x[n_train:], y_test=y[n_train:],
                    loss="mse", n_classes=10, meta={"data_note": "SYNTHETIC random images (MNIST files absent): "
                                                    "smoke test of the code path only"})


def mnist_present() -> bool:
    from xorgrok.core.errors import InputError
    from xorgrok.data.mnist import FILES, find_file

    try:
        for stem in FILES["test"]:
            find_file(stem, None, download=False)
    except InputError:
        return False
    return True


def _mnist_synthetic_call(cfg: PlanConfig, out: Path) -> Callable[[], None]:
    def call() -> None:
        from xorgrok.experiments.mnist import MnistConfig, run

        for method in ("groktransfer", "scratch"):
            mcfg = MnistConfig(method=method, epochs=TINY_EPOCHS, weak_epochs=TINY_EPOCHS, device=cfg.device)
            atomic_write_json(out / f"mnist_synthetic_{method}_s0.json", run(mcfg, task=synthetic_mnist()))

    return call


def smoke_steps(cfg: PlanConfig, mnist_data: bool | None = None) -> list[Step]:
    """Every GPU path, 2 epochs each, records under OUT/smoke."""
    sm = cfg.out / "smoke"
    dev = ("--device", cfg.device, "--no-progress")
    two = str(TINY_EPOCHS)
    tf_size = ("--quick",) if cfg.tiny else ()
    steps = [
        Step("smoke transformer (fig8a size, both methods)", "smoke", "transformer",
             ("--experiment", "fig8a", "--epochs", two, "--weak-epochs", two, "--out", str(sm / "transformer"))
             + tf_size + dev),
        Step("smoke modular FNN (3 methods)", "smoke", "modular",
             ("--quick", "--seeds", "1", "--methods", "groktransfer,scratch,grokfast", "--epochs", two,
              "--weak-epochs", two, "--out", str(sm / "modular")) + dev),
    ]
    if mnist_present() if mnist_data is None else mnist_data:
        steps.append(Step("smoke mnist", "smoke", "mnist", ("--epochs", two, "--out", str(sm / "mnist")) + dev))
    else:
        steps.append(Step("smoke mnist (synthetic data: MNIST files absent)", "smoke", None,
                          call=_mnist_synthetic_call(cfg, sm / "mnist")))
    steps += [
        Step("smoke cost", "smoke", "cost",
             ("--setting", "quick" if cfg.tiny else "tf8", "--seeds", "0,", "--max-epochs", two, "--weak-epochs", two,
              "--epoch-reps", "1", "--timing-rounds", "1", "--d-weak", "4", "--out", str(sm / "cost")) + dev),
        Step("smoke XOR Gram engine vs autograd GD (bench)", "smoke", "bench",
             ("--n", "40", "--p", "300", "--m", "64", "--steps", "2", "--plain-steps", "2", "--n-test", "20",
              "--device", cfg.device, "--record", str(sm / "bench.json"))),
    ]
    return steps


def build_plan(cfg: PlanConfig, mnist_data: bool | None = None) -> list[Step]:
    return smoke_steps(cfg, mnist_data) + main_steps(cfg)


# ---------------------------------------------------------------- estimates
def probe(cfg: PlanConfig, epochs: int = 10) -> dict[str, float]:
    """Wall seconds per epoch (training and the runs' evaluation cadence) of the target and the weak model."""
    device = pick_device(cfg.device)
    tcfg = TFRunConfig(method="scratch", preset="paper8", arch=QUICK_ARCH["paper8"] if cfg.tiny else {},
                       device=cfg.device)
    task = make_task(tcfg).to(device)
    model = build_model(tcfg, task, None).to(device)
    from xorgrok.experiments.fnn import RunConfig, train_weak

    out = {}
    k = 2 if cfg.tiny else epochs
    train_full_batch(model, task, LoopConfig(epochs=1, eval_every=1))  # warm-up (allocation, kernels)
    out["target"] = train_full_batch(model, task, LoopConfig(epochs=k, eval_every=5)).wall_s / k
    weak_cfg = RunConfig(weak=dataclasses.replace(tcfg.weak, epochs=k, stop_at_test_acc=None))
    out["weak"] = train_weak(weak_cfg, task)[1].wall_s / k
    return out


def known_epochs(records: dict[tuple[str, str, int], dict[str, Any]], key: tuple[str, str, int] | None,
                 acc_key: str = "epochs_to_95_test") -> int | None:
    """Epochs an earlier record of the same (task, method, seed) took to `acc_key` (or its weak model)."""
    if key is None:
        return None
    task, method, seed = key
    if method == "weak":
        rec = records.get((task, "groktransfer", seed))
        hist = rec and (rec.get("history") or {}).get("weak")
        return int(hist["steps"][-1]) if hist else None
    rec = records.get(key)
    return None if rec is None else rec["metrics"].get(acc_key)


def estimate_s(step: Step, per_epoch: dict[str, float], records: dict[tuple[str, str, int], dict[str, Any]],
               overhead_s: float = 5.0) -> float:
    """Seconds the step needs at most: per work item, the epochs an earlier record says (else the cap)."""
    total = overhead_s
    for w in step.work:
        known = known_epochs(records, w.known)
        total += (min(known, w.epochs) if known is not None else w.epochs) * per_epoch[w.model]
    return total


# ---------------------------------------------------------------- execution
def _read_record(step: Step) -> tuple[tuple[str, str, int], dict[str, Any]] | None:
    """(task, method, seed) and the record of a finished Transformer step; None for other steps."""
    if step.record is None or not step.record.is_file():
        return None
    rec = json.loads(step.record.read_text())
    c = rec.get("config")
    if not isinstance(c, dict) or "task" not in c or "method" not in c:
        return None
    return (c["task"], c["method"], int(rec["seed"])), rec


def execute(steps: Sequence[Step], budget_s: float, run_step: Callable[[Step, float], None],
            per_epoch: Callable[[], dict[str, float]], clock: Callable[[], float] = time.monotonic,
            on_done: Callable[[list[Outcome]], None] | None = None, start: float | None = None,
            keep_done: bool = True) -> list[Outcome]:
    """Run the smoke steps (stop at the first failure), then each main step whose estimate fits the time left.

    `run_step(step, seconds_left)` runs one step and raises BudgetExceeded if it is stopped at the deadline;
    any other exception is a failure, reported with its one-line message. `per_epoch()` is called once,
    after the smoke steps (the device is warm then). `on_done(outcomes)` runs after every step (write the
    summary, refresh the bundle). A failed main step does not stop the others (they are independent).
    `keep_done`: a main step whose complete record is already in the folder (an earlier session, e.g. a
    rerun after a failure) is not run again; its record still informs the later estimates.
    """
    t0 = clock() if start is None else start
    deadline = t0 + budget_s
    outcomes: list[Outcome] = []
    records: dict[tuple[str, str, int], dict[str, Any]] = {}
    rates: dict[str, float] | None = None

    def done(o: Outcome) -> None:
        outcomes.append(o)
        if on_done is not None:
            on_done(outcomes)

    for step in steps:
        if step.stage == "main" and rates is None:
            try:
                rates = per_epoch()
            except Exception as exc:  # noqa: BLE001
                done(Outcome("per-epoch probe", "main", "failed", message=f"{type(exc).__name__}: {exc}"))
                break
        if keep_done and step.stage == "main" and step.record is not None and step.record.is_file():
            got = _read_record(step)
            if got is not None:
                records[got[0]] = got[1]
            done(Outcome(step.name, step.stage, "kept", message=f"complete record {step.record.name} already there"))
            continue
        left = deadline - clock()
        est = estimate_s(step, rates, records) if step.stage == "main" and rates is not None else None
        if left <= 0 or (est is not None and est > left):
            done(Outcome(step.name, step.stage, "skipped", estimate_s=est,
                         message=f"estimate {est:.0f} s > {max(left, 0):.0f} s left" if est is not None
                         else "budget spent"))
            if step.stage == "smoke":
                break
            continue
        ts = clock()
        try:
            run_step(step, left)
            status, msg = "ok", ""
        except BudgetExceeded:
            status, msg = "stopped", "stopped at the budget deadline; its partial records are kept"
        except Exception as exc:  # noqa: BLE001 (any failure of a step is reported, not raised)
            status, msg = "failed", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        done(Outcome(step.name, step.stage, status, clock() - ts, est, msg))
        got = _read_record(step) if status == "ok" else None
        if got is not None:
            records[got[0]] = got[1]
        if step.stage == "smoke" and status != "ok":
            break
        if status == "stopped":
            break
    return outcomes
