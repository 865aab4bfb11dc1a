"""The multi-seed verdict rule of the modular GrokTransfer claims, fixed before the runs (docs/modular.md).

Per method, over its seeds (one finished run record each; a partial or diverged run is a failure within
the epochs it ran, and is named):
- success rate: the fraction of seeds reaching 95 % and 99 % test accuracy within the cap, with a 95 %
  Clopper-Pearson interval;
- epochs to 95 % / 99 % test among the successes (the logged epoch, resolution eval_every);
- the Time Gap (first 95 % test - first 95 % train) of every seed reaching 95 % test;
- its outcome class: "all" (every seed reaches 95 %), "none" (no seed does: "not within the cap of N
  epochs", never the bare word "never"), else "chaotic" (some seeds do, some do not);
- the late-grokking shape (the paper's scratch curve): a seed whose Time Gap is at least `LATE_GAP`
  epochs. A seed that fits (95 % train) but does not reach 95 % test within the cap is counted apart
  ("fit, not generalised"): its curve may still be a late grokker beyond the cap.

"A beats B" (GrokTransfer against scratch, or against the random A·B control): A's 95 % and 99 % success
counts are at least B's, and A's median epochs to 99 % test over all seeds (a seed that does not reach 99 %
counts as infinitely late) is finite and smaller than B's. "GrokTransfer helps" is reproduced only if
GrokTransfer beats scratch AND beats the random control, each with at least `MIN_SEEDS` seeds per method;
with fewer seeds the verdict is "out of reach" (the rows still show the numbers).
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from xorgrok.experiments.common import RunMetrics
from xorgrok.theory.stats import Frequency, frequency

LATE_GAP = 100  # epochs between 95 % train and 95 % test that count as the late-grokking shape
MIN_SEEDS = 8
Outcome = Literal["all", "none", "chaotic"]
Verdict = Literal["reproduced", "differs", "out of reach"]


@dataclasses.dataclass(frozen=True)
class MethodSummary:
    label: str
    seeds: tuple[int, ...]
    reach95: Frequency
    reach99: Frequency
    epochs_to_95: tuple[int, ...]  # among the seeds reaching 95 % test, in seed order
    epochs_to_99: tuple[int, ...]
    time_gaps: tuple[int, ...]
    late_seeds: tuple[int, ...]  # Time Gap >= LATE_GAP
    fit_not_generalised: tuple[int, ...]  # 95 % train, not 95 % test, within the cap
    cap: int  # the largest configured cap of its runs (the longest run where a record has no config)
    incomplete: tuple[str, ...]  # "seed s: partial at epoch k" / "seed s: diverged at ..."
    median_to_99: float  # over all seeds, a miss counted as +inf

    @property
    def n(self) -> int:
        return len(self.seeds)

    @property
    def outcome(self) -> Outcome:
        k = self.reach95.k
        return "all" if k == self.n else ("none" if k == 0 else "chaotic")

    def describe(self) -> str:
        k95, k99 = self.reach95, self.reach99
        cls = {"all": "every seed reaches 95%", "none": f"no seed reaches 95% within the {self.cap}-epoch cap",
               "chaotic": "chaotic: some seeds reach 95%, others not"}[self.outcome]
        parts = [
            f"{self.label}: {self.n} seeds; {cls}; reach 95% test {k95.k}/{k95.n} "
            f"[CP 95% {k95.ci_low:.2f}, {k95.ci_high:.2f}], 99% {k99.k}/{k99.n} [{k99.ci_low:.2f}, {k99.ci_high:.2f}]"
        ]
        if self.epochs_to_95:
            parts.append(f"epochs to 95% test {_span(self.epochs_to_95)}")
        if self.epochs_to_99:
            parts.append(f"to 99% {_span(self.epochs_to_99)}")
        if self.time_gaps:
            parts.append(f"Time Gap {_span(self.time_gaps)}")
        parts.append(f"late-grokking shape (gap >= {LATE_GAP}) in {len(self.late_seeds)}/{self.n} runs"
                     + (f" (seeds {list(self.late_seeds)})" if self.late_seeds else ""))
        if self.fit_not_generalised:
            parts.append(f"fit without reaching 95% test by the cap: seeds {list(self.fit_not_generalised)}")
        if self.incomplete:
            parts.append("; ".join(self.incomplete))
        return ", ".join(parts)


def _span(values: Sequence[int]) -> str:
    v = sorted(values)
    med = statistics.median(v)
    return f"median {med:g} (min {v[0]}, max {v[-1]})"


def summarise_method(label: str, records: Sequence[Mapping[str, Any]]) -> MethodSummary:
    """The per-method numbers of the rule (module docstring) from one record per seed."""
    recs = sorted(records, key=lambda r: r["seed"])
    seeds = tuple(int(r["seed"]) for r in recs)
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"{label}: more than one record for a seed ({list(seeds)})")
    ms = [RunMetrics.from_record(r) for r in recs]
    e95 = tuple(m.epochs_to_95_test for m in ms if m.epochs_to_95_test is not None)
    e99 = tuple(m.epochs_to_99_test for m in ms if m.epochs_to_99_test is not None)
    gaps = tuple(m.time_gap for m in ms if m.time_gap is not None and m.epochs_to_95_test is not None)
    late = tuple(s for s, m in zip(seeds, ms) if m.time_gap is not None and m.time_gap >= LATE_GAP)
    fit = tuple(s for s, m in zip(seeds, ms) if m.epochs_to_95_train is not None and m.epochs_to_95_test is None)
    inc = []
    for s, r, m in zip(seeds, recs, ms):
        if r.get("partial"):
            inc.append(f"seed {s}: unfinished at epoch {m.epochs_run}")
        if (d := RunMetrics.divergence(r)) is not None:
            inc.append(f"seed {s}: {d}")
    n = len(recs)
    to99 = [float(m.epochs_to_99_test) if m.epochs_to_99_test is not None else math.inf for m in ms]
    return MethodSummary(
        label=label,
        seeds=seeds,
        reach95=frequency(len(e95), n),
        reach99=frequency(len(e99), n),
        epochs_to_95=e95,
        epochs_to_99=e99,
        time_gaps=gaps,
        late_seeds=late,
        fit_not_generalised=fit,
        # the configured cap (runs stop early at 99 %), else the longest run
        cap=max(int(r.get("config", {}).get("epochs", m.epochs_run)) for r, m in zip(recs, ms)),
        incomplete=tuple(inc),
        median_to_99=float(statistics.median(to99)),
    )


def beats(a: MethodSummary, b: MethodSummary) -> bool:
    """The "A beats B" rule of the module docstring."""
    return (
        a.reach95.k >= b.reach95.k
        and a.reach99.k >= b.reach99.k
        and math.isfinite(a.median_to_99)
        and a.median_to_99 < b.median_to_99
    )


def helps_verdict(gt: MethodSummary, scratch: MethodSummary, control: MethodSummary) -> tuple[Verdict, str]:
    """'reproduced' iff GrokTransfer beats scratch and the random control, all with >= MIN_SEEDS seeds."""
    vs_s, vs_c = beats(gt, scratch), beats(gt, control)
    why = (f"GrokTransfer {'beats' if vs_s else 'does not beat'} {scratch.label} and "
           f"{'beats' if vs_c else 'does not beat'} {control.label} (median epochs to 99%: "
           f"{_med(gt)} vs {_med(scratch)} vs {_med(control)})")
    short = [s.label for s in (gt, scratch, control) if s.n < MIN_SEEDS]
    if short:
        return "out of reach", why + f"; fewer than {MIN_SEEDS} seeds for {', '.join(short)}"
    return ("reproduced" if vs_s and vs_c else "differs"), why


def shape_verdict(scratch: Sequence[MethodSummary]) -> tuple[Verdict, str]:
    """The paper's scratch curve groks late: 'reproduced' if any scratch run shows the shape, 'differs' if
    none does while some run reached 95 % test (the shape is then measurably absent), else 'out of reach'."""
    late = [(s.label, s.late_seeds) for s in scratch if s.late_seeds]
    if late:
        return "reproduced", "late-grokking runs: " + "; ".join(f"{lab} seeds {list(v)}" for lab, v in late)
    if any(s.reach95.k for s in scratch):
        return "differs", (f"no scratch run has a Time Gap >= {LATE_GAP} epochs; every run that reached 95% "
                           "test did so within " + ", ".join(f"{max(s.time_gaps)} epochs of 95% train ({s.label})"
                                                             for s in scratch if s.time_gaps))
    return "out of reach", "no scratch run reached 95% test within its cap: the shape cannot be seen"


def _med(s: MethodSummary) -> str:
    return "not reached" if math.isinf(s.median_to_99) else f"{s.median_to_99:g}"


def weak_accuracy_table(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The Fig. 7 view: one row per GrokTransfer run, weak test accuracy at transfer against the target's
    best test accuracy and epochs to 95 % test, sorted by weak accuracy."""
    rows = []
    for r in records:
        m = RunMetrics.from_record(r)
        rows.append({"seed": r["seed"], "weak_acc": m.weak_final_test_acc, "best_test": m.best_test_acc,
                     "to95": m.epochs_to_95_test, "to99": m.epochs_to_99_test, "epochs_run": m.epochs_run})
    return sorted(rows, key=lambda x: (x["weak_acc"] if x["weak_acc"] is not None else -1.0, x["seed"]))


FORTY_BAND = (0.3, 0.6)  # "about 40 %": weak test accuracy at transfer in [0.3, 0.6)


def forty_percent_verdict(rows: Sequence[Mapping[str, Any]], min_runs: int = 3) -> tuple[Verdict, str]:
    """'~40 % suffices': reproduced if most (> half) of the targets transferred from a weak model at an
    accuracy in FORTY_BAND reach 95 % test within the cap; differs if at most half do; out of reach with
    fewer than `min_runs` such runs."""
    lo, hi = FORTY_BAND
    band = [r for r in rows if r["weak_acc"] is not None and lo <= r["weak_acc"] < hi]
    k = sum(r["to95"] is not None for r in band)
    why = f"{k}/{len(band)} targets from weak models at {lo:.0%}-{hi:.0%} test accuracy reach 95% test"
    if len(band) < min_runs:
        return "out of reach", why + f" (fewer than {min_runs} such runs)"
    return ("reproduced" if 2 * k > len(band) else "differs"), why
