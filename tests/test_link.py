"""Linking: the pairwise rules, the headline rules, order independence, the candidate index,
and the history of every stored event (on SQLite and PostgreSQL)."""

from __future__ import annotations

import itertools
import math
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pg import PostgresServer
from wiredesk.link import Reading, compatible, merge_reports, partition, reach
from wiredesk.link.cluster import OneGroupSets, PairCache, partition_grown
from wiredesk.link.rules import conflict, km, place_agreement, window
from wiredesk.records import Actor, Claim, Document, Event, Evidence, Extraction, Location, Weapon
from wiredesk.store import Store
from wiredesk.store.linking import index_existing_events
from wiredesk.store.schema import event_index

SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
DRONE = ("Explosions/Remote violence", "Air/drone strike")
IED = ("Explosions/Remote violence", "Remote explosive/landmine/IED")
ATTACK = ("Violence against civilians", "Attack")
TAKEOVER = ("Battles", "Non-state actor overtakes territory")
ARRESTS = ("Strategic developments", "Arrests")
MARCH = ("Protests", "Peaceful protest")
RIOT = ("Riots", "Violent demonstration")

AIN_AL_ASAD = Location(
    "Ain al-Asad Air Base",
    33.7856,
    42.4412,
    "IQ",
    "Anbar",
    None,
    "wd:ain-al-asad",
    "facility",
    "Ain al-Asad",
)
BAGHDADI = Location("Al Baghdadi", 33.8711, 42.5219, "IQ", "Anbar", None, 99001, "town")
ANBAR = Location("Anbar", 33.0, 42.0, "IQ", "Anbar", None, 99002, "province")
IRAQ = Location("Iraq", None, None, "IQ", None, None, None, "country")
NIKOPOL = Location("Nikopol", 47.5712, 34.3964, "UA", "Dnipropetrovsk", None, 700051, "town")
MARHANETS = Location("Marhanets", 47.648, 34.6268, "UA", "Dnipropetrovsk", None, 702320, "town")
KIDAL = Location("Kidal", 18.4411, 1.4078, "ML", "Kidal", None, 2455290, "town")
NOWHERE = Location()


def event(
    ident: str,
    doc: str,
    kind: tuple[str, str] = SHELLING,
    day: date | None = date(2024, 3, 2),
    *,
    precision: str = "day",
    place: Location = AIN_AL_ASAD,
    actor1: Actor | None = None,
    rockets: int | None = None,
    killed: int | None = None,
    background: bool = False,
    texts: tuple[str, ...] = ("Rockets",),
    claims: tuple[Claim, ...] = (),
) -> Event:
    return Event(
        id=ident,
        event_type=kind[0],
        sub_event_type=kind[1],
        date=day,
        date_precision=precision if day else "unknown",  # type: ignore[arg-type]
        location=replace(place),
        actors=[actor1] if actor1 else [],
        weapons=[Weapon("rocket", None, rockets)] if rockets is not None else [],
        fatalities=killed,
        background=background,
        evidence=[Evidence(doc, 0, len(t), t, "trigger") for t in texts],
        claims=list(claims),
        sources=[doc],
    )


def reading(
    ident: str, doc: str, *args: object, published: date | None = None, **kwargs: object
) -> Reading:
    made = event(ident, doc, *args, **kwargs)  # type: ignore[arg-type]
    return Reading(
        doc, ident, made, published or (made.date or date(2024, 3, 3)) + timedelta(days=1)
    )


def document(
    ident: str, published: date = date(2024, 3, 3), outlet: str = "Tigris Wire"
) -> Document:
    return Document(id=ident, text=f"Report {ident}.", outlet=outlet, published=published)


def clusters(store: Store) -> list[list[tuple[str, str]]]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT event_id, document_id, mention_id FROM reports"))
        found: dict[str, list[tuple[str, str]]] = {}
        for event_id, doc, mention in rows:
            found.setdefault(event_id, []).append((doc, mention))
    return sorted(sorted(c) for c in found.values())


# --- the pairwise rules -----------------------------------------------------------------------


