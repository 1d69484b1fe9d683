"""Document-level analysis: lead-ins, milestone tables, defined dates, disclaimers, redlines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dealcheck.clauses import (
    Clause,
    FeatureMatcher,
    FeatureTerm,
    Revision,
    analyse_clause,
    analyse_document,
)
from dealcheck.clauses.model import ClauseSource
from dealcheck.contract import tracked_change, tracked_evidence
from dealcheck.errors import Location
from dealcheck.report.clauses import provenance, render_text, to_dict

START = date(2027, 1, 1)
MATCHER = FeatureMatcher(
    [
        FeatureTerm("sso", "single sign-on", ("SSO",)),
        FeatureTerm("audit-log", "audit logs", ("audit log",)),
        FeatureTerm("eu-data-residency", "EU data residency", ()),
        FeatureTerm("backups", "backups", ()),
    ],
    roadmap=["eu-data-residency"],
)
WHERE = Location("contract.docx")


def clause(
    id: str, text: str, source: ClauseSource = "paragraph", revisions: tuple[Revision, ...] = ()
) -> Clause:
    return Clause(id, text, WHERE, source, revisions)


def committed(analyses: list) -> dict[str, dict[str, date]]:  # type: ignore[type-arg]
    return {a.clause.id: {c.feature: c.due for c in a.commitments} for a in analyses}


def test_a_lead_in_governs_separate_list_items() -> None:
    clauses = [
        clause("4", "Provider will provide the following services:"),
        clause("(a)", "single sign-on by 31 March 2027;", "list-item"),
        clause("(b)", "daily backups.", "list-item"),
        clause("5", "Customer shall configure audit logs."),
    ]
    found = committed(analyse_document(clauses, MATCHER, START))
    assert found["(a)"] == {"sso": date(2027, 3, 31)}
    assert found["(b)"] == {"backups": START}
    assert found["5"] == {}
    [analysis] = [a for a in analyse_document(clauses, MATCHER, START) if a.clause.id == "(a)"]
    assert "governed by lead-in clause 4" in analysis.decisions[0].reason
    # alone, an item has no commitment words
    assert analyse_clause(clauses[1], MATCHER, START).commitments == ()


def test_a_lead_in_governs_the_rows_of_a_milestone_table() -> None:
    clauses = [
        clause("3", "Provider shall deliver the Deliverables below:"),
        clause(
            "r1", "Milestone: 1; Deliverable: single sign-on; Due date: 31 March 2027", "table-row"
        ),
        clause(
            "r2", "Milestone: 3; Deliverable: EU data residency; Due date: 31 May 2027", "table-row"
        ),
        clause("4", "Customer shall complete the following tasks:"),
        clause("r3", "Task: enable audit logs; Due date: 1 April 2027", "table-row"),
    ]
    found = committed(analyse_document(clauses, MATCHER, START))
    assert found["r1"] == {"sso": date(2027, 3, 31)}
    assert found["r2"] == {"eu-data-residency": date(2027, 5, 31)}
    assert found["r3"] == {}


def test_defined_anchor_dates_resolve_relative_due_dates() -> None:
    clauses = [
        clause("1", '"Amendment Effective Date" means 1 March 2027.'),
        clause(
            "2",
            "Within sixty (60) days after the Amendment Effective Date, Provider shall make audit logs available.",
        ),
        clause("3", 'Production use starts on 15 April 2027 (the "Go-Live Date").'),
        clause("4", "Provider will provide SSO no later than 90 days after the Go-Live Date."),
        clause("5", "Provider will provide backups within 30 days after the Effective Date."),
    ]
    found = committed(analyse_document(clauses, MATCHER, START))
    assert found["2"] == {"audit-log": date(2027, 4, 30)}
    assert found["4"] == {"sso": date(2027, 7, 14)}
    assert found["5"] == {"backups": date(2027, 1, 31)}  # not defined: the start date


def test_a_document_wide_disclaimer_covers_roadmap_features_only() -> None:
    clauses = [
        clause("7.1", "Provider shall provide EU data residency and SSO by 30 June 2027."),
        clause(
            "12.4",
            "Roadmap items are not commitments, and nothing in this Agreement obliges Provider to deliver future functionality.",
        ),
    ]
    [first, _] = analyse_document(clauses, MATCHER, START)
    assert {c.feature for c in first.commitments} == {"sso"}
    [residency] = [d for d in first.decisions if d.feature == "eu-data-residency"]
    assert not residency.committed
    assert residency.reason.startswith(
        "disclaimed by clause 12.4: 'Roadmap items are not commitments"
    )


def test_uptime_thresholds_and_replaced_figures_are_not_commitments() -> None:
    clauses = [
        clause(
            "9.1", "Provider will make the Service available 99.9% of the time (instead of 99.95%)."
        ),
        clause("9.2", "Less than 99.9% but greater than or equal to 99.0% | 10%", "table-row"),
        clause("9.3", "Target Uptime: 99.95%"),
        clause("9.4", "Customer shall keep its own systems available 99.99% of the time."),
    ]
    uptimes = {
        a.clause.id: [u.value for u in a.uptimes] for a in analyse_document(clauses, MATCHER, START)
    }
    assert uptimes == {"9.1": [Decimal("99.9")], "9.2": [], "9.3": [Decimal("99.95")], "9.4": []}


INSERTED = "Provider shall provide SSO by 31 March 2027."


def test_a_commitment_inserted_in_a_tracked_change_names_it() -> None:
    text = "Customer may request integrations. " + INSERTED
    start = text.index(INSERTED)
    revision = Revision(
        "inserted", "Casey Counsel (Customer)", "2026-11-30T10:00:00Z", INSERTED, (start, len(text))
    )
    [analysis] = analyse_document([clause("8.1", text, revisions=(revision,))], MATCHER, START)
    [commitment] = analysis.commitments
    assert commitment.revision == revision
    assert (
        tracked_change(commitment.revision)
        == " — inserted in a tracked change by Casey Counsel (Customer) on 2026-11-30"
    )
    evidence = tracked_evidence(commitment.revision)
    assert evidence["inserted_by"] == "Casey Counsel (Customer)"
    assert evidence["inserted_on"] == "2026-11-30"
    assert "tracked insertion by Casey Counsel (Customer) on 2026-11-30" in provenance(
        analysis.clause
    )
    shown = to_dict([analysis], START, "dmy")["clauses"][0]
    assert shown["source"] == "paragraph"
    assert shown["commitments"][0]["revision"]["author"] == "Casey Counsel (Customer)"
    assert "inserted in a tracked change" in render_text([analysis], START, "dmy")


def test_a_commitment_whose_disclaimer_was_deleted_names_the_deletion() -> None:
    text = "Provider shall provide SSO by 31 March 2027."
    deleted = Revision(
        "deleted",
        "Casey Counsel",
        "2026-11-30",
        ", if and when generally available",
        (len(text) - 1, len(text) - 1),
    )
    [analysis] = analyse_document([clause("8.2", text, revisions=(deleted,))], MATCHER, START)
    assert analysis.commitments[0].revision == deleted
    assert "disclaimer was deleted" in tracked_change(deleted)


def test_text_that_was_not_redlined_has_no_revision() -> None:
    other = Revision("inserted", "A", None, "Customer may", (0, 12))
    text = "Customer may ask. Provider shall provide SSO."
    [analysis] = analyse_document([clause("1", text, revisions=(other,))], MATCHER, START)
    assert analysis.commitments[0].revision is None


def test_unticked_options_bind_nobody() -> None:
    text = "[    ]\tProvider will provide SSO.\n[ x ]\tProvider will provide audit logs."
    [analysis] = analyse_document([clause("row", text, "table-row")], MATCHER, START)
    assert {c.feature for c in analysis.commitments} == {"audit-log"}
