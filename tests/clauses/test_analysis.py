"""Commitment detection, decisions, due-date association and uptimes for one clause."""

from __future__ import annotations

import importlib.util
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dealcheck.clauses import (
    MAX_CLAUSE_CHARS,
    Clause,
    ClauseAnalysis,
    FeatureMatcher,
    FeatureTerm,
    analyse_clause,
    read_clause_file,
)
from dealcheck.errors import Location

START = date(2027, 1, 1)
MATCHER = FeatureMatcher(
    [
        FeatureTerm("eu-data-residency", "EU data residency", ("EU hosting",)),
        FeatureTerm("sso-saml", "SAML single sign-on", ("SSO", "single sign-on")),
        FeatureTerm("scim", "SCIM provisioning", ("SCIM",)),
        FeatureTerm("ai-assistant", "AI assistant", ()),
        FeatureTerm("offline-mode", "offline mode", ()),
        FeatureTerm("audit-log", "audit log", ()),
        FeatureTerm("legacy-api", "legacy reports API", ()),
        FeatureTerm("mobile-app", "mobile app", ()),
    ]
)


def analyse(text: str, fmt: str = "dmy") -> ClauseAnalysis:
    clause = Clause("7.2", text, Location("deal.yaml", 12, 5))
    return analyse_clause(clause, MATCHER, START, "mdy" if fmt == "mdy" else "dmy")


def committed(text: str) -> dict[str, date]:
    return {c.feature: c.due for c in analyse(text).commitments}


def test_the_example_from_the_spec() -> None:
    text = (
        "Provider shall make EU data residency available to Customer no later than 31 March 2027."
    )
    result = analyse(text)
    [commitment] = result.commitments
    assert commitment.feature == "eu-data-residency"
    assert commitment.due == date(2027, 3, 31)
    assert commitment.due_text == "31 March 2027"
    assert commitment.evidence == "shall make … available"
    assert commitment.text == "EU data residency"
    assert text[commitment.span[0] : commitment.span[1]] == "EU data residency"
    [decision] = result.decisions
    assert decision.committed
    assert decision.reason == "committed by 'shall make … available'"
    assert result.clause.id == "7.2"


@pytest.mark.parametrize(
    "text",
    [
        "Provider shall provide SSO.",
        "Provider will deliver SSO.",
        "Provider will provide SSO.",
        "Provider agrees to make SSO available.",
        "Provider agrees to provide SSO.",
        "Provider commits to SSO for all users.",
        "Provider guarantees that SSO will be available.",
        "Provider undertakes to deliver SSO.",
        "SSO shall be made available to Customer.",
        "SSO will be available by Q2 2027.",
        "Provider shall support SSO.",
        "The Subscription includes SSO.",
        "Customer shall have access to SSO.",
        "Provider shall, at no additional charge, provide Customer with SSO.",
        "Provider shall not discontinue SSO during the Term.",
        "Provider shall:\n(a) provide SSO;\n(b) provide SCIM.",
    ],
)
def test_commitment_language(text: str) -> None:
    assert "sso-saml" in committed(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Provider is not obligated to provide SSO.", "not obligated"),
        ("Provider shall not be obligated to provide SSO.", "not be obligated"),
        ("Nothing in this Agreement commits Provider to deliver SSO.", "Nothing in this"),
        ("Provider will provide SSO if and when generally available.", "if and when"),
        ("Provider will provide SSO when and if it is released.", "when and if"),
        ("Provider will provide SSO at Provider's sole discretion.", "sole discretion"),
        ("Provider may, but need not, provide SSO.", "need not"),
        ("Provider may provide SSO.", "may"),
        ("Provider intends to provide SSO.", "intends to"),
        ("Provider plans to provide SSO.", "plans to"),
        ("Provider aims to provide SSO.", "aims to"),
        ("Provider will use reasonable efforts to consider SSO.", "will consider"),
        ("Provider will provide SSO, subject to availability.", "subject to availability"),
        ("Provider does not guarantee that SSO will be available.", "does not guarantee"),
        ("There is no commitment to provide SSO.", "no commitment"),
        ("The description of SSO is for information only.", "for information only"),
        ("Provider shall not provide SSO.", "shall not"),
        ("Customer shall configure SSO.", "Customer shall"),
        ("Customer will enable SSO.", "Customer will"),
        ("Customer is responsible for SSO.", "Customer is responsible for"),
        ("Each party shall review the SSO rollout.", "Each party shall"),
        ("Provider shall invoice SSO annually.", "shall invoice"),
        ("Requests about SSO shall be submitted to support.", "shall be submitted"),
        ("Provider shall provide a summary of SSO adoption.", "shall provide … of"),
        ("Provider shall deliver offline mode documentation.", "offline mode documentation"),
        ("Provider shall deliver the mobile app roadmap by Q2 2027.", "mobile app roadmap"),
        ("Provider shall provide SSO's SAML metadata.", "SSO's SAML metadata"),
        ("Provider shall deliver a presentation covering SSO.", "shall deliver … covering"),
        ("Provider shall give notice before removing SSO.", "shall give … before"),
        ("Provider may not remove SSO without notice.", "may not"),
        ("Provider shall provide all features except SSO.", "except"),
    ],
)
def test_no_commitment_and_the_words_that_decided(text: str, words: str) -> None:
    result = analyse(text)
    assert result.commitments == ()
    [decision] = result.decisions
    assert not decision.committed
    assert decision.words is not None
    assert decision.words.lower() == words.lower()
    assert words.lower() in decision.reason.lower()


