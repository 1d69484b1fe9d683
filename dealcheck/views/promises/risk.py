"""Judging promises against the roadmap: the risk flags of a promise, and the promises a
catalog change makes late (``dealcheck impact`` asks the same question as
``dealcheck promises --move``).

Risk flags of a promise (``FLAGS``), judged against the catalog (or a what-if move):

* ``late``: due before the roadmap target of a not-yet-GA feature (planned, preview, beta);
* ``overdue``: due before today and the feature is still not GA;
* ``at-risk``: due on or up to ``at_risk_days`` after the target of a not-yet-GA feature
  (a slip of that much breaks it);
* ``end-of-life``: the feature is retired, or deprecated with an end of life before the
  contract ends;
* ``not-committable``: the catalog says the feature may not be committed;
* ``unknown``: no catalog feature has this id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dealcheck.views.promises.model import FeatureState, Promise

if TYPE_CHECKING:
    from dealcheck.catalog import Catalog

NOT_YET_GA = ("planned", "preview", "beta")
DEFAULT_AT_RISK_DAYS = 30


def is_late(due: date, state: FeatureState) -> bool:
    """Due before the roadmap target of a feature that is not yet GA."""
    return state.status in NOT_YET_GA and state.target is not None and due < state.target


def flags_of(
    promise: Promise, state: FeatureState, today: date, at_risk_days: int
) -> tuple[str, ...]:
    """The risk flags of a promise against a feature's facts (see the module doc)."""
    if state.status == "unknown":
        return ("unknown",)
    out: list[str] = []
    due = promise.due
    not_ga = state.status in NOT_YET_GA
    if is_late(due, state):
        out.append("late")
    if not_ga and due < today:
        out.append("overdue")
    if (
        not_ga
        and state.target is not None
        and state.target <= due <= state.target + timedelta(days=at_risk_days)
    ):
        out.append("at-risk")
    if state.status == "retired" or (
        state.status == "deprecated"
        and state.end_of_life is not None
        and state.end_of_life < promise.deal.end_date
    ):
        out.append("end-of-life")
    if not state.committable:
        out.append("not-committable")
    return tuple(out)


# -- what a roadmap change makes late (dealcheck impact) ---------------------------------------


@dataclass(frozen=True)
class LatePromise:
    """A promise that a catalog change makes late: on time before, due before the target after."""

    promise: Promise
    before: FeatureState
    after: FeatureState


def made_late(promises: Iterable[Promise], before: Catalog, after: Catalog) -> list[LatePromise]:
    """The promises late against ``after``'s roadmap that were not against ``before``'s."""
    out = []
    for p in promises:
        old, new = FeatureState.of(before, p.feature), FeatureState.of(after, p.feature)
        if is_late(p.due, new) and not is_late(p.due, old):
            out.append(LatePromise(p, old, new))
    return out
