"""Compiled rule expressions versus the same rules hand-written as Python lambdas.

Run from the repository root::

    python benchmarks/bench_expr.py [--objects N] [--repeat R]

Each of the rules below is compiled by ``dealcheck.expr`` and also written by hand as a lambda
with the same null checks (the checks a careful engineer needs, as SPEC §5.2 lets any field be
missing). Both are evaluated over the same synthetic lines, commitments and clauses (about 10 %
of fields missing); the best of R timings is kept. A ratio of 1.00 means equally fast, above 1
means the compiled rule is faster. The target is a total ratio of at least 0.90.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import timeit
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dealcheck.expr import SCOPES, compile_condition  # noqa: E402

D = Decimal
REGIONS = {
    "EMEA": frozenset({"GB", "DE", "FR", "NO", "CH", "AE", "ZA"}),
    "EU": frozenset({"DE", "FR", "IE", "NL", "ES"}),
    "ANZ": frozenset({"AU", "NZ"}),
}
EMEA, EU = REGIONS["EMEA"], REGIONS["EU"]
MFN_RE = re.compile("most[- ]favou?red", re.IGNORECASE).search
D020, D030, D040, D060, D025, D0999 = (
    D("0.20"),
    D("0.30"),
    D("0.40"),
    D("0.60"),
    D("0.25"),
    D("99.9"),
)
D60, D1000, D30, D12, D100000, D3, D0 = D(60), D(1000), D(30), D(12), D(100000), D(3), D(0)
Q2 = date(2027, 6, 30)
SEGMENTS = frozenset({"enterprise", "strategic"})
GA = frozenset({"ga", "deprecated"})

Rule = Callable[..., object]

# (scope, expression, the same rule by hand)
RULES: list[tuple[str, str, Rule]] = [
    ("line", "line.discount > 0.20 and line.discount <= 0.30",
     lambda deal, customer, partner, today, line, sku, product:
        line.discount is not None and D020 < line.discount <= D030),
    ("line", "0.2 < line.discount <= 0.3",
     lambda deal, customer, partner, today, line, sku, product:
        line.discount is not None and D020 < line.discount <= D030),
    ("line", "line.discount > 0.40",
     lambda deal, customer, partner, today, line, sku, product:
        line.discount is not None and line.discount > D040),
    ("line", "line.margin < line.min_margin",
     lambda deal, customer, partner, today, line, sku, product:
        line.margin is not None and line.min_margin is not None
        and line.margin < line.min_margin),
    ("line", "line.net_unit < line.floor_price",
     lambda deal, customer, partner, today, line, sku, product:
        line.net_unit is not None and line.floor_price is not None
        and line.net_unit < line.floor_price),
    ("line", "line.unit_price * line.quantity > 100000",
     lambda deal, customer, partner, today, line, sku, product:
        line.unit_price is not None and line.quantity is not None
        and line.unit_price * line.quantity > D100000),
    ("line", 'line.sku == "AA-ENT-USER-Y"',
     lambda deal, customer, partner, today, line, sku, product: line.sku == "AA-ENT-USER-Y"),
    ("line", 'line.edition in ["standard", "pro"] and line.discount >= 0.25',
     lambda deal, customer, partner, today, line, sku, product:
        line.edition in ("standard", "pro")
        and line.discount is not None and line.discount >= D025),
    ("line", "product != null and product.sla_uptime < 99.9",
     lambda deal, customer, partner, today, line, sku, product:
        product is not None and product.sla_uptime is not None and product.sla_uptime < D0999),
    ("line", "partner != null and partner.margin + line.discount > 0.40",
     lambda deal, customer, partner, today, line, sku, product:
        partner is not None and partner.margin is not None and line.discount is not None
        and partner.margin + line.discount > D040),
    ("deal", "deal.payment_terms_days > 60",
     lambda deal, customer, partner, today:
        deal.payment_terms_days is not None and deal.payment_terms_days > D60),
    ("deal", "deal.free_months / deal.term_months > 0.25",
     lambda deal, customer, partner, today:
        deal.free_months is not None and deal.term_months is not None and deal.term_months != 0
        and deal.free_months / deal.term_months > D025),
    ("deal", 'in_region(customer.country, "EMEA") and deal.total > 1000',
     lambda deal, customer, partner, today:
        customer is not None and customer.country in EMEA
        and deal.total is not None and deal.total > D1000),
    ("deal", 'any_in_region(deal.deployment_countries, "EU")',
     lambda deal, customer, partner, today:
        deal.deployment_countries is not None and not EU.isdisjoint(deal.deployment_countries)),
    ("deal", 'lower(customer.segment) in ["enterprise", "strategic"]',
     lambda deal, customer, partner, today:
        customer is not None and customer.segment is not None
        and customer.segment.lower() in SEGMENTS),
    ("deal", "partner == null and deal.margin < 0.60",
     lambda deal, customer, partner, today:
        partner is None and deal.margin is not None and deal.margin < D060),
    ("deal", "len(deal.lines) > 3 or deal.term_months > 12",
     lambda deal, customer, partner, today:
        (deal.lines is not None and len(deal.lines) > 3)
        or (deal.term_months is not None and deal.term_months > D12)),
    ("commitment", "commitment.due < feature.target",
     lambda deal, customer, partner, today, commitment, feature, product:
        commitment.due is not None and feature is not None and feature.target is not None
        and commitment.due < feature.target),
    ("commitment", 'not feature.committable and feature.status != "ga"',
     lambda deal, customer, partner, today, commitment, feature, product:
        feature is not None and feature.committable is not True
        and feature.status is not None and feature.status != "ga"),
    ("commitment", 'days_between(today, commitment.due) < 30 and commitment.due < date("2027-Q2")',
     lambda deal, customer, partner, today, commitment, feature, product:
        commitment.due is not None and (commitment.due - today).days < 30
        and commitment.due < Q2),
    ("clause", 'matches(clause.text, "most[- ]favou?red")',
     lambda deal, customer, partner, today, clause:
        clause.text is not None and MFN_RE(clause.text) is not None),
]  # fmt: skip


def maybe(rng: random.Random, value: object) -> object:
    """``value``, or None one time in ten: every field may be missing."""
    return None if rng.random() < 0.1 else value


def make_args(scope: str, count: int, rng: random.Random) -> list[tuple[object, ...]]:
    today = date(2026, 11, 20)
    countries = ["AU", "NZ", "DE", "FR", "GB", "US", "JP", "NO"]
    rows: list[tuple[object, ...]] = []
    for i in range(count):
        customer = SimpleNamespace(
            name=f"Customer {i}",
            country=maybe(rng, rng.choice(countries)),
            segment=maybe(rng, rng.choice(["Enterprise", "smb", "Strategic", "mid"])),
        )
        partner = maybe(
            rng,
            SimpleNamespace(name="P", country="AU", margin=maybe(rng, D(rng.randint(0, 30)) / 100)),
        )
        deal = SimpleNamespace(
            id=f"Q-{i}", currency="USD", term_months=maybe(rng, D(rng.choice([12, 24, 36]))),
            payment_terms_days=maybe(rng, D(rng.choice([30, 45, 60, 90]))),
            free_months=maybe(rng, D(rng.randint(0, 6))), total=maybe(rng, D(rng.randint(0, 10**6))),
            margin=maybe(rng, D(rng.randint(30, 90)) / 100), customer=customer, partner=partner,
            deployment_countries=maybe(rng, rng.sample(countries, rng.randint(1, 3))),
            lines=maybe(rng, [None] * rng.randint(0, 6)),
        )  # fmt: skip
        base: tuple[object, ...] = (deal, customer, partner, today)
        if scope == "line":
            list_price = D(600)
            unit_price = D(rng.randint(300, 600))
            line = SimpleNamespace(
                sku=maybe(rng, rng.choice(["AA-ENT-USER-Y", "AA-STD-USER-Y"])),
                edition=maybe(rng, rng.choice(["standard", "enterprise", "pro"])),
                quantity=maybe(rng, D(rng.randint(1, 500))), unit_price=maybe(rng, unit_price),
                discount=maybe(rng, 1 - unit_price / list_price),
                margin=maybe(rng, D(rng.randint(40, 80)) / 100), min_margin=maybe(rng, D("0.6")),
                net_unit=maybe(rng, unit_price * D("0.8")), floor_price=maybe(rng, D(330)),
            )  # fmt: skip
            product = maybe(
                rng, SimpleNamespace(sla_uptime=maybe(rng, D(rng.choice(["99.5", "99.9"]))))
            )
            rows.append((*base, line, None, product))
        elif scope == "commitment":
            commitment = SimpleNamespace(
                due=maybe(rng, today + timedelta(days=rng.randint(0, 400)))
            )
            feature = maybe(rng, SimpleNamespace(
                target=maybe(rng, today + timedelta(days=rng.randint(0, 400))),
                committable=maybe(rng, rng.random() < 0.5), status=maybe(rng, rng.choice(["ga", "beta"])),
            ))  # fmt: skip
            rows.append((*base, commitment, feature, None))
        elif scope == "clause":
            text = rng.choice(["Most favoured customer pricing applies.", "Net 30 payment terms."])
            rows.append((*base, SimpleNamespace(id=str(i), text=maybe(rng, text * 5))))
        else:
            rows.append(base)
    return rows


def run_time(rule: Rule, rows: Sequence[tuple[object, ...]]) -> float:
    def run() -> None:
        for row in rows:
            rule(*row)

    return timeit.timeit(run, number=1)


def best_times(
    rules: Sequence[Rule], rows: Sequence[tuple[object, ...]], repeat: int
) -> list[float]:
    """The best time of each rule over ``rows``, runs interleaved so that drift hits all alike."""
    best = [float("inf")] * len(rules)
    for _ in range(repeat):
        for i, rule in enumerate(rules):
            best[i] = min(best[i], run_time(rule, rows))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    rng = random.Random(20261120)
    rows = {scope: make_args(scope, options.objects, rng) for scope in SCOPES}
    # Calling a function with the scope's arguments costs the same both ways: `true` measures it.
    calls = {scope: compile_condition("true", scope, REGIONS.get).fn for scope in SCOPES}
    per_object = 1e9 / options.objects
    totals = [0.0, 0.0, 0.0]  # compiled, by hand, call overhead
    print(f"{'rule':60} {'compiled':>9} {'by hand':>9} {'ratio':>6} {'net':>6}")
    for scope, text, by_hand in RULES:
        compiled = compile_condition(text, scope, REGIONS.get).fn
        for row in rows[scope][:2000]:  # the same answers, or the comparison is meaningless
            assert compiled(*row) == bool(by_hand(*row)), (text, row)
        times = best_times([compiled, by_hand, calls[scope]], rows[scope], options.repeat)
        totals = [total + time for total, time in zip(totals, times, strict=True)]
        compiled_time, hand_time, call_time = times
        print(
            f"{text[:60]:60} {compiled_time * per_object:7.0f}ns {hand_time * per_object:7.0f}ns"
            f" {hand_time / compiled_time:6.2f} {(hand_time - call_time) / (compiled_time - call_time):6.2f}"
        )
    compiled_time, hand_time, call_time = totals
    print(
        f"\n{len(RULES)} rules x {options.objects} objects: compiled {compiled_time * 1e3:.1f} ms,"
        f" by hand {hand_time * 1e3:.1f} ms, of which calling {call_time * 1e3:.1f} ms\n"
        f"speed of compiled rules relative to hand-written lambdas: {hand_time / compiled_time:.2f}"
        f" (net of the call: {(hand_time - call_time) / (compiled_time - call_time):.2f})"
    )


if __name__ == "__main__":
    main()
