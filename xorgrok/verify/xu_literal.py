"""Xu et al. 2024 Theorem 3.1 measured INSIDE all of its assumptions: `--theorem xu2024 --regime literal`.

(A1) and (A2) force p >= C^4 n^5.02, far beyond any n x p matrix; the exact dimension-free simulator
(`train.xu_exact`, Bartlett representation: p is a chi-square degree of freedom) makes every such p a number.
For each n the parameters sit on the assumption boundary:
  p = slack C^4 n^5.02; ||mu||^2 = the geometric mean of the (A1) lower and (A2) upper bounds, so each holds
  with a factor slack^(1/4); alpha = 1/(C n p), (A4) with equality; omega_init = alpha ||mu||^2 / (n m^1.5 p) /
  omega_slack, (A5) with that factor; eta = min(eta, 1/C); m >= C n^0.02 is checked.
Per n, `seeds` independent runs (fresh data, initialisation and `test_size` fresh clean test points each) give
each claim's frequency with a 95% Clopper-Pearson interval, and each claim's failure frequency against n gets a
log-log slope (Theorem 3.1's failure probability is n^(-Omega(1)) + O(1/sqrt m)). Per-seed events:
  (i)   100% training accuracy (observed labels) at every 1 <= t <= T;
  (ii)  clean test error at t = 1 in 1/2 (1 ± n^-c): not a per-seed event but the pooled t = 1 errors of all
        seeds at each n, read by the verdict model's band rule (verify.verdict.band_verdict) as in the default
        mode: per n the CP interval of the error and the implied constant c (the largest c whose band
        1/2 (1 ± n^-c) meets it; inf when the interval contains 1/2); the verdict at the largest n `fails` only
        if the implied c is below the generous range's C_MIN;
  (iii) no clean test error on the fresh points at any C n^0.01 <= t <= T (with the certified upper bound on the
        error beside it, for errors below Monte Carlo resolution);
with T = floor(sqrt n), the end of the proven window. Beyond p ~ 2^53 the chi-square degrees of freedom are
float64-rounded (relative 1e-16, invisible next to the chi-square's own spread sqrt(2p)).
Verdict rule (xorgrok.verify.verdict): per n the frequency of failing runs with its CP interval, and the
verdict at the largest n against P(fail) <= n^-c + O(1/sqrt m) for every constant in the generous range: `fails`
only if the interval excludes all of them, else `undecided` with the implied c. The theorem asks for a large
enough C; C = 1 is the default here (--C raises it; p grows as C^4).
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from xorgrok.core.errors import InputError, check_float, check_int
from xorgrok.core.seeding import derive
from xorgrok.experiments.xu_claims import claims_run
from xorgrok.experiments.xu_claims import steps as _steps
from xorgrok.experiments.xu_claims import t_from as _t_from
from xorgrok.theory import assumptions as asm
from xorgrok.theory import claims, events
from xorgrok.theory.stats import frequency, loglog_slope
from xorgrok.train.xu_exact import XuSetting
from xorgrok.verify.result import check, freq_fig
from xorgrok.verify.verdict import band_verdict

T = "xu2024"
DEFAULT_NS = (25, 50, 100, 200, 400)
P_MAX = 10**24


@dataclasses.dataclass(frozen=True)
class LiteralParams:
    ns: tuple[int, ...] = DEFAULT_NS
    C: float = 1.0
    slack: float = 2.0  # p = slack C^4 n^5.02 (> 1 so that an ||mu|| meeting (A1) and (A2) exists)
    omega_slack: float = 10.0
    m: int | None = None  # None: max(1000, ceil(C n^0.02)), so that (A6) holds
    eta: float = 0.05
    seeds: int = 10
    test_size: int = 500
    seed: int = 0
    xu_eps: float = events.XU_EPS_DEFAULT
    device: str = "cpu"

    def __post_init__(self) -> None:
        if not self.ns:
            raise InputError("n: at least one value is needed")
        for n in self.ns:
            check_int("n", n, lo=4)
        check_float("C", self.C, 0.0, lo_open=True)
        check_float("slack", self.slack, 1.0, lo_open=True)
        check_float("omega_slack", self.omega_slack, 1.0)
        if self.m is not None:
            check_int("m", self.m, lo=1)
        check_float("eta", self.eta, 0.0, 0.5, hi_open=True)
        check_int("seeds", self.seeds, lo=1)
        check_int("test_size", self.test_size, lo=1)
        check_int("seed", self.seed, lo=0)
        for n in self.ns:  # refuse an unrepresentable p before any run starts
            self.setting(n)

    def setting(self, n: int) -> XuSetting:
        C = self.C
        p = math.ceil(self.slack * C**4 * n**5.02)
        if p > P_MAX:
            raise InputError(f"C, n: p = {p:.3g} at n = {n} is above {P_MAX:.0e}, where float64 rounding of the "
                             "O(p) squared norms reaches 1e-4 of the O(sqrt p) cross terms")
        lo, hi = C * n**0.51 * math.sqrt(p), p / (C * n**2)
        mu_sq = math.sqrt(lo * hi)
        alpha = 1 / (C * n * p)
        m = self.width(n)
        omega = alpha * mu_sq / (n * m**1.5 * p) / self.omega_slack
        return XuSetting(n=n, p=p, m=m, mu_norm=math.sqrt(mu_sq), eta=min(self.eta, 1 / C), alpha=alpha,
                         omega=omega)

    def width(self, n: int) -> int:
        return self.m if self.m is not None else max(1000, math.ceil(self.C * n**0.02))

    @staticmethod
    def steps(n: int) -> int:
        return _steps(n)

    def t_from(self, n: int) -> int:
        return _t_from(n, self.C)


@dataclasses.dataclass
class SeedResult:
    i: bool
    iii: bool | None  # None: the window C n^0.01 <= t <= sqrt n is empty at this n
    sign_rule: bool
    test_err: list[float]
    err_t1: float
    errors_t1: int  # err_t1 as a count over the test_size fresh points
    bound_window_fro: float  # max over the (iii) window of the certified error bound (L = ||W||_F)
    bound_T_op: float  # the certified bound at t = T with L = ||W||_op
    data: events.DataEvents
    init: events.InitEvents
    wall_s: float


def run_seed(P: LiteralParams, n: int, k: int) -> SeedResult:
    t0 = time.perf_counter()
    st = P.setting(n)
    T_ = P.steps(n)
    s = derive(P.seed, "verify", "xu-literal", n, k)
    run = claims_run(st, s, P.C, P.test_size, P.device)
    smp, tr, t_from = run.sample, run.trajectory, run.t_from
    window = tr.test_err[t_from:T_ + 1]
    _, pred = claims.sign_rule(smp.cluster, smp.flipped)
    right = [e < 0.5 for e in tr.cluster_test_err_t1]
    mu1, mu2 = smp.means()
    de = events.data_events(smp.x, smp.cluster, smp.flipped, mu1, mu2, st.eta, P.xu_eps, p=st.p)
    ie = events.init_events(smp.x, smp.cluster, smp.flipped, smp.W0, smp.a, P.xu_eps)
    return SeedResult(
        i=run.i, iii=run.iii,
        sign_rule=right == list(pred),
        test_err=tr.test_err, err_t1=run.err_t1, errors_t1=run.errors_t1,
        bound_window_fro=max(tr.err_bound_fro[t_from:T_ + 1]) if window else float("nan"),
        bound_T_op=tr.err_bound_op[T_], data=de, init=ie, wall_s=time.perf_counter() - t0)


def _error_free_from(err: list[float]) -> int | None:
    """The smallest t >= 1 with zero Monte Carlo test error at every step from t to the end (None: never)."""
    t = len(err)
    while t > 1 and err[t - 1] == 0.0:
        t -= 1
    return None if t == len(err) else t


class LiteralContext:
    def __init__(self, prm: LiteralParams, progress: bool = True) -> None:
        self.prm = prm
        self.progress = progress
        self._runs: dict[int, list[SeedResult]] | None = None

    def runs(self) -> dict[int, list[SeedResult]]:
        if self._runs is None:
            P = self.prm
            jobs = [(n, k) for n in P.ns for k in range(P.seeds)]
            out: dict[int, list[SeedResult]] = {n: [] for n in P.ns}
            for n, k in tqdm(jobs, desc="Xu'24 literal regime", disable=not self.progress, leave=False):
                out[n].append(run_seed(P, n, k))
            self._runs = out
        return self._runs


def _assumptions_at(P: LiteralParams, n: int) -> list[asm.AssumptionCheck]:
    st = P.setting(n)
    return asm.xu_assumptions(n, st.p, st.mu_norm, st.eta, st.m, st.alpha, st.omega, P.C)


def _assumption_checks(P: LiteralParams) -> list[dict]:
    per_n = {n: _assumptions_at(P, n) for n in P.ns}
    out = []
    for idx, aid in enumerate(asm.XU_IDS):
        rows = [(n, per_n[n][idx]) for n in P.ns]
        ok = all(a.holds for _, a in rows)
        meas = "; ".join(f"n={n}: {a.lhs:.4g} {a.relation} {a.rhs:.4g}" for n, a in rows)
        out.append(check(aid, "assumption", T, f"{rows[0][1].statement} at every n", rows[0][1].source, ok,
                         f"{rows[0][1].statement} (at C = {P.C:g})", meas,
                         {"per_n": [{"n": n, "lhs": a.lhs, "rhs": a.rhs, "implied_C": a.implied_C} for n, a in rows]}))
    pmin = {n: asm.xu_min_dimension(n, P.C) for n in P.ns}
    out.append(check("xu-regime", "assumption", T, "literal regime p >= C^4 n^5.02 reachable?",
                     "Xu'24 (A1)+(A2) (xorgrok.proofs xu-A1A2-dimension)",
                     all(P.setting(n).p >= pmin[n] for n in P.ns),
                     "(A1) and (A2) need p >= C^4 n^5.02",
                     "reachable: " + "; ".join(f"n={n}: p = {P.setting(n).p:.4g} >= {pmin[n]:.4g}" for n in P.ns),
                     {"per_n": [{"n": n, "p": P.setting(n).p, "p_min": pmin[n]} for n in P.ns],
                      "engine": "bartlett (exact in law, memory O((n+m)^2 + (n+m) n_test), independent of p)"},
                     note="simulated exactly: GD keeps each w_j in span(mu, xi, g); p enters as a chi-square "
                          "degree of freedom of the Bartlett factor"))
    return out


def _claimed(P: LiteralParams, n: int) -> float:
    return 1 - 1 / n - 1 / math.sqrt(P.width(n))


def _slope(ns: list[int], fails: list[int], seeds: list[int]) -> dict:
    pts = [(n, f / s) for n, f, s in zip(ns, fails, seeds) if f > 0]
    if len({n for n, _ in pts}) < 2:
        return {"slope": None, "points": len(pts),
                "why": "fewer than two n with an observed failure: no log-log slope"}
    fit = loglog_slope([n for n, _ in pts], [q for _, q in pts])
    return {"slope": fit.slope, "ci95": [fit.ci_low, fit.ci_high], "points": fit.n_points}


def _claim_check(P: LiteralParams, runs: dict[int, list[SeedResult]], cid: str, attr: str, title: str,
                 source: str, extra=None) -> dict:
    ns = list(P.ns)
    per: list[dict[str, Any]] = []
    fails: list[int] = []
    verdicts: list[bool | None] = []
    for n in ns:
        rs = [r for r in runs[n] if getattr(r, attr) is not None]
        cp = _claimed(P, n)
        if not rs:  # the claim says nothing at this n
            verdicts.append(None)
            fails.append(0)
            per.append({"n": n, "p": P.setting(n).p, "seeds": 0, "k": 0, "freq": None, "ci95": [0.0, 1.0],
                        "claimed_probability": cp, "vacuous": True})
            continue
        k = sum(bool(getattr(r, attr)) for r in rs)
        f = frequency(k, len(rs))
        verdicts.append(None if cp < 0.05 else f.ci_high >= cp)
        fails.append(len(rs) - k)
        row = {**freq_fig(f), "n": n, "p": P.setting(n).p, "seeds": len(rs), "claimed_probability": cp}
        if extra:
            row.update(extra(n, rs))
        per.append(row)
    decided = [v for v in verdicts if v is not None]
    holds = None if not decided else all(decided)
    slope = _slope([r["n"] for r in per], fails, [r["seeds"] for r in per])
    meas = "; ".join(f"n={r['n']}: " + ("vacuous (empty window)" if r.get("vacuous") else
                                         f"{r['k']}/{r['seeds']} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}]")
                     for r in per)
    sl = ("failure-rate log-log slope " + (f"{slope['slope']:.2f} (95% CI [{slope['ci95'][0]:.2f}, "
                                           f"{slope['ci95'][1]:.2f}])" if slope["slope"] is not None
                                           else f"n/a ({slope['why']})"))
    c = check(cid, "claim", T, title, source, holds,
              "w.p. >= 1 - n^-Omega(1) - O(1/sqrt m) inside (A1)-(A6)",
              f"frequency (95% CP) {meas}; {sl}", {"per_n": per, "failure_slope": slope},
              note="measured inside every assumption (exact dimension-free simulator)")
    # The verdict is read at the largest n with data, against every constant in the generous range
    # (verify.verdict.npow_verdict), never at constant 1.
    c["preconditions"] = [*asm.XU_IDS, "xu-regime"]
    last = next((r for r in reversed(per) if r["seeds"]), None)
    if last is not None:
        c["rule"] = {"type": "npow", "k_fail": last["seeds"] - last["k"], "trials": last["seeds"], "n": last["n"],
                     "m": P.setting(last["n"]).m}
    return c


def _ii_check(P: LiteralParams, runs: dict[int, list[SeedResult]]) -> dict:
    """Claim (ii) as the default mode reads it: pooled t = 1 errors per n against 1/2 (1 ± n^-c)."""
    per: list[dict[str, Any]] = []
    for n in P.ns:
        rs = runs[n]
        k = sum(r.errors_t1 for r in rs)
        pts = P.test_size * len(rs)
        b = band_verdict(k, pts, n, 0.05)
        per.append({"n": n, "p": P.setting(n).p, "seeds": len(rs), "k_err": k, "points": pts,
                    "err": k / pts if pts else None, "ci95": b["ci"], "implied_c": b["c_allowed"],
                    "test_err_t1": [r.err_t1 for r in rs]})
    meas = "; ".join(f"n={r['n']}: {r['k_err']}/{r['points']} errors [{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}], "
                     f"implied c {'inf' if math.isinf(r['implied_c']) else format(r['implied_c'], '.3g')}"
                     for r in per)
    c = check("xu-thm-3.1-ii", "claim", T, "test error ~ 1/2 at t = 1 (catastrophic overfitting)",
              "Xu'24 Theorem 3.1(ii)", None, "1/2 (1 - n^-Omega(1)) <= error <= 1/2 (1 + n^-Omega(1))",
              f"pooled clean test error at t = 1 (95% CP) {meas}", {"per_n": per},
              note="measured inside every assumption (exact dimension-free simulator); implied c = the largest c "
                   "with 1/2 (1 ± n^-c) meeting the interval")
    c["preconditions"] = [*asm.XU_IDS, "xu-regime"]
    last = next((r for r in reversed(per) if r["points"]), None)
    if last is not None:
        c["rule"] = {"type": "band", "k_err": last["k_err"], "points": last["points"], "n": last["n"]}
    return c


def _event_check(P: LiteralParams, runs: dict[int, list[SeedResult]], cid: str, title: str, source: str,
                 pick) -> dict:
    per = []
    for n in P.ns:
        f = frequency(sum(bool(pick(r)) for r in runs[n]), len(runs[n]))
        per.append({**freq_fig(f), "n": n, "seeds": len(runs[n])})
    meas = "; ".join(f"n={r['n']}: {r['k']}/{r['seeds']} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}]" for r in per)
    return check(cid, "lemma", T, title, source, None, "w.p. >= 1 - O(n^-eps) [vacuous at any feasible n]",
                 f"frequency (95% CP) {meas}", {"per_n": per},
                 note="reported, not judged: the claimed probability 1 - n^-eps is below 0.05 at these n")


def literal_checks(ctx: LiteralContext) -> list[dict]:
    P = ctx.prm
    runs = ctx.runs()
    out = _assumption_checks(P)

    def iii_extra(n: int, rs: list[SeedResult]) -> dict:
        if P.t_from(n) > P.steps(n):
            return {"t_from": P.t_from(n), "t_to": P.steps(n)}
        return {"t_from": P.t_from(n), "t_to": P.steps(n),
                "max_certified_bound_window_fro": max(r.bound_window_fro for r in rs),
                "max_certified_bound_T_op": max(r.bound_T_op for r in rs),
                "worst_mc_error_window": max(max(r.test_err[P.t_from(n):P.steps(n) + 1]) for r in rs),
                "first_t_error_free_to_T": [_error_free_from(r.test_err) for r in rs]}

    out.append(_claim_check(P, runs, "xu-thm-3.1-i", "i", "100% training accuracy for 1 <= t <= sqrt n",
                            "Xu'24 Theorem 3.1(i)"))
    out.append(_ii_check(P, runs))
    out.append(_claim_check(P, runs, "xu-thm-3.1-iii", "iii",
                            "no test error on the fresh points for C n^0.01 <= t <= sqrt n", "Xu'24 Theorem 3.1(iii)",
                            iii_extra))
    out.append(_claim_check(P, runs, "xu-sign-rule", "sign_rule", "cluster nu right at t=1 iff e_nu > 0",
                            "Xu'24 (A.81),(A.88) [I]"))
    ev = [("xu-B1", "(B1) projections and norms of x_k", "Xu'24 Lemma 4.1", lambda r: r.data.b1),
          ("xu-B2", "(B2) cross inner products", "Xu'24 Lemma 4.1", lambda r: r.data.b2_holds),
          ("xu-B3", "(B3) cluster and flip counts", "Xu'24 Lemma 4.1", lambda r: r.data.b3),
          ("xu-B4", "(B4) anti-concentration", "Xu'24 Lemma 4.1", lambda r: r.data.b4),
          ("xu-near-orth", "near-orthogonality", "Xu'24 Corollary 4.2", lambda r: r.data.near_orthogonal),
          ("xu-D1", "(D1) activation counts at t = 0", "Xu'24 Lemma 4.4", lambda r: r.init.d1),
          ("xu-D2", "(D2) aligned neurons", "Xu'24 Lemma 4.4", lambda r: r.init.d2),
          ("xu-D3", "(D3) most neurons aligned", "Xu'24 Lemma 4.4", lambda r: r.init.d3)]
    out += [_event_check(P, runs, cid, title, src, fn) for cid, title, src, fn in ev]
    for c in out:
        c["regime"] = "literal"
    return out


def header(ctx: LiteralContext) -> list[str]:
    P = ctx.prm
    bad = [a.id for n in P.ns for a in _assumptions_at(P, n) if not a.holds]
    width = P.m if P.m is not None else "max(1000, C n^0.02)"
    lines = [f"Xu et al. 2024 Theorem 3.1 in its LITERAL regime: n in {list(P.ns)}, p = {P.slack:g} C^4 n^5.02, "
             f"m = {width}, C = {P.C:g}, {P.seeds} seeds per n, {P.test_size} fresh test points per seed; exact "
             "dimension-free simulator (Bartlett representation, float64)"]
    if bad:
        lines.append(f"OUTSIDE the theorem's assumptions: {', '.join(sorted(set(bad)))} fail.")
    return lines


def table_rows(checks: list[dict]) -> list[str]:
    """The in-regime table: n, p, seeds, each claim's frequency with its interval."""
    by = {c["id"]: c for c in checks}
    ids = [i for i in ("xu-thm-3.1-i", "xu-thm-3.1-ii", "xu-thm-3.1-iii") if i in by]
    if not ids:
        return []

    def cell(r: dict) -> str:
        if "k_err" in r:  # claim (ii): pooled t = 1 error with its implied constant
            c = "inf" if math.isinf(r["implied_c"]) else f"{r['implied_c']:.2g}"
            return f"err {r['err']:.3f} [{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}], c <= {c}"
        return "vacuous" if r.get("vacuous") else f"{r['k']}/{r['seeds']} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}]"

    rows = ["| n | p | seeds | " + " | ".join(ids) + " |", "|---|---|---|" + "---|" * len(ids)]
    first = by[ids[0]]["figures"]["per_n"]
    for j, r in enumerate(first):
        cells = [cell(by[i]["figures"]["per_n"][j]) for i in ids]
        rows.append(f"| {r['n']} | {r['p']:.3g} | {r['seeds']} | " + " | ".join(cells) + " |")
    return rows


