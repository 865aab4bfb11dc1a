"""The report generator: one row per claim in its list, the stored measurements, --only carrying rows over,
and every XOR claim measured in quick mode (tiny sizes) with a valid verdict."""

from __future__ import annotations

import json

import pytest

from xorgrok.report import Claim, Measurement
from xorgrok.report import __main__ as gen

_XOR = {"n": 60, "p": 400, "weak_steps": 60}
TINY = {  # ReportContext.overrides['xor']: per setting of claims_xor (a field a setting lacks is an error)
    "fig4": {**_XOR, "m_normal": 32, "normal_steps": 30, "n_test": 50, "n_eval": 300, "coords": 5},
    "fig5": {**_XOR, "n_scatter": 100, "n_b": 40, "ps": (200, 400, 800), "p_c": 200, "ns": (30, 60, 120),
             "epss": (1 / 40, 1 / 80)},
    "fig9": {**_XOR, "n_test": 50, "n_eval": 300, "target_steps": 5},
    "ladder": {**_XOR, "n_test": 50, "n_eval": 300, "coords": 5, "n_scatter": 100, "target_steps": 5},
    "xu": {"n": 60, "p": 400, "m": 40, "n_test": 50, "steps_large": 16, "steps_small": 40},
}


def _fake(n: int, tag: str = "a") -> list[Claim]:
    return [Claim(f"fake-{i}", f"claim {i} | with a pipe", "src", f"cmd {i}",
                  lambda q, i=i, tag=tag: Measurement(f"value {tag}{i}", "reproduced" if i % 2 else "differs", "w"))
            for i in range(n)]


def test_every_claim_has_a_row(tmp_path, monkeypatch):
    claims = _fake(5)
    monkeypatch.setattr(gen, "all_claims", lambda: claims)
    out = tmp_path / "r.md"
    assert gen.main(["--out", str(out)]) == 0
    text = out.read_text()
    assert text.count("| **") == 5
    for i in range(5):
        assert f"value a{i}" in text and f"`cmd {i}`" in text
    assert "claim 0 \\| with a pipe" in text
    store = json.loads(out.with_suffix(".json").read_text())
    assert [r["id"] for r in store["measurements"]] == [c.id for c in claims]


def test_only_carries_other_rows(tmp_path, monkeypatch):
    out = tmp_path / "r.md"
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(4, "a"))
    gen.main(["--out", str(out)])
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(4, "b"))
    gen.main(["--out", str(out), "--only", "fake-1,fake-3"])
    text = out.read_text()
    assert "value b1" in text and "value b3" in text  # re-measured
    assert "value a0" in text and "value a2" in text  # carried over, and marked so
    assert text.count("| *carried*") == 2 and "value b0" not in text
    # a claim dropped from the lists is dropped from the report
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(2, "c"))
    gen.main(["--out", str(out), "--only", "fake-1"])
    text = out.read_text()
    assert "value a2" not in text and "value b3" not in text
    assert "value c1" in text and "value a0" in text


def test_from_store_measures_nothing(tmp_path, monkeypatch):
    out = tmp_path / "r.md"
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(3, "a"))
    gen.main(["--out", str(out), "--only", "fake-0,fake-2"])
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(3, "b"))
    gen.main(["--out", str(out), "--from-store"])
    text = out.read_text()
    assert text.count("| *carried*") == 2 and "value a0" in text and "value a2" in text and "value b" not in text


def test_merge_parallel_stores(tmp_path, monkeypatch):
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(4, "a"))
    gen.main(["--out", str(tmp_path / "p1.md"), "--only", "fake-0,fake-1"])
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(4, "b"))
    gen.main(["--out", str(tmp_path / "p2.md"), "--only", "fake-1,fake-2"])
    out = tmp_path / "r.md"
    gen.main(["--out", str(out), "--from-store", "--merge", str(tmp_path / "p1.json"), str(tmp_path / "p2.json")])
    text = out.read_text()
    assert "value a0" in text and "value b1" in text and "value a1" not in text and "value b2" in text
    assert "fake-3" not in json.dumps(json.loads(out.with_suffix(".json").read_text()))
    from xorgrok.core.errors import InputError

    with pytest.raises(InputError):
        gen.main(["--out", str(out), "--from-store", "--merge", str(tmp_path / "nope.json")])


def test_matches():
    assert gen.matches("xor-rw-n", "") and gen.matches("xor-rw-n", "xu,xor-rw")
    assert not gen.matches("xor-rw-n", "xu, xor-fig")


def test_claim_ids_unique_and_xor_listed():
    from xorgrok.report import claims_xor

    ids = [c.id for c in gen.all_claims()]
    assert len(ids) == len(set(ids))
    assert {c.id for c in claims_xor.CLAIMS} <= set(ids)
    needed = {"xor-weak-ladder-1", "xor-weak-ladder-2", "xor-weak-ladder-3", "xor-fig4a-fit", "xor-fig4a-generalise",
              "xor-thm32-train-raw", "xor-thm32-test-raw", "xor-thm32-test-norm", "xor-rw-n", "xor-rw-p",
              "xor-rw-eps", "xu-step1-test", "xu-sign-rule"}
    assert needed <= {c.id for c in claims_xor.CLAIMS}


