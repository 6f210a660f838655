"""Rules for lengths of time ("three days"), repeated times ("every Friday") and the
present, past and future as such ("now", "recently", "the future")."""

from __future__ import annotations

import re
from datetime import timedelta

from wiredesk.records import DateInterval
from wiredesk.resolve.time import granule as g
from wiredesk.resolve.time.context import Context, Found
from wiredesk.resolve.time.lexicon import normal
from wiredesk.resolve.time.numbers import parse_number
from wiredesk.resolve.time.rulebase import (
    SKIP,
    Match,
    capitalised,
    month_number,
    previous_word,
    sentence_initial,
)

# before "a year" these make it a rate ("$5 a year", "15 a year", "twice a year")
_RATE_BEFORE = re.compile(
    r"(?:\d|%|percent|dollars|cents|million|billion|thousand|(?P<times>times|once|twice))\W{0,2}$",
    re.IGNORECASE,
)


def duration_value(count: float | None, unit_name: str, ctx: Context) -> str:
    """TIMEX3 duration: P3D, PT2H, P18M, PXY."""
    unit = ctx.lex.units[unit_name]
    prefix = "PT" if unit.clock else "P"
    if count is None:
        return f"{prefix}X{ctx.lex.vague_codes.get(unit.name, unit.code)}"
    total = count * unit.times
    code = unit.code
    if code == "WE":
        code, total = "D", total * 2
    if total != int(total):
        smaller = {"Y": ("M", 12), "D": ("H", 24), "H": ("M", 60), "W": ("D", 7), "M": ("D", 30)}
        if unit.clock:
            smaller["M"] = ("S", 60)  # minutes, not months
        if code in smaller and (total * smaller[code][1]).is_integer():
            whole = int(total)
            sub_code, factor = smaller[code]
            rest = round((total - whole) * factor)
            if code in ("D",):
                return f"P{whole}DT{rest}H" if whole else f"PT{rest}H"
            if whole == 0:
                return f"{prefix}{rest}{sub_code}"
            return f"{prefix}{whole}{code}{rest}{sub_code}"
        return f"{prefix}{total:g}{code}"
    return f"{prefix}{int(total)}{code}"


def interval_of_span(
    ctx: Context, direction: str, count: float | None, unit_name: str
) -> DateInterval | None:
    """ "the past three months": from three months before publication to publication."""
    dct = ctx.dct
    unit = ctx.lex.units.get(unit_name)
    if dct is None or count is None or unit is None or unit.clock or not count.is_integer():
        return None
    if direction in ("past", "last", "previous", "recent", "preceding"):
        sign = -1
    elif direction in ("next", "coming"):
        sign = 1
    else:
        return None
    amount = sign * int(count) * unit.times
    if unit.code in ("D", "W"):
        other = dct + timedelta(days=amount * (7 if unit.code == "W" else 1))
    else:
        other = g.add_months(dct, amount * {"M": 1, "Q": 3, "Y": 12}.get(unit.code, 0))
    precision = g.PRECISION[g.KIND_OF_CODE.get(unit.code, "day")]
    return DateInterval(min(dct, other), max(dct, other), precision)


# between a count and its unit, these make it a run of periods ("two consecutive quarters
# of growth"), not a fraction
_RUN = re.compile(r"\b(?:consecutive|straight|successive|full)\s", re.IGNORECASE)
_APART = re.compile(r"\s+apart\b")
_PER_UNIT = re.compile(r"\s+(?:a|an|per)\s+(?:minute|hour|day|night|week|month|year)\b")
_MATTER_OF = re.compile(r"\bmatter\s+of\s+$", re.IGNORECASE)


def a_matter_of(ctx: Context, start: int) -> bool:
    """ "a matter of days": soon, said as a manner of speaking, which TimeBank leaves out."""
    return _MATTER_OF.search(ctx.text, max(0, start - 12), start) is not None


# before a singular unit these count one more of it: "another week", "an additional year"
_ONE_MORE = frozenset({"another", "an additional", "a further"})


