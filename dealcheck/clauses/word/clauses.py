"""Group a Word document's paragraphs and table rows into clauses.

The rules of ``dealcheck.clauses.reader`` for text files, with Word's own numbers:

* **ids** are the numbers Word displays (see ``numbering``); a paragraph without Word
  numbering whose text starts with a number ("7.2 ...", "(a) ...") keeps that number,
  as in a text file; a clause with neither gets a positional id ``p1``, ``p2`` ...
* **Heading-styled paragraphs** (Heading 1-9, Title, styles based on them): a heading
  that reads as a sentence is a clause of its own (source "heading"), with the plain
  paragraphs under it; a title-like heading (under 15 words, no verb such as
  "shall", "will", "is", no sentence break inside) starts a section titled by it, whose
  text is the title and the plain paragraphs under it, and which is no clause when
  nothing is under it.
* **Word list items** (source "list-item"): a Word-numbered paragraph whose number does
  not show the level above it ("(a)" under "7.3") and a bulleted one stay in the
  clause before them when that ends with ":" (a lead-in such as "Provider shall:"),
  written with their number ("(a) provide ..."); otherwise each is a clause, "7.3(a)".
  The same holds for heading-styled sub-clauses.
* **Table rows** (source "table-row", text as in ``tables``): a row whose first cell
  carries a clause number ("7.4", or Word numbering) has that id; any other row has the
  id of the nearest clause before it (a numbered row included, or the numbered title
  the table follows) with a row suffix ``-r1``, ``-r2`` ... counted over the rows
  since that clause;
  rows before any clause are ``r1``, ``r2`` ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from dealcheck.clauses.model import Clause, ClauseSource
from dealcheck.clauses.reader import heading_block, paragraph_block
from dealcheck.clauses.word.document import Item, Paragraph, TableRow
from dealcheck.clauses.word.numbering import normalise
from dealcheck.clauses.word.revisions import Text
from dealcheck.errors import Location

_VERB = re.compile(
    r"\b(?:shall|will|must|may|might|can|cannot|should|would|agrees?|means|is|are|was|were"
    r"|has|have|provides?|commits?|guarantees?|warrants?|represents?|includes?|delivers?"
    r"|makes?|undertakes?|acknowledges?|pays?|grants?)\b",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[.;:!?]\s+\S")
_SENTENCE_WORDS = 15


def is_sentence(text: str) -> bool:
    """Does a heading read as a clause rather than a title?"""
    words = text.split()
    if len(words) >= _SENTENCE_WORDS or _SENTENCE_BREAK.search(text):
        return True
    return len(words) >= 4 and _VERB.search(text) is not None


Kind = Literal["heading", "sentence", "numbered", "item", "plain"]


@dataclass
class _Block:
    kind: Kind
    id: str | None
    text: Text  # without its number
    raw: Text  # with its number, as displayed
    line: int
    source: ClauseSource


@dataclass
class _Open:
    id: str | None
    parts: list[Text]
    line: int
    source: ClauseSource
    heading: bool = False
    keep: bool = False  # a clause even with nothing under it
    items: bool = False
    bodies: list[Text] = field(default_factory=list)


def _block(paragraph: Paragraph) -> _Block:
    text, number, line = paragraph.text, paragraph.number, paragraph.line
    shown = Text()
    if number is not None and number.display:
        shown.append(("-" if number.bullet else number.display) + " ")
    shown.append(text)
    if paragraph.heading:
        ident = number.id if number is not None else None
        body = text
        if ident is None:
            typed = heading_block(text.value, line, 1)
            ident, body = typed.id, text.suffix(typed.text) if typed.id else text
        if number is not None and number.id and number.id != normalise(number.display):
            return _Block("item", ident, body, shown, line, "heading")
        kind: Kind = "sentence" if is_sentence(body.value) else "heading"
        return _Block(kind, ident, body, shown, line, "heading")
    if number is not None and (number.bullet or number.id):
        sub_item = number.bullet or number.id != normalise(number.display)
        kind = "item" if sub_item else "numbered"
        return _Block(kind, number.id, text, shown, line, "list-item")
    typed = paragraph_block(text.value, line, 1)
    body = text.suffix(typed.text) if typed.id else text
    return _Block(typed.kind, typed.id, body, text, line, "paragraph")


def word_clauses(items: list[Item], file: str) -> list[Clause]:
    """The clauses of a document's paragraphs and rows (see the module docstring)."""
    clauses: list[Clause] = []
    positional = 0
    current: _Open | None = None
    anchor: str | None = None
    rows_since = 0

    def close() -> None:
        nonlocal positional, anchor, rows_since, current
        opened, current = current, None
        if opened is None:
            return
        if opened.heading and not opened.bodies and not opened.keep and not opened.items:
            if opened.id is not None:
                anchor, rows_since = opened.id, 0
            return  # a title with nothing under it
        text = _join([*opened.parts, *opened.bodies], "\n\n").strip()
        if not text.value:
            return
        ident = opened.id
        if ident is None:
            positional += 1
            ident = f"p{positional}"
        clauses.append(
            Clause(
                ident,
                text.value,
                Location(file, opened.line, 1),
                opened.source,
                tuple(text.revisions),
            )
        )
        anchor, rows_since = ident, 0

    for item in items:
        if isinstance(item, TableRow):
            close()
            ident = item.row.own_id
            if ident is None:
                rows_since += 1
                ident = f"{anchor}-r{rows_since}" if anchor is not None else f"r{rows_since}"
            else:
                anchor, rows_since = ident, 0
            text = item.row.text.strip()
            location = Location(file, item.line, 1)
            clauses.append(Clause(ident, text.value, location, "table-row", tuple(text.revisions)))
            continue
        block = _block(item)
        if block.kind in ("heading", "sentence"):
            close()
            keep = block.kind == "sentence"
            current = _Open(block.id, [block.text], block.line, "heading", True, keep)
        elif block.kind == "item" and current is not None and _continues_list(current):
            target = current.bodies if current.bodies else current.parts
            target[-1].append("\n")
            target[-1].append(block.raw)
            current.items = True
        elif block.kind == "plain" and current is not None and current.heading:
            current.bodies.append(block.text)
        else:
            close()
            current = _Open(block.id, [block.text], block.line, block.source)
    close()
    return clauses


def _continues_list(current: _Open) -> bool:
    last = (current.bodies or current.parts)[-1].value if (current.bodies or current.parts) else ""
    return current.items or last.rstrip().endswith(":")


def _join(parts: list[Text], separator: str) -> Text:
    joined = Text()
    for index, part in enumerate(part for part in parts if part.value):
        if index:
            joined.append(separator)
        joined.append(part)
    return joined
