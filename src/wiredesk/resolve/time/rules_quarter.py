"""Rules for quarters and halves of years, and the periods of company reports."""

from __future__ import annotations

import re
from datetime import date, timedelta

from wiredesk.resolve.time import granule as g
from wiredesk.resolve.time.context import Context, Found
from wiredesk.resolve.time.granule import Granule
from wiredesk.resolve.time.lexicon import normal
from wiredesk.resolve.time.rulebase import Match, day_found, month_number, unknown

_ORDINAL_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3}

_ORDINAL_QUARTER |= {"4th": 4, "final": 4}

_AGO_WORDS = (
    *("year-earlier", "year-ago", "year earlier", "year ago", "year-before"),
    *("comparable", "corresponding", "same"),
)


def rule_quarter(m: Match, ctx: Context) -> Found | None:
    if m["qu_q"]:
        if not m["qu_q"].startswith("Q"):
            return None  # "q3" is not a quarter; "Q3" is
        written = int(m["qu_q"][1])
        year = int(m["qu_y5"]) if m["qu_y5"] else _quarter_year(ctx, m, written)
        if year is None:
            return unknown(m, f"XXXX-Q{written}")
        return day_found(m, g.quarter(year, written))
    unit = normal(m["qu_unit"])
    rel = normal(m["qu_rel"] or "")
    ordinal = normal(m["qu_ord"] or "")
    if unit.startswith("two"):
        if ordinal not in ("first", "second"):
            return None  # "the past two quarters", "the last two quarters": a length of time
        unit = "half"  # "the first two quarters of 1990": its first half
    det = normal(m["qu_det"] or "")
    ago = any(w in rel for w in _AGO_WORDS) or bool(m["qu_ago"])
    written_year = m["qu_y1"] or m["qu_y2"]
    if unit == "period" and written_year and not (ago or rel):
        return _period_of_year(m, ctx, int(written_year))
    if unit == "period" and not (ago or "latest" in rel or "current" in rel):
        return None
    if unit == "half" and ordinal not in ("first", "second", "1st", "2nd", "last"):
        return None
    determined = det in ("the", "that", "this", "its", "their") or m["qu_ys"]
    if unit == "quarter" and not (ordinal or rel or determined):
        return None
    if (
        unit == "quarter"
        and not (ordinal or rel)
        and re.match(r"\s+(?:of|century|mile)", ctx.text[m.end() :])
    ):
        return None  # "the quarter of the votes"
    year = _explicit_year(m, ctx)
    dct = ctx.dct
    if unit == "half":
        if year is None and re.match(r"\s+of\s+the\b", ctx.text[m.end() :]):
            return None  # "the last half of the '80s": a part of what follows
        half = 1 if ordinal in ("first", "1st") else 2  # second, last
        if year is None and dct is not None:
            year = dct.year if date(dct.year, 6 * half - 5, 1) <= dct else dct.year - 1
        if year is None:
            return unknown(m, f"XXXX-H{half}")
        period = g.half(year, half)
        # a half still to come is a forecast, not the period a report is on
        return day_found(m, period, topical=dct is None or period.start <= dct)
    if unit == "period" and ago and ctx.quarter_ref is None and ctx.period_length:
        # "the year-earlier period" after "for the nine months": as long, a year before
        return Found(m.start(), m.end(), "DURATION", ctx.period_length)
    found = _quarter_of(m, ctx, unit, rel, ordinal, det, year, ago)
    if found is not None and found.topical and not _reported(m, ctx, found, det):
        found.topical = False  # "continue into the fourth quarter", "after a flat second quarter"
    if found is not None and det and m["qu_ord"] and m.group("qu_unit") and "-" in m.group(0):
        found.start = m.start("qu_ord")  # "a third-quarter loss": the article is the loss's
    return found


