"""The analyses of ``dealcheck lint``: each reads the analysed rules and adds findings.

Every claim rests on :mod:`dealcheck.expr.logic`: exact intervals of Decimals per field,
with opaque parts (regexes, regions, arithmetic between fields) treated as free, so a
claim that a rule never fires, or is covered by another, is only made when it is proved.
Bands are taken only from rules that read a single numeric field.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from dealcheck.catalog import Catalog
from dealcheck.errors import Location
from dealcheck.expr.intervals import Interval, IntervalSet, simple_point
from dealcheck.expr.logic import Analysis, analyse, implies, model_range, witness
from dealcheck.lint.examples import ExampleBuilder
from dealcheck.lint.findings import Example, LintFinding
from dealcheck.rules import CompiledRule

_SEVERITY_RANK: Final = {"info": 0, "warning": 1, "approval": 2, "blocker": 3}
#: Which way each quantity gets riskier: +1 the higher, -1 the lower.
RISK_DIRECTION: Final = {
    "line.discount": 1, "line.effective_discount": 1, "deal.payment_terms_days": 1,
    "deal.term_months": 1, "deal.total": 1, "line.total": 1, "partner.margin": 1,
    "deal.free_months": 1, "line.margin": -1, "deal.margin": -1, "line.net_unit": -1,
    "line.unit_price": -1,
}  # fmt: skip
BLOCKED: Final = "(blocked)"


@dataclass
class RuleInfo:
    """An enabled rule with its analysis (None: too complex to analyse)."""

    compiled: CompiledRule
    analysis: Analysis | None
    order: int

    @property
    def id(self) -> str:
        return self.compiled.id

    @property
    def scope(self) -> str:
        return self.compiled.scope

    @property
    def severity(self) -> str:
        return self.compiled.entry.rule.severity

    @property
    def approver(self) -> str | None:
        rule = self.compiled.entry.rule
        return rule.approver if rule.severity == "approval" else None

    @property
    def route(self) -> str | None:
        """Who decides: the approver, BLOCKED for a blocker, None otherwise."""
        return BLOCKED if self.severity == "blocker" else self.approver

    @property
    def ruleset(self) -> str:
        return self.compiled.entry.ruleset.id

    def at(self, key: str = "when") -> Location:
        return self.compiled.entry.where.locate(key)


@dataclass
class Band:
    rule: RuleInfo
    var: str
    values: IntervalSet


class Lint:
    """The analysed catalog and the findings so far."""

    def __init__(
        self, catalog: Catalog, rules: list[CompiledRule], builder: ExampleBuilder
    ) -> None:
        self.catalog = catalog
        self.builder = builder
        self.findings: list[LintFinding] = []
        self.rules = [
            RuleInfo(rule, analyse(rule.condition.source, rule.scope), i)
            for i, rule in enumerate(rules)
            if rule.entry.rule.enabled
        ]
        self.rankings = {
            rid: rs.approvers for rid, rs in sorted(catalog.rulesets.items()) if rs.approvers
        }

    # -- helpers ------------------------------------------------------------------------

    def add(self, finding: LintFinding) -> None:
        self.findings.append(finding)

    def firing_example(
        self, name: str, rule: RuleInfo, expect: tuple[str, ...], expect_not: tuple[str, ...] = ()
    ) -> tuple[Example | None, str | None]:
        """An example deal on which ``rule`` fires (trying each way it can)."""
        if rule.analysis is None:
            return None, "no example: the condition is too complex to analyse"
        for conj in rule.analysis.cases:
            found = self.builder.example(name, witness(rule.analysis, conj), expect, expect_not)
            if found is not None:
                return found, None
        return None, _no_example(rule)

    def rank(self, a: str, b: str) -> tuple[int, int] | None:
        """The ranks of approvers ``a`` and ``b`` in the first ranking holding both (a
        blocker above everyone), or None."""
        for ranking in self.rankings.values():
            names = list(ranking)
            if (a == BLOCKED or a in names) and (b == BLOCKED or b in names):
                top = len(names)
                return (
                    top if a == BLOCKED else names.index(a),
                    top if b == BLOCKED else names.index(b),
                )
        return None


def _no_example(rule: RuleInfo) -> str:
    return (
        f"no example deal: {rule.id} reads something an example cannot set "
        "(text, regions, SKU or feature fields)"
    )


# -- 1. never fires -------------------------------------------------------------------------


def never_fires(lint: Lint) -> None:
    for rule in lint.rules:
        analysis = rule.analysis
        if analysis is None or analysis.cases:
            continue
        if analysis.raw:
            why = _out_of_range(analysis)
            values = _nearest_allowed(analysis)
        else:
            why = "its conditions contradict each other"
            values = {}
            for conj in analysis.negated:
                inside = analysis.within_model(conj)
                if inside is not None:
                    values = witness(analysis, inside)
                    break
        name = f"{rule.id}-never-fires"
        example = lint.builder.example(name, values, (), (rule.id,)) if values else None
        lint.add(
            LintFinding(
                "lint-never-fires",
                rule.at(),
                f"{rule.id} never fires: {why}",
                rule.ruleset,
                (rule.id,),
                example=example,
                note=None if example else _no_example(rule),
            )
        )


def _out_of_range(analysis: Analysis) -> str:
    parts = []
    for name in sorted(analysis.variables()):
        conj_values = [c.fields[name].values for c in analysis.raw if name in c.fields]
        wanted = conj_values[0]
        for more in conj_values[1:]:
            wanted = wanted.union(more)
        allowed = model_range(name, analysis.kinds.get(name, "number"))
        if wanted.intersect(allowed).empty:
            whole = " (whole numbers)" if allowed.integer else ""
            parts.append(f"{name} would have to be {wanted}, but it is always {allowed}{whole}")
    return "; ".join(parts) or "it can only be true for values the deal model does not allow"


def _nearest_allowed(analysis: Analysis) -> dict[str, Decimal | None]:
    values: dict[str, Decimal | None] = {}
    conj = analysis.raw[0]
    for name, constraint in conj.fields.items():
        allowed = model_range(name, analysis.kinds.get(name, "number"))
        inside = constraint.values.intersect(allowed)
        if not inside.empty:
            values[name] = simple_point(inside)
            continue
        wanted = constraint.values.parts[0] if constraint.values.parts else None
        top = allowed.parts[-1].high if allowed.parts else None
        bottom = allowed.parts[0].low if allowed.parts else None
        if wanted is not None and wanted.low is not None and top is not None and wanted.low >= top:
            values[name] = top
        else:
            values[name] = bottom if bottom is not None else simple_point(allowed)
    return values


# -- 2. shadowed ----------------------------------------------------------------------------


def shadowed(lint: Lint) -> None:
    reported: set[str] = set()
    for rule in lint.rules:
        if rule.analysis is None or not rule.analysis.cases:
            continue
        for other in lint.rules:
            if other is rule or other.scope != rule.scope or other.analysis is None:
                continue
            if _SEVERITY_RANK[other.severity] < _SEVERITY_RANK[rule.severity]:
                continue
            if other.approver != rule.approver or not other.analysis.cases:
                continue
            if implies(rule.analysis, other.analysis) is not True:
                continue
            same = (
                other.severity == rule.severity and implies(other.analysis, rule.analysis) is True
            )
            if same and other.order > rule.order:
                continue  # two equal rules: report the later one only
            example, note = lint.firing_example(
                f"{rule.id}-shadowed-by-{other.id}", rule, (rule.id, other.id)
            )
            how = "is equivalent to" if same else "only fires where"
            tail = "" if same else " fires too"
            lint.add(
                LintFinding(
                    "lint-shadowed",
                    rule.at(),
                    f"{rule.id} {how} {other.id}{tail} ({other.severity}"
                    + (f", {other.approver}" if other.approver else "")
                    + f", {other.at()}): every deal it flags is already flagged",
                    rule.ruleset,
                    (rule.id, other.id),
                    ((other.id, other.at()),),
                    example,
                    note,
                )
            )
            reported.add(rule.id)
            break


# -- 3 and 4. bands: gaps, overlaps, escalation ----------------------------------------------


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


def _show(var: str, values: IntervalSet) -> str:
    return f"{var} {values}"


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


# -- 5. approvers ---------------------------------------------------------------------------


def approvers(lint: Lint, deal_approvals: list[tuple[str, Location, str]]) -> None:
    catalog = lint.catalog
    with_approvals = sorted({r.ruleset for r in lint.rules if r.approver})
    for ruleset_id in with_approvals:
        if ruleset_id not in lint.rankings:
            lint.add(
                LintFinding(
                    "lint-no-ranking",
                    catalog.where[("ruleset", ruleset_id)].locate("id"),
                    f"RuleSet {ruleset_id} declares no approvers: ranking; escalation "
                    "between its approvers is not checked",
                    ruleset_id,
                )
            )
    if not lint.rankings:
        return
    known = {name for ranking in lint.rankings.values() for name in ranking}
    for used, where, ruleset_id, rule, what in _approvers_used(lint, deal_approvals):
        if used in known:
            continue
        close = difflib.get_close_matches(used, sorted(known), n=1, cutoff=0.6)
        folded = [k for k in sorted(known) if k.casefold() == used.casefold()]
        hint = folded[0] if folded else (close[0] if close else None)
        example: Example | None = None
        note: str | None = None
        if rule is not None:
            example, note = lint.firing_example(f"{rule.id}-routes-to-unknown", rule, (rule.id,))
        lint.add(
            LintFinding(
                "lint-unknown-approver",
                where,
                f"{what}: approver '{used}' is in no approvers: ranking"
                + (
                    f" (did you mean '{hint}'?)"
                    if hint
                    else f" (known: {', '.join(sorted(known))})"
                ),
                ruleset_id,
                (rule.id,) if rule else (),
                example=example,
                note=note,
            )
        )


def _approvers_used(
    lint: Lint, deal_approvals: list[tuple[str, Location, str]]
) -> Iterator[tuple[str, Location, str, RuleInfo | None, str]]:
    from dealcheck.checks import REGISTRY

    catalog = lint.catalog
    for rule in lint.rules:
        if rule.approver:
            yield rule.approver, rule.at("approver"), rule.ruleset, rule, f"rule {rule.id}"
    effective = {c.id: (c.severity, c.approver) for c in REGISTRY.values()}
    for ruleset_id in sorted(catalog.rulesets):
        ruleset = catalog.rulesets[ruleset_id]
        doc = catalog.where[("ruleset", ruleset_id)]
        for check_id, override in sorted(ruleset.builtin.items()):
            if override.approver:
                at = doc.locate("builtin", check_id, "approver")
                yield override.approver, at, ruleset_id, None, f"builtin {check_id}"
            if check_id in effective:
                severity, approver = effective[check_id]
                effective[check_id] = (override.severity or severity, override.approver or approver)
            if override.enabled is False:
                effective.pop(check_id, None)
        for i, test in enumerate(ruleset.tests):
            for j, approval in enumerate(test.deal.approvals):
                yield (
                    approval.approver,
                    doc.locate("tests", i, "deal", "approvals", j, "approver"),
                    ruleset_id,
                    None,
                    f"test {test.name}: approval of {approval.rule}",
                )
    first = next(iter(lint.rankings))
    ranking_at = catalog.where[("ruleset", first)].locate("approvers")
    for check_id, (severity, approver) in sorted(effective.items()):
        if (
            severity == "approval"
            and approver
            and not any(approver in r for r in lint.rankings.values())
        ):
            what = f"built-in check {check_id} (its default approver)"
            yield approver, ranking_at, first, None, what
    for approver, at, rule_id in deal_approvals:
        yield approver, at, "", None, f"deal approval of {rule_id}"
