"""Clauses of a text PDF contract, read with pypdf.

pypdf (pure Python, imported here lazily so that commands that never read a PDF
do not pay for it) reports each piece of text a page draws, with its position
(``visitor_text``); ``dealcheck.clauses.pdflayout`` turns those into paragraphs in
reading order (running headers, footers and page numbers removed, two-column pages
read left column first, hard-wrapped lines and end-of-line hyphenation rejoined).
The text rules of ``reader`` then make clauses of them, as for a .txt file.

* Every clause has ``source="pdf"``. Its ``Location`` is the PDF file with
  ``line`` = the 1-based **page number** where the clause starts and ``column`` 0
  (``order-form.pdf:2``): the page and the clause id are what a reader of the PDF
  can find; a line count would depend on how a viewer wraps and on what was removed.
* A PDF without a text layer (a scan) is refused, never read as "no clauses": every
  page, or more than half of them, without text is an ``InputError`` asking for OCR.
* An encrypted PDF is opened with the empty password when it has one (permissions
  only); one that needs a password is refused.
* Bounds: the file size of the other readers (10 MiB), at most ``MAX_PAGES`` pages
  and ``MAX_CHARS`` characters of text, pypdf's decompression limits lowered to
  ``MAX_STREAM_BYTES`` per stream. Any malformed file is an ``InputError`` naming
  it, never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dealcheck.clauses.pdflayout import Fragment, Page, layout_blocks
from dealcheck.clauses.reader import Block
from dealcheck.errors import InputError, Location

MAX_PAGES = 2_000
MAX_CHARS = 2_000_000  # twice the contract budget: page furniture goes later
#: Largest stream pypdf may declare or inflate to (its defaults are 75 MB).
MAX_STREAM_BYTES = 30_000_000

_BOLD_WORDS = ("bold", "black", "heavy", "semibold", "demi")


class _TooMuchText(Exception):
    pass


def _limits() -> contextlib.AbstractContextManager[Any]:
    """pypdf's resource limits, lowered where a contract never needs more."""
    try:
        from pypdf import apply_configuration
    except ImportError:  # an older pypdf: only its own fixed limits
        return contextlib.nullcontext()
    return apply_configuration(
        maximum_declared_stream_length=MAX_STREAM_BYTES,
        array_based_stream_maximum_output_length=MAX_STREAM_BYTES,
        jbig2_maximum_output_length=MAX_STREAM_BYTES,
        lzw_maximum_output_length=MAX_STREAM_BYTES,
        run_length_maximum_output_length=MAX_STREAM_BYTES,
        zlib_maximum_output_length=MAX_STREAM_BYTES,
        brotli_maximum_output_length=MAX_STREAM_BYTES,
        image_maximum_buffer_size=MAX_STREAM_BYTES,
        page_tree_maximum_entries=10 * MAX_PAGES,
        jbig2dec_binary=None,  # never run an external program on an untrusted file
    )


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pypdf reports what it repairs as log records and warnings: not for the user."""
    logger = logging.getLogger("pypdf")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def _is_bold(font: Any) -> bool:
    try:
        name = str(font.get("/BaseFont", "")) if font is not None else ""
    except Exception:  # a font dictionary that is not one
        return False
    name = name.split("+", 1)[-1].lower()  # "ABCDEF+Helvetica-Bold": a subset prefix
    return any(word in name for word in _BOLD_WORDS)


class _Collector:
    """Collects the text fragments of one page from pypdf's ``visitor_text`` calls."""

    def __init__(self, budget: int) -> None:
        self.fragments: list[Fragment] = []
        self.budget = budget
        self.chars = 0

    def __call__(self, text: Any, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not isinstance(text, str) or not text.strip():
            return
        self.chars += len(text)
        if self.chars > self.budget:
            return  # counted, not kept; the caller reports it after the page
        try:
            a, b, c, d, e, f = (float(v) for v in cm)
            ta, tb, tc, td, te, tf = (float(v) for v in tm)
            x = te * a + tf * c + e
            y = te * b + tf * d + f
            scale = math.hypot(tc * a + td * c, tc * b + td * d)
            height = abs(float(size)) * (scale or 1.0)
        except (TypeError, ValueError):
            return
        if not all(math.isfinite(v) for v in (x, y, height)):
            return
        height = min(max(height, 1.0), 500.0)
        bold = _is_bold(font)
        for index, part in enumerate(text.split("\n")):
            if part.strip():
                self.fragments.append(Fragment(x, y - index * 1.2 * height, height, bold, part))


def _open(data: bytes, where: Location) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as exc:
            raise InputError(
                where,
                f"is encrypted in a way dealcheck cannot open ({exc}); save an unencrypted copy",
            ) from None
        if not opened:
            raise InputError(
                where,
                "is encrypted with a password; save a copy without the password and check that",
            )
    try:
        count = len(reader.pages)
    except FileNotDecryptedError:
        raise InputError(where, "is encrypted; save an unencrypted copy") from None
    if count > MAX_PAGES:
        raise InputError(where, f"has {count} pages; PDF clause files are limited to {MAX_PAGES}")
    if count == 0:
        raise InputError(where, "has no pages")
    return reader


def _pages(reader: Any, where: Location) -> list[Page]:
    pages: list[Page] = []
    used = 0
    for number, page in enumerate(reader.pages, start=1):
        collector = _Collector(MAX_CHARS - used)
        page.extract_text(visitor_text=collector)
        used += collector.chars
        if used > MAX_CHARS:
            raise _TooMuchText
        box = page.mediabox
        left, width = float(box.left), float(box.width)
        if not (math.isfinite(left) and math.isfinite(width) and width > 0):
            left, width = 0.0, 612.0
        pages.append(Page(number, left, width, tuple(collector.fragments)))
    return pages


def _check_text_layer(pages: list[Page], where: Location) -> None:
    empty = [page.number for page in pages if not page.fragments]
    if len(empty) == len(pages):
        raise InputError(where, "no text layer (a scanned PDF?): run OCR on it first")
    if 2 * len(empty) > len(pages):
        shown = ", ".join(str(n) for n in empty[:10]) + (", ..." if len(empty) > 10 else "")
        raise InputError(
            where,
            f"{len(empty)} of {len(pages)} pages have no text layer (pages {shown}; "
            "a scanned PDF?): run OCR on it first",
        )


def pdf_blocks(path: Path, display: str) -> list[Block]:
    """The paragraphs of a text PDF; any unreadable, scanned or oversized file raises
    ``InputError``."""
    where = Location(display)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(where, f"cannot read the file: {exc.strerror or exc}") from None
    if b"%PDF-" not in data[:1024]:
        raise InputError(where, "not a PDF file (no %PDF- header)")
    try:
        with _quiet(), _limits():
            pages = _pages(_open(data, where), where)
    except InputError:
        raise
    except _TooMuchText:
        raise InputError(
            where, f"has more than {MAX_CHARS:,} characters of text; refusing to read it"
        ) from None
    except Exception as exc:  # pypdf raises many types on malformed files; RecursionError too
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise InputError(where, f"not a valid PDF file ({reason})") from None
    _check_text_layer(pages, where)
    blocks = layout_blocks(pages)
    if not blocks:
        raise InputError(where, "has no clause text (only page headers, footers or numbers)")
    return blocks
