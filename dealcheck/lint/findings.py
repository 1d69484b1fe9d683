"""The findings of ``dealcheck lint`` and their example deals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final

from dealcheck.errors import Location
from dealcheck.lint.docs import LINT_DOCS

SEVERITY_ORDER: Final = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Example:
    """A small deal that shows a finding, as a RuleSet ``tests:`` case: the rules it must
    and must not fire. ``confirmed``: the engine was run on it and agreed."""

    name: str
    deal: dict[str, Any]
    expect: tuple[str, ...]
    expect_not: tuple[str, ...]
    confirmed: bool = False

    def yaml(self) -> str:
        """The example as a ``tests:`` list item (paste it under ``tests:``)."""
        lines = [f"- name: {self.name}", "  deal:"]
        for key, value in self.deal.items():
            if key == "lines":
                lines.append("    lines:")
                lines.extend(f"      - {_flow(line)}" for line in value)
            else:
                lines.append(
                    f"    {key}: {_scalar(value) if not isinstance(value, dict) else _flow(value)}"
                )
        lines.append(f"  expect: [{', '.join(self.expect)}]")
        lines.append(f"  expect_not: [{', '.join(self.expect_not)}]")
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "deal": _plain(self.deal),
            "expect": list(self.expect),
            "expect_not": list(self.expect_not),
            "confirmed": self.confirmed,
        }


def _flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in mapping.items()) + "}"


def _scalar(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal | date):
        return _scalar(value)
    return value


@dataclass(frozen=True)
class LintFinding:
    """One problem in the policy, located at the rule (or RuleSet) it is about."""

    id: str
    location: Location
    message: str
    ruleset: str
    rules: tuple[str, ...] = ()  # the rules involved, the located one first
    related: tuple[tuple[str, Location], ...] = ()  # the other rules, and where
    example: Example | None = None
    note: str | None = None  # why there is no example, when there is none

    @property
    def severity(self) -> str:
        return LINT_DOCS[self.id].severity

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        loc = self.location
        return (
            loc.file,
            loc.line,
            loc.column,
            SEVERITY_ORDER[self.severity],
            self.id,
            self.message,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "location": {
                "file": self.location.file,
                "line": self.location.line,
                "column": self.location.column,
            },
            "message": self.message,
            "ruleset": self.ruleset,
            "rules": list(self.rules),
            "related": [{"rule": rule, "location": str(where)} for rule, where in self.related],
            "example": self.example.as_dict() if self.example else None,
            "note": self.note,
        }


@dataclass
class LintReport:
    """Every finding, sorted by location; the RuleSets read; rules not fully analysable."""

    findings: list[LintFinding] = field(default_factory=list)
    rulesets: list[str] = field(default_factory=list)
    rules: int = 0
    opaque: list[str] = field(default_factory=list)  # rules with parts lint cannot reason about

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def exit_code(self) -> int:
        """0: clean (info allowed); 1: any finding at warning or above."""
        return 1 if any(f.severity in ("error", "warning") for f in self.findings) else 0
