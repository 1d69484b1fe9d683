"""Analyse one clause: mentions, decisions, inferred commitments with due dates, uptimes.

Due dates. A committed mention takes its due date from the *window* of its
governing predicate: the segment text from the end of the previous predicate
to the start of the next one (so "Customer shall roll out X by 1 September"
never lends its date to the provider's promise before it). Within the window,
the first date after the mention wins ("X by D1 and Y by D2", "X and Y by D"),
else the nearest date before it ("By D, Provider shall provide X"), else a
date in the lead-in ("... by 30 April 2027: X, Y and Z"). Dates after "until",
"through", "beyond" end a period rather than start one and are never due
dates; a promise to keep a feature ("shall continue to provide", "shall not
discontinue") is due at ``start_date``. No date: due at ``start_date``.

When a clause commits to the same feature more than once, the commitment
reported is the earliest explicitly dated one (or the first, if none is dated).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from datetime import date
from typing import Literal

from dealcheck.clauses import language as lang
from dealcheck.clauses.commitments import REACH, Context, Verdict, decide, quote, subject_of
from dealcheck.clauses.dates import Found, find_dates
from dealcheck.clauses.matcher import FeatureMatcher
from dealcheck.clauses.model import (
    MAX_CLAUSE_CHARS,
    Clause,
    ClauseAnalysis,
    Decision,
    InferredCommitment,
    Mention,
    Revision,
    Uptime,
)
from dealcheck.clauses.sentences import Segment, split_segments, split_sentences
from dealcheck.clauses.uptime import find_uptimes

_MENTION_MASK = "\ue000"
_DATE_MASK = "\ue001"


def _mask(text: str, mentions: list[Mention], dates: list[Found]) -> str:
    chars = list(text)
    for mention in mentions:
        chars[mention.start : mention.end] = _MENTION_MASK * (mention.end - mention.start)
    for _, _, (start, end) in dates:
        lead = lang.DATE_LEAD.search(text, max(0, start - 40), start)
        first = lead.start() if lead else start
        chars[first:end] = _DATE_MASK * (end - first)
    return "".join(chars)


def _labelled_parts(
    masked: str, sentences: list[tuple[int, int]]
) -> tuple[tuple[int, int, str], ...]:
    """The ";"-separated parts of sentences marked "(committed)" and not disclaimed."""
    parts: list[tuple[int, int, str]] = []
    for start, end in sentences:
        low = start
        while low < end:
            semicolon = masked.find(";", low, end)
            high = semicolon if semicolon >= 0 else end
            label = lang.LABELLED_COMMITMENT.search(masked, low, high)
            if label is not None and lang.DISCLAIMER.search(masked, low, high) is None:
                parts.append((low, high, quote(label.group())))
            low = high + 1
    return tuple(parts)


def _contexts(
    text: str,
    masked: str,
    mentions: list[Mention],
    item_start: int = 0,
    sentences: list[tuple[int, int]] | None = None,
) -> tuple[list[Context], str | None]:
    """The segments' contexts, and the disclaimer that covers the whole clause (if any).

    ``text[item_start:]`` is a list item or table row that ``text[:item_start]`` (a lead-in
    clause, "Provider shall deliver the following:") governs: there, a segment that no
    lead-in of its own governs continues the outer lead-in ("Deliverable: X" in a row).
    ``sentences`` are ``split_sentences(text)`` when the caller has them already.
    """
    contexts: list[Context] = []
    clause_disclaimer: str | None = None
    lead: Context | None = None
    outer: Context | None = None
    if sentences is None:
        sentences = split_sentences(text)
    labelled = _labelled_parts(masked, sentences)
    mention_starts = [m.start for m in mentions]
    for segment in split_segments(text, sentences):
        if item_start and segment.start >= item_start and outer is None:
            outer = lead if lead is not None else _NO_LEAD
        if outer is not None and outer is not _NO_LEAD and lead is None:
            lead = outer
        predicates = tuple(lang.find_predicates(masked, segment.start, segment.end))
        subjects: list[tuple[str, str] | None] = []
        for index, predicate in enumerate(predicates):
            low = predicates[index - 1].end if index else segment.start
            found = subject_of(masked, low, predicate.start)
            if found is None and index:
                found = subjects[-1]  # "Provider shall provide X and shall make Y available"
            elif found is None and lead is not None and lead.subjects:
                found = lead.subjects[-1]
            subjects.append(found)
        disclaimer = lang.DISCLAIMER.search(masked, segment.start, segment.end)
        first = bisect_left(mention_starts, segment.start)
        names_feature = first < len(mentions) and mention_starts[first] < segment.end
        if not names_feature and clause_disclaimer is None:
            general = lang.CLAUSE_DISCLAIMER.search(masked, segment.start, segment.end)
            clause_disclaimer = quote(general.group()) if general else None
        hedge = lang.HEDGE_THAT.search(masked, segment.start, segment.end)
        context = Context(
            text,
            masked,
            segment,
            sentences[segment.sentence],
            predicates,
            tuple(subjects),
            quote(disclaimer.group()) if disclaimer else None,
            lead if not predicates else None,
            (hedge.start(), quote(hedge.group())) if hedge else None,
            labelled,
            lead if predicates else None,
        )
        contexts.append(context)
        if segment.lead_in and predicates:
            lead = context
        elif segment.lead_in:
            lead = None
    return contexts, clause_disclaimer


_NO_LEAD = Context("", "", Segment(0, 0, 0, False), (0, 0), (), (), None, None, None, ())


def _usable(text: str, dates: list[Found]) -> list[Found]:
    """Dates that can be due dates: not "until 31 December 2028" (sorted by position)."""
    return [d for d in dates if not lang.NOT_DUE.search(text, max(0, d[2][0] - 30), d[2][0])]


def _due(
    ctx: Context, mention: Mention, verdict: Verdict, usable: list[Found]
) -> tuple[date, str] | None:
    if verdict.keeps or (verdict.predicate is None and verdict.window is None):
        return None
    low, high = verdict.window or (ctx.segment.start, ctx.segment.end)
    index = -1
    if verdict.predicate is not None:
        start = verdict.predicate.start
        index = bisect_left(ctx.predicates, start, key=lambda p: p.start)
        if index == len(ctx.predicates) or ctx.predicates[index] is not verdict.predicate:
            index = -1  # the predicate is the lead-in's
    owner = ctx if index >= 0 else ctx.lead
    if index >= 0:
        if index:
            low = ctx.predicates[index - 1].end
        if index + 1 < len(ctx.predicates):
            high = ctx.predicates[index + 1].start
    after = bisect_left(usable, mention.end, key=lambda d: d[2][0])
    if after < len(usable) and usable[after][2][1] <= high:
        return usable[after][0], usable[after][1]
    before = bisect_right(usable, mention.start, key=lambda d: d[2][1]) - 1
    if before >= 0 and usable[before][2][0] >= low:
        return usable[before][0], usable[before][1]
    if owner is not ctx and owner is not None and verdict.window is None:
        lead = owner.segment
        before = bisect_right(usable, lead.end, key=lambda d: d[2][1]) - 1
        if before >= 0 and usable[before][2][0] >= lead.start:
            return usable[before][0], usable[before][1]
    return None


def analyse_clause(
    clause: Clause,
    matcher: FeatureMatcher,
    start_date: date,
    date_format: Literal["dmy", "mdy"] = "dmy",
    *,
    lead_in: str | None = None,
    lead_in_id: str | None = None,
    anchors: Mapping[str, date] | None = None,
) -> ClauseAnalysis:
    """Find the features a clause names, which of them it commits to and by when, and uptimes.

    ``lead_in`` is the text of an earlier clause that governs this one ("Provider shall
    deliver the following:" before a list item or table row); ``anchors`` are the dates the
    document defines ("Go-Live Date" -> 15 April 2027) for relative due dates. Both are
    what ``analyse_document`` passes; a clause analysed alone has neither.

    A clause is analysed up to ``MAX_CLAUSE_CHARS`` characters: the longest one a
    contract may hold (``budget``), so only a caller that skips the budget sees it cut.
    """
    own = clause.text[:MAX_CLAUSE_CHARS]
    offset = 0
    text = own
    if lead_in:
        lead_text = lead_in[-REACH:]
        text = f"{lead_text}\n{own}"
        offset = len(lead_text) + 1
    every = matcher.find(text)
    if _nothing_to_decide(every, offset, own):
        return ClauseAnalysis(clause=clause, mentions=(), commitments=(), decisions=(), uptimes=())
    dates = find_dates(text, start_date, date_format, anchors)
    masked = _mask(text, every, dates)
    sentences = split_sentences(text)  # once, for every step below that reads them
    contexts, clause_disclaimer = _contexts(text, masked, every, offset, sentences)
    own_mentions = matcher.find(own) if offset else every
    own_masked = _mask(own, own_mentions, []) if offset else masked
    own_sentences = None if offset else sentences
    if offset and clause_disclaimer is not None:
        # the lead-in's own disclaimers cover only the lead-in clause
        clause_disclaimer = _contexts(own, own_masked, own_mentions)[1]
    usable = _usable(text, dates)
    unticked = _unticked(text, offset)
    failures = _failure_sentences(text, offset, sentences)
    context_starts = [c.segment.start for c in contexts]
    mentions: list[Mention] = []
    decisions: list[Decision] = []
    best: dict[str, InferredCommitment] = {}
    for mention in every:
        if mention.start < offset:
            continue  # a mention in the lead-in is the lead-in clause's own
        shifted = Mention(
            mention.feature, mention.start - offset, mention.end - offset, mention.text
        )
        mentions.append(shifted)
        index = bisect_right(context_starts, mention.start) - 1
        ctx = contexts[index] if index >= 0 else None
        if ctx is None or mention.start >= ctx.segment.end:
            decisions.append(Decision(mention.feature, False, "no commitment language", None))
            continue
        box = _inside(unticked, mention.start)
        failure = _inside(failures, mention.start)
        if box is not None:
            verdict = Verdict(False, f"an option whose box is not ticked ('{box}')", box)
        elif failure is not None:
            reason = f"a remedy owed only if the service fails ('{failure}')"
            verdict = Verdict(False, reason, failure)
        else:
            verdict = decide(ctx, mention, clause_disclaimer)
        reason = verdict.reason
        if verdict.committed and ctx.lead is not None and ctx.segment.start >= offset > 0:
            governed = verdict.predicate is None or verdict.predicate.start < offset
            if governed:
                reason += f", governed by lead-in clause {lead_in_id or '(before)'}"
        decisions.append(Decision(mention.feature, verdict.committed, reason, verdict.words))
        if not verdict.committed:
            continue
        due = _due(ctx, mention, verdict, usable)
        if (
            due is None
            and offset
            and (verdict.predicate is None or verdict.predicate.start < offset)
        ):
            due = _row_date(usable, mention, offset)
        commitment = InferredCommitment(
            feature=mention.feature,
            due=due[0] if due else start_date,
            due_text=due[1] if due else None,
            evidence=verdict.words or "",
            span=(shifted.start, shifted.end),
            text=mention.text,
            revision=_revision(clause, shifted, verdict, offset),
        )
        best[mention.feature] = _earlier(best.get(mention.feature), commitment)
    commitments = sorted(best.values(), key=lambda c: c.span)
    return ClauseAnalysis(
        clause=clause,
        mentions=tuple(mentions),
        commitments=tuple(commitments),
        decisions=tuple(decisions),
        uptimes=tuple(_committed_uptimes(own, own_masked, own_sentences)),
    )


def _nothing_to_decide(every: list[Mention], offset: int, own: str) -> bool:
    """Most clauses name no feature of their own (mentions before ``offset`` are the
    lead-in's) and no uptime: then there is nothing to decide, and no need for dates,
    sentences or contexts."""
    return (not every or every[-1].start < offset) and not find_uptimes(own)


def _row_date(usable: list[Found], mention: Mention, offset: int) -> tuple[date, str] | None:
    """The due date of an item or table row a lead-in governs: the first date after the
    mention in the row ("Deliverable: X; Due date: 31 May 2027"), else the last before it."""
    after = [d for d in usable if d[2][0] >= mention.end]
    before = [d for d in usable if offset <= d[2][0] < mention.start]
    chosen = after[0] if after else before[-1] if before else None
    return (chosen[0], chosen[1]) if chosen else None


def _inside(ranges: list[tuple[int, int, str]], position: int) -> str | None:
    for low, high, words in ranges:
        if low <= position < high:
            return words
    return None


def _unticked(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """The lines of a form that start with an empty check box ("[ ]", "(  )", "☐"): options
    not chosen, which bind nobody."""
    found: list[tuple[int, int, str]] = []
    for match in lang.UNTICKED.finditer(text, offset):
        end = text.find("\n", match.end())
        found.append((match.start(), len(text) if end < 0 else end, quote(match.group())))
    return found


def _failure_sentences(
    text: str, offset: int, sentences: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """Sentences that owe something only if the service fails ("Customer will be entitled to
    a service credit if Provider does not meet its service level")."""
    found: list[tuple[int, int, str]] = []
    for start, end in sentences:
        if end <= offset:
            continue
        failure = lang.FAILURE_CONDITION.search(text, start, end)
        if failure is not None:
            found.append((start, end, quote(failure.group())))
    return found


def _revision(clause: Clause, mention: Mention, verdict: Verdict, offset: int) -> Revision | None:
    """The tracked change that makes this mention a commitment, if any: an insertion that
    holds the mention or its commitment words, or the deletion of a disclaimer from its
    sentence."""
    if not clause.revisions:
        return None
    spans = [(mention.start, mention.end)]
    predicate = verdict.predicate
    if predicate is not None and predicate.start >= offset:
        spans.append((predicate.start - offset, predicate.end - offset))
    for revision in clause.revisions:
        low, high = revision.span
        if revision.kind == "inserted" and any(a < high and low < b for a, b in spans):
            return revision
    sentences = split_sentences(clause.text[:MAX_CLAUSE_CHARS])
    sentence = next(((a, b) for a, b in sentences if a <= mention.start < b), (0, len(clause.text)))
    for revision in clause.revisions:
        position = revision.span[0]
        if revision.kind != "deleted" or not sentence[0] <= position <= sentence[1]:
            continue
        if lang.DISCLAIMER.search(revision.text) or lang.CLAUSE_DISCLAIMER.search(revision.text):
            return revision
    return None


def _earlier(
    current: InferredCommitment | None, candidate: InferredCommitment
) -> InferredCommitment:
    if current is None:
        return candidate
    if current.due_text is None:
        return candidate if candidate.due_text is not None else current
    if candidate.due_text is not None and candidate.due < current.due:
        return candidate
    return current


def _committed_uptimes(
    text: str, masked: str, sentences: list[tuple[int, int]] | None
) -> list[Uptime]:
    """Uptimes, less those in a sentence that disclaims them ("... is not guaranteed");
    ``sentences`` are ``split_sentences(text)`` if the caller has them."""
    if sentences is None:
        sentences = split_sentences(text)
    uptimes = find_uptimes(text, sentences)
    if not uptimes:
        return []
    starts = [s[0] for s in sentences]
    disclaimed: dict[tuple[int, int], bool] = {}  # one search per sentence, not per uptime
    predicates: dict[tuple[int, int], tuple[list[lang.Predicate], list[int]]] = {}  # likewise
    kept: list[Uptime] = []
    unticked = _unticked(text)
    for uptime in uptimes:
        i = bisect_right(starts, uptime.span[0]) - 1
        inside = i >= 0 and uptime.span[0] < sentences[i][1]
        span = sentences[i] if inside else (0, len(text))
        if span not in disclaimed:
            disclaimed[span] = lang.DISCLAIMER.search(masked, *span) is not None
        if disclaimed[span] or _inside(unticked, uptime.span[0]) is not None:
            continue
        if span not in predicates:
            found = lang.find_predicates(masked, *span)
            predicates[span] = (found, [p.end for p in found])
        if _customer_duty(masked, span[0], uptime.span[0], predicates[span]):
            continue  # "Customer shall maintain ... 99.99% availability of its own systems"
        kept.append(uptime)
    return kept


def _customer_duty(
    masked: str,
    low: int,
    position: int,
    in_sentence: tuple[list[lang.Predicate], list[int]],
) -> bool:
    """Is the predicate before ``position`` in its sentence an obligation of the customer?

    ``in_sentence`` are the sentence's predicates and their ends, found once per sentence:
    a sentence with a thousand percentages must not be searched a thousand times."""
    found, ends = in_sentence
    count = bisect_right(ends, position)  # the predicates that end before the uptime
    if not count:
        return False
    last = found[count - 1]
    before = found[count - 2].end if count > 1 else low
    subject = subject_of(masked, before, last.start)
    return subject is not None and subject[0] == "customer"
