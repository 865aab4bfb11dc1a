"""The scale benchmark (`python -m xorgrok bench --scale`): both exact large-p engines, sizes and agreement
figures from one run. A benchmark, not a test: bars are read off its output.

- xu_literal: Xu'24 GD at p >= 10^12 (n 200, m 1000) by the Bartlett simulator, per-seed wall time, plus the
  validation figures: the isometry (QR re-expression of a direct sample, same trajectory) and two-sample KS
  p-values of Bartlett against direct runs at small p, with the p-value under a deliberately wrong chi-square
  degree of freedom beside them (it must be tiny).
- fig4a (only with --part fig4a): Fig. 4(a)'s width-2048 run at p (default 10^6), streamed (experiments.normal_large).
- hypercube_large: the GrokTransfer chain at p = 10^7 (n 400, eps 0.05, 3-neuron weak net 2000 steps, U, f_L one
  step, 10^4 fresh points), whether the explicit engine refuses that p for memory, and the streamed-vs-explicit
  agreement at p = 80,000 (data and G bit for bit, weak-net trajectories).
"""

from __future__ import annotations

import math
import resource
import sys
import time
from typing import Any

import torch
from scipy import stats

from xorgrok.core.errors import InputError
from xorgrok.core.memory import available_bytes
from xorgrok.data.xor import sample_hypercube
from xorgrok.experiments.hypercube_large import LargeChainConfig, chain, engine_agreement
from xorgrok.train.xu_exact import (
    FreshSet,
    XuSetting,
    explicit_test_set,
    literal_test_set,
    reduce_explicit,
    sample_explicit,
    sample_literal,
    xu_trajectory,
)


def peak_rss_gib() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _isometry_rel() -> float:
    n, p, m = 20, 500, 30
    alpha = 20.0 / (n * p)
    s = XuSetting(n=n, p=p, m=m, mu_norm=2.5 * math.sqrt(p / n), eta=0.1, alpha=alpha, omega=alpha * 0.3)
    e = sample_explicit(s, 1)
    r, Q = reduce_explicit(e)
    te = explicit_test_set(100, e, 2)
    te_r = FreshSet(torch.cat([te.x[:, :2], te.x[:, 2:] @ Q], 1), te.y_clean, te.cluster)
    a = xu_trajectory(e, alpha, 8, te, keep_logits=True)
    b = xu_trajectory(r, alpha, 8, te_r, keep_logits=True)
    rel = [float((fa - fb).abs().max() / fa.abs().max()) for fa, fb in zip(a.train_logits, b.train_logits)]
    assert a.test_logits_t1 is not None and b.test_logits_t1 is not None
    rel.append(float((a.test_logits_t1 - b.test_logits_t1).abs().max() / a.test_logits_t1.abs().max()))
    return max(rel)


def _ks(seeds: int, df_shift: float) -> dict[str, float]:
    n, p, m = 6, 40, 5
    alpha = 10.0 / (n * p)
    s = XuSetting(n=n, p=p, m=m, mu_norm=3.0, eta=0.2, alpha=alpha, omega=alpha)
    got: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in ("norm_sq", "cross", "f1", "acc_t4")}
    for k in range(seeds):
        for side, smp in ((0, sample_literal(s, 10**6 + k, df_shift=df_shift)), (1, sample_explicit(s, k))):
            te = (literal_test_set if side == 0 else explicit_test_set)(16, smp, 7 * 10**6 + 2 * k + side)
            tr = xu_trajectory(smp, alpha, 4, te)
            got["norm_sq"][side].extend((smp.x * smp.x).sum(1).tolist())
            got["cross"][side].append(float(smp.x[0] @ smp.x[1]))
            assert tr.test_logits_t1 is not None
            got["f1"][side].append(float(tr.test_logits_t1[0]))
            got["acc_t4"][side].append(tr.train_acc[4])
    return {key: float(stats.ks_2samp(u, v).pvalue) for key, (u, v) in got.items()}


def xu_literal_bench(n: int = 200, p: int = 10**12, m: int = 1000, seeds: int = 3, test_size: int = 2000,
                     ks_seeds: int = 300, device: str = "cpu") -> dict:
    C = 1.0
    lo, hi = C * n**0.51 * math.sqrt(p), p / (C * n**2)
    if lo > hi:
        raise InputError(f"p = {p:g} is below C^4 n^5.02 = {n**5.02:.3g}: no ||mu|| meets (A1) and (A2)")
    mu_sq = math.sqrt(lo * hi)
    alpha = 1 / (C * n * p)
    s = XuSetting(n=n, p=p, m=m, mu_norm=math.sqrt(mu_sq), eta=0.05, alpha=alpha,
                  omega=alpha * mu_sq / (n * m**1.5 * p) / 10)
    steps = math.isqrt(n)
    walls, cpus, runs = [], [], []
    for k in range(seeds):
        t0, c0 = time.perf_counter(), time.process_time()
        smp = sample_literal(s, k, device)
        tr = xu_trajectory(smp, alpha, steps, literal_test_set(test_size, smp, 10**6 + k), op_steps=(steps,))
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        runs.append({"train_acc_t1_to_T_all_1": all(a == 1.0 for a in tr.train_acc[1:]),
                     "test_err_t1": tr.test_err[1], "test_err_T": tr.test_err[-1],
                     "certified_err_bound_T": tr.err_bound_op[steps]})
    peak = peak_rss_gib()
    ks = _ks(ks_seeds, 0.0)
    ks_wrong = _ks(ks_seeds, 4.0)
    return {"n": n, "p": p, "m": m, "steps": steps, "D": 2 + n + m, "test_size": test_size, "seeds": seeds,
            "wall_s": walls, "cpu_s": cpus, "peak_rss_gib": peak, "device": device, "runs": runs,
            "isometry_rel": _isometry_rel(),
            "ks_pvalues": ks, "ks_min_pvalue": min(ks.values()), "ks_seeds": ks_seeds,
            "ks_wrong_df_norm_sq_pvalue": ks_wrong["norm_sq"],
            "ks_setting": "n 6, p 40, m 5; wrong law: chi-square df p + 3 - k instead of p - 1 - k"}


