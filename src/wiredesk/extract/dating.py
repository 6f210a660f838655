"""Dating an event: the time expression of its sentence and the days it names."""

from __future__ import annotations

import re
from functools import cache

from wiredesk.extract.drafts import Draft, SentenceReading
from wiredesk.records import DateInterval, TimeExpression
from wiredesk.resolve.time import shift_from_event
from wiredesk.resolve.time.lexicon import alternation, lexicon, normal

# A clock time alone ("at 11:15 p.m.") names no day: the day comes from the story around it.
_NAMES_A_DAY = re.compile(
    r"\b(?:mon|tues?|wednes|thurs?|fri|satur|sun)(?:day)?s?\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec)[a-z]*\b|\d{4}-\d{2}-\d{2}|yesterday|today|tonight|last night|overnight",
    re.IGNORECASE,
)


def event_time(
    sentence: SentenceReading,
    near: int,
    drafts: list[Draft],
    text: str,
    telling: bool = False,
    others: tuple[int, ...] = (),
) -> tuple[TimeExpression | None, DateInterval | None]:
    """The date expression of a sentence that dates the event at a position (its trigger), and
    the days it names: not one inside a side clause about something else ("a group that
    emerged in February") nor one that dates the telling ("said on Monday"); a shift from
    another event right at the trigger ("two days after deadly fighting"), else the nearest
    explicit date ("hours after ... late on March 2"), else the nearest shift. A date beyond
    another event's trigger (`others`) is that event's ("arrested three over a bomb that killed
    five on Wednesday"). A shift that
    cannot be resolved gives way to the next candidate. With `telling`, only the days of the
    telling are read: the latest an event told with no date of its own can have happened."""
    sentence_text = sentence.span.text
    dated = [
        t
        for t in sentence.times
        if (
            t.type == "DATE"
            or t.anchored_to_event
            or (t.type == "TIME" and _NAMES_A_DAY.search(t.span.text))
        )
        and not _in_side_clause(
            sentence_text, t.span.start - sentence.span.start, near - sentence.span.start
        )
        and (
            _dates_the_telling(
                sentence_text, t.span.start - sentence.span.start, t.span.end - sentence.span.start
            )
            or _opens_the_report(sentence, t, near)
        )
        == telling
        and not any(min(t.span.end, near) < o < max(t.span.start, near) for o in others)
        and not _SPAN_LINK.search(text, min(t.span.end, near), max(t.span.start, near))
        and not _names_an_occasion(t, text)
        and not (
            t.span.end <= near and _SPAN_LINK.search(text, max(0, t.span.start - 8), t.span.start)
        )
    ]

    def rank(t: TimeExpression) -> tuple[bool, bool, bool, int]:
        distance = min(abs(t.span.start - near), abs(t.span.end - near))
        return (
            bool(_CLAUSE_LINK.search(text, min(t.span.end, near), max(t.span.start, near))),
            distance > _AT_TRIGGER,
            t.anchored_to_event,
            distance,
        )

    for expr in sorted(dated, key=rank):
        interval = interval_of(expr, drafts, text)
        if interval is not None:
            return expr, interval
    return None, None


_SIDE_CLAUSE = re.compile(r",\s+(?:a|an|which|who|whose|that)\b[^,]*(?:,|$)")
# A word that opens another clause: a date across it more likely dates the other clause's
# event ("abducted on June 15 after a gun battle on Tuesday").
_CLAUSE_LINK = re.compile(r"\b(?:after|before|following|when|while)\b")
# "rebels fighting the army ... since being forced out in 2016", "since October 7, the Houthis
# have launched missiles": a date across "since" or "until", or one they open before the
# trigger, bounds a period and dates no event at the trigger.
_SPAN_LINK = re.compile(r"\b(?:since|until)\b", re.IGNORECASE)
# A time expression this close (in characters) to the trigger dates it, shift or not.
_AT_TRIGGER = 12


@cache
def _telling() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The words that tell of a report, from the time lexicon's verbs of telling: the words
    a time expression dates the telling after, and those it dates it before."""
    verbs = alternation(lexicon().cues.telling_verbs)
    # "said on Monday", "told reporters Monday", "in a statement on Sunday", "claimed the
    # attack on Thursday", "a news conference in Detroit on Wednesday": the day of the
    # telling, not of the event.
    before = re.compile(
        rf"\b(?:{verbs}|told(?: [\w-]+){{1,2}}|claimed(?: the \w+)?|"
        r"posted|published|issued|statement|briefing|(?:press|news) conference)"
        r"(?: (?:in|at) [A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2})?(?: \w+ly)?(?: (?:late|early))?(?: on)?"
        r"\s*$"
    )
    # "the sheriff on Thursday said", "police Monday announced", "at a Wednesday news
    # conference": the day put right before the verb or the occasion of the telling (not
    # "hit the town on Friday, said police", where the verb tells of the clause before it).
    after = re.compile(
        rf"\s+(?:{verbs}|identified|(?:news |press )?(?:conference|briefing|statement))\b"
    )
    return before, after


# "BAMAKO, May 15 (Sahel Observer) -", "Published: 2024-09-02": the day the story was filed.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'/-]{2,}(?:, *[A-Za-z]+\.?)?,[^\n:–—-]{0,40}?(?:[–—]|\s-\s)"
    r"|^\W*(?:date|published|posted|updated)?:?\s*\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)


# "A Halloween party", "the Christmas bash": a party named for a holiday is often held on
# another day (the weekend before it), so the holiday does not date what happened there.
_PARTY = re.compile(r"\s+(?:part(?:y|ies)|bash(?:es)?)\b", re.IGNORECASE)


def _names_an_occasion(expr: TimeExpression, text: str) -> bool:
    """Whether a time expression is a holiday's name qualifying a party."""
    return bool(_PARTY.match(text, expr.span.end)) and (
        normal(expr.span.text) in lexicon().holidays
    )


def _dates_the_telling(text: str, at: int, end: int) -> bool:
    """Whether the time expression at `at`..`end` dates the report rather than the event."""
    dateline = _DATELINE.match(text)
    if dateline and at < dateline.end():
        return True
    before, after = _telling()
    return bool(before.search(text, max(0, at - 40), at) or after.match(text, end))


def _opens_the_report(sentence: SentenceReading, expr: TimeExpression, near: int) -> bool:
    """Whether a time expression stands before the speaker of the words that hold the
    trigger: "On Friday, the prosecutor confirmed the two children died of gunshot wounds"
    dates the confirming."""
    return any(
        a.kind == "said"
        and a.content.start <= near < a.content.end
        and expr.span.end <= a.content.start
        for a in sentence.attributions
    )


def _in_side_clause(text: str, at: int, trigger: int) -> bool:
    """Whether a position lies in an appositive or relative clause that the trigger is not in."""
    return any(
        m.start() <= at < m.end() and not m.start() <= trigger < m.end()
        for m in _SIDE_CLAUSE.finditer(text)
    )


def interval_of(expr: TimeExpression, drafts: list[Draft], text: str) -> DateInterval | None:
    if not expr.anchored_to_event:
        return expr.interval
    anchor = next((d.interval for d in reversed(drafts) if d.interval), None)
    if anchor is None:
        return None
    forward = shift_from_event(expr, anchor)
    if forward is None:
        return None
    # "Two days after the attack, X": X is later. "The strike comes a day after Y": Y is earlier.
    after = text[expr.span.end : expr.span.end + 40]
    if re.match(r"\s*(?:the|that|this)\s+\w+\s*,", after):
        return forward
    shift = forward.start - anchor.start
    return DateInterval(anchor.start - shift, anchor.end - shift, forward.precision)
