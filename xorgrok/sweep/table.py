"""Tidy tables of a stored sweep: one row per task (tasks.csv/json) and one row per cell (cells.csv/json).

A cell is one point of the axes (all seeds pooled). It reports the success frequency of Theorem 3.2's
conclusion with its Clopper-Pearson interval, which assumptions hold there at the record's C, and the class
of xorgrok.sweep.maps.classify.

Xu'24 cells (records with errors_t1) also carry the frequency of each per-run claim, (i) and (iii), and claim
(ii) read the way `verify --regime literal` reads it: the t = 1 errors of all seeds pooled, their 95%
Clopper-Pearson interval, the largest c whose band 1/2 (1 ± n^-c) meets it (theory.stats.band_constant) and
claim_ii_holds = c >= presets.XU_II_C_MIN. The cell's conclusion holds only if the (i)&(iii) success frequency
is >= level and claim_ii_holds.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from pathlib import Path
from typing import Any

from xorgrok.core.records import atomic_write_text
from xorgrok.sweep.maps import LEVEL, classify
from xorgrok.sweep.presets import XU_II_C_MIN
from xorgrok.sweep.spec import SweepSpec
from xorgrok.sweep.store import TaskStore
from xorgrok.theory.stats import band_constant, frequency

HOLDS = ("holds_A1", "holds_A2", "holds_A3", "holds_A4", "holds_A5")  # GrokTransfer; Xu'24 records: holds_xu_A*
CELL_MEAN = ("c1", "c2", "c3", "c4", "c5", "eps", "delta_fro", "v_init", "alpha", "m", "n", "p",
             "k1", "k2", "k3", "k4", "k5", "k6", "mu_norm", "eta", "omega")
CLAIMS = ("claim_i", "claim_iii")  # Xu'24 records: each per-run claim's own frequency per cell


def _scalar(v: Any) -> bool:
    return v is None or isinstance(v, (bool, int, float, str))


def task_rows(spec: SweepSpec, store: TaskStore) -> list[dict[str, Any]]:
    axes = [a for a, _ in spec.axes]
    rows = []
    for pi, pt in enumerate(spec.points()):
        for t in spec.tasks()[pi * len(spec.seeds):(pi + 1) * len(spec.seeds)]:
            rec = store.get(t.key)
            row: dict[str, Any] = {"cell": pi, **{a: pt[a] for a in axes}, "seed": t.seed, "key": t.key}
            if rec is None:
                row["status"] = "missing"
            elif rec["status"] == "error":
                row.update({"status": "error", "error": f"{rec['error_type']}: {rec['error']}"})
            else:
                row["status"] = "ok"
                row.update({k: v for k, v in rec["result"].items() if _scalar(v) and k not in row})
            rows.append(row)
    return rows


def pooled_ii(ok: list[dict[str, Any]]) -> dict[str, Any]:
    """Claim (ii) of a cell of Xu'24 records: every seed's t = 1 errors pooled (the rows share n)."""
    k = sum(int(r["errors_t1"]) for r in ok)
    pts = sum(int(r["test_size"]) for r in ok)
    lo, hi, c = band_constant(k, pts, int(ok[0]["n"]))
    return {"claim_ii_errors": k, "claim_ii_points": pts, "claim_ii_err": k / pts, "claim_ii_ci_low": lo,
            "claim_ii_ci_high": hi, "claim_ii_c_allowed": c, "claim_ii_holds": c >= XU_II_C_MIN}


def cell_rows(spec: SweepSpec, rows: list[dict[str, Any]], level: float = LEVEL) -> list[dict[str, Any]]:
    axes = [a for a, _ in spec.axes]
    out = []
    for pi, pt in enumerate(spec.points()):
        rs = [r for r in rows if r["cell"] == pi]
        ok = [r for r in rs if r["status"] == "ok"]
        cell: dict[str, Any] = {"cell": pi, **{a: pt[a] for a in axes}, "tasks": len(rs), "ok": len(ok),
                                "errors": sum(r["status"] == "error" for r in rs),
                                "missing": sum(r["status"] == "missing" for r in rs)}
        for k in CELL_MEAN:
            vals = [r[k] for r in ok if isinstance(r.get(k), (int, float))]
            cell[k] = statistics.fmean(vals) if vals else None
        if ok:
            k_succ = sum(bool(r["success"]) for r in ok)
            fr = frequency(k_succ, len(ok))
            errs = [r["test_error"] for r in ok if isinstance(r.get("test_error"), (int, float))]
            names = sorted({k for r in ok for k in r if k.startswith("holds_")})
            holds = {h: all(bool(r.get(h)) for r in ok) for h in names}
            for cl in CLAIMS:
                said = [bool(r[cl]) for r in ok if isinstance(r.get(cl), bool)]  # None: vacuous at this n
                if said:
                    fc = frequency(sum(said), len(said))
                    cell.update({f"{cl}_freq": fc.freq, f"{cl}_ci_low": fc.ci_low, f"{cl}_ci_high": fc.ci_high,
                                 f"{cl}_runs": len(said)})
            three = all(bool(r.get("three_features", True)) for r in ok)
            cell.update({"successes": k_succ, "success_freq": fr.freq, "ci_low": fr.ci_low, "ci_high": fr.ci_high,
                         "error_kind": ok[0].get("error_kind"),
                         "test_error_median": statistics.median(errs) if errs else None,
                         "test_error_max": max(errs) if errs else None, "C": ok[0].get("C"), **holds,
                         "three_features": three, "assumptions_hold": all(holds.values()) and three})
            pooled = True
            if all(isinstance(r.get("errors_t1"), int) for r in ok):
                cell.update(pooled_ii(ok))
                pooled = cell["claim_ii_holds"]
            cell["class"] = classify(cell["assumptions_hold"], fr.freq, fr.ci_high, level, pooled)
        else:
            cell.update({"success_freq": None, "class": "no data"})
        out.append(cell)
    return out


def _csv(rows: list[dict[str, Any]]) -> str:
    cols: list[str] = []
    for r in rows:
        cols += [k for k in r if k not in cols]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in cols})
    return buf.getvalue()


def write_tables(spec: SweepSpec, store: TaskStore, out: Path) -> dict[str, Any]:
    rows = task_rows(spec, store)
    cells = cell_rows(spec, rows)
    atomic_write_text(out / "tasks.csv", _csv(rows))
    atomic_write_text(out / "tasks.json", json.dumps(rows, indent=1) + "\n")
    atomic_write_text(out / "cells.csv", _csv(cells))
    atomic_write_text(out / "cells.json", json.dumps(cells, indent=1) + "\n")
    return {"tasks": rows, "cells": cells}
