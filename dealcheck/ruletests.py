"""``dealcheck test``: run the RuleSets' own tests (SPEC §5.3), like ``opa test``.

A test is a small deal and the rule ids it must and must not produce; a policy change
is thereby checked in CI before it reaches a real deal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dealcheck.engine import Engine
from dealcheck.errors import Location


@dataclass
class TestOutcome:
    ruleset: str
    name: str
    location: Location
    fired: list[str]
    missing: list[str] = field(default_factory=list)  # expected but did not fire
    unexpected: list[str] = field(default_factory=list)  # expect_not but fired

    @property
    def passed(self) -> bool:
        return not self.missing and not self.unexpected


@dataclass
class TestReport:
    outcomes: list[TestOutcome]
    untested: list[str]  # enabled catalog rules no test expects to fire

    @property
    def failed(self) -> int:
        return sum(not o.passed for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def run_tests(engine: Engine, today: date) -> TestReport:
    """Run every test of every RuleSet against the whole catalog."""
    catalog = engine.catalog
    outcomes: list[TestOutcome] = []
    exercised: set[str] = set()
    for ruleset_id in sorted(catalog.rulesets):
        ruleset = catalog.rulesets[ruleset_id]
        where = catalog.where[("ruleset", ruleset_id)]
        for i, test in enumerate(ruleset.tests):
            source = where.source.sub(("tests", i, "deal"))
            day_engine = (
                engine if test.today is None or test.today == today else Engine(catalog, test.today)
            )
            result = day_engine.check(test.deal, source)
            fired = sorted({f.rule for f in result.findings})
            exercised.update(r for r in test.expect if r in fired)
            outcomes.append(
                TestOutcome(
                    ruleset=ruleset_id,
                    name=test.name,
                    location=where.locate("tests", i, "name"),
                    fired=fired,
                    missing=[r for r in test.expect if r not in fired],
                    unexpected=[r for r in test.expect_not if r in fired],
                )
            )
    untested = sorted(
        rule_id
        for rule_id, e in catalog.rules.items()
        if e.rule.enabled and rule_id not in exercised
    )
    return TestReport(outcomes, untested)


def coverage_lines(engine: Engine, today: date) -> list[str]:
    """``dealcheck test --coverage``: per rule, whether the tests make it fire and not fire
    and, for a band rule, whether each edge is tested (:mod:`dealcheck.lint.coverage`)."""
    from dealcheck.lint.coverage import rule_coverage

    rules = rule_coverage(engine, today)
    lines = ["Coverage (fires / does not fire / band edges at exactly their value):"]
    for cov in rules:
        edges = "  ".join(
            f"{e.label(cov.var or '')} {'tested' if e.tested else 'UNTESTED'}" for e in cov.edges
        )
        lines.append(
            f"  {'ok  ' if not cov.gaps else 'GAP '} {cov.ruleset}/{cov.rule}: "
            f"fires {'yes' if cov.fires else 'NO'}, not {'yes' if cov.quiet else 'NO'}"
            + (f"; {edges}" if edges else "")
        )
    uncovered = [cov for cov in rules if cov.gaps]
    lines.append("")
    if uncovered:
        lines.append(f"Uncovered ({len(uncovered)} of {len(rules)} rules):")
        lines.extend(f"  {cov.location}: {cov.rule}: {'; '.join(cov.gaps)}" for cov in uncovered)
    else:
        lines.append(
            f"Every rule ({len(rules)}) fires and stays quiet in a test; every band edge is tested."
        )
    return lines
