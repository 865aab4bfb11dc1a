"""The sweep's experiments: each is a pure function (params, seed) -> small JSON record.

- gt-synthetic: synthetic U = [S; delta] (xorgrok.theory.synthetic_u), one eq. (4) step; exact conditional test
  error for a structured delta, Monte Carlo for a Gaussian one. (A2) moves freely here.
- gt-onestep: Theorem 3.2 as run: a trained 3-neuron weak net (Gram engine) gives U (signal-normalised), then
  one GD step of f_L on a fresh training set; Monte Carlo test error. delta, hence c2, comes out of training.
- gt-scaling: either of the two along a path in n with p = p_per_n * n and the other parameters fixed in
  coordinates (defaults: c3 = c4 = c5 = 1, the theorem's boundary); adds the implied constants.

"success" (Theorem 3.2's conclusion after one step): 100% training accuracy and, for an exact error, error
<= err_tol (default 1/n^2, stated in every record); for a Monte Carlo error, no error on n_eval fresh points.
Parameters may be physical (eps, delta_fro, v_init, alpha, m) or coordinates (c1..c5, see coords.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch

from xorgrok.core.errors import InputError, check_choice, check_float, check_int
from xorgrok.core.seeding import derive, numpy_rng
from xorgrok.data.xor import project_hypercube, sample_hypercube
from xorgrok.sweep.coords import assumptions_hold, coordinates, resolve
from xorgrok.sweep.xu_coords import xu_coordinates, xu_holds, xu_setting
from xorgrok.theory import synthetic_u as su
from xorgrok.theory.target_form import a5_width

SYNTH_KEYS = {"n", "p", "eps", "delta_fro", "m", "v_init", "alpha", "c1", "c2", "c3", "c4", "c5", "C", "delta",
              "delta_blocks", "delta_block_size", "delta_layout", "ordering", "err_tol", "n_eval", "tail",
              "mc_check"}
ONESTEP_KEYS = {"n", "p", "eps", "m", "v_init", "alpha", "c1", "c3", "c4", "c5", "C", "weak_steps", "normalize",
                "train_set", "n_eval", "weak_n_eval"}
SCALING_KEYS = (SYNTH_KEYS | ONESTEP_KEYS | {"p_per_n", "u"}) - {"p"}


def _unknown(params: dict, allowed: set[str], name: str) -> None:
    bad = sorted(set(params) - allowed)
    if bad:
        raise InputError(f"{name}: unknown parameter(s) {', '.join(bad)}; allowed: {', '.join(sorted(allowed))}")


def _ordering(spec, seed: int) -> tuple[int, int, int]:
    if spec in (None, "paper"):
        return su.PAPER_ORDERING
    if spec == "random":
        return su.ORDERINGS[int(numpy_rng(seed, "synthetic-u", "ordering").integers(len(su.ORDERINGS)))]
    if isinstance(spec, (list, tuple)):
        return tuple(int(i) for i in spec)  # type: ignore[return-value]
    raise InputError(f"ordering must be 'paper', 'random' or three distinct ids in 0..3, got {spec!r}")


def _tol(params: dict, n: int) -> float:
    tol = params.get("err_tol", "1/n^2")
    return 1.0 / n**2 if tol == "1/n^2" else check_float("err_tol", tol, 0.0)


def _common(q: dict, delta_fro: float | None) -> dict:
    n, p, eps = check_int("n", q["n"], lo=3), check_int("p", q["p"], lo=3), check_float("eps", q["eps"], 0.0,
                                                                                         lo_open=True)
    m = check_int("m", q.get("m", a5_width(n)), lo=1)
    v_init = check_float("v_init", q["v_init"], 0.0, lo_open=True)
    alpha = check_float("alpha", q["alpha"], 0.0, lo_open=True)
    C = check_float("C", q.get("C", 2.0), 1.0)
    c = coordinates(n, p, eps, delta_fro, v_init, alpha, m)
    return {"n": n, "p": p, "eps": eps, "m": m, "v_init": v_init, "alpha": alpha, "delta_fro": delta_fro, "C": C,
            **c, **{f"holds_{k}": v for k, v in assumptions_hold(c, C).items()}}


def _gdata_fail_exact(delta: su.StructuredDelta, eps: float, n: int, p: int) -> float:
    """P(G_data fails) for n training points: per point q = P(||z - zbar|| > eps^2 sqrt(p/n) log n), exact
    from the block law, then 1 - (1 - q)^n."""
    q = su.deviation_tail(delta, eps, eps**2 * math.sqrt(p / n) * math.log(n))
    return float(-np.expm1(n * np.log1p(-q))) if q < 1 else 1.0


def gt_synthetic(params: dict, seed: int) -> dict:
    _unknown(params, SYNTH_KEYS, "gt-synthetic")
    q = resolve(params)
    kind = check_choice("delta", q.get("delta", "structured"), ("structured", "gaussian"))
    delta_fro = check_float("delta_fro", q.get("delta_fro"), 0.0)
    rec = _common(q, delta_fro)
    n, p, eps, m = rec["n"], rec["p"], rec["eps"], rec["m"]
    order = _ordering(q.get("ordering"), seed)
    S = su.signal_block(order)
    n_eval = check_int("n_eval", q.get("n_eval", 10_000), lo=1)
    tol = _tol(q, n)
    rec.update({"ordering": list(order), "delta": kind, "err_tol": tol})
    if kind == "structured":
        d = su.structured_delta(delta_fro, q.get("delta_blocks", 3), q.get("delta_block_size", 32),
                                q.get("delta_layout", "diagonal"), derive(seed, "delta"))
        if d.support > p - 2:
            raise InputError(f"delta support {d.support} exceeds the p - 2 = {p - 2} noise coordinates")
        train = su.sample_structured(n, S, d, eps, derive(seed, "train"))
        st = su.one_step(train, m, rec["v_init"], rec["alpha"], derive(seed, "target"))
        tail = check_float("tail", q.get("tail", 1e-30), 0.0, 1.0, lo_open=True)
        ex = su.exact_test_error(st.V1, st.a, S, d, eps, tail=tail)
        rec.update({"error_kind": "exact", "test_error": ex.error, "test_error_upper": ex.error + ex.dropped_mass,
                    "support_points": ex.support_points,
                    "gdata_fail": _gdata_fail_exact(d, eps, n, p) if ex.support_points < 2e6 else None})
        if q.get("mc_check", False):
            k, N = su.mc_test_error(st.V1, st.a, su.sample_structured(n_eval, S, d, eps, derive(seed, "test")))
            rec.update({"mc_errors": k, "mc_points": N})
        ok_test = ex.error + ex.dropped_mass <= tol
    else:
        U = torch.from_numpy(np.vstack([S, su.gaussian_delta(p, delta_fro, derive(seed, "delta"))]))
        tr = project_hypercube(U, n, eps, derive(seed, "train"))
        train = su.SyntheticSample(tr.z.numpy(), tr.y.numpy(), tr.cluster.numpy())
        st = su.one_step(train, m, rec["v_init"], rec["alpha"], derive(seed, "target"))
        te = project_hypercube(U, n_eval, eps, derive(seed, "test"))
        k, N = su.mc_test_error(st.V1, st.a, su.SyntheticSample(te.z.numpy(), te.y.numpy(), te.cluster.numpy()))
        rec.update({"error_kind": "mc", "test_error": k / N, "mc_errors": k, "mc_points": N})
        ok_test = k == 0
    rec.update({"train_acc": st.train_acc, "three_features": True,
                "train_cluster_counts": np.bincount(train.cluster, minlength=4).tolist(),  # n_mu, Lemma A.4 (B4)
                "J_pos": int((st.a > 0).sum()),  # |J_Pos|, Lemma A.4 (B1)
                "success": bool(st.train_acc == 1.0 and ok_test)})
    return rec


def gt_onestep(params: dict, seed: int) -> dict:
    from xorgrok.experiments.xor import TransferConfig, XorWeakConfig, normalize_signal, train_weak, transfer

    _unknown(params, ONESTEP_KEYS, "gt-onestep")
    q = resolve(params)
    n, p = check_int("n", q["n"], lo=3), check_int("p", q["p"], lo=3)
    eps = check_float("eps", q["eps"], 0.0, lo_open=True)
    steps = check_int("weak_steps", q.get("weak_steps", 2000), lo=1)
    norm = check_choice("normalize", q.get("normalize", "signal"), ("signal", "none"))
    which = check_choice("train_set", q.get("train_set", "fresh"), ("fresh", "weak"))
    n_eval = check_int("n_eval", q.get("n_eval", 10_000), lo=1)
    weak_eval = check_int("weak_n_eval", q.get("weak_n_eval", 2000), lo=1)
    w = train_weak(XorWeakConfig(n=n, p=p, eps=eps, steps=steps, n_test=0, n_eval=weak_eval, device="cpu",
                              seed=derive(seed, "weak")))
    U = normalize_signal(w.U) if norm == "signal" else w.U
    delta_fro = float(U[2:].double().norm())
    rec = _common(q, delta_fro)
    train = w.train if which == "weak" else sample_hypercube(n, p, eps, derive(seed, "target-train"))
    tr = transfer(U, train, TransferConfig(m=rec["m"], v_init=rec["v_init"], alpha=rec["alpha"], steps=1,
                                           n_eval=n_eval, normalize="none", seed=derive(seed, "transfer")))
    learned = [f for f in w.learned if f is not None]
    n_err = round((1.0 - tr.test_acc) * n_eval)
    rec.update({"error_kind": "mc", "weak_steps": steps, "normalize": norm, "train_set": which,
                "weak_test_acc": w.test_acc, "r_W": w.r_W, "learned": w.learned,
                "three_features": len(set(learned)) == 3 and len(learned) == 3,
                "train_acc": tr.train_acc, "test_error": 1.0 - tr.test_acc, "mc_errors": n_err, "mc_points": n_eval,
                "C_A2_rW": w.r_W * math.sqrt(3 * n) / eps,
                "success": bool(tr.train_acc == 1.0 and n_err == 0)})
    return rec


def gt_scaling(params: dict, seed: int) -> dict:
    _unknown(params, SCALING_KEYS, "gt-scaling")
    q = dict(params)
    n = check_int("n", q.get("n"), lo=3)
    q["p"] = check_int("p_per_n", q.pop("p_per_n", 200), lo=1) * n
    u = check_choice("u", q.pop("u", "synthetic"), ("synthetic", "trained"))
    if "eps" not in q and "c1" not in q:
        q["eps"] = 0.05
    for c, phys in (("c3", "v_init"), ("c4", "alpha"), ("c5", "m")):
        if c not in q and phys not in q:
            q[c] = 1.0
    if u == "synthetic":
        if "c2" not in q and "delta_fro" not in q:
            q["c2"] = 1.0
        rec = gt_synthetic(q, seed)
    else:
        rec = gt_onestep({k: v for k, v in q.items() if k in ONESTEP_KEYS}, seed)
    rec["u"] = u
    return rec


XU_KEYS = {"n", "C", "k1", "k2", "k3", "k4", "k5", "k6", "m", "test_size"}


def xu_literal(params: dict, seed: int) -> dict:
    """Xu'24 Theorem 3.1 at a point of its assumption coordinates (sweep.xu_coords), exact dimension-free
    simulator; defaults put every coordinate where `verify --regime literal` puts it (k1 = k2 = C 2^(1/4),
    k3 = 20, k4 = C, k5 = 10, m = max(1000, ceil(C n^0.02))). success = claims (i), (ii) and (iii) all hold."""
    from xorgrok.experiments.xu_claims import claims_run

    _unknown(params, XU_KEYS, "xu-literal")
    n = check_int("n", params.get("n"), lo=4)
    C = check_float("C", params.get("C", 1.0), 0.0, lo_open=True)
    if "k6" in params and "m" in params:
        raise InputError("give either k6 or m, not both")
    m = (math.ceil(check_float("k6", params["k6"], 0.0, lo_open=True) * n**0.02 - 1e-9) if "k6" in params
         else check_int("m", params.get("m", max(1000, math.ceil(C * n**0.02))), lo=1))
    edge = C * 2**0.25
    st = xu_setting(n, params.get("k1", edge), params.get("k2", edge), params.get("k3", 20.0),
                    params.get("k4", C), params.get("k5", 10.0), m)
    test_size = check_int("test_size", params.get("test_size", 500), lo=1)
    run = claims_run(st, derive(seed, "xu-task"), C, test_size)
    k = xu_coordinates(st)
    holds = xu_holds(k, C)
    ok = [run.i] + ([run.iii] if run.iii is not None else [])
    tr = run.trajectory
    return {"n": n, "p": st.p, "m": st.m, "mu_norm": st.mu_norm, "eta": st.eta, "alpha": st.alpha,
            "omega": st.omega, "C": C, **k, **{f"holds_{a.replace('-', '_')}": v for a, v in holds.items()},
            "claim_i": run.i, "claim_iii": run.iii, "err_t1": run.err_t1, "errors_t1": run.errors_t1,
            "T": run.T, "t_from": run.t_from, "test_size": test_size,
            "test_err_window_max": max(tr.test_err[run.t_from:run.T + 1]) if run.iii is not None else None,
            "success": all(ok)}


EXPERIMENTS: dict[str, Callable[[dict, int], dict]] = {
    "gt-synthetic": gt_synthetic, "gt-onestep": gt_onestep, "gt-scaling": gt_scaling, "xu-literal": xu_literal,
}
PARAMETERS: dict[str, set[str]] = {"gt-synthetic": SYNTH_KEYS, "gt-onestep": ONESTEP_KEYS, "gt-scaling": SCALING_KEYS,
                                   "xu-literal": XU_KEYS}
