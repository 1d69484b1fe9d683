"""``dealcheck test --coverage``: how well a RuleSet's own tests pin down its rules.

Per enabled rule: does some test expect it to fire (and it does), does some test expect
it not to fire (and it does not)? For a band rule (one numeric field compared with
constants, see :mod:`dealcheck.expr.logic`): is each finite end of the band tested, by a
test whose deal has exactly that value and that asserts the rule either way? A boundary
such as ``> 0.30`` is only pinned by a deal at exactly 0.30; on a whole-number field
(days, months) by deals on both sides of it (``> 60``: at 60 and at 61).

Which deals sit at an edge is found by the engine itself: for each edge a probe
condition ``field == value`` is compiled in the rule's scope and evaluated with the rules,
so derived values (a discount from a unit price, in another currency) count exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dealcheck.catalog import RuleEntry
from dealcheck.engine import Engine
from dealcheck.errors import Location
from dealcheck.expr import ExprError, RegionResolver, compile_condition
from dealcheck.expr.logic import analyse
from dealcheck.models import Rule
from dealcheck.rules import CompiledRule


@dataclass
class Edge:
    value: Decimal
    included: bool  # does the rule fire at exactly this value?
    tested: bool = False
    literal: str = ""

    def label(self, var: str) -> str:
        side = "fires" if self.included else "does not fire"
        return f"{var} = {self.literal} ({side})"


@dataclass
class RuleCoverage:
    rule: str
    ruleset: str
    location: Location
    fires: bool = False  # a passing test expects it to fire
    quiet: bool = False  # a passing test expects it not to fire
    var: str | None = None
    edges: list[Edge] = field(default_factory=list)

    @property
    def gaps(self) -> list[str]:
        out = []
        if not self.fires:
            out.append("no test makes it fire")
        if not self.quiet:
            out.append("no test checks that it does not fire")
        out.extend(f"edge {e.label(self.var or '')} untested" for e in self.edges if not e.tested)
        return out


def rule_coverage(engine: Engine, today: date) -> list[RuleCoverage]:
    """The coverage of every enabled rule by the RuleSets' tests, in rule-set order."""
    catalog = engine.catalog
    coverage: dict[str, RuleCoverage] = {}
    probes: dict[str, tuple[str, Edge]] = {}  # probe id -> (rule id, edge)
    probe_rules: list[CompiledRule] = []
    for rule in engine.rules:
        entry = rule.entry
        if not entry.rule.enabled:
            continue
        cov = coverage[rule.id] = RuleCoverage(rule.id, entry.ruleset.id, entry.where.locate())
        _band_edges(rule, cov)
        for edge in cov.edges:
            probe = _probe(rule, cov.var or "", edge, len(probe_rules), catalog.resolve_region)
            if probe is not None:
                probes[probe.id] = (rule.id, edge)
                probe_rules.append(probe)
    engines: dict[date, Engine] = {}
    for ruleset_id in sorted(catalog.rulesets):
        ruleset = catalog.rulesets[ruleset_id]
        where = catalog.where[("ruleset", ruleset_id)]
        for i, test in enumerate(ruleset.tests):
            day = test.today or today
            if day not in engines:
                engines[day] = _with_probes(Engine(catalog, day), probe_rules)
            result = engines[day].check(test.deal, where.source.sub(("tests", i, "deal")))
            fired = {f.rule for f in result.findings}
            for rule_id in test.expect:
                if rule_id in coverage and rule_id in fired:
                    coverage[rule_id].fires = True
            for rule_id in test.expect_not:
                if rule_id in coverage and rule_id not in fired:
                    coverage[rule_id].quiet = True
            for probe_id in fired & probes.keys():
                rule_id, edge = probes[probe_id]
                asserted = rule_id in test.expect or rule_id in test.expect_not
                right = (rule_id in fired) == (rule_id in test.expect)
                edge.tested = edge.tested or (asserted and right)
    return list(coverage.values())


def _band_edges(rule: CompiledRule, cov: RuleCoverage) -> None:
    analysis = analyse(rule.condition.source, rule.scope)
    if analysis is None:
        return
    numeric = [v for v in analysis.variables() if analysis.kinds.get(v) in ("number", "date")]
    if len(numeric) != 1:
        return
    found = analysis.band(numeric[0], within_model=False)
    if found is None or found[0].empty:
        return
    cov.var = numeric[0]
    values = found[0]
    kind = analysis.kinds[numeric[0]]
    ends: set[Decimal] = set()
    for part in values.parts:
        for end, step in ((part.low, -1), (part.high, 1)):
            if end is None:
                continue
            ends.add(end)
            if values.integer:  # whole numbers: the value just outside is the other side
                ends.add(end + step)
    for end in sorted(ends):
        literal = (
            f'date("{date.fromordinal(int(end)).isoformat()}")'
            if kind == "date"
            else format(end, "f")
        )
        cov.edges.append(Edge(end, values.contains(end), literal=literal))


def _probe(
    rule: CompiledRule, var: str, edge: Edge, n: int, resolve: RegionResolver
) -> CompiledRule | None:
    """An info rule that fires where ``var`` is exactly at ``edge`` (same scope)."""
    entry = rule.entry
    when = f"{var} == {edge.literal}"
    probe = Rule(id=f"coverage-probe-{n}", scope=rule.scope, when=when, severity="info")
    try:
        condition = compile_condition(probe.when, probe.scope, resolve)
    except ExprError:  # cannot happen for a field the rule itself reads; leaves it untested
        return None
    return CompiledRule(RuleEntry(probe, entry.ruleset, entry.where), condition, None, None)


def _with_probes(engine: Engine, probes: list[CompiledRule]) -> Engine:
    engine.rules_by_scope = {
        scope: [*rules, *(p for p in probes if p.scope == scope)]
        for scope, rules in engine.rules_by_scope.items()
    }
    return engine
