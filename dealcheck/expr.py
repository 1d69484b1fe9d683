"""The rule expression language: parse, name-check, type-check and compile once.

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
``(\\s+inc)?`` is fine.

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
"""

from __future__ import annotations

import ast
import difflib
import operator
import re
import types
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Final, TypeAlias, cast

MAX_TEXT_CHARS: Final = 2_000
MAX_NUMBER_DIGITS: Final = 30
MAX_STRING_CHARS: Final = 1_000
MAX_LIST_ITEMS: Final = 500
MAX_DEPTH: Final = 40
MAX_REGEX_CHARS: Final = 500
MAX_FORMAT_PLACES: Final = 10


class ExprError(Exception):
    """A problem in an expression or template at ``offset`` (0-based, in characters)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset

    def __reduce__(self) -> tuple[type[ExprError], tuple[str, int]]:
        return ExprError, (self.message, self.offset)  # so it survives pickling (worker processes)


@dataclass(frozen=True)
class Type:
    """A type of the language: a scalar, ``null``, ``list`` of ``item``, or an object of MODEL."""

    name: str
    item: Type | None = None

    def __str__(self) -> str:
        return self.name if self.item is None else f"list[{self.item}]"

    def describe(self) -> str:
        if self.item is not None:
            return "an empty list" if self.item == NULL else f"a list of {self.item.name}s"
        return {"bool": "true/false", "null": "null"}.get(self.name, f"a {self.name}")


NUMBER: Final = Type("number")
STRING: Final = Type("string")
DATE: Final = Type("date")
BOOL: Final = Type("bool")
NULL: Final = Type("null")
_SCALARS: Final = (NUMBER, STRING, DATE, BOOL)
_ORDERED: Final = (NUMBER, STRING, DATE)


def _list(item: Type) -> Type:
    return Type("list", item)


#: The documented deal model, as text: object type: field type, ... (every field may be None).
MODEL_TEXT: Final = """
deal: id string, currency string, start_date date, end_date date, term_months number,
  payment_terms_days number, free_months number, date_format string, sla_uptime number,
  total number, margin number, countries list[string], deployment_countries list[string],
  customer customer, partner partner, lines list[line], commitments list[commitment],
  clauses list[clause]
customer: name string, country string, segment string
partner: name string, country string, margin number
line: index number, sku string, quantity number, unit_price number, list_price number,
  discount number, net_unit number, effective_discount number, margin number, total number,
  floor_price number, unit_cost number, min_margin number, product string, edition string
sku: sku string, name string, product string, edition string, features list[string],
  list_price number, unit_cost number, floor_price number, min_margin number,
  available_from date
product: id string, name string, currency string, sla_uptime number
commitment: feature string, due date, clause string, source string, text string
feature: id string, name string, status string, target date, end_of_life date,
  committable bool, product string
