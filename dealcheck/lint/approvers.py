"""Approver names: every approver named in rules, ``builtin:`` overrides, the built-in
checks' defaults and deals' ``approvals:`` must be in an ``approvers:`` ranking
(``lint-unknown-approver``); a RuleSet with approvals and no ranking is noted
(``lint-no-ranking``, info)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from dealcheck.errors import Location
from dealcheck.lint.analyses import Lint, RuleInfo
from dealcheck.lint.findings import Example, LintFinding


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
    for rule_id, entry in catalog.rules.items():  # a disabled rule must name a real approver too
        spec = entry.rule
        if not spec.enabled and spec.severity == "approval" and spec.approver:
            at = entry.where.locate("approver")
            yield spec.approver, at, entry.ruleset.id, None, f"rule {rule_id} (disabled)"
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
