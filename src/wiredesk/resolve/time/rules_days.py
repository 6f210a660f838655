"""Rules for days and times of day counted from publication: weekdays, "yesterday",
"tonight", clock times."""

from __future__ import annotations

import re
from datetime import date, timedelta

from wiredesk.resolve.time import granule as g
from wiredesk.resolve.time.context import Context, Found
from wiredesk.resolve.time.lexicon import normal
from wiredesk.resolve.time.numbers import parse_number, parse_ordinal
from wiredesk.resolve.time.rulebase import (
    Match,
    capitalised,
    day_found,
    from_reference,
    month_number,
    named_day_part,
    part_code,
    previous_word,
    reference_day,
    unknown,
    with_part,
)
from wiredesk.resolve.time.rules_calendar import pick_year


def rule_weekday(m: Match, ctx: Context) -> Found | None:
    name = m["wd_day"] or m["wd_day2"]
    if not capitalised(name):
        return None
    epithet = re.search(r"\b([A-Z][a-z]+)\W{0,2}$", ctx.text[max(0, m.start() - 12) : m.start()])
    if epithet and epithet[1].lower() in ctx.lex.weekday_epithets:
        return None  # "Black Monday": a day in history
    if normal(m["wd_part"] or "").endswith("s"):
        return None  # "Tuesday nights": every Tuesday night, read by the set rule
    weekday = ctx.lex.weekdays[normal(name).rstrip(".")]
    shared = _SHARED_PLURAL_PART.match(ctx.text, m.end())
    if shared and not m["wd_part"]:  # "on Monday and Tuesday nights": every Monday night too
        part = ctx.lex.parts_of_day[normal(shared["part"])]
        return Found(m.start(), m.end(), "SET", f"XXXX-WXX-{weekday}T{part}")
    part = named_day_part(ctx, m["wd_part"] or m["wd_prepart"])
    shift = normal(m["wd_shift"] or "").removeprefix("the ")
    anchored = shift in ("previous", "following", "that")
    base = reference_day(ctx) if anchored else ctx.dct
    if base is None:
        suffix = f"T{part}" if part else ""
        return unknown(m, f"XXXX-WXX-{weekday}{suffix}", "TIME" if part else "DATE")
    if shift in ("last", "past", "previous"):
        day = g.weekday_on_or_before(base - timedelta(days=1), weekday)
    elif shift in ("next", "coming", "following", "this coming"):
        day = g.weekday_on_or_after(base + timedelta(days=1), weekday)
    elif shift == "this past":
        day = g.weekday_on_or_before(base, weekday)
    elif shift == "that" or (
        not _possessive(ctx, m.end())
        and (
            (_deadline(ctx, m.start()) and not _past_perfect(ctx, m.start()))
            or ctx.tense(m.start(), m.end()) > 0
        )
    ):
        day = g.weekday_on_or_after(base, weekday)
    else:
        day = g.weekday_on_or_before(base, weekday)
    return with_part(m, g.day(day), part, anchored)


# a weekday joined to another that a plural part of the day follows shares that part
_SHARED_PLURAL_PART = re.compile(
    r"\s+(?:and|or)\s+[A-Z][a-z]+day\s+(?P<part>nights|mornings|afternoons|evenings)\b"
)


def _deadline(ctx: Context, start: int) -> bool:
    """ "until Friday", "by 9 a.m. Tuesday": a time limit, so still to come."""
    m = re.search(
        r"\b(until|till|by)\s+(?:(?:at|noon|midnight|[\d:.apm\s]+)\s+)?$",
        ctx.text[max(0, start - 30) : start],
    )
    return m is not None


_HAD = re.compile(r"\bhad\b(?!\s+to\b)", re.IGNORECASE)


def _past_perfect(ctx: Context, start: int) -> bool:
    """ "had filed their reports by Wednesday": a limit already past."""
    return _HAD.search(ctx.text, ctx.sentence_start(start), start) is not None


def _possessive(ctx: Context, end: int) -> bool:
    """ "Wednesday's ruling": a day whose events are known, so not a future one."""
    return ctx.text[end : end + 2] in ("'s", "’s")


