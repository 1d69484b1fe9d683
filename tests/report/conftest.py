"""Shared fixtures of the renderer tests: real reports built through the library, a report
of hostile strings, and golden-file comparison.

Golden files
------------
``tests/report/golden/`` holds every format's output for ``examples/deals`` checked on
2026-11-22 (and for ``validate`` of ``tests/fixtures/catalogs/valid``). When an output
changes on purpose, regenerate them and review the diff::

    DEALCHECK_REGEN_GOLDEN=1 pytest tests/report
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import render_cases
from render_cases import GOLDEN, HOSTILE, HOSTILE_CLAUSE, REGEN, ROOT, TODAY, subset

from dealcheck.catalog import load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.engine import Engine
from dealcheck.errors import Location, Problem
from dealcheck.explain import rule_docs
from dealcheck.report.results import CheckReport
from dealcheck.rules import catalog_checks
from dealcheck.run import check_targets
from dealcheck.validate import ValidationReport, validate


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """The shipped catalog (``products``, ``rules``) compiled for 2026-11-22."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        catalog = load_catalog([Path("products"), Path("rules")], TODAY, BUILTIN_IDS)
    built = Engine(catalog, TODAY)
    assert built.ok, built.problems
    yield built


@pytest.fixture(scope="session")
def examples_report(engine: Engine) -> Iterator[CheckReport]:
    """``dealcheck check examples/deals --today 2026-11-22``, as a report."""
    catalog = engine.catalog
    report = CheckReport(TODAY, catalog.fingerprint, catalog.paths, rules=rule_docs(catalog))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)  # paths in the report are shown relative to the working directory
        report.deals.extend(check_targets(engine, ["examples/deals"]))
    assert len(report.deals) > 1
    yield report


@pytest.fixture(scope="session")
def validation_report() -> Iterator[ValidationReport]:
    """``dealcheck validate tests/fixtures/catalogs/valid``: a run with problems."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        report = validate(
            [Path("products"), Path("rules")],
            [Path("tests/fixtures/catalogs/valid")],
            TODAY,
            BUILTIN_IDS,
            catalog_checks(),
        )
    assert report.problems
    yield report


@pytest.fixture(scope="session")
def sized_reports(examples_report: CheckReport) -> dict[str, CheckReport]:
    """Zero, one and many deals (the one: a deal with findings of several statuses)."""
    return {
        "zero": subset(examples_report, []),
        "one": subset(examples_report, [examples_report.deals[0]]),
        "many": examples_report,
    }


@pytest.fixture(scope="session")
def hostile_report() -> CheckReport:
    """A report whose every string is hostile: markup, quotes, newlines, ``%``, ``::``, …"""
    return render_cases.hostile_report()


@pytest.fixture(scope="session")
def hostile_validation(validation_report: ValidationReport) -> ValidationReport:
    problems = [
        Problem(Location(f"x/{HOSTILE}.yaml", 3, 4), HOSTILE_CLAUSE, "error", f"code {HOSTILE}"),
        Problem(Location(f"x/{HOSTILE}.yaml", 0, 0), HOSTILE, "warning", "unknown-key"),
        Problem(Location("C:\\deals\\a b.yaml", 1, 1), HOSTILE, "error", "unreadable"),
    ]
    return ValidationReport(validation_report.catalog, problems, [f"x/{HOSTILE}.yaml"])


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare output with ``golden/<name>``; with ``DEALCHECK_REGEN_GOLDEN=1``, rewrite it."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if REGEN:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
        assert path.exists(), f"{path} is missing: run DEALCHECK_REGEN_GOLDEN=1 pytest tests/report"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, (
            f"{name} differs from its golden file; if the change is intended, "
            "regenerate with DEALCHECK_REGEN_GOLDEN=1 pytest tests/report and review the diff"
        )

    return check
