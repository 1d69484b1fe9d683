"""The impact report as a SARIF 2.1.0 log for GitHub code scanning: a result per finding
that made a deal worse. Built with the parts every dealcheck SARIF log shares (rule
descriptors, locations, fingerprints, GitHub's limits: :mod:`dealcheck.report.sarif`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dealcheck.report.results import RuleDoc
from dealcheck.report.sarif import (
    FINGERPRINT_KEY,
    GITHUB_LIMITS,
    LEVELS,
    Limits,
    Locator,
    check_limits,
    descriptor,
    message_text,
    result_fingerprint,
    result_location,
    tool,
)

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.views.impact import ImpactReport


def _rule_doc(rule_id: str, summary: str, severity: str, category: str) -> RuleDoc:
    """An impact rule's description; its help (GitHub requires one) is ``dealcheck
    explain``'s text of a built-in check, or for a catalog rule (the report does not hold
    the catalog) its summary and where to read more."""
    from dealcheck.checks import REGISTRY
    from dealcheck.explain import explain_text

    builtin = rule_id in REGISTRY
    text = explain_text(rule_id, None) if builtin else None
    help_text = text or f"{summary}\n\nRun 'dealcheck explain {rule_id}' for what the rule checks."
    return RuleDoc(rule_id, summary, help_text, severity, category, builtin)


def render_sarif(
    report: ImpactReport, *, limits: Limits = GITHUB_LIMITS, cwd: Path | str | None = None
) -> str:
    """SARIF 2.1.0: one result per finding that made a deal worse, at the deal file.

    Locations, fingerprints and messages as in ``check``'s log (see
    :mod:`dealcheck.report.sarif`); raises :class:`~dealcheck.report.sarif.SarifLimitError`
    when the log would exceed one of GitHub's ``limits``.
    """
    worsening = [(d, c) for d in report.worse for c in d.worsening]
    kinds: dict[str, tuple[str, str]] = {}  # rule → (severity, category)
    for _, c in worsening:
        kinds.setdefault(c.finding.rule, (c.finding.severity, c.finding.category))
    rule_ids = sorted(kinds)
    rule_index = {r: i for i, r in enumerate(rule_ids)}
    locator = Locator(cwd)
    results = []
    for d, c in worsening:
        f = c.finding
        because = f" Because {'; '.join(c.causes)}." if c.causes else ""
        location = result_location(f.location, locator, d.deal_id)
        uri = location["physicalLocation"]["artifactLocation"]["uri"]
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": rule_index[f.rule],
                "level": LEVELS.get(f.severity, "warning"),
                "message": {
                    "text": message_text(
                        f"{d.deal_id} ({d.verdict_before} → {d.verdict_after}): "
                        f"{f.message.rstrip('.')}.{because}"
                    )
                },
                "locations": [location],
                "partialFingerprints": {
                    FINGERPRINT_KEY: result_fingerprint(f.rule, d.deal_id, uri, f.fingerprint)
                },
                "properties": {
                    "deal": d.deal_id,
                    "verdictBefore": d.verdict_before,
                    "verdictAfter": d.verdict_after,
                    "change": c.change,
                    "causes": list(c.causes),
                    "fingerprint": f.fingerprint,
                },
            }
        )
    rules = [descriptor(_rule_doc(r, report.rule_summaries.get(r, r), *kinds[r])) for r in rule_ids]
    run = {
        "tool": tool(rules),
        "automationDetails": {"id": "dealcheck-impact/"},
        "originalUriBaseIds": locator.original_uri_base_ids(),
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return check_limits(run, limits, "split the deals (--deals) into several runs")
