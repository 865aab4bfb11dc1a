"""Imports flow one way: a test that reads every module's imports with `ast` (not a grep) and checks them.

Layers, low to high (a module may import its own layer and the ones below it, never one above):

    core < data < models < train < theory < proofs < experiments < entry < figures

    core         xorgrok.core.*
    data         xorgrok.data.*
    models       xorgrok.models.*
    train        xorgrok.train.*, xorgrok.transfer   (GrokTransfer builds a target's init from a weak model:
                                                     it needs models only, and theory may check it)
    theory       xorgrok.theory.*, xorgrok.analysis.* (analysis/ntk is model math, like the theory checks)
    proofs       xorgrok.proofs.*                    (the sympy checks use theory; verify imports them)
    experiments  xorgrok.experiments.*, xorgrok.sweep.*
    entry        xorgrok.commands.*, xorgrok.verify.*, xorgrok.report.*, xorgrok.__main__, proofs_check.*,
                 xorgrok (the package __init__: the public API, which resolves its names lazily)
    figures      figures.*                           (plotting consumes everything; nothing consumes it)

Further rules, each a kind of violation:
  figures   a library module (xorgrok.*, proofs_check.*) imports `figures`;
  private   `from m import _name` or `m._name` on another project module (dunder names are not private);
  facade    a library module imports a non-dunder name from the `xorgrok` package itself: the facade
            resolves names lazily, which would hide the real (possibly upward) dependency; reading
            `xorgrok.__version__` is fine, the package __init__ imports nothing at import time;
  command   a command module is imported by anything but a `__main__` entry point (commands are leaves);
  alias     a module outside `proofs_check` imports it (a deprecated alias kept for `python -m proofs_check`);
  unmapped  a module that no layer names (a new subpackage must be placed in LAYERS deliberately).
Every import counts: module level, inside functions (lazy), under TYPE_CHECKING, relative (resolved), and
`importlib.import_module("literal")` / `__import__("literal")`.

KNOWN_VIOLATIONS lists what main still breaks; the test fails on anything not in it and on any entry that no
longer occurs, so the list can only shrink.
"""

from __future__ import annotations

import ast
import dataclasses
import pathlib
from collections.abc import Iterable, Sequence

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOPS = ("xorgrok", "figures", "proofs_check")
LIBRARY = ("xorgrok", "proofs_check")
FACADE = "xorgrok"
ALIASES = ("proofs_check",)

# (layer, patterns): "a.b.*" is the package a.b and everything below it; a bare name matches that module only.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("xorgrok.core.*",)),
    ("data", ("xorgrok.data.*",)),
    ("models", ("xorgrok.models.*",)),
    ("train", ("xorgrok.train.*", "xorgrok.transfer")),
    ("theory", ("xorgrok.theory.*", "xorgrok.analysis.*")),
    ("proofs", ("xorgrok.proofs.*",)),
    ("experiments", ("xorgrok.experiments.*", "xorgrok.sweep.*")),
    ("entry", ("xorgrok.commands.*", "xorgrok.verify.*", "xorgrok.report.*", "xorgrok.__main__", "xorgrok",
               "proofs_check.*")),
    ("figures", ("figures.*",)),
)

# Accepted exceptions, (importer, imported module or name): none. Adding one needs a reason beside it.
KNOWN_VIOLATIONS: frozenset[tuple[str, str]] = frozenset()


@dataclasses.dataclass(frozen=True)
class Violation:
    kind: str
    importer: str
    target: str
    line: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.importer, self.target)

    def __str__(self) -> str:
        return f"{self.kind}: {self.importer} (line {self.line}) -> {self.target}"


@dataclasses.dataclass(frozen=True)
class Module:
    name: str
    path: pathlib.Path
    is_package: bool

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


def collect_modules(root: pathlib.Path, tops: Iterable[str]) -> dict[str, Module]:
    mods = {}
    for top in tops:
        for path in sorted((root / top).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_pkg = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_pkg else parts)
            mods[name] = Module(name, path, is_pkg)
    return mods


def layer_of(name: str, layers: Sequence[tuple[str, tuple[str, ...]]]) -> int | None:
    for rank, (_, patterns) in enumerate(layers):
        for pat in patterns:
            if pat.endswith(".*"):
                base = pat[:-2]
                if name == base or name.startswith(base + "."):
                    return rank
            elif name == pat:
                return rank
    return None


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


@dataclasses.dataclass(frozen=True)
class Edge:
    """One imported thing: `module` (a project module) and optionally `name` (an attribute of it)."""

    module: str
    name: str | None
    line: int


