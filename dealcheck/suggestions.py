"""Hints of the form "did you mean …?": the nearest known word to an unknown one."""

from __future__ import annotations

import difflib
import heapq
from typing import Any

__all__ = ["Suggester", "suggest"]


def suggest(word: str, choices: Any, n: int = 1) -> str | None:
    """The nearest choice to ``word`` (case-insensitive), for "did you mean" hints."""
    options = list(choices)
    lowered = {o.lower(): o for o in options}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)
    return lowered[match[0]] if match else None


class Suggester:
    """:func:`suggest` over a large, fixed set of ids (a catalog's features or SKUs).

    ``difflib`` compares the word with every choice; with thousands of ids that costs
    milliseconds per unknown id. Here only the 50 choices sharing the most three-letter
    pieces with the word are compared (a typo leaves most pieces intact), which gives the
    same answer in practice at a fraction of the cost.

    A one-deal check asks once or twice, so the first few words are answered by scanning
    the choices (a substring test per piece, about 25 ms for 30,000 ids); an index from
    piece to choices, which costs about five such scans to build, is made only once a run
    has asked :data:`SCANS_BEFORE_INDEX` times. Both count the same pieces, so they
    give the same answer.
    """

    SCANS_BEFORE_INDEX = 4

    def __init__(self, choices: Any) -> None:
        self.choices = sorted(choices)
        self._padded: list[str] | None = None
        self._index: dict[str, list[int]] | None = None
        self._asked = 0

    def __call__(self, word: str) -> str | None:
        if len(self.choices) <= 200:
            return suggest(word, self.choices)
        grams = _trigrams(word)
        self._asked += 1
        hits = self._scan(grams) if self._asked <= self.SCANS_BEFORE_INDEX else self._lookup(grams)
        best = heapq.nsmallest(50, ((-count, self.choices[i]) for i, count in hits.items()))
        return suggest(word, [choice for _count, choice in best])

    def _scan(self, grams: set[str]) -> dict[int, int]:
        """Choice → how many of ``grams`` it contains, by testing every choice."""
        if self._padded is None:
            self._padded = [_padded(choice) for choice in self.choices]
        hits: dict[int, int] = {}
        for i, padded in enumerate(self._padded):
            count = sum(map(padded.__contains__, grams))
            if count:
                hits[i] = count
        return hits

    def _lookup(self, grams: set[str]) -> dict[int, int]:
        """The same counts as :meth:`_scan`, from an index built on first use."""
        if self._index is None:
            self._index = {}
            for i, choice in enumerate(self.choices):
                for gram in _trigrams(choice):
                    self._index.setdefault(gram, []).append(i)
        hits: dict[int, int] = {}
        for gram in grams:
            for i in self._index.get(gram, ()):
                hits[i] = hits.get(i, 0) + 1
        return hits


def _padded(word: str) -> str:
    return f"  {word.lower()} "


def _trigrams(word: str) -> set[str]:
    padded = _padded(word)
    return {padded[i : i + 3] for i in range(len(padded) - 2)}
