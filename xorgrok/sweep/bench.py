"""Benchmark: one small gt-onestep sweep (8 points x K seeds at p = 80,000 by default) run in-process and on a
LocalCluster of 2 worker processes, from the same call; prints both times, their ratio, and whether the
records are identical. The in-process leg runs on one torch thread whatever the environment says, so the ratio
compares one core with two one-thread workers. On a shared machine the ratio measures the machine's load as much
as the engine."""

from __future__ import annotations

import datetime
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from xorgrok.sweep.engine import run_tasks
from xorgrok.sweep.spec import from_dict
from xorgrok.sweep.store import TaskStore


def bench_spec(p: int, seeds: int, weak_steps: int) -> dict[str, Any]:
    return {"experiment": "gt-onestep", "seeds": seeds,
            "fixed": {"n": 400, "p": p, "eps": 0.05, "c3": 1.0, "c5": 1.0, "weak_steps": weak_steps,
                      "n_eval": 1000, "weak_n_eval": 200},
            "axes": {"c4": {"geom": [0.25, 8.0, 8]}}}


def _records(store: TaskStore) -> dict[str, Any]:
    return {k: store.get(k) for k in store.keys()}


def run_bench(p: int = 80_000, seeds: int = 8, weak_steps: int = 100, progress: bool = True,
              start_method: str = "auto") -> dict[str, Any]:
    import torch

    spec = from_dict(bench_spec(p, seeds, weak_steps))
    load0 = os.getloadavg()[0]
    threads = torch.get_num_threads()
    with tempfile.TemporaryDirectory(prefix="xorgrok-sweep-bench-") as tmp:
        a, b = TaskStore(Path(tmp) / "inproc"), TaskStore(Path(tmp) / "cluster")
        torch.set_num_threads(1)
        try:
            t0 = time.perf_counter()
            run_tasks(spec, a, workers=0, progress=progress)
            t_in = time.perf_counter() - t0
        finally:
            torch.set_num_threads(threads)
        t0 = time.perf_counter()
        # includes starting the cluster: what a user pays
        run = run_tasks(spec, b, workers=2, progress=progress, start_method=start_method)
        t_cl = time.perf_counter() - t0
        ra, rb = _records(a), _records(b)
    identical = ra == rb and len(ra) == len(spec.tasks())
    load1 = os.getloadavg()[0]
    caveat = (f"Machine load average (1 min) {load0:.1f} before, {load1:.1f} after, on {os.cpu_count()} cores "
              "(it lags by about a minute and counts this benchmark's own processes); on a shared machine both times "
              "and the ratio reflect the other jobs too.")
    n = len(spec.tasks())
    text = (f"sweep bench: {n} gt-onestep tasks (n = 400, p = {p}, weak_steps = {weak_steps})\n"
            f"  in-process, 1 thread {t_in:8.1f} s\n"
            f"  LocalCluster 2x1     {t_cl:8.1f} s  (start-up included; {run.where})\n"
            f"  ratio in/cluster     {t_in / t_cl:8.2f}   (goal >= 1.7 on 2 idle cores)\n"
            f"  records identical    {identical}\n  {caveat}")
    return {"tasks": n, "p": p, "weak_steps": weak_steps, "inprocess_s": t_in, "cluster2_s": t_cl,
            "inprocess_threads": 1, "start_method": start_method, "where": run.where,
            "thp_mem_alloc_enable": os.environ.get("THP_MEM_ALLOC_ENABLE"),
            "ratio": t_in / t_cl, "identical": identical, "load_before": load0, "load_after": load1,
            "caveat": caveat, "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "text": text}