clause: id string, text string
"""


def _read_model(text: str) -> dict[str, dict[str, Type]]:
    model: dict[str, dict[str, Type]] = {}
    for entry in re.split(r"\n(?=\w)", text.strip()):
        kind, _, fields = entry.partition(":")
        model[kind] = {}
        for field in fields.split(","):
            name, type_name = field.split()
            item = type_name.removeprefix("list[").removesuffix("]")
            model[kind][name] = Type(item) if item == type_name else _list(Type(item))
    return model


#: Object type -> field -> type, read from MODEL_TEXT.
MODEL: Final[dict[str, dict[str, Type]]] = _read_model(MODEL_TEXT)

#: Top-level names and their types.
NAME_TYPES: Final[dict[str, Type]] = {**{name: Type(name) for name in MODEL}, "today": DATE}

#: Scope -> the compiled function's positional parameters, in order.
SCOPES: Final[dict[str, tuple[str, ...]]] = {
    "deal": ("deal", "customer", "partner", "today"),
    "line": ("deal", "customer", "partner", "today", "line", "sku", "product"),
    "commitment": ("deal", "customer", "partner", "today", "commitment", "feature", "product"),
    "clause": ("deal", "customer", "partner", "today", "clause"),
}

# The engine always passes these; the other names may be None.
_ALWAYS_GIVEN: Final = frozenset({"deal", "today", "line", "commitment", "clause"})
_ARITY: Final = {
    "matches": 2, "in_region": 2, "any_in_region": 2, "days_between": 2, "len": 1, "lower": 1,
    "date": 1,
}  # fmt: skip

RegionResolver: TypeAlias = Callable[[str], frozenset[str] | None]
Band: TypeAlias = tuple[Decimal | None, bool, Decimal | None, bool]


@dataclass(frozen=True)
class CompiledExpr:
    """A checked ``when:`` expression; call it with the arguments of ``SCOPES[scope]``."""

    source: str
    scope: str
    fn: Callable[..., object]
    names: frozenset[str]
    fields: frozenset[str]

    def __call__(self, *args: object) -> object:
        return self.fn(*args)


@dataclass(frozen=True)
class CompiledTemplate:
    """A checked ``message:`` template; calling it renders the message."""

    source: str
    scope: str
    fn: Callable[..., str]
    names: frozenset[str]
    fields: frozenset[str]

    def __call__(self, *args: object) -> str:
        return self.fn(*args)


def compile_condition(text: str, scope: str, resolve_region: RegionResolver) -> CompiledExpr:
    """Check ``text`` as a condition of a rule with ``scope``; raise :class:`ExprError`."""
    tree, src = _parse(text)
    compiler = _Compiler(scope, src, resolve_region)
    code = compiler.expr(tree)
    if code.type != BOOL:
        raise ExprError(f"a condition must be true or false, but this is {code.type.describe()}", 0)
    fn = compiler.build("when", _as_bool(code))
    return CompiledExpr(text, scope, fn, frozenset(compiler.names), frozenset(compiler.fields))


def compile_template(text: str, scope: str) -> CompiledTemplate:
    """Check a message template: ``{path}``, ``{path:format}``, ``{{`` and ``}}``."""
    if len(text) > MAX_TEXT_CHARS:
        raise ExprError(f"template is longer than {MAX_TEXT_CHARS} characters", MAX_TEXT_CHARS)
    compiler = _Compiler(scope, None, None)
    pieces: list[str] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "{}" and text.startswith(char * 2, i):
            literal.append(char)
            i += 2
        elif char == "}":
            raise ExprError("single `}` in template (write `}}` for a brace)", i)
        elif char == "{":
            end = text.find("}", i)
            if end < 0 or "{" in text[i + 1 : end]:
                raise ExprError("unclosed `{` in template (write `{{` for a brace)", i)
            if literal:
                pieces.append(compiler.const("".join(literal)))
                literal.clear()
            pieces.append(compiler.placeholder(text[i + 1 : end], i + 1))
            i = end + 1
        else:
            literal.append(char)
            i += 1
    if literal or not pieces:
        pieces.append(compiler.const("".join(literal)))
    body = pieces[0] if len(pieces) == 1 else f"_join(({', '.join(pieces)},))"
    fn = compiler.build("message", body)
    return CompiledTemplate(text, scope, fn, frozenset(compiler.names), frozenset(compiler.fields))


def discount_band(expr: CompiledExpr) -> Band | None:
    """The band of ``line.discount`` that ``expr`` tests, as (low, low_inclusive, high,
    high_inclusive) with None for an open end, if ``expr`` is nothing but a conjunction of
    comparisons of ``line.discount`` with numbers; else None. Tightest bounds win."""
    if expr.fields != {"line.discount"}:
        return None
    tree, src = _parse(expr.source)
    low: tuple[Decimal, bool] | None = None
    high: tuple[Decimal, bool] | None = None
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            pending.extend(node.values)
            continue
        if not isinstance(node, ast.Compare):
            return None
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
            symbol = _COMPARE_OPS.get(type(op), "")
            number = _number_operand(right, src) if _is_discount(left) else None
            if number is None and _is_discount(right):  # `0.2 < line.discount`: turn it round
                number = _number_operand(left, src)
                symbol = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(symbol, symbol)
            if number is None or symbol not in ("<", "<=", ">", ">=", "=="):
                return None
            if symbol in (">", ">=", "=="):
                low = _tighter(low, number, symbol != ">", higher_is_tighter=True)
            if symbol in ("<", "<=", "=="):
                high = _tighter(high, number, symbol != "<", higher_is_tighter=False)
    return (
        low[0] if low else None,
        low[1] if low else False,
        high[0] if high else None,
        high[1] if high else False,
    )


def _tighter(
    bound: tuple[Decimal, bool] | None, number: Decimal, inclusive: bool, *, higher_is_tighter: bool
) -> tuple[Decimal, bool]:
    if bound is None:
        return number, inclusive
    if bound[0] == number:
        return number, bound[1] and inclusive
    return (number, inclusive) if (number > bound[0]) == higher_is_tighter else bound


def _is_discount(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "discount"
        and isinstance(node.value, ast.Name)
        and node.value.id == "line"
    )


def _number_operand(node: ast.expr, src: _Source) -> Decimal | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        number = _number_operand(node.operand, src)
        return None if number is None else -number
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return _number_literal(node, src)
    return None


# --- parsing ---------------------------------------------------------------------------


class _Source:
    """The text as handed to ``ast.parse``, mapping its UTF-8 columns back to characters."""

    def __init__(self, text: str) -> None:
        flat = text.replace("\r", " ").replace("\n", " ")
        self.body = flat.lstrip()
        self.lead = len(flat) - len(self.body)
        self.encoded = b""

    def offset(self, node: ast.expr | ast.keyword) -> int:
        return self.lead + len(self.encoded[: node.col_offset].decode("utf-8", "replace"))

    def segment(self, node: ast.expr) -> str:
        end = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return self.encoded[node.col_offset : end].decode("utf-8", "replace")


def _parse(text: str) -> tuple[ast.expr, _Source]:
    if len(text) > MAX_TEXT_CHARS:
        raise ExprError(f"expression is longer than {MAX_TEXT_CHARS} characters", MAX_TEXT_CHARS)
    if "\0" in text:
        raise ExprError("expression contains a NUL character", text.index("\0"))
    src = _Source(text)
    if not src.body.strip():
        raise ExprError("empty expression", 0)
    try:
        with warnings.catch_warnings():  # invalid escapes: strings are re-read raw below
            warnings.simplefilter("ignore")
            tree = ast.parse(src.body, mode="eval")
        src.encoded = src.body.encode("utf-8")
    except SyntaxError as err:
        at = src.lead + (err.offset - 1 if err.offset and err.offset > 0 else len(src.body))
        message = re.sub(r" \(detected at line \d+\)$", "", err.msg)
        near = text[at:].split(" ")[0][:12]
        where = f"at `{near}`" if near else "at the end of the expression"
        raise ExprError(f"{message} {where}", at) from None
    except (RecursionError, MemoryError):
        raise ExprError("expression is nested too deeply", 0) from None
    except ValueError as err:  # e.g. a lone surrogate cannot be encoded
        raise ExprError(f"cannot read the expression: {err}", 0) from None
    _check_shape(tree.body, src)
    return tree.body, src


def _check_shape(root: ast.expr, src: _Source) -> None:
    """Refuse deep nesting (before anything recursive runs) and comments."""
    stack = [(root, 1)]
    strings: list[tuple[int, int]] = []
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExprError(
                f"expression is nested more than {MAX_DEPTH} levels deep", src.offset(node)
            )
        if isinstance(node, ast.Constant | ast.JoinedStr):
            strings.append((node.col_offset, node.end_col_offset or node.col_offset))
        stack.extend(
            (child, depth + 1)
            for child in ast.iter_child_nodes(node)
            if isinstance(child, ast.expr)
        )
    for match in re.finditer(rb"#", src.encoded):
        if not any(start <= match.start() < end for start, end in strings):
            at = src.lead + len(src.encoded[: match.start()].decode("utf-8", "replace"))
            raise ExprError("comments (`#`) are not allowed in an expression", at)


def _number_literal(node: ast.Constant, src: _Source) -> Decimal:
    """The exact Decimal a number literal spells (``1e3``, ``1_000``; not hex, not ``1j``)."""
    text = src.segment(node)
    if not re.fullmatch(r"[\d_]*\.?[\d_]*(?:[eE][+-]?[\d_]+)?", text):
        raise ExprError(
            f"write numbers in decimal, like 0.25 or 1000, not `{text}`", src.offset(node)
        )
    number = Decimal(text.replace("_", ""))
    # Bounded size keeps Decimal arithmetic on rules far from overflow.
    too_long = sum(char.isdigit() for char in text) > MAX_NUMBER_DIGITS
    if too_long or abs(number.adjusted()) > MAX_NUMBER_DIGITS:
        limit = f"at most {MAX_NUMBER_DIGITS} digits"
        raise ExprError(
            f"number `{text[:40]}` is too long or too large ({limit})", src.offset(node)
        )
    return number


def _string_literal(node: ast.Constant, src: _Source) -> str:
    """The literal's text between its quotes, backslashes kept (strings are raw)."""
    text = src.segment(node)
    body = text[1:] if text[:1] in "rR" else text
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    if quote not in ('"', "'", '"""', "'''"):
        raise ExprError("write strings as \"...\" or '...' (no prefixes)", src.offset(node))
    i = len(quote)
    while not body.startswith(quote, i):
        i += 2 if body[i] == "\\" else 1
    if i + len(quote) != len(body):
        raise ExprError(
            "write one string literal, not several next to each other", src.offset(node)
        )
    if i - len(quote) > MAX_STRING_CHARS:
        raise ExprError(f"string is longer than {MAX_STRING_CHARS} characters", src.offset(node))
    return body[len(quote) : i]


