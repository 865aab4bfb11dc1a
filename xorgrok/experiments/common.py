"""What the transfer experiments share: the weak → transfer → target skeleton ending in a run record, the
one schema of partial records, the typed run metrics every reader uses, and history / optimizer helpers.

- `transfer_run(...)`: the FNN, Transformer and MNIST runs are this function with their own weak trainer,
  target builder and target trainer; it returns the RunRecord dict (metrics from `summarise`, both wall
  clocks, histories) and writes partial records during training when asked.
- `write_partial_record` / `read_partial_record`: the `.partial.json` of an unfinished run (written every
  20 logged epochs, or recovered from a progress log), one schema for every family.
- `RunMetrics.from_record(record)`: the metrics several modules read, as one frozen dataclass; a missing
  key is a KeyError at read time and a renamed field an attribute error the type checker sees.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import torch
from torch import nn

from xorgrok.core.health import diverged_text, divergence_fields
from xorgrok.core.records import RunRecord, atomic_write_json, load_record
from xorgrok.train.history import History, first_step_reaching, time_gap
from xorgrok.train.loop import LoopResult

PARTIAL_EVERY = 20  # logged epochs between two partial records

# a loop callback: (epoch, model, history so far)
Callback = Callable[[int, nn.Module, History], None]


def summarise(history: History) -> dict[str, Any]:
    """Epochs to 95 % / 99 % train and test accuracy, the Time Gap (§6.5), and final/best values.

    Epochs are the logged steps (resolution eval_every); None where a threshold is never reached.
    """
    out: dict[str, Any] = {}
    for split in ("train", "test"):
        for thr in (0.95, 0.99):
            out[f"epochs_to_{int(thr * 100)}_{split}"] = first_step_reaching(history, f"{split}_acc", thr)
    out["time_gap"] = time_gap(history, 0.95)
    out["final_train_acc"] = history.last("train_acc")
    out["final_test_acc"] = history.last("test_acc")
    out["best_test_acc"] = max(history.values["test_acc"])
    out["epochs_run"] = history.steps[-1]
    out.update(divergence_fields(history))  # a diverged run's accuracies are not measurements
    return out


@dataclasses.dataclass(frozen=True)
class RunMetrics:
    """The metrics of one run record that the report, the figures and the summaries read.

    The first block is what `summarise` writes (always present); the second what `transfer_run` adds
    (None where it does not apply: no weak model, or a partial record). Family-specific extras
    (`epochs_to_80_test` of MNIST, ...) stay in `extra`.
    """

    epochs_to_95_train: int | None
    epochs_to_99_train: int | None
    epochs_to_95_test: int | None
    epochs_to_99_test: int | None
    time_gap: int | None
    final_train_acc: float
    final_test_acc: float
    best_test_acc: float
    epochs_run: int
    target_wall_s: float | None = None
    target_train_s: float | None = None
    weak_wall_s: float | None = None
    weak_train_s: float | None = None
    weak_final_test_acc: float | None = None
    weak_final_train_acc: float | None = None
    weak_epochs_run: int | None = None
    n_params: int | None = None
    diverged_at: int | None = None  # the loop's first epoch with a non-finite loss or output, if any
    diverged_quantity: str | None = None
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_metrics(cls, metrics: Mapping[str, Any]) -> RunMetrics:
        """From a record's `metrics` dict; KeyError names a missing required metric."""
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "extra"}
        required = [n for n, f in fields.items() if f.default is dataclasses.MISSING]
        missing = [n for n in required if n not in metrics]
        if missing:
            raise KeyError(f"run metrics lack {', '.join(missing)} (have {', '.join(sorted(metrics))})")
        known = {k: metrics[k] for k in fields if k in metrics}
        if "weak_final_test_acc" not in known and "weak_test_acc_at_transfer" in metrics:
            known["weak_final_test_acc"] = metrics["weak_test_acc_at_transfer"]  # records written before the merge
        extra = {k: v for k, v in metrics.items() if k not in fields}
        return cls(**known, extra=extra)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> RunMetrics:
        return cls.from_metrics(record["metrics"])

    @staticmethod
    def divergence(record: Mapping[str, Any]) -> str | None:
        """'diverged at epoch k (quantity)' for a run whose accuracies must not be read, else None."""
        m = record.get("metrics", {})
        if m.get("diverged_at") is None:
            return None
        return f"diverged at epoch {m['diverged_at']} ({m.get('diverged_quantity') or 'non-finite values'})"

    def threshold_epoch(self, split: str, percent: int) -> int | None:
        """Epochs to `percent` % accuracy on `split` (train | test): a field or an extra; KeyError if absent."""
        name = f"epochs_to_{percent}_{split}"
        value = getattr(self, name, dataclasses.MISSING)
        if value is dataclasses.MISSING:
            value = self.extra[name]
        return value


