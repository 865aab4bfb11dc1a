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


def test_xu_grid_shows_each_claims_frequency_and_the_class():
    from xorgrok.sweep.docgen_xu import _claim_counts, xu_grid_text

    cells = []
    for k2 in (0.5, 2.0):
        for k1 in (0.5, 2.0):
            inside = k1 >= 1 and k2 >= 1
            cells.append({"k1": k1, "k2": k2, "class": "hold/FAIL" if inside else "fail/fail",
                          "assumptions_hold": inside, "claim_i_freq": 1.0, "claim_ii_freq": 0.5,
                          "claim_iii_freq": 0.0 if inside else None, "claim_iii_ci_high": 0.6})
    m = {"pair": ["k1", "k2"], "x": [0.5, 2.0], "y": [0.5, 2.0], "cells": cells, "n": 25}
    lines = xu_grid_text(m).splitlines()
    assert lines[2].split("|")[1].split() == [".", "1.0/.50/", "-", "!", "1.0/.50/.00"]
    k = _claim_counts([m], "claim_i")
    assert (k["in_hold"], k["in"], k["out_hold"], k["out"]) == (1, 1, 3, 3) and not k["candidates"]
    assert len(_claim_counts([m], "claim_iii")["candidates"]) == 1
