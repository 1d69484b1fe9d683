"""Strict, safe YAML: text → plain Python data with the source position of every node.

One loader serves every file dealcheck reads (catalog, deals, rule tests). It walks
libyaml's *event* stream itself instead of using PyYAML's constructors, which is what
makes these guarantees cheap and total (SPEC §1.1):

* no constructor ever runs, so no tag can build an object; a tag outside the plain
  YAML types is an error;
* duplicate mapping keys are an error naming both places;
* YAML 1.2 scalars: only ``true``/``false`` are booleans (``NO`` is Norway), numbers are
  ``int`` or exact ``Decimal`` (never ``float``), ``YYYY-MM-DD`` is a ``date``;
* bounded work: 10 MiB per file, 1,000 documents and 100,000 values per file, 64
  levels of nesting, 10,000 nodes of alias expansion per document, numbers of at most
  40 digits (in any base) within a sane exponent range — dealcheck's own limits,
  reported the same way whatever limits the parser has of its own;
* every error is an :class:`~dealcheck.errors.InputError` naming ``file:line:column``.

The package: :mod:`~dealcheck.yamlio.limits` (the bounds), :mod:`~dealcheck.yamlio.files`
(the bounded read of a file's bytes and text), :mod:`~dealcheck.yamlio.source`
(:class:`SourceMap`, :class:`Document`), :mod:`~dealcheck.yamlio.builder` (events →
data with positions; the scalar and number rules) and :mod:`~dealcheck.yamlio.jsonl`
(the JSON Lines loader). This module picks the parser, runs it and turns its errors into
located ones.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from dealcheck.errors import InputError, Location
from dealcheck.yamlio.builder import Builder
from dealcheck.yamlio.files import (
    SYMLINK_REFUSED,
    decode_text,
    decode_utf8,
    read_bytes,
    read_text,
)
from dealcheck.yamlio.jsonl import load_jsonl_line
from dealcheck.yamlio.limits import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_DOCUMENTS,
    MAX_EXPONENT,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_NUMBER_DIGITS,
    MAX_QUOTE_LINES,
    MAX_QUOTED_CHARS,
    LimitError,
    excerpt,
)
from dealcheck.yamlio.source import Document, PathKey, SourceMap

try:  # libyaml's C parser when PyYAML was built with it
    from yaml import CSafeLoader as _Loader

    _BYTE_OFFSETS = True  # libyaml locates reader errors by UTF-8 byte, PyYAML by character
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _BYTE_OFFSETS = False

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_DOCUMENTS",
    "MAX_EXPONENT",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MAX_NUMBER_DIGITS",
    "MAX_QUOTE_LINES",
    "MAX_QUOTED_CHARS",
    "SYMLINK_REFUSED",
    "Document",
    "LimitError",
    "PathKey",
    "SourceMap",
    "decode_text",
    "decode_utf8",
    "excerpt",
    "load_file",
    "load_jsonl_line",
    "load_string",
    "read_bytes",
    "read_text",
]


def load_file(path: Path, display: str | None = None) -> list[Document]:
    """Load every document of a YAML (or JSON) file."""
    name = display if display is not None else str(path)
    return load_string(read_text(path, name), name)


def load_string(text: str, name: str) -> list[Document]:
    """Load every non-empty document of YAML ``text``; ``name`` is used in locations."""
    if len(text) > MAX_FILE_BYTES:
        raise InputError(Location(name), "input is larger than the 10 MiB limit")
    try:
        return Builder(name).build(yaml.parse(text, Loader=_Loader))
    except InputError:
        raise
    except yaml.MarkedYAMLError as exc:
        own = _own_limit_before(text, name, exc.problem_mark)
        if own is not None:
            raise own from None
        mark = exc.problem_mark or exc.context_mark
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(where, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:  # e.g. ReaderError for control characters
        line, column = _reader_position(exc, text)
        raise InputError(
            Location(name, line, column), f"invalid YAML: {_reader_reason(exc)}"
        ) from None
    except (RecursionError, MemoryError):
        raise InputError(Location(name), "input is too deeply nested or too large") from None
    except UnicodeEncodeError as exc:  # a lone surrogate: text no file can hold
        line = text.count("\n", 0, exc.start) + 1
        column = exc.start - text.rfind("\n", 0, exc.start)
        raise InputError(
            Location(name, line, column),
            f"not valid text: U+{ord(text[exc.start]):04X} is half of a surrogate pair",
        ) from None


# YAML's line breaks, as both PyYAML and libyaml count lines (YAML 1.1 adds NEL, LS and PS).
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _own_limit_before(text: str, name: str, mark: Any) -> LimitError | None:
    """dealcheck's own limit error located before a parser error at ``mark``, if any.

    A parser may have limits of its own (libyaml 0.2.6, in the newest PyYAML wheels, stops
    at 1,000 levels of nesting), and its scanner reads ahead: on ``[[[[…`` it scans every
    bracket before producing the first event, so its limit fires before the builder sees
    the 65th level. Everything before the parser's error is still YAML the builder can
    judge, so the text up to that point is read again on its own; if one of dealcheck's
    limits trips there, that is the error to report, worded and located the same whatever
    the parser does. Otherwise the parser's own error stands.
    """
    if mark is None:
        return None
    end = _offset(text, mark.line, mark.column)
    if end <= 0:
        return None
    try:
        Builder(name).build(yaml.parse(text[:end], Loader=_Loader))
    except LimitError as err:
        return err
    except (InputError, yaml.YAMLError, RecursionError, MemoryError, UnicodeError):
        return None  # the shortened text fails otherwise (often an unclosed bracket): no limit
    return None


def _offset(text: str, line: int, column: int) -> int:
    """The index in ``text`` of a parser mark's 0-based ``line`` and ``column``.

    Only needs to be exact enough to cut ``text`` at or just before the mark: a cut a
    character early loses nothing that matters for a limit of 64 levels.
    """
    start = 0
    if line > 0:
        for count, match in enumerate(_LINE_BREAK.finditer(text), start=1):
            if count == line:
                start = match.end()
                break
        else:
            return len(text)
    return min(start + column, len(text))


def _reader_position(exc: yaml.YAMLError, text: str) -> tuple[int, int]:
    position = getattr(exc, "position", None)
    if not isinstance(position, int):
        return 1, 1
    if _BYTE_OFFSETS:
        before = text.encode("utf-8")[:position].decode("utf-8", "replace")
    else:
        before = text[:position]
    before = before.removeprefix("\ufeff")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _reader_reason(exc: yaml.YAMLError) -> str:
    character = getattr(exc, "character", None)
    if isinstance(character, str | int) and character != "":
        code = ord(character) if isinstance(character, str) else character
        return f"character U+{code:04X} is not allowed in YAML"
    return str(exc).splitlines()[0] if str(exc) else "unreadable input"
