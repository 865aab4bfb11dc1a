"""Bad input for every command, table-driven: each case must end with exit code 2, exactly one line on
stderr that names the parameter or the file, no traceback, and no output file created or changed.

The cases run in-process (`run_main(main, argv)` with stderr captured) so the table stays fast; a few at the
end go through the real entry point (`python -m xorgrok ...`, `python -m figures ...`) in a subprocess.
Placeholders in argv: {tmp} is the case's scratch folder; {file} a regular file in it; {ro} a folder without
write permission; {store}/{report} a report store/report pair prepared by the case's `setup`.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from xorgrok.core.cli import run_main

TRACEBACK = "Traceback"


@dataclasses.dataclass
class Case:
    cmd: str  # registry name, or "figures"
    argv: list[str]
    names: str  # substring the one stderr line must contain (the parameter or the file)
    setup: Callable[[Path], None] | None = None
    id: str = ""


def _module(cmd: str):
    if cmd == "figures":
        return importlib.import_module("figures.__main__")
    if cmd.startswith("xorgrok."):  # a module with its own main that is not a registered command
        return importlib.import_module(cmd)
    from xorgrok.commands import by_name

    return importlib.import_module(by_name(cmd).module)


def _snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every file and folder under `root` (size, sha256), except the caches libraries fill on import."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.relative_to(root).parts[0] == "cache":
            continue
        if p.is_file():
            out[str(p.relative_to(root))] = (p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
        elif p.is_dir():
            out[str(p.relative_to(root)) + "/"] = (0, "")
    return out


# ------------------------------------------------------------------------------------------------ set-ups
def _write(rel: str, data: bytes | str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        p = tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode())

    return setup


def _both(*fns: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        for f in fns:
            f(tmp)

    return setup


GOOD_ROW = {"id": "xor-x", "measured": "m", "verdict": "reproduced", "why": "w", "quick": True, "at": "t",
            "git_sha": "abc"}


def _store(obj) -> Callable[[Path], None]:
    """A report r.md beside the store r.json holding `obj` (serialised as given when it is bytes/str)."""
    body = obj if isinstance(obj, (bytes, str)) else json.dumps(obj)
    return _both(_write("r.json", body), _write("r.md", "# old report\n"))


def _idx(magic: int, sizes: tuple[int, ...], fill: int = 0) -> bytes:
    n = 1
    for s in sizes:
        n *= s
    return magic.to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in sizes) + bytes([fill]) * n


def _mnist_dir(images: bytes | None, labels: bytes | None, gz: bool = True) -> Callable[[Path], None]:
    """data/ with the two test-set files, either given bytes or a valid-looking (but not canonical) stand-in."""
    def setup(tmp: Path) -> None:
        d = tmp / "data"
        d.mkdir(exist_ok=True)
        img = images if images is not None else gzip.compress(_idx(2051, (10000, 28, 28)))
        lab = labels if labels is not None else gzip.compress(_idx(2049, (10000,)))
        suffix = ".gz" if gz else ""
        (d / f"t10k-images-idx3-ubyte{suffix}").write_bytes(img)
        (d / f"t10k-labels-idx1-ubyte{suffix}").write_bytes(lab)

    return setup


def _corrupt_deflate() -> bytes:
    blob = bytearray(gzip.compress(_idx(2049, (10000,), fill=3)))
    for i in range(20, 40):  # inside the deflate stream, past the 10-byte gzip header
        blob[i] ^= 0xFF
    return bytes(blob)


def _fig_records(experiment: str, body: str, quick: bool = False) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        from xorgrok.experiments.transformer import paper_runs, record_tag

        d = tmp / "recs"
        d.mkdir(exist_ok=True)
        for cfg in paper_runs(experiment, quick):
            (d / f"{record_tag(experiment, cfg, 0, quick)}.json").write_text(body)

    return setup


def _embedding(name: str, kind: str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        import numpy as np

        p = tmp / name
        if kind == "empty":
            p.write_bytes(b"")
        elif kind == "strings":
            np.save(p, np.array(["a"] * 113))
        elif kind == "wrong shape":
            np.save(p, np.zeros((5, 2)))
        elif kind == "non-finite":
            p.write_text("\n".join("1,nan" for _ in range(113)) + "\n")

    return setup


def _mnist_records(body: str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        d = tmp / "recs"
        d.mkdir(exist_ok=True)
        for m in ("groktransfer", "scratch"):
            (d / f"mnist200_{m}_s0.json").write_text(body)

    return setup


def _truncated_weak_checkpoint(tmp: Path) -> None:
    """The weak checkpoint `modular --quick --methods groktransfer` would load, cut in half."""
    import torch

    from xorgrok.experiments.modular import build_configs, weak_path

    cfg = build_configs("add", ["groktransfer"], [0], True, {"device": "cpu", "split_seed": 0})[0]
    wp = weak_path(tmp / "mo", cfg)
    wp.parent.mkdir(parents=True, exist_ok=True)
    buf = tmp / "full.pt"
    torch.save({"E_W": torch.zeros(3, 4)}, buf)
    data = buf.read_bytes()
    buf.unlink()
    wp.write_bytes(data[: len(data) // 2])


# ------------------------------------------------------------------------------------------------- the table
def _range_cases(cmd: str, flags: dict[str, list[str]], base: list[str] | None = None) -> list[Case]:
    return [Case(cmd, (base or []) + [flag, v], flag, id=f"{cmd} {flag} {v}") for flag, vals in flags.items()
            for v in vals]


def _out_cases(cmd: str, flag: str, base: list[str], as_dir: bool) -> list[Case]:
    """Output paths that cannot be written: under a regular file, a file given for a dir (or vice versa),
    and a folder without write permission."""
    cases = [
        Case(cmd, base + [flag, "{file}/sub" + ("" if as_dir else "/x.json")], flag, id=f"{cmd} {flag} under a file"),
        Case(cmd, base + [flag, "{ro}/" + ("out" if as_dir else "x.json")], flag, id=f"{cmd} {flag} unwritable"),
    ]
    cases.append(Case(cmd, base + [flag, "{file}" if as_dir else "{tmp}"], flag,
                      id=f"{cmd} {flag} " + ("a file for a folder" if as_dir else "a folder for a file")))
    return cases


TINY_CS = ["--n", "60", "--p", "400", "--weak-steps", "1", "--n-eval", "10"]
NUMS = ["abc", "nan", "inf", "-1", "0"]

CASES: list[Case] = []
# casestudy
CASES += _range_cases("casestudy", {
    "--n": ["1", "0", "abc", "1.5"], "--p": ["2", "x"], "--eps": NUMS, "--m-weak": ["0", "a"],
    "--weak-steps": ["0"], "--m": ["0"], "--v-init": ["0", "-1", "nan"], "--alpha": ["0", "nan", "inf"],
    "--steps": ["0"], "--n-eval": ["0"], "--seed": ["-1"], "--seeds": ["0"], "--device": ["tpu", "cuda:x"],
})
CASES += _out_cases("casestudy", "--record", [], as_dir=False)
CASES += [
    Case("casestudy", ["--bogus"], "--bogus", id="casestudy unknown flag"),
    Case("casestudy", ["--n", "400", "--p", "100000000000"], "n×p", id="casestudy huge p (memory guard)"),
    Case("casestudy", TINY_CS + ["--m", "10000000000000"], "width m", id="casestudy huge target width"),
]
# bench
CASES += _range_cases("bench", {
    "--n": ["0", "x"], "--p": ["2"], "--m": ["0"], "--steps": ["0"], "--plain-steps": ["0"], "--n-test": ["0"],
    "--lr": NUMS, "--wd": ["-1", "nan", "abc", "inf"], "--eps": ["0", "nan"], "--seed": ["-1"],
    "--device": ["gpu"], "--fig4a-p": ["2", "x"], "--hyper-eps": ["0", "nan", "-1"],
})
CASES += _out_cases("bench", "--record", [], as_dir=False)
CASES += [Case("bench", ["--n", "2", "--p", "10000000", "--m", "100000", "--n-test", "1"], "m×p",
               id="bench huge m×p (memory guard)")]
# verify
CASES += _range_cases("verify", {
    "--n": ["1", "x"], "--p": ["2"], "--eps": ["0", "nan"], "--m": ["0"], "--v-init": ["0"], "--alpha": ["-1"],
    "--C": ["0"], "--seed": ["-1"], "--seeds": ["0"], "--test-size": ["0"], "--sweep-points": ["1"],
    "--threads": ["0"], "--theorem": ["bogus"], "--eta": ["-1"], "--assumption": ["Z9"], "--lemma": ["Q"],
    "--claim": ["nope"], "--log-base": ["abc", "1", "-2"], "--u": ["bogus", ""],
})
CASES += _out_cases("verify", "--record", [], as_dir=False)
CASES += [
    Case("verify", ["--all", "--assumption", "A1"], "--all", id="verify --all with a selector"),
    Case("verify", ["--all", "--lemma", "init"], "--lemma", id="verify --all with --lemma"),
    Case("verify", ["--sweep", "n=60:100", "--claim", "snr"], "--sweep", id="verify --sweep with a selector"),
    Case("verify", ["--sweep", "bogus"], "sweep", id="verify --sweep malformed"),
    Case("verify", ["--sweep", "zz=1:2"], "zz", id="verify --sweep unknown parameter"),
    Case("verify", ["--u", "synthetic", "--pipeline-seeds", "2"], "--pipeline-seeds",
         id="verify --u synthetic with a pipeline"),
    Case("verify", ["--u", "synthetic", "--theorem", "xu2024"], "--u", id="verify --u synthetic for Xu'24"),
    Case("verify", ["--u", "synthetic", "--weak-steps", "5"], "--weak-steps",
         id="verify --u synthetic with weak steps"),
]
# modular
CASES += _range_cases("modular", {
    "--task": ["bogus"], "--methods": ["bogus", ",", "groktransfer,nope"], "--seeds": ["0"], "--seed": ["-1"],
    "--split-seed": ["-1"], "--epochs": ["0"], "--stop-at": ["0", "1.5", "x"], "--eval-every": ["0"],
    "--groktransfer": ["a,b", "1,2", "1,-1,0"], "--weak": ["0,1,1"], "--weak-epochs": ["-1"],
    "--weak-grid": [";", "1,2", "0,0.01,1"], "--min-success": ["0", "9"], "--weak-at": ["0.5", "x"],
    "--weak-from": ["{tmp}/missing"], "--batch-size": ["0", "x"],
}, base=["--quick"])
CASES += _out_cases("modular", "--out", ["--quick"], as_dir=True)
CASES += _range_cases("modular", {
    "--modulus": ["1", "1000000", "x"], "--train-fraction": ["0", "1", "nan"], "--merge-epoch": ["-5"],
}, base=["--quick", "--no-progress", "--out", "{tmp}/mo"])
CASES += [Case("modular", ["--quick", "--no-progress", "--methods", "groktransfer", "--seeds", "1", "--out",
                           "{tmp}/mo"], "weak-add-s0", _truncated_weak_checkpoint,
               id="modular truncated weak checkpoint")]
# grid
CASES += _range_cases("grid", {
    "--task": ["bogus"], "--method": ["bogus"], "--grid": ["bogus"], "--inits": ["a", ",", "-1", "nan"],
    "--lrs": ["-1", "0", "inf"], "--wds": ["-1", "nan"], "--stop-at": ["0", "2"], "--shard": ["2/2", "x", "0/0"],
    "--limit": ["0"], "--epochs": ["0"], "--seed": ["-1"], "--weak-epochs": ["-1"], "--device": ["bogus"],
}, base=["--quick"])
CASES += _out_cases("grid", "--out", ["--quick"], as_dir=True)
CASES += [Case("grid", ["--quick", "--list", "--lrs", "-1"], "--lrs", id="grid --list with lr -1"),
          Case("grid", ["--quick", "--list", "--device", "cuda:77"], "cuda", id="grid --list unusable device")]
# transformer
CASES += _range_cases("transformer", {
    "--experiment": ["bogus"], "--method": ["bogus"], "--seed": ["-1"], "--epochs": ["-1", "x"],
    "--device": ["bogus"], "--weak-width": ["0"], "--grid-seeds": ["0"], "--grokfast-optimizer": ["bogus"],
    "--grid-seed-start": ["-1", "x"], "--grokfast-wd": ["-1", "x", "inf"],
}, base=["--quick"])
CASES += [Case("transformer", ["--weak-grid", "--grid-lr", "0.3", "--out", "{tmp}/tg"], "--grid-lr",
               id="transformer grid lr outside the paper's grid"),
          Case("transformer", ["--weak-grid", "--grid-wd", "x", "--out", "{tmp}/tg"], "--grid-wd",
               id="transformer grid wd not a number"),
          Case("transformer", ["--weak-grid", "--grid-init", "2", "--out", "{tmp}/tg"], "--grid-init",
               id="transformer grid init outside the paper's range"),
          Case("transformer", ["--weak-grid", "--experiment", "fig13r", "--out", "{tmp}/tg"], "--weak-grid",
               id="transformer weak grid on parity"),
          Case("transformer", ["--quick", "--method", "groktransfer", "--grokfast-wd", "0.005", "--out", "{tmp}/tw"],
               "--grokfast-wd", id="transformer grokfast wd on a non-GrokFast run")]
CASES += _out_cases("transformer", "--out", ["--quick"], as_dir=True)
CASES += [Case("transformer", ["--quick", "--experiment", "fig13r", "--method", "groktransfer"], "--method",
               id="transformer method not in the experiment")]
# mnist
CASES += _range_cases("mnist", {
    "--samples": ["300", "x"], "--method": ["bogus"], "--epochs": ["-1"], "--seed": ["-1"],
    "--source": ["bogus"], "--device": ["bogus"], "--optimiser": ["bogus"], "--first-layer": ["bogus"],
}, base=["--quick"])
CASES += [Case("mnist", ["--quick", "--samples", "1000", "--optimiser", "omnigrok", "--out", "{tmp}/mo"],
               "batch_size", id="mnist omnigrok batch 200 needs <= 200 samples")]
CASES += _out_cases("mnist", "--out", ["--quick", "--data-dir", "{tmp}/data"], as_dir=True)
_MN = ["--quick", "--data-dir", "{tmp}/data", "--out", "{tmp}/mout", "--no-progress"]
CASES += [
    Case("mnist", ["--quick", "--data-dir", "{tmp}/nope"], "--data-dir", id="mnist --data-dir missing"),
    Case("mnist", ["--quick", "--data-dir", "{file}"], "--data-dir", id="mnist --data-dir a file"),
    Case("mnist", _MN, "t10k-images", _mnist_dir(None, None), id="mnist all-zero images (checksum)"),
    Case("mnist", _MN, "t10k-images", _mnist_dir(None, None, gz=False), id="mnist uncompressed fake (checksum)"),
    Case("mnist", _MN, "t10k-labels", _mnist_dir(None, _corrupt_deflate()), id="mnist corrupt deflate"),
    Case("mnist", _MN, "t10k-images", _mnist_dir(gzip.compress(_idx(2051, (10000, 28, 28)))[:100], None),
         id="mnist truncated gz"),
    Case("mnist", _MN, "t10k-images", _mnist_dir(b"", None), id="mnist empty file"),
    Case("mnist", _MN, "t10k-images", _mnist_dir(b"not gzip at all", None), id="mnist not gzip"),
    Case("mnist", _MN, "t10k-images", _mnist_dir(gzip.compress(_idx(2049, (10000, 28, 28))), None),
         id="mnist wrong magic"),
    Case("mnist", _MN, "t10k-images", _mnist_dir(gzip.compress(_idx(2051, (5, 28, 28))), None),
         id="mnist wrong sizes"),
    Case("mnist", _MN, "t10k-labels", _mnist_dir(None, gzip.compress(_idx(2049, (10000,), fill=12))),
         id="mnist labels above 9"),
    Case("mnist", _MN, "t10k-labels", _mnist_dir(None, gzip.compress(_idx(2049, (10000,))[:-5])),
         id="mnist labels size mismatch"),
]
# cost
CASES += _range_cases("cost", {
    "--setting": ["bogus"], "--target-acc": ["0", "1.5", "x", "nan"], "--max-epochs": ["0"],
    "--epoch-reps": ["0"], "--device": ["bogus"],
})
CASES += _out_cases("cost", "--out", [], as_dir=True)
# gpu-runs (its plan is read with --dry-run too, so a bad value is refused before any device check)
CASES += _range_cases("gpu-runs", {"--budget-s": ["0", "-1", "x"], "--seeds": ["0", "x"], "--device": ["bogus"]},
                      base=["--tiny"])
CASES += [Case("gpu-runs", ["--tiny", "--out", "{file}"], "--out", id="gpu-runs --out a file"),
          Case("gpu-runs", ["--tiny", "--out", "{file}/x"], "--out", id="gpu-runs --out under a file")]
# report
_R = ["--out", "{tmp}/r.md"]
CASES += [
    Case("report", _R + ["--only", "no-such-claim"], "no-such-claim", id="report --only unknown"),
    Case("report", _R + ["--only", ","], "--only", id="report --only empty list"),
    Case("report", _R + ["--only", "xor,zzz"], "zzz", id="report --only one unknown of two"),
    Case("report", _R + ["--from-store", "--only", "xor"], "--from-store", _store({"measurements": [GOOD_ROW]}),
         id="report --from-store with --only"),
    Case("report", _R + ["--merge", "{tmp}/r.json"], "--merge", _store({"measurements": [GOOD_ROW]}),
         id="report --merge without --only"),
    Case("report", _R + ["--only", "xor", "--merge", "{tmp}/m.json"], "m.json", _write("m.json", "{trunc"),
         id="report --merge corrupt"),
    Case("report", _R + ["--only", "xor", "--merge", "{tmp}/m.json"], "m.json", _write("m.json", '{"foo": 1}'),
         id="report --merge foreign"),
    Case("report", _R + ["--only", "xor", "--merge", "{tmp}/none.json"], "none.json", id="report --merge missing"),
    Case("report", _R + ["--only", "xor", "--merge", "{tmp}"], "--merge", id="report --merge a folder"),
    Case("report", ["--out", "{tmp}", "--only", "xor"], "--out", id="report --out an existing folder"),
    Case("report", ["--out", "{file}/r.md", "--only", "xor"], "--out", id="report --out under a file"),
    Case("report", ["--out", "{ro}/r.md", "--only", "xor"], "--out", id="report --out unwritable"),
    Case("report", ["--out", "{tmp}/r.json", "--only", "xor"], "--out", id="report --out is the store name"),
    Case("report", _R + ["--runs", "{file}"], "--runs", id="report --runs a file"),
    Case("report", _R + ["--only", "xor"], "r.json", _store("{\"measurements\": [{\"id\""),
         id="report truncated store"),
    Case("report", _R + ["--only", "xor"], "r.json", _store(""), id="report empty store"),
    Case("report", _R, "r.json", _store(""), id="report empty store, full run"),
    Case("report", _R + ["--only", "xor"], "r.json", _store({"foo": 1}), id="report foreign store"),
    Case("report", _R + ["--from-store"], "r.json", _store([1, 2]), id="report store is a list"),
    Case("report", _R + ["--only", "xor"], "r.json", _store({"measurements": {"a": 1}}),
         id="report measurements not a list"),
    Case("report", _R + ["--only", "xor"], "r.json", _store({"measurements": [7]}), id="report row not an object"),
    Case("report", _R + ["--only", "xor"], "why",
         _store({"measurements": [{k: v for k, v in GOOD_ROW.items() if k != "why"}]}), id="report row lacks key"),
    Case("report", _R + ["--from-store"], "verdict", _store({"measurements": [{**GOOD_ROW, "verdict": "great"}]}),
         id="report unknown verdict"),
    Case("report", _R + ["--only", "xor"], "measured", _store({"measurements": [{**GOOD_ROW, "measured": 3}]}),
         id="report row value not text"),
    Case("report", _R + ["--only", "xor"], "r.json", _write("r.md", "# a report without its store\n"),
         id="report store missing beside its report"),
    Case("report", _R + ["--from-store"], "--from-store", id="report --from-store with nothing stored"),
    Case("report", _R + ["--from-store"], "r.json", _store(b"\xff\xfe\x00garbage"), id="report binary store"),
]
# proofs
_GOOD_SPEC = {"experiment": "gt-synthetic", "axes": {"c2": [1.0]}, "seeds": 1}
CASES += [
    Case("sweep", ["{tmp}/nope.json"], "nope.json", id="sweep missing spec"),
    Case("sweep", ["{tmp}/s.json"], "s.json", _write("s.json", "{not json"), id="sweep spec not JSON"),
    Case("sweep", ["{tmp}/s.json"], "experiment", _write("s.json", json.dumps({**_GOOD_SPEC, "experiment": "nope"})),
         id="sweep unknown experiment"),
    Case("sweep", ["{tmp}/s.json"], "bogus", _write("s.json", json.dumps({**_GOOD_SPEC, "bogus": 1})),
         id="sweep unknown spec key"),
    Case("sweep", ["{tmp}/s.json"], "zzz", _write("s.json", json.dumps({**_GOOD_SPEC, "fixed": {"zzz": 1}})),
         id="sweep unknown parameter"),
    Case("sweep", ["{tmp}/s.json"], "seeds", _write("s.json", json.dumps({**_GOOD_SPEC, "seeds": 0})),
         id="sweep zero seeds"),
    Case("sweep", ["{tmp}/s.json", "--workers", "-1"], "--workers", _write("s.json", json.dumps(_GOOD_SPEC)),
         id="sweep negative workers"),
    Case("sweep", ["{tmp}/s.json", "--out", "{file}"], "--out", _write("s.json", json.dumps(_GOOD_SPEC)),
         id="sweep out is a file"),
    Case("sweep", ["{tmp}/s.json", "--start-method", "thread"], "--start-method",
         _write("s.json", json.dumps(_GOOD_SPEC)), id="sweep unknown start method"),
    Case("sweep", ["{tmp}/s.json", "--start-method", "spawn", "--workers", "0"], "--start-method",
         _write("s.json", json.dumps(_GOOD_SPEC)), id="sweep start method in-process"),
]
CASES += [Case("proofs", ["--only", "no-such-check"], "no-such-check", id="proofs --only unknown"),
          Case("proofs", ["--bogus"], "--bogus", id="proofs unknown flag")]
# the tightness page generator (python -m xorgrok.sweep.docgen)
DOCGEN = "xorgrok.sweep.docgen"
CASES += [
    Case(DOCGEN, ["--only", "gt"], "--only", id="sweep.docgen --only unknown section"),
    Case(DOCGEN, ["--only", "xu", "--out", "{tmp}/none.md"], "none.md", id="sweep.docgen --only xu missing file"),
    Case(DOCGEN, ["--only", "xu", "--out", "{tmp}/t.md"], "t.md", _write("t.md", "# no Xu section\n"),
         id="sweep.docgen --only xu without the section"),
    Case(DOCGEN, ["--only", "xu", "--out", "{tmp}/t.md", "--extra-map", "c2,c4,400"], "--extra-map",
         _write("t.md", "## Xu et al. 2024 Theorem 3.1 in its literal regime\n"),
         id="sweep.docgen --only xu with a map"),
    Case(DOCGEN, ["--only", "bench", "--out", "{tmp}/t.md"], "Engine benchmark", _write("t.md", "# none\n"),
         id="sweep.docgen --only bench without the section"),
]
# figures
CASES += [
    Case("figures", ["nope"], "nope", id="figures unknown name"),
    Case("figures", ["fig4", "--seed", "-1"], "--seed", id="figures --seed -1"),
    Case("figures", ["fig4", "--seeds", "0"], "--seeds", id="figures --seeds 0"),
    Case("figures", ["fig4", "--device", "bogus"], "bogus", id="figures --device bogus"),
    Case("figures", ["fig4", "--out", "{file}"], "--out", id="figures --out a file"),
    Case("figures", ["fig4", "--out", "{file}/x"], "--out", id="figures --out under a file"),
    Case("figures", ["fig4", "--out", "{ro}/x"], "--out", id="figures --out unwritable"),
    Case("figures", ["fig8", "--out", "{tmp}/fo", "--records", "{tmp}/recs"], "recs", _fig_records("fig8b", '{"con'),
         id="figures fig8 truncated record"),
    Case("figures", ["fig8", "--out", "{tmp}/fo", "--records", "{tmp}/recs"], "recs", _fig_records("fig8b", "{}"),
         id="figures fig8 foreign record"),
    Case("figures", ["fig16", "--out", "{tmp}/fo", "--records", "{tmp}/recs"], "recs", _fig_records("fig16", "[]"),
         id="figures fig16 record not an object"),
    Case("figures", ["fig14", "--out", "{tmp}/fo", "--records", "{tmp}/recs"], "recs", _mnist_records("{"),
         id="figures fig14 truncated record"),
    Case("figures", ["fig14", "--out", "{tmp}/fo", "--records", "{tmp}/recs"], "recs", _mnist_records('{"a": 1}'),
         id="figures fig14 foreign record"),
    *[Case("figures", ["fig2", "--quick", "--out", "{tmp}/fo", "--embedding-file", f"{{tmp}}/{name}"], name,
           _embedding(name, kind), id=f"figures fig2 embedding file {kind}")
      for name, kind in (("e.npy", "empty"), ("s.npy", "strings"), ("w.npy", "wrong shape"),
                         ("n.npy", "missing"), ("nan.csv", "non-finite"))],
    Case("figures", ["fig14", "--quick", "--out", "{tmp}/fo", "--data-dir", "{tmp}/data"], "t10k-labels",
         _mnist_dir(None, _corrupt_deflate()), id="figures fig14 corrupt MNIST"),
]


def _materialise(case: Case, tmp: Path) -> list[str]:
    f = tmp / "a_file.txt"
    f.write_text("not a folder\n")
    ro = tmp / "readonly"
    ro.mkdir()
    ro.chmod(0o555)
    if case.setup is not None:
        case.setup(tmp)
    return [a.replace("{tmp}", str(tmp)).replace("{file}", str(f)).replace("{ro}", str(ro)) for a in case.argv]


def _invoke(case: Case, argv: list[str]) -> int:
    mod = _module(case.cmd)
    try:
        return run_main(mod.main, argv)
    except SystemExit as exc:  # argparse's own errors exit from inside main
        return int(exc.code) if isinstance(exc.code, int) else 2


def _check(case: Case, rc: int, err: str, before: dict, after: dict, argv: list[str]) -> None:
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert TRACEBACK not in err, f"{case.id}: traceback\n{err}"
    assert rc == 2, f"{case.id}: exit {rc}, stderr {err!r}"
    assert len(lines) == 1, f"{case.id}: {len(lines)} stderr lines: {err!r}"
    assert _names(case.names, lines[0]), f"{case.id}: {case.names!r} not named in {lines[0]!r}"
    assert before == after, f"{case.id}: files changed: {set(after.items()) ^ set(before.items())}"


def _names(name: str, line: str) -> bool:
    """The flag as typed, or its bare name as a word ('--log-base' or 'log_base', '--device' or 'device')."""
    if name in line:
        return True
    if not name.startswith("--"):
        return False
    bare = name[2:]
    return any(re.search(rf"(?<![\w-]){re.escape(b)}(?![\w-])", line) for b in {bare, bare.replace("-", "_")})


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Every default location (runs, caches, MNIST) inside the test's folder, and no data download."""
    monkeypatch.setenv("XORGROK_RUNS", str(tmp_path / "runs-default"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XORGROK_MNIST_DIR", str(tmp_path / "mnist-default"))
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    monkeypatch.chdir(tmp_path)
    yield
    ro = tmp_path / "readonly"
    if ro.exists():
        ro.chmod(0o755)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_in_process(case: Case, tmp_path, capsys):
    if "unwritable" in case.id and os.geteuid() == 0:
        pytest.skip("running as root: permission bits do not stop writes")
    argv = _materialise(case, tmp_path)
    before = _snapshot(tmp_path)
    capsys.readouterr()
    rc = _invoke(case, argv)
    err = capsys.readouterr().err
    _check(case, rc, err, before, _snapshot(tmp_path), argv)


def test_table_is_large_and_covers_every_command():
    from xorgrok.commands import COMMANDS

    assert len(CASES) >= 150
    assert {c.cmd for c in CASES} >= {c.name for c in COMMANDS} | {"figures"}
    assert len({c.id for c in CASES}) == len(CASES)


SUBPROCESS = [
    (["xorgrok", "casestudy", "--eps", "nan"], "--eps"),
    (["xorgrok", "report", "--out", "{tmp}/r.md", "--only", "no-such-claim"], "no-such-claim"),
    (["figures", "fig4", "--out", "{file}"], "--out"),
    (["xorgrok", "nope"], "nope"),
]


@pytest.mark.parametrize("argv, name", SUBPROCESS, ids=[" ".join(a) for a, _ in SUBPROCESS])
def test_bad_input_real_entry_point(argv, name, tmp_path):
    f = tmp_path / "a_file.txt"
    f.write_text("x\n")
    args = [a.replace("{tmp}", str(tmp_path)).replace("{file}", str(f)) for a in argv]
    before = _snapshot(tmp_path)
    r = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, timeout=120,
                       cwd=Path(__file__).resolve().parents[2])
    assert r.returncode == 2 and TRACEBACK not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0], r.stderr
    assert _snapshot(tmp_path) == before
