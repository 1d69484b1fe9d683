"""JUnit XML of ``check`` and ``validate`` results, for CI test-report views.

The output validates against the JUnit schema that Jenkins' xUnit plugin checks every report
against before reading it (``junit-10.xsd``; a copy is in ``tests/report/schemas/``): a report
that fails is skipped whole. That schema has no ``file`` or ``line`` on ``<testcase>`` and no
``skipped`` on ``<testsuites>``, so none are written: a deal's or catalog file's path is a
``<property>`` of its suite, and each finding's or problem's ``file:line:column`` is in the
text of its ``<failure>``, ``<error>`` or ``<system-out>``.

``check``: a ``<testsuite>`` per deal and a ``<testcase>`` per check or rule that ran
(``name`` the rule id). A rule fails when it has an open finding at or above ``--fail-on``
(by default: blocker and approval, whatever makes the verdict other than pass); findings
below it, approved or waived go to ``<system-out>``. A deal that could not be read is a
suite whose one test case, ``load``, has an ``<error>``.

``validate``: a ``<testsuite>`` per file, with one ``valid`` test case: errors fail it,
unreadable input is an ``<error>``, warnings go to ``<system-out>``.

Class names. Jenkins splits ``classname`` at its last ``.`` into a package and a class, so a
file name like ``products/acme-analytics.yaml`` would show as class ``yaml``. The class name
is therefore a fixed package, ``dealcheck.check`` or ``dealcheck.validate``, then the deal id
(``check``; the file path for a deal that could not be read) or the file path (``validate``),
in which every ``.`` is replaced by ``_``. So ``dealcheck.check.Q-2026-0142`` shows as class
``Q-2026-0142`` in package ``dealcheck.check``, and
``dealcheck.validate.products/acme-analytics_yaml`` as class ``products/acme-analytics_yaml``
in package ``dealcheck.validate``. Suite names keep the deal id or path unchanged.

Text from the input goes through :func:`dealcheck.report.sanitize.one_line` (attributes:
names, class names, messages, property values) or :func:`~dealcheck.report.sanitize.safe_text`
(element text), then anything else XML 1.0 cannot carry (U+FFFE, U+FFFF) is replaced by
U+FFFD. The XML is built with :mod:`xml.etree.ElementTree`, which escapes every value.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dealcheck.errors import Problem
from dealcheck.findings import SEVERITY_RANK, DealResult, Finding
from dealcheck.report.results import CheckReport
from dealcheck.report.sanitize import one_line, safe_text

if TYPE_CHECKING:
    from dealcheck.validate import ValidationReport

DEFAULT_FAIL_ON = "approval"  # the verdict is not pass: blocker or approval
CHECK_PACKAGE = "dealcheck.check"
VALIDATE_PACKAGE = "dealcheck.validate"
# What XML 1.0 cannot carry at all; of it, ``safe_text`` leaves U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: CheckReport) -> str:
    """JUnit XML of a ``check`` run."""
    limit = SEVERITY_RANK[report.fail_on or DEFAULT_FAIL_ON]
    root = ET.Element("testsuites", name="dealcheck check")
    for deal in report.deals:
        suite = (
            _failed_deal_suite(deal)
            if deal.error is not None
            else _deal_suite(deal, _rule_ids(report, deal), limit, report)
        )
        root.append(suite)
    return _serialize(root)


def render_validation(report: ValidationReport) -> str:
    """JUnit XML of a ``validate`` run."""
    root = ET.Element("testsuites", name="dealcheck validate")
    by_file: dict[str, list[Problem]] = {f: [] for f in report.files}
    for p in report.problems:
        by_file.setdefault(p.location.file, []).append(p)
    for file, problems in by_file.items():
        suite = _suite(file, {"file": file})
        case = _case(suite, classname(VALIDATE_PACKAGE, file), "valid")
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            unreadable = any(p.code == "unreadable" for p in errors)
            first = errors[0]
            message = first.message if len(errors) == 1 else f"{len(errors)} errors; first: {first}"
            _outcome(case, "error" if unreadable else "failure", message, first.code, errors)
        warnings = [p for p in problems if p.severity != "error"]
        if warnings:
            _text(case, "system-out", "\n".join(str(p) for p in warnings))
        _count_suite(suite)
        root.append(suite)
    return _serialize(root)


def classname(package: str, subject: str) -> str:
    """``package.subject`` with every ``.`` of ``subject`` replaced, on one line.

    Jenkins takes the text after the last ``.`` as the class: here, the whole subject.
    """
    return f"{package}.{one_line(subject).replace('.', '_') or '_'}"


def _rule_ids(report: CheckReport, deal: DealResult) -> list[str]:
    """Every check and rule that ran, then any rule a finding names that the report lacks."""
    ids = list(report.rules)
    ids.extend(dict.fromkeys(f.rule for f in deal.findings if f.rule not in report.rules))
    return ids


def _deal_suite(
    deal: DealResult, rule_ids: list[str], limit: int, report: CheckReport
) -> ET.Element:
    suite = _suite(
        deal.deal_id,
        {
            "file": deal.file,
            "customer": deal.customer or "",
            "verdict": deal.verdict,
            "approvals_required": ", ".join(deal.approvals_required),
            "today": report.today.isoformat(),
            "catalog_fingerprint": report.catalog_fingerprint,
        },
    )
    for rule_id in rule_ids:
        findings = [f for f in deal.findings if f.rule == rule_id]
        failing = [f for f in findings if _fails(f, limit)]
        others = [f for f in findings if not _fails(f, limit)]
        case = _case(suite, classname(CHECK_PACKAGE, deal.deal_id), rule_id)
        if failing:
            worst = min(failing, key=lambda f: SEVERITY_RANK.get(f.severity, 9))
            message = "; ".join(f.message for f in failing)
            _outcome(case, "failure", message, worst.severity, failing)
        if others:
            _text(case, "system-out", "\n\n".join(_finding_text(f) for f in others))
    _count_suite(suite)
    return suite


def _fails(f: Finding, limit: int) -> bool:
    return f.is_open and SEVERITY_RANK.get(f.severity, 9) <= limit


def _failed_deal_suite(deal: DealResult) -> ET.Element:
    name = deal.deal_id or deal.file
    suite = _suite(name, {"file": deal.file, "verdict": deal.verdict})
    case = _case(suite, classname(CHECK_PACKAGE, name), "load")
    assert deal.error is not None
    problems = list(deal.problems) or [deal.error]
    _outcome(case, "error", deal.error.message, deal.error.code, problems)
    _count_suite(suite)
    return suite


def _suite(name: str, properties: dict[str, str]) -> ET.Element:
    suite = ET.Element("testsuite", name=_attr(name))
    props = ET.SubElement(suite, "properties")
    for key, value in properties.items():
        ET.SubElement(props, "property", name=key, value=_attr(value))
    return suite


def _case(suite: ET.Element, class_name: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=_attr(class_name), name=_attr(name), time="0")


def _outcome(
    case: ET.Element, tag: str, message: str, kind: str, items: Iterable[Finding | Problem]
) -> None:
    element = ET.SubElement(case, tag, message=_attr(message), type=_attr(kind))
    element.text = _body(
        "\n\n".join(_finding_text(i) if isinstance(i, Finding) else str(i) for i in items)
    )


def _text(case: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(case, tag).text = _body(text)


def _finding_text(f: Finding) -> str:
    head = f"{f.severity} {f.rule} [{f.status}] at {f.location}"
    lines = [head, f.message]
    if f.approver:
        lines.append(f"approver: {f.approver}")
    if f.fix:
        lines.append(f"fix: {f.fix}")
    if f.status_note:
        lines.append(f"note: {f.status_note}")
    lines.append(f"fingerprint: {f.fingerprint}")
    return "\n".join(lines)


def _count_suite(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    suite.set("errors", str(sum(c.find("error") is not None for c in cases)))
    suite.set("skipped", "0")
    suite.set("time", "0")


def _serialize(root: ET.Element) -> str:
    suites = root.findall("testsuite")
    # The schema allows ``skipped`` on a suite but not on ``<testsuites>``.
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.set("time", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _attr(text: str) -> str:
    """An attribute value: one line, safe, and nothing XML 1.0 cannot hold."""
    return _NOT_XML.sub("\ufffd", one_line(text))


def _body(text: str) -> str:
    """Element text: safe (line breaks kept) and nothing XML 1.0 cannot hold."""
    return _NOT_XML.sub("\ufffd", safe_text(text))
