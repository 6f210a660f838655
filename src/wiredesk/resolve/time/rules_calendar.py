"""Rules for calendar names: dates, months, years, decades, seasons, holidays.

Each rule takes the match and the context and returns a Found, SKIP (the words are not a
time and nothing inside them is either) or None (let the next rule try at this place).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from wiredesk.records import DateInterval, TimexType
from wiredesk.resolve.time import granule as g
from wiredesk.resolve.time.context import Context, Found
from wiredesk.resolve.time.lexicon import Holiday, normal
from wiredesk.resolve.time.numbers import parse_number, parse_ordinal
from wiredesk.resolve.time.rulebase import (
    Match,
    capitalised,
    day_found,
    month_number,
    named_day_part,
    previous_word,
    sentence_initial,
    unknown,
    with_part,
)

# words after a four-digit number that make it a quantity, not a year
_QUANTITY_AFTER = re.compile(
    r"\s*(?:%|percent|per\s*cent|km|kilomet|miles?\b|met(?:er|re)s?\b|feet|ft\b|kg\b|tons?\b|tonnes?\b"
    r"|people|persons|troops|soldiers|votes|members|points|hours|hrs\b|gmt|utc|local\s+time|[ap]\.?m\b"
    r"|dollars|euros|pounds|yen|rupees|barrels|acres|square|units|cases|deaths|times|shares"
    r"|[-–]\s*\d{3,}|:\d)",
    re.IGNORECASE,
)

_QUANTITY_BEFORE = re.compile(
    r"(?:\b(?:no\.|number|nos\.|flight|route|page|pages|resolution|model|article|paragraph|room"
    r"|unit|apartment|p\.|pp\.|channel|code|highway|interstate|top|bottom)|\d)\s*$",
    re.IGNORECASE,
)

# a capitalised word before a bare year makes it part of a name ("Orion 1980", "Euro 2016")
_NAME_BEFORE = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+)\s+$")


def pick_year(ctx: Context, m: Match, month: int, day: int | None = None) -> int | None:
    """The year of a date written without one.

    A day ("April 8") is the nearest such day to publication unless the verb just before it
    puts it in the past ("was killed on December 28") or more than a week into the future.
    A month ("in March") is the most recent one on or before publication's month, or the next
    one when the sentence speaks of the future ("will", "by February") or, saying nothing of
    its tense, names one of the next two months. A verb of telling well before the month
    says nothing of its tense ("said the cut would come in September").
    """
    dct = ctx.dct
    if dct is None:
        return None
    if day is None:
        tense, cue = ctx.cue(m.start(), m.end())
        if cue in ctx.lex.cues.telling_verbs and _told_of(ctx, m.start(), cue):
            tense = 0  # the verb's tense is the telling's, not that of what it tells
        this = (dct.year, dct.month)
        ahead = (month - dct.month) % 12
        if 0 < ahead <= 6 and previous_word(ctx, m.start()) in ctx.lex.cues.deadline_before:
            tense = 1  # "by February", "until mid-November": a deadline still to come
        if tense == 0 and 0 < ahead <= _NEAR_MONTHS:
            tense = 1  # "when the case is heard in May" in March: the coming one, the nearer
        if tense > 0:
            return dct.year if (dct.year, month) >= this else dct.year + 1
        return dct.year if (dct.year, month) <= this else dct.year - 1
    candidates = [
        (date(y, month, day), y)
        for y in (dct.year - 1, dct.year, dct.year + 1)
        if day <= calendar.monthrange(y, month)[1]
    ]
    if not candidates:
        return None
    nearest, year = min(candidates, key=lambda c: (abs((c[0] - dct).days), c[0] > dct))
    tense, cue = ctx.cue(m.start(), m.end(), reach=4)  # only a verb right by the date counts
    slack = timedelta(days=7)
    if tense < 0 and nearest > dct:
        if nearest - dct <= _SOON and (cue in _HAVE or _still_to_come(ctx, m)):
            return year  # "the offer was extended to Nov. 20", "had been due to expire Nov. 6"
        return max(y for d, y in candidates if d <= dct)
    if tense > 0 and nearest < dct - slack:
        return min(y for d, y in candidates if d >= dct - slack)
    if tense == 0 and nearest - dct > _FAR_AHEAD and ctx.tense(m.start(), m.end()) <= 0:
        return max(y for d, y in candidates if d <= dct)  # "the record set on Aug. 6"
    return year


# a month this many ahead of publication's, in a sentence without tense, is the coming one
_NEAR_MONTHS = 2
# a day named with a past verb may still lie this close ahead, when it is a limit or a plan
_SOON = timedelta(days=45)
# "has a June 1 deadline", "a June 3 hearing has been scheduled": a present, not a past
_HAVE = frozenset({"has", "have"})
# a day farther ahead than this, in a sentence without a word of the future, is a past one
_FAR_AHEAD = timedelta(days=150)


# words that may come between a verb of telling and the month it was told in: "said in
# March", "told reporters in May", "said in a speech in March"
_TOLD_IN_GAP = 5


def _told_of(ctx: Context, start: int, verb: str) -> bool:
    """Whether the month at `start` is named in what `verb` tells ("said the cut would come
    in September"), the verb being earlier in the sentence but not so close that it tells
    when the telling was ("announced in January")."""
    head = ctx.text[ctx.sentence_start(start) : start].lower()
    words = re.findall(r"[a-z]+", head)
    return verb in words[: -_TOLD_IN_GAP - 1] and verb not in words[-_TOLD_IN_GAP - 1 :]


def _still_to_come(ctx: Context, m: Match) -> bool:
    """ "extended to Nov. 20", "had been set to expire Nov. 6": a date the plan is about."""
    previous = previous_word(ctx, m.start())
    return previous in ctx.lex.cues.deadline_before or previous == "to" or ctx.planned(m.start())


def make_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def rule_date(m: Match, ctx: Context) -> Found | None:
    if m["dt_iso"]:
        d = make_day(*map(int, m["dt_iso"].split("-")))
        if d is None:
            return None
        if m["dt_time"]:
            return Found(
                m.start(), m.end(), "TIME", f"{d.isoformat()}T{m['dt_time']}", g.day(d).interval
            )
        return day_found(m, g.day(d))
    if m["dt_num"]:
        return _numeric_date(m, ctx)
    month = month_number(ctx, m["dt_m1"] or m["dt_m2"])
    day = parse_ordinal(m["dt_d1"] or m["dt_d2"], ctx.lex)
    if month is None or day is None or not 1 <= day <= 31:
        return None
    year_text = m["dt_y1"] or m["dt_y2"]
    year = int(year_text) if year_text else _year_of_weekday(m, ctx, month, day)
    if year is None and not year_text:
        year = pick_year(ctx, m, month, day)
    if year is None and m["dt_week"]:
        return unknown(m, "XXXX-WXX")
    if year is None:
        part = named_day_part(ctx, m["dt_part"])
        return unknown(
            m,
            f"XXXX-{month:02d}-{day:02d}" + (f"T{part}" if part else ""),
            "TIME" if part else "DATE",
        )
    d = make_day(year, month, day)
    if d is None:
        return None
    if m["dt_week"]:
        return day_found(m, g.granule("week", d))  # "the week of March 6"
    return with_part(m, g.day(d), named_day_part(ctx, m["dt_part"]))  # "the morning of April 14"


def _year_of_weekday(m: Match, ctx: Context, month: int, day: int) -> int | None:
    """ "Friday, Nov. 17": the year near publication in which that day is a Friday."""
    if not m["dt_wd"] or ctx.dct is None:
        return None
    weekday = ctx.lex.weekdays[normal(m["dt_wd"]).rstrip(".")]
    years = [
        y
        for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)
        if (d := make_day(y, month, day)) is not None and d.isoweekday() == weekday
    ]
    return years[0] if len(years) == 1 else None


def _numeric_date(m: Match, ctx: Context) -> Found | None:
    text = m["dt_num"]
    a, b, c = (int(p) for p in re.split(r"[/.]", text))
    if len(text.split("/" if "/" in text else ".")[2]) == 2:
        pivot = (ctx.dct.year if ctx.dct else 2000) + 10
        c += 2000 if 2000 + c <= pivot else 1900
    month, day = (b, a) if "." in text or a > 12 else (a, b)
    d = make_day(c, month, day)
    return day_found(m, g.day(d)) if d else None


def rule_range(m: Match, ctx: Context) -> Found | None:
    if m["ra_w1"]:
        return _weekday_range(m, ctx)
    first_month = month_number(ctx, m["ra_m1"] or m["ra_m3"])
    second_month = month_number(ctx, m["ra_m2"]) if m["ra_m2"] else first_month
    d1 = parse_ordinal(m["ra_d1"] or m["ra_d3"], ctx.lex)
    d2 = parse_ordinal(m["ra_d2"] or m["ra_d4"], ctx.lex)
    if first_month is None or second_month is None or d1 is None or d2 is None:
        return None
    year = int(m["ra_y"]) if m["ra_y"] else pick_year(ctx, m, first_month, d1)
    part = ctx.lex.parts_of_day.get((m["ra_part"] or "").lower(), "")
    first, second = _range_ends(m)
    if year is None:
        suffix = f"T{part}" if part else ""
        type_: TimexType = "TIME" if part else "DATE"
        if part or first is None or second is None:
            return unknown(m, f"XXXX-{first_month:02d}-{d1:02d}{suffix}", type_)
        head = Found(*first, type_, f"XXXX-{first_month:02d}-{d1:02d}")
        head.then = Found(*second, type_, f"XXXX-{second_month:02d}-{d2:02d}")
        return head
    start = make_day(year, first_month, d1)
    end = make_day(year + (second_month < first_month), second_month, d2)
    if start is None or end is None or end < start or (end - start).days > 62:
        return None
    interval = DateInterval(start, end, "day")
    if part:
        return Found(m.start(), m.end(), "TIME", f"{start.isoformat()}T{part}", interval)
    if first is not None and second is not None:
        return _two_ends(first, second, g.day(start), g.day(end), interval)
    return Found(m.start(), m.end(), "DATE", start.isoformat(), interval, granule=g.day(start))


# the words that join the two ends of a range written out ("from May 3 to May 9")
_JOINED = re.compile(r"\s*(?:to|and|through|until|till|thru)\s*", re.IGNORECASE)


def _range_ends(m: Match) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The spans of the two ends of a date range joined by a word, or None for "May 3-9"."""
    if m["ra_part"]:
        return None, None
    if m["ra_m1"]:
        first = (m.start("ra_m1"), m.end("ra_d1"))
        second = (m.start("ra_m2") if m["ra_m2"] else m.start("ra_d2"), m.end())
    else:
        first = (m.start("ra_d3"), m.end("ra_d3"))
        second = (m.start("ra_d4"), m.end())
    if not _JOINED.fullmatch(m.text, first[1], second[0]):
        return None, None
    return first, second


def _two_ends(
    first: tuple[int, int],
    second: tuple[int, int],
    start: g.Granule,
    end: g.Granule,
    interval: DateInterval,
) -> Found:
    """A range as TimeML marks it: each end its own expression ("from [2019] to [2021]").

    Both ends carry the days of the whole range, so that an event dated by either of them
    gets the whole range.
    """
    head = Found(*first, "DATE", start.value, interval, granule=start)
    head.then = Found(*second, "DATE", end.value, interval, granule=end)
    return head


def _weekday_range(m: Match, ctx: Context) -> Found | None:
    """ "between Monday and Wednesday": the latest such run of days by publication."""
    if not (capitalised(m["ra_w1"]) and capitalised(m["ra_w2"])):
        return None
    first = ctx.lex.weekdays[normal(m["ra_w1"]).rstrip(".")]
    last = ctx.lex.weekdays[normal(m["ra_w2"]).rstrip(".")]
    ends = (m.start("ra_w1"), m.end("ra_w1")), (m.start("ra_w2"), m.end("ra_w2"))
    if ctx.dct is None:
        head = Found(*ends[0], "DATE", f"XXXX-WXX-{first}")
        head.then = Found(*ends[1], "DATE", f"XXXX-WXX-{last}")
        return head
    if ctx.tense(m.start(), m.end()) > 0:
        start = g.weekday_on_or_after(ctx.dct, first)
        end = g.weekday_on_or_after(start, last)
    else:
        end = g.weekday_on_or_before(ctx.dct, last)
        start = g.weekday_on_or_before(end, first)
    interval = DateInterval(start, end, "day")
    return _two_ends(ends[0], ends[1], g.day(start), g.day(end), interval)


def year_of(text: str, ctx: Context) -> int | None:
    """A year written as digits ("2020"), short ("'20") or words ("nineteen ninety-six")."""
    digits = text.lstrip("'’")
    if digits.isdigit():
        year = int(digits)
        if len(digits) == 2:
            pivot = (ctx.dct.year if ctx.dct else 2000) % 100
            year += 2000 if year <= pivot + 5 else 1900
        return year
    return _year_words(text, ctx)


def rule_monthyear(m: Match, ctx: Context) -> Found | None:
    month = month_number(ctx, m["my_m"])
    year = year_of(m["my_y"], ctx)
    if month is None or year is None:
        return None
    return day_found(m, g.month(year, month))


def rule_month(m: Match, ctx: Context) -> Found | None:
    month = month_number(ctx, m["mo_m"])
    if month is None:
        return None
    if re.match(r"\s*\d{1,2}(?:st|nd|rd|th)?\b(?!\s*(?:%|percent|per))", ctx.text[m.end() :]):
        return None  # "last Oct. 23": the date rule reads it from the month on
    shift = normal(m["mo_shift"] or "")
    name = normal(m["mo_m"]).rstrip(".")
    if not (shift or m["mo_mod"] or m["mo_rel"]):
        if len(name) <= 4 and name not in ("may", "june", "july") and not m["mo_m"].endswith("."):
            return None  # "Mar", "Jun" alone are not months
        follower = re.match(r"[ \t]+([A-Z][a-z]+)", ctx.text[m.end() : m.end() + 20])
        if follower:
            return None  # "June Carter", "August Wilson"
        if (
            name in ctx.lex.months_ambiguous
            and previous_word(ctx, m.start()) not in ctx.lex.cues.name_prepositions
        ):
            return None
    dct = ctx.dct
    if dct is None:
        return unknown(m, f"XXXX-{month:02d}")
    rel = normal(m["mo_rel"] or "")
    if rel:
        year = dct.year + {"last": -1, "this": 0, "next": 1}[rel]
    elif shift in ("last", "this past", "past"):
        back = (dct.month - month) % 12 or 12  # months back to the one named
        if shift == "last" and back == 1:
            back = 13  # the month just ended is "last month": "last February" in March is older
        year = dct.year + (dct.month - back - 1) // 12
    elif shift in ("next", "this coming", "coming"):
        year = dct.year if month > dct.month else dct.year + 1
    elif shift == "this":
        year = dct.year
    elif shift == "that" and ctx.ref is not None:
        year = ctx.ref.start.year
    else:
        picked = pick_year(ctx, m, month)
        year = picked if picked is not None else dct.year
    return day_found(m, g.month(year, month))


def rule_year(m: Match, ctx: Context) -> Found | None:
    text = m["yr_y"]
    if text[0] in "'’‘":  # "since '82": only after a word that takes a year
        short = year_of(text.lstrip("'’‘"), ctx)
        if short is None or previous_word(ctx, m.start()) not in _SHORT_YEAR_BEFORE:
            return None
        return day_found(m, g.year(short))
    if text[0].isdigit():
        year = int(text)
        if not (m["yr_mod"] or m["yr_pre"] or m["yr_y2"]) and not _plausible_year(m, ctx, year):
            return None
    else:
        parsed = _year_words(text, ctx)
        if parsed is None:
            return None
        year = parsed
    if m["yr_y2"]:
        second = int(m["yr_y2"])
        if second < 100:
            second += year // 100 * 100
        if not 0 < second - year <= 30:
            return None
        interval = DateInterval(date(year, 1, 1), date(second, 12, 31), "year")
        return Found(m.start(), m.end(), "DATE", f"{year:04d}", interval, granule=g.year(year))
    return day_found(m, g.year(year))


def _plausible_year(m: Match, ctx: Context, year: int) -> bool:
    """Whether a bare four-digit number is a year, not a quantity or part of a name."""
    if _QUANTITY_AFTER.match(ctx.text, m.end()):
        return False  # "1990 people", "2000 km"
    if _QUANTITY_BEFORE.search(ctx.text[max(0, m.start() - 14) : m.start()]):
        return False  # "flight 1980", "resolution 1441"
    previous = previous_word(ctx, m.start())
    if year < 1900 and previous not in ("in", "since", "of", "until", "by"):
        return False
    name = _NAME_BEFORE.search(ctx.text, max(0, m.start() - 25), m.start())
    if name is None or sentence_initial(ctx, name.start(1)):
        return True
    word = name[1].lower()  # "Orion 1980", "Euro 2016"; but "March 1980", "In 1980"
    return (
        word in ctx.lex.months or word in ctx.lex.seasons or word in ctx.lex.cues.name_prepositions
    )


def _year_words(text: str, ctx: Context) -> int | None:
    words = normal(text).replace("-", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = (
            parse_number(" ".join(w for w in words[2:] if w != "and"), ctx.lex) if words[2:] else 0
        )
        return None if rest is None else 2000 + int(rest)
    head = {"nineteen": 19, "twenty": 20}.get(words[0])
    if head is None:
        return None
    tail_words = [w for w in words[1:] if w != "oh"]
    if tail_words == ["hundred"]:
        return head * 100
    tail = parse_number(" ".join(tail_words), ctx.lex)
    if tail is None or not (10 <= tail < 100 or (words[1] == "oh" and 0 < tail < 10)):
        return None  # "twenty six" is a number, "nineteen ninety-six" a year
    return head * 100 + int(tail)


# words after which "'82" is a year (elsewhere it may be a quotation mark and a number)
_SHORT_YEAR_BEFORE = frozenset({"in", "since", "of", "until", "till", "by", "from", "before"})


def rule_years(m: Match, ctx: Context) -> Found | None:
    first, last = int(m["ys_from"]), int(m["ys_to"])
    if not 0 < last - first <= 100:
        return None
    interval = DateInterval(date(first, 1, 1), date(last, 12, 31), "year")
    ends = (m.start("ys_from"), m.end("ys_from")), (m.start("ys_to"), m.end("ys_to"))
    return _two_ends(ends[0], ends[1], g.year(first), g.year(last), interval)


# a decade joined to one just named takes its reading: "the 70s and 80s"
_DECADE_BEFORE = re.compile(r"(?:\bthe\s+|\d\d|['’‘])\d0['’]?s\s+(?:and|or|to|through)\s+$")


def rule_decade(m: Match, ctx: Context) -> Found | None:
    if m["dc_y"]:
        return day_found(m, g.decade(int(m["dc_y"])))
    joined = _DECADE_BEFORE.search(ctx.text, max(0, m.start() - 24), m.start())
    if not (m["dc_the"] or m["dc_yy"] or joined):
        return None  # "in her 80s": an age
    digits = m["dc_yy"] or m["dc_yy2"]
    tens = int(digits[0]) if digits else ctx.lex.decades[normal(m["dc_w"])]
    now = ctx.dct.year if ctx.dct else 1999
    first = 2000 + tens * 10
    if first > now:
        first -= 100
    return day_found(m, g.decade(first))


def rule_century(m: Match, ctx: Context) -> Found | None:
    number = parse_ordinal(m["ce_ord"], ctx.lex)
    if number is None or not 1 <= number <= 21:
        return None
    return day_found(m, g.century(number))


def rule_season(m: Match, ctx: Context) -> Found | None:
    name = normal(m["se_name"])
    code = ctx.lex.seasons[name]
    det = normal(m["se_det"] or "")
    bare = not det and not m["se_mod"]
    if bare and capitalised(m["se_name"]) and not sentence_initial(ctx, m.start()):
        return None  # "Arab Spring", "Operation Winter"
    year = year_of(m["se_y"], ctx) if m["se_y"] else None
    if year is not None:
        return day_found(m, g.season_of(year, code))
    if det in ("", "the") and not m["se_mod"]:
        previous = previous_word(ctx, m.start())
        if (
            previous not in ctx.lex.cues.name_prepositions
            or ctx.text[m.end() : m.end() + 4].lower() == " of "
        ):
            return None
    if name == "fall" and det in ("", "the") and not m["se_mod"]:
        return None
    dct = ctx.dct
    if dct is None:
        return unknown(m, f"XXXX-{code}")
    seasons = [g.season_of(y, code) for y in range(dct.year - 2, dct.year + 2)]
    current = next((s for s in seasons if s.start <= dct <= s.end), None)
    past = [s for s in seasons if s.end < dct]
    future = [s for s in seasons if s.start > dct]
    if det in ("last", "this past", "past"):
        chosen = past[-1]
    elif det in ("next", "this coming", "coming"):
        chosen = future[0]
    elif current is not None:
        chosen = current
    elif det == "this" and ctx.tense(m.start(), m.end()) >= 0:
        chosen = g.season_of(dct.year, code)  # "this summer", said in January: this year's
    elif det == "that" and ctx.ref is not None:
        chosen = g.season_of(ctx.ref.start.year, code)
    else:
        chosen = future[0] if ctx.tense(m.start(), m.end()) > 0 else past[-1]
    return day_found(m, chosen)


def holiday_date(holiday: Holiday, year: int) -> date:
    if holiday.date:
        return date(year, *holiday.date)
    if holiday.nth_weekday:
        month, weekday, nth = holiday.nth_weekday
        return g.nth_weekday(year, month, weekday, nth)
    if holiday.easter is not None:
        return g.easter(year) + timedelta(days=holiday.easter)
    if holiday.hijri:
        return g.hijri_in(year, *holiday.hijri)[0]
    if holiday.hijri_month:
        return g.hijri_in(year, holiday.hijri_month, 1)[0]
    return g.nth_weekday(year, 11, 1, 1) + timedelta(days=1)  # election day


def _holiday_found(m: Match, holiday: Holiday, start: date) -> Found:
    """A named day; a named month (Ramadan) keeps the value of its first day but all its days."""
    if not holiday.hijri_month:
        return day_found(m, g.day(start))
    end = g.hijri_in(start.year, holiday.hijri_month, 29)
    last = min((d for d in end if d >= start), default=start + timedelta(days=28))
    following = last + timedelta(days=1)
    if g.hijri_in(following.year, holiday.hijri_month % 12 + 1, 1)[:1] != [following]:
        last = following  # a 30-day month
    interval = DateInterval(start, last, "month")
    return Found(m.start(), m.end(), "DATE", start.isoformat(), interval, granule=g.day(start))


def rule_holiday(m: Match, ctx: Context) -> Found | None:
    if not capitalised(m["ho_name"]):
        return None
    holiday = ctx.lex.holidays[normal(m["ho_name"])]
    week = bool(m["ho_week"])  # "Easter week": the week that holds the day

    def found(day: date) -> Found:
        return day_found(m, g.granule("week", day)) if week else _holiday_found(m, holiday, day)

    if m["ho_y"]:
        return found(holiday_date(holiday, int(m["ho_y"])))
    dct = ctx.dct
    if dct is None:
        if week:
            return unknown(m, "XXXX-WXX")
        if holiday.date:
            return unknown(m, f"XXXX-{holiday.date[0]:02d}-{holiday.date[1]:02d}")
        return unknown(m, "XXXX-XX-XX")
    days = [holiday_date(holiday, y) for y in (dct.year - 1, dct.year, dct.year + 1)]

    def begins(day: date) -> date:
        return g.granule("week", day).start if week else day

    shift = normal(m["ho_shift"] or "")
    if shift == "last":
        chosen = max(d for d in days if d < dct)
    elif shift == "next":
        chosen = min(d for d in days if d > dct)
    elif shift == "this":
        chosen = days[1]
    else:
        tense = ctx.tense(m.start(), m.end())
        chosen = min(days, key=lambda d: abs((d - dct).days))
        if tense < 0 and begins(chosen) > dct:
            chosen = max(d for d in days if begins(d) <= dct)
        elif tense > 0 and chosen < dct:
            chosen = min(d for d in days if d >= dct)
    return found(chosen)


_WEEK_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def rule_week_of_month(m: Match, ctx: Context) -> Found | None:
    """ "the last week of March": the calendar week holding most of those seven days."""
    month = month_number(ctx, m["wk_m"])
    if month is None:
        return None
    year = int(m["wk_y"]) if m["wk_y"] else pick_year(ctx, m, month)
    ordinal = normal(m["wk_ord"])
    if year is None:
        return unknown(m, "XXXX-WXX")
    if ordinal in ("last", "final"):
        middle = date(year, month, calendar.monthrange(year, month)[1]) - timedelta(days=3)
    else:
        middle = date(year, month, 4 + 7 * (_WEEK_ORDINALS[ordinal] - 1))
    return day_found(m, g.granule("week", middle))
