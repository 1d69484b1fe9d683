"""A bounded memo of clause analyses, for batches that reuse standard clause texts.

Deal desks draw clauses from a clause library, so across a batch the same clause text is
analysed again and again against the same catalog. ``ClauseMemo`` remembers what
``analyse_clause`` found in a clause, keyed by everything the finding depends on:

* the clause text, and the words of the lead-in clause that governs it (the last
  ``REACH`` characters, all ``analyse_clause`` reads) with the lead-in's id (it appears
  in decision reasons: "governed by lead-in clause 4");
* the start date and date format (relative and numeric due dates), and the dates the
  document defines (``anchors``: "within 60 days after the Go-Live Date");
* the catalog's features: each ``FeatureMatcher`` holds its own memo, so nothing found
  with one catalog is ever returned for another.

Not remembered: a clause with tracked changes (its revisions are part of the finding, and
a deleted text is not bounded by the clause's size), a clause or lead-in together longer
than ``MAX_CHARS``, a document that defines more than ``MAX_ANCHORS`` dates. Those are
analysed afresh every time.

What is kept is the finding without the clause: a hit returns a new ``ClauseAnalysis``
with the caller's own ``Clause`` (its id, location and source), and the mentions,
decisions, commitments and uptimes it shares are frozen dataclasses in tuples.

The memo is bounded so that no batch of deals can fill memory with it: at most
``MAX_ENTRIES`` findings and a total ``MAX_WEIGHT`` (characters of keys plus
``ITEM_WEIGHT`` per mention, uptime and anchor); when either would be exceeded the memo
is emptied and starts again. A finding heavier than an eighth of ``MAX_WEIGHT`` is not
kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeAlias

from dealcheck.clauses.model import (
    Clause,
    ClauseAnalysis,
    Decision,
    InferredCommitment,
    Mention,
    Uptime,
)

#: Most findings kept at a time.
MAX_ENTRIES = 2048
#: Longest clause text plus lead-in text remembered (clause-library clauses are shorter).
MAX_CHARS = 4_000
#: Most defined dates of a document whose clauses are remembered.
MAX_ANCHORS = 32
#: What one mention (with its decision and commitment), uptime or anchor weighs: about the
#: bytes it takes, as a character of an ASCII text takes one.
ITEM_WEIGHT = 400
#: Total weight kept at a time: about this many bytes (up to four times as many for texts
#: beyond Latin-1). Measured full: 4,000-character clauses that name a feature 480 times
#: each, 4.3 MB; 4,000-character clauses that name none, 3.6 MB at 800 entries.
MAX_WEIGHT = 4_000_000

Anchors: TypeAlias = frozenset[tuple[str, date]]
_Key: TypeAlias = tuple[str, str | None, str | None, date, str, Anchors]
_Found: TypeAlias = tuple[
    tuple[Mention, ...], tuple[InferredCommitment, ...], tuple[Decision, ...], tuple[Uptime, ...]
]


def anchors_key(anchors: Mapping[str, date] | None) -> Anchors | None:
    """The memo's form of a document's defined dates; ``None`` when there are too many to
    key on (the document's clauses are then not remembered). Built once per document."""
    if not anchors:
        return frozenset()
    if len(anchors) > MAX_ANCHORS:
        return None
    return frozenset(anchors.items())


class ClauseMemo:
    """Findings of ``analyse_clause`` by clause text and context (see the module docstring)."""

    __slots__ = ("_found", "_weight")

    def __init__(self) -> None:
        self._found: dict[_Key, _Found] = {}
        self._weight = 0

    def __len__(self) -> int:
        return len(self._found)

    @property
    def weight(self) -> int:
        """The current total weight (see ``MAX_WEIGHT``)."""
        return self._weight

    def clear(self) -> None:
        """Forget every finding."""
        self._found.clear()
        self._weight = 0

    def analyse(
        self,
        clause: Clause,
        analyse: Callable[[], ClauseAnalysis],
        start_date: date,
        date_format: str,
        lead_text: str | None,
        lead_in_id: str | None,
        anchors: Anchors | None,
    ) -> ClauseAnalysis:
        """``analyse()`` — the analysis of ``clause`` with the rest as context — or the
        remembered finding for the same text in the same context, with ``clause`` in it.

        ``lead_text`` is the part of the lead-in clause the analysis reads; ``anchors`` is
        ``anchors_key`` of the document's defined dates.
        """
        text = clause.text
        size = len(text) + (len(lead_text) if lead_text else 0)
        if clause.revisions or anchors is None or size > MAX_CHARS:
            return analyse()
        key: _Key = (text, lead_text, lead_in_id, start_date, date_format, anchors)
        found = self._found.get(key)
        if found is not None:
            return ClauseAnalysis(clause, *found)
        analysis = analyse()
        weight = size + ITEM_WEIGHT * (
            len(analysis.mentions) + len(analysis.uptimes) + len(anchors)
        )
        if weight > MAX_WEIGHT // 8:
            return analysis  # one finding must not push out most of the others
        if len(self._found) >= MAX_ENTRIES or self._weight + weight > MAX_WEIGHT:
            self.clear()
        self._found[key] = (
            analysis.mentions,
            analysis.commitments,
            analysis.decisions,
            analysis.uptimes,
        )
        self._weight += weight
        return analysis
