"""Text PDFs as clause files: the same clauses as the document's source, and every way
reading a PDF can fail (scans, encryption, corrupt files, limits).

The PDFs are made at test time, in ``tmp_path``, by ``scripts/make_pdf_contract.py``
(fpdf2) from the Markdown sources in ``pdf_sources/`` (see its README for where the
Bonterms text comes from and its licence).
"""

from __future__ import annotations

import importlib.util
import io
import random
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pypdf
import pytest
from fpdf import FPDF
from typer.testing import CliRunner

from dealcheck.clauses import Clause, pdffile, read_clause_file
from dealcheck.clauses.pdflayout import Fragment, Page, dehyphenate, layout_blocks
from dealcheck.clauses.reader import assemble
from dealcheck.cli import app
from dealcheck.deals import iter_deals
from dealcheck.engine import Engine
from dealcheck.errors import InputError
from dealcheck.run import check_input

REPO = Path(__file__).resolve().parents[2]
SOURCES = Path(__file__).with_name("pdf_sources")
CONTRACTS = REPO / "examples" / "deals" / "contracts"
HEADER = "Acme Analytics - Order Form OF-2027-0042 - Confidential"
CATALOG = ["--catalog", str(REPO / "products"), "--catalog", str(REPO / "rules")]
TODAY = ["--today", "2026-11-22"]

MakePdf = Callable[..., Path]


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    """``scripts/make_pdf_contract.py`` as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_pdf_contract", REPO / "scripts" / "make_pdf_contract.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def make_pdf(generator: ModuleType, tmp_path: Path) -> MakePdf:
    def make(markdown: str, columns: int = 1, name: str = "contract.pdf") -> Path:
        path = tmp_path / name
        path.write_bytes(generator.render(markdown, columns=columns, header=HEADER))
        return path

    return make


def normalised(clauses: list[Clause]) -> list[tuple[str, str]]:
    return [(clause.id, " ".join(clause.text.split())) for clause in clauses]


def raw_lines(path: Path) -> list[list[str]]:
    """What pypdf's plain extraction gives, per page: the layout the reader must undo."""
    return [page.extract_text().splitlines() for page in pypdf.PdfReader(path).pages]


def png(width: int, height: int) -> bytes:
    """A grey-scale PNG, written by hand: a "scanned page"."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(
        b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def pdf_with_pages(path: Path, pages: list[str | None], **encryption: Any) -> Path:
    """A PDF whose pages are text (a string) or a scanned image (None)."""
    pdf = FPDF()
    if encryption:
        pdf.set_encryption(**encryption)
    for text in pages:
        pdf.add_page()
        if text is None:
            pdf.image(io.BytesIO(png(60, 80)), x=10, y=10, w=180)
        else:
            pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 5, text)
    path.write_bytes(bytes(pdf.output()))
    return path


def assert_input_error(path: Path, message: str) -> InputError:
    with pytest.raises(InputError) as caught:
        read_clause_file(path)
    assert message in caught.value.message
    assert caught.value.location.file == str(path)
    return caught.value


# --- the same clauses as the source -------------------------------------------------


@pytest.mark.parametrize("columns", [1, 2])
@pytest.mark.parametrize("source", ["order-form.md", "bonterms-cloud-terms-5-9.md"])
def test_pdf_gives_the_clauses_of_its_source(
    make_pdf: MakePdf, tmp_path: Path, source: str, columns: int
) -> None:
    markdown = (SOURCES / source).read_text(encoding="utf-8")
    md = tmp_path / source
    md.write_text(markdown, encoding="utf-8")
    pdf = make_pdf(markdown, columns)

    pages = raw_lines(pdf)
    assert len(pages) >= 2
    for number, lines in enumerate(pages, start=1):  # what must be removed is there
        assert HEADER in lines and f"Page {number} of {len(pages)}" in lines
    assert normalised(read_clause_file(pdf)) == normalised(read_clause_file(md))


def test_hyphenation_at_line_ends_is_undone(make_pdf: MakePdf, tmp_path: Path) -> None:
    markdown = (SOURCES / "order-form.md").read_text(encoding="utf-8")
    pdf = make_pdf(markdown, columns=2)
    ends = [line for page in raw_lines(pdf) for line in page if line.endswith("-")]
    # the rendering broke words at line ends: within words and after a compound's hyphen
    assert any(line.endswith(" avail-") for line in ends), ends
    assert any(line.endswith(" forty-") for line in ends), ends
    text = " ".join(clause.text for clause in read_clause_file(pdf))
    assert "avail-" not in text and "available" in text
    assert "forty-eight (48) hours" in " ".join(text.split())


def test_clause_location_is_its_page(make_pdf: MakePdf) -> None:
    markdown = (SOURCES / "order-form.md").read_text(encoding="utf-8")
    pdf = make_pdf(markdown, name="of.pdf")
    clauses = {clause.id: clause for clause in read_clause_file(pdf, "of.pdf")}
    assert {clause.source for clause in clauses.values()} == {"pdf"}
    assert str(clauses["1.1"].location) == "of.pdf:1"
    (page_2,) = [
        n
        for n, lines in enumerate(raw_lines(pdf), start=1)
        if any(line.startswith("5.2 ") for line in lines)
    ]
    assert page_2 == 2
    assert (clauses["5.2"].location.line, clauses["5.2"].location.column) == (2, 0)


def test_two_columns_under_a_title_are_read_left_then_right(make_pdf: MakePdf) -> None:
    markdown = (SOURCES / "bonterms-cloud-terms-5-9.md").read_text(encoding="utf-8")
    pdf = make_pdf(markdown, columns=2)
    first_page = pypdf.PdfReader(pdf).pages[0]
    xs: list[float] = []
    first_page.extract_text(
        visitor_text=lambda t, cm, tm, f, s: xs.append(tm[4]) if t.strip() else None
    )
    assert max(xs) > 250  # really two columns
    ids = [clause.id for clause in read_clause_file(pdf)]
    assert ids == [
        "5",
        "5.1",
        "5.2",
        "5.3",
        "5.4",
        "6",
        "7",
        "7.1",
        "7.2",
        "8",
        "8.1",
        "8.2",
        "8.3",
        "8.4",
        "9",
        "9.1",
        "9.2",
        "9.3",
    ]


# --- the layout rules, on positioned text --------------------------------------------


def frag(x: float, y: float, text: str, size: float = 11.0, bold: bool = False) -> Fragment:
    return Fragment(x, y, size, bold, text)


def body(y0: float, lines: list[str], x: float = 56.0) -> list[Fragment]:
    return [frag(x, y0 - 14 * index, text) for index, text in enumerate(lines)]


def blocks_text(pages: list[Page]) -> list[tuple[str, str]]:
    """The clauses made of the pages' text."""
    return normalised(assemble(layout_blocks(pages), "x.pdf"))


