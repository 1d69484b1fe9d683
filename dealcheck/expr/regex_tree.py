"""A ``matches`` pattern as a tree, for :mod:`dealcheck.expr.linear`: parsed with RE2's
meaning from a pattern Python's ``re`` has already accepted (so only its valid forms
occur), refusing with :class:`Unsupported` what RE2 would refuse.

A character test is a predicate over one character: literals and classes go through
Python's ``re`` compiled for a single character (its case folding agrees with RE2's on
the tests' alphabet); ``\\d``, ``\\w`` and ``\\s`` are ASCII, as in RE2 (``\\s`` without
``\\v``), folded under ``(?i)`` as RE2 folds them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

#: RE2's largest repetition count.
MAX_REPEAT: Final = 1_000

_PERL: Final = {"d": "0-9", "w": "0-9A-Za-z_", "s": "\\t\\n\\f\\r "}
_CONTROL: Final = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_QUANTIFIER: Final = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
_FLAGS: Final = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])")

#: the zero-width assertions: start and end of the text, of a line, (not) a word boundary
BOT, EOT, BOL, EOL, WORDB, NWORDB = range(6)


class Unsupported(ValueError):
    """A pattern RE2 would refuse; the message names what."""


class TooLarge(ValueError):
    """A pattern beyond what the built-in engine takes (RE2 may take it)."""


Pred = Callable[[str], bool]


@dataclass
class Char:
    test: Pred


@dataclass
class Assert:
    kind: int


@dataclass
class Cat:
    items: list[Node] = field(default_factory=list)


@dataclass
class Alt:
    options: list[Node]


@dataclass
class Repeat:
    node: Node
    low: int
    high: int | None


Node = Char | Assert | Cat | Alt | Repeat


@dataclass
class Flags:
    fold: bool = True  # matches() searches ignore case
    dotall: bool = False
    multiline: bool = False


#: RE2 folds i with I only; Python's ``re.IGNORECASE`` also folds in the Turkish dotted
#: capital I and dotless small i. What else each of these four folds to under RE2:
_TURKISH: Final = {"i": "I", "I": "i", "\u0130": "", "\u0131": ""}
#: a capture group's name as RE2 takes it: letters, marks, digits, connectors
_NAME_CATEGORIES: Final = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Nd", "Pc"})
#: groups nested deeper than this are refused (the parser recurses per level)
MAX_DEPTH: Final = 100


def _one_char(cls: str, fold: bool) -> Pred:
    """A test of one character against a character class written for Python's ``re``
    (one character: no backtracking to speak of), folded as RE2 folds under ``(?i)``:
    Python's folding, which agrees with RE2's on every cased character but four."""
    exact = re.compile(cls).fullmatch
    if not fold:
        return lambda c: exact(c) is not None
    folded = re.compile(cls, re.IGNORECASE).fullmatch

    def test(c: str) -> bool:
        other = _TURKISH.get(c)
        if other is None:
            return folded(c) is not None
        return exact(c) is not None or (other != "" and exact(other) is not None)

    return test


class Parser:
    """Recursive descent over the pattern: ``alt`` (``|``), ``cat``, ``quantified``,
    ``atom``; ``self.i`` is the position in ``self.p``."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.depth = 0

    def error(self, what: str) -> Unsupported:
        return Unsupported(what)

    def peek(self, text: str) -> bool:
        return self.p.startswith(text, self.i)

    def alt(self, flags: Flags) -> Node:
        options = [self.cat(flags)]
        while self.peek("|"):
            self.i += 1
            options.append(self.cat(flags))
        return options[0] if len(options) == 1 else Alt(options)

    def cat(self, flags: Flags) -> Node:
        out = Cat()
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            global_flags = _FLAGS.match(self.p, self.i)
            if global_flags and global_flags[3] == ")":  # (?i) and friends: to the end
                self.i = global_flags.end()
                self._apply(flags, global_flags[1], global_flags[2] or "")
                continue
            atom = self.atom(flags)
            out.items.append(self.quantified(atom))
        return out

    def quantified(self, atom: Node) -> Node:
        while self.i < len(self.p):
            char = self.p[self.i]
            braces = _QUANTIFIER.match(self.p, self.i) if char == "{" else None
            if char in "*+?":
                low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
                self.i += 1
            elif braces:
                low = int(braces[1])
                high = low if not braces[2] else (int(braces[3]) if braces[3] else None)
                if max(low, high or 0) > MAX_REPEAT:
                    raise self.error(f"a repetition count over {MAX_REPEAT}")
                self.i = braces.end()
            else:
                return atom
            if self.peek("+"):
                raise self.error("a possessive quantifier")
            if self.peek("?"):
                self.i += 1  # lazy: the same answer to "does it match?"
            atom = _repeated(atom, low, high)
        return atom

    def atom(self, flags: Flags) -> Node:
        char = self.p[self.i]
        self.i += 1
        if char == "(":
            return self.group(flags)
        if char == "[":
            return Char(self.char_class(flags))
        if char == ".":
            return Char(_ANY if flags.dotall else _NOT_NEWLINE)
        if char == "^":
            return Assert(BOL if flags.multiline else BOT)
        if char == "$":
            return Assert(EOL if flags.multiline else EOT)
        if char == "\\":
            return self.escape(flags)
        return Char(_literal(char, flags.fold))

    def group(self, flags: Flags) -> Node:
        inner = Flags(flags.fold, flags.dotall, flags.multiline)
        if self.peek("?"):
            scoped = _FLAGS.match(self.p, self.i - 1)
            if self.peek("?:"):
                self.i += 2
            elif self.peek("?P<"):
                end = self.p.index(">", self.i)
                name = self.p[self.i + 3 : end]
                if not all(unicodedata.category(c) in _NAME_CATEGORIES for c in name):
                    raise self.error(f"the group name {name!r}")
                self.i = end + 1
            elif scoped and scoped[3] == ":":
                self.i = scoped.end()
                self._apply(inner, scoped[1], scoped[2] or "")
            elif self.peek("?#"):
                raise self.error("a comment group (?#...)")
            elif self.peek("?>"):
                raise self.error("an atomic group")
            else:
                raise self.error("lookahead, lookbehind, a back-reference or a conditional")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooLarge(
                f"regex is too large: groups nested more than {MAX_DEPTH} deep "
                "(install google-re2 for deeper ones)"
            )
        node = self.alt(inner)
        self.depth -= 1
        self.i += 1  # ")"
        return node

    def _apply(self, flags: Flags, on: str, off: str) -> None:
        for letter in on + off:
            if letter not in "ims":
                raise self.error(f"the flag (?{letter})")
        for letters, value in ((on, True), (off, False)):
            if "i" in letters:
                flags.fold = value
            if "s" in letters:
                flags.dotall = value
            if "m" in letters:
                flags.multiline = value

    def escape(self, flags: Flags) -> Node:
        char = self.p[self.i]
        self.i += 1
        if char in "dDwWsS":
            return Char(_perl(char, flags.fold))
        if char == "b":
            return Assert(WORDB)
        if char == "B":
            return Assert(NWORDB)
        if char == "A":
            return Assert(BOT)
        if char == "z":  # Python 3.14's spelling of the end of the text, and RE2's
            return Assert(EOT)
        return Char(_literal(self.escaped_char(char), flags.fold))

    def escaped_char(self, char: str) -> str:
        """The character an escape other than a class or an assertion stands for."""
        if char in _CONTROL:
            return _CONTROL[char]
        if char == "x":
            self.i += 2
            return chr(int(self.p[self.i - 2 : self.i], 16))
        if char in "01234567":
            digits = re.match(r"[0-7]{0,2}", self.p[self.i :])
            assert digits is not None
            self.i += len(digits[0])
            return chr(int(char + digits[0], 8))
        if char.isalnum() or not char.isascii():  # \Z, \u, \U, \N; RE2 escapes only ASCII
            raise self.error(f"the escape \\{char}")
        return char

    def lone_octal(self, digit: str) -> bool:
        """``\\1``-``\\9`` in a class with no octal digit after: a character to Python,
        refused by RE2 (``\\12`` is octal to both)."""
        return digit in "123456789" and not (
            digit in "1234567" and self.p[self.i : self.i + 1] in tuple("01234567")
        )

    def char_class(self, flags: Flags) -> Pred:
        negated = self.peek("^")
        self.i += negated
        positive: list[str] = []  # items of one Python class
        negative: list[Pred] = []  # \D, \W, \S: their own test each
        first = True
        while first or self.p[self.i] != "]":
            first = False
            char = self.p[self.i]
            self.i += 1
            if char == "\\":
                escaped = self.p[self.i]
                self.i += 1
                if escaped in "dws":
                    positive.append(_PERL[escaped])
                    continue
                if escaped in "DWS":
                    negative.append(_perl(escaped, flags.fold))
                    continue
                if escaped == "b":
                    raise self.error("\\b in a character class")
                if self.lone_octal(escaped):
                    raise self.error(f"the escape \\{escaped} in a character class")
                char = self.escaped_char(escaped)
            if self.peek("-") and not self.p.startswith("-]", self.i):
                self.i += 1
                end = self.p[self.i]
                self.i += 1
                if end == "\\":
                    self.i += 1
                    if self.lone_octal(self.p[self.i - 1]):
                        raise self.error("an octal escape in a character class")
                    end = self.escaped_char(self.p[self.i - 1])
                positive.append(f"{re.escape(char)}-{re.escape(end)}")
            else:
                positive.append(re.escape(char))
        self.i += 1  # "]"
        inside = _one_char(f"[{''.join(positive)}]", flags.fold) if positive else None

        def test(c: str) -> bool:
            hit = (inside is not None and inside(c)) or any(n(c) for n in negative)
            return hit != negated

        return test


def _repeated(atom: Node, low: int, high: int | None) -> Node:
    """``atom`` repeated; an empty group or an assertion repeated is the same once."""
    if isinstance(atom, Cat) and not atom.items:
        return atom
    if isinstance(atom, Assert):
        return atom if low else Alt([atom, Cat()])
    return Repeat(atom, low, high)


def _literal(char: str, fold: bool) -> Pred:
    if not fold or char.lower() == char.upper() == char.casefold():
        return char.__eq__
    return _one_char(f"[{re.escape(char)}]", fold)


def _perl(letter: str, fold: bool) -> Pred:
    """``\\d``, ``\\w``, ``\\s`` and their negations, ASCII as in RE2 (folded under (?i))."""
    return _one_char(f"[{'^' if letter.isupper() else ''}{_PERL[letter.lower()]}]", fold)


def _ANY(c: str) -> bool:
    return True


def _NOT_NEWLINE(c: str) -> bool:
    return c != "\n"


def parse(pattern: str) -> Node:
    """The tree of ``pattern``; raises :class:`Unsupported` for what RE2 would refuse."""
    return Parser(pattern).alt(Flags())
