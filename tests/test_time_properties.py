"""Invariants of the temporal tagger, checked over many publication dates."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from wiredesk.records import Span
from wiredesk.resolve.time import tag_times

PAST_PHRASES = [
    "yesterday",
    "last night",
    "this morning",
    "on Saturday",
    "on Monday evening",
    "early Sunday",
    "Tuesday night",
    "last Friday",
    "the day before yesterday",
    "last week",
    "last weekend",
    "this week",
    "earlier this week",
    "last month",
    "earlier this month",
    "last year",
    "earlier this year",
    "last summer",
    "last winter",
    "two days ago",
    "three weeks ago",
    "a year ago",
    "in March",
    "in December",
    "on April 8",
    "on December 28",
    "last Christmas",
    "this summer",
    "last March",
    "in the spring",
    "during Ramadan",
    "at 10 p.m. on Friday",
    "a week earlier",
    "over the past three months",
    "in recent months",
    "recently",
]
FUTURE_PHRASES = ["tomorrow", "next week", "next month", "next year", "next Friday", "on Tuesday"]

# the first call builds the grammar from the word lists, which takes longer than Hypothesis
# allows one example; build it before any example is timed
tag_times("Rebels attacked the town yesterday.", date(2024, 1, 20))

published_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31))


def _sentences(phrase: str) -> list[str]:
    return [
        f"Rebels attacked the town {phrase}.",
        f"{phrase[0].upper()}{phrase[1:]}, rebels attacked the town.",
    ]


@given(published=published_dates, phrase=st.sampled_from(PAST_PHRASES))
def test_past_phrases_never_end_after_publication(published: date, phrase: str) -> None:
    for text in _sentences(phrase):
        found = tag_times(text, published)
        assert found, text
        for expr in found:
            if expr.interval is not None:
                assert expr.interval.start <= expr.interval.end
                assert expr.interval.end <= published, (text, published, expr)


@given(published=published_dates, phrase=st.sampled_from(FUTURE_PHRASES))
def test_future_phrases_never_end_before_publication(published: date, phrase: str) -> None:
    found = tag_times(f"The delegation will visit the camp {phrase}.", published)
    assert len(found) == 1
    interval = found[0].interval
    assert interval is not None and interval.start >= published


@given(published=published_dates, phrase=st.sampled_from(PAST_PHRASES + FUTURE_PHRASES))
def test_spans_index_the_text(published: date, phrase: str) -> None:
    text = f"Officials said the militia moved {phrase}, before the talks."
    for expr in tag_times(text, published):
        assert expr.span == Span(
            expr.span.start, expr.span.end, text[expr.span.start : expr.span.end]
        )
        assert expr.span.text.strip() == expr.span.text


@given(phrase=st.sampled_from(PAST_PHRASES + FUTURE_PHRASES))
def test_without_publication_relative_phrases_have_no_days(phrase: str) -> None:
    for expr in tag_times(f"Rebels attacked the town {phrase}.", None):
        assert expr.interval is None
        assert expr.value[:1] in "XPF" or expr.value.startswith("PAST"), expr


PIECES = [
    "May",
    "last",
    "week",
    "the",
    "3",
    "1990",
    "Jan.",
    "Saturday",
    "ago",
    "two",
    "-",
    "'",
    ",",
]


@given(
    published=published_dates,
    words=st.lists(st.sampled_from(PIECES) | st.text(alphabet="ab19 .:", max_size=4), max_size=15),
)
def test_any_text_gives_ordered_spans_without_overlap(published: date, words: list[str]) -> None:
    text = " ".join(words)
    found = tag_times(text, published)
    for earlier, later in pairwise(found):
        assert earlier.span.end <= later.span.start
    for expr in found:
        assert text[expr.span.start : expr.span.end] == expr.span.text
