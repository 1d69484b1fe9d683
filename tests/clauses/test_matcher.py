"""Feature mentions: whole words, hyphen/space/plural/possessive tolerance, longest match."""

from __future__ import annotations

import pytest

from dealcheck.clauses import FeatureMatcher, FeatureTerm, Mention
from dealcheck.clauses.matcher import normalize_word

FEATURES = [
    FeatureTerm("sso-saml", "SAML single sign-on", ("SSO", "single sign-on", "SAML SSO")),
    FeatureTerm("dashboards", "dashboards", ("custom dashboards",)),
    FeatureTerm("embedded", "embedded analytics", ("embedded dashboards",)),
    FeatureTerm("sandbox", "sandbox environment", ("sandbox",)),
    FeatureTerm("premium", "premium support", ("24/7 support",)),
    FeatureTerm("scim", "SCIM 2.0 provisioning", ("SCIM",)),
    FeatureTerm("white", "white-label branding", ()),
]
MATCHER = FeatureMatcher(FEATURES)


def found(text: str) -> list[tuple[str, str]]:
    return [(m.feature, m.text) for m in MATCHER.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Provider shall provide SSO.", [("sso-saml", "SSO")]),
        ("provide sso and Single-Sign-On", [("sso-saml", "sso"), ("sso-saml", "Single-Sign-On")]),
        ("single sign on", [("sso-saml", "single sign on")]),
        ("single sign-\non for all users", [("sso-saml", "single sign-\non")]),
        ("SAML single   sign-on", [("sso-saml", "SAML single   sign-on")]),
        ("the SSO's metadata", [("sso-saml", "SSO's")]),
        ("the SSO’s metadata", [("sso-saml", "SSO’s")]),
        ("two SSOs", [("sso-saml", "SSOs")]),
        ("a dashboard", [("dashboards", "dashboard")]),
        ("additional sandboxes", [("sandbox", "sandboxes")]),
        ("24/7 support", [("premium", "24/7 support")]),
        ("SCIM 2.0 provisioning", [("scim", "SCIM 2.0 provisioning")]),
        ("whitelabel branding", [("white", "whitelabel branding")]),
        ("SSO-enabled accounts", [("sso-saml", "SSO")]),
    ],
)
def test_mentions(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The ASSOCIATION of officers",
        "ssohost.example.com is a server name",
        "single. Sign on later",  # a term never spans two sentences
        "single; sign on",
        "dashboarding tools",
        "",
    ],
)
def test_no_mention(text: str) -> None:
    assert found(text) == []


def test_longest_match_wins_and_positions_are_exact() -> None:
    text = "Provider shall provide embedded dashboards and custom dashboards."
    mentions = MATCHER.find(text)
    assert [(m.feature, m.text) for m in mentions] == [
        ("embedded", "embedded dashboards"),
        ("dashboards", "custom dashboards"),
    ]
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
    assert mentions == sorted(mentions, key=lambda m: m.start)


def test_first_feature_owns_a_shared_term() -> None:
    matcher = FeatureMatcher([FeatureTerm("a", "Copilot", ()), FeatureTerm("b", "copilot", ())])
    assert [m.feature for m in matcher.find("the copilot")] == ["a"]


def test_punctuation_only_terms_are_ignored() -> None:
    matcher = FeatureMatcher([FeatureTerm("x", "+++", ("---",))])
    assert matcher.find("+++ --- anything") == []


@pytest.mark.parametrize(
    ("word", "normal"),
    [("Dashboards", "dashboard"), ("SSO's", "sso"), ("policies", "policy"), ("access", "access")]
    + [("caches", "cach"), ("cache", "cach"), ("status", "status"), ("IPs", "ip")],
)
def test_normalize_word(word: str, normal: str) -> None:
    assert normalize_word(word) == normal


def test_thousands_of_features_in_one_matcher() -> None:
    features = [
        FeatureTerm(f"feature-{n}", f"widget {n} module", (f"W{n}X", f"gizmo-{n} suite"))
        for n in range(3000)
    ]
    features.append(FeatureTerm("eu", "EU data residency", ("EU hosting",)))
    matcher = FeatureMatcher(features)
    clause = (
        "Provider shall deliver widget 2999 module and the gizmo 1500 suite by Q2 2027, "
        "make w17x available, and provide EU hosting; widget 3001 module does not exist. " * 20
    )
    mentions = matcher.find(clause)
    assert [m.feature for m in mentions[:4]] == ["feature-2999", "feature-1500", "feature-17", "eu"]
    assert len(mentions) == 80
    assert all(isinstance(m, Mention) for m in mentions)