@pytest.mark.parametrize("footer", ["- 1 -", "1", "Page 1 of 1", "1 of 1", "Page 1", "i"])
def test_page_number_rows_are_dropped(footer: str) -> None:
    page = Page(
        1, 0, 595, (*body(780, ["1.1 Provider shall provide SAML SSO."]), frag(290, 40, footer))
    )
    assert blocks_text([page]) == [("1.1", "Provider shall provide SAML SSO.")]


def test_running_header_is_dropped_but_the_same_words_in_the_body_stay() -> None:
    words = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"]

    def page(number: int, middle: str) -> Page:
        lines = [f"{number}.{i} {words[(i + number) % 7]} terms apply." for i in range(1, 8)]
        lines[3] = middle
        header = frag(56, 800, f"ACME CONFIDENTIAL - draft {number}", 9)
        return Page(number, 0, 595, (header, *body(760, lines)))

    pages = [page(1, "1.4 Fees."), page(2, "ACME CONFIDENTIAL - draft 2"), page(3, "3.4 Tax.")]
    clauses = blocks_text(pages)
    assert len(clauses) == 19  # page 2's fourth line (and the fifth) join its third
    assert ("2.3", "Foxtrot terms apply. ACME CONFIDENTIAL - draft 2 2.5 Alpha terms apply.") in (
        clauses
    )
    assert not any(text.startswith("ACME") for _, text in clauses)


def test_wrapped_lines_join_and_a_wider_gap_starts_a_paragraph() -> None:
    fragments = (
        *body(780, ["This first paragraph is wrapped", "onto a second line."]),
        *body(740, ["Another paragraph."]),  # 26 points below: a paragraph gap
    )
    assert blocks_text([Page(1, 0, 595, fragments)]) == [
        ("p1", "This first paragraph is wrapped onto a second line."),
        ("p2", "Another paragraph."),
    ]


def test_bold_short_line_is_a_heading() -> None:
    fragments = (
        frag(56, 780, "2. Feature commitments", 12, bold=True),
        *body(760, ["2.1 Provider shall deliver SCIM provisioning."]),
        frag(56, 720, "A bold sentence is body text.", bold=True),
    )
    assert blocks_text([Page(1, 0, 595, fragments)]) == [
        ("2.1", "Provider shall deliver SCIM provisioning."),
        ("p1", "A bold sentence is body text."),
    ]