def test_windows_follow_the_precision() -> None:
    day = event("a", "d", day=date(2024, 3, 2))
    assert window(day, None) == (date(2024, 3, 1), date(2024, 3, 3))
    month = event("a", "d", day=date(2024, 2, 1), precision="month")
    assert window(month, None) == (date(2024, 1, 31), date(2024, 3, 1))
    undated = event("a", "d", day=None)
    assert window(undated, date(2024, 3, 10)) == (date(2024, 3, 3), date(2024, 3, 10))
    assert window(replace(undated, background=True), date(2024, 3, 10)) is None


def test_places_agree_by_their_precision() -> None:
    assert place_agreement(AIN_AL_ASAD, replace(AIN_AL_ASAD)) == 2
    assert place_agreement(AIN_AL_ASAD, BAGHDADI) == 2  # a base and the town beside it
    assert 15 < km(NIKOPOL, MARHANETS) < 25
    assert place_agreement(NIKOPOL, MARHANETS) == 0  # two towns are two places
    assert place_agreement(AIN_AL_ASAD, ANBAR) == 1  # in the province
    assert place_agreement(AIN_AL_ASAD, IRAQ) == 1
    assert place_agreement(AIN_AL_ASAD, KIDAL) == 0
    assert place_agreement(AIN_AL_ASAD, NOWHERE) == 0


def test_outlets_counting_different_rockets_report_one_attack() -> None:
    four = reading("a", "d1", rockets=4, texts=("At least four rockets hit the base",))
    six = reading("b", "d2", rockets=6, day=date(2024, 3, 3), texts=("Six Katyusha rockets",))
    assert compatible(four, six) and compatible(six, four)


def test_a_generic_attack_is_the_specific_one_but_an_airstrike_is_no_takeover() -> None:
    ied = reading("a", "d1", IED, place=KIDAL)
    attack = reading("b", "d2", ATTACK, place=KIDAL)
    assert compatible(ied, attack)
    strike = reading("c", "d3", DRONE, place=KIDAL)
    takeover = reading("d", "d4", TAKEOVER, place=KIDAL)
    assert conflict(strike, takeover) and not compatible(strike, takeover)
    assert conflict(ied, reading("e", "d5", ARRESTS, place=KIDAL))


def test_a_march_to_one_outlet_is_a_riot_to_another_on_one_spot_and_day() -> None:
    march = reading("a", "d1", MARCH, place=NIKOPOL)
    riot = reading("b", "d2", RIOT, place=NIKOPOL)
    assert compatible(march, riot) and compatible(riot, march)
    assert not compatible(march, reading("c", "d3", RIOT, place=MARHANETS))
    # Across types the date must be precise and the place one spot, not only a province.
    month = reading("d", "d4", RIOT, place=NIKOPOL, precision="month")
    assert not compatible(march, month)
    region = replace(NIKOPOL, name="Dnipropetrovsk", precision="province", geonames_id=None)
    assert not compatible(march, reading("e", "d5", RIOT, place=region))
    assert conflict(march, reading("f", "d6", ATTACK, place=NIKOPOL))


def test_two_armed_groups_acting_are_two_incidents_but_crowds_are_named_loosely() -> None:
    kh = Actor("Kataib Hezbollah", "actor1", "Political militia")
    irgc = Actor("Islamic State", "actor1", "Rebel group")
    assert conflict(reading("a", "d1", actor1=kh), reading("b", "d2", actor1=irgc))
    claimed = replace(irgc, claimed=True)
    assert compatible(reading("a", "d1", actor1=kh), reading("b", "d2", actor1=claimed))
    army = Actor("Military Forces of Iraq", "actor1", "State forces")
    assert compatible(reading("a", "d1", actor1=kh), reading("b", "d2", actor1=army))


def test_gunmen_and_bandits_of_a_country_name_no_one_group() -> None:
    gunmen = Actor("Unidentified Armed Group (Iraq)", "actor1", "Political militia")
    bandits = Actor("Bandits (Iraq)", "actor1", "Political militia")
    kh = Actor("Kataib Hezbollah", "actor1", "Political militia")
    assert compatible(reading("a", "d1", actor1=gunmen), reading("b", "d2", actor1=bandits))
    assert compatible(reading("a", "d1", actor1=gunmen), reading("b", "d2", actor1=kh))
    anywhere = replace(gunmen, name="Unidentified Armed Group")  # no country known
    assert compatible(reading("a", "d1", actor1=anywhere), reading("b", "d2", actor1=kh))
    assert conflict(
        reading("a", "d1", actor1=kh), reading("b", "d2", actor1=replace(kh, name="Islamic State"))
    )


