"""Shared fixtures: the shipped sample catalog, loaded once, and a way to check a deal.

Every test runs with today = 2026-11-22, as ``dealcheck ... --today 2026-11-22`` does.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from dealcheck.catalog import Catalog, load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.engine import Engine
from dealcheck.findings import DealResult
from dealcheck.models import DealBody, parse_document
from dealcheck.yamlio import load_string

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 22)

CheckDeal = Callable[..., DealResult]


def build_engine(*paths: Path, today: date = TODAY) -> Engine:
    """Load a catalog and compile its rules; fail the test if the catalog has errors."""
    catalog = load_catalog(list(paths), today, BUILTIN_IDS)
    engine = Engine(catalog, today)
    assert engine.ok, [str(p) for p in engine.problems]
    return engine


@pytest.fixture(scope="session", autouse=True)
def _catalog_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The catalog cache of every command a test runs (in-process or as a subprocess)
    goes to a temporary directory, never to the real home: ``DEALCHECK_CACHE_DIR``, and
    ``XDG_CACHE_HOME`` for subprocesses run with the ``DEALCHECK_*`` variables removed."""
    names = ("DEALCHECK_CACHE_DIR", "XDG_CACHE_HOME")
    saved = {name: os.environ.get(name) for name in names}
    root = tmp_path_factory.mktemp("cache")
    os.environ["DEALCHECK_CACHE_DIR"] = str(root / "dealcheck")
    os.environ["XDG_CACHE_HOME"] = str(root)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def as_a_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run commands as a user does: from the repository root, on the shipped catalog
    (no ``DEALCHECK_CATALOG``), without colour and at a fixed terminal width. A module
    of CLI tests opts in with ``pytestmark = pytest.mark.usefixtures("as_a_user")``."""
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("DEALCHECK_CATALOG", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture(scope="session")
def sample_engine() -> Engine:
    """The engine over the shipped sample catalog (``products/`` and ``rules/``)."""
    return build_engine(REPO / "products", REPO / "rules")


@pytest.fixture(scope="session")
def sample_catalog(sample_engine: Engine) -> Catalog:
    return sample_engine.catalog


@pytest.fixture(scope="session")
def check_deal(sample_engine: Engine) -> CheckDeal:
    """``check_deal(yaml_text, engine=None)``: check one Deal document written as YAML."""

    def run(text: str, engine: Engine | None = None) -> DealResult:
        (doc,) = load_string(textwrap.dedent(text), "deal.yaml")
        model, problems = parse_document(doc, ("Deal",))
        assert not problems, [str(p) for p in problems]
        assert isinstance(model, DealBody)
        return (engine or sample_engine).check(model, doc.source)

    return run
