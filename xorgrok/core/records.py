"""Run records: one JSON file per run with config, seed, versions, git SHA, wall time and metrics.

Writes are atomic and durable (fsynced temp file + os.replace in the same directory), so a killed run never
leaves a half-written record. JSON is strict: NaN and inf are written as null; a run whose numbers blew up
carries `diverged_at` (step) and `diverged_quantity` (which number) in its history and metrics instead.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import platform
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xorgrok.core.io import write_temp

_PACKAGES = ("numpy", "scipy", "torch", "sympy", "matplotlib", "hypothesis", "tqdm", "sklearn")


def package_versions() -> dict[str, str | None]:
    """Versions of the core dependencies that are importable (None for missing ones)."""
    import importlib

    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = getattr(importlib.import_module(name), "__version__", "unknown")
        except ImportError:
            out[name] = None
    from xorgrok import __version__

    out["xorgrok"] = __version__
    return out


def git_sha(path: str | os.PathLike[str] | None = None) -> str | None:
    """The current commit of the checkout that holds this package, with '-dirty' if it has changes."""
    root = Path(path) if path is not None else Path(__file__).resolve().parent.parent
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root, capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return sha + ("-dirty" if dirty else "") if sha else None


def jsonable(obj: Any) -> Any:
    """Convert dataclasses, numpy/torch scalars and arrays, paths and non-finite floats for JSON."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return jsonable(dataclasses.asdict(obj))
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, float):
        # strict JSON has no NaN/inf: null; a run that produced them says so in its diverged_* fields
        return obj if math.isfinite(obj) else None
    if isinstance(obj, (str, int, bool)) or obj is None:
        return obj
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "tolist"):  # numpy arrays/scalars, torch tensors
        return jsonable(obj.tolist())
    if hasattr(obj, "item"):
        return jsonable(obj.item())
    return str(obj)




def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write `text` to `path` atomically: a reader sees the old file or the new one, never half of one."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    """Strict JSON (NaN and inf become null, see `jsonable`), written atomically."""
    return atomic_write_text(path, json.dumps(jsonable(obj), indent=2, sort_keys=False, allow_nan=False) + "\n")


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` atomically and durably (temporary fsynced, then renamed over `path`)."""
    path = Path(path)
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


@dataclasses.dataclass
class RunRecord:
    """What one run leaves behind. `metrics` holds final numbers; `history` the logged trajectory."""

    kind: str
    config: Any
    seed: int
    metrics: dict[str, Any] = dataclasses.field(default_factory=dict)
    history: dict[str, Any] = dataclasses.field(default_factory=dict)
    wall_time_s: float | None = None
    started_at: float = dataclasses.field(default_factory=time.time)
    versions: dict[str, str | None] = dataclasses.field(default_factory=package_versions)
    git_sha: str | None = dataclasses.field(default_factory=git_sha)
    device: str = "cpu"
    notes: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)

    def write(self, path: str | os.PathLike[str]) -> Path:
        return atomic_write_json(path, self.to_dict())


def load_record(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A JSON object read back from `path`; empty, truncated, non-JSON or non-object files are one-line
    InputErrors naming the file (see `core.io.read_record` to also require keys)."""
    from xorgrok.core.io import read_record

    return read_record(path, ())


def set_aside(path: str | os.PathLike[str], why: str) -> Path:
    """Rename a bad file to `<name>.bad-<UTC time>` beside it (kept for inspection) and say so on stderr."""
    import sys

    src = Path(path)
    dest = src.with_name(f"{src.name}.bad-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}")
    os.replace(src, dest)
    sys.stderr.write(f"warning: {src} {why}; kept as {dest.name} and recomputed\n")
    return dest


def load_record_or_set_aside(path: str | os.PathLike[str],
                             required: tuple[str, ...] = ("config", "metrics")) -> dict[str, Any] | None:
    """A run record to resume from, or None when it is corrupt or foreign (then it is set aside, see `set_aside`).

    Resuming treats such a file as absent: the run is recomputed instead of the command crashing on it.
    """
    from xorgrok.core.errors import InputError
    from xorgrok.core.io import read_record

    try:
        return read_record(path, required)
    except InputError as exc:
        set_aside(path, f"is not a usable run record ({str(exc).replace(str(path), '').strip()})")
        return None
