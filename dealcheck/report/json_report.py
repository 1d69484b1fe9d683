"""The JSON report (SPEC §8, ``schema_version`` 1): a stable interface, decimals as strings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from dealcheck import __version__
from dealcheck.findings import DealResult, DealStats, Finding, Tally
from dealcheck.pricing import LinePrice, money, rounded
from dealcheck.report.results import CheckReport
from dealcheck.report.sanitize import json_text

FRACTION_PLACES = Decimal("0.0001")


def plain(value: Any) -> Any:
    """JSON-ready: Decimals as plain strings (long fractions to 4 places), dates ISO."""
    if isinstance(value, Decimal):
        if value.is_finite() and value.as_tuple().exponent < -4:  # type: ignore[operator]
            value = rounded(value, FRACTION_PLACES)
        # Fixed-point, never scientific: `quantity: 1e3` is "1000", not "1E+3".
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "category": f.category,
        "severity": f.severity,
        "status": f.status,
        "fingerprint": f.fingerprint,
        "message": f.message,
        "fix": f.fix,
        "approver": f.approver,
        "location": {"file": f.location.file, "line": f.location.line, "column": f.location.column},
        "evidence": plain(dict(sorted(f.evidence.items()))),
        "status_note": f.status_note,
    }


def line_dict(line: LinePrice) -> dict[str, Any]:
    keys = [
        "index",
        "sku",
        "quantity",
        "list_price",
        "unit_price",
        "discount",
        "net_unit",
        "effective_discount",
        "margin",
        "total",
        "floor_price",
        "unit_cost",
        "min_margin",
        "product",
        "edition",
        "product_currency",
    ]
    return {k: plain(getattr(line, k)) for k in keys}


def deal_dict(result: DealResult) -> dict[str, Any]:
    if result.error is not None:
        return {
            "id": result.deal_id or None,
            "file": result.file,
            "verdict": "error",
            "approvals_required": [],
            "totals": None,
            "findings": [],
            "errors": [
                {
                    "message": p.message,
                    "location": {
                        "file": p.location.file,
                        "line": p.location.line,
                        "column": p.location.column,
                    },
                }
                for p in result.problems
            ],
        }
    return {
        "id": result.deal_id,
        "file": result.file,
        "customer": result.customer,
        "verdict": result.verdict,
        "approvals_required": result.approvals_required,
        "totals": {
            "currency": result.currency,
            "total": money(result.total) if result.total is not None else None,
            "margin": str(rounded(result.margin, FRACTION_PLACES))
            if result.margin is not None
            else None,
        },
        "findings": [finding_dict(f) for f in result.findings],
        "lines": [line_dict(line) for line in result.lines],
        "approvals_recorded": plain(result.approvals_recorded),
    }


def header(report: CheckReport) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "dealcheck_version": __version__,
        "today": report.today.isoformat(),
        "catalog": {"fingerprint": report.catalog_fingerprint, "paths": report.catalog_paths},
    }


def to_dict(report: CheckReport) -> dict[str, Any]:
    return {
        **header(report),
        "deals": [deal_dict(d) for d in report.deals],
        "summary": report.summary(),
    }


def render(report: CheckReport) -> str:
    return "".join(render_stream(report, map(rendered, report.deals), Tally()))


def rendered(result: DealResult) -> tuple[DealStats, str]:
    """One deal's block of the report, indented as in the whole document, and its stats.
    Run where the deal was checked (a worker process), so only text travels back."""
    # json_text escapes what json.dumps leaves raw in strings although a terminal acts on
    # it or a line splitter breaks at it (C1 controls, NEL, U+2028, U+2029): the report
    # stays the same data, and one physical line per JSON line.
    body = json_text(json.dumps(deal_dict(result), indent=2, ensure_ascii=False))
    # split at "\n", the only line break json.dumps writes (str.splitlines() would also
    # split at characters inside strings: a deal named "A\u2028B" once broke the report)
    return DealStats.of(result), "\n".join("    " + ln for ln in body.split("\n"))


def render_stream(
    report: CheckReport, items: Iterator[tuple[DealStats, str]], tally: Tally
) -> Iterator[str]:
    """The same bytes as ``json_text(json.dumps(to_dict(report), indent=2,
    ensure_ascii=False))``, one deal at a time, so a million deals never sit in memory
    together. ``tally`` counts what streams past."""
    head = json_text(json.dumps(header(report), indent=2, ensure_ascii=False))
    yield head[:-2] + ',\n  "deals": ['
    first = True
    for stats, block in items:
        tally.add_stats(stats)
        yield ("\n" if first else ",\n") + block
        first = False
    yield ("\n  ]" if not first else "]") + ',\n  "summary": '
    summary = json.dumps(tally.summary(), indent=2, ensure_ascii=False)  # counts only
    yield "\n".join(("  " + ln if i else ln) for i, ln in enumerate(summary.split("\n")))
    yield "\n}\n"
