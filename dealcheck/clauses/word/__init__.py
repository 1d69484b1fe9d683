"""Read the clauses of a Word (.docx) contract as Word shows them.

``docx_clauses(path, display)`` is the entry point (``dealcheck.clauses.reader`` calls it
for a .docx file). The modules, in the order a document flows through them:

* ``package``: the archive, read with bounds, and its XML parsed safely;
* ``styles``: paragraph styles, their ``w:basedOn`` chains and inherited numbering;
* ``numbering``: Word's automatic numbering, counted as Word displays it;
* ``revisions``: a paragraph's text with every tracked change accepted, and the changes;
* ``tables``: table rows as "Label: value" text;
* ``document``: the body in document order: paragraphs and rows, the TOC left out;
* ``clauses``: paragraphs and rows grouped into clauses with their displayed ids.

This package imports lxml; it is itself imported only when a .docx is read.
"""

from __future__ import annotations

from pathlib import Path

from dealcheck.clauses.model import Clause
from dealcheck.clauses.word.clauses import word_clauses
from dealcheck.clauses.word.document import MAX_PARAGRAPHS, BodyReader, TooManyParagraphs
from dealcheck.clauses.word.package import MAX_UNPACKED_BYTES, read_package
from dealcheck.clauses.word.revisions import MAX_RUN_NESTING, RunNestingError
from dealcheck.clauses.word.tables import MAX_TABLE_NESTING, TableNestingError
from dealcheck.errors import InputError, Location

__all__ = ["MAX_PARAGRAPHS", "MAX_UNPACKED_BYTES", "docx_clauses"]


def docx_clauses(path: Path, display: str) -> list[Clause]:
    """The clauses of a .docx file, in document order; any unreadable file raises ``InputError``."""
    where = Location(display)
    package = read_package(path, where)
    reader = BodyReader(package)
    try:
        items = reader.items()
    except TooManyParagraphs:
        raise InputError(
            where, f"the document has more than {MAX_PARAGRAPHS:,} paragraphs; refusing to read it"
        ) from None
    except TableNestingError:
        raise InputError(
            Location(display, reader.line),
            f"tables nested more than {MAX_TABLE_NESTING} deep; refusing to read the document",
        ) from None
    except RunNestingError:
        raise InputError(
            Location(display, reader.line),
            f"text nested more than {MAX_RUN_NESTING} levels deep (insertions, links, content "
            "controls); refusing to read the document",
        ) from None
    except RecursionError:
        raise InputError(where, "the document is nested too deeply to read") from None
    return word_clauses(items, display)
