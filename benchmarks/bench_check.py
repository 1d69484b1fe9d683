"""Throughput of ``dealcheck`` checking deals, and the start-up cost of the ``check`` command.

Run from the repository root::

    python benchmarks/bench_check.py            # full: 100,000 JSONL deals, 5,000 YAML files
    python benchmarks/bench_check.py --quick    # 10,000 JSONL deals, 1,000 YAML files, 10 runs
    python benchmarks/bench_check.py --profile  # also cProfile the JSONL run and -X importtime

Measures, in one process against the large generated catalog (``benchmarks/generate.py``,
generated on first use under ``benchmarks/out/``):

(a) JSONL: catalog load + Engine build once, then ``check_targets`` streamed over a JSON
    Lines file; the per-deal time is split into JSON parse, model validation and engine
    (clause gathering, built-in checks, rules, waivers and approvals) by timing
    ``load_jsonl_line`` alone and ``iter_deals`` (parse + validate) alone over the same file;
(b) YAML: the same over a directory of one-deal YAML files;
(c) start-up: wall time of ``dealcheck check examples/deals/wallaby-logistics.yaml`` against
    ``python -c pass`` (median of ``--runs`` interleaved subprocess runs each).

A throughput run stops after ``--budget`` seconds (150; ``0`` for none) and reports the rate
so far, so a run stays within a few minutes however slow the engine is. Wall and CPU time are
both reported: the two cores of the benchmark machine are shared with other work.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
import timeit
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402

from dealcheck.catalog import load_catalog  # noqa: E402
from dealcheck.checks import BUILTIN_IDS  # noqa: E402
from dealcheck.engine import Engine  # noqa: E402
from dealcheck.run import check_targets  # noqa: E402

TODAY = date(2026, 11, 22)
EXAMPLE = "examples/deals/wallaby-logistics.yaml"
TARGET_JSONL = 10_000  # deals/s
TARGET_YAML = 2_000  # deals/s
TARGET_STARTUP = 25.0  # x python -c pass


@dataclass
class Row:
    name: str
    value: str
    target: str = ""
    ok: bool | None = None
    notes: list[str] = field(default_factory=list)


# -- data ------------------------------------------------------------------------------------


def count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def ensure_data(out: Path, deals: int, yaml_files: int) -> tuple[Path, Path, Path]:
    """The catalog, a JSONL file of exactly ``deals`` deals and a directory of ``yaml_files``
    deal files, generating what is missing (the full sizes, then subsets by truncation)."""
    catalog, jsonl, yaml_dir = out / "catalog", out / "deals.jsonl", out / "deals-yaml"
    need_catalog = not (catalog / "products").is_dir()
    need_jsonl = need_catalog or not jsonl.exists() or count_lines(jsonl) < deals
    have_yaml = len(list(yaml_dir.glob("*.yaml"))) if yaml_dir.is_dir() else 0
    need_yaml = need_catalog or have_yaml < yaml_files
    if need_catalog or need_jsonl or need_yaml:
        args = ["--out", str(out), "--deals", str(max(deals, 100_000) if need_jsonl else 0)]
        args += ["--yaml-deals", str(max(yaml_files, 5_000) if need_yaml else 0)]
        if not need_catalog:
            args.append("--skip-catalog")
        print(f"generating: python benchmarks/generate.py {' '.join(args)}", flush=True)
        generate.main(args)
    if count_lines(jsonl) > deals:  # a subset: the first N deals, cached
        subset = out / f"deals-{deals}.jsonl"
        if not subset.exists() or subset.stat().st_mtime < jsonl.stat().st_mtime:
            with jsonl.open("rb") as src, subset.open("wb") as dst:
                for _, line in zip(range(deals), src, strict=False):
                    dst.write(line)
        jsonl = subset
    return catalog, jsonl, yaml_dir


def yaml_targets(yaml_dir: Path, n: int) -> list[str]:
    """The directory itself when it holds exactly ``n`` files, else the first ``n`` files."""
    files = sorted(yaml_dir.glob("*.yaml"))
    if len(files) == n:
        return [str(yaml_dir)]
    return [str(f) for f in files[:n]]


# -- timing helpers --------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def run_check(
    engine: Engine, targets: list[str], budget: float = float("inf")
) -> tuple[int, int, Counter[str]]:
    """Stream every result (stopping once ``budget`` seconds have passed); return (deals,
    findings, verdicts)."""
    deals = findings = 0
    verdicts: Counter[str] = Counter()
    deadline = time.perf_counter() + budget
    for result in check_targets(engine, targets):
        deals += 1
        findings += len(result.findings)
        verdicts[str(result.verdict)] += 1
        if deals % 256 == 0 and time.perf_counter() > deadline:
            break
    return deals, findings, verdicts


def parse_validate(targets: list[str], limit: int) -> int:
    """Load and validate the first ``limit`` deals (what ``check_targets`` does before the
    engine); return how many failed."""
    from dealcheck.deals import iter_deals

    return sum(item.deal is None for item in islice(iter_deals(targets), limit))


def json_parse(path: Path, limit: int) -> int:
    """What the loader does per JSONL line before validation (decode, parse, number checks)."""
    from dealcheck.yamlio import load_jsonl_line

    name = str(path)
    n = 0
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if n >= limit:
                break
            if raw.strip():
                load_jsonl_line(raw.decode("utf-8"), name, lineno)
                n += 1
    return n


def yaml_parse(targets: list[str], limit: int) -> int:
    """What the loader does per YAML deal file before validation (read, parse, source map)."""
    from dealcheck.yamlio import load_file

    files: Iterable[Path]
    if len(targets) == 1 and Path(targets[0]).is_dir():
        files = sorted(Path(targets[0]).glob("*.yaml"))
    else:
        files = [Path(t) for t in targets]
    return sum(len(load_file(f, str(f))) for f in islice(files, limit))


def calibration() -> str:
    """A fixed pure-Python loop (best of 5) and the load average: how fast this machine was
    while the figures were taken (the two cores are shared with other work)."""
    best = min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000
    return (
        f"calibration: sum(range(1000)) {best * 1e6:.1f} µs, load average {os.getloadavg()[0]:.1f}"
    )


def us(seconds: float, n: int) -> str:
    return f"{seconds / n * 1e6:,.0f} µs"


def split(name: str, seconds: float, n: int, total: float) -> str:
    return f"  {name:<38} {seconds / n * 1e6:>7,.0f} µs/deal CPU {seconds / total:>5.0%}"


# -- the benchmarks ----------------------------------------------------------------------------


def bench_load(catalog_dir: Path) -> tuple[Engine, list[Row]]:
    t_catalog, catalog = timed(lambda: load_catalog([catalog_dir], TODAY, BUILTIN_IDS))
    t_engine, engine = timed(lambda: Engine(catalog, TODAY))
    if not engine.ok:
        for problem in engine.problems[:20]:
            print(problem, file=sys.stderr)
        raise SystemExit(f"the catalog in {catalog_dir} has errors; regenerate it")
    sizes = (
        f"{len(catalog.products)} products, {len(catalog.features)} features, "
        f"{len(catalog.skus)} SKUs, {len(catalog.rules)} rules"
    )
    row = Row("catalog load + Engine build", f"{(t_catalog + t_engine) * 1e3:,.0f} ms")
    row.notes = [
        f"  {sizes}",
        f"  load_catalog {t_catalog * 1e3:,.0f} ms, Engine() {t_engine * 1e3:,.0f} ms",
    ]
    return engine, [row]


def cpu_timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result): CPU time is the steadier figure
    when other processes compete for the two cores."""
    cpu = time.process_time()
    wall, result = timed(fn)
    return wall, time.process_time() - cpu, result


