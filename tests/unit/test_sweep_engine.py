"""The sweep engine: Dask LocalCluster (127.0.0.1) against the in-process oracle, a killed worker, resume,
and a raising task."""

import json
import os
import signal

import pytest

from xorgrok.sweep.engine import run_tasks
from xorgrok.sweep.spec import from_dict, task_key
from xorgrok.sweep.store import TaskStore
from xorgrok.sweep.table import write_tables

TINY = {"experiment": "gt-synthetic", "seeds": 2,
        "fixed": {"n": 60, "p": 2000, "c1": 0.7, "c3": 1.0, "c5": 1.0, "delta_block_size": 6},
        "axes": {"c2": [1.0, 40.0], "c4": {"geom": [0.1, 10.0, 3]}}}


def _records(store):
    return {k: store.get(k) for k in store.keys()}


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    spec = from_dict(TINY)
    store = TaskStore(tmp_path_factory.mktemp("oracle"))
    run = run_tasks(spec, store, workers=0, progress=False)
    assert (run.total, run.computed, run.failed, run.lost) == (12, 12, 0, 0)
    return spec, _records(store)


def test_records_are_named_by_config_hash(oracle):
    spec, recs = oracle
    assert sorted(recs) == sorted(t.key for t in spec.tasks())
    for k, r in recs.items():
        assert task_key(r["config"]) == k and r["status"] == "ok"
    # a changed config gets a new name
    t = spec.tasks()[0]
    cfg = t.config()
    cfg["params"] = {**cfg["params"], "n": 61}
    assert task_key(cfg) != t.key


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_localcluster_two_workers_equals_inprocess(oracle, tmp_path, method):
    spec, want = oracle
    store = TaskStore(tmp_path)
    run = run_tasks(spec, store, workers=2, progress=False, start_method=method)
    assert run.where == f"LocalCluster(2 workers x 1 thread, {method})"
    assert (run.computed, run.failed, run.lost) == (12, 0, 0)
    assert _records(store) == want


# tasks of ~0.2 s each: the tiny synthetic tasks take 2 ms, and forked workers (no import delay) would finish
# the whole sweep before a worker could be caught busy
SLOW = {"experiment": "gt-onestep", "seeds": 2,
        "fixed": {"n": 400, "p": 5000, "eps": 0.05, "c3": 1.0, "c5": 1.0, "weak_steps": 1500, "n_eval": 1000,
                  "weak_n_eval": 200},
        "axes": {"c4": {"geom": [0.5, 2.0, 3]}}}


def test_killed_worker_still_gives_full_identical_result(tmp_path):
    """SIGKILL a worker process that is running a task; Dask reruns its tasks and nothing is lost or torn.

    The cluster's own scheduler and nannies (in this process) say which worker is busy and its pid, so no
    second client shares the engine's event loop. The cluster has the engine's own worker settings (forked
    workers), so the restarted worker is forked again."""
    import dask
    from distributed import LocalCluster

    from xorgrok.sweep.engine import local_worker_config

    spec = from_dict(SLOW)
    oracle_store = TaskStore(tmp_path / "oracle")
    run_tasks(spec, oracle_store, workers=0, progress=False)
    want = _records(oracle_store)
    killed = []
    with dask.config.set(local_worker_config()), LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                                              host="127.0.0.1", dashboard_address=None) as cluster:

        def kill_busy_worker(_rec):
            if killed:
                return
            busy = [ws.address for ws in list(cluster.scheduler.workers.values()) if ws.processing]
            for nanny in list(cluster.workers.values()):
                if busy and nanny.worker_address == busy[0] and nanny.process is not None:
                    os.kill(nanny.process.pid, signal.SIGKILL)
                    killed.append(busy[0])
                    return

        store = TaskStore(tmp_path / "cluster")
        run = run_tasks(spec, store, scheduler=cluster.scheduler_address, progress=False,
                        on_record=kill_busy_worker)
    assert killed, "no worker was busy when a record arrived"
    assert (run.total, run.computed, run.lost, run.failed) == (6, 6, 0, 0)
    assert _records(store) == want
    assert not list((tmp_path / "cluster" / "tasks").glob(".*.tmp"))  # no half-written record left behind