def _parse_date(text: str) -> date | None:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])|Q([1-4]) (\d{4})", text)
    if quarter is None:
        return None
    year = int(quarter[1] or quarter[4])
    month = 3 * int(quarter[2] or quarter[3])
    return date(year, month, 30 if month in (6, 9) else 31)


# --- regex safety --------------------------------------------------------------------------

_BRACES: Final = re.compile(r"\{(\d*)(,?)(\d*)\}")


def _compile_regex(pattern: str) -> re.Pattern[str]:
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


# --- checking and code generation -----------------------------------------------------------


@dataclass(frozen=True)
class _Code:
    """A checked sub-expression: once every guard holds, ``value`` is present (not None)."""

    type: Type
    value: str
    guards: tuple[str, ...] = ()
    maybe: str | None = None  # a cheaper "value or None" than the generic form
    literal: tuple[object] | None = None  # (value,) when known at load time

    def or_none(self) -> str:
        if self.maybe is not None or not self.guards:
            return self.maybe or self.value
        return f"({self.value} if {' and '.join(self.guards)} else None)"


def _as_bool(code: _Code) -> str:
    return f"({' and '.join((*code.guards, code.value))})" if code.guards else code.value


_NULL_CODE: Final = _Code(NULL, "None", ("False",), literal=(None,))
_SIMPLE: Final = re.compile(r"[A-Za-z_]\w*")
_COMPARE_OPS: Final = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.In: "in", ast.NotIn: "not in",
}  # fmt: skip
_ARITHMETIC: Final = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_FOLD: Final = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
_FORBIDDEN: Final[dict[type[ast.AST], str]] = {
    ast.Subscript: "subscripts (`x[...]`)", ast.Slice: "slices", ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions", ast.GeneratorExp: "generator expressions",
    ast.JoinedStr: "f-strings", ast.FormattedValue: "f-strings", ast.NamedExpr: "`:=`",
    ast.IfExp: "`x if c else y`", ast.Starred: "`*` unpacking", ast.Dict: "dict literals",
    ast.Set: "set literals", ast.Tuple: "tuples", ast.Await: "`await`", ast.Yield: "`yield`",
    ast.YieldFrom: "`yield`", ast.Pow: "`**`", ast.FloorDiv: "`//`", ast.Mod: "`%`",
    ast.MatMult: "`@`", ast.BitAnd: "`&`", ast.BitOr: "`|`", ast.BitXor: "`^`",
    ast.LShift: "`<<`", ast.RShift: "`>>`", ast.Invert: "`~`", ast.UAdd: "unary `+`",
    ast.Is: "`is` (use `== null`)", ast.IsNot: "`is not` (use `!= null`)",
}  # fmt: skip
_DISPLAY: Final = (*_SCALARS, *(_list(item) for item in _SCALARS))