def best_cpu(fn: Callable[[], Any], repeat: int = 2) -> tuple[float, Any]:
    """The lowest CPU time of ``repeat`` runs of ``fn`` (the split passes are short and
    noisy), and its result."""
    runs = [cpu_timed(fn) for _ in range(repeat)]
    return min(r[1] for r in runs), runs[0][2]


def bench_jsonl(engine: Engine, jsonl: Path, splits: bool, budget: float) -> list[Row]:
    targets = [str(jsonl)]
    total, cpu, (n, findings, verdicts) = cpu_timed(lambda: run_check(engine, targets, budget))
    rate = n / total
    row = Row(
        f"JSONL: {n:,} deals, one process",
        f"{rate:,.0f} deals/s ({us(total, n)}/deal)",
        f"≥ {TARGET_JSONL:,}/s",
        rate >= TARGET_JSONL,
    )
    row.notes.append(f"  CPU time {us(cpu, n)}/deal = {n / cpu:,.0f} deals per CPU-second")
    row.notes.append(
        f"  {findings / n:.1f} findings/deal; verdicts "
        + ", ".join(f"{k} {v / n:.0%}" for k, v in sorted(verdicts.items()))
    )
    if n < count_lines(jsonl):
        row.notes.append(f"  stopped after {n:,} deals: --budget {budget:.0f} s reached")
    if splits:
        t_json, _ = best_cpu(lambda: json_parse(jsonl, n))
        t_parse, bad = best_cpu(lambda: parse_validate(targets, n))
        if bad:
            row.notes.append(f"  WARNING: {bad} deals failed to load")
        row.notes += [
            "  split (CPU time, best of 2 separate passes over the same deals):",
            split("JSON read + parse (load_jsonl_line)", t_json, n, cpu),
            split("pydantic validation (parse_document)", max(t_parse - t_json, 0), n, cpu),
            split("engine (clauses, checks, rules)", max(cpu - t_parse, 0), n, cpu),
        ]
    return [row]


