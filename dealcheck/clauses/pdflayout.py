"""From positioned text on PDF pages to the paragraphs of ``reader.assemble``.

``pdffile`` collects what a PDF draws: pieces of text with their position, size and
whether the font is bold. This module puts them back into reading order and into
paragraphs, without pypdf (so that it is quick to test):

1. **Rows**: pieces on one baseline (within 40 % of the font size) form a row.
2. **Running headers and footers**: the first and last three rows of each page are
   dropped when, with digits ignored, the same text is in that place (at the same
   height, to 6 points) on at least two pages and on at least half of them ("Acme Order Form - Page 3 of 7"), or when the
   row is only a page number ("Page 3 of 7", "3 of 7", "- 3 -", "3", "iii"). The
   first row of a page is also dropped when it is small print (at most 80 % of the
   body text's size) set well apart from the body: a header, even on a one-page PDF.
3. **Columns**: a page has two columns when several rows have a piece starting at
   one x position in the middle of the page (the right column) and another piece
   left of it that ends before it. Rows that cross that gutter (a title over both
   columns) split the page into bands; each band is read left column first.
4. **Paragraphs**: a line continues the paragraph above it when the gap between
   their baselines is at most 1.3 times the document's usual line spacing (the
   median gap, at most 1.6 times the font size) and the font size and boldness are
   the same. Across a page or column break the paragraph continues when the last line
   does not end a sentence and the next does not start with a clause number.
5. **Headings**: a paragraph of one or two short lines, all bold or larger than the
   body text, not ending like a sentence, is a heading (``## 1. Subscription`` in
   the document's source).
6. **Hyphenation**: a line ending in "word-" followed by a line starting with a
   lower-case word is rejoined: "avail-" + "able" -> "available", but "role-" +
   "based" -> "role-based". The document itself decides where it can (the joined or
   the hyphenated word appears elsewhere in it); otherwise a hyphen is kept after
   an acronym, a number or a compound prefix ("third-", "non-", "self-"), before a
   compound suffix ("-based", "-party", "-level", ...), between two words that the
   document uses on their own, and where the document hyphenates the same first or
   last part elsewhere ("industry-standard measures" there: "industry-" + "standards"
   here); it is dropped in all other cases ("Pro-" + "vider").

Then the text rules of ``reader`` apply to each paragraph's lines: a line with a
clause number starts a clause when the line before ends a sentence (or the numbers
follow on), list items stay with their lead-in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from dealcheck.clauses.reader import Block, heading_block, paragraph_block, starts_clause

#: Rows at the top and at the bottom of a page that may be a running header or footer.
ZONE_ROWS = 3

_PAGE_NUMBER = re.compile(
    r"(?:page|p\.|pg\.?)?\s*\d{1,5}(?:\s*(?:of|/)\s*\d{1,5})?|[-\u2013\u2014]\s*\d{1,5}\s*"
    r"[-\u2013\u2014]|\d{1,5}\s*\|\s*page|[ivxlc]{1,7}",
    re.I,
)
_ENDS_SENTENCE = re.compile(r"[.;:!?][\"'\u201d\u2019)\]]*$")
_ENDS_LIKE_SENTENCE = re.compile(r"[.;,][\"'\u201d\u2019)\]]*$")
_HYPHENATED_END = re.compile(r"(?<![A-Za-z0-9-])(?P<head>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)-$")
_LOWER_START = re.compile(r"(?P<tail>[a-z]+)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_COMPOUND_HEADS = frozenset(
    [
        "non",
        "self",
        "cross",
        "third",
        "first",
        "end",
        "well",
        "half",
        "anti",
        "opt",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
    ]
)
_COMPOUND_TAILS = frozenset(
    [
        "based",
        "party",
        "parties",
        "related",
        "specific",
        "wide",
        "level",
        "term",
        "free",
        "owned",
        "managed",
        "hosted",
        "facing",
        "driven",
        "enabled",
        "compliant",
        "only",
        "approved",
        "signed",
        "premises",
        "critical",
        "sensitive",
    ]
)


@dataclass(frozen=True)
class Fragment:
    """A piece of text as the PDF draws it: baseline start (x, y up), size, boldness."""

    x: float
    y: float
    size: float
    bold: bool
    text: str


@dataclass(frozen=True)
class Page:
    """The text of one page (1-based ``number``), with the page's left edge and width."""

    number: int
    left: float
    width: float
    fragments: tuple[Fragment, ...]


@dataclass
class _Row:
    y: float
    size: float
    fragments: list[Fragment]

    @property
    def text(self) -> str:
        return _join(self.fragments)


@dataclass
class _Line:
    page: int
    flow: tuple[int, int]  # (band, column) on the page: gaps are measured within one flow
    y: float
    size: float
    bold: bool
    text: str


def _width(fragment: Fragment, factor: float = 0.5) -> float:
    """A rough width (no font metrics): ``factor`` em per character."""
    return len(fragment.text) * fragment.size * factor


