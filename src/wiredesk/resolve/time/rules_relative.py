"""Rules for calendar units counted from publication or from the last time mentioned:
"last week", "the next day", "two days ago", "a week later", "two days after the attack"."""

from __future__ import annotations

import re
from datetime import timedelta

from wiredesk.resolve.time import granule as g
from wiredesk.resolve.time.context import Context, Found
from wiredesk.resolve.time.granule import Kind
from wiredesk.resolve.time.lexicon import normal
from wiredesk.resolve.time.numbers import parse_number, parse_ordinal
from wiredesk.resolve.time.rulebase import (
    SKIP,
    Match,
    day_found,
    from_reference,
    not_after_publication,
    previous_word,
    reference_day,
    sentence_initial,
    unknown,
)
from wiredesk.resolve.time.rules_quantity import a_matter_of, duration_value

# a noun phrase after "two days after": the count runs from an event, not from a time
_EVENT_FOLLOWS = re.compile(
    r"\s+(?:the|a|an|his|her|its|their|this|that|these|those|our|my|[A-Z]|\w+ing\b|he|she|it|they|we)",
)

_UNIT_KINDS: dict[str, Kind] = {
    "week": "week",
    "weekend": "weekend",
    "month": "month",
    "year": "year",
    "fiscal year": "year",
    "quarter": "quarter",
    "decade": "decade",
    "century": "century",
    "day": "day",
}


def _unit_kind(what: str) -> Kind | None:
    return _UNIT_KINDS.get(what)


def rule_unit(m: Match, ctx: Context) -> Found | None:
    lex = ctx.lex
    shift_word = normal(m["un_shift"])
    what = normal(m["un_what"])
    if not m["un_what"].islower():
        return None  # "This Week", a programme
    part = lex.parts_of_day.get(what, "")
    is_day = what in ("day", "night") or bool(part)
    anchored = shift_word in ("following", "same", "that", "that same", "previous", "preceding")
    anchored = anchored or (is_day and shift_word in ("next", "prior"))
    if is_day and not anchored:
        return None  # "this day", "last day" are not reliable
    if what == "time":
        if shift_word != "that":
            return None  # "at the same time" is not a time
        anchored = True
    step = lex.shift.get(shift_word, 0)
    if anchored:
        step = lex.anchored_shift.get(shift_word, step)
    if what == "time":
        if ctx.length_end > ctx.ref_end:  # "a five-year effort. During that time": as long
            return Found(m.start(), m.end(), "DURATION", ctx.length)
        return from_reference(m, ctx, 0, ctx.ref.kind if ctx.ref else "day", anchored=True)
    kind = "day" if is_day else _unit_kind(what)
    if kind is None:
        return None
    if anchored:
        if _untold_day(m, ctx, kind, step):
            return None
        found = from_reference(m, ctx, step, kind, anchored=True, part=part)
        if m["un_ago"] and found.granule is not None:  # "the same month a year ago"
            return day_found(m, found.granule.shift(-1, "Y"), topical=False)
        return found
    if ctx.dct is None:
        return unknown(m, g.UNKNOWN[kind])
    if kind in ("decade", "century") and normal(m["un_shift"]) == "past":
        # "the past decade": the ten years up to now, not the 1990s
        return Found(m.start(), m.end(), "DURATION", "P10Y" if kind == "decade" else "P100Y")
    return day_found(m, g.shifted(kind, ctx.dct, step))


def _untold_day(m: Match, ctx: Context, kind: Kind, step: int) -> bool:
    """ "trades made that day" with no day told before: a day of a story in general, which
    TimeBank leaves unmarked; "Later that day," or "That day," opening a sentence still count
    from the last event."""
    return (
        kind == "day"
        and step == 0
        and ctx.day_ref is None
        and not m["un_mod"]
        and not sentence_initial(ctx, m.start())
    )


