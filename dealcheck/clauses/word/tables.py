"""Table rows as clause text: each row read with its header or label cells as context.

* A table has a **header row** when its first row is marked as one (``w:tblHeader``) or,
  unmarked, when the table has at least three columns and two rows and every cell of
  the first row is a short name (at most four words, no digits, no sentence
  punctuation). Each later row then reads "Name: value; Name: value" with the header
  cell above each value ("Milestone: 3; Deliverable: EU data residency; Due date:
  31 May 2027"); the header row itself is not a clause.
* Without a header row, a row with two or more filled cells reads "Label: value;
  value", the first filled cell being the label ("Target Uptime: 99.95%"); a label cell
  with more than one paragraph reads "Title (description)". A row with one filled cell
  is that cell's text; an empty row is no clause.
* Merged cells: a cell spanning columns (``w:gridSpan``) is named by the header of its
  first column (a row with a single filled cell is just that cell's text); a cell continuing a vertical merge (``w:vMerge`` without "restart")
  repeats the value of the cell it continues, so each row reads complete.
* A nested table is read into its cell: its rows, each as above, one per line.
* A row deleted by a tracked change (``w:trPr/w:del``) is left out; a row inserted by one
  (``w:trPr/w:ins``) is one insertion spanning the row.
* Paragraphs in cells are numbered by Word's list numbering in document order; a
  numbered paragraph shows its number ("1. Onboarding").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from dealcheck.clauses.model import Revision
from dealcheck.clauses.word.numbering import ListNumber
from dealcheck.clauses.word.package import Element, W
from dealcheck.clauses.word.revisions import Text

#: Deepest table-in-a-table nesting read.
MAX_TABLE_NESTING = 16

_TYPED_ROW_NUMBER = re.compile(r"(?P<id>\d{1,3}(?:\.\d{1,3}){1,4}|\d{1,3})[.)]?")
_HEADER_WORDS = 4

#: Reads one paragraph in a cell: its stripped text and Word number (``None``: not text).
CellParagraph = Callable[[Element], "tuple[Text, ListNumber | None] | None"]


class TableNestingError(Exception):
    """Tables nested deeper than ``MAX_TABLE_NESTING``."""


@dataclass
class Row:
    """One table row read as text, with the clause number it carries, if any."""

    text: Text
    own_id: str | None
    element: Element


@dataclass
class _Cell:
    column: int
    paragraphs: list[Text]
    number: ListNumber | None  # of its first paragraph

    def value(self) -> Text:
        return _join(self.paragraphs, "\n")

    def label(self) -> Text:
        if len(self.paragraphs) == 1:
            return self.paragraphs[0]
        label = Text()
        label.append(self.paragraphs[0])
        label.append(" (")
        label.append(_join(self.paragraphs[1:], " "))
        label.append(")")
        return label

    def empty(self) -> bool:
        return not any(paragraph.value.strip() for paragraph in self.paragraphs)


def _join(parts: list[Text], separator: str) -> Text:
    joined = Text()
    for index, part in enumerate(parts):
        if index:
            joined.append(separator)
        joined.append(part)
    return joined


def _children(element: Element, tag: str) -> Iterator[Element]:
    """``tag`` children of ``element``, looking through content controls and custom XML."""
    for child in element:
        if child.tag == f"{W}{tag}":
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == f"{W}customXml":
            yield from _children(child, tag)


def _change(row: Element, name: str) -> Element | None:
    properties = row.find(f"{W}trPr")
    return properties.find(f"{W}{name}") if properties is not None else None


def read_rows(
    table: Element, paragraph: CellParagraph, count_row: Callable[[], int], depth: int = 0
) -> list[tuple[int, Row]]:
    """The clause rows of ``table``, each with its line from ``count_row()``."""
    if depth > MAX_TABLE_NESTING:
        raise TableNestingError
    grid: list[tuple[int, Element, list[_Cell]]] = []
    above: dict[int, _Cell] = {}
    for row in _children(table, "tr"):
        line = count_row()
        cells = _cells(row, paragraph, above, depth)
        if _change(row, "del") is not None:
            continue
        grid.append((line, row, cells))
    header = _header(grid)
    names: dict[int, Text] = {}
    if header is not None:
        for cell in grid[header][2]:
            names[cell.column] = cell.value()
    rows: list[tuple[int, Row]] = []
    for index, (line, row, cells) in enumerate(grid):
        if header is not None and index <= header:
            continue
        own_id = _own_id(cells)
        if own_id is not None:
            cells = _without_number_cell(cells)
        text = _row_text(cells, names)
        if not text.value.strip():
            continue
        inserted = _change(row, "ins")
        if inserted is not None:
            text = _all_inserted(text, inserted)
        rows.append((line, Row(text, own_id, row)))
    return rows


def _cells(
    row: Element, paragraph: CellParagraph, above: dict[int, _Cell], depth: int
) -> list[_Cell]:
    properties = row.find(f"{W}trPr")
    before = properties.find(f"{W}gridBefore") if properties is not None else None
    column = _number(before, 0)
    cells: list[_Cell] = []
    for cell in _children(row, "tc"):
        cell_properties = cell.find(f"{W}tcPr")
        span = max(1, _number(_find(cell_properties, "gridSpan"), 1))
        merge = _find(cell_properties, "vMerge")
        read = _Cell(column, *_content(cell, paragraph, depth))
        if merge is not None and merge.get(f"{W}val", "continue") != "restart" and read.empty():
            continued = above.get(column)
            if continued is not None:
                read = _Cell(column, continued.paragraphs, continued.number)
        for spanned in range(column, column + span):
            above[spanned] = read
        cells.append(read)
        column += span
    return cells


def _find(element: Element | None, name: str) -> Element | None:
    return element.find(f"{W}{name}") if element is not None else None


def _number(element: Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return min(int(element.get(f"{W}val", default)), 64)
    except ValueError:
        return default


def _content(
    cell: Element, paragraph: CellParagraph, depth: int
) -> tuple[list[Text], ListNumber | None]:
    paragraphs: list[Text] = []
    first_number: ListNumber | None = None
    seen_text = False
    for child in _blocks(cell):
        if child.tag == f"{W}p":
            read = paragraph(child)
            if read is None:
                continue
            text, number = read
            if text.value and not seen_text:
                first_number, seen_text = number, True
            if text.value:
                paragraphs.append(text)
        else:  # a nested table: its rows, one per line
            nested = read_rows(child, paragraph, lambda: 0, depth + 1)
            lines = [row.text for _, row in nested]
            if lines:
                paragraphs.append(_join(lines, "\n"))
                seen_text = True
    return paragraphs, first_number


def _blocks(container: Element) -> Iterator[Element]:
    for child in container:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif child.tag == f"{W}customXml":
            yield from _blocks(child)


def _header(grid: list[tuple[int, Element, list[_Cell]]]) -> int | None:
    """The index of the (last) header row, if the table has one."""
    marked = None
    for index, (_, row, _) in enumerate(grid):
        flag = _change(row, "tblHeader")
        if flag is None or flag.get(f"{W}val", "true") in ("false", "0", "off"):
            break
        marked = index
    if marked is not None:
        return marked
    if len(grid) < 2:
        return None
    cells = grid[0][2]
    columns = max((cell.column for _, _, row in grid for cell in row), default=0) + 1
    if columns < 3 or len(cells) < 2:
        return None
    for cell in cells:
        value = cell.value().value.strip()
        if not value or len(value.split()) > _HEADER_WORDS or re.search(r"[\d.;:!?]", value):
            return None
    return 0


def _row_text(cells: list[_Cell], names: dict[int, Text]) -> Text:
    filled = [cell for cell in cells if not cell.empty()]
    text = Text()
    if names and len(filled) > 1:
        for index, cell in enumerate(filled):
            if index:
                text.append("; ")
            name = names.get(cell.column)
            value = cell.value()
            label = " ".join(name.value.split()) if name is not None else ""
            if label and label != value.value:
                text.append(label)
                text.append(": ")
            text.append(value)
        return text
    if len(filled) == 1:
        return filled[0].value()
    for index, cell in enumerate(filled):
        if index == 0:
            text.append(cell.label())
            text.append(": ")
            continue
        if index > 1:
            text.append("; ")
        text.append(cell.value())
    return text


def _own_id(cells: list[_Cell]) -> str | None:
    """The row's clause number: a Word number in its first cell, or a typed "7.4" there."""
    filled = [cell for cell in cells if not cell.empty()]
    if not filled:
        return None
    first = filled[0]
    if first.number is not None and first.number.id:
        return first.number.id
    match = _TYPED_ROW_NUMBER.fullmatch(first.value().value.strip())
    if match and "." in match.group():
        return match["id"]
    return None


def _without_number_cell(cells: list[_Cell]) -> list[_Cell]:
    """The row's cells less a first cell that holds nothing but the row's number."""
    filled = [cell for cell in cells if not cell.empty()]
    first = filled[0]
    shown = first.value().value.strip()
    numbers = {first.number.display if first.number is not None else None}
    typed = _TYPED_ROW_NUMBER.fullmatch(shown)
    if shown in numbers or typed is not None:
        return [cell for cell in cells if cell is not first]
    return cells


def _all_inserted(text: Text, change: Element) -> Text:
    author, date = change.get(f"{W}author"), change.get(f"{W}date")
    whole = Revision(
        "inserted",
        author if isinstance(author, str) else None,
        date if isinstance(date, str) else None,
        text.value,
        (0, len(text.value)),
    )
    deleted = [revision for revision in text.revisions if revision.kind == "deleted"]
    return Text(text.value, [whole, *deleted])