def _join(fragments: list[Fragment]) -> str:
    text = ""
    previous: Fragment | None = None
    for fragment in sorted(fragments, key=lambda f: f.x):
        if previous is not None and not (text.endswith(" ") or fragment.text.startswith(" ")):
            gap = fragment.x - (previous.x + _width(previous))
            if gap > 0.1 * fragment.size:
                text += " "
        text += fragment.text
        previous = fragment
    return " ".join(text.split())


def _rows(fragments: tuple[Fragment, ...]) -> list[_Row]:
    rows: list[_Row] = []
    for fragment in sorted(fragments, key=lambda f: (-f.y, f.x)):
        if rows and abs(rows[-1].y - fragment.y) <= 0.4 * min(rows[-1].size, fragment.size):
            rows[-1].fragments.append(fragment)
            rows[-1].size = max(rows[-1].size, fragment.size)
        else:
            rows.append(_Row(fragment.y, fragment.size, [fragment]))
    return [row for row in rows if row.text]


def _signature(row: _Row) -> tuple[str, int]:
    """A row's text with digits ignored, and its height on the page (to 6 points)."""
    return re.sub(r"\d+", "#", " ".join(row.text.lower().split())), round(row.y / 6)


def _drop_running_rows(pages: list[list[_Row]]) -> list[list[_Row]]:
    """Remove running headers, footers and page numbers (see the module docstring)."""
    tops: Counter[tuple[str, int]] = Counter()
    bottoms: Counter[tuple[str, int]] = Counter()
    for rows in pages:
        tops.update({_signature(row) for row in rows[:ZONE_ROWS]})
        bottoms.update({_signature(row) for row in rows[-ZONE_ROWS:]})
    needed = max(2, (len(pages) + 1) // 2)
    sizes: Counter[float] = Counter()
    for rows in pages:
        for row in rows:
            sizes[round(row.size, 1)] += len(row.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    kept: list[list[_Row]] = []
    for rows in pages:
        keep: list[_Row] = []
        for index, row in enumerate(rows):
            top, bottom = index < ZONE_ROWS, index >= len(rows) - ZONE_ROWS
            signature = _signature(row)
            running = (top and tops[signature] >= needed) or (
                bottom and bottoms[signature] >= needed
            )
            if index == 0 and len(rows) > 1 and row.size <= 0.8 * body:
                # small print alone above the body: a header even on a single page
                running = running or row.y - rows[1].y > 2.5 * body
            if (top or bottom) and (running or _PAGE_NUMBER.fullmatch(row.text.strip())):
                continue
            keep.append(row)
        kept.append(keep)
    return kept


def _gutter(page: Page, rows: list[_Row]) -> float | None:
    """The x where a page's right column starts, or None for a single column.

    Two columns: at least three rows (and a fifth of them) have a piece starting at one
    x in the middle half of the page, at least three rows have text left of it that
    ends before it, and few rows (a title, at most a tenth) run across it.
    """
    low, high = page.left + 0.25 * page.width, page.left + 0.75 * page.width
    starts = Counter(round(f.x) for row in rows for f in row.fragments if low < f.x < high)
    if not starts:
        return None
    candidate, _ = max(starts.items(), key=lambda item: (item[1], -item[0]))
    gutter = float(candidate) - 2
    right = sum(1 for row in rows if any(abs(f.x - candidate) <= 2 for f in row.fragments))
    crossing = sum(1 for row in rows if _crosses(row, gutter))
    left = sum(
        1 for row in rows if not _crosses(row, gutter) and any(f.x < gutter for f in row.fragments)
    )
    if right >= 3 and 5 * right >= len(rows) and left >= 3 and crossing <= max(2, len(rows) // 10):
        return gutter
    return None


def _crosses(row: _Row, gutter: float) -> bool:
    """Does a piece of the row start left of the gutter and (at least) reach well past it?"""
    return any(f.x < gutter and f.x + _width(f, 0.4) > gutter + 2 * f.size for f in row.fragments)


def _reading_order(page: Page, rows: list[_Row]) -> list[_Line]:
    """The page's lines in reading order: per band, the left column then the right."""

    def line(flow: tuple[int, int], row: _Row, fragments: list[Fragment]) -> _Line:
        bold = all(f.bold for f in fragments)
        size = max(f.size for f in fragments)
        return _Line(page.number, flow, row.y, size, bold, _join(fragments))

    gutter = _gutter(page, rows)
    if gutter is None:
        return [line((0, 0), row, row.fragments) for row in rows]
    lines: list[_Line] = []
    band = 0
    left: list[_Line] = []
    right: list[_Line] = []
    for row in rows:
        if _crosses(row, gutter):
            lines.extend(left + right)
            left, right = [], []
            band += 1
            lines.append(line((band, 0), row, row.fragments))
            band += 1
            continue
        parts = (
            [f for f in row.fragments if f.x < gutter],
            [f for f in row.fragments if f.x >= gutter],
        )
        for column, (target, fragments) in enumerate(zip((left, right), parts, strict=True)):
            if fragments:
                target.append(line((band, column), row, fragments))
    lines.extend(left + right)
    return [item for item in lines if item.text]


def _body_size(lines: list[_Line]) -> float:
    sizes: Counter[float] = Counter()
    for item in lines:
        sizes[round(item.size, 1)] += len(item.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _line_spacing(lines: list[_Line], body: float) -> float:
    gaps = [
        previous.y - item.y
        for previous, item in zip(lines, lines[1:], strict=False)
        if previous.page == item.page
        and previous.flow == item.flow
        and abs(item.size - body) < 0.5
        and 0 < previous.y - item.y < 3 * body
    ]
    usual = median(gaps) if gaps else 1.2 * body
    return min(usual, 1.6 * body)


def _continues(previous: _Line, item: _Line, spacing: float, body: float) -> bool:
    """Does ``item`` continue the paragraph that ``previous`` is the last line of?"""
    if previous.bold != item.bold or abs(previous.size - item.size) > 0.15 * max(
        previous.size, item.size
    ):
        return False
    if previous.page == item.page and previous.flow == item.flow:
        gap = previous.y - item.y
        return 0 < gap <= 1.3 * spacing * item.size / body
    # a page or column break: only a sentence cut in two goes on
    return not _ENDS_SENTENCE.search(previous.text) and not starts_clause(
        [previous.text], item.text
    )


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    body = _body_size(lines)
    spacing = _line_spacing(lines, body)
    paragraphs: list[list[_Line]] = []
    for item in lines:
        if paragraphs and _continues(paragraphs[-1][-1], item, spacing, body):
            paragraphs[-1].append(item)
        else:
            paragraphs.append([item])
    return paragraphs


def _is_heading(paragraph: list[_Line], body: float) -> bool:
    text = " ".join(item.text for item in paragraph)
    emphasised = all(item.bold or item.size >= 1.15 * body for item in paragraph)
    return (
        emphasised
        and len(paragraph) <= 2
        and len(text) <= 150
        and not _ENDS_LIKE_SENTENCE.search(text)
    )


def _vocabulary(lines: list[_Line]) -> frozenset[str]:
    """The words of the document, but not the pieces of words split at a line end."""
    words: set[str] = set()
    split_before = False
    for item in lines:
        found = _WORD.findall(item.text)
        split_after = bool(_HYPHENATED_END.search(item.text))
        if split_before and found:
            found = found[1:]
        if split_after and found:
            found = found[:-1]
        for word in found:
            parts = word.lower().split("-")
            words.add(word.lower())
            # the parts of compounds: "industry-standard" gives "industry-" and "-standard"
            words.update(f"{part}-" for part in parts[:-1])
            words.update(f"-{part}" for part in parts[1:])
        split_before = split_after
    return frozenset(words)


def _keeps_hyphen(head: str, tail: str, vocabulary: frozenset[str]) -> bool:
    joined, hyphenated = f"{head}{tail}".lower(), f"{head}-{tail}".lower()
    if hyphenated in vocabulary:
        return True
    if joined in vocabulary:
        return False
    last = head.rsplit("-", 1)[-1]
    return (
        "-" in head
        or any(ch.isdigit() for ch in last)
        or sum(ch.isupper() for ch in last) >= 2
        or last.lower() in _COMPOUND_HEADS
        or tail in _COMPOUND_TAILS
        or (len(last) >= 3 and len(tail) >= 3 and {last.lower(), tail} <= vocabulary)
        or (len(last) >= 4 and f"{last.lower()}-" in vocabulary)
        or (len(tail) >= 4 and f"-{tail}" in vocabulary)
    )


def dehyphenate(lines: list[tuple[int, str]], vocabulary: frozenset[str]) -> list[tuple[int, str]]:
    """Rejoin words hyphenated at the end of a line (see the module docstring).

    ``lines`` are (page, text) pairs; a rejoined line keeps the page it starts on.
    """
    out: list[tuple[int, str]] = []
    for page, text in lines:
        previous = out[-1][1] if out else ""
        end = _HYPHENATED_END.search(previous)
        start = _LOWER_START.match(text)
        if end and start:
            hyphen = "-" if _keeps_hyphen(end["head"], start["tail"], vocabulary) else ""
            out[-1] = (out[-1][0], f"{previous[:-1]}{hyphen}{text}")
        else:
            out.append((page, text))
    return out


def layout_blocks(pages: list[Page]) -> list[Block]:
    """The paragraphs of a PDF's pages, as blocks located at their page (column 0)."""
    rows = _drop_running_rows([_rows(page.fragments) for page in pages])
    lines = [
        item
        for page, page_rows in zip(pages, rows, strict=True)
        for item in _reading_order(page, page_rows)
    ]
    body = _body_size(lines)
    vocabulary = _vocabulary(lines)
    blocks: list[Block] = []
    for paragraph in _paragraphs(lines):
        page = paragraph[0].page
        if _is_heading(paragraph, body):
            blocks.append(heading_block(" ".join(item.text for item in paragraph), page, 0))
            continue
        texts = dehyphenate([(item.page, item.text) for item in paragraph], vocabulary)
        current: list[str] = []
        for line_page, text in texts:
            if current and starts_clause(current, text):
                blocks.append(paragraph_block("\n".join(current), page, 0))
                current = []
            if not current:
                page = line_page
            current.append(text)
        if current:
            blocks.append(paragraph_block("\n".join(current), page, 0))
    return blocks
