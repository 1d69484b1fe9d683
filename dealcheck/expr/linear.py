"""A linear-time ``matches`` search in pure Python, for a Python that google-re2 has no
wheel for (CPython 3.15 at the time of writing: ``pip`` would have to build RE2 from
source). It gives the answer RE2 gives (tested side by side in
``tests/test_regex_engines.py``) for every pattern
:func:`dealcheck.expr.regex.compile_regex` accepts, and refuses, at load, what RE2 would
refuse.

How: the pattern (already accepted by Python's ``re``) is parsed (:mod:`~.regex_tree`)
into a small automaton (Thompson's construction); a search runs every thread of it at
once over the text, one character at a time, with the sets of threads met so far cached
as the states of a DFA built as it goes (bounded: the cache is dropped when full). No
backtracking, so a search costs at most ``len(text)`` times the size of the automaton,
which is capped. Only whether the pattern matches is computed: that is all ``matches``
asks.

RE2's semantics, where they differ from Python's ``re``: ``\\d``, ``\\w``, ``\\s`` and
``\\b`` are ASCII (``\\s`` without ``\\v``); ``$`` without ``(?m)`` matches only at the end
of the text. Case folding is Python's, which agrees with RE2's on the tests' alphabet.
"""

from __future__ import annotations

from typing import Final

from dealcheck.expr.regex_tree import (
    BOL,
    BOT,
    EOL,
    EOT,
    WORDB,
    Alt,
    Assert,
    Cat,
    Char,
    Node,
    Repeat,
    TooLarge,
    Unsupported,
    parse,
)

__all__ = ["MAX_STATES", "LinearRegex", "TooLarge", "Unsupported"]

#: Most characters a pattern may expand to (``a{500}`` is 500), and most states of the
#: automaton in all: RE2 refuses big programs too, at a bound of its own; past these the
#: search would get slow in Python (a step that misses the cache visits every state).
MAX_STATES: Final = 1_000
MAX_PROGRAM: Final = 3_000
#: Thread numbers the DFA cache may hold (about 4 MB) before it is dropped and rebuilt.
_CACHE: Final = 100_000
_WORD: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
# the context bits a position has
_AT_START, _AT_END, _AFTER_NL, _BEFORE_NL, _AFTER_WORD, _BEFORE_WORD = (1 << i for i in range(6))


# -- the automaton ---------------------------------------------------------------------------

_CHAR, _SPLIT, _EMPTY, _ASSERTION, _MATCH = range(5)


class _Program:
    """Thompson's construction: state ``k`` is ``kinds[k]`` with ``args[k]`` and ``outs[k]``."""

    def __init__(self) -> None:
        self.kinds: list[int] = []
        self.args: list[object] = []
        self.outs: list[list[int]] = []
        self.chars = 0

    def add(self, kind: int, arg: object = None) -> int:
        self.kinds.append(kind)
        self.args.append(arg)
        self.outs.append([])
        if len(self.kinds) > MAX_PROGRAM:
            raise TooLarge(
                f"regex is too large: it expands to more than {MAX_PROGRAM} states "
                "(install google-re2 for larger ones)"
            )
        if kind == _CHAR:
            self.chars += 1
            if self.chars > MAX_STATES:
                raise TooLarge(
                    f"regex is too large: it expands to more than {MAX_STATES} characters "
                    "(install google-re2 for larger ones)"
                )
        return len(self.kinds) - 1

    def build(self, node: Node) -> tuple[int, list[int]]:
        """States for ``node``: (entry, the states whose outs are still to be linked)."""
        if isinstance(node, Char):
            k = self.add(_CHAR, node.test)
            return k, [k]
        if isinstance(node, Assert):
            k = self.add(_ASSERTION, node.kind)
            return k, [k]
        if isinstance(node, Cat):
            entry = self.add(_EMPTY)
            dangling = [entry]
            for item in node.items:
                start, ends = self.build(item)
                self.link(dangling, start)
                dangling = ends
            return entry, dangling
        if isinstance(node, Alt):
            split = self.add(_SPLIT)
            exits: list[int] = []
            for option in node.options:
                start, option_ends = self.build(option)
                self.outs[split].append(start)
                exits.extend(option_ends)
            return split, exits
        return self.repeat(node)

    def repeat(self, node: Repeat) -> tuple[int, list[int]]:
        entry = self.add(_EMPTY)
        dangling = [entry]
        for _ in range(node.low):
            start, ends = self.build(node.node)
            self.link(dangling, start)
            dangling = ends
        if node.high is None:  # a loop: enter or leave at each turn
            loop = self.add(_SPLIT)
            self.link(dangling, loop)
            start, ends = self.build(node.node)
            self.outs[loop].append(start)
            self.link(ends, loop)
            return entry, [loop]
        skips: list[int] = []
        for _ in range(node.high - node.low):  # each optional copy may be skipped
            split = self.add(_SPLIT)
            self.link(dangling, split)
            start, ends = self.build(node.node)
            self.outs[split].append(start)
            skips.append(split)
            dangling = ends
        return entry, dangling + skips

    def link(self, states: list[int], to: int) -> None:
        for k in states:
            self.outs[k].append(to)


