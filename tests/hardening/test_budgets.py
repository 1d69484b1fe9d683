"""Budgets, not hopes: every input that can multiply dealcheck's work is refused at a
documented limit, as one located exit-2 error, in bounded time and memory.

Each case is an attack that once ran for minutes or gigabytes (issue 16). It runs as a
true subprocess of the console script under an address-space limit (``MEMORY_MB``), a
CPU-time limit (``CPU_SECONDS``, the issue's "well under 5 s of CPU") and a wall-clock
timeout for hangs (``TIMEOUT``): a regression fails the test by exceeding them, not by a
timed assertion on a shared CI machine. Each run's peak resident memory (from ``wait4``)
must stay under ``MAX_RSS_MB``. Signals, special output files, closed streams and
symlinks that leave the folder are tested the same way.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import struct
import subprocess
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hardening_support import REPO, TODAY, clean_env, console_script, copy_sample_catalog, run_cli

from dealcheck.clauses.budget import MAX_CLAUSE_MARKS, MAX_CONTRACT_CHARS, MAX_TEXT_LINES
from dealcheck.clauses.word import MAX_PARAGRAPHS
from dealcheck.models.fields import MAX_TERM_CHARS
from dealcheck.quotes import MAX_CSV_ROWS, MAX_QUOTE_LINES
from dealcheck.yamlio import MAX_DOCUMENTS, MAX_NODES, MAX_NUMBER_DIGITS

MEMORY_MB = 1024
CPU_SECONDS = 5
MAX_RSS_MB = 500  # peak resident memory of every attack (the bound)
TIMEOUT = 30
#: No error line may quote a whole hostile value.
MAX_LINE_CHARS = 400

DEAL = """kind: Deal
id: Q-1
customer: {{name: A, country: US, segment: enterprise}}
currency: USD
start_date: 2027-01-01
term_months: 12
payment_terms_days: 30
{extra}"""
LINE = "lines:\n  - sku: AA-PRO-USER-Y\n    quantity: 10\n    discount: 0.1\n"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _deal(root: Path, extra: str) -> None:
    (root / "deals" / "x.yaml").write_text(DEAL.format(extra=extra), encoding="utf-8")


def _rule(root: Path, pattern: str) -> None:
    (root / "rules" / "evil.yaml").write_text(
        "kind: RuleSet\nid: evil\nrules:\n  - id: r1\n    scope: clause\n"
        f"    when: 'matches(clause.text, \"{pattern}\")'\n    severity: warning\n    message: m\n",
        encoding="utf-8",
    )


def _docx(path: Path, body_xml: str) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body_xml}</w:body></w:document>',
        )


def _lying_docx(path: Path, inflated_mib: int) -> None:
    """A .docx whose zip headers declare a 5,000-byte document.xml that inflates to
    ``inflated_mib`` MiB (a bomb that trusts nothing but its own headers)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode()
    chunks = [compressor.compress(head)]
    block = b" " * (1 << 20)
    chunks.extend(compressor.compress(block) for _ in range(inflated_mib))
    chunks.append(compressor.compress(b"</w:t></w:r></w:p></w:body></w:document>"))
    chunks.append(compressor.flush())
    stream = b"".join(chunks)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", b"x" * 5000)
    raw = buffer.getvalue()
    info = zipfile.ZipFile(io.BytesIO(raw)).getinfo("word/document.xml")
    offset = info.header_offset
    name_len, extra_len = struct.unpack("<HH", raw[offset + 26 : offset + 30])
    start = offset + 30 + name_len + extra_len
    end = start + info.compress_size
    out = bytearray(raw[:start] + stream + raw[end:])
    delta = len(stream) - info.compress_size
    struct.pack_into("<I", out, offset + 18, len(stream))  # compressed size, local header
    central = out.find(b"PK\x01\x02", start + len(stream))
    while central != -1:
        length = struct.unpack("<H", out[central + 28 : central + 30])[0]
        if bytes(out[central + 46 : central + 46 + length]) == b"word/document.xml":
            struct.pack_into("<I", out, central + 20, len(stream))
        central = out.find(b"PK\x01\x02", central + 4)
    eocd = out.rfind(b"PK\x05\x06")
    directory = struct.unpack("<I", out[eocd + 16 : eocd + 20])[0]
    struct.pack_into("<I", out, eocd + 16, directory + delta)
    path.write_bytes(bytes(out))


