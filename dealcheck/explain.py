"""``dealcheck explain``: the documentation of built-in checks and catalog rules."""

from __future__ import annotations

import textwrap

from dealcheck.catalog import Catalog
from dealcheck.checks import REGISTRY
from dealcheck.report.results import RuleDoc
from dealcheck.suggestions import suggest


def explain_text(rule_id: str, catalog: Catalog | None) -> str | None:
    """The explanation of a check or rule, or ``None`` when there is no such id."""
    check = REGISTRY.get(rule_id)
    if check is not None:
        approver = f", approver: {check.approver}" if check.approver else ""
        head = (
            f"{check.id} (built-in, {check.category}; default severity: {check.severity}{approver})"
        )
        return f"{head}\n\n{textwrap.dedent(_body(check.doc)).strip()}\n"
    if catalog is not None and rule_id in catalog.rules:
        entry = catalog.rules[rule_id]
        rule = entry.rule
        parts = [
            f"{rule.id} (rule set {entry.ruleset.id}, {rule.category}; scope: {rule.scope}; "
            f"severity: {rule.severity}"
            + (f", approver: {rule.approver}" if rule.approver else "")
            + ("" if rule.enabled else "; DISABLED")
            + ")",
            f"defined at {entry.where.locate()}",
            "",
            "What it does:",
            f"    Fires when: {rule.when}",
        ]
        if rule.description:
            parts += ["", "Why it matters:", textwrap.indent(rule.description.strip(), "    ")]
        if rule.message:
            parts += ["", "Example message:", f"    {rule.message}"]
        if rule.fix:
            parts += ["", "How to fix:", textwrap.indent(rule.fix.strip(), "    ")]
        return "\n".join(parts) + "\n"
    return None


def _body(doc: str) -> str:
    """A docstring without its summary line's indentation quirks."""
    lines = doc.strip("\n").splitlines()
    if not lines:
        return ""
    first, rest = lines[0].strip(), "\n".join(lines[1:])
    return first + "\n" + textwrap.dedent(rest)


def listing(catalog: Catalog | None) -> str:
    rows = ["Built-in checks:"]
    for check in sorted(REGISTRY.values(), key=lambda c: c.id):
        rows.append(f"  {check.id:<28} {check.severity:<9} {check.summary}")
    if catalog is not None and catalog.rules:
        rows += ["", "Catalog rules:"]
        for rule_id in sorted(catalog.rules):
            rule = catalog.rules[rule_id].rule
            summary = (rule.description or rule.message or rule.when).strip().splitlines()[0]
            rows.append(f"  {rule_id:<28} {rule.severity:<9} {summary}")
    from dealcheck.lint.docs import LINT_DOCS  # texts only: nothing of the analysis

    rows += ["", "Findings of dealcheck lint:"]
    for doc in LINT_DOCS.values():
        rows.append(f"  {doc.id:<28} {doc.severity:<9} {doc.summary}")
    rows += ["", "dealcheck explain ID shows what a check does, why, an example and how to fix."]
    return "\n".join(rows) + "\n"


def suggestion(rule_id: str, catalog: Catalog | None) -> str | None:
    ids = [*REGISTRY, *(catalog.rules if catalog else ())]
    return suggest(rule_id, ids)


def rule_docs(catalog: Catalog | None) -> dict[str, RuleDoc]:
    """Every built-in check and catalog rule, described for reports (sorted by id)."""
    docs: dict[str, RuleDoc] = {}
    for check in REGISTRY.values():
        docs[check.id] = RuleDoc(
            check.id,
            check.summary,
            explain_text(check.id, None) or check.summary,
            check.severity,
            check.category,
            True,
        )
    if catalog is not None:
        for rule_id, entry in catalog.rules.items():
            rule = entry.rule
            summary = (rule.description or rule.message or rule.when).strip().splitlines()[0]
            docs[rule_id] = RuleDoc(
                rule_id,
                summary,
                explain_text(rule_id, catalog) or summary,
                rule.severity,
                rule.category,
                False,
            )
    return dict(sorted(docs.items()))
