"""The result of ``dealcheck check``: every deal's outcome, today's date and the catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dealcheck.findings import DealResult, FailOn, exit_code, summary


@dataclass(frozen=True)
class RuleDoc:
    """What a report needs to describe a check or rule (SARIF rule descriptors, HTML)."""

    id: str
    summary: str
    help: str  # the full ``dealcheck explain`` text
    severity: str
    category: str
    builtin: bool


@dataclass
class CheckReport:
    today: date
    catalog_fingerprint: str
    catalog_paths: list[str]
    deals: list[DealResult] = field(default_factory=list)
    rules: dict[str, RuleDoc] = field(default_factory=dict)
    fail_on: FailOn | None = None

    def summary(self) -> dict[str, int]:
        return summary(self.deals)

    def exit_code(self, fail_on: FailOn | None = None) -> int:
        return exit_code(self.deals, fail_on if fail_on is not None else self.fail_on)
