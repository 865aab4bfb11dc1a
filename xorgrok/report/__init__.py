"""The reproduction report (docs/reproduction.md), generated from code so it cannot drift.

Each area owns one module `xorgrok/report/claims_<area>.py` exposing `CLAIMS: list[Claim]`.
`python -m xorgrok.report` discovers them, measures every claim, and writes the table atomically.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from xorgrok.core.paths import default_runs_dir
from xorgrok.experiments.cache import RunCache

Verdict = Literal["reproduced", "differs", "out of reach"]
VERDICTS: tuple[str, ...] = ("reproduced", "differs", "out of reach")


@dataclasses.dataclass
class Measurement:
    """What we measured for one claim. `measured` carries seeds and an interval where there are any."""

    measured: str
    verdict: Verdict
    why: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


@dataclasses.dataclass(frozen=True)
class ReportContext:
    """What every measurement gets: the mode, where run records are read, and the shared run cache."""

    quick: bool = False
    runs_dir: Path = dataclasses.field(default_factory=default_runs_dir)
    cache: RunCache = dataclasses.field(default_factory=RunCache, compare=False)
    overrides: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # tests shrink runs with these


def quick_only(fn: Callable[[bool], Measurement]) -> Callable[[ReportContext], Measurement]:
    """Adapt a measurement that needs only the mode."""
    return lambda ctx: fn(ctx.quick)


@dataclasses.dataclass
class Claim:
    id: str  # stable, e.g. "xor-weak-ladder-3"
    claim: str  # the paper's statement, paraphrased, with its number
    source: str  # figure / theorem / section, e.g. "GrokTransfer Fig. 4(b)"
    command: str  # the command that regenerates the number
    measure: Callable[[ReportContext], Measurement]
