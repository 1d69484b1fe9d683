"""The functions of the rule language (``matches``, ``in_region``, ``any_in_region``,
``days_between``, ``len``, ``lower``, ``date``): checked and compiled for a :class:`Compiler`."""

from __future__ import annotations

import ast
import difflib

from dealcheck.expr.compile import Code, Compiler, refuse_private
from dealcheck.expr.names import ARITY, BOOL, DATE, NUMBER, STRING, ExprError, list_of
from dealcheck.expr.parse import parse_date, string_literal
from dealcheck.expr.regex import compile_regex


def call(self: Compiler, node: ast.Call) -> Code:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    refuse_private(
        name, self.attr_offset(func) if isinstance(func, ast.Attribute) else self.at(func)
    )
    functions = ", ".join(ARITY)
    if not isinstance(func, ast.Name):
        if not isinstance(func, ast.Attribute):
            self.expr(func)  # reports a lambda, subscript, ... as such
        raise ExprError(f"only these functions can be called: {functions}", self.at(func))
    if name not in ARITY:
        close = difflib.get_close_matches(name, ARITY, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"the functions are {functions}"
        raise ExprError(f"unknown function `{name}` ({hint})", self.at(func))
    if node.keywords:
        raise ExprError("keyword arguments are not allowed", self.at(node.keywords[0]))
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            raise ExprError("the rule language has no `*` unpacking", self.at(arg))
    if len(node.args) != ARITY[name]:
        count = ARITY[name]
        raise ExprError(
            f"`{name}` takes {count} argument{'s' if count > 1 else ''}, not {len(node.args)}",
            self.at(node),
        )
    args = node.args
    if name == "date":
        day = parse_date(literal_string(self, args[0], "date"))
        if day is None:
            raise ExprError(
                "invalid date; write YYYY-MM-DD or a quarter like 2027-Q2", self.at(args[0])
            )
        return Code(DATE, self.const(day), literal=(day,))
    if name == "matches":
        text = self.typed(args[0], (STRING,), "`matches`")
        try:
            regex = compile_regex(literal_string(self, args[1], "matches"))
        except ValueError as err:
            raise ExprError(str(err), self.at(args[1])) from None
        search = f"{self.const(regex.search)}({text.value}) is not None"
        return Code(BOOL, f"({' and '.join((*text.guards, search))})")
    if name in ("in_region", "any_in_region"):
        many = name == "any_in_region"
        places = self.typed(args[0], (list_of(STRING) if many else STRING,), f"`{name}`")
        region = region_literal(self, args[1], name)
        if many:
            overlaps = f"not {self.const(region.isdisjoint)}({places.value})"
            return Code(BOOL, f"({' and '.join((*places.guards, overlaps))})")
        return Code(BOOL, f"({places.or_none()} in {self.const(region)})")
    if name == "days_between":
        start, end = (self.typed(arg, (DATE,), "`days_between`") for arg in args)
        return Code(NUMBER, f"({end.value} - {start.value}).days", (*start.guards, *end.guards))
    subject = self.expr(args[0])
    if name == "lower" and subject.type == STRING:
        return Code(STRING, f"{subject.value}.lower()", subject.guards)
    if name == "len" and (subject.type == STRING or subject.type.item is not None):
        return Code(NUMBER, f"_len({subject.value})", subject.guards)
    wanted = "a string" if name == "lower" else "a string or a list"
    raise ExprError(f"`{name}` needs {wanted}, but {self.show(args[0], subject)}", self.at(args[0]))


def literal_string(self: Compiler, node: ast.expr, function: str) -> str:
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or self.src is None:
        raise ExprError(f'`{function}` needs a string literal here, like "..."', self.at(node))
    return string_literal(node, self.src)


def region_literal(self: Compiler, node: ast.expr, function: str) -> frozenset[str]:
    name = literal_string(self, node, function)
    countries = self.resolve_region(name) if self.resolve_region else None
    if countries is None:
        raise ExprError(f"unknown region or country `{name}`", self.at(node))
    return frozenset(countries)
