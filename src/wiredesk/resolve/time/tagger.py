"""Find the time expressions of a text and normalise them to TIMEX3 values and day intervals."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from wiredesk.records import DateInterval, Span, TimeExpression
from wiredesk.resolve.time import granule as g
from wiredesk.resolve.time import rules_calendar as cal
from wiredesk.resolve.time import rules_days as days
from wiredesk.resolve.time import rules_quantity as qty
from wiredesk.resolve.time import rules_quarter as quarter
from wiredesk.resolve.time import rules_relative as rel
from wiredesk.resolve.time.context import Context, Found, Hit, lowered
from wiredesk.resolve.time.grammar import master, rule_patterns
from wiredesk.resolve.time.rulebase import SKIP

Rule = Callable[[Hit, Context], Found | None]

NORMALISERS: dict[str, Rule] = {
    "range": cal.rule_range,
    "clock": days.rule_clock,
    "date": cal.rule_date,
    "monthyear": cal.rule_monthyear,
    "offset": rel.rule_offset,
    "quarter": quarter.rule_quarter,
    "weekday": days.rule_weekday,
    "deictic": days.rule_deictic,
    "weekof": cal.rule_week_of_month,
    "nth": rel.rule_nth,
    "span": qty.rule_span,
    "unit": rel.rule_unit,
    "anchor": rel.rule_anchor,
    "yearago": rel.rule_yearago,
    "season": cal.rule_season,
    "decade": cal.rule_decade,
    "century": cal.rule_century,
    "holiday": cal.rule_holiday,
    "years": cal.rule_years,
    "year": cal.rule_year,
    "month": cal.rule_month,
    "set": qty.rule_set,
    "ref": qty.rule_ref,
    "refadj": qty.rule_ref_adjective,
    "period": qty.rule_period_adjective,
}


def _read(found: re.Match[str], low: str, text: str) -> Hit:
    """What `master` found, its parts read by the rule that matched."""
    parts = rule_patterns()[found.lastgroup or ""].match(low, found.start())
    assert parts is not None  # the rule matches alone where it matched in `master`
    return Hit(parts, text)


def _resolve_at(m: Hit, low: str, ctx: Context) -> Found | None:
    """The first rule that reads a time at m.start(), starting with the one that matched."""
    name = m.lastgroup
    found = NORMALISERS[name](m, ctx)
    if found is not None:
        return found
    later = False
    for other, pattern in rule_patterns().items():
        if other == name:
            later = True
            continue
        if not later:
            continue
        again = pattern.match(low, m.start())
        if again is not None:
            found = NORMALISERS[other](Hit(again, ctx.text), ctx)
            if found is not None:
                return found
    return None


_PAST_WORDS = re.compile(r"\b(?:earlier|past|ago|last|so far|previous)\b", re.IGNORECASE)


def _clip_to_publication(found: Found, ctx: Context) -> None:
    """A past time in a unit that holds publication day ends there: "earlier this month"."""
    interval, dct = found.interval, ctx.dct
    if interval is None or dct is None or not interval.start <= dct < interval.end:
        return
    words = ctx.text[found.start : found.end]
    if _PAST_WORDS.search(words) or ctx.tense(found.start, found.end) < 0:
        found.interval = DateInterval(interval.start, dct, interval.precision)


def _emit(found: Found, ctx: Context, out: list[TimeExpression]) -> int:
    """Add `found` to `out` (its span without trailing spaces or commas); where it ends."""
    _clip_to_publication(found, ctx)
    text = ctx.text
    start, end = found.start, found.end
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    out.append(
        TimeExpression(
            Span(start, end, text[start:end]),
            found.type,
            found.value,
            found.interval,
            found.anchored,
        )
    )
    ctx.remember(found)
    return end


_GAP = re.compile(r"\s+")


def _from_next_day(found: Found, low: str, ctx: Context) -> Found:
    """ "the day before last Tuesday": one expression, a day from the day named right after."""
    gap = _GAP.match(low, found.end)
    if gap is None:
        return found
    match = master().match(low, gap.end())
    if match is None:
        return found
    named = _resolve_at(_read(match, low, ctx.text), low, ctx)
    if named is None or named.granule is None or named.granule.kind != "day":
        return found
    day = g.day(named.granule.start + timedelta(days=found.days_from_next))
    return Found(found.start, named.end, "DATE", day.value, day.interval, granule=day)


_APPOSITION = re.compile(r",\s*")
_NAMED_QUARTER = re.compile(r"\b(?:first|second|third|fourth|[1-4](?:st|nd|rd|th)|q[1-4])\b|\d{4}")


def _restated_quarter(found: Found, low: str, ctx: Context) -> Found:
    """ "the comparable year-ago quarter, the second quarter ended Oct. 31": a quarter told
    relative to another, restated right after it by its name, is the one named."""
    if found.granule is None or found.granule.kind != "quarter":
        return found
    if _NAMED_QUARTER.search(low, found.start, found.end):
        return found  # named itself: "the third quarter, the fourth quarter" is a list
    gap = _APPOSITION.match(low, found.end)
    match = master().match(low, gap.end()) if gap else None
    if match is None or match.lastgroup != "quarter":
        return found
    named = _resolve_at(_read(match, low, ctx.text), low, ctx)
    if named is None or named.granule is None or named.granule.kind != "quarter":
        return found
    if not _NAMED_QUARTER.search(low, named.start, named.end):
        return found
    return Found(
        found.start,
        found.end,
        found.type,
        named.value,
        named.interval,
        anchored=found.anchored,
        granule=named.granule,
        topical=found.topical,
    )


_SINCE = re.compile(r"\bsince\s+$", re.IGNORECASE)
_EDGE = re.compile(r"^(?:the\s+)?(?:(start|beginning|dawn)|(end|close))\s+of\b|year[\s-](end)")


def _since_edge(found: Found, ctx: Context) -> Found:
    """ "since the start of this year", "since year-end": "since" counts from a day, so the
    first or last day of the unit, the latest one before publication."""
    unit = found.granule
    if unit is None or unit.kind not in ("month", "quarter", "year"):
        return found
    if not _SINCE.search(ctx.text, max(0, found.start - 12), found.start):
        return found
    edge = _EDGE.match(ctx.text[found.start : found.end].lower())
    if edge is None:
        return found
    day = unit.start if edge[1] else unit.end
    if ctx.dct is not None and day > ctx.dct and unit.kind == "year":
        day = date(day.year - 1, day.month, day.day)  # "since year-end": the last one
    point = g.day(day)
    return Found(found.start, found.end, "DATE", point.value, point.interval, granule=point)


def tag(text: str, published: date | None) -> list[TimeExpression]:
    ctx = Context(text, published)
    pattern = master()
    low = lowered(text)
    out: list[TimeExpression] = []
    pos = 0
    while True:
        match = pattern.search(low, pos)
        if match is None:
            break
        m = _read(match, low, text)
        found = _resolve_at(m, low, ctx)
        if found is None:
            pos = m.start() + 1
            continue
        if found is SKIP:
            pos = m.end()
            continue
        if found.days_from_next:
            found = _from_next_day(found, low, ctx)
        found = _since_edge(found, ctx)
        found = _restated_quarter(found, low, ctx)
        part: Found | None = found
        end = found.end
        while part is not None:
            end = _emit(part, ctx, out)
            part = part.then
        pos = max(end, found.start + 1)
    return out