def _not_a_length(m: Match, ctx: Context, unit_name: str, number: str, direction: str) -> bool:
    """Words that look like a length of time and are not: "a quarter of", "these days"."""
    lex = ctx.lex
    plural = unit_name != lex.units[unit_name].name
    if not m["sp_unit"].islower():
        return True  # "60 Minutes", a programme
    if (
        unit_name.startswith("quarter")
        and number not in lex.vague
        and (
            number in ("a", "an", "")
            or "-" in m.group(0)
            or ctx.text[m.end() : m.end() + 3] == " of"
        )
        and not _RUN.search(m.group(0))
    ):
        return True  # "three-quarters of", "a quarter of": a fraction
    one_more = normal(m["sp_approx"] or "") in _ONE_MORE and not plural
    if (
        not number
        and not plural
        and not one_more
        and not normal(m["sp_tail"] or "").endswith("long")
    ):
        return True  # "the past year" is a date: the unit rule reads it
    if unit_name in ("second", "seconds") and number in ("a", "an", ""):
        return True  # "a second attack"
    if (
        number in ("a", "an", "one")
        and unit_name == "day"
        and re.match(r"\s*,", ctx.text[m.end() :])
    ):
        return True  # "one day, he ..."
    bare_ok = previous_word(ctx, m.start()) in lex.cues.bare_unit_before
    if number in ("a", "an") and not (direction or m["sp_det"] or m["sp_approx"] or bare_ok):
        rate = _RATE_BEFORE.search(ctx.text[max(0, m.start() - 12) : m.start()])
        return not rate  # "as a day of prayers", "call it a day"; but "within a week"
    if ctx.text[m.end() : m.end() + 4] == "-to-":
        return True  # "a day-to-day basis"
    if number or one_more or normal(m["sp_tail"] or "").endswith("long"):
        return False  # "three days", "another year", "a decades-long dispute"
    if (
        plural
        and not direction
        and normal(m["sp_det"] or "") == "the"
        and lex.units[unit_name].code == "Y"
        and previous_word(ctx, m.start()) in lex.cues.long_span_before
    ):
        return False  # "over the years", "in the decades that followed"
    if not direction and (m["sp_det"] or m["sp_approx"] or not bare_ok):
        return True  # "the days", "these days"; but "for years"
    return (
        (direction in ("first", "initial", "early") and not _start_of_something(m, ctx, plural))
        or (unit_name == "years" and direction in ("recent", "past"))  # PAST_REF
        or (direction == "following" and not m["sp_det"])  # "following days of fighting"
    )


# after "the first days": a count from an event ("after the vote") or a day ("of Thursday")
_FROM_EVENT_OR_DAY = re.compile(r"\s+(?:after|before|following|since|of\s+[A-Z0-9])")


def _start_of_something(m: Match, ctx: Context, plural: bool) -> bool:
    """ "the first hours of the offensive", "the early years": how long the start lasted."""
    return plural and bool(m["sp_det"]) and not _FROM_EVENT_OR_DAY.match(ctx.text, m.end())


def rule_span(m: Match, ctx: Context) -> Found | None:
    lex = ctx.lex
    unit_name = normal(m["sp_unit"])
    number = normal(m["sp_low"] or m["sp_num"] or "")  # "two to three weeks": the lower bound
    direction = normal(m["sp_dir"] or "")
    if normal(m["sp_tail"] or "").endswith("old"):
        return SKIP  # an age: "a 35-year-old man"
    if _not_a_length(m, ctx, unit_name, number, direction):
        return None
    between = m["sp_low"] is not None and previous_word(ctx, m.start()) == "between"
    if normal(m["sp_to"] or "") == "and" and not between:
        return None  # "two and three days" without "between": not one range
    if not number and _APART.match(ctx.text, m.end()):
        return SKIP  # "minutes apart": how close two events came, not a time of either
    if not number and a_matter_of(ctx, m.start()):
        return SKIP
    if number and _PER_UNIT.match(ctx.text, m.end()):
        return SKIP  # "24 hours a day", "ten hours per week": a rate, as "$5 a day" is
    if re.fullmatch(r"1\d{3}|20\d\d", normal(m["sp_low"] or "")):
        return None  # "the 1990-91 season": years, not a count
    some_day = number == "one" and unit_name == "day" and not m["sp_det"] and "-" not in m.group(0)
    if (
        some_day
        and previous_word(ctx, m.start()) not in lex.cues.bare_unit_before
        and ctx.tense(m.start(), m.end()) > 0
    ):
        return Found(m.start(), m.end(), "DATE", "FUTURE_REF")  # "he will one day return"
    rate = _RATE_BEFORE.search(ctx.text[max(0, m.start() - 12) : m.start()])
    if number in ("a", "an") and not direction and rate:
        if not rate["times"]:
            return SKIP  # "$5 a day", "300 flights a week": a quantity, which TimeBank leaves out
        return Found(m.start(), m.end(), "SET", duration_value(1, unit_name, ctx))  # "twice a year"
    count = parse_number(number, lex) if number else None
    if count is None and unit_name == lex.units[unit_name].name and number not in lex.vague:
        count = 1.0  # "a day-long meeting", "an additional year"; but "a several-year tenure"
    if count is not None and m["sp_half"]:
        count += 0.5
    value = duration_value(count, unit_name, ctx)
    interval = interval_of_span(ctx, direction, count, unit_name)
    start = m.start()
    if m["sp_det"] and normal(m["sp_approx"] or "") in ("over", "under"):
        start = m.start("sp_det")  # "over the past three months": "over" is a preposition
    written = ctx.text[m.start("sp_num") : m.end()] if m["sp_num"] else ""
    if m["sp_det"] and not direction and re.fullmatch(r"[\w.,]+-\w+", written):
        start = m.start("sp_num")  # "the two-week truce": the article is the truce's
    elif m["sp_det"] and normal(m["sp_tail"] or "").endswith("long"):
        start = m.start("sp_unit")  # "its decades-long dispute"
    if between:
        # "between two and six days": TimeBank marks each end, the first with the unit after
        upper = parse_number(normal(m["sp_num"]), lex)
        low = Found(m.start("sp_low"), m.end("sp_low"), "DURATION", value)
        low.then = Found(
            m.start("sp_num"), m.end(), "DURATION", duration_value(upper, unit_name, ctx)
        )
        return low
    found = Found(start, m.end(), "DURATION", value, interval)
    if m["sp_det"] and ctx.dct is not None and unit_name == "months" and count in (6, 9):
        found.granule = g.year(ctx.dct.year)  # "for the nine months": the report's year so far
    return found