def test_sentence_cut_by_a_page_break_continues() -> None:
    pages = [
        Page(1, 0, 595, tuple(body(100, ["1.1 Provider shall deliver SCIM provisioning"]))),
        Page(2, 0, 595, tuple(body(780, ["within ninety days.", "", "1.2 Next."]))),
    ]
    assert blocks_text(pages) == [
        ("1.1", "Provider shall deliver SCIM provisioning within ninety days."),
        ("1.2", "Next."),
    ]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["shall make it avail-", "able to Customer"], "shall make it available to Customer"),
        (["with role-", "based access"], "with role-based access"),
        (["SAML-", "based sign-on"], "SAML-based sign-on"),
        (["24-", "hour support"], "24-hour support"),
        (["end-to-", "end encryption"], "end-to-end encryption"),
        (["the third-", "party code"], "the third-party code"),
        (["the Pro-", "vider shall"], "the Provider shall"),
        (["Customer -", "not a hyphenation"], "Customer -\nnot a hyphenation"),
        (["a word-", "Capitalised next"], "a word-\nCapitalised next"),
    ],
)
def test_dehyphenate(lines: list[str], joined: str) -> None:
    result = dehyphenate([(1, line) for line in lines], frozenset())
    assert "\n".join(text for _, text in result) == joined


def test_dehyphenate_follows_the_document() -> None:
    # "inter-company" is how this document writes it; "within" is a word it uses
    vocabulary = frozenset({"inter-company", "within"})
    assert dehyphenate([(1, "the inter-"), (1, "company loan")], vocabulary) == [
        (1, "the inter-company loan")
    ]
    assert dehyphenate([(1, "paid with-"), (1, "in ten days")], vocabulary) == [
        (1, "paid within ten days")
    ]


# --- scans, encryption, corrupt files, limits ---------------------------------------


def test_scanned_pdf_is_refused_not_an_empty_pass(tmp_path: Path) -> None:
    path = pdf_with_pages(tmp_path / "x.pdf", [None, None])
    error = assert_input_error(path, "no text layer")
    assert str(error) == f"{path}: no text layer (a scanned PDF?): run OCR on it first"


def test_mostly_scanned_pdf_is_refused(tmp_path: Path) -> None:
    path = pdf_with_pages(tmp_path / "x.pdf", ["1.1 Cover page.", None, None])
    assert_input_error(path, "2 of 3 pages have no text layer (pages 2, 3; a scanned PDF?)")


def test_a_scanned_signature_page_is_fine(tmp_path: Path) -> None:
    path = pdf_with_pages(
        tmp_path / "x.pdf", ["1.1 Provider shall deliver SSO.", "1.2 More terms.", None]
    )
    assert [clause.id for clause in read_clause_file(path)] == ["1.1", "1.2"]


def test_encrypted_with_an_empty_user_password_is_read(tmp_path: Path) -> None:
    path = pdf_with_pages(tmp_path / "x.pdf", ["1.1 Secret terms."], owner_password="owner")
    assert pypdf.PdfReader(path).is_encrypted
    assert normalised(read_clause_file(path)) == [("1.1", "Secret terms.")]


