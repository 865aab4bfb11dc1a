"""docs/tightness.md pieces: the class grid and the tightness table read the map they are given."""

from xorgrok.sweep import presets
from xorgrok.sweep.docgen import grid_text, tightness_rows


def _map(pair, xs, ys, freq):
    cells = []
    for yv in ys:
        for xv in xs:
            f = freq(xv, yv)
            cells.append({pair[0]: xv, pair[1]: yv, "success_freq": f, "class": "hold/hold" if f >= 0.95 else
                          "fail/fail"})
    return {"pair": list(pair), "x": xs, "y": ys, "cells": cells}


def test_grid_and_two_sided_edges():
    xs, ys = [0.5, 1.0, 2.0, 4.0, 8.0], [0.1, 0.3, 1.0, 1.4, 3.0, 10.0]
    window = lambda x, y: 1.0 if (x <= 2.0 and 0.3 <= y <= 3.0) else 0.0  # noqa: E731
    maps = {("c2", "c4"): _map(("c2", "c4"), xs, ys, window),
            ("c3", "c4"): _map(("c3", "c4"), xs, ys, window)}
    text = grid_text(maps[("c2", "c4")])
    assert text.count("#") == 3 * 4 and "c4 \\ c2" in text.splitlines()[0]
    rows = tightness_rows(maps)
    a2, a4_up, a4_low = rows[2], rows[4], rows[5]
    assert "between 2 and 4" in a2
    assert "between 0.1 and 0.3" in a4_up and "conservative" in a4_up  # success down to c4 = 0.3 < 1
    assert "between 3 and 10" in a4_low and presets.C_MAP == 2.0
