"""docs/tightness.md's Xu'24 section: claim maps in the literal regime (xu-literal sweeps), how often each claim
holds inside and outside the assumption box, the counterexample candidates, and, along n, the failure frequency
of the per-run claims (i), (iii) with its log-log slope and claim (ii)'s pooled interval and implied constant.

Claims (i) and (iii) are per-run events read by their frequency over a cell's seeds; claim (ii) is read as
`python -m xorgrok.verify --theorem xu2024 --regime literal` reads it (sweep.table.pooled_ii)."""

from __future__ import annotations

from typing import Any

from xorgrok.sweep import presets
from xorgrok.sweep.gridtext import SYMBOL, class_grid
from xorgrok.sweep.studies import run_map, run_xu_scaling

CLAIMS = (("claim_i", "(i)"), ("claim_ii", "(ii)"), ("claim_iii", "(iii)"))
HEADING = "## Xu et al. 2024 Theorem 3.1 in its literal regime"  # docgen --only xu splices from this line
POOLED = "claim_ii"  # read from the cell's pooled errors, not as a frequency of per-run events


def _f(v: Any) -> str:
    return "  - " if v is None else f"{v:.2f}"[1:] if v < 1 else "1.0"


def _ii(c: dict[str, Any]) -> str:
    """Claim (ii)'s pooled verdict: + consistent with some c >= C_MIN, x excluded, - no data."""
    h = c.get("claim_ii_holds")
    return "-" if h is None else "+" if h else "x"


def _c(v: float) -> str:
    return "inf" if v == float("inf") else f"{v:.3g}"


def _xu_cell(c: dict[str, Any]) -> str:
    return f"{SYMBOL[c['class']]} {_f(c.get('claim_i_freq'))}/{_ii(c)}/{_f(c.get('claim_iii_freq'))}"


def xu_grid_text(m: dict[str, Any]) -> str:
    """One line per y value; each cell: the class symbol (of all three claims together), the success
    frequencies of (i) and (iii) and claim (ii)'s pooled verdict (+ / x) between them."""
    return class_grid(m, 11, _xu_cell)


def _holds(c: dict[str, Any], claim: str) -> bool | None:
    """Whether a claim holds in a cell (None: no data, or (iii)'s window empty)."""
    if claim == POOLED:
        return c.get("claim_ii_holds")
    f = c.get(f"{claim}_freq")
    return None if f is None else f >= presets.LEVEL_XU


def _claim_counts(maps: list[dict[str, Any]], claim: str) -> dict[str, Any]:
    inside = [c for m in maps for c in m["cells"] if c.get("assumptions_hold")]
    outside = [c for m in maps for c in m["cells"] if not c.get("assumptions_hold")]
    return {"in_hold": sum(bool(_holds(c, claim)) for c in inside), "in": len(inside),
            "out_hold": sum(bool(_holds(c, claim)) for c in outside), "out": len(outside),
            "candidates": [(m["n"], m["pair"], c) for m in maps for c in m["cells"]
                           if c.get("assumptions_hold") and _holds(c, claim) is False]}


def _where(n: int, pair: list[str], c: dict[str, Any]) -> str:
    ks = ", ".join(f"{k} = {c[k]:.3g}" for k in ("k1", "k2", "k3", "k4", "k5", "k6"))
    return f"  - n = {n}, map {tuple(pair)}: {ks}, p = {c['p']:.3g}; "


def _ii_text(c: dict[str, Any]) -> str:
    return (f"{c['claim_ii_errors']}/{c['claim_ii_points']} = {c['claim_ii_err']:.3f} "
            f"[{c['claim_ii_ci_low']:.3f}, {c['claim_ii_ci_high']:.3f}], "
            + ("contains 1/2 (every c)" if c["claim_ii_c_allowed"] == float("inf") else
               f"c <= {_c(c['claim_ii_c_allowed'])}"))


def _ii_range(cells: list[dict[str, Any]]) -> str:
    """How much room the pooled (ii) intervals leave: cells containing 1/2, and the smallest implied c."""
    cs = [c["claim_ii_c_allowed"] for c in cells if c.get("claim_ii_c_allowed") is not None]
    fin = [v for v in cs if v != float("inf")]
    return (f"{len(cs) - len(fin)}/{len(cs)} pooled intervals contain 1/2"
            + (f"; the smallest implied c among the others is {min(fin):.3g}" if fin else ""))


