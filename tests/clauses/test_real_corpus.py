"""Clause analysis on real contracts and realistic order forms (``tests/clauses/real/``).

Run ``python benchmarks/clauses_real.py --misses`` to see the figures and every miss.
"""

from __future__ import annotations

from tests.clauses.real_corpus import documents, score

MIN_PRECISION = 0.95
MIN_RECALL = 0.90
MIN_DATE_ACCURACY = 0.90
MIN_UPTIME_PRECISION = 0.90
MIN_UPTIME_RECALL = 0.90


def test_corpus_is_labelled_and_attributed() -> None:
    docs = documents()
    assert sum(1 for d in docs if d["name"].startswith("r")) >= 8
    assert sum(len(d["clauses"]) for d in docs) >= 120
    for doc in docs:
        ids = [c["id"] for c in doc["clauses"]]
        assert all(isinstance(c["text"], str) and c["text"] for c in doc["clauses"]), doc["name"]
        assert len(ids) == len(doc["clauses"])


def test_real_corpus_scores() -> None:
    scores = score()
    print("\n" + scores.summary())
    for miss in scores.misses:
        print("  " + miss)
    assert scores.precision >= MIN_PRECISION
    assert scores.recall >= MIN_RECALL
    assert scores.date_accuracy >= MIN_DATE_ACCURACY
    assert scores.uptime_precision >= MIN_UPTIME_PRECISION
    assert scores.uptime_recall >= MIN_UPTIME_RECALL