def test_province_level_agreement_needs_something_more() -> None:
    town = reading("a", "d1", DRONE, place=AIN_AL_ASAD, killed=2)
    vague = reading("b", "d2", DRONE, place=ANBAR)
    assert not conflict(town, vague) and not compatible(town, vague)
    assert compatible(town, reading("c", "d3", DRONE, place=ANBAR, killed=2))


def test_one_actor_named_in_either_role_is_agreement() -> None:
    """One outlet has the army setting off the fight, another has it as the target."""
    acting = Actor("Military Forces of Iraq", "actor1", "State forces")
    town = reading("a", "d1", IED, place=AIN_AL_ASAD, actor1=acting)
    vague = reading("b", "d2", IED, place=ANBAR)
    assert not compatible(town, vague)
    vague.event.actors = [replace(acting, role="actor2")]
    assert compatible(town, vague) and compatible(vague, town)
    vague.event.actors = [Actor("Military Forces of Syria", "actor2", "State forces")]
    assert not compatible(town, vague)


def test_a_strategic_development_told_by_country_needs_its_actor_and_near_days() -> None:
    intercept = ("Strategic developments", "Disrupted weapons use")
    army = Actor("Military Forces of Ukraine", "actor1", "State forces")
    ukraine = Location("Ukraine", None, None, "UA", None, None, None, "country")
    saturday = reading("a", "d1", intercept, date(2024, 10, 12), place=ukraine, actor1=army)
    sunday = reading("b", "d2", intercept, date(2024, 10, 13), place=ukraine, actor1=army)
    monday = reading("c", "d3", intercept, date(2024, 10, 14), place=ukraine, actor1=army)
    assert compatible(saturday, sunday) and compatible(sunday, monday)
    assert not compatible(saturday, monday)  # the windows overlap, but two nights apart
    month = reading("d", "d4", intercept, date(2024, 10, 1), precision="month", place=ukraine)
    assert not compatible(month, monday)  # no actor in common
    month.event.actors = [army]
    assert compatible(month, monday)


def test_an_undated_background_mention_never_links() -> None:
    mention = reading("a", "d1", day=None, background=True)
    assert reach(mention) is None
    assert not compatible(mention, reading("b", "d2"))


_LOCATIONS = st.sampled_from(
    [AIN_AL_ASAD, BAGHDADI, ANBAR, IRAQ, NIKOPOL, MARHANETS, KIDAL, NOWHERE]
)


@st.composite
def _readings(draw: st.DrawFn, ident: str) -> Reading:
    kind = draw(st.sampled_from([SHELLING, DRONE, IED, ATTACK, TAKEOVER, ARRESTS, MARCH, RIOT]))
    place = draw(_LOCATIONS)
    if place.lat is not None and draw(st.booleans()):
        place = replace(
            place,
            lat=place.lat + draw(st.floats(-0.6, 0.6)),
            lon=(place.lon or 0.0) + draw(st.floats(-0.6, 0.6)),
        )
    day = draw(st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2024, 4, 30))))
    precision = draw(st.sampled_from(["day", "day", "week", "month", "year"]))
    return reading(
        ident,
        f"doc-{ident}",
        kind,
        day,
        precision=precision,
        place=place,
        background=draw(st.booleans()),
        killed=draw(st.sampled_from([None, 0, 2])),
        published=date(2024, 5, 1) if day is None else None,
    )


@settings(max_examples=300, deadline=None)
@given(_readings("a"), _readings("b"))
def test_compatible_readings_always_find_each_other_in_the_index(a: Reading, b: Reading) -> None:
    """The candidate index cannot miss: compatible readings have intersecting reaches."""
    assert compatible(a, b) == compatible(b, a)
    if compatible(a, b):
        box_a, box_b = reach(a), reach(b)
        assert box_a is not None and box_b is not None
        assert box_a.intersects(box_b)


