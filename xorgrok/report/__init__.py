"""The reproduction report (docs/reproduction.md), generated from code so it cannot drift.

Each area owns one module `xorgrok/report/claims_<area>.py` exposing `CLAIMS: list[Claim]`.
`python -m xorgrok.report` discovers them, measures every claim, and writes the table atomically.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Literal

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


@dataclasses.dataclass
class Claim:
    id: str  # stable, e.g. "xor-weak-ladder-3"
    claim: str  # the paper's statement, paraphrased, with its number
    source: str  # figure / theorem / section, e.g. "GrokTransfer Fig. 4(b)"
    command: str  # the command that regenerates the number
    measure: Callable[[bool], Measurement]  # measure(quick) -> Measurement
