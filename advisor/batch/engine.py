"""Run one per-household function over many households: a local process pool or Dask.

Both engines take the function, a (lazy) iterable of work items and the run's settings, keep a
bounded number of households in flight (so memory does not grow with the number of households)
and yield results as they complete. The settings are sent once per worker, not per household.

* ``local``: :class:`concurrent.futures.ProcessPoolExecutor` on all cores (``--workers``), started
  with ``forkserver`` (no fork of a threaded parent) and recycled every
  :data:`TASKS_PER_CHILD` households to keep worker memory flat. One worker runs in-process.
* ``dask``: the same function on a ``dask.distributed`` cluster: a ``LocalCluster`` of
  ``--workers`` processes, or an existing scheduler (``--scheduler tcp://host:8786``). Workers
  need the ``energie-advisor`` package and read access to INPUT at the same path.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from advisor.errors import AdvisorError

TASKS_PER_CHILD = 250
SCHEDULER_TIMEOUT_S = 20
IN_FLIGHT_PER_WORKER = 3
#: Imported once in the forkserver, so that each worker starts without the import cost (~10 s of
#: lightgbm/sklearn/scipy/pvlib/matplotlib/weasyprint on a busy 2-core machine).
PRELOAD_MODULES = (
    "advisor.batch.lifeline",  # first: the forkserver dies with the driver (see lifeline)
    "advisor.batch.process",
    "advisor.assessment",
    "advisor.analysis",
    "advisor.forecast",
    "advisor.pv",
    "advisor.economics",
    "advisor.tariffs",
    "advisor.measures",
    "advisor.report",
    "lightgbm",
    "pvlib",
    "matplotlib",
    "weasyprint",
)

_worker_settings: dict[str, Any] = {}


@dataclass(frozen=True)
class EngineSpec:
    """Which engine, how many workers and where.

    Attributes
    ----------
    kind
        ``"local"`` or ``"dask"``.
    workers
        Worker processes; None means all cores (local) or the cluster as it is (dask scheduler).
    scheduler
        Address of a running Dask scheduler; None starts a LocalCluster.
    dask_processes
        LocalCluster with processes (True) or threads in this process (False, for tests).
    """

    kind: str = "local"
    workers: int | None = None
    scheduler: str | None = None
    dask_processes: bool = True

    def __post_init__(self) -> None:
        if self.kind not in ("local", "dask"):
            raise AdvisorError(f"`--engine` must be 'local' or 'dask'; got {self.kind!r}")
        if self.workers is not None and self.workers < 1:
            raise AdvisorError(f"`--workers` must be at least 1; got {self.workers}")
        if self.scheduler and self.kind != "dask":
            raise AdvisorError("`--scheduler` needs `--engine dask`")

    @property
    def n_workers(self) -> int:
        return self.workers or os.cpu_count() or 1


def _init_worker(settings: Any) -> None:
    from advisor.batch.lifeline import die_with_parent

    die_with_parent()  # the worker dies with the forkserver, which dies with the driver
    _worker_settings["settings"] = settings


def _call(fn: Callable, item: Any) -> Any:
    return fn(item, _worker_settings["settings"])


def map_unordered(
    fn: Callable[[Any, Any], Any],
    items: Iterable,
    settings: Any,
    spec: EngineSpec,
    on_crash: Callable[[Any, str], Any] | None = None,
) -> Iterator[Any]:
    """Yield ``fn(item, settings)`` for every item, in completion order, bounded in flight.

    ``fn`` handles its own errors; ``on_crash(item, message)`` makes the result of an item whose
    worker died under it (a crash or the OOM killer on the local pool, a killed Dask worker).
    On the local pool the items in flight when a worker died are retried one at a time in a fresh
    pool, so that only the item that kills a worker on its own is reported. Without
    ``on_crash`` the failure is raised.
    """
    if spec.kind == "dask":
        yield from _map_dask(fn, items, settings, spec, on_crash)
    elif spec.n_workers == 1:
        for item in items:
            yield fn(item, settings)
    else:
        yield from _map_local(fn, items, settings, spec, on_crash)


def _forkserver_context():
    from advisor.batch.lifeline import DRIVER_PID_ENV

    os.environ[DRIVER_PID_ENV] = str(os.getpid())  # inherited by the forkserver (see lifeline)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(PRELOAD_MODULES))
    return ctx


def prestart(spec: EngineSpec) -> None:
    """Start the local pool's forkserver now (it imports :data:`PRELOAD_MODULES`, about 3 s of CPU),
    so that its imports overlap the driver's planning instead of following it. Returns at once;
    the pool started later forks its workers from this server. No-op for Dask and one worker."""
    if spec.kind != "local" or spec.n_workers == 1:
        return
    from multiprocessing import forkserver

    _forkserver_context()
    forkserver.ensure_running()


def _new_pool(settings, spec: EngineSpec) -> ProcessPoolExecutor:
    ctx = _forkserver_context()
    return ProcessPoolExecutor(
        max_workers=spec.n_workers,
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(settings,),
        max_tasks_per_child=TASKS_PER_CHILD,
    )


def _map_local(fn, items, settings, spec: EngineSpec, on_crash) -> Iterator[Any]:
    limit = spec.n_workers * IN_FLIGHT_PER_WORKER
    it = iter(items)
    suspects: deque = deque()  # items in flight when a worker died, retried one by one
    exhausted = False
    while True:
        pool = _new_pool(settings, spec)
        broken = False
        try:
            while suspects and not broken:
                item = suspects.popleft()
                try:
                    result = pool.submit(_call, fn, item).result()
                except BrokenProcessPool as exc:
                    if on_crash is None:
                        raise
                    result = on_crash(item, f"the worker process died while processing this household ({exc})")
                    broken = True
                yield result
            if broken:
                continue
            pending: dict = {}
            while True:
                while not exhausted and len(pending) < limit:
                    try:
                        item = next(it)
                    except StopIteration:
                        exhausted = True
                        break
                    pending[pool.submit(_call, fn, item)] = item
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                results = []
                for fut in done:
                    try:
                        results.append(fut.result())
                    except BrokenProcessPool:
                        if on_crash is None:
                            raise
                        broken = True
                        continue
                    del pending[fut]
                yield from results
                if broken:
                    suspects.extend(pending.values())
                    break
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)


def _map_dask(fn, items, settings, spec: EngineSpec, on_crash) -> Iterator[Any]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if spec.scheduler:
        try:
            client = Client(spec.scheduler, timeout=SCHEDULER_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            raise AdvisorError(
                f"cannot reach the Dask scheduler at `--scheduler` {spec.scheduler} within {SCHEDULER_TIMEOUT_S} s "
                f"({type(exc).__name__}: {exc}); is it running and reachable from this machine?"
            ) from None
    else:
        cluster = LocalCluster(
            n_workers=spec.n_workers,
            threads_per_worker=1,
            processes=spec.dask_processes,
            host="127.0.0.1",  # nothing of a local run listens beyond this machine
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or spec.n_workers)
        limit = n_workers * IN_FLIGHT_PER_WORKER
        settings_future = client.scatter(settings, broadcast=True, hash=False)
        it = iter(items)
        queue = as_completed()
        in_flight = 0
        item_of: dict = {}

        def submit_next() -> bool:
            try:
                item = next(it)
            except StopIteration:
                return False
            fut = client.submit(fn, item, settings_future, pure=False)
            item_of[fut.key] = item
            queue.add(fut)
            return True

        while in_flight < limit and submit_next():
            in_flight += 1
        for fut in queue:
            item = item_of.pop(fut.key)
            try:
                result = fut.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker, CommClosedError …
                if on_crash is None:
                    raise
                result = on_crash(
                    item, f"the Dask worker failed while processing this household ({type(exc).__name__}: {exc})"
                )
            fut.release()
            in_flight -= 1
            if submit_next():
                in_flight += 1
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
