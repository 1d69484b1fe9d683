"""Clause analysis (SPEC section 6): read contract clauses, find promised features and uptimes.

Typical use::

    clauses = read_clause_file(Path("contract.docx"))
    matcher = FeatureMatcher(FeatureTerm(f.id, f.name, tuple(f.aliases)) for f in features)
    for clause in clauses:
        analysis = analyse_clause(clause, matcher, deal.start_date, deal.date_format)
"""

from __future__ import annotations

from dealcheck.clauses.analysis import analyse_clause
from dealcheck.clauses.dates import find_dates
from dealcheck.clauses.matcher import FeatureMatcher
from dealcheck.clauses.model import (
    MAX_CLAUSE_CHARS,
    Clause,
    ClauseAnalysis,
    Decision,
    FeatureTerm,
    InferredCommitment,
    Mention,
    Uptime,
)
from dealcheck.clauses.reader import read_clause_file
from dealcheck.clauses.uptime import find_uptimes

__all__ = [
    "MAX_CLAUSE_CHARS",
    "Clause",
    "ClauseAnalysis",
    "Decision",
    "FeatureMatcher",
    "FeatureTerm",
    "InferredCommitment",
    "Mention",
    "Uptime",
    "analyse_clause",
    "find_dates",
    "find_uptimes",
    "read_clause_file",
]