def rule_set(m: Match, ctx: Context) -> Found | None:
    lex = ctx.lex
    if m["st_word"]:
        return Found(m.start(), m.end(), "SET", lex.sets[normal(m["st_word"])])
    if m["st_times"]:
        return Found(m.start(), m.end(), "SET", duration_value(1, normal(m["st_unit"]), ctx))
    if m["st_wds"] or m["st_wdp"]:
        text = m["st_wds"] or m["st_wdp"]
        if not capitalised(text):
            return None
        name = normal(text).rstrip(".")
        day = lex.weekdays[name[:-1] if m["st_wds"] else name]
        part = lex.parts_of_day.get(normal(m["st_parts"] or ""), "")
        return Found(m.start(), m.end(), "SET", f"XXXX-WXX-{day}" + (f"T{part}" if part else ""))
    what = normal(m["st_what"]).rstrip(".")
    count = parse_number(m["st_num"], lex) if m["st_num"] else 1.0
    if what in lex.units:
        return Found(m.start(), m.end(), "SET", duration_value(count, what, ctx))
    if what in lex.weekdays:
        return Found(m.start(), m.end(), "SET", f"XXXX-WXX-{lex.weekdays[what]}")
    month = month_number(ctx, m["st_what"])
    if month:
        return Found(m.start(), m.end(), "SET", f"XXXX-{month:02d}")
    if what in lex.seasons:
        return Found(m.start(), m.end(), "SET", f"XXXX-{lex.seasons[what]}")
    if what in lex.parts_of_day:
        return Found(m.start(), m.end(), "SET", f"XXXX-XX-XXT{lex.parts_of_day[what]}")
    if what == "weekend":
        return Found(m.start(), m.end(), "SET", "XXXX-WXX-WE")
    return None


_VAGUE_LENGTH = re.compile(r"PT?X[A-Z]")
_NEXT_WORD = re.compile(r"\s+([\w-]+)")
_ONCE_IN = re.compile(r"\bonce\s+in\s+$", re.IGNORECASE)
_AGO = re.compile(r"\s+(?:ago|back|later|earlier)\b", re.IGNORECASE)

# "as soon as", "soon after the attack": a comparison, not the future
_NOT_SOON = re.compile(r"\s+(?:as|after|afterwards?|before|thereafter)\b", re.IGNORECASE)


def rule_ref(m: Match, ctx: Context) -> Found | None:
    word = normal(m["rf_word"])
    if ctx.text[m.end() : m.end() + 1] == "-":
        return None  # "the now-cancelled deal": part of an adjective
    value = ctx.lex.refs[word]
    shifted = word.split()[-1] in ctx.lex.shift  # "the past"
    counted = _NEXT_WORD.match(ctx.text, m.end()) if shifted else None
    if counted and (parse_number(counted[1], ctx.lex) is not None or counted[1] in ctx.lex.vague):
        return None  # "the past three summers": "past" counts what follows, it is no time
    if _VAGUE_LENGTH.fullmatch(value):
        if (
            _NOT_SOON.match(ctx.text, m.end())
            or _AGO.match(ctx.text, m.end())
            or _ONCE_IN.search(ctx.text, max(0, m.start() - 10), m.start())
        ):
            return None  # "a while ago", "a while after the blast", "once in a while"
        return Found(m.start(), m.end(), "DURATION", value)  # "for a while", "the weeks ahead"
    if word == "soon" and (
        previous_word(ctx, m.start()) in ("as", "how", "too", "so")
        or _NOT_SOON.match(ctx.text, m.end())
        or ctx.tense(m.start(), m.end()) < 0
    ):
        return None  # "was soon released", "as soon as possible" (read as a whole phrase)
    interval = None
    if value == "PRESENT_REF" and ctx.dct is not None:
        interval = g.day(ctx.dct).interval
    return Found(m.start(), m.end(), "DATE", value, interval)


def rule_ref_adjective(m: Match, ctx: Context) -> Found | None:
    """ "current market conditions": the present, as TIMEX3 marks it, but no days to date by;
    "the then current price": a past present."""
    if m["rj_word"] != m["rj_word"].lower() or m["rj_noun"] in ctx.lex.ref_adjective_nouns:
        return None
    value = "PAST_REF" if m["rj_then"] else ctx.lex.ref_adjectives[normal(m["rj_word"])]
    return Found(m.start(), m.end(), "DATE", value)


def rule_period_adjective(m: Match, ctx: Context) -> Found | None:
    """ "an annual loss": the loss of one year, a DURATION."""
    if not m["pa_word"].islower() and not sentence_initial(ctx, m.start()):
        return None  # "the Annual Loss Review", a name
    return Found(m.start(), m.end(), "DURATION", ctx.lex.period_adjectives[normal(m["pa_word"])])
