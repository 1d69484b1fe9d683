"""The positioned builder: libyaml's event stream → plain data and a SourceMap per document.

No constructor ever runs. Tags outside the plain YAML types, duplicate keys, merge keys
and unknown aliases are errors; scalars resolve by YAML 1.2's rules (only ``true`` and
``false`` are booleans; numbers are ``int`` or exact ``Decimal`` within the digit and
exponent limits; ``YYYY-MM-DD`` is a ``date``); nesting, alias expansion, documents and
values are bounded (:mod:`dealcheck.yamlio.limits`). The walk is iterative: no recursion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from dealcheck.errors import InputError, Location
from dealcheck.yamlio.limits import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_DOCUMENTS,
    MAX_EXPONENT,
    MAX_NODES,
    MAX_NUMBER_DIGITS,
    LimitError,
    excerpt,
)
from dealcheck.yamlio.source import Document, PathKey, SourceMap

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


class Builder:
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
