"""What a condition can be true for: an exact analysis over the closed grammar.

A condition is turned into a disjunction of conjunctions (DNF). Each conjunction
constrains fields to :class:`~dealcheck.expr.intervals.IntervalSet`\\ s (numbers; dates as
day numbers; an object or any field compared with ``null`` as present or not), each with
or without null. Comparisons of one field with constants (``< <= > >= == !=``, ``in`` /
``not in`` a list of constants, constant arithmetic folded exactly) are analysed; anything
else (``matches``, region tests, ``len``, arithmetic between fields, string tests) is an
*opaque* atom: true or false, independently of everything else. Treating those atoms as
free can only make a condition look satisfiable when it is not, never the reverse, so the
analysis never claims that a rule cannot fire, or always fires with another, when it can
or does not. Null follows the language: a comparison with null is false, ``not`` reads it
as false, so ``not line.discount > 0.2`` holds for a missing discount.

Nothing is evaluated: the text is parsed with the language's own parser and only
literals are read.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import reduce
from typing import Final

from dealcheck.expr.intervals import Interval, IntervalSet, simple_point
from dealcheck.expr.names import DATE, MODEL, NAME_TYPES, NUMBER, ExprError, Type
from dealcheck.expr.parse import Source, number_literal, parse, parse_date, string_literal

#: Beyond this many conjunctions a question is left unanswered (no claim is made).
MAX_CONJUNCTIONS: Final = 512

_OPS: Final = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.In: "in", ast.NotIn: "not in",
}  # fmt: skip
_TURN: Final = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)


def _range(low: Decimal | None, low_inc: bool, high: Decimal | None, high_inc: bool,
           integer: bool = False) -> IntervalSet:  # fmt: skip
    return IntervalSet.of([Interval(low, low_inc, high, high_inc)], integer)


#: What the models (dealcheck.models) and the derived quantities (SPEC §3) let a field be.
#: A discount is 1 - unit_price / list_price with a price of 0 or more: at most 1, and
#: below 0 for a price above list; margins are at most 1; days and months are whole.
MODEL_RANGES: Final[dict[str, IntervalSet]] = {
    "line.discount": _range(None, False, _ONE, True),
    "line.effective_discount": _range(None, False, _ONE, True),
    "line.margin": _range(None, False, _ONE, True),
    "deal.margin": _range(None, False, _ONE, True),
    "line.quantity": _range(_ZERO, False, None, False),
    "line.index": _range(_ONE, True, None, False, integer=True),
    "line.unit_price": _range(_ZERO, True, None, False),
    "line.list_price": _range(_ZERO, True, None, False),
    "line.net_unit": _range(_ZERO, True, None, False),
    "line.total": _range(_ZERO, True, None, False),
    "line.floor_price": _range(_ZERO, True, None, False),
    "line.unit_cost": _range(_ZERO, True, None, False),
    "line.min_margin": _range(_ZERO, True, _ONE, True),
    "sku.list_price": _range(_ZERO, True, None, False),
    "sku.unit_cost": _range(_ZERO, True, None, False),
    "sku.floor_price": _range(_ZERO, True, None, False),
    "sku.min_margin": _range(_ZERO, True, _ONE, True),
    "deal.total": _range(_ZERO, True, None, False),
    "deal.term_months": _range(_ONE, True, Decimal(1200), True, integer=True),
    "deal.payment_terms_days": _range(_ZERO, True, Decimal(3650), True, integer=True),
    "deal.free_months": _range(_ZERO, True, Decimal(1199), True, integer=True),
    "deal.sla_uptime": _range(_ZERO, False, Decimal(100), True),
    "product.sla_uptime": _range(_ZERO, False, Decimal(100), True),
    "partner.margin": _range(_ZERO, True, _ONE, True),
}
_PRESENT: Final = _range(_ZERO, True, _ZERO, True, integer=True)  # an object or a string: "there"


def model_range(var: str, kind: str) -> IntervalSet:
    """The values the models allow ``var`` (of ``kind`` number, date or present)."""
    if kind == "present":
        return _PRESENT
    if kind == "date":
        return IntervalSet.everything(integer=True)
    return MODEL_RANGES.get(var, IntervalSet.everything())


@dataclass(frozen=True)
class Constraint:
    """The non-null values a field may take, and whether it may be null."""

    values: IntervalSet
    null: bool

    def both(self, other: Constraint) -> Constraint:
        return Constraint(self.values.intersect(other.values), self.null and other.null)

    def negate(self) -> Constraint:
        return Constraint(self.values.complement(), not self.null)


@dataclass(frozen=True)
class Conjunction:
    """Fields constrained together, and opaque atoms required true or false."""

    fields: dict[str, Constraint] = field(default_factory=dict)
    atoms: dict[str, bool] = field(default_factory=dict)

    def both(self, other: Conjunction) -> Conjunction | None:
        atoms = dict(self.atoms)
        for key, value in other.atoms.items():
            if atoms.setdefault(key, value) != value:
                return None
        fields = dict(self.fields)
        for name, constraint in other.fields.items():
            fields[name] = fields[name].both(constraint) if name in fields else constraint
        return Conjunction(fields, atoms)


class TooComplex(Exception):
    """The question would need more than MAX_CONJUNCTIONS conjunctions."""


@dataclass
class Analysis:
    """A condition, analysed: its DNF over the reals (``raw``) and its variables' kinds."""

    source: str
    scope: str
    raw: list[Conjunction]
    negated: list[Conjunction]
    kinds: dict[str, str]

    def within_model(self, conj: Conjunction) -> Conjunction | None:
        """``conj`` with every field limited to what the models allow; None if impossible."""
        fields: dict[str, Constraint] = {}
        for name, constraint in conj.fields.items():
            values = constraint.values.intersect(model_range(name, self.kinds.get(name, "number")))
            if values.empty and not constraint.null:
                return None
            fields[name] = Constraint(values, constraint.null)
        for name, constraint in fields.items():  # a field of a missing object is missing
            for parent in _parents(name):
                if parent in fields and fields[parent].values.empty and not constraint.null:
                    return None
        return Conjunction(fields, conj.atoms)

    @property
    def cases(self) -> list[Conjunction]:
        """The satisfiable conjunctions, within the models' ranges."""
        return [c for c in (self.within_model(c) for c in self.raw) if c is not None]

    @property
    def opaque(self) -> bool:
        return any(c.atoms for c in self.raw)

    def band(self, var: str, within_model: bool = True) -> tuple[IntervalSet, bool] | None:
        """The values of ``var`` (and whether null) the condition holds for, if it reads
        nothing else (apart from ``var``'s objects being there); else None."""
        allowed = {var, *_parents(var)}
        kind = self.kinds.get(var, "number")
        values = IntervalSet.nothing(model_range(var, kind).integer)
        null = False
        for conj in self.cases if within_model else self.raw:
            if conj.atoms or not set(conj.fields) <= allowed:
                return None
            constraint = conj.fields.get(var, Constraint(IntervalSet.everything(), True))
            if any(conj.fields[p].values.empty for p in _parents(var) if p in conj.fields):
                null = null or constraint.null
                continue
            if within_model:
                constraint = Constraint(
                    constraint.values.intersect(model_range(var, kind)), constraint.null
                )
            values, null = values.union(constraint.values), null or constraint.null
        return values, null

    def variables(self) -> set[str]:
        return {name for conj in self.raw for name in conj.fields}


