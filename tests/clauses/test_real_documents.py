"""Real contracts read whole, as a deal desk receives them: every labelled clause of the
real-contract corpus (``tests/clauses/real/contracts.yaml``) is found again by reading the
complete document with dealcheck's own readers, and analysing it as one document gives
the labelled commitments, due dates and uptimes. Nearly every word of each document
reaches clause analysis.

The documents are in ``tests/fixtures/contracts/`` (sources and licences in its README).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dealcheck.clauses import Clause, Mention, read_clause_file
from dealcheck.clauses.document import analyse_document
from tests.clauses.real_corpus import Scores, catalog, documents
from tests.clauses.test_real_corpus import (
    MIN_DATE_ACCURACY,
    MIN_PRECISION,
    MIN_RECALL,
    MIN_UPTIME_RECALL,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "contracts"
DOCUMENTS = {
    "r01-commonpaper-csa-2.1": "r01-commonpaper-csa-2.1.md",
    "r02-bonterms-cloud-terms-1.0": "r02-bonterms-cloud-terms-1.0.md",
    "r03-commonpaper-csa-with-sla": "r03-commonpaper-csa-with-sla.docx",
    "r04-supabase-sla": "r04-supabase-sla.md",
    "r06-github-corporate-tos": "r06-github-corporate-tos.md",
    "r07-cuad-bangi-managed-hosting": "r07-cuad-bangi-managed-hosting.txt",
    "r08-cuad-centrack-web-hosting": "r08-cuad-centrack-web-hosting.txt",
    "r09-cuad-netzee-maintenance": "r09-cuad-netzee-maintenance.txt",
}
# Labelled by hand: the lines of each text document that are page furniture (letterhead,
# date line, document reference, page numbers, signature blocks are NOT furniture), which
# a reader must drop and which therefore do not count as words of the contract.
FURNITURE = {
    "r07-cuad-bangi-managed-hosting.txt": (
        "03/01/05",
        "607-1295 Richards Street   604.684.2255",
        "Vancouver, BC V6B1B7   deep@rrt.ca   deep systems",
        "D/WLM/717334.1",
        "- 2 -",
        "D/WLM/717334.1       - 2 -",
    ),
}
WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
MIN_WORD_COVERAGE = 0.95


def _words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in WORD.findall(text))


def _document_words(path: Path) -> Counter[str]:
    if path.suffix == ".docx":
        # the body's text as Word stores it, without the reader's help
        import zipfile

        xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
        texts = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)
        return _words(" ".join(texts))
    furniture = set(FURNITURE.get(path.name, ()))
    lines = path.read_text(encoding="utf-8").splitlines()
    return _words("\n".join(line for line in lines if line.strip() not in furniture))


@pytest.mark.parametrize("name", sorted(DOCUMENTS.values()))
def test_nearly_every_word_reaches_clause_analysis(name: str) -> None:
    path = FIXTURES / name
    body = _document_words(path)
    read = _words(" ".join(f"{c.id} {c.text}" for c in read_clause_file(path)))
    # a word counts as often as the body has it: labels repeated into table rows
    # cannot make up for text the reader lost
    reached = sum(min(count, read[word]) for word, count in body.items())
    coverage = reached / sum(body.values())
    assert coverage >= MIN_WORD_COVERAGE, f"{name}: {coverage:.3f} of the words reach analysis"


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _word_list(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def _holds(clause: Clause, opening: list[str]) -> bool:
    """Does the clause's text hold these words in a row (punctuation and layout aside)?"""
    words = _word_list(clause.text)
    width = len(opening)
    return any(words[i : i + width] == opening for i in range(len(words) - width + 1))


def _labelled_real_documents() -> list[dict[str, Any]]:
    return [d for d in documents(("contracts.yaml",)) if d["name"] in DOCUMENTS]


def test_the_labelled_corpus_covers_every_document() -> None:
    assert {d["name"] for d in _labelled_real_documents()} == set(DOCUMENTS)


def test_labels_hold_when_each_whole_document_is_read() -> None:
    """Each labelled excerpt is found in a clause the reader makes of the whole document
    (ids are not compared: the corpus gives positional ids by excerpt), and analysing the
    whole document scores as the corpus must: what the readers do cannot lose what the
    analysis finds."""
    matcher, _ = catalog()
    lost: list[str] = []
    scores = Scores()
    for doc in _labelled_real_documents():
        read = read_clause_file(FIXTURES / DOCUMENTS[doc["name"]])
        analyses = analyse_document(read, matcher, _day(doc["start_date"]), "dmy")
        for case in doc["clauses"]:
            label = f"{doc['name']} {case['id']}"
            opening = _word_list(str(case["text"]))[:8]
            where = next((i for i, c in enumerate(read) if _holds(c, opening)), None)
            if where is None:
                lost.append(f"{label}: no clause holds {' '.join(opening)!r}")
                continue
            scores.clauses += 1
            result = analyses[where]
            found = {c.feature: c.due for c in result.commitments}
            expected = {k: _day(v) for k, v in (case.get("commitments") or {}).items()}
            # a clause the reader makes may hold several labelled excerpts: judge only the
            # features this excerpt labels or names
            named = {m.feature for m in result.mentions if _inside(result.clause, m, opening)}
            for feature, due in expected.items():
                if feature in found:
                    scores.true_positives += 1
                    scores.dates_right += found[feature] == due
                else:
                    scores.false_negatives += 1
                    scores.misses.append(f"{label}: missed {feature}")
            for feature in sorted((set(found) & named) - set(expected)):
                scores.false_positives += 1
                scores.misses.append(f"{label}: wrongly committed {feature}")
            wanted = [Decimal(str(u)) for u in case.get("uptimes") or []]
            got = [u.value for u in result.uptimes]
            scores.uptime_tp += sum(1 for u in wanted if u in got)
            scores.uptime_fn += sum(1 for u in wanted if u not in got)
    assert not lost, "\n".join(lost)
    summary = scores.summary() + "\n" + "\n".join(scores.misses)
    assert scores.precision >= MIN_PRECISION, summary
    assert scores.recall >= MIN_RECALL, summary
    assert scores.date_accuracy >= MIN_DATE_ACCURACY, summary
    assert scores.uptime_recall >= MIN_UPTIME_RECALL, summary


def _inside(clause: Clause, mention: Mention, opening: list[str]) -> bool:
    """Is the mention in the part of the clause that starts with the excerpt's words?"""
    words = WORD.finditer(clause.text)
    tokens = [(m.group().lower(), m.start()) for m in words]
    for i in range(len(tokens) - len(opening) + 1):
        if [t for t, _ in tokens[i : i + len(opening)]] == opening:
            return mention.start >= tokens[i][1]
    return False