def seconds_per_seed(ctx: LiteralContext) -> dict[int, float]:
    return {n: float(np.mean([r.wall_s for r in rs])) for n, rs in ctx.runs().items()}


# ------------------------------------------------------------------ command-line hook (python -m xorgrok.verify)
FIXED_BY_REGIME = ("p", "mu_norm", "alpha", "omega_init", "steps", "eps", "sweep", "v_init")


def add_arguments(ap) -> None:
    g = ap.add_argument_group("Xu'24 literal regime (--theorem xu2024 --regime literal)")
    g.add_argument("--regime", choices=["default", "literal"], default="default",
                   help="literal: every Xu'24 assumption holds (p = slack C^4 n^5.02, exact simulator); "
                        "--n N adds N to the n values 25 50 100 200 400, --ns replaces them")
    g.add_argument("--ns", default=None, metavar="N1,N2,...", help="literal regime: the n values")
    g.add_argument("--slack", type=float, default=LiteralParams.slack,
                   help="literal regime: p = slack C^4 n^5.02 (> 1; default 2)")
    g.add_argument("--device", default="auto", help="literal regime: auto (CUDA when present), cpu, cuda[:k]")


def _ns(a) -> tuple[int, ...]:
    if a.ns is not None:
        try:
            vals = [int(v) for v in a.ns.split(",") if v.strip()]
        except ValueError:
            raise InputError(f"--ns must be a comma-separated list of integers >= 4, got {a.ns!r}") from None
    else:
        vals = list(DEFAULT_NS)
    if a.n is not None:
        vals.append(a.n)
    if not vals or min(vals) < 4:
        raise InputError(f"--ns/--n: every n must be >= 4, got {vals}")
    return tuple(sorted(set(vals)))


