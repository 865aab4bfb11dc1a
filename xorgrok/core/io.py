"""The input/output layer every command shares: output paths checked before any work, files that belong
together written as a set, stale temporaries cleaned, JSON inputs validated when read.

Output paths. `check_output_file` / `check_output_dir` raise a one-line InputError naming the parameter when
the path cannot be written: an existing directory given as a file (or a file given as a directory), a path
under a regular file, a folder without write permission. Commands call them right after parsing, so nothing
is computed for a result that could not be saved.

File sets. `write_set({path: data, ...})` writes every member to a temporary in its own folder (fsynced),
then writes a journal `.<first>.set.json` listing the (temporary, final) pairs, then renames the members and
deletes the journal. A kill before the journal exists leaves the old set and orphan temporaries; a kill
after it is rolled forward by `recover(dir)` (called by every writer on start): the temporaries are complete
before the journal is written, so finishing the renames yields the new set. Either way a reader that runs
after `recover` sees the old set or the new one, never a mix.

Temporaries are named `.<name>.<pid>.<random>.tmp`; `clean_stale_temps` removes those whose process has
ended (and unnamed-pid ones older than an hour), never a temporary of a live writer.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xorgrok.core.errors import InputError

JOURNAL_SUFFIX = ".set.json"
_OLD_TMP_AGE_S = 3600.0


# ----------------------------------------------------------------------------------------------- paths
def _first_existing(path: Path) -> Path:
    p = path
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _check_parent_chain(name: str, path: Path) -> None:
    anc = _first_existing(path.parent if path.parent != path else path)
    if not anc.is_dir():
        raise InputError(f"{name}: cannot write {path}: {anc} is a regular file, not a directory")
    if not os.access(anc, os.W_OK | os.X_OK):
        raise InputError(f"{name}: cannot write {path}: directory {anc} is not writable")


def check_output_file(name: str, path: str | os.PathLike[str]) -> Path:
    """`path` as a Path if a file can be written there, else InputError naming `name` and the reason."""
    p = Path(path).expanduser()
    if str(path) == "" or p.name in ("", ".", ".."):
        raise InputError(f"{name}: {str(path)!r} is not a file name")
    if p.is_dir():
        raise InputError(f"{name}: {p} is an existing directory, expected a file path")
    if p.exists() and not os.access(p, os.W_OK):
        raise InputError(f"{name}: {p} exists and is not writable")
    _check_parent_chain(name, p)
    return p


def check_output_dir(name: str, path: str | os.PathLike[str]) -> Path:
    """`path` as a Path if it is (or can be created as) a writable directory, else InputError naming `name`."""
    p = Path(path).expanduser()
    if str(path) == "":
        raise InputError(f"{name}: '' is not a directory name")
    if p.exists() and not p.is_dir():
        raise InputError(f"{name}: {p} is a regular file, expected a directory")
    if p.is_dir():
        if not os.access(p, os.W_OK | os.X_OK):
            raise InputError(f"{name}: directory {p} is not writable")
        return p
    _check_parent_chain(name, p)
    return p


def prepare_output_dir(name: str, path: str | os.PathLike[str]) -> Path:
    """`check_output_dir`, then finish or drop what a killed writer left in it and in its direct subfolders
    (half-renamed file sets, orphan temporaries). Creates nothing."""
    p = check_output_dir(name, path)
    if p.is_dir():
        for d in [p, *(q for q in p.iterdir() if q.is_dir())]:
            recover(d)
    return p


def check_input_file(name: str, path: str | os.PathLike[str]) -> Path:
    p = Path(path).expanduser()
    if p.is_dir():
        raise InputError(f"{name}: {p} is a directory, expected a file")
    if not p.is_file():
        raise InputError(f"{name}: no such file {p}")
    if not os.access(p, os.R_OK):
        raise InputError(f"{name}: {p} is not readable")
    return p


# ----------------------------------------------------------------------------------------- temporaries
def temp_path(final: Path) -> Path:
    """A fresh, unused temporary beside `final` carrying this process's id (see `clean_stale_temps`)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.{os.getpid()}.", suffix=".tmp", dir=final.parent)
    os.close(fd)
    return Path(tmp)


def write_temp(final: Path, data: bytes) -> Path:
    """Write `data` to a new temporary beside `final`, flushed to disk; return its path."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(final)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results are meant to be shared
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else
        return True
    return True


def _tmp_pid(name: str) -> int | None:
    """The writer's pid in `.<name>.<pid>.<random>.tmp`, or None for temporaries of the older pattern."""
    parts = name[1:-4].split(".")
    if len(parts) >= 3 and parts[-2].isdigit():
        return int(parts[-2])
    return None