def bench_yaml(
    engine: Engine, yaml_dir: Path, n_files: int, splits: bool, budget: float
) -> list[Row]:
    targets = yaml_targets(yaml_dir, n_files)
    total, cpu, (n, findings, _) = cpu_timed(lambda: run_check(engine, targets, budget))
    rate = n / total
    row = Row(
        f"YAML: {n:,} deal files, one process",
        f"{rate:,.0f} deals/s ({us(total, n)}/deal)",
        f"≥ {TARGET_YAML:,}/s",
        rate >= TARGET_YAML,
    )
    row.notes.append(f"  CPU time {us(cpu, n)}/deal = {n / cpu:,.0f} deals per CPU-second")
    row.notes.append(f"  {findings / n:.1f} findings/deal")
    if n < n_files:
        row.notes.append(f"  stopped after {n:,} files: --budget {budget:.0f} s reached")
    if splits:
        t_yaml, _ = best_cpu(lambda: yaml_parse(targets, n))
        t_parse, bad = best_cpu(lambda: parse_validate(targets, n))
        if bad:
            row.notes.append(f"  WARNING: {bad} deals failed to load")
        row.notes += [
            "  split (CPU time, best of 2 separate passes over the same deals):",
            split("YAML read + parse (load_file)", t_yaml, n, cpu),
            split("pydantic validation (parse_document)", max(t_parse - t_yaml, 0), n, cpu),
            split("engine (clauses, checks, rules)", max(cpu - t_parse, 0), n, cpu),
        ]
    return [row]


