"""``dealcheck impact`` reports: text, JSON, Markdown, GitHub annotations and SARIF.

Each renderer is a pure function of an :class:`~dealcheck.views.impact.ImpactReport`; only the
CLI writes what they return. Sections come in the order worse, better, changed; text,
JSON and Markdown then list the promises a roadmap change makes late (owners, value).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dealcheck import __version__
from dealcheck.report.github import command
from dealcheck.report.json_report import finding_dict, plain
from dealcheck.report.markdown import markdown_table
from dealcheck.report.promises import amount, cents, value_text
from dealcheck.report.results import RuleDoc
from dealcheck.report.sanitize import one_line
from dealcheck.report.sarif import (
    FINGERPRINT_KEY,
    GITHUB_LIMITS,
    LEVELS,
    Limits,
    Locator,
    check_limits,
    descriptor,
    escape_raw,
    message_text,
    result_fingerprint,
    result_location,
    tool,
)

if TYPE_CHECKING:  # the model never imports its renderers: no import circle
    from dealcheck.errors import Location
    from dealcheck.findings import Finding
    from dealcheck.views.impact import (
        CatalogSide,
        DealImpact,
        Direction,
        FindingChange,
        ImpactReport,
    )
    from dealcheck.views.promises import LatePromise

_MARKS = {"appeared": "+", "disappeared": "−", "changed": "~"}
_HEADINGS: dict[Direction, str] = {
    "worse": "Deals that got worse",
    "better": "Deals that improved",
    "changed": "Deals with other changed findings",
}


def _base_label(report: ImpactReport) -> str:
    side = report.base
    return f"{side.label} ({side.commit[:12]})" if side.commit else side.label


def summary_line(report: ImpactReport) -> str:
    """``5 deals checked: 1 got worse, 0 improved, …`` (or ``…: no deal changed``)."""
    n = report.checked
    head = f"{n} deal{'s' * (n != 1)} checked"
    if not report.deals:
        return f"{head}: no deal changed"
    s = report.summary()
    return (
        f"{head}: {s['worse']} got worse, {s['better']} improved, "
        f"{s['changed']} changed otherwise, {s['unchanged']} unchanged"
    )


def _sections(report: ImpactReport) -> Iterator[tuple[str, list[DealImpact]]]:
    """Each direction's heading and deals, worse first, leaving out the empty ones."""
    for direction, heading in _HEADINGS.items():
        deals = report.by_direction(direction)
        if deals:
            yield heading, deals


def _status(f: Finding) -> str:
    return "" if f.status == "open" else f", {f.status}"


def _details(c: FindingChange) -> str:
    return f" ({'; '.join(c.details)})" if c.details else ""


def _finding_line(c: FindingChange) -> str:
    f = c.finding
    return f"{_MARKS[c.change]} {f.rule} [{f.severity}{_status(f)}] {f.message}{_details(c)}"


def _late_heading(report: ImpactReport) -> str:
    """``Promises made late by the roadmap change (2): value at risk …``."""
    value = report.late_value
    deals = f"{value.deals} deal{'s' * (value.deals != 1)}"
    return (
        f"Promises made late by the roadmap change ({len(report.late_promises)}): value at "
        f"risk {value_text(value, report.currency)} in {deals}"
    )


def _late_line(lp: LatePromise, currency: str | None) -> str:
    p, d = lp.promise, lp.promise.deal
    owner = f", owner {d.owner}" if d.owner else ", no owner"
    return (
        f"{p.feature} due {p.due} (target {lp.before.target or 'none'} → "
        f"{lp.after.target or 'none'}): {d.customer} · {d.id} ({d.stage}{owner}) · "
        f"{amount(d.value, currency)}"
    )


# -- text --------------------------------------------------------------------------------------


def render_text(report: ImpactReport) -> str:
    """Plain text: catalog changes, then deals by direction with each finding's cause."""
    out = [
        f"dealcheck impact: base {_base_label(report)} → {report.head.label} "
        f"(today {report.today.isoformat()})"
    ]
    out.extend(f"note: {n}" for n in report.notes)
    out.append("")
    if report.catalog_changes:
        out.append(f"Catalog changes ({len(report.catalog_changes)})")
        for change in report.catalog_changes:
            ids = report.affected.get(change.text, [])
            affects = f"  [affects {len(ids)} deal{'s' * (len(ids) != 1)}]" if ids else ""
            out.append(f"  {change.location}: {change.text}{affects}")
    else:
        out.append("Catalog changes: none")
    for heading, deals in _sections(report):
        out.append("")
        out.append(f"{heading} ({len(deals)})")
        for deal in deals:
            verdict = (
                f"{deal.verdict_before} → {deal.verdict_after}"
                if deal.verdict_changed
                else f"still {deal.verdict_after}"
            )
            out.append(f"  {deal.deal_id} · {deal.location}: {verdict}")
            for c in deal.findings:
                out.append(f"    {_finding_line(c)}")
                out.append(f"        at {c.finding.location}")
                out.append(
                    "        because "
                    + ("; ".join(c.causes) if c.causes else "(no catalog change traced)")
                )
    if report.late_promises:
        out.append("")
        out.append(_late_heading(report))
        for lp in report.late_promises:
            out.append(f"  {_late_line(lp, report.currency)}")
            out.append(f"      at {lp.promise.location}")
    if report.unreadable:
        out.append("")
        out.append(f"Deals that could not be read ({len(report.unreadable)})")
        out.extend(f"  {p.location}: {p.message}" for p in report.unreadable)
    out.append("")
    out.append(summary_line(report))
    # every line of the report is one line, whatever a deal or catalog value holds
    return "\n".join(one_line(line) for line in out) + "\n"


