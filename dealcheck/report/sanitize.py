"""One place that makes text from an input safe to put in any output.

Deal and catalog text (customer names, clause ids and text, SKU names, rule messages)
is written by people dealcheck does not control. Before it reaches a terminal, a CI log,
HTML, SARIF or Markdown it goes through these functions, so that an input cannot:

* move the cursor, restyle the screen or plant a hyperlink (ESC/CSI/OSC sequences, C0
  and C1 control characters, NUL: replaced by U+FFFD);
* start a line of its own (newlines and the Unicode line separators inside a value
  become spaces wherever a renderer puts the value on one line), which is how a clause
  id like ``x\\n::error file=x.yaml::`` would become a GitHub Actions workflow command;
* start a workflow command where a value may keep its line breaks or begins a line: on
  GitHub every line of a job's log that starts with ``::`` (after whitespace) is run as a
  command, whatever the output format, so a U+FFFD is put before such a ``::``.

Each renderer still escapes for its own syntax (HTML entities, XML); these functions
remove what no output format may carry from an input, and hold the two escapes that more
than one renderer needs: Markdown text (:func:`markdown_text`) and JSON documents
(:func:`json_text`).
"""

from __future__ import annotations

import re

__all__ = [
    "REPLACEMENT",
    "ZWJ",
    "guard_lines",
    "json_text",
    "markdown_text",
    "one_line",
    "safe_text",
]

# C0 and C1 control characters and DEL, except tab and the line breaks; lone surrogates
# (which no encoder accepts) too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Every way to break a line: CR LF, CR, LF, VT/FF (already controls), NEL, LS, PS.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_SPACES = re.compile(r"[ \t]*\n[ \t]*")
# A line that GitHub's runner would take for a workflow command: it trims leading
# whitespace (.NET's, a subset of Python's ``\s``) and looks for ``::``. Select Graphic
# Rendition codes a terminal renderer puts first are skipped too, so that coloured output
# is held to the same rule as plain output.
_COMMAND_START = re.compile(r"^((?:[^\S\n]|\x1b\[[0-9;]*m)*)(?=::)", re.MULTILINE)

REPLACEMENT = "\ufffd"


def _clean(text: object) -> str:
    """Line breaks normalised to ``\\n``, every other control character U+FFFD."""
    return _CONTROL.sub(REPLACEMENT, _LINE_BREAK.sub("\n", str(text)))


def guard_lines(text: str) -> str:
    """``text`` with a U+FFFD before the ``::`` of every line that would start with it.

    For whole rendered outputs (and the functions below): dealcheck's text formats never
    begin a line with ``::`` themselves, so such a line can only come from an input.
    """
    return _COMMAND_START.sub(lambda m: m.group(1) + REPLACEMENT, text)


def safe_text(text: object) -> str:
    """``text`` with every control character but tab and line breaks replaced by U+FFFD.

    Line breaks are normalised to ``\\n`` (CR, NEL, U+2028 and U+2029 included), and no
    line starts a workflow command (see :func:`guard_lines`), so the result may go
    anywhere in an output, even at the start of a line.
    """
    return guard_lines(_clean(text))


def one_line(text: object) -> str:
    """``safe_text`` on a single line: every line break becomes one space."""
    return guard_lines(_SPACES.sub(" ", _clean(text)).replace("\n", " "))


# -- Markdown -------------------------------------------------------------------------------

# CommonMark punctuation that could start markup, each escaped with a backslash.
_MARKUP = re.compile(r"([\\`*_\[\]<>|~#!])")
# ``&name;`` and ``&#64;`` would be read as entities: the ``&`` is written as ``&amp;``.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What GitHub turns into a link or a notification although no markup is involved:
# ``@user`` and ``@org/team`` (and the ``@`` of an e-mail address), ``#123`` issue
# references, and the autolinks of bare URLs (``https://…``, ``www.…``, ``mailto:…``).
# A zero-width joiner after the ``@`` or ``#``, or before the ``:``/``.`` of the scheme,
# breaks each pattern while the text reads the same.
_MENTION = re.compile(r"([@#])(?=\w)")
_SCHEME = re.compile(r"(?i)(?<=[a-z0-9])(?=://)|(?<=\bmailto)(?=:)|(?<=\bxmpp)(?=:)")
_WWW = re.compile(r"(?i)(?<=\bwww)(?=\.)")
ZWJ = "\u200d"


def markdown_text(text: object, newline: str = " ") -> str:
    """Input text safe in Markdown running text, a heading or a table cell.

    Control characters are replaced and markup characters escaped, so a value cannot
    add a heading, a table column, HTML or ``[text](url)`` link; ``@mentions``, ``#123``
    references and bare or ``<…>`` URLs are neutralised with a zero-width joiner, so a
    value can neither notify anyone nor become a link. Line breaks become ``newline``
    (a space; ``<br>`` in a table cell), so the value stays on its line.
    """
    text = _ENTITY.sub("&amp;", _clean(text))
    text = _MARKUP.sub(r"\\\1", text)
    text = _MENTION.sub(rf"\1{ZWJ}", text)
    text = _SCHEME.sub(ZWJ, text)
    text = _WWW.sub(ZWJ, text)
    return guard_lines(_SPACES.sub(newline, text).replace("\n", newline))


# -- JSON -----------------------------------------------------------------------------------

# What ``json.dumps(..., ensure_ascii=False)`` leaves raw although a terminal acts on it
# (DEL, C1 controls), a line splitter breaks at it (NEL, U+2028, U+2029: JavaScript and
# ``str.splitlines`` do) or no encoder accepts it (lone surrogates). json.dumps emits these
# only inside strings, where a ``\uXXXX`` escape decodes to the same character.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def json_text(dumped: str) -> str:
    """A JSON document from ``json.dumps(..., ensure_ascii=False)`` with the characters
    above written as ``\\uXXXX`` escapes: the same data, safe to print and to split."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
