"""Split clause text into sentences and segments, keeping offsets into the text.

A *sentence* ends at ".", "!" or "?" followed by a space (not after an
abbreviation such as "e.g.", "Inc." or "Sept."), at a blank line, or before a
list item that starts a line ("- ", "(a) ", "2. "). A *segment* is a sentence
further cut at ";" and at ": ". Commitment words, disclaimers and due dates are
weighed per segment, so that "(a) ...; (b) ..." items and "X; Provider is not
obligated to provide Y" are judged separately. A segment that ends with ":" is
a *lead-in* ("Provider shall:") whose words carry over to the items after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "pty",
        "plc",
        "llc",
        "llp",
        "no",
        "nos",
        "sec",
        "cl",
        "para",
        "art",
        "arts",
        "sched",
        "exh",
        "approx",
        "vs",
        "v",
        "mr",
        "ms",
        "mrs",
        "dr",
        "st",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "fig",
        "ref",
        "incl",
        "excl",
        "min",
        "max",
        "dept",
        "est",
        "cf",
        "pp",
        "p",
    }
)
# The lookbehind and possessive quantifiers keep this linear on "......" runs.
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?=\s)|\n[ \t]*+\n")
_LIST_ITEM = re.compile(r"\n[ \t]*(?:[-*•]|\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)])[ \t]", re.I)
_SEGMENT_END = re.compile(r";|:(?=\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")
#: An enumerator inside a sentence: "shall include (1) X, (2) Y and (3) Z".
_INLINE_ITEM = re.compile(r"(?:(?<=\s)|^)\((?P<m>\d{1,2}|[a-z]|[ivx]{1,4})\)(?=\s)")
_FIRSTS = {"1": "2", "a": "b", "i": "ii"}


@dataclass(frozen=True)
class Segment:
    """``text[start:end]`` is one segment; ``lead_in`` when it ends with ":"."""

    start: int
    end: int
    sentence: int
    lead_in: bool


def _is_abbreviation(text: str, dot: int) -> bool:
    match = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if match is None:
        return False
    word = match.group(1).strip(".").lower()
    return word in _ABBREVIATIONS or len(word) == 1 or "." in word


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each non-blank sentence of ``text``."""
    cuts: set[int] = set()
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        cuts.add(match.end())
    cuts.update(match.start() + 1 for match in _LIST_ITEM.finditer(text))
    return _spans(text, 0, len(text), sorted(cuts))


def _spans(text: str, start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    """The stripped, non-blank pieces of ``text[start:end]`` cut at ``cuts``."""
    spans: list[tuple[int, int]] = []
    for cut in [*cuts, end]:
        piece = text[start:cut]
        if piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            right = start + len(piece.rstrip())
            spans.append((left, right))
        start = cut
    return spans


def split_segments(text: str, sentences: list[tuple[int, int]] | None = None) -> list[Segment]:
    """The segments of ``text`` in order (see the module docstring); ``sentences`` are
    ``split_sentences(text)`` when the caller has them already."""
    segments: list[Segment] = []
    if sentences is None:
        sentences = split_sentences(text)
    for number, (start, end) in enumerate(sentences):
        cuts = [match.end() for match in _SEGMENT_END.finditer(text, start, end)]
        items = _inline_items(text, start, end)
        cuts = sorted({*cuts, *items})
        for left, right in _spans(text, start, end, cuts):
            lead_in = text[left:right].endswith(":") or (
                bool(items) and right <= items[0] <= right + 2
            )
            segments.append(Segment(left, right, number, lead_in))
    return segments


def _inline_items(text: str, start: int, end: int) -> list[int]:
    """Where the items of an inline enumeration start ("include (1) X, (2) Y"): only when
    the sentence numbers at least two items from the first ("(1)" then "(2)")."""
    found: list[int] = []
    expected: str | None = None
    for marker in _INLINE_ITEM.finditer(text, start, end):
        label = marker["m"].lower()
        if expected is None and label in _FIRSTS or label == expected:
            found.append(marker.start())
            expected = _next_label(label)
    return found if len(found) >= 2 else []


_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]


def _next_label(label: str) -> str:
    if label.isdigit():
        return str(int(label) + 1)
    if label in _ROMAN[:-1] and (len(label) > 1 or label == "i"):
        return _ROMAN[_ROMAN.index(label) + 1]
    return chr(ord(label) + 1) if len(label) == 1 else ""
