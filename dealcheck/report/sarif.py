"""SARIF 2.1.0 logs of ``check`` and ``validate`` results, for GitHub code scanning.

Every check and rule that ran becomes a ``tool.driver.rules[]`` descriptor (its
``dealcheck explain`` text is the help); every reported finding a result at its YAML
location. The log is written to pass GitHub's upload checks (Microsoft's SARIF multitool,
``validate --rule-kind "Sarif;Gh"``; ``scripts/sarif_multitool.sh`` runs it):

* **Locations** are relative to the repository root, with ``uriBaseId: "%SRCROOT%"`` (the
  way GitHub resolves them), never to the directory dealcheck ran in and never ``file://``.
  The root of a file is the top of the git work tree around it (found by walking up to a
  ``.git``, once per directory, without running git), else the working directory.
  ``run.originalUriBaseIds`` declares ``%SRCROOT%`` without an absolute URI, so that a log
  is the same wherever the repository is checked out. Files under another root (another
  repository) get a base id of their own, ``%SRCROOT2%``, … whose absolute ``file:`` URI
  is declared there.
* **Fingerprints** (``partialFingerprints["dealcheck/v2"]``) hash the rule, the deal id,
  the file's repository-relative path and the finding's own fingerprint, so that the same
  finding in two deals is two alerts, and an alert survives edits elsewhere in the file.
* **Messages** are one line with the control characters replaced
  (:func:`~dealcheck.report.sanitize.one_line`), and ``[`` / ``]`` escaped, because
  GitHub renders ``[text](target)`` in a message as a link.
* **What is reported** (GitHub accepts at most 25,000 results and 25,000 rules per run
  and 10 MB gzip-compressed per file, and shows only the first 5,000 results of a run):
  by default only the *open* findings at or above the ``--fail-on`` level (``approval``
  unless configured): what a reviewer must act on. Approved and waived findings at that
  level are added as suppressed results only when they fit within the limit (all of them,
  or none). Deals that could not be read are always reported. ``all_findings=True``
  reports every finding, as earlier versions did. When the results still exceed a limit,
  :class:`SarifLimitError` says which, rather than writing a log GitHub would reject.

This module builds the logs of ``check`` and ``validate``. The parts every dealcheck SARIF
log shares (``lint`` and ``impact`` too) have modules of their own, and every public name
of theirs is importable from here: rule descriptors and ``tool`` in
:mod:`~dealcheck.report.sarif_rules`; locations, fingerprints and message text in
:mod:`~dealcheck.report.sarif_locations`; GitHub's limits and the log's text in
:mod:`~dealcheck.report.sarif_limits`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dealcheck.errors import Problem
from dealcheck.findings import SEVERITY_RANK, DealResult, FailOn, Finding
from dealcheck.report.json_report import plain
from dealcheck.report.results import CheckReport, RuleDoc
from dealcheck.report.sanitize import one_line
from dealcheck.report.sarif_limits import (
    GITHUB_LIMITS,
    SCHEMA_URI,
    Limits,
    SarifLimitError,
    check_limits,
    check_result_count,
    dump,
    escape_raw,
)
from dealcheck.report.sarif_locations import (
    FINGERPRINT_KEY,
    SRCROOT,
    Locator,
    message_text,
    result_fingerprint,
    result_location,
)
from dealcheck.report.sarif_rules import (
    INFORMATION_URI,
    LEVELS,
    PROBLEM_SUMMARIES,
    Descriptors,
    descriptor,
    tool,
)

if TYPE_CHECKING:
    from dealcheck.validate import ValidationReport

__all__ = [
    "DEFAULT_FAIL_ON",
    "FINGERPRINT_KEY",
    "GITHUB_LIMITS",
    "INFORMATION_URI",
    "INPUT_RULE_PREFIX",
    "LEVELS",
    "PROBLEM_LEVELS",
    "PROBLEM_SUMMARIES",
    "SCHEMA_URI",
    "SRCROOT",
    "Limits",
    "Locator",
    "SarifLimitError",
    "check_limits",
    "check_result_count",
    "descriptor",
    "dump",
    "escape_raw",
    "message_text",
    "render",
    "render_validation",
    "result_fingerprint",
    "result_location",
    "tool",
]

DEFAULT_FAIL_ON: FailOn = "approval"  # what ``check`` fails on without --fail-on (exit 3)
PROBLEM_LEVELS = {"error": "error", "warning": "warning"}
# A deal that cannot be read is reported under its problem's code; the prefix keeps those
# ids apart from rule ids, which catalog authors choose freely.
INPUT_RULE_PREFIX = "input/"


# -- check -------------------------------------------------------------------------------------


def render(
    report: CheckReport,
    *,
    fail_on: FailOn | None = None,
    all_findings: bool = False,
    limits: Limits = GITHUB_LIMITS,
    cwd: Path | str | None = None,
) -> str:
    """The SARIF log of a ``check`` run: one run, a result per reported finding (see the
    module's docstring) and per problem of a deal that could not be read.

    ``fail_on`` defaults to ``report.fail_on``, else ``"approval"``. Raises
    :class:`SarifLimitError` when the log would exceed one of GitHub's ``limits``.
    """
    level = fail_on or report.fail_on or DEFAULT_FAIL_ON
    threshold = SEVERITY_RANK[level]

    def wanted(f: Finding) -> bool:
        return all_findings or SEVERITY_RANK.get(f.severity, 9) <= threshold

    open_count = suppressed = below = 0
    for deal in report.deals:
        open_count += len(deal.problems) if deal.error is not None else 0
        for f in deal.findings:
            if not wanted(f):
                below += 1
            elif f.is_open:
                open_count += 1
            else:
                suppressed += 1
    if level == "blocker" or all_findings:
        advice = "split the deals into several runs, each uploaded with its own category"
    else:
        advice = (
            "report only open blockers (--fail-on blocker) or split the deals into several "
            "runs, each uploaded with its own category"
        )
    check_result_count(open_count, limits, advice)  # before building any result
    with_suppressed = open_count + suppressed <= limits.results

    locator = Locator(cwd)
    descriptors = Descriptors(report.rules.values())
    results: list[dict[str, Any]] = []
    for deal in report.deals:
        if deal.error is not None:
            results.extend(_deal_problem(descriptors, locator, deal, p) for p in deal.problems)
        results.extend(
            _finding_result(descriptors, locator, deal, f)
            for f in deal.findings
            if wanted(f) and (f.is_open or with_suppressed)
        )
    run: dict[str, Any] = {
        "tool": tool(descriptors.rules),
        "originalUriBaseIds": locator.original_uri_base_ids(),
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "today": report.today.isoformat(),
            "catalogFingerprint": report.catalog_fingerprint,
            "catalogPaths": list(report.catalog_paths),
            "summary": report.summary(),
            "reported": {
                "failOn": None if all_findings else level,
                "allFindings": all_findings,
                "belowFailOn": below,
                "suppressedIncluded": suppressed if with_suppressed else 0,
                "suppressedLeftOut": 0 if with_suppressed else suppressed,
            },
        },
    }
    return check_limits(run, limits, advice)


# -- validate ----------------------------------------------------------------------------------


def render_validation(
    report: ValidationReport, *, limits: Limits = GITHUB_LIMITS, cwd: Path | str | None = None
) -> str:
    """The SARIF log of a ``validate`` run: a result per problem, a rule per problem code.

    Raises :class:`SarifLimitError` when the log would exceed one of GitHub's ``limits``.
    """
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
    locator = Locator(cwd)
    descriptors = Descriptors(rules)
    results = [_problem_result(descriptors, locator, p.code, p, "") for p in report.problems]
    run: dict[str, Any] = {
        "tool": tool(descriptors.rules),
        "originalUriBaseIds": {},  # filled in below, once every file is located
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": locator.artifact(f)} for f in report.files],
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
    run["originalUriBaseIds"] = locator.original_uri_base_ids()
    return check_limits(run, limits, "validate the catalog's files in several runs")


# -- results ----------------------------------------------------------------------------------


def _finding_result(
    descriptors: Descriptors, locator: Locator, deal: DealResult, f: Finding
) -> dict[str, Any]:
    text = f.message
    if f.fix:  # one line: "Message. Fix: fix"
        text = f"{text}{'' if text.rstrip().endswith(('.', '!', '?')) else '.'}\nFix: {f.fix}"
    location = result_location(f.location, locator, deal.deal_id)
    uri = location["physicalLocation"]["artifactLocation"]["uri"]
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": descriptors.find(f.rule, f.severity, f.category),
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": message_text(text)},
        "locations": [location],
        "partialFingerprints": {
            FINGERPRINT_KEY: result_fingerprint(f.rule, deal.deal_id, uri, f.fingerprint)
        },
        "properties": {
            "deal": deal.deal_id,
            "category": f.category,
            "severity": f.severity,
            "status": f.status,
            "subject": f.subject,
            "approver": f.approver,
            "fix": f.fix,
            "fingerprint": f.fingerprint,
            "evidence": plain(dict(sorted(f.evidence.items()))),
        },
    }
    if not f.is_open:
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if f.status_note:
            suppression["justification"] = one_line(f.status_note)
        suppression["properties"] = {"dealcheckStatus": f.status}
        result["suppressions"] = [suppression]
    return result


def _deal_problem(
    descriptors: Descriptors, locator: Locator, deal: DealResult, p: Problem
) -> dict[str, Any]:
    rule_id = INPUT_RULE_PREFIX + p.code
    if rule_id not in descriptors.index:
        summary = PROBLEM_SUMMARIES.get(p.code, f"Input problem: {p.code}.")
        descriptors.add(RuleDoc(rule_id, summary, summary, "blocker", "input", True))
    result = _problem_result(descriptors, locator, rule_id, p, deal.deal_id)
    result["properties"]["deal"] = deal.deal_id or None
    return result


def _problem_result(
    descriptors: Descriptors, locator: Locator, rule_id: str, p: Problem, deal_id: str
) -> dict[str, Any]:
    location = result_location(p.location, locator)
    uri = location["physicalLocation"]["artifactLocation"]["uri"]
    # Problems have no fingerprint of their own: what and where (not the line, which moves).
    own = hashlib.sha256(f"{p.code}\x1f{p.message}".encode("utf-8", "surrogatepass")).hexdigest()
    return {
        "ruleId": rule_id,
        "ruleIndex": descriptors.find(rule_id, "blocker", "catalog"),
        "level": PROBLEM_LEVELS.get(p.severity, "warning"),
        "message": {"text": message_text(p.message)},
        "locations": [location],
        "partialFingerprints": {
            FINGERPRINT_KEY: result_fingerprint(rule_id, deal_id, uri, own[:16])
        },
        "properties": {"code": p.code, "severity": p.severity},
    }