def test_encrypted_with_a_password_is_refused(tmp_path: Path) -> None:
    path = pdf_with_pages(
        tmp_path / "x.pdf", ["1.1 Secret terms."], owner_password="owner", user_password="user"
    )
    assert_input_error(path, "is encrypted with a password")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a PDF file"),
        (b"hello, not a PDF", "not a PDF file"),
        (b"%PDF-1.7\n1 0 obj <<\n%%EOF", "not a valid PDF file"),
        (b"%PDF-1.4\n" + b"[" * 5000, "not a valid PDF file"),
    ],
)
def test_corrupt_pdf(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    assert_input_error(path, message)


def test_damaged_pdfs_never_raise_anything_but_input_error(tmp_path: Path) -> None:
    good = pdf_with_pages(tmp_path / "good.pdf", ["1.1 Provider shall deliver SSO.", "1.2 End."])
    data = good.read_bytes()
    rng = random.Random(7)
    damaged = tmp_path / "damaged.pdf"
    variants = [data[: len(data) // 2], data[: len(data) - 40]]
    for _ in range(30):
        buffer = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            buffer[rng.randrange(16, len(buffer))] = rng.randrange(256)
        variants.append(bytes(buffer))
    for variant in variants:
        damaged.write_bytes(variant)
        try:
            clauses = read_clause_file(damaged)
        except InputError as error:
            assert error.location.file == str(damaged)
        else:
            assert all(isinstance(clause, Clause) for clause in clauses)


def test_recursion_in_pypdf_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = pdf_with_pages(tmp_path / "x.pdf", ["1.1 Text."])

    def deep(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pypdf, "PdfReader", deep)
    assert_input_error(path, "not a valid PDF file (maximum recursion depth exceeded)")


def test_page_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = pdf_with_pages(tmp_path / "x.pdf", ["1.1 One.", "1.2 Two.", "1.3 Three."])
    monkeypatch.setattr(pdffile, "MAX_PAGES", 2)
    assert_input_error(path, "has 3 pages; PDF clause files are limited to 2")


def test_character_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = pdf_with_pages(tmp_path / "x.pdf", ["1.1 " + "word " * 100])
    monkeypatch.setattr(pdffile, "MAX_CHARS", 200)
    assert_input_error(path, "has more than 200 characters of text")


def test_pypdf_limits_are_lowered_while_reading() -> None:
    with pdffile._limits():
        configuration = pypdf.get_configuration()
        assert configuration.zlib_maximum_output_length == pdffile.MAX_STREAM_BYTES
        assert configuration.maximum_declared_stream_length == pdffile.MAX_STREAM_BYTES
        assert configuration.jbig2dec_binary is None
    assert pypdf.get_configuration().zlib_maximum_output_length > pdffile.MAX_STREAM_BYTES


def test_pypdf_is_imported_only_for_a_pdf(tmp_path: Path) -> None:
    contract = tmp_path / "c.md"
    contract.write_text("1.1 Provider shall deliver SSO.\n", encoding="utf-8")
    code = (
        "import sys\nfrom pathlib import Path\nimport dealcheck.cli\n"
        "from dealcheck.clauses import read_clause_file\n"
        f"read_clause_file(Path({str(contract)!r}))\n"
        "assert 'pypdf' not in sys.modules, 'pypdf imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# --- through the CLI, and the shipped example -----------------------------------------


def test_check_with_a_scanned_pdf_exits_2_at_the_file(tmp_path: Path) -> None:
    pdf_with_pages(tmp_path / "scan.pdf", [None])
    deal = tmp_path / "d.yaml"
    deal.write_text(
        "kind: Deal\nid: Q-T-1\ncustomer: {name: Test Ltd, country: GB}\ncurrency: USD\n"
        "start_date: 2027-01-01\nterm_months: 12\n"
        "lines: [{sku: AA-ENT-USER-Y, quantity: 10, discount: 0.1}]\nclauses_file: scan.pdf\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["check", str(deal), *CATALOG, *TODAY])
    assert result.exit_code == 2, result.output
    located = re.compile(
        r"scan\.pdf: (?:error: )?no text layer \(a scanned PDF\?\): run OCR on it first$", re.M
    )
    assert located.search(result.output), result.output
    assert "Traceback" not in result.output


def test_shipped_example_pdf_is_what_the_script_generates(
    generator: ModuleType, tmp_path: Path
) -> None:
    out = tmp_path / "again.pdf"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "make_pdf_contract.py"),
            str(CONTRACTS / "heron-bay-order-form.md"),
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    shipped = CONTRACTS / "heron-bay-order-form.pdf"
    assert normalised(read_clause_file(out)) == normalised(read_clause_file(shipped))
    markdown = (CONTRACTS / "heron-bay-order-form.md").read_text(encoding="utf-8")
    assert generator.render(markdown) == generator.render(markdown)  # deterministic
    assert normalised(read_clause_file(shipped)) == normalised(
        read_clause_file(CONTRACTS / "heron-bay-order-form.md")
    )


def test_pdf_deal_has_the_findings_of_the_same_deal_on_the_markdown(
    sample_engine: Engine, tmp_path: Path
) -> None:
    deal_text = (REPO / "examples" / "deals" / "heron-bay-media.yaml").read_text(encoding="utf-8")
    (tmp_path / "contracts").mkdir()
    for suffix in (".md", ".pdf"):
        source = CONTRACTS / f"heron-bay-order-form{suffix}"
        (tmp_path / "contracts" / source.name).write_bytes(source.read_bytes())
    on_md = tmp_path / "md.yaml"
    on_md.write_text(deal_text.replace("order-form.pdf", "order-form.md"), encoding="utf-8")
    on_pdf = tmp_path / "pdf.yaml"
    on_pdf.write_text(deal_text, encoding="utf-8")

    def findings(path: Path) -> tuple[str, list[tuple[str, Any, Any, Any]]]:
        (item,) = iter_deals([str(path)])
        result = check_input(sample_engine, item)
        rows = sorted(
            (
                f.rule,
                f.evidence.get("clause"),
                str(f.evidence.get("due")),
                f.evidence.get("feature"),
            )
            for f in result.findings
        )
        return result.verdict, rows

    pdf_verdict, pdf_rows = findings(on_pdf)
    assert (pdf_verdict, pdf_rows) == findings(on_md)
    assert pdf_verdict == "blocked"
    assert ("feature-not-built", "2.1", "2027-09-30", "ai-classification") in pdf_rows
    assert not any(row[3] == "hsm-keys" for row in pdf_rows)  # disclaimed
