"""Rendering of ``validate`` results: text (grouped by file), JSON and GitHub annotations."""

from __future__ import annotations

import json
from itertools import groupby
from typing import TYPE_CHECKING, Any

from dealcheck import __version__
from dealcheck.report.console import render_rich
from dealcheck.report.github import command
from dealcheck.report.sanitize import json_text

if TYPE_CHECKING:
    from rich.console import Console

    from dealcheck.validate import ValidationReport


def render_text(report: ValidationReport, color: bool = False) -> str:
    """``file:line:column: severity: message [code]``, grouped by file, then a summary."""

    def draw(console: Console) -> None:
        from dealcheck.report.console import markup_line as escape

        for file, problems in groupby(report.problems, key=lambda p: p.location.file):
            console.print(f"[bold]{escape(file)}[/bold]")
            for p in problems:
                style = "red" if p.severity == "error" else "yellow"
                console.print(
                    f"{escape(str(p.location))}: [{style}]{p.severity}[/{style}]: "
                    f"{escape(p.message)} [dim]\\[{escape(p.code)}][/dim]"
                )
            console.print()
        console.print(summary_line(report))

    return render_rich(draw, color)


def summary_line(report: ValidationReport) -> str:
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if not report.problems:
        return f"✓ {files} {noun} valid"
    return (
        f"{report.errors} error{'s' * (report.errors != 1)}, "
        f"{report.warnings} warning{'s' * (report.warnings != 1)} in {files} {noun}"
    )


def to_dict(report: ValidationReport) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "dealcheck_version": __version__,
        "catalog": {
            "fingerprint": report.catalog.fingerprint,
            "paths": report.catalog.paths,
        },
        "files": report.files,
        "valid": report.exit_code == 0,
        "problems": [
            {
                "file": p.location.file,
                "line": p.location.line,
                "column": p.location.column,
                "severity": p.severity,
                "code": p.code,
                "message": p.message,
            }
            for p in report.problems
        ],
        "summary": {
            "files": len(report.files),
            "errors": report.errors,
            "warnings": report.warnings,
        },
    }


def render_json(report: ValidationReport) -> str:
    return json_text(json.dumps(to_dict(report), indent=2, ensure_ascii=False)) + "\n"


def render_github(report: ValidationReport) -> str:
    lines = [
        command(
            p.severity if p.severity in ("error", "warning") else "notice",
            p.message,
            p.location.file,
            p.location.line,
            p.location.column,
            f"dealcheck validate ({p.code})",
        )
        for p in report.problems
    ]
    return "".join(f"{line}\n" for line in lines)