def render_xu(quick: bool, workers: int | None, progress: bool, runs) -> tuple[list[str], dict[str, Any]]:
    ns = [25] if quick else list(presets.XU_NS)
    L = [HEADING, "",
         "Sweep `xu-literal` (`xorgrok.sweep.xu_coords`, exact dimension-free simulator: p is a chi-square degree "
         "of freedom, so p = 10^11 costs what p = 10^3 does). Coordinates are the constants each assumption "
         "implies, so '(Ak) holds at C' is the box k >= C: k1 = ||mu||^2/(n^0.51 sqrt p) (A1), "
         "k2 = p/(n^2 ||mu||^2) (A2), k3 = 1/eta (A3), k4 = 1/(alpha n p) (A4), "
         "k5 = alpha ||mu||^2/(omega_init n m^1.5 p) (A5, no C: k5 >= 1), k6 = m/n^0.02 (A6). "
         f"C = {presets.XU_C:g}; the coordinates not on the axes sit where `python -m xorgrok.verify --theorem "
         "xu2024 --regime literal` puts them (k1 = k2 = 2^(1/4) C, k3 = 20, k4 = C, k5 = 10, m = 1000). Claims "
         "(T = floor(sqrt n)): (i) 100% training accuracy for 1 <= t <= T and (iii) no clean test error on 500 fresh "
         "points for C n^0.01 <= t <= T are events of one run, read by their frequency over a cell's seeds (a "
         f"claim 'holds' in a cell when its frequency is >= {presets.LEVEL_XU}). (ii), clean test error at t = 1 "
         "equal to 1/2 (1 ± n^-Omega(1)), is read as the literal verifier reads it: the t = 1 errors of all seeds "
         "of a cell pooled (500 points a seed), their 95% Clopper-Pearson interval, and the implied constant c = "
         "the largest c whose band 1/2 (1 ± n^-c) meets the interval (c = inf when it contains 1/2); (ii) holds "
         f"in a cell unless c < {presets.XU_II_C_MIN:g} (the verdict model's generous range of the constant). A "
         "cell's class (symbol) is for all three claims together; each entry is the class symbol, then (i)'s "
         "frequency / (ii)'s pooled verdict (`+` consistent with some c >= "
         f"{presets.XU_II_C_MIN:g}, `x` excluded) / (iii)'s frequency.", "",
         "![xu maps](tightness/tightness_xu.png)", "", "![xu failure vs n](tightness/tightness_xu_scaling.png)", ""]
    maps = []
    for n in ns:
        for pair in presets.XU_PAIRS:
            m = run_map(pair, n, quick, runs, workers, progress, theorem="xu")
            maps.append(m)
            c0 = m["cells"][0]
            L += [f"### ({pair[0]}, {pair[1]}) at n = {n}, p from {min(c['p'] for c in m['cells']):.3g} to "
                  f"{max(c['p'] for c in m['cells']):.3g}, {c0['tasks']} seeds per cell", "", "```",
                  xu_grid_text(m), "```", ""]
    L += ["### How often each claim holds inside and outside the assumption box (all maps above)", "",
          "| claim | holds in cells where (A1)-(A6) hold | holds in cells where some assumption fails |",
          "|---|---|---|"]
    counts = {cl: _claim_counts(maps, cl) for cl, _ in CLAIMS}
    for cl, name in CLAIMS:
        k = counts[cl]
        L.append(f"| {name} | {k['in_hold']}/{k['in']} | {k['out_hold']}/{k['out']} |")
    inside = [c for m in maps for c in m["cells"] if c.get("assumptions_hold")]
    outside = [c for m in maps for c in m["cells"] if not c.get("assumptions_hold")]
    L += ["", f"(ii) in detail: in-box cells {_ii_range(inside)}; other cells {_ii_range(outside)} (each cell pools "
          "its seeds' 500-point test sets).", ""]
    L += [f"### Xu'24 counterexample candidates (assumptions hold; (i), (iii): frequency < {presets.LEVEL_XU}; "
          f"(ii): pooled c < {presets.XU_II_C_MIN:g})", ""]
    for cl, name in CLAIMS:
        cands = counts[cl]["candidates"]
        if not cands:
            L.append(f"- claim {name}: none, over {counts[cl]['in']} in-box cells at n = {', '.join(map(str, ns))}.")
            continue
        if cl == POOLED:
            L.append(f"- claim {name}: {len(cands)} of {counts[cl]['in']} in-box cells whose pooled 95% interval "
                     f"excludes 1/2 (1 ± n^-c) for every c >= {presets.XU_II_C_MIN:g}, e.g.:")
            for n, pair, c in cands[:4]:
                L.append(_where(n, pair, c) + f"pooled t = 1 error {_ii_text(c)} ({c['ok']} runs). "
                         "Preconditions: (A1)-(A6) hold at C = 1.")
            continue
        sig = [c for _, _, c in cands if c[f"{cl}_ci_high"] < presets.LEVEL_XU]
        L.append(f"- claim {name}: {len(cands)} of {counts[cl]['in']} in-box cells ({len(sig)} with the CP 95% "
                 f"upper bound below {presets.LEVEL_XU}), e.g.:")
        for n, pair, c in cands[:4]:
            L.append(_where(n, pair, c) + f"claim frequency {c[f'{cl}_freq']:.2f} (CP 95% "
                     f"[{c[f'{cl}_ci_low']:.2f}, {c[f'{cl}_ci_high']:.2f}], {c[f'{cl}_runs']} runs). "
                     "Preconditions: (A1)-(A6) hold at C = 1.")
    L += ["", "The theorem's probability is 1 - n^-Omega(1) - O(1/sqrt m) with unstated constants; at n <= 100 "
          "that bound can be vacuous for every constant in a generous range, so a candidate here is a finding "
          "about the theorem at these n (and at C = 1), not a refutation (the verdict model of "
          "`python -m xorgrok.verify` reads such frequencies as `undecided`).", ""]
    sns = list(presets.XU_SCALING_NS[:3] if quick else presets.XU_SCALING_NS)
    seeds = 4 if quick else 10
    sc = run_xu_scaling(sns, runs, seeds, workers, progress)
    L += [f"### Claims against n at the literal boundary ({seeds} seeds per n, p = 2 n^5.02)", "",
          "(i), (iii): failures / runs [CP 95%]. (ii): pooled, not a per-run event: t = 1 errors / points = rate "
          "[CP 95%], and the implied c.", "",
          "| claim | " + " | ".join(f"n = {n}" for n in sns) + " | log-log slope [95% CI] | slopes the end "
          "points' CP intervals allow |", "|---|" + "---|" * (len(sns) + 2)]
    for cl, name in CLAIMS:
        if cl == POOLED:
            cells = [_ii_text(r) if r["runs"] else "no data" for r in sc["claim_ii"]["per_n"]]
            L.append(f"| {name} | " + " | ".join(cells) + " | pooled, not a per-run event | — |")
            continue
        d = sc["claims"][cl]
        cells = []
        for r in d["per_n"]:
            cells.append("vacuous" if not r["runs"] else
                         f"{r['fails']}/{r['runs']} [{r['ci_low']:.2f}, {r['ci_high']:.2f}]")
        s = d["slope"]
        fit = (f"{s['slope']:.3g} [{s['ci_low']:.3g}, {s['ci_high']:.3g}]" if s.get("slope") is not None
               else f"n/a ({s.get('why')})")
        rng = s.get("endpoint_cp_range")
        L.append(f"| {name} | " + " | ".join(cells) + f" | {fit} | "
                 + ("—" if rng is None else f"[{rng[0]:.3g}, {rng[1]:.3g}]") + " |")
    held = [r for r in sc["claim_ii"]["per_n"] if r["runs"]]
    L += ["", "Theorem 3.1 predicts a failure probability n^-Omega(1) + O(1/sqrt m) for (i) and (iii): a negative "
          "slope. The OLS interval ignores each frequency's binomial noise (identical frequencies give a zero-width "
          "interval); the last column is the range of slopes between the CP intervals at the smallest and largest "
          "n with a failure. For (ii) the band 1/2 (1 ± n^-c) is "
          + ("met at every n for some c >= " if all(r["claim_ii_holds"] for r in held) else
             "excluded for every c >= ")
          + f"{presets.XU_II_C_MIN:g}"
          + ("" if all(r["claim_ii_holds"] for r in held) else
             " at n = " + ", ".join(str(r["n"]) for r in held if not r["claim_ii_holds"]))
          + f". Every task of this path had all of (A1)-(A6): {sc['holds_all']}.", ""]
    return L, {"maps": maps, "scaling": sc, "counts": counts}
