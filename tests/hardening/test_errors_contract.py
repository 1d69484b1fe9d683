"""Errors as a contract: every command, given a missing file, an unreadable file, a
directory where a file is expected, or a bad option value, exits 2 with one clear
message on stderr that names the path or option, prints nothing on stdout (so a
``--format json`` consumer never parses half a report), and never a traceback.

One parametrized test walks every command. Each case runs in-process through typer's
CliRunner, which keeps stdout and stderr apart (typer >= 0.12); the first case of each
command is also run as a true subprocess of the console script, and must give the same
exit code, stdout and stderr.

Two families of input are *reported*, not refused, by design (README: "a deal that cannot
be read is reported with its file:line:column while the other deals are still checked";
``validate`` reports every problem of every file in one run): the deal paths given to
``check`` and the paths (and catalog) given to ``validate``. For those the contract is:
exit 2, a well-formed machine report on stdout whose error names the path, and nothing
but that on stderr.

Unreadable files: ``chmod 000``; when the tests run as root, where ``chmod`` denies
nothing, a symlink loop stands in for it (a directory entry that cannot be opened,
"Too many levels of symbolic links"), so the sub-case is tested either way.

Not applicable, so not listed: a directory where a file is expected for ``test`` and
``explain`` (their only path option, ``--catalog``, takes directories) and ``config``.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hardening_support import REPO, TODAY, clean_env, copy_sample_catalog, run_cli
from typer.testing import CliRunner

from dealcheck.cli import app

ROOT = os.geteuid() == 0
UNREADABLE_WHY = "symlink loop" if ROOT else "chmod 000"


@dataclass(frozen=True)
class Case:
    """``args`` of one run; ``names``: what stderr (or the report) must name."""

    args: tuple[str, ...]
    names: str
    reported: bool = False  # the path is reported in the machine report (see above)
    usage: bool = False  # a click usage error ("Error: Invalid value for ...")
    subprocess: bool = False
    marks: tuple[Any, ...] = field(default=())


DEAL = "deals/ridgeway.yaml"
LONG = "n" * 300  # longer than any file system allows a name to be (ENAMETOOLONG)
CONTRACT = "contract.md"
JSON = ("--format", "json")

CASES: dict[str, Case] = {
    # check
    "check/missing-catalog": Case(("check", DEAL, "--catalog", "missing", *JSON), "missing", subprocess=True),
    "check/missing-clauses": Case(("check", DEAL, "--clauses", "missing.md", *JSON), "--clauses: missing.md"),
    "check/unreadable-catalog": Case(("check", DEAL, "--catalog", "locked", *JSON), "locked/broken.yaml"),
    "check/dir-as-clauses": Case(("check", DEAL, "--clauses", "adir", *JSON), "--clauses: adir"),
    "check/dir-as-output": Case(("check", DEAL, "--output", "adir", *JSON), "cannot write adir"),
    "check/bad-today": Case(("check", DEAL, "--today", "2026-13-45", *JSON), "--today: '2026-13-45'"),
    "check/bad-format": Case(("check", DEAL, "--format", "nope"), "'--format'", usage=True),
    "check/bad-fail-on": Case(("check", DEAL, "--fail-on", "nope", *JSON), "'--fail-on'", usage=True),
    "check/jobs-0": Case(("check", DEAL, "--jobs", "0", *JSON), "--jobs"),
    "check/missing-deal": Case(("check", "missing.yaml", *JSON), "missing.yaml", reported=True),
    "check/unreadable-deal": Case(("check", "locked.yaml", *JSON), "locked.yaml", reported=True),
    "check/catalog-name-too-long": Case(("check", DEAL, "--catalog", LONG, *JSON), LONG),
    "check/deal-name-too-long": Case(("check", LONG, *JSON), LONG, reported=True),
    "check/clauses-name-too-long": Case(
        ("check", DEAL, "--clauses", LONG, *JSON),
        f"--clauses: {LONG}",
    ),
    "check/empty-dir-as-deals": Case(
        ("check", "adir", *JSON),
        "no deals found in adir",
    ),
    # validate
    "validate/dir-as-output": Case(("validate", "--output", "adir", *JSON), "cannot write adir", subprocess=True),
    "validate/bad-today": Case(("validate", "--today", "2026-13-45", *JSON), "--today: '2026-13-45'"),
    "validate/bad-format": Case(("validate", "--format", "nope"), "'--format'", usage=True),
    "validate/missing-path": Case(("validate", "missing.yaml", *JSON), "missing.yaml", reported=True),
    "validate/unreadable-path": Case(("validate", "locked.yaml", *JSON), "locked.yaml", reported=True),
    "validate/path-name-too-long": Case(("validate", LONG, *JSON), LONG, reported=True),
    "validate/missing-catalog": Case(("validate", "--catalog", "missing", *JSON), "missing", reported=True),
    "validate/unreadable-catalog": Case(("validate", "--catalog", "locked", *JSON), "locked/broken.yaml", reported=True),
    # test
    "test/missing-catalog": Case(("test", "--catalog", "missing"), "missing", subprocess=True),
    "test/unreadable-catalog": Case(("test", "--catalog", "locked"), "locked/broken.yaml"),
    "test/bad-today": Case(("test", "--today", "2026-13-45"), "--today: '2026-13-45'"),
    # explain
    "explain/missing-catalog": Case(("explain", "--catalog", "missing"), "missing", subprocess=True),
    "explain/unreadable-catalog": Case(("explain", "--catalog", "locked"), "locked/broken.yaml"),
    "explain/unknown-id": Case(("explain", "no-such-rule"), "'no-such-rule'"),
    # schema --out
    "schema/out-is-a-file": Case(("schema", "--out", "afile.txt"), "cannot create afile.txt", subprocess=True),
    "schema/out-under-a-file": Case(("schema", "--out", "afile.txt/sub"), "cannot create afile.txt/sub"),
    "schema/bad-kind": Case(("schema", "--kind", "nope"), "--kind: unknown kind 'nope'"),
    # clauses
    "clauses/missing-file": Case(("clauses", "missing.md", *JSON), "missing.md", subprocess=True),
    "clauses/unreadable-file": Case(("clauses", "locked.md", *JSON), "locked.md"),
    "clauses/dir-as-file": Case(("clauses", "adir", *JSON), "adir: is a directory"),
    "clauses/missing-deal": Case(
        ("clauses", CONTRACT, "--deal", "missing.yaml", *JSON),
        "missing.yaml",
    ),
    "clauses/dir-as-deal": Case(("clauses", CONTRACT, "--deal", "adir", *JSON), "--deal: adir"),
    "clauses/missing-catalog": Case(("clauses", CONTRACT, "--catalog", "missing", *JSON), "missing"),
    "clauses/bad-format": Case(("clauses", CONTRACT, "--format", "nope"), "'--format'", usage=True),
    "clauses/bad-today": Case(("clauses", CONTRACT, "--today", "2026-13-45", *JSON), "--today: '2026-13-45'"),
    # impact
    "impact/missing-deals": Case(("impact", "--base", "base", "--deals", "missing", *JSON), "--deals: no such file or directory: missing", subprocess=True),
    "impact/deals-name-too-long": Case(
        ("impact", "--base", "base", "--deals", LONG, *JSON),
        f"--deals: no such file or directory: {LONG}",
    ),
    "impact/base-name-too-long": Case(
        ("impact", "--base", LONG, "--deals", "deals", *JSON),
        "--base: ",
    ),
    "impact/missing-base": Case(("impact", "--base", "no-such-base", "--deals", "deals", *JSON), "--base: "),
    "impact/missing-catalog": Case(("impact", "--base", "base", "--deals", "deals", "--catalog", "missing", *JSON), "missing"),
    "impact/unreadable-catalog": Case(("impact", "--base", "base", "--deals", "deals", "--catalog", "locked", *JSON), "locked/broken.yaml"),
    "impact/dir-as-output": Case(("impact", "--base", "base", "--deals", "deals", "--output", "adir", *JSON), "cannot write adir"),
    "impact/bad-format": Case(("impact", "--base", "base", "--deals", "deals", "--format", "nope"), "'--format'", usage=True),
    "impact/bad-today": Case(("impact", "--base", "base", "--deals", "deals", "--today", "2026-13-45", *JSON), "--today: '2026-13-45'"),
    # catalog
    "catalog/missing-catalog": Case(("catalog", "--catalog", "missing", *JSON), "missing", subprocess=True),
    "catalog/unreadable-catalog": Case(("catalog", "--catalog", "locked", *JSON), "locked/broken.yaml"),
    "catalog/dir-as-output": Case(("catalog", "--output", "adir", *JSON), "cannot write adir"),
    "catalog/bad-region": Case(("catalog", "--region", "ZZ", *JSON), "--region: 'ZZ'"),
    "catalog/bad-format": Case(("catalog", "--format", "nope"), "'--format'", usage=True),
    "catalog/bad-today": Case(("catalog", "--today", "2026-13-45", *JSON), "--today: '2026-13-45'"),
    # init
    "init/dir-is-a-file": Case(("init", "afile.txt"), "afile.txt: exists and is not a directory", subprocess=True),
    "init/under-a-file": Case(("init", "afile.txt/sub"), "afile.txt/sub"),
    "init/bad-today": Case(("init", "fresh", "--today", "2026-13-45"), "--today: '2026-13-45'"),
    # config
    "config/bad-today": Case(("config", "--today", "2026-13-45"), "--today: '2026-13-45'", subprocess=True),
    "config/missing-catalog": Case(
        ("config", "--catalog", "missing"),
        "missing",
    ),
}  # fmt: skip


def _unreadable(path: Path) -> None:
    """Make ``path`` (an existing file) unreadable for whoever runs the tests."""
    if ROOT:
        path.unlink()
        path.symlink_to(path.name)  # opening it fails with ELOOP, as root too
    else:
        path.chmod(0)


@pytest.fixture
def scene(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with the sample catalog, a deal, a contract, an empty
    directory, a plain file, unreadable files and a catalog holding one."""
    copy_sample_catalog(tmp_path)
    (tmp_path / "deals").mkdir()
    shutil.copyfile(REPO / "examples/deals/ridgeway-retail.yaml", tmp_path / DEAL)
    shutil.copyfile(REPO / "examples/deals/contracts/kestrel-order-form.md", tmp_path / CONTRACT)
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile.txt").write_text("not a directory\n", encoding="utf-8")
    for name in ("locked.yaml", "locked.md"):
        shutil.copyfile(tmp_path / (DEAL if name.endswith(".yaml") else CONTRACT), tmp_path / name)
        _unreadable(tmp_path / name)
    copy_sample_catalog(tmp_path / "base")
    shutil.copytree(tmp_path / "products", tmp_path / "locked")
    (tmp_path / "locked" / "broken.yaml").write_text(
        "kind: Regions\ngroups: {}\n", encoding="utf-8"
    )
    _unreadable(tmp_path / "locked" / "broken.yaml")
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("DEALCHECK_")] + ["FORCE_COLOR"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    yield tmp_path
    for path in (
        tmp_path / "locked.yaml",
        tmp_path / "locked.md",
        tmp_path / "locked" / "broken.yaml",
    ):
        if not path.is_symlink():
            path.chmod(0o644)  # so that pytest can clean up


def _with_today(args: tuple[str, ...]) -> list[str]:
    return (
        [*args]
        if "--today" in args or args[0] in ("schema", "explain")
        else [*args, "--today", TODAY]
    )


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=name, marks=c.marks) for name, c in CASES.items()]
)
def test_error_contract(case: Case, scene: Path) -> None:
    args = _with_today(case.args)
    if args[0] == "check" and "--jobs" not in args:
        args += ["--jobs", "1"]  # no worker processes inside the test process
    result = CliRunner().invoke(app, args)
    stdout, stderr = result.stdout, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in stdout + stderr
    assert result.exit_code == 2, (result.exit_code, stdout, stderr)
    if case.reported:
        _assert_reported(case, stdout, stderr)
    elif case.usage:
        assert stdout == ""
        assert stderr.startswith("Usage: dealcheck"), stderr
        assert "Error: Invalid value for " + case.names in stderr, stderr
        assert "dealcheck: error:" not in stderr
    else:
        _assert_refused(case, stdout, stderr)
    if case.subprocess:
        real = run_cli(args, scene, env=clean_env(), timeout=60)
        assert (real.returncode, real.stdout, real.stderr) == (2, stdout, stderr)


