"""Sweep specifications (TOML or JSON) and their expansion into tasks.

    experiment = "gt-synthetic"        # a name in xorgrok.sweep.experiments.EXPERIMENTS
    seeds = 8                          # K -> seeds base_seed .. base_seed+K-1, or an explicit list
    base_seed = 0
    [fixed]                            # parameters shared by every task
    n = 400
    p = 80000
    [axes]                             # each axis: a list, {geom = [lo, hi, k]} or {lin = [lo, hi, k]}
    mode = "grid"                      # "grid": Cartesian product; "path": zipped (equal lengths)
    c2 = [0.5, 1, 2, 4]
    c4 = {geom = [0.3, 30, 9]}

A task is (experiment, params, seed). Its key is the SHA-256 of its canonical JSON (sorted keys, floats as
repr), so the same task always gets the same record name and a changed config gets a new one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from xorgrok.core.errors import InputError, check_choice, check_int

SCHEMA = 1  # bump when a record's meaning changes: old records then no longer match any task


@dataclasses.dataclass(frozen=True)
class Task:
    experiment: str
    params: tuple[tuple[str, Any], ...]  # sorted (name, value) pairs, values JSON-able
    seed: int

    def config(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "experiment": self.experiment, "params": dict(self.params), "seed": self.seed}

    @property
    def key(self) -> str:
        return task_key(self.config())


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)


def task_key(config: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(config).encode()).hexdigest()[:24]


def _plain(v: Any, where: str) -> Any:
    """Numbers, strings, booleans and lists of them; integral floats from geomspace stay floats."""
    if isinstance(v, (bool, str)) or v is None:
        return v
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        if not math.isfinite(float(v)):
            raise InputError(f"{where} must be finite, got {v!r}")
        return float(v)
    if isinstance(v, (list, tuple)):
        return [_plain(x, where) for x in v]
    raise InputError(f"{where} must be a number, string, boolean or list, got {type(v).__name__}")


def _axis_values(name: str, spec: Any) -> list[Any]:
    if isinstance(spec, list):
        if not spec:
            raise InputError(f"axis {name} must have at least one value")
        return [_plain(v, f"axis {name}") for v in spec]
    if isinstance(spec, dict) and len(spec) == 1:
        (how, arg), = spec.items()
        how = check_choice(f"axis {name} generator", how, ("geom", "lin", "int_geom"))
        if not (isinstance(arg, list) and len(arg) == 3):
            raise InputError(f"axis {name}: {how} takes [lo, hi, k], got {arg!r}")
        lo, hi, k = arg
        k = check_int(f"axis {name} k", k, lo=1, hi=10_000)
        if how in ("geom", "int_geom") and not (isinstance(lo, (int, float)) and isinstance(hi, (int, float))
                                                 and lo > 0 and hi > 0):
            raise InputError(f"axis {name}: geom needs lo > 0 and hi > 0, got {lo!r}, {hi!r}")
        vals = np.geomspace(lo, hi, k) if how != "lin" else np.linspace(lo, hi, k)
        if how == "int_geom":
            return sorted({int(round(v)) for v in vals})
        return [float(v) for v in vals]
    raise InputError(f"axis {name} must be a list or {{geom|lin|int_geom = [lo, hi, k]}}, got {spec!r}")


@dataclasses.dataclass(frozen=True)
class SweepSpec:
    experiment: str
    axes: tuple[tuple[str, tuple[Any, ...]], ...]
    mode: str
    seeds: tuple[int, ...]
    fixed: tuple[tuple[str, Any], ...]

    def points(self) -> list[dict[str, Any]]:
        names = [a for a, _ in self.axes]
        values = [v for _, v in self.axes]
        combos = itertools.product(*values) if self.mode == "grid" else zip(*values)
        return [dict(zip(names, c)) for c in combos] if names else [{}]

    def tasks(self) -> list[Task]:
        fixed = dict(self.fixed)
        out = []
        for pt in self.points():
            params = {**fixed, **pt}
            for s in self.seeds:
                out.append(Task(self.experiment, tuple(sorted(params.items())), s))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"experiment": self.experiment, "mode": self.mode, "axes": {a: list(v) for a, v in self.axes},
                "seeds": list(self.seeds), "fixed": dict(self.fixed)}


def from_dict(d: dict[str, Any]) -> SweepSpec:
    from xorgrok.sweep.experiments import EXPERIMENTS, PARAMETERS

    if not isinstance(d, dict):
        raise InputError("a sweep spec must be a table/object")
    unknown = sorted(set(d) - {"experiment", "axes", "seeds", "base_seed", "fixed"})
    if unknown:
        raise InputError(f"unknown spec key(s) {', '.join(unknown)}; allowed: experiment, axes, seeds, base_seed, "
                         "fixed")
    exp = check_choice("experiment", d.get("experiment"), tuple(EXPERIMENTS))
    axes_in = dict(d.get("axes", {}))
    mode = check_choice("axes.mode", axes_in.pop("mode", "grid"), ("grid", "path"))
    axes = tuple((str(k), tuple(_axis_values(k, v))) for k, v in axes_in.items())
    if mode == "path" and len({len(v) for _, v in axes}) > 1:
        raise InputError("axes.mode = 'path' needs every axis to have the same number of values")
    fixed_in = d.get("fixed", {})
    if not isinstance(fixed_in, dict):
        raise InputError("fixed must be a table of parameter = value")
    clash = sorted(set(fixed_in) & {a for a, _ in axes})
    if clash:
        raise InputError(f"parameter(s) {', '.join(clash)} given both in fixed and in axes")
    fixed = tuple(sorted((str(k), _plain(v, f"fixed.{k}")) for k, v in fixed_in.items()))
    unknown = sorted(({k for k, _ in fixed} | {a for a, _ in axes}) - PARAMETERS[exp])
    if unknown:  # caught before any work; a bad value is caught inside its task and recorded
        raise InputError(f"{exp}: unknown parameter(s) {', '.join(unknown)}; allowed: "
                         f"{', '.join(sorted(PARAMETERS[exp]))}")
    seeds_in = d.get("seeds", 1)
    base = check_int("base_seed", d.get("base_seed", 0), lo=0)
    if isinstance(seeds_in, list):
        seeds = tuple(check_int("seeds[]", s, lo=0) for s in seeds_in)
        if not seeds or len(set(seeds)) != len(seeds):
            raise InputError("seeds must be a non-empty list of distinct integers >= 0")
    else:
        seeds = tuple(range(base, base + check_int("seeds", seeds_in, lo=1, hi=100_000)))
    return SweepSpec(exp, axes, mode, seeds, fixed)


def load_spec(path: str | Path) -> SweepSpec:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"SPEC must be an existing .toml or .json file, got {str(path)!r}")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        try:
            return from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(f"SPEC {path.name} is not valid JSON: {str(exc).splitlines()[0]}") from None
    try:
        import tomllib  # type: ignore[import-not-found,unused-ignore]  # Python >= 3.11
    except ModuleNotFoundError:
        raise InputError("TOML specs need Python >= 3.11 (tomllib); give the spec as .json") from None
    try:
        d = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"SPEC {path.name} is not valid TOML: {str(exc).splitlines()[0]}") from None
    return from_dict(d)
