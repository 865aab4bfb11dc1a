"""core.io: output paths checked before work, file sets that stay consistent across a kill, stale temporaries,
validated JSON reads; core.records: fsync'd bytes and strict JSON; core.cli.run_main's error mapping."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xorgrok.core import io
from xorgrok.core.cli import run_main
from xorgrok.core.errors import Diverged, InputError
from xorgrok.core.records import atomic_write_bytes, atomic_write_json, load_record_or_set_aside


def test_output_file_checks_name_the_parameter(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("x")
    assert io.check_output_file("--out", tmp_path / "new" / "deeper" / "r.json") == tmp_path / "new/deeper/r.json"
    with pytest.raises(InputError, match=r"^--out: .* is an existing directory"):
        io.check_output_file("--out", tmp_path)
    with pytest.raises(InputError, match=r"^--rec: .*plain.txt is a regular file, not a directory"):
        io.check_output_file("--rec", f / "sub" / "x.json")
    with pytest.raises(InputError, match="not a file name"):
        io.check_output_file("--out", "")
    assert list(tmp_path.iterdir()) == [f]  # checking creates nothing


def test_output_dir_checks(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("x")
    assert io.check_output_dir("--out", tmp_path / "a" / "b") == tmp_path / "a" / "b"
    with pytest.raises(InputError, match=r"^--out: .*plain.txt is a regular file, expected a directory"):
        io.check_output_dir("--out", f)
    with pytest.raises(InputError, match="regular file, not a directory"):
        io.check_output_dir("--out", f / "x")
    assert not (tmp_path / "a").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits")
def test_unwritable_dir_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        with pytest.raises(InputError, match="not writable"):
            io.check_output_file("--out", ro / "x.json")
    finally:
        ro.chmod(0o755)


def test_write_set_writes_all_members(tmp_path):
    a, b = tmp_path / "f.png", tmp_path / "f.json"
    assert io.write_set({a: b"png", b: "{}"}) == [a, b]
    assert a.read_bytes() == b"png" and b.read_text() == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json", "f.png"]  # no temporaries, no journal


def test_kill_between_renames_rolls_forward_to_the_new_set(tmp_path, monkeypatch):
    a, b = tmp_path / "f.png", tmp_path / "f.json"
    io.write_set({a: b"old png", b: "old json"})
    real_replace = os.replace
    calls = []

    def dies_after_first_member(src, dst):
        calls.append(Path(dst).name)
        if Path(dst).name == "f.json":  # the second member: the process "dies" between the two renames
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", dies_after_first_member)
    with pytest.raises(KeyboardInterrupt):
        io.write_set({a: b"new png", b: "new json"})
    monkeypatch.setattr(os, "replace", real_replace)
    assert a.read_bytes() == b"new png" and b.read_text() == "old json"  # the torn state a kill leaves
    journal = tmp_path / f".f.png{io.JOURNAL_SUFFIX}"
    assert journal.exists()
    # the journal's writer is "dead": pretend it was another process
    info = json.loads(journal.read_text())
    info["pid"] = 2**22 + 12345  # beyond any pid in use
    journal.write_text(json.dumps(info))
    io.recover(tmp_path)
    assert a.read_bytes() == b"new png" and b.read_text() == "new json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json", "f.png"]


def test_kill_before_journal_keeps_the_old_set(tmp_path, monkeypatch):
    a, b = tmp_path / "f.png", tmp_path / "f.json"
    io.write_set({a: b"old png", b: "old json"})
    real = io.write_temp
    n = [0]

    def dies_on_second_temp(final, data):
        n[0] += 1
        if n[0] == 2:
            raise KeyboardInterrupt
        return real(final, data)

    monkeypatch.setattr(io, "write_temp", dies_on_second_temp)
    with pytest.raises(KeyboardInterrupt):
        io.write_set({a: b"new png", b: "new json"})
    assert a.read_bytes() == b"old png" and b.read_text() == "old json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json", "f.png"]  # its temporary was removed


def test_stale_temporaries_are_cleaned_but_live_ones_kept(tmp_path):
    dead = tmp_path / f".x.json.{2**22 + 4321}.abcd.tmp"
    live = tmp_path / f".x.json.{os.getpid()}.efgh.tmp"
    other = tmp_path / ".hidden.txt"
    for p in (dead, live, other):
        p.write_text("partial")
    assert io.clean_stale_temps(tmp_path) == [dead]
    assert live.exists() and other.exists() and not dead.exists()


def test_atomic_write_bytes_fsyncs(tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    atomic_write_bytes(tmp_path / "b.bin", b"\x00\x01")
    assert synced and (tmp_path / "b.bin").read_bytes() == b"\x00\x01"


def test_json_is_strict_with_null_for_non_finite(tmp_path):
    p = atomic_write_json(tmp_path / "x.json", {"loss": [1.0, float("inf"), float("nan")]})
    text = p.read_text()
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {"loss": [1.0, None, None]}


@pytest.mark.parametrize("body, why", [("", "is empty"), ("{", "not valid JSON"), ("[1]", "not a JSON object"),
                                       ('{"a": 1}', "lacks the key")])
def test_read_record_one_line_per_fault(tmp_path, body, why):
    p = tmp_path / "r.json"
    p.write_text(body)
    with pytest.raises(InputError, match=why) as e:
        io.read_record(p)
    assert str(p) in str(e.value) and "\n" not in str(e.value)


def test_corrupt_record_is_set_aside_on_resume(tmp_path, capsys):
    p = tmp_path / "run.json"
    p.write_text('{"config": {"a"')
    assert load_record_or_set_aside(p) is None
    assert not p.exists()
    kept = [q for q in tmp_path.iterdir() if q.name.startswith("run.json.bad-")]
    assert len(kept) == 1 and kept[0].read_text() == '{"config": {"a"'
    assert "recomputed" in capsys.readouterr().err
    good = tmp_path / "ok.json"
    good.write_text('{"config": {}, "metrics": {}}')
    assert load_record_or_set_aside(good) == {"config": {}, "metrics": {}}


def test_run_main_maps_memory_error_and_divergence(capsys):
    def oom(argv):
        raise MemoryError("Unable to allocate 7.3 TiB")

    def div(argv):
        raise Diverged(3, "train_loss")

    assert run_main(oom, []) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "out of memory" in err and "7.3 TiB" in err
    assert run_main(div, []) == 1
    assert capsys.readouterr().err == "error: diverged at step 3 (train_loss not finite)\n"


def test_closed_pipe_is_quiet(tmp_path):
    code = ("import sys\nfrom xorgrok.core.cli import run_main\n"
            "def main(argv):\n    for i in range(10**6):\n        print(i)\n    return 0\n"
            "sys.exit(run_main(main))\n")
    r = subprocess.run(f"{sys.executable} -c '{code}' | head -1", shell=True, capture_output=True, text=True,
                       timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert r.stdout == "0\n" and "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr


def test_prepare_output_dir_cleans_what_a_killed_run_left(tmp_path):
    runs = tmp_path / "out" / "runs"
    runs.mkdir(parents=True)
    orphan = runs / f".rec.json.{2**22 + 99}.zz.tmp"
    orphan.write_text("half a record")
    assert io.prepare_output_dir("--out", tmp_path / "out") == tmp_path / "out"
    assert not orphan.exists()
    assert io.prepare_output_dir("--out", tmp_path / "new") == tmp_path / "new" and not (tmp_path / "new").exists()
