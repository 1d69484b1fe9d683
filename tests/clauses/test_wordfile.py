"""Word contracts read as Word shows them: displayed numbers as ids, heading-styled clauses,
tables, and what is not contract text (TOC, headers, footers, footnotes, comments)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from dealcheck.clauses import read_clause_file
from dealcheck.clauses.word.numbering import format_number, normalise
from dealcheck.deals import iter_deals
from dealcheck.engine import Engine
from dealcheck.errors import Location
from dealcheck.run import check_input
from tests.clauses.wordkit import FIXTURES, REPO, kit, read_docx, table_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
p, run, level, numbering_xml, restart = kit.para, kit.run, kit.level, kit.numbering_xml, kit.restart


def test_numbered_fixture_ids_are_the_displayed_numbers() -> None:
    clauses = read_clause_file(FIXTURES / "word-numbered.docx", "n.docx")
    assert [(c.id, c.source, c.location.line) for c in clauses] == [
        ("p1", "heading", 1),  # Title and the paragraph under it
        ("1.1", "heading", 8),  # "Section 1." is a title with no text of its own
        ("1.2", "heading", 9),
        ("1.3", "heading", 10),
        ("1.4", "heading", 13),  # a style based on Heading 2 inherits its numbering
        ("2", "heading", 14),  # "Section 2." titles the paragraph under it
        ("2-r1", "table-row", 16),
        ("2-r2", "table-row", 17),
        ("2-r3", "table-row", 19),  # the empty row (18) is no clause
        ("3-r1", "table-row", 22),  # the header row (21) labels the rows
        ("3-r2", "table-row", 23),
        ("3-r3", "table-row", 24),
        ("3-r4", "table-row", 25),
        ("4.1", "heading", 27),
        ("1.1", "heading", 30),  # the schedule restarts at "Section 1." (w:startOverride)
    ]
    text = dict(table_of(clauses[:-1]))
    assert text["1.2"] == "Provider shall make EU data residency available by 30 June 2027"
    assert text["1.3"] == (
        "Provider shall:\n(a) provide SAML single sign-on by 31 January 2027;\n"
        "(b) provide the audit log by Q2 2027."
    )
    assert text["2"] == "Order Form\n\nThe commercial terms are set out in the table below."
    assert text["2-r2"] == "Target Uptime: 99.95%"
    assert text["2-r3"] == "Support (Hours of cover): 24x7"
    assert text["3-r2"] == ("Milestone: 2; Deliverable: EU data residency; Due date: 31 May 2027")
    assert text["3-r3"] == (  # the due date continues a vertical merge
        "Milestone: 3; Deliverable: Audit log export; Due date: 31 May 2027"
    )
    assert text["3-r4"] == "All dates are subject to acceptance under Section 4."  # gridSpan 3
    assert text["4.1"] == (  # no footnote text, no comment
        "Customer shall pay all invoices within 30 days of the invoice date. Fees are "
        "exclusive of VAT."
    )
    assert clauses[-1].text.startswith("Provider shall make the Services available 99.9%")


def test_toc_headers_footers_footnotes_and_comments_are_not_clauses() -> None:
    clauses = read_clause_file(FIXTURES / "word-numbered.docx")
    everything = "\n".join(clause.text for clause in clauses)
    for absent in ("CONFIDENTIAL", "99.999", "forecasting", "45 days", "Contents", "\t1"):
        assert absent not in everything
    with zipfile.ZipFile(FIXTURES / "word-numbered.docx") as archive:  # they are in the file
        parts = b"".join(archive.read(name) for name in archive.namelist())
    for present in (b"CONFIDENTIAL", b"99.999", b"forecasting", b"45 days", b"Contents"):
        assert present in parts


def test_fixtures_and_examples_are_what_the_script_writes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_word_fixtures.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in kit.OUTPUTS:
        assert (tmp_path / name).read_bytes() == (REPO / name).read_bytes(), name


def test_python_docx_opens_the_generated_packages() -> None:
    import docx

    for name in kit.OUTPUTS:
        assert docx.Document(str(REPO / name)).paragraphs  # a well-formed Word package


# --------------------------------------------------------------------- numbering


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [(3, "decimal", "3"), (3, "lowerLetter", "c"), (28, "lowerLetter", "bb")]
    + [(2, "upperLetter", "B"), (4, "lowerRoman", "iv"), (1994, "upperRoman", "MCMXCIV")]
    + [(7, "decimalZero", "07"), (2, "ordinal", "2nd"), (12, "ordinal", "12th")]
    + [(5, "cardinalText", "5")],
)
def test_format_number(value: int, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


@pytest.mark.parametrize(
    ("display", "ident"),
    [("Section 7.", "7"), ("7.2.", "7.2"), ("(a)", "(a)"), ("a)", "a"), ("Article IV", "IV")]
    + [("§ 3", "3"), ("Clause 4.1:", "4.1"), ("Schedule 2", "Schedule 2"), ("(iii)", "(iii)")],
)
def test_normalise(display: str, ident: str) -> None:
    assert normalise(display) == ident


def _list_clauses(
    tmp_path: Path, levels: list[str], paragraphs: list[str], nums: str = ""
) -> list[str]:
    numbering = nums or numbering_xml({0: levels}, {1: (0, ""), 2: (0, restart(0))})
    return [c.id for c in read_docx(tmp_path, "".join(paragraphs), numbering=numbering)]


def test_multilevel_list_with_letters_romans_and_resets(tmp_path: Path) -> None:
    levels = [
        level(0, "upperLetter", "Part %1."),
        level(1, "lowerRoman", "(%2)"),
        level(2, "upperRoman", "%3)"),
    ]
    items = [(0, "Intro"), (1, "one"), (1, "two"), (2, "deep"), (0, "Next"), (1, "again")]
    paragraphs = [p(f"Item {text} is here.", num=(1, ilvl)) for ilvl, text in items]
    assert _list_clauses(tmp_path, levels, paragraphs) == [
        "Part A",
        "Part A(i)",
        "Part A(ii)",
        "Part A(ii).I",
        "Part B",
        "Part B(i)",
    ]  # fmt: skip  ("Part" is kept: only Section, Clause, Article and § are dropped)


def test_legal_numbering_and_level_restart(tmp_path: Path) -> None:
    levels = [
        level(0, "upperRoman", "Article %1"),
        level(1, "decimal", "%1.%2", legal=True),  # isLgl: "1.1", not "I.1"
        level(2, "decimal", "(%3)", restart=1),  # restarts after level 0 only
    ]
    items = [(0, "a"), (1, "b"), (2, "c"), (1, "d"), (2, "e"), (0, "f"), (2, "g")]
    paragraphs = [p(f"Text {t} here.", num=(1, ilvl)) for ilvl, t in items]
    assert _list_clauses(tmp_path, levels, paragraphs) == [
        "I", "1.1", "1.1(1)", "1.2", "1.2(2)", "II", "(1)",
    ]  # fmt: skip
    # (2) continues across 1.2 (w:lvlRestart 1); "(1)" under Article II has no level-1
    # number above it to qualify it


def test_start_values_overrides_and_shared_counters(tmp_path: Path) -> None:
    levels = [level(0, "decimal", "%1.", start=5)]
    nums = numbering_xml({0: levels}, {1: (0, ""), 2: (0, restart(0, 1)), 3: (0, "")})
    paragraphs = [
        p("First list item.", num=(1, 0)),  # 5 (w:start)
        p("Second list item.", num=(1, 0)),  # 6
        p("Restarted list item.", num=(2, 0)),  # 1: startOverride on first use of numId 2
        p("Continued list item.", num=(2, 0)),  # 2
        p("Other instance, same list.", num=(3, 0)),  # 3: numId 3 shares abstractNum 0
        p("Numbering switched off.", num=(0, 0)),  # numId 0: no number (positional id)
    ]
    assert _list_clauses(tmp_path, levels, paragraphs, nums) == ["5", "6", "1", "2", "3", "p1"]


def test_bullets_and_unnumbered_levels_give_no_id(tmp_path: Path) -> None:
    levels = [level(0, "bullet", "\u2022"), level(1, "none", "")]
    numbering = numbering_xml({0: levels}, {1: (0, "")})
    clauses = read_docx(
        tmp_path,
        p("Provider shall:")
        + p("provide SSO;", num=(1, 0))
        + p("provide the audit log.", num=(1, 0))
        + p("A paragraph at an unnumbered level.", num=(1, 1)),
        numbering=numbering,
    )
    assert table_of(clauses) == [
        ("p1", "Provider shall:\n- provide SSO;\n- provide the audit log."),
        ("p2", "A paragraph at an unnumbered level."),
    ]
    assert [c.source for c in clauses] == ["paragraph", "paragraph"]


def test_sub_items_without_a_lead_in_are_qualified_clauses(tmp_path: Path) -> None:
    body = (
        p("Warranties", "Heading1")
        + p("Provider warrants the following.", "Heading2")
        + p("The Services will perform materially as described.", "Heading3")
        + p("Support will respond within one business day.", "Heading3")
    )
    numbering = numbering_xml({0: kit.HEADING_LEVELS}, {1: (0, "")})
    clauses = read_docx(tmp_path, body, numbering=numbering)
    assert [c.id for c in clauses] == ["1.1", "1.1(a)", "1.1(b)"]
    assert clauses[1].text == "The Services will perform materially as described."


def test_heading_numbering_through_based_on_chain_and_pstyle_link(tmp_path: Path) -> None:
    styles = kit.styles_xml().replace(
        "</w:styles>",
        '<w:style w:type="paragraph" w:styleId="Clause2"><w:name w:val="Clause 2"/>'
        '<w:basedOn w:val="ClauseHeading"/></w:style></w:styles>',
    )
    body = p("Definitions", "Heading1") + p(
        '"Services" means the Acme Analytics cloud service.', "Clause2"
    )
    numbering = numbering_xml({0: kit.HEADING_LEVELS}, {1: (0, "")})
    clauses = read_docx(tmp_path, body, numbering=numbering, styles=styles)
    assert [(c.id, c.source) for c in clauses] == [("1.1", "heading")]


def test_typed_numbers_still_work_without_word_numbering(tmp_path: Path) -> None:
    body = (
        p("7 Feature commitments", "Heading1")
        + p("7.1 Provider shall make EU data residency available by 31 March 2027.")
        + p("(a) a list item after a sentence.")
    )
    clauses = read_docx(tmp_path, body, styles=kit.styles_xml(heading_num=None))
    assert [(c.id, c.source) for c in clauses] == [("7.1", "paragraph"), ("(a)", "paragraph")]
    assert clauses[0].text == "Provider shall make EU data residency available by 31 March 2027."


# --------------------------------------------------------------------- headings


@pytest.mark.parametrize(
    ("heading", "is_clause"),
    [
        ("Provider shall make EU data residency available by 30 June 2027", True),
        ("The Services are provided as they are", True),
        ("Support.  During the Subscription Period, Provider will help.", True),
        ("Legacy reports API", False),
        ("Restrictions on Customer.", False),
        ("Schedule 1 - Product roadmap (for information only)", False),
    ],
)
def test_heading_sentence_or_title(tmp_path: Path, heading: str, is_clause: bool) -> None:
    clauses = read_docx(tmp_path, p(heading, "Heading2"), styles=kit.styles_xml(heading_num=None))
    assert [(c.text, c.source) for c in clauses] == ([(heading, "heading")] if is_clause else [])


def test_title_heading_keeps_the_paragraphs_under_it(tmp_path: Path) -> None:
    body = p("Legacy reports API", "Heading2") + p("Provider shall keep it running.")
    (clause,) = read_docx(tmp_path, body, styles=kit.styles_xml(heading_num=None))
    assert (clause.id, clause.text, clause.source) == (
        "p1",
        "Legacy reports API\n\nProvider shall keep it running.",
        "heading",
    )


# --------------------------------------------------------------------- tables


def test_table_rows_ids_labels_and_nesting(tmp_path: Path) -> None:
    t, r, c = kit.table, kit.row, kit.cell
    nested = t(2, r(c("Region"), c("EU")), r(c("Hosting"), c("Frankfurt")))
    body = (
        p("7.3 Provider shall meet the service levels below.")
        + t(2, r(c("Target Uptime"), c("99.95%")), r(c("7.4"), c("Credits: 10% of fees")))
        + t(2, r(c("Deployment"), c([p("See below:"), nested])))
        + p("8. Fees are in the order form.")
    )
    clauses = read_docx(tmp_path, body)
    assert [(x.id, x.source, x.location.line) for x in clauses] == [
        ("7.3", "paragraph", 1),
        ("7.3-r1", "table-row", 2),
        ("7.4", "table-row", 3),  # the row's own number
        ("7.4-r1", "table-row", 4),  # nested rows are not lines of their own
        ("8", "paragraph", 5),
    ]
    assert clauses[1].text == "Target Uptime: 99.95%"
    assert clauses[2].text == "Credits: 10% of fees"
    assert clauses[3].text == "Deployment: See below:\nRegion: EU\nHosting: Frankfurt"


def test_rows_before_any_clause_and_header_heuristic(tmp_path: Path) -> None:
    t, r, c = kit.table, kit.row, kit.cell
    body = t(
        3,
        r(c("Milestone"), c("Deliverable"), c("Due date")),  # unmarked, but a header
        r(c("3"), c("EU data residency"), c("31 May 2027")),
    )
    assert table_of(read_docx(tmp_path, body)) == [
        ("r1", "Milestone: 3; Deliverable: EU data residency; Due date: 31 May 2027")
    ]


def test_tracked_row_insertion_and_deletion(tmp_path: Path) -> None:
    t, r, c = kit.table, kit.row, kit.cell
    inserted = f'<w:ins w:id="1" w:author="{kit.CUSTOMER}" w:date="{kit.CHANGED}"/>'
    deleted = f'<w:del w:id="2" w:author="{kit.CUSTOMER}" w:date="{kit.CHANGED}"/>'
    body = p("5.1 Order form:") + t(
        2,
        r(c("Target Uptime"), c("99.9%")),
        r(c("Dedicated support"), c("Included"), trpr=deleted),
        r(c("EU data residency"), c("30 June 2027"), trpr=inserted),
    )
    clauses = read_docx(tmp_path, body)
    assert table_of(clauses) == [
        ("5.1", "Order form:"),
        ("5.1-r1", "Target Uptime: 99.9%"),
        ("5.1-r2", "EU data residency: 30 June 2027"),
    ]
    (revision,) = clauses[2].revisions
    assert (revision.kind, revision.author, revision.span) == ("inserted", kit.CUSTOMER, (0, 31))


# --------------------------------------------------------------------- the Common Paper CSA


def _body_words(path: Path) -> Counter[str]:
    """Words of the document body (tables included), read independently of dealcheck."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    words: Counter[str] = Counter()
    for paragraph in root.find(f"{W}body").iter(f"{W}p"):
        words.update("".join(t.text or "" for t in paragraph.iter(f"{W}t")).split())
    return words


