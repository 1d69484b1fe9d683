"""A deal's block of the streamed JSON report is that deal's JSON, indented as the whole
report nests it (the block is cut out of an encoding of ``{"d": [deal]}``, not indented by
a pass over the text), and a long fraction is written to 4 places by either encoder."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

from dealcheck.report import json_report
from dealcheck.report.results import CheckReport


def _indented(result: object) -> str:
    """The deal's own JSON, every line indented by 4 spaces: what the report must hold."""
    return "    " + json_report.dumps(json_report.deal_dict(result)).replace("\n", "\n    ")  # type: ignore[arg-type]


def test_every_example_block_is_its_deal_indented_by_four(examples_report: CheckReport) -> None:
    for deal in examples_report.deals:
        _stats, block = json_report.rendered(deal)
        assert block == _indented(deal)
        assert json.loads(block) == json.loads(json_report.dumps(json_report.deal_dict(deal)))


def test_hostile_strings_keep_their_block_layout(hostile_report: CheckReport) -> None:
    for deal in hostile_report.deals:
        assert json_report.rendered(deal)[1] == _indented(deal)


def test_the_fallback_encoder_nests_the_block_the_same_way(
    examples_report: CheckReport,
) -> None:
    # an integer past 64 bits is what orjson refuses: json.dumps writes that block
    deal = examples_report.deals[0]
    huge = replace(deal, approvals_recorded=[{"amount": 2**70}])
    block = json_report.rendered(huge)[1]
    assert block == _indented(huge)
    assert f'"amount": {2**70}' in block


def test_a_long_fraction_is_written_to_four_places_half_even() -> None:
    encode = json_report._encode_default
    assert encode(Decimal("0.123449999")) == "0.1234"
    assert encode(Decimal("0.12345")) == "0.1234"  # half-even
    assert encode(Decimal("0.12355")) == "0.1236"
    assert encode(Decimal("12.5")) == "12.5"  # four places or fewer: as written
    assert encode(Decimal("1E+3")) == "1000"
    assert encode(Decimal("1.23456E-7")) == "0.0000"