def test_interrupted_sweep_resumes_without_recomputing(oracle, tmp_path):
    spec, want = oracle
    store = TaskStore(tmp_path)
    seen = []

    def stop_after_five(rec):
        seen.append(rec["key"])
        if len(seen) == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_tasks(spec, store, workers=0, progress=False, on_record=stop_after_five)
    assert sorted(store.keys()) == sorted(seen)
    stamps = {k: os.stat(store.path(k)).st_mtime_ns for k in seen}
    recomputed = []
    run = run_tasks(spec, store, workers=0, progress=False, on_record=lambda r: recomputed.append(r["key"]))
    assert (run.skipped, run.computed) == (5, 7)
    assert not set(recomputed) & set(seen)
    assert all(os.stat(store.path(k)).st_mtime_ns == s for k, s in stamps.items())
    assert _records(store) == want
    again = run_tasks(spec, store, workers=0, progress=False)
    assert (again.skipped, again.computed) == (12, 0)


def test_raising_task_is_recorded_and_counted(tmp_path):
    bad = {**TINY, "axes": {"c2": [1.0], "m": [0, 8]}, "fixed": {k: v for k, v in TINY["fixed"].items()
                                                               if k != "c5"}}
    bad["fixed"]["c4"] = 1.0
    spec = from_dict(bad)
    store = TaskStore(tmp_path)
    run = run_tasks(spec, store, workers=0, progress=False)
    assert (run.total, run.computed, run.failed) == (4, 4, 2)
    errs = [r for r in _records(store).values() if r["status"] == "error"]
    assert len(errs) == 2
    for r in errs:
        assert r["config"]["params"]["m"] == 0 and "m must be an integer >= 1" in r["error"]
    cells = write_tables(spec, store, tmp_path)["cells"]
    assert [c["errors"] for c in cells] == [2, 0] and cells[0]["class"] == "no data"
    rows = json.loads((tmp_path / "tasks.json").read_text())
    assert sum(r["status"] == "error" for r in rows) == 2


def test_bench_reports_both_times_and_identical_records():
    from xorgrok.sweep.bench import run_bench

    res = run_bench(p=300, seeds=1, weak_steps=3, progress=False)
    assert res["tasks"] == 8 and res["identical"] is True
    assert res["inprocess_s"] > 0 and res["cluster2_s"] > 0
    assert res["ratio"] == pytest.approx(res["inprocess_s"] / res["cluster2_s"])
    assert "records identical    True" in res["text"] and "load average" in res["caveat"]


