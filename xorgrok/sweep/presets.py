"""The sweeps behind the tightness maps and the hidden-constant fits (shared by figures and docs).

Maps: synthetic-U mode (gt-synthetic), p = 200 n, c1 at the paper's setting (eps = 0.05 at n = 400, p = 80,000
gives c1 = 0.72), c5 = 1 (m = ceil(2 ln^3 n)), and the two coordinates of the pair on geometric grids that
straddle the assumption box at C = 2; the third of (c2, c3, c4) sits inside the box.
Scaling: gt-scaling along n with p = 200 n and c3 = c4 = c5 = 1 (the theorem's boundary), either the paper's
eps = 0.05 (c1 then grows like log^(3/4) n and leaves (A1) near n = 10^4) or c1 fixed.
"""

from __future__ import annotations

import math
from typing import Any

from xorgrok.core.errors import check_choice

PAIRS = (("c2", "c4"), ("c3", "c4"), ("c2", "c3"))
C_MAP = 2.0
C1_PAPER = 0.05 / (400 / (80_000 * math.log(400) ** 3)) ** 0.25
INSIDE = {"c2": 1.0, "c3": 1.0, "c4": 1.4}  # a point inside the box at C = 2
# grids straddle each side of the box at C = 2 (c4 has two sides: 1 and C), with points inside it
GRIDS = {
    "c2": ((0.25, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0), (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 32.0)),
    "c3": ((0.05, 0.25, 1.0, 2.0, 4.0, 8.0, 16.0), (0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 8.0, 16.0)),
    "c4": ((0.1, 0.3, 0.7, 1.4, 4.0, 12.0, 30.0), (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.4, 2.0, 3.0, 4.0, 8.0, 16.0,
                                                   30.0)),
}


def map_spec(pair: tuple[str, str], n: int, quick: bool, seeds: int | None = None) -> dict[str, Any]:
    x, y = pair
    for c in pair:
        check_choice("map coordinate", c, tuple(GRIDS))
    fixed = {"n": n, "p": 200 * n, "c1": C1_PAPER, "c5": 1.0, "C": C_MAP, "delta_block_size": 24,
             **{c: v for c, v in INSIDE.items() if c not in pair}}
    return {"experiment": "gt-synthetic", "seeds": seeds or (2 if quick else 6), "fixed": fixed,
            "axes": {x: list(GRIDS[x][0 if quick else 1]), y: list(GRIDS[y][0 if quick else 1])}}


def scaling_spec(ns: list[int], path: str = "paper-eps", u: str = "synthetic", seeds: int = 4,
                 c2: float = 1.0, block_size: int = 40) -> dict[str, Any]:
    path = check_choice("path", path, ("paper-eps", "fixed-c1"))
    fixed: dict[str, Any] = {"u": u, "p_per_n": 200, "c3": 1.0, "c4": 1.0, "c5": 1.0, "C": C_MAP}
    fixed.update({"eps": 0.05} if path == "paper-eps" else {"c1": C1_PAPER})
    if u == "synthetic":
        fixed.update({"c2": c2, "delta_block_size": block_size})
    else:
        fixed.update({"weak_steps": 1000, "n_eval": 4000})
    return {"experiment": "gt-scaling", "seeds": seeds, "fixed": fixed, "axes": {"n": list(ns)}}


# Xu'24 literal regime (xu-literal): coordinates k1..k6 of sweep.xu_coords, box k >= C with C = 1 (verify's
# literal default); the coordinates not on the axes sit where verify puts them (k1 = k2 = 2^(1/4), k3 = 20,
# k4 = 1, k5 = 10, m = 1000).
XU_C = 1.0
XU_PAIRS = (("k1", "k2"), ("k4", "k5"), ("k3", "k6"))  # (A3) eta and (A6) m: inside the box at C = 1 throughout
XU_GRIDS = {
    "k1": ((0.25, 1.0, 4.0, 16.0), (0.1, 0.3, 1.0, 3.0, 10.0, 100.0)),
    "k2": ((0.25, 1.0, 4.0, 16.0), (0.1, 0.3, 1.0, 3.0, 10.0, 100.0)),
    "k4": ((1e-3, 0.1, 1.0, 10.0), (1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0)),
    "k5": ((0.01, 1.0, 100.0), (1e-3, 0.1, 1.0, 10.0, 1e3)),
    # k3 = 1/eta > 2 (eta < 1/2: labels still carry the signal); k6 = m / n^0.02, m = ceil(k6 n^0.02) >= 2
    "k3": ((2.5, 20.0, 1000.0), (2.5, 5.0, 10.0, 20.0, 100.0, 1000.0)),
    "k6": ((2.0, 30.0, 1000.0), (2.0, 3.0, 10.0, 30.0, 100.0, 1000.0)),
}
XU_NS = (25, 50, 100)
XU_SCALING_NS = (25, 50, 100, 200, 400)


def xu_map_spec(pair: tuple[str, str], n: int, quick: bool, seeds: int | None = None) -> dict[str, Any]:
    x, y = pair
    for c in pair:
        check_choice("map coordinate", c, tuple(XU_GRIDS))
    return {"experiment": "xu-literal", "seeds": seeds or (2 if quick else 4),
            "fixed": {"n": n, "C": XU_C, "test_size": 500},
            "axes": {x: list(XU_GRIDS[x][0 if quick else 1]), y: list(XU_GRIDS[y][0 if quick else 1])}}


def xu_scaling_spec(ns: list[int], seeds: int) -> dict[str, Any]:
    """verify's literal boundary (every default of xu-literal) along n."""
    return {"experiment": "xu-literal", "seeds": seeds, "fixed": {"C": XU_C, "test_size": 500},
            "axes": {"n": list(ns)}}


# scaling paths (figures constants and docs/tightness.md): synthetic U to n = 10^6 (the merged-neuron one step and
# the exact error are p-free: p enters only through p/n = 200), trained weak nets to n = 1600 in Gram space
SCALING_NS = ((100, 200, 400, 800, 1600), (100, 200, 400, 800, 1600, 3200, 6400, 10_000, 30_000, 100_000,
                                           300_000, 1_000_000))
TRAINED_NS = ((100, 200, 400), (100, 200, 400, 800, 1600))
ERR_C2 = (12.0, 20.0, 32.0)
GDATA_C2 = (0.5, 1.0)
GDATA_BLOCK = 24  # G_data's law is exact for any block size; smaller blocks keep the exact error sums cheap
LEVEL_XU = 0.95  # a claim holds in a cell at success frequency >= 0.95 (as the GrokTransfer maps)
# Xu'24 claim (ii) holds in a cell when its pooled t = 1 error allows 1/2 (1 ± n^-c) for some c >= this: the
# verdict model's C_MIN (xorgrok.verify.verdict), restated here because the sweep layer may not import verify
# (a test keeps the two equal)
XU_II_C_MIN = 0.01
