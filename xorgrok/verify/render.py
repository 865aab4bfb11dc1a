"""The readable verdict table: each section opens with its preconditions, then its conclusions."""

from __future__ import annotations

import textwrap

from xorgrok.verify import verdict

LABEL = {"holds": "HOLDS", "fails": "FAILS", "not-applicable": "N/A", "undecided": "UNDECIDED", "info": "INFO"}


def _label(c: dict) -> str:
    if c["kind"] in ("precondition", "assumption"):
        return "PRE " + ("holds" if c["holds"] else "FAILS" if c["holds"] is False else "info")
    return LABEL[c["status"]]


def _lines(c: dict, width: int) -> list[str]:
    out = [f"{_label(c):<10} {c['id']:<28} {c['title']}  [{c['source']}]"]
    if c["kind"] == "symbolic":  # one line each; the detail is in --json and `python -m proofs_check`
        if c.get("note"):
            out.append(textwrap.fill(f"erratum: {c['note']}", width, initial_indent=" " * 11,
                                     subsequent_indent=" " * 11))
        return out
    body = ""
    if c["status"] == "not-applicable":
        body = f"outside its hypotheses ({', '.join(c['preconditions_failing'])} fail): "
    elif c.get("preconditions_missing"):
        body = f"preconditions not checked in this run: {', '.join(c['preconditions_missing'])}; "
    body += f"measured: {c['measured']}  |  claimed: {c['claimed']}"
    if c["status"] == "fails" and c.get("rule"):
        body += (f"  |  fails for every constant in the generous range (K <= {verdict.K_MAX:g} in O(n^-q), "
                 f"c >= {verdict.C_MIN:g} in exp(-c log^2 n) / n^-c) with all its preconditions holding")
    if c.get("note"):
        body += f"  |  note: {c['note']}"
    out.append(textwrap.fill(body, width, initial_indent=" " * 11, subsequent_indent=" " * 11))
    return out


def table(sections: list[tuple[list[str], list[dict]]], width: int = 118) -> str:
    """sections: (header lines, checks)."""
    out = []
    for head, checks in sections:
        out.append("=" * width)
        out.extend(textwrap.fill(h, width, subsequent_indent="  ") for h in head)
        pre = [c for c in checks if c["kind"] in ("precondition", "assumption")]
        rest = [c for c in checks if c not in pre]
        if pre:
            bad = [c["id"] for c in pre if c["holds"] is False]
            out.append("-" * width)
            out.append("Preconditions" + (f" (failing: {', '.join(bad)}; the conclusions resting on them are "
                                          "measured outside their hypotheses, N/A)" if bad else " (all hold)"))
            for c in pre:
                out.extend(_lines(c, width))
        if rest:
            out.append("-" * width)
            out.append("Conclusions")
            for c in rest:
                out.extend(_lines(c, width))
    return "\n".join(out)


def summary(checks: list[dict], wall: float) -> str:
    con, pre = verdict.counts(checks)
    sym = [c for c in checks if c["kind"] == "symbolic"]
    s = (f"Conclusions: {con['holds']} hold, {con['fails']} fail, {con['not-applicable']} not applicable "
         f"(measured outside their hypotheses), {con['undecided']} undecided (implied constants reported), "
         f"{con['info']} informational. Preconditions: {pre['holds']} hold, {pre['fails']} fail.")
    if sym:
        s += f" Symbolic: {sum(c['holds'] is True for c in sym)}/{len(sym)} pass."
    s += f" {wall:.0f} s wall (CPU shared)."
    fails = [c["id"] for c in checks if c["status"] == "fails" and c["kind"] != "precondition"]
    if fails:
        s += f"\nFailing: {', '.join(fails)}"
    return s
