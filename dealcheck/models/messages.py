"""Validation messages in dealcheck's words: what is wrong and what to write instead, with
an example — never pydantic's own wording ("Input should be a valid dictionary or instance
of ClauseText").

:func:`friendly` turns one pydantic error into such a message; :func:`nearest_key` finds the
key a misspelt or shortened one meant (``term`` → ``term_months``).
"""

from __future__ import annotations

import types
import typing
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from dealcheck.suggestions import suggest

__all__ = ["PYDANTIC_PHRASES", "example_of", "friendly", "nearest_key"]

#: Phrases of pydantic's messages that must never reach a user.
PYDANTIC_PHRASES = (
    "Input should be",
    "instance of",
    "validation error",
    "Field required",
    "type=",
    "For further information visit",
    "String should",
    "Tuple should",
    "List should",
    "Value error,",
)

#: An example value per key, as it is written in YAML.
EXAMPLES: dict[str, str] = {
    "id": "Q-2026-0142",
    "kind": "Deal",
    "name": "Example Ltd",
    "country": "DE",
    "segment": "enterprise",
    "currency": "EUR",
    "start_date": "2027-01-01",
    "term_months": "12",
    "payment_terms_days": "30",
    "free_months": "1",
    "date_format": "dmy",
    "margin": "20%",
    "discount": "20%",
    "min_margin": "60%",
    "min_deal_margin": "55%",
    "sku": "AA-PRO-USER-Y",
    "quantity": "10",
    "unit_price": "420.00",
    "list_price": "420.00",
    "unit_cost": "100.00",
    "floor_price": "240.00",
    "feature": "sso",
    "due": "2027-06-30",
    "clause": "7.2",
    "text": "Provider shall provide single sign-on.",
    "sla_uptime": "99.9",
    "uptime": "99.9",
    "lines_file": "crm-export.csv",
    "clauses_file": "contract.docx",
    "rule": "discount-needs-vp",
    "approver": "VP Sales",
    "by": "Jane Doe",
    "on": "2026-11-20",
    "ref": "CRM-1234",
    "fingerprint": "88b686dd",
    "reason": "Agreed with Legal",
    "approved_by": "Jane Doe",
    "expires": "2027-03-31",
    "when": "line.discount > 0.30",
    "severity": "approval",
    "scope": "line",
    "category": "margin",
    "message": "'{line.sku}: {line.discount:%} discount'",
    "fix": "Reduce the discount to 30% or less.",
    "description": "Discounts above 30% need the VP Sales.",
    "enabled": "true",
    "status": "ga",
    "target": "2027-Q2",
    "end_of_life": "2027-12-31",
    "edition": "pro",
    "base": "USD",
    "as_of": "2026-11-02",
    "available_from": "2027-07-01",
    "notes": "Free text.",
    "owner": "Jane Doe",
    "stage": "open",
    "today": "2026-11-22",
}
#: An example per (parent key, key) where the key alone is ambiguous.
_IN_PARENT: dict[tuple[str, str | None], str] = {
    ("clauses", "id"): "'7.2'",
    ("features", "id"): "sso",
    ("editions", "id"): "pro",
    ("rules", "id"): "discount-needs-vp",
    ("customer", "country"): "DE",
    ("partner", "name"): "Example Reseller GmbH",
    ("tests", "name"): "discount-35-needs-vp",
}
_LIST_EXAMPLES: dict[str, str] = {
    "sellable_in": "[US, CA, EU]",
    "deployment_countries": "[DE, AT]",
    "where": "[AU]",
    "features": "[sso, audit-log]",
    "includes": "[standard]",
    "expect": "[discount-needs-vp]",
    "expect_not": "[discount-needs-cfo]",
    "aliases": "[SSO, single sign-on]",
    "approvers": "[Sales Manager, VP Sales, CFO]",
    "clauses": "['Provider shall provide single sign-on.']",
}


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def annotation_at(model: type[BaseModel], path: tuple[Any, ...]) -> Any:
    """The (unwrapped) type the model expects at ``path``; None when unknown."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            current = info.annotation if info is not None else None
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[-1]
        else:
            return None
        if current is None:
            return None
    return _unwrap(current)


def example_of(tp: Any, key: str | None) -> str:
    """An example of a value of type ``tp`` for ``key``, as written in YAML."""
    tp = _unwrap(tp)
    if key in _LIST_EXAMPLES and typing.get_origin(tp) in (tuple, list):
        return _LIST_EXAMPLES[key]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        required = [n for n, f in tp.model_fields.items() if f.is_required() and n != "kind"]
        shown = required[:3] or list(tp.model_fields)[:2]
        return "{" + ", ".join(f"{n}: {EXAMPLES.get(n, '…')}" for n in shown) + "}"
    origin = typing.get_origin(tp)
    if origin in (tuple, list):
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        item = example_of(args[0], None) if args else "…"
        return f"[{item}]"
    if origin is dict:
        values = typing.get_args(tp)
        return "{key: " + (example_of(values[-1], None) if values else "…") + "}"
    if key in EXAMPLES:
        return EXAMPLES[key]
    if tp is int:
        return "12"
    if tp is Decimal:
        return "0.25"
    if tp is date:
        return "2027-01-01"
    if tp is bool:
        return "true"
    return "some text"


def _kind_of(tp: Any) -> str:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "a mapping of keys"
    origin = typing.get_origin(tp)
    if origin in (tuple, list):
        return "a list"
    if origin is dict:
        return "a mapping"
    return "a value"


def friendly(model: type[BaseModel], path: tuple[Any, ...], err: Any) -> str | None:
    """The message for a pydantic error of one of pydantic's own types (None: the error
    already carries dealcheck's message, such as a custom or ``ValueError`` message)."""
    kind = str(err["type"])
    ctx = err.get("ctx") or {}
    got = err.get("input")
    keys = [p for p in path if isinstance(p, str)]
    key = keys[-1] if keys else None
    tp = annotation_at(model, tuple(path))
    example = _IN_PARENT.get((keys[-2], key)) if len(keys) > 1 else None
    example = example or example_of(tp, key)
    shown = _shown(got)
    if kind in ("model_type", "dict_type", "model_attributes_type", "dataclass_type"):
        return f"expected {_kind_of(tp)}, got {shown}; write for example: {example}"
    if kind in ("tuple_type", "list_type", "set_type", "iterable_type"):
        return (
            f"expected a list, got {shown}; write for example: {example} "
            "(or one '- item' line per entry)"
        )
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return f"needs at least {least} entr{'y' if least == 1 else 'ies'}; for example: {example}"
    if kind == "too_long":
        return f"has too many entries: at most {ctx.get('max_length')}"
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return f"expected a whole number, got {shown}; for example: {example}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        word = {
            "greater_than_equal": ("at least", "ge"),
            "greater_than": ("more than", "gt"),
            "less_than_equal": ("at most", "le"),
            "less_than": ("less than", "lt"),
        }[kind]
        return f"must be {word[0]} {ctx.get(word[1])}, got {shown}; for example: {example}"
    if kind == "string_type":
        return f"expected text, got {shown}; write for example: {example} (quote it if needed)"
    if kind == "string_too_short":
        return f"must not be empty; write for example: {example}"
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length')} characters; for example: {example}"
    if kind == "string_pattern_mismatch":
        return (
            f"has the wrong form: {shown} does not match {ctx.get('pattern')}; "
            f"write for example: {example}"
        )
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("' or '", "', '")
        return f"expected one of {expected}, got {shown}; for example: {example}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {shown}"
    if kind.startswith(("date_", "datetime_")):
        return f"expected a date as YYYY-MM-DD, got {shown}; for example: {example}"
    if kind.startswith("decimal_") or kind in ("float_type", "float_parsing"):
        return f"expected a number, got {shown}; for example: {example}"
    if kind == "missing":
        return None
    if kind in ("value_error", "assertion_error") or kind not in _PYDANTIC_KINDS:
        return None
    return f"invalid value {shown}; write for example: {example}"