def test_no_commitment_language_at_all() -> None:
    [decision] = analyse("SSO uses SAML 2.0.").decisions
    assert (decision.committed, decision.reason, decision.words) == (
        False,
        "no commitment language",
        None,
    )


def test_a_disclaimer_anywhere_in_the_sentence_wins() -> None:
    text = "Provider will deliver SCIM by Q2 2027 and the AI assistant if and when available."
    assert committed(text) == {}


def test_sentences_and_semicolons_are_judged_separately() -> None:
    text = (
        "Provider shall provide SSO from the Effective Date; Provider is not obligated to provide "
        "SCIM. Provider may provide the AI assistant. Provider will deliver offline mode by Q3 2027."
    )
    assert committed(text) == {"sso-saml": START, "offline-mode": date(2027, 9, 30)}


def test_a_clause_level_disclaimer_covers_every_sentence() -> None:
    text = "Roadmap items are not commitments. Provider will deliver offline mode by Q3 2027."
    result = analyse(text)
    assert result.commitments == ()
    assert result.decisions[0].reason == "disclaimed for the whole clause by 'not commitments'"


def test_customer_obligations_do_not_hide_provider_commitments() -> None:
    text = (
        "Provider shall deliver the audit log by 31 May 2027 and Customer shall review the audit "
        "log monthly."
    )
    result = analyse(text)
    assert [d.committed for d in result.decisions] == [True, False]
    assert committed(text) == {"audit-log": date(2027, 5, 31)}


def test_each_commitment_takes_the_nearest_date_of_its_own_predicate() -> None:
    assert committed(
        "Provider shall deliver the AI assistant by 31 March 2027 and offline mode by 30 "
        "September 2027."
    ) == {"ai-assistant": date(2027, 3, 31), "offline-mode": date(2027, 9, 30)}
    assert committed("By 30 June 2027, Provider shall provide SSO and SCIM.") == {
        "sso-saml": date(2027, 6, 30),
        "scim": date(2027, 6, 30),
    }
    assert committed(
        "Provider shall make the mobile app available on 1 June 2027, and Customer shall roll "
        "out the mobile app by 1 September 2027."
    ) == {"mobile-app": date(2027, 6, 1)}
    assert committed(
        "Provider shall deliver the following by 30 April 2027: SSO, SCIM and offline mode."
    ) == {
        "sso-saml": date(2027, 4, 30),
        "scim": date(2027, 4, 30),
        "offline-mode": date(2027, 4, 30),
    }


def test_no_date_means_due_at_start_and_until_is_no_due_date() -> None:
    [commitment] = analyse("Provider shall provide SSO.").commitments
    assert (commitment.due, commitment.due_text) == (START, None)
    [commitment] = analyse(
        "Provider shall provide the legacy reports API until 31 Dec 2028."
    ).commitments
    assert (commitment.due, commitment.due_text) == (START, None)


def test_relative_and_mdy_dates() -> None:
    assert committed(
        "Provider will deliver SCIM within ninety (90) days of the Effective Date."
    ) == {"scim": date(2027, 4, 1)}
    assert committed("Vendor will deliver SCIM by 4/15/2027.") == {"scim": date(2027, 4, 15)}
    result = analyse("Vendor will deliver SCIM by 03/04/2027.", "mdy")
    assert result.commitments[0].due == date(2027, 3, 4)


