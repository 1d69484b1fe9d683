"""The rule language's names and types: limits, :class:`ExprError`, the deal model
(:data:`MODEL`), the names of each scope (:data:`SCOPES`) and the compiled forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TypeAlias

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
SCALARS: Final = (NUMBER, STRING, DATE, BOOL)
ORDERED: Final = (NUMBER, STRING, DATE)


def list_of(item: Type) -> Type:
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


def read_model(text: str) -> dict[str, dict[str, Type]]:
    model: dict[str, dict[str, Type]] = {}
    for entry in re.split(r"\n(?=\w)", text.strip()):
        kind, _, fields = entry.partition(":")
        model[kind] = {}
        for field in fields.split(","):
            name, type_name = field.split()
            item = type_name.removeprefix("list[").removesuffix("]")
            model[kind][name] = Type(item) if item == type_name else list_of(Type(item))
    return model


#: Object type -> field -> type, read from MODEL_TEXT.
MODEL: Final[dict[str, dict[str, Type]]] = read_model(MODEL_TEXT)

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
ALWAYS_GIVEN: Final = frozenset({"deal", "today", "line", "commitment", "clause"})
ARITY: Final = {
    "matches": 2, "in_region": 2, "any_in_region": 2, "days_between": 2, "len": 1, "lower": 1,
    "date": 1,
}  # fmt: skip

RegionResolver: TypeAlias = Callable[[str], frozenset[str] | None]


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
