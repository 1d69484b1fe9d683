"""Determinism: the same inputs and ``--today`` give byte-identical output, in every format
of ``check`` and ``validate``, whatever the order the file system lists files in, the
locale, ``PYTHONHASHSEED``, ``--jobs``, the time zone and the terminal width.

Two copies of the same tree (the sample catalog, every example deal with its contracts
and CSV, a batch of JSON Lines deals, and ``determinism/``: catalog files and a deal with
problems in several files) are written in opposite orders. Each is checked and validated
by true subprocesses of the console script, from the copy's root with relative paths (the
reports name files):

* run A: tree A, ``LC_ALL=C.UTF-8``, ``PYTHONHASHSEED=0``, ``--jobs 1``;
* run B: tree B, another locale, ``PYTHONHASHSEED=12345``, ``--jobs 2``, ``TZ`` and
  ``COLUMNS`` changed, and every directory listing reversed (``os.scandir`` and
  ``os.listdir`` patched by a ``sitecustomize`` on ``PYTHONPATH``; the patch counts what it
  reversed, and the test checks that it ran);
* then each factor alone, on the JSON formats, so a difference says which factor it is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hardening_support import REPO, TODAY, clean_env, run_cli

CHECK_FORMATS = ["text", "json", "sarif", "junit", "github", "markdown", "html"]
VALIDATE_FORMATS = ["text", "json", "github", "sarif", "junit"]
HERE = Path(__file__).parent

REVERSE_LISTINGS = '''
"""Test helper: every directory listing comes back in reverse name order."""
import atexit
import os

_scandir, _listdir = os.scandir, os.listdir
_reversed = [0]


class _Listing:
    """What os.scandir returns: an iterator and a context manager."""

    def __init__(self, entries):
        self._entries = iter(entries)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._entries)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self):
        pass


def scandir(path="."):
    with _scandir(path) as listing:
        entries = sorted(listing, key=lambda entry: entry.name, reverse=True)
    _reversed[0] += len(entries) > 1
    return _Listing(entries)


def listdir(path="."):
    names = sorted(_listdir(path), reverse=True)
    _reversed[0] += len(names) > 1
    return names


os.scandir, os.listdir = scandir, listdir
_log = os.environ.get("HARDENING_LISTING_LOG")
if _log:
    atexit.register(lambda: open(_log, "a").write(f"{os.getpid()} {_reversed[0]}\\n"))
'''


_WANTED_LOCALES = ("de_DE.UTF-8", "de_DE.utf8", "tr_TR.UTF-8", "tr_TR.utf8", "fr_FR.UTF-8")


def _installed_locale() -> str | None:
    """An installed locale unlike C.UTF-8 (German if there is one), from ``locale -a``."""
    try:
        found = subprocess.run(
            ["locale", "-a"], capture_output=True, text=True, timeout=10, check=False
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        found = []
    for wanted in _WANTED_LOCALES:
        if wanted in found:
            return wanted
    others = [name for name in found if name.lower() not in ("c", "c.utf8", "c.utf-8", "posix")]
    return others[0] if others else None


def _generated_locale(directory: Path) -> str | None:
    """de_DE.UTF-8 compiled into ``directory`` (used through ``LOCPATH``): ``localedef``
    needs no root, only glibc's locale sources (Debian's ``locales`` package)."""
    try:
        made = subprocess.run(
            ["localedef", "-i", "de_DE", "-f", "UTF-8", str(directory / "de_DE.UTF-8")],
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return "de_DE.UTF-8" if made.returncode == 0 else None


def _really_differs(env: dict[str, str]) -> bool:
    """Whether a child with ``env`` runs in a locale unlike C (a decimal comma)."""
    probe = "import locale; locale.setlocale(locale.LC_ALL, ''); print(locale.localeconv()['decimal_point'])"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.returncode == 0 and done.stdout.strip() == ","


def _other_locale(directory: Path) -> dict[str, str]:
    """The environment of a locale unlike C.UTF-8: an installed one, else one generated
    into ``directory``. Without either the test cannot do what it says: it fails under CI
    (``CI=true``) and is skipped elsewhere, never compares C with C."""
    installed = _installed_locale()
    candidates: list[dict[str, str]] = []
    if installed:
        candidates.append({"LC_ALL": installed, "LANG": installed})
    generated = _generated_locale(directory)
    if generated:
        candidates.append({"LC_ALL": generated, "LANG": generated, "LOCPATH": str(directory)})
    for env in candidates:
        if _really_differs(env):
            return env
    why = (
        "no locale other than C is installed and none could be generated with localedef; "
        "install one: apt-get install -y locales && sed -i 's/^# *de_DE.UTF-8/de_DE.UTF-8/' "
        "/etc/locale.gen && locale-gen"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(why)
    pytest.skip(why)


def _sources() -> list[tuple[Path, str]]:
    """(source file, path in the tree) for every file of the tree."""
    pairs: list[tuple[Path, str]] = []
    for folder, target in (
        (REPO / "products", "products"),
        (REPO / "rules", "rules"),
        (REPO / "examples" / "deals", "deals"),
        (HERE / "determinism", "broken"),
    ):
        for path in folder.rglob("*"):
            if path.is_file():
                pairs.append((path, f"{target}/{path.relative_to(folder).as_posix()}"))
    pairs.append((REPO / "tests" / "fixtures" / "deals" / "batch.jsonl", "deals/batch/batch.jsonl"))
    return sorted(pairs, key=lambda pair: pair[1])


def _build(root: Path, pairs: list[tuple[Path, str]]) -> None:
    """Create the tree, directories and files in the order of ``pairs``."""
    for source, relative in pairs:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _commands(jobs: str) -> dict[str, list[str]]:
    commands = {
        f"check-{fmt}": ["check", "deals", "--format", fmt, "--jobs", jobs, "--today", TODAY]
        for fmt in CHECK_FORMATS
    }
    commands.update(
        {
            f"validate-{fmt}": ["validate", "broken", "deals", "--format", fmt, "--today", TODAY]
            for fmt in VALIDATE_FORMATS
        }
    )
    return commands


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, str]]]:
    """Every command's stdout (and exit code) under every variant."""
    base = tmp_path_factory.mktemp("determinism")
    pairs = _sources()
    tree_a, tree_b = base / "a", base / "b"
    _build(tree_a, pairs)
    _build(tree_b, list(reversed(pairs)))
    hooks = base / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(REVERSE_LISTINGS, encoding="utf-8")
    log = base / "listings.log"
    locale_dir = base / "locales"
    locale_dir.mkdir()
    other = _other_locale(locale_dir)
    reversed_listing = {
        "PYTHONPATH": os.pathsep.join(p for p in (str(hooks), os.environ.get("PYTHONPATH")) if p),
        "HARDENING_LISTING_LOG": str(log),
    }
    # variant: (tree, extra environment, --jobs)
    variants: dict[str, tuple[Path, dict[str, str], str]] = {
        "A": (tree_a, {}, "1"),
        "B": (
            tree_b,
            {
                **other,
                "PYTHONHASHSEED": "12345",
                "TZ": "Pacific/Kiritimati",
                "COLUMNS": "47",
                **reversed_listing,
            },
            "2",
        ),
        "locale": (tree_a, other, "1"),
        "hashseed": (tree_a, {"PYTHONHASHSEED": "12345"}, "1"),
        "jobs": (tree_a, {}, "2"),
        "listing": (tree_a, reversed_listing, "1"),
        "tree": (tree_b, {}, "1"),
    }
    runs: list[tuple[str, str, Path, dict[str, str], list[str]]] = []
    for variant, (tree, extra, jobs) in variants.items():
        for name, args in _commands(jobs).items():
            if variant in ("A", "B") or name in ("check-json", "validate-json"):
                runs.append((variant, name, tree, clean_env(**extra), args))

    def run(job: tuple[str, str, Path, dict[str, str], list[str]]) -> tuple[str, str, str]:
        variant, name, tree, env, args = job
        result = run_cli(args, tree, env=env, timeout=120)
        assert "Traceback" not in result.output, result.output[-2000:]
        return variant, name, f"exit {result.returncode}\n{result.stdout}"

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(run, runs))
    table: dict[str, dict[str, str]] = {}
    for variant, name, text in results:
        table.setdefault(variant, {})[name] = text
    table["_listings"] = {"log": log.read_text(encoding="utf-8") if log.exists() else ""}
    yield table