def test_the_earliest_dated_commitment_to_a_feature_is_reported() -> None:
    text = (
        "Provider will support SCIM for Okta by 28 February 2027 and for Entra ID by 31 May 2027."
    )
    [commitment] = analyse(text).commitments
    assert commitment.due == date(2027, 2, 28)


def test_uptimes_in_a_clause() -> None:
    result = analyse("Provider guarantees 99.95% monthly uptime and a 20% discount.")
    assert [u.value for u in result.uptimes] == [Decimal("99.95")]
    assert analyse("Availability of 99.99% is not guaranteed.").uptimes == ()


def test_clause_without_features() -> None:
    result = analyse("This Agreement is governed by the laws of England.")
    assert (result.mentions, result.commitments, result.decisions, result.uptimes) == (
        (),
        (),
        (),
        (),
    )


def test_decisions_explain_mentions_one_to_one() -> None:
    result = analyse("Provider shall provide SSO. Customer shall configure SSO and SCIM.")
    assert len(result.decisions) == len(result.mentions) == 3
    assert [d.feature for d in result.decisions] == [m.feature for m in result.mentions]


def test_a_long_clause_of_a_contract_file_is_analysed_to_its_end(tmp_path: Path) -> None:
    # 150,000 characters: a contract file may hold it, so its last sentence counts (the
    # analysis once stopped at 100,000 characters and missed this promise without a word)
    filler = "Lorem ipsum dolor sit amet. " * 5_400
    contract = tmp_path / "contract.txt"
    contract.write_text(
        f"7.2 Services. {filler}Provider shall provide SSO by 31 March 2027.\n", "utf-8"
    )
    [clause] = read_clause_file(contract, "contract.txt")
    assert 100_000 < len(clause.text) <= MAX_CLAUSE_CHARS
    [commitment] = analyse_clause(clause, MATCHER, START).commitments
    assert (commitment.feature, commitment.due) == ("sso-saml", date(2027, 3, 31))


def test_analysis_reads_no_further_than_the_longest_clause_a_contract_may_hold() -> None:
    filler = "Lorem ipsum dolor sit amet. " * (MAX_CLAUSE_CHARS // 28 + 10)
    result = analyse(filler + "Provider shall provide SSO.")
    assert result.mentions == ()


HOSTILE = {
    "one long word": "a" * 100_000,
    "modals": ("shall " * 20_000)[:100_000],
    "parentheses": ("(" * 50_000) + (")" * 50_000),
    "disclaimers": ("if and when " * 9_000)[:100_000],
    "slashes": ("1/" * 50_000)[:100_000],
    "number words": ("within " + "ninety " * 14_000)[:100_000],
    "prepositions": ("Provider shall provide SSO " + "of the " * 15_000)[:100_000],
    "asides": (", as " + "x" * 200) * 400,
    "dots": ("e.g. " * 20_000)[:100_000],
    "mentions": ("SSO and " * 12_000)[:100_000],
    "full stops": "." * 100_000,
    "exclamations": "!" * 99_999 + "x",
    "semicolons": ("SSO; " * 20_000)[:100_000],
    "list items": ("\n(a) SSO" * 12_000)[:100_000],
}
#: Linear analysis of 100,000 characters takes about a second; a quadratic regex takes minutes.
HOSTILE_SECONDS = 20


@pytest.mark.parametrize("hostile", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_finishes(hostile: str) -> None:
    started = time.perf_counter()
    analyse(hostile)
    assert time.perf_counter() - started < HOSTILE_SECONDS


def test_the_example_contract_script(tmp_path: Path) -> None:
    script = Path(__file__).parents[2] / "scripts" / "make_docx_contract.py"
    spec = importlib.util.spec_from_file_location("make_docx_contract", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    output = tmp_path / "out" / "contract.docx"
    assert module.main([str(output)]) == 0
    clauses = read_clause_file(output, "contract.docx")
    by_id = {c.id: c for c in clauses}
    assert "3.1" in by_id
    [commitment] = analyse_clause(by_id["3.1"], MATCHER, START).commitments
    assert (commitment.feature, commitment.due) == ("eu-data-residency", date(2027, 3, 31))
    assert analyse_clause(by_id["3.3"], MATCHER, START).commitments == ()
    assert module.main([]) == 2
