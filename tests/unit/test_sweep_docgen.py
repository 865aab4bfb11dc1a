"""docs/tightness.md pieces: the class grid and the tightness table read the map they are given; --only xu
replaces the Xu'24 section and nothing else."""

import pytest

from xorgrok.core.errors import InputError
from xorgrok.sweep import presets
from xorgrok.sweep.docgen import grid_text, splice_section, tightness_rows


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


def test_xu_grid_shows_each_claims_frequency_and_the_pooled_ii_verdict():
    from xorgrok.sweep.docgen_xu import _claim_counts, xu_grid_text

    cells = []
    for k2 in (0.5, 2.0):
        for k1 in (0.5, 2.0):
            inside = k1 >= 1 and k2 >= 1
            cells.append({"k1": k1, "k2": k2, "class": "hold/FAIL" if inside else "fail/fail",
                          "assumptions_hold": inside, "claim_i_freq": 1.0, "claim_iii_freq": 0.0 if inside else None,
                          "claim_iii_ci_high": 0.6, "claim_ii_holds": k1 > 1,
                          # a frequency the (ii) counts must ignore: (ii) is read from claim_ii_holds only
                          "claim_ii_freq": 1.0})
    m = {"pair": ["k1", "k2"], "x": [0.5, 2.0], "y": [0.5, 2.0], "cells": cells, "n": 25}
    lines = xu_grid_text(m).splitlines()
    assert lines[2].split("|")[1].split() == [".", "1.0/x/", "-", "!", "1.0/+/.00"]
    k = _claim_counts([m], "claim_i")
    assert (k["in_hold"], k["in"], k["out_hold"], k["out"]) == (1, 1, 3, 3) and not k["candidates"]
    assert len(_claim_counts([m], "claim_iii")["candidates"]) == 1
    k = _claim_counts([m], "claim_ii")
    assert (k["in_hold"], k["out_hold"]) == (1, 1) and not k["candidates"]
    cells[3]["claim_ii_holds"] = False  # the in-box cell: now a (ii) candidate
    k = _claim_counts([m], "claim_ii")
    assert k["in_hold"] == 0 and [c for _, _, c in k["candidates"]] == [cells[3]]


HEAD = "## Xu et al. 2024 Theorem 3.1 in its literal regime"
DOC = "# T\n\n## A\n\ntext a\n\n" + HEAD + "\n\nold\n### sub\n\nold sub\n\n## Z\n\nz\n"


def test_splice_replaces_only_the_xu_section():
    out = splice_section(DOC, HEAD, [HEAD, "", "new", "### s", "", "new sub", ""])
    assert out == "# T\n\n## A\n\ntext a\n\n" + HEAD + "\n\nnew\n### s\n\nnew sub\n\n## Z\n\nz\n"
    # a section with no trailing blank line still leaves one before the next heading
    assert splice_section(DOC, HEAD, [HEAD, "x"]).endswith(HEAD + "\nx\n\n## Z\n\nz\n")


def test_splice_at_the_end_of_the_document_and_without_the_heading():
    doc = "# T\n\n" + HEAD + "\n\nold\n### sub\nold\n"
    assert splice_section(doc, HEAD, [HEAD, "", "new", ""]) == "# T\n\n" + HEAD + "\n\nnew\n"
    with pytest.raises(InputError, match="Xu et al"):
        splice_section("# T\n\n## A\n", HEAD, [HEAD])
    # a heading only as part of a longer line is not the section's start
    with pytest.raises(InputError):
        splice_section("# T\n" + HEAD + " (old)\n", HEAD, [HEAD])


def test_only_xu_rewrites_the_section_in_place(tmp_path, monkeypatch):
    from xorgrok.sweep import docgen

    calls = []

    def fake(quick, workers, progress, runs):
        calls.append(quick)
        return [HEAD, "", "fresh", ""], {}

    monkeypatch.setattr(docgen, "render_xu", fake)
    monkeypatch.setattr(docgen, "render", lambda *a, **k: pytest.fail("the whole document was rendered"))
    f = tmp_path / "t.md"
    f.write_text(DOC)
    assert docgen.main(["--only", "xu", "--quick", "--out", str(f), "--no-progress"]) == 0
    assert f.read_text() == "# T\n\n## A\n\ntext a\n\n" + HEAD + "\n\nfresh\n\n## Z\n\nz\n" and calls == [True]
    f.write_text("# T\n")
    with pytest.raises(InputError, match="Xu et al"):
        docgen.main(["--only", "xu", "--out", str(f)])
    assert f.read_text() == "# T\n" and calls == [True]  # refused before any sweep ran


def test_xu_pooled_ii_text_and_range():
    from xorgrok.sweep.docgen_xu import _ii_range, _ii_text

    inf = {"claim_ii_errors": 250, "claim_ii_points": 500, "claim_ii_err": 0.5, "claim_ii_ci_low": 0.455,
           "claim_ii_ci_high": 0.545, "claim_ii_c_allowed": float("inf")}
    fin = {**inf, "claim_ii_errors": 300, "claim_ii_err": 0.6, "claim_ii_c_allowed": 0.5713}
    assert _ii_text(inf).endswith("contains 1/2 (every c)") and _ii_text(fin).endswith("c <= 0.571")
    want = "1/2 pooled intervals contain 1/2; the smallest implied c among the others is 0.571"
    assert _ii_range([inf, fin, {}]) == want  # a cell without (ii) data is not counted
    assert _ii_range([inf]) == "1/1 pooled intervals contain 1/2"


def test_only_bench_rewrites_the_benchmark_section_from_the_stored_bench(tmp_path, monkeypatch):
    import json

    from xorgrok.sweep import docgen

    runs = tmp_path / "runs"
    (runs / "sweeps").mkdir(parents=True)
    (runs / "sweeps" / "bench.json").write_text(json.dumps({"text": "ratio in/cluster 9.99", "when": "W",
                                                            "load_before": 0.0}))
    monkeypatch.setenv("XORGROK_RUNS", str(runs))
    monkeypatch.setattr(docgen, "render", lambda *a, **k: pytest.fail("the whole document was rendered"))
    f = tmp_path / "t.md"
    f.write_text("# T\n\n## A\n\na\n\n## Engine benchmark\n\nold numbers\n\n## Z\n\nz\n")
    assert docgen.main(["--only", "bench", "--out", str(f)]) == 0
    text = f.read_text()
    assert "old numbers" not in text and "ratio in/cluster 9.99" in text and "Recorded W." in text
    assert text.startswith("# T\n\n## A\n\na\n\n## Engine benchmark\n") and text.endswith("## Z\n\nz\n")
    f.write_text("# T\n")
    with pytest.raises(InputError, match="Engine benchmark"):
        docgen.main(["--only", "bench", "--out", str(f)])
    assert f.read_text() == "# T\n"
