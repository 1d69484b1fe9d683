"""Reading clauses from .txt, .md and .docx files, and every way that can fail."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import docx
import pytest

from dealcheck.clauses import Clause, read_clause_file
from dealcheck.clauses.reader import follows
from dealcheck.errors import InputError, Location

CONTRACT_TXT = """\
MASTER SUBSCRIPTION AGREEMENT

7. Feature commitments
7.1 Provider shall make EU data residency available to Customer no
later than 31 March 2027.
7.2 Provider shall:
(a) provide SAML SSO by 31 January 2027;
(b) provide SCIM provisioning within 60 days of the Effective Date.

12.3) Customer shall pay the invoices. The response time is
3.5 hours.

(d) A standalone item.

This paragraph has no number.
"""


def ids(clauses: list[Clause]) -> list[str]:
    return [clause.id for clause in clauses]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_txt_numbered_paragraphs_and_continuations(tmp_path: Path) -> None:
    clauses = read_clause_file(write(tmp_path, "contract.txt", CONTRACT_TXT), "contract.txt")
    assert ids(clauses) == ["p1", "7", "7.1", "7.2", "12.3", "(d)", "p2"]
    by_id = {clause.id: clause for clause in clauses}
    assert by_id["7.1"].text == (
        "Provider shall make EU data residency available to Customer no\nlater than 31 March 2027."
    )
    assert by_id["7.1"].location == Location("contract.txt", 4, 1)
    assert by_id["7.2"].text.startswith("Provider shall:\n(a) provide SAML SSO")
    assert "(b) provide SCIM" in by_id["7.2"].text  # list items stay with their lead-in
    assert by_id["12.3"].text.endswith("3.5 hours.")  # a wrapped "3.5" is no clause number
    assert by_id["(d)"].text == "A standalone item."
    assert by_id["p2"].location.line == 15


def test_display_name_defaults_to_the_path(tmp_path: Path) -> None:
    path = write(tmp_path, "c.txt", "7.2 Provider shall provide SSO.\n")
    assert read_clause_file(path)[0].location == Location(str(path), 1, 1)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("7.2 Text.", "7.2"),
        ("7.2.1 Text.", "7.2.1"),
        ("7. Text.", "7"),
        ("12.3) Text.", "12.3"),
        ("(a) Text.", "(a)"),
        ("(iv) Text.", "(iv)"),
        ("**7.2** Text.", "7.2"),
        ("Section 7.2 Text.", "7.2"),
        ("  7.2   Text.", "7.2"),
    ],
)
def test_clause_number_forms(tmp_path: Path, line: str, expected: str) -> None:
    clauses = read_clause_file(write(tmp_path, "c.md", line + "\n"))
    assert ids(clauses) == [expected]
    assert clauses[0].text == "Text."


def test_numbers_that_are_not_clause_numbers(tmp_path: Path) -> None:
    text = "99.9% uptime is committed.\n\n2027 was a good year.\n"
    assert ids(read_clause_file(write(tmp_path, "c.txt", text))) == ["p1", "p2"]


def test_markdown_sections(tmp_path: Path) -> None:
    text = (
        "# Order Form\n\n"
        "## 7.2 EU data residency\nProvider shall make it available by 31 March 2027.\n\n"
        "Second paragraph of 7.2.\n\n"
        "## Service levels\nUptime 99.9%.\n\n"
        "## 8. Fees\n8.1 Fees are payable annually.\n\n"
        "---\n\nTrailing paragraph.\n"
    )
    clauses = read_clause_file(write(tmp_path, "c.md", text), "c.md")
    assert ids(clauses) == ["7.2", "p1", "8.1", "p2"]
    assert clauses[0].text == (
        "EU data residency\n\nProvider shall make it available by 31 March 2027.\n\n"
        "Second paragraph of 7.2."
    )
    assert clauses[0].location == Location("c.md", 3, 1)
    assert clauses[1].text == "Service levels\n\nUptime 99.9%."


def test_bom_crlf_and_empty_files(tmp_path: Path) -> None:
    path = write(tmp_path, "c.txt", b"\xef\xbb\xbf7.2 First line\r\ncontinued.\r\n")
    assert read_clause_file(path)[0].text == "First line\ncontinued."
    assert read_clause_file(write(tmp_path, "e.txt", "\n \n")) == []


@pytest.mark.parametrize(
    ("current", "new", "expected"),
    [("7", "7.1", True), ("7.1", "7.2", True), ("7.2", "8", True), ("7.2.3", "7.3", True)]
    + [("12.3", "3.5", False), ("(a)", "(b)", True), ("7", "(a)", False), ("7.2", "7.4", False)],
)
def test_follows(current: str, new: str, expected: bool) -> None:
    assert follows(current, new) is expected


def make_docx(path: Path, paragraphs: list[tuple[str, str]]) -> Path:
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    document.save(str(path))
    return path


def test_docx_headings_numbers_and_word_lists(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "contract.docx",
        [
            ("Title", "Order Form"),
            ("Heading 1", "7 Feature commitments"),
            ("Normal", "7.1 Provider shall make EU data residency available by 31 March 2027."),
            ("Normal", "7.2 Provider shall:"),
            ("Normal", "(a) provide SSO by 31 January 2027;"),
            ("Normal", "(b) provide the audit log by Q2 2027."),
            ("Heading 2", "8.3 Service levels"),
            ("Normal", "Provider shall make the Services available 99.9% of the time."),
            ("Normal", ""),
            ("Normal", "A second paragraph under 8.3."),
            ("Heading 1", "Roadmap"),
            ("List Number", "Offline mode is planned for Q3 2027."),
            ("List Number", "The AI assistant is planned for 2028."),
            ("Normal", "Unnumbered closing paragraph."),
        ],
    )
    clauses = read_clause_file(path, "contract.docx")
    # the "List Number" paragraphs carry the numbers Word displays for them: 1., 2.
    assert ids(clauses) == ["7.1", "7.2", "8.3", "1", "2", "p1"]
    by_id = {clause.id: clause for clause in clauses}
    assert by_id["7.1"].location == Location("contract.docx", 3, 1)  # paragraph index
    assert by_id["7.2"].text == (
        "Provider shall:\n(a) provide SSO by 31 January 2027;\n(b) provide the audit log by Q2 2027."
    )
    assert by_id["8.3"].text == (
        "Service levels\n\nProvider shall make the Services available 99.9% of the time.\n\n"
        "A second paragraph under 8.3."
    )
    assert by_id["1"].text == "Offline mode is planned for Q3 2027."  # Word-numbered list
    assert by_id["1"].location.line == 12
    assert by_id["p1"].text == "Unnumbered closing paragraph."


def test_docx_unnumbered_heading_section(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "c.docx",
        [("Heading 1", "Legacy reports API"), ("Normal", "Provider shall keep it running.")],
    )
    [clause] = read_clause_file(path)
    assert (clause.id, clause.text) == (
        "p1",
        "Legacy reports API\n\nProvider shall keep it running.",
    )


def assert_input_error(path: Path, message: str, line: int = 0, column: int = 0) -> None:
    with pytest.raises(InputError) as caught:
        read_clause_file(path, "shown.txt")
    assert caught.value.location == Location("shown.txt", line, column)
    assert message in caught.value.message


def test_missing_file(tmp_path: Path) -> None:
    assert_input_error(tmp_path / "nope.txt", "file not found")


def test_directory(tmp_path: Path) -> None:
    assert_input_error(tmp_path, "is a directory")


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_input_error(fifo, "not a regular file")


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "c.txt", b"7.1 Fine.\n7.2 Caf\xe9 au lait\xff.\n")
    assert_input_error(path, "not valid UTF-8 (byte 0xe9)", line=2, column=8)


def test_a_utf16_text_contract_reads_as_its_utf8_twin(tmp_path: Path) -> None:
    text = "7.1 Fine.\r\n7.2 Provider shall provide SSO by 31 März 2027 — café.\r\n"
    utf8 = read_clause_file(write(tmp_path, "a.txt", text.encode("utf-8")), "c.txt")
    utf16 = read_clause_file(write(tmp_path, "b.txt", text.encode("utf-16")), "c.txt")
    assert utf16 == utf8
    assert [c.id for c in utf8] == ["7.1", "7.2"]


def test_binary_text_file(tmp_path: Path) -> None:
    assert_input_error(write(tmp_path, "c.txt", b"abc\x00def"), "binary")


@pytest.mark.parametrize("name", ["contract.doc", "contract.rtf", "contract", "c.yaml"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    assert_input_error(write(tmp_path, name, "7.2 Text."), "unsupported clause file type")


def test_over_ten_mebibytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    assert_input_error(path, "limited to 10 MiB")


def test_corrupt_docx(tmp_path: Path) -> None:
    assert_input_error(
        write(tmp_path, "c.docx", b"PK\x03\x04 not really a zip"), "not a valid .docx"
    )


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "c.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert_input_error(path, "no word/document.xml")


def test_docx_with_broken_xml(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx", [("Normal", "7.2 Text.")])
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    assert_input_error(broken, "not a valid .docx")


def test_hostile_text_file_reads_in_linear_time(tmp_path: Path) -> None:
    lines = ["# " + " " * 200_000 + "x", "." * 5_000, "7.2 " * 5_000, "(a) " * 40_000]
    lines += ["\n".join(f"{n}.{n} Clause." for n in range(1, 10_000))]
    path = write(tmp_path, "hostile.md", "\n".join(lines))
    started = time.perf_counter()
    clauses = read_clause_file(path)
    assert time.perf_counter() - started < 20
    # numbers have at most three digits per level: "1000.1000" continues clause "999.999"
    assert [clauses[0].id, clauses[1].id, clauses[-1].id] == ["p1", "7.2", "999.999"]
    assert len(clauses) == 1000


# Two pages of an EDGAR filing as CUAD v1 has it: a letterhead and a date on top of each
# page, a document reference at the foot, "- 2 -" between the pages. The text is from
# "Premium Managed Hosting Agreement" (deep systems / AstroNutrition.com), CUAD v1,
# The Atticus Project, CC BY 4.0; shortened.
EDGAR_TXT = """\
03/01/05

