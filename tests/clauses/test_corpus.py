"""Precision, recall and due-date accuracy of clause analysis over the labelled corpus.

Run ``pytest tests/clauses/test_corpus.py -s`` to see the figures and every miss.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from dealcheck.clauses import Clause, FeatureMatcher, FeatureTerm, analyse_clause
from dealcheck.errors import Location

CORPUS = Path(__file__).with_name("corpus.yaml")
MIN_PRECISION = 0.95
MIN_RECALL = 0.90
MIN_DATE_ACCURACY = 0.95
MIN_MENTION_F1 = 0.98
MIN_UPTIME_ACCURACY = 0.90


@dataclass
class Scores:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    dates_right: int = 0
    mentions_expected: int = 0
    mentions_found: int = 0
    mentions_right: int = 0
    uptime_clauses: int = 0
    uptime_clauses_right: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.true_positives if self.true_positives else 1.0

    @property
    def mention_f1(self) -> float:
        precision = self.mentions_right / self.mentions_found if self.mentions_found else 1.0
        recall = self.mentions_right / self.mentions_expected if self.mentions_expected else 1.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    @property
    def uptime_accuracy(self) -> float:
        return self.uptime_clauses_right / self.uptime_clauses if self.uptime_clauses else 1.0


def load_corpus() -> dict[str, Any]:
    with CORPUS.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def corpus_matcher(corpus: dict[str, Any]) -> FeatureMatcher:
    return FeatureMatcher(
        FeatureTerm(f["id"], f["name"], tuple(f.get("aliases", []))) for f in corpus["features"]
    )


def score_corpus() -> tuple[Scores, list[str]]:
    corpus = load_corpus()
    matcher = corpus_matcher(corpus)
    defaults = corpus["defaults"]
    scores = Scores()
    misses: list[str] = []
    for case in corpus["clauses"]:
        start: date = case.get("start_date", defaults["start_date"])
        clause = Clause(case["id"], case["text"], Location("corpus.yaml"))
        result = analyse_clause(clause, matcher, start, case.get("date_format", "dmy"))
        found = {c.feature: c for c in result.commitments}
        expected = {c["feature"]: c["due"] for c in case["commitments"]}
        for feature, due in expected.items():
            if feature not in found:
                scores.false_negatives += 1
                why = next((d.reason for d in result.decisions if d.feature == feature), "unseen")
                misses.append(f"{case['id']}: missed {feature} ({why})")
            else:
                scores.true_positives += 1
                if found[feature].due == due:
                    scores.dates_right += 1
                else:
                    misses.append(
                        f"{case['id']}: {feature} due {found[feature].due}, expected {due} "
                        f"(from {found[feature].due_text!r})"
                    )
        for feature, commitment in found.items():
            if feature not in expected:
                scores.false_positives += 1
                misses.append(f"{case['id']}: wrongly committed {feature} ({commitment.evidence})")
        seen = {m.feature for m in result.mentions}
        labelled = set(case["features"])
        scores.mentions_expected += len(labelled)
        scores.mentions_found += len(seen)
        scores.mentions_right += len(seen & labelled)
        if seen != labelled:
            misses.append(f"{case['id']}: mentions {sorted(seen)}, expected {sorted(labelled)}")
        uptimes = [Decimal(u) for u in case.get("uptimes", [])]
        got = [u.value for u in result.uptimes]
        scores.uptime_clauses += 1
        if got == uptimes:
            scores.uptime_clauses_right += 1
        else:
            misses.append(f"{case['id']}: uptimes {got}, expected {uptimes}")
    return scores, misses


def test_corpus_is_large_and_well_formed() -> None:
    corpus = load_corpus()
    features = {f["id"] for f in corpus["features"]}
    ids = [case["id"] for case in corpus["clauses"]]
    assert len(ids) >= 150
    assert len(ids) == len(set(ids))
    for case in corpus["clauses"]:
        assert set(case["features"]) <= features, case["id"]
        assert {c["feature"] for c in case["commitments"]} <= set(case["features"]), case["id"]


def test_corpus_scores() -> None:
    scores, misses = score_corpus()
    print()
    print(f"commitments: precision {scores.precision:.3f}  recall {scores.recall:.3f}  ", end="")
    print(f"(TP {scores.true_positives}, FP {scores.false_positives}, FN {scores.false_negatives})")
    print(f"due dates:   accuracy {scores.date_accuracy:.3f} ", end="")
    print(f"({scores.dates_right}/{scores.true_positives} correctly detected commitments)")
    print(f"mentions:    F1 {scores.mention_f1:.3f}")
    print(f"uptimes:     {scores.uptime_accuracy:.3f} of clauses exactly right")
    for miss in misses:
        print("  " + miss)
    assert scores.precision >= MIN_PRECISION
    assert scores.recall >= MIN_RECALL
    assert scores.date_accuracy >= MIN_DATE_ACCURACY
    assert scores.mention_f1 >= MIN_MENTION_F1
    assert scores.uptime_accuracy >= MIN_UPTIME_ACCURACY


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-s", "-q"])
