"""Checking deals end to end, as a library: inputs → engine → results (no printing).

With ``jobs > 1`` the work units of :mod:`dealcheck.deals` are checked in forked worker
processes, which inherit the :class:`~dealcheck.engine.Engine` (or, through
:func:`map_units`, whatever else the work needs: ``impact``'s two engines), so nothing
is loaded or compiled twice. Results come out in input order, and only a bounded window
of units is in flight, so memory does not grow with the number of deals; a streamed
report's text can be written by the workers themselves (:mod:`dealcheck.report.direct`).
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from dealcheck.contract import ContractOptions, gather_clauses
from dealcheck.deals import DealInput, JsonlUnit, WorkUnit, iter_deals, load_unit, plan_units
from dealcheck.engine import Engine
from dealcheck.errors import InputError, Problem
from dealcheck.findings import DealResult

if TYPE_CHECKING:
    # a one-deal check imports neither (see _can_fork)
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext


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
S = TypeVar("S")


class UnitSink(Protocol[T]):
    """Where a worker puts what ``per_unit`` made of a work unit, instead of sending it
    all back (see :class:`dealcheck.report.direct.OrderedOutput`)."""

    def prepare(self, context: BaseContext) -> None:
        """Make what the workers share, before they are forked."""

    def take(self, index: int, items: list[T]) -> list[T]:
        """In a worker: put the items of unit ``index`` (numbered from 0 in input order)
        away; what it returns goes to the parent instead."""
        ...


_WORKER_STATE: Any = None  # what map_units' work reads (an Engine, for check_units)
_WORKER_OPTIONS: ContractOptions | None = None
_WORKER_SINK: UnitSink[Any] | None = None


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


def _init_worker(
    state: object, options: ContractOptions | None, parent: int, sink: UnitSink[Any] | None
) -> None:
    global _WORKER_STATE, _WORKER_OPTIONS, _WORKER_SINK
    _WORKER_STATE, _WORKER_OPTIONS, _WORKER_SINK = state, options, sink
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

#: the work done on the deals of one work unit, with what every worker holds (``S``)
UnitWork = Callable[[S, Iterator[DealInput]], list[T]]


def _work_unit(index: int, unit: WorkUnit, work: UnitWork[Any, T]) -> list[T]:
    items = work(_WORKER_STATE, load_unit(unit, _WORKER_OPTIONS))
    if _WORKER_SINK is None:
        return items
    return _WORKER_SINK.take(index, items)


def _checked(per_unit: UnitTransform[T], engine: Engine, items: Iterator[DealInput]) -> list[T]:
    return per_unit(check_input(engine, item) for item in items)


def _same(result: DealResult) -> DealResult:
    return result


def _each(transform: Callable[[DealResult], T], results: Iterable[DealResult]) -> list[T]:
    return [transform(result) for result in results]


def _can_fork() -> bool:
    """Whether workers can be forked here (asked only when they would be started: a
    one-deal check does not import multiprocessing)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


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
    sink: UnitSink[T] | None = None,
) -> Iterator[T]:
    """Every deal under ``targets`` checked across ``jobs`` worker processes, in input
    order; the results of each work unit go through ``per_unit`` where they were made (a
    worker renders its own deals' report text, so only text travels back) and what it
    returns comes out here. In-process, ``per_unit`` sees one result at a time. See
    :func:`map_units` for the rest."""
    return map_units(
        engine, engine.options, targets, jobs, partial(_checked, per_unit), min_deals, sink
    )


def map_units(
    state: S,
    options: ContractOptions | None,
    targets: Iterable[str],
    jobs: int,
    work: UnitWork[S, T],
    min_deals: int = 0,
    sink: UnitSink[T] | None = None,
) -> Iterator[T]:
    """``work(state, deals)`` over every work unit's deals (read with ``options``) across
    ``jobs`` worker processes; what it returns comes out here, in input order.

    Workers are forked and inherit ``state`` (nothing is loaded or compiled twice: an
    engine, or the two of ``impact``); where ``fork`` is not available, or ``jobs`` is 1,
    deals are worked on in-process, one at a time. ``work`` must be picklable (a
    module-level function or a partial of one). With ``min_deals``, workers are started
    only when the input holds at least that many deals (counted over the first work
    units): for less, starting them costs more than they save. With a ``sink``, each
    worker hands its units' items to it, and what the sink returns comes out here;
    in-process, the sink is not used.
    """
    if jobs <= 1:
        for item in iter_deals(targets, options):
            yield from work(state, iter((item,)))
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
    if len(first) < 2 or deals < min_deals or not _can_fork():
        # One file or one chunk: a pool would only add start-up cost (and a second
        # process to go wrong), so check it here; so too where workers cannot be forked.
        for unit in chain(first, units):
            for item in load_unit(unit, options):
                yield from work(state, iter((item,)))
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    window = jobs * 4
    from concurrent.futures import ProcessPoolExecutor

    if sink is not None:
        sink.prepare(context)
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(state, options, os.getpid(), sink),
    )
    pending: deque[Future[list[T]]] = deque()
    finished = False
    try:
        for index, unit in enumerate(chain(first, units)):
            pending.append(pool.submit(_work_unit, index, unit, work))
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