# Error types pydantic-core raises itself; any other type is one of dealcheck's own
# (PydanticCustomError) with its own message.
_PYDANTIC_KINDS = frozenset(
    {
        "extra_forbidden",
        "enum",
        "union_tag_invalid",
        "union_tag_not_found",
        "is_instance_of",
        "is_subclass_of",
        "callable_type",
        "none_required",
        "frozen_instance",
        "frozen_field",
        "mapping_type",
        "bytes_type",
        "uuid_type",
        "url_type",
        "json_invalid",
        "json_type",
        "recursion_loop",
        "get_attribute_error",
    }
)


def _shown(value: Any) -> str:
    """An input value in a message: short, on one line."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing"
    text = str(value).replace("\n", " ")
    return repr(text if len(text) <= 40 else text[:37] + "...")


def nearest_key(word: str, known: set[str]) -> str | None:
    """The known key ``word`` most likely meant: a close spelling (``unit_prise`` →
    ``unit_price``), or, for a short key, the one key it starts or is a part of
    (``term`` → ``term_months``, ``payment`` → ``payment_terms_days``)."""
    hint = suggest(word, known)
    if hint:
        return hint
    lowered = word.lower().replace("-", "_")
    if len(lowered) < 3:
        return None
    starts = sorted(k for k in known if k.startswith(lowered))
    if len(starts) == 1:
        return starts[0]
    parts = sorted(k for k in known if lowered in k.split("_"))
    if len(parts) == 1:
        return parts[0]
    return None