_DAY_NAMED_AFTER = re.compile(r"\s+(?:on\s+)?[A-Z][a-z]+day\b")


def rule_deictic(m: Match, ctx: Context) -> Found | None:
    lex = ctx.lex
    if m["dx_weekend"]:
        if ctx.dct is None:
            return unknown(m, "XXXX-WXX-WE")
        if ctx.tense(m.start(), m.end()) > 0:
            return day_found(m, g.granule("weekend", g.weekday_on_or_after(ctx.dct, 6)))
        return day_found(m, g.granule("weekend", g.weekday_on_or_before(ctx.dct, 7)))
    if m["dx_theday"]:  # "the Dow ended the day up 2%": the day last mentioned
        if previous_word(ctx, m.start()) not in lex.cues.day_verbs:
            return None
        if _DAY_NAMED_AFTER.match(ctx.text, m.end()):
            return None  # "during the day Friday": the weekday after it tells the day
        return from_reference(m, ctx, 0, "day", anchored=False)
    if m["dx_bare"]:  # "by mid-afternoon": a part of the day last mentioned
        if normal(m["dx_mod"] or "") not in ("early", "late", "mid"):
            return None
        part = part_code(ctx, m["dx_bare"])
        if ctx.day_ref is not None:
            return with_part(m, ctx.day_ref, part)
        if ctx.dct is None:
            return unknown(m, f"XXXX-XX-XXT{part}", "TIME")
        # no day told: TIMEX3 writes the publication day, but that gives no days to date an
        # event by, which may have come the day before
        return Found(m.start(), m.end(), "TIME", f"{ctx.dct.isoformat()}T{part}")
    if m["dx_over"]:
        if re.match(r"\s+(?:stay|trip|flight|bag|curfew|train)", ctx.text[m.end() :]):
            return None
        offset, part = -1, "NI"
    elif m["dx_ba"]:
        offset, part = (-2 if "before" in m["dx_ba"].lower() else 2), ""
    elif m["dx_this"]:
        word = normal(m["dx_this"])
        part = part_code(ctx, m["dx_part2"])
        if word == "the":  # "in the morning": of the day last mentioned
            if (
                previous_word(ctx, m.start()) not in ctx.lex.cues.part_prepositions
                or ctx.text[m.end() : m.end() + 3] == " of"
            ):
                return None
            day = reference_day(ctx)
            if day is None:
                return unknown(m, f"XXXX-XX-XXT{part}", "TIME")
            return with_part(m, g.day(day), part, anchored=ctx.day_ref is not None)
        offset = {"last": -1 if part == "NI" else 0, "this": 0, "tomorrow": 1}[word]
        if word == "last" and part != "NI":
            return None  # "last morning" is not deictic
    else:
        word = normal(m["dx_day"] or m["dx_day1"])
        if m["dx_day"] and _not_the_day(m, ctx):
            return None
        offset = lex.deictic_days[word]
        part = part_code(ctx, m["dx_part"] or m["dx_prepart"]) or lex.deictic_parts.get(word, "")
    if ctx.dct is None:
        suffix = f"T{part}" if part else ""
        return unknown(m, f"XXXX-XX-XX{suffix}", "TIME" if part else "DATE")
    found = with_part(m, g.day(ctx.dct + timedelta(days=offset)), part)
    # "overnight" is a night told in passing, not a day the story moves to: what follows
    # ("the previous Friday", "through the morning") still counts from the day told before
    found.topical = not m["dx_over"]
    return found


_ERA_NOUN = re.compile(r"['’]s\s+([a-z]+)(?:\s+([a-z]+))?")
_ACRONYM_BEFORE = re.compile(r"\b[A-Z]{2,}[ \t]$")


def _not_the_day(m: Match, ctx: Context) -> bool:
    """ "USA Today", "VOA Today": a name; "today's world", "today's youth": the present age."""
    if capitalised(m["dx_day"]) and _ACRONYM_BEFORE.search(
        ctx.text, max(0, m.start() - 20), m.start()
    ):
        return True
    era = _ERA_NOUN.match(ctx.text, m.end("dx_day"))  # the noun, or an adjective and the noun
    return era is not None and not ctx.lex.cues.era_nouns.isdisjoint(era.groups())


