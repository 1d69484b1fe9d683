"""SARIF rule descriptors (``tool.driver.rules[]``) and the ``tool`` object that holds them.

A descriptor carries everything GitHub requires of a rule, with the rule's
``dealcheck explain`` text as its help. Shared by every SARIF log dealcheck writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from dealcheck import __version__
from dealcheck.report.results import RuleDoc
from dealcheck.report.sanitize import one_line, safe_text

# Where users learn about the tool (SARIF's ``tool.driver.informationUri``).
INFORMATION_URI = "https://github.com/dealcheck/dealcheck"
LEVELS = {"blocker": "error", "approval": "warning", "warning": "warning", "info": "note"}
PROBLEM_SUMMARIES = {
    "cycle": "Documents refer to each other in a cycle.",
    "duplicate-id": "An id is defined more than once in the catalog.",
    "expression": "A rule expression does not parse or does not type-check.",
    "fx": "A currency has no FX rate, or an FX rate is unusable.",
    "invalid": "A document is not valid for its kind.",
    "invalid-value": "A value has the wrong type or is out of range.",
    "kind": "A document's kind is missing or unknown.",
    "missing-key": "A required key is missing.",
    "pricing": "Prices of a SKU are inconsistent (list, floor, cost).",
    "region": "A region or country code is unknown.",
    "stale-roadmap": "A roadmap target date has passed without the feature shipping.",
    "template": "A message template refers to something that does not exist.",
    "unknown-key": "A key is not known for this kind of document.",
    "unreadable": "A file cannot be read or parsed as YAML.",
}


class Descriptors:
    """Rule descriptors in a fixed order, growing for ids a report did not describe."""

    def __init__(self, docs: Iterable[RuleDoc]) -> None:
        self.rules: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        for doc in docs:
            self.add(doc)

    def add(self, doc: RuleDoc) -> int:
        if doc.id not in self.index:
            self.index[doc.id] = len(self.rules)
            self.rules.append(descriptor(doc))
        return self.index[doc.id]

    def find(self, rule_id: str, severity: str, category: str) -> int:
        if rule_id in self.index:
            return self.index[rule_id]
        return self.add(RuleDoc(rule_id, rule_id, rule_id, severity, category, False))


def descriptor(doc: RuleDoc) -> dict[str, Any]:
    """A ``reportingDescriptor`` with everything GitHub requires (GH2012: ``fullDescription``
    and ``help``) and a friendly ``name`` (SARIF2012)."""
    summary = one_line(doc.summary or doc.id)
    full = safe_text(doc.help or doc.summary or doc.id)
    return {
        "id": doc.id,
        "name": _friendly_name(doc),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": full},
        "defaultConfiguration": {"level": LEVELS.get(doc.severity, "warning")},
        "properties": {
            "category": doc.category,
            "severity": doc.severity,
            "builtin": doc.builtin,
            "tags": [doc.category],
        },
    }


def _friendly_name(doc: RuleDoc) -> str:
    """The rule's ``name``: its id in Pascal case, prefixed by its category when that would
    only change the case (SARIF1001: ``name`` must differ from ``id``, ignoring case)."""
    name = _pascal_case(doc.id)
    if name.lower() == doc.id.lower():
        name = _pascal_case(f"{doc.category}-{doc.id}")
    return name if name.lower() != doc.id.lower() else f"{name}Rule"


def _pascal_case(rule_id: str) -> str:
    """``region-restricted`` → ``RegionRestricted`` (SARIF's readable ``name``)."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", rule_id) if p]
    return "".join(p[0].upper() + p[1:] for p in parts) or "Rule"


def tool(rules: list[dict[str, Any]]) -> dict[str, Any]:
    """A run's ``tool`` object: dealcheck, its version, and the run's rule descriptors."""
    return {
        "driver": {
            "name": "dealcheck",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }
    }
