"""Score clause analysis on the real-contract corpus in ``tests/clauses/real/``.

Used by ``test_real_corpus.py`` and ``benchmarks/clauses_real.py``. Each document of
``contracts.yaml`` (excerpts of real contracts) and ``synthetic.yaml`` is analysed as one
document (``analyse_document``) with the features of ``catalog.yaml``; the figures:

* precision and recall of commitments, counted per (clause, feature);
* due-date accuracy: correct due dates among the correctly found commitments;
* uptime precision and recall, counted per (clause, percentage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from dealcheck.clauses import Clause, FeatureMatcher, FeatureTerm
from dealcheck.clauses.document import analyse_document
from dealcheck.errors import Location

REAL = Path(__file__).with_name("real")
FILES = ("contracts.yaml", "synthetic.yaml")


@dataclass
class Scores:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    dates_right: int = 0
    uptime_tp: int = 0
    uptime_fp: int = 0
    uptime_fn: int = 0
    clauses: int = 0
    misses: list[str] = field(default_factory=list)

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
    def uptime_precision(self) -> float:
        found = self.uptime_tp + self.uptime_fp
        return self.uptime_tp / found if found else 1.0

    @property
    def uptime_recall(self) -> float:
        expected = self.uptime_tp + self.uptime_fn
        return self.uptime_tp / expected if expected else 1.0

    def summary(self) -> str:
        return "\n".join(
            [
                f"clauses:     {self.clauses}",
                f"commitments: precision {self.precision:.3f}  recall {self.recall:.3f}  "
                f"(TP {self.true_positives}, FP {self.false_positives}, "
                f"FN {self.false_negatives})",
                f"due dates:   accuracy {self.date_accuracy:.3f} "
                f"({self.dates_right}/{self.true_positives})",
                f"uptimes:     precision {self.uptime_precision:.3f}  recall "
                f"{self.uptime_recall:.3f}  (TP {self.uptime_tp}, FP {self.uptime_fp}, "
                f"FN {self.uptime_fn})",
            ]
        )


def _load(name: str) -> dict[str, Any]:
    with (REAL / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def catalog() -> tuple[FeatureMatcher, frozenset[str]]:
    data = _load("catalog.yaml")
    roadmap = frozenset(data.get("roadmap", []))
    terms = [FeatureTerm(f["id"], f["name"], tuple(f.get("aliases", []))) for f in data["features"]]
    return FeatureMatcher(terms, roadmap=roadmap), roadmap


def documents(files: tuple[str, ...] = FILES) -> list[dict[str, Any]]:
    return [doc for name in files for doc in _load(name)["documents"]]


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def score(files: tuple[str, ...] = FILES) -> Scores:
    matcher, _ = catalog()
    scores = Scores()
    for doc in documents(files):
        start = _day(doc["start_date"])
        where = Location(f"{doc['name']}")
        clauses = [
            Clause(str(c["id"]), c["text"], where, c.get("source", "paragraph"))
            for c in doc["clauses"]
        ]
        analyses = analyse_document(clauses, matcher, start, "dmy")
        for case, result in zip(doc["clauses"], analyses, strict=True):
            scores.clauses += 1
            name = f"{doc['name']} {case['id']}"
            found = {c.feature: c for c in result.commitments}
            expected = {k: _day(v) for k, v in (case.get("commitments") or {}).items()}
            for feature, due in expected.items():
                if feature not in found:
                    scores.false_negatives += 1
                    why = next(
                        (d.reason for d in result.decisions if d.feature == feature), "unseen"
                    )
                    scores.misses.append(f"{name}: missed {feature} ({why})")
                    continue
                scores.true_positives += 1
                if found[feature].due == due:
                    scores.dates_right += 1
                else:
                    scores.misses.append(
                        f"{name}: {feature} due {found[feature].due}, expected {due} "
                        f"(from {found[feature].due_text!r})"
                    )
            for feature, commitment in found.items():
                if feature not in expected:
                    scores.false_positives += 1
                    scores.misses.append(
                        f"{name}: wrongly committed {feature} ({commitment.evidence})"
                    )
            want = [Decimal(str(u)) for u in case.get("uptimes") or []]
            got = [u.value for u in result.uptimes]
            for value in got:
                if value in want:
                    want.remove(value)
                    scores.uptime_tp += 1
                else:
                    scores.uptime_fp += 1
                    scores.misses.append(f"{name}: wrongly committed uptime {value}")
            for value in want:
                scores.uptime_fn += 1
                scores.misses.append(f"{name}: missed uptime {value}")
    return scores
