"""Run a sweep's tasks in-process or on a Dask cluster, storing each record as it finishes.

- workers = 0: in-process, in task order (the tests' oracle, and for debugging).
- workers = N >= 1 (default: one per core): a `LocalCluster` of N worker processes, one thread each, started by
  forking this process (start_method "auto": fork on Linux) so that each worker begins with torch and the
  experiments already imported; "spawn" and "forkserver" start fresh interpreters (each worker then imports
  torch itself, about 4 s a worker on this machine's cores).
- scheduler = "tcp://HOST:PORT": an existing Dask cluster (`dask scheduler` + `dask worker`, dask-jobqueue,
  Kubernetes). The client writes the records, so workers need no shared file system.

Tasks already stored are skipped (resume). An exception inside a task is caught on the worker and stored as an
"error" record with the task's config and message; it is counted, never fatal. A task whose worker dies is
rescheduled by Dask (up to its `allowed-failures`); if Dask gives up on it, nothing is stored for it and the
next run computes it. Records carry no timings, so an undisturbed and a disturbed run give identical records.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from tqdm.auto import tqdm

from xorgrok.core.errors import InputError
from xorgrok.sweep.spec import SweepSpec, Task
from xorgrok.sweep.store import TaskStore


def execute(config: dict[str, Any]) -> dict[str, Any]:
    """Run one task from its config (a pure function of it); never raises for an error inside the task."""
    from xorgrok.sweep.experiments import EXPERIMENTS
    from xorgrok.sweep.spec import task_key

    key = task_key(config)
    try:
        result = EXPERIMENTS[config["experiment"]](dict(config["params"]), int(config["seed"]))
        return {"key": key, "config": config, "status": "ok", "result": result}
    except Exception as exc:  # recorded, counted, and the sweep goes on
        return {"key": key, "config": config, "status": "error", "error_type": type(exc).__name__,
                "error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
                "traceback_tail": traceback.format_exc().strip().splitlines()[-3:]}


@dataclasses.dataclass
class SweepRun:
    total: int
    skipped: int  # already stored before this run
    computed: int
    failed: int  # error records among all stored records of the sweep
    lost: int  # tasks Dask gave up on (workers died repeatedly): not stored, rerun on the next resume
    where: str


def _one_thread() -> None:
    import torch

    torch.set_num_threads(1)


def run_tasks(spec: SweepSpec, store: TaskStore, workers: int | None = None, scheduler: str | None = None,
              progress: bool = True, retry_errors: bool = False,
              on_record: Callable[[dict[str, Any]], None] | None = None, start_method: str = "auto") -> SweepRun:
    tasks = spec.tasks()
    todo: list[Task] = []
    for t in tasks:
        rec = store.get(t.key) if store.has(t.key) else None
        if rec is None or (retry_errors and rec.get("status") == "error"):
            todo.append(t)
    skipped = len(tasks) - len(todo)
    bar = tqdm(total=len(tasks), initial=skipped, desc=f"sweep {spec.experiment}", unit="task",
               disable=not progress, leave=False)
    lost = 0

    def done(rec: dict[str, Any]) -> None:
        store.put(rec)
        bar.update(1)
        if on_record is not None:
            on_record(rec)

    try:
        if scheduler is None and workers == 0:
            where = "in-process"
            for t in todo:
                done(execute(t.config()))
        else:
            lost, where = _run_dask(todo, workers, scheduler, done, start_method)
    finally:
        bar.close()
    failed = sum(1 for t in tasks if (r := store.get(t.key)) is not None and r.get("status") == "error")
    return SweepRun(len(tasks), skipped, len(todo) - lost, failed, lost, where)


def local_worker_pids(cluster: Any) -> list[int]:
    """The pids of a LocalCluster's worker processes (as its nannies know them)."""
    pids = []
    for nanny in list(getattr(cluster, "workers", {}).values()):
        proc = getattr(nanny, "process", None)
        pid = getattr(proc, "pid", None) if proc is not None else None
        if pid:
            pids.append(int(pid))
    return pids


def _abort(client: Any, cluster: Any, futures: list[Any]) -> None:
    """Stop fast: cancel the sweep's futures; on our own LocalCluster, SIGKILL its worker processes (never
    the workers of a cluster we only connected to), then close with short timeouts."""
    import contextlib
    import signal

    with contextlib.suppress(Exception):
        if futures:
            client.cancel(futures, force=True)
    if cluster is not None:
        for pid in local_worker_pids(cluster):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        client.close(timeout=2)
    if cluster is not None:
        with contextlib.suppress(Exception):
            cluster.close(timeout=5)


START_METHODS = ("auto", "fork", "forkserver", "spawn")


