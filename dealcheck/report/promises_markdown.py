"""The promise register in Markdown, for a pull request or a planning page: the totals,
a table of features, then a table of promises per feature."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealcheck.report.promises_words import (
    VERDICT,
    amount,
    feature_facts,
    feature_title,
    flag_text,
    header_lines,
    source_text,
    target_text,
    totals_lines,
)
from dealcheck.report.sanitize import markdown_text

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.views.promises import PromiseReport


def _md(text: object) -> str:
    return markdown_text(text)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(report: PromiseReport) -> str:
    """For a pull request or a planning page: totals, then a table per feature."""
    cur = report.currency
    out = ["## dealcheck promises", ""]
    out.extend(f"{_md(x)}  " for x in header_lines(report))
    out.extend(["", "### Totals", ""])
    out.extend(f"- {_md(t)}" for t in totals_lines(report))
    if report.features:
        out.extend(["", "### By feature", ""])
        out.append(
            _row(
                [
                    "feature",
                    "status",
                    "target",
                    "customers",
                    "earliest due",
                    f"value ({_md(cur or 'n/a')})",
                    "at risk",
                ]
            )
        )
        out.append(_row(["---", "---", "---", "---:", "---", "---:", "---:"]))
        for line in report.features:
            out.append(_row([
                _md(feature_title(line.state)),
                _md(line.state.status),
                _md(target_text(line)),
                str(line.customers),
                str(line.earliest_due),
                _md(amount(line.value.total)),
                _md(amount(line.at_risk.total)),
            ]))  # fmt: skip
    for line in report.features:
        out.extend(["", f"### {_md(feature_title(line.state))}", ""])
        out.append(_md(feature_facts(line)))
        out.append("")
        out.append(
            _row(
                [
                    "due",
                    "customer",
                    "deal",
                    "stage",
                    "owner",
                    "verdict",
                    f"value ({_md(cur or 'n/a')})",
                    "source",
                    "risk",
                ]
            )
        )
        out.append(_row(["---", "---", "---", "---", "---", "---", "---:", "---", "---"]))
        for row in line.rows:
            p, d = row.promise, row.promise.deal
            out.append(_row([
                str(p.due),
                _md(d.customer),
                _md(d.id),
                d.stage,
                _md(d.owner or "—"),
                _md(VERDICT.get(d.verdict, d.verdict)),
                _md(amount(d.value)),
                _md(source_text(p)),
                _md(flag_text(row, line.state, report.at_risk_days) or "—"),
            ]))  # fmt: skip
    if report.unreadable_count:
        out.extend(["", f"### Deals that could not be read ({report.unreadable_count})", ""])
        out.extend(f"- {_md(p.location)}: {_md(p.message)}" for p in report.unreadable)
    return "\n".join(out) + "\n"