def join_histories(first: History, second: History) -> History:
    """Concatenate two phases of one run; `second` starts with a re-log of `first`'s last step (dropped)."""
    out = History.from_dict(first.to_dict())
    for k, step in enumerate(second.steps):
        if step <= out.steps[-1]:
            continue
        out.log(step, **{name: col[k] for name, col in second.values.items()})
    return out


def swap_in_optimizer(opt: torch.optim.Optimizer, old: Iterable[nn.Parameter], new: Iterable[nn.Parameter]) -> None:
    """Remove `old` parameters (and their state) from `opt` and add `new` ones to its first group.

    Used when A·B is merged into one matrix mid-run (Fig. 15(b)): the body keeps its AdamW moments, the
    new full table starts with fresh moments. [I] The paper does not say how the optimizer is handled.
    """
    old_ids = {id(p) for p in old}
    for group in opt.param_groups:
        group["params"] = [p for p in group["params"] if id(p) not in old_ids]
    for p in list(opt.state):
        if id(p) in old_ids:
            del opt.state[p]
    opt.param_groups[0]["params"].extend(new)


# ---- partial records (one schema) -------------------------------------------------------------------


def write_partial_record(
    path: str | Path,
    cfg: Any,
    history: History | Mapping[str, Any],
    *,
    wall_s: float,
    source: str = "training",
    weak_metrics: Mapping[str, Any] | None = None,
) -> Path:
    """Write the `.partial.json` of an unfinished run: config, seed, last epoch, wall time, metrics so far,
    the target history (as a record's `history["target"]`), where it came from, and the weak metrics."""
    hist = history if isinstance(history, History) else History.from_dict(dict(history))
    return atomic_write_json(
        path,
        {
            "partial": True,
            "config": cfg,
            "seed": cfg.seed,
            "epoch": hist.steps[-1],
            "wall_s": wall_s,
            "source": source,
            "metrics": {**summarise(hist), "target_wall_s": wall_s},
            "history": {"target": hist.to_dict()},
            "weak_metrics": dict(weak_metrics) if weak_metrics is not None else None,
        },
    )


def read_partial_record(path: str | Path) -> dict[str, Any]:
    """A partial record as a record-like dict (metrics recomputed from the history, `partial` True)."""
    rec = load_record(path)
    if not rec.get("partial") or "target" not in rec.get("history", {}):
        raise ValueError(f"{path} is not a partial record (written by write_partial_record)")
    rec["metrics"] = {**summarise(History.from_dict(rec["history"]["target"])), "target_wall_s": rec["wall_s"]}
    return rec


def partial_path_of(record_path: str | Path) -> Path:
    """Where the partial record of the run whose final record goes to `record_path` is written."""
    p = Path(record_path)
    return p.with_name(p.name.removesuffix(".json") + ".partial.json")


