"""Checking and code generation: each node of a parsed expression is checked against the
grammar, the scope's names and MODEL's types, and turned into Python source."""

from __future__ import annotations

import ast
import difflib
import operator
import re
import types
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, cast

from dealcheck.expr.names import (
    ALWAYS_GIVEN,
    ARITY,
    BOOL,
    DATE,
    MAX_LIST_ITEMS,
    MODEL,
    NAME_TYPES,
    NULL,
    NUMBER,
    ORDERED,
    SCALARS,
    SCOPES,
    STRING,
    CompiledExpr,
    ExprError,
    RegionResolver,
    Type,
    list_of,
)
from dealcheck.expr.parse import Source, number_literal, parse, string_literal
from dealcheck.expr.render import number, percent, show


@dataclass(frozen=True)
class Code:
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


def as_bool(code: Code) -> str:
    return f"({' and '.join((*code.guards, code.value))})" if code.guards else code.value


NULL_CODE: Final = Code(NULL, "None", ("False",), literal=(None,))
SIMPLE: Final = re.compile(r"[A-Za-z_]\w*")
COMPARE_OPS: Final = {
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
DISPLAY: Final = (*SCALARS, *(list_of(item) for item in SCALARS))


class Compiler:
    """Checks one expression or template node by node and emits Python source for it."""

    def __init__(
        self, scope: str, src: Source | None, resolve_region: RegionResolver | None
    ) -> None:
        if scope not in SCOPES:
            raise ExprError(f"unknown scope `{scope}`; use one of {', '.join(SCOPES)}", 0)
        self.scope, self.params, self.src = scope, SCOPES[scope], src
        self.resolve_region = resolve_region
        self.names: set[str] = set()
        self.fields: set[str] = set()
        self.globals: dict[str, object] = {
            "__builtins__": {}, "_D": Decimal, "_len": len, "_tuple": tuple, "_join": "".join,
            "_show": show, "_percent": percent, "_number": number,
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

    def show(self, node: ast.expr, code: Code) -> str:
        text = self.src.segment(node) if self.src else ""
        return f"`{text if len(text) <= 40 else text[:39] + '…'}` is {code.type.describe()}"

    # --- nodes

    def expr(self, node: ast.expr) -> Code:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name | ast.Attribute):
            return self.path(node)
        if isinstance(node, ast.List):
            return self.list(node)
        if isinstance(node, ast.BoolOp):
            word = "and" if isinstance(node.op, ast.And) else "or"
            parts = [as_bool(self.typed(value, (BOOL,), f"`{word}`")) for value in node.values]
            return Code(BOOL, f"({f' {word} '.join(parts)})")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Code(BOOL, f"(not {as_bool(self.typed(node.operand, (BOOL,), '`not`'))})")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = self.typed(node.operand, (NUMBER,), "`-`")
            if operand.literal is not None:
                return self.number_const(-cast(Decimal, operand.literal[0]))
            return Code(NUMBER, f"(-{operand.value})", operand.guards)
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            return self.arithmetic(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            from dealcheck.expr.functions import call

            return call(self, node)
        culprit: ast.AST = node
        if isinstance(node, ast.BinOp | ast.UnaryOp):
            culprit = node.op
        what = _FORBIDDEN.get(type(culprit), f"`{type(culprit).__name__}`")
        raise ExprError(f"the rule language has no {what}", self.at(node))

    def constant(self, node: ast.Constant) -> Code:
        assert self.src is not None
        value = node.value
        if value is None or isinstance(value, bool):
            word = {None: "null", True: "true", False: "false"}[value]
            raise ExprError(
                f"`{value}` is Python; use {word} (the literals are true/false/null)", self.at(node)
            )
        if isinstance(value, str):
            text = string_literal(node, self.src)
            return Code(STRING, self.const(text), literal=(text,))
        if isinstance(value, int | float | complex):
            return self.number_const(number_literal(node, self.src))
        raise ExprError(f"the rule language has no {type(value).__name__} literals", self.at(node))

    def number_const(self, number: Decimal) -> Code:
        return Code(NUMBER, self.const(number), literal=(number,))

    def path(self, node: ast.Name | ast.Attribute) -> Code:
        parts: list[tuple[str, int]] = []
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            parts.append((current.attr, self.attr_offset(current)))
            current = current.value
        if not isinstance(current, ast.Name):  # ().__class__, "x".upper, f(x).y
            for name, offset in parts:
                refuse_private(name, offset)
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

    def dotted(self, parts: Sequence[tuple[str, int]]) -> Code:
        """``name.field.field…``: checked against the scope and MODEL; null-safe."""
        for name, offset in parts:
            refuse_private(name, offset)
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
            code = Code(
                fields[field], temp, (*code.guards, f"({temp} := {read}) is not None"), maybe
            )
            path = f"{path}.{field}"
        if steps:
            self.fields.add(path)
        return code

    def name(self, name: str, offset: int) -> Code:
        if name in ("true", "false"):
            return Code(BOOL, str(name == "true"), literal=(name == "true",))
        if name == "null":
            return NULL_CODE
        if name in self.params:
            self.names.add(name)
            guards = () if name in ALWAYS_GIVEN else (f"{name} is not None",)
            return Code(NAME_TYPES[name], name, guards, maybe=name)
        if name in NAME_TYPES:
            scopes = " or ".join(scope for scope, params in SCOPES.items() if name in params)
            raise ExprError(
                f"`{name}` is not available in a rule with scope `{self.scope}`; use scope: {scopes}",
                offset,
            )
        if name in ARITY:
            raise ExprError(f"`{name}` is a function; call it like {name}(...)", offset)
        close = difflib.get_close_matches(name, [*self.params, "true", "false", "null"], n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"names here: {', '.join(self.params)}"
        raise ExprError(f"unknown name `{name}` ({hint})", offset)

    def list(self, node: ast.List) -> Code:
        if len(node.elts) > MAX_LIST_ITEMS:
            raise ExprError(f"list has more than {MAX_LIST_ITEMS} items", self.at(node))
        items = [self.expr(item) for item in node.elts]
        for item_node, item in zip(node.elts, items, strict=True):
            if item.type not in SCALARS or item.type != items[0].type:
                raise ExprError(
                    f"list items must be numbers, strings, dates or true/false, all of one kind; "
                    f"{self.show(item_node, item)}",
                    self.at(item_node),
                )
        item_type = items[0].type if items else NULL
        if all(item.literal is not None for item in items):
            values = tuple(item.literal[0] for item in items if item.literal is not None)
            return Code(list_of(item_type), self.const(values), literal=(values,))
        return Code(list_of(item_type), f"[{', '.join(item.or_none() for item in items)}]")

    def typed(self, node: ast.expr, allowed: Sequence[Type], role: str) -> Code:
        code = self.expr(node)
        empty_list = code.type == list_of(NULL) and any(kind.item for kind in allowed)
        if code.type not in allowed and not empty_list:
            wanted = " or ".join(kind.describe() for kind in allowed)
            raise ExprError(f"{role} needs {wanted}, but {self.show(node, code)}", self.at(node))
        return code

    def arithmetic(self, node: ast.BinOp) -> Code:
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
            if not SIMPLE.fullmatch(divisor):
                temp = self.temp()
                guards, divisor = (*guards, f"({temp} := {divisor}) != 0"), temp
            else:
                guards = (*guards, f"{divisor} != 0")
        # Numbers are Decimals or ints (len(), days_between(), integer fields): all exact, except
        # that int / int is a float, so a quotient is taken of a Decimal unless one side is.
        exact = symbol != "/" or left.literal or right.literal
        numerator = left.value if exact else f"_D({left.value})"
        return Code(NUMBER, f"({numerator} {symbol} {divisor})", guards)

    def compare(self, node: ast.Compare) -> Code:
        nodes = [node.left, *node.comparators]
        for op in node.ops:
            if type(op) not in COMPARE_OPS:
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
                if 0 < i < len(codes) - 1 and not SIMPLE.fullmatch(value):
                    values[i] = self.temp()
                    return f"({values[i]} := {value})"
            return values[i]

        for i, op in enumerate(node.ops):
            symbol, left, right = COMPARE_OPS[type(op)], codes[i], codes[i + 1]
            self.check_pair(symbol, (nodes[i], left), (nodes[i + 1], right))
            if NULL in (left.type, right.type):
                present = " and ".join((right if left.type == NULL else left).guards)
                if symbol == "==" and present.endswith(" is not None") and " and " not in present:
                    return Code(BOOL, f"({present.removesuffix(' is not None')} is None)")
                if symbol == "==":
                    return Code(BOOL, f"(not ({present}))" if present else "False")
                return Code(BOOL, f"({present})" if present else "True")
            in_list = symbol in ("in", "not in") and right.type.item is not None
            constant = (
                self.const(frozenset(cast(tuple[object, ...], right.literal[0])))
                if in_list and right.literal
                else None
            )
            if len(codes) == 2 and left.type in SCALARS and (symbol == "==" or symbol == "in"):
                # `None == constant` and `None in constant` are already False: no guards needed.
                if constant or (symbol == "==" and right.literal is not None):
                    return Code(BOOL, f"({left.or_none()} {symbol} {constant or right.value})")
                if symbol == "==" and left.literal is not None:
                    return Code(BOOL, f"({left.value} == {right.or_none()})")
            a, b = operand(i), operand(i + 1)
            if left.type.item is not None:  # list equality, whatever kind of sequence
                terms.append(f"_tuple({a}) {symbol} _tuple({b})")
            else:
                terms.append(f"{a} {symbol} {constant or b}")
        return Code(BOOL, f"({' and '.join(terms)})")

    def check_pair(
        self, symbol: str, left: tuple[ast.expr, Code], right: tuple[ast.expr, Code]
    ) -> None:
        (left_node, left_code), (right_node, right_code) = left, right
        lt, rt = left_code.type, right_code.type
        both = f"{self.show(left_node, left_code)} and {self.show(right_node, right_code)}"
        if symbol in ("in", "not in"):
            if rt == STRING and lt == STRING or lt in SCALARS and rt.item in (lt, NULL):
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
        comparable = SCALARS if symbol in ("==", "!=") else ORDERED
        if lt == rt and (lt in comparable or lt.item in SCALARS and symbol in ("==", "!=")):
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


def refuse_private(name: str, offset: int) -> None:
    if name.startswith("_"):
        raise ExprError(f"`{name}`: names starting with `_` are not allowed", offset)


def compile_condition(text: str, scope: str, resolve_region: RegionResolver) -> CompiledExpr:
    """Check ``text`` as a condition of a rule with ``scope``; raise :class:`ExprError`."""
    tree, src = parse(text)
    compiler = Compiler(scope, src, resolve_region)
    code = compiler.expr(tree)
    if code.type != BOOL:
        raise ExprError(f"a condition must be true or false, but this is {code.type.describe()}", 0)
    fn = compiler.build("when", as_bool(code))
    return CompiledExpr(text, scope, fn, frozenset(compiler.names), frozenset(compiler.fields))