def _context(text: str, i: int) -> int:
    before = text[i - 1] if i else ""
    after = text[i] if i < len(text) else ""
    return (
        (0 if i else _AT_START)
        | (0 if after else _AT_END)
        | (_AFTER_NL if before == "\n" else 0)
        | (_BEFORE_NL if after == "\n" else 0)
        | (_AFTER_WORD if before in _WORD and before else 0)
        | (_BEFORE_WORD if after in _WORD and after else 0)
    )


def _holds(kind: int, ctx: int) -> bool:
    if kind == BOT:
        return bool(ctx & _AT_START)
    if kind == EOT:
        return bool(ctx & _AT_END)
    if kind == BOL:
        return bool(ctx & (_AT_START | _AFTER_NL))
    if kind == EOL:
        return bool(ctx & (_AT_END | _BEFORE_NL))
    word_before, word_after = bool(ctx & _AFTER_WORD), bool(ctx & _BEFORE_WORD)
    return (word_before != word_after) == (kind == WORDB)


class LinearRegex:
    """A compiled pattern; :meth:`search` is truthy when it matches anywhere in the text."""

    def __init__(self, pattern: str) -> None:
        tree = parse(pattern)
        program = _Program()
        start, ends = program.build(tree)
        program.link(ends, program.add(_MATCH))
        self.program = program
        self.start = start
        self.uses_context = _ASSERTION in program.kinds
        # RE2 reads UTF-8 bytes: between two bytes of one character is a position too
        # (neither a word boundary nor a line's edge), where a pattern of assertions
        # alone (``\B``) can match
        self.matches_inside_a_character = (
            self.uses_context and self._closure(frozenset((start,)), 0)[1]
        )
        self._closures: dict[tuple[frozenset[int], int], tuple[frozenset[int], bool]] = {}
        self._steps: dict[tuple[frozenset[int], str], frozenset[int]] = {}
        self._cached = 0  # thread numbers held by the two caches

    def _closure(self, threads: frozenset[int], ctx: int) -> tuple[frozenset[int], bool]:
        """The character states reachable from ``threads`` here, and whether a match is."""
        kinds, outs, args = self.program.kinds, self.program.outs, self.program.args
        seen: set[int] = set()
        stack = list(threads)
        chars: list[int] = []
        while stack:
            k = stack.pop()
            if k in seen:
                continue
            seen.add(k)
            kind = kinds[k]
            if kind == _MATCH:
                return frozenset(), True
            if kind == _CHAR:
                chars.append(k)
            elif kind != _ASSERTION or _holds(args[k], ctx):  # type: ignore[arg-type]
                stack.extend(outs[k])
        return frozenset(chars), False

    def _step(self, chars: frozenset[int], c: str) -> frozenset[int]:
        args, outs = self.program.args, self.program.outs
        nxt = {self.start}  # a search: a match may begin at every position
        for k in chars:
            if args[k](c):  # type: ignore[operator]
                nxt.update(outs[k])
        return frozenset(nxt)

    def search(self, text: str) -> bool | None:
        """True when the pattern matches somewhere in ``text``, else None."""
        if not text.isascii():
            # a lone surrogate raises here, as in RE2: Regex.search then gives "?" for it
            text.encode("utf-8")
            if self.matches_inside_a_character:
                return True
        closures, steps = self._closures, self._steps
        threads = frozenset((self.start,))
        uses_context = self.uses_context
        for i in range(len(text) + 1):
            ctx = _context(text, i) if uses_context else 0
            key = (threads, ctx)
            found = closures.get(key)
            if found is None:
                found = closures[key] = self._closure(threads, ctx)
                self._cached += len(found[0])
            chars, matched = found
            if matched:
                return True
            if i == len(text):
                return None
            step_key = (chars, text[i])
            nxt = steps.get(step_key)
            if nxt is None:
                nxt = steps[step_key] = self._step(chars, text[i])
                self._cached += len(nxt)
                if self._cached > _CACHE:  # a bounded cache: start again from here
                    closures.clear()
                    steps.clear()
                    self._cached = 0
            threads = nxt
        return None