def rule_nth(m: Match, ctx: Context) -> Found | None:
    """ "the second day of the offensive", "a third straight week": news counts the days of
    a run up to the one it reports, so the unit that holds publication."""
    number = parse_ordinal(m["nt_ord"], ctx.lex)
    kind = _unit_kind(normal(m["nt_unit"]))
    if number is None or number < 2 or kind is None:
        return None  # "the first day" starts something, not a run reaching now
    if ctx.dct is None:
        return unknown(m, g.UNKNOWN[kind])
    return day_found(m, g.granule(kind, ctx.dct))


_APPOSED = re.compile(r",\s*")
_CLAUSE_END = re.compile(r"\s*(?:[,.;:!?]|$)")


def rule_anchor(m: Match, ctx: Context) -> Found | None:
    if m["an_unit"]:
        return _in_the_unit(m, ctx)
    if m["an_year"]:
        return _the_year(m, ctx)
    if m["an_week"]:
        return _the_week(m, ctx)
    what = normal(m["an_what"])
    part = ctx.lex.parts_of_day.get(what, "")
    kind = "day" if what in ("day", "night") or part else _unit_kind(what)
    if kind is None:
        return None
    step = 1 if normal(m["an_ba"]) in ("after", "later") else -1
    told = ctx.day_ref
    if (
        kind == "day"
        and told is not None
        and _APPOSED.fullmatch(ctx.text, ctx.day_ref_end, m.start())
        and not _CLAUSE_END.match(ctx.text, m.end())
    ):
        return day_found(m, told)  # "Oct. 12, the day before the crash": Oct. 12 itself
    found = from_reference(m, ctx, step, kind, anchored=True, part=part)
    if kind == "day" and not part and not m["an_mod"]:
        found.days_from_next = step  # "the day before last Tuesday's hearing"
    return found


def _in_the_unit(m: Match, ctx: Context) -> Found | None:
    """ "the end of the year", "earlier in the day": a part of the current unit."""
    what = normal(m["an_unit"])
    kind = _unit_kind(what)
    if kind is None:
        return None
    if kind == "day":
        return from_reference(m, ctx, 0, "day", anchored=True)
    if ctx.dct is None:
        return unknown(m, g.UNKNOWN[kind])
    return day_found(m, g.shifted(kind, ctx.dct, 0))


def _the_year(m: Match, ctx: Context) -> Found | None:
    """ "for the year": the year the text is about; "the year ended June 30": twelve months."""
    if m["an_ended"]:
        return Found(m.start(), m.end(), "DURATION", "P1Y")
    ref = ctx.ref
    told = ref is not None and ref.kind in ("year", "half", "quarter", "month")
    if ref is not None and told and (ctx.dct is None or ref.start <= ctx.dct):
        return day_found(m, g.year(ref.start.year))  # not a year only forecast
    if ctx.dct is None:
        return unknown(m, "XXXX")
    return day_found(m, g.year(ctx.dct.year))


_WEEK_TOLD = re.compile(r"\s*['’]s\b")


def _the_week(m: Match, ctx: Context) -> Found | None:
    """ "for the week", "the week's busiest session": a week of the story that the text does
    not date; TimeBank marks it as a week of the year (1989-WXX)."""
    told = _WEEK_TOLD.match(ctx.text, m.end()) or previous_word(ctx, m.start()) == "for"
    if not told:
        return None
    base = reference_day(ctx)
    return Found(m.start(), m.end(), "DATE", f"{base.year if base else 'XXXX'}-WXX")


def rule_yearago(m: Match, ctx: Context) -> Found | None:
    """ "year-earlier results": the same quarter, or year, a year before."""
    word = normal(m["ya_word"])
    if "end" in word:
        return unknown(m, "XXXX") if ctx.dct is None else day_found(m, g.granule("year", ctx.dct))
    if ctx.quarter_ref is not None:
        return day_found(m, ctx.quarter_ref.shift(-1, "Y"), topical=False)
    if ctx.dct is None:
        return unknown(m, "XXXX")
    return day_found(m, g.year(ctx.dct.year - 1), topical=False)


# "two weeks ago" is that day, a fortnight back; "six weeks ago" is a round figure: that week
_WEEKS_TO_THE_DAY = 2