def test_reversed_listings_were_in_effect(outputs: dict[str, dict[str, str]]) -> None:
    """Every run with the patch reversed directory listings (one log line per process)."""
    counts = [int(line.split()[1]) for line in outputs["_listings"]["log"].splitlines()]
    patched_runs = len(CHECK_FORMATS) + len(VALIDATE_FORMATS) + 2  # run B, and "listing"
    assert sum(count > 0 for count in counts) >= patched_runs, outputs["_listings"]["log"]


@pytest.mark.parametrize(
    "name",
    [*(f"check-{f}" for f in CHECK_FORMATS), *(f"validate-{f}" for f in VALIDATE_FORMATS)],
)
def test_every_format_is_byte_identical(name: str, outputs: dict[str, dict[str, str]]) -> None:
    """Run A and run B (every factor changed at once) write the same bytes."""
    a, b = outputs["A"][name], outputs["B"][name]
    # check: blocked deals and an unreadable JSON line (exit 2); validate: errors (exit 1)
    assert a.split("\n", 1)[0] == ("exit 2" if name.startswith("check") else "exit 1"), a[:300]
    assert len(a) > 500
    assert a == b, _first_difference(a, b)


@pytest.mark.parametrize("factor", ["locale", "hashseed", "jobs", "listing", "tree"])
@pytest.mark.parametrize("name", ["check-json", "validate-json"])
def test_each_factor_alone(factor: str, name: str, outputs: dict[str, dict[str, str]]) -> None:
    a, b = outputs["A"][name], outputs[factor][name]
    assert a == b, _first_difference(a, b)


def _first_difference(a: str, b: str) -> str:
    for number, (left, right) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), 1):
        if left != right:
            return f"line {number}:\n  A: {left[:300]}\n  B: {right[:300]}"
    return f"lengths differ: {len(a)} vs {len(b)}"