# -- JSON --------------------------------------------------------------------------------------


def _side_dict(side: CatalogSide) -> dict[str, Any]:
    return {
        "label": side.label,
        "kind": side.kind,
        "commit": side.commit,
        "fingerprint": side.fingerprint,
        "paths": list(side.paths),
    }


def _loc(loc: Location) -> dict[str, Any]:
    return {"file": loc.file, "line": loc.line, "column": loc.column}


def to_dict(report: ImpactReport) -> dict[str, Any]:
    """The JSON impact report (``schema_version`` 1, ``report: impact``)."""
    return {
        "schema_version": 1,
        "report": "impact",
        "dealcheck_version": __version__,
        "today": report.today.isoformat(),
        "base": _side_dict(report.base),
        "head": _side_dict(report.head),
        "notes": report.notes,
        "catalog_changes": [
            {
                "kind": c.kind,
                "id": c.ident,
                "change": c.change,
                "text": c.text,
                "location": _loc(c.location),
                "fields": [
                    {
                        "field": f.name,
                        "before": f.before,
                        "after": f.after,
                        **(
                            {"added": list(f.added), "removed": list(f.removed)}
                            if f.added or f.removed
                            else {}
                        ),
                    }
                    for f in c.fields
                ],
                "affected_deals": report.affected.get(c.text, []),
            }
            for c in report.catalog_changes
        ],
        "deals": [
            {
                "id": d.deal_id,
                "file": d.file,
                "location": _loc(d.location),
                "direction": d.direction,
                "verdict": {"before": d.verdict_before, "after": d.verdict_after},
                "findings": [
                    {
                        "change": c.change,
                        "rule": c.finding.rule,
                        "subject": c.finding.subject,
                        "worsens": c.worsens,
                        "details": list(c.details),
                        "causes": list(c.causes),
                        "before": finding_dict(c.before) if c.before else None,
                        "after": finding_dict(c.after) if c.after else None,
                    }
                    for c in d.findings
                ],
            }
            for d in report.deals
        ],
        "late_promises": _late_dict(report),
        "unreadable": [
            {"message": p.message, "location": _loc(p.location)} for p in report.unreadable
        ],
        "summary": report.summary(),
    }


def _late_dict(report: ImpactReport) -> dict[str, Any]:
    """The promises a roadmap change makes late, and the value at risk."""
    value = report.late_value
    return {
        "currency": report.currency,
        "value_at_risk": {
            "total": cents(value.total),
            "annual": cents(value.annual),
            "deals": value.deals,
            "unvalued_deals": value.unvalued,
        },
        "promises": [
            {
                "feature": lp.promise.feature,
                "due": lp.promise.due.isoformat(),
                "target_before": lp.before.target.isoformat() if lp.before.target else None,
                "target_after": lp.after.target.isoformat() if lp.after.target else None,
                "status_before": lp.before.status,
                "status_after": lp.after.status,
                "deal": lp.promise.deal.id,
                "customer": lp.promise.deal.customer,
                "owner": lp.promise.deal.owner,
                "stage": lp.promise.deal.stage,
                "value": cents(lp.promise.deal.value),
                "annual_value": cents(lp.promise.deal.annual),
                "source": lp.promise.source,
                "clause": lp.promise.clause,
                "location": _loc(lp.promise.location),
            }
            for lp in report.late_promises
        ],
    }


def render_json(report: ImpactReport) -> str:
    return escape_raw(json.dumps(plain(to_dict(report)), indent=2, ensure_ascii=False)) + "\n"


# -- Markdown ----------------------------------------------------------------------------------


_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|#!~&]")


