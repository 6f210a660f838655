"""Dates of the events in the shared seed reports (skipped when /work/shared is absent)."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from wiredesk.records import DateInterval, TimeExpression
from wiredesk.resolve.time import shift_from_event, tag_times


def _shared() -> Path:
    env = os.environ.get("WIREDESK_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


SEEDS = _shared() / "seeds"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (SEEDS / "documents.jsonl").exists(), reason="no shared seed data"),
]


def _tagged(document: str) -> tuple[str, list[TimeExpression]]:
    for line in (SEEDS / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        meta = json.loads(line)
        if meta["id"] == document:
            text = (SEEDS / meta["file"]).read_text(encoding="utf-8")
            return text, tag_times(text, date.fromisoformat(meta["published"]))
    pytest.skip(f"seed document {document} not found")


def _expr(found: list[TimeExpression], text: str) -> TimeExpression:
    matches = [t for t in found if t.span.text == text]
    assert matches, [t.span.text for t in found]
    return matches[0]


def _day(expr: TimeExpression) -> tuple[str, str]:
    assert expr.interval is not None, expr
    return expr.interval.start.isoformat(), expr.interval.precision


PRESS_TV_2022 = "000_7b39c792f8d8761a"  # published Sunday 2022-05-01
PRESS_TV_2024 = "003_c719d92914ad8eff"  # published Saturday 2024-01-20


@pytest.mark.parametrize(
    ("words", "day", "precision"),
    [
        ("Saturday evening", "2022-04-30", "day"),
        ("early Sunday", "2022-05-01", "day"),
        ("April 8", "2022-04-08", "day"),
        ("January 3, 2020", "2020-01-03", "day"),
        ("January 8, 2020", "2020-01-08", "day"),
        ("Last month", "2022-04-01", "month"),
        ("July 2015", "2015-07-01", "month"),
    ],
)
def test_dates_in_the_2022_report(words: str, day: str, precision: str) -> None:
    text, found = _tagged(PRESS_TV_2022)
    expr = _expr(found, words)
    assert text[expr.span.start : expr.span.end] == words
    assert _day(expr) == (day, precision)


def test_two_days_after_the_drone_strike() -> None:
    _, found = _tagged(PRESS_TV_2022)
    expr = _expr(found, "Two days after")
    assert expr.anchored_to_event
    strike = DateInterval(date(2020, 1, 3), date(2020, 1, 3), "day")
    assert shift_from_event(expr, strike) == DateInterval(date(2020, 1, 5), date(2020, 1, 5), "day")


def test_the_2024_report_on_its_own_saturday() -> None:
    _, found = _tagged(PRESS_TV_2024)
    assert _day(_expr(found, "Saturday evening")) == ("2024-01-20", "day")
    day_after = _expr(found, "a day after")
    assert (day_after.value, day_after.anchored_to_event) == ("P1D", True)
