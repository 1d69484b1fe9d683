"""The pre-commit hooks dealcheck ships (``.pre-commit-hooks.yaml``): each runs on the
files it must, and between them every file a deal is made of re-checks the deals."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from dealcheck.clauses.reader import TEXT_SUFFIXES

REPO = Path(__file__).resolve().parent.parent
HOOKS: dict[str, dict[str, Any]] = {
    hook["id"]: hook
    for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
}
#: every kind of file a deal can be made of: the deal, its contract files, its quote lines
DEAL_FILES = [".yaml", ".yml", ".json", ".jsonl"]
CONTRACT_FILES = sorted(TEXT_SUFFIXES | {".docx", ".pdf"})
QUOTE_FILES = [".csv", ".tsv"]


def _runs_on(hook_id: str, path: str) -> bool:
    return re.search(HOOKS[hook_id]["files"], path) is not None


def test_the_hooks_are_the_ones_the_docs_list() -> None:
    assert set(HOOKS) == {
        "dealcheck-validate",
        "dealcheck-check",
        "dealcheck-check-contracts",
        "dealcheck-lint",
    }
    for doc in ("README.md", "docs/ci.md"):
        text = (REPO / doc).read_text(encoding="utf-8")
        assert all(f"`{hook_id}`" in text for hook_id in HOOKS), doc


@pytest.mark.parametrize("suffix", DEAL_FILES)
def test_a_changed_deal_is_checked_alone(suffix: str) -> None:
    path = f"deals/acme/q-2026-0142{suffix}"
    assert _runs_on("dealcheck-check", path)
    assert not _runs_on("dealcheck-check-contracts", path)
    assert HOOKS["dealcheck-check"].get("pass_filenames", True)


@pytest.mark.parametrize(
    "suffix", [*CONTRACT_FILES, *QUOTE_FILES, ".DOCX", ".Pdf", ".CSV"]
)  # the readers take a suffix in any case
def test_a_changed_contract_or_quote_checks_every_deal_again(suffix: str) -> None:
    # a redline of contract.docx can add a promise with no change to the deal's YAML
    path = f"deals/acme/contract{suffix}"
    assert _runs_on("dealcheck-check-contracts", path)
    assert not _runs_on("dealcheck-check", path)
    hook = HOOKS["dealcheck-check-contracts"]
    assert hook["pass_filenames"] is False
    assert shlex.split(hook["entry"]) + hook["args"] == [
        "dealcheck",
        "check",
        "deals",
        *HOOKS["dealcheck-check"]["args"],
    ]


@pytest.mark.parametrize("hook_id", ["dealcheck-validate", "dealcheck-lint"])
def test_the_catalog_hooks_run_once_on_a_catalog_change(hook_id: str) -> None:
    assert _runs_on(hook_id, "products/acme-analytics.yaml")
    assert _runs_on(hook_id, "rules/deal-desk.yaml")
    assert not _runs_on(hook_id, "deals/acme/q-2026-0142.yaml")
    assert HOOKS[hook_id]["pass_filenames"] is False