def test_ctrl_c_on_localcluster_stops_workers_and_keeps_records(oracle, tmp_path):
    """KeyboardInterrupt mid-sweep: run_tasks re-raises, the cluster's worker processes are gone (killed, not
    waited for), and every stored record is whole and equal to the undisturbed run's."""
    import time

    import psutil

    spec, want = oracle
    store = TaskStore(tmp_path)
    children: list = []

    def interrupt(_rec):
        # the worker processes; multiprocessing's resource tracker lives as long as this process, by design
        children.extend(c for c in psutil.Process().children(recursive=True)
                        if not any("resource_tracker" in a for a in c.cmdline()))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_tasks(spec, store, workers=2, progress=False, on_record=interrupt)
    assert children, "no worker process was seen"
    deadline = time.monotonic() + 20  # the processes are reaped asynchronously; generous for a loaded machine
    while time.monotonic() < deadline and any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE
                                               for c in children):
        time.sleep(0.1)
    assert not [(c.pid, c.cmdline()) for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    got = _records(store)
    assert got and all(want[k] == r for k, r in got.items())
    assert not list((tmp_path / "tasks").glob(".*.tmp"))
    run = run_tasks(spec, store, workers=0, progress=False)  # and the sweep resumes to the full result
    assert run.skipped == len(got) and _records(store) == want


def test_local_workers_keep_thread_caps_but_not_malloc_trim(monkeypatch):
    """Dask's MALLOC_TRIM_THRESHOLD_ switches off glibc's dynamic mmap threshold (every big tensor page-faulted
    afresh); the LocalCluster we start drops it and keeps the one-thread caps."""
    import dask
    from distributed import Client, LocalCluster

    from xorgrok.sweep.engine import local_worker_config

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)  # an earlier test's cluster may have left it
    cfg = local_worker_config()
    assert "MALLOC_TRIM_THRESHOLD_" not in cfg["distributed.nanny.pre-spawn-environ"]
    assert cfg["distributed.worker.profile.enabled"] is False
    with dask.config.set(cfg), LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                            dashboard_address=None) as cl, Client(cl) as c:
        env = list(c.run(lambda: (os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")))
                   .values())
    assert env == [(None, "1")]


def test_run_tasks_leaves_the_environment_as_it_found_it(oracle, tmp_path, monkeypatch):
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    before = dict(os.environ)
    spec, recs = oracle
    run_tasks(spec, TaskStore(tmp_path), workers=1, progress=False)
    assert dict(os.environ) == before


def test_sweep_entry_asks_for_huge_pages_only_before_torch_loads(monkeypatch):
    import subprocess
    import sys

    code = ("import os, sys; from xorgrok.sweep.__main__ import use_huge_pages; assert 'torch' not in sys.modules; "
            "use_huge_pages(); print(os.environ.get('THP_MEM_ALLOC_ENABLE'))")
    env = {k: v for k, v in os.environ.items() if k != "THP_MEM_ALLOC_ENABLE"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
    out = subprocess.run([sys.executable, "-c", code], env=env | {"THP_MEM_ALLOC_ENABLE": "0"}, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "0"  # the user's choice is kept
    from xorgrok.sweep.__main__ import use_huge_pages

    monkeypatch.delenv("THP_MEM_ALLOC_ENABLE", raising=False)
    use_huge_pages()  # torch is loaded in this process: setting it now would affect only the workers
    assert "THP_MEM_ALLOC_ENABLE" not in os.environ


def test_start_method_is_fork_on_linux_unless_cuda_is_initialised(monkeypatch):
    import sys

    import torch

    from xorgrok.core.errors import InputError
    from xorgrok.sweep.engine import local_worker_config, resolve_start_method

    monkeypatch.setattr(sys, "platform", "linux")
    assert local_worker_config()["distributed.worker.multiprocessing-method"] == "fork"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert resolve_start_method() == "spawn" and resolve_start_method("fork") == "fork"
    monkeypatch.setattr(sys, "platform", "linux")
    assert resolve_start_method("spawn") == "spawn" and resolve_start_method("forkserver") == "forkserver"
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: True)
    assert resolve_start_method("fork") == "spawn"  # a forked child cannot use the parent's CUDA context
    with pytest.raises(InputError, match="--start-method"):
        resolve_start_method("thread")


@pytest.mark.parametrize("method,preloaded", [("fork", True), ("spawn", False)])
def test_forked_workers_start_with_the_experiments_imported(method, preloaded):
    """What fork buys: a forked worker has torch and the experiments loaded before its first task."""
    import dask
    from distributed import Client, LocalCluster

    import xorgrok.sweep.experiments  # noqa: F401
    from xorgrok.sweep.engine import local_worker_config

    def loaded():
        import sys

        return "torch" in sys.modules and "xorgrok.sweep.experiments" in sys.modules

    with dask.config.set(local_worker_config(method)), LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cl, \
            Client(cl) as c:
        assert list(c.run(loaded).values()) == [preloaded]
