"""The temporal tagger, one phrase family at a time, on sentences written for these tests."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from wiredesk.records import DateInterval, TimeExpression
from wiredesk.resolve.time import shift_from_event, tag_times

SAT = date(2024, 1, 20)  # a Saturday
SUN = date(2022, 5, 1)  # a Sunday


def only(text: str, published: date | None = SAT) -> TimeExpression:
    """The one time expression of `text`."""
    found = tag_times(text, published)
    assert len(found) == 1, [(t.span.text, t.value) for t in found]
    return found[0]


def days(expr: TimeExpression) -> tuple[str, str, str]:
    assert expr.interval is not None, expr
    i = expr.interval
    return i.start.isoformat(), i.end.isoformat(), i.precision


# --- absolute dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Shelling resumed on January 3, 2020 near the port.", "January 3, 2020", "2020-01-03"),
        ("The convoy left on 3 Jan 2020, officials said.", "3 Jan 2020", "2020-01-03"),
        ("The report is dated 2020-01-03.", "2020-01-03", "2020-01-03"),
        (
            "A ceasefire was signed on the 3rd of January 2020.",
            "the 3rd of January 2020",
            "2020-01-03",
        ),
        ("Border posts reopened 01/03/2020 after talks.", "01/03/2020", "2020-01-03"),
        (
            "Monitors counted 14 strikes on Friday, Nov. 17, 2023.",
            "Friday, Nov. 17, 2023",
            "2023-11-17",
        ),
        ("The mayor resigned on Sept. 9.", "Sept. 9", "2023-09-09"),
        ("Rebels entered the town on December 28.", "December 28", "2023-12-28"),
        ("The siege ends on the 3rd of January.", "the 3rd of January", "2024-01-03"),
    ],
)
def test_absolute_dates(text: str, span: str, value: str) -> None:
    expr = only(text)
    assert (expr.span.text, expr.type, expr.value) == (span, "DATE", value)
    assert days(expr) == (value, value, "day")
    assert text[expr.span.start : expr.span.end] == span


def test_a_date_without_a_year_is_the_nearest_one() -> None:
    # published on 20 January: "December 28" is the last one, "February 2" the coming one
    assert only("The militia withdrew on December 28.").value == "2023-12-28"
    assert only("Voting is due to start on February 2.").value == "2024-02-02"


def test_a_weekday_written_with_the_date_picks_the_year() -> None:
    # 17 November was a Thursday in 2022, a Friday in 2023
    expr = only("Talks opened on Thursday, Nov. 17 in Doha.", date(2023, 5, 20))
    assert expr.value == "2022-11-17"


def test_month_and_year() -> None:
    expr = only("The truce between the two factions collapsed in July 2015.")
    assert (expr.span.text, expr.value) == ("July 2015", "2015-07")
    assert days(expr) == ("2015-07-01", "2015-07-31", "month")


def test_a_month_alone_is_the_last_one_by_publication() -> None:
    # published in January 2024: March is March 2023, January is this one
    assert only("The dam was damaged in March.").value == "2023-03"
    assert only("Prices rose sharply in January.").value == "2024-01"
    assert only("Elections will be held in March.").value == "2024-03"
    # nothing tells the tense: a month just ahead is the coming one, not one nearly a year ago
    assert only("The case is heard in March before a full bench.").value == "2024-03"


def test_a_month_told_of_takes_no_tense_from_the_telling() -> None:
    aug = date(1990, 8, 16)
    # "told" is when the news was given; the cut it tells of is still to come
    cut = only("Riyadh told oil companies of a 15 percent cut in its oil supply in September.", aug)
    assert cut.value == "1990-09"
    # the verb right before the month tells when the telling was
    assert only("The ministry said in September that the pipeline was safe.", aug).value == (
        "1989-09"
    )
    assert only("The ministry said in a statement in September that it was safe.", aug).value == (
        "1989-09"
    )
    # a telling verb after the month is the sentence's own verb, of the past
    formed = only("A group that emerged on messaging apps in September said it fired.", aug)
    assert formed.value == "1989-09"


def test_last_and_a_month_is_the_last_one_but_the_month_just_ended() -> None:
    mar = date(1998, 3, 1)
    assert only("Two helicopters crashed last October.", mar).value == "1997-10"
    assert only("Talks broke down last January.", mar).value == "1998-01"
    # February just ended is "last month": "last February" is the one a year before
    assert only("Two helicopters crashed last February.", mar).value == "1997-02"


def test_may_as_a_verb_is_not_a_month() -> None:
    assert tag_times("The army may withdraw its troops.", SAT) == []
    assert only("The army withdrew in May.").value == "2023-05"


def test_years_decades_and_centuries() -> None:
    year = only("Parliament cancelled the agreement in 2009.")
    assert (year.value, days(year)) == ("2009", ("2009-01-01", "2009-12-31", "year"))
    decade = only("The region was quiet in the 1990s.")
    assert (decade.span.text, decade.value) == ("the 1990s", "199")
    assert days(decade) == ("1990-01-01", "1999-12-31", "year")
    assert only("Skirmishes were common in the '80s.").value == "198"
    found = tag_times("Trucks of the 70s and 80s still ply the road.", SAT)
    assert [(t.span.text, t.value) for t in found] == [("the 70s", "197"), ("80s", "198")]
    assert tag_times("The elders, in their 70s and 80s, stayed behind.", SAT) == []
    assert only("The fort dates from the 12th century.").value == "11"


def test_numbers_that_are_not_years() -> None:
    assert tag_times("About 2000 people fled the district.", SAT) == []
    assert tag_times("The resolution 1441 was cited.", SAT) == []


def test_seasons_and_quarters() -> None:
    summer = only("The offensive stalled last summer.")
    assert (summer.value, days(summer)) == ("2023-SU", ("2023-06-01", "2023-08-31", "month"))
    quarter = only("Arms imports doubled in the third quarter.")
    assert (quarter.span.text, quarter.value) == ("the third quarter", "2023-Q3")
    assert only("Exports fell in the fourth quarter of 2021.").value == "2021-Q4"
    halves = tag_times("Sales may slip through the first two quarters of 2025.", SAT)
    assert [(t.span.text, t.value) for t in halves] == [
        ("the first two quarters of 2025", "2025-H1")
    ]
    assert only("Profit fell in the last two quarters.").value == "P2Q"
    assert tag_times("Nearly a quarter of the voters stayed home.", SAT) == []


def test_holidays() -> None:
    assert only("Shops closed on Christmas Day.").value == "2023-12-25"
    assert only("Turnout dropped on Thanksgiving 2021.").value == "2021-11-25"
    ramadan = only("Attacks surged during Ramadan.", date(2024, 5, 1))
    assert (ramadan.value, days(ramadan)) == ("2024-03-11", ("2024-03-11", "2024-04-09", "month"))
    assert only("A truce was agreed before Eid al-Fitr.", date(2024, 4, 20)).value == "2024-04-10"


def test_the_week_of_a_date() -> None:
    expr = only("The hearing is set for the week of March 6.", date(2000, 2, 24))
    assert (expr.value, days(expr)) == ("2000-W10", ("2000-03-06", "2000-03-12", "week"))


# --- relative to publication ---------------------------------------------------------------


def test_a_weekday_on_its_own_day_is_that_day() -> None:
    # an article of Saturday 20 January that says "on Saturday" means that same day
    expr = only("Militants shelled the airport on Saturday.")
    assert (expr.span.text, expr.value) == ("Saturday", "2024-01-20")


@pytest.mark.parametrize(
    ("text", "span", "type_", "value"),
    [
        ("Rockets hit the base on Saturday evening.", "Saturday evening", "TIME", "2022-04-30TEV"),
        ("Jets bombed the valley early Sunday.", "early Sunday", "DATE", "2022-05-01"),
        ("Gunmen stormed the market Tuesday night.", "Tuesday night", "DATE", "2022-04-26"),
        ("The envoy arrived on Friday.", "Friday", "DATE", "2022-04-29"),
    ],
)
def test_weekdays_are_the_last_such_day(text: str, span: str, type_: str, value: str) -> None:
    expr = only(text, SUN)
    assert (expr.span.text, expr.type, expr.value) == (span, type_, value)
    assert expr.interval is not None and expr.interval.end <= SUN


def test_weekdays_of_the_future_look_forward() -> None:
    assert only("The minister will visit the camp on Tuesday.").value == "2024-01-23"
    assert only("The court adjourned until Monday.").value == "2024-01-22"
    assert only("Talks resume next Friday.").value == "2024-01-26"
    assert only("Talks broke down last Friday.").value == "2024-01-19"


def test_a_weekday_opening_its_sentence_takes_the_tense_of_the_main_verb() -> None:
    mon = date(1998, 10, 26)
    plan = "On Tuesday, the National Abortion and Reproductive Rights League plans to hold a vigil."
    assert only(plan, mon).value == "1998-10-27"
    # a clause opening the sentence ("when ...") is not the main one
    lifted = (
        "On Friday, when the minister set aside vacation plans for a hastily planned trip, "
        "the ministry lifted a travel warning."
    )
    assert only(lifted, mon).value == "1998-10-23"


def test_deictic_days() -> None:
    assert only("Two soldiers were killed yesterday.").value == "2024-01-19"
    assert only("The border crossing reopened today.").value == "2024-01-20"
    assert only("A curfew starts tomorrow.").value == "2024-01-21"
    tonight = only("Protesters plan to march tonight.")
    assert (tonight.type, tonight.value) == ("TIME", "2024-01-20TNI")
    last_night = only("Drones were heard last night.")
    assert (last_night.type, last_night.value) == ("TIME", "2024-01-19TNI")


@pytest.mark.parametrize(
    ("text", "value", "interval"),
    [
        ("The talks collapsed last week.", "2024-W02", ("2024-01-08", "2024-01-14", "week")),
        (
            "Turkey announced the operation last month.",
            "2023-12",
            ("2023-12-01", "2023-12-31", "month"),
        ),
        ("Fighting displaced thousands last year.", "2023", ("2023-01-01", "2023-12-31", "year")),
        ("Raids continued this week.", "2024-W03", ("2024-01-15", "2024-01-20", "week")),
        (
            "The UN warned earlier this month of famine.",
            "2024-01",
            ("2024-01-01", "2024-01-20", "month"),
        ),
        ("A truck bomb exploded two days ago.", "2024-01-18", ("2024-01-18", "2024-01-18", "day")),
        ("The town fell three months ago.", "2023-10", ("2023-10-01", "2023-10-31", "month")),
        # a fortnight is told to the day; more weeks are a round figure, a week
        ("The convoy left two weeks ago.", "2024-01-06", ("2024-01-06", "2024-01-06", "day")),
        ("The convoy left six weeks ago.", "2023-W49", ("2023-12-04", "2023-12-10", "week")),
    ],
)
def test_relative_to_publication(text: str, value: str, interval: tuple[str, str, str]) -> None:
    expr = only(text)
    assert expr.value == value
    assert days(expr) == interval
    assert not expr.anchored_to_event


def test_a_past_time_in_the_current_unit_ends_at_publication() -> None:
    # the value names the whole month; the days stop at publication, the event being over
    expr = only("Gunmen killed a judge earlier this month.")
    assert (expr.value, days(expr)) == ("2024-01", ("2024-01-01", "2024-01-20", "month"))
    coming = only("The new council will meet this month.")
    assert days(coming) == ("2024-01-01", "2024-01-31", "month")


def test_the_future_resolves_forward() -> None:
    assert only("Aid convoys will arrive next week.").value == "2024-W04"
    assert only("The vote is next month.").value == "2024-02"
    assert only("The summit is planned for next year.").value == "2025"


def test_present_past_and_future_references() -> None:
    now = only("The city is now under curfew.")
    assert (now.value, days(now)) == ("PRESENT_REF", ("2024-01-20", "2024-01-20", "day"))
    recently = only("Fighters recently seized the bridge.")
    assert (recently.value, recently.interval) == ("PAST_REF", None)
    assert only("Tensions may ease in the future.").value == "FUTURE_REF"


def test_the_past_counting_what_follows_is_not_the_past() -> None:
    assert tag_times("Marches have led to riots for the past three summers.", SAT) == []
    assert only("In the past, the marches were calm.").value == "PAST_REF"
    assert only("Now two groups say they will march.").value == "PRESENT_REF"


def test_recent_months() -> None:
    expr = only("Attacks on the base have grown in recent months.")
    assert (expr.span.text, expr.type, expr.value) == ("recent months", "DURATION", "PXM")


def test_days_into_a_campaign() -> None:
    expr = only("More than 100 days into the campaign, the army holds the coast.")
    assert (expr.type, expr.value, expr.anchored_to_event) == ("DURATION", "P100D", True)
    assert days(expr) == ("2024-01-20", "2024-01-20", "day")
    start = DateInterval(date(2023, 10, 7), date(2023, 10, 7), "day")
    assert shift_from_event(expr, start) == DateInterval(
        date(2024, 1, 15), date(2024, 1, 15), "day"
    )


# --- ranges, parts of days, clock times ----------------------------------------------------


def test_ranges() -> None:
    night = only("Shells fell on the night of January 7-8.")
    assert (night.span.text, night.value) == ("the night of January 7-8", "2024-01-07TNI")
    assert days(night) == ("2024-01-07", "2024-01-08", "day")
    # a range written out is two expressions, as TimeML marks it, each with the whole range
    weekdays = tag_times("Clashes raged between Monday and Wednesday.", SAT)
    assert [(t.span.text, t.value) for t in weekdays] == [
        ("Monday", "2024-01-15"),
        ("Wednesday", "2024-01-17"),
    ]
    assert {days(t) for t in weekdays} == {("2024-01-15", "2024-01-17", "day")}
    years = tag_times("The blockade lasted from 2019 to 2021.", SAT)
    assert [(t.span.text, t.value) for t in years] == [("2019", "2019"), ("2021", "2021")]
    assert {days(t) for t in years} == {("2019-01-01", "2021-12-31", "year")}
    spring = tag_times("Shares were bought from Aug. 26 to Oct. 20, 2023.", SAT)
    assert [(t.span.text, t.value) for t in spring] == [
        ("Aug. 26", "2023-08-26"),
        ("Oct. 20, 2023", "2023-10-20"),
    ]
    assert days(spring[1]) == ("2023-08-26", "2023-10-20", "day")


def test_clock_times() -> None:
    late = only("The blast came at 10 p.m., witnesses said.")
    assert (late.span.text, late.type, late.value) == ("10 p.m.", "TIME", "2024-01-20T22:00")
    local = only("Sirens sounded at 10:30 local time.")
    assert (local.span.text, local.value) == ("10:30 local time", "2024-01-20T10:30")
    utc = only("The drone was downed at 18:00 UTC.")
    assert utc.value == "2024-01-20T18:00Z"


def test_a_clock_time_takes_the_day_of_its_sentence() -> None:
    found = tag_times("On Thursday, a rocket landed at 9:15 a.m. near the gate.", SAT)
    assert [(t.span.text, t.value) for t in found] == [
        ("Thursday", "2024-01-18"),
        ("9:15 a.m.", "2024-01-18T09:15"),
    ]
    # the day is written with the same time restated in brackets
    first = tag_times("The convoy will leave at 4 in the morning (4 a.m. GMT Monday).", SAT)[0]
    assert (first.span.text, first.value) == ("4 in the morning", "2024-01-22T04:00")
    first = tag_times("The blast came at 10:35 a.m. (0735 GMT) Friday.", SAT)[0]
    assert (first.span.text, first.value) == ("10:35 a.m.", "2024-01-19T10:35")


# --- durations and sets --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The siege lasted three days.", "three days", "P3D"),
        ("Talks went on for two weeks.", "two weeks", "P2W"),
        ("He was held for 18 months.", "18 months", "P18M"),
        ("The war dragged on for several years.", "several years", "PXY"),
        ("Casualties rose over the past three months.", "the past three months", "P3M"),
        ("A two-year truce was agreed.", "two-year", "P2Y"),
        ("They waited half an hour.", "half an hour", "PT30M"),
        ("The feud settled its decades-long dispute.", "decades-long", "PXY"),
        ("Envoys left a day-long meeting.", "day-long", "P1D"),
        ("He left after a several-year stint.", "several-year", "PXY"),
        ("Over the years the camp grew.", "the years", "PXY"),
        ("In the decades that followed, the town shrank.", "the decades", "PXY"),
        ("Net for the year-earlier nine months rose.", "the year-earlier nine months", "P9M"),
        ("The loan may be extended for an additional year.", "an additional year", "P1Y"),
        ("Fighting raged for another day.", "another day", "P1D"),
        ("The appeal could take as long as a month.", "as long as a month", "P1M"),
    ],
)
def test_durations(text: str, span: str, value: str) -> None:
    expr = only(text)
    assert (expr.span.text, expr.type, expr.value) == (span, "DURATION", value)


def test_a_past_span_has_an_interval_ending_at_publication() -> None:
    expr = only("Casualties rose over the past three months.")
    assert days(expr) == ("2023-10-20", "2024-01-20", "month")


def test_a_length_of_time_does_not_run_into_the_next_line() -> None:
    expr = only("Stocks lost their gains in minutes\nFollowing the report, traders sold.")
    assert (expr.span.text, expr.type, expr.value) == ("minutes", "DURATION", "PTXM")


def test_ages_are_not_durations() -> None:
    assert tag_times("A 35-year-old man was detained.", SAT) == []


def test_an_annual_result_is_a_year_long() -> None:
    expr = only("The carmaker posted its first annual loss.")
    assert (expr.span.text, expr.type, expr.value) == ("annual", "DURATION", "P1Y")
    assert only("Annual net profit doubled.").value == "P1Y"
    assert tag_times("Delegates met at the annual conference.", SAT) == []


@pytest.mark.parametrize(
    "text",
    [
        "He told USA Today that the talks had failed.",
        "Armed groups recruit from today's youth.",
        "The siege is for today's youth what the war was for their parents.",
        "For the town, high noon had come.",
    ],
)
def test_names_and_the_present_age_are_not_days(text: str) -> None:
    assert tag_times(text, SAT) == []


def test_now_in_a_compound_adjective_is_not_the_present() -> None:
    assert tag_times("Lawmakers attacked the now-cancelled deal.", SAT) == []


def test_the_year_previous_counts_back_from_the_year_told() -> None:
    found = tag_times("Sales fell last year, after a record the year previous.", SAT)
    assert [(t.span.text, t.value) for t in found] == [
        ("last year", "2023"),
        ("the year previous", "2022"),
    ]


def test_today_s_editions_are_the_day() -> None:
    assert only("The offer ran in today's editions.").value == "2024-01-20"


def test_a_named_night_is_its_day() -> None:
    # TimeBank values the night of a named day as that day in most cases
    found = tag_times("The shop was torched on the night of Jan. 7, and again Friday night.", SAT)
    assert [(t.span.text, t.type, t.value) for t in found] == [
        ("the night of Jan. 7", "DATE", "2024-01-07"),
        ("Friday night", "DATE", "2024-01-19"),
    ]
    assert only("Shelling resumed Friday morning.").value == "2024-01-19TMO"


def test_overnight_is_not_a_day_the_story_moves_to() -> None:
    # the story is of Friday; "overnight" is the night before publication, and "the previous
    # Friday" still counts back from the Friday told
    found = tag_times(
        "Shares closed lower on Friday after overnight losses in New York. The index ended "
        "down 4.5% from the previous Friday.",
        date(1989, 10, 30),
    )
    assert [(t.span.text, t.value) for t in found] == [
        ("Friday", "1989-10-27"),
        ("overnight", "1989-10-29TNI"),
        ("the previous Friday", "1989-10-20"),
    ]


def test_the_day_followed_by_a_weekday_is_that_weekday() -> None:
    found = tag_times("He had cried all night. During the day Friday, he played outside.", SAT)
    assert [(t.span.text, t.value) for t in found] == [("Friday", "2024-01-19")]


def test_the_week_of_a_market_report() -> None:
    found = tag_times("The index fell on Friday. For the week, it lost 3%.", SAT)
    assert [(t.span.text, t.value) for t in found] == [
        ("Friday", "2024-01-19"),
        ("the week", "2024-WXX"),
    ]
    assert only("It was the week's busiest session.").value == "2024-WXX"
    assert tag_times("Fighting went on for the rest of the week.", SAT) == []


def test_rates_are_quantities_not_times() -> None:
    assert tag_times("Fuel costs $5 a day and the ferry runs 300 trips a week.", SAT) == []
    assert tag_times("The charity spends $33 million a year on food.", SAT) == []
    assert tag_times("Guards watch the gate 24 hours a day.", SAT) == []
    twice = only("Convoys leave twice a week.")
    assert (twice.type, twice.value) == ("SET", "P1W")


def test_a_length_between_two_counts_marks_each_end() -> None:
    found = tag_times("The talks could take between 60 and 90 days.", SAT)
    assert [(t.span.text, t.value) for t in found] == [("60", "P60D"), ("90 days", "P90D")]
    assert only("Repairs take two to three weeks.").value == "P2W"


def test_the_first_hours_of_something_last_a_while() -> None:
    first = only("Hundreds surrendered in the first hours of the offensive.")
    assert (first.span.text, first.type, first.value) == ("the first hours", "DURATION", "PTXH")
    assert only("Fewer died in the early years, the report found.").value == "PXY"
    # counted from an event or naming a day, they are not the start of something
    assert [
        t.span.text for t in tag_times("Arrests rose in the first days after the vote.", SAT)
    ] == ["days after"]
    assert only("He was seized in the early hours of Thursday.").span.text == "Thursday"


def test_a_weekday_written_with_its_date_is_one_expression() -> None:
    expr = only("The vote is set for this coming Sunday, March 10.", date(2024, 3, 6))
    assert (expr.span.text, expr.value) == ("this coming Sunday, March 10", "2024-03-10")


def test_a_high_for_the_year_of_an_amount() -> None:
    found = tag_times("The stock rose to a high for the year of $42 in June.", date(1989, 10, 30))
    assert [(t.span.text, t.value) for t in found] == [("the year", "1989"), ("June", "1989-06")]


def test_the_day_before_an_event_set_beside_a_date_is_that_date() -> None:
    found = tag_times("Shares fell after Oct. 12, the day before the crash.", SAT)
    assert [(t.span.text, t.value) for t in found] == [
        ("Oct. 12", "2023-10-12"),
        ("the day before", "2023-10-12"),
    ]
    found = tag_times("He arrived on Jan. 3, the day before.", SAT)
    assert [(t.span.text, t.value) for t in found] == [
        ("Jan. 3", "2024-01-03"),
        ("the day before", "2024-01-02"),
    ]


def test_the_latest_year_is_the_last_one() -> None:
    expr = only("The firm had sales of $6 billion in the latest fiscal year.")
    assert (expr.span.text, expr.value) == ("the latest fiscal year", "2023")


def test_a_part_of_the_day_told() -> None:
    found = tag_times("Rockets fell on Jan. 7. By mid-afternoon the town had emptied.", SAT)
    assert [(t.span.text, t.value) for t in found] == [
        ("Jan. 7", "2024-01-07"),
        ("mid-afternoon", "2024-01-07TAF"),
    ]
    # with no day told, the publication day by TIMEX3, but no days to date an event by
    late = only("Shops shut by late evening.")
    assert (late.value, late.interval) == ("2024-01-20TEV", None)
    assert tag_times("The evening news led with the raid.", SAT) == []


def test_that_time_after_a_length_of_time_is_as_long() -> None:
    found = tag_times("The five-year plan ended. During that time, the army grew.", SAT)
    assert [(t.span.text, t.type, t.value) for t in found] == [
        ("five-year", "DURATION", "P5Y"),
        ("that time", "DURATION", "P5Y"),
    ]
    # after a date, "that time" is that date
    found = tag_times("The talks end on June 10. By that time, a deal may be done.", SAT)
    assert [t.value for t in found] == ["2024-06-10", "2024-06-10"]


def test_a_while_is_a_length_of_time() -> None:
    expr = only("The town will have to live without power for a while.")
    assert (expr.span.text, expr.type, expr.value) == ("a while", "DURATION", "PXX")
    assert tag_times("The convoy left a while ago, and patrols pass once in a while.", SAT) == []


def test_that_day_with_no_day_told_is_no_time() -> None:
    assert tag_times("Dealers can lose heavily on trades made that day.", SAT) == []
    found = tag_times("Rebels took the town on Jan. 3. Dealers fled that day.", SAT)
    assert [(t.span.text, t.value) for t in found] == [
        ("Jan. 3", "2024-01-03"),
        ("that day", "2024-01-03"),
    ]


def test_events_minutes_apart_are_no_time() -> None:
    assert tag_times("The two blasts went off minutes apart.", SAT) == []
    assert tag_times("The sale should close in a matter of months.", SAT) == []
    assert tag_times("It is a matter of days before the siege ends.", SAT) == []


def test_consecutive_quarters_are_a_length_not_a_fraction() -> None:
    run = only("The economy shrank for two consecutive quarters of decline.")
    assert (run.span.text, run.type, run.value) == ("two consecutive quarters", "DURATION", "P2Q")


def test_a_month_ending_a_headline_line_is_a_month() -> None:
    found = tag_times("Markets have best week since November\nWall Street rose 5%.", SAT)
    assert [(t.span.text, t.value) for t in found] == [("November", "2023-11")]
    assert tag_times("The novelist August Wilson spoke.", SAT) == []


def test_the_years_alone_is_no_length_of_time() -> None:
    assert tag_times("The years of war left the town empty.", SAT) == []


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Patrols pass the checkpoint every Friday.", "every Friday", "XXXX-WXX-5"),
        ("Shells fall on the town daily.", "daily", "P1D"),
        ("Convoys leave twice a week.", "twice a week", "P1W"),
        ("The market closes on Fridays.", "Fridays", "XXXX-WXX-5"),
        ("The ferry sails on Tuesday nights.", "Tuesday nights", "XXXX-WXX-2TNI"),
    ],
)
def test_sets(text: str, span: str, value: str) -> None:
    expr = only(text)
    assert (expr.span.text, expr.type, expr.value) == (span, "SET", value)


def test_a_weekday_shares_the_plural_part_of_the_day_after_the_next() -> None:
    found = tag_times("Flights leave on Monday and Tuesday nights.", SAT)
    assert [(t.span.text, t.type, t.value) for t in found] == [
        ("Monday", "SET", "XXXX-WXX-1TNI"),
        ("Tuesday nights", "SET", "XXXX-WXX-2TNI"),
    ]
    # without the plural part, each is one day
    assert [t.value for t in tag_times("Talks were held on Monday and Tuesday.", SAT)] == [
        "2024-01-15",
        "2024-01-16",
    ]


# --- TIMEX3 extents ------------------------------------------------------------------------


def test_extents_follow_timeml() -> None:
    # the preposition stays out, the determiner of a span stays in
    assert only("The strike happened on Friday.").span.text == "Friday"
    assert only("Losses mounted in the past two weeks.").span.text == "the past two weeks"
    assert only("Prices fell a year ago.").span.text == "a year ago"


def test_expressions_come_in_order_without_overlap() -> None:
    text = "On Monday, two days after the raid, officials said last week's toll was 12."
    found = tag_times(text, SAT)
    assert [t.span.text for t in found] == ["Monday", "two days after", "last week"]
    ends = [t.span.end for t in found]
    starts = [t.span.start for t in found]
    assert all(end <= start for end, start in zip(ends, starts[1:], strict=False))


# --- month and year boundaries -------------------------------------------------------------


def test_last_month_in_january_is_december() -> None:
    assert only("Aid deliveries halted last month.", date(2024, 1, 5)).value == "2023-12"


def test_saturday_published_on_sunday_new_years_day() -> None:
    expr = only("Rockets struck the depot on Saturday.", date(2023, 1, 1))
    assert expr.value == "2022-12-31"


def test_yesterday_on_the_first_of_january() -> None:
    assert only("The bridge was blown up yesterday.", date(2023, 1, 1)).value == "2022-12-31"


def test_last_week_across_the_new_year() -> None:
    expr = only("Raids intensified last week.", date(2021, 1, 6))
    assert expr.value == "2020-W53"
    assert days(expr) == ("2020-12-28", "2021-01-03", "week")


# --- without a publication date ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The convoy was ambushed yesterday.", "XXXX-XX-XX"),
        ("Talks stalled last week.", "XXXX-WXX"),
        ("The offensive began last month.", "XXXX-XX"),
        ("Shelling resumed on Saturday.", "XXXX-WXX-6"),
        ("The port reopened on April 8.", "XXXX-04-08"),
        ("Drones struck in March.", "XXXX-03"),
        ("The blast came at 10 p.m.", "XXXX-XX-XXT22:00"),
    ],
)
def test_relative_expressions_without_publication_keep_placeholders(text: str, value: str) -> None:
    expr = only(text, None)
    assert expr.value == value
    assert expr.interval is None


def test_absolute_expressions_without_publication_still_resolve() -> None:
    expr = only("The ceasefire collapsed on 3 January 2020.", None)
    assert (expr.value, days(expr)) == ("2020-01-03", ("2020-01-03", "2020-01-03", "day"))
    assert only("The siege lasted three days.", None).value == "P3D"


def test_the_day_before_a_named_day_is_counted_from_that_day() -> None:
    expr = only("The day before last Tuesday's hearing, the talks broke down.")
    assert (expr.span.text, expr.value) == ("The day before last Tuesday", "2024-01-15")
    assert days(expr) == ("2024-01-15", "2024-01-15", "day")
    expr = only("Crowds filled the market the day after Christmas.")
    assert (expr.span.text, expr.value) == ("the day after Christmas", "2023-12-26")


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Fighting raged for a third straight day.", "a third straight day", "2024-01-20"),
        ("It is the second week of the siege.", "the second week", "2024-W03"),
        ("Prices rose for a fourth month in a row.", "a fourth month", "2024-01"),
    ],
)
def test_the_nth_unit_of_a_run_is_the_one_reported(text: str, span: str, value: str) -> None:
    expr = only(text)
    assert (expr.span.text, expr.type, expr.value) == (span, "DATE", value)


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Sales rebounded in the last week of December.", "the last week of December", "2023-W52"),
        (
            "He left in the second week of January 2020.",
            "the second week of January 2020",
            "2020-W02",
        ),
    ],
)
def test_a_week_of_a_month_is_one_calendar_week(text: str, span: str, value: str) -> None:
    expr = only(text)
    assert (expr.span.text, expr.value) == (span, value)


def test_the_first_day_of_a_run_is_not_dated_by_publication() -> None:
    assert tag_times("He vowed to act on his first day in office.", SAT) == []


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        (
            "Prices have doubled since the start of this year.",
            "the start of this year",
            "2024-01-01",
        ),
        ("The index is down 4% since year-end.", "year-end", "2023-12-31"),
        ("Fighting has eased since the end of last month.", "the end of last month", "2023-12-31"),
    ],
)
def test_since_the_edge_of_a_unit_is_a_day(text: str, span: str, value: str) -> None:
    expr = only(text)
    assert (expr.span.text, expr.value) == (span, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sales rose 4% in the quarter ended July 31.", "2023-Q2"),
        ("The bank lost money in the quarter ended Sept. 30, 2022.", "2022-Q3"),
    ],
)
def test_the_quarter_ended_a_day_is_the_three_months_before(text: str, value: str) -> None:
    quarter, last_day = tag_times(text, SAT)
    assert (quarter.span.text, quarter.value) == ("the quarter", value)
    assert last_day.value.endswith(("-07-31", "-09-30"))


def test_a_quarter_that_ended_on_a_day_still_to_come_this_year_is_of_last_year() -> None:
    friday = date(2023, 10, 27)
    text = (
        "In its second quarter ended Oct. 29, the chain lost money. "
        "Results for that quarter included a charge. The quarter ended Oct. 30 was weak too."
    )
    found = [(t.span.text, t.value) for t in tag_times(text, friday)]
    assert found == [
        ("its second quarter", "2022-Q2"),
        ("Oct. 29", "2022-10-29"),
        ("that quarter", "2022-Q2"),
        ("The quarter", "2022-Q3"),
        ("Oct. 30", "2022-10-30"),
    ]


FISCAL_NOV = date(2023, 11, 2)  # early in the fourth calendar quarter


def test_a_half_still_to_come_is_a_forecast_not_the_period_reported_on() -> None:
    text = (
        "Third-quarter profit fell 54%. Analysts expect the slump to last through the first "
        "half of 2024. In the year-ago period, the company earned $101 million."
    )
    assert [t.value for t in tag_times(text, date(2023, 10, 26))] == [
        "2023-Q3",
        "2024-H1",
        "2022-Q3",
    ]


def test_results_reported_for_a_quarter_under_way_make_it_the_one_reported_on() -> None:
    text = (
        "Acme reported a 40% drop in fourth-quarter earnings. Net fell to $3 million from "
        "$5 million a year earlier. Sales in the latest period rose 2%."
    )
    found = [(t.span.text, t.value) for t in tag_times(text, FISCAL_NOV)]
    assert found == [
        ("fourth-quarter", "2023-Q4"),
        ("a year earlier", "2022-Q4"),
        ("the latest period", "2023-Q4"),
    ]


@pytest.mark.parametrize(
    "first",
    [
        "Acme has no estimate of the storm's effect on fourth-quarter results.",
        "Analysts expect weak fourth-quarter earnings.",
    ],
)
def test_results_not_yet_out_leave_the_quarter_reported_on_the_last_one(first: str) -> None:
    latest = tag_times(f"{first} In the latest quarter, Acme lost money.", FISCAL_NOV)[-1]
    assert (latest.span.text, latest.value) == ("the latest quarter", "2023-Q3")


def test_this_quarters_results_in_a_report_are_of_the_quarter_reported_on() -> None:
    text = "Acme lost $2 million in the third quarter. This quarter's loss includes a charge."
    found = [(t.span.text, t.value) for t in tag_times(text, FISCAL_NOV)]
    assert found == [("the third quarter", "2023-Q3"), ("This quarter", "2023-Q3")]
    assert only("Sales should rise this quarter.", FISCAL_NOV).value == "2023-Q4"


def test_the_edge_of_a_unit_without_since_stays_the_unit() -> None:
    assert only("The deal should close by the end of the year.").value == "2024"


# --- expressions counted from an event -----------------------------------------------------

ATTACK = DateInterval(date(2020, 1, 3), date(2020, 1, 3), "day")


def test_two_days_after_the_attack() -> None:
    expr = only("Two days after the attack, lawmakers voted to expel the troops.")
    assert (expr.span.text, expr.type, expr.value) == ("Two days after", "DURATION", "P2D")
    assert expr.anchored_to_event and expr.interval is None
    assert shift_from_event(expr, ATTACK) == DateInterval(date(2020, 1, 5), date(2020, 1, 5), "day")


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        (
            "The statement comes a day after the raid on the port.",
            "2020-01-04",
            "2020-01-04",
            "day",
        ),
        ("A week before the vote, the offices were searched.", "2019-12-27", "2019-12-27", "day"),
        (
            "Three months after the coup, the junta dissolved parliament.",
            "2020-04-01",
            "2020-04-30",
            "month",
        ),
    ],
)
def test_counts_from_an_event(text: str, start: str, end: str, precision: str) -> None:
    expr = only(text)
    assert expr.anchored_to_event
    shifted = shift_from_event(expr, ATTACK)
    assert shifted == DateInterval(date.fromisoformat(start), date.fromisoformat(end), precision)  # type: ignore[arg-type]


def test_the_following_week_and_the_next_day() -> None:
    found = tag_times(
        "Clashes broke out on January 3, 2020. The next day the army sent reinforcements, "
        "and the following week a truce was agreed.",
        SAT,
    )
    assert [(t.span.text, t.value, t.anchored_to_event) for t in found] == [
        ("January 3, 2020", "2020-01-03", False),
        ("The next day", "2020-01-04", True),
        ("the following week", "2020-W02", True),
    ]
    next_day, following_week = found[1], found[2]
    assert shift_from_event(next_day, ATTACK) == DateInterval(
        date(2020, 1, 4), date(2020, 1, 4), "day"
    )
    assert shift_from_event(following_week, ATTACK) == DateInterval(
        date(2020, 1, 6), date(2020, 1, 12), "week"
    )


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("A week later, the bridge reopened.", "2020-01-10", "2020-01-10", "day"),
        ("Two days earlier, police had raided the camp.", "2020-01-01", "2020-01-01", "day"),
        ("Later that day, the curfew was lifted.", "2020-01-03", "2020-01-03", "day"),
        ("That same week, the minister resigned.", "2019-12-30", "2020-01-05", "week"),
        ("The following month, the border closed.", "2020-02-01", "2020-02-29", "month"),
    ],
)
def test_counts_from_the_last_event(text: str, start: str, end: str, precision: str) -> None:
    expr = only(text)
    assert expr.anchored_to_event
    shifted = shift_from_event(expr, ATTACK)
    assert shifted == DateInterval(date.fromisoformat(start), date.fromisoformat(end), precision)  # type: ignore[arg-type]


def test_an_event_known_to_the_month_moves_as_a_whole() -> None:
    march = DateInterval(date(2023, 3, 1), date(2023, 3, 31), "month")
    expr = only("The day after the raid, the governor fled.")
    assert shift_from_event(expr, march) == DateInterval(
        date(2023, 3, 2), date(2023, 4, 1), "month"
    )


def test_a_count_without_a_number_gives_no_days() -> None:
    expr = only("Days after the raid, the governor fled.")
    assert expr.anchored_to_event and expr.value == "PXD"
    assert shift_from_event(expr, ATTACK) is None


def test_an_expression_not_tied_to_an_event_keeps_its_days() -> None:
    expr = only("Rebels took the airport on Saturday.")
    assert shift_from_event(expr, ATTACK) == expr.interval


# --- TimeML conventions (TempEval-3) -------------------------------------------------------

THU_1989 = date(1989, 10, 26)  # a Thursday, a month after the third quarter ended


def _values(text: str, published: date | None = THU_1989) -> list[tuple[str, str]]:
    return [(t.span.text, t.value) for t in tag_times(text, published)]


def test_a_report_compares_with_the_quarter_it_is_about() -> None:
    text = (
        "Kimberly-Clark posted a 20% gain in third-quarter net income. After a flat second "
        "quarter, profit rose. Charges were taken in the year-earlier period. In the 1989 "
        "period also, tax rates were lower than a year ago."
    )
    assert _values(text) == [
        ("third-quarter", "1989-Q3"),
        ("a flat second quarter", "1989-Q2"),
        ("the year-earlier period", "1988-Q3"),
        ("the 1989 period", "1989-Q3"),
        ("a year ago", "1988-Q3"),
    ]


def test_a_forecast_quarter_is_not_the_one_reported() -> None:
    text = (
        "Bethlehem posted a drop in third-quarter profit. Analysts expect the trend to "
        "continue through the third quarter of 1990. In the year-ago period it earned more."
    )
    assert _values(text)[-1] == ("the year-ago period", "1988-Q3")


def test_after_nine_months_a_year_earlier_is_a_year() -> None:
    text = (
        "Third-quarter profit rose 45% from a year earlier. For the nine months, it earned "
        "$18.9 million, compared with a loss a year earlier."
    )
    assert _values(text) == [
        ("Third-quarter", "1989-Q3"),
        ("a year earlier", "1988-Q3"),
        ("the nine months", "P9M"),
        ("a year earlier", "1988"),
    ]
    # the period compared is as long as the one reported on, as TimeBank writes "the
    # year-earlier nine months"
    text = "For the nine months, net rose 4%. In the year-earlier period, net was $77 million."
    assert _values(text) == [("the nine months", "P9M"), ("the year-earlier period", "P9M")]
    text = "In the third quarter, net rose 4%. In the year-earlier period, net was $7 million."
    assert _values(text) == [
        ("the third quarter", "1989-Q3"),
        ("the year-earlier period", "1988-Q3"),
    ]


def test_a_quarter_restated_by_its_name_is_the_one_named() -> None:
    # a company that moved to the calendar year compares its quarter with a fiscal one
    text = (
        "The company, which moved to a calendar year, earned more in the third quarter. In the "
        "comparable year-ago quarter, the second quarter ended Oct. 31, it had a loss."
    )
    assert _values(text) == [
        ("the third quarter", "1989-Q3"),
        ("the comparable year-ago quarter", "1988-Q2"),
        ("the second quarter", "1988-Q2"),
        ("Oct. 31", "1988-10-31"),
    ]


def test_the_latest_quarter_is_the_one_just_reported() -> None:
    text = "National posted net income for the fiscal second quarter. The latest period gained."
    assert _values(text)[-1] == ("The latest period", "1989-Q2")


def test_counts_after_another_time_are_lengths_of_time() -> None:
    # TimeBank marks "three days later" as how long (DURATION), "a year earlier" as when
    assert _values("Three days later, the index closed.") == [("Three days later", "P3D")]
    assert _values("Just over an hour later, he died.") == [("Just over an hour later", "PT1H")]
    assert _values("A minute and a half later, a pilot called.") == [
        ("A minute and a half later", "PT1M30S")
    ]


def test_vague_present_future_and_durations() -> None:
    assert _values("because of current market conditions") == [("current", "PRESENT_REF")]
    assert _values("at 50% of the then current market price") == [("then current", "PAST_REF")]
    assert _values("a current account deficit") == []
    assert _values("it soon will begin selling boxes") == [("soon", "FUTURE_REF")]
    assert _values("as soon as trading opened") == []
    assert _values("He was soon released.") == []
    assert _values("He had only been in the job one day.") == [("one day", "P1D")]
    assert _values("He hopes he will one day return.") == [("one day", "FUTURE_REF")]
    assert _values("losses in the past two quarters") == [("the past two quarters", "P2Q")]
    assert _values("one of the events of the past century") == [("the past century", "P100Y")]
    assert _values("ruled from Moscow for centuries") == [("centuries", "PXC")]
    assert _values("it lasted twenty-one years") == [("twenty-one years", "P21Y")]
    # like "the coming weeks", a length of time still to come
    assert _values("funds may have to sell in the weeks ahead") == [("the weeks ahead", "PXW")]


def test_a_date_a_plan_is_about_stays_ahead() -> None:
    # published 2 November: a deadline moved to 20 November is this year's, not last year's
    nov2 = date(1989, 11, 2)
    assert _values("The group extended to Nov. 20 its offer.", nov2) == [("Nov. 20", "1989-11-20")]
    assert _values("It had been set to expire Nov. 6.", nov2) == [("Nov. 6", "1989-11-06")]
    assert _values("Rebels entered the town on Nov. 20.", nov2) == [("Nov. 20", "1988-11-20")]
    # half a year ahead with no word of the future: the past one
    assert _values("The index hit a record set on Aug. 6.", date(1998, 2, 6)) == [
        ("Aug. 6", "1997-08-06")
    ]


def test_a_deadline_already_past() -> None:
    thu = date(1990, 8, 16)
    assert _values("Members had filed reports by Wednesday.", thu) == [("Wednesday", "1990-08-15")]
    assert _values("The offer will run until Wednesday.", thu) == [("Wednesday", "1990-08-22")]
    mon = date(1989, 10, 30)
    assert _values("It had been due to expire Friday evening.", mon) == [
        ("Friday evening", "1989-10-27TEV")
    ]


def test_named_days_and_weeks() -> None:
    assert _values("Protesters prayed as Easter week began.", date(2000, 4, 17)) == [
        ("Easter week", "2000-W16")
    ]
    assert _values("Stocks fell on 'Black Monday' in 1987.", date(2007, 10, 20)) == [
        ("1987", "1987")
    ]
    assert _values("the lowest level since '82", date(2008, 10, 27)) == [("'82", "1982")]
    assert _values("Sales fell in January from the same month a year ago.", date(2009, 2, 3)) == [
        ("January", "2009-01"),
        ("the same month a year ago", "2008-01"),
    ]


# --- the user's own words ------------------------------------------------------------------


def test_a_users_data_files_extend_the_packaged_ones(tmp_path: Path) -> None:
    (tmp_path / "holidays.json").write_text('{"holidays": {"founders day": {"date": [9, 21]}}}')
    code = (
        "from datetime import date; from wiredesk.resolve.time import tag_times; "
        "found = tag_times('Parades were held on Founders Day.', date(2024, 1, 20)); "
        "print([t.value for t in found])"
    )
    env = {**os.environ, "WIREDESK_TIME_DATA": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "['2023-09-21']", out.stderr