def _from_base(mod: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = mod.package.split(".")
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def edges_of(mod: Module, modules: dict[str, Module], tops: Sequence[str]) -> list[Edge]:
    """Every project import of `mod`, anywhere in the file, plus `m._name` uses of imported project modules."""
    tree = ast.parse(mod.path.read_text(), filename=str(mod.path))
    ours = tuple(tops)

    def in_project(name: str) -> bool:
        return name.split(".")[0] in ours

    edges: list[Edge] = []
    bound: dict[str, str] = {}  # local name -> project module it refers to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if in_project(a.name):
                    edges.append(Edge(a.name, None, node.lineno))
                    if a.asname:
                        bound[a.asname] = a.name
                    else:
                        bound[a.name.split(".")[0]] = a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(mod, node)
            if not in_project(base):
                continue
            for a in node.names:
                sub = f"{base}.{a.name}"
                if sub in modules:
                    edges.append(Edge(sub, None, node.lineno))
                    bound[a.asname or a.name] = sub
                else:
                    edges.append(Edge(base, None if a.name == "*" else a.name, node.lineno))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            f = node.func
            fname = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            target = node.args[0].value
            if fname in ("import_module", "__import__") and isinstance(target, str) and in_project(target):
                edges.append(Edge(target, None, node.lineno))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        chain: list[str] = []
        cur: ast.expr = node
        while isinstance(cur, ast.Attribute):
            chain.append(cur.attr)
            cur = cur.value
        if not isinstance(cur, ast.Name) or cur.id not in bound:
            continue
        target = bound[cur.id]
        for attr in reversed(chain):
            if f"{target}.{attr}" in modules:
                target = f"{target}.{attr}"
                continue
            if _is_private(attr):
                edges.append(Edge(target, attr, node.lineno))
            break
    return edges


def find_violations(
    root: pathlib.Path,
    tops: Sequence[str] = TOPS,
    layers: Sequence[tuple[str, tuple[str, ...]]] = LAYERS,
    library: Sequence[str] = LIBRARY,
    facade: str = FACADE,
    aliases: Sequence[str] = ALIASES,
) -> list[Violation]:
    modules = collect_modules(root, tops)
    found: set[Violation] = set()
    for mod in modules.values():
        here = layer_of(mod.name, layers)
        if here is None:
            found.add(Violation("unmapped", mod.name, "(no layer)", 0))
            continue
        is_lib = mod.name.split(".")[0] in library
        for e in edges_of(mod, modules, tops):
            if e.module == mod.name:
                continue
            full = e.module if e.name is None else f"{e.module}.{e.name}"
            if e.name is not None and _is_private(e.name):
                found.add(Violation("private", mod.name, full, e.line))
                continue
            if e.module == facade and mod.name.split(".")[0] == facade:
                if e.name is None or _is_dunder(e.name):
                    continue  # the package itself: its metadata, nothing imported behind it
                if mod.name != facade:
                    found.add(Violation("facade", mod.name, full, e.line))
                continue
            top = e.module.split(".")[0]
            alias = next((a for a in aliases if e.module == a or e.module.startswith(a + ".")), None)
            if alias is not None and not (mod.name == alias or mod.name.startswith(alias + ".")):
                found.add(Violation("alias", mod.name, e.module, e.line))
                continue
            if is_lib and top not in library:
                found.add(Violation("figures", mod.name, e.module, e.line))
                continue
            there = layer_of(e.module, layers)
            if there is not None and there > here:
                found.add(Violation("upward", mod.name, e.module, e.line))
                continue
            parts = e.module.split(".")
            if (len(parts) > 2 and parts[:2] == [facade, "commands"] and not mod.name.endswith(".__main__")
                    and mod.name != f"{facade}.__main__"):
                found.add(Violation("command", mod.name, e.module, e.line))
    return sorted(found, key=lambda v: (v.importer, v.target, v.kind))


def compare(found: Iterable[Violation], known: frozenset[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(new violations, stale KNOWN entries) as printable lines."""
    found = list(found)
    keys = {v.key for v in found}
    new = [str(v) for v in found if v.key not in known]
    stale = [f"{imp} -> {tgt} no longer occurs: remove it from KNOWN_VIOLATIONS" for imp, tgt in sorted(known - keys)]
    return new, stale


# ---------------------------------------------------------------- the package itself


def test_imports_flow_one_way():
    new, stale = compare(find_violations(ROOT), KNOWN_VIOLATIONS)
    assert not new, "import rule broken:\n" + "\n".join(new)
    assert not stale, "\n".join(stale)


def test_real_tree_with_injected_violations_fails(tmp_path):
    """The package's own table catches a planted upward import, a lazy figures import and a private name."""
    import shutil

    for top in TOPS:
        shutil.copytree(ROOT / top, tmp_path / top, ignore=shutil.ignore_patterns("__pycache__"))
    base = tmp_path / "xorgrok" / "data" / "base.py"
    base.write_text(base.read_text() + "\n\ndef _planted():\n    from ..experiments import xor\n    import figures\n"
                    "    from xorgrok.core.seeding import _planted_private\n")
    new, stale = compare(find_violations(tmp_path), KNOWN_VIOLATIONS)
    assert not stale
    assert sorted(line.split(" (line")[0] for line in new) == [
        "figures: xorgrok.data.base", "private: xorgrok.data.base", "upward: xorgrok.data.base"]


def test_layers_name_existing_packages():
    """A pattern that matches nothing is a typo or a removed package: the table must describe the tree."""
    names = collect_modules(ROOT, TOPS)
    speculative = {"xorgrok.sweep.*"}  # a planned package, placed in advance
    for _, patterns in LAYERS:
        for pat in patterns:
            if pat in speculative:
                continue
            base = pat[:-2] if pat.endswith(".*") else pat
            assert any(n == base or n.startswith(base + ".") for n in names), pat


# ---------------------------------------------------------------- the checker, on synthetic packages

MINI_LAYERS = (("low", ("pkg.low.*",)), ("mid", ("pkg.mid.*", "pkg")), ("high", ("pkg.high.*",)),
               ("entry", ("pkg.commands.*",)), ("plots", ("plots.*",)))


def _tree(root: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    base = {"pkg/__init__.py": "__version__ = '1'\n", "pkg/low/__init__.py": "", "pkg/mid/__init__.py": "",
            "pkg/high/__init__.py": "", "pkg/commands/__init__.py": "", "plots/__init__.py": "",
            "plots/style.py": "X = 1\n"}
    for rel, text in {**base, **files}.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def _mini(root: pathlib.Path, files: dict[str, str]) -> set[tuple[str, str, str]]:
    _tree(root, files)
    return {(v.kind, v.importer, v.target) for v in
            find_violations(root, tops=("pkg", "plots"), layers=MINI_LAYERS, library=("pkg",), facade="pkg",
                            aliases=("plots.legacy",))}


CLEAN = {
    "pkg/low/a.py": "import math\nfrom pkg import __version__\n\ndef _helper():\n    return 1\n",
    "pkg/mid/b.py": "from pkg.low import a\nfrom ..low.a import __doc__ as d\nimport pkg.low.a as la\n",
    "pkg/high/c.py": "from pkg.mid.b import la\nfrom . import d\nimport pkg.mid.b\nx = pkg.mid.b.la\n",
    "pkg/high/d.py": "import importlib\nM = importlib.import_module('pkg.low.a')\n",
    "plots/fig.py": "from pkg.high import c\nfrom plots.style import X\n",
}


def test_checker_accepts_a_clean_package(tmp_path):
    assert _mini(tmp_path, CLEAN) == set()


@pytest.mark.parametrize(("src", "expected"), [
    # an upward import at module level, inside a function (lazy), relative, and dynamic
    ("from pkg.high import c\n", {("upward", "pkg.low.a", "pkg.high.c")}),
    ("def f():\n    from pkg.mid import b\n    return b\n", {("upward", "pkg.low.a", "pkg.mid.b")}),
    ("from ..high.c import x\n", {("upward", "pkg.low.a", "pkg.high.c")}),
    ("from .. import high\n", {("upward", "pkg.low.a", "pkg.high")}),
    ("import importlib\nm = importlib.import_module('pkg.high.c')\n", {("upward", "pkg.low.a", "pkg.high.c")}),
    ("import pkg.high.c as hc\n", {("upward", "pkg.low.a", "pkg.high.c")}),
    # the library imports the plotting package
    ("def f():\n    import plots.style\n", {("figures", "pkg.low.a", "plots.style")}),
    # private names across modules, by from-import and by attribute
    ("from pkg.low.z import _h\n", {("private", "pkg.low.a", "pkg.low.z._h")}),
    ("from . import z\ny = z._h()\n", {("private", "pkg.low.a", "pkg.low.z._h")}),
    ("import pkg.low.z\ny = pkg.low.z._h\n", {("private", "pkg.low.a", "pkg.low.z._h")}),
    # a name taken from the lazy facade instead of its module; a command imported by a library module
    ("from pkg import thing\n", {("facade", "pkg.low.a", "pkg.thing")}),
    ("from pkg.commands import run\n", {("upward", "pkg.low.a", "pkg.commands.run")}),
])
def test_checker_rejects(tmp_path, src, expected):
    files = {"pkg/low/a.py": src, "pkg/low/z.py": "def _h():\n    return 0\n", "pkg/high/c.py": "x = 1\n",
             "pkg/mid/b.py": "", "pkg/commands/run.py": "def main(argv=None):\n    return 0\n"}
    assert _mini(tmp_path, files) == expected


def test_checker_commands_are_leaves(tmp_path):
    files = {"pkg/commands/run.py": "from pkg.commands import other\n", "pkg/commands/other.py": "",
             "pkg/commands/__main__.py": "from pkg.commands import run\n"}
    assert _mini(tmp_path, files) == {("command", "pkg.commands.run", "pkg.commands.other")}


def test_checker_flags_imports_of_an_alias_package(tmp_path):
    files = {"plots/legacy.py": "from plots.style import X\n", "plots/fig.py": "import plots.legacy\n"}
    assert _mini(tmp_path, files) == {("alias", "plots.fig", "plots.legacy")}


def test_checker_flags_unmapped_modules(tmp_path):
    assert _mini(tmp_path, {"pkg/extra.py": ""}) == {("unmapped", "pkg.extra", "(no layer)")}


def test_known_list_can_only_shrink():
    v = [Violation("upward", "pkg.low.a", "pkg.high.c", 3)]
    assert compare(v, frozenset({("pkg.low.a", "pkg.high.c")})) == ([], [])
    new, stale = compare(v, frozenset())
    assert new and not stale
    new, stale = compare([], frozenset({("pkg.low.a", "pkg.high.c")}))
    assert not new and stale
