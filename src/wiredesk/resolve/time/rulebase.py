"""What the rules share: reading words around a match, and building what they found."""

from __future__ import annotations

import re
from datetime import date

from wiredesk.records import TimexType
from wiredesk.resolve.time import granule as g
from wiredesk.resolve.time.context import Context, Found, Hit
from wiredesk.resolve.time.granule import Granule, Kind
from wiredesk.resolve.time.lexicon import normal

Match = Hit

SKIP = Found(-1, -1, "DATE", "")


def capitalised(text: str) -> bool:
    return text[:1].isupper()


def previous_word(ctx: Context, pos: int) -> str:
    m = re.search(r"([A-Za-z]+)\W*$", ctx.text[max(0, pos - 30) : pos])
    return m[1].lower() if m else ""


def sentence_initial(ctx: Context, pos: int) -> bool:
    before = ctx.text[max(0, pos - 3) : pos].strip()
    return before == "" or before[-1] in ".!?\"“'‘(:"


def month_number(ctx: Context, text: str) -> int | None:
    """The month a month name stands for, when written as a name (capitalised)."""
    if not capitalised(text):
        return None
    return ctx.lex.months.get(normal(text).rstrip("."))


def day_found(m: Match, day: Granule, anchored: bool = False, topical: bool = True) -> Found:
    """A DATE expression naming `day` (any granule: a day, a month, a quarter ...)."""
    return Found(m.start(), m.end(), "DATE", day.value, day.interval, anchored, day, topical)


def unknown(m: Match, value: str, type_: TimexType = "DATE") -> Found:
    """An expression whose days are not known (no publication date): X placeholders."""
    return Found(m.start(), m.end(), type_, value)


def part_code(ctx: Context, text: str | None) -> str:
    return ctx.lex.parts_of_day.get(normal(text or ""), "")


def named_day_part(ctx: Context, text: str | None) -> str:
    """The code of a part of a day that a weekday or date names: "" for one valued as the day."""
    if normal(text or "") in ctx.lex.parts_of_named_day:
        return ""
    return part_code(ctx, text)


def with_part(m: Match, day: Granule, part: str, anchored: bool = False) -> Found:
    """A day, or a part of it ("Saturday evening": TIME 2022-04-30TEV)."""
    if not part:
        return day_found(m, day, anchored=anchored)
    value = f"{day.value}T{part}"
    return Found(m.start(), m.end(), "TIME", value, day.interval, anchored, day)


def reference_day(ctx: Context) -> date | None:
    if ctx.day_ref is not None:
        return ctx.day_ref.start
    return ctx.dct


def not_after_publication(ctx: Context, m: Match, found: Found) -> Found:
    """Drop the interval of a guess that lands after publication in a sentence about the past."""
    late = ctx.dct is not None and found.interval is not None and found.interval.end > ctx.dct
    if late and ctx.tense(m.start(), m.end()) <= 0:
        found.interval = None
    return found


def from_reference(
    m: Match, ctx: Context, step: int, kind: Kind, anchored: bool, part: str = ""
) -> Found:
    """A unit counted from the last time mentioned (or publication): "the next day"."""
    base_granule = ctx.day_ref if kind == "day" and ctx.day_ref else ctx.ref
    if base_granule is None and ctx.dct is None:
        return unknown(
            m, g.UNKNOWN[kind] + (f"T{part}" if part else ""), "TIME" if part else "DATE"
        )
    base = base_granule.start if base_granule is not None else ctx.dct
    assert base is not None
    if base_granule is not None and g.RANK[base_granule.kind] > g.RANK[kind]:
        target = base_granule  # "the next day" after "in March": still March
        kind = target.kind
    elif base_granule is not None and step == 0 and base_granule.kind == kind:
        target = base_granule  # "that summer", "the same quarter"
    else:
        target = g.shifted(kind, base, step)
    found = with_part(m, target, part, anchored) if kind == "day" else day_found(m, target)
    found.anchored = anchored
    return not_after_publication(ctx, m, found)
