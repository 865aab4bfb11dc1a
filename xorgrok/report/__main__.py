"""python -m xorgrok.report [--quick] [--out docs/reproduction.md] [--only PREFIX[,PREFIX...]] [--runs DIR]

Every measurement is also stored in OUT with suffix .json (claim id, mode, git SHA, time). With --only, the
claims that match are measured now and the other rows are carried over from that store (each such row says
when, at which SHA and in which mode it was measured), so an area can be re-measured without re-running all
of them; rows for claims that are no longer in any claims list are dropped.

The store is validated before any measurement: an empty, corrupt or foreign store (or a row without its
keys or with an unknown verdict) stops the command with exit code 2 and is left as it is. Each write keeps
the previous good store as OUT.json.bak, and the store, its backup and the report are written as one set.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from xorgrok.core.cli import ArgumentParser, run_main
from xorgrok.core.errors import InputError
from xorgrok.core.io import check_input_file, check_output_file, read_json, recover, write_set
from xorgrok.core.paths import default_docs_dir, default_runs_dir
from xorgrok.core.records import git_sha, jsonable
from xorgrok.report import VERDICTS, Claim, Measurement, ReportContext


def all_claims() -> list[Claim]:
    import xorgrok.report as pkg

    claims: list[Claim] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("claims_"):
            claims.extend(importlib.import_module(f"xorgrok.report.{info.name}").CLAIMS)
    ids = [c.id for c in claims]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise RuntimeError(f"duplicate claim ids: {sorted(dup)}")
    return claims


def _short_sha(sha: str | None) -> str:
    """12 hex digits, keeping the '-dirty' mark (uncommitted changes in the tree when it was measured)."""
    if not sha:
        return "unknown"
    return sha[:12] + ("-dirty" if sha.endswith("-dirty") else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def matches(claim_id: str, only: str) -> bool:
    """--only: comma-separated id prefixes ('' matches every claim)."""
    prefixes = [p.strip() for p in only.split(",") if p.strip()]
    return not prefixes or any(claim_id.startswith(p) for p in prefixes)


STORE_KEYS = ("id", "measured", "verdict", "why")


def _recovery(path: Path) -> str:
    bak = backup_path(path)
    if bak.is_file():
        return f"restore the last good copy ({bak}) or move the file away"
    return "move the file away (or restore it from git) and rerun"


def validate_store(data: object, path: Path) -> dict[str, dict]:
    """The measurements of a parsed store (claim id -> row); InputError naming the file and the fault."""
    if not isinstance(data, dict) or not isinstance(data.get("measurements"), list):
        got = sorted(data)[:5] if isinstance(data, dict) else type(data).__name__
        raise InputError(f"measurement store {path} is foreign: expected an object with a 'measurements' list, "
                         f"got {got}; {_recovery(path)}")
    rows: dict[str, dict] = {}
    for i, r in enumerate(data["measurements"]):
        if not isinstance(r, dict):
            raise InputError(f"measurement store {path}: row {i} is not an object; {_recovery(path)}")
        missing = [k for k in STORE_KEYS if k not in r]
        if missing:
            raise InputError(f"measurement store {path}: row {i} (id {r.get('id')!r}) lacks key(s) "
                             f"{', '.join(missing)}; {_recovery(path)}")
        bad = [k for k in STORE_KEYS if not isinstance(r[k], str)]
        if bad:
            raise InputError(f"measurement store {path}: row {i} (id {r['id']!r}): {', '.join(bad)} must be "
                             f"text; {_recovery(path)}")
        if r["verdict"] not in VERDICTS:
            raise InputError(f"measurement store {path}: row {i} (id {r['id']!r}) has unknown verdict "
                             f"{r['verdict']!r} (known: {', '.join(VERDICTS)}); {_recovery(path)}")
        rows[r["id"]] = r
    return rows


def load_store(path: Path, missing_ok: bool = True) -> dict[str, dict]:
    """The stored measurements (claim id -> row) in `path`; {} only for a missing file with missing_ok.

    A file that exists but is empty, unreadable, not JSON or not a store is an InputError: the caller must not
    go on and overwrite it.
    """
    if not path.exists() and missing_ok:
        return {}
    try:
        data = read_json(path, "measurement store")
    except InputError as exc:
        raise InputError(f"{exc}; {_recovery(path)}") from None
    return validate_store(data, path)


def backup_path(store: Path) -> Path:
    return store.with_name(store.name + ".bak")


def parse_only(only: str, ids: list[str]) -> list[str]:
    """--only's prefixes; each must select at least one claim, else InputError naming the known ones."""
    prefixes = [p.strip() for p in only.split(",") if p.strip()]
    if only and not prefixes:
        raise InputError(f"--only must list claim ids or id prefixes, got {only!r}")
    unknown = [p for p in prefixes if not any(i.startswith(p) for i in ids)]
    if unknown:
        areas = sorted({i.split("-")[0] for i in ids})
        raise InputError(f"--only: no claim id starts with {', '.join(map(repr, unknown))}; known prefixes "
                         f"{', '.join(areas)}; known ids {', '.join(ids)}")
    return prefixes