def test_common_paper_csa_reaches_clause_analysis() -> None:
    path = FIXTURES / "r03-commonpaper-csa-with-sla.docx"
    clauses = read_clause_file(path, "r03.docx")
    body = _body_words(path)
    read: Counter[str] = Counter()
    for clause in clauses:
        read.update(clause.text.replace("\t", "").split())
    # each body word counted at most as often as it occurs in the body: labels repeated
    # into table rows cannot make up for words that were lost
    coverage = sum((body & read).values()) / sum(body.values())
    assert coverage >= 0.95, coverage
    by_id = {clause.id: clause for clause in clauses[:150]}  # the CSA, before the SLA
    # the cross-references in the text name these numbers: they are the displayed ones
    assert by_id["1.4"].text.startswith("Feedback and Usage Data.")
    assert by_id["6.3"].text.startswith("From Provider.")
    assert by_id["8.1(a)"].text.startswith("Except as provided in Section 8.4 (Exceptions)")
    assert by_id["8.4"].text.startswith("Exceptions.")
    assert by_id["12.3"].text.startswith("Governing Law and Chosen Courts.")
    assert by_id["5.3"].text.endswith(
        "(b) upon notice if the other party (i) materially "
        + by_id["5.3"].text.split("(i) materially ", 1)[1]
    )
    sla = [clause for clause in clauses if clause.text.startswith("Target Uptime.")]
    assert [(c.id, c.source) for c in sla] == [("1.1", "heading")]  # the SLA restarts at 1
    rows = [c for c in clauses if c.source == "table-row"]
    assert any(c.text.startswith("Subscription Period: 36 months") for c in rows)
    assert clauses[0].location == Location("r03.docx", 1, 1)


def test_example_word_order_form_blocks_at_the_word_clause_number(sample_engine: Engine) -> None:
    (item,) = iter_deals([str(REPO / "examples" / "deals" / "harbourline-freight.yaml")])
    result = check_input(sample_engine, item)
    assert result.verdict == "blocked"
    (finding,) = [f for f in result.findings if f.rule == "sla-above-catalog"]
    assert finding.severity == "blocker"
    assert finding.evidence["clause"] == "2.2"  # numbered by Word in the table's first column
    assert finding.location.file.endswith("contracts/harbourline-msa.docx")
    assert finding.location.line == 9  # the row's line: body paragraphs and rows in order
