"""The pricing policy a sales sheet shows: the discount approval bands of the deal desk's
line rules, and how the built-in floor-price and margin checks are set."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from dealcheck.catalog import Catalog
from dealcheck.expr.intervals import Interval, IntervalSet
from dealcheck.expr.logic import analyse
from dealcheck.models import BuiltinOverride
from dealcheck.rules import CompiledRule
from dealcheck.salessheet.model import ZERO, Band, CheckPolicy


def discount_bands(rules: Iterable[CompiledRule]) -> tuple[list[Band], list[str]]:
    """The discount approval matrix: a band per enabled line rule that tests nothing but
    ``line.discount``, plus "no approval" bands for the discounts none covers; and the
    ids of the other enabled line rules (they may apply too, but are not a band)."""
    bands: list[Band] = []
    others: list[str] = []
    for rule in rules:
        spec = rule.entry.rule
        if rule.scope != "line" or not spec.enabled:
            continue
        found = _discount_band(rule)
        if found is None:
            others.append(rule.id)
            continue
        if found.empty:
            continue  # never fires for a discount of 0 or more
        low, low_inc, high, high_inc = found.parts[0].band()
        assert low is not None  # clipped at 0
        approver = spec.approver if spec.severity == "approval" else None
        bands.append(Band(low, low_inc, high, high_inc, spec.severity, approver, rule.id))
    bands.sort(key=_band_key)
    return sorted([*bands, *_gaps(bands)], key=_band_key), sorted(others)


_FROM_ZERO = IntervalSet.of([Interval(ZERO, True, None, False)])


def _discount_band(rule: CompiledRule) -> IntervalSet | None:
    """The discounts of 0 or more that ``rule`` fires for, if it reads nothing but
    ``line.discount`` and they form one interval (or none); else None. The analysis is
    ``dealcheck lint``'s (:mod:`dealcheck.expr.logic`): exact, open and closed ends."""
    if rule.condition.fields != {"line.discount"}:
        return None
    analysis = analyse(rule.condition.source, rule.scope)
    found = analysis.band("line.discount", within_model=False) if analysis else None
    if found is None or found[1]:  # other fields, or true for a missing discount too
        return None
    values = found[0].intersect(_FROM_ZERO)
    return values if len(values.parts) <= 1 else None


def _band_key(band: Band) -> tuple[Decimal, bool, Decimal, bool, str]:
    high = band.high if band.high is not None else Decimal("Infinity")
    return band.low, not band.low_inclusive, high, band.high_inclusive, band.rule or ""


def _gaps(bands: Sequence[Band]) -> list[Band]:
    """The discounts from 0 up that no band covers."""
    gaps: list[Band] = []
    pos, pos_inc = ZERO, True  # the first discount not yet covered (inclusive or not)
    for band in bands:
        if band.low > pos or (band.low == pos and pos_inc and not band.low_inclusive):
            gaps.append(Band(pos, pos_inc, band.low, not band.low_inclusive, None))
        if band.high is None:
            return gaps
        if band.high > pos:
            pos, pos_inc = band.high, not band.high_inclusive
        elif band.high == pos:
            pos_inc = pos_inc and not band.high_inclusive
    gaps.append(Band(pos, pos_inc, None, False, None))
    return gaps


def check_policies(
    catalog: Catalog, overrides: Mapping[str, BuiltinOverride] | None
) -> tuple[CheckPolicy, ...]:
    """price-below-floor and margin-below-floor as the RuleSets' ``builtin:`` tune them:
    ``overrides`` as merged by the engine, else merged here the same way (rule sets in id
    order, each field a later one sets wins)."""
    from dealcheck.checks import REGISTRY

    out = []
    for check_id in ("price-below-floor", "margin-below-floor"):
        spec = REGISTRY.get(check_id)
        if spec is None:
            continue
        if overrides is not None:
            tuning = [overrides[check_id]] if check_id in overrides else []
        else:
            tuning = [
                catalog.rulesets[r].builtin[check_id]
                for r in sorted(catalog.rulesets)
                if check_id in catalog.rulesets[r].builtin
            ]
        severity, approver, enabled = spec.severity, spec.approver, True
        for override in tuning:
            severity = override.severity or severity
            approver = override.approver or approver
            enabled = enabled if override.enabled is None else override.enabled
        out.append(
            CheckPolicy(check_id, severity, approver if severity == "approval" else None, enabled)
        )
    return tuple(out)
