"""Catalog rules, compiled once when the catalog loads (SPEC §5).

A rule's ``when`` is compiled to a Python function by :mod:`dealcheck.expr` and its
``message``/``fix`` templates are checked the same way; a problem is a load error at
the rule's ``file:line:column``.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealcheck.catalog import Catalog, RuleEntry, Where
from dealcheck.errors import Location, Problem
from dealcheck.expr import (
    CompiledExpr,
    CompiledTemplate,
    ExprError,
    compile_condition,
    compile_template,
)
from dealcheck.validate import CatalogCheck


@dataclass(frozen=True)
class CompiledRule:
    """A catalog rule ready to evaluate: its condition and templates, compiled."""

    entry: RuleEntry
    condition: CompiledExpr
    message: CompiledTemplate | None
    fix: CompiledTemplate | None

    @property
    def id(self) -> str:
        return self.entry.rule.id

    @property
    def scope(self) -> str:
        return self.entry.rule.scope


def _at(entry: RuleEntry, key: str, text: str, offset: int) -> Location:
    """The location of character ``offset`` of the rule's ``key`` value (exact when the
    value is written on one line)."""
    base = entry.where.locate(key)
    if "\n" in text or base.line <= 0:
        return base
    return Location(base.file, base.line, base.column + offset)


def compile_rules(catalog: Catalog) -> tuple[list[CompiledRule], list[Problem]]:
    """Compile every rule of the catalog (disabled rules too: they must stay valid)."""
    compiled: list[CompiledRule] = []
    problems: list[Problem] = []
    invalid_groups = catalog.unchecked.get("group", set())

    def resolve(name: str) -> frozenset[str] | None:
        # A region group whose definition failed validation is reported there; naming it
        # in a rule is not a second error (the catalog is unusable until it is fixed).
        found = catalog.resolve_region(name)
        return frozenset() if found is None and name in invalid_groups else found

    for entry in catalog.rules.values():
        rule = entry.rule
        try:
            condition = compile_condition(rule.when, rule.scope, resolve)
        except ExprError as err:
            problems.append(
                Problem(
                    _at(entry, "when", rule.when, err.offset),
                    f"rule {rule.id}: {err.message}",
                    code="expression",
                )
            )
            continue
        templates: dict[str, CompiledTemplate | None] = {"message": None, "fix": None}
        failed = False
        for key in templates:
            text = getattr(rule, key)
            if text is None:
                continue
            try:
                templates[key] = compile_template(text, rule.scope)
            except ExprError as err:
                failed = True
                problems.append(
                    Problem(
                        _at(entry, key, text, err.offset),
                        f"rule {rule.id}: {key}: {err.message}",
                        code="template",
                    )
                )
        if not failed:
            compiled.append(CompiledRule(entry, condition, templates["message"], templates["fix"]))
    return compiled, problems


def _rule_problems(catalog: Catalog) -> list[Problem]:
    return compile_rules(catalog)[1]


def override_problems(catalog: Catalog) -> list[Problem]:
    """``builtin:`` tuning that cannot work: an approval with nobody to approve it, or two
    RuleSets setting the same field of the same check (which one wins would be arbitrary)."""
    from dealcheck.checks import REGISTRY

    problems: list[Problem] = []
    # (check, field) -> the RuleSet that set it first; locations are worked out only for
    # a problem (a cached catalog reads its files' positions again to locate anything)
    first: dict[tuple[str, str], tuple[str, Where]] = {}
    approval_at: dict[str, Where] = {}
    approvers: set[str] = set()
    for ruleset_id in sorted(catalog.rulesets):
        ruleset = catalog.rulesets[ruleset_id]
        where = catalog.where[("ruleset", ruleset_id)]
        for check_id, override in ruleset.builtin.items():
            if check_id not in REGISTRY:
                continue  # reported by the catalog's cross-reference checks
            if override.severity == "approval":
                approval_at[check_id] = where
            if override.approver:
                approvers.add(check_id)
            for key in ("severity", "approver", "enabled"):
                if getattr(override, key) is None:
                    continue
                earlier_id, earlier = first.setdefault((check_id, key), (ruleset_id, where))
                if earlier_id != ruleset_id:
                    other = earlier.locate("builtin", check_id, key)
                    problems.append(
                        Problem(
                            where.locate("builtin", check_id, key),
                            f"builtin {check_id}: '{key}' is also set at {other}; set it once",
                            code="duplicate-id",
                        )
                    )
    for check_id, at in sorted(approval_at.items()):
        if check_id not in approvers and not REGISTRY[check_id].approver:
            problems.append(
                Problem(
                    at.locate("builtin", check_id, "severity"),
                    f"builtin {check_id}: severity approval needs an 'approver' "
                    "(the check has no default approver)",
                    code="reference",
                )
            )
    return problems


def catalog_checks() -> list[CatalogCheck]:
    """Checks ``validate`` runs on an assembled catalog beyond cross-references."""
    return [_rule_problems, override_problems]