def hypercube_bench(n: int = 400, p: int = 10**7, eps: float = 0.05, steps: int = 2000, n_fresh: int = 10_000,
                    agree_p: int = 80_000, device: str = "auto", workers: int | None = None,
                    progress: bool = True) -> dict:
    """The chain timed alone (wall, CPU, peak RSS after it), then the engine agreement at `agree_p`.

    `workers` None: torch's intra-op thread count (all cores unless OMP_NUM_THREADS says otherwise).
    """
    workers = torch.get_num_threads() if workers is None else workers
    need, have = n * p * 4, available_bytes()
    if need > 0.8 * have:  # the explicit sampler must refuse, before allocating anything: show that it does
        try:
            sample_hypercube(n, p, eps, 0)
            refusal, refused = "explicit engine did not refuse", False
        except InputError as exc:
            refusal, refused = str(exc), True
    else:  # it would run; do not spend the memory to show it
        refusal = f"explicit engine would fit here ({need / 2**30:.1f} GiB of {have / 2**30:.1f} GiB available)"
        refused = False
    t0, c0 = time.perf_counter(), time.process_time()
    out = chain(LargeChainConfig(n=n, p=p, eps=eps, weak_steps=steps, n_fresh=n_fresh, device=device,
                                 workers=workers, progress=progress))
    out["chain_wall_s"] = time.perf_counter() - t0
    out["chain_cpu_s"] = time.process_time() - c0  # all threads of this process
    out["peak_rss_gib"] = peak_rss_gib()  # before the agreement run, so it is the chain's
    print(f"hypercube_large chain: p = {p:g}, wall_s = {out['chain_wall_s']:.1f}, cpu_s = {out['chain_cpu_s']:.1f}, "
          f"peak_rss_gib = {out['peak_rss_gib']:.2f}, threads = {workers}", file=sys.stderr, flush=True)
    out["explicit_refuses"] = refused
    out["explicit_message"] = refusal
    out["agreement"] = engine_agreement(n=n, p=agree_p, eps=eps, steps=steps)
    out["gram_bitwise_equal"] = out["agreement"]["gram_bitwise_equal"]
    out["m"] = out["m_weak"]
    out["threads"] = torch.get_num_threads()
    return out


def fig4a_bench(p: int = 10**6, seed: int = 0) -> dict:
    """Fig. 4(a)'s width-2048 normal training at dimension p (n 400, 1000 test points, 1000 GD steps, the paper's
    lr 0.1 and wd 0.1): data and uniform W0 streamed, then p-free Gram-space GD. History left out."""
    from xorgrok.experiments.normal_large import normal_streamed
    from xorgrok.experiments.xor import NormalConfig

    out = normal_streamed(NormalConfig(p=p), seed, workers=torch.get_num_threads(), progress=True)
    out.pop("history")
    out["peak_rss_gib"] = peak_rss_gib()
    out["threads"] = torch.get_num_threads()
    print(f"fig4a: p = {p:g}, wall_s = {out['wall_s']:.1f}, cpu_s = {out['cpu_s']:.1f}, "
          f"peak_rss_gib = {out['peak_rss_gib']:.2f}", file=sys.stderr, flush=True)
    return out


def scale_bench(xu_p: int = 10**12, hyper_p: int = 10**7, device: str = "auto", xu_seeds: int = 3,
                part: str = "both", fig4a_p: int = 10**6, hyper_eps: float = 0.05) -> dict:
    from xorgrok.core.device import pick_device

    dev = str(pick_device(device))
    res: dict[str, Any] = {}
    if part in ("both", "xu_literal"):
        res["xu_literal"] = xu_literal_bench(p=xu_p, seeds=xu_seeds, device=dev)
    if part in ("both", "hypercube_large"):
        res["hypercube_large"] = hypercube_bench(p=hyper_p, eps=hyper_eps, device=dev)
    if part == "fig4a":  # not part of "both": O(m n p) set-up, minutes at p = 10^6
        res["fig4a"] = fig4a_bench(p=fig4a_p)
    res["note"] = ("peak_rss_gib is the process peak at the end of each part (the xu part runs first); "
                   "wall times on a shared machine; cpu_s is this process's CPU time (all threads)")
    return res


