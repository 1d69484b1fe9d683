"""``matches`` without google-re2: the built-in linear engine (``dealcheck.expr.linear``)
gives RE2's answers and refuses what RE2 refuses.

google-re2 has no wheel for some Pythons (CPython 3.15 when this was written), so
dealcheck does not require it there and searches with its own engine. Both engines are
installed here, so each pattern runs on both, side by side: generated patterns of every
construct ``matches`` accepts, over texts of an alphabet chosen for the places the two
could part (case folding beyond ASCII, ``\\s`` and ``\\v``, ``$`` before a last newline,
word boundaries next to accented letters).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcheck.expr import linear
from dealcheck.expr import regex as regex_module
from dealcheck.expr.regex import compile_regex

ALPHABET = "abikKsSI\u0130\u0131\u212a\u017fß\u1e9eσςΣμéÉ€0 1_-.\n\t\x0b\r,"
#: the reference: where google-re2 is not installed (CPython 3.15), there is nothing to
#: compare the built-in engine with, and these tests say so rather than compare it with
#: itself
needs_re2 = pytest.mark.skipif(
    importlib.util.find_spec("re2") is None,
    reason="google-re2, the reference for the built-in engine, is not installed",
)


@pytest.fixture
def without_re2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As on a Python google-re2 has no wheel for: ``import re2`` fails."""
    monkeypatch.setitem(sys.modules, "re2", None)
    regex_module._re2.cache_clear()
    yield
    regex_module._re2.cache_clear()


def both(pattern: str) -> tuple[object, object]:
    """The pattern compiled for RE2 and for the built-in engine: each a Regex, or the
    ValueError that refused it."""
    results: list[object] = []
    for blocked in ({}, {"re2": None}):  # RE2, then as without google-re2
        with mock.patch.dict(sys.modules, blocked):
            regex_module._re2.cache_clear()
            try:
                results.append(compile_regex(pattern))
            except ValueError as err:
                results.append(err)
    regex_module._re2.cache_clear()
    return results[0], results[1]


def assert_same(pattern: str, texts: list[str]) -> None:
    on_re2, built_in = both(pattern)
    if isinstance(built_in, ValueError) and "too large" in str(built_in):
        return  # a size bound of the built-in engine's own (see test_size_is_bounded)
    assert isinstance(on_re2, ValueError) == isinstance(built_in, ValueError), (
        pattern,
        on_re2,
        built_in,
    )
    if isinstance(on_re2, ValueError):
        return
    for text in texts:
        expected = on_re2.search(text) is not None  # type: ignore[attr-defined]
        got = built_in.search(text) is not None  # type: ignore[attr-defined]
        assert got == expected, (pattern, text, expected)


# -- generated patterns -----------------------------------------------------------------------

_LITERALS = [
    *"abikIKsSσéÉ0 _-.,\u0130\u0131",
    "\\.",
    "\\-",
    "\\n",
    "\\t",
    "\\x41",
    "\\0",
    "ß",
    "\u212a",
]
_ATOMS = [".", "\\d", "\\w", "\\s", "\\D", "\\W", "\\S", "\\b", "\\B", "^", "$", "\\A"]
_CLASS_ITEMS = ["a", "k", "s", "a-k", "A-Z", "0-9", "\\d", "\\w", "\\s", "\\W", "\\D", "é", "\\n"]
_CLASS_ITEMS += ["-", "\\x41-\\x5a", "σ", "\\-", ".", "\\S"]
_QUANTIFIERS = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", "+?", "??", "{2,}?"]


def _class(draw: st.DrawFn) -> str:
    items = draw(st.lists(st.sampled_from(_CLASS_ITEMS), min_size=1, max_size=4))
    return "[" + ("^" if draw(st.booleans()) else "") + "".join(items) + "]"


@st.composite
def patterns(draw: st.DrawFn, depth: int = 2) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9 if depth else 6))
        if kind <= 3:
            atom = draw(st.sampled_from(_LITERALS))
        elif kind <= 5:
            atom = draw(st.sampled_from(_ATOMS))
        elif kind == 6:
            atom = _class(draw)
        else:
            opener = draw(st.sampled_from(["(", "(?:", "(?i:", "(?-i:", "(?s:", "(?m:", "(?P<g>"]))
            options = draw(st.lists(patterns(depth - 1), min_size=1, max_size=3))
            atom = opener + "|".join(options) + ")"
        pieces.append(atom + draw(st.sampled_from(_QUANTIFIERS)))
    prefix = draw(st.sampled_from(["", "", "(?i)", "(?s)", "(?m)", "(?ms)"]))
    return prefix + "".join(pieces)