@settings(max_examples=200, deadline=None)
@given(st.floats(-70, 70), st.floats(-179, 179), st.floats(0, 1), st.floats(0, 2 * math.pi))
def test_a_place_within_the_limit_is_inside_the_reach(
    lat: float, lon: float, r: float, bearing: float
) -> None:
    """Two towns up to 10 km apart agree, and their reaches (boxes in degrees) intersect."""
    here = replace(NIKOPOL, lat=lat, lon=lon, geonames_id=1, name="Here")
    north = lat + 9.9 * r * math.cos(bearing) / 111.2
    east = lon + 9.9 * r * math.sin(bearing) / (111.2 * max(0.2, math.cos(math.radians(lat))))
    there = replace(NIKOPOL, lat=north, lon=east, geonames_id=2, name="There")
    if km(here, there) > 10.0:
        return
    a = reading("a", "d1", place=here)
    b = reading("b", "d2", place=there)
    assert compatible(a, b)
    box_a, box_b = reach(a), reach(b)
    assert box_a is not None and box_b is not None and box_a.intersects(box_b)


# --- merged records ---------------------------------------------------------------------------


def test_five_outlets_one_attack_five_sources_and_the_counts_side_by_side() -> None:
    counts = {"d1": 4, "d2": 5, "d3": 6, "d4": 4, "d5": 5}
    readings = [event(f"e{n}", d, rockets=c) for n, (d, c) in enumerate(counts.items())]
    (group,) = partition([Reading(e.sources[0], e.id, e, date(2024, 3, 3)) for e in readings])
    merged = merge_reports("x", [r.event for r in group])
    assert merged.sources == ["d1", "d2", "d3", "d4", "d5"]
    assert merged.weapons[0].count == 4  # the lowest figure heads the record
    conflict_ = next(c for c in merged.conflicts if c.field == "weapons.rocket.count")
    assert conflict_.values == {"4": ["d1", "d4"], "5": ["d2", "d5"], "6": ["d3"]}


def test_hit_against_fell_outside_and_claimed_against_denied_are_flagged() -> None:
    hit = event(
        "a",
        "d1",
        texts=("a rocket hit inside the base",),
        claims=(Claim("Islamic Resistance in Iraq", "responsibility", "claimed", 0, 7, "d1"),),
    )
    missed = event(
        "b",
        "d2",
        texts=("two projectiles fell outside the base perimeter",),
        claims=(Claim("Kataib Hezbollah", "denial", "denied", 0, 6, "d2"),),
    )
    merged = merge_reports("x", [hit, missed])
    fields = {c.field: c.values for c in merged.conflicts}
    assert fields["outcome"] == {"hit": ["d1"], "missed": ["d2"]}
    assert fields["claims"] == {"denial": ["d2"], "responsibility": ["d1"]}
    assert [c.kind for c in merged.claims] == ["responsibility", "denial"]  # side by side


def test_news_readings_set_the_headline_and_background_only_adds_sources() -> None:
    news = event("a", "d2", day=date(2024, 3, 2), killed=0)
    old = event(
        "b", "d1", DRONE, day=date(2024, 3, 1), precision="month", background=True, killed=3
    )
    merged = merge_reports("x", [old, news])
    assert (merged.sub_event_type, merged.date, merged.fatalities) == (
        SHELLING[1],
        date(2024, 3, 2),
        0,
    )
    assert merged.sources == ["d1", "d2"] and not merged.background
    assert merge_reports("y", [old]).background


def test_merging_does_not_depend_on_the_order_of_readings() -> None:
    readings = [
        event("a", "d3", rockets=6),
        event("b", "d1", rockets=4),
        event("c", "d2", day=date(2024, 3, 3)),
    ]
    first = merge_reports("x", readings)
    assert merge_reports("x", readings[::-1]) == first


# --- clusters ---------------------------------------------------------------------------------


def test_a_chain_of_days_does_not_collapse_into_one_event() -> None:
    days = [reading(f"e{n}", f"d{n}", day=date(2024, 3, 1) + timedelta(days=n)) for n in range(6)]
    groups = partition(days)
    assert all(len(g) <= 2 for g in groups)  # the 1st is never the same attack as the 3rd


