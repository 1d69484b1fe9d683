"""``builtin:`` tuning that cannot work is a located catalog error: a field of a check set
by two RuleSets (which wins would be arbitrary), an approval with nobody to approve it.
Locations are worked out only for such a problem (a cached catalog reads its files'
positions again to locate anything), so these tests pin what each problem names."""

from __future__ import annotations

from pathlib import Path

from dealcheck.catalog import load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.engine import Engine
from tests.conftest import REPO, TODAY


def _engine(tmp_path: Path, **files: str) -> Engine:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return Engine(load_catalog([REPO / "products", tmp_path], TODAY, BUILTIN_IDS), TODAY)


def test_a_field_set_by_two_rulesets_is_an_error_at_the_second_naming_the_first(
    tmp_path: Path,
) -> None:
    engine = _engine(
        tmp_path,
        a="kind: RuleSet\nid: a\nbuiltin:\n  region-restricted: {severity: warning}\n",
        b="kind: RuleSet\nid: b\nbuiltin:\n  region-restricted:\n    severity: info\n",
    )
    (problem,) = engine.problems
    first = tmp_path / "a.yaml"
    assert problem.message == (
        f"builtin region-restricted: 'severity' is also set at {first}:4:33; set it once"
    )
    assert (problem.location.file, problem.location.line, problem.location.column) == (
        str(tmp_path / "b.yaml"),
        5,
        15,
    )


def test_different_fields_of_one_check_in_two_rulesets_are_fine(tmp_path: Path) -> None:
    engine = _engine(
        tmp_path,
        a="kind: RuleSet\nid: a\nbuiltin:\n  region-restricted: {severity: warning}\n",
        b="kind: RuleSet\nid: b\nbuiltin:\n  region-restricted: {enabled: true}\n",
    )
    assert engine.problems == []


def test_an_approval_without_an_approver_points_at_its_severity(tmp_path: Path) -> None:
    engine = _engine(
        tmp_path,
        p="kind: RuleSet\nid: p\nbuiltin:\n  region-restricted:\n    severity: approval\n",
    )
    (problem,) = engine.problems
    assert problem.message == (
        "builtin region-restricted: severity approval needs an 'approver' "
        "(the check has no default approver)"
    )
    assert (problem.location.line, problem.location.column) == (5, 15)