def record(claim: Claim, m: Measurement, quick: bool, seconds: float) -> dict:
    return {"id": claim.id, "measured": m.measured, "verdict": m.verdict, "why": m.why, "quick": quick,
            "git_sha": git_sha(), "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "seconds": seconds}


def render(rows: list[tuple[Claim, Measurement]], quick: bool, wall: float, carried: dict[str, dict] | None = None,
           only: str = "", from_store: bool = False) -> str:
    carried = carried or {}
    note = ""
    if carried:
        note = (f" {len(carried)} row(s) were carried over from earlier runs (marked *carried*; each gives its SHA,"
                " time and mode); the others were measured by this run"
                + (f" (`--only {only}`)" if only else "") + ".")
    if from_store:
        cmd = "python -m xorgrok.report --from-store"
        note = (" Every row was measured by an earlier run of the generator (`--only ...`) and stored in the .json "
                "next to this file; each row gives the mode, time and git SHA of its measurement.")
    else:
        cmd = "python -m xorgrok.report" + (" --quick" if quick else "") + (f" --only {only}" if only else "")
    head = [
        "# Reproduction report",
        "",
        f"Generated by `{cmd}`; do not edit by hand.",
        f"Git SHA: `{git_sha()}`. Wall time {wall:.0f} s on this machine."
        + (" **Quick mode: reduced settings, read the numbers as smoke checks.**" if quick else "") + note,
        "",
        "| claim | source | measured (seeds, interval) | verdict | why | command |",
        "|---|---|---|---|---|---|",
    ]
    body = []
    for c, m in rows:
        measured = m.measured
        if c.id in carried:
            r = carried[c.id]
            measured = (f"*carried* ({'quick' if r.get('quick') else 'full'} mode, {r.get('at')}, "
                        f"SHA {_short_sha(r.get('git_sha'))}): " + measured)
        body.append(f"| {_cell(c.claim)} | {_cell(c.source)} | {_cell(measured)} | **{m.verdict}** | {_cell(m.why)} "
                    f"| `{_cell(c.command)}` |")
    return "\n".join(head + body) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    p = ArgumentParser(prog="python -m xorgrok.report", description=__doc__)
    p.add_argument("--quick", action="store_true", help="reduced settings (smoke test of the generator)")
    p.add_argument("--out", type=Path, default=None,
                   help="the report (default docs/reproduction.md of the checkout, wherever the command runs); "
                   "its measurements go to the same name with suffix .json, the previous good copy to .json.bak")
    p.add_argument("--runs", type=Path, default=None,
                   help="folder of run records the claims read (default: xorgrok.core.paths.default_runs_dir())")
    p.add_argument("--only", default="",
                   help="measure only claims whose id starts with one of these comma-separated prefixes; the other "
                   "rows are carried over from the stored measurements (OUT with suffix .json), if any")
    p.add_argument("--from-store", action="store_true",
                   help="measure nothing: render every claim that has a stored measurement (e.g. after several "
                   "--only runs whose stores were merged)")
    p.add_argument("--merge", nargs="+", type=Path, default=[], metavar="STORE",
                   help="with --only or --from-store: first add the measurements stored in these files (e.g. from "
                   "parallel --only runs with different --out), later files winning")
    args = p.parse_args(argv)
    # every check before any measurement: a refused run must not have cost minutes
    out = check_output_file("--out", args.out if args.out is not None else default_docs_dir() / "reproduction.md")
    if out.suffix == ".json" or out.name.endswith(".json.bak"):
        raise InputError(f"--out {out}: the report is Markdown; its store gets the .json name (use e.g. "
                         f"{out.with_suffix('.md')})")
    store_path = check_output_file("--out (its .json store)", out.with_suffix(".json"))
    runs = args.runs if args.runs is not None else default_runs_dir()
    if runs.exists() and not runs.is_dir():
        raise InputError(f"--runs {runs} is a regular file, expected the folder of run records")
    if args.from_store and args.only:
        raise InputError("--from-store measures nothing and --only selects what to measure: give one of them")
    if args.merge and not (args.only or args.from_store):
        raise InputError("--merge needs --only or --from-store (a full run measures every claim and carries "
                         "nothing over)")
    claims = all_claims()
    parse_only(args.only, [c.id for c in claims])
    # the store beside the report: validated in every mode, so a damaged one is never replaced
    store = load_store(store_path)
    if not store_path.exists() and out.exists() and (args.only or args.from_store) and not args.merge:
        raise InputError(f"measurement store {store_path} is missing but the report {out} exists: carrying rows "
                         f"over would drop them all; restore {backup_path(store_path)} (or the file from git), "
                         "or rerun without --only to measure every claim")
    if not (args.only or args.from_store):
        store_for_rows: dict[str, dict] = {}
    else:
        store_for_rows = dict(store)
    for extra in args.merge:
        check_input_file("--merge", extra)
        store_for_rows.update(load_store(extra, missing_ok=False))
    if args.from_store and not store_for_rows:
        raise InputError(f"--from-store: no stored measurements in {store_path}"
                         + (" or the --merge files" if args.merge else "") + "; nothing to render")
    recover(out.parent)
    t0 = time.perf_counter()
    ctx = ReportContext(quick=args.quick, runs_dir=runs)
    rows, carried, records = [], {}, []
    for claim in claims:
        if not args.from_store and matches(claim.id, args.only):
            print(f"measuring {claim.id} ...", file=sys.stderr)
            ts = time.perf_counter()
            m = claim.measure(ctx)
            rows.append((claim, m))
            records.append(record(claim, m, args.quick, time.perf_counter() - ts))
        elif claim.id in store_for_rows:
            r = store_for_rows[claim.id]
            rows.append((claim, Measurement(r["measured"], r["verdict"], r["why"])))
            carried[claim.id] = r
            records.append(r)
    files: dict[Path, bytes | str] = {}
    if store_path.exists():  # validated above: it is the last good copy
        files[backup_path(store_path)] = store_path.read_text(encoding="utf-8")
    files[store_path] = json.dumps(jsonable({"measurements": records}), indent=2, allow_nan=False) + "\n"
    files[out] = render(rows, args.quick, time.perf_counter() - t0, carried, args.only, from_store=args.from_store)
    write_set(files)  # store, its backup and the report change together or not at all
    print(f"wrote {out} ({len(rows)} claims, {len(carried)} carried over) and {store_path}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
