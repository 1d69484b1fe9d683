"""The analysed policy (:class:`Lint`: every enabled rule with its analysis) and the rule
analyses: ``lint-never-fires`` and ``lint-shadowed``. Bands are in :mod:`~.bands`,
approver names in :mod:`~.approvers`.

Every claim rests on :mod:`dealcheck.expr.logic`: exact intervals of Decimals per field,
with opaque parts (regexes, regions, arithmetic between fields) treated as free, so a
claim that a rule never fires, or is covered by another, is only made when it is proved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from dealcheck.catalog import Catalog
from dealcheck.errors import Location
from dealcheck.expr.intervals import simple_point
from dealcheck.expr.logic import Analysis, analyse, implies, model_range, witness
from dealcheck.lint.examples import ExampleBuilder
from dealcheck.lint.findings import Example, LintFinding
from dealcheck.rules import CompiledRule

_SEVERITY_RANK: Final = {"info": 0, "warning": 1, "approval": 2, "blocker": 3}
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
            break
