"""Regex safety for ``matches``: patterns that could search for ages are refused."""

from __future__ import annotations

import re
import warnings
from typing import Final

from dealcheck.expr.names import MAX_REGEX_CHARS

_BRACES: Final = re.compile(r"\{(\d*)(,?)(\d*)\}")


def compile_regex(pattern: str) -> re.Pattern[str]:
    """Compile a ``matches`` pattern or raise ValueError saying why it is refused."""
    if len(pattern) > MAX_REGEX_CHARS:
        raise ValueError(f"regex is longer than {MAX_REGEX_CHARS} characters")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "possible nested set" and friends are ambiguous
            compiled = re.compile(pattern, re.IGNORECASE)
    except (re.error, Warning, RecursionError, OverflowError) as err:
        raise ValueError(f"invalid regex: {err}") from None
    if compiled.flags & re.VERBOSE:
        raise ValueError("the verbose regex flag (?x) is not supported")
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
                i += 2 if pattern[i] == "\\" else 1
            i += 1
        elif char == "(":
            if pattern.startswith(("(?P=", "(?("), i):
                raise ValueError("back-references and conditional groups are not supported")
            extension = re.match(
                r"\((?:\?(?:[:=!>]|<[=!]|P<\w+>|#[^)]*\)|[aiLmsux-]+[:)]))?", pattern[i:]
            )
            assert extension is not None
            i += extension.end()
            if extension[0].startswith("(?#"):  # a comment: the next quantifier skips it
                after_risky_group = previous_risky
            elif not extension[0].endswith(")"):  # a flags-only group closes at once
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
    return compiled
