"""Where users wait: dealcheck's CPU time as ratios to things that cannot get faster.

Run from the repository root (about 3-6 minutes)::

    python benchmarks/ratios.py               # every ratio, medians of --runs
    python benchmarks/ratios.py --runs 3 --only jsonl,one

Prints, side by side from one run (CPU time = user + system of the child process, from
``getrusage``; the machine is shared, so wall time is not a measure; medians of
``--runs`` interleaved runs):

* ``jsonl``: ``dealcheck check D.jsonl --jobs 1 --format json`` over 20,000 deals (5 lines
  each, generated here for the sample catalog in ``products/`` and ``rules/``) against a
  bare ``json.loads`` loop over the same lines (in this process); and the floor under it
  (:func:`io_floor`): what those deals cost before any check, decoded with exact
  decimals, validated against the ``Deal`` model and their report blocks encoded;
* ``one``: ``dealcheck check examples/deals/wallaby-logistics.yaml`` against
  ``python -c pass``, and the floor under it: a one-command typer app that validates one
  pydantic model (:data:`FLOOR`), the least a CLI built on these two libraries costs, and
  with PyYAML reading the deal and rich writing one line (:data:`STACK_FLOOR`), the least
  the four libraries a text check needs cost together;
* ``big``: the same deal against a generated ~6 MB catalog (200 products x 150 features,
  ``benchmarks/generate.py``), cold (``--no-cache``) and warm (the catalog cache filled),
  minus the same deal on the small catalog;
* ``impact``: ``dealcheck impact --jobs 1`` over 10,000 deals (a directory of one JSONL
  file) with a base catalog that moves one roadmap date (about 750 deals change), against
  ``json.loads`` of those deals; and its wall time with ``--jobs 2``, for the speed-up;
* ``jobs``: the 20,000-deal run with ``--jobs 2`` (wall and CPU), for the speed-up, and
  its ceiling: two independent ``--jobs 1`` runs over the two halves, started together.

Every command runs with its bytecode cached (``PYTHONPYCACHEPREFIX=benchmarks/out/ratios/
pycache``, ``PYTHONDONTWRITEBYTECODE`` unset), as an installed tool runs, and with
``DEALCHECK_CACHE_DIR`` in a temporary directory.

Generated data goes to ``benchmarks/out/ratios/`` (git-ignored); the same seed gives the
same files. Nothing here reads ``/work/shared``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "ratios"
DEALCHECK = [sys.executable, "-m", "dealcheck"]
TODAY = "2026-11-22"
EXAMPLE = "examples/deals/wallaby-logistics.yaml"
#: The least a typer command validating with pydantic costs: start-up with the two
#: libraries dealcheck is built on, one model and a one-option command, nothing of ours.
FLOOR = """
import typer
from pydantic import BaseModel

class Deal(BaseModel):
    id: str

app = typer.Typer()

@app.command()
def check(deal: str, today: str = "") -> None:
    Deal(id=deal)

app(["x", "--today", "2026-11-22"], standalone_mode=False)
"""
#: The same, with the other two libraries a one-deal text check cannot do without: PyYAML
#: (libyaml's loader) reads the deal file and rich writes one line of text, the least the
#: whole required stack (typer, pydantic, PyYAML, rich) costs before any check.
STACK_FLOOR = """
import io
import typer
import yaml
from pydantic import BaseModel
from rich.console import Console

class Deal(BaseModel):
    id: str

app = typer.Typer()

@app.command()
def check(deal: str, today: str = "") -> None:
    with open(deal, "rb") as f:
        data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    console = Console(file=io.StringIO(), width=100, no_color=True, color_system=None)
    console.print(f"[bold]{Deal(id=str(data['id'])).id}[/bold] PASS")

