"""Paragraphs of a Word .docx contract, as blocks for ``reader.assemble``.

* A paragraph in a Heading style (or Title) is a heading: it starts a section
  whose id is the heading's leading number ("7.2 Delivery") or, without one,
  a positional id; its title and the body paragraphs under it are the text.
* A paragraph whose text starts with a clause number ("7.2 Provider shall ...",
  "(a) ...") is numbered as in a text file.
* A paragraph numbered by Word's list numbering (the number is not in the
  text) is a numbered clause with a positional id ``p<N>``; at list level 2 and
  deeper it is a list item, kept with a lead-in that ends with ":".
* ``Location.line`` is the paragraph's 1-based index among the document body's
  paragraphs (empty ones included); tables, headers, footers, footnotes and
  comments are not read.

python-docx is imported here, lazily, so that commands that never read a .docx
do not pay for importing it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from dealcheck.clauses.reader import Block, heading_block, paragraph_block
from dealcheck.errors import InputError, Location

#: Refuse archives that would inflate beyond this (a "zip bomb" is a tiny file).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def _check_archive(path: Path, where: Location) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError(
            where, "not a valid .docx file (it is not a Word document archive)"
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(where, "the .docx file unpacks to more than 200 MiB; refusing to read it")
    if "word/document.xml" not in names:
        raise InputError(where, "not a valid .docx file (no word/document.xml inside)")


def _list_level(paragraph: Any) -> int | None:
    """The Word list level (0 = top) of a list-numbered paragraph, else None."""
    properties = paragraph._p.pPr
    numbering = properties.numPr if properties is not None else None
    if numbering is None and paragraph.style is not None:
        style_properties = paragraph.style.element.pPr
        numbering = style_properties.numPr if style_properties is not None else None
    if numbering is None or numbering.numId is None or numbering.numId.val == 0:
        return None
    return int(numbering.ilvl.val) if numbering.ilvl is not None else 0


def _blocks(document: Any) -> list[Block]:
    blocks: list[Block] = []
    for index, paragraph in enumerate(document.paragraphs, start=1):
        text = paragraph.text.strip()
        if not text:
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        if style.startswith("Heading") or style == "Title":
            blocks.append(heading_block(text, index, 1))
            continue
        block = paragraph_block(text, index, 1)
        level = _list_level(paragraph)
        if block.kind == "plain" and level is not None:
            block = Block("numbered" if level == 0 else "item", None, text, text, index, 1)
        blocks.append(block)
    return blocks


def docx_blocks(path: Path, display: str) -> list[Block]:
    """The paragraphs of a .docx file; any unreadable file raises ``InputError``."""
    where = Location(display)
    _check_archive(path, where)
    import docx  # lazily: python-docx and lxml take a noticeable time to import

    try:
        document = docx.Document(str(path))
        return _blocks(document)
    except InputError:
        raise
    except Exception as exc:  # python-docx raises many types on malformed parts
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise InputError(where, f"not a valid .docx file ({reason})") from None