@needs_re2
@settings(max_examples=400, deadline=None)
@given(patterns(), st.lists(st.text(ALPHABET, max_size=12), min_size=1, max_size=6))
def test_generated_patterns_get_re2s_answers(pattern: str, texts: list[str]) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            re.compile(pattern)
    except (re.error, FutureWarning):
        return  # not a pattern for either engine: Python's re refuses it first
    assert_same(pattern, [*texts, "".join(texts), pattern])


# -- the places the engines could part, named -------------------------------------------------


@needs_re2
@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        # RE2 folds i with I only; Python's re also with the Turkish dotted I and dotless i
        ("i", "\u0130"),
        ("i", "\u0131"),
        ("\u0131", "I"),
        ("\u0130", "i"),
        ("[^i]", "\u0131"),
        (r"\w", "\u0130"),
        (r"\W", "\u0130"),
        (r"\bi", "a\u0131"),
        ("[\u0100-\u017f]", "i"),
        # RE2 reads UTF-8 bytes: \B holds between two bytes of one character
        (r"\B", "a\u00e9a"),
        (r"\B", "a\u20aca"),
        (r"(?:\B)+", "\u20ac"),
        (r"a\B", "a\u00e9"),
        (r"\B\u00e9", "a\u00e9"),
        # digits other than 0-9 make no repetition count, to either engine
        ("a{\u0661}", "a"),
        ("a{1,\u0662}", "a"),
        ("a{,\u0661}", "a{,\u0661}"),
        # RE2 is given "?" for a lone surrogate
        (r"\?", "\ud800"),
        (r"\B", "\ud800"),
        (r"\B", "a\ud800b"),
        # two or three octal digits in a class are a character to both
        ("[\\12]", "\n"),
        ("[\\101]", "A"),
        ("[\\0-\\12]", "\t"),
        ("a$", "a\n"),  # RE2: the end of the text only; Python's re: before a last newline too
        ("(?m)a$", "a\nb"),
        ("(?m)^b", "a\nb"),
        ("^b", "a\nb"),
        (r"\s", "\x0b"),  # RE2's \s has no vertical tab
        (r"\d", "\u0663"),  # an Arabic-Indic digit: \d is ASCII in RE2
        (r"\w", "é"),
        (r"\bé", "xé"),  # \b is an ASCII word boundary
        (r"x\b", "xé"),
        ("k", "\u212a"),  # the Kelvin sign folds to k
        (r"\w", "\u017f"),  # a long s folds to s, so to \w
        (r"[^\w]", "\u017f"),
        (r"\W", "\u212a"),
        ("σ", "ς"),
        ("[a-z]", "\u212a"),
        ("(?-i:A)b", "aB"),
        ("(?-i:A)b", "AB"),
        ("a.b", "a\nb"),
        ("(?s)a.b", "a\nb"),
        ("a[^x]b", "a\nb"),
        (r"\Aab", "cab"),
        ("[\\x41-\\x43]+", "abc"),
        ("[\\0]", "\x00"),
        ("(?:)*x", "x"),
        ("(\\b)*x", "ax"),
    ],
)
def test_where_re2_and_pythons_re_differ_the_engines_agree(pattern: str, text: str) -> None:
    assert_same(pattern, [text, text.upper(), text + "\n"])


@pytest.mark.parametrize(
    "pattern",
    [
        "\\u0041",  # Python's escapes RE2 has not
        "\\U00000041",
        "\\N{LATIN SMALL LETTER A}",
        "a\\Z",
        "(?=a)",
        "(?!a)b",
        "(?<=a)b",
        "(?<!a)b",
        "(?>ab)",
        "a*+",
        "a{1,3}+",
        "[\\b]",
        "(?a)a",
        "(?u)a",
        "a(?#note)",
        "(?#\\))x",  # Python's comment ends at the second ")"
        "a{1001}",
        "[\\1]",  # octal to Python
        "[\\1-\\7]",
        "\\\u20ac",  # RE2 escapes ASCII only
        "[\\\u00b7]",
        "(?P<a\u00b7>x)",  # a name RE2 does not take
        "[a[:digit:]]",  # a POSIX class to RE2, four characters to Python
        "[^[:digit:]]",
        "a\ud800",  # a lone surrogate
        "(?x:#)\n)",  # verbose: `#` starts a comment (an IndexError before)
        "(?x:a#[\n)",
    ],
)
def test_what_re2_refuses_the_built_in_engine_refuses(pattern: str) -> None:
    on_re2, built_in = both(pattern)
    assert isinstance(on_re2, ValueError), on_re2
    assert isinstance(built_in, ValueError), built_in
    assert "not supported" in str(built_in) or str(built_in).startswith(
        ("invalid regex", "regex holds", "`[:")
    ), built_in