def params_from_args(a) -> LiteralParams:
    if any(t != "xu2024" for t in a.theorem) or a.all:
        raise InputError("--regime literal applies to --theorem xu2024 only")
    given = [k for k in FIXED_BY_REGIME if getattr(a, k, None) is not None]
    if given:
        raise InputError(f"--regime literal sets {', '.join('--' + k.replace('_', '-') for k in given)} from the "
                         "assumption boundary; drop them (use --C, --slack, --m, --eta, --n/--ns)")
    if not a.slack > 1 or not math.isfinite(a.slack):
        raise InputError(f"--slack must be a number > 1, got {a.slack}")
    from xorgrok.core.device import pick_device

    kw = {k: getattr(a, k) for k in ("m", "eta", "seeds") if getattr(a, k) is not None}
    if a.test_size is not None:
        kw["test_size"] = a.test_size
    return LiteralParams(ns=_ns(a), C=1.0 if a.C is None else a.C,
                         slack=a.slack, seed=a.seed, device=str(pick_device(a.device)), **kw)


def run_from_args(a, ids: set[str] | None, progress: bool) -> tuple[list[tuple[list[str], list[dict]]], list[dict]]:
    """(sections, checks) for the verify command; `ids` as resolved by the registry (None: all)."""
    ctx = LiteralContext(params_from_args(a), progress=progress)
    got = literal_checks(ctx)
    if ids is not None:
        got = [c for c in got if c["id"] in ids]
    head = header(ctx)
    sec = seconds_per_seed(ctx)
    head.append("seconds per seed: " + ", ".join(f"n={n}: {s:.2f}" for n, s in sec.items()))
    inside = not any(h.startswith("OUTSIDE") for h in head)
    for c in got:
        c["in_assumptions"] = inside
        c.setdefault("log_base", "e (natural)")
    return [(head + table_rows(got), got)], got