def _md(text: str) -> str:
    """Plain text, safe inside a Markdown table cell or list item: one line, and every
    character Markdown could read as markup (emphasis, links, HTML, code, cells)
    backslash-escaped."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(), one_line(text))


def _code(text: str, cell: bool = False) -> str:
    """A code span of any text: a fence longer than any run of backticks inside; in a
    table ``cell`` a pipe is escaped too (GFM ends a cell at a pipe, even in code)."""
    value = one_line(text)
    if cell:
        value = value.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _md_verdict(d: DealImpact) -> str:
    return f"{d.verdict_before} → **{d.verdict_after}**" if d.verdict_changed else d.verdict_after


def render_markdown(report: ImpactReport) -> str:
    """For a pull-request comment or a job summary."""
    worse = len(report.worse)
    verdict = f"**{worse} deal{'s' * (worse != 1)} got worse**" if worse else "no deal got worse"
    out = [
        "## dealcheck impact",
        "",
        f"Base {_code(_base_label(report))} → {_md(report.head.label)}: {verdict}. "
        f"{_md(summary_line(report))}.",
        "",
    ]
    out.extend(f"> note: {_md(n)}" for n in report.notes)
    if report.notes:
        out.append("")
    out.append("### Catalog changes")
    out.append("")
    if report.catalog_changes:
        rows = [
            [
                _md(c.text),
                _code(str(c.location), cell=True),
                str(len(report.affected.get(c.text, []))),
            ]
            for c in report.catalog_changes
        ]
        out.extend(markdown_table(["change", "where", "deals affected"], rows))
    else:
        out.append("None.")
    for heading, deals in _sections(report):
        out.extend(["", f"### {heading} ({len(deals)})", ""])
        rows = [[_md(d.deal_id), _md_verdict(d), _code(str(d.location), cell=True)] for d in deals]
        out.extend(markdown_table(["deal", "verdict", "file"], rows))
        out.append("")
        for d in deals:
            out.append(f"**{_md(d.deal_id)}**")
            out.append("")
            for c in d.findings:
                f = c.finding
                out.append(
                    f"- **{c.change}** {_code(f.rule)} ({_md(f.severity + _status(f))}): "
                    f"{_md(f.message)}{_md(_details(c))} — {_code(str(f.location))}"
                )
                if c.causes:
                    out.append(f"  - because {_md('; '.join(c.causes))}")
            out.append("")
    if report.late_promises:
        out.extend(["", f"### {_md(_late_heading(report))}", ""])
        rows = [
            [
                _code(lp.promise.feature, cell=True),
                _md(str(lp.promise.due)),
                _md(f"{lp.before.target or 'none'} → {lp.after.target or 'none'}"),
                _md(lp.promise.deal.customer),
                _md(lp.promise.deal.id),
                _md(lp.promise.deal.stage),
                _md(lp.promise.deal.owner or "—"),
                _md(amount(lp.promise.deal.value)),
            ]
            for lp in report.late_promises
        ]
        value_header = f"value ({report.currency or 'n/a'})"
        header = ["feature", "due", "target", "customer", "deal", "stage", "owner", value_header]
        out.extend(markdown_table(header, rows))
    if report.unreadable:
        out.extend(["", f"### Deals that could not be read ({len(report.unreadable)})", ""])
        out.extend(f"- {_code(str(p.location))}: {_md(p.message)}" for p in report.unreadable)
    return "\n".join(out).rstrip("\n") + "\n"


# -- GitHub annotations ------------------------------------------------------------------------


def _annotation(level: str, message: str, location: Location, title: str) -> str:
    # one line each: a line break would end the command and start another
    file = one_line(location.file)
    return command(level, one_line(message), file, location.line, location.column, one_line(title))


def render_github(report: ImpactReport) -> str:
    """GitHub workflow commands: an error (blocker) or warning (approval) at each finding
    that made a deal worse, a notice at each deal that improved and at each catalog change
    that affects a deal; then the summary line."""
    out: list[str] = []
    for d in report.worse:
        title = f"dealcheck impact: {d.deal_id} {d.verdict_before} → {d.verdict_after}"
        for c in d.worsening:
            f = c.finding
            because = f" (because {'; '.join(c.causes)})" if c.causes else ""
            level = "error" if f.severity == "blocker" else "warning"
            out.append(_annotation(level, f"{f.rule}: {f.message}{because}", f.location, title))
    for d in report.better:
        message = f"{d.deal_id} improved: {d.verdict_before} → {d.verdict_after}"
        out.append(_annotation("notice", message, d.location, "dealcheck impact: deal improved"))
    for change in report.catalog_changes:
        ids = report.affected.get(change.text, [])
        if ids:
            message = f"{change.text}: changes {len(ids)} deal(s): {', '.join(ids)}"
            title = "dealcheck impact: catalog change"
            out.append(_annotation("notice", message, change.location, title))
    out.append(summary_line(report))
    return "\n".join(out) + "\n"


# -- SARIF -------------------------------------------------------------------------------------


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


RENDERERS: dict[str, Callable[[ImpactReport], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
    "sarif": render_sarif,
}