app([%r, "--today", "2026-11-22"], standalone_mode=False)
"""

SKUS = {  # sample catalog SKUs (products/*.yaml) and a list price to quote around
    "AA-STD-USER-Y": 180,
    "AA-PRO-USER-Y": 420,
    "AA-ENT-USER-Y": 720,
    "AA-EMBED-Y": 24000,
    "AA-FORECAST-USER-Y": 120,
    "AC-TEAM-INST-Y": 6000,
    "AC-BUS-INST-Y": 18000,
    "AC-ENT-INST-Y": 48000,
    "AV-BUS-USER-Y": 96,
    "AV-ENT-USER-Y": 180,
    "AV-BYOK-Y": 12000,
}
FEATURES = [
    "dashboards",
    "sso-saml",
    "eu-data-residency",
    "predictive-forecasting",
    "ai-mapping",
    "sap-connector",
    "sovereign-eu-cloud",
    "customer-managed-keys",
    "flash-charts",
    "no-such-feature",
]
COUNTRIES = ["US", "US", "DE", "FR", "GB", "CA", "SG", "JP", "NZ", "AU", "CH", "NL"]
CURRENCIES = ["USD", "USD", "EUR", "GBP", "CAD", "SGD", "JPY"]
CLAUSES = [
    "Provider shall make EU data residency available no later than 31 March 2027.",
    "Customer may terminate for convenience on 30 days notice.",
    "Provider guarantees 99.95% monthly uptime.",
    "Nothing in this Agreement commits Provider to deliver the AI assistant.",
    "Pricing is most favoured customer pricing for the term.",
]


def make_deal(rng: random.Random, i: int) -> dict[str, object]:
    """One sample-style deal with 5 lines (plain JSON types; decimals as JSON numbers)."""
    deal: dict[str, object] = {
        "kind": "Deal",
        "id": f"Q-BENCH-{i:06d}",
        "customer": {"name": f"Customer {i} Ltd", "country": rng.choice(COUNTRIES)},
        "currency": rng.choice(CURRENCIES),
        "start_date": f"2027-{rng.randint(1, 12):02d}-01",
        "term_months": rng.choice([12, 24, 36]),
    }
    if rng.random() < 0.3:
        deal["payment_terms_days"] = rng.choice([30, 45, 60, 90])
    if rng.random() < 0.2:
        deal["free_months"] = rng.choice([1, 2, 3])
    if rng.random() < 0.3:
        deal["partner"] = {
            "name": "Partner GmbH",
            "country": rng.choice(COUNTRIES),
            "margin": rng.choice([0.1, 0.15, 0.2]),
        }
    lines = []
    for sku in rng.sample(sorted(SKUS), 5):
        line: dict[str, object] = {"sku": sku, "quantity": rng.randint(1, 500)}
        if rng.random() < 0.8:
            line["discount"] = rng.choice([0, 0.05, 0.1, 0.2, 0.25, 0.3, 0.35, 0.45])
        else:
            line["unit_price"] = round(SKUS[sku] * rng.uniform(0.5, 1.0), 2)
        lines.append(line)
    deal["lines"] = lines
    if rng.random() < 0.3:
        deal["commitments"] = [
            {"feature": rng.choice(FEATURES), "due": f"2027-{rng.randint(1, 12):02d}-15"}
            for _ in range(rng.randint(1, 2))
        ]
    if rng.random() < 0.1:
        deal["sla_uptime"] = rng.choice([99.5, 99.9, 99.95, 99.99])
    if rng.random() < 0.2:
        deal["clauses"] = [
            {"id": f"7.{k + 1}", "text": rng.choice(CLAUSES)} for k in range(rng.randint(1, 2))
        ]
    return deal


def write_deals(path: Path, count: int, seed: int = 20261206) -> None:
    if path.exists():
        return
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(count):
            fh.write(json.dumps(make_deal(rng, i), separators=(",", ":")) + "\n")


def big_catalog() -> Path:
    """The ~6 MB generated catalog (200 products x 150 features, ~1,100 SKUs)."""
    catalog = OUT / "big"
    if not (catalog / "catalog").exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "generate.py"),
                "--out",
                str(catalog),
                "--products",
                "200",
                "--features-per-product",
                "150",
                "--deals",
                "0",
                "--yaml-deals",
                "0",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return catalog / "catalog"


def impact_base() -> Path:
    """The sample catalog with one roadmap date moved: the base of the impact run."""
    base = OUT / "impact-base"
    shutil.rmtree(base, ignore_errors=True)  # rebuilt each run: the sample catalog changes
    shutil.copytree(ROOT / "products", base / "products")
    shutil.copytree(ROOT / "rules", base / "rules")
    path = base / "products" / "acme-analytics.yaml"
    text = path.read_text(encoding="utf-8")
    # (until 7 Dec 2026 this looked for a date the catalog does not have: the base was
    # the current catalog, and impact compared deals that could not change)
    moved = "target: 2027-Q2"  # eu-data-residency, which the generated deals commit to
    if moved not in text:
        sys.exit(f"impact_base: {moved!r} is no longer in {path.name}; pick another date")
    path.write_text(text.replace(moved, "target: 2027-01-31", 1), encoding="utf-8")
    return base


def child_cpu(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, exit code) of one run of ``cmd``, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1, 3):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return cpu, wall, proc.returncode


def _halves(path: Path) -> tuple[Path, Path]:
    """The first and the second half of the lines of ``path``, as two files next to it."""
    lines = path.read_bytes().splitlines(keepends=True)
    middle = len(lines) // 2
    first, second = path.with_suffix(".first.jsonl"), path.with_suffix(".second.jsonl")
    first.write_bytes(b"".join(lines[:middle]))
    second.write_bytes(b"".join(lines[middle:]))
    return first, second


def two_at_once(halves: tuple[Path, Path], base: list[str], env: dict[str, str]) -> float:
    """Wall seconds of two independent ``--jobs 1`` runs started together, one per half:
    what two cores of this machine give with no coordination at all (each also pays its
    own start-up), the ceiling for ``--jobs 2``."""
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [*DEALCHECK, *base, str(half), "--jobs", "1", "--format", "json"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for half in halves
    ]
    for proc in procs:
        proc.wait()
    return time.perf_counter() - start


def loads_cpu(path: Path) -> float:
    """CPU seconds of a bare ``json.loads`` loop over the lines of ``path``."""
    lines = path.read_bytes().splitlines()
    start = time.process_time()
    for line in lines:
        json.loads(line)
    return time.process_time() - start


def io_floor(path: Path) -> Callable[[], float]:
    """CPU seconds of what every deal of ``path`` costs before any check runs: decoding its
    line with exact decimals (``json.loads`` with ``parse_float=Decimal``), validating it
    against the ``Deal`` model, and encoding its finished report block (indented, every
    value already text). The blocks are made beforehand, outside the time, by dealcheck
    itself (in this process, from the repository's package)."""
    from datetime import date
    from decimal import Decimal

    import orjson

    from dealcheck.catalog import load_catalog
    from dealcheck.checks import BUILTIN_IDS
    from dealcheck.deals import iter_deals
    from dealcheck.engine import Engine
    from dealcheck.models import Deal
    from dealcheck.report.json_report import deal_dict, plain
    from dealcheck.run import check_input

    today = date.fromisoformat(TODAY)
    engine = Engine(load_catalog([ROOT / "products", ROOT / "rules"], today, BUILTIN_IDS), today)
    lines = path.read_bytes().splitlines()
    blocks = [plain(deal_dict(check_input(engine, d))) for d in iter_deals([path], engine.options)]
    indent = orjson.OPT_INDENT_2

    def cpu() -> float:
        start = time.process_time()
        for line, block in zip(lines, blocks, strict=True):
            Deal.model_validate(json.loads(line, parse_float=Decimal))
            orjson.dumps(block, option=indent)
        return time.process_time() - start

    return cpu


def median_of(runs: int, fn: Callable[[], float]) -> float:
    return statistics.median(fn() for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--only", default="jsonl,one,big,impact,jobs", help="comma-separated")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    runs = args.runs
    env = dict(os.environ)
    cache = Path(tempfile.mkdtemp(prefix="dealcheck-ratios-"))
    env["DEALCHECK_CACHE_DIR"] = str(cache)  # never the user's real cache
    # bytecode cached, as an installed tool runs (this sandbox sets PYTHONDONTWRITEBYTECODE,
    # which would compile every module from source on every run), outside the repository
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env.pop("DEALCHECK_CATALOG", None)
    rows: list[tuple[str, str, str]] = []

    def show(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))
        print(f"{name:<58} {value:>14}  {note}", flush=True)

    d20k = OUT / "deals-20k.jsonl"
    write_deals(d20k, 20_000)
    base = ["check", "--today", TODAY]
    if "jsonl" in only or "jobs" in only:
        json_cpu = median_of(runs, lambda: loads_cpu(d20k))
        show("json.loads x 20,000 lines (CPU)", f"{json_cpu * 1000:.0f} ms")
    if "jsonl" in only:
        cmd = [*DEALCHECK, *base, str(d20k), "--jobs", "1", "--format", "json"]
        cpu = median_of(runs, lambda: child_cpu(cmd, env)[0])
        show("check 20,000 JSONL --jobs 1 --format json (CPU)", f"{cpu:.2f} s")
        show("  ratio to json.loads", f"{cpu / json_cpu:.1f}x", "target <= 20x")
        floor = median_of(runs, io_floor(d20k))
        show("floor: decode + Deal model + encode the report, 20,000 (CPU)", f"{floor:.2f} s")
        show("  ratio to json.loads", f"{floor / json_cpu:.1f}x", "every deal's I/O, no check")
    if "jobs" in only:
        results: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
        halves = _halves(d20k)
        apart: list[float] = []
        for _ in range(runs):  # interleaved: the machine's speed drifts
            for jobs in (1, 2):
                cmd = [*DEALCHECK, *base, str(d20k), "--jobs", str(jobs), "--format", "json"]
                cpu, wall, _rc = child_cpu(cmd, env)
                results[jobs].append((cpu, wall))
            apart.append(two_at_once(halves, base, env))
        w1 = statistics.median(w for _c, w in results[1])
        w2 = statistics.median(w for _c, w in results[2])
        show("check 20,000 JSONL --jobs 1 (wall)", f"{w1:.2f} s")
        show("check 20,000 JSONL --jobs 2 (wall)", f"{w2:.2f} s")
        show("  speed-up of 2 workers (wall)", f"{w1 / w2:.2f}x", "target >= 1.8x (quiet machine)")
        show(
            "ceiling: two --jobs 1 runs, 10,000 deals each, at once (wall)",
            f"{statistics.median(apart):.2f} s",
        )
        show(
            "  speed-up of two separate processes (wall)",
            f"{w1 / statistics.median(apart):.2f}x",
            "what two cores give here",
        )
    if "one" in only or "big" in only:
        pass_cpu = median_of(runs * 2, lambda: child_cpu([sys.executable, "-c", "pass"], env)[0])
        show("python -c pass (CPU)", f"{pass_cpu * 1000:.1f} ms")
        one = [*DEALCHECK, *base, EXAMPLE]
        child_cpu(one, env)  # fill the cache of the small catalog
        small = median_of(runs * 2, lambda: child_cpu(one, env)[0])
        show("check one deal, sample catalog (CPU)", f"{small * 1000:.0f} ms")
        show("  ratio to python -c pass", f"{small / pass_cpu:.1f}x", "target <= 8x")
        floor_cmd = [sys.executable, "-c", FLOOR]
        floor = median_of(runs * 2, lambda: child_cpu(floor_cmd, env)[0])
        show("floor: typer + one pydantic model, one command (CPU)", f"{floor * 1000:.0f} ms")
        show("  ratio to python -c pass", f"{floor / pass_cpu:.1f}x", "what no check can go under")
        stack_cmd = [sys.executable, "-c", STACK_FLOOR % EXAMPLE]
        stack = median_of(runs * 2, lambda: child_cpu(stack_cmd, env)[0])
        show("floor: + PyYAML reads the deal, rich writes a line (CPU)", f"{stack * 1000:.0f} ms")
        show("  ratio to python -c pass", f"{stack / pass_cpu:.1f}x", "the required stack alone")
    if "big" in only:
        catalog = big_catalog()
        size = sum(f.stat().st_size for f in catalog.rglob("*.yaml"))
        big = [*DEALCHECK, *base, EXAMPLE, "--catalog", str(catalog)]
        cold_cmd = [*big, "--no-cache"] if _has_no_cache() else big
        cold = median_of(runs, lambda: child_cpu(cold_cmd, env)[0])
        child_cpu(big, env)  # fill the cache
        warm = median_of(runs, lambda: child_cpu(big, env)[0])
        show(f"check one deal, {size / 1e6:.1f} MB catalog, cold (CPU)", f"{cold:.2f} s")
        show("  more than the sample catalog", f"+{cold - small:.2f} s", "no slower than before")
        show(f"check one deal, {size / 1e6:.1f} MB catalog, warm cache (CPU)", f"{warm:.2f} s")
        show("  more than the sample catalog", f"+{warm - small:.2f} s", "target <= +0.5 s")
    if "impact" in only:
        deals_dir = OUT / "impact-deals"
        d10k = deals_dir / "deals.jsonl"
        if not d10k.exists():
            deals_dir.mkdir(parents=True, exist_ok=True)
            d10k.write_bytes(b"".join(d20k.read_bytes().splitlines(keepends=True)[:10_000]))
        json_10k = median_of(runs, lambda: loads_cpu(d10k))
        cmd = [
            *DEALCHECK,
            "impact",
            "--today",
            TODAY,
            "--base",
            str(impact_base()),
            "--deals",
            str(deals_dir),
            "--format",
            "json",
        ]
        cpu = median_of(runs, lambda: child_cpu([*cmd, "--jobs", "1"], env)[0])
        show("impact over 10,000 deals, --jobs 1 (CPU)", f"{cpu:.2f} s")
        show("  ratio to json.loads of the deals", f"{cpu / json_10k:.1f}x")
        walls: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(runs):  # interleaved
            for jobs in (1, 2):
                walls[jobs].append(child_cpu([*cmd, "--jobs", str(jobs)], env)[1])
        w1, w2 = statistics.median(walls[1]), statistics.median(walls[2])
        show("impact over 10,000 deals, --jobs 1 / --jobs 2 (wall)", f"{w1:.2f} / {w2:.2f} s")
        show("  speed-up of 2 workers (wall)", f"{w1 / w2:.2f}x")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


def _has_no_cache() -> bool:
    out = subprocess.run(
        [*DEALCHECK, "check", "--help"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return "--no-cache" in out.stdout


if __name__ == "__main__":
    sys.exit(main())