def test_two_towns_the_same_day_stay_apart() -> None:
    groups = partition(
        [
            reading("a", "d1", place=NIKOPOL),
            reading("b", "d2", DRONE, place=MARHANETS),
            reading("c", "d3", place=NIKOPOL),
            reading("d", "d3", DRONE, place=MARHANETS),
        ]
    )
    assert [[r.key for r in g] for g in groups] == [
        [("d1", "a"), ("d3", "c")],
        [("d2", "b"), ("d3", "d")],
    ]


def _grown(stored: list[Reading], fresh: list[Reading]) -> tuple[list[list[Reading]], PairCache]:
    """`partition_grown` after `partition` has seen `stored`, and the pairs it compared."""
    one_group = OneGroupSets()
    partition_grown(stored, [], {}, one_group)
    pairs: PairCache = {}
    return partition_grown(stored, fresh, pairs, one_group), pairs


def test_a_reading_that_joins_one_event_is_not_compared_again_with_the_rest() -> None:
    stored = [reading(f"r{n}", f"d{n}", rockets=n) for n in range(5)]
    joining = reading("r9", "d9")
    (group,), pairs = _grown(stored, [joining])
    assert [r.key for r in group] == sorted(r.key for r in [*stored, joining])
    compared = {key for pair in pairs for key in pair}
    assert len(pairs) == len(stored) and compared == {r.key for r in [*stored, joining]}


def test_a_reading_that_conflicts_with_one_event_is_clustered_in_full() -> None:
    stored = [reading(f"r{n}", f"d{n}") for n in range(4)]
    other_day = reading("r9", "d9", day=date(2024, 3, 20))
    groups, pairs = _grown(stored, [other_day])
    assert groups == partition([*stored, other_day])
    assert [len(g) for g in groups] == [4, 1]
    assert len(pairs) == 10  # every pair of the five


def test_new_readings_that_reach_one_event_only_through_each_other_join_it() -> None:
    stored = [reading(f"r{n}", f"d{n}", place=AIN_AL_ASAD) for n in range(3)]
    # The base and the town near it are one spot; the province joins through the town alone
    # (the toll they both give).
    town = reading("t", "d8", place=BAGHDADI, killed=2)
    province = reading("p", "d9", place=ANBAR, killed=2)
    assert not compatible(province, stored[0]) and compatible(province, town)
    (group,), _ = _grown(stored, [town, province])
    assert len(group) == 5
    assert [group] == partition([*stored, town, province])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 2), min_size=1, max_size=6),  # days close enough to be one
    st.lists(st.integers(0, 3), min_size=1, max_size=3),  # event often, but not always
    st.data(),
)
def test_growing_a_set_clusters_it_as_partition_does(
    stored_days: list[int], fresh_days: list[int], data: st.DataObject
) -> None:
    place = data.draw(st.sampled_from([AIN_AL_ASAD, BAGHDADI, ANBAR, IRAQ]))
    kinds = st.sampled_from([SHELLING, DRONE, ATTACK])

    def made(prefix: str, days: list[int]) -> list[Reading]:
        return [
            reading(
                f"{prefix}{n}",
                f"d{prefix}{n}",
                data.draw(kinds),
                date(2024, 3, 1) + timedelta(days=day),
                place=data.draw(st.sampled_from([place, AIN_AL_ASAD])),
                killed=data.draw(st.sampled_from([None, 2])),
            )
            for n, day in enumerate(days)
        ]

    stored, fresh = made("s", stored_days), made("f", fresh_days)
    groups, _ = _grown(stored, fresh)
    assert groups == partition([*stored, *fresh])


def test_only_the_latest_sets_clustered_as_one_are_remembered() -> None:
    remembered = OneGroupSets(limit=2)
    first, second, third = (frozenset({("d", str(n))}) for n in range(3))
    for keys in (first, second):
        remembered.add(keys)
    assert first in remembered  # and now the most recent
    remembered.add(third)
    assert first in remembered and third in remembered and second not in remembered


# --- through the store (SQLite and PostgreSQL) ------------------------------------------------


