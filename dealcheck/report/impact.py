"""``dealcheck impact`` reports: text, JSON, Markdown, GitHub annotations and SARIF.

Each renderer is a pure function of an :class:`~dealcheck.impact.ImpactReport`; only the
CLI writes what they return. Sections come in the order worse, better, changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from dealcheck import __version__
from dealcheck.report.github import command
from dealcheck.report.json_report import finding_dict, plain
from dealcheck.report.markdown import markdown_table
from dealcheck.report.sarif import LEVELS, dump, result_location

if TYPE_CHECKING:  # the model imports this module to re-export RENDERERS
    from dealcheck.errors import Location
    from dealcheck.findings import Finding
    from dealcheck.impact import CatalogSide, DealImpact, Direction, FindingChange, ImpactReport

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
    if report.unreadable:
        out.append("")
        out.append(f"Deals that could not be read ({len(report.unreadable)})")
        out.extend(f"  {p.location}: {p.message}" for p in report.unreadable)
    out.append("")
    out.append(summary_line(report))
    return "\n".join(out) + "\n"


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
        "unreadable": [
            {"message": p.message, "location": _loc(p.location)} for p in report.unreadable
        ],
        "summary": report.summary(),
    }


def render_json(report: ImpactReport) -> str:
    return json.dumps(plain(to_dict(report)), indent=2, ensure_ascii=False) + "\n"


# -- Markdown ----------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Safe inside a Markdown table cell or list item."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _md_verdict(d: DealImpact) -> str:
    return f"{d.verdict_before} → **{d.verdict_after}**" if d.verdict_changed else d.verdict_after


def render_markdown(report: ImpactReport) -> str:
    """For a pull-request comment or a job summary."""
    worse = len(report.worse)
    verdict = f"**{worse} deal{'s' * (worse != 1)} got worse**" if worse else "no deal got worse"
    out = [
        "## dealcheck impact",
        "",
        f"Base `{_md(_base_label(report))}` → {report.head.label}: {verdict}. "
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
            [_md(c.text), f"`{_md(str(c.location))}`", str(len(report.affected.get(c.text, [])))]
            for c in report.catalog_changes
        ]
        out.extend(markdown_table(["change", "where", "deals affected"], rows))
    else:
        out.append("None.")
    for heading, deals in _sections(report):
        out.extend(["", f"### {heading} ({len(deals)})", ""])
        rows = [[_md(d.deal_id), _md_verdict(d), f"`{_md(str(d.location))}`"] for d in deals]
        out.extend(markdown_table(["deal", "verdict", "file"], rows))
        out.append("")
        for d in deals:
            out.append(f"**{_md(d.deal_id)}**")
            out.append("")
            for c in d.findings:
                f = c.finding
                out.append(
                    f"- **{c.change}** `{f.rule}` ({f.severity}{_status(f)}): {_md(f.message)}"
                    f"{_md(_details(c))} — `{_md(str(f.location))}`"
                )
                if c.causes:
                    out.append(f"  - because {_md('; '.join(c.causes))}")
            out.append("")
    if report.unreadable:
        out.extend(["", f"### Deals that could not be read ({len(report.unreadable)})", ""])
        out.extend(f"- `{_md(str(p.location))}`: {_md(p.message)}" for p in report.unreadable)
    return "\n".join(out).rstrip("\n") + "\n"


# -- GitHub annotations ------------------------------------------------------------------------


def _annotation(level: str, message: str, location: Location, title: str) -> str:
    return command(level, message, location.file, location.line, location.column, title)


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


def render_sarif(report: ImpactReport) -> str:
    """SARIF 2.1.0: one result per finding that made a deal worse, at the deal file."""
    worsening = [(d, c) for d in report.worse for c in d.worsening]
    rule_ids = sorted({c.finding.rule for _, c in worsening})
    rule_index = {r: i for i, r in enumerate(rule_ids)}
    results = []
    for d, c in worsening:
        f = c.finding
        because = f" Because {'; '.join(c.causes)}." if c.causes else ""
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": rule_index[f.rule],
                "level": LEVELS.get(f.severity, "warning"),
                "message": {
                    "text": f"{d.deal_id} ({d.verdict_before} → {d.verdict_after}): "
                    f"{f.message.rstrip('.')}.{because}"
                },
                "locations": [result_location(f.location)],
                "partialFingerprints": {"dealcheckFinding/v1": f"{d.deal_id}:{f.fingerprint}"},
                "properties": {
                    "deal": d.deal_id,
                    "verdictBefore": d.verdict_before,
                    "verdictAfter": d.verdict_after,
                    "change": c.change,
                    "causes": list(c.causes),
                },
            }
        )
    # A lean driver (no semanticVersion, short descriptors), as impact has always written:
    # sarif._tool and its full rule descriptors would change this report's bytes.
    rules = [
        {"id": r, "shortDescription": {"text": report.rule_summaries.get(r, r)}} for r in rule_ids
    ]
    driver = {"name": "dealcheck", "version": __version__, "rules": rules}
    run = {
        "tool": {"driver": driver},
        "automationDetails": {"id": "dealcheck-impact/"},
        "results": results,
    }
    return dump(run)


RENDERERS: dict[str, Callable[[ImpactReport], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
    "sarif": render_sarif,
}
