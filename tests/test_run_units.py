"""Where deals are checked (``dealcheck.run``): workers start only for as many deals as
repay them (the speed issue's "--jobs that pays"), every deal is checked once and in
input order on every path, and where workers cannot be forked the run stays in-process."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from dealcheck.engine import Engine
from dealcheck.findings import DealResult
from dealcheck.run import check_units
from tests.deal_batches import jsonl_deals


def _where(results: Iterable[DealResult]) -> list[tuple[str, int]]:
    """Each deal's id and the process that checked it."""
    return [(result.deal_id, os.getpid()) for result in results]


def _run(engine: Engine, deals: Path, jobs: int, min_deals: int) -> list[tuple[str, int]]:
    return list(check_units(engine, [str(deals)], jobs, _where, min_deals))


@pytest.fixture(scope="module")
def deals_600(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return jsonl_deals(tmp_path_factory.mktemp("run") / "deals.jsonl", 600)  # 256 + 256 + 88


IDS = [f"Q-{n:04d}" for n in range(600)]


def test_workers_start_for_as_many_deals_as_asked_and_not_for_fewer(
    sample_engine: Engine, deals_600: Path
) -> None:
    here = os.getpid()
    enough = _run(sample_engine, deals_600, 2, 600)
    assert [deal for deal, _pid in enough] == IDS
    assert here not in {pid for _deal, pid in enough}  # all checked by workers
    assert len({pid for _deal, pid in enough}) == 2
    too_few = _run(sample_engine, deals_600, 2, 601)
    assert too_few == [(deal, here) for deal in IDS]  # in this process, all of them


def test_one_job_checks_every_deal_here(sample_engine: Engine, deals_600: Path) -> None:
    assert _run(sample_engine, deals_600, 1, 0) == [(deal, os.getpid()) for deal in IDS]


def test_where_workers_cannot_be_forked_every_deal_is_checked_here(
    sample_engine: Engine, deals_600: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dealcheck.run._can_fork", lambda: False)
    assert _run(sample_engine, deals_600, 2, 0) == [(deal, os.getpid()) for deal in IDS]
