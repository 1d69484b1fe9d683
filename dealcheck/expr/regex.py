"""Regexes an author writes (``matches``): compiled for google-re2, which runs in time
linear in the text whatever the pattern, so no rule can make a search take ages.

A pattern is first parsed by Python's ``re`` (the syntax authors know, and its error
messages), then compiled by RE2; what RE2 cannot express in linear time (back-references,
lookahead and lookbehind, conditional groups, possessive or atomic groups) is refused when
the rule loads, at the rule's ``file:line:column``, and so is ``{,n}``, a repetition to
Python and plain text to RE2. Searches are case-insensitive, as before. In RE2 ``\\d``,
``\\w``, ``\\s`` and ``\\b`` are ASCII classes.

Where google-re2 is not installed (a Python it has no wheel for), the same searches run
on :mod:`dealcheck.expr.linear`, RE2's semantics in pure Python, also in linear time.

The old shape refusal (a repeated group holding a quantifier or ``|``, like ``(a+)+``) is
kept: under RE2 such a pattern is no longer slow, but it is still refused so that a
RuleSet's patterns stay safe in any backtracking engine they are copied into (a lint, not
the guarantee — RE2 is the guarantee).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Final

from dealcheck.expr.names import MAX_REGEX_CHARS

_BRACES: Final = re.compile(r"\{([0-9]*)(,?)([0-9]*)\}")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_LEADING_ZERO: Final = re.compile(r"[{,]0[0-9]")  # {01}, {1,02}: text to RE2
_FLAG_GROUP: Final = re.compile(r"\(\?[aiLmsux-]+[:)]")
_WHY: Final = (
    "(dealcheck runs regexes on RE2, in linear time: no back-references, lookahead, "
    "lookbehind or conditional groups)"
)
#: RE2's own memory budget for one compiled pattern (its default is 8 MiB).
RE2_MAX_MEM: Final = 8 << 20


class Regex:
    """A compiled ``matches`` pattern: ``search(text)`` is truthy when it matches anywhere."""

    __slots__ = ("pattern", "_search")

    def __init__(self, pattern: str, search: Callable[[str], Any]) -> None:
        self.pattern = pattern
        self._search = search

    def search(self, text: str) -> Any:
        """A match object (truthy) or None; linear in ``len(text)``."""
        try:
            return self._search(text)
        except UnicodeEncodeError:  # a lone surrogate: RE2 reads UTF-8 (so does linear.py)
            return self._search(text.encode("utf-8", "replace").decode("utf-8"))

    def __reduce__(self) -> tuple[Any, ...]:  # workers spawned without fork rebuild it
        return (compile_regex, (self.pattern,))


@lru_cache(maxsize=1)
def _re2() -> Any | None:
    """google-re2, imported on first use (``dealcheck --version`` does not need it), or
    None where it is not installed: a Python it has no wheel for (see ``pyproject.toml``)
    gets the same answers from :mod:`dealcheck.expr.linear`."""
    try:
        import re2  # type: ignore[import-untyped]
    except ImportError:
        return None
    return re2


def _linear_compile(pattern: str) -> Callable[[str], Any]:
    from dealcheck.expr.linear import LinearRegex, TooLarge, Unsupported

    try:
        return LinearRegex(pattern).search
    except TooLarge as err:
        raise ValueError(str(err)) from None
    except Unsupported as err:
        raise ValueError(f"regex is not supported: {err} {_WHY}") from None


def _re2_compile(re2: Any, pattern: str) -> Callable[[str], Any]:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would print its own diagnostics on stderr
    options.max_mem = RE2_MAX_MEM
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as err:
        reason = err.args[0] if err.args else err
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(f"regex is not supported: {reason} {_WHY}") from None
    search: Callable[[str], Any] = compiled.search
    return search


def compile_regex(pattern: str) -> Regex:
    """Compile a ``matches`` pattern or raise ValueError saying why it is refused."""
    if len(pattern) > MAX_REGEX_CHARS:
        raise ValueError(f"regex is longer than {MAX_REGEX_CHARS} characters")
    if _SURROGATE.search(pattern):
        raise ValueError("regex holds a lone surrogate, which is no character")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "possible nested set" and friends are ambiguous
            compiled = re.compile(pattern, re.IGNORECASE)
    except (re.error, Warning, RecursionError, OverflowError) as err:
        raise ValueError(f"invalid regex: {err}") from None
    if compiled.flags & re.VERBOSE:
        raise ValueError("the verbose regex flag (?x) is not supported")
    _refuse_nested_quantifiers(pattern)
    re2 = _re2()
    search = _re2_compile(re2, pattern) if re2 is not None else _linear_compile(pattern)
    return Regex(pattern, search)


def _refuse_nested_quantifiers(pattern: str) -> None:
    risky = [False]  # per open group: does it hold a quantifier or `|`?
    after_risky_group = False
    i = 0
    while i < len(pattern):
        char, previous_risky, after_risky_group = pattern[i], after_risky_group, False
        braces = _BRACES.match(pattern, i) if char == "{" else None
        if char == "\\":
            if pattern[i + 1 : i + 2] in tuple("123456789"):
                raise ValueError("back-references are not supported in regexes")
            i += 2
        elif char == "[":
            i += 2 if pattern.startswith("[^", i) else 1
            i += 1 if pattern.startswith("]", i) else 0  # a `]` first is a literal
            while pattern[i] != "]":
                if pattern.startswith(("[:", "[.", "[="), i):
                    raise ValueError(
                        f"`{pattern[i : i + 2]}` in a character class is a POSIX class to RE2 "
                        "and plain characters to Python; write `\\d`, `0-9` or escape the `[`"
                    )
                i += 2 if pattern[i] == "\\" else 1
            i += 1
        elif char == "(":
            if pattern.startswith(("(?P=", "(?("), i):
                raise ValueError("back-references and conditional groups are not supported")
            if pattern.startswith("(?#", i):  # RE2 has no comments (and `\)` ends none)
                raise ValueError("comments `(?#...)` are not supported in regexes")
            extension = re.match(r"\((?:\?(?:[:=!>]|<[=!]|P<\w+>|[aiLmsux-]+[:)]))?", pattern[i:])
            assert extension is not None
            if "x" in extension[0] and _FLAG_GROUP.fullmatch(extension[0]):
                # (?x:...): `#` starts a comment there, which this scan would misread
                raise ValueError("the verbose flag (?x) is not supported")
            i += extension.end()
            if not extension[0].endswith(")"):  # a flags-only group closes at once
                risky.append(False)
        elif char == ")":
            after_risky_group = risky.pop()
            risky[-1] = risky[-1] or after_risky_group
            i += 1
        elif char == "|":
            risky[-1] = True
            i += 1
        elif char in "*+?" or braces:
            low, comma, high = braces.groups() if braces else ("", "", "")
            if braces and ((comma and not low) or _LEADING_ZERO.search(braces[0])):
                written = f"{int(low or 0)}{comma}{int(high) if high else ''}"
                raise ValueError(
                    f"`{braces[0]}` is a repetition in Python but text in RE2; write `{{{written}}}`"
                )
            repeats = char in "*+" or (bool(comma) and not high) or int(high or low or 0) > 1
            if repeats and previous_risky:
                raise ValueError(
                    "a repeated group that contains a quantifier or `|` can take exponential "
                    "time (like `(a+)+`); simplify it"
                )
            risky[-1] = True
            i += braces.end() - i if braces else 1
            i += 1 if pattern[i : i + 1] in ("?", "+") else 0  # lazy or possessive
        else:
            i += 1
