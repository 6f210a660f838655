"""Calendar granules (a day, a week, a month, a quarter, ...): TIMEX3 values and day intervals."""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from wiredesk.records import DateInterval, Precision

Kind = Literal[
    "day", "week", "weekend", "month", "quarter", "half", "season", "year", "decade", "century"
]

# how fine each kind is: a shift by a unit keeps the finer of the two
RANK: dict[str, int] = {
    "day": 0,
    "weekend": 1,
    "week": 1,
    "month": 2,
    "season": 3,
    "quarter": 3,
    "half": 4,
    "year": 5,
    "decade": 6,
    "century": 7,
}
PRECISION: dict[str, Precision] = {
    "day": "day",
    "weekend": "day",
    "week": "week",
    "month": "month",
    "season": "month",
    "quarter": "month",
    "half": "month",
    "year": "year",
    "decade": "year",
    "century": "year",
}
UNKNOWN: dict[str, str] = {
    "day": "XXXX-XX-XX",
    "weekend": "XXXX-WXX-WE",
    "week": "XXXX-WXX",
    "month": "XXXX-XX",
    "season": "XXXX-XX",
    "quarter": "XXXX-QX",
    "half": "XXXX-HX",
    "year": "XXXX",
    "decade": "XXX",
    "century": "XX",
}
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
# the granule a count of units moves by (TIMEX3 duration letters)
KIND_OF_CODE: dict[str, Kind] = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True, slots=True)
class Granule:
    """One calendar unit, known by its kind and its first day (a season also by its code)."""

    kind: Kind
    start: date
    season: str = ""

    @property
    def end(self) -> date:
        k, s = self.kind, self.start
        if k == "day":
            return s
        if k == "week":
            return s + timedelta(days=6)
        if k == "weekend":
            return s + timedelta(days=1)
        months = {"month": 1, "quarter": 3, "season": 3, "half": 6, "year": 12}.get(k)
        if months:
            return add_months(s, months) - timedelta(days=1)
        years = 10 if k == "decade" else 100
        return date(s.year + years - 1, 12, 31)

    @property
    def value(self) -> str:
        k, s = self.kind, self.start
        if k == "day":
            return s.isoformat()
        if k in ("week", "weekend"):
            year, week, _ = s.isocalendar()
            return f"{year:04d}-W{week:02d}" + ("-WE" if k == "weekend" else "")
        if k == "month":
            return f"{s.year:04d}-{s.month:02d}"
        if k == "quarter":
            return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
        if k == "half":
            return f"{s.year:04d}-H{(s.month - 1) // 6 + 1}"
        if k == "season":
            return f"{s.year:04d}-{self.season}"
        if k == "year":
            return f"{s.year:04d}"
        if k == "decade":
            return f"{s.year // 10:03d}"
        return f"{s.year // 100:02d}"

    @property
    def interval(self) -> DateInterval:
        return DateInterval(self.start, self.end, PRECISION[self.kind])

    def shift(self, count: int, unit: str) -> Granule:
        """Move by `count` units (D, W, M, Q, Y), keeping this granule's kind."""
        if unit == "D":
            return granule(self.kind, self.start + timedelta(days=count), self.season)
        if unit in ("W", "WE"):
            return granule(self.kind, self.start + timedelta(weeks=count), self.season)
        months = {"M": 1, "Q": 3, "Y": 12}[unit] * count
        return granule(self.kind, add_months(self.start, months), self.season)