def witness(analysis: Analysis, conj: Conjunction) -> dict[str, Decimal | None]:
    """Values for the fields of a satisfiable ``conj`` (None: leave it missing)."""
    out: dict[str, Decimal | None] = {}
    for name in sorted(conj.fields, key=lambda n: n.count(".")):
        constraint = conj.fields[name]
        values = constraint.values.intersect(model_range(name, analysis.kinds.get(name, "number")))
        parent_missing = any(out.get(p, _ZERO) is None for p in _parents(name) if p in out)
        out[name] = None if parent_missing or values.empty else simple_point(values)
    return out


def implies(a: Analysis, b: Analysis) -> bool | None:
    """Whenever ``a`` holds, does ``b``? None when too complex to tell."""
    if len(a.raw) * max(len(b.negated), 1) > MAX_CONJUNCTIONS * 8:
        return None
    both_kinds = _joined(a, b)
    for left in a.raw:
        for right in b.negated:
            both = left.both(right)
            if both is not None and both_kinds.within_model(both) is not None:
                return False
    return True


def _joined(a: Analysis, b: Analysis) -> Analysis:
    """An analysis knowing the kinds of the fields of both (for their conjunctions)."""
    return Analysis(a.source, a.scope, [], [], {**b.kinds, **a.kinds})


def both_cases(a: Analysis, b: Analysis) -> list[Conjunction] | None:
    """The satisfiable conjunctions of ``a and b``; None when too complex to tell."""
    if len(a.raw) * len(b.raw) > MAX_CONJUNCTIONS * 8:
        return None
    out = []
    both_kinds = _joined(a, b)
    for left in a.raw:
        for right in b.raw:
            both = left.both(right)
            inside = both_kinds.within_model(both) if both is not None else None
            if inside is not None:
                out.append(inside)
    return out


def analyse(text: str, scope: str) -> Analysis | None:
    """The analysis of a condition that compiles in ``scope``; None when too complex."""
    try:
        tree, src = parse(text)
        converter = _Converter(src)
        raw = converter.dnf(tree, negate=False)
        negated = converter.dnf(tree, negate=True)
    except (TooComplex, ExprError, RecursionError):
        return None
    return Analysis(text, scope, raw, negated, converter.kinds)


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _product(left: list[Conjunction], right: list[Conjunction]) -> list[Conjunction]:
    if len(left) * len(right) > MAX_CONJUNCTIONS:
        raise TooComplex
    out = []
    for a in left:
        for b in right:
            both = a.both(b)
            if both is not None and all(
                not (c.values.empty and not c.null) for c in both.fields.values()
            ):
                out.append(both)
    return out


