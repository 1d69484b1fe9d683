"""Find catalog features named in free text.

Names and aliases are split into words and normalised (case-folded, possessive
``'s`` dropped, a plural ``s``/``es``/``ies`` and a final ``e`` removed), then
stored in one word trie for the whole catalog. Matching walks the trie from
every word of the text, so the cost is linear in the text length times the
longest term (in words), whatever the number of features; there is no
backtracking regex.

Consequences worth knowing:

* whole words only: "SSO" never matches inside "ASSOCIATION";
* hyphens, spaces, line breaks and slashes between words are interchangeable:
  "single-sign-on" = "single sign on" = "single sign-\\non";
  a hyphenated term also matches written solid ("white-label" = "whitelabel");
* words of a term must not be separated by other punctuation (". , ; :"),
  so a term never spans two sentences;
* "dashboards" = "dashboard", "SSO's" = "SSO", "sandboxes" = "sandbox";
* when two features share a term, the feature listed first owns it;
* on overlapping matches the longest (in characters) wins, then the leftmost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dealcheck.clauses.memo import ClauseMemo
from dealcheck.clauses.model import FeatureTerm, Mention

_WORD = re.compile(r"[^\W_]+(?:['’][sS](?![^\W_]))?")
_JOINERS = frozenset("-‐‑–—/&+.")


def normalize_word(word: str) -> str:
    """The form of ``word`` used for matching: "Dashboards" -> "dashboard", "SSO's" -> "sso"."""
    folded = word.casefold()
    if folded.endswith(("'s", "’s")):
        folded = folded[:-2]
    if len(folded) >= 3 and folded.endswith("ies") and len(folded) > 4:
        folded = folded[:-3] + "y"
    elif len(folded) >= 3 and folded.endswith("s") and not folded.endswith(("ss", "us", "is")):
        folded = folded[:-1]
    if len(folded) >= 4 and folded.endswith("e"):
        folded = folded[:-1]
    return folded


def _joinable(gap: str) -> bool:
    """May two words separated by ``gap`` belong to one term?"""
    if gap == " ":
        return True  # by far the commonest gap: the rules below, decided once
    if not gap or len(gap) > 40:
        return False
    marks = [char for char in gap if not char.isspace()]
    if len(marks) > 2 or any(mark not in _JOINERS for mark in marks):
        return False
    if "." in marks and len(marks) != len(gap):
        return False  # "2.0" joins, "SAML. SSO" does not
    return gap.count("\n") < 2  # a blank line ends a paragraph


#: ``normalize_word`` of the words seen lately (short words only, emptied when full): clause
#: texts repeat their words, and normalising is most of what matching a word costs.
_NORMAL: dict[str, str] = {}
_NORMAL_ENTRIES = 8192
_NORMAL_LONGEST = 40


def _normal(word: str) -> str:
    key = _NORMAL.get(word)
    if key is None:
        key = normalize_word(word)
        if len(word) <= _NORMAL_LONGEST:
            if len(_NORMAL) >= _NORMAL_ENTRIES:
                _NORMAL.clear()
            _NORMAL[word] = key
    return key


def _term_variants(term: str) -> list[list[str]]:
    words = [normalize_word(match.group()) for match in _WORD.finditer(term)]
    if not words:
        return []
    variants = [words]
    if "-" in term:
        solid = [normalize_word(match.group()) for match in _WORD.finditer(term.replace("-", ""))]
        if solid and solid != words:
            variants.append(solid)
    return variants


class _Node:
    __slots__ = ("children", "feature")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.feature: str | None = None


class FeatureMatcher:
    """One compiled matcher for every feature of a catalog.

    >>> matcher = FeatureMatcher([FeatureTerm("sso-saml", "SAML single sign-on", ("SSO",))])
    >>> [(m.feature, m.text) for m in matcher.find("Provider shall provide SSO.")]
    [('sso-saml', 'SSO')]
    """

    def __init__(self, features: Iterable[FeatureTerm], roadmap: Iterable[str] = ()) -> None:
        #: ids of the features not yet generally available ("planned", "preview", "beta"):
        #: the ones a document-wide disclaimer of "roadmap items" or "future functionality"
        #: covers
        self.roadmap = frozenset(roadmap)
        #: clause analyses found with this matcher's features (``analyse_document``)
        self.memo = ClauseMemo()
        self._root = _Node()
        self._max_words = 0
        for feature in features:
            for term in (feature.name, *feature.aliases):
                for words in _term_variants(term):
                    self._add(words, feature.id)

    def _add(self, words: list[str], feature: str) -> None:
        self.memo.clear()  # a new term may change what any clause names
        node = self._root
        for word in words:
            node = node.children.setdefault(word, _Node())
        if node.feature is None:
            node.feature = feature
        self._max_words = max(self._max_words, len(words))

    def find(self, text: str) -> list[Mention]:
        """Every feature mention in ``text``, sorted by position, without overlaps."""
        words = list(_WORD.finditer(text))
        if not words:
            return []
        keys = [_normal(word.group()) for word in words]
        starts = self._root.children
        last = len(words) - 1
        candidates: list[tuple[int, int, str]] = []  # (first word, last word, feature)
        for first, key in enumerate(keys):
            node = starts.get(key)
            if node is None:
                continue  # most words begin no term: no gap after them is looked at
            best: tuple[int, str] | None = None
            index = first
            while True:
                if node.feature is not None:
                    best = (index, node.feature)
                if index == last or not _joinable(
                    text[words[index].end() : words[index + 1].start()]
                ):
                    break
                index += 1
                node = node.children.get(keys[index])
                if node is None:
                    break
            if best is not None:
                candidates.append((first, best[0], best[1]))
        return self._choose(text, words, candidates)

    @staticmethod
    def _choose(
        text: str, words: list[re.Match[str]], candidates: list[tuple[int, int, str]]
    ) -> list[Mention]:
        def length(candidate: tuple[int, int, str]) -> int:
            return words[candidate[1]].end() - words[candidate[0]].start()

        taken = [False] * len(words)
        chosen: list[Mention] = []
        for first, last, feature in sorted(candidates, key=lambda c: (-length(c), c[0])):
            if any(taken[first : last + 1]):
                continue
            for index in range(first, last + 1):
                taken[index] = True
            start, end = words[first].start(), words[last].end()
            chosen.append(Mention(feature, start, end, text[start:end]))
        return sorted(chosen, key=lambda mention: mention.start)
