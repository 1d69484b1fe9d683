"""Approval bands: for each numeric quantity that approval and blocker rules split into
bands (a rule reading that one field), the values no band covers between the lowest and
highest band (``lint-band-gap``), the values two approvers' bands share
(``lint-band-overlap``), and riskier values routed to lower approvers
(``lint-escalation-inversion``). Ends are exact: open or closed Decimals, whole numbers
for days and months."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from dealcheck.expr.intervals import Interval, IntervalSet, simple_point
from dealcheck.lint.analyses import Lint, RuleInfo
from dealcheck.lint.findings import LintFinding

#: Which way each quantity gets riskier: +1 the higher, -1 the lower.
RISK_DIRECTION: Final = {
    "line.discount": 1, "line.effective_discount": 1, "deal.payment_terms_days": 1,
    "deal.term_months": 1, "deal.total": 1, "line.total": 1, "partner.margin": 1,
    "deal.free_months": 1, "line.margin": -1, "deal.margin": -1, "line.net_unit": -1,
    "line.unit_price": -1,
}  # fmt: skip


@dataclass
class Band:
    rule: RuleInfo
    var: str
    values: IntervalSet


def bands(lint: Lint) -> dict[str, list[Band]]:
    """Approval and blocker rules that read one numeric field, by field."""
    out: dict[str, list[Band]] = {}
    for rule in lint.rules:
        analysis = rule.analysis
        if analysis is None or rule.route is None or not analysis.cases:
            continue
        numeric = [v for v in analysis.variables() if analysis.kinds.get(v) in ("number", "date")]
        if len(numeric) != 1:
            continue
        found = analysis.band(numeric[0])
        if found is None or found[0].empty:
            continue
        out.setdefault(numeric[0], []).append(Band(rule, numeric[0], found[0]))
    return out


def gaps(lint: Lint, by_var: dict[str, list[Band]]) -> None:
    for var, group in sorted(by_var.items()):
        if len(group) < 2:
            continue
        covered = group[0].values
        for band in group[1:]:
            covered = covered.union(band.values)
        first, last = covered.parts[0], covered.parts[-1]
        span = IntervalSet.of(
            [Interval(first.low, first.low_inc, last.high, last.high_inc)], covered.integer
        )
        for hole in span.minus(covered).parts:
            hole_set = IntervalSet((hole,), covered.integer)
            below = _nearest(group, hole_set, below=True)
            above = _nearest(group, hole_set, below=False)
            ids = tuple(b.rule.id for b in group)
            point = simple_point(hole_set)
            example = (
                lint.builder.example(
                    f"{var.replace('.', '-')}-gap-{point}", {var: point}, (), tuple(sorted(ids))
                )
                if point is not None
                else None
            )
            where = below.rule if below else group[0].rule
            lint.add(
                LintFinding(
                    "lint-band-gap",
                    where.at(),
                    f"{var} {hole} is covered by no rule, between "
                    f"{_describe(below)} and {_describe(above)}",
                    where.ruleset,
                    tuple(b.rule.id for b in (below, above) if b),
                    tuple((b.rule.id, b.rule.at()) for b in (above,) if b),
                    example,
                    None if example else "no example deal: the engine did not confirm one",
                )
            )


def _describe(band: Band | None) -> str:
    if band is None:
        return "nothing"
    return f"{band.rule.id} ({band.values}, {band.rule.route})"


def _nearest(group: list[Band], hole: IntervalSet, below: bool) -> Band | None:
    best: Band | None = None
    edge = hole.parts[0].low if below else hole.parts[0].high
    for band in group:
        if edge is None:
            continue
        end = band.values.parts[-1].high if below else band.values.parts[0].low
        if end is None or (end > edge if below else end < edge):
            continue
        if best is None:
            best = band
            continue
        best_end = best.values.parts[-1].high if below else best.values.parts[0].low
        assert best_end is not None
        if (end > best_end) if below else (end < best_end):
            best = band
    return best


def overlaps(lint: Lint, by_var: dict[str, list[Band]]) -> None:
    for var, group in sorted(by_var.items()):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.rule.route == b.rule.route:
                    continue
                both = a.values.intersect(b.values)
                if both.empty:
                    continue
                point = simple_point(both)
                ids = (b.rule.id, a.rule.id)
                example = (
                    lint.builder.example(
                        f"{a.rule.id}-overlaps-{b.rule.id}", {var: point}, tuple(sorted(ids)), ()
                    )
                    if point is not None
                    else None
                )
                lint.add(
                    LintFinding(
                        "lint-band-overlap",
                        b.rule.at(),
                        f"{var} {both} is in two bands: {_describe(a)} and {_describe(b)}",
                        b.rule.ruleset,
                        ids,
                        ((a.rule.id, a.rule.at()),),
                        example,
                        None if example else "no example deal: the engine did not confirm one",
                    )
                )


def inversions(lint: Lint, by_var: dict[str, list[Band]]) -> None:
    for var, group in sorted(by_var.items()):
        direction = RISK_DIRECTION.get(var)
        if direction is None:
            continue
        for safer in group:
            for riskier in group:
                if not _entirely_below(safer.values, riskier.values, direction):
                    continue
                assert safer.rule.route is not None and riskier.rule.route is not None
                ranks = lint.rank(safer.rule.route, riskier.rule.route)
                if ranks is None or ranks[1] >= ranks[0]:
                    continue
                values = {var: simple_point(riskier.values)}
                more = [{var: simple_point(safer.values)}] if var.startswith("line.") else []
                expect = (riskier.rule.id, safer.rule.id) if more else (riskier.rule.id,)
                example = lint.builder.example(
                    f"{riskier.rule.id}-below-{safer.rule.id}",
                    values,
                    tuple(sorted(expect)),
                    () if more else (safer.rule.id,),
                    more,
                )
                worse = "higher" if direction > 0 else "lower"
                lint.add(
                    LintFinding(
                        "lint-escalation-inversion",
                        riskier.rule.at("approver"),
                        f"{riskier.rule.id} routes a {worse} {var} ({riskier.values}) to "
                        f"{riskier.rule.route}, below {safer.rule.route} who approves "
                        f"{safer.values} ({safer.rule.id})",
                        riskier.rule.ruleset,
                        (riskier.rule.id, safer.rule.id),
                        ((safer.rule.id, safer.rule.at("approver")),),
                        example,
                        None if example else "no example deal: the engine did not confirm one",
                    )
                )


def _entirely_below(a: IntervalSet, b: IntervalSet, direction: int) -> bool:
    """Is every value of ``a`` less risky than every value of ``b``?"""
    if direction < 0:
        a, b = b, a
    top, bottom = a.parts[-1], b.parts[0]
    if top.high is None or bottom.low is None:
        return False
    return top.high < bottom.low or (
        top.high == bottom.low and not (top.high_inc and bottom.low_inc)
    )