@needs_re2
@pytest.mark.parametrize(
    ("pattern", "written"),
    [
        ("a{,3}", "{0,3}"),
        ("x{,}y", "{0,}"),
        ("x{01}", "{1}"),  # a leading zero: text to RE2 as well
        ("x{1,02}", "{1,2}"),
        ("x{02,}", "{2,}"),
        ("x{00}y", "{0}"),
    ],
)
def test_a_repetition_count_re2_reads_as_text_is_refused(pattern: str, written: str) -> None:
    """Python reads ``{,3}`` as zero to three and ``{01}`` as one; RE2 reads both as text,
    so the rule would never fire. Refused on either engine, with the spelling both read
    alike."""
    for result in both(pattern):
        assert isinstance(result, ValueError)
        assert f"write `{written}`" in str(result)


# -- bounds -------------------------------------------------------------------------------------


def test_size_is_bounded() -> None:
    with pytest.raises(linear.TooLarge, match="more than 1000 characters"):
        linear.LinearRegex("(abc){334}")
    linear.LinearRegex("(ab){500}")  # 1,000: the largest it takes
    with pytest.raises(linear.TooLarge, match="more than 3000 states"):
        linear.LinearRegex(r"(?:\b|x|y){500}")  # 1,000 characters, over 3,000 states


def test_empty_repetitions_cost_nothing() -> None:
    """``(?:){0,1000}`` repeats nothing: it adds no states, so no step can be slowed by
    thousands of them (RE2 accepts it)."""
    pattern = "(?:){0,1000}" * 39 + r"a[ab]{20}c(?:\b){5,9}"
    assert len(linear.LinearRegex(pattern).program.kinds) < 150


def test_deep_nesting_is_refused_not_a_crash(without_re2: None) -> None:
    """RE2 takes 244 nested groups; the built-in engine stops at 100, with a message."""
    for depth in (101, 244):
        with pytest.raises(ValueError, match="^regex is too large: groups nested more than 100"):
            compile_regex("(" * depth + "a" + ")" * depth)
    assert compile_regex("(" * 100 + "a" + ")" * 100).search("a")


def test_the_dfa_cache_stays_bounded_and_the_answers_right(without_re2: None) -> None:
    """``[ab]*a[ab]{12}`` has thousands of DFA states: over a long random text the cache
    fills and is dropped again and again, and the answer stays RE2's."""
    import random

    rng = random.Random(7)
    text = "".join(rng.choice("ab") for _ in range(30_000)) + "c"
    built_in = linear.LinearRegex("[ab]*a[ab]{12}c")
    assert built_in.search(text) == (True if text[-14] == "a" else None)
    assert built_in._cached <= linear._CACHE + linear.MAX_STATES
    sizes = []
    for _ in range(3):
        built_in.search(text)
        sizes.append(built_in._cached)
    assert max(sizes) <= linear._CACHE + linear.MAX_STATES


# -- a whole run without google-re2 (and orjson) ---------------------------------------------


@needs_re2
@pytest.mark.usefixtures("as_a_user")
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_check_without_the_compiled_extras_writes_the_same_report(fmt: str, tmp_path: Path) -> None:
    """The sample catalog's clause rules (``rules/clauses.yaml`` uses ``matches``) over every
    example deal: byte for byte the report of an install with google-re2 and orjson, with
    ``import re2`` and ``import orjson`` failing as on a Python they have no wheels for."""
    blocker = tmp_path / "no-wheels"
    blocker.mkdir()
    for module in ("re2", "orjson"):
        (blocker / f"{module}.py").write_text(f"raise ImportError('no {module}')\n", "utf-8")
    command = [sys.executable, "-m", "dealcheck", "check", "examples/deals", "-f", fmt]
    command += ["--today", "2026-11-22", "--jobs", "1"]
    env = {**os.environ, "DEALCHECK_CACHE_DIR": str(tmp_path / "cache")}
    with_extras = subprocess.run(command, capture_output=True, env=env, check=False)
    env["PYTHONPATH"] = str(blocker)
    without = subprocess.run(command, capture_output=True, env=env, check=False)
    assert without.stderr == b""
    assert without.returncode == with_extras.returncode == 1
    assert b"clause-uncapped-liability" in with_extras.stdout  # the clause rules fired
    assert without.stdout == with_extras.stdout
