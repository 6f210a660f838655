"""Dating an event: the time expression of its sentence and the days it names."""

from __future__ import annotations

import re

from wiredesk.extract.drafts import Draft, SentenceReading
from wiredesk.records import DateInterval, TimeExpression
from wiredesk.resolve.time import shift_from_event

# A clock time alone ("at 11:15 p.m.") names no day: the day comes from the story around it.
_NAMES_A_DAY = re.compile(
    r"\b(?:mon|tues?|wednes|thurs?|fri|satur|sun)(?:day)?s?\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec)[a-z]*\b|\d{4}-\d{2}-\d{2}|yesterday|today|tonight|last night|overnight",
    re.IGNORECASE,
)


def sentence_time(sentence: SentenceReading, near: int) -> TimeExpression | None:
    """The date expression of a sentence that dates the event at a position (its trigger):
    not one inside a side clause about something else ("a group that emerged in February");
    a shift from another event right at the trigger ("two days after deadly fighting"), else
    the nearest explicit date ("hours after ... late on March 2"), else the nearest shift."""
    text = sentence.span.text
    dated = [
        t
        for t in sentence.times
        if (
            t.type == "DATE"
            or t.anchored_to_event
            or (t.type == "TIME" and _NAMES_A_DAY.search(t.span.text))
        )
        and not _in_side_clause(
            text, t.span.start - sentence.span.start, near - sentence.span.start
        )
    ]

    def rank(t: TimeExpression) -> tuple[bool, bool, int]:
        distance = min(abs(t.span.start - near), abs(t.span.end - near))
        return (distance > _AT_TRIGGER, t.anchored_to_event, distance)

    return min(dated, key=rank, default=None)


_SIDE_CLAUSE = re.compile(r",\s+(?:a|an|which|who|whose|that)\b[^,]*(?:,|$)")
# A time expression this close (in characters) to the trigger dates it, shift or not.
_AT_TRIGGER = 12


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
