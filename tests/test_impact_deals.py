"""How ``dealcheck impact`` compares deals: a promise in a deal's contract file is judged
by both catalogs; a deal that cannot be read (or whose contract cannot) is listed with
every problem and not counted; and with ``--jobs``, deals compared in worker processes
give the report of one process, byte for byte in every format: the changed deals in
input order, the late promises each numbered by its deal's place among the deals
checked, the deals each catalog change affected, and the unreadable deals."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcheck.cli import app
from dealcheck.contract import ContractOptions
from dealcheck.report.impact import RENDERERS
from dealcheck.views.impact import ImpactReport, run_impact

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 22)
CATALOG = [REPO / "products", REPO / "rules"]


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the base catalog, a folder of deals): the current catalog moves
    sovereign-eu-cloud's target later than the base did, and lowers a floor price,
    so some deals get worse, some better, and promises become late."""
    root = tmp_path_factory.mktemp("impact-jobs")
    base = root / "base"
    for name in ("products", "rules"):
        shutil.copytree(REPO / name, base / name)
    vault = base / "products/acme-vault.yaml"
    vault.write_text(
        vault.read_text(encoding="utf-8").replace("target: 2027-Q1", "target: 2026-12-31", 1),
        encoding="utf-8",
    )
    analytics = base / "products/acme-analytics.yaml"
    analytics.write_text(
        analytics.read_text(encoding="utf-8").replace("floor_price: 132.00", "floor_price: 150.00"),
        encoding="utf-8",
    )
    deals = root / "deals"
    deals.mkdir()
    for name in ("polder-health.yaml", "wallaby-logistics.yaml", "hanse-freight.yaml"):
        shutil.copy(REPO / "examples/deals" / name, deals / name)
    lines = []
    for n in range(700):  # several work units of 256
        if n % 97 == 5:
            lines.append("{not json")  # unreadable: not counted among the checked deals
            continue
        deal: dict[str, object] = {
            "kind": "Deal",
            "id": f"Q-J-{n:04d}",
            "customer": {"name": f"Customer {n}", "country": "NL" if n % 2 else "DE"},
            "currency": "EUR",
            "start_date": "2027-01-01",
            "term_months": 12 + n % 24,
            "lines": [{"sku": "AV-ENT-USER-Y", "quantity": 10 + n, "discount": n % 30 / 100}],
            "owner": f"Rep {n % 5}",
        }
        if n % 3 == 0:
            deal["commitments"] = [{"feature": "sovereign-eu-cloud", "due": "2027-02-15"}]
        lines.append(json.dumps(deal))
    (deals / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return base, deals


def _impact(change: tuple[Path, Path], jobs: int) -> ImpactReport:
    base, deals = change
    return run_impact(str(base), [str(deals)], CATALOG, TODAY, options=ContractOptions(), jobs=jobs)


def test_workers_give_the_report_of_one_process_in_every_format(
    change: tuple[Path, Path],
) -> None:
    one, two = _impact(change, 1), _impact(change, 2)
    # the change does what the test needs: worse and better deals, late promises, and
    # unreadable lines, across several work units
    assert one.worse and one.late_promises and len(one.unreadable) == 8
    assert one.summary() == two.summary()
    assert len({lp.promise.deal.seq for lp in one.late_promises}) > 100
    for name, render in RENDERERS.items():
        assert render(one) == render(two), name


def test_a_late_promise_is_numbered_by_its_deals_place_among_the_checked(
    change: tuple[Path, Path],
) -> None:
    one, two = _impact(change, 1), _impact(change, 2)

    def seqs(report: ImpactReport) -> dict[str, int]:
        return {lp.promise.deal.id: lp.promise.deal.seq for lp in report.late_promises}

    assert seqs(two) == seqs(one)
    # batch.jsonl is read first; of its lines before Q-J-0201, three are unreadable
    # (5, 102, 199): it is the 199th deal checked
    assert seqs(two)["Q-J-0000"] == 1
    assert seqs(two)["Q-J-0201"] == 201 - 3 + 1


def test_the_command_takes_jobs_and_refuses_zero(
    change: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, deals = change
    monkeypatch.chdir(REPO)
    runner = CliRunner()
    args = ["impact", "--base", str(base), "--deals", str(deals), "--today", "2026-11-22"]
    one = runner.invoke(app, [*args, "-f", "json", "--jobs", "1"])
    two = runner.invoke(app, [*args, "-f", "json", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 1, one.output
    assert one.stdout_bytes == two.stdout_bytes
    zero = runner.invoke(app, [*args, "--jobs", "0"])
    assert zero.exit_code == 2
    assert "--jobs: must be 1 or more" in zero.output


# -- contract files and unreadable deals ----------------------------------------------------

POLDER = (REPO / "examples/deals/polder-health.yaml").read_text(encoding="utf-8")


@pytest.fixture
def later(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[Path], Path]:
    """(the base catalog: the sample one; the current catalog, where sovereign-eu-cloud's
    target moves from 2027-Q1 to 2027-09-30; a folder for deals). The working directory
    is the current catalog's: the base is read at the same relative paths."""
    for side in ("base", "head"):
        for name in ("products", "rules"):
            shutil.copytree(REPO / name, tmp_path / side / name)
    vault = tmp_path / "head/products/acme-vault.yaml"
    text = vault.read_text(encoding="utf-8")
    vault.write_text(text.replace("target: 2027-Q1", "target: 2027-09-30", 1), encoding="utf-8")
    deals = tmp_path / "deals"
    deals.mkdir()
    monkeypatch.chdir(tmp_path / "head")
    return tmp_path / "base", [Path("products"), Path("rules")], deals


def _changes(report: ImpactReport) -> dict[str, dict[str, str]]:
    return {d.deal_id: {c.finding.rule: c.change for c in d.findings} for d in report.deals}


def test_a_promise_in_the_contract_file_is_judged_by_both_catalogs(
    later: tuple[Path, list[Path], Path],
) -> None:
    base, head, deals = later
    # Polder Health's promise, in a contract file instead of the deal's own YAML
    deal = POLDER.split("commitments:")[0] + "clauses_file: contract.md\n"
    (deals / "polder.yaml").write_text(deal, encoding="utf-8")
    (deals / "contract.md").write_text(
        "6.3 Provider shall make EU sovereign cloud hosting available to Customer no "
        "later than 30 June 2027.\n",
        encoding="utf-8",
    )
    report = run_impact(str(base), [str(deals)], head, TODAY, options=ContractOptions())
    # on or after the base's target (Product approves), before the current one (late)
    assert _changes(report) == {
        "Q-2026-0196": {"feature-late": "appeared", "feature-roadmap-commitment": "disappeared"}
    }
    assert [lp.promise.clause for lp in report.late_promises] == ["6.3"]


def test_unreadable_deals_are_listed_with_every_problem_and_not_counted(
    later: tuple[Path, list[Path], Path],
) -> None:
    base, head, deals = later
    (deals / "a-polder.yaml").write_text(POLDER, encoding="utf-8")
    # two problems in one deal: both are listed
    bad = POLDER.replace("term_months: 36", "term_months: -1").replace(
        "payment_terms_days: 30", "payment_terms_days: many"
    )
    (deals / "b-two-problems.yaml").write_text(bad, encoding="utf-8")
    # a contract file that cannot be read: the deal's clauses_file line
    (deals / "c-no-contract.yaml").write_text(
        POLDER + "clauses_file: nowhere.docx\n", encoding="utf-8"
    )
    report = run_impact(str(base), [str(deals)], head, TODAY, options=ContractOptions())
    assert report.checked == 1
    assert [d.deal_id for d in report.deals] == ["Q-2026-0196"]
    assert [lp.promise.deal.seq for lp in report.late_promises] == [1]
    where = [(Path(p.location.file).name, p.location.line) for p in report.unreadable]
    lines = bad.splitlines()
    assert where == [
        ("b-two-problems.yaml", lines.index("term_months: -1") + 1),
        ("b-two-problems.yaml", lines.index("payment_terms_days: many") + 1),
        ("c-no-contract.yaml", len(POLDER.splitlines()) + 1),
    ]
    assert "nowhere.docx" in report.unreadable[2].message
