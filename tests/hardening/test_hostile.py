"""Hostile inputs: nothing an input says is run, nothing is written, nothing hangs or
grows without bound, and every refusal is a located error.

The corpus is ``hostile/`` with the expected outcome of each file in ``hostile/cases.yaml``
(run in-process through typer's CliRunner, in a scratch working directory that must not
change). Inputs that are large, deep, or need symlinks, pipes or Word archives are built
here, in a temporary directory, and run as true subprocesses of the console script under
a 5-second CPU limit, a 1.5 GiB address-space limit and a wall-clock timeout: a slow
path, a runaway allocation or a hang fails the test instead of the CI job, and a busy
machine does not (the limits are the kernel's, not timed assertions). The peak resident
memory of each run (from ``wait4``) must stay under 500 MB.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hardening_support import REPO, TODAY, copy_sample_catalog, run_cli, tree_state
from typer.testing import CliRunner

from dealcheck.cli import app
from dealcheck.deals import JSONL_CHUNK_BYTES, JsonlUnit, plan_units
from dealcheck.yamlio import MAX_FILE_BYTES

HOSTILE = Path(__file__).parent / "hostile"
CASES = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
MARKER = Path("/tmp/dealcheck-hostile-pwned")  # what the hostile files try to create
LIMIT_MB = 1536  # RLIMIT_AS for the large inputs
CPU_SECONDS = 5  # RLIMIT_CPU: every attack ends in well under 5 s of CPU
MAX_RSS_MB = 500  # peak resident memory of every attack (the bound)
HANG_SECONDS = 60  # wall clock, for what waits without using CPU (a FIFO, a terminal)
SAMPLE_DEAL = "examples/deals/ridgeway-retail.yaml"
FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "html")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.fixture(autouse=True)
def _no_marker() -> Iterator[None]:
    """No case may create the file the hostile inputs ask for."""
    MARKER.unlink(missing_ok=True)
    yield
    assert not MARKER.exists(), f"an input ran code: {MARKER} was created"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch working directory with a copy of the sample catalog."""
    copy_sample_catalog(tmp_path)
    (tmp_path / "deals").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("DEALCHECK_CATALOG", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return tmp_path


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--today", TODAY])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


# -- the corpus ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES["deals"], ids=lambda c: c["file"])
def test_hostile_deal(case: dict[str, Any], workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(HOSTILE / "deals" / case["file"], workdir / "deals" / case["file"])
    before = tree_state(workdir)
    result = invoke("check", f"deals/{case['file']}", "--jobs", "1")
    assert result.exit_code == case["exit"], result.output
    assert case["message"] in result.stdout, result.stdout
    assert case.get("at", "") in result.stdout
    assert tree_state(workdir) == before  # nothing written
    for fmt in FORMATS if case.get("all_formats") else ():
        again = invoke("check", f"deals/{case['file']}", "--jobs", "1", "--format", fmt)
        assert again.exit_code == case["exit"], (fmt, again.output)
        if fmt in ("json", "sarif"):
            json.loads(again.stdout)  # well formed, whatever the input's characters
        elif fmt == "junit":
            ET.fromstring(again.stdout.split("\n", 1)[1])
    if case.get("printable"):
        for fmt in ("text", "markdown"):
            shown = invoke("check", f"deals/{case['file']}", "--jobs", "1", "--format", fmt)
            assert not _CONTROL.search(shown.stdout.replace("\r\n", "\n")), fmt
        monkeypatch.delenv("NO_COLOR")
        monkeypatch.setenv("FORCE_COLOR", "1")
        colour = invoke("check", f"deals/{case['file']}", "--jobs", "1")
        assert "\x1b[" in colour.stdout  # colour is on ...
        assert not re.search(r"\x1b(?!\[[0-9;]*m)|\x9b|\x07", colour.stdout)  # ... only colour


def _key_line(text: str, rule: str, key: str) -> tuple[int, int]:
    """Line and value column (1-based) of ``key:`` in the rule with id ``rule``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {rule}")
    for i in range(start + 1, len(lines)):
        stripped = lines[i].lstrip()
        if stripped.startswith(f"{key}:"):
            return i + 1, len(lines[i]) - len(stripped) + len(key) + 3
    raise AssertionError(f"{rule} has no {key}")


@pytest.mark.parametrize("case", CASES["catalog"], ids=lambda c: c["file"])
def test_hostile_catalog(case: dict[str, Any], workdir: Path) -> None:
    source = HOSTILE / "catalog" / case["file"]
    shutil.copyfile(source, workdir / "rules" / case["file"])
    before = tree_state(workdir)
    result = invoke("validate", "--format", "json")
    assert result.exit_code == case["validate_exit"], result.output
    problems = json.loads(result.stdout)["problems"]
    where = [f"{p['file']}:{p['line']}:{p['column']}: {p['message']}" for p in problems]
    if "message" in case:
        assert any(case["at"] in w and case["message"] in w for w in where), where
    text = source.read_text(encoding="utf-8")
    for rule, key, fragment in case.get("rules", []):
        line, column = _key_line(text, rule, key)
        mine = [p for p in problems if f"rule {rule}:" in p["message"]]
        assert len(mine) == 1, (rule, mine)
        assert mine[0]["file"] == f"rules/{case['file']}"
        assert mine[0]["line"] == line, (rule, mine[0], line)
        assert mine[0]["column"] >= column, (rule, mine[0], column)
        assert fragment in mine[0]["message"], (rule, mine[0]["message"])
    if "rules" in case:
        assert len(problems) == len(case["rules"]), where  # every hostile rule refused
    # the catalog is unusable: check refuses to run rather than skip the broken rules
    checked = invoke("check", str(REPO / SAMPLE_DEAL), "--jobs", "1", "--format", "json")
    assert checked.exit_code == 2
    assert checked.stdout == ""
    assert "dealcheck: error: the catalog" in checked.stderr
    assert tree_state(workdir) == before


def test_hostile_rules_never_run_when_loaded_anyway(workdir: Path) -> None:
    """Even compiled as a library, a catalog of hostile rules yields errors, not functions."""
    from datetime import date

    from dealcheck.catalog import load_catalog
    from dealcheck.checks import BUILTIN_IDS
    from dealcheck.engine import Engine

    shutil.copyfile(
        HOSTILE / "catalog" / "rules-reaching-python.yaml", workdir / "rules" / "h.yaml"
    )
    catalog = load_catalog(
        [workdir / "products", workdir / "rules"], date(2026, 11, 22), BUILTIN_IDS
    )
    engine = Engine(catalog, date(2026, 11, 22))
    assert not engine.ok
    assert not [r for r in engine.rules if r.id.startswith("h-")]


# -- paths a deal names: traversal, symlinks out, loops -----------------------------------------


def _deal_with(key: str, value: str) -> str:
    base = (REPO / SAMPLE_DEAL).read_text(encoding="utf-8")
    if key == "lines_file":
        base = base.split("\nlines:", 1)[0] + "\n"
    return f"{base}{key}: {json.dumps(value)}\n"


def _line_of(key: str) -> str:
    """``line:column`` of the value of ``key`` in the deal :func:`_deal_with` writes."""
    lines = _deal_with(key, "x").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:"))
    return f"{number}:{len(key) + 3}"


TRAVERSALS = {
    "dotdot": "../../etc/passwd",
    "absolute": "/etc/passwd",
    "symlink-out": "link.txt",
    "dotdot-inside": "sub/../../outside.txt",
}


@pytest.mark.parametrize("key", ["clauses_file", "lines_file"])
@pytest.mark.parametrize("how", sorted(TRAVERSALS))
def test_path_traversal_is_refused(key: str, how: str, workdir: Path) -> None:
    (workdir / "outside.txt").write_text("1. Provider shall provide SSO.\n", encoding="utf-8")
    (workdir / "deals" / "sub").mkdir()
    (workdir / "deals" / "link.txt").symlink_to("/etc/passwd")
    (workdir / "deals" / "deal.yaml").write_text(_deal_with(key, TRAVERSALS[how]), encoding="utf-8")
    before = tree_state(workdir)
    result = invoke("check", "deals/deal.yaml", "--jobs", "1")
    assert result.exit_code == 2, result.output
    assert f"deals/deal.yaml:{_line_of(key)}: error:" in result.stdout
    assert "is outside the deal's folder" in result.stdout
    assert "--allow-outside" in result.stdout
    assert "root:" not in result.stdout  # nothing of /etc/passwd is shown
    assert tree_state(workdir) == before


def test_allow_outside_is_what_permits_it(workdir: Path) -> None:
    (workdir / "outside.txt").write_text("1. Provider shall provide SSO.\n", encoding="utf-8")
    deal = workdir / "deals" / "deal.yaml"
    deal.write_text(_deal_with("clauses_file", "../outside.txt"), encoding="utf-8")
    refused = invoke("check", "deals/deal.yaml", "--jobs", "1")
    allowed = invoke("check", "deals/deal.yaml", "--jobs", "1", "--allow-outside")
    assert refused.exit_code == 2
    assert allowed.exit_code == 3, allowed.output  # the deal's own verdict: needs approval


@pytest.mark.parametrize(
    ("name", "message"),
    [
        # the same words on every Python (3.13 stopped raising on a loop in resolve())
        ("loop.txt", "'loop.txt' cannot be resolved: a symbolic link loop\n"),
        ("spiral/x.txt", "'spiral/x.txt' cannot be resolved: a symbolic link loop\n"),
        ("a\x00b.txt", "cannot be resolved"),
        ("n" * 300 + ".txt", "cannot be read: File name too long"),
    ],
    ids=["symlink-loop", "loop-in-a-folder", "nul-in-name", "name-too-long"],
)
@pytest.mark.parametrize("key", ["clauses_file", "lines_file"])
@pytest.mark.parametrize("allow", [False, True], ids=["confined", "allow-outside"])
def test_unresolvable_attachment_is_an_error(
    name: str, message: str, key: str, allow: bool, workdir: Path
) -> None:
    (workdir / "deals" / "loop.txt").symlink_to("loop.txt")
    (workdir / "deals" / "spiral").symlink_to("spiral")
    (workdir / "deals" / "deal.yaml").write_text(_deal_with(key, name), encoding="utf-8")
    result = invoke(
        "check", "deals/deal.yaml", "--jobs", "1", *(["--allow-outside"] if allow else [])
    )
    assert result.exit_code == 2, result.output
    assert f"deals/deal.yaml:{_line_of(key)}: error:" in result.stdout
    assert message in result.stdout


# -- large, deep, odd files: real subprocesses, bounded in time and memory ------------------------


def _deal_json(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "Deal",
        "id": "HOSTILE-BIG",
        "customer": {"name": "Big Co", "country": "US"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "lines": [{"sku": "AA-ENT-USER-Y", "quantity": 10, "discount": 0.1}],
        **extra,
    }


def _write_big_yaml(path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("kind: Deal\nnotes: |\n")
        line = "  " + "z" * 1022 + "\n"
        for _ in range(MAX_FILE_BYTES // len(line) + 100):
            fh.write(line)


def _write_50mb_line(path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"kind": "Deal", "notes": "')
        chunk = "y" * (1024 * 1024)
        for _ in range(50):
            fh.write(chunk)  # and no newline, ever


def _docx_with(document_xml: str | None = None, claim_size: int | None = None) -> bytes:
    """The example Word contract with its body replaced; or its central directory claiming
    ``claim_size`` bytes unpacked (a zip bomb's signature, without the bomb)."""
    with zipfile.ZipFile(REPO / "examples/deals/contracts/fjordline-msa.docx") as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    if document_xml is not None:
        parts["word/document.xml"] = document_xml.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    raw = bytearray(buffer.getvalue())
    if claim_size is not None:
        at = raw.index(b"PK\x01\x02")  # the first central directory entry
        raw[at + 24 : at + 28] = claim_size.to_bytes(4, "little")
    return bytes(raw)


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _document(doctype: str, paragraph: str) -> str:
    return (
        f"{_XML_HEAD}<!DOCTYPE w:document [{doctype}]>"
        f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )


_ENTITY_BOMB = '<!ENTITY a "aaaaaaaaaa">' + "".join(
    f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
_ADVERSARIAL_CLAUSE = (
    "Provider shall provide single sign-on by 31/03/2027 within 90 days of the Effective "
    "Date 99.99% uptime; " * 1000
)[:100_000]  # the longest clause: thousands of dates, predicates and uptimes in one sentence


def _setup(case: str, root: Path) -> tuple[list[str], dict[str, Any]]:
    """Build the input of a subprocess case; return the arguments and run options."""
    deals = root / "deals"
    if case == "yaml-over-10-mib":
        _write_big_yaml(deals / "big.yaml")
        return ["check", "deals/big.yaml"], {}
    if case == "catalog-file-over-10-mib":
        _write_big_yaml(root / "products" / "big.yaml")
        return ["validate"], {}
    if case == "10000-open-brackets":
        (deals / "deep.yaml").write_text("[" * 10_000, encoding="utf-8")
        return ["check", "deals/deep.yaml"], {}
    if case == "10000-nested-mappings-json":
        (deals / "deep.json").write_text('{"a": ' * 10_000 + "1" + "}" * 10_000, encoding="utf-8")
        return ["check", "deals/deep.json"], {}
    if case == "10000-nested-lists-jsonl":
        (deals / "deep.jsonl").write_text("[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
        return ["check", "deals/deep.jsonl"], {}
    if case == "binary-file":
        (deals / "binary.yaml").write_bytes(bytes(range(256)) * 256)
        return ["check", "deals/binary.yaml"], {}
    if case == "5-mb-jsonl-record":
        record = json.dumps(_deal_json())
        (deals / "big.jsonl").write_text(record[:-1] + " " * 5_000_000 + "}\n", encoding="utf-8")
        return ["check", "deals/big.jsonl"], {}
    if case == "50-mb-line-without-newline":
        _write_50mb_line(deals / "huge.jsonl")
        return ["check", "deals/huge.jsonl"], {}
    if case == "fifo-named-like-a-deal":
        os.mkfifo(deals / "pipe.yaml")
        return ["check", "deals/pipe.yaml"], {}
    if case == "fifo-named-like-jsonl":
        os.mkfifo(deals / "pipe.jsonl")
        return ["check", "deals/pipe.jsonl"], {}
    if case == "symlink-to-stdin":
        (deals / "stdin.yaml").symlink_to("/dev/stdin")
        return ["check", "deals/stdin.yaml"], {"stdin_open": True}
    if case == "symlink-to-dev-zero-in-folder":
        shutil.copyfile(REPO / SAMPLE_DEAL, deals / "ok.yaml")
        (deals / "zero.yaml").symlink_to("/dev/zero")
        return ["check", "deals"], {}
    if case == "docx-zip-bomb":
        (deals / "bomb.docx").write_bytes(_docx_with(claim_size=300 * 1024 * 1024))
        (deals / "deal.yaml").write_text(_deal_with("clauses_file", "bomb.docx"), encoding="utf-8")
        return ["check", "deals/deal.yaml"], {}
    if case == "docx-entity-bomb":
        document = _document(_ENTITY_BOMB, "1. lol &i;")
        (deals / "lol.docx").write_bytes(_docx_with(document))
        return ["clauses", "deals/lol.docx"], {}
    if case == "docx-external-entity":
        secret = root / "secret.txt"
        secret.write_text("TOP-SECRET-7f3a", encoding="utf-8")
        document = _document(
            f'<!ENTITY xxe SYSTEM "file://{secret}">', "1. Provider shall provide &xxe; SSO."
        )
        (deals / "xxe.docx").write_bytes(_docx_with(document))
        return ["clauses", "deals/xxe.docx"], {}
    if case == "100k-character-clauses":
        deal = _deal_json(clauses=[{"id": str(i), "text": _ADVERSARIAL_CLAUSE} for i in range(3)])
        (deals / "long.json").write_text(json.dumps(deal), encoding="utf-8")
        return ["check", "deals/long.json"], {}
    if case == "100k-character-clauses-of-business-days":
        text = (
            "within 9999 business days of the Effective Date, Provider shall provide SSO; " * 1300
        )
        deal = _deal_json(clauses=[{"id": str(i), "text": text[:100_000]} for i in range(3)])
        (deals / "days.json").write_text(json.dumps(deal), encoding="utf-8")
        return ["check", "deals/days.json"], {}
    if case == "catalog-dir-symlink-to-parent":
        (root / "products" / "up").symlink_to("..", target_is_directory=True)
        (root / "rules" / "self").symlink_to(".", target_is_directory=True)
        return ["validate"], {}
    if case == "catalog-file-symlink-loop":
        (root / "products" / "loop.yaml").symlink_to("loop.yaml")
        return ["validate"], {}
    if case == "validate-folder-with-symlink-loop":
        shutil.copyfile(REPO / SAMPLE_DEAL, deals / "ok.yaml")
        (deals / "loop.yaml").symlink_to("loop.yaml")
        return ["validate", "deals"], {}
    if case == "deal-dir-symlink-loop":
        shutil.copyfile(REPO / SAMPLE_DEAL, deals / "ok.yaml")
        (deals / "again").symlink_to(".", target_is_directory=True)
        (deals / "loop.yaml").symlink_to("loop.yaml")
        return ["check", "deals"], {}
    raise AssertionError(case)


# case: (exit code, message fragment)
SUBPROCESS_CASES: dict[str, tuple[int, str]] = {
    "yaml-over-10-mib": (2, "deals/big.yaml: error: file is 10,588,270 bytes; the limit is 10,485,760"),
    "catalog-file-over-10-mib": (2, "the limit is 10,485,760 (10 MiB)"),
    "10000-open-brackets": (2, "deals/deep.yaml:1:65: error: nesting deeper than 64 levels"),
    "10000-nested-mappings-json": (2, "nesting deeper than 64 levels"),
    "10000-nested-lists-jsonl": (2, "deals/deep.jsonl:1:1: error: JSON nested too deeply"),
    "binary-file": (2, "deals/binary.yaml:2:118: error: not valid UTF-8 (byte 0x80)"),
    "5-mb-jsonl-record": (0, "HOSTILE-BIG"),
    "50-mb-line-without-newline": (2, "deals/huge.jsonl:1: error: line is larger than the 10 MiB limit"),
    "fifo-named-like-a-deal": (2, "deals/pipe.yaml: error: is not a regular file"),
    "fifo-named-like-jsonl": (2, "deals/pipe.jsonl: error: is not a regular file"),
    "symlink-to-stdin": (2, "deals/stdin.yaml: error: is not a regular file"),
    "symlink-to-dev-zero-in-folder": (2, "deals/zero.yaml: error: is a symlink to a file outside the folder"),
    "docx-zip-bomb": (2, "unpacks to more than 200 MiB"),
    "docx-entity-bomb": (2, "not a valid .docx file"),
    "docx-external-entity": (0, "Provider shall provide"),
    "100k-character-clauses": (1, "HOSTILE-BIG"),
    "100k-character-clauses-of-business-days": (0, "HOSTILE-BIG"),
    "catalog-dir-symlink-to-parent": (0, "files valid"),
    "catalog-file-symlink-loop": (2, "products/loop.yaml: error: cannot read: Too many levels of symbolic links"),
    "deal-dir-symlink-loop": (2, "deals/loop.yaml: error:"),
    "validate-folder-with-symlink-loop": (2, "deals/loop.yaml: error: cannot read: Too many levels"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(SUBPROCESS_CASES))
def test_large_and_odd_inputs(case: str, tmp_path: Path) -> None:
    copy_sample_catalog(tmp_path)
    (tmp_path / "deals").mkdir()
    args, options = _setup(case, tmp_path)
    expected_exit, fragment = SUBPROCESS_CASES[case]
    before = tree_state(tmp_path)
    run = run_cli(
        [*args, "--today", TODAY],
        tmp_path,
        timeout=HANG_SECONDS,
        memory_mb=LIMIT_MB,
        cpu_seconds=CPU_SECONDS,
        stdin_open=options.get("stdin_open", False),
    )
    assert "Traceback" not in run.output, run.output[-3000:]
    assert "MemoryError" not in run.output
    assert run.returncode != -signal.SIGXCPU, f"used more than {CPU_SECONDS} s of CPU"
    assert run.max_rss_mb < MAX_RSS_MB, f"peak memory {run.max_rss_mb:.0f} MB"
    assert run.returncode == expected_exit, run.output[-3000:]
    assert fragment in run.output, run.output[-3000:]
    assert tree_state(tmp_path) == before  # nothing written, nothing deleted
    if case == "docx-external-entity":
        assert "TOP-SECRET" not in run.output  # the entity is never resolved


def test_control_characters_never_reach_the_terminal(workdir: Path) -> None:
    """Text from an input cannot drive the terminal in any text report: ``validate`` (an
    unknown key), ``clauses`` (a clause file) and ``check`` (that clause, in Markdown)."""
    bad_key = 'kind: RuleSet\nid: tty\n"x\\e]0;pwned\\a\\e[2J\\x9b8m": 1\n'  # YAML escapes
    (workdir / "rules" / "bad.yaml").write_text(bad_key, encoding="utf-8")
    validated = invoke("validate")
    assert validated.exit_code == 1 and "unknown key" in validated.stdout
    (workdir / "rules" / "bad.yaml").unlink()
    (workdir / "deals" / "contract.txt").write_text(
        "1. Provider shall provide SSO \x1b]0;pwned\x07\x1b[2J\x9b8m by 31 March 2027.\n",
        encoding="utf-8",
    )
    deal = _deal_with("clauses_file", "contract.txt")
    (workdir / "deals" / "deal.yaml").write_text(deal, encoding="utf-8")
    shown = invoke("clauses", "deals/contract.txt")
    checked = invoke("check", "deals/deal.yaml", "--jobs", "1", "--format", "markdown")
    for result in (validated, shown, checked):
        assert not _CONTROL.search(result.stdout.replace("\r\n", "\n")), result.stdout
    assert "pwned" in validated.stdout and "pwned" in shown.stdout  # shown, but inert


def test_a_promise_repeated_in_a_clause_is_one_finding(workdir: Path) -> None:
    """Identical findings (same check, fingerprint and place) are reported once: a clause
    that repeats an uptime must not multiply the report."""
    deal = _deal_json(clauses=[{"id": "9.1", "text": "Provider guarantees 99.99% uptime. " * 200}])
    (workdir / "deals" / "deal.json").write_text(json.dumps(deal), encoding="utf-8")
    result = invoke("check", "deals/deal.json", "--jobs", "1", "--format", "json")
    findings = json.loads(result.stdout)["deals"][0]["findings"]
    assert [f["rule"] for f in findings].count("sla-above-catalog") == 1, findings


def test_jsonl_work_units_are_bounded_in_bytes(tmp_path: Path) -> None:
    """A JSON Lines file of long lines is split into units of a few MiB, not of 256 lines
    (256 lines of 10 MiB each would be held in memory at once)."""
    line = json.dumps(_deal_json(notes="n" * (3 * 1024 * 1024))) + "\n"
    path = tmp_path / "deals.jsonl"
    path.write_text(line * 6, encoding="utf-8")
    units = [u for u in plan_units([str(path)]) if isinstance(u, JsonlUnit)]
    assert sum(len(u.lines) for u in units) == 6
    for unit in units:
        held = sum(len(raw) for _, raw in unit.lines)
        assert held <= JSONL_CHUNK_BYTES + len(line), held
