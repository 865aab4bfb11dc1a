"""docs/verify.md generator: every check id maps to code and tests, and the verdicts come from the report."""

from xorgrok.verify import docgen


def test_every_check_id_has_code_and_tests():
    missing = docgen.all_ids() - set(docgen.UNITS)
    assert not missing, missing


def test_render_copies_verdicts_from_the_report():
    gt = [{"id": "A3", "kind": "assumption", "title": "t", "source": "s", "holds": False, "measured": "x | y"},
          {"id": "sym:gt-shapes", "kind": "symbolic", "title": "t", "source": "s", "holds": True,
           "measured": "m", "note": "V is 3 x m"}]
    xu = [{"id": "xu-B3", "kind": "lemma", "title": "t", "source": "s", "holds": None, "measured": "z"}]
    md = docgen.render(gt, xu, 1.0, 2.0, "now")
    assert "| `A3` | assumption |" in md and "**fails**" in md and "x \\| y" in md
    assert "outside** the theorem's assumptions at C = 1: A3" in md
    assert "| `xu-B3` |" in md and "| info |" in md and "V is 3 x m" in md


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
