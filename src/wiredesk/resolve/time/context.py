"""What a rule needs besides its match: publication date, the last time mentioned, tense."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from wiredesk.records import DateInterval, TimexType
from wiredesk.resolve.time.granule import Granule
from wiredesk.resolve.time.lexicon import Lexicon, lexicon

_WORDS = re.compile(r"[a-z]+(?:['’][a-z]+)?")
# A full stop, question or exclamation mark before a capital or a digit, a colon or semicolon,
# or a blank line. The stop comes first, on its own, so that the search skips to it fast.
_SENTENCE_END = re.compile(
    r"[.!?;:\n](?:(?<=[.!?])[\"”’)]*\s+(?=[\"“'‘(]?[A-Z0-9])|(?<=[;:])\s|(?<=\n)\s*\n)"
)
# the characters of a word a full stop may end ("Jan", "U.S", "9")
_WORD_CHARS = string.ascii_letters + string.digits + "."
# a clause that opens a sentence before its main one: "On Friday, when ..., the ministry said"
_OPENING_CLAUSE = re.compile(
    r",?\s*(?:when|as|after|while|before|if|once|since|because|although)\b[^,]*,", re.IGNORECASE
)
_PAST_FORM = re.compile(r"[a-z]{3,}ed$")
# before a word of plans ("scheduled", "due to"), these make the plan one of the past
_SETTLED = frozenset({"had", "previously", "originally", "initially"})


class Hit:
    """A match found in the lower-cased text, read back from the original text."""

    __slots__ = ("match", "text")

    def __init__(self, match: re.Match[str], text: str) -> None:
        self.match = match
        self.text = text

    def __getitem__(self, group: str) -> Any:
        start, end = self.match.span(group)
        return None if start < 0 else self.text[start:end]

    def group(self, group: int | str = 0) -> str:
        start, end = self.match.span(group)
        return self.text[start:end]

    def start(self, group: int | str = 0) -> int:
        return self.match.start(group)

    def end(self, group: int | str = 0) -> int:
        return self.match.end(group)

    @property
    def lastgroup(self) -> str:
        return self.match.lastgroup or ""


def lowered(text: str) -> str:
    """`text` in lower case, letter for letter (a letter whose lower case is longer stays)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@dataclass(slots=True)
class Found:
    """One resolved expression, before it becomes a TimeExpression."""

    start: int
    end: int
    type: TimexType
    value: str
    interval: DateInterval | None = None
    anchored: bool = False
    granule: Granule | None = None  # a calendar unit later expressions may count from
    topical: bool = True  # False for a time named only to compare ("a year earlier")
    then: Found | None = None  # the other end of a range, its own expression ("to [2021]")
    days_from_next: int = 0  # "the day before [Christmas]": counted from the day named next


