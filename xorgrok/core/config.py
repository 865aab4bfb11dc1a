"""Config dataclasses: one per run kind. Unknown keys are rejected (as in nanoGPT's configurator)."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from xorgrok.core.errors import InputError

T = TypeVar("T")


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Build dataclass `cls` from `data`; an unknown key is an InputError that lists the known ones."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - names)
    if unknown:
        raise InputError(
            f"unknown config key(s) {', '.join(unknown)} for {cls.__name__}; known: {', '.join(sorted(names))}"
        )
    return cls(**data)


def to_dict(cfg: Any) -> dict[str, Any]:
    """A JSON-ready dict of a (possibly nested) config dataclass."""
    return dataclasses.asdict(cfg)