def _assert_refused(case: Case, stdout: str, stderr: str) -> None:
    """Nothing on stdout; one ``dealcheck: error:`` line naming the path or option, after
    at most the located problems that explain it (``file:line:col: error: ...``)."""
    assert stdout == "", stdout
    lines = stderr.splitlines()
    verdicts = [line for line in lines if line.startswith("dealcheck: error: ")]
    assert len(verdicts) == 1, stderr
    assert lines[-1] == verdicts[0], stderr  # the summary comes last
    assert verdicts[0].count("error:") == 1, verdicts[0]  # no problem pasted in whole
    for detail in lines[:-1]:
        assert ": error: " in detail or detail.startswith("... and "), detail
    assert case.names in stderr, stderr


def _assert_reported(case: Case, stdout: str, stderr: str) -> None:
    """A well-formed machine report whose error names the path, and the same errors on
    stderr, one line each: a run that exits 2 is never silent there."""
    report = json.loads(stdout)
    if case.args[0] == "check":
        errors = [e for d in report["deals"] if d["verdict"] == "error" for e in d["errors"]]
        where = [e["location"]["file"] for e in errors]
    else:
        errors = [p for p in report["problems"] if p["severity"] == "error"]
        where = [p["file"] for p in errors]
    assert errors, report
    assert any(w == case.names or w.endswith(f"/{case.names}") for w in where), where
    lines = stderr.splitlines()
    assert len(lines) == len(errors), stderr
    assert all(": error: " in line for line in lines), stderr
    assert case.names in stderr, stderr
