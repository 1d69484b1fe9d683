"""Rendering of ``dealcheck clauses``: what was found in each clause, and why."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from dealcheck.report.console import render_rich
from dealcheck.report.sanitize import json_text, one_line, safe_text

if TYPE_CHECKING:
    from rich.console import Console

    from dealcheck.clauses import Clause, ClauseAnalysis, Revision

_SOURCES = {
    "paragraph": "paragraph",
    "heading": "heading",
    "list-item": "list item",
    "table-row": "table row",
    "pdf": "pdf",
}


def _revision_dict(r: Revision) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "author": r.author,
        "date": r.date,
        "text": r.text,
        "span": list(r.span),
    }


def provenance(clause: Clause) -> str:
    """Where a clause's text came from: "table row", "paragraph; tracked insertion by X on D"."""
    parts = [_SOURCES.get(clause.source, clause.source)]
    for r in clause.revisions:
        who = f" by {r.author}" if r.author else ""
        when = f" on {r.date[:10]}" if r.date else ""
        kind = "insertion" if r.kind == "inserted" else "deletion"
        parts.append(f"tracked {kind}{who}{when}")
    return one_line("; ".join(parts))


def to_dict(
    analyses: Sequence[ClauseAnalysis], start_date: date, date_format: str
) -> dict[str, Any]:
    """The stable JSON interface of ``dealcheck clauses --format json``."""
    return {
        "start_date": start_date.isoformat(),
        "date_format": date_format,
        "clauses": [
            {
                "id": a.clause.id,
                "location": {
                    "file": a.clause.location.file,
                    "line": a.clause.location.line,
                    "column": a.clause.location.column,
                },
                "text": safe_text(a.clause.text),
                "source": a.clause.source,
                "revisions": [_revision_dict(r) for r in a.clause.revisions],
                "mentions": sorted({m.feature for m in a.mentions}),
                "commitments": [
                    {
                        "feature": c.feature,
                        "due": c.due.isoformat(),
                        "due_text": c.due_text,
                        "evidence": c.evidence,
                        "text": c.text,
                        "revision": _revision_dict(c.revision) if c.revision else None,
                    }
                    for c in a.commitments
                ],
                "decisions": [
                    {
                        "feature": d.feature,
                        "committed": d.committed,
                        "reason": d.reason,
                        "words": d.words,
                    }
                    for d in a.decisions
                ],
                "uptimes": [str(u.value) for u in a.uptimes],
            }
            for a in analyses
        ],
    }


def render_json(analyses: Sequence[ClauseAnalysis], start_date: date, date_format: str) -> str:
    return (
        json_text(
            json.dumps(to_dict(analyses, start_date, date_format), indent=2, ensure_ascii=False)
        )
        + "\n"
    )


def render_text(
    analyses: Sequence[ClauseAnalysis], start_date: date, date_format: str, color: bool = False
) -> str:
    def draw(console: Console) -> None:
        from dealcheck.report.console import markup_text as escape

        console.print(
            f"[dim]dates resolved against start date {start_date}, numeric dates read as "
            f"{date_format}[/dim]\n"
        )
        for a in analyses:
            console.print(
                f"[bold]{escape(one_line(a.clause.id))}[/bold]  "
                f"[dim]{escape(one_line(a.clause.location))} ({escape(provenance(a.clause))})[/dim]"
            )
            text = a.clause.text if len(a.clause.text) <= 300 else a.clause.text[:297] + "..."
            console.print(f"  {escape(one_line(text))}")
            if not a.mentions and not a.uptimes:
                console.print("  [dim]no feature or uptime mentioned[/dim]")
            for d in a.decisions:
                if d.committed:
                    due = next((c for c in a.commitments if c.feature == d.feature), None)
                    when = (
                        f"due {due.due}"
                        + (
                            f" ('{escape(one_line(due.due_text))}')"
                            if due.due_text
                            else " (no date: the start date)"
                        )
                        if due
                        else ""
                    )
                    tracked = ""
                    if due is not None and due.revision is not None:
                        from dealcheck.contract import tracked_change

                        tracked = escape(one_line(tracked_change(due.revision)))
                    console.print(
                        f"  [red]commits[/red] to [bold]{escape(d.feature)}[/bold] {when} — "
                        f"{escape(one_line(d.reason))}{tracked}"
                    )
                else:
                    console.print(
                        f"  [green]mentions[/green] [bold]{escape(d.feature)}[/bold], not a commitment — "
                        f"{escape(one_line(d.reason))}"
                    )
            for u in a.uptimes:
                console.print(f"  uptime [bold]{u.value}%[/bold] ('{escape(one_line(u.text))}')")
            console.print()
        committed = sum(len(a.commitments) for a in analyses)
        console.print(f"{len(analyses)} clauses, {committed} commitments found")

    return render_rich(draw, color)
