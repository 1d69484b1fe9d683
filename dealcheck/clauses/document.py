"""Analyse a whole document: each clause with what it needs from the other clauses.

``analyse_clause`` sees one clause; a contract also speaks across clauses:

* **lead-ins**: a clause ending with ":" whose last words are a commitment ("Provider will
  provide the following services:", "Provider shall deliver the Deliverables below:")
  governs the list items and table rows that follow it (clauses whose ``source`` is
  ``"list-item"`` or ``"table-row"``, or whose id is an item number such as "(a)", "iv"
  or "3" in the style of the first item). Items keep coming through up to three
  unnumbered paragraphs (a sub-list, a note); a heading, a section number ("7.2"), an item
  in another numbering style, a new lead-in or a sibling of the lead-in itself ("5" after
  lead-in "4") ends the list;
* **defined dates** (``anchors``): "'Amendment Effective Date' means 1 March 2027", "the
  Go-Live Date is 15 April 2027", "on 15 April 2027 (the "Go-Live Date")" anywhere in the
  document resolve "within 60 days after the Amendment Effective Date"; ``start_date`` is
  the fallback for a date the document does not define;
* **document-wide disclaimers**: a sentence that says roadmap items or future features
  or functionality are not commitments ("nothing in this Agreement obliges Provider to
  deliver future functionality") takes every commitment to a *roadmap* feature
  (``FeatureMatcher.roadmap``: not yet generally available) out, wherever it is, with a
  reason that names the disclaiming clause.

Everything is linear in the total text length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Literal

from dealcheck.clauses import language as lang
from dealcheck.clauses.analysis import analyse_clause
from dealcheck.clauses.commitments import REACH, quote
from dealcheck.clauses.dates import anchor_key, find_dates
from dealcheck.clauses.matcher import FeatureMatcher
from dealcheck.clauses.memo import anchors_key
from dealcheck.clauses.model import MAX_CLAUSE_CHARS, Clause, ClauseAnalysis, Decision
from dealcheck.clauses.sentences import split_segments, split_sentences

#: How many unnumbered paragraphs may separate two items of one list.
MAX_GAP = 3

_ITEM_ID = re.compile(
    r"^\(?(?:(?P<num>\d{1,3})|(?P<roman>[ivxlc]{1,6})|(?P<alpha>[a-z]{1,2}))[.)]?$", re.I
)
_POSITIONAL = re.compile(r"^p\d+$")
_DEFINED_AFTER = re.compile(
    r"\s*\(\s*(?:the\s+|hereinafter\s+)?[\"“”']([^\"“”'\n]{1,60}?\bDate)[\"“”']\s*\)"
)
_DEFINED_BEFORE = re.compile(
    r"[\"“”]?((?:[A-Z][\w-]*[ \t]+){0,5}?Date)[\"“”]?[ \t]+(?:means|shall[ \t]+mean"
    r"|is|will[ \t]+be|shall[ \t]+be|occurs[ \t]+on|falls[ \t]+on)[ \t]+(?:on[ \t]+)?$"
)
#: A disclaimer of roadmap or future features for the whole document.
_FUTURE = re.compile(
    r"\b(?:roadmap|future\s+(?:features?|functionality|functions|releases?|products?"
    r"|enhancements?|capabilit(?:y|ies)|developments?)|unreleased\s+features?"
    r"|upcoming\s+features?|features?\s+not\s+yet\s+(?:generally\s+)?available)\b",
    re.I,
)
_NOT_COMMITTED = re.compile(
    r"\b(?:not\s+(?:a\s+)?commitments?|no\s+commitments?|nothing\s+in\s+th(?:is|e)"
    r"|not\s+(?:be\s+)?(?:obligated|obliged|required|bound)|no\s+obligation"
    r"|(?:does|do|shall|will)\s+not\s+(?:commit|oblige|obligate|require)"
    r"|not\s+relied|not\s+contingent|non-binding|not\s+binding)\b",
    re.I,
)

#: Wording that makes a disclaimer cover the whole document.
_WHOLE = re.compile(
    r"\b(?:th(?:is|e)\s+(?:Agreement|Order\s+Form|Contract|SOW|Statement\s+of\s+Work|document"
    r"|Side\s+Letter|Amendment)|any|all)\b",
    re.I,
)


def _style(match: re.Match[str]) -> str:
    kind = "num" if match["num"] else "roman" if match["roman"] else "alpha"
    return f"{kind}{'(' if match.group().startswith('(') else ''}"


def _is_lead_in(text: str) -> bool:
    """Does the clause end with ":" after commitment words ("Provider shall provide:")?"""
    stripped = text[:MAX_CLAUSE_CHARS].rstrip()
    if not stripped.endswith(":"):
        return False
    segments = split_segments(stripped)
    if not segments:
        return False
    last = segments[-1]
    return any(
        p.kind in (lang.Kind.COMMIT, lang.Kind.SELF, lang.Kind.INCLUDE)
        for p in lang.find_predicates(stripped, last.start, last.end)
    )


def _successor(a: str, b: str) -> bool:
    return a.isdigit() and b.isdigit() and int(b) == int(a) + 1


def lead_ins(clauses: Sequence[Clause]) -> list[int | None]:
    """For each clause, the index of the lead-in clause that governs it, if any."""
    governed: list[int | None] = [None] * len(clauses)
    lead: int | None = None
    style: str | None = None
    gap = 0
    for index, clause in enumerate(clauses):
        if lead is not None:
            item = _ITEM_ID.match(clause.id)
            tabular = clause.source in ("list-item", "table-row")
            if tabular or (
                item is not None
                and (style is None or _style(item) == style)
                and not (style is None and _successor(clauses[lead].id, clause.id))
            ):
                if item is not None and style is None and not tabular:
                    style = _style(item)
                governed[index] = lead
                gap = 0
            elif _POSITIONAL.match(clause.id) and clause.source != "heading" and gap < MAX_GAP:
                gap += 1
            else:
                lead = None
        if _is_lead_in(clause.text):
            lead, style, gap = index, None, 0
    return governed


def document_anchors(
    clauses: Sequence[Clause], start_date: date, date_format: str = "dmy"
) -> dict[str, date]:
    """The dates the document defines, by ``anchor_key`` ("go-live date" -> 15 April 2027)."""
    anchors: dict[str, date] = {}
    for clause in clauses:
        text = clause.text[:MAX_CLAUSE_CHARS]
        if "Date" not in text and "date" not in text:
            continue
        for found, _, (start, end) in find_dates(text, start_date, date_format):
            if re.match(r"(?:the\s+)?[\w-]*\s*Date\b", text[start:end], re.I):
                continue  # "the Effective Date" itself is no definition of a date
            after = _DEFINED_AFTER.match(text, end, min(len(text), end + 90))
            before = _DEFINED_BEFORE.search(text, max(0, start - 120), start)
            for defined in (after, before):
                if defined is not None:
                    anchors.setdefault(anchor_key(defined.group(1)), found)
    return anchors


def document_disclaimers(
    clauses: Sequence[Clause], matcher: FeatureMatcher | None = None
) -> list[tuple[str, str]]:
    """``(clause id, words)`` of every sentence disclaiming roadmap or future features for
    the whole document: it says so ("nothing in this Agreement", "any statements about
    future features"), or it stands in a clause that names no feature ("Roadmap. Roadmap
    items are not commitments."); in a clause about a feature it covers that clause only."""
    found: list[tuple[str, str]] = []
    for clause in clauses:
        text = clause.text[:MAX_CLAUSE_CHARS]
        if _FUTURE.search(text) is None:
            continue
        names_feature = matcher is not None and bool(matcher.find(text))
        for start, end in split_sentences(text):
            future = _FUTURE.search(text, start, end)
            general = not names_feature or _WHOLE.search(text, start, end) is not None
            if general and future is not None and _NOT_COMMITTED.search(text, start, end):
                found.append((clause.id, quote(text[start:end])))
                break
    return found


def _disclaim(
    analysis: ClauseAnalysis, roadmap: frozenset[str], by: tuple[str, str]
) -> ClauseAnalysis:
    if not roadmap or not any(c.feature in roadmap for c in analysis.commitments):
        return analysis
    clause_id, words = by
    shown = words if len(words) <= 120 else words[:117] + "..."
    reason = f"disclaimed by clause {clause_id}: '{shown}'"
    decisions = tuple(
        Decision(d.feature, False, reason, shown) if d.committed and d.feature in roadmap else d
        for d in analysis.decisions
    )
    commitments = tuple(c for c in analysis.commitments if c.feature not in roadmap)
    return replace(analysis, decisions=decisions, commitments=commitments)


def analyse_document(
    clauses: Sequence[Clause],
    matcher: FeatureMatcher,
    start_date: date,
    date_format: Literal["dmy", "mdy"] = "dmy",
) -> list[ClauseAnalysis]:
    """One ``ClauseAnalysis`` per clause, in order (see the module docstring)."""
    anchors = document_anchors(clauses, start_date, date_format)
    governed = lead_ins(clauses)
    disclaimers = document_disclaimers(clauses, matcher)
    analyses: list[ClauseAnalysis] = []
    memo = matcher.memo
    known = anchors_key(anchors)  # once per document, not per clause
    for index, clause in enumerate(clauses):
        lead = governed[index]
        lead_in = clauses[lead].text if lead is not None else None
        lead_in_id = clauses[lead].id if lead is not None else None
        analysis = memo.analyse(
            clause,
            partial(
                analyse_clause,
                clause,
                matcher,
                start_date,
                date_format,
                lead_in=lead_in,
                lead_in_id=lead_in_id,
                anchors=anchors,
            ),
            start_date,
            date_format,
            lead_in[-REACH:] if lead_in else None,  # what analyse_clause reads of it
            lead_in_id,
            known,
        )
        others = [d for d in disclaimers if d[0] != clause.id]
        if others:
            analysis = _disclaim(analysis, matcher.roadmap, others[0])
        analyses.append(analysis)
    return analyses