607-1295 Richards Street   604.684.2255

Vancouver, BC V6B1B7   deep@rrt.ca   deep systems



Premium Managed Hosting Agreement

This is a managed hosting agreement between AstroNutrition.com and deep systems.

Includes a 99 percent server uptime guarantee.

D/WLM/717334.1



- 2 -

03/01/05

607-1295 Richards Street   604.684.2255

Vancouver, BC V6B1B7   deep@rrt.ca   deep systems

Servers are co-located at 700 West Georgia in downtown Vancouver.

Chester Ku, Astro Nutrition

D/WLM/717334.1       - 2 -
"""


def test_paginated_text_loses_page_numbers_letterheads_and_footers(tmp_path: Path) -> None:
    clauses = read_clause_file(write(tmp_path, "edgar.txt", EDGAR_TXT))
    assert [(c.text, c.location.line) for c in clauses] == [
        ("Premium Managed Hosting Agreement", 9),
        ("This is a managed hosting agreement between AstroNutrition.com and deep systems.", 11),
        ("Includes a 99 percent server uptime guarantee.", 13),
        ("Servers are co-located at 700 West Georgia in downtown Vancouver.", 27),
        ("Chester Ku, Astro Nutrition", 29),
    ]


def test_form_feeds_paginate_text(tmp_path: Path) -> None:
    pages = [
        f"ACME ORDER FORM {n}\n\n{n}.1 Clause on page {n}.\n\nAcme Ltd confidential"
        for n in (1, 2, 3)
    ]
    clauses = read_clause_file(write(tmp_path, "ff.txt", "\n\f".join(pages)))
    assert [c.id for c in clauses] == ["1.1", "2.1", "3.1"]


def test_unpaginated_text_keeps_repeated_lines_and_inline_markers(tmp_path: Path) -> None:
    text = "Note\n\n1.1 See page - 2 - of the annex.\n\nNote\n\n1.2 Page 3 of 7 applies.\n\nNote\n"
    clauses = read_clause_file(write(tmp_path, "c.txt", text))
    assert [c.text for c in clauses] == [
        "Note",
        "See page - 2 - of the annex.",
        "Note",
        "Page 3 of 7 applies.",
        "Note",
    ]
