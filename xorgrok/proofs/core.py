"""The record of one symbolic check and the registry that `python -m proofs_check` runs.

A check re-derives one algebraic step of a proof with sympy (or exact enumeration) and compares it with
what the paper prints. `passed` is True when the step, as the proof needs it, is correct. Where the paper
prints something different from what the derivation gives (a typo or an error), the check still passes if
the proof's use of it survives, and `erratum` says what is wrong and why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass
class Outcome:
    """What a check found: pass/fail, the figures behind it, and an erratum when the paper's text is off."""

    passed: bool
    detail: str
    erratum: str | None = None


@dataclasses.dataclass
class Check:
    id: str  # stable, e.g. "gt-eq4-gradient"
    source: str  # where in the paper, e.g. "GrokTransfer eq. (4)"
    statement: str  # the step being checked, in words
    run: Callable[[], Outcome]


def registry() -> list[Check]:
    """Every check, GrokTransfer first, then Xu et al. 2024 (imported here to keep import-time light)."""
    from xorgrok.proofs import groktransfer, xu2024

    return [*groktransfer.CHECKS, *xu2024.CHECKS]


def run_all(checks: list[Check] | None = None) -> list[tuple[Check, Outcome]]:
    """Run the checks; an exception inside a check is a failure with the exception text, never a crash."""
    out = []
    for chk in checks if checks is not None else registry():
        try:
            res = chk.run()
        except Exception as exc:  # a check that cannot run has not passed
            res = Outcome(False, f"raised {type(exc).__name__}: {exc}")
        out.append((chk, res))
    return out
