"""The readable verdict table."""

from __future__ import annotations

import textwrap

VERDICT = {True: "HOLDS", False: "FAILS", None: "INFO "}


def table(sections: list[tuple[list[str], list[dict]]], width: int = 118) -> str:
    """sections: (header lines, checks). Each check: a verdict line, then what was measured and claimed."""
    out = []
    for head, checks in sections:
        out.append("=" * width)
        out.extend(textwrap.fill(h, width, subsequent_indent="  ") for h in head)
        out.append("-" * width)
        for c in checks:
            out.append(f"{VERDICT[c['holds']]}  {c['id']:<18} {c['title']}  [{c['source']}]")
            if c["kind"] == "symbolic":  # one line each; the detail is in --json and `python -m proofs_check`
                if c.get("note"):
                    out.append(textwrap.fill(f"erratum: {c['note']}", width, initial_indent=" " * 7,
                                             subsequent_indent=" " * 7))
                continue
            body = f"measured: {c['measured']}  |  claimed: {c['claimed']}"
            if c.get("note"):
                body += f"  |  note: {c['note']}"
            out.append(textwrap.fill(body, width, initial_indent=" " * 7, subsequent_indent=" " * 7))
    return "\n".join(out)


def summary(checks: list[dict], wall: float) -> str:
    n_t = sum(c["holds"] is True for c in checks)
    n_f = sum(c["holds"] is False for c in checks)
    n_i = sum(c["holds"] is None for c in checks)
    fails = ", ".join(c["id"] for c in checks if c["holds"] is False)
    s = f"{len(checks)} checks: {n_t} hold, {n_f} fail, {n_i} informational; {wall:.0f} s wall (CPU shared)."
    if fails:
        s += f"\nFailing: {fails}"
    return s
