"""What one contract may hold: every clause file of a deal and its inline clauses.

Clause analysis is linear in the text and in its sentence and clause marks; these
budgets bound both far above any real contract (a 300-page agreement has ~900,000
characters, ~3,000 clauses, ~25,000 marks and, as text, ~15,000 lines), so that an
untrusted contract cannot make a check slow. A contract over one is refused with an
``InputError`` at the clause (or line) that crosses it.
"""

from __future__ import annotations

from collections.abc import Sequence

from dealcheck.clauses.model import MAX_CLAUSE_CHARS, Clause
from dealcheck.errors import InputError, Location
from dealcheck.yamlio import excerpt

__all__ = [
    "MAX_CLAUSES",
    "MAX_CLAUSE_CHARS",
    "MAX_CLAUSE_MARKS",
    "MAX_CONTRACT_CHARS",
    "MAX_TEXT_LINES",
    "check_contract_budget",
    "check_text_budget",
]

MAX_CLAUSES = 10_000
MAX_CONTRACT_CHARS = 1_000_000
MAX_CLAUSE_MARKS = 60_000
#: Lines of a .txt/.md contract.
MAX_TEXT_LINES = 100_000
_MARKS = str.maketrans("", "", ".!?;:")


def check_contract_budget(clauses: Sequence[Clause]) -> None:
    """Refuse a contract over one of the budgets above (one clause: ``MAX_CLAUSE_CHARS``),
    at the clause that crosses it."""
    if len(clauses) > MAX_CLAUSES:
        raise InputError(
            clauses[MAX_CLAUSES].location,
            f"more than {MAX_CLAUSES:,} clauses in one contract; refusing to analyse it",
        )
    chars = marks = 0
    for clause in clauses:
        size = len(clause.text)
        if size > MAX_CLAUSE_CHARS:
            raise InputError(
                clause.location,
                f"clause {excerpt(clause.id)} has {size:,} characters; the limit is "
                f"{MAX_CLAUSE_CHARS:,}",
            )
        chars += size
        marks += size - len(clause.text.translate(_MARKS))
        if chars > MAX_CONTRACT_CHARS:
            raise InputError(
                clause.location,
                f"the contract has more than {MAX_CONTRACT_CHARS:,} characters of clauses; "
                "refusing to analyse it",
            )
        if marks > MAX_CLAUSE_MARKS:
            raise InputError(
                clause.location,
                f"the contract has more than {MAX_CLAUSE_MARKS:,} sentence and clause marks "
                "(. ! ? ; :); refusing to analyse it",
            )


def check_text_budget(text: str, display: str) -> None:
    """The budgets a text file can be judged by before it is split into paragraphs."""
    where = Location(display)
    if len(text) > MAX_CONTRACT_CHARS:
        raise InputError(
            where,
            f"the contract has {len(text):,} characters; the limit is {MAX_CONTRACT_CHARS:,}",
        )
    lines = text.count("\n") + 1
    if lines > MAX_TEXT_LINES:
        raise InputError(
            Location(display, MAX_TEXT_LINES + 1, 1),
            f"the contract has {lines:,} lines; the limit is {MAX_TEXT_LINES:,}",
        )
    marks = len(text) - len(text.translate(_MARKS))
    if marks > MAX_CLAUSE_MARKS:
        raise InputError(
            where,
            f"the contract has {marks:,} sentence and clause marks (. ! ? ; :); the limit "
            f"is {MAX_CLAUSE_MARKS:,}",
        )
