"""Checking deals end to end, as a library: inputs → engine → results (no printing)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dealcheck.deals import DealInput, iter_deals
from dealcheck.engine import Engine
from dealcheck.findings import DealResult


def check_input(engine: Engine, item: DealInput) -> DealResult:
    """Check one loaded deal (or turn its load error into a result)."""
    if item.error is not None or item.deal is None:
        assert item.error is not None
        return DealResult.failed(item.file, item.error, item.problems)
    return engine.check(item.deal, item.source)


def check_targets(engine: Engine, targets: Iterable[str]) -> Iterator[DealResult]:
    """Stream results for every deal under ``targets``, in input order."""
    for item in iter_deals(targets):
        yield check_input(engine, item)