def clean_stale_temps(directory: str | os.PathLike[str]) -> list[Path]:
    """Remove `.*.tmp` files in `directory` left by writers that have ended; return what was removed."""
    d = Path(directory)
    if not d.is_dir():
        return []
    removed = []
    now = time.time()
    for f in d.iterdir():
        if not (f.name.startswith(".") and f.name.endswith(".tmp") and f.is_file()):
            continue
        pid = _tmp_pid(f.name)
        try:
            stale = (not _pid_alive(pid)) if pid is not None else now - f.stat().st_mtime > _OLD_TMP_AGE_S
        except OSError:
            continue
        if stale and not _in_journal(d, f):
            f.unlink(missing_ok=True)
            removed.append(f)
    return removed


def _in_journal(d: Path, f: Path) -> bool:
    for j in d.glob(f".*{JOURNAL_SUFFIX}"):
        try:
            pairs = json.loads(j.read_text(encoding="utf-8"))["pairs"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if any(Path(t).name == f.name for t, _ in pairs):
            return True
    return False


# ------------------------------------------------------------------------------------------- file sets
def _as_bytes(data: bytes | str) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8")


def recover(directory: str | os.PathLike[str]) -> list[Path]:
    """Finish the file sets a killed writer left half-renamed in `directory`; return the files completed.

    A journal whose writer is still alive is left alone. Stale temporaries are removed afterwards.
    """
    d = Path(directory)
    done: list[Path] = []
    if not d.is_dir():
        return done
    for j in sorted(d.glob(f".*{JOURNAL_SUFFIX}")):
        try:
            info = json.loads(j.read_text(encoding="utf-8"))
            pairs, pid = info["pairs"], int(info["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            j.unlink(missing_ok=True)  # written atomically, so unreadable means foreign: nothing to roll forward
            continue
        if pid != os.getpid() and _pid_alive(pid):
            continue
        for tmp, final in pairs:
            t, f = d / Path(tmp).name, d / Path(final).name
            if t.exists():
                os.replace(t, f)
                done.append(f)
        j.unlink(missing_ok=True)
    clean_stale_temps(d)
    return done


def write_set(files: Mapping[Path, bytes | str]) -> list[Path]:
    """Write several files that belong together (all in one directory) so a reader sees all old or all new.

    See the module docstring for the protocol. Returns the final paths in the order given.
    """
    finals = [Path(p) for p in files]
    if not finals:
        return []
    d = finals[0].parent
    if any(f.parent != d for f in finals):
        raise ValueError("write_set: every file of a set must be in the same directory")
    d.mkdir(parents=True, exist_ok=True)
    recover(d)
    temps: list[Path] = []
    journal = d / f".{finals[0].name}{JOURNAL_SUFFIX}"
    try:
        for f, data in zip(finals, files.values()):
            temps.append(write_temp(f, _as_bytes(data)))
        if len(finals) == 1:
            os.replace(temps[0], finals[0])
            return finals
        body = json.dumps({"pid": os.getpid(), "pairs": [[t.name, f.name] for t, f in zip(temps, finals)]})
        jtmp = write_temp(journal, body.encode("utf-8"))
        os.replace(jtmp, journal)
    except BaseException:
        for t in temps:
            t.unlink(missing_ok=True)
        raise
    for t, f in zip(temps, finals):
        os.replace(t, f)
    _fsync_dir(d)
    journal.unlink(missing_ok=True)
    return finals


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------- inputs
def read_json(path: str | os.PathLike[str], what: str) -> Any:
    """Parse the JSON file `path`; any failure is a one-line InputError naming the file and `what` it is."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} {p} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{what} {p} is a directory, expected a JSON file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{what} {p} cannot be read ({type(exc).__name__}: {exc})") from None
    if not text.strip():
        raise InputError(f"{what} {p} is empty")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InputError(f"{what} {p} is not valid JSON ({exc})") from None


def read_record(path: str | os.PathLike[str], required: tuple[str, ...] = ("config", "metrics")) -> dict[str, Any]:
    """A run record read back: a JSON object with the `required` keys, else InputError naming the file."""
    d = read_json(path, "run record")
    if not isinstance(d, dict):
        raise InputError(f"run record {path} is not a JSON object (got {type(d).__name__})")
    missing = [k for k in required if k not in d]
    if missing:
        raise InputError(f"run record {path} lacks the key(s) {', '.join(missing)}: not a record of this toolkit")
    return d
