"""The body of a Word document, read as Word shows it: paragraphs and table rows in order.

* Each body paragraph is read with every tracked change accepted (see ``revisions``);
  a paragraph whose mark is deleted (``w:pPr/w:rPr/w:del``) joins the next one (with a
  space between when neither side has one), keeping the first paragraph's style,
  numbering and line, or the next one's when nothing of the first is left.
* Word's automatic numbering is computed for every paragraph, in document order (see
  ``numbering``). A paragraph in a Heading style, or a style based on one, is a heading.
* Left out: the table of contents (paragraphs in a TOC style, a ``w:sdt`` whose
  ``w:docPartGallery`` is "Table of Contents", the result of a TOC field), and
  whatever is not in the body: page headers, footers, footnotes, endnotes, comments.
* ``line``: a body paragraph's 1-based index among the body's paragraphs, each top-level
  table row counted as one more, in document order (the rows of a nested table and the
  paragraphs in cells are not counted); what a clause cites is its Word number.
* At most ``MAX_PARAGRAPHS`` paragraphs (cells included) are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dealcheck.clauses.word.numbering import ListNumber, Numbering
from dealcheck.clauses.word.package import Element, W, WordPackage
from dealcheck.clauses.word.revisions import Fields, Text, read_runs
from dealcheck.clauses.word.styles import Styles
from dealcheck.clauses.word.tables import Row, read_rows

#: Most paragraphs (in the body and in table cells) a document may have.
MAX_PARAGRAPHS = 100_000


class TooManyParagraphs(Exception):
    """The document has more than ``MAX_PARAGRAPHS`` paragraphs."""


@dataclass
class Paragraph:
    """A body paragraph as displayed: accepted text, Word number, heading or not."""

    line: int
    text: Text  # stripped
    number: ListNumber | None
    heading: bool


@dataclass
class TableRow:
    line: int
    row: Row


Item = Paragraph | TableRow


def _on(element: Element | None) -> bool:
    return element is not None and element.get(f"{W}val", "true") not in ("false", "0", "off")


class BodyReader:
    """Walks ``w:body`` once, in document order, counting lines, paragraphs and numbers."""

    def __init__(self, package: WordPackage) -> None:
        self.styles = Styles(package.styles)
        self.numbering = Numbering(package.numbering, self.styles)
        self.fields = Fields()
        self.body = package.document.find(f"{W}body")
        self.line = 0
        self.paragraphs = 0

    def items(self) -> list[Item]:
        return list(self._container(self.body))

    def _container(self, container: Element) -> Iterator[Item]:
        pending: tuple[int, Element, Text] | None = None  # a paragraph whose mark is deleted
        for child in container:
            tag = child.tag
            if tag == f"{W}p":
                self.line += 1
                line, properties_of, text, toc = self._paragraph_text(child)
                if pending is not None:
                    first_line, first, first_text = pending
                    joined = Text()
                    joined.append(first_text)
                    if (
                        first_text.value
                        and text.value
                        and not first_text.value[-1].isspace()
                        and not text.value[0].isspace()
                    ):
                        joined.append(" ")
                    joined.append(text)
                    text = joined
                    if first_text.value.strip():
                        line, properties_of = first_line, first
                    pending = None
                if _mark_deleted(child):
                    pending = (line, properties_of, text)
                    continue
                if toc:
                    continue
                paragraph = self._paragraph(line, properties_of, text)
                if paragraph is not None:
                    yield paragraph
            elif tag == f"{W}tbl":
                yield from self._flush(pending)
                pending = None
                for line, row in read_rows(child, self._cell_paragraph, self._next_line):
                    yield TableRow(line, row)
            elif tag == f"{W}sdt":
                yield from self._flush(pending)
                pending = None
                if _is_toc_control(child):
                    self.line += sum(1 for _ in child.iter(f"{W}p"))
                    continue
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    yield from self._container(content)
            elif tag == f"{W}customXml":
                yield from self._container(child)
        yield from self._flush(pending)

    def _flush(self, pending: tuple[int, Element, Text] | None) -> Iterator[Item]:
        if pending is not None:
            line, element, text = pending
            paragraph = self._paragraph(line, element, text)
            if paragraph is not None:
                yield paragraph

    def _next_line(self) -> int:
        self.line += 1
        return self.line

    def _paragraph_text(self, element: Element) -> tuple[int, Element, Text, bool]:
        self.paragraphs += 1
        if self.paragraphs > MAX_PARAGRAPHS:
            raise TooManyParagraphs
        runs = read_runs(element, self.fields)
        style = _style(element)
        return self.line, element, runs.text, runs.toc or self.styles.is_toc(style)

    def _paragraph(self, line: int, element: Element, text: Text) -> Paragraph | None:
        """Number the paragraph (as Word counts it) and keep it if it has text."""
        stripped = text.strip()
        style = _style(element)
        number = self._number(element, style, bool(stripped.value))
        if not stripped.value:
            return None
        return Paragraph(line, stripped, number, self.styles.is_heading(style))

    def _number(self, element: Element, style: str | None, has_text: bool) -> ListNumber | None:
        properties = element.find(f"{W}pPr")
        if (
            not has_text
            and properties is not None
            and (
                properties.find(f"{W}sectPr") is not None
                or _on(properties.find(f"{W}rPr/{W}vanish"))
            )
        ):
            return None  # an empty section-break or hidden paragraph shows no number
        numbering = properties.find(f"{W}numPr") if properties is not None else None
        num_id = level = None
        if numbering is not None:
            found_id = numbering.find(f"{W}numId")
            found_level = numbering.find(f"{W}ilvl")
            num_id = found_id.get(f"{W}val") if found_id is not None else None
            raw_level = found_level.get(f"{W}val") if found_level is not None else None
            level = int(raw_level) if isinstance(raw_level, str) and raw_level.isdigit() else None
        resolved = self.numbering.resolve(style, num_id, level)
        return self.numbering.advance(*resolved) if resolved is not None else None

    def _cell_paragraph(self, element: Element) -> tuple[Text, ListNumber | None] | None:
        _, _, text, toc = self._paragraph_text(element)
        if toc:
            return None
        stripped = text.strip()
        number = self._number(element, _style(element), bool(stripped.value))
        if number is not None and number.display and not number.bullet:
            shown = Text(number.display)
            if stripped.value:
                shown.append(" ")
                shown.append(stripped)
            stripped = shown
        return stripped, number


def _style(paragraph: Element) -> str | None:
    found = paragraph.find(f"{W}pPr/{W}pStyle")
    value = found.get(f"{W}val") if found is not None else None
    return value if isinstance(value, str) else None


def _mark_deleted(paragraph: Element) -> bool:
    marks = paragraph.find(f"{W}pPr/{W}rPr")
    return marks is not None and (
        marks.find(f"{W}del") is not None or marks.find(f"{W}moveFrom") is not None
    )


def _is_toc_control(sdt: Element) -> bool:
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    value = gallery.get(f"{W}val") if gallery is not None else None
    return isinstance(value, str) and value.lower().startswith("table of contents")