def _feature_alias(root: Path, alias: str) -> None:
    path = root / "products" / "acme-analytics.yaml"
    text = path.read_text(encoding="utf-8")
    old = "aliases: [dashboard builder, dashboards]"
    assert old in text
    path.write_text(text.replace(old, f"aliases: [dashboard builder, dashboards, '{alias}']"))


Setup = Callable[[Path], list[str]]


def _regex_verbose_nested(root: Path) -> list[str]:
    _rule(root, "(?x:(a+) +)$")
    _deal(root, LINE)
    return ["check", "deals/x.yaml"]


def _regex_dot_stars(root: Path) -> list[str]:
    _rule(root, ".*.*.*=.*")
    (root / "deals" / "c.txt").write_text("1. " + "a" * 150_000 + "\n", encoding="utf-8")
    _deal(root, LINE + "clauses_file: c.txt\n")
    return ["check", "deals/x.yaml"]


def _regex_nested_in_rule(root: Path) -> list[str]:
    _rule(root, "(a|aa)*c")  # refused as a shape; RE2 would run it in linear time anyway
    _deal(root, LINE)
    return ["check", "deals/x.yaml"]


def _regex_backreference(root: Path) -> list[str]:
    _rule(root, "(?=renew)renew")
    _deal(root, LINE)
    return ["check", "deals/x.yaml"]


def _csv_space_cell(root: Path) -> list[str]:
    cell = "1" + " " * 20_000 + "1"
    (root / "deals" / "q.csv").write_text(
        f'SKU,Quantity,Price\nAA-PRO-USER-Y,"{cell}",100\n', encoding="utf-8"
    )
    _deal(root, "lines_file: q.csv\n")
    return ["check", "deals/x.yaml"]


def _csv_sniffer(root: Path) -> list[str]:
    (root / "deals" / "q.csv").write_text("SKU;Quantity;Price\n" + ';"' * 32_700, "utf-8")
    _deal(root, "lines_file: q.csv\n")
    return ["check", "deals/x.yaml"]


def _csv_rows(root: Path) -> list[str]:
    body = "SKU,Quantity,Price\n" + "AA-PRO-USER-Y,1,100\n" * 524_281
    (root / "deals" / "q.csv").write_text(body[: 10 * 1024 * 1024 - 16], encoding="utf-8")
    _deal(root, "lines_file: q.csv\n")
    return ["check", "deals/x.yaml"]


def _csv_quote_lines(root: Path) -> list[str]:
    body = "SKU,Quantity,Price\n" + "AA-PRO-USER-Y,1,100\n" * (MAX_QUOTE_LINES + 1)
    (root / "deals" / "q.csv").write_text(body, encoding="utf-8")
    _deal(root, "lines_file: q.csv\n")
    return ["check", "deals/x.yaml"]


def _yaml_lines(root: Path) -> list[str]:
    line = "  - {sku: AA-PRO-USER-Y, quantity: 1, discount: 0.1}\n"
    _deal(root, "lines:\n" + line * (MAX_QUOTE_LINES + 1))
    return ["check", "deals/x.yaml"]


def _yaml_values(root: Path) -> list[str]:
    _deal(root, "lines:\n" + "  - {sku: AA-PRO-USER-Y, quantity: 1, discount: 0.1}\n" * 150_000)
    return ["check", "deals/x.yaml"]


