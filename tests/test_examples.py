"""``examples/`` are acceptance tests: every example deal's verdict and rule ids, as listed
in ``tests/examples_expected.yaml`` (today = 2026-11-22, the shipped catalog)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dealcheck.deals import iter_deals
from dealcheck.engine import Engine
from dealcheck.run import check_input
from dealcheck.yamlio import load_file

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "deals"
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.yaml"))


def _expectations() -> dict[str, Any]:
    # dealcheck's own strict loader: a file listed twice is a duplicate-key error here
    (doc,) = load_file(REPO / "tests" / "examples_expected.yaml")
    assert isinstance(doc.data, dict)
    return doc.data


EXPECTED = _expectations()


def test_every_example_has_expectations() -> None:
    """A new example without an expected outcome fails here."""
    missing = sorted(set(EXAMPLE_FILES) - set(EXPECTED))
    assert not missing, f"add these to tests/examples_expected.yaml: {missing}"


def test_every_expectation_has_an_example() -> None:
    stale = sorted(set(EXPECTED) - set(EXAMPLE_FILES))
    assert not stale, f"no such example in examples/deals: {stale}"


def test_examples_cover_every_verdict() -> None:
    assert {e["verdict"] for e in EXPECTED.values()} == {"pass", "needs-approval", "blocked"}


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_example(name: str, sample_engine: Engine) -> None:
    expected = EXPECTED.get(name)
    assert expected is not None, f"{name} is not listed in tests/examples_expected.yaml"
    assert set(expected) == {"verdict", "rules"}
    # the same path as `dealcheck check`: attachments (lines_file, clauses_file) included
    (item,) = iter_deals([str(EXAMPLES / name)], sample_engine.options)
    assert item.error is None, [str(p) for p in item.problems]
    result = check_input(sample_engine, item)
    findings = [f"{f.rule} ({f.severity}, {f.status}): {f.message}" for f in result.findings]
    assert sorted({f.rule for f in result.findings}) == sorted(expected["rules"]), findings
    assert result.verdict == expected["verdict"], findings
