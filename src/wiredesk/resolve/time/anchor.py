"""Dates of expressions counted from an event: "two days after the attack", "the next day"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from wiredesk.records import DateInterval, Precision, TimeExpression
from wiredesk.resolve.time import granule as g
from wiredesk.resolve.time.lexicon import lexicon, normal
from wiredesk.resolve.time.numbers import parse_number

_DURATION = re.compile(r"PT?(?P<n>\d+(?:\.\d+)?|X)(?P<code>DE|CE|WE|[YMWDHQ])")
_FORWARD = frozenset({"after", "later", "following", "next", "into", "afterwards", "afterward"})
_BACKWARD = frozenset({"before", "earlier", "previous", "preceding", "prior", "ahead", "eve"})
_UNIT_CODES = {
    "day": "D", "days": "D", "night": "D", "nights": "D", "morning": "D", "afternoon": "D",
    "evening": "D", "week": "W", "weeks": "W", "weekend": "W", "month": "M", "months": "M",
    "quarter": "Q", "quarters": "Q", "year": "Y", "years": "Y", "decade": "DE", "decades": "DE",
}  # fmt: skip
_UNIT_PRECISION: dict[str, Precision] = {
    "D": "day", "W": "week", "M": "month", "Q": "month", "Y": "year", "DE": "year",
}  # fmt: skip
_UNIT_KIND: dict[str, g.Kind] = {
    "D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year", "DE": "decade",
}  # fmt: skip
_RANK: dict[str, int] = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


def _direction(words: list[str]) -> int:
    for word in words:
        if word in _FORWARD:
            return 1
        if word in _BACKWARD:
            return -1
    return 0


def _counted(expr: TimeExpression, words: list[str]) -> tuple[float, str, bool] | None:
    """How many of which unit the expression counts, and whether a number was written."""
    if expr.type == "DURATION":
        m = _DURATION.match(expr.value)
        if m is None or m["n"] == "X" or m["code"] not in _UNIT_KIND:
            return None  # "days after": no count; "hours after": finer than a day
        return float(m["n"]), m["code"], True
    for i, word in enumerate(words):
        code = _UNIT_CODES.get(word)
        if code is None:
            continue
        for size in (3, 2, 1):  # "two days later", "a week earlier"
            count = parse_number(" ".join(words[max(0, i - size) : i]), lexicon()) if i else None
            if count is not None:
                return count, code, True
        same = bool({"same", "that"} & set(words[:i]))  # "that day", "later that day"
        return (0.0 if same else 1.0), code, False  # or "the following week"
    return None


def _move(day: date, count: float, code: str) -> date:
    if code == "D":
        return day + timedelta(days=count)
    if code == "W":
        return day + timedelta(weeks=count)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120}[code]
    return g.add_months(day, round(count * months))


def _coarser(a: Precision, b: Precision) -> Precision:
    return a if _RANK[a] >= _RANK[b] else b


def shift_from_event(expr: TimeExpression, anchor: DateInterval) -> DateInterval | None:
    """The days of `expr` counted from the event whose days are `anchor`.

    "Two days after the attack" with the attack on 2020-01-03 gives 2020-01-05; "the following
    week" the week after the attack's; "a week later" the day seven days on; "that day" the
    anchor itself; "100 days into the campaign" the hundredth day from its start. An anchor
    known only to the month moves as a whole. An expression not anchored to an event keeps its
    own interval; one without a count ("days after") gives None.
    """
    if not expr.anchored_to_event:
        return expr.interval
    words = normal(expr.span.text).replace("-", " ").split()
    counted = _counted(expr, words)
    if counted is None:
        return None
    count, code, written = counted
    unit_precision = _UNIT_PRECISION[code]
    if count == 0:  # "that day", "the same week": the anchor, or the unit that holds it
        if _RANK[unit_precision] > _RANK[anchor.precision]:
            return g.granule(_UNIT_KIND[code], anchor.start).interval
        return anchor
    if "into" in words:
        day = _move(anchor.start, count, code)
        return DateInterval(day, day, _coarser(unit_precision, anchor.precision))
    step = (_direction(words) or 1) * count
    if _RANK[unit_precision] < _RANK[anchor.precision]:
        # "the day after" an event known to the month: the month's days, moved
        moved = (_move(anchor.start, step, code), _move(anchor.end, step, code))
        return DateInterval(*moved, anchor.precision)
    day = _move(anchor.end if step > 0 else anchor.start, step, code)
    if code == "D" or (code == "W" and written):
        return DateInterval(day, day, "day")  # "two days after", "a week later"
    return g.granule(_UNIT_KIND[code], day).interval  # "the following week", "a year later"