def wall_times(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> dict[str, list[float]]:
    """Wall time of each command, ``runs`` times, interleaved (one of each per round) so that
    load from other processes on the machine hits every command alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd, env in commands.values():  # warm the OS file cache and the bytecode cache
        subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for name, (cmd, env) in commands.items():
            started = time.perf_counter()
            subprocess.run(
                cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            times[name].append(time.perf_counter() - started)
    return times


def bench_startup(runs: int, catalog_dir: Path, out: Path) -> list[Row]:
    exe = shutil.which("dealcheck")
    dealcheck = [exe] if exe else [sys.executable, "-c", "from dealcheck.cli import main; main()"]
    check = [*dealcheck, "check", EXAMPLE, "--today", TODAY.isoformat()]
    env = {**os.environ, "NO_COLOR": "1"}
    # As a pip-installed tool runs: bytecode cached (this sandbox sets PYTHONDONTWRITEBYTECODE,
    # so the editable package is recompiled from source on every run otherwise). The cache
    # goes under benchmarks/out, never into the package tree.
    cached = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str((out / "pycache").resolve())
    commands = {
        "pass": ([sys.executable, "-c", "pass"], env),
        "import": ([sys.executable, "-c", "import dealcheck.cli"], env),
        "check": (check, env),
        "check-cached": (check, cached),
        "check-jobs1": ([*check, "--jobs", "1"], env),
        "check-large": ([*check, "--catalog", str(catalog_dir)], env),
    }
    load_before = os.getloadavg()[0]
    times = wall_times(commands, runs)
    load_after = os.getloadavg()[0]
    med = {name: statistics.median(t) for name, t in times.items()}
    best = {name: min(t) for name, t in times.items()}
    base = med["pass"]

    def line(label: str, name: str) -> str:
        return (
            f"  {label:<36} {med[name] * 1e3:>6,.0f} ms ({med[name] / base:4.1f}×)"
            f"   min {best[name] * 1e3:>5,.0f} ms ({best[name] / best['pass']:4.1f}×)"
        )

    rows = []
    for name, label in (("check", ""), ("check-cached", ", bytecode cached")):
        ratio = med[name] / base
        row = Row(
            f"`dealcheck check {Path(EXAMPLE).name}`{label}",
            f"{med[name] * 1e3:,.0f} ms = {ratio:.1f}× python -c pass",
            f"≤ {TARGET_STARTUP:.0f}×",
            ratio <= TARGET_STARTUP,
        )
        rows.append(row)
    rows[-1].notes += [
        f"  median of {runs} interleaved runs; load average {load_before:.1f} → {load_after:.1f}",
        line("python -c pass", "pass"),
        line("python -c 'import dealcheck.cli'", "import"),
        line("check (as run here)", "check"),
        line("check, bytecode cached", "check-cached"),
        line("check --jobs 1 (no worker pool)", "check-jobs1"),
        line("check, --catalog large catalog", "check-large"),
    ]
    return rows


# -- diagnostics -------------------------------------------------------------------------------


def profile_jsonl(engine: Engine, jsonl: Path, n: int, top: int) -> None:
    subset = jsonl.with_name(f"profile-{n}.jsonl")
    with jsonl.open("rb") as src, subset.open("wb") as dst:
        for _, line in zip(range(n), src, strict=False):
            dst.write(line)
    profiler = cProfile.Profile()
    profiler.enable()
    run_check(engine, [str(subset)])
    profiler.disable()
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf)
        stats.strip_dirs().sort_stats(key).print_stats(top)
        print(f"\n== cProfile of check_targets over {n:,} JSONL deals, by {key} ==")
        print("\n".join(line for line in buf.getvalue().splitlines() if line.strip())[-12000:])


def importtime(label: str, code: str, top: int) -> None:
    """``python -X importtime``: top-level imports (what a command pays for) and the modules
    with the largest own time; ``site`` is left out (``python -c pass`` pays it too)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    rows: list[tuple[int, int, int, str]] = []  # cumulative, self, depth, name
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, cumulative, name = line.removeprefix("import time:").split("|", 2)
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append((int(cumulative), int(self_us), depth, name.strip()))
    # a module's children are listed before it, deeper: drop site and everything under it
    kept: list[tuple[int, int, int, str]] = []
    pending: list[tuple[int, int, int, str]] = []
    for row in rows:
        pending.append(row)
        if row[2] == 0:
            if row[3] != "site":
                kept += pending
            pending = []
    top_level = sorted((r for r in kept if r[2] == 0), reverse=True)
    total = sum(r[0] for r in top_level)
    print(f"\n== python -X importtime -c {code!r} ==")
    print(f"imports outside site: {total / 1e3:.0f} ms; top-level modules by cumulative time:")
    for cumulative, _self, _, name in top_level[:top]:
        print(f"  {cumulative / 1e3:>7.1f} ms  {name}")
    print("modules with the largest own (self) time:")
    for cumulative, self_us, _, name in sorted(kept, key=lambda r: -r[1])[:top]:
        print(f"  {self_us / 1e3:>7.1f} ms  {name} (cumulative {cumulative / 1e3:.1f} ms)")


# -- command line ------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    width = max(len(r.name) for r in rows)
    vwidth = max(len(r.value) for r in rows)
    print(f"\n{'benchmark':<{width}}  {'measured':<{vwidth}}  {'target':<9}  status")
    print("-" * (width + vwidth + 22))
    for r in rows:
        status = "" if r.ok is None else ("OK" if r.ok else "MISSED")
        print(f"{r.name:<{width}}  {r.value:<{vwidth}}  {r.target:<9}  {status}")
        for note in r.notes:
            print(f"{'':<{width}}  {note}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="10,000 JSONL deals, 1,000 YAML, 10 runs")
    p.add_argument("--deals", type=int, help="JSONL deals (default 100,000; quick 10,000)")
    p.add_argument("--yaml-files", type=int, help="YAML deal files (default 5,000; quick 1,000)")
    p.add_argument("--runs", type=int, help="subprocess runs per command (default 15; quick 10)")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="data directory")
    p.add_argument("--only", default="jsonl,yaml,startup", help="comma-separated subset")
    p.add_argument("--no-split", action="store_true", help="skip the per-stage split passes")
    p.add_argument(
        "--budget",
        type=float,
        default=150.0,
        help="stop a throughput run after this many seconds and report the rate so far "
        "(default %(default)s; 0: no limit)",
    )
    p.add_argument("--profile", action="store_true", help="also cProfile and -X importtime")
    p.add_argument("--profile-deals", type=int, default=2_000, help="deals to profile (2,000)")
    p.add_argument("--top", type=int, default=30, help="profile rows to print")
    args = p.parse_args(argv)
    budget = args.budget if args.budget > 0 else float("inf")
    deals = args.deals or (10_000 if args.quick else 100_000)
    yaml_files = args.yaml_files or (1_000 if args.quick else 5_000)
    runs = args.runs or (10 if args.quick else 15)
    only = set(args.only.split(","))

    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; today {TODAY}")
    print(calibration(), flush=True)
    catalog_dir, jsonl, yaml_dir = ensure_data(args.out, deals, yaml_files)
    engine, rows = bench_load(catalog_dir)
    if "jsonl" in only:
        rows += bench_jsonl(engine, jsonl, not args.no_split, budget)
    if "yaml" in only:
        rows += bench_yaml(engine, yaml_dir, yaml_files, not args.no_split, budget)
    if "startup" in only:
        rows += bench_startup(runs, catalog_dir, args.out)
    print_table(rows)
    print(calibration())
    if args.profile:
        profile_jsonl(engine, jsonl, min(args.profile_deals, deals), args.top)
        importtime("import", "import dealcheck.cli", 15)
        argv = ["dealcheck", "check", EXAMPLE, "--today", TODAY.isoformat()]
        importtime(
            "check", f"import sys; sys.argv = {argv!r}; from dealcheck.cli import main; main()", 15
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