# the day written after a clock time, also inside the same time restated in brackets:
# "10:35 a.m. (0735 GMT) Friday", "at 4 in the morning (4 a.m. EDT Thursday)"
_FOLLOWING_DAY = re.compile(
    r"\W{0,3}(?:\(?[0-2]?\d(?:[:.]?\d\d)?\s*(?:[ap]\.m\.\s*)?(?:[A-Z]{2,4}\b\s*)?\)?\s*)?"
    r",?\s*(?:on\s+)?(?P<day>[A-Z][a-z]+day|yesterday|today)\b"
)


def rule_clock(m: Match, ctx: Context) -> Found | None:
    lex = ctx.lex
    if m["ck_word"]:
        if previous_word(ctx, m.start()) == "high":
            return None  # "high noon": a moment of decision (or the film)
        hhmm = lex.clock_words[normal(m["ck_word"])]
    else:
        hour_text = m["ck_h1"] or m["ck_h2"] or m["ck_h3"] or m["ck_h4"] or m["ck_h5"]
        hour_value = (
            parse_ordinal(hour_text, lex) if hour_text.isdigit() else parse_number(hour_text, lex)
        )
        if hour_value is None:
            return None
        hour = int(hour_value)
        minute = int(m["ck_m1"] or m["ck_m2"] or m["ck_m3"] or 0)
        ampm = normal(m["ck_ap"] or "").replace(".", "").replace(" ", "")
        part = normal(m["ck_part"] or "")
        if ampm or part:
            if not 1 <= hour <= 12:
                return None
            pm = ampm == "pm" or part in ("afternoon", "evening") or (part == "night" and hour >= 6)
            hour = hour % 12 + (12 if pm else 0)
        if hour > 24:
            return None
        hhmm = f"{hour:02d}:{minute:02d}"
    zone_name = m["ck_tz"] or m["ck_tz2"]
    zone = lex.timezones.get(normal(zone_name)) if zone_name else None
    if m["ck_tz2"] and ctx.text[m.end("ck_tz2") : m.end()].strip() != ")":
        zone = None  # "(GMT +8)": an offset from UTC, so not UTC itself
    day = _clock_day(m, ctx)
    if day is None:
        return Found(m.start(), m.end(), "TIME", f"XXXX-XX-XXT{hhmm}")
    value = f"{day.isoformat()}T{hhmm}{zone or ''}"
    return Found(m.start(), m.end(), "TIME", value, g.day(day).interval, granule=g.day(day))


def _clock_day(m: Match, ctx: Context) -> date | None:
    """The day of a clock time: written beside it, or the last day of the sentence, or today."""
    lex = ctx.lex
    written = m["ck_day"]
    if written is None:
        follow = _FOLLOWING_DAY.match(ctx.text, m.end())
        if follow and (follow["day"][0].islower() or normal(follow["day"]) in lex.weekdays):
            written = follow["day"]
    if written:
        word = normal(written)
        if ctx.dct is None:
            return None
        if word in lex.deictic_days:
            return ctx.dct + timedelta(days=lex.deictic_days[word])
        if word in lex.weekdays:
            if _deadline(ctx, m.start()) or ctx.tense(m.start(), m.end()) > 0:
                return g.weekday_on_or_after(ctx.dct, lex.weekdays[word])
            return g.weekday_on_or_before(ctx.dct, lex.weekdays[word])
        parts = written.split()
        month = month_number(ctx, parts[0])
        day = parse_ordinal(parts[-1], lex)
        if month and day:
            year = pick_year(ctx, m, month, day)
            try:
                return date(year or ctx.dct.year, month, day)
            except ValueError:
                return None
    if ctx.day_ref is not None and ctx.same_sentence(ctx.day_ref_end, m.start()):
        return ctx.day_ref.start
    return ctx.dct
