"""Attribution: who says what in a sentence (a report, a claim of responsibility, a denial)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from wiredesk.extract.lexicon import ListsOfHead
from wiredesk.knowledge import load_toml
from wiredesk.nlp.wordscan import WordHeads, gate, opened_by, word_heads, word_pattern
from wiredesk.records import Span

AttributionKind = Literal["responsibility", "denial", "said"]

_SOURCE_NOUNS = re.compile(
    r"\b(?:sources?|officials?|witness(?:es)?|residents?|spokes(?:man|woman|person)|police|"
    r"military|army|ministry|medics?|doctors?|governor|mayor|commander|authorities|agency|"
    r"statement|channel|outlet|observatory|monitor|group|militia|report|resistance|rebels|"
    r"militants|forces|government|council|committee|union|volunteers?|activists?|elders?|"
    r"leaders?|chief|officers?|workers?|analysts?|researchers?|newspapers?|media|television|"
    r"radio|broadcaster)\b",
    re.IGNORECASE,
)
_FINITE = re.compile(r"\b(?:has|have|had|was|were|is|are|been|will|would|launched|conducted)\b")
_QUOTES = "\"“”‘’'«»"
_MAX_SPEAKER_WORDS = 10
_POSTPOSED_TAIL = 40
_SPOKESPERSON = re.compile(
    r"(?<=[A-Za-z])\s+(?:statement|spokes(?:man|woman|person)|press office)\b.*$"
)
_TAIL_START = re.compile(
    r"(?:on|in|at|late|early|last|this|yesterday|today|tonight|earlier|later|to|via|through|"
    r"by|after|when|while|citing)\b",
    re.IGNORECASE,
)
# "BAGHDAD, March 3 (Tigris Wire) - ": a dateline opens the story, it names no speaker.
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'/-]{2,}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?"
    r"\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s*"
)
# "No group claimed responsibility", "did not claim": attributions that attribute nothing.
_NO_SPEAKER = re.compile(r"^(?:no|none|nobody|no one)\b", re.IGNORECASE)
_NEGATED_VERB = re.compile(r"\b(?:not|never|yet to|stopped short of)\s+(?:\w+\s+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attribution:
    by: str | None  # who says it, as written (a pronoun resolved to the last named source)
    kind: AttributionKind
    content: Span  # what is said, or the whole statement for a claim of responsibility


@dataclass(frozen=True, slots=True)
class _Lexicon:
    speech: re.Pattern[str]
    according: re.Pattern[str]
    responsibility: re.Pattern[str]
    responsibility_by: re.Pattern[str]
    denial: re.Pattern[str]
    denial_content: re.Pattern[str]
    pronouns: frozenset[str]
    openers: re.Pattern[str]
    # A word's head -> which of the lists of speech, according, responsibility and
    # responsibility_by (by their names in claims.toml) it can start.
    cues_of_head: ListsOfHead[str]


# The lists a sentence is searched for, by their names in claims.toml.
_CUES = ("speech_verbs", "according_to", "responsibility", "responsibility_by")


@cache
def _lexicon() -> _Lexicon:
    data = load_toml("events/claims.toml")
    # Case-sensitive: "the United States" is no verb.
    speech = re.compile(word_pattern(data["speech_verbs"]).pattern)
    according = word_pattern(data["according_to"])
    responsibility = word_pattern(data["responsibility"])
    responsibility_by = word_pattern(data["responsibility_by"])
    return _Lexicon(
        speech=speech,
        according=according,
        responsibility=responsibility,
        responsibility_by=responsibility_by,
        denial=word_pattern(data["denial"]),
        denial_content=word_pattern(data["denial_content"]),
        pronouns=frozenset(p.lower() for p in data["pronouns"]),
        openers=re.compile(
            r"^(?:" + "|".join(sorted(data["openers"], key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        ),
        cues_of_head=ListsOfHead(*opened_by((name, gate(data[name])) for name in _CUES)),
    )


class SpeakerMemory:
    """The last named source in a document, for "it said" and "the group said"."""

    def __init__(self) -> None:
        self.last: str | None = None


_TRAILING = re.compile(r"\s+(?:later|also|then|has|have|had|on \w+)\s*$")
_CALLING_ITSELF = re.compile(r"\bcall(?:ing|s) (?:itself|themselves)\s+(.+)$", re.IGNORECASE)
_RELATIVE_OPENER = re.compile(r"^\W*(?:which|who|that)\s+", re.IGNORECASE)
_RELATIVE = re.compile(r"\s+(?:that|which|who|whose)\s+")
_OTHER_VERB = re.compile(r"\s+(?:gave|put|offered|provided|called|urged|asked|appealed)\b")
_SUBORDINATOR = re.compile(r"\b(?:after|before|when|while|since|because|as)\s+")
_ARTICLE = re.compile(r"^\W*(?:the|a|an)\s+", re.IGNORECASE)


def _clean(name: str) -> str:
    name = _TRAILING.sub("", name.strip())
    called = _CALLING_ITSELF.search(name)
    if called:
        name = called[1]
    # "a channel that relays ...": the source is the head before a relative clause;
    # "the attack came a day after the group claimed": it follows the last subordinator.
    name = _RELATIVE_OPENER.sub("", name.strip())
    name = _RELATIVE.split(name)[0]
    # "Civil society leaders gave a different toll, saying": the source is before its verb.
    name = _OTHER_VERB.split(name)[0]
    name = _SUBORDINATOR.split(name)[-1]
    name = _ARTICLE.sub("", name.strip())
    name = " ".join(name.strip(_QUOTES + " ,;:—–-").split())
    # "a coalition statement issued at the time", "Pentagon spokesperson": the body speaks.
    return _SPOKESPERSON.sub("", name) or name


# "The group last week claimed": a time phrase between the source and its verb.
_TIME_TAIL = re.compile(
    r"\s+(?:(?:earlier|later)\s+)?(?:last|this|next|earlier|later|on)\s+"
    r"(?:week|month|year|night|weekend|morning|evening|[A-Z][a-z]+day)\s*$",
    re.IGNORECASE,
)
# "A bomb killed seven soldiers, and the BLA claimed the attack": the claimant's own clause.
_COORDINATED = re.compile(r"(?:,|\s[—–])\s*(?:and|but|while|whereas)\s+", re.IGNORECASE)
# Where the words before a verb break into the clauses that may name the speaker.
_CHUNK_BREAK = re.compile(r",|\s[—–]\s|\(|\)")
_CAPITAL = re.compile(r"[A-Z]")


def _speaker(prefix: str, memory: SpeakerMemory) -> str | None:
    """Who speaks, from the words before the verb: the first clause that names someone."""
    lex = _lexicon()
    prefix = _DATELINE.sub("", prefix)
    chunks = [c for c in _CHUNK_BREAK.split(prefix) if c.strip()]
    for chunk in (_TIME_TAIL.sub("", c) for c in chunks):
        lowered = chunk.strip().lower()
        if lex.openers.match(lowered):
            continue
        name = _clean(chunk)
        if not name:
            continue
        if name.lower() in lex.pronouns or lowered in lex.pronouns:
            return memory.last
        if len(name.split()) > _MAX_SPEAKER_WORDS or _FINITE.search(name):
            return None
        if not (_CAPITAL.search(name) or _SOURCE_NOUNS.search(name)):
            return None
        memory.last = name
        return name
    return None


def _trim(sentence: Span, start: int, end: int) -> Span:
    """A sub-span of a sentence, without the white space and punctuation at its edges."""
    text = sentence.text
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    return Span(sentence.start + start, sentence.start + end, text[start:end])


def _content_after(sentence: Span, position: int, verb: str) -> Span:
    rest = sentence.text[position:]
    # "told reporters that ...", "said in a statement posted on Telegram that ...".
    addressee = r"(?:[^,.]{0,60}?\bthat\s+)?" if verb in ("told", "tells") else ""
    lead = re.match(
        rf"\s*{addressee}(?:in a statement\s*)?"
        r"(?:(?:published|posted)\s+on\s+[^,]+?\s+)?(?:that\s+)?",
        rest,
    )
    return _trim(sentence, position + (lead.end() if lead else 0), len(sentence.text))


# Where the name of a source after "according to" or a verb ends.
_NAME_END = re.compile(r"[,.;]|$")
# A quotation that ends right before its verb: '"...," said the official'.
_QUOTE_BEFORE = re.compile(r"[,.!?][\"”’']\s*$")
# "..., the ministry said": the source after the comma that ends what it says.
_POSTPOSED_SOURCE = re.compile(r",\s*([^,]{2,80})$")


def find_attributions(
    sentence: Span, memory: SpeakerMemory, heads: WordHeads | None = None
) -> list[Attribution]:
    """The attributed statements of one sentence, in order (`heads`: the heads of its words,
    `wordscan.word_heads`, when they have been read)."""
    lex = _lexicon()
    text = sentence.text
    found: list[Attribution] = []
    # Each list is tried only at the words of the sentence that can start it.
    cues = lex.cues_of_head
    starts = cues.starts(word_heads(text) if heads is None else heads)

    responsibility = next(cues.find(starts, "responsibility", lex.responsibility, text), None)
    if responsibility and _NEGATED_VERB.search(text[: responsibility.start()]):
        responsibility = None
    if responsibility:
        prefix = text[: responsibility.start()]
        prefix = prefix[max((m.end() for m in _COORDINATED.finditer(prefix)), default=0) :]
        if _NO_SPEAKER.match(prefix.strip()):
            return found
        by = _speaker(prefix, memory)
        start = responsibility.start()
        auxiliary = re.search(r"(?:has|have|had)\s+$", text[:start])
        if auxiliary:
            start = auxiliary.start()
        found.append(Attribution(by, "responsibility", _trim(sentence, start, len(text))))
        return found

    claimed_by = next(cues.find(starts, "responsibility_by", lex.responsibility_by, text), None)
    if claimed_by:
        after = text[claimed_by.end() :]
        name_end = re.search(r"[,.;]|\s+(?:on|in|late|early|after|via)\s|$", after)
        assert name_end is not None
        by = _speaker(after[: name_end.start()], memory)
        if by:
            found.append(
                Attribution(by, "responsibility", _trim(sentence, claimed_by.start(), len(text)))
            )
            return found

    according = next(cues.find(starts, "according_to", lex.according, text), None)
    if according:
        after = text[according.end() :]
        name_end = _NAME_END.search(after)
        assert name_end is not None
        by = _speaker(after[: name_end.start()], memory) if name_end.start() else None
        if according.start() > 3:
            content = _trim(sentence, 0, according.start())
        else:
            content = _trim(sentence, according.end() + name_end.end(), len(text))
        if by and content.text:
            found.append(Attribution(by, "said", content))
            return found

    for verb in cues.find(starts, "speech_verbs", lex.speech, text):
        prefix = text[: verb.start()]
        # '"... the road," a police chief told the Wire', '"...," said a volunteer who ...'.
        quoted = _QUOTE_BEFORE.search(prefix)
        if quoted and verb[0] in _SAYS_BEFORE_SOURCE:
            after = text[verb.end() :]
            name_end = _NAME_END.search(after)
            assert name_end is not None
            by = _speaker(after[: name_end.start()], memory)
            content = _trim(sentence, 0, quoted.start())
            if by and content.text:
                found.append(Attribution(by, _said_kind(verb[0], content), content))
                break
        # "..., the ministry said." puts the source after its words.
        postposed = _POSTPOSED_SOURCE.search(prefix)
        # What follows the verb is at most a short tail ("said on Friday.", "said in a post on X.").
        tail = text[verb.end() :].strip(' ."”’')
        if (
            postposed
            and len(tail) <= _POSTPOSED_TAIL
            and "," not in tail
            # "..., a police chief told South Asia Wire by telephone": told whom.
            and (not tail or _TAIL_START.match(tail) or verb[0] in ("told", "tells"))
        ):
            by = _speaker(postposed[1], memory)
            content = _trim(sentence, 0, postposed.start())
        else:
            by = _speaker(prefix, memory)
            content = _content_after(sentence, verb.end(), verb[0])
        if by is None or not content.text:
            continue
        found.append(Attribution(by, _said_kind(verb[0], content), content))
        break
    return found


# Verbs that can come before their source, after a quotation ('"...," said the official').
_SAYS_BEFORE_SOURCE = frozenset({"said", "says", "added", "adds", "told", "explained", "wrote"})


def _said_kind(verb: str, content: Span) -> AttributionKind:
    """A denial when the verb denies or what is said denies ("said it was not involved")."""
    lex = _lexicon()
    if lex.denial.fullmatch(verb) or lex.denial_content.match(content.text):
        return "denial"
    return "said"
