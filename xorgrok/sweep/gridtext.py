"""Plain-text class grids of a stored map, shared by the GrokTransfer and Xu'24 sections of docs/tightness.md."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

SYMBOL = {"hold/hold": "#", "hold/FAIL": "!", "fail/hold": "o", "fail/fail": ".", "no data": "?"}


def class_grid(m: dict[str, Any], width: int, cell: Callable[[dict[str, Any]], str]) -> str:
    """One line per y value (largest first), one right-aligned `cell(c)` of `width` characters per x value."""
    x, y = m["pair"]
    by = {(c[x], c[y]): c for c in m["cells"]}
    corner = f"{y} \\ {x}"
    head = f"{corner:>10} | " + " ".join(f"{v:>{width}g}" for v in m["x"])
    lines = [head, "-" * len(head)]
    for yv in reversed(m["y"]):
        lines.append(f"{yv:>10g} | " + " ".join(f"{cell(by[(xv, yv)]):>{width}}" for xv in m["x"]))
    return "\n".join(lines)
