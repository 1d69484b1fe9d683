""" "Did you mean" over a big catalog's ids: the scan and the index agree, and both find typos."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dealcheck.suggestions import Suggester, suggest

#: 600 ids shaped like a generated catalog's features ("ion-sync-anomaly-detection").
PRODUCTS = ("ion", "aurora", "kestrel", "basalt", "quill", "tundra")
AREAS = ("sync", "insight", "vault", "relay", "forge")
FEATURES = (
    "anomaly-detection",
    "sso-saml",
    "csv-export",
    "pdf-export",
    "audit-log",
    "row-level-security",
    "scim-provisioning",
    "custom-domains",
    "data-residency",
    "webhooks",
    "api-rate-limits",
    "sandbox",
    "usage-alerts",
    "byok-encryption",
    "ip-allowlist",
    "dashboards",
    "scheduled-reports",
    "mobile-app",
    "slack-integration",
    "retention-policies",
)
IDS = [f"{p}-{a}-{f}" for p in PRODUCTS for a in AREAS for f in FEATURES]


def test_a_typo_in_a_big_catalog_suggests_the_id_meant() -> None:
    suggester = Suggester(IDS)
    assert suggester("kestrel-vault-anomaly-detectoin") == "kestrel-vault-anomaly-detection"
    assert suggester("QUILL-relay-sso-saml") == "quill-relay-sso-saml"
    assert suggester("tundra-forge-webhoks") == "tundra-forge-webhooks"


def test_nothing_is_suggested_for_a_word_like_no_id() -> None:
    assert Suggester(IDS)("zzzzqqqq") is None


def test_a_small_set_of_choices_is_compared_whole() -> None:
    choices = ["sso-saml", "audit-log", "csv-export"]
    assert Suggester(choices)("audit-logs") == suggest("audit-logs", choices) == "audit-log"


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.one_of(
            st.sampled_from(IDS).map(lambda s: s[:-2] + s[-1:]),  # a letter dropped
            st.sampled_from(IDS).map(lambda s: s.upper()),
            st.text(alphabet="abcdeilnorst-", min_size=1, max_size=30),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_the_index_built_after_a_few_words_answers_as_the_scan_did(words: list[str]) -> None:
    """A run that asks many times switches from scanning to an index: same answers."""
    scanning = Suggester(IDS)
    scanning.SCANS_BEFORE_INDEX = 10**9  # never build the index
    indexed = Suggester(IDS)
    indexed.SCANS_BEFORE_INDEX = 0  # the index from the first word
    for word in words:
        assert scanning(word) == indexed(word)
