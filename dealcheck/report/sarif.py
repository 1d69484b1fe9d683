"""SARIF 2.1.0 logs of ``check`` and ``validate`` results, for code scanning and review tools.

Every check and rule that ran becomes a ``tool.driver.rules[]`` descriptor (its
``dealcheck explain`` text is the help); every finding a result at its YAML location,
with the finding's fingerprint as a partial fingerprint, so an alert survives edits
elsewhere in the file. Approved and waived findings are reported as suppressed results.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from dealcheck import __version__
from dealcheck.errors import Location, Problem
from dealcheck.findings import DealResult, Finding, fingerprint
from dealcheck.report.json_report import plain
from dealcheck.report.results import CheckReport, RuleDoc

if TYPE_CHECKING:
    from dealcheck.validate import ValidationReport

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "dealcheck/v1"
LEVELS = {"blocker": "error", "approval": "warning", "warning": "warning", "info": "note"}
PROBLEM_LEVELS = {"error": "error", "warning": "warning"}
# A deal that cannot be read is reported under its problem's code; the prefix keeps those
# ids apart from rule ids, which catalog authors choose freely.
INPUT_RULE_PREFIX = "input/"
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


def render(report: CheckReport) -> str:
    """The SARIF log of a ``check`` run: one run, a result per finding (and per load error)."""
    descriptors = _Descriptors(report.rules.values())
    results: list[dict[str, Any]] = []
    for deal in report.deals:
        if deal.error is not None:
            results.extend(_deal_problem(descriptors, deal, p) for p in deal.problems)
        results.extend(_finding_result(descriptors, deal, f) for f in deal.findings)
    run: dict[str, Any] = {
        "tool": _tool(descriptors.rules),
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "today": report.today.isoformat(),
            "catalogFingerprint": report.catalog_fingerprint,
            "catalogPaths": list(report.catalog_paths),
            "summary": report.summary(),
        },
    }
    return dump(run)


def render_validation(report: ValidationReport) -> str:
    """The SARIF log of a ``validate`` run: a result per problem, a rule per problem code."""
    codes = sorted({p.code for p in report.problems})
    rules = [
        RuleDoc(
            code,
            PROBLEM_SUMMARIES.get(code, f"Catalog problem: {code}."),
            PROBLEM_SUMMARIES.get(code, f"Catalog problem: {code}."),
            "blocker",
            "catalog",
            True,
        )
        for code in codes
    ]
    descriptors = _Descriptors(rules)
    results = [_problem_result(descriptors, p.code, p) for p in report.problems]
    run: dict[str, Any] = {
        "tool": _tool(descriptors.rules),
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": {"uri": artifact_uri(f)}} for f in report.files],
        "results": results,
        "properties": {
            "catalogFingerprint": report.catalog.fingerprint,
            "catalogPaths": list(report.catalog.paths),
            "summary": {
                "files": len(report.files),
                "errors": report.errors,
                "warnings": report.warnings,
            },
        },
    }
    return dump(run)


def artifact_uri(file: str) -> str:
    """A file as shown to users → a URI reference: relative with ``/``, absolute as ``file:``."""
    if PureWindowsPath(file).drive:
        return "file:///" + quote(PureWindowsPath(file).as_posix(), safe="/:")
    posix = file.replace("\\", "/")
    if PurePosixPath(posix).is_absolute():
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


class _Descriptors:
    """Rule descriptors in a fixed order, growing for ids a report did not describe."""

    def __init__(self, docs: Iterable[RuleDoc]) -> None:
        self.rules: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        for doc in docs:
            self.add(doc)

    def add(self, doc: RuleDoc) -> int:
        if doc.id not in self.index:
            self.index[doc.id] = len(self.rules)
            self.rules.append(_descriptor(doc))
        return self.index[doc.id]

    def find(self, rule_id: str, severity: str, category: str) -> int:
        if rule_id in self.index:
            return self.index[rule_id]
        return self.add(RuleDoc(rule_id, rule_id, rule_id, severity, category, False))


def _descriptor(doc: RuleDoc) -> dict[str, Any]:
    return {
        "id": doc.id,
        "name": _pascal_case(doc.id),
        "shortDescription": {"text": doc.summary or doc.id},
        "fullDescription": {"text": doc.help or doc.summary or doc.id},
        "help": {"text": doc.help or doc.summary or doc.id},
        "defaultConfiguration": {"level": LEVELS.get(doc.severity, "warning")},
        "properties": {
            "category": doc.category,
            "severity": doc.severity,
            "builtin": doc.builtin,
            "tags": [doc.category],
        },
    }


def _pascal_case(rule_id: str) -> str:
    """``region-restricted`` → ``RegionRestricted`` (SARIF's readable ``name``)."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", rule_id) if p]
    return "".join(p[0].upper() + p[1:] for p in parts) or "Rule"


def _tool(rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "driver": {
            "name": "dealcheck",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": rules,
        }
    }


def result_location(location: Location, deal_id: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(location.file)}}
    region: dict[str, int] = {}
    if location.line > 0:
        region["startLine"] = location.line
        if location.column > 0:
            region["startColumn"] = location.column
    if region:
        physical["region"] = region
    result: dict[str, Any] = {"physicalLocation": physical}
    if deal_id:
        result["logicalLocations"] = [{"name": deal_id, "kind": "deal"}]
    return result


def _finding_result(descriptors: _Descriptors, deal: DealResult, f: Finding) -> dict[str, Any]:
    text = f.message if not f.fix else f"{f.message}\nFix: {f.fix}"
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": descriptors.find(f.rule, f.severity, f.category),
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": text},
        "locations": [result_location(f.location, deal.deal_id)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "deal": deal.deal_id,
            "category": f.category,
            "severity": f.severity,
            "status": f.status,
            "subject": f.subject,
            "approver": f.approver,
            "fix": f.fix,
            "evidence": plain(dict(sorted(f.evidence.items()))),
        },
    }
    if not f.is_open:
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if f.status_note:
            suppression["justification"] = f.status_note
        suppression["properties"] = {"dealcheckStatus": f.status}
        result["suppressions"] = [suppression]
    return result


def _deal_problem(descriptors: _Descriptors, deal: DealResult, p: Problem) -> dict[str, Any]:
    rule_id = INPUT_RULE_PREFIX + p.code
    if rule_id not in descriptors.index:
        summary = PROBLEM_SUMMARIES.get(p.code, f"Input problem: {p.code}.")
        descriptors.add(RuleDoc(rule_id, summary, summary, "blocker", "input", True))
    result = _problem_result(descriptors, rule_id, p)
    result["properties"]["deal"] = deal.deal_id or None
    return result


def _problem_result(descriptors: _Descriptors, rule_id: str, p: Problem) -> dict[str, Any]:
    # Problems have no fingerprint of their own: what and where (not the line, which moves).
    return {
        "ruleId": rule_id,
        "ruleIndex": descriptors.find(rule_id, "blocker", "catalog"),
        "level": PROBLEM_LEVELS.get(p.severity, "warning"),
        "message": {"text": p.message},
        "locations": [result_location(p.location)],
        "partialFingerprints": {
            FINGERPRINT_KEY: fingerprint(p.code, p.location.file, (p.message,))
        },
        "properties": {"code": p.code, "severity": p.severity},
    }


def dump(run: dict[str, Any]) -> str:
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
