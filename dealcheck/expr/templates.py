"""Message templates: ``{path}`` or ``{path:format}`` over a scope's names, ``{{``/``}}``."""

from __future__ import annotations

import re

from dealcheck.expr.compile import DISPLAY, Compiler
from dealcheck.expr.names import (
    MAX_FORMAT_PLACES,
    MAX_TEXT_CHARS,
    NUMBER,
    CompiledTemplate,
    ExprError,
)


def compile_template(text: str, scope: str) -> CompiledTemplate:
    """Check a message template: ``{path}``, ``{path:format}``, ``{{`` and ``}}``."""
    if len(text) > MAX_TEXT_CHARS:
        raise ExprError(f"template is longer than {MAX_TEXT_CHARS} characters", MAX_TEXT_CHARS)
    compiler = Compiler(scope, None, None)
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
            pieces.append(placeholder(compiler, text[i + 1 : end], i + 1))
            i = end + 1
        else:
            literal.append(char)
            i += 1
    if literal or not pieces:
        pieces.append(compiler.const("".join(literal)))
    body = pieces[0] if len(pieces) == 1 else f"_join(({', '.join(pieces)},))"
    fn = compiler.build("message", body)
    return CompiledTemplate(text, scope, fn, frozenset(compiler.names), frozenset(compiler.fields))


def placeholder(self: Compiler, inner: str, offset: int) -> str:
    """One ``{path}`` or ``{path:format}`` of a template, as a call rendering it."""
    path, colon, spec = inner.partition(":")
    start = offset + len(path) - len(path.lstrip())
    path = path.strip()
    if not re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", path, re.ASCII):
        raise ExprError(f"expected a field path like `line.sku` in braces, not `{inner}`", offset)
    parts: list[tuple[str, int]] = []
    for part in path.split("."):
        parts.append((part, start))
        start += len(part) + 1
    code = self.dotted(parts)
    if code.type not in DISPLAY:
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
        raise ExprError(f"unknown format `{spec}`; use %, .2f, ,.2f or , (at most 10 places)", at)
    return f"_number({value}, {self.const(spec)})"
