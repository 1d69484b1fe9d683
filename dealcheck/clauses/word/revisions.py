"""A paragraph's text as it reads once every tracked change is accepted, and the changes in it.

* ``w:ins`` and ``w:moveTo`` content is in, ``w:del`` (``w:delText``) and ``w:moveFrom``
  content is out; ``w:rPrChange``/``w:pPrChange`` (formatting changes) change no word
  and are ignored.
* Each insertion and deletion becomes a ``Revision`` with ``w:author`` and ``w:date``:
  an insertion spans its words in the accepted text; a deletion has the deleted words as
  ``text`` and an empty span where they stood. Adjacent pieces of one change (Word
  splits a change at every formatting boundary) are one revision.
* A move is recorded as no revision: it changes where words stand, not what they say,
  and a moved promise is not a new one (``Revision`` has no "moved" kind).
* Hidden text (``w:vanish``), field instructions, footnote and comment references and
  drawings are not text; a field's result (what Word shows) is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from dealcheck.clauses.model import Revision
from dealcheck.clauses.word.package import Element, W

#: Deepest nesting of Word fields whose instructions are kept (to spot a TOC field).
MAX_FIELD_NESTING = 16
#: Deepest nesting of run containers (insertions, hyperlinks, content controls ...) read.
MAX_RUN_NESTING = 32

_CONTAINERS = frozenset(
    f"{W}{name}"
    for name in ("hyperlink", "smartTag", "customXml", "fldSimple", "bdo", "dir", "sdtContent")
)
_MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_TEXT = frozenset({f"{W}t", f"{W}delText", f"{_MATH}t"})

Kind = Literal["inserted", "deleted"]


class Text:
    """Text with the revisions in it (spans index ``value``), built by appending pieces."""

    def __init__(self, value: str = "", revisions: list[Revision] | None = None) -> None:
        self._pieces = [value] if value else []
        self._length = len(value)
        self._joined: str | None = value
        self.revisions: list[Revision] = list(revisions or [])

    @property
    def value(self) -> str:
        if self._joined is None:  # joined once, not on every append: linear in the text
            self._joined = "".join(self._pieces)
            self._pieces = [self._joined] if self._joined else []
        return self._joined

    def __len__(self) -> int:
        return self._length

    def _extend(self, value: str) -> None:
        if value:
            self._pieces.append(value)
            self._length += len(value)
            self._joined = None

    def append(self, other: Text | str) -> None:
        if isinstance(other, str):
            self._extend(other)
            return
        offset = self._length
        self._extend(other.value)
        for revision in other.revisions:
            span = (revision.span[0] + offset, revision.span[1] + offset)
            self._add(Revision(revision.kind, revision.author, revision.date, revision.text, span))

    def _add(self, revision: Revision) -> None:
        last = self.revisions[-1] if self.revisions else None
        if (
            last is not None
            and (last.kind, last.author, last.date)
            == (revision.kind, revision.author, revision.date)
            and last.span[1] == revision.span[0]
        ):
            self.revisions[-1] = Revision(
                last.kind,
                last.author,
                last.date,
                last.text + revision.text,
                (last.span[0], revision.span[1]),
            )
        else:
            self.revisions.append(revision)

    def insert_change(self, kind: Kind, author: str | None, date: str | None, text: str) -> None:
        """Add ``text`` that a tracked change inserted, or record ``text`` it deleted."""
        start = self._length
        if kind == "inserted":
            if not text:
                return
            self._extend(text)
            self._add(Revision("inserted", author, date, text, (start, self._length)))
        elif text:
            self._add(Revision("deleted", author, date, text, (start, start)))

    def slice(self, start: int, end: int | None = None) -> Text:
        """The part ``value[start:end]``, revisions clipped to it (deletions at its edges kept)."""
        end = self._length if end is None else end
        part = Text(self.value[start:end])
        for revision in self.revisions:
            low, high = max(revision.span[0], start), min(revision.span[1], end)
            if revision.kind == "inserted" and low >= high:
                continue
            if revision.kind == "deleted" and not start <= revision.span[0] <= end:
                continue
            text = self.value[low:high] if revision.kind == "inserted" else revision.text
            part.revisions.append(
                Revision(
                    revision.kind, revision.author, revision.date, text, (low - start, high - start)
                )
            )
        return part

    def strip(self) -> Text:
        """Without leading and trailing whitespace."""
        start = len(self.value) - len(self.value.lstrip())
        end = len(self.value.rstrip())
        return self.slice(start, max(start, end))

    def suffix(self, rest: str) -> Text:
        """The part that is ``rest``, a suffix of the value (a clause number taken off its start)."""
        return self.slice(self._length - len(rest))


@dataclass
class Fields:
    """Open Word fields (``w:fldChar`` begin/separate/end may span paragraphs)."""

    stack: list[list[str]] = field(default_factory=list)  # [instruction]
    overflow: int = 0  # fields nested deeper than MAX_FIELD_NESTING: counted, not kept

    def begin(self) -> None:
        if len(self.stack) < MAX_FIELD_NESTING:
            self.stack.append([""])
        else:
            self.overflow += 1

    def end(self) -> None:
        if self.overflow:
            self.overflow -= 1
        elif self.stack:
            self.stack.pop()

    def in_toc(self) -> bool:
        return any(item[0].lstrip()[:3].upper() == "TOC" for item in self.stack)


@dataclass
class _Change:
    kind: Literal["inserted", "deleted", "moved-in", "moved-out"]
    author: str | None
    date: str | None


class RunNestingError(Exception):
    """Run containers nested deeper than ``MAX_RUN_NESTING``."""


@dataclass
class ParagraphRuns:
    """What a paragraph says: accepted text with revisions, and whether it is a TOC entry."""

    text: Text
    toc: bool


def read_runs(paragraph: Element, fields: Fields) -> ParagraphRuns:
    """The accepted text of ``paragraph`` (a ``w:p``) with its tracked changes."""
    text = Text()
    state = {"toc": fields.in_toc()}
    _walk(paragraph, None, text, fields, state, 0)
    return ParagraphRuns(text, state["toc"] or fields.in_toc())


def _change(
    element: Element, kind: Literal["inserted", "deleted", "moved-in", "moved-out"]
) -> _Change:
    author = element.get(f"{W}author")
    date = element.get(f"{W}date")
    return _Change(
        kind, author if isinstance(author, str) else None, date if isinstance(date, str) else None
    )


def _walk(
    element: Element,
    change: _Change | None,
    text: Text,
    fields: Fields,
    state: dict[str, bool],
    depth: int,
) -> None:
    if depth > MAX_RUN_NESTING:
        raise RunNestingError
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # an unresolved entity reference: no text
        if tag == f"{W}r":
            _run(child, change, text, fields, state)
        elif tag == f"{W}ins":
            inner = change if change is not None and change.kind == "deleted" else None
            _walk(child, inner or _change(child, "inserted"), text, fields, state, depth + 1)
        elif tag == f"{W}del":
            _walk(child, _change(child, "deleted"), text, fields, state, depth + 1)
        elif tag == f"{W}moveTo":
            inner = change if change is not None and change.kind == "deleted" else None
            _walk(child, inner or _change(child, "moved-in"), text, fields, state, depth + 1)
        elif tag == f"{W}moveFrom":
            _walk(child, _change(child, "moved-out"), text, fields, state, depth + 1)
        elif tag == f"{W}fldSimple":
            if str(child.get(f"{W}instr", "")).strip().upper().startswith("TOC"):
                state["toc"] = True
            _walk(child, change, text, fields, state, depth + 1)
        elif tag in _CONTAINERS or tag == f"{W}sdt":
            _walk(child, change, text, fields, state, depth + 1)
        elif tag in (f"{_MATH}oMath", f"{_MATH}oMathPara"):
            for node in child.iter(f"{_MATH}t"):
                _emit(node.text or "", change, text)


def _hidden(run: Element) -> bool:
    properties = run.find(f"{W}rPr")
    if properties is None:
        return False
    for name in ("vanish", "webHidden"):
        flag = properties.find(f"{W}{name}")
        if flag is not None and flag.get(f"{W}val", "true") not in ("false", "0", "off"):
            return True
    return False


def _run(
    run: Element, change: _Change | None, text: Text, fields: Fields, state: dict[str, bool]
) -> None:
    hidden = _hidden(run)
    for child in run:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == f"{W}fldChar":
            kind = child.get(f"{W}fldCharType")
            if kind == "begin":
                fields.begin()
            elif kind == "end":
                fields.end()
            if fields.in_toc():
                state["toc"] = True
        elif tag in (f"{W}instrText", f"{W}delInstrText"):
            if fields.stack and not fields.overflow and len(fields.stack[-1][0]) < 256:
                fields.stack[-1][0] += child.text or ""
                if fields.in_toc():
                    state["toc"] = True
        elif hidden:
            continue
        elif tag in _TEXT:
            _emit(child.text or "", change, text)
        elif tag in (f"{W}tab", f"{W}ptab"):
            _emit("\t", change, text)
        elif tag in (f"{W}br", f"{W}cr"):
            _emit("\n", change, text)
        elif tag == f"{W}noBreakHyphen":
            _emit("-", change, text)


def _emit(value: str, change: _Change | None, text: Text) -> None:
    if change is None or change.kind == "moved-in":
        text.append(value)
    elif change.kind == "inserted":
        text.insert_change("inserted", change.author, change.date, value)
    elif change.kind == "deleted":
        text.insert_change("deleted", change.author, change.date, value)
    # moved-out: the words are read where they were moved to
