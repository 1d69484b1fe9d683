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
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from stat import S_ISREG
from typing import Any

import yaml

from dealcheck.errors import InputError, Location

try:  # libyaml's C parser when PyYAML was built with it
    from yaml import CSafeLoader as _Loader

    _BYTE_OFFSETS = True  # libyaml locates reader errors by UTF-8 byte, PyYAML by character
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _BYTE_OFFSETS = False

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000
MAX_NUMBER_DIGITS = 40
MAX_EXPONENT = 100
#: Documents (``---``) in one file: a deal file holds a few, JSON Lines is for bulk.
MAX_DOCUMENTS = 1_000
#: Values (scalars, lists, mappings, aliases) in one file: every one costs a position.
MAX_NODES = 100_000
#: Characters of an offending value quoted in an error message.
MAX_QUOTED_CHARS = 80

SYMLINK_REFUSED = (
    "is a symlink to a file outside the folder being read and its repository; "
    "not read (pass --follow-symlinks to read it)"
)

PathKey = tuple[str | int, ...]

_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML_TAG}{t}" for t in ("int", "float", "bool", "null")}
_STR_TAG = f"{_YAML_TAG}str"
_COLLECTION_TAGS = {f"{_YAML_TAG}map", f"{_YAML_TAG}seq"}
_TAG_TYPES: dict[str, type | tuple[type, ...]] = {
    f"{_YAML_TAG}int": int,
    f"{_YAML_TAG}float": (int, Decimal),
    f"{_YAML_TAG}bool": bool,
    f"{_YAML_TAG}null": type(None),
}

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_NUMBER = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_OCT = re.compile(r"0o[0-7]+")
_SPECIAL = {
    ".inf": "Infinity",
    ".Inf": "Infinity",
    ".INF": "Infinity",
    "+.inf": "Infinity",
    "-.inf": "-Infinity",
    "-.Inf": "-Infinity",
    "-.INF": "-Infinity",
    ".nan": "NaN",
    ".NaN": "NaN",
    ".NAN": "NaN",
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def excerpt(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """``text`` as quoted in an error message: at most ``limit`` characters, then ``…``."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class SourceMap:
    """Where each value of one document stands in its file.

    Paths are tuples of mapping keys and list indexes from the document root, the
    same shape as pydantic's error ``loc``.
    """

    file: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    # Values that came from another file (quote lines read from a CSV): full locations.
    elsewhere: dict[PathKey, Location] = field(default_factory=dict)

    def locate(self, path: PathKey = ()) -> Location:
        """The position of the value at ``path``, or of its nearest located ancestor."""
        path = tuple(path)
        while True:
            if self.elsewhere:
                other = self.elsewhere.get(path)
                if other is not None:
                    return other
            pos = self.values.get(path)
            if pos is not None:
                return Location(self.file, *pos)
            if not path:
                return Location(self.file, 1, 1)
            path = path[:-1]

    def has(self, path: PathKey) -> bool:
        """Whether ``path`` itself (not just an ancestor) has a known position."""
        return path in self.values or path in self.elsewhere

    def locate_key(self, path: PathKey) -> Location:
        """The position of the key of the mapping entry at ``path`` (falls back to the value)."""
        pos = self.keys.get(tuple(path))
        return Location(self.file, *pos) if pos else self.locate(path)

    def sub(self, prefix: PathKey) -> SourceMap:
        """A view rooted at ``prefix`` (for a deal embedded in a rule test)."""
        n = len(prefix)
        sub = SourceMap(self.file)
        sub.values = {p[n:]: v for p, v in self.values.items() if p[:n] == prefix}
        sub.keys = {p[n:]: v for p, v in self.keys.items() if p[:n] == prefix}
        if () not in sub.values:
            sub.values[()] = self.locate(prefix).line, self.locate(prefix).column
        return sub


@dataclass
class Document:
    """One YAML document of a file: its data and where each value came from."""

    data: Any
    source: SourceMap
    index: int = 0

    @property
    def file(self) -> str:
        return self.source.file

    @property
    def kind(self) -> str | None:
        kind = self.data.get("kind") if isinstance(self.data, dict) else None
        return kind if isinstance(kind, str) else None


def read_text(path: Path, display: str | None = None) -> str:
    """Read a UTF-8 file (BOM allowed) within the size limit, or raise a located error."""
    name = display if display is not None else str(path)
    return decode_utf8(read_bytes(path, name), name)


def read_bytes(path: Path, name: str, expected: str = "a file") -> bytes:
    """The bytes of a regular file within the 10 MiB limit, or a located error: the one
    bounded read behind every file dealcheck opens (YAML, CSV quotes)."""
    from dealcheck.catalog.files import RefusedPath

    if isinstance(path, RefusedPath):
        raise InputError(Location(name), SYMLINK_REFUSED)
    try:
        if path.is_dir():
            raise InputError(Location(name), f"is a directory, expected {expected}")
        status = path.stat()
        if not S_ISREG(status.st_mode):
            # a pipe or a device (a symlink to /dev/stdin or /dev/tty) could block for ever
            raise InputError(Location(name), "is not a regular file (a pipe or a device)")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                Location(name), f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (10 MiB)"
            )
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(Location(name), "no such file") from None
    except OSError as exc:
        raise InputError(Location(name), f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(Location(name), "file is larger than the 10 MiB limit")
    return raw


def decode_utf8(raw: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM); a bad byte is reported at its line and column."""
    # Strip the BOM ourselves: with "utf-8-sig", the error offsets would count from after it.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise InputError(
            Location(name, line, column),
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        ) from None


def load_file(path: Path, display: str | None = None) -> list[Document]:
    """Load every document of a YAML (or JSON) file."""
    name = display if display is not None else str(path)
    return load_string(read_text(path, name), name)


def load_string(text: str, name: str) -> list[Document]:
    """Load every non-empty document of YAML ``text``; ``name`` is used in locations."""
    if len(text) > MAX_FILE_BYTES:
        raise InputError(Location(name), "input is larger than the 10 MiB limit")
    try:
        return _Builder(name).build(yaml.parse(text, Loader=_Loader))
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


class LimitError(InputError):
    """Input refused by one of dealcheck's own bounds (nesting depth, alias expansion)."""


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
        _Builder(name).build(yaml.parse(text[:end], Loader=_Loader))
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


class _Builder:
    """Turns an event stream into :class:`Document` objects (iteratively: no recursion)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.source = SourceMap(name)
        # Every position recorded in the current document, in order: a collection's
        # descendants form one contiguous slice, so an alias copies only its anchor's
        # positions (bounded by the alias budget) instead of rescanning the document.
        self.log: list[tuple[bool, PathKey, tuple[int, int]]] = []

    def loc(self, mark: Any) -> Location:
        return Location(self.name, *self.pos(mark))

    @staticmethod
    def pos(mark: Any) -> tuple[int, int]:
        return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)

    def build(self, events: Iterator[yaml.Event]) -> list[Document]:
        docs: list[Document] = []
        # Each frame: [container, path, pending_key, key_mark, seen_keys, node_count, anchor,
        #              log_start]
        stack: list[list[Any]] = []
        source = self.source = SourceMap(self.name)
        anchors: dict[str, tuple[Any, PathKey, int, int, int]] = {}
        expanded = 0
        root: Any = None
        index = 0
        nodes = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                if index >= MAX_DOCUMENTS:
                    raise LimitError(
                        self.loc(event.start_mark),
                        f"more than {MAX_DOCUMENTS:,} documents in one file "
                        "(use JSON Lines for many deals)",
                    )
                source = self.source = SourceMap(self.name)
                anchors, expanded, root = {}, 0, None
                self.log = []
                continue
            if isinstance(event, yaml.DocumentEndEvent):
                if root is not None:
                    docs.append(Document(root, source, index))
                index += 1
                continue
            if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent):
                continue

            if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = stack.pop()
                value, path, size, anchor = frame[0], frame[1], frame[5], frame[6]
                if anchor:
                    anchors[anchor] = (value, path, size, frame[7], len(self.log))
                if stack:
                    stack[-1][5] += size
                    self._attach(stack, value, event)
                else:
                    root = value
                continue

            # A mapping key?
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                self._take_key(stack[-1], event)
                continue

            nodes += 1
            if nodes > MAX_NODES:
                raise LimitError(
                    self.loc(event.start_mark),
                    f"more than {MAX_NODES:,} values in one file; refusing to read further",
                )
            path = self._child_path(stack)
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise InputError(
                        self.loc(event.start_mark), f"unknown alias *{excerpt(event.anchor or '')}"
                    )
                value, anchored_path, size, start, end = anchors[event.anchor]
                expanded += size
                if expanded > MAX_ALIAS_NODES:
                    raise LimitError(
                        self.loc(event.start_mark),
                        f"alias expansion exceeds {MAX_ALIAS_NODES:,} nodes (refusing a 'billion laughs')",
                    )
                self._copy_positions(anchored_path, path, start, end)
                self._record(path, self.pos(event.start_mark))
                if stack:
                    stack[-1][5] += size
                    self._attach(stack, value, event)
                else:
                    root = value
                continue

            self._record(path, self.pos(event.start_mark))
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self._check_tag(event, _COLLECTION_TAGS)
                if len(stack) >= MAX_DEPTH:
                    raise LimitError(
                        self.loc(event.start_mark), f"nesting deeper than {MAX_DEPTH} levels"
                    )
                container: dict[str, Any] | list[Any] = (
                    {} if isinstance(event, yaml.MappingStartEvent) else []
                )
                stack.append([container, path, None, None, {}, 1, event.anchor, len(self.log)])
                continue

            assert isinstance(event, yaml.ScalarEvent)
            value = self._scalar(event)
            if event.anchor:
                anchors[event.anchor] = (value, path, 1, 0, 0)
            if stack:
                stack[-1][5] += 1
                self._attach(stack, value, event)
            else:
                root = value
        return docs

    def _child_path(self, stack: list[list[Any]]) -> PathKey:
        if not stack:
            return ()
        top = stack[-1]
        parent: PathKey = top[1]
        if isinstance(top[0], dict):
            return (*parent, top[2])
        return (*parent, len(top[0]))

    def _take_key(self, frame: list[Any], event: yaml.Event) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise InputError(
                self.loc(event.start_mark), "mapping keys must be plain text, not a list or mapping"
            )
        key = event.value
        if key == "<<" and not event.style:
            raise InputError(
                self.loc(event.start_mark), "merge keys (<<) are not supported; write the keys out"
            )
        seen: dict[str, Any] = frame[4]
        if key in seen:
            first = seen[key]
            raise InputError(
                self.loc(event.start_mark),
                f"duplicate key '{excerpt(key)}' (first defined at line {first.line + 1}, "
                f"column {first.column + 1}); a key may appear once",
            )
        seen[key] = event.start_mark
        frame[2] = key
        frame[3] = event.start_mark

    def _attach(self, stack: list[list[Any]], value: Any, event: yaml.Event) -> None:
        top = stack[-1]
        if isinstance(top[0], dict):
            key = top[2]
            key_mark = top[3]
            top[0][key] = value
            # keys map: remember where the key itself is written
            self._record((*top[1], key), (key_mark.line + 1, key_mark.column + 1), is_key=True)
            top[2] = None
        else:
            top[0].append(value)

    def _record(self, path: PathKey, pos: tuple[int, int], is_key: bool = False) -> None:
        (self.source.keys if is_key else self.source.values)[path] = pos
        self.log.append((is_key, path, pos))

    def _copy_positions(self, origin: PathKey, target: PathKey, start: int, end: int) -> None:
        """Give an alias's copy the positions of its anchor's descendants (``log[start:end]``)."""
        n = len(origin)
        for is_key, p, pos in self.log[start:end]:
            if p[:n] == origin and len(p) > n:
                self._record(target + p[n:], pos, is_key)

    def _check_tag(self, event: Any, allowed: set[str]) -> None:
        tag = event.tag
        if tag is None or tag == "!" or tag in allowed:
            return
        shown = tag.replace(_YAML_TAG, "!!")
        raise InputError(
            self.loc(event.start_mark),
            f"tag {shown} is not allowed: dealcheck reads plain YAML data only",
        )

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag == _STR_TAG or tag == "!":  # "!" is YAML's non-specific tag: text
            return event.value
        self._check_tag(event, _SCALAR_TAGS)
        if event.style and tag is None:  # plain style is None (Python parser) or "" (libyaml)
            return event.value  # quoted or block scalar: always text
        value = self._resolve_plain(event.value, event)
        if tag is not None and not isinstance(value, _TAG_TYPES[tag]):
            shown = tag.replace(_YAML_TAG, "!!")
            raise InputError(
                self.loc(event.start_mark), f"'{excerpt(event.value)}' is not a valid {shown} value"
            )
        return value

    def _resolve_plain(self, text: str, event: yaml.ScalarEvent) -> Any:
        if text in _NULLS:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        first = text[0]
        if first.isdigit() or first in "+-.":
            if _NUMBER.fullmatch(text):
                return self._number(text, event)
            if _ISO_DATE.fullmatch(text):
                try:
                    return date.fromisoformat(text)
                except ValueError:
                    raise InputError(
                        self.loc(event.start_mark), f"'{text}' is not a valid date (YYYY-MM-DD)"
                    ) from None
            if _HEX.fullmatch(text) or _OCT.fullmatch(text):
                return self._based(text, event)
            if text in _SPECIAL:
                return Decimal(_SPECIAL[text])
        return text

    def _based(self, text: str, event: yaml.ScalarEvent) -> int:
        """``0x…`` or ``0o…``: the same digit limit as any number, whatever its base."""
        if len(text) - 2 > MAX_NUMBER_DIGITS:
            raise InputError(
                self.loc(event.start_mark),
                f"number '{excerpt(text, 40)}' has too many digits (the limit is "
                f"{MAX_NUMBER_DIGITS}, in any base)",
            )
        value = int(text[2:], 16 if text[1] == "x" else 8)
        if value >= 10**MAX_NUMBER_DIGITS:
            raise InputError(
                self.loc(event.start_mark), f"number '{excerpt(text, 40)}' is out of range"
            )
        return value

    def _number(self, text: str, event: yaml.ScalarEvent) -> int | Decimal:
        digits = text.replace("_", "")
        mantissa, _, exponent = digits.lower().partition("e")
        if sum(c.isdigit() for c in mantissa) > MAX_NUMBER_DIGITS:
            raise InputError(
                self.loc(event.start_mark),
                f"number '{excerpt(text, 40)}' has too many digits (the limit is "
                f"{MAX_NUMBER_DIGITS})",
            )
        if len(exponent.lstrip("+-").lstrip("0")) > 4:
            raise InputError(
                self.loc(event.start_mark), f"number '{excerpt(text, 40)}' is out of range"
            )
        try:
            number = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
            return text  # type: ignore[return-value]
        if abs(number.adjusted()) > MAX_EXPONENT and number != 0:
            raise InputError(
                self.loc(event.start_mark), f"number '{excerpt(text, 40)}' is out of range"
            )
        if "." not in digits and "e" not in digits.lower():
            return int(digits)
        if "e" in digits.lower():
            # 1e3 is written as 1000: the same number must fingerprint the same way
            number = Decimal(format(number, "f"))
        return number


def load_jsonl_line(line: str, name: str, lineno: int) -> Document:
    """Parse one line of a JSON Lines file into a :class:`Document` (positions: the line)."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            _check_json_text(key, name, lineno)
            if key in out:
                raise InputError(Location(name, lineno, 1), f"duplicate key '{excerpt(key)}'")
            out[key] = value
        return out

    def constant(token: str) -> Any:
        raise InputError(Location(name, lineno, 1), f"'{token}' is not a number")

    def number(token: str) -> int | Decimal:
        # the YAML limit; an int of more than 4,300 digits would also make int() raise
        mantissa, _, exponent = token.lower().partition("e")
        if sum(c.isdigit() for c in mantissa) > MAX_NUMBER_DIGITS:
            raise InputError(
                Location(name, lineno, 1), f"number '{excerpt(token, 40)}' has too many digits"
            )
        if len(exponent.lstrip("+-").lstrip("0")) > 4:
            raise InputError(
                Location(name, lineno, 1), f"number '{excerpt(token, 40)}' is out of range"
            )
        return Decimal(token) if any(c in token for c in ".eE") else int(token)

    try:
        data = json.loads(
            line,
            object_pairs_hook=pairs,
            parse_float=number,
            parse_int=number,
            parse_constant=constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(Location(name, lineno, exc.colno), f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(Location(name, lineno, 1), "JSON nested too deeply") from None
    source = SourceMap(name)
    source.values[()] = (lineno, 1)
    return Document(_fix_json_numbers(data, name, lineno), source, lineno - 1)


def _fix_json_numbers(value: Any, name: str, lineno: int, depth: int = 0) -> Any:
    """Apply the YAML limits to JSON data too (depth, exponent range, text that is text)."""
    if depth > MAX_DEPTH:
        raise InputError(Location(name, lineno, 1), f"nesting deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        _check_json_text(value, name, lineno)
    elif isinstance(value, dict):
        for v in value.values():
            _fix_json_numbers(v, name, lineno, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _fix_json_numbers(v, name, lineno, depth + 1)
    elif isinstance(value, Decimal) and value != 0 and abs(value.adjusted()) > MAX_EXPONENT:
        raise InputError(Location(name, lineno, 1), f"number {value} is out of range")
    return value


def _check_json_text(text: str, name: str, lineno: int) -> None:
    """JSON's ``\\ud800`` escapes can spell a lone surrogate, which no output can encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            Location(name, lineno, 1),
            f"invalid JSON: \\u{ord(text[exc.start]):04x} is half of a surrogate pair, not a character",
        ) from None