def granule(kind: Kind, day: date, season: str = "") -> Granule:
    """The granule of `kind` that contains `day` (for a season, the one starting nearest)."""
    if kind == "day":
        return Granule(kind, day)
    if kind == "week":
        return Granule(kind, day - timedelta(days=day.weekday()))
    if kind == "weekend":
        return Granule(kind, day - timedelta(days=day.weekday()) + timedelta(days=5))
    if kind == "month":
        return Granule(kind, day.replace(day=1))
    if kind == "quarter":
        return Granule(kind, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    if kind == "half":
        return Granule(kind, date(day.year, 1 if day.month <= 6 else 7, 1))
    if kind == "season":
        return season_of(day.year, season or season_at(day))
    if kind == "year":
        return Granule(kind, date(day.year, 1, 1))
    if kind == "decade":
        return Granule(kind, date(day.year // 10 * 10, 1, 1))
    return Granule(kind, date(max(1, day.year // 100 * 100), 1, 1))


def season_at(day: date) -> str:
    return {12: "WI", 1: "WI", 2: "WI"}.get(day.month) or ["SP", "SU", "FA"][(day.month - 3) // 3]


def season_of(year: int, code: str) -> Granule:
    """The season `code` of `year`; winter starts in December of that year."""
    return Granule("season", date(year, SEASON_START[code], 1), code)


def day(d: date) -> Granule:
    return Granule("day", d)


def month(year: int, number: int) -> Granule:
    return Granule("month", date(year, number, 1))


def quarter(year: int, number: int) -> Granule:
    return Granule("quarter", date(year, 3 * number - 2, 1))


def half(year: int, number: int) -> Granule:
    return Granule("half", date(year, 6 * number - 5, 1))


def year(number: int) -> Granule:
    return Granule("year", date(number, 1, 1))


def decade(first_year: int) -> Granule:
    return Granule("decade", date(first_year // 10 * 10, 1, 1))


def century(number: int) -> Granule:
    """The `number`th century as TIMEX3 writes it: the 20th century is 19 (1900-1999)."""
    return Granule("century", date(max(1, (number - 1) * 100), 1, 1))


def weekday_on_or_before(ref: date, weekday: int) -> date:
    """The most recent `weekday` (1 = Monday) on or before `ref`, `ref` itself included."""
    return ref - timedelta(days=(ref.isoweekday() - weekday) % 7)


def weekday_on_or_after(ref: date, weekday: int) -> date:
    return ref + timedelta(days=(weekday - ref.isoweekday()) % 7)


def nth_weekday(year_: int, month_: int, weekday: int, nth: int) -> date:
    """The `nth` `weekday` (1 = Monday) of a month; nth = -1 for the last."""
    if nth > 0:
        first = weekday_on_or_after(date(year_, month_, 1), weekday)
        return first + timedelta(weeks=nth - 1)
    last = date(year_, month_, calendar.monthrange(year_, month_)[1])
    return weekday_on_or_before(last, weekday) + timedelta(weeks=nth + 1)


def from_hijri(year_: int, month_: int, day_: int) -> date:
    """A day of the arithmetical (tabular) Islamic calendar, in the Gregorian calendar."""
    days = (
        day_
        + math.ceil(29.5 * (month_ - 1))
        + (year_ - 1) * 354
        + (3 + 11 * year_) // 30
        + 227014  # days from 0001-01-01 to the Islamic epoch, 622-07-16 (Julian)
    )
    return date.fromordinal(days)


def hijri_in(year_: int, month_: int, day_: int) -> list[date]:
    """The Gregorian days of Islamic month-day `month_`-`day_` that fall in `year_`."""
    near = round((year_ - 622) * 33 / 32)
    found = [from_hijri(h, month_, day_) for h in range(near - 1, near + 3)]
    return [d for d in found if d.year == year_]


def easter(year_: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year_ % 19, year_ // 100, year_ % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month_, day_ = divmod(h + l_ - 7 * m + 114, 31)
    return date(year_, month_, day_ + 1)


def shifted(kind: Kind, base: date, step: int) -> Granule:
    """The `kind` granule `step` units away from the one holding `base`."""
    here = granule(kind, base)
    if kind == "weekend":
        saturday = base - timedelta(days=(base.isoweekday() - 6) % 7)  # last Saturday on/before
        if step < 0 and base.isoweekday() < 6:
            return granule("weekend", saturday)
        if step < 0:
            return granule("weekend", saturday - timedelta(days=7))
        return granule("weekend", base + timedelta(days=7 * step))
    if kind == "day":
        return day(base + timedelta(days=step))
    if kind == "week":
        return granule("week", base + timedelta(weeks=step))
    if kind == "decade":
        return decade(here.start.year + 10 * step)
    if kind == "century":
        return Granule("century", date(here.start.year + 100 * step, 1, 1))
    if kind == "season":
        return here.shift(3 * step, "M")
    if kind == "half":
        return here.shift(6 * step, "M")
    return here.shift(step, {"month": "M", "quarter": "Q", "year": "Y"}[kind])
