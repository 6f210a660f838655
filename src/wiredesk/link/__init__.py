"""Link: each new event joins the stored event it reports, or starts a new one.

Headline fields of a merged event follow fixed rules, so that the result does not depend on
the order in which documents arrive:

- type and sub-type: the one most reports give (ties: the first in document-id order);
- date: the most precise one (day over week over month over year), then the most reported,
  then the earliest;
- place: the most precise one (facility, town, district, province, country), then the most
  reported;
- actors: per role, the name most reports give, a named actor over one known only from a claim;
- fatalities, injuries and weapon counts: the lowest figure any report states (ACLED's
  conservative rule); every differing figure is kept in `conflicts`;
- background: only when every report mentions the event as background.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeVar

from wiredesk.records import Actor, Conflict, Document, Event, Location, Weapon
from wiredesk.resolve.actor import same_actor

if TYPE_CHECKING:
    import sqlalchemy as sa

    from wiredesk.store import Store

__all__ = ["is_same_incident", "link_event", "merge_reports"]

_DATE_SLACK = {"day": 1, "week": 7, "month": 31, "year": 366, "unknown": 7}
_PLACE_KM = {"facility": 30.0, "town": 30.0, "district": 80.0, "province": 250.0}
_PLACE_RANK = {"facility": 0, "town": 1, "district": 2, "province": 3, "country": 4, "unknown": 5}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}

T = TypeVar("T", bound=Hashable)


def _window(event: Event, published: date | None) -> tuple[date, date] | None:
    if event.date is not None:
        slack = timedelta(days=_DATE_SLACK[event.date_precision])
        return event.date - slack, (event.date_end or event.date) + slack
    if published is not None and not event.background:
        return published - timedelta(days=7), published
    return None


def _km(a: Location, b: Location) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _places_agree(a: Location, b: Location) -> bool:
    if a.precision == "unknown" or b.precision == "unknown":
        return True
    if a.country and b.country and a.country != b.country:
        return False
    coarse = a if _PLACE_RANK[a.precision] >= _PLACE_RANK[b.precision] else b
    if coarse.precision == "country":
        return True
    if coarse.precision == "province":
        return (a.admin1 == b.admin1 and a.admin1 is not None) or _km(a, b) <= _PLACE_KM["province"]
    return _km(a, b) <= _PLACE_KM[coarse.precision] or (a.name == b.name and a.name is not None)


def _actor1(event: Event) -> Actor | None:
    return next((a for a in event.actors if a.role == "actor1"), None)


def is_same_incident(a: Event, b: Event, published: date | None = None) -> bool:
    """Whether two event records report one real-world incident: structured agreement on
    type family, dates (by precision), place (by precision) and who acted."""
    if a.event_type != b.event_type:
        return False
    if a.event_type == "Strategic developments" and a.sub_event_type != b.sub_event_type:
        return False
    wa, wb = _window(a, published), _window(b, published)
    if wa is None or wb is None or wa[0] > wb[1] or wb[0] > wa[1]:
        return False
    if not _places_agree(a.location, b.location):
        return False
    first, second = _actor1(a), _actor1(b)
    if first and second and not (first.claimed or second.claimed):
        return same_actor(first.name, second.name)
    return True


def _score(a: Event, b: Event) -> float:
    """Among compatible candidates, the closest one: same sub-type, nearer place, same actors."""
    score = 2.0 if a.sub_event_type == b.sub_event_type else 0.0
    distance = _km(a.location, b.location)
    if distance < math.inf:
        score += 1.0 / (1.0 + distance / 10.0)
    if a.date and b.date:
        score += 1.0 / (1.0 + abs((a.date - b.date).days))
    names_a = {x.name for x in a.actors}
    score += 0.5 * len(names_a & {x.name for x in b.actors})
    return score


def link_event(
    store: Store, connection: sa.Connection, event: Event, doc: Document
) -> tuple[Event, bool]:
    """The stored event that `event` reports, merged with it, or `event` itself as new."""
    window = _window(event, doc.published)
    if window is not None:
        candidates = [
            c for c in store.candidates(connection, event, *window)
            if is_same_incident(c, event, doc.published)
        ]
        if candidates:
            best = max(candidates, key=lambda c: (_score(c, event), c.id))
            readings = store.readings(connection, best.id)
            return merge_reports(best.id, [*readings, event]), False
    return merge_reports(event.id, [event]), True


def _vote(values: Sequence[T], key: Callable[[T], object] | None = None) -> T:
    """The most frequent value; ties go to the first in the order given."""
    counts = Counter(values)
    best = max(counts.values())
    choices = [v for v in values if counts[v] == best]
    return min(choices, key=key) if key else choices[0]


def _figure(name: str, readings: Sequence[Event], get: Callable[[Event], int | None]) -> tuple[int | None, Conflict | None]:
    stated: dict[str, list[str]] = {}
    for reading in readings:
        value = get(reading)
        if value is not None:
            stated.setdefault(str(value), []).extend(reading.sources)
    if not stated:
        return None, None
    lowest = min(int(v) for v in stated)
    return lowest, Conflict(name, stated) if len(stated) > 1 else None


def merge_reports(event_id: str, readings: Sequence[Event]) -> Event:
    """One event from every document's reading of it (see the module's rules)."""
    readings = sorted(readings, key=lambda r: (r.sources[0] if r.sources else "", r.id))
    sub_type = _vote([r.sub_event_type for r in readings])
    typed = next(r for r in readings if r.sub_event_type == sub_type)
    dated = [r for r in readings if r.date is not None]
    merged = Event(
        id=event_id,
        event_type=typed.event_type,
        sub_event_type=sub_type,
        plover=typed.plover,
        background=all(r.background for r in readings),
    )
    if dated:
        best_rank = min(_DATE_RANK[r.date_precision] for r in dated)
        precise = [r for r in dated if _DATE_RANK[r.date_precision] == best_rank]
        day = _vote([r.date for r in precise], key=lambda d: d)
        chosen = next(r for r in precise if r.date == day)
        merged.date, merged.date_end = chosen.date, chosen.date_end
        merged.date_precision, merged.date_text = chosen.date_precision, chosen.date_text
    placed = [r for r in readings if r.location.precision != "unknown"]
    if placed:
        best_rank = min(_PLACE_RANK[r.location.precision] for r in placed)
        precise = [r for r in placed if _PLACE_RANK[r.location.precision] == best_rank]
        name = _vote([r.location.name for r in precise])
        merged.location = next(r.location for r in precise if r.location.name == name)
    merged.actors = _merge_actors(readings)
    merged.weapons, weapon_conflicts = _merge_weapons(readings)
    merged.fatalities, killed = _figure("fatalities", readings, lambda r: r.fatalities)
    merged.injuries, injured = _figure("injuries", readings, lambda r: r.injuries)
    merged.conflicts = [c for c in (killed, injured, *weapon_conflicts) if c is not None]
    merged.conflicts += _field_conflicts(readings)
    for reading in readings:
        merged.claims.extend(reading.claims)
        merged.evidence.extend(reading.evidence)
        merged.sources.extend(s for s in reading.sources if s not in merged.sources)
    return merged


def _merge_actors(readings: Sequence[Event]) -> list[Actor]:
    merged: list[Actor] = []
    for role in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
        given = [a for r in readings for a in r.actors if a.role == role]
        if not given:
            continue
        named = [a for a in given if not a.claimed] or given
        name = _vote([a.name for a in named])
        merged.append(next(a for a in named if a.name == name))
    return merged


def _merge_weapons(readings: Sequence[Event]) -> tuple[list[Weapon], list[Conflict]]:
    by_kind: dict[tuple[str, str | None], list[tuple[Weapon, list[str]]]] = {}
    for reading in readings:
        for weapon in reading.weapons:
            by_kind.setdefault((weapon.name, weapon.model), []).append((weapon, reading.sources))
    # A weapon named with and without its model is one weapon.
    for name, model in list(by_kind):
        if model is None and any(k[0] == name and k[1] for k in by_kind):
            modelled = next(k for k in by_kind if k[0] == name and k[1])
            by_kind[modelled].extend(by_kind.pop((name, None)))
    weapons: list[Weapon] = []
    conflicts: list[Conflict] = []
    for (name, model), stated in by_kind.items():
        counts: dict[str, list[str]] = {}
        for weapon, sources in stated:
            if weapon.count is not None:
                counts.setdefault(str(weapon.count), []).extend(sources)
        lowest = min((int(c) for c in counts), default=None)
        qualifier = next(
            (w.qualifier for w, _ in stated if w.count == lowest and w.qualifier), None
        )
        weapons.append(Weapon(name, model, lowest, qualifier))
        if len(counts) > 1:
            conflicts.append(Conflict(f"weapons.{name}.count", counts))
    return weapons, conflicts


def _field_conflicts(readings: Sequence[Event]) -> list[Conflict]:
    conflicts = []
    for field, get in (
        ("sub_event_type", lambda r: r.sub_event_type),
        ("date", lambda r: r.date.isoformat() if r.date else None),
    ):
        values: dict[str, list[str]] = {}
        for reading in readings:
            value = get(reading)
            if value is not None:
                values.setdefault(value, []).extend(reading.sources)
        if len(values) > 1:
            conflicts.append(Conflict(field, values))
    kinds = {c.kind for r in readings for c in r.claims}
    if "responsibility" in kinds and "denial" in kinds:
        conflicts.append(
            Conflict(
                "claims",
                {
                    kind: sorted({c.document for r in readings for c in r.claims if c.kind == kind})
                    for kind in ("responsibility", "denial")
                },
            )
        )
    return conflicts
