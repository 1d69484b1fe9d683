"""The words of contract English that decide whether a mention is a commitment.

Every pattern here is a plain alternation of literal words with bounded
whitespace between them: no nested repetition, so matching is linear in the
text however hostile the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


def _words(*phrases: str) -> str:
    """An alternation of phrases; a space matches any whitespace, "'" either apostrophe."""
    return "|".join(phrase.replace(" ", r"\s+").replace("'", "['’]") for phrase in phrases)


def _phrases(block: str) -> list[str]:
    """The "|"-separated phrases of a text block."""
    return [" ".join(phrase.split()) for phrase in block.split("|") if phrase.strip()]


class Kind(Enum):
    """What a predicate does to the mentions it governs."""

    COMMIT = "commit"  # shall, will, must, agrees to, undertakes to ...
    SELF = "self"  # commits to, guarantees: a commitment even without a delivery verb
    INCLUDE = "include"  # "the Subscription includes X"
    HEDGE = "hedge"  # may, intends to, plans to, is expected to ...
    NEGATED = "negated"  # shall not, does not ...


@dataclass(frozen=True)
class Predicate:
    """A modal or commitment verb found in a clause."""

    start: int
    end: int
    kind: Kind
    words: str


_PREDICATES: list[tuple[Kind, re.Pattern[str]]] = [
    (
        Kind.NEGATED,
        re.compile(
            r"\b(?:(?:shall|will|must|may|can|could|would|should|does|do|did)\s+not"
            r"|cannot|won['’]t|shan['’]t|can['’]t|mustn['’]t|doesn['’]t|don['’]t)\b",
            re.I,
        ),
    ),
    (
        Kind.SELF,
        re.compile(
            r"\b(?:(?:hereby\s+)?commits?\s+to|(?:is|are)\s+committed\s+to|guarantees?"
            r"|committed\s+(?:features?|deliverables?|delivery\s+dates?|roadmap\s+items?)"
            r"|commitments?(?=\s*:))(?![^\W_])",
            re.I,
        ),
    ),
    (
        Kind.COMMIT,
        re.compile(
            r"(?:['’]ll\b|\b(?:shall|will|must"
            r"|(?:hereby\s+)?(?:agrees?|undertakes?|covenants?|promises?|endeavou?rs?)\s+(?:to|that)"
            r"|(?:is|are)\s+(?:obliged|obligated|required|bound|entitled)\s+to|warrants?"
            r"|(?:is|are)\s+(?:solely\s+|fully\s+)?responsible\s+for|responsibility)\b)",
            re.I,
        ),
    ),
    (Kind.INCLUDE, re.compile(r"\b(?:includes?|(?:is|are)\s+included)\b", re.I)),
    (
        Kind.HEDGE,
        re.compile(
            r"\b(?:may|might|could|would|should|can"
            r"|(?:intends?|plans?|aims?|expects?|hopes?|proposes?|wish(?:es)?)\s+to"
            r"|(?:is|are)\s+(?:targeting|planning|aiming)|targets?|anticipates?|intention"
            r"|(?:is|are)\s+(?:expected|planned|scheduled|targeted|intended|anticipated|likely"
            r"|projected|estimated)\s+to)\b",
            re.I,
        ),
    ),
]


def find_predicates(masked: str, start: int, end: int) -> list[Predicate]:
    """Predicates in ``masked[start:end]``, by position, the longest where they overlap."""
    found: list[Predicate] = []
    for kind, pattern in _PREDICATES:
        for match in pattern.finditer(masked, start, end):
            found.append(Predicate(match.start(), match.end(), kind, match.group()))
    found.sort(key=lambda p: (p.start, p.start - p.end))
    chosen: list[Predicate] = []
    for predicate in found:
        if chosen and predicate.start < chosen[-1].end:
            continue
        if predicate.kind is Kind.INCLUDE and chosen and _adjacent(masked, chosen[-1], predicate):
            continue  # "shall include", "does not include": the modal decides
        chosen.append(predicate)
    return chosen


def _adjacent(masked: str, before: Predicate, after: Predicate) -> bool:
    between = masked[before.end : after.start]
    return before.kind in (Kind.COMMIT, Kind.NEGATED, Kind.HEDGE) and not between.strip(" \n,")


#: "once/when X is certified/released ...": availability waits on an event outside the deal.
_PENDING = (
    r"|\b(?:once|when|after)\s+(?:\S+\s+){0,5}?(?:is|are|has\s+been|have\s+been|becomes?)\s+"
    r"(?:generally\s+)?(?:certified|approved|available|released|ready|completed|launched"
    r"|accredited|authori[sz]ed)\b"
)

_DISCLAIMER_PHRASES = """
not obligated | not obliged | not be obligated | not be obliged | not be required | not
required to | not bound to | no obligation | without any obligation | without obligation
| under no obligation | no commitment | not a commitment | not commitments | not a
binding | non-binding | not binding | indicative only | for information only | for
informational purposes | for information purposes | nothing in this | nothing in the |
if and when | when and if | if available | once available | if released | if provided |
if offered | if developed | sole discretion | absolute discretion | its discretion |
Provider's discretion | Provider's option | its option | need not | subject to
availability | subject to general availability | subject to Provider's roadmap | does
not guarantee | do not guarantee | not guaranteed | no guarantee | does not warrant |
does not commit | does not promise | does not undertake | makes no commitment | makes no
warranty | makes no representation | makes no promise | no warranty | does not
constitute | does not form part | elects to | decides to | chooses to | is an estimate |
are estimates | to the extent that the feature | to the extent the feature
"""

#: Disclaimers, conditions and hedges that take a whole segment out of commitment.
DISCLAIMER = re.compile(
    r"\b(?:"
    + _words(*_phrases(_DISCLAIMER_PHRASES))
    + r")(?![^\W_])|\bif\s+(?:and\s+when\s+)?(?:it|they|such\s+\w+|the\s+\w+|the\s+\ue000+|\ue000+)\s+"
    r"(?:is|are|becomes?)\s+(?:generally\s+)?available\b" + _PENDING,
    re.I,
)

_CLAUSE_PHRASES = """
nothing in this | not commitments | not a commitment | no commitment | for information
only | for informational purposes | for information purposes | non-binding | not binding
| indicative only | does not constitute | sole discretion | absolute discretion
"""

#: The disclaimers that, in a sentence naming no feature, cover the whole clause.
CLAUSE_DISCLAIMER = re.compile(
    r"\b(?:" + _words(*_phrases(_CLAUSE_PHRASES)) + r")(?![^\W_])",
    re.I,
)

#: Hedges that govern a whole "that"-clause: "Provider anticipates that X will ...".
HEDGE_THAT = re.compile(
    r"\b(?:anticipates?|expects?|believes?|hopes?|intends?|estimates?|projects?|predicts?"
    r"|forecasts?|understands?)\s+that\b",
    re.I,
)

PROVIDER = re.compile(
    r"\b(?:(?<!identity )provider|supplier|vendor|licensor|seller|contractor|acme"
    r"(?:\s+analytics)?|we)(?:['’]s)?(?![^\W_]|[-‐‑])",
    re.I,
)
CUSTOMER = re.compile(
    r"\b(?:customer|client|licensee|subscriber|buyer|purchaser|you|your"
    r"|authori[sz]ed\s+users?|end\s+users?|users?|administrators?|admins?)(?:['’]s)?"
    r"(?![^\W_]|[-‐‑])",
    re.I,
)
BOTH = re.compile(
    r"\b(?:(?:the|both)\s+parties|each\s+party|either\s+party|neither\s+party)\b", re.I
)
OBJECT_PREPOSITION = re.compile(
    r"\b(?:to|for|with|by|of|from|on|upon|at|than|under|in)\s+"
    r"(?:(?:the|its|all|a|an|any|each|every|such)\s+)?$",
    re.I,
)

#: Words after "Customer shall/will" that make it an entitlement, not a customer duty.
ENTITLEMENT = re.compile(
    r"\s*(?:also\s+)?(?:be\s+entitled\s+to|have\s+(?:the\s+right\s+to|access\s+to|use\s+of)"
    r"|receive|be\s+(?:provided|supplied|furnished)\s+with|be\s+given|be\s+granted"
    r"|be\s+able\s+to\s+use|get\s+access|gain\s+access)\b",
    re.I,
)

#: After "X shall"/"X will": the words that make X's own availability the promise.
AVAILABILITY = re.compile(
    r"\s*(?:also\s+|only\s+|then\s+|fully\s+|continue\s+to\s+)?(?:be\s+(?:made\s+)?"
    r"(?:generally\s+|fully\s+)?(?:available|provided|delivered|supported|enabled|included"
    r"|offered|released|shipped|implemented|activated|deployed|accessible|live|hosted"
    r"|maintained|furnished|supplied|in\s+place|ready)|become\s+(?:generally\s+)?available"
    r"|be\s+(?:switched|turned)\s+on|be\s+(?:rolled\s+out|put\s+in\s+place|made\s+live)"
    r"|go\s+live|remain\s+available|launch)\b",
    re.I,
)

DELIVERY = re.compile(
    r"\b(?:provid(?:e|es|ed|ing)|deliver(?:s|ed|ing)?|mak(?:e|es|ing)|made|suppl(?:y|ies|ying)"
    r"|furnish(?:es|ing)?|offer(?:s|ing)?|enabl(?:e|es|ing)|implement(?:s|ing)?"
    r"|support(?:s|ing)?|releas(?:e|es|ing)|ship(?:s|ping)?|launch(?:es|ing)?"
    r"|introduc(?:e|es|ing)|add(?:s|ing)?|build(?:s|ing)?|develop(?:s|ing)?|deploy(?:s|ing)?"
    r"|host(?:s|ing)?|activat(?:e|es|ing)|grant(?:s|ing)?|giv(?:e|es|ing)|includ(?:e|es|ing)"
    r"|maintain(?:s|ing)?|continu(?:e|es|ing)(?:\s+to\s+[^\W_]+)?|keep(?:s|ing)?|retain(?:s|ing)?|ensur(?:e|es|ing)"
    r"|procur(?:e|es|ing)|caus(?:e|es|ing)|execut(?:e|es|ing)|sign(?:s|ing)?|enter(?:s|ing)?\s+into|extend(?:s|ing)?|roll\s+out"
    r"|allow(?:s|ing)?|permit(?:s|ting)?|perform(?:s|ing)?|adher(?:e|es|ing)\s+to"
    r"|compl(?:y|ies|ying)\s+with|abid(?:e|es|ing)\s+by|(?:the\s+)?(?:delivery|availability|provision"
    r"|implementation|release|rollout|activation|deployment)\s+(?:of|for))\b",
    re.I,
)
#: "have/put/get X in place", "switch X on": a state of the feature is the promise.
STATE_VERB = re.compile(r"\b(?:hav(?:e|ing)|put(?:s|ting)?|get(?:s|ting)?)\b", re.I)
STATE_AFTER = re.compile(
    r"[^.;:]{0,40}?\b(?:in\s+place|available|live|operational|enabled|activated)\b", re.I
)
#: Order-form wording that marks a line as committed: "status: committed", "(committed)".
LABELLED_COMMITMENT = re.compile(
    r"\b(?:status|commitment|committed)\s*:\s*(?:committed|yes|firm)\b|\(\s*committed\s*\)",
    re.I,
)
#: Delivery verbs that promise to keep a feature rather than to deliver it.
MAINTENANCE = re.compile(r"^(?:maintain|continu|keep|retain)", re.I)
#: "shall not", "will not", "must not": negations that can promise to keep a feature.
FIRM_NEGATION = re.compile(r"^(?:shall|will|must|won|shan|mustn)\b", re.I)
#: After "shall not": verbs whose negation is a promise to keep the feature.
KEEP_AFTER_NOT = re.compile(
    r"\s*(?:\w+\s+)?(?:discontinue|remove|disable|withdraw|deprecate|degrade|retire|sunset"
    r"|terminate|suspend|cease)\b",
    re.I,
)
HEDGE_VERB = re.compile(
    r"\b(?:consider(?:s|ing)?|evaluat(?:e|es|ing)|explor(?:e|es|ing)|discuss(?:es|ing)?"
    r"|assess(?:es|ing)?|investigat(?:e|es|ing)|review(?:s|ing)?|study|look\s+into"
    r"|seek(?:s|ing)?\s+to|try\s+to|attempt\s+to)\b",
    re.I,
)
EXCLUSION = re.compile(
    r"\b(?:except(?:\s+for)?|excluding|other\s+than|but\s+not|save\s+for|not\s+including"
    r"|with\s+the\s+exception\s+of)\b",
    re.I,
)
#: Nouns that a feature name can qualify: "offline mode documentation", "the mobile app
#: roadmap", "SSO's SAML metadata". The promise is then about the document, not the feature.
ARTEFACT = re.compile(
    r"[ \t\-]+(?:documentation|docs|roadmaps?|plans?|presentations?|demos?|demonstrations?"
    r"|trainings?|guides?|guidance|manuals?|specifications?|specs?|metadata|settings|configuration"
    r"|credentials|fees?|pricing|prices?|invoices?|workshops?|sessions?|summar(?:y|ies)"
    r"|assessments?|evaluations?|questionnaires?|feedback|requirements|designs?|mock-?ups?"
    r"|prototypes?|timelines?|estimates?|proposals?|quotes?|white\s?papers?|brochures?"
    r"|webinars?|reports?|usage|notes)\b",
    re.I,
)
#: The word after a possessive mention ("SSO's metadata"): what the promise is about.
POSSESSED = re.compile(r"[ \t]+(?:[^\W\d_]+[ \t]+)?([^\W\d_]+)", re.I)

#: Words that end the reach of a predicate: what follows is a new clause of the sentence.
SCOPE_BREAK = re.compile(
    r"\b(?:so\s+that|in\s+order\s+(?:to|that)|which|who|whereby|whereas|unless)\b", re.I
)
#: A preposition between the delivery verb and a mention: the mention only qualifies
#: what is delivered ("a summary of the audit log", "99.95% availability for X").
BLOCKING = re.compile(
    r"\b(?:of|for|to|in|on|about|regarding|concerning|under|from|than|into|between|against"
    r"|per|relating\s+to|related\s+to|before|after|upon|unless|covering|describing|explaining"
    r"|outlining|detailing|documenting|summari[sz]ing|listing|showing|demonstrating|removing"
    r"|retiring|disabling|discontinuing|deprecating|withdrawing|suspending|changing|modifying"
    r"|replacing|terminating)\b",
    re.I,
)
#: Phrases removed from a bridge before looking for BLOCKING prepositions.
NEUTRAL_PHRASES = re.compile(
    r"\b(?:to|for|with|by)?\s*(?:(?:the|all|its|each|any|every)\s+){0,2}(?:Customer|Client|Licensee"
    r"|Subscriber)(?:['’]s)?(?:\s+(?:and\s+its\s+)?(?:Authori[sz]ed\s+Users|Affiliates|users"
    r"|administrators))?(?:\s+with)?\b"
    r"|\b(?:to|for|with)\s+(?:(?:the|all|its|each|any|every|your)\s+){0,2}(?:Authori[sz]ed\s+Users"
    r"|users|Affiliates|you)\b(?:\s+with)?"
    r"|\bat\s+all\s+times\b|\b(?:during|throughout|for)\s+(?:the\s+)?(?:(?:duration|remainder"
    r"|life)\s+of\s+the\s+|entire\s+|whole\s+)?(?:(?:Subscription|Initial|Renewal)\s+)?Term\b"
    r"|\bat\s+no\s+(?:additional|extra|further)\s+(?:cost|charge|fee)\b|\bfree\s+of\s+charge\b"
    r"|\bwithout\s+(?:additional\s+)?charge\b|\b(?:upon|on)\s+(?:Customer['’]s\s+)?(?:written\s+)?"
    r"request\b|\b(?:each|all|any|both|either)\s+of\s+(?:the\s+)?(?:following|them)\b"
    r"|\b(?:access|access\s+rights)\s+to\b|\buse\s+of\b|\bsupport\s+for\b"
    r"|\bas\s+(?:its|a)\s+replacement\b|\bavailable\s+to\b"
    r"|\b(?:in\s+accordance\s+with|as\s+(?:described|set\s+(?:out|forth)|specified)\s+in)\b"
    r"|\bup\s+to\b|\b\d[\d,.]*\s*(?:[^\W\d_]+\s+){0,3}?of\b",
    re.I,
)
#: Prepositions that introduce a date ("by", "no later than" ...), masked with the date.
DATE_LEAD = re.compile(
    r"(?:\b(?:by|on|before|after|from|as\s+of|with\s+effect\s+from|starting|beginning"
    r"|commencing|effective|in|during|within|at|until|till|through|throughout|prior\s+to"
    r"|no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|no\s+earlier\s+than"
    r"|not\s+before)\s+)+$",
    re.I,
)
#: A date after one of these words ends a period ("until 31 December 2028"), it is no due date.
NOT_DUE = re.compile(
    r"\b(?:until|till|through|throughout|beyond|up\s+to\s+and\s+including|dated|expires?\s+on"
    r"|ending\s+on)\s+$",
    re.I,
)
#: Nouns that make "X includes Y" an entitlement: "the Subscription includes SSO".
#: "The Services provided by Provider will be the operation and support of ...": a copula
#: that defines what a service is lists what is delivered, when the subject is a service.
SCOPE_COPULA = re.compile(
    r"\s*(?:be\s+(?:the|an?)|consists?\s+of|comprises?|encompass(?:es)?)\s+", re.I
)
INCLUDE_SUBJECT = re.compile(
    r"\b(?:subscriptions?|services?|editions?|plans?|packages?|order\s+form|offering|bundle"
    r"|SKU|licen[cs]e|platform|tier|fees)\b",
    re.I,
)
#: Words allowed between a mention and its verb for the mention to be the subject.
SUBJECT_GAP_STOP = re.compile(
    r"\b(?:that|which|who|so|because|if|unless|when|where|while|but|than|to|by|after|before"
    r"|is|are|was|were|has|have|had|does|do)\b"
    r"|[;:]",
    re.I,
)
PARENTHETICAL = re.compile(r"\([^()]{0,200}\)|,\s*(?:as|including|if)\b[^,;]{0,120},", re.I)

#: A form line that starts with an empty check box: an option not chosen ("[    ]  Provider
#: will provide professional services ...", "(  ) Pay by invoice", "☐ ...").
UNTICKED = re.compile(r"(?m)^[ \t]*(?:\[[ \t\u00a0_]*\]|\([ \t\u00a0_]+\)|[☐□])")

#: A condition on the service failing: what the sentence owes is a remedy, not a delivery
#: ("a service credit if Provider does not meet its service level").
FAILURE_CONDITION = re.compile(
    r"\b(?:if|where|when|in\s+the\s+event(?:\s+that)?|should)\s+[^.;]{0,160}?"
    r"\b(?:(?:is|are)\s+not\s+met|(?:does|do|did)\s+not\s+(?:meet|achieve)|fails?\s+to"
    r"|falls?\s+below|drops?\s+below|(?:is|are)\s+below|(?:is|are)\s+less\s+than"
    r"|not\s+(?:be\s+)?(?:met|achieved))\b",
    re.I,
)

#: An infinitive of purpose before a delivery verb: "use Customer Data solely to provide the
#: Support" says what the data is for, it promises no Support.
PURPOSE = re.compile(
    r"\b(?:solely|only|exclusively|necessary|needed|required|purposes?\s+of|in\s+order)\s+"
    r"(?:(?:as\s+)?(?:needed|necessary|required)\s+)?to\s+$",
    re.I,
)

#: Words that may stand between a modal and a mention that is its verb phrase ("Provider
#: will promptly delete Customer Data").
ADVERBS = frozenset(
    [
        "also",
        "promptly",
        "then",
        "thereafter",
        "further",
        "additionally",
        "immediately",
        "securely",
        "permanently",
        "automatically",
        "regularly",
    ]
)

#: "any Professional Services will be provided ...": what "any" X must be like, not that X is
#: delivered at all.
ANY_BEFORE = re.compile(r"\b(?:any|each|every|all|such)\s+$", re.I)
