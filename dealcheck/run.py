"""Checking deals end to end, as a library: inputs → engine → results (no printing).

With ``jobs > 1`` the work units of :mod:`dealcheck.deals` are checked in worker
processes, each holding its own :class:`~dealcheck.engine.Engine` (built once per
worker); results still come out in input order, and only a bounded window of units is
in flight, so memory does not grow with the number of deals.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future  # not .process: a one-deal check starts no pool
from functools import partial
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeVar

from dealcheck.contract import gather_clauses
from dealcheck.deals import DealInput, JsonlUnit, WorkUnit, iter_deals, load_unit, plan_units
from dealcheck.engine import Engine
from dealcheck.errors import InputError, Problem
from dealcheck.findings import DealResult

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


def check_input(engine: Engine, item: DealInput) -> DealResult:
    """Check one loaded deal with its contract files (or turn a load error into a result)."""
    if item.error is not None or item.deal is None:
        assert item.error is not None
        return DealResult.failed(item.file, item.error, item.problems)
    try:
        clauses = gather_clauses(item.deal, item.source, item.base_dir, engine.options)
    except InputError as err:
        return DealResult.failed(item.file, Problem.from_input_error(err))
    return engine.check(item.deal, item.source, clauses)


def check_targets(engine: Engine, targets: Iterable[str]) -> Iterator[DealResult]:
    """Stream results for every deal under ``targets``, in input order, in this process."""
    for item in iter_deals(targets, engine.options):
        yield check_input(engine, item)


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


T = TypeVar("T")
_WORKER_ENGINE: Engine | None = None


def _die_with_parent(parent: int) -> None:
    """Make this worker die when the process that started it dies, however it dies.

    On Linux the kernel does it: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` sends the worker
    SIGKILL the moment its parent exits, even by SIGKILL (a pool's own clean-up never runs
    then). The parent may have died before the call: then the worker has been re-parented
    and exits at once. Elsewhere a worker still ends when the pool shuts it down.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no usable libc
            pass
    if os.getppid() != parent:
        os._exit(1)


def _init_worker(engine: Engine, parent: int) -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = engine
    # The parent decides how a run ends: Ctrl-C (sent to the whole process group) and the
    # parent's SIGTERM/SIGHUP handlers are the parent's; a worker just stops when told.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    _die_with_parent(parent)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool at once: queued work cancelled, running workers killed (an interrupted run
    must not wait for deals it will never report)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)


#: what becomes of the results of one work unit where they were made: a list of items
#: for the caller (the results themselves, each rendered, or a few deals rendered as one)
UnitTransform = Callable[[Iterable[DealResult]], list[T]]


def _check_unit(unit: WorkUnit, per_unit: UnitTransform[T]) -> list[T]:
    assert _WORKER_ENGINE is not None
    engine = _WORKER_ENGINE
    return per_unit(check_input(engine, item) for item in load_unit(unit, engine.options))


def _same(result: DealResult) -> DealResult:
    return result


def _each(transform: Callable[[DealResult], T], results: Iterable[DealResult]) -> list[T]:
    return [transform(result) for result in results]


def _size(unit: WorkUnit) -> int:
    """About how many deals a work unit holds."""
    return len(unit.lines) if isinstance(unit, JsonlUnit) else 1


def check_parallel(
    engine: Engine,
    targets: Iterable[str],
    jobs: int,
    transform: Callable[[DealResult], T] = _same,  # type: ignore[assignment]
    min_deals: int = 0,
) -> Iterator[T]:
    """Like :func:`check_targets` across ``jobs`` worker processes, each result passed
    through ``transform`` where it was made (see :func:`check_units`)."""
    return check_units(engine, targets, jobs, partial(_each, transform), min_deals)


def check_units(
    engine: Engine,
    targets: Iterable[str],
    jobs: int,
    per_unit: UnitTransform[T],
    min_deals: int = 0,
) -> Iterator[T]:
    """Every deal under ``targets`` checked across ``jobs`` worker processes, in input
    order; the results of each work unit go through ``per_unit`` where they were made (a
    worker renders its own deals' report text, so only text travels back) and what it
    returns comes out here. In-process, ``per_unit`` sees one result at a time.

    Workers are forked and inherit ``engine`` (nothing is loaded or compiled twice);
    where ``fork`` is not available, or ``jobs`` is 1, deals are checked in-process.
    ``per_unit`` must be picklable (a module-level function or a partial of one).
    With ``min_deals``, workers are started only when the input holds at least that many
    deals (counted over the first work units): for less, starting them costs more than
    they save.
    """
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for result in check_targets(engine, targets):
            yield from per_unit((result,))
        return
    units = plan_units(targets)
    first = list(islice(units, 2))
    deals = sum(_size(unit) for unit in first)
    while deals < min_deals:
        more = list(islice(units, 1))
        if not more:
            break
        first.extend(more)
        deals += _size(more[0])
    if len(first) < 2 or deals < min_deals:
        # One file or one chunk: a pool would only add start-up cost (and a second
        # process to go wrong), so check it here.
        for unit in first:
            for item in load_unit(unit, engine.options):
                yield from per_unit((check_input(engine, item),))
        return
    context = multiprocessing.get_context("fork")
    window = jobs * 4
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(engine, os.getpid()),
    )
    pending: deque[Future[list[T]]] = deque()
    finished = False
    try:
        for unit in chain(first, units):
            pending.append(pool.submit(_check_unit, unit, per_unit))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # an error, Ctrl-C, SIGTERM/SIGHUP, or the consumer stopped reading
            _stop_workers(pool)
