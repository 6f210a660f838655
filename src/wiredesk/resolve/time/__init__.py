"""The temporal tagger: time expressions in a text, as TIMEX3 values and day intervals.

    >>> from datetime import date
    >>> [(t.span.text, t.value) for t in tag_times("Rockets hit the base on Saturday evening.",
    ...                                             date(2022, 5, 1))]
    [('Saturday evening', '2022-04-30TEV')]

Relative expressions are read against the publication date: a weekday names the most recent
such day on or before publication (the same day included), unless the sentence speaks of the
future. Without a publication date they keep X placeholders and no interval.

How it works: `grammar` builds one regular expression from the word lists in
`wiredesk/data/time/*.json` (`lexicon`); `tagger` runs it over the lower-cased text, and for
each match the rule that matched (`rules_calendar`, `rules_quarter`, `rules_days`,
`rules_relative`, `rules_quantity`) reads the words into a TIMEX3 value and an interval of
days (`granule`), with `context` telling it the publication date, the time last mentioned and
the tense around it. `anchor` moves expressions counted from an event onto that event's days.
"""

from __future__ import annotations

from datetime import date

from wiredesk.records import TimeExpression
from wiredesk.resolve.time.anchor import shift_from_event
from wiredesk.resolve.time.tagger import tag

__all__ = ["shift_from_event", "tag_times"]


def tag_times(text: str, published: date | None) -> list[TimeExpression]:
    """Every time expression in `text`, in order and without overlaps.

    Span offsets are Python string indices into `text`. Expressions counted from another
    event ("two days after the attack", "the following week") have `anchored_to_event` set;
    pass them to `shift_from_event` with that event's dates.
    """
    return tag(text, published)
