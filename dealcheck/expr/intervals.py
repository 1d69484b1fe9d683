"""Sets of exact Decimals as unions of intervals with open or closed ends.

The analysis of conditions (:mod:`dealcheck.expr.logic`) describes what a rule lets one
field be as an :class:`IntervalSet`; on an integer field (payment terms, term months) every
interval is kept with whole, closed ends, so ``> 60`` and ``>= 61`` are the same set and
``<= 60`` meets ``> 60`` with nothing in between. No float is ever involved.

:func:`discount_band` (the sales sheet's approval bands) is the one interval a condition
on ``line.discount`` alone allows, as the 4-tuple the sales sheet has always used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from dealcheck.expr.names import CompiledExpr

#: (low, low_inclusive, high, high_inclusive); None for an open end.
Band: TypeAlias = tuple[Decimal | None, bool, Decimal | None, bool]


@dataclass(frozen=True)
class Interval:
    """Numbers between ``low`` and ``high`` (None: unbounded), each end included or not."""

    low: Decimal | None
    low_inc: bool
    high: Decimal | None
    high_inc: bool

    @property
    def empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        return self.low > self.high or (
            self.low == self.high and not (self.low_inc and self.high_inc)
        )

    @property
    def is_point(self) -> bool:
        return self.low is not None and self.low == self.high and not self.empty

    def contains(self, value: Decimal) -> bool:
        above = self.low is None or value > self.low or (value == self.low and self.low_inc)
        below = self.high is None or value < self.high or (value == self.high and self.high_inc)
        return above and below

    def intersect(self, other: Interval) -> Interval:
        low, low_inc = _max_low((self.low, self.low_inc), (other.low, other.low_inc))
        high, high_inc = _min_high((self.high, self.high_inc), (other.high, other.high_inc))
        return Interval(low, low_inc, high, high_inc)

    def band(self) -> Band:
        return (self.low, self.low_inc if self.low is not None else False, self.high,
                self.high_inc if self.high is not None else False)  # fmt: skip

    def __str__(self) -> str:
        if self.is_point:
            return f"exactly {_fmt(self.low)}"
        left = "(-∞" if self.low is None else ("[" if self.low_inc else "(") + _fmt(self.low)
        right = "+∞)" if self.high is None else _fmt(self.high) + ("]" if self.high_inc else ")")
        return f"{left}, {right}"


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _max_low(
    a: tuple[Decimal | None, bool], b: tuple[Decimal | None, bool]
) -> tuple[Decimal | None, bool]:
    if a[0] is None:
        return b
    if b[0] is None or a[0] > b[0]:
        return a
    if a[0] == b[0]:
        return a[0], a[1] and b[1]
    return b


def _min_high(
    a: tuple[Decimal | None, bool], b: tuple[Decimal | None, bool]
) -> tuple[Decimal | None, bool]:
    if a[0] is None:
        return b
    if b[0] is None or a[0] < b[0]:
        return a
    if a[0] == b[0]:
        return a[0], a[1] and b[1]
    return b


ALL: Interval = Interval(None, False, None, False)


@dataclass(frozen=True)
class IntervalSet:
    """A union of disjoint intervals in ascending order; ``integer`` sets hold whole numbers."""

    parts: tuple[Interval, ...]
    integer: bool = False

    @classmethod
    def of(cls, parts: Iterable[Interval], integer: bool = False) -> IntervalSet:
        return cls(_normalise(parts, integer), integer)

    @classmethod
    def everything(cls, integer: bool = False) -> IntervalSet:
        return cls((ALL,), integer)

    @classmethod
    def nothing(cls, integer: bool = False) -> IntervalSet:
        return cls((), integer)

    @classmethod
    def compare(cls, symbol: str, value: Decimal, integer: bool = False) -> IntervalSet:
        """The numbers ``x`` with ``x <symbol> value`` (``== != < <= > >=``)."""
        point = Interval(value, True, value, True)
        parts = {
            "==": [point],
            "!=": [Interval(None, False, value, False), Interval(value, False, None, False)],
            "<": [Interval(None, False, value, False)],
            "<=": [Interval(None, False, value, True)],
            ">": [Interval(value, False, None, False)],
            ">=": [Interval(value, True, None, False)],
        }[symbol]
        return cls.of(parts, integer)

    @property
    def empty(self) -> bool:
        return not self.parts

    def contains(self, value: Decimal) -> bool:
        return any(part.contains(value) for part in self.parts)

    def union(self, other: IntervalSet) -> IntervalSet:
        return IntervalSet.of((*self.parts, *other.parts), self.integer or other.integer)

    def intersect(self, other: IntervalSet) -> IntervalSet:
        return IntervalSet.of(
            (a.intersect(b) for a in self.parts for b in other.parts),
            self.integer or other.integer,
        )

    def complement(self) -> IntervalSet:
        out: list[Interval] = []
        low: Decimal | None = None  # where the current gap starts (None: -inf)
        low_inc = False
        for part in self.parts:
            if part.low is not None:
                out.append(Interval(low, low_inc, part.low, not part.low_inc))
            if part.high is None:
                return IntervalSet.of(out, self.integer)
            low, low_inc = part.high, not part.high_inc
        out.append(Interval(low, low_inc, None, False))
        return IntervalSet.of(out, self.integer)

    def minus(self, other: IntervalSet) -> IntervalSet:
        return self.intersect(other.complement())

    def covers(self, other: IntervalSet) -> bool:
        return other.minus(self).empty

    def __str__(self) -> str:
        return " ∪ ".join(str(p) for p in self.parts) if self.parts else "nothing"


def _normalise(parts: Iterable[Interval], integer: bool) -> tuple[Interval, ...]:
    """Sorted, disjoint, non-empty intervals; touching ones merged; whole ends if ``integer``."""
    kept: list[Interval] = []
    for part in parts:
        if integer:
            part = _whole(part)
        if not part.empty:
            kept.append(part)
    kept.sort(key=_low_key)
    merged: list[Interval] = []
    for part in kept:
        if merged and _touches(merged[-1], part, integer):
            last = merged[-1]
            high, high_inc = _max_high((last.high, last.high_inc), (part.high, part.high_inc))
            merged[-1] = Interval(last.low, last.low_inc, high, high_inc)
        else:
            merged.append(part)
    return tuple(merged)


def _whole(part: Interval) -> Interval:
    low, high = part.low, part.high
    if low is not None:
        ceil = low.to_integral_value(ROUND_CEILING)
        low = ceil + 1 if ceil == low and not part.low_inc else ceil
    if high is not None:
        floor = high.to_integral_value(ROUND_FLOOR)
        high = floor - 1 if floor == high and not part.high_inc else floor
    return Interval(low, low is not None, high, high is not None)


def _low_key(part: Interval) -> tuple[bool, Decimal, bool]:
    return (part.low is not None, part.low or Decimal(0), not part.low_inc)


def _touches(a: Interval, b: Interval, integer: bool) -> bool:
    """Does ``b`` (starting at or after ``a``'s start) overlap or continue ``a``?"""
    if a.high is None or b.low is None:
        return True
    if integer:
        return b.low <= a.high + 1
    return b.low < a.high or (b.low == a.high and (a.high_inc or b.low_inc))


def _max_high(
    a: tuple[Decimal | None, bool], b: tuple[Decimal | None, bool]
) -> tuple[Decimal | None, bool]:
    if a[0] is None or b[0] is None:
        return None, False
    if a[0] == b[0]:
        return a[0], a[1] or b[1]
    return a if a[0] > b[0] else b


def simple_point(values: IntervalSet) -> Decimal | None:
    """A short, round number in ``values`` (for example deals): as few decimal places as
    possible, near the middle of the first part (at or next to its end when it is unbounded)."""
    if values.empty:
        return None
    part = values.parts[0]
    low, high = part.low, part.high
    if part.is_point:
        return low
    if low is None and high is None:
        return Decimal(0)
    if low is None or high is None:
        edge = low if low is not None else high
        assert edge is not None
        if part.contains(edge):
            return edge
        exponent = edge.as_tuple().exponent
        step = Decimal(1).scaleb(min(exponent, 0)) if isinstance(exponent, int) else Decimal(1)
        if values.integer:
            step = max(step, Decimal(1))
        candidate = edge + step if low is not None else edge - step
        return candidate if part.contains(candidate) else edge
    middle = (low + high) / 2
    places = -(high - low).adjusted()
    fallback: Decimal | None = None  # an end of the part: only if nothing inside is found
    while places < 30 and not (values.integer and places > 0):
        step = Decimal(1).scaleb(-places)
        candidate = (middle / step).to_integral_value() * step
        if part.contains(candidate):
            whole = candidate == candidate.to_integral_value()
            candidate = candidate.quantize(Decimal(1)) if whole else candidate
            if candidate not in (low, high):
                return candidate
            fallback = candidate if fallback is None else fallback
        places += 1
    return fallback if fallback is not None else (low if part.contains(low) else high)


def discount_band(expr: CompiledExpr) -> Band | None:
    """The band of ``line.discount`` that ``expr`` tests, as (low, low_inclusive, high,
    high_inclusive) with None for an open end, if ``expr`` reads nothing but
    ``line.discount`` and allows one interval of it (never null); else None (also for a
    contradiction such as ``> 0.5 and < 0.4``, which allows nothing)."""
    from dealcheck.expr.logic import analyse

    if expr.fields != {"line.discount"}:
        return None
    analysis = analyse(expr.source, expr.scope)
    if analysis is None:
        return None
    found = analysis.band("line.discount", within_model=False)
    if found is None or found[1]:
        return None
    values, _ = found
    if len(values.parts) != 1:
        return None
    return values.parts[0].band()


def bounds(parts: Sequence[Interval]) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest ends of ``parts`` (None: unbounded)."""
    if not parts:
        return None, None
    return parts[0].low, parts[-1].high
