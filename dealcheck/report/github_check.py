"""GitHub Actions annotations of ``check`` results (``validate``'s are in ``problems.py``).

One workflow command per open finding at its YAML location (blocker → ``error``,
approval and warning → ``warning``, info → ``notice``); approved and waived findings
are not annotated. A deal that could not be read is an ``error`` per problem. A final
``notice`` sums the run up. Every value is escaped by :mod:`dealcheck.report.github`,
so no input can end a command early or start another.
"""

from __future__ import annotations

from dealcheck.findings import DealResult, Finding
from dealcheck.report.github import command, escape_data, escape_property
from dealcheck.report.results import CheckReport

LEVELS = {"blocker": "error", "approval": "warning", "warning": "warning", "info": "notice"}


def render(report: CheckReport) -> str:
    """Workflow commands, one per line, ending with a summary notice."""
    lines: list[str] = []
    for deal in report.deals:
        if deal.error is not None:
            lines.extend(
                command(
                    "error",
                    p.message,
                    p.location.file,
                    p.location.line,
                    p.location.column,
                    f"dealcheck: deal not checked ({p.code})",
                )
                for p in deal.problems
            )
            continue
        lines.extend(_annotation(deal, f) for f in deal.findings if f.is_open)
    lines.append(_summary(report))
    return "".join(f"{line}\n" for line in lines)


def _annotation(deal: DealResult, f: Finding) -> str:
    title = f"dealcheck {f.severity}: {f.rule}"
    if f.approver and f.severity == "approval":
        title += f" (needs {f.approver})"
    message = f"{deal.deal_id}: {f.message}"
    if f.fix:
        message += f"\nFix: {f.fix}"
    return command(
        LEVELS.get(f.severity, "notice"),
        message,
        f.location.file,
        f.location.line,
        f.location.column,
        title,
    )


def _summary(report: CheckReport) -> str:
    counts = report.summary()
    if not report.deals:
        text = "No deals checked"
    else:
        text = (
            f"{counts['deals']} deal{'s' * (counts['deals'] != 1)}: {counts['pass']} pass, "
            f"{counts['needs-approval']} need approval, {counts['blocked']} blocked"
        )
        if counts["error"]:
            text += f", {counts['error']} not checked"
    return f"::notice title={escape_property('dealcheck summary')}::{escape_data(text)}"
