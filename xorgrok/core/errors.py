"""Input validation: one exception type, one-line messages that name the parameter and its range."""

from __future__ import annotations

import math
from typing import Any


class InputError(ValueError):
    """Bad user input. Commands turn it into a one-line message and exit code 2."""


class Diverged(ArithmeticError):
    """A computation whose losses or outputs stopped being finite, where it cannot go on and be marked.

    Commands turn it into one line naming the step and the quantity, and exit code 1 (a result, not bad input).
    """

    def __init__(self, step: int, quantity: str, hint: str = "") -> None:
        self.step, self.quantity = int(step), quantity
        super().__init__(f"diverged at step {self.step} ({quantity} not finite)" + (f"; {hint}" if hint else ""))


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(float(x))


def check_int(name: str, value: Any, lo: int | None = None, hi: int | None = None) -> int:
    """Return `value` as int if lo <= value <= hi, else raise InputError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, (int,)) and not (
        isinstance(value, float) and value.is_integer()
    ):
        raise InputError(f"{name} must be an integer{_range(lo, hi)}, got {value!r}")
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise InputError(f"{name} must be an integer{_range(lo, hi)}, got {v}")
    return v


def check_float(
    name: str,
    value: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """Return `value` as float if it is a finite number in the given interval, else raise InputError."""
    if not _is_number(value):
        raise InputError(f"{name} must be a finite number{_interval(lo, hi, lo_open, hi_open)}, got {value!r}")
    v = float(value)
    bad = (
        (lo is not None and (v < lo or (lo_open and v == lo)))
        or (hi is not None and (v > hi or (hi_open and v == hi)))
    )
    if bad:
        raise InputError(f"{name} must be in {_interval(lo, hi, lo_open, hi_open).strip()}, got {v:g}")
    return v


def check_choice(name: str, value: Any, choices: tuple[str, ...] | list[str]) -> str:
    if value not in choices:
        raise InputError(f"{name} must be one of {', '.join(map(str, choices))}; got {value!r}")
    return value


def _range(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f" in [{lo}, {hi}]"
    if lo is not None:
        return f" >= {lo}"
    if hi is not None:
        return f" <= {hi}"
    return ""


def _interval(lo: float | None, hi: float | None, lo_open: bool, hi_open: bool) -> str:
    if lo is None and hi is None:
        return ""
    left = "(" if lo_open or lo is None else "["
    right = ")" if hi_open or hi is None else "]"
    a = "-inf" if lo is None else f"{lo:g}"
    b = "inf" if hi is None else f"{hi:g}"
    return f" {left}{a}, {b}{right}"
