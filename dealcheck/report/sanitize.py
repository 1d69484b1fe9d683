"""One place that makes text from an input safe to put in any output.

Deal and catalog text (customer names, clause ids and text, SKU names, rule messages)
is written by people dealcheck does not control. Before it reaches a terminal, a CI log,
HTML, SARIF or Markdown it goes through these functions, so that an input cannot:

* move the cursor, restyle the screen or plant a hyperlink (ESC/CSI/OSC sequences, C0
  and C1 control characters, NUL: replaced by U+FFFD);
* start a line of its own (newlines and the Unicode line separators inside a value
  become spaces wherever a renderer puts the value on one line), which is how a clause
  id like ``x\\n::error file=x.yaml::`` would become a GitHub Actions workflow command.

Each renderer still escapes for its own syntax (HTML entities, Markdown, XML); these
functions only remove what no output format may carry from an input.
"""

from __future__ import annotations

import re

# C0 and C1 control characters and DEL, except tab and the line breaks; lone surrogates
# (which no encoder accepts) too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Every way to break a line: CR LF, CR, LF, VT/FF (already controls), NEL, LS, PS.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_SPACES = re.compile(r"[ \t]*\n[ \t]*")

REPLACEMENT = "\ufffd"


def safe_text(text: object) -> str:
    """``text`` with every control character but tab and line breaks replaced by U+FFFD.

    Line breaks are normalised to ``\\n`` (CR, NEL, U+2028 and U+2029 included).
    """
    normalised = _LINE_BREAK.sub("\n", str(text))
    return _CONTROL.sub(REPLACEMENT, normalised)


def one_line(text: object) -> str:
    """``safe_text`` on a single line: every line break becomes one space."""
    return _SPACES.sub(" ", safe_text(text)).replace("\n", " ")
