"""One seed scheme: every stream name in the source is registered, and no two streams of one seed coincide."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from xorgrok.core.seeding import STREAMS, derive, torch_gen

ROOT = Path(__file__).resolve().parents[2]
SEEDING_CALLS = {"derive", "numpy_rng", "torch_gen"}


def _stream_names_in_source() -> dict[str, list[str]]:
    """Stream names in the package and the figures: the first string key of every derive / numpy_rng /
    torch_gen call, every `stream="..."` argument, and every default of a parameter named `stream`."""
    found: dict[str, list[str]] = {}

    def add(value: ast.expr | None, path: Path, line: int) -> None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            found.setdefault(value.value, []).append(f"{path.relative_to(ROOT)}:{line}")

    for path in sorted([*(ROOT / "xorgrok").rglob("*.py"), *(ROOT / "figures").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if name in SEEDING_CALLS and len(node.args) >= 2:
                    add(node.args[1], path, node.lineno)
                for kw in node.keywords:
                    if kw.arg == "stream":
                        add(kw.value, path, node.lineno)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args
                pos = args.posonlyargs + args.args
                for arg, default in zip(pos[len(pos) - len(args.defaults):], args.defaults, strict=True):
                    if arg.arg == "stream":
                        add(default, path, node.lineno)
                for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
                    if arg.arg == "stream":
                        add(default, path, node.lineno)
    return found


def test_the_source_uses_named_streams_and_every_name_is_registered():
    used = _stream_names_in_source()
    # the beyond-XOR draws (FNN init, splits, B, test sets) are among them
    for name in ("fnn-weak", "fnn-target", "modular-split", "parity-train", "parity-test", "transfer-B",
                 "random-ab-A", "mnist-split", "mnist-weak", "mnist-target", "transformer"):
        assert name in used, name
    unregistered = {n: where for n, where in used.items() if n not in STREAMS}
    assert not unregistered, f"register these stream names in core/seeding.STREAMS: {unregistered}"


def test_no_generator_is_seeded_outside_the_named_streams():
    """No `manual_seed(` / `default_rng(` with a raw seed in the beyond-XOR modules (all go through derive)."""
    modules = ["data/modular.py", "data/parity.py", "data/mnist.py", "transfer.py", "models/fnn.py",
               "models/mlp.py", "experiments/fnn.py", "experiments/transformer.py", "experiments/mnist.py"]
    for rel in modules:
        text = (ROOT / "xorgrok" / rel).read_text(encoding="utf-8")
        assert "manual_seed(" not in text and "default_rng(" not in text and "+ 7_777_777" not in text, rel


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**62))
def test_no_two_registered_streams_of_one_seed_coincide(seed):
    children = {name: derive(seed, name) for name in STREAMS}
    assert len(set(children.values())) == len(children)
    # nor does any stream equal the bare seed, or the stream of another root seed named the same
    assert seed not in children.values()
    assert all(derive(seed + 1, name) != child for name, child in children.items())


def test_distinct_streams_give_distinct_draws():
    """The child seeds are used as generator seeds: the first draws of two streams differ too."""
    first = {name: torch.rand(4, generator=torch_gen(0, name)) for name in STREAMS}
    rows = np.stack([v.numpy() for v in first.values()])
    assert len({tuple(r) for r in rows}) == len(rows)


def test_registry_is_read_only():
    try:
        STREAMS["x"] = "y"  # type: ignore[index]
    except TypeError:
        return
    raise AssertionError("STREAMS must be read-only")
