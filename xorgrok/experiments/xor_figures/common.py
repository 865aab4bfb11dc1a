"""Settings and seeds of the XOR figures, and the per-seed curves they plot."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from xorgrok.core.errors import InputError
from xorgrok.train.history import History

S = TypeVar("S")


def pick_setting(full: S, quick_setting: S, quick: bool, overrides: Mapping[str, Any] | None = None) -> S:
    """FULL or QUICK by `quick`, then `overrides` (field -> value) applied; an unknown field is an InputError."""
    base = quick_setting if quick else full
    over = dict(overrides or {})
    names = [f.name for f in dataclasses.fields(base)]  # type: ignore[arg-type]
    unknown = sorted(k for k in over if k not in names)
    if unknown:
        raise InputError(f"override {unknown[0]!r} is not a field of {type(base).__name__}; known: "
                         + ", ".join(names))
    return dataclasses.replace(base, **over)  # type: ignore[type-var]


def seeds_for(seed: int, n_seeds: int | None, quick: bool, full: int = 5, quick_default: int = 2) -> list[int]:
    """seed, seed + 1, ...: n_seeds of them, or the default count of the mode when n_seeds is None."""
    k = n_seeds if n_seeds is not None else (quick_default if quick else full)
    if k < 1:
        raise InputError(f"--seeds must be an integer >= 1, got {k}")
    return list(range(seed, seed + k))


def curves(hists: Sequence[History], key: str) -> tuple[list[int], list[list[float]]]:
    """Steps (shared) and one curve per seed of metric `key`; all histories must log the same steps."""
    steps = hists[0].steps
    for h in hists[1:]:
        if h.steps != steps:
            raise ValueError("histories log different steps; run them with the same GDConfig")
    return list(steps), [list(map(float, h[key])) for h in hists]
