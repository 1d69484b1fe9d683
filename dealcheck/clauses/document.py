"""Analyse a whole document: the clauses in order, with what each clause needs from the others."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from dealcheck.clauses.analysis import analyse_clause
from dealcheck.clauses.matcher import FeatureMatcher
from dealcheck.clauses.model import Clause, ClauseAnalysis


def analyse_document(
    clauses: Sequence[Clause],
    matcher: FeatureMatcher,
    start_date: date,
    date_format: Literal["dmy", "mdy"] = "dmy",
) -> list[ClauseAnalysis]:
    """One ``ClauseAnalysis`` per clause, in order."""
    return [analyse_clause(c, matcher, start_date, date_format) for c in clauses]
