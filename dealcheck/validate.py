"""``dealcheck validate``: every problem of the catalog (or of given files), in one run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dealcheck.catalog import (
    Catalog,
    display_path,
    exists,
    iter_yaml_files,
    load_catalog,
    real_path,
)
from dealcheck.errors import Location, Problem
from dealcheck.models import parse_document

# Later stages (rule compilation, rule tests) add their own catalog checks here.
CatalogCheck = Callable[[Catalog], list[Problem]]


@dataclass
class ValidationReport:
    """What ``validate`` found: problems sorted by location, and the files it read."""

    catalog: Catalog
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def exit_code(self) -> int:
        """2: some input could not be read; 1: errors found; 0: valid (warnings allowed)."""
        if any(p.code == "unreadable" for p in self.problems):
            return 2
        return 1 if self.errors else 0


def validate(
    catalog_paths: Sequence[Path],
    given: Sequence[Path] = (),
    today: date | None = None,
    builtin_ids: Sequence[str] = (),
    extra_checks: Sequence[CatalogCheck] = (),
) -> ValidationReport:
    """Validate the catalog; with ``given`` paths, report only problems in those files.

    Given catalog files are assembled together with the configured catalog, so their
    cross-references resolve as they will in use; given deals are validated as models.
    """
    given_files: list[str] = []
    missing: list[Problem] = []
    for path in given:
        if not exists(path):
            missing.append(
                Problem(
                    Location(display_path(path)), "no such file or directory", code="unreadable"
                )
            )
            continue
        given_files.extend(display_path(f) for f in iter_yaml_files(path))
    roots = [p for p in catalog_paths if not given or exists(p)]
    catalog = load_catalog([*roots, *[p for p in given if exists(p)]], today, builtin_ids)
    problems = list(catalog.problems)
    for doc in catalog.deal_documents:
        _, deal_problems = parse_document(doc)
        problems.extend(deal_problems)
    # Rule compilation and the other checks run even when the catalog has errors: a bad
    # field in a Product must not hide a broken rule (every problem, in one run). They
    # see what validated of every document (see dealcheck.models.salvage).
    for check in extra_checks:
        problems.extend(check(catalog))
    if given:
        # Compare real paths: a given file may also be reached through a catalog path,
        # under another spelling (./x.yaml, an absolute path), and is loaded only once.
        wanted = {real_path(Path(f)) for f in given_files}
        problems = [p for p in problems if real_path(Path(p.location.file)) in wanted]
        files = sorted(set(given_files))
    else:
        files = catalog.files
    problems.extend(missing)
    problems = sorted(set(problems), key=lambda p: (p.location, p.message))
    return ValidationReport(catalog, problems, files)