def _quarter_of(
    m: Match, ctx: Context, unit: str, rel: str, ordinal: str, det: str, year: int | None, ago: bool
) -> Found | None:
    number = _ORDINAL_QUARTER.get(ordinal)
    if number is None and unit == "quarter" and not (ago or rel):
        ended = _quarter_ended(m, ctx)
        if ended is not None:
            # named by the calendar; the report's own (fiscal) quarter stays the one that
            # "a year earlier" and "the latest quarter" count from
            return day_found(m, ended, topical=False)
    if number is None or (ordinal == "last" and year is None):
        base = _reference_quarter(ctx, rel, ordinal, det, unit, _names_results(m, ctx))
        if base is None:
            return unknown(m, "XXXX-QX")
        if year is not None and base.kind == "quarter":
            base = g.quarter(year, (base.start.month - 1) // 3 + 1)  # "the 1988 quarter"
        if ago:
            return day_found(m, base.shift(-1, "Y"), topical=False)
        return day_found(m, base)
    if year is None:
        last_day = None if ago else _ended_day(m, ctx)
        # "the second quarter ended Oct. 31": of the year that day falls in
        year = last_day.year if last_day is not None else _quarter_year(ctx, m, number)
        if year is not None and ago:
            return day_found(m, g.quarter(year - 1, number), topical=False)
    if year is None:
        return unknown(m, f"XXXX-Q{number}")
    return day_found(m, g.quarter(year, number))


_ENDED = re.compile(
    r"\s+(?:ended|ending)\s+(?P<month>[A-Z][a-z]+)\.?\s+(?P<day>[0-3]?\d)\b(?:,?\s+(?P<year>\d{4})\b)?"
)


def _ended_day(m: Match, ctx: Context) -> date | None:
    """The last day of "the quarter ended July 31": of the year told, or else of the latest
    year in which that day is past ("ended"; "ending" may be to come)."""
    ended = _ENDED.match(ctx.text, m.end())
    month = month_number(ctx, ended["month"]) if ended else None
    if ended is None or month is None:
        return None
    year = int(ended["year"]) if ended["year"] else ctx.dct.year if ctx.dct else None
    if year is None:
        return None
    past = ended.group(0).split()[0] == "ended"
    try:
        last = date(year, month, int(ended["day"]))
        if past and not ended["year"] and ctx.dct is not None and last > ctx.dct:
            last = last.replace(year=year - 1)
    except ValueError:
        return None
    return last


def _quarter_ended(m: Match, ctx: Context) -> Granule | None:
    """ "the quarter ended July 31": the three months up to that day, named by the calendar
    quarter that holds most of them (May to July: the second)."""
    last = _ended_day(m, ctx)
    return None if last is None else g.granule("quarter", last - timedelta(days=45))


def _period_of_year(m: Match, ctx: Context, year: int) -> Found:
    """ "the 1988 period": the quarter the report is on, in that year; else the year."""
    quarter = ctx.quarter_ref
    if quarter is None:
        return day_found(m, g.year(year), topical=False)
    return day_found(m, g.quarter(year, (quarter.start.month - 1) // 3 + 1), topical=False)


def _reported(m: Match, ctx: Context, found: Found, det: str) -> bool:
    """Whether a quarter is one a report is about: begun by publication, not a forecast, and
    named as the one in question ("the third quarter"), not in passing ("a flat quarter")."""
    dct, quarter = ctx.dct, found.granule
    if dct is None or quarter is None:
        return True
    if quarter.start > dct or (det == "a" and "-" not in m.group(0)):
        return False
    if quarter.end < dct:
        return True
    # the quarter under way: reported only as a fiscal one ("the fourth quarter ended Aug. 26")
    if _names_results(m, ctx):
        # "Ralston reported fourth-quarter earnings": results out, so a fiscal quarter now over
        tense, word = ctx.cue(m.start(), m.end())
        if tense < 0 and word not in ("has", "have"):  # "has no estimate of [...] results"
            return True
    after = ctx.text[m.end() : m.end() + 12].lower()
    return "fiscal" in m.group(0).lower() or after.lstrip().startswith(("ended", "ending"))


_NEXT_WORD = re.compile(r"(?:['’]s)?\s+([a-z]+)\b")


def _names_results(m: Match, ctx: Context) -> bool:
    """Whether a quarter's results follow it ("fourth-quarter earnings", "this quarter's loss")."""
    noun = _NEXT_WORD.match(ctx.text[m.end() : m.end() + 16].lower())
    return noun is not None and noun[1] in ctx.lex.cues.result_nouns


def _explicit_year(m: Match, ctx: Context) -> int | None:
    for name in ("qu_y1", "qu_y2", "qu_y3", "qu_y4"):
        if m[name]:
            return int(m[name])
    this = normal(m["qu_ys"] or m["qu_ys2"] or "")
    if this and ctx.dct is not None:
        return ctx.dct.year + {"last": -1, "this": 0, "next": 1}[this]
    if m["qu_ys3"] and ctx.ref is not None and ctx.ref.kind in ("year", "quarter", "half"):
        return ctx.ref.start.year
    if m["qu_ys3"] and ctx.dct is not None:
        return ctx.dct.year
    return None


def _quarter_year(ctx: Context, m: Match, number: int) -> int | None:
    """The year of "the third quarter": the latest one begun by publication, or the next."""
    dct = ctx.dct
    if dct is None:
        return None
    first_day = date(dct.year, 3 * number - 2, 1)
    if first_day <= dct:
        return dct.year
    tense = ctx.tense(m.start(), m.end())
    if tense < 0 or (tense == 0 and (first_day - dct).days > _NEAR_QUARTER):
        return dct.year - 1  # in February, "the fourth quarter" is last year's
    return dct.year  # in August, "during the fourth quarter" is the coming one


# a quarter that begins within this many days of publication is the coming one, not last year's
_NEAR_QUARTER = 92


def _reference_quarter(
    ctx: Context, rel: str, ordinal: str, det: str, unit: str, results: bool
) -> Granule | None:
    """The quarter of "the latest quarter", "the quarter", "last quarter", "the same period"."""
    dct = ctx.dct
    if det == "this" and results and ctx.quarter_ref is not None:
        return ctx.quarter_ref  # "this quarter's loss" in a report: the quarter reported on
    if "current" in rel or det == "this":
        return g.granule("quarter", dct) if dct else None
    latest = g.granule("quarter", dct).shift(-1, "Q") if dct else None
    if "latest" in rel and ctx.quarter_ref is not None:
        return ctx.quarter_ref  # the quarter just reported, even a fiscal one
    if "latest" in rel or ordinal == "last" or "previous" in rel or "prior" in rel:
        return latest
    if unit == "period" and ctx.ref is not None and ctx.ref.kind in ("month", "quarter", "half"):
        return ctx.ref  # "the same period last year" after "in February"
    return ctx.quarter_ref or latest
