"""Tracked changes: the text as it reads once every change is accepted, and each change
recorded (author, date, span) on the clause it is in."""

from __future__ import annotations

from pathlib import Path

from dealcheck.clauses import Revision, read_clause_file
from dealcheck.deals import iter_deals
from dealcheck.engine import Engine
from dealcheck.run import check_input
from tests.clauses.wordkit import FIXTURES, REPO, kit, read_docx, table_of

CASEY, DANA, WHEN = kit.CUSTOMER, kit.PROVIDER, kit.CHANGED
p, run, ins, delete = kit.para, kit.run, kit.ins, kit.delete


def test_redline_fixture_reads_as_accepted() -> None:
    clauses = read_clause_file(FIXTURES / "word-redline.docx", "r.docx")
    assert [(c.id, c.location.line, c.text) for c in clauses] == [
        # the moved-from paragraph (line 3) is gone; the numbers count what is left
        (
            "1.1",
            4,
            "Provider shall make EU data residency available to Customer by 30 June 2027.",
        ),
        ("1.2", 5, "Provider shall provide SCIM provisioning by 31 March 2027."),
        ("1.3", 6, "Provider shall deliver the audit log by the end of 2027."),  # mark deleted
        ("1.4", 8, "Customer shall configure SAML SSO with its own identity provider."),  # moved
        ("1.5", 10, "Customer shall pay all invoices within 30 days."),  # after a deleted one
    ]
    by_id = {clause.id: clause for clause in clauses}
    text = by_id["1.1"].text
    assert by_id["1.1"].revisions == (Revision("inserted", CASEY, WHEN, text, (0, len(text))),)
    assert by_id["1.2"].revisions == (
        Revision("deleted", CASEY, WHEN, "is not obligated to", (9, 9)),
        Revision("inserted", CASEY, WHEN, "shall", (9, 14)),
    )
    assert by_id["1.2"].text[9:14] == "shall"
    assert by_id["1.3"].revisions == ()  # a deleted paragraph mark changes no word
    assert by_id["1.4"].revisions == ()  # a move is no new promise
    assert by_id["1.5"].revisions == (  # the paragraph deleted before it, and no rPrChange
        Revision(
            "deleted",
            DANA,
            WHEN,
            "Provider may, at its sole discretion, make the AI assistant available.",
            (0, 0),
        ),
    )
    assert "We need residency" not in "\n".join(c.text for c in clauses)  # the comment


def test_revision_spans_follow_the_clause_text(tmp_path: Path) -> None:
    """Spans index the clause text even after its number, a heading title and items."""
    body = (
        p("Roadmap", "Heading1")
        + p([run("Provider shall:")], "Heading2")
        + p([run("deliver "), ins("offline mode", 1), run(" by Q3 2027;")], "Heading3")
        + p([ins("deliver the AI assistant by 2028.", 2, DANA, "2026-12-01T08:00:00Z")], "Heading3")
    )
    numbering = kit.numbering_xml({0: kit.HEADING_LEVELS}, {1: (0, "")})
    (clause,) = read_docx(tmp_path, body, numbering=numbering)
    assert clause.id == "1.1"
    assert clause.text == (
        "Provider shall:\n(a) deliver offline mode by Q3 2027;\n"
        "(b) deliver the AI assistant by 2028."
    )
    first, second = clause.revisions
    assert clause.text[first.span[0] : first.span[1]] == "offline mode" == first.text
    assert (first.author, first.date) == (CASEY, WHEN)
    assert clause.text[second.span[0] : second.span[1]] == "deliver the AI assistant by 2028."
    assert (second.author, second.date) == (DANA, "2026-12-01T08:00:00Z")


def test_adjacent_pieces_of_one_change_are_one_revision(tmp_path: Path) -> None:
    body = p([run("1. Provider "), ins("shall ", 1), ins("provide SSO", 2), run(".")])
    (clause,) = read_docx(tmp_path, body)
    assert clause.text == "Provider shall provide SSO."
    assert clause.revisions == (Revision("inserted", CASEY, WHEN, "shall provide SSO", (9, 26)),)


def test_deleted_insertion_and_hidden_text_are_out(tmp_path: Path) -> None:
    inserted_then_deleted = (
        f'<w:ins w:id="1" w:author="{CASEY}" w:date="{WHEN}">'
        f'<w:del w:id="2" w:author="{DANA}" w:date="{WHEN}">'
        "<w:r><w:delText>free </w:delText></w:r></w:del></w:ins>"
    )
    hidden = run("secret ", extra="<w:vanish/>")
    body = p([run("2. Provider shall provide "), inserted_then_deleted, hidden, run("SSO.")])
    (clause,) = read_docx(tmp_path, body)
    assert clause.text == "Provider shall provide SSO."
    assert [(r.kind, r.author, r.text) for r in clause.revisions] == [("deleted", DANA, "free ")]


def test_paragraph_without_revisions_has_none(tmp_path: Path) -> None:
    assert read_docx(tmp_path, p("3. Plain text."))[0].revisions == ()


def test_missing_author_and_date_are_none(tmp_path: Path) -> None:
    body = p([run("4. Provider "), '<w:ins w:id="9"><w:r><w:t>shall</w:t></w:r></w:ins>'])
    (clause,) = read_docx(tmp_path, body)
    assert clause.revisions == (Revision("inserted", None, None, "shall", (9, 14)),)
    assert table_of([clause]) == [("4", "Provider shall")]


def test_example_redline_blocks_on_the_inserted_clause(sample_engine: Engine) -> None:
    path = REPO / "examples" / "deals" / "contracts" / "osprey-order-form-redline.docx"
    inserted = {c.id: c for c in read_clause_file(path)}["1.2"]
    assert [(r.kind, r.author, r.span) for r in inserted.revisions] == [
        ("inserted", CASEY, (0, len(inserted.text)))
    ]
    (item,) = iter_deals([str(REPO / "examples" / "deals" / "osprey-biotech.yaml")])
    result = check_input(sample_engine, item)
    assert result.verdict == "blocked"
    (finding,) = [f for f in result.findings if f.rule == "feature-not-built"]
    assert finding.evidence["clause"] == "1.2"