def test_a_background_mention_joins_the_event_it_refers_to(any_store: Store) -> None:
    strike = event("e2020", "d2020", day=date(2020, 1, 8), killed=0)
    any_store.add([Extraction(document("d2020", date(2020, 1, 8)), [strike])])
    later = event("bg", "d2024", day=date(2020, 1, 1), precision="month", background=True)
    news = event("new", "d2024", DRONE, day=date(2024, 3, 2))
    counts = any_store.add([Extraction(document("d2024", date(2024, 3, 3)), [later, news])])
    assert (counts.new_events, counts.linked_events) == (1, 1)
    stored = {e.id: e for e in any_store.events()}
    assert sorted(stored) == ["e2020", "new"]
    assert stored["e2020"].sources == ["d2020", "d2024"]
    assert stored["e2020"].date == date(2020, 1, 8) and not stored["e2020"].background
    # Told again, in another order, it is still one event.
    again = event("bg2", "d2025", day=date(2020, 1, 8), background=True)
    any_store.add([Extraction(document("d2025", date(2025, 1, 1)), [again])])
    assert len(list(any_store.events())) == 2


def test_a_report_that_bridges_two_events_merges_them_and_history_says_so(any_store: Store) -> None:
    us = Actor("Military Forces of the United States", "actor2", "State forces")
    any_store.add([Extraction(document("d1"), [event("a", "d1", DRONE, place=ANBAR, killed=2)])])
    vague = event("b", "d2", DRONE, place=IRAQ, day=date(2024, 3, 3))
    vague.actors = [us]
    any_store.add([Extraction(document("d2"), [vague])])
    assert len(clusters(any_store)) == 2  # province and country only: not enough to link
    bridge = event("c", "d3", DRONE, place=AIN_AL_ASAD, killed=2)  # the toll of one,
    bridge.actors = [us]  # the target of the other
    counts = any_store.add([Extraction(document("d3"), [bridge])])
    assert counts.linked_events == 1
    assert clusters(any_store) == [[("d1", "a"), ("d2", "b"), ("d3", "c")]]
    (merged,) = any_store.events()
    assert merged.id == "a" and merged.location.name == "Ain al-Asad Air Base"
    changes = [(h.change, h.document, h.field) for h in any_store.history("a")]
    assert changes[0] == ("created", "d1", None)
    assert ("merged", "d3", None) in changes and ("source added", "d3", None) in changes
    assert ("field changed", "d3", "location") in changes
    (gone,) = any_store.history("b")[-1:]
    assert (gone.change, gone.new, gone.document) == ("merged into", "a", "d3")


def test_each_batch_diffs_an_event_against_its_latest_record(any_store: Store) -> None:
    any_store.add([Extraction(document("d1"), [event("a", "d1", killed=5)])])
    any_store.add([Extraction(document("d2"), [event("b", "d2", killed=3)])])
    any_store.add([Extraction(document("d3"), [event("c", "d3", killed=1)])])
    tolls = [
        (h.document, h.old, h.new)
        for h in any_store.history("a")
        if (h.change, h.field) == ("field changed", "fatalities")
    ]
    assert tolls == [("d2", "5", "3"), ("d3", "3", "1")]