class _Compiler:
    """Checks one expression or template node by node and emits Python source for it."""

    def __init__(
        self, scope: str, src: _Source | None, resolve_region: RegionResolver | None
    ) -> None:
        if scope not in SCOPES:
            raise ExprError(f"unknown scope `{scope}`; use one of {', '.join(SCOPES)}", 0)
        self.scope, self.params, self.src = scope, SCOPES[scope], src
        self.resolve_region = resolve_region
        self.names: set[str] = set()
        self.fields: set[str] = set()
        self.globals: dict[str, object] = {
            "__builtins__": {}, "_D": Decimal, "_len": len, "_tuple": tuple, "_join": "".join,
            "_show": _show, "_percent": _percent, "_number": _number,
        }  # fmt: skip
        self.temps = 0

    def build(self, name: str, body: str) -> types.FunctionType:
        source = f"def {name}({', '.join(self.params)}):\n    return {body}\n"
        try:
            module = compile(source, f"<dealcheck {self.scope} {name}>", "exec", dont_inherit=True)
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            raise ExprError("expression is too complex", 0) from None
        code = next(const for const in module.co_consts if isinstance(const, types.CodeType))
        return types.FunctionType(code, self.globals, name)

    def const(self, value: object) -> str:
        name = f"_k{len(self.globals)}"
        self.globals[name] = value
        return name

    def temp(self) -> str:
        self.temps += 1
        return f"_t{self.temps}"

    def at(self, node: ast.expr | ast.keyword) -> int:
        return self.src.offset(node) if self.src else 0

    def show(self, node: ast.expr, code: _Code) -> str:
        text = self.src.segment(node) if self.src else ""
        return f"`{text if len(text) <= 40 else text[:39] + '…'}` is {code.type.describe()}"

    # --- nodes

    def expr(self, node: ast.expr) -> _Code:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name | ast.Attribute):
            return self.path(node)
        if isinstance(node, ast.List):
            return self.list(node)
        if isinstance(node, ast.BoolOp):
            word = "and" if isinstance(node.op, ast.And) else "or"
            parts = [_as_bool(self.typed(value, (BOOL,), f"`{word}`")) for value in node.values]
            return _Code(BOOL, f"({f' {word} '.join(parts)})")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return _Code(BOOL, f"(not {_as_bool(self.typed(node.operand, (BOOL,), '`not`'))})")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = self.typed(node.operand, (NUMBER,), "`-`")
            if operand.literal is not None:
                return self.number_const(-cast(Decimal, operand.literal[0]))
            return _Code(NUMBER, f"(-{operand.value})", operand.guards)
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            return self.arithmetic(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        culprit: ast.AST = node
        if isinstance(node, ast.BinOp | ast.UnaryOp):
            culprit = node.op
        what = _FORBIDDEN.get(type(culprit), f"`{type(culprit).__name__}`")
        raise ExprError(f"the rule language has no {what}", self.at(node))

    def constant(self, node: ast.Constant) -> _Code:
        assert self.src is not None
        value = node.value
        if value is None or isinstance(value, bool):
            word = {None: "null", True: "true", False: "false"}[value]
            raise ExprError(
                f"`{value}` is Python; use {word} (the literals are true/false/null)", self.at(node)
            )
        if isinstance(value, str):
            text = _string_literal(node, self.src)
            return _Code(STRING, self.const(text), literal=(text,))
        if isinstance(value, int | float | complex):
            return self.number_const(_number_literal(node, self.src))
        raise ExprError(f"the rule language has no {type(value).__name__} literals", self.at(node))

    def number_const(self, number: Decimal) -> _Code:
        return _Code(NUMBER, self.const(number), literal=(number,))

    def path(self, node: ast.Name | ast.Attribute) -> _Code:
        parts: list[tuple[str, int]] = []
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            parts.append((current.attr, self.attr_offset(current)))
            current = current.value
        if not isinstance(current, ast.Name):  # ().__class__, "x".upper, f(x).y
            for name, offset in parts:
                _refuse_private(name, offset)
            raise ExprError(
                "fields can only be read from names, like `deal.total`", self.at(current)
            )
        return self.dotted([(current.id, self.at(current)), *parts[::-1]])

    def attr_offset(self, node: ast.Attribute) -> int:
        assert self.src is not None and node.end_col_offset is not None
        start = node.end_col_offset - len(node.attr.encode("utf-8"))
        if self.src.encoded[start : node.end_col_offset] != node.attr.encode("utf-8"):
            return self.src.offset(node)  # an NFKC-normalised identifier: point at the path
        return self.src.lead + len(self.src.encoded[:start].decode("utf-8", "replace"))

    def dotted(self, parts: Sequence[tuple[str, int]]) -> _Code:
        """``name.field.field…``: checked against the scope and MODEL; null-safe."""
        for name, offset in parts:
            _refuse_private(name, offset)
        (name, offset), *steps = parts
        code = self.name(name, offset)
        path = name
        for field, offset in steps:
            fields = MODEL.get(code.type.name) if code.type.item is None else None
            if fields is None:
                raise ExprError(
                    f"`{path}` is {code.type.describe()}; it has no field `{field}`", offset
                )
            if field not in fields:
                close = difflib.get_close_matches(field, fields, n=1)
                hint = (
                    f"did you mean `{path}.{close[0]}`?"
                    if close
                    else f"fields: {', '.join(fields)}"
                )
                raise ExprError(f"unknown field `{path}.{field}` ({hint})", offset)
            temp, read = self.temp(), f"{code.value}.{field}"
            maybe = f"({read} if {' and '.join(code.guards)} else None)" if code.guards else read
            code = _Code(
                fields[field], temp, (*code.guards, f"({temp} := {read}) is not None"), maybe
            )
            path = f"{path}.{field}"
        if steps:
            self.fields.add(path)
        return code

    def name(self, name: str, offset: int) -> _Code:
        if name in ("true", "false"):
            return _Code(BOOL, str(name == "true"), literal=(name == "true",))
        if name == "null":
            return _NULL_CODE
        if name in self.params:
            self.names.add(name)
            guards = () if name in _ALWAYS_GIVEN else (f"{name} is not None",)
            return _Code(NAME_TYPES[name], name, guards, maybe=name)
        if name in NAME_TYPES:
            scopes = " or ".join(scope for scope, params in SCOPES.items() if name in params)
            raise ExprError(
                f"`{name}` is not available in a rule with scope `{self.scope}`; use scope: {scopes}",
                offset,
            )
        if name in _ARITY:
            raise ExprError(f"`{name}` is a function; call it like {name}(...)", offset)
        close = difflib.get_close_matches(name, [*self.params, "true", "false", "null"], n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"names here: {', '.join(self.params)}"
        raise ExprError(f"unknown name `{name}` ({hint})", offset)

    def list(self, node: ast.List) -> _Code:
        if len(node.elts) > MAX_LIST_ITEMS:
            raise ExprError(f"list has more than {MAX_LIST_ITEMS} items", self.at(node))
        items = [self.expr(item) for item in node.elts]
        for item_node, item in zip(node.elts, items, strict=True):
            if item.type not in _SCALARS or item.type != items[0].type:
                raise ExprError(
                    f"list items must be numbers, strings, dates or true/false, all of one kind; "
                    f"{self.show(item_node, item)}",
                    self.at(item_node),
                )
        item_type = items[0].type if items else NULL
        if all(item.literal is not None for item in items):
            values = tuple(item.literal[0] for item in items if item.literal is not None)
            return _Code(_list(item_type), self.const(values), literal=(values,))
        return _Code(_list(item_type), f"[{', '.join(item.or_none() for item in items)}]")

    def typed(self, node: ast.expr, allowed: Sequence[Type], role: str) -> _Code:
        code = self.expr(node)
        empty_list = code.type == _list(NULL) and any(kind.item for kind in allowed)
        if code.type not in allowed and not empty_list:
            wanted = " or ".join(kind.describe() for kind in allowed)
            raise ExprError(f"{role} needs {wanted}, but {self.show(node, code)}", self.at(node))
        return code

    def arithmetic(self, node: ast.BinOp) -> _Code:
        symbol = _ARITHMETIC[type(node.op)]
        left, right = (
            self.typed(side, (NUMBER,), f"`{symbol}`") for side in (node.left, node.right)
        )
        if symbol == "/" and right.literal is not None and right.literal[0] == 0:
            raise ExprError("division by zero", self.at(node.right))
        if left.literal is not None and right.literal is not None:
            folded = _FOLD[symbol](left.literal[0], right.literal[0])
            return self.number_const(folded)
        guards, divisor = (*left.guards, *right.guards), right.value
        if symbol == "/" and right.literal is None:  # dividing by zero gives null
            if not _SIMPLE.fullmatch(divisor):
                temp = self.temp()
                guards, divisor = (*guards, f"({temp} := {divisor}) != 0"), temp
            else:
                guards = (*guards, f"{divisor} != 0")
        # Numbers are Decimals or ints (len(), days_between(), integer fields): all exact, except
        # that int / int is a float, so a quotient is taken of a Decimal unless one side is.
        exact = symbol != "/" or left.literal or right.literal
        numerator = left.value if exact else f"_D({left.value})"
        return _Code(NUMBER, f"({numerator} {symbol} {divisor})", guards)

    def compare(self, node: ast.Compare) -> _Code:
        nodes = [node.left, *node.comparators]
        for op in node.ops:
            if type(op) not in _COMPARE_OPS:
                raise ExprError(f"the rule language has no {_FORBIDDEN[type(op)]}", self.at(node))
        codes = [self.expr(operand) for operand in nodes]
        if len(codes) > 2 and any(code.type == NULL for code in codes):
            raise ExprError("compare with null on its own, like `partner == null`", self.at(node))
        terms: list[str] = []
        values: dict[int, str] = {}

        def operand(i: int) -> str:  # each operand is read once, after its guards
            if i not in values:
                terms.extend(codes[i].guards)
                value = values[i] = codes[i].value
                if 0 < i < len(codes) - 1 and not _SIMPLE.fullmatch(value):
                    values[i] = self.temp()
                    return f"({values[i]} := {value})"
            return values[i]

        for i, op in enumerate(node.ops):
            symbol, left, right = _COMPARE_OPS[type(op)], codes[i], codes[i + 1]
            self.check_pair(symbol, (nodes[i], left), (nodes[i + 1], right))
            if NULL in (left.type, right.type):
                present = " and ".join((right if left.type == NULL else left).guards)
                if symbol == "==" and present.endswith(" is not None") and " and " not in present:
                    return _Code(BOOL, f"({present.removesuffix(' is not None')} is None)")
                if symbol == "==":
                    return _Code(BOOL, f"(not ({present}))" if present else "False")
                return _Code(BOOL, f"({present})" if present else "True")
            in_list = symbol in ("in", "not in") and right.type.item is not None
            constant = (
                self.const(frozenset(cast(tuple[object, ...], right.literal[0])))
                if in_list and right.literal
                else None
            )
            if len(codes) == 2 and left.type in _SCALARS and (symbol == "==" or symbol == "in"):
                # `None == constant` and `None in constant` are already False: no guards needed.
                if constant or (symbol == "==" and right.literal is not None):
                    return _Code(BOOL, f"({left.or_none()} {symbol} {constant or right.value})")
                if symbol == "==" and left.literal is not None:
                    return _Code(BOOL, f"({left.value} == {right.or_none()})")
            a, b = operand(i), operand(i + 1)
            if left.type.item is not None:  # list equality, whatever kind of sequence
                terms.append(f"_tuple({a}) {symbol} _tuple({b})")
            else:
                terms.append(f"{a} {symbol} {constant or b}")
        return _Code(BOOL, f"({' and '.join(terms)})")

    def check_pair(
        self, symbol: str, left: tuple[ast.expr, _Code], right: tuple[ast.expr, _Code]
    ) -> None:
        (left_node, left_code), (right_node, right_code) = left, right
        lt, rt = left_code.type, right_code.type
        both = f"{self.show(left_node, left_code)} and {self.show(right_node, right_code)}"
        if symbol in ("in", "not in"):
            if rt == STRING and lt == STRING or lt in _SCALARS and rt.item in (lt, NULL):
                return
            if rt.item is None and rt != STRING:
                right_is = self.show(right_node, right_code)
                message = f"`{symbol}` needs a list or a string on its right, but {right_is}"
                raise ExprError(message, self.at(right_node))
            raise ExprError(f"`{symbol}` cannot look for this: {both}", self.at(left_node))
        if NULL in (lt, rt):
            if symbol not in ("==", "!="):
                raise ExprError("null can only be compared with == or !=", self.at(left_node))
            return
        comparable = _SCALARS if symbol in ("==", "!=") else _ORDERED
        if lt == rt and (lt in comparable or lt.item in _SCALARS and symbol in ("==", "!=")):
            return
        if (
            symbol in ("==", "!=")
            and lt.item is not None
            and rt.item is not None
            and NULL in (lt.item, rt.item)
        ):
            return
        hint = ""
        if {lt, rt} == {DATE, STRING}:
            hint = '; write a date as date("2027-01-01")'
        elif lt == rt == BOOL:
            hint = "; true/false values cannot be ordered"
        elif lt.name in MODEL or rt.name in MODEL:
            hint = "; an object can only be compared with null"
        raise ExprError(f"cannot compare with `{symbol}`: {both}{hint}", self.at(left_node))

    def call(self, node: ast.Call) -> _Code:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        _refuse_private(
            name, self.attr_offset(func) if isinstance(func, ast.Attribute) else self.at(func)
        )
        functions = ", ".join(_ARITY)
        if not isinstance(func, ast.Name):
            if not isinstance(func, ast.Attribute):
                self.expr(func)  # reports a lambda, subscript, ... as such
            raise ExprError(f"only these functions can be called: {functions}", self.at(func))
        if name not in _ARITY:
            close = difflib.get_close_matches(name, _ARITY, n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"the functions are {functions}"
            raise ExprError(f"unknown function `{name}` ({hint})", self.at(func))
        if node.keywords:
            raise ExprError("keyword arguments are not allowed", self.at(node.keywords[0]))
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise ExprError("the rule language has no `*` unpacking", self.at(arg))
        if len(node.args) != _ARITY[name]:
            count = _ARITY[name]
            raise ExprError(
                f"`{name}` takes {count} argument{'s' if count > 1 else ''}, not {len(node.args)}",
                self.at(node),
            )
        args = node.args
        if name == "date":
            day = _parse_date(self.literal_string(args[0], "date"))
            if day is None:
                raise ExprError(
                    "invalid date; write YYYY-MM-DD or a quarter like 2027-Q2", self.at(args[0])
                )
            return _Code(DATE, self.const(day), literal=(day,))
        if name == "matches":
            text = self.typed(args[0], (STRING,), "`matches`")
            try:
                regex = _compile_regex(self.literal_string(args[1], "matches"))
            except ValueError as err:
                raise ExprError(str(err), self.at(args[1])) from None
            search = f"{self.const(regex.search)}({text.value}) is not None"
            return _Code(BOOL, f"({' and '.join((*text.guards, search))})")
        if name in ("in_region", "any_in_region"):
            many = name == "any_in_region"
            places = self.typed(args[0], (_list(STRING) if many else STRING,), f"`{name}`")
            region = self.region(args[1], name)
            if many:
                overlaps = f"not {self.const(region.isdisjoint)}({places.value})"
                return _Code(BOOL, f"({' and '.join((*places.guards, overlaps))})")
            return _Code(BOOL, f"({places.or_none()} in {self.const(region)})")
        if name == "days_between":
            start, end = (self.typed(arg, (DATE,), "`days_between`") for arg in args)
            return _Code(
                NUMBER, f"({end.value} - {start.value}).days", (*start.guards, *end.guards)
            )
        subject = self.expr(args[0])
        if name == "lower" and subject.type == STRING:
            return _Code(STRING, f"{subject.value}.lower()", subject.guards)
        if name == "len" and (subject.type == STRING or subject.type.item is not None):
            return _Code(NUMBER, f"_len({subject.value})", subject.guards)
        wanted = "a string" if name == "lower" else "a string or a list"
        raise ExprError(
            f"`{name}` needs {wanted}, but {self.show(args[0], subject)}", self.at(args[0])
        )

    def literal_string(self, node: ast.expr, function: str) -> str:
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or self.src is None:
            raise ExprError(f'`{function}` needs a string literal here, like "..."', self.at(node))
        return _string_literal(node, self.src)

    def region(self, node: ast.expr, function: str) -> frozenset[str]:
        name = self.literal_string(node, function)
        countries = self.resolve_region(name) if self.resolve_region else None
        if countries is None:
            raise ExprError(f"unknown region or country `{name}`", self.at(node))
        return frozenset(countries)

    def placeholder(self, inner: str, offset: int) -> str:
        """One ``{path}`` or ``{path:format}`` of a template, as a call rendering it."""
        path, colon, spec = inner.partition(":")
        start = offset + len(path) - len(path.lstrip())
        path = path.strip()
        if not re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", path, re.ASCII):
            raise ExprError(
                f"expected a field path like `line.sku` in braces, not `{inner}`", offset
            )
        parts: list[tuple[str, int]] = []
        for part in path.split("."):
            parts.append((part, start))
            start += len(part) + 1
        code = self.dotted(parts)
        if code.type not in _DISPLAY:
            raise ExprError(f"`{path}` is {code.type.describe()}; show one of its fields", offset)
        value = code.or_none()
        if not colon:
            return f"_show({value})"
        at = offset + inner.index(":") + 1
        if code.type != NUMBER:
            raise ExprError(
                f"format `{spec}` needs a number, but `{path}` is {code.type.describe()}", at
            )
        if spec == "%":
            return f"_percent({value})"
        places = re.fullmatch(r",?(?:\.(\d+)f)?", spec)
        if not spec or places is None or int(places[1] or 0) > MAX_FORMAT_PLACES:
            raise ExprError(
                f"unknown format `{spec}`; use %, .2f, ,.2f or , (at most 10 places)", at
            )
        return f"_number({value}, {self.const(spec)})"


def _refuse_private(name: str, offset: int) -> None:
    if name.startswith("_"):
        raise ExprError(f"`{name}`: names starting with `_` are not allowed", offset)


# --- rendering (called by compiled templates) --------------------------------------------------

_TENTH: Final = Decimal("0.1")


def _show(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_show(item) for item in value)
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _percent(value: object) -> str:
    """A fraction as a percentage rounded half-even to 0.1 %: 0.25 -> ``25.0%``."""
    if not _is_number(value):
        return _show(value)
    percent = Decimal(value) * 100  # type: ignore[arg-type]
    try:
        return f"{percent.quantize(_TENTH, ROUND_HALF_EVEN):f}%"
    except InvalidOperation:  # too many digits to quantize
        return f"{percent:f}%"


def _number(value: object, spec: str) -> str:
    return format(value, spec) if _is_number(value) else _show(value)
