"""Read contract clauses from .txt, .md, .docx and .pdf files.

Text and Markdown (``.txt``, ``.text``, ``.md``, ``.markdown``; UTF-8, a BOM is allowed,
or UTF-16/32 with a BOM):

* a line starting with a clause number starts a clause with that id: ``7.2``,
  ``7.2.1``, ``7.``, ``12.3)``, ``**7.2**``, ``Section 7.2``; ``(a)``, ``(iv)``
  start a clause with id ``(a)``, ``(iv)``. Inside a paragraph, such a line
  starts a new clause only when the previous line ends a sentence (``. ; : ! ?``)
  or its number follows on from the paragraph's (7 -> 7.1, 7.2 -> 7.3 or 8,
  (a) -> (b)), so that a wrapped line beginning "3.5 hours" stays in its sentence;
* following lines belong to the clause; a blank line ends it;
* a paragraph with no number is a clause with a positional id ``p1``, ``p2`` ...
  (numbered in order of appearance among the clauses that have no number);
* a Markdown heading starts a *section*: a heading with a leading number
  (``## 7.2 Delivery``) is the clause ``7.2``, one without (``## Service levels``)
  gets a positional id; its text is the heading's title followed by the
  paragraphs under it, up to the next heading or numbered paragraph. A heading
  with nothing under it (a numbered paragraph follows at once) is no clause;
* list items ``(a)``, ``(b)`` after a lead-in ending with ":" ("Provider
  shall:") stay in the lead-in's clause, so that the items keep its words;
* paginated text (form feeds, lines that are only "- 2 -" or "Page 2 of 7", as in
  EDGAR filings) loses its page markers and its running headers and footers (see
  ``drop_page_furniture``) before paragraphs are read; line numbers are unchanged.

Word (``.docx``): see ``dealcheck.clauses.word``; the same rules apply per
paragraph, with the numbers Word displays as ids, Heading styles as headings (or
clauses, when they read as sentences) and table rows as clauses.

PDF (``.pdf``, with a text layer): see ``dealcheck.clauses.pdffile``; the text rules
apply to the paragraphs recovered from the pages (running headers, footers and page
numbers removed, columns in reading order, wrapped and hyphenated lines rejoined);
``Location.line`` is the page number.

Every problem (missing file, not UTF-8, corrupt .docx or .pdf, a scanned PDF,
unsupported type, over 10 MiB) raises ``InputError`` naming the file (and line:column where known).
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from dealcheck.clauses.budget import check_contract_budget, check_text_budget
from dealcheck.clauses.model import Clause
from dealcheck.errors import InputError, Location
from dealcheck.yamlio import decode_text

MAX_FILE_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})

_NUMBER = r"\d{1,3}(?:\.\d{1,3}){1,4}[.)]?|\d{1,3}[.)]"
NUMBERED = re.compile(
    rf"^\s*(?:\*\*|__)?(?:(?:Section|Clause|Article|§)\s*)?(?P<id>{_NUMBER})(?:\*\*|__)?(?:\s+|$)",
    re.I,
)
ITEM = re.compile(r"^\s*\((?P<id>[a-z]{1,2}|[ivxlc]{1,6}|\d{1,3})\)(?:\s+|$)", re.I)
HEADING_NUMBER = re.compile(
    r"^(?:\*\*|__)?(?:(?:Section|Clause|Article|§)\s*)?(?P<id>\d{1,3}(?:\.\d{1,3}){0,4})[.)]?"
    r"(?:\*\*|__)?(?:\s+|$)",
    re.I,
)
_MD_HEADING = re.compile(r" {0,3}#{1,6}(?=\s|$)")
_RULE = re.compile(r"^ {0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_ENDS_SENTENCE = re.compile(r"(?:[.;:!?]|\band|\bor)[\"'”’)*_]*\s*$", re.I)


@dataclass
class Block:
    """One paragraph of a clause file, before paragraphs are grouped into clauses."""

    kind: Literal["heading", "numbered", "item", "plain"]
    id: str | None
    text: str  # without its number; a heading's title
    raw: str  # as written, number included
    line: int
    column: int


@dataclass
class _Open:
    id: str | None
    parts: list[str]
    line: int
    column: int
    heading: bool = False
    items: bool = False
    bodies: list[str] = field(default_factory=list)


def clean_id(raw: str) -> str:
    """The clause id without its closing mark: ``7.2.`` -> ``7.2``, ``12.3)`` -> ``12.3``."""
    return raw if raw.startswith("(") else raw.rstrip(".)")


def heading_block(title: str, line: int, column: int) -> Block:
    """A heading block; a leading number in its title becomes the clause id."""
    match = HEADING_NUMBER.match(title)
    if match:
        return Block(
            "heading", clean_id(match["id"]), title[match.end() :].strip(), title, line, column
        )
    return Block("heading", None, title.strip(), title, line, column)


def paragraph_block(text: str, line: int, column: int) -> Block:
    """A body paragraph: numbered ("7.2 ..."), a list item ("(a) ...") or plain."""
    for kind, pattern in (("numbered", NUMBERED), ("item", ITEM)):
        match = pattern.match(text)
        if match:
            ident = clean_id(match["id"]) if kind == "numbered" else f"({match['id']})"
            rest = text[match.end() :]
            return Block(kind, ident, rest, text, line, column)  # type: ignore[arg-type]
    return Block("plain", None, text, text, line, column)


def assemble(blocks: list[Block], file: str) -> list[Clause]:
    """Group paragraphs into clauses (see the module docstring)."""
    clauses: list[Clause] = []
    positional = 0
    current: _Open | None = None

    def close() -> None:
        nonlocal positional
        if current is None:
            return
        if current.heading and not current.bodies:
            return  # a heading with nothing under it
        text = "\n\n".join(part for part in [*current.parts, *current.bodies] if part).strip()
        if not text:
            return
        ident = current.id
        if ident is None:
            positional += 1
            ident = f"p{positional}"
        clauses.append(Clause(ident, text, Location(file, current.line, current.column)))

    for block in blocks:
        if block.kind == "heading":
            close()
            current = _Open(block.id, [block.text], block.line, block.column, heading=True)
        elif block.kind == "item" and current is not None and _continues_list(current):
            target = current.bodies if current.heading else current.parts
            target[-1] = f"{target[-1]}\n{block.raw.strip()}"
            current.items = True
        elif block.kind == "plain" and current is not None and current.heading:
            current.bodies.append(block.text)
        else:
            close()
            current = _Open(block.id, [block.text], block.line, block.column)
    close()
    return clauses


def _continues_list(current: _Open) -> bool:
    last = (current.bodies or current.parts)[-1] if (current.bodies or current.parts) else ""
    return current.items or last.rstrip().endswith(":")


def _parts(ident: str) -> list[int] | None:
    if ident.startswith("("):
        inner = ident[1:-1].lower()
        return [ord(inner) - ord("a") + 1] if len(inner) == 1 and inner.isalpha() else None
    return [int(part) for part in ident.split(".")]


def follows(current: str | None, new: str | None) -> bool:
    """Does clause number ``new`` come right after ``current`` (7 -> 7.1, 7.2 -> 7.3 or 8)?"""
    if current is None or new is None or current.startswith("(") != new.startswith("("):
        return False
    old_parts, new_parts = _parts(current), _parts(new)
    if old_parts is None or new_parts is None:
        return False
    if new_parts == [*old_parts, 1]:
        return True
    depth = len(new_parts)
    return depth <= len(old_parts) and new_parts == [
        *old_parts[: depth - 1],
        old_parts[depth - 1] + 1,
    ]


def starts_clause(lines: list[str], line: str) -> bool:
    """Inside a paragraph (``lines`` so far, not empty), does ``line`` start a new clause?

    Only a line with a clause number does, and only when the previous line ends a
    sentence or its number follows on from the paragraph's (see the module docstring).
    """
    if not (NUMBERED.match(line) or ITEM.match(line)):
        return False
    current = paragraph_block(lines[0], 0, 0).id
    return bool(_ENDS_SENTENCE.search(lines[-1])) or follows(
        current, paragraph_block(line, 0, 0).id
    )


#: A line that is only a page number in paginated text ("- 2 -", "Page 2 of 7", "2 of 7").
PAGE_MARKER = re.compile(
    r"[-\u2013\u2014]\s*\d{1,5}\s*[-\u2013\u2014]|page\s+\d{1,5}(?:\s*(?:of|/)\s*\d{1,5})?"
    r"|\d{1,5}\s+of\s+\d{1,5}",
    re.I,
)
_TRAILING_MARKER = re.compile(
    r"\s{2,}(?:[-\u2013\u2014]\s*\d{1,5}\s*[-\u2013\u2014]|page\s+\d{1,5}(?:\s+of\s+\d{1,5})?)$",
    re.I,
)
#: Lines at the top and at the bottom of a page that may be a running header or footer.
_FURNITURE_LINES = 3
_FURNITURE_MAX_CHARS = 100


def _furniture_key(line: str) -> str:
    """A running header/footer line with digits (dates, page numbers) ignored."""
    return re.sub(r"\d+", "#", " ".join(_TRAILING_MARKER.sub("", line.strip()).lower().split()))


def drop_page_furniture(lines: list[str]) -> list[str]:
    """Blank out page numbers and running headers/footers of paginated text (EDGAR).

    Text is paginated when it has form feeds or lines that are only a page marker
    ("- 2 -", "Page 2 of 7") with blank lines around them. Those markers go; so do
    short lines (at most 100 characters, not starting with a clause number) among the
    first and last three non-blank lines of each page that, with digits and a trailing page marker ignored, recur in
    that place on at least two pages and on at least half of them (a letterhead, a
    date, a document reference). Removed lines become blank, so line numbers stay.
    """
    out = [line.replace("\f", "") for line in lines]
    breaks = {i for i, line in enumerate(lines) if "\f" in line}
    for i, line in enumerate(out):
        alone = (i == 0 or not out[i - 1].strip()) and (i + 1 == len(out) or not out[i + 1].strip())
        if alone and PAGE_MARKER.fullmatch(line.strip()):
            out[i] = ""
            breaks.add(i)
    if not breaks:
        return out
    bounds = [0, *sorted(breaks), len(out)]
    zones: list[tuple[list[int], list[int]]] = []
    for first, last in zip(bounds, bounds[1:], strict=False):
        filled = [i for i in range(first, last) if out[i].strip()]
        zones.append((filled[:_FURNITURE_LINES], filled[-_FURNITURE_LINES:]))
    if len(zones) < 2:
        return out
    needed = max(2, (len(zones) + 1) // 2)
    for side in (0, 1):
        counts: dict[str, int] = {}
        for zone in zones:
            for key in {_furniture_key(out[i]) for i in zone[side]}:
                counts[key] = counts.get(key, 0) + 1
        for zone in zones:
            for i in zone[side]:
                short = len(out[i].strip()) <= _FURNITURE_MAX_CHARS
                numbered = NUMBERED.match(out[i]) or ITEM.match(out[i])
                if short and not numbered and counts[_furniture_key(out[i])] >= needed:
                    out[i] = ""
    return out


def text_blocks(text: str) -> list[Block]:
    """The paragraphs of a .txt/.md file (1-based line and column of each)."""
    blocks: list[Block] = []
    lines: list[str] = []
    start = (0, 0)

    def flush() -> None:
        if lines:
            block = paragraph_block("\n".join(lines), *start)
            blocks.append(block)
            lines.clear()

    for number, line in enumerate(drop_page_furniture(text.split("\n")), start=1):
        stripped = line.strip()
        column = len(line) - len(line.lstrip()) + 1
        heading = _MD_HEADING.match(line)
        if not stripped or _RULE.match(line):
            flush()
        elif heading:
            flush()
            title = line[heading.end() :].strip().rstrip("#").strip()
            blocks.append(heading_block(title, number, column))
        elif lines and starts_clause(lines, line):
            flush()
            start = (number, column)
            lines.append(stripped)
        else:
            if not lines:
                start = (number, column)
            lines.append(stripped)
    flush()
    return blocks


def _decode(data: bytes, display: str) -> str:
    text = decode_text(data, display)  # UTF-8, or UTF-16/32 with a byte-order mark
    if "\x00" in text:
        raise InputError(Location(display), "looks like a binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_clause_file(path: Path, display_name: str | None = None) -> list[Clause]:
    """The clauses of a .txt, .md, .docx or .pdf contract file, in document order,
    within the contract budget (:func:`check_contract_budget`)."""
    clauses = _read_clause_file(path, display_name)
    check_contract_budget(clauses)
    return clauses


def _read_clause_file(path: Path, display_name: str | None = None) -> list[Clause]:
    """The clauses of a .txt, .md, .docx or .pdf contract file, in document order.

    ``display_name`` is the file name put in every ``Location`` (default ``str(path)``).
    Raises ``InputError`` for any file that cannot be read.
    """
    display = display_name if display_name is not None else str(path)
    where = Location(display)
    suffix = path.suffix.lower()
    try:
        status = path.stat()
    except FileNotFoundError:
        raise InputError(where, "file not found") from None
    except OSError as exc:
        raise InputError(where, f"cannot read the file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(status.st_mode):
        raise InputError(where, "is a directory, not a clause file")
    if not stat.S_ISREG(status.st_mode):
        raise InputError(where, "is not a regular file")
    size = status.st_size
    if suffix not in TEXT_SUFFIXES and suffix not in (".docx", ".pdf"):
        hint = "; save it as .docx" if suffix in (".doc", ".rtf", ".odt") else ""
        raise InputError(
            where,
            f"unsupported clause file type '{suffix or path.name}': expected .txt, .md, "
            f".docx or .pdf{hint}",
        )
    if size > MAX_FILE_BYTES:
        raise InputError(where, f"file is {size} bytes; clause files are limited to 10 MiB")
    if suffix == ".docx":
        from dealcheck.clauses.word import docx_clauses

        return docx_clauses(path, display)
    if suffix == ".pdf":
        from dealcheck.clauses.pdffile import pdf_blocks  # imports pypdf: only for a PDF

        return [replace(c, source="pdf") for c in assemble(pdf_blocks(path, display), display)]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(where, f"cannot read the file: {exc.strerror or exc}") from None
    text = _decode(data, display)
    check_text_budget(text, display)
    return assemble(text_blocks(text), display)
