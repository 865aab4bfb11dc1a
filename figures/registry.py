"""The Figure record and module discovery used by `python -m figures`."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path

from xorgrok.experiments.cache import RunCache


@dataclasses.dataclass
class FigureContext:
    """What every figure run gets: where to write, how big to run, which seeds, and the run cache."""

    out_dir: Path
    quick: bool
    seed: int
    n_seeds: int | None  # None: the figure's default (>= 5 in default mode where seeds apply)
    device: str = "auto"
    progress: bool = True
    extra: dict = dataclasses.field(default_factory=dict)  # figure-specific parsed options
    # the memo of expensive runs; `python -m figures all` hands one to every figure so shared runs train once
    cache: RunCache = dataclasses.field(default_factory=RunCache)


@dataclasses.dataclass
class Figure:
    name: str  # CLI name, e.g. "fig4"
    help: str  # one line for `python -m figures list`
    run: Callable[[FigureContext], list[Path]]  # returns the files written
    add_args: Callable[[argparse.ArgumentParser], None] | None = None
    group: str = "xor"  # "xor", "modular", "transformer", "mnist", ...


def discover() -> dict[str, Figure]:
    """Import every figures.fig* / figures.xu* module and collect its FIGURE (or FIGURES)."""
    import figures

    found: dict[str, Figure] = {}
    for info in sorted(pkgutil.iter_modules(figures.__path__), key=lambda i: i.name):
        if not (info.name.startswith("fig") or info.name.startswith("xu")):
            continue
        mod = importlib.import_module(f"figures.{info.name}")
        items = list(getattr(mod, "FIGURES", [])) + ([mod.FIGURE] if hasattr(mod, "FIGURE") else [])
        for fig in items:
            if fig.name in found:
                raise RuntimeError(f"figure name {fig.name!r} defined twice")
            found[fig.name] = fig
    return found
