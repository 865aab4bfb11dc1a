"""Default locations of inputs and outputs, independent of the working directory.

A command started from any folder reads and writes the same places:
- the runs folder (run records the report and the figures read): $XORGROK_RUNS, else `runs/` at the root of
  the source checkout this package is imported from, else the user cache (`$XDG_CACHE_HOME/xorgrok/runs`,
  default `~/.cache/xorgrok/runs`);
- the docs folder (the tracked report, `docs/reproduction.*`): `docs/` of the checkout;
- figure outputs: `figures/out/` of the checkout, else the user cache.
"""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path | None:
    """The source checkout holding this package (the folder with pyproject.toml above it), or None."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() and (here / "xorgrok").is_dir() else None


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xorgrok"


def default_runs_dir() -> Path:
    env = os.environ.get("XORGROK_RUNS")
    if env:
        return Path(env).expanduser().resolve()
    root = repo_root()
    return root / "runs" if root is not None else user_cache_dir() / "runs"


def default_docs_dir() -> Path:
    root = repo_root()
    return root / "docs" if root is not None else user_cache_dir() / "docs"


def default_figures_dir() -> Path:
    root = repo_root()
    return root / "figures" / "out" if root is not None else user_cache_dir() / "figures"
