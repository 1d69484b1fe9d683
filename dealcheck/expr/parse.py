"""Parsing a rule expression: ``ast.parse`` behind limits, and exact literals."""

from __future__ import annotations

import ast
import re
import warnings
from datetime import date
from decimal import Decimal

from dealcheck.expr.names import (
    MAX_DEPTH,
    MAX_NUMBER_DIGITS,
    MAX_STRING_CHARS,
    MAX_TEXT_CHARS,
    ExprError,
)


class Source:
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


def parse(text: str) -> tuple[ast.expr, Source]:
    if len(text) > MAX_TEXT_CHARS:
        raise ExprError(f"expression is longer than {MAX_TEXT_CHARS} characters", MAX_TEXT_CHARS)
    if "\0" in text:
        raise ExprError("expression contains a NUL character", text.index("\0"))
    src = Source(text)
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
    check_shape(tree.body, src)
    return tree.body, src


def check_shape(root: ast.expr, src: Source) -> None:
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


def number_literal(node: ast.Constant, src: Source) -> Decimal:
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


def string_literal(node: ast.Constant, src: Source) -> str:
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


def parse_date(text: str) -> date | None:
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
