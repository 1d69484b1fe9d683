"""The memo of clause analyses: a remembered finding is only ever returned where a fresh
analysis would find the same, with the caller's own clause, and the memo stays bounded."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import FrozenInstanceError
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcheck.clauses import (
    Clause,
    ClauseAnalysis,
    FeatureMatcher,
    FeatureTerm,
    Revision,
    analyse_document,
)
from dealcheck.clauses import memo as memo_module
from dealcheck.clauses.memo import MAX_ANCHORS, MAX_CHARS, MAX_ENTRIES, ClauseMemo
from dealcheck.clauses.model import ClauseSource
from dealcheck.contract import analyse_contract
from dealcheck.errors import Location
from dealcheck.models import DealBody

START = date(2027, 1, 1)
TERMS = [
    FeatureTerm("sso", "single sign-on", ("SSO",)),
    FeatureTerm("audit-log", "audit logs", ("audit log",)),
    FeatureTerm("eu-data-residency", "EU data residency", ()),
    FeatureTerm("backups", "backups", ()),
]


def matcher() -> FeatureMatcher:
    """A matcher of its own, so each test starts with an empty memo."""
    return FeatureMatcher(TERMS, roadmap=["eu-data-residency"])


def clause(
    id: str,
    text: str,
    source: ClauseSource = "paragraph",
    revisions: tuple[Revision, ...] = (),
    where: str = "contract.docx",
    line: int | None = None,
) -> Clause:
    return Clause(id, text, Location(where, line), source, revisions)


@contextmanager
def no_memo() -> Iterator[None]:
    """Every clause analysed afresh: the reference the memo must agree with."""

    def fresh(self: ClauseMemo, clause: Clause, analyse: Any, *rest: object) -> ClauseAnalysis:
        return analyse()

    with patch.object(ClauseMemo, "analyse", fresh):
        yield


def fresh(
    clauses: Sequence[Clause], start: date = START, fmt: Literal["dmy", "mdy"] = "dmy"
) -> list[ClauseAnalysis]:
    with no_memo():
        return analyse_document(clauses, matcher(), start, fmt)


def dues(analyses: list[ClauseAnalysis]) -> dict[str, dict[str, date]]:
    return {a.clause.id: {c.feature: c.due for c in a.commitments} for a in analyses}


def test_a_repeated_text_is_analysed_once_and_returned_with_the_callers_clause() -> None:
    m = matcher()
    text = "Provider shall provide SSO by 31 March 2027."
    first = analyse_document([clause("7.1", text, line=3)], m, START)
    assert len(m.memo) == 1
    with patch("dealcheck.clauses.document.analyse_clause") as analyse:
        again = clause("12", text, "list-item", where="other.docx", line=40)
        [second] = analyse_document([again], m, START)
    analyse.assert_not_called()  # a hit: nothing analysed
    assert second.clause is again  # its own id, location and source, not the first deal's
    assert second.commitments == first[0].commitments
    assert second.decisions == first[0].decisions
    assert second == fresh([again])[0]


def test_the_same_text_with_other_start_dates_has_its_own_due_dates() -> None:
    m = matcher()
    text = "Provider shall provide SSO within 30 days of the Effective Date."
    early = analyse_document([clause("7.1", text)], m, date(2027, 1, 1))
    late = analyse_document([clause("7.1", text)], m, date(2027, 6, 1))
    assert dues(early) == {"7.1": {"sso": date(2027, 1, 31)}}
    assert dues(late) == {"7.1": {"sso": date(2027, 7, 1)}}
    # a text with no date is due at the start date: that too is per deal
    plain = "Provider shall provide SSO."
    assert dues(analyse_document([clause("1", plain)], m, date(2027, 1, 1))) == {
        "1": {"sso": date(2027, 1, 1)}
    }
    assert dues(analyse_document([clause("1", plain)], m, date(2028, 2, 29))) == {
        "1": {"sso": date(2028, 2, 29)}
    }


def test_the_same_text_under_another_date_format_reads_its_dates_that_way() -> None:
    m = matcher()
    text = "Provider shall provide SSO by 03/04/2027."
    dmy = analyse_document([clause("7.1", text)], m, START, "dmy")
    mdy = analyse_document([clause("7.1", text)], m, START, "mdy")
    assert dues(dmy) == {"7.1": {"sso": date(2027, 4, 3)}}
    assert dues(mdy) == {"7.1": {"sso": date(2027, 3, 4)}}


def test_the_same_item_under_other_lead_ins_is_governed_by_each() -> None:
    m = matcher()
    item = clause("(a)", "single sign-on;", "list-item")
    april = [clause("4", "Provider will provide by 30 April 2027 the following:"), item]
    may = [clause("4", "Provider will provide by 31 May 2027 the following:"), item]
    other_id = [clause("5", "Provider will provide by 31 May 2027 the following:"), item]
    alone = [item]
    results = {
        name: analyse_document(doc, m, START)
        for name, doc in (("april", april), ("may", may), ("other_id", other_id), ("alone", alone))
    }
    assert dues(results["april"])["(a)"] == {"sso": date(2027, 4, 30)}
    assert dues(results["may"])["(a)"] == {"sso": date(2027, 5, 31)}
    assert "governed by lead-in clause 4" in results["may"][1].decisions[0].reason
    assert "governed by lead-in clause 5" in results["other_id"][1].decisions[0].reason
    assert results["alone"][0].commitments == ()  # no lead-in, no commitment words
    for name, doc in (("april", april), ("may", may), ("other_id", other_id), ("alone", alone)):
        assert results[name] == fresh(doc), name


def test_the_same_text_in_documents_defining_other_dates_counts_from_each() -> None:
    m = matcher()
    text = "Provider shall provide SSO within 30 days after the Go-Live Date."
    march = [clause("1", "The Go-Live Date is 1 March 2027."), clause("2", text)]
    june = [clause("1", "The Go-Live Date is 1 June 2027."), clause("2", text)]
    undefined = [clause("2", text)]
    assert dues(analyse_document(march, m, START))["2"] == {"sso": date(2027, 3, 31)}
    assert dues(analyse_document(june, m, START))["2"] == {"sso": date(2027, 7, 1)}
    assert dues(analyse_document(undefined, m, START))["2"] == {"sso": date(2027, 1, 31)}


def test_document_disclaimers_name_each_documents_own_clause() -> None:
    m = matcher()
    promise = clause("7.1", "Provider shall provide EU data residency by 31 March 2027.")
    by_9 = [promise, clause("9", "Roadmap items are not commitments.")]
    by_12 = [promise, clause("12", "Roadmap items are not commitments.")]
    undisclaimed = [promise]
    nine = analyse_document(by_9, m, START)[0]
    twelve = analyse_document(by_12, m, START)[0]
    kept = analyse_document(undisclaimed, m, START)[0]
    assert nine.commitments == () and twelve.commitments == ()
    assert nine.decisions[0].reason.startswith("disclaimed by clause 9:")
    assert twelve.decisions[0].reason.startswith("disclaimed by clause 12:")
    assert dues([kept]) == {"7.1": {"eu-data-residency": date(2027, 3, 31)}}


def test_one_catalogs_findings_are_never_another_catalogs() -> None:
    text = "Provider shall provide SSO and audit logs by 31 March 2027."
    first = matcher()
    other = FeatureMatcher([FeatureTerm("saml", "SAML", ("SSO",))])
    [mine] = analyse_document([clause("7.1", text)], first, START)
    [theirs] = analyse_document([clause("7.1", text)], other, START)
    assert [c.feature for c in mine.commitments] == ["sso", "audit-log"]
    assert [c.feature for c in theirs.commitments] == ["saml"]


def test_a_term_added_to_a_matcher_forgets_what_it_found() -> None:
    m = matcher()
    text = "Provider shall provide SAML by 31 March 2027."
    assert analyse_document([clause("1", text)], m, START)[0].commitments == ()
    m._add(["saml"], "saml")  # how the catalog cache rebuilds a matcher
    assert [c.feature for c in analyse_document([clause("1", text)], m, START)[0].commitments] == [
        "saml"
    ]


def test_contracts_get_their_own_clause_ids_and_locations() -> None:
    m = matcher()
    text = "Provider shall provide SSO by 31 March 2027. Provider guarantees 99.9% uptime."

    def contract(clause_id: str, where: str) -> Any:
        deal = DealBody.model_validate(
            {
                "customer": {"name": "C", "country": "DE"},
                "currency": "EUR",
                "start_date": "2027-01-01",
                "term_months": 12,
                "clauses": [{"id": clause_id, "text": text}],
            }
        )
        return analyse_contract(deal, [clause(clause_id, text, where=where, line=7)], m)

    one = contract("7.1", "a.yaml")
    two = contract("3", "b.yaml")
    assert [(c.clause, c.location.file) for c in one.commitments] == [("7.1", "a.yaml")]
    assert [(c.clause, c.location.file) for c in two.commitments] == [("3", "b.yaml")]
    assert [(u.clause, u.location.file, u.value) for u in two.uptimes] == [
        ("3", "b.yaml", Decimal("99.9"))
    ]
    assert [a.clause.id for a in two.analyses] == ["3"]
    assert len(m.memo) == 1


def test_what_is_shared_between_deals_cannot_be_changed() -> None:
    m = matcher()
    text = "Provider shall provide SSO by 31 March 2027. Provider guarantees 99.9% uptime."
    [analysis] = analyse_document([clause("1", text)], m, START)
    for value in (analysis.mentions, analysis.commitments, analysis.decisions, analysis.uptimes):
        assert isinstance(value, tuple) and value
    with pytest.raises(FrozenInstanceError):
        analysis.commitments[0].due = date(2030, 1, 1)  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        analysis.mentions[0].feature = "other"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        analysis.decisions[0].reason = "changed"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        analysis.uptimes[0].value = Decimal(1)  # type: ignore[misc]


def test_clauses_the_memo_does_not_keep_are_still_analysed_right() -> None:
    m = matcher()
    inserted = Revision("inserted", "Ann", "2027-01-05T00:00:00Z", "SSO", (23, 26))
    redlined = clause("1", "Provider shall provide SSO by 31 March 2027.", revisions=(inserted,))
    long = clause("2", "Provider shall provide SSO by 31 March 2027. " + "Filler words. " * 300)
    assert len(long.text) > MAX_CHARS
    for doc in ([redlined], [long]):
        assert analyse_document(doc, m, START) == fresh(doc)
    [found] = analyse_document([redlined], m, START)
    assert found.commitments[0].revision == inserted
    # a document defining many dates: its clauses are analysed afresh
    defined = [
        clause(f"d{i}", f"The Phase {chr(65 + i % 26)}{i} Date is {i % 28 + 1} March 2027.")
        for i in range(MAX_ANCHORS + 1)
    ]
    many = [*defined, clause("x", "Provider shall provide SSO within 10 days.")]
    assert analyse_document(many, m, START) == fresh(many)
    assert len(m.memo) == 0


def test_the_memo_holds_at_most_max_entries() -> None:
    m = matcher()
    for i in range(MAX_ENTRIES + 50):
        analyse_document([clause("1", f"Provider shall provide SSO. Ref {i}.")], m, START)
        assert len(m.memo) <= MAX_ENTRIES
    assert 0 < len(m.memo) < MAX_ENTRIES  # emptied once, refilled since
    # a text seen before the memo was emptied is analysed again, and right
    again = [clause("1", "Provider shall provide SSO. Ref 0.")]
    assert analyse_document(again, m, START) == fresh(again)


def test_the_memo_holds_at_most_max_weight(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo_module, "MAX_WEIGHT", 20_000)
    m = matcher()
    filler = "Provider shall provide SSO and audit logs. " + "Filler words. " * 40
    peak = 0
    for i in range(100):
        analyse_document([clause("1", f"{filler} Ref {i}.")], m, START)
        assert m.memo.weight <= 20_000
        peak = max(peak, len(m.memo))
    assert 1 < peak < 50  # kept some, never all
    # a finding heavier than an eighth of the whole is not kept at all
    m.memo.clear()
    heavy = [clause("1", "Provider shall provide " + "SSO and " * 20 + "audit logs.")]
    assert analyse_document(heavy, m, START) == fresh(heavy)
    assert len(m.memo) == 0


# -- memoised and fresh analysis agree -----------------------------------------------------

_TEXTS = [
    "Provider shall provide SSO by 31 March 2027.",
    "Provider shall provide SSO within 30 days of the Effective Date.",
    "Provider shall make EU data residency available by 03/04/2027.",
    "Provider shall provide audit logs within 45 days after the Go-Live Date.",
    "The Go-Live Date is 1 March 2027.",
    "The Go-Live Date is 15 June 2027.",
    "Provider will provide the following services by 30 April 2027:",
    "Provider will deliver the following:",
    "single sign-on;",
    "daily backups by Q3 2027.",
    "audit logs",
    "Roadmap items are not commitments.",
    "Nothing in this Agreement obliges Provider to deliver future functionality.",
    "Provider guarantees 99.95% monthly uptime.",
    "Provider may provide SSO if and when available.",
    "Customer shall configure audit logs.",
    "[ ] SSO add-on by 31 May 2027",
]
_IDS = ["1", "2", "4", "5", "7.1", "7.2", "(a)", "(b)", "i", "p3"]
_SOURCES: list[ClauseSource] = ["paragraph", "list-item", "table-row", "heading"]

_documents = st.lists(
    st.builds(
        lambda id, text, source, line: clause(id, text, source, line=line),
        st.sampled_from(_IDS),
        st.sampled_from(_TEXTS),
        st.sampled_from(_SOURCES),
        st.integers(1, 50),
    ),
    min_size=1,
    max_size=6,
)
_contexts = st.tuples(
    _documents,
    st.dates(date(2026, 1, 1), date(2028, 12, 31)),
    st.sampled_from(["dmy", "mdy"]),
)
#: one matcher across examples: its memo warms up as a batch's would
_SHARED = matcher()


@settings(max_examples=150, deadline=None)
@given(st.lists(_contexts, min_size=1, max_size=4))
def test_memoised_analysis_equals_fresh_analysis(
    batch: list[tuple[list[Clause], date, Literal["dmy", "mdy"]]],
) -> None:
    for clauses, start, fmt in batch:
        assert analyse_document(clauses, _SHARED, start, fmt) == fresh(clauses, start, fmt)
        # and again, now from the memo, a day later
        later = start + timedelta(days=1)
        assert analyse_document(clauses, _SHARED, later, fmt) == fresh(clauses, later, fmt)