_CANONICAL: Final = {"deal.customer": "customer", "deal.partner": "partner"}


class _Converter:
    def __init__(self, src: Source) -> None:
        self.src = src
        self.kinds: dict[str, str] = {}

    def dnf(self, node: ast.expr, negate: bool) -> list[Conjunction]:
        if isinstance(node, ast.BoolOp):
            conjoin = isinstance(node.op, ast.And) != negate
            parts = [self.dnf(value, negate) for value in node.values]
            if conjoin:
                return reduce(_product, parts)
            joined = [c for part in parts for c in part]
            if len(joined) > MAX_CONJUNCTIONS:
                raise TooComplex
            return joined
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.dnf(node.operand, not negate)
        if isinstance(node, ast.Name) and node.id in ("true", "false"):
            return [Conjunction()] if (node.id == "true") != negate else []
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            atoms = [
                self.atom(_OPS[type(op)], left, right)
                for op, left, right in zip(node.ops, operands, operands[1:], strict=False)
            ]
            if negate:
                return [_negate(atom) for atom in atoms]
            return reduce(_product, ([atom] for atom in atoms))
        return [_negate(self.opaque(node))] if negate else [self.opaque(node)]

    def opaque(self, node: ast.expr) -> Conjunction:
        return Conjunction(atoms={" ".join(self.src.segment(node).split()): True})

    def atom(self, symbol: str, left: ast.expr, right: ast.expr) -> Conjunction:
        """One comparison, as a constraint on one field or an opaque atom."""
        if _is_null(right) or _is_null(left):
            path = self.path(left if _is_null(right) else right)
            if (
                path is not None
                and symbol in ("==", "!=")
                and not (_is_null(left) and _is_null(right))
            ):
                name, kind = path
                kind = kind if kind in ("number", "date") else "present"
                self.kinds[name] = kind
                everything = IntervalSet.everything()
                present = Constraint(everything, False)
                return Conjunction({name: present if symbol == "!=" else present.negate()})
        path = self.path(left)
        other = right
        if path is None and symbol in _TURN:
            path, other, symbol = self.path(right), left, _TURN[symbol]
        if path is not None and path[1] in ("number", "date"):
            name, kind = path
            values = self.values(symbol, other, kind)
            if values is not None:
                self.kinds[name] = kind
                return Conjunction({name: Constraint(values, False)})
        return Conjunction(atoms={f"{self.text(left)} {symbol} {self.text(right)}": True})

    def values(self, symbol: str, node: ast.expr, kind: str) -> IntervalSet | None:
        if symbol in ("in", "not in"):
            if not isinstance(node, ast.List):
                return None
            points = [self.constant(item, kind) for item in node.elts]
            if any(p is None for p in points):
                return None
            found = IntervalSet.of(Interval(p, True, p, True) for p in points if p is not None)
            return found if symbol == "in" else found.complement()
        value = self.constant(node, kind)
        return None if value is None else IntervalSet.compare(symbol, value)

    def constant(self, node: ast.expr, kind: str) -> Decimal | None:
        """The exact value of a literal number (or constant arithmetic), or date literal."""
        if kind == "date":
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "date"
                and len(node.args) == 1
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                day = parse_date(string_literal(node.args[0], self.src))
                return None if day is None else Decimal(day.toordinal())
            return None
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return number_literal(node, self.src)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.constant(node.operand, kind)
            return None if inner is None else -inner
        if isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub, ast.Mult, ast.Div):
            a, b = self.constant(node.left, kind), self.constant(node.right, kind)
            if a is None or b is None:
                return None
            try:
                if isinstance(node.op, ast.Add):
                    return a + b
                if isinstance(node.op, ast.Sub):
                    return a - b
                if isinstance(node.op, ast.Mult):
                    return a * b
                return a / b
            except (DivisionByZero, InvalidOperation):
                return None
        return None

    def path(self, node: ast.expr) -> tuple[str, str] | None:
        """``name.field…`` as (canonical path, kind: number, date or other), else None."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in NAME_TYPES:
            return None
        parts.append(node.id)
        parts.reverse()
        kind: Type | None = NAME_TYPES[node.id]
        for part in parts[1:]:
            fields = MODEL.get(kind.name) if kind is not None and kind.item is None else None
            kind = fields.get(part) if fields else None
        if kind is None:
            return None
        name = ".".join(parts)
        for long, short in _CANONICAL.items():
            if name == long or name.startswith(long + "."):
                name = short + name[len(long) :]
        return name, {NUMBER: "number", DATE: "date"}.get(kind, kind.name)

    def text(self, node: ast.expr) -> str:
        return " ".join(self.src.segment(node).split())


def _is_null(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "null"


def _negate(atom: Conjunction) -> Conjunction:
    """The negation of a one-constraint or one-atom conjunction."""
    if atom.atoms:
        ((key, value),) = atom.atoms.items()
        return Conjunction(atoms={key: not value})
    ((name, constraint),) = atom.fields.items()
    return Conjunction({name: constraint.negate()})
