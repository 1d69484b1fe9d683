"""Render a Markdown order form as a text PDF, the way contract PDFs look, for dealcheck.

Usage: python scripts/make_pdf_contract.py SOURCE.md OUTPUT.pdf [--columns 2]

The PDF has what dealcheck's PDF reader must undo: a running header and a
"Page N of M" footer on every page, hard-wrapped lines, words hyphenated at line
ends ("avail-" / "able", and compounds broken after their own hyphen: "role-" /
"based"), and optionally two columns. The output is deterministic (fixed creation
date, core fonts, no compression randomness), so the shipped example can be
checked against a fresh rendering.

Markdown understood: ``# Title``, ``## Heading``, paragraphs separated by blank
lines (their source line breaks are not kept, except before a list item ``(a)``).
Text must be in Windows-1252 (the PDF core fonts' character set).

``render(markdown, ...)`` is also what the tests use to make PDFs at test time.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

CREATED = datetime(2026, 1, 1, tzinfo=UTC)
PAGE_W, PAGE_H = 210.0, 297.0  # A4, mm
MARGIN = 20.0
GUTTER = 10.0
TOP, BOTTOM = 28.0, PAGE_H - 25.0  # body area
LINE = 5.2  # mm between baselines of body text
PARAGRAPH_GAP = 3.5
#: Where words may be hyphenated at a line end (besides after a hyphen they contain).
HYPHENATION: Mapping[str, int] = {
    "available": 5,  # avail-able
    "availability": 5,
    "commitments": 6,  # commit-ments
    "subscription": 3,  # sub-scription
    "connectivity": 7,  # connect-ivity
    "Provider": 3,  # Pro-vider
    "provisioning": 9,  # provision-ing
    "residency": 4,  # resi-dency
    "production": 3,  # pro-duction
    "maintenance": 4,  # main-tenance
    "Scheduled": 5,  # Sched-uled
    "governed": 3,  # gov-erned
    "agreement": 5,  # agree-ment
    "Agreement": 5,
    "deliver": 3,  # del-iver
    "customer": 4,  # cust-omer
    "Customer": 4,
}
_ITEM = re.compile(r"^\s*\([a-z]{1,2}\)\s", re.I)


@dataclass
class _Text:
    x: float
    y: float
    style: str
    size: float
    text: str


@dataclass
class _Layout:
    columns: int
    pages: list[list[_Text]] = field(default_factory=list)
    column: int = 0
    y: float = TOP
    top: float = TOP  # where the columns start on the current page

    def width(self) -> float:
        body = PAGE_W - 2 * MARGIN
        return body if self.columns == 1 else (body - GUTTER) / 2

    def x(self) -> float:
        return MARGIN + self.column * (self.width() + GUTTER)

    def new_page(self) -> None:
        self.pages.append([])
        self.column, self.y, self.top = 0, TOP, TOP

    def advance(self, height: float) -> None:
        """Move down by ``height``; at the bottom go to the next column or page."""
        if not self.pages:
            self.new_page()
        if self.y + height > BOTTOM:
            if self.column + 1 < self.columns:
                self.column += 1
                self.y = self.top
            else:
                self.new_page()
        self.y += height


def _paragraphs(markdown: str) -> Iterable[tuple[str, list[str]]]:
    """("title" | "heading" | "body", lines) for each block of the Markdown source."""
    block: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        stripped = line.strip()
        if stripped.startswith("#"):
            if block:
                yield "body", block
                block = []
            level = len(stripped) - len(stripped.lstrip("#"))
            yield ("title" if level == 1 else "heading"), [stripped.lstrip("#").strip()]
        elif not stripped:
            if block:
                yield "body", block
                block = []
        elif block and not _ITEM.match(stripped):
            block[-1] = f"{block[-1]} {stripped}"
        else:
            block.append(stripped)


def _wrap(pdf: FPDF, text: str, width: float, hyphenate: bool) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if pdf.get_string_width(candidate) <= width:
            current = candidate
            continue
        if hyphenate and current:
            for head, tail in _breaks(word):
                if pdf.get_string_width(f"{current} {head}") <= width:
                    lines.append(f"{current} {head}")
                    current = tail
                    break
            else:
                lines.append(current)
                current = word
        else:
            if current:
                lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _breaks(word: str) -> list[tuple[str, str]]:
    """Where ``word`` may be broken at a line end, longest first head."""
    options: list[tuple[str, str]] = []
    if "-" in word.strip("-"):
        cut = word.index("-", 1) + 1
        options.append((word[:cut], word[cut:]))
    letters = word.rstrip(".,;:)")
    if letters in HYPHENATION:
        cut = HYPHENATION[letters]
        options.append((f"{word[:cut]}-", word[cut:]))
    return sorted(options, key=lambda option: -len(option[0]))


def render(
    markdown: str,
    *,
    columns: int = 1,
    header: str = "",
    hyphenate: bool = True,
    title: str = "",
) -> bytes:
    """The PDF of ``markdown`` (see the module docstring); ``header`` runs on every page."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_creation_date(CREATED)
    pdf.set_title(title)
    pdf.set_producer("dealcheck scripts/make_pdf_contract.py")
    pdf.set_compression(True)
    pdf.core_fonts_encoding = "windows-1252"  # the fonts are WinAnsi: dashes and quotes too
    layout = _Layout(columns)
    layout.new_page()
    first = True
    for kind, lines in _paragraphs(markdown):
        style, size = {"title": ("B", 14.0), "heading": ("B", 12.0), "body": ("", 11.0)}[kind]
        pdf.set_font("Helvetica", style, size)
        full_width = kind == "title" and columns > 1 and first
        width = PAGE_W - 2 * MARGIN if full_width else layout.width()
        if not first:
            layout.advance(PARAGRAPH_GAP + (2.0 if kind != "body" else 0.0))
        for source_line in lines:
            for text in _wrap(pdf, source_line, width, hyphenate and kind == "body"):
                layout.advance(LINE * size / 11.0)
                layout.pages[-1].append(_Text(layout.x(), layout.y, style, size, text))
        if full_width:
            layout.y += PARAGRAPH_GAP
            layout.top = layout.y + PARAGRAPH_GAP
        first = False
    total = len(layout.pages)
    for number, texts in enumerate(layout.pages, start=1):
        pdf.add_page()
        pdf.set_auto_page_break(False)
        pdf.set_font("Helvetica", "", 8)
        if header:
            pdf.text(MARGIN, 14.0, header)
        footer = f"Page {number} of {total}"
        pdf.text((PAGE_W - pdf.get_string_width(footer)) / 2, PAGE_H - 12.0, footer)
        for item in texts:
            pdf.set_font("Helvetica", item.style, item.size)
            pdf.text(item.x, item.y, item.text)
    return bytes(pdf.output())


def main(argv: list[str]) -> int:
    args = list(argv)
    columns = 1
    if "--columns" in args:
        at = args.index("--columns")
        columns = int(args[at + 1])
        del args[at : at + 2]
    if len(args) != 2 or args[0] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    source, output = Path(args[0]), Path(args[1])
    markdown = source.read_text(encoding="utf-8")
    heading = next(
        (line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("# ")), ""
    )
    data = render(markdown, columns=columns, header=f"{heading} - Confidential", title=heading)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
