"""Document models and the one function that turns a loaded YAML document into a model.

Pydantic's error locations are mapped back to the YAML node that caused them, so every
problem names ``file:line:column``; an unknown key gets a "did you mean".
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from dealcheck.errors import Problem
from dealcheck.models.documents import (
    CATALOG_KINDS,
    KINDS,
    Approval,
    BuiltinOverride,
    ClauseText,
    Commitment,
    Customer,
    Deal,
    DealBody,
    DocumentModel,
    Edition,
    Feature,
    FxRates,
    Line,
    Partner,
    Product,
    Regions,
    Restriction,
    Rule,
    RuleSet,
    RuleTest,
    Sku,
    Waiver,
)
from dealcheck.models.messages import annotation_at, example_of, friendly, nearest_key
from dealcheck.models.salvage import Salvage, data_path, salvage
from dealcheck.suggestions import suggest
from dealcheck.yamlio import Document, PathKey, SourceMap

__all__ = [
    "CATALOG_KINDS",
    "KINDS",
    "Approval",
    "BuiltinOverride",
    "ClauseText",
    "Commitment",
    "Customer",
    "Deal",
    "DealBody",
    "DocumentModel",
    "Edition",
    "Feature",
    "FxRates",
    "Line",
    "Partner",
    "Product",
    "Regions",
    "Restriction",
    "Rule",
    "RuleSet",
    "RuleTest",
    "Salvage",
    "Sku",
    "Waiver",
    "parse_document",
    "salvage",
    "validate_model",
]


def parse_document(
    doc: Document, allowed: tuple[str, ...] | None = None
) -> tuple[DocumentModel | None, list[Problem]]:
    """Validate one loaded document against the model of its ``kind``."""
    data = doc.data
    if not isinstance(data, dict):
        return None, [
            Problem(doc.source.locate(), "expected a mapping with a 'kind' key at the top level")
        ]
    kinds = allowed or tuple(KINDS)
    kind = data.get("kind")
    if kind is None:
        return None, [
            Problem(
                doc.source.locate(), f"missing 'kind' (one of: {', '.join(kinds)})", code="kind"
            )
        ]
    if kind not in kinds:
        hint = suggest(str(kind), kinds)
        extra = f" (did you mean {hint}?)" if hint else f"; expected one of: {', '.join(kinds)}"
        return None, [
            Problem(doc.source.locate(("kind",)), f"unknown kind '{kind}'{extra}", code="kind")
        ]
    return validate_model(KINDS[kind], data, doc.source)


def validate_model(
    model: type[BaseModel], data: Any, source: SourceMap, prefix: PathKey = ()
) -> tuple[Any, list[Problem]]:
    """Validate ``data`` as ``model``; problems are located through ``source``."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = [_problem(model, data, source, err, prefix) for err in exc.errors()]
        return None, sorted(set(problems))


def _problem(
    model: type[BaseModel], data: Any, source: SourceMap, err: Any, prefix: PathKey
) -> Problem:
    path = data_path(data, err["loc"])
    kind = err["type"]
    message = str(err["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    field = path[-1] if path else None
    if kind == "extra_forbidden" and isinstance(field, str):
        known = _field_names(model, path[:-1])
        hint = nearest_key(field, known) if known else None
        message = f"unknown key '{field}'" + (f" (did you mean '{hint}'?)" if hint else "")
        if known and not hint:
            message += f"; expected one of: {', '.join(sorted(known))}"
        return Problem(source.locate_key((*prefix, *path)), message, code="unknown-key")
    loc = tuple(p for p in err["loc"] if isinstance(p, int) or "[" not in str(p))
    if kind == "missing":
        missing = err["loc"][-1]
        example = example_of(annotation_at(model, loc), str(missing))
        return Problem(
            source.locate((*prefix, *path)),
            f"missing required key '{missing}'; add it, for example: {missing}: {example}",
            code="missing-key",
        )
    if message[:1].isupper():  # pydantic's own wording; dealcheck's messages are lowercase
        message = friendly(model, loc, err) or message
    if err["loc"] and err["loc"][-1] == "[key]":  # a mapping key is invalid: point at the key
        return Problem(source.locate_key((*prefix, *path)), message, code="invalid-value")
    if field is not None and isinstance(field, str):
        message = f"'{field}': {message}"
    return Problem(source.locate((*prefix, *path)), message, code="invalid-value")


def _field_names(model: type[BaseModel], path: PathKey) -> set[str] | None:
    """The keys the model accepts at ``path`` (for unknown-key suggestions)."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(part, int):
            current = _element(current)
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            if info is None:
                return None
            current = info.annotation
        else:
            current = _element(current, mapping=True)
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return None


def _unwrap(tp: Any) -> Any:
    """Strip Optional/Annotated so the model class (or container) is left."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp


def _element(tp: Any, mapping: bool = False) -> Any:
    args = typing.get_args(_unwrap(tp))
    if not args:
        return None
    return args[-1] if mapping else args[0]