@dataclass(slots=True)
class Context:
    text: str
    dct: date | None
    lex: Lexicon = field(default_factory=lexicon)
    ref: Granule | None = None  # the last time mentioned (TimeML's reference time)
    ref_end: int = -1
    day_ref: Granule | None = None  # the last day mentioned
    day_ref_end: int = -1
    quarter_ref: Granule | None = None  # the last quarter the text is about
    # the length of the period the text is about when no quarter is ("for the nine months")
    period_length: str | None = None
    length: str = ""  # the last length of time told ("a five-year effort")
    length_end: int = -1

    def remember(self, found: Found) -> None:
        if found.type == "DURATION":
            self.length, self.length_end = found.value, found.end
        g = found.granule
        if g is None or not found.topical:
            return
        self.ref, self.ref_end = g, found.end
        if g.kind == "day":
            self.day_ref, self.day_ref_end = g, found.end
        elif g.kind == "quarter":
            self.quarter_ref, self.period_length = g, None
        elif found.type == "DURATION":
            # "for the nine months": the report is now on a longer period
            self.quarter_ref, self.period_length = None, found.value

    def sentence_start(self, pos: int, reach: int = 200) -> int:
        lo = max(0, pos - reach)
        return lo + _last_boundary(self.text[lo:pos])

    def same_sentence(self, earlier: int, later: int) -> bool:
        return earlier >= 0 and self.sentence_start(later, later - earlier + 1) <= earlier

    def tense(self, start: int, end: int, reach: int = 16) -> int:
        """+1 when the words around text[start:end] speak of the future, -1 of the past, else 0.

        The nearest cue in the same sentence decides, looking back first: a modal or a word
        like "scheduled" for the future, a past form ("said", "killed", "-ed") for the past.
        With a short `reach` only the few words just before count (or just after, when the
        expression opens its sentence).
        """
        return self.cue(start, end, reach)[0]

    def cue(self, start: int, end: int, reach: int = 16) -> tuple[int, str]:
        """The tense (as `tense`) and the word that tells it ("" when none does)."""
        lex = self.lex
        head = self.text[max(0, start - 120) : start]
        before = _WORDS.findall(head[_last_boundary(head) :].lower())
        for i in range(len(before) - 1, max(-1, len(before) - 1 - reach), -1):
            cue = _cue(before, i, lex)
            if cue:
                return cue, before[i]
        if reach < 16 and len(before) > 2:
            return 0, ""  # a short look only: the verb just before decides, if any
        # an expression that opens its sentence ("On Tuesday, the league plans to ...") takes
        # the tense of the main clause, whose verb may come after a long subject
        opening = len(before) <= 1
        tail = self.text[end : end + (120 if opening else 80)]
        tail = tail[: _first_boundary(tail)]
        if opening and (clause := _OPENING_CLAUSE.match(tail)):
            tail = tail[clause.end() :]
        after = _WORDS.findall(tail.lower())
        for i in range(min(len(after), (12 if opening else 8) if reach >= 16 else reach)):
            cue = _cue(after, i, lex)
            if cue:
                return cue, after[i]
        return 0, ""

    def planned(self, start: int, reach: int = 4) -> bool:
        """Whether a word of plans ("expire", "scheduled", "due to") is just before `start`."""
        head = self.text[max(0, start - 60) : start]
        words = _WORDS.findall(head[_last_boundary(head) :].lower())[-reach:]
        cues = self.lex.cues.future_cues
        pairs = zip(words, [*words[1:], ""], strict=False)  # no words: no pairs
        return any(w in cues or f"{w} {n}" in cues for w, n in pairs)


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    """Whether the stop matched ends a sentence (not "Jan." or "Mr." or an initial)."""
    stop = m.start()
    head = text[: stop + 1] if text[stop] != "\n" else text[:stop]  # a line break: the word before
    token = head[len(head.rstrip(_WORD_CHARS)) :].rstrip(".").lower()
    if token.isdigit():
        return True
    return not (len(token) <= 1 or token in lexicon().cues.abbreviations or "." in token)


def _last_boundary(text: str) -> int:
    last = 0
    for m in _SENTENCE_END.finditer(text):
        if _is_boundary(text, m):
            last = m.end()
    return last


def _first_boundary(text: str) -> int:
    for m in _SENTENCE_END.finditer(text):
        if _is_boundary(text, m):
            return m.start()
    return len(text)


def _cue(words: list[str], i: int, lex: Lexicon) -> int:
    word = words[i]
    pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else ""
    if word in lex.cues.future_cues or pair in lex.cues.future_cues:
        if word not in ("will", "would") and _SETTLED & set(words[max(0, i - 4) : i]):
            return -1  # "had been due to expire", "as previously planned": a plan now past
        return 1
    if word in lex.cues.past_cues:
        if i > 0 and words[i - 1] in lex.cues.passive_before and word not in ("was", "were", "had"):
            return 0  # "will be held", "to be announced"
        return -1
    if _PAST_FORM.match(word) and word not in lex.cues.not_past:
        if i > 0 and (
            words[i - 1] in lex.cues.passive_before or words[i - 1] in lex.cues.adjective_before
        ):
            return 0  # "to be completed", "a still unspecified date"
        return -1
    return 0