def rule_offset(m: Match, ctx: Context) -> Found | None:
    lex = ctx.lex
    unit_name = normal(m["of_unit"])
    unit = lex.units[unit_name]
    word = normal(m["of_word"])
    if "\n" in ctx.text[m.end("of_unit") : m.start("of_word")]:
        return None  # "in minutes" ending a headline, "Following ..." opening the next line
    count = parse_number(m["of_num"], lex) if m["of_num"] else None
    if m["of_num"] is None and not unit_name.endswith("s"):
        return None  # "year ago" without a count
    if m["of_num"] is None and a_matter_of(ctx, m.start()):
        return SKIP
    if count is not None and m["of_half"]:
        count += 0.5
    if unit_name in ("second", "seconds") and m["of_num"] and normal(m["of_num"]) in ("a", "the"):
        return None
    signal = lex.event_signals.get(word)
    if word in ("into", "following", "prior to", "ahead of") or (
        word in ("after", "before") and _EVENT_FOLLOWS.match(ctx.text, m.end())
    ):
        assert signal is not None
        # "two days after the attack": a count of units from an event, shifted by the extractor
        value = duration_value(count, unit_name, ctx)
        interval = None
        if word == "into" and ctx.dct is not None:
            interval = g.day(ctx.dct).interval  # "100 days into the campaign": now
        return Found(m.start(), m.end(), "DURATION", value, interval, anchored=True)
    offset = lex.offsets.get(word)
    if offset is None:
        return None
    if count is None:
        if not offset.from_publication:  # "a few days later": how long, not when
            return Found(
                m.start(), m.end(), "DURATION", duration_value(None, unit_name, ctx), anchored=True
            )
        return Found(m.start(), m.end(), "DATE", "PAST_REF" if offset.sign < 0 else "FUTURE_REF")
    if not offset.from_publication and (unit.clock or unit.code != "Y"):
        # "three days later", "an hour later": TimeBank marks how long after the last time
        # told (a DURATION); the days come from that time, through shift_from_event
        value = duration_value(count, unit_name, ctx)
        return Found(m.start(), m.end(), "DURATION", value, anchored=True)
    if unit.clock:
        if ctx.dct is None:
            return unknown(m, "XXXX-XX-XX")
        return day_found(m, g.day(ctx.dct))
    code = unit.code if unit.code != "WE" else "W"
    kind = g.KIND_OF_CODE[code]
    amount = count * unit.times
    if code == "Y" and not amount.is_integer():
        code, amount, kind = "M", amount * 12, "month"
    steps = round(amount) * offset.sign
    if offset.from_publication:
        if ctx.dct is None:
            return unknown(m, g.UNKNOWN[kind])
        if ctx.quarter_ref is not None and code == "Y" and steps == -1:
            # "profit rose from a year ago" in a report on a quarter: that quarter a year back
            return day_found(m, ctx.quarter_ref.shift(steps, "Y"), topical=False)
        if code == "W" and abs(steps) <= _WEEKS_TO_THE_DAY:
            return day_found(m, g.day(ctx.dct + timedelta(weeks=steps)))  # a fortnight back
        # "up from seven a year ago": named to compare, so "a year earlier" is the same year
        compared = code == "Y" and steps == -1
        return day_found(m, g.shifted(kind, ctx.dct, 0).shift(steps, code), topical=not compared)
    base = ctx.day_ref if code in ("D", "W") and ctx.day_ref else ctx.ref
    if ctx.quarter_ref is not None and code == "Y" and steps == -1:
        base = ctx.quarter_ref  # "a year earlier" in a report on a quarter
    if base is None:
        if ctx.dct is None:
            return unknown(m, g.UNKNOWN[kind])
        base = g.day(ctx.dct)
    if base.kind in ("quarter", "half") and code in ("Y", "M"):
        target = base.shift(steps, code)
    elif g.RANK[base.kind] > g.RANK[kind]:
        target = base  # "a week later" after "in the third quarter": no finer guess
    else:
        target = g.shifted(kind, base.start, 0).shift(steps, code)
    found = day_found(m, target, anchored=True, topical=False)
    return not_after_publication(ctx, m, found)
