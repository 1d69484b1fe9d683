"""Decide, for one feature mention, whether the clause commits the provider to it.

The rules, in the order they are applied (the first that applies decides):

1. a disclaimer in the mention's segment (see ``sentences``: a sentence, or a
   part of one between ";"), in the lead-in it continues, or in a segment of
   the clause that names no feature ("Nothing in this clause ...") wins over
   any commitment words: *disclaimed*;
2. a hedge governing a "that"-clause ("Provider anticipates that X will ...");
3. a mention that only qualifies another noun is no promise of the feature:
   "offline mode *documentation*", "the mobile app *roadmap*", "SSO's metadata";
4. the mention's *governing predicate* is found: the modal right after the
   mention when the mention is its subject ("EU data residency shall be made
   available"), else the last modal before it in the segment ("Provider shall
   provide X"), else the lead-in's ("Provider shall: (a) provide X; ..."). A
   predicate reaches at most ``REACH`` characters;
5. that predicate decides: a hedge ("may", "intends to") hedges; a negation
   ("shall not provide") negates, except "shall/will/must not discontinue,
   remove ..." which promises to keep the feature; an obligation whose subject
   is the customer ("Customer shall configure X") or both parties is not the
   provider's, except an entitlement ("Customer shall have access to X");
   otherwise it commits only with a delivery verb between it and the mention
   ("provide", "deliver", "make ... available", "support", "include" ...), or
   "have X in place", and only when no preposition or topic word makes the
   mention a mere qualifier of what is delivered ("a summary *of* the audit
   log", "99.95% availability *for* X", "a presentation *covering* X");
6. an order-form line marked "(committed)" or "status: committed" commits the
   features it names;
7. nothing above: *no commitment language*.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from dealcheck.clauses import language as lang
from dealcheck.clauses.language import Kind, Predicate
from dealcheck.clauses.model import Mention
from dealcheck.clauses.sentences import Segment

#: How far (in characters) a predicate reaches: "Provider shall provide" governs no
#: mention further away than this, which also keeps analysis linear on hostile input.
REACH = 400

_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[^\W_]+")


def quote(text: str) -> str:
    """``text`` on one line, for evidence and reasons."""
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Context:
    """What is known about one segment when its mentions are judged."""

    text: str  # the clause text
    masked: str  # the same, with mentions and dates blanked out
    segment: Segment
    sentence: tuple[int, int]
    predicates: tuple[Predicate, ...]
    subjects: tuple[tuple[str, str] | None, ...]  # (side, words) of each predicate
    disclaimer: str | None
    lead: Context | None  # the lead-in this segment continues, if any
    hedge_that: tuple[int, str] | None  # first "anticipates that" in the segment
    labelled: tuple[tuple[int, int, str], ...]  # clause parts marked "(committed)", by position
    #: the lead-in in force, even for a segment with predicates of its own: it governs a
    #: mention that comes before all of them ("(1) X offered by Provider, and Provider will")
    outer_lead: Context | None = None


@dataclass(frozen=True)
class Verdict:
    """The decision about one mention, and what the due date should be searched near."""

    committed: bool
    reason: str
    words: str | None
    predicate: Predicate | None = None
    keeps: bool = False  # a promise to keep the feature: due at start, whatever dates follow
    window: tuple[int, int] | None = None  # where to look for its due date, if no predicate


def subject_of(context_masked: str, low: int, high: int) -> tuple[str, str] | None:
    """The party that is the subject of a verb at ``high``: the last party named in
    ``[low, high)``, if it stands at most five words before the verb and is not the
    object of a preposition ("by Customer")."""
    found: list[tuple[int, str, str]] = []
    for side, pattern in (
        ("provider", lang.PROVIDER),
        ("customer", lang.CUSTOMER),
        ("both", lang.BOTH),
    ):
        found.extend(
            (m.start(), side, m.group()) for m in pattern.finditer(context_masked, low, high)
        )
    for position, side, words in sorted(found, reverse=True):
        if len(_WORDS.findall(context_masked, position + len(words), high)) > 5:
            break  # "host the Customer's instance ... and shall provide": not its subject
        if lang.OBJECT_PREPOSITION.search(context_masked, max(low, position - 24), position):
            continue  # "by Customer", "to Provider": an object, not the subject
        return side, words
    return None


def _is_subject(ctx: Context, mention: Mention, predicate: Predicate) -> bool:
    before = ctx.masked[max(ctx.segment.start, mention.start - 24) : mention.start]
    if lang.OBJECT_PREPOSITION.search(before):
        return False
    if predicate.start - mention.end > REACH:
        return False
    gap = lang.PARENTHETICAL.sub(" ", ctx.masked[mention.end : predicate.start])
    if "\ue001" in gap or lang.SUBJECT_GAP_STOP.search(gap) or re.search(r",\s*(?:and|or)\b", gap):
        return False
    if any(p.search(gap) for p in (lang.PROVIDER, lang.CUSTOMER, lang.BOTH)):
        return False
    return len(re.findall(r"[^\W_]+", gap)) <= 6


def governing(ctx: Context, mention: Mention) -> tuple[Context, int, bool] | None:
    """``(context, predicate index, mention is its subject)`` for the predicate governing it."""
    following = bisect_left(ctx.predicates, mention.end, key=lambda p: p.start)
    if following < len(ctx.predicates) and _is_subject(ctx, mention, ctx.predicates[following]):
        return ctx, following, True
    preceding = bisect_right(ctx.predicates, mention.start, key=lambda p: p.end) - 1
    if preceding >= 0:
        return ctx, preceding, False
    if ctx.lead is not None and ctx.lead.predicates and not ctx.predicates:
        return ctx.lead, len(ctx.lead.predicates) - 1, False
    outer = ctx.outer_lead
    if outer is not None and outer.predicates and outer.segment.lead_in:
        return outer, len(outer.predicates) - 1, False
    return None


def decide(ctx: Context, mention: Mention, clause_disclaimer: str | None) -> Verdict:
    """Judge one mention (see the module docstring for the rules)."""
    for disclaimer in (ctx.disclaimer, ctx.lead.disclaimer if ctx.lead else None):
        if disclaimer:
            return Verdict(False, f"disclaimed by '{disclaimer}'", disclaimer)
    if clause_disclaimer:
        reason = f"disclaimed for the whole clause by '{clause_disclaimer}'"
        return Verdict(False, reason, clause_disclaimer)
    if ctx.hedge_that is not None and ctx.hedge_that[0] < mention.start:
        hedge = ctx.hedge_that[1]
        return Verdict(False, f"hedged by '{hedge}'", hedge)
    qualified = _qualified_noun(ctx, mention)
    if qualified is not None:
        return Verdict(False, f"only qualifies '{qualified}'", qualified)
    found = governing(ctx, mention)
    if found is None:
        part = bisect_right(ctx.labelled, mention.start, key=lambda p: p[0]) - 1
        if part < 0 or ctx.labelled[part][1] <= mention.start:
            return Verdict(False, "no commitment language", None)
        low, high, words = ctx.labelled[part]
        return Verdict(True, f"committed by '{words}'", words, window=(low, high))
    owner, index, as_subject = found
    predicate = owner.predicates[index]
    words = quote(predicate.words)
    if predicate.kind is Kind.HEDGE:
        subject = owner.subjects[index]
        bridge = ctx.masked[predicate.end : mention.start]
        if (
            not as_subject
            and owner is ctx
            and subject is not None
            and subject[0] == "customer"
            and words.lower() == "may"
            and _only_adverbs(bridge)
        ):
            # "Customer may export Customer Data": a right the provider must honour
            evidence = quote(f"{subject[1]} may {mention.text}")
            return Verdict(True, f"entitled by '{evidence}'", evidence, predicate)
        return Verdict(False, f"hedged by '{words}'", words, predicate)
    if as_subject:
        return _as_subject(ctx, predicate, mention)
    return _as_object(ctx, owner, index, mention)


def _qualified_noun(ctx: Context, mention: Mention) -> str | None:
    """The noun a mention merely qualifies ("offline mode *documentation*"), if any."""
    end = min(ctx.segment.end, mention.end + 60)
    artefact = lang.ARTEFACT.match(ctx.masked, mention.end, end)
    if artefact is not None:
        return quote(f"{mention.text}{artefact.group()}")
    if mention.text.endswith(("'s", "’s")):
        possessed = lang.POSSESSED.match(ctx.masked, mention.end, end)
        if possessed is not None and lang.AVAILABILITY.match(possessed.group()) is None:
            return quote(f"{mention.text}{possessed.group()}")
    return None


def _as_subject(ctx: Context, predicate: Predicate, mention: Mention) -> Verdict:
    words = quote(predicate.words)
    quantified = lang.ANY_BEFORE.search(ctx.masked, max(0, mention.start - 12), mention.start)
    if quantified is not None:
        what = quote(quantified.group() + mention.text)
        return Verdict(False, f"no commitment language ('{what}' does not promise it)", what)
    if predicate.kind is Kind.NEGATED:
        return Verdict(False, f"negated by '{words}'", words, predicate)
    if predicate.kind is Kind.INCLUDE:
        if not words.lower().startswith(("is ", "are ")):
            return _neutral(ctx, predicate)  # X includes Y
        return Verdict(True, f"committed by '{words}'", words, predicate)
    available = lang.AVAILABILITY.match(ctx.masked, predicate.end)
    if available is None:
        return _neutral(ctx, predicate)
    evidence = quote(predicate.words + available.group())
    return Verdict(True, f"committed by '{evidence}'", evidence, predicate)


def _bridge(ctx: Context, owner: Context, predicate: Predicate, mention: Mention) -> str:
    """The masked words from the predicate to the mention (through a lead-in if need be)."""
    if owner is ctx:
        return ctx.masked[predicate.end : mention.start]
    if mention.start - ctx.segment.start > REACH or owner.segment.end - predicate.end > REACH:
        return ctx.masked[ctx.segment.start : mention.start]  # too far: the caller gives up
    lead = ctx.masked[predicate.end : owner.segment.end]
    return lead + " " + ctx.masked[ctx.segment.start : mention.start]


def _as_object(ctx: Context, owner: Context, index: int, mention: Mention) -> Verdict:
    predicate = owner.predicates[index]
    words = quote(predicate.words)
    subject = owner.subjects[index]
    side = subject[0] if subject else None
    who = quote(subject[1]) if subject else ""
    bridge = _bridge(ctx, owner, predicate, mention)
    if len(bridge) > REACH:
        return Verdict(False, f"no commitment language ('{words}' is too far away)", None)
    if lang.SCOPE_BREAK.search(bridge):
        return Verdict(False, "no commitment language", None)
    excluded = lang.EXCLUSION.search(bridge)
    if excluded:
        return Verdict(
            False, f"excluded by '{quote(excluded.group())}'", excluded.group(), predicate
        )
    if predicate.kind is Kind.NEGATED:
        firm = lang.FIRM_NEGATION.match(predicate.words) is not None
        keep = lang.KEEP_AFTER_NOT.match(ctx.masked, predicate.end) if firm else None
        if side == "customer":
            return Verdict(False, f"obligation on the customer ('{who} {words}')", words)
        if keep is None:
            return Verdict(False, f"negated by '{words}'", words, predicate)
        evidence = quote(predicate.words + keep.group())
        return Verdict(True, f"committed to keep it by '{evidence}'", evidence, predicate, True)
    if predicate.kind is Kind.INCLUDE:  # "the Customer's Subscription includes X"
        low = owner.predicates[index - 1].end if index else owner.segment.start
        if not lang.INCLUDE_SUBJECT.search(owner.masked, low, predicate.start):
            return _neutral(ctx, predicate)
        return _delivered(ctx, mention, predicate, bridge, words)
    if side == "customer":
        entitled = lang.ENTITLEMENT.match(ctx.masked, predicate.end)
        if entitled is None:
            return Verdict(False, f"obligation on the customer ('{who} {words}')", f"{who} {words}")
        return _delivered(ctx, mention, predicate, bridge[entitled.end() - predicate.end :], words)
    if side == "both":
        return Verdict(False, f"obligation on both parties ('{who} {words}')", f"{who} {words}")
    hedge_verb = lang.HEDGE_VERB.search(bridge)
    if hedge_verb is not None:
        hedge = quote(hedge_verb.group())
        return Verdict(False, f"hedged by '{words} {hedge}'", f"{words} {hedge}", predicate)
    verb = _delivery_verb(bridge)
    state = lang.STATE_VERB.search(bridge)
    if verb is None and state is not None:
        after = lang.STATE_AFTER.match(ctx.masked, mention.end, ctx.segment.end)
        if after is not None:
            evidence = quote(f"{words} {state.group()} … {after.group().split()[-1]}")
            return _delivered(ctx, mention, predicate, bridge[state.end() :], evidence)
    if verb is None:
        if predicate.kind is Kind.SELF:
            return _delivered(ctx, mention, predicate, bridge, words)
        if owner is ctx and predicate.kind is Kind.COMMIT and _only_adverbs(bridge):
            # "Provider will delete Customer Data": the mention is the modal's verb phrase
            evidence = quote(f"{words} {mention.text}")
            return Verdict(True, f"committed by '{evidence}'", evidence, predicate)
        scope = lang.SCOPE_COPULA.match(bridge)
        if scope is not None and predicate.kind is Kind.COMMIT:
            low = owner.predicates[index - 1].end if index else owner.segment.start
            if lang.INCLUDE_SUBJECT.search(owner.masked, low, predicate.start):
                # "The Continued Service provided by Netzee will be the ... support of ..."
                evidence = quote(f"{words} {scope.group().strip()}")
                return _delivered(ctx, mention, predicate, bridge[scope.end() :], evidence)
        return _neutral(ctx, predicate)
    purpose = lang.PURPOSE.search(bridge, 0, verb.start())
    if purpose is not None:
        what = quote(purpose.group() + verb.group())
        return Verdict(False, f"no commitment language ('{what}' states a purpose)", what)
    gap = " … " if bridge[: verb.start()].strip() else " "
    evidence = quote(words + gap + verb.group())
    rest = bridge[verb.end() :]
    if owner is not ctx:
        # the words before the lead-in's colon qualify the list, not its items
        rest = rest[rest.rfind(":") + 1 :]
    verdict = _delivered(ctx, mention, predicate, rest, evidence)
    if verdict.committed and lang.MAINTENANCE.match(verb.group()):
        return Verdict(True, f"committed to keep it by '{evidence}'", evidence, predicate, True)
    return verdict


def _only_adverbs(bridge: str) -> bool:
    words = bridge.split()
    return len(words) <= 3 and all(word.lower() in lang.ADVERBS for word in words)


def _neutral(ctx: Context, predicate: Predicate) -> Verdict:
    """A predicate that promises no delivery ("shall invoice", "will be submitted")."""
    following = re.match(r"\s+(?:be\s+)?[^\W\d_]+", ctx.masked[predicate.end : predicate.end + 40])
    words = quote(predicate.words + (following.group() if following else ""))
    return Verdict(False, f"no commitment language ('{words}' promises no delivery)", words)


def _delivery_verb(bridge: str) -> re.Match[str] | None:
    """The first delivery verb of the bridge, skipping participles ("a partner offering X")."""
    for verb in lang.DELIVERY.finditer(bridge):
        before = bridge[: verb.start()].rstrip()
        if verb.group().lower().endswith("ing") and before and not before.lower().endswith("to"):
            continue
        return verb
    return None


def _delivered(
    ctx: Context, mention: Mention, predicate: Predicate, rest: str, evidence: str
) -> Verdict:
    """A commitment unless a preposition in ``rest`` makes the mention a mere qualifier."""
    parenthesised = ctx.text[max(0, mention.start - 8) : mention.start].rstrip().endswith("(")
    blocking = None if parenthesised else lang.BLOCKING.search(lang.NEUTRAL_PHRASES.sub(" ", rest))
    if blocking is not None:
        prep = blocking.group()
        words = f"{evidence} … {prep}"
        return Verdict(False, f"only qualifies what is promised ('{words}')", words, predicate)
    after = ctx.masked[mention.end : min(ctx.segment.end, mention.end + 60)]
    available = re.match(r"[\W\ue000]*(?:[^\W_]+\W+){0,3}?available\b", after)
    if available and "available" not in evidence:
        evidence += " … available"
    return Verdict(True, f"committed by '{evidence}'", evidence, predicate)
