"""`python -m xorgrok proofs`: see xorgrok.proofs.core."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence

import xorgrok.proofs as _doc_source
from xorgrok.core.cli import ArgumentParser, run_main
from xorgrok.core.errors import InputError
from xorgrok.proofs.core import registry, run_all


def main(argv: Sequence[str] | None = None) -> int:
    ap = ArgumentParser(prog="python -m xorgrok proofs", description=_doc_source.__doc__)
    ap.add_argument("--json", action="store_true", help="print a JSON list of check objects")
    ap.add_argument("--only", action="append", default=[], metavar="ID", help="run only this check (repeatable)")
    args = ap.parse_args(argv)
    checks = registry()
    known = [c.id for c in checks]
    for cid in args.only:
        if cid not in known:
            raise InputError(f"--only: unknown check id {cid!r}; known: {', '.join(known)}")
    if args.only:
        checks = [c for c in checks if c.id in args.only]
    t0 = time.perf_counter()
    results = run_all(checks)
    wall = time.perf_counter() - t0
    if args.json:
        rows = [{"id": c.id, "kind": "symbolic", "source": c.source, "statement": c.statement,
                 "holds": r.passed, "detail": r.detail, "erratum": r.erratum} for c, r in results]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        w = max(len(c.id) for c, _ in results)
        print(f"xorgrok.proofs: {len(results)} symbolic checks (sympy), {wall:.1f} s")
        for c, r in results:
            print(f"{'PASS' if r.passed else 'FAIL'}  {c.id:<{w}}  {c.source}: {c.statement}")
            print(f"      {r.detail}")
        errata = [(c, r) for c, r in results if r.erratum]
        if errata:
            print("\nErrata in the papers (the step the proof needs is checked above; the printed text is off):")
            for c, r in errata:
                print(f"- {c.id} ({c.source}): {r.erratum}")
        n_fail = sum(not r.passed for _, r in results)
        print(f"\n{len(results) - n_fail} passed, {n_fail} failed")
    return 0 if all(r.passed for _, r in results) else 1
if __name__ == "__main__":
    raise SystemExit(run_main(main))
