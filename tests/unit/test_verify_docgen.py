"""docs/verify.md generator: every check id maps to code and tests, and the verdicts come from the report."""

from xorgrok.verify import docgen


def test_every_check_id_has_code_and_tests():
    missing = docgen.all_ids() - set(docgen.UNITS)
    assert not missing, missing


def test_render_copies_verdicts_from_the_report():
    gt = [{"id": "A3", "kind": "precondition", "title": "t", "source": "s", "holds": False, "status": "fails",
           "measured": "x | y"},
          {"id": "thm-3.2-freq", "kind": "claim", "title": "t", "source": "s", "holds": None,
           "status": "not-applicable", "preconditions_failing": ["A3"], "measured": "7/20 runs fail"},
          {"id": "lemma-A.4", "kind": "lemma", "title": "t", "source": "s", "holds": True, "status": "holds",
           "measured": "exact"},
          {"id": "sym:gt-shapes", "kind": "symbolic", "title": "t", "source": "s", "holds": True, "status": "holds",
           "measured": "m", "note": "V is 3 x m"}]
    xu = [{"id": "xu-B3", "kind": "lemma", "title": "t", "source": "s", "holds": None, "status": "info",
           "measured": "z"}]
    md = docgen.render(gt, xu, 1.0, 2.0, "now")
    assert "| `A3` | precondition |" in md and "| **fails** | x \\| y |" in md
    assert "| n/a (outside) (A3) | 7/20 runs fail |" in md
    assert "Failing preconditions at the default setting: A3" in md
    assert "Conclusions: 1 holds, 0 fails, 1 not-applicable, 0 undecided, 0 info. Preconditions: 0 hold, 1 fail." in md
    assert "| `xu-B3` |" in md and "| info |" in md and "V is 3 x m" in md


def test_render_variants_table_reads_statuses():
    chk = [{"id": "A2", "kind": "precondition", "holds": False, "status": "fails", "measured": ""},
           {"id": "thm-3.2-freq", "kind": "claim", "holds": None, "status": "not-applicable", "measured": "0/20"}]
    md = docgen.render([], [], 1.0, 1.0, "now", variants=[("v", chk)])
    assert "| v | A2 | n/a (outside): 0/20 |" in md


def test_render_sweeps_table():
    chk = {"id": "sweep:m:A5:lemma-A.4", "kind": "sweep", "figures": {
        "assumption_boundary": 430.2, "ratio": 0.5, "values": [20, 1000], "first_failure": 20,
        "mostly_failing": 20, "consequence": "lemma-A.4 counts",
        "consequence_by_value": [{"k": 0, "n": 5}, {"k": 5, "n": 5}]}}
    md = docgen.render([], [], 1.0, 1.0, "now", sweeps=[(["--sweep", "m=20:1000"], [chk])])
    assert "| `--sweep m=20:1000` | (A5) 430.2 | lemma-A.4 counts (20: 0/5, 1000: 5/5) | 20 / 20 | 0.5 |" in md
    chk["figures"]["other_failing"] = ["A3"]
    md = docgen.render([], [], 1.0, 1.0, "now", sweeps=[(["--sweep", "m=20:1000"], [chk])])
    assert "| 0.5 | A3 |" in md


def test_render_from_saved_reports(tmp_path):
    import json

    gt = [{"id": "A1", "kind": "precondition", "title": "t", "source": "s", "holds": True, "status": "holds",
           "measured": "m1"}]
    (tmp_path / "gt.json").write_text(json.dumps(gt))
    (tmp_path / "walls.json").write_text(json.dumps({"gt": 12.0, "xu": 34.0}))
    out = tmp_path / "v.md"
    assert docgen.main(["--from-dir", str(tmp_path), "--out", str(out)]) == 0
    md = out.read_text()
    assert "| `A1` | precondition |" in md and "default set in 12 s" in md and "default set in 34 s" in md


def test_render_synthetic_section_reads_statuses():
    syn = [{"id": "gt-pre-features", "kind": "precondition", "title": "t", "source": "s", "holds": True,
            "status": "holds", "measured": "synthetic U"},
           {"id": "thm-3.2-core", "kind": "claim", "title": "t", "source": "s", "holds": True, "status": "holds",
            "measured": "0 errors among 9 eligible cases"}]
    md = docgen.render([], [], 1.0, 1.0, "now", synthetic=syn, synthetic_wall=3.0)
    assert "### Theorem 3.2 inside its hypotheses: synthetic U (`--u synthetic" in md
    assert "Conclusions: 1 holds, 0 fails, 0 not-applicable, 0 undecided, 0 info. Preconditions: 1 hold, 0 fail." in md
    assert "Failing preconditions: none." in md and "| `thm-3.2-core` | claim |" in md
    assert "### Theorem 3.2 inside" not in docgen.render([], [], 1.0, 1.0, "now")


def test_render_sweeps_two_sided_assumption_says_where_it_holds():
    chk = {"id": "sweep:alpha:A4:thm-3.2", "kind": "sweep", "figures": {
        "assumption_boundary": None, "assumption_holds": [False, True, False], "ratio": None,
        "values": [0.3, 0.9, 3.0], "first_failure": None, "mostly_failing": None, "consequence": "thm-3.2 success",
        "consequence_by_value": [{"k": 5, "n": 5}] * 3}}
    md = docgen.render([], [], 1.0, 1.0, "now", sweeps=[(["--sweep", "alpha=0.3:3"], [chk])])
    assert "| (A4) no single flip; holds at 0.9 |" in md
