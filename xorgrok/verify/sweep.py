"""Tightness: `--sweep PARAM=LO:HI` moves one parameter across an assumption's boundary and reports where the
assumption stops holding and where its consequence actually starts to fail, and the ratio of the two.

- Assumption boundary: the parameter value where the assumption flips, by bisection on the closed form
  when it has one (all but a trained (A2)), else the first grid point where it flips.
- Consequence boundary: scanning the grid from the side where the assumption holds, the first grid value
  where the consequence is seen to fail in some seed ("first failure") and where it fails in most seeds
  (frequency < 1/2). For GrokTransfer the consequence is Theorem 3.2's one-step success (100% train and no
  error on the fresh test set), plus Lemma A.4's counts for m and n and Lemma A.2's deviation event; for
  Xu'24 it is Theorem 3.1 (i) and (iii) and the data events B1, B2.
ratio = consequence boundary / assumption boundary: far from 1 means the assumption is conservative there.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from xorgrok.theory import assumptions as asm
from xorgrok.theory.stats import frequency
from xorgrok.verify.context import GTContext
from xorgrok.verify.params import INT_PARAMS, GTParams, XuParams
from xorgrok.verify.result import check, freq_fig

# which assumptions move with which parameter
GT_DEPENDS = {"n": ("A1", "A2", "A3", "A5"), "p": ("A1", "A2"), "eps": ("A1", "A2"), "m": ("A4", "A5"),
              "v_init": ("A3", "A4"), "alpha": ("A4",), "C": ("A2", "A3", "A4")}
XU_DEPENDS = {"n": ("xu-A1", "xu-A2", "xu-A4", "xu-A5", "xu-A6"), "p": ("xu-A1", "xu-A2", "xu-A4", "xu-A5"),
              "mu_norm": ("xu-A1", "xu-A2", "xu-A5"), "eta": ("xu-A3",), "m": ("xu-A5", "xu-A6"),
              "alpha": ("xu-A4", "xu-A5"), "omega_init": ("xu-A5",), "C": ("xu-A1", "xu-A2", "xu-A3", "xu-A4", "xu-A6")}
RETRAIN = ("n", "p", "eps")  # GrokTransfer parameters that change the weak net, hence U and (A2)


def grid(param: str, lo: float, hi: float, k: int) -> list[float]:
    vals = np.geomspace(lo, hi, k)
    if param in INT_PARAMS:
        vals = np.unique(np.round(vals).astype(int))
        if len(vals) < 2:
            vals = np.array([int(round(lo)), int(round(hi))])
        return [int(v) for v in vals]
    return [float(v) for v in vals]


def _gt_assumptions(P: GTParams, delta_fro: float) -> dict[str, asm.AssumptionCheck]:
    return {a.id: a for a in asm.groktransfer_assumptions(P.n, P.p, P.eps, P.width, P.v_init, P.alpha,
                                                          delta_fro, P.C, P.log_base)}


def _xu_assumptions(P: XuParams) -> dict[str, asm.AssumptionCheck]:
    return {a.id: a for a in asm.xu_assumptions(P.n, P.p, P.mu, P.eta, P.m, P.alpha, P.omega_init, P.C)}


def _bisect(holds, lo: float, hi: float, integer: bool) -> float | None:
    """The flip point of a monotone predicate on [lo, hi] (log scale), None if it does not flip."""
    a, b = holds(lo), holds(hi)
    if a == b:
        return None
    x0, x1 = math.log(lo), math.log(hi)
    for _ in range(60):
        xm = (x0 + x1) / 2
        v = math.exp(xm)
        if integer:
            v = max(1, round(v))
        if holds(v) == a:
            x0 = xm
        else:
            x1 = xm
    return round(math.exp(x1)) if integer else math.exp(x1)


def _boundary_scan(values, ok_flags, start_from_lo: bool) -> float | None:
    order = list(range(len(values))) if start_from_lo else list(range(len(values)))[::-1]
    for i in order:
        if not ok_flags[i]:
            return values[i]
    return None


@dataclasses.dataclass
class Point:
    value: float
    assumptions: dict  # id -> {"holds", "implied_C"}
    consequences: dict  # name -> Frequency figures


def _gt_point(base: GTParams, param: str, v, cache: dict, progress: bool) -> Point:
    P = dataclasses.replace(base, **{param: v})
    ctx = GTContext(P, progress=progress, cache=cache)
    w = ctx.weak(P.seed)
    a = _gt_assumptions(P, w.emb.delta_fro)
    th = ctx.theorem_runs()
    cons = {"thm-3.2 success": frequency(sum(r.res.train_errors == 0 and r.res.test_errors == 0 for r in th),
                                         len(th)),
            "lemma-A.2 G_data": frequency(sum(r.dev_train.holds for r in th), len(th))}
    if param in ("m", "n"):
        ev = ctx.count_events()
        cons["lemma-A.4 counts"] = frequency(sum(e.holds for e in ev), len(ev))
    return Point(v, {k: {"holds": x.holds, "implied_C": x.implied_C} for k, x in a.items()},
                 {k: freq_fig(f) for k, f in cons.items()})


def _xu_point(base: XuParams, param: str, v, progress: bool) -> Point:
    from xorgrok.verify.xu import XuContext

    P = dataclasses.replace(base, **{param: v})
    ctx = XuContext(P, progress=progress)
    rs = ctx.runs()
    T = P.T
    cons = {"thm-3.1(i) train 100%": frequency(sum(all(x == 1.0 for x in r.train_acc[1:T + 1]) for r, _, _ in rs),
                                               len(rs)),
            "thm-3.1(iii) test err <= 1% at t=T": frequency(sum(r.test_err[T] <= 0.01 for r, _, _ in rs), len(rs)),
            "B1": frequency(sum(d.b1 for _, d, _ in rs), len(rs)),
            "B2": frequency(sum(d.b2_holds for _, d, _ in rs), len(rs))}
    a = _xu_assumptions(P)
    return Point(v, {k: {"holds": x.holds, "implied_C": x.implied_C} for k, x in a.items()},
                 {k: freq_fig(f) for k, f in cons.items()})


def run_sweep(theorem: str, base, param: str, lo: float, hi: float, k: int, progress: bool = True) -> list[dict]:
    """One check object per (assumption, consequence) pair that moves with `param`, plus the grid itself."""
    values = grid(param, lo, hi, k)
    depends = (GT_DEPENDS if theorem == "groktransfer" else XU_DEPENDS)[param]
    if theorem == "groktransfer":
        cache: dict = {}
        pts = [_gt_point(base, param, v, cache, progress) for v in values]
    else:
        pts = [_xu_point(base, param, v, progress) for v in values]
    out = []
    integer = param in INT_PARAMS
    for aid in depends:
        hold = [p.assumptions[aid]["holds"] for p in pts]
        analytic = not (theorem == "groktransfer" and aid == "A2" and param in ("n", "p", "eps"))
        if analytic:
            if theorem == "groktransfer":
                dfro = GTContext(base, progress=False, cache={}).weak(base.seed).emb.delta_fro if aid == "A2" else 1.0

                def holds(v, aid=aid, dfro=dfro):
                    return _gt_assumptions(dataclasses.replace(base, **{param: v}), dfro)[aid].holds
            else:
                def holds(v, aid=aid):  # type: ignore[misc]  # a different closure, the same call shape
                    return _xu_assumptions(dataclasses.replace(base, **{param: v}))[aid].holds
            a_bound = _bisect(holds, values[0], values[-1], integer)
        else:
            flips = [values[i + 1] for i in range(len(values) - 1) if hold[i] != hold[i + 1]]
            a_bound = flips[0] if flips else None
        from_lo = hold[0] or not hold[-1]
        others = sorted({i for p in pts for i, v in p.assumptions.items() if i not in depends and not v["holds"]})
        inside = [values[i] for i in range(len(values)) if hold[i]]
        for cname in pts[0].consequences:
            ok_all = [p.consequences[cname]["k"] == p.consequences[cname]["n"] for p in pts]
            ok_half = [p.consequences[cname]["freq"] >= 0.5 for p in pts]
            first = _boundary_scan(values, ok_all, from_lo)
            most = _boundary_scan(values, ok_half, from_lo)
            # ratio > 1: the consequence survives past the assumption's boundary (conservative assumption);
            # < 1: it fails inside the assumption's region. Scanning down from the high end inverts the quotient.
            ratio = None
            if first is not None and a_bound:
                ratio = first / a_bound if from_lo else a_bound / first
            where = "" if first is None else (" (inside the assumption's region)" if first in inside
                                              else " (outside the assumption's region)")
            out.append(check(
                f"sweep:{param}:{aid}:{cname.split()[0]}", "sweep", theorem,
                f"tightness of ({aid}) for {cname} over {param} in [{values[0]:g}, {values[-1]:g}]",
                "--sweep", None,
                f"({aid}) stops holding at {param} ~ "
                + ("(no flip in range)" if a_bound is None else f"{a_bound:.4g}"),
                f"{cname}: first failure at {param} = {first if first is not None else '(none in range)'}{where}, "
                f"mostly failing from {most if most is not None else '(none in range)'}; ratio first/assumption = "
                + ("n/a" if ratio is None else f"{ratio:.3g}"),
                {"param": param, "values": values, "assumption_holds": hold, "assumption_boundary": a_bound,
                 "consequence": cname, "consequence_by_value": [p.consequences[cname] for p in pts],
                 "first_failure": first, "mostly_failing": most, "ratio": ratio, "other_failing": others,
                 "implied_C": [p.assumptions[aid]["implied_C"] for p in pts]},
                note=f"scan from the {'low' if from_lo else 'high'} end; grid of {len(values)} log-spaced values"
                + ("; (A4) is two-sided, so it can hold on an interval only: see assumption_holds per grid value"
                   if aid == "A4" else "")
                + (f"; other assumptions failing somewhere on the grid: {', '.join(others)}" if others else "")))
    return out