@st.composite
def _ingest_orders(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    order = draw(st.permutations(range(len(_SYNTHETIC))))
    cuts = draw(st.lists(st.integers(1, len(_SYNTHETIC) - 1), max_size=3, unique=True))
    return list(order), sorted(cuts)


def _synthetic() -> list[Extraction]:
    """A small set with every hard case: outlets that disagree on counts and types, a chain of
    days in one town, two towns on one day, an undated report, a province-level and a
    country-level report that only a third one bridges, and background mentions."""
    us = Actor("Military Forces of the United States", "actor2", "State forces")
    later = date(2024, 3, 10)

    def drone(ident: str, doc: str, place: Location, day: date = later, **kwargs: object) -> Event:
        made = event(ident, doc, DRONE, day, place=place, **kwargs)  # type: ignore[arg-type]
        made.actors = [us] if place is not ANBAR else []
        return made

    specs = [
        ("s1", [event("s1a", "s1", rockets=4), event("s1b", "s1", DRONE, place=MARHANETS)]),
        (
            "s2",
            [
                event("s2a", "s2", rockets=6, day=date(2024, 3, 3)),
                event("s2b", "s2", place=NIKOPOL),
            ],
        ),
        ("s3", [event("s3a", "s3", ATTACK, killed=0)]),
        (
            "s4",
            [
                drone("s4a", "s4", ANBAR, killed=2),
                event("s4b", "s4", place=NIKOPOL, day=date(2024, 3, 6)),
            ],
        ),
        ("s5", [drone("s5a", "s5", IRAQ, day=date(2024, 3, 11))]),
        (
            "s6",
            [
                drone("s6a", "s6", BAGHDADI, killed=2),
                event("s6b", "s6", day=date(2024, 3, 1), precision="month", background=True),
            ],
        ),
        (
            "s7",
            [
                event("s7a", "s7", place=NIKOPOL, day=date(2024, 3, 4)),
                event("s7b", "s7", DRONE, place=MARHANETS, day=None),
            ],
        ),
        ("s8", [event("s8a", "s8", ARRESTS), event("s8b", "s8", day=None, background=True)]),
    ]
    return [Extraction(document(doc_id, date(2024, 3, 5)), events) for doc_id, events in specs]


_SYNTHETIC = _synthetic()


def _ingest(store: Store, order: list[int], cuts: list[int]) -> list[list[tuple[str, str]]]:
    import copy

    extractions = [copy.deepcopy(_SYNTHETIC[i]) for i in order]
    bounds = [0, *cuts, len(extractions)]
    for start, end in itertools.pairwise(bounds):
        if end > start:
            store.add(extractions[start:end])
    return clusters(store)


def _reference() -> list[list[tuple[str, str]]]:
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(str(Path(folder) / "ref.db"))
        try:
            return _ingest(store, list(range(len(_SYNTHETIC))), [])
        finally:
            store.close()


_REFERENCE = _reference()


def test_the_reference_clusters_are_the_right_ones() -> None:
    groups = [{m for _, m in c} for c in _REFERENCE]
    assert {"s1a", "s2a", "s3a", "s6b"} in groups  # 4 and 6 rockets, an "attack", background
    assert {"s4a", "s5a", "s6a"} in groups  # province and country, bridged by a town
    assert {"s1b", "s7b"} in groups  # Marhanets, not Nikopol; undated but placed
    assert not any({"s2b", "s4b"} <= g for g in groups)  # the 2nd is not the 6th
    assert {"s8a"} in groups and {"s8b"} in groups


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ingest_orders())
def test_any_order_and_batching_gives_the_same_clusters_sqlite(
    plan: tuple[list[int], list[int]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(str(Path(folder) / "order.db"))
        try:
            assert _ingest(store, *plan) == _REFERENCE
        finally:
            store.close()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=_ingest_orders())
def test_any_order_gives_the_same_clusters_postgresql(
    postgres_server: PostgresServer, plan: tuple[list[int], list[int]]
) -> None:
    store = Store.open(postgres_server.new_database())
    try:
        assert _ingest(store, *plan) == _REFERENCE
    finally:
        store.close()


# --- the candidate index ----------------------------------------------------------------------


def test_candidates_come_from_the_index_not_a_scan(any_store: Store) -> None:
    far = [
        event(f"far{n}", f"f{n}", place=KIDAL, day=date(2024, 3, 2) + timedelta(days=40 * n))
        for n in range(5)
    ]
    for n, e in enumerate(far):
        any_store.add(
            [Extraction(document(f"f{n}", date(2024, 3, 3) + timedelta(days=40 * n)), [e])]
        )
    any_store.add([Extraction(document("near"), [event("near", "near")])])
    box = reach(reading("probe", "p"))
    assert box is not None
    with any_store.engine.connect() as connection:
        found = any_store._links.candidates(connection, box)
        assert [event_id for event_id, _ in found] == ["near"]
        if any_store.engine.dialect.name == "sqlite":
            from wiredesk.store.linking import _CANDIDATES_SQLITE

            params = {"family": box.family, "day_lo": 0, "day_hi": 1, "lat_lo": 0, "lat_hi": 1,
                      "lon_lo": 0, "lon_hi": 1}  # fmt: skip
            explain = sa.text("EXPLAIN QUERY PLAN " + _CANDIDATES_SQLITE.text)
            steps = [str(row[-1]) for row in connection.execute(explain, params)]
            assert steps[0].startswith("SCAN r VIRTUAL TABLE INDEX")  # the R*Tree leads
            assert "PRIMARY KEY" in steps[1]
        else:
            connection.execute(sa.text("SET enable_seqscan = off"))
            plan = " ".join(
                row[0]
                for row in connection.execute(
                    sa.text(
                        "EXPLAIN SELECT event_id FROM event_index "
                        "WHERE area && ST_MakeEnvelope(0, 0, 1, 1, 4326)"
                    )
                )
            )
            assert "event_index_area" in plan


def test_indexing_existing_events_rebuilds_the_same_index(store: Store) -> None:
    store.add([Extraction(document("d1"), [event("a", "d1"), event("k", "d1", place=KIDAL)])])
    with store.engine.begin() as connection:
        before = sorted(tuple(r)[1:] for r in connection.execute(sa.select(event_index)))
        connection.execute(event_index.delete())
        index_existing_events(connection)
        after = sorted(tuple(r)[1:] for r in connection.execute(sa.select(event_index)))
    assert before == after and len(before) == 2


def test_an_event_index_row_is_rewritten_only_when_its_reach_changes(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE rewritten (event_id TEXT)"))
        connection.execute(
            sa.text(
                "CREATE TRIGGER count_rewrites AFTER UPDATE ON event_index BEGIN "
                "INSERT INTO rewritten VALUES (new.event_id); END"
            )
        )
    store.add([Extraction(document("d1"), [event("a", "d1")])])
    store.add([Extraction(document("d2"), [event("b", "d2")])])  # the same day and base
    store.add([Extraction(document("d3"), [event("c", "d3", place=BAGHDADI)])])  # a town near
    with store.engine.connect() as connection:
        rewrites = [r[0] for r in connection.execute(sa.text("SELECT event_id FROM rewritten"))]
        (row,) = connection.execute(sa.select(event_index)).all()
    assert rewrites == ["a"]  # by the town's report alone: the second report changed nothing
    base, town = reach(reading("a", "d1")), reach(reading("c", "d3", place=BAGHDADI))
    assert base is not None and town is not None
    assert row.lat_lo == min(base.lat_lo, town.lat_lo)
    assert row.lat_hi == max(base.lat_hi, town.lat_hi)


# --- the `show` command -----------------------------------------------------------------------


def test_show_lists_the_history(tmp_path: Path) -> None:
    from wiredesk.serve.cli import app

    db = str(tmp_path / "show.db")
    store = Store.open(db)
    store.add([Extraction(document("d1"), [event("a", "d1", rockets=4)])])
    store.add([Extraction(document("d2", outlet="Gulf Dispatch"), [event("b", "d2", rockets=6)])])
    store.close()
    result = CliRunner().invoke(app, ["show", "a", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    history = result.output.split("history")[1]
    assert "created" in history and "source added: Gulf Dispatch" in history
    assert "sources disagree on weapons.rocket.count" in history


def test_past_the_exact_limit_a_report_joins_the_event_it_fits(
    any_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A component too large to re-partition whole: new readings join the best event."""
    monkeypatch.setattr("wiredesk.link.incremental.EXACT_LIMIT", 2)
    for n in range(5):
        any_store.add([Extraction(document(f"d{n}"), [event(f"e{n}", f"d{n}", rockets=n)])])
    later = event("later", "d9", day=date(2024, 3, 5))  # compatible with none of them
    nikopol = event("nik", "d9", place=NIKOPOL)
    any_store.add([Extraction(document("d9", date(2024, 3, 6)), [later, nikopol])])
    groups = [{m for _, m in c} for c in clusters(any_store)]
    assert {"e0", "e1", "e2", "e3", "e4"} in groups
    assert {"later"} in groups and {"nik"} in groups
    with any_store.engine.connect() as connection:
        components = connection.execute(sa.select(event_index.c.component).distinct()).all()
    assert len(components) == 3