def partial_writer(path: Path, cfg: Any, weak_metrics: Mapping[str, Any] | None = None,
                   every: int = PARTIAL_EVERY) -> Callback:
    """A loop callback that writes the partial record every `every` logged epochs (wall time since start)."""
    t0 = time.perf_counter()

    def write(epoch: int, model: nn.Module, hist: History) -> None:
        if len(hist.steps) % every == 0:
            write_partial_record(path, cfg, hist, wall_s=time.perf_counter() - t0, weak_metrics=weak_metrics)

    return write


# ---- the weak → transfer → target skeleton ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class WeakOutcome:
    """A weak model's embedding E_W and what the record keeps of its run."""

    E_W: torch.Tensor
    wall_s: float | None
    train_s: float | None
    metrics: Mapping[str, Any] | None = None  # None when loaded from a checkpoint without its record
    history: Mapping[str, Any] | None = None
    source: str = "trained"

    @classmethod
    def from_loop(cls, E_W: torch.Tensor, res: LoopResult) -> WeakOutcome:
        return cls(E_W, res.wall_s, res.train_s, summarise(res.history), res.history.to_dict())


def _weak_metrics(weak: WeakOutcome | None) -> dict[str, Any]:
    m = weak.metrics if weak is not None else None
    return {
        "weak_wall_s": weak.wall_s if weak is not None else None,
        "weak_train_s": weak.train_s if weak is not None else None,
        "weak_final_test_acc": m["final_test_acc"] if m else None,
        "weak_final_train_acc": m["final_train_acc"] if m else None,
        "weak_epochs_run": m["epochs_run"] if m else None,
    }


def transfer_run(
    *,
    kind: str,
    cfg: Any,
    device: torch.device,
    weak: Callable[[], WeakOutcome] | None,
    build_target: Callable[[torch.Tensor | None], nn.Module],
    train_target: Callable[[nn.Module, Callback | None], LoopResult],
    partial_path: Path | None = None,
    notes: Iterable[str] = (),
    extra_metrics: Callable[[History], Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Weak model (if any) → its embedding into the target → train the target → the RunRecord dict.

    `weak()` trains or loads the weak model; `build_target(E_W)` builds the target (E_W None without a
    weak model); `train_target(model, callback)` trains it, passing `callback` to the loop. Metrics:
    `summarise` of the target history, `extra_metrics(history)`, both wall clocks, the weak model's final
    accuracies and epochs, and the target's parameter count.
    """
    outcome = weak() if weak is not None else None
    model = build_target(outcome.E_W if outcome is not None else None).to(device)
    callback = None
    if partial_path is not None:
        callback = partial_writer(partial_path, cfg, outcome.metrics if outcome is not None else None)
    res = train_target(model, callback)
    metrics = summarise(res.history)
    if extra_metrics is not None:
        metrics.update(extra_metrics(res.history))
    metrics.update(target_wall_s=res.wall_s, target_train_s=res.train_s, **_weak_metrics(outcome),
                   n_params=sum(p.numel() for p in model.parameters()))
    rec = RunRecord(
        kind=kind,
        config=cfg,
        seed=cfg.seed,
        metrics=metrics,
        history={"target": res.history.to_dict(),
                 "weak": dict(outcome.history) if outcome is not None and outcome.history else None},
        wall_time_s=res.wall_s + ((outcome.wall_s or 0.0) if outcome is not None else 0.0),
        device=str(device),
        notes=list(notes),
    )
    return rec.to_dict()


def store_record(path: str | Path, rec: dict[str, Any]) -> None:
    """Write a run's full record atomically, then drop its partial record (the full one supersedes it)."""
    atomic_write_json(path, rec)
    partial_path_of(path).unlink(missing_ok=True)


def result_text(rec: dict[str, Any], describe: Callable[[RunMetrics], str]) -> str:
    """One line for a finished run: `describe(metrics)`, or where it diverged (a diverged run has no
    accuracies to print)."""
    m = rec["metrics"]
    if m.get("diverged_at") is not None:
        return diverged_text(m["diverged_at"], m.get("diverged_quantity")) + " (no accuracies)"
    return describe(RunMetrics.from_record(rec))
