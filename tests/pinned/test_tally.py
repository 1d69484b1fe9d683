"""The run tally keeps the first problems of unreadable deals for stderr, bounded, and
counts them all (a million broken deals must not fill memory)."""

from __future__ import annotations

import pytest

from dealcheck.errors import Location, Problem
from dealcheck.findings import DealResult, Tally


def broken(n: int) -> DealResult:
    return DealResult.failed(f"deals/{n}.yaml", Problem(Location(f"deals/{n}.yaml", 1, 1), "bad"))


@pytest.mark.parametrize(("deals", "kept"), [(49, 49), (50, 50), (51, 50), (120, 50)])
def test_the_first_fifty_problems_are_kept_and_all_are_counted(deals: int, kept: int) -> None:
    tally = Tally()
    for n in range(deals):
        tally.add(broken(n))
    assert tally.problem_count == deals
    assert [p.location.file for p in tally.problems] == [f"deals/{n}.yaml" for n in range(kept)]
    assert tally.summary() == {
        "deals": deals,
        "pass": 0,
        "needs-approval": 0,
        "blocked": 0,
        "error": deals,
    }
    assert tally.exit_code() == 2