def _yaml_documents(root: Path) -> list[str]:
    (root / "deals" / "x.yaml").write_text("---\na: 1\n" * (int(9.9 * 1024 * 1024) // 9))
    return ["check", "deals/x.yaml"]


def _hex_64(root: Path) -> list[str]:
    _deal(root, "lines:\n  - sku: AA-PRO-USER-Y\n    quantity: 0x" + "f" * 64 + "\n")
    return ["check", "deals/x.yaml"]


def _hex_850k(root: Path) -> list[str]:
    _deal(root, "lines:\n  - sku: AA-PRO-USER-Y\n    quantity: 0x" + "f" * 850_000 + "\n")
    return ["check", "deals/x.yaml"]


def _octal_long(root: Path) -> list[str]:
    _deal(root, "lines:\n  - sku: AA-PRO-USER-Y\n    quantity: 0o" + "7" * 41 + "\n")
    return ["check", "deals/x.yaml"]


def _quoted_5mb_number(root: Path) -> list[str]:
    _deal(root, "lines:\n  - sku: AA-PRO-USER-Y\n    quantity: '" + "9" * 5_000_000 + "'\n")
    return ["check", "deals/x.yaml"]


def _huge_exponent(root: Path) -> list[str]:
    _deal(root, "lines:\n  - sku: AA-PRO-USER-Y\n    quantity: 1e" + "9" * 1_000_000 + "\n")
    return ["check", "deals/x.yaml"]


def _text_semicolons(root: Path) -> list[str]:
    (root / "deals" / "c.txt").write_text(("1. " + ";" * 99_000 + "\n\n") * 100, "utf-8")
    _deal(root, LINE + "clauses_file: c.txt\n")
    return ["check", "deals/x.yaml"]


def _text_marks_in_budget(root: Path) -> list[str]:
    # just under every budget: the worst a contract may cost
    clause = "1. " + ";" * (MAX_CLAUSE_MARKS - 1000) + "\n"
    (root / "deals" / "c.txt").write_text(clause, "utf-8")
    _deal(root, LINE + "clauses_file: c.txt\n")
    return ["check", "deals/x.yaml"]


def _text_lines(root: Path) -> list[str]:
    (root / "deals" / "c.txt").write_text("a\n" * (MAX_TEXT_LINES + 10), "utf-8")
    _deal(root, LINE + "clauses_file: c.txt\n")
    return ["check", "deals/x.yaml"]


def _inline_clauses(root: Path) -> list[str]:
    clause = "  - id: c{n}\n    text: '" + ";" * 90_000 + "'\n"
    _deal(root, LINE + "clauses:\n" + "".join(clause.format(n=n) for n in range(12)))
    return ["check", "deals/x.yaml"]


def _alias_words(root: Path) -> list[str]:
    words = " ".join(f"w{i}" for i in range(20_000))
    _feature_alias(root, words)
    (root / "deals" / "c.txt").write_text("1. " + words + "\n", encoding="utf-8")
    _deal(root, LINE + "clauses_file: c.txt\n")
    return ["check", "deals/x.yaml"]


def _alias_many_words(root: Path) -> list[str]:
    _feature_alias(root, " ".join(["word"] * 40))  # short, but too many words
    _deal(root, LINE)
    return ["check", "deals/x.yaml"]


def _docx_paragraphs(root: Path) -> list[str]:
    _docx(root / "deals" / "c.docx", "<w:p/>" * 250_000)
    _deal(root, LINE + "clauses_file: c.docx\n")
    return ["check", "deals/x.yaml"]


def _docx_lying_sizes(root: Path) -> list[str]:
    _lying_docx(root / "deals" / "c.docx", 256)
    _deal(root, LINE + "clauses_file: c.docx\n")
    return ["check", "deals/x.yaml"]


def _config_catalog_root(root: Path) -> list[str]:
    (root / "dealcheck.yaml").write_text('catalog: ["/"]\n', encoding="utf-8")
    _deal(root, LINE)
    return ["check", "deals/x.yaml"]


CASES: dict[str, tuple[Setup, int, str]] = {
    "regex-verbose-nested": (_regex_verbose_nested, 2, "rules/evil.yaml:6:32: error: rule r1: the verbose flag (?x) is not supported"),
    "regex-dot-stars-150k": (_regex_dot_stars, 0, "PASS"),
    "regex-nested-shape": (_regex_nested_in_rule, 2, "rules/evil.yaml:6:32: error: rule r1: a repeated group"),
    "regex-lookahead": (_regex_backreference, 2, "rules/evil.yaml:6:32: error: rule r1: regex is not supported"),
    "csv-20k-space-cell": (_csv_space_cell, 2, "deals/q.csv:2:2: error:"),
    "csv-sniffer-64k": (_csv_sniffer, 2, "deals/q.csv:2:"),
    "csv-10mib-rows": (_csv_rows, 2, f"deals/q.csv:{MAX_CSV_ROWS + 1}:1: error: more than {MAX_CSV_ROWS:,} rows"),
    "csv-quote-lines": (_csv_quote_lines, 2, f"deals/q.csv:{MAX_QUOTE_LINES + 2}:1: error: more than {MAX_QUOTE_LINES:,} quote lines"),
    "yaml-lines": (_yaml_lines, 2, f"deals/x.yaml:{MAX_QUOTE_LINES + 9}:5: error: more than {MAX_QUOTE_LINES:,} lines"),
    "yaml-values": (_yaml_values, 2, f"error: more than {MAX_NODES:,} values in one file"),
    "yaml-1m-documents": (_yaml_documents, 2, f"deals/x.yaml:{2 * MAX_DOCUMENTS + 1}:1: error: more than {MAX_DOCUMENTS:,} documents"),
    "hex-64-digits": (_hex_64, 2, f"deals/x.yaml:10:15: error: number '0x{'f' * 37}…' has too many digits (the limit is {MAX_NUMBER_DIGITS}, in any base)"),
    "hex-850k-digits": (_hex_850k, 2, "deals/x.yaml:10:15: error: number '0xfff"),
    "octal-41-digits": (_octal_long, 2, "deals/x.yaml:10:15: error: number '0o777"),
    "quoted-5mb-number": (_quoted_5mb_number, 2, "deals/x.yaml:10:15: error: 'quantity': expected a number"),
    "exponent-1m-digits": (_huge_exponent, 2, "deals/x.yaml:10:15: error: number '1e999"),
    "text-100-clauses-of-99k-semicolons": (_text_semicolons, 2, f"deals/c.txt: error: the contract has 9,900,500 characters; the limit is {MAX_CONTRACT_CHARS:,}"),
    "text-marks-just-in-budget": (_text_marks_in_budget, 0, "PASS"),
    "text-lines": (_text_lines, 2, f"deals/c.txt:{MAX_TEXT_LINES + 1}:1: error: the contract has"),
    "inline-clauses-marks": (_inline_clauses, 2, "error: the contract has more than 60,000 sentence and clause marks"),
    "alias-20k-words": (_alias_words, 2, f"products/acme-analytics.yaml:27:46: error: a feature name or alias has at most {MAX_TERM_CHARS} characters"),
    "alias-40-words": (_alias_many_words, 2, "products/acme-analytics.yaml:27:46: error: a feature name or alias has at most 16 words"),
    "docx-250k-paragraphs": (_docx_paragraphs, 2, f"deals/c.docx: error: the document has more than {MAX_PARAGRAPHS:,} paragraphs"),
    "docx-lying-sizes-256mib": (_docx_lying_sizes, 2, "deals/c.docx: error: not a valid .docx file"),
    "config-catalog-root": (_config_catalog_root, 2, "dealcheck.yaml:1:11: catalog: '/' is outside the repository"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_budget_is_one_located_error(case: str, tmp_path: Path) -> None:
    copy_sample_catalog(tmp_path)
    (tmp_path / "deals").mkdir()
    setup, expected_exit, fragment = CASES[case]
    args = setup(tmp_path)
    run = run_cli(
        [*args, "--today", TODAY],
        tmp_path,
        timeout=TIMEOUT,
        memory_mb=MEMORY_MB,
        cpu_seconds=CPU_SECONDS,
    )
    assert "Traceback" not in run.output, run.output[-3000:]
    assert "MemoryError" not in run.output
    assert run.returncode != -signal.SIGXCPU, f"used more than {CPU_SECONDS} s of CPU"
    assert run.max_rss_mb < MAX_RSS_MB, f"peak memory {run.max_rss_mb:.0f} MB"
    assert run.returncode == expected_exit, run.output[-3000:]
    assert fragment in run.output, run.output[-3000:]
    assert max(map(len, run.stderr.splitlines()), default=0) <= MAX_LINE_CHARS


def test_no_message_echoes_a_huge_value(tmp_path: Path) -> None:
    """Values a message quotes in full elsewhere (an unknown kind, a currency) are cut by
    the net under every problem (dealcheck.errors.MAX_MESSAGE_CHARS)."""
    from dealcheck.errors import MAX_MESSAGE_CHARS

    copy_sample_catalog(tmp_path)
    (tmp_path / "deals").mkdir()
    huge = "X" * 1_000_000
    (tmp_path / "deals" / "kind.yaml").write_text(f"kind: {huge}\n", encoding="utf-8")
    (tmp_path / "deals" / "currency.yaml").write_text(
        DEAL.format(extra=LINE).replace("currency: USD", f"currency: {huge}"), encoding="utf-8"
    )
    (tmp_path / "deals" / "key.yaml").write_text(
        DEAL.format(extra=LINE) + f"{huge}: 1\n", encoding="utf-8"
    )
    run = run_cli(
        ["check", "deals", "--today", TODAY], tmp_path, timeout=TIMEOUT, memory_mb=MEMORY_MB
    )
    assert run.returncode == 2, run.output[-3000:]
    assert "Traceback" not in run.output
    assert len(run.stderr.splitlines()) == 3, run.stderr[:3000]
    assert max(map(len, run.output.splitlines())) <= MAX_MESSAGE_CHARS + 100


# -- signals and worker processes ----------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _running(pid: int) -> bool:
    """Alive and not a zombie (a dead child nobody has reaped yet)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "Z" not in state.split()[1]


def _many_deals(root: Path, count: int) -> None:
    copy_sample_catalog(root)
    deals = root / "deals"
    deals.mkdir()
    (deals / "contracts").mkdir()
    contract = REPO / "examples/deals/contracts/fjordline-msa.docx"
    (deals / "contracts" / contract.name).write_bytes(contract.read_bytes())
    text = (REPO / "examples/deals/fjordline-shipping.yaml").read_text(encoding="utf-8")
    for n in range(count):
        (deals / f"d{n:04}.yaml").write_text(text, encoding="utf-8")


def _start_check(root: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """``check --jobs 2 -o out.json`` on many deals, once both workers run and the
    temporary report file exists."""
    proc = subprocess.Popen(
        [*console_script(), "check", "deals", "--jobs", "2", "-o", "out.json"]
        + ["--format", "json", "--today", TODAY],
        cwd=root,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2 and list(root.glob(".out.json.*.tmp")):
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted: add deals"
    assert len(workers) >= 2
    return proc, workers


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(("number", "status"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_end_a_run_like_ctrl_c(tmp_path: Path, number: int, status: int) -> None:
    _many_deals(tmp_path, 2000)  # enough that the run cannot finish before the signal
    proc, workers = _start_check(tmp_path)
    proc.send_signal(number)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == status, stderr.decode()
    assert b"Traceback" not in stderr
    assert b"interrupted; no report written" in stderr
    assert not list(tmp_path.glob(".out.json.*")), "a partial report was left"
    assert not (tmp_path / "out.json").exists()
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_running, workers)), "a worker outlived the run"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_die_with_their_parent_even_on_sigkill(tmp_path: Path) -> None:
    _many_deals(tmp_path, 2000)  # enough that the run cannot finish before the signal
    proc, workers = _start_check(tmp_path)
    proc.kill()  # no handler runs: only the kernel (PR_SET_PDEATHSIG) can end the workers
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_running, workers)), "a worker outlived its parent"


# -- special output files and closed streams ----------------------------------------------


SAMPLE = str(REPO / "examples/deals/ridgeway-retail.yaml")
CATALOG = ["-c", str(REPO / "products"), "-c", str(REPO / "rules")]


def test_output_to_a_fifo_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            received.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    run = run_cli(
        ["check", SAMPLE, *CATALOG, "-o", str(fifo), "--format", "json", "--today", TODAY],
        tmp_path,
    )
    reader.join(timeout=30)
    assert run.returncode == 3, run.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a regular file"
    assert received and received[0].startswith(b"{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pipe"]


def test_output_to_a_device_writes_into_it(tmp_path: Path) -> None:
    # through a symlink of our own: if the device were replaced, only the link would go
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    run = run_cli(["check", SAMPLE, *CATALOG, "-o", str(link), "--today", TODAY], tmp_path)
    assert run.returncode == 3, run.output
    assert link.is_symlink() and os.readlink(link) == os.devnull
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_output_to_a_directory_is_an_error(tmp_path: Path) -> None:
    run = run_cli(["check", SAMPLE, *CATALOG, "-o", str(tmp_path), "--today", TODAY], tmp_path)
    assert run.returncode == 2
    assert f"dealcheck: error: cannot write {tmp_path}: it is a directory" in run.stderr


@pytest.mark.parametrize("stream", [1, 2])
def test_a_closed_stdout_or_stderr_is_no_traceback(tmp_path: Path, stream: int) -> None:
    proc = subprocess.run(
        [*console_script(), "check", SAMPLE, *CATALOG, "--today", TODAY],
        cwd=tmp_path,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if stream == 2 else None,
        stderr=subprocess.PIPE if stream == 1 else None,
        preexec_fn=lambda: os.close(stream),
        timeout=60,
        check=False,
    )
    other = proc.stderr if stream == 1 else proc.stdout
    assert b"Traceback" not in other
    assert proc.returncode == 3  # the verdict (needs approval), report or not


def test_a_reader_that_goes_away_is_a_quiet_exit_141(tmp_path: Path) -> None:
    with subprocess.Popen(
        [*console_script(), "check", str(REPO / "examples/deals"), *CATALOG]
        + ["--format", "json", "--jobs", "1", "--today", TODAY],
        cwd=tmp_path,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()  # like `| head -c 10`
        stderr = proc.stderr.read()
        proc.wait(timeout=60)
    assert proc.returncode == 141
    assert stderr == b""


# -- reach -----------------------------------------------------------------------------------


def _catalog_with_link(root: Path, target: Path) -> None:
    copy_sample_catalog(root)
    (root / "deals").mkdir()
    (root / "products" / "linked.yaml").symlink_to(target)


def test_a_symlink_out_of_the_catalog_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("kind: Regions\ngroups: {SECRET: [XX]}\n", encoding="utf-8")
    try:
        repo = tmp_path / "repo"
        repo.mkdir()
        _catalog_with_link(repo, outside)
        run = run_cli(["validate"], repo)
        assert run.returncode == 2
        assert (
            "products/linked.yaml: error: is a symlink to a file outside the folder" in run.output
        )
        assert "SECRET" not in run.output
        followed = run_cli(["validate", "--follow-symlinks"], repo)
        assert "is a symlink" not in followed.output
        # read this time: its (deliberately bad) region group is judged
        assert "products/linked.yaml:2:19: error: 'XX'" in followed.output
    finally:
        outside.unlink()


def test_a_symlink_inside_the_repository_is_read(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    shared = tmp_path / "shared"
    shared.mkdir()
    regions = (REPO / "products" / "regions.yaml").read_text(encoding="utf-8")
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    copy_sample_catalog(catalog)
    (catalog / "products" / "regions.yaml").unlink()
    (shared / "regions.yaml").write_text(regions, encoding="utf-8")
    (catalog / "products" / "regions.yaml").symlink_to(shared / "regions.yaml")
    run = run_cli(["validate", "-c", "products", "-c", "rules"], catalog)
    assert run.returncode == 0, run.output


def test_a_symlinked_deal_out_of_the_folder_is_one_located_error(tmp_path: Path) -> None:
    copy_sample_catalog(tmp_path)
    deals = tmp_path / "deals"
    deals.mkdir()
    (deals / "ok.yaml").write_text(Path(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    (deals / "passwd.yaml").symlink_to("/etc/passwd")
    (deals / "more.jsonl").symlink_to("/etc/hostname")
    run = run_cli(["check", "deals", "--today", TODAY], tmp_path)
    assert run.returncode == 2
    assert "deals/passwd.yaml: error: is a symlink to a file outside the folder" in run.output
    assert "deals/more.jsonl: error: is a symlink to a file outside the folder" in run.output
    assert "root:" not in run.output
