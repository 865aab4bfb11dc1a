"""The one way to build a run config: `build_config(cls, overrides, base=...)`.

Run configs are frozen dataclasses (they serve as cache keys and record names). A config is built from a
mapping of field names; a key that names no field is an InputError on one line that names the key and the
known ones (as nanoGPT's configurator does). A field that is itself a dataclass accepts a mapping (built
the same way) or dotted keys (`"weak.lr": 0.01`). Commands, presets and record readers all go through it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from xorgrok.core.errors import InputError

T = TypeVar("T")


def _fields(cls: type) -> dict[str, dataclasses.Field[Any]]:
    if not (dataclasses.is_dataclass(cls) and isinstance(cls, type)):
        raise TypeError(f"{cls!r} is not a dataclass type")
    return {f.name: f for f in dataclasses.fields(cls)}


def _nested_default(cls: type, name: str) -> Any:
    """The default of field `name` when it is a dataclass instance (a nested config), else None."""
    f = _fields(cls)[name]
    default: Any = dataclasses.MISSING
    if f.default is not dataclasses.MISSING:
        default = f.default
    elif f.default_factory is not dataclasses.MISSING:
        default = f.default_factory()
    if dataclasses.is_dataclass(default) and not isinstance(default, type):
        return default
    return None


def build_config(cls: type[T], overrides: Mapping[str, Any] | None = None, *, base: T | None = None) -> T:
    """`cls` built from `overrides` (field name -> value), on top of `base` when given (else the defaults).

    Unknown keys (also under a nested dataclass field) are one InputError naming them and the known keys.
    """
    overrides = dict(overrides or {})
    fields = _fields(cls)
    flat: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for key, value in overrides.items():
        head, dot, rest = str(key).partition(".")
        if dot:
            nested.setdefault(head, {})[rest] = value
        else:
            flat[key] = value
    unknown = sorted(set(flat) - set(fields)) + sorted(f"{h}.*" for h in set(nested) - set(fields))
    if unknown:
        raise InputError(
            f"unknown config key(s) {', '.join(unknown)} for {cls.__name__}; known: {', '.join(sorted(fields))}"
        )
    for name in set(nested) | {k for k, v in flat.items() if isinstance(v, Mapping)}:
        sub_default = _nested_default(cls, name)
        if sub_default is None:
            if name in nested:
                sub_key = next(iter(nested[name]))
                raise InputError(f"config key {name!r} of {cls.__name__} has no sub-keys (got {name}.{sub_key})")
            continue
        current = flat.get(name)
        if isinstance(current, Mapping):  # a full nested mapping: on top of the field's default
            sub_base = sub_default
            sub_over = {**current, **nested.get(name, {})}
        else:  # dotted keys: on top of the given value, else the base's, else the field's default
            sub_base = current if current is not None else (getattr(base, name) if base is not None else sub_default)
            sub_over = nested.get(name, {})
        flat[name] = build_config(type(sub_base), sub_over, base=sub_base)
    if base is not None:
        return dataclasses.replace(base, **flat)  # type: ignore[type-var]
    return cls(**flat)


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """`build_config(cls, data)` (kept for callers of the earlier name)."""
    return build_config(cls, data)


def to_dict(cfg: Any) -> dict[str, Any]:
    """A JSON-ready dict of a (possibly nested) config dataclass."""
    return dataclasses.asdict(cfg)
