"""``dealcheck lint`` reports: text, JSON, SARIF 2.1.0 and GitHub workflow annotations.

Every finding is at ``file:line:column`` of the rule (or RuleSet key) it is about; text
and JSON carry each finding's example deal, a ``tests:`` case to paste into the RuleSet.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path
from typing import Any

from dealcheck import __version__
from dealcheck.lint.docs import LINT_DOCS
from dealcheck.lint.findings import LintFinding, LintReport
from dealcheck.report import github, sarif
from dealcheck.report.results import RuleDoc
from dealcheck.report.sanitize import json_text, one_line, safe_text

_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def summary_line(report: LintReport) -> str:
    counts = ", ".join(
        f"{report.count(s)} {s if report.count(s) == 1 or s == 'info' else s + 's'}"
        for s in ("error", "warning", "info")
    )
    return (
        f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''} "
        f"({counts}) in {len(report.rulesets)} RuleSet{'s' if len(report.rulesets) != 1 else ''}, "
        f"{report.rules} enabled rules"
    )


def render_text(report: LintReport) -> str:
    out: list[str] = []
    for f in report.findings:
        out.append(safe_text(f"{f.location}: {f.severity}: {f.id}: {f.message}"))
        for rule, where in f.related:
            out.append(safe_text(f"    see {rule} at {where}"))
        if f.example is not None:
            out.append("    example deal (a tests: case; the engine confirms it):")
            out.append(textwrap.indent(safe_text(f.example.yaml()), "      ").rstrip("\n"))
        elif f.note:
            out.append(safe_text(f"    {f.note}"))
        out.append("")
    if report.opaque:
        out.append(
            "Partly beyond the analysis (text, regions, arithmetic between fields; never "
            f"claimed about): {', '.join(report.opaque)}"
        )
    out.append(summary_line(report))
    return "\n".join(out) + "\n"


def to_dict(report: LintReport) -> dict[str, Any]:
    return {
        "version": 1,
        "tool": {"name": "dealcheck", "version": __version__},
        "rulesets": report.rulesets,
        "rules": report.rules,
        "findings": [f.as_dict() for f in report.findings],
        "opaque": report.opaque,
        "summary": {
            "errors": report.count("error"),
            "warnings": report.count("warning"),
            "infos": report.count("info"),
            "exit_code": report.exit_code,
        },
    }


def render_json(report: LintReport) -> str:
    return json_text(json.dumps(to_dict(report), indent=2, ensure_ascii=False)) + "\n"


def render_github(report: LintReport) -> str:
    lines = [
        github.command(
            _GITHUB_LEVELS[f.severity],
            f.message
            + (f"\n\nExample deal (a tests: case):\n{f.example.yaml()}" if f.example else ""),
            f.location.file,
            f.location.line,
            f.location.column,
            f"dealcheck lint: {f.id}",
        )
        for f in report.findings
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(report: LintReport, cwd: Path | str | None = None) -> str:
    """A SARIF 2.1.0 log: a rule descriptor per lint id (with its explain text), a result
    per finding at the rule's location, the other rules as related locations."""
    locator = sarif.Locator(cwd)
    ids = sorted(LINT_DOCS)
    rules = [
        sarif.descriptor(
            RuleDoc(
                i, LINT_DOCS[i].summary, LINT_DOCS[i].text(), LINT_DOCS[i].severity, "policy", True
            )
        )
        for i in ids
    ]
    for rule in rules:
        rule["defaultConfiguration"] = {"level": _SARIF_LEVELS[LINT_DOCS[rule["id"]].severity]}
    results = [_result(f, ids.index(f.id), locator) for f in report.findings]
    run: dict[str, Any] = {
        "tool": sarif.tool(rules),
        "originalUriBaseIds": {},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "rulesets": report.rulesets,
            "summary": to_dict(report)["summary"],
        },
    }
    run["originalUriBaseIds"] = locator.original_uri_base_ids()
    return sarif.check_limits(run, sarif.GITHUB_LIMITS, "lint fewer RuleSets per run")


def _result(f: LintFinding, index: int, locator: sarif.Locator) -> dict[str, Any]:
    location = sarif.result_location(f.location, locator)
    uri = location["physicalLocation"]["artifactLocation"]["uri"]
    own = hashlib.sha256(f"{f.id}\x1f{f.message}".encode("utf-8", "surrogatepass")).hexdigest()
    result: dict[str, Any] = {
        "ruleId": f.id,
        "ruleIndex": index,
        "level": _SARIF_LEVELS[f.severity],
        "message": {"text": sarif.message_text(f.message)},
        "locations": [location],
        "partialFingerprints": {
            sarif.FINGERPRINT_KEY: sarif.result_fingerprint(f.id, f.ruleset, uri, own[:16])
        },
        "properties": {
            "ruleset": f.ruleset,
            "rules": list(f.rules),
            "example": f.example.yaml() if f.example else None,
        },
    }
    if f.related:
        result["relatedLocations"] = [
            {
                "id": i + 1,
                **sarif.result_location(where, locator),
                "message": {"text": one_line(rule)},
            }
            for i, (rule, where) in enumerate(f.related)
        ]
    return result
