"""``dealcheck promises``: the promise register as a library (flags, values, stages, the
what-if --move and its agreement with ``impact`` on the same change as a git commit),
every renderer against its golden file, CSV formula injection, hostile text, and the
command (exit codes, located errors on stderr, --output).

Golden files are in ``tests/golden/promises/``; when an output changes on purpose::

    DEALCHECK_REGEN_GOLDEN=1 pytest tests/test_promises.py
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from dealcheck.catalog import load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.cli import app
from dealcheck.engine import Engine
from dealcheck.report.json_report import plain
from dealcheck.report.promises import RENDERERS, csv_cell, render_csv, render_json, render_text
from dealcheck.views.promises import PromiseError, PromiseReport, parse_moves, run_promises

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests/golden/promises"
REGEN = bool(os.environ.get("DEALCHECK_REGEN_GOLDEN"))
TODAY = date(2026, 11, 22)
CATALOG = [Path("products"), Path("rules")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        built = Engine(load_catalog(CATALOG, TODAY, BUILTIN_IDS), TODAY)
    finally:
        os.chdir(cwd)
    assert built.ok, built.problems
    return built


def register(engine: Engine, *targets: str, **options: object) -> PromiseReport:
    cwd = Path.cwd()
    os.chdir(REPO)  # paths in the report are shown relative to the working directory
    try:
        return run_promises(engine, list(targets) or ["examples/deals"], **options)  # type: ignore[arg-type]
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def examples(engine: Engine) -> PromiseReport:
    return register(engine)


def rows_of(report: PromiseReport, feature: str) -> list[tuple[str, str, tuple[str, ...]]]:
    (line,) = [f for f in report.features if f.feature == feature]
    return [(r.promise.deal.id, str(r.promise.due), r.flags) for r in line.rows]


# -- the register of the examples --------------------------------------------------------------


def test_every_commitment_of_the_examples_is_a_promise(examples: PromiseReport) -> None:
    s = examples.summary()
    # 34 example deals; 15 promise something: 10 structured commitments (crm-import's
    # has no due date: due at start) and 26 promises found in clause text
    assert (s["deals"], s["deals_with_promises"], s["promises"]) == (34, 15, 36)
    sources = [r.promise.source for r in examples.rows]
    assert (sources.count("structured"), sources.count("clause")) == (10, 26)
    assert examples.currency == "USD"
    # features by value at risk, then value
    assert [f.feature for f in examples.features[:3]] == [
        "anomaly-detection",
        "event-streaming",
        "legacy-reports-api",
    ]


def test_flags_follow_the_roadmap(examples: PromiseReport) -> None:
    assert rows_of(examples, "anomaly-detection") == [("Q-2026-0142", "2027-01-31", ("late",))]
    assert rows_of(examples, "eu-data-residency") == [
        ("Q-2026-0213", "2027-03-31", ("late", "not-committable")),
        ("Q-2026-0223", "2027-06-30", ("at-risk", "not-committable")),  # due on the target
    ]
    assert rows_of(examples, "legacy-reports-api") == [
        ("Q-2026-0161", "2027-01-01", ("end-of-life",)),  # EOL 2027-06-30, contract to 2029
        ("Q-2026-0213", "2027-01-01", ("end-of-life",)),
    ]
    assert rows_of(examples, "ftp-connector") == [
        ("Q-2026-0184", "2027-01-01", ("end-of-life", "not-committable"))
    ]
    assert rows_of(examples, "sharepoint-sync") == [("Q-2026-0180", "2027-03-01", ("unknown",))]
    # 91 days after the target: on track with the default margin of 30 days
    assert rows_of(examples, "sovereign-eu-cloud") == [("Q-2026-0196", "2027-06-30", ())]
    assert examples.flag_counts() == {
        "late": 4, "overdue": 0, "at-risk": 1, "end-of-life": 4, "not-committable": 6,
        "unknown": 1,
    }  # fmt: skip


def test_a_wider_margin_puts_a_promise_at_risk(engine: Engine) -> None:
    assert rows_of(register(engine, at_risk_days=91), "sovereign-eu-cloud")[0][2] == ("at-risk",)
    assert rows_of(register(engine, at_risk_days=90), "sovereign-eu-cloud")[0][2] == ()


def test_a_promise_past_its_due_date_on_an_unbuilt_feature_is_overdue(engine: Engine) -> None:
    late = Engine(engine.catalog, date(2027, 2, 1))
    assert rows_of(register(late), "anomaly-detection")[0][2] == ("late", "overdue")


def test_a_redline_promise_carries_its_author(examples: PromiseReport) -> None:
    (line,) = [f for f in examples.features if f.feature == "eu-data-residency"]
    osprey = line.rows[1].promise
    assert (osprey.deal.customer, osprey.source, osprey.clause) == (
        "Osprey Biotech Ltd", "clause", "1.2",
    )  # fmt: skip
    assert osprey.inserted_by == "Casey Counsel (Customer)"
    assert osprey.revised_on == "2026-11-03"
    assert "inserted by Casey Counsel (Customer) in a redline on 2026-11-03" in render_text(
        examples
    )
    data = json.loads(render_json(examples))
    (eu,) = [f for f in data["features"] if f["feature"] == "eu-data-residency"]
    assert eu["promises"][1]["revision"] == {
        "kind": "inserted", "author": "Casey Counsel (Customer)", "date": "2026-11-03",
    }  # fmt: skip
    assert eu["promises"][0]["revision"] is None  # Fjordline's clause was not redlined


def test_values_are_exact_in_the_base_currency_each_deal_once(examples: PromiseReport) -> None:
    (line,) = [f for f in examples.features if f.feature == "eu-data-residency"]
    fjordline, osprey = (r.promise.deal for r in line.rows)
    # EUR 168,912.00 at 0.92 EUR per USD; GBP 27,018.00 at 0.79 GBP per USD
    assert fjordline.value == Decimal("168912.000000") / Decimal("0.92")
    assert fjordline.value == Decimal("183600")
    assert fjordline.annual == fjordline.value * 12 / 24
    assert osprey.value == Decimal("34200")
    assert line.value.total == Decimal("217800") and line.value.deals == 2
    # Fjordline promises seven features; its value counts once in the total
    fjord = [r for r in examples.rows if r.promise.deal.id == "Q-2026-0213"]
    assert len(fjord) == 7
    assert examples.value.deals == 15 and examples.value.unvalued == 0


def test_stages_filter_signed_obligations(engine: Engine) -> None:
    signed = register(engine, stages=["signed"])
    assert signed.stages == ("signed",)
    assert {r.promise.deal.id for r in signed.rows} == {"Q-2026-0161", "Q-2026-0117", "Q-2026-0219"}
    assert signed.deals_skipped == 31
    assert {r.promise.deal.owner for r in signed.rows} == {
        "Priya Natarajan", "Marcus Okafor", "Eleanor Vance",
    }  # fmt: skip
    # stage defaults to open
    assert {r.promise.deal.stage for r in register(engine).rows} == {"draft", "open", "signed"}


# -- the what-if move --------------------------------------------------------------------------

MOVES = {"sovereign-eu-cloud": "2027-09-30", "eu-data-residency": "2027-Q4"}


def test_a_move_gives_exactly_the_promises_it_makes_late(engine: Engine) -> None:
    moves = parse_moves([f"{k}={v}" for k, v in MOVES.items()], engine.catalog)
    assert moves == {
        "sovereign-eu-cloud": date(2027, 9, 30),
        "eu-data-residency": date(2027, 12, 31),
    }
    report = register(engine, moves=moves)
    made_late = [(r.promise.feature, r.promise.deal.id) for r in report.made_late]
    # Polder Health's due 2027-06-30 against 2027-09-30; Osprey's 2027-06-30 against
    # 2027-12-31. Fjordline's EU promise (2027-03-31) was late already: not "made late".
    assert made_late == [
        ("sovereign-eu-cloud", "Q-2026-0196"),
        ("eu-data-residency", "Q-2026-0223"),
    ]
    assert report.move_value.total == Decimal("517500") + Decimal("34200")
    assert [(m.feature, m.before, m.after) for m in report.moves] == [
        ("eu-data-residency", date(2027, 6, 30), date(2027, 12, 31)),
        ("sovereign-eu-cloud", date(2027, 3, 31), date(2027, 9, 30)),
    ]
    text = render_text(report)
    assert "what if: sovereign-eu-cloud target 2027-03-31 → 2027-09-30" in text
    assert "the move makes 2 promises late: value at risk 551,700.00 USD" in text
    # a move to an earlier target un-lates a promise
    earlier = register(engine, moves=parse_moves(["anomaly-detection=2027-01-31"], engine.catalog))
    (row,) = [r for r in earlier.rows if r.promise.feature == "anomaly-detection"]
    assert row.no_longer_late and not row.made_late and "late" not in row.flags


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("eu-data-residency", "expected FEATURE=DATE"),
        ("eu-data-residencey=2027-Q4", "unknown feature 'eu-data-residencey' (did you mean eu-data-residency?)"),
        ("eu-data-residency=2027-13-01", "'2027-13-01' is not a date"),
        ("eu-data-residency=soon", "'soon' is not a date"),
    ],
)  # fmt: skip
def test_a_bad_move_is_one_clear_error(engine: Engine, value: str, message: str) -> None:
    with pytest.raises(PromiseError) as err:
        parse_moves([value], engine.catalog)
    assert message in err.value.message


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_impact_of_the_same_change_as_a_commit_agrees_with_the_move(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dealcheck.report.impact import render_json as impact_json
    from dealcheck.report.impact import render_markdown as impact_markdown
    from dealcheck.report.impact import render_text as impact_text
    from dealcheck.views.impact import run_impact

    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for name in ("products", "rules"):
        shutil.copytree(REPO / name, root / name)
    shutil.copytree(REPO / "examples/deals", root / "deals")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    for path, old, new in (
        ("products/acme-vault.yaml", "    target: 2027-Q1\n", "    target: 2027-09-30\n"),
        ("products/acme-analytics.yaml", "    target: 2027-Q2\n", "    target: 2027-Q4\n"),
    ):
        text = (root / path).read_text(encoding="utf-8")
        assert text.count(old) >= 1
        # only the features of MOVES: check which feature each replaced target belongs to
        (root / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.chdir(root)
    impact = run_impact("HEAD", ["deals"], CATALOG, TODAY)
    changed = sorted(c.ident for c in impact.catalog_changes)
    assert changed == sorted(MOVES)

    moves = parse_moves([f"{k}={v}" for k, v in MOVES.items()], engine.catalog)
    what_if = run_promises(engine, ["deals"], moves=moves)
    promised = sorted(
        (r.promise.feature, r.promise.deal.id, r.promise.due) for r in what_if.made_late
    )
    committed = sorted(
        (lp.promise.feature, lp.promise.deal.id, lp.promise.due) for lp in impact.late_promises
    )
    assert committed == promised and len(promised) == 2
    assert impact.late_value == what_if.move_value
    assert impact.late_value.total == Decimal("551700")
    assert {lp.promise.deal.owner for lp in impact.late_promises} == {
        "Sanne de Vries",
        "Eleanor Vance",
    }

    text = impact_text(impact)
    assert (
        "Promises made late by the roadmap change (2): value at risk 551,700.00 USD "
        "(206,700.00 USD a year) in 2 deals" in text
    )
    assert (
        "sovereign-eu-cloud due 2027-06-30 (target 2027-03-31 → 2027-09-30): Polder Health "
        "B.V. · Q-2026-0196 (open, owner Sanne de Vries) · 517,500.00 USD" in text
    )
    data = json.loads(impact_json(impact))["late_promises"]
    assert data["value_at_risk"] == {
        "total": "551700.00",
        "annual": "206700.00",
        "deals": 2,
        "unvalued_deals": 0,
    }
    assert [(p["deal"], p["owner"]) for p in data["promises"]] == [
        ("Q-2026-0223", "Eleanor Vance"), ("Q-2026-0196", "Sanne de Vries"),
    ]  # fmt: skip
    assert "| `eu-data-residency` | 2027-06-30 |" in impact_markdown(impact)


# -- renderers ---------------------------------------------------------------------------------


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
    assert path.exists(), f"{path} is missing: run DEALCHECK_REGEN_GOLDEN=1 pytest {__file__}"
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, (
        f"{name} differs from its golden file; if intended, regenerate with "
        "DEALCHECK_REGEN_GOLDEN=1 pytest tests/test_promises.py and review the diff"
    )


SUFFIX = {"text": "txt", "json": "json", "markdown": "md", "csv": "csv", "html": "html"}


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_every_format_matches_its_golden_file(engine: Engine, fmt: str) -> None:
    moves = parse_moves(["eu-data-residency=2027-Q4"], engine.catalog)
    plain, moved = register(engine), register(engine, moves=moves)
    render = RENDERERS[fmt]
    assert render(plain) == render(register(engine))  # deterministic
    golden(f"examples.{SUFFIX[fmt]}", render(plain))
    golden(f"examples-move.{SUFFIX[fmt]}", render(moved))


def test_the_json_register_is_stable(examples: PromiseReport) -> None:
    data = json.loads(render_json(examples))
    assert data["schema_version"] == 1 and data["report"] == "promises"
    assert list(data) == [
        "schema_version", "report", "dealcheck_version", "today", "catalog", "currency",
        "at_risk_days", "stages", "moves", "features", "totals", "unreadable",
    ]  # fmt: skip
    totals = data["totals"]
    assert totals["value"] == {
        "total": "2824860.00",
        "annual": "1279610.00",
        "deals": 15,
        "unvalued_deals": 0,
    }
    assert totals["by_stage"]["signed"]["promises"] == 5
    # every feature key documented in docs/promises.md
    doc = (REPO / "docs/promises.md").read_text(encoding="utf-8")
    keys = set(data) | set(data["features"][0]) | set(data["features"][0]["promises"][0])
    keys |= set(data["features"][0]["promises"][0]["deal"]) | set(totals)
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert missing == []


def test_json_and_csv_stream_exactly_what_the_whole_renderers_write(
    examples: PromiseReport, engine: Engine, tmp_path: Path
) -> None:
    from dealcheck.report.promises import STREAMS, to_dict
    from dealcheck.report.sanitize import json_text

    empty = register(engine, stages=["signed"], features=["event-streaming"])
    assert empty.features == []
    for report in (examples, empty):
        whole = json_text(json.dumps(plain(to_dict(report)), indent=2, ensure_ascii=False)) + "\n"
        assert "".join(STREAMS["json"](report)) == whole
        assert json.loads(whole)["features"] == [] or report is examples
    assert "".join(STREAMS["csv"](examples)) == render_csv(examples)
    assert "".join(STREAMS["text"](examples)) == render_text(examples)


def test_the_html_page_is_self_contained(examples: PromiseReport) -> None:
    html = RENDERERS["html"](examples)
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "https://" not in html and "url(" not in html and "@import" not in html
    assert html.count("<svg") == len(examples.features)


# -- hostile input -----------------------------------------------------------------------------

HOSTILE_DEAL = """\
kind: Deal
id: Q-1
customer: {{name: "{name}", country: US}}
owner: "{owner}"
stage: signed
currency: USD
start_date: 2027-01-01
term_months: 12
lines: [{{sku: AA-ENT-USER-Y, quantity: 10, discount: 0.1}}]
commitments: [{{feature: sso-saml}}]
"""


def test_csv_cells_cannot_run_formulas(engine: Engine, tmp_path: Path) -> None:
    deal = tmp_path / "deal.yaml"
    deal.write_text(
        HOSTILE_DEAL.format(name='=HYPERLINK(\\"http://evil\\")', owner="+1 555 0100"),
        encoding="utf-8",
    )
    report = run_promises(engine, [str(deal)])
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert rows[0]["customer"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["owner"] == "'+1 555 0100"
    assert rows[0]["value"] == "5400.00"  # numbers stay numbers
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx"):
        assert csv_cell(value).startswith("'")
    assert csv_cell("Acme") == "Acme" and csv_cell(None) == "" and csv_cell(True) == "true"


def test_hostile_text_stays_on_its_line(engine: Engine, tmp_path: Path) -> None:
    deal = tmp_path / "deal.yaml"
    name = "x\\n::error file=a::pwned \\u001b[31m <b>b</b> [l](http://evil) | @team"
    deal.write_text(HOSTILE_DEAL.format(name=name, owner="o\\u2028wner"), encoding="utf-8")
    report = run_promises(engine, [str(deal)])
    for fmt, render in RENDERERS.items():
        out = render(report)
        assert "\x1b" not in out and "\u2028" not in out, fmt
        assert not any(line.lstrip().startswith("::") for line in out.splitlines()), fmt
    assert "<b>" not in RENDERERS["html"](report)
    md = RENDERERS["markdown"](report)
    assert "\\<b\\>" in md and "\\[l\\]" in md and "@\u200dteam" in md


# -- the command -------------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("DEALCHECK_CATALOG", raising=False)
    return CliRunner()


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["promises", *args, "--today", "2026-11-22"])


def test_cli_writes_the_register(cli: CliRunner, tmp_path: Path) -> None:
    result = run(cli, "examples/deals", "--stage", "signed", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stages"] == ["signed"] and data["totals"]["promises"] == 5
    out = tmp_path / "promises.csv"
    result = run(cli, "examples/deals", "-f", "csv", "-o", str(out))
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("feature,feature_name,")
    assert (
        "dealcheck: 36 promises to 27 features in 15 deals; value at risk 1,542,900.00 USD (exit 0)"
        in result.stderr
    )
    assert run(cli, "examples/deals", "-f", "csv", "-o", str(out), "-q").stderr == ""


def test_cli_help_has_an_example(cli: CliRunner) -> None:
    result = cli.invoke(app, ["promises", "--help"])
    assert result.exit_code == 0
    assert "Example: dealcheck promises examples/deals" in result.stdout
    assert "promises" in cli.invoke(app, ["--help"]).stdout


def test_cli_exits_2_on_an_unreadable_deal_and_still_reports_the_rest(
    cli: CliRunner, tmp_path: Path
) -> None:
    shutil.copy(REPO / "examples/deals/polder-health.yaml", tmp_path / "polder.yaml")
    (tmp_path / "broken.yaml").write_text("kind: Deal\nid: Q-9\ncustomer: [\n", encoding="utf-8")
    result = run(cli, str(tmp_path))
    assert result.exit_code == 2
    assert "broken.yaml:4:1: error:" in result.stderr or "broken.yaml:" in result.stderr
    assert "Traceback" not in result.output
    assert "Polder Health B.V." in result.stdout
    assert "Deals that could not be read (1)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--move", "nope=2027-Q4"], "--move: unknown feature 'nope'"),
        (["--move", "eu-data-residency=later"], "'later' is not a date"),
        (["--feature", "sso-saml2"], "--feature: unknown feature 'sso-saml2' (did you mean sso-saml?)"),
        (["--at-risk-days", "-1"], "--at-risk-days: must be 0 or more"),
        (["--stage", "won"], "Invalid value for '--stage'"),
    ],
)  # fmt: skip
def test_cli_bad_options_exit_2(cli: CliRunner, args: list[str], message: str) -> None:
    result = run(cli, "examples/deals", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_an_empty_folder_is_an_error(cli: CliRunner, tmp_path: Path) -> None:
    result = run(cli, str(tmp_path))
    assert result.exit_code == 2 and "no deals found" in result.stderr
    result = run(cli, str(tmp_path / "missing"))
    assert result.exit_code == 2 and "no such file or directory" in result.stderr


def test_cli_feature_filter(cli: CliRunner) -> None:
    result = run(cli, "examples/deals", "--feature", "eu-data-residency", "-f", "json")
    data = json.loads(result.stdout)
    assert [f["feature"] for f in data["features"]] == ["eu-data-residency"]


def test_no_view_imports_its_renderers() -> None:
    """The views never import their renderers (no import circle): the CLI does."""
    code = (
        "import json, sys, dealcheck.views.impact, dealcheck.views.promises; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('dealcheck.'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout
    loaded = json.loads(out)
    assert "dealcheck.views.impact" in loaded
    assert not [m for m in loaded if m in ("dealcheck.report.impact", "dealcheck.report.promises")]
