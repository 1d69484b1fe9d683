"""The impact report as JSON (``schema_version`` 1, ``report: impact``): both catalogs,
the catalog changes with the deals each affects, the changed deals and findings, the
promises made late with the value at risk, the unreadable deals and the summary.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from dealcheck import __version__
from dealcheck.report.json_report import finding_dict, plain
from dealcheck.report.promises import cents
from dealcheck.report.sarif import escape_raw

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.errors import Location
    from dealcheck.views.impact import CatalogSide, ImpactReport


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
