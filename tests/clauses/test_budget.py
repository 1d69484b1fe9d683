"""What one contract may hold (``dealcheck.clauses.budget``), at each limit and one past it.

``tests/hardening/test_budgets.py`` runs the same limits through the command in its own
process, under a memory limit; these run the checks themselves, at the exact boundary,
and pin where the refusal points.
"""

from __future__ import annotations

import pytest

from dealcheck.clauses.budget import (
    MAX_CLAUSE_CHARS,
    MAX_CLAUSE_MARKS,
    MAX_CLAUSES,
    MAX_CONTRACT_CHARS,
    MAX_TEXT_LINES,
    check_contract_budget,
    check_text_budget,
)
from dealcheck.clauses.model import Clause
from dealcheck.errors import InputError, Location


def _clause(n: int, text: str) -> Clause:
    return Clause(f"c{n}", text, Location("contract.txt", n, 1))


def _refused(clauses: list[Clause]) -> InputError:
    with pytest.raises(InputError) as caught:
        check_contract_budget(clauses)
    return caught.value


def test_the_clause_count_is_refused_past_its_limit_at_the_first_clause_too_many() -> None:
    clauses = [_clause(n, "x") for n in range(1, MAX_CLAUSES + 1)]
    check_contract_budget(clauses)
    err = _refused([*clauses, _clause(MAX_CLAUSES + 1, "x")])
    assert err.location == Location("contract.txt", MAX_CLAUSES + 1, 1)
    assert err.message == "more than 10,000 clauses in one contract; refusing to analyse it"


def test_one_clause_may_be_as_long_as_the_limit_and_no_longer() -> None:
    check_contract_budget([_clause(1, "a"), _clause(2, "x" * MAX_CLAUSE_CHARS)])
    err = _refused([_clause(1, "a"), _clause(2, "x" * (MAX_CLAUSE_CHARS + 1))])
    assert err.location == Location("contract.txt", 2, 1)
    assert err.message == "clause c2 has 200,001 characters; the limit is 200,000"


def test_the_contract_s_characters_are_counted_over_its_clauses() -> None:
    whole = [_clause(n, "x" * MAX_CLAUSE_CHARS) for n in range(1, 6)]  # exactly 1,000,000
    assert sum(len(c.text) for c in whole) == MAX_CONTRACT_CHARS
    check_contract_budget(whole)
    err = _refused([*whole, _clause(6, "x")])
    assert err.location == Location("contract.txt", 6, 1)
    assert err.message == (
        "the contract has more than 1,000,000 characters of clauses; refusing to analyse it"
    )


@pytest.mark.parametrize("mark", list(".!?;:"))
def test_every_sentence_and_clause_mark_counts_towards_the_marks_limit(mark: str) -> None:
    half = MAX_CLAUSE_MARKS // 2
    within = [_clause(1, mark * half), _clause(2, f"a{mark}" * half)]
    check_contract_budget(within)
    err = _refused([*within, _clause(3, f"no marks, then one{mark}")])
    assert err.location == Location("contract.txt", 3, 1)
    assert err.message == (
        "the contract has more than 60,000 sentence and clause marks (. ! ? ; :); "
        "refusing to analyse it"
    )


def test_other_punctuation_is_no_mark() -> None:
    others = ",-()'\"" * (MAX_CLAUSE_MARKS // 2)  # 180,000 characters, three times the limit
    check_contract_budget([_clause(1, others)])
    check_text_budget(others, "contract.md")


# -- a text file, before it is split into paragraphs ----------------------------------------


def _text_refused(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        check_text_budget(text, "contract.md")
    return caught.value


def test_a_text_file_may_hold_as_many_characters_as_a_contract() -> None:
    check_text_budget("x" * MAX_CONTRACT_CHARS, "contract.md")
    err = _text_refused("x" * (MAX_CONTRACT_CHARS + 1))
    assert err.location == Location("contract.md")
    assert err.message == "the contract has 1,000,001 characters; the limit is 1,000,000"


def test_a_text_file_s_lines_are_refused_at_the_first_line_too_many() -> None:
    check_text_budget("\n" * (MAX_TEXT_LINES - 1), "contract.md")  # 100,000 lines
    err = _text_refused("\n" * MAX_TEXT_LINES)
    assert err.location == Location("contract.md", MAX_TEXT_LINES + 1, 1)
    assert err.message == "the contract has 100,001 lines; the limit is 100,000"


def test_a_text_file_s_marks_are_counted_before_it_is_read_as_clauses() -> None:
    check_text_budget("x." * MAX_CLAUSE_MARKS, "contract.md")
    err = _text_refused("x." * MAX_CLAUSE_MARKS + ";")
    assert err.location == Location("contract.md")
    assert err.message == (
        "the contract has 60,001 sentence and clause marks (. ! ? ; :); the limit is 60,000"
    )
