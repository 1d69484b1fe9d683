"""The rule expression language: parse, name-check, type-check and compile once; and an
exact analysis of what conditions can be true (:mod:`dealcheck.expr.intervals`).

A rule's ``when:`` is an expression and its ``message:`` a template (SPEC §5). Both are
compiled once, when the catalog loads, into plain Python functions; every problem is an
:class:`ExprError` with a 0-based character offset into the text.

Grammar (a closed whitelist over Python's ``ast``; every other node is an error)::

    expr     := expr ("and" | "or") expr | "not" expr | compare
    compare  := sum (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") sum)*
    sum      := sum ("+" | "-" | "*" | "/") sum | "-" sum | atom
    atom     := NUMBER | STRING | "true" | "false" | "null" | "[" [expr ("," expr)*] "]"
              | NAME ("." FIELD)* | FUNCTION "(" expr ("," expr)* ")" | "(" expr ")"

* Numbers are exact ``Decimal``s built from the literal's text (``0.1`` is 0.1). Strings
  are raw: a backslash stays a backslash, so ``"\\d+ days"`` is the regex it looks like.
  Line breaks count as spaces. ``date("2027-01-01")`` and ``date("2027-Q2")`` (the last
  day of the quarter) are date literals.
* NAMEs are those of the rule's scope (:data:`SCOPES`); fields follow :data:`MODEL`.
  Nothing starting with ``_`` is a name or a field.
* Functions: ``matches(text, "regex")`` (case-insensitive search), ``in_region(country,
  "EMEA")``, ``any_in_region(countries, "EU")``, ``days_between(a, b)`` (b - a, in days),
  ``len(x)``, ``lower(s)``. Regexes and regions are string literals, resolved at load.
* Types (number, string, date, bool, list, the objects of MODEL, null) are checked when the
  rule loads: no mixed comparisons (except ``== null``/``!= null``), no ordering of
  booleans, arithmetic on numbers only, ``and``/``or``/``not`` on booleans only.
* Limits: 2,000 characters, 30 digits per number, 1,000 characters per string, 500 list
  items, nesting 40 deep.

Null semantics (SPEC §5.2): any field, and ``customer``, ``partner``, ``sku``, ``product``
and ``feature``, may be null (``None``); ``deal``, ``today`` and the scope's own object are
always given. A comparison with a null side is false, except with the literal ``null``,
which tests presence. Reading a field of null, arithmetic with null and division by zero
give null; functions given null give null (``matches`` and the region tests give false);
``and``/``or``/``not`` read null as false, so conditions always return ``True``/``False``.

Regexes in ``matches`` must be string literals of at most 500 characters. Refused because
they can make a search run for ages or are ambiguous: back-references, conditional groups,
the verbose flag, and a group repeated by ``*``, ``+`` or ``{m,n}`` that itself contains a
quantifier or ``|`` (``(a+)+``, ``(a|aa)*``, ``(\\w+\\s?)*``); an optional group such as
``(\\s+inc)?`` is fine. ``{,n}`` is refused too: Python reads it as ``{0,n}``, RE2 as text.

Templates: ``{path}`` or ``{path:format}`` over the same names and fields, ``{{``/``}}`` for
braces. Formats: ``%`` (a fraction as a percentage to 0.1 %, half-even), ``.2f``, ``,.2f``
and ``,``. Null shows as ``n/a``, dates as ISO, lists joined by ``, ``.

Safety: the text is parsed by ``ast.parse`` and every node is checked against the grammar
above before any code is generated. The generated Python source contains only the scope's
parameter names, field names taken from MODEL, generated temporaries and hoisted constants
(``_k9``…); no text of the author is pasted into it. The function is built with ``compile``
and ``types.FunctionType`` over globals holding ``{"__builtins__": {}}`` and the helpers
below, so an expression can read the documented fields and call the listed functions, and
nothing else. The engine may call ``CompiledExpr.fn`` directly, skipping ``__call__``.

Modules: :mod:`~dealcheck.expr.names` (limits, types, MODEL, SCOPES), :mod:`~.parse`,
:mod:`~.regex`, :mod:`~.compile` (checking and code generation), :mod:`~.functions`,
:mod:`~.templates`, :mod:`~.render` (the language); :mod:`~.intervals` and
:mod:`~.logic` (the analysis: conditions as unions of Decimal intervals per field, used by
the sales sheet's approval bands and by ``dealcheck lint``).
"""

from __future__ import annotations

from dealcheck.expr.compile import compile_condition
from dealcheck.expr.intervals import Band, discount_band
from dealcheck.expr.names import (
    ARITY,
    BOOL,
    DATE,
    MAX_DEPTH,
    MAX_LIST_ITEMS,
    MAX_NUMBER_DIGITS,
    MAX_REGEX_CHARS,
    MAX_STRING_CHARS,
    MAX_TEXT_CHARS,
    MODEL,
    MODEL_TEXT,
    NAME_TYPES,
    NULL,
    NUMBER,
    SCOPES,
    STRING,
    CompiledExpr,
    CompiledTemplate,
    ExprError,
    RegionResolver,
    Type,
)
from dealcheck.expr.templates import compile_template

#: The functions of the language and their arities (the old private name, kept for callers).
_ARITY = ARITY

__all__ = [
    "ARITY",
    "BOOL",
    "DATE",
    "MAX_DEPTH",
    "MAX_LIST_ITEMS",
    "MAX_NUMBER_DIGITS",
    "MAX_REGEX_CHARS",
    "MAX_STRING_CHARS",
    "MAX_TEXT_CHARS",
    "MODEL",
    "MODEL_TEXT",
    "NAME_TYPES",
    "NULL",
    "NUMBER",
    "SCOPES",
    "STRING",
    "Band",
    "CompiledExpr",
    "CompiledTemplate",
    "ExprError",
    "RegionResolver",
    "Type",
    "compile_condition",
    "compile_template",
    "discount_band",
]
