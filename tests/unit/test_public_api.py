"""The public API: `xorgrok` re-exports the user's names lazily; the README's Python example runs."""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import pathlib
import pkgutil
import subprocess
import sys

import pytest

import xorgrok

ROOT = pathlib.Path(__file__).resolve().parents[2]
INIT = ROOT / "xorgrok" / "__init__.py"


def _exports() -> dict[str, str]:
    """The name -> "module:attr" table, read from the source (the test does not reach into private state)."""
    for node in ast.parse(INIT.read_text()).body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "_EXPORTS":
            return ast.literal_eval(node.value)
    raise AssertionError("no _EXPORTS table in xorgrok/__init__.py")


def _type_checking_imports() -> dict[str, str]:
    out = {}
    for node in ast.parse(INIT.read_text()).body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom)
                out.update({a.asname or a.name: f"{imp.module}:{a.name}" for a in imp.names})
    return out


@pytest.mark.parametrize("name", xorgrok.__all__)
def test_every_exported_name_resolves(name):
    value = getattr(xorgrok, name)
    assert value is not None
    if name in _exports():
        module, _, attr = _exports()[name].partition(":")
        assert value is getattr(importlib.import_module(module), attr)


def test_all_dir_and_table_agree():
    table = _exports()
    assert set(xorgrok.__all__) == {"__version__", *table}
    assert set(xorgrok.__all__) <= set(dir(xorgrok))
    assert _type_checking_imports() == table  # what type checkers see is what the table returns
    for name, target in table.items():
        module, _, attr = target.partition(":")
        assert module.startswith("xorgrok.") and not attr.startswith("_"), name
    ns: dict[str, object] = {}
    exec("from xorgrok import *", ns)
    assert set(xorgrok.__all__) <= set(ns)


def test_no_export_is_shadowed_by_a_submodule():
    """`import xorgrok.X` sets attribute X on the package, which would hide an exported name X."""
    subs = {m.name for m in pkgutil.iter_modules([str(ROOT / "xorgrok")])}
    assert subs and not subs & set(xorgrok.__all__)


def test_unknown_name_is_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        xorgrok.no_such_name  # noqa: B018


def test_import_is_cheap_and_free_of_side_effects():
    code = ("import sys; import xorgrok; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('xorgrok', 'torch', 'numpy', 'figures')))")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and res.stderr == ""
    assert res.stdout.strip() == "['xorgrok']"


def _readme_block() -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_readme_example_runs_as_written():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_readme_block(), "README.md (Use it from Python)", "exec"), {"__name__": "readme"})
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("(400, 10000)")
    assert lines[1].startswith("weak net: test accuracy ") and lines[2].startswith("target: width m = 431")
    assert [ln.split(")")[0] for ln in lines[3:]] == ["(A1", "(A3", "(A4", "(A5"]
    assert all(("holds" in ln) != ("fails" in ln) for ln in lines[3:])
