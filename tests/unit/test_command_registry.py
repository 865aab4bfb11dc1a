"""`python -m xorgrok`: one registry lists and dispatches every command."""

from __future__ import annotations

import importlib
import pathlib
import re
import subprocess
import sys

import pytest

import xorgrok.__main__ as entry
from xorgrok.commands import COMMANDS, by_name, listing

ROOT = pathlib.Path(__file__).resolve().parents[2]
NAMES = [c.name for c in COMMANDS]


def _python_m(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xorgrok", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_names_unique_and_described():
    assert len(set(NAMES)) == len(NAMES)
    for c in COMMANDS:
        assert re.fullmatch(r"[a-z][a-z0-9_-]*", c.name), c.name
        assert c.help.strip() and "\n" not in c.help, c.name
        assert by_name(c.name) is c
    assert by_name("nosuch") is None


def test_every_command_file_is_registered():
    files = {p.stem for p in (ROOT / "xorgrok" / "commands").glob("*.py") if p.stem != "__init__"}
    registered = {c.module.rsplit(".", 1)[-1] for c in COMMANDS if c.module.startswith("xorgrok.commands.")}
    assert files - registered == set(), "command modules missing from the registry"


@pytest.mark.parametrize("name", NAMES)
def test_module_imports_and_has_main(name):
    mod = importlib.import_module(by_name(name).module)
    assert callable(getattr(mod, "main", None))


@pytest.mark.parametrize("name", NAMES)
def test_help_exits_0(name, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # --help must write nothing, anywhere
    with pytest.raises(SystemExit) as e:
        entry.main([name, "--help"])
    assert e.value.code in (0, None)
    assert "usage" in capsys.readouterr().out.lower()
    assert list(tmp_path.iterdir()) == []


def test_listing_names_every_command():
    res = _python_m()
    assert res.returncode == 0 and res.stderr == ""
    assert res.stdout.strip() == listing().strip()
    listed = re.findall(r"^  (\S+)  +\S", res.stdout, flags=re.M)
    assert listed == NAMES


def test_unknown_command_exits_2_with_one_line():
    res = _python_m("nosuch")
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.count("\n") == 1 and "nosuch" in res.stderr and "Traceback" not in res.stderr


def test_help_subprocess_dispatches():
    """The in-process --help tests above go through the same `main`; one real `python -m` shows the wiring."""
    res = _python_m("proofs", "--help")
    assert res.returncode == 0 and "usage" in res.stdout.lower()


def test_docs_name_only_registered_commands():
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    used = {m for p in texts for m in re.findall(r"python -m xorgrok ([a-z][a-z0-9_-]*)", p.read_text())}
    assert used and used <= set(NAMES), used - set(NAMES)