def test_xor_claims_quick_cover_every_claim(tmp_path, monkeypatch):
    """The generator in --quick mode (tiny sizes) measures every XOR claim and writes one row for each."""
    import functools

    import torch

    from xorgrok.report import ReportContext, claims_xor

    monkeypatch.setattr(gen, "ReportContext", functools.partial(ReportContext, overrides={"xor": TINY}))
    monkeypatch.setattr(gen, "all_claims", lambda: list(claims_xor.CLAIMS))
    out = tmp_path / "r.md"
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices; restored below
    try:
        assert gen.main(["--quick", "--out", str(out)]) == 0
    finally:
        torch.set_num_threads(threads)
    store = json.loads(out.with_suffix(".json").read_text())["measurements"]
    assert [r["id"] for r in store] == [c.id for c in claims_xor.CLAIMS]
    for r in store:
        assert r["verdict"] in ("reproduced", "differs", "out of reach") and r["quick"] is True
        assert "[QUICK setting]" in r["measured"]
    text = out.read_text()
    assert text.count("| **") == len(claims_xor.CLAIMS)


def test_measurement_rejects_bad_verdict():
    with pytest.raises(ValueError):
        Measurement("x", "maybe", "y")  # type: ignore[arg-type]


def test_xor_overrides_for_an_unknown_setting_or_field_are_errors():
    from xorgrok.core.errors import InputError
    from xorgrok.report import ReportContext, claims_xor

    with pytest.raises(InputError, match="unknown setting 'fig99'"):
        claims_xor.measure_transition(ReportContext(quick=True, overrides={"xor": {"fig99": {}}}))
    with pytest.raises(InputError, match="'steps_large' is not a field of Fig4Setting"):
        claims_xor.measure_transition(ReportContext(quick=True, overrides={"xor": {"fig4": {"steps_large": 3}}}))
# ---------------------------------------------------------------------------------- the store is never lost
def _store_rows(path):
    return [r["id"] for r in json.loads(path.read_text())["measurements"]]


def test_each_write_keeps_the_previous_good_store_as_bak(tmp_path, monkeypatch):
    out = tmp_path / "r.md"
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(3, "a"))
    assert gen.main(["--out", str(out)]) == 0
    first = out.with_suffix(".json").read_text()
    assert not (tmp_path / "r.json.bak").exists()
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(3, "b"))
    assert gen.main(["--out", str(out), "--only", "fake-1"]) == 0
    assert (tmp_path / "r.json.bak").read_text() == first
    assert "value b1" in out.with_suffix(".json").read_text()


@pytest.mark.parametrize("body", ["", "{", '{"foo": 1}', '{"measurements": [{"id": "fake-0"}]}',
                                  '{"measurements": [{"id": "fake-0", "measured": "m", "verdict": "maybe", '
                                  '"why": "w"}]}'])
def test_corrupt_store_is_left_intact_and_nothing_is_measured(tmp_path, monkeypatch, body):
    from xorgrok.core.errors import InputError

    out = tmp_path / "r.md"
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(3, "a"))
    gen.main(["--out", str(out)])
    store = out.with_suffix(".json")
    store.write_text(body)
    report_before = out.read_text()
    measured = []
    def measure(ctx):
        measured.append(1)
        return Measurement("x", "differs", "w")

    monkeypatch.setattr(gen, "all_claims", lambda: [Claim("fake-0", "c", "s", "cmd", measure)])
    for argv in (["--only", "fake-0"], ["--from-store"], []):
        with pytest.raises(InputError, match=r"measurement store .*r\.json") as e:
            gen.main(["--out", str(out), *argv])
        assert "\n" not in str(e.value)
        assert store.read_text() == body and out.read_text() == report_before
    assert measured == []
    # the recovery the message names: the last good copy, once there is one
    assert "move the file away" in str(e.value) or "r.json.bak" in str(e.value)


def test_recovery_message_names_the_backup(tmp_path, monkeypatch):
    from xorgrok.core.errors import InputError

    out = tmp_path / "r.md"
    monkeypatch.setattr(gen, "all_claims", lambda: _fake(2, "a"))
    gen.main(["--out", str(out)])
    gen.main(["--out", str(out), "--only", "fake-0"])
    out.with_suffix(".json").write_text("{")
    with pytest.raises(InputError, match=r"restore the last good copy \(.*r\.json\.bak\)"):
        gen.main(["--out", str(out), "--only", "fake-0"])
    # following the advice works
    (tmp_path / "r.json.bak").replace(out.with_suffix(".json"))
    assert gen.main(["--out", str(out), "--only", "fake-0"]) == 0


def test_runs_dir_reaches_the_claims_and_default_out_is_in_the_checkout(tmp_path, monkeypatch):

    seen = []
    def measure(ctx):
        seen.append(ctx.runs_dir)
        return Measurement("x", "differs", "w")

    monkeypatch.setattr(gen, "all_claims", lambda: [Claim("fake-0", "c", "s", "cmd", measure)])
    gen.main(["--out", str(tmp_path / "r.md"), "--runs", str(tmp_path / "myruns")])
    assert seen == [tmp_path / "myruns"]
    # the default --out comes from core.paths.default_docs_dir(), not from the working directory
    docs = tmp_path / "checkout-docs"
    monkeypatch.setattr(gen, "default_docs_dir", lambda: docs)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert gen.main([]) == 0
    assert (docs / "reproduction.md").is_file() and (docs / "reproduction.json").is_file()
    assert list(elsewhere.iterdir()) == []


def test_only_unknown_prefix_names_the_known_ones(tmp_path, monkeypatch):
    from xorgrok.core.errors import InputError

    monkeypatch.setattr(gen, "all_claims", lambda: _fake(2))
    with pytest.raises(InputError, match=r"no claim id starts with 'nope'.*known ids fake-0, fake-1"):
        gen.main(["--out", str(tmp_path / "r.md"), "--only", "nope"])
    assert list(tmp_path.iterdir()) == []