def resolve_start_method(requested: str = "auto") -> str:
    """The multiprocessing start method for our LocalCluster's workers. "auto" (the default) is "fork" on Linux
    and "spawn" elsewhere (macOS system libraries are not fork-safe). "fork" becomes "spawn" once CUDA is
    initialised in this process, since a forked child cannot use the parent's CUDA context."""
    if requested not in START_METHODS:
        raise InputError(f"--start-method must be one of {', '.join(START_METHODS)}, got {requested!r}")
    method = ("fork" if sys.platform.startswith("linux") else "spawn") if requested == "auto" else requested
    torch = sys.modules.get("torch")
    if method == "fork" and torch is not None and torch.cuda.is_initialized():
        return "spawn"
    return method


def local_worker_config(start_method: str = "auto") -> dict[str, Any]:
    """Dask settings for the LocalCluster we start (not for a cluster we only connect to).

    - Workers are forked from this process by default on Linux (`resolve_start_method`): Dask's default, spawn, makes
      each worker import torch afresh, which on 2 cores delayed the first record of a sweep by ~5 s.
    - No MALLOC_TRIM_THRESHOLD_ in the workers' environment (Dask's default sets it): setting it switches off
      glibc's dynamic mmap threshold, so every large tensor is mmapped and page-faulted afresh; measured here,
      a p = 80,000 gt-onestep task took about 25% more CPU in a worker than in a plain process.
    - No statistical profiler on the workers: it samples every thread's stack every 10 ms, CPU taken from tasks.
    The thread caps (OMP/MKL/OpenBLAS = 1) stay, as Dask sets them. A variable already in this process's
    environment wins over these (Dask's precedence), so a user's own MALLOC_TRIM_THRESHOLD_ is kept.
    """
    import dask
    import distributed  # noqa: F401  (loads the distributed.* defaults into dask.config)

    env = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items()
           if k != "MALLOC_TRIM_THRESHOLD_"}
    return {"distributed.nanny.pre-spawn-environ": env, "distributed.worker.profile.enabled": False,
            "distributed.worker.multiprocessing-method": resolve_start_method(start_method)}


def _run_dask(todo: list[Task], workers: int | None, scheduler: str | None,
              done: Callable[[dict[str, Any]], None], start_method: str = "auto") -> tuple[int, str]:
    import dask

    if scheduler is not None:
        return _run_dask_on(todo, workers, scheduler, done)
    cfg = local_worker_config(start_method)
    if cfg["distributed.worker.multiprocessing-method"] == "fork":
        import xorgrok.sweep.experiments  # noqa: F401  (imported once here, inherited by every forked worker)
    # each nanny writes its pre-spawn variables into this process's os.environ and leaves them there; put the
    # environment back afterwards so that a later cluster (or a caller) does not inherit them
    saved = {k: os.environ.get(k) for k in [*cfg["distributed.nanny.pre-spawn-environ"], "MALLOC_TRIM_THRESHOLD_"]}
    try:
        with dask.config.set(cfg):  # read by each nanny when it starts
            return _run_dask_on(todo, workers, scheduler, done)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _run_dask_on(todo: list[Task], workers: int | None, scheduler: str | None,
                 done: Callable[[dict[str, Any]], None]) -> tuple[int, str]:
    import dask
    from distributed import Client, LocalCluster, as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    cluster = None
    if scheduler is not None:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://")):
            raise InputError(f"--scheduler must be an address like tcp://HOST:PORT, got {scheduler!r}")
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise InputError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
        where = f"scheduler {scheduler}"
    else:
        n = workers if workers is not None else (os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               host="127.0.0.1")
        client = Client(cluster)
        method = dask.config.get("distributed.worker.multiprocessing-method")
        where = f"LocalCluster({n} workers x 1 thread, {method})"
    lost = 0
    futures: list[Any] = []
    try:
        client.run(_one_thread)
        client.register_worker_callbacks(_one_thread)  # workers restarted after a crash get it too
        if todo:
            futures = client.map(execute, [t.config() for t in todo], key=[f"xorgrok-task-{t.key}" for t in todo],
                                 pure=False)
            for fut in as_completed(futures):
                try:
                    rec = fut.result()
                except (KilledWorker, FutureCancelledError):
                    lost += 1  # nothing stored: the next resume computes it
                    continue
                done(rec)
    except BaseException:
        # Ctrl-C (or any error) mid-sweep: a graceful close waits for every running task and for the nannies'
        # timeouts. Records are written by this process only, atomically, so nothing on the workers is worth
        # waiting for: cancel, kill our own worker processes, then close.
        _abort(client, cluster, futures)
        raise
    else:
        client.close()
        if cluster is not None:
            cluster.close()
    return lost, where
