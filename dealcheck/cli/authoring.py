"""Commands for catalog authors: ``validate``, ``test``, ``explain``, ``schema``."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from dealcheck.cli.app import app
from dealcheck.cli.common import (
    CatalogOption,
    FollowSymlinksOption,
    OutputOption,
    QuietOption,
    TodayOption,
    catalog_source,
    fail,
    load_engine,
    print_problems,
    say,
    today,
    use_color,
)
from dealcheck.cli.output import plural, summarise, write_output


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or directories to validate (default: the configured catalog).",
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOption = None,
    today_opt: TodayOption = None,
    format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    output: OutputOption = None,
    quiet: QuietOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    lint: Annotated[
        bool,
        typer.Option(
            "--lint",
            help="Also run 'dealcheck lint' on a valid catalog: its errors and warnings are "
            "reported as problems (infos are not).",
        ),
    ] = False,
) -> None:
    """Validate the catalog, or given files of any kind (deals too).

    Reports every problem in every file, each at file:line:column, in one run.
    Exit 0: valid (warnings allowed); 1: errors found; 2: unreadable input.
    With --lint, lint errors count as errors and lint warnings as warnings.

    Example: dealcheck validate --format github
    """
    from dealcheck.checks import BUILTIN_IDS
    from dealcheck.report import problems as render
    from dealcheck.rules import catalog_checks
    from dealcheck.validate import validate as run_validate

    source = catalog_source(catalog)
    day = today(today_opt, source)
    report = run_validate(source.paths, paths or (), day, BUILTIN_IDS, catalog_checks())
    if lint and not report.errors:
        from dealcheck.lint import lint_problems

        report.problems = sorted([*report.problems, *lint_problems(report.catalog, day)])
    if format is ValidateFormat.json:
        text = render.render_json(report)
    elif format is ValidateFormat.github:
        text = render.render_github(report)
    elif format is ValidateFormat.sarif:
        from dealcheck.report import sarif

        try:
            text = sarif.render_validation(report)
        except sarif.SarifLimitError as err:  # GitHub would reject the upload
            fail(str(err))
    elif format is ValidateFormat.junit:
        from dealcheck.report import junit

        text = junit.render_validation(report)
    else:
        text = render.render_text(report, use_color(output))
    write_output(text, output)
    code = report.exit_code
    if code == 2:
        # the report says what could not be read; so does stderr, where a person (or a CI
        # log, when the report went to a file or is JSON) looks for why it failed
        unreadable = [p for p in report.problems if p.code == "unreadable"]
        print_problems(unreadable, len(unreadable))
    summarise(
        output,
        quiet,
        f"{plural(len(report.files), 'file')} validated: {plural(report.errors, 'error')}, "
        f"{plural(report.warnings, 'warning')} (exit {code})",
    )
    raise typer.Exit(code)


@app.command()
def schema(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Write one <kind>.schema.json per kind into DIR.",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help="Print only this kind's schema (e.g. Deal)."),
    ] = None,
) -> None:
    """JSON Schemas (draft 2020-12) of every document kind, for editors and other tools.

    Example: dealcheck schema --out .dealcheck/schemas
    """
    from dealcheck.schema import render, schema_file_name, schemas

    all_schemas = schemas()
    if kind is not None:
        match = {k.lower(): k for k in all_schemas}.get(kind.lower())
        if match is None:
            fail(f"--kind: unknown kind '{kind}' (one of: {', '.join(all_schemas)})")
        all_schemas = {match: all_schemas[match]}
    if out is None:
        if len(all_schemas) == 1:
            write_output(render(next(iter(all_schemas.values()))), None)
        else:
            write_output(render(dict(all_schemas)), None)
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create {out}: {exc.strerror or exc}")
    for name, body in all_schemas.items():
        write_output(render(body), out / schema_file_name(name))
    say(f"wrote {len(all_schemas)} schemas to {out}")


@app.command()
def explain(
    rule_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="A built-in check id or a catalog rule id.", show_default=False
        ),
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """What a built-in check or catalog rule does, why it matters, an example, how to fix.

    Without ID, lists every check and rule.

    Example: dealcheck explain price-below-floor
    """
    from dealcheck.checks import BUILTIN_IDS
    from dealcheck.explain import explain_text, listing
    from dealcheck.lint.docs import explain_lint

    lint_text = explain_lint(rule_id) if rule_id is not None else None
    if lint_text is not None:
        write_output(lint_text, None)
        return
    needs_catalog = rule_id is None or rule_id not in BUILTIN_IDS
    engine = load_engine(catalog_source(catalog), date.today()) if needs_catalog else None
    if rule_id is None:
        write_output(listing(engine.catalog if engine else None), None)
        return
    text = explain_text(rule_id, engine.catalog if engine else None)
    if text is None:
        from dealcheck.explain import suggestion

        hint = suggestion(rule_id, engine.catalog if engine else None)
        fail(
            f"no check or rule '{rule_id}'"
            + (f" (did you mean {hint}?)" if hint else "")
            + "; 'dealcheck explain' lists them"
        )
    write_output(text, None)


@app.command("test")
def test_rules(
    catalog: CatalogOption = None,
    today_opt: TodayOption = None,
    coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="Also report, per rule, whether a test makes it fire and not fire and, for a "
            "band rule, whether each edge of the band is tested.",
        ),
    ] = False,
) -> None:
    """Run the RuleSets' own tests and list rules that no test exercises.

    Exit 0: all tests pass; 1: a test failed; 2: the catalog could not be loaded.
    Coverage gaps (--coverage) are reported, not failed on.

    Example: dealcheck test --today 2026-11-22
    """
    from dealcheck.ruletests import run_tests

    source = catalog_source(catalog)
    day = today(today_opt, source)
    engine = load_engine(source, day)
    report = run_tests(engine, day)
    lines: list[str] = []
    for outcome in report.outcomes:
        status = "PASS" if outcome.passed else "FAIL"
        lines.append(f"{status}  {outcome.ruleset}/{outcome.name}")
        if outcome.missing:
            lines.append(
                f"      {outcome.location}: expected to fire: {', '.join(outcome.missing)}"
            )
        if outcome.unexpected:
            lines.append(
                f"      {outcome.location}: must not fire: {', '.join(outcome.unexpected)}"
            )
        if not outcome.passed:
            lines.append(f"      fired: {', '.join(outcome.fired) or 'nothing'}")
    if report.untested:
        lines.append("")
        lines.append(
            f"Rules no test expects to fire ({len(report.untested)}): {', '.join(report.untested)}"
        )
    if coverage:
        from dealcheck.ruletests import coverage_lines

        lines.append("")
        lines.extend(coverage_lines(engine, day))
    passed = len(report.outcomes) - report.failed
    lines.append("")
    lines.append(f"{passed} passed, {report.failed} failed")
    write_output("\n".join(lines) + "\n", None)
    raise typer.Exit(report.exit_code)
