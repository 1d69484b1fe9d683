"""Clause analysis (SPEC section 6): read contract clauses, find promised features and uptimes.

Typical use::

    clauses = read_clause_file(Path("contract.docx"))
    matcher = FeatureMatcher(FeatureTerm(f.id, f.name, tuple(f.aliases)) for f in features)
    for clause in clauses:
        analysis = analyse_clause(clause, matcher, deal.start_date, deal.date_format)

``analyse_clause``, ``find_dates`` and ``find_uptimes`` are imported on first
use: compiling their patterns takes about 0.1 s, which commands that never look
at a clause should not pay.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from dealcheck.clauses.matcher import FeatureMatcher
from dealcheck.clauses.model import (
    MAX_CLAUSE_CHARS,
    Clause,
    ClauseAnalysis,
    Decision,
    FeatureTerm,
    InferredCommitment,
    Mention,
    Revision,
    Uptime,
)
from dealcheck.clauses.reader import read_clause_file

if TYPE_CHECKING:
    from dealcheck.clauses.analysis import analyse_clause
    from dealcheck.clauses.dates import find_dates
    from dealcheck.clauses.document import analyse_document
    from dealcheck.clauses.uptime import find_uptimes

_LAZY = {
    "analyse_clause": "dealcheck.clauses.analysis",
    "analyse_document": "dealcheck.clauses.document",
    "find_dates": "dealcheck.clauses.dates",
    "find_uptimes": "dealcheck.clauses.uptime",
}

__all__ = [
    "MAX_CLAUSE_CHARS",
    "Clause",
    "ClauseAnalysis",
    "Decision",
    "FeatureMatcher",
    "FeatureTerm",
    "InferredCommitment",
    "Mention",
    "Revision",
    "Uptime",
    "analyse_clause",
    "analyse_document",
    "find_dates",
    "find_uptimes",
    "read_clause_file",
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
