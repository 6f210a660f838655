"""One merged event from every document's reading of it: headline rules and conflicts.

The rules are written out in `wiredesk.link`'s docstring; they look only at the set of
readings (sorted by document id, then mention id), never at the order they arrived in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from wiredesk.records import GEO_PRECISION_RANK, Actor, Conflict, Event, Weapon

__all__ = ["merge_reports"]

_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
_ROLES = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")

# What a report says became of the attack: on target, or not.
_HIT = re.compile(
    r"\b(?:hit|struck|slammed into|landed (?:inside|in|on)|impacted|crashed into)\b", re.I
)
_MISSED = re.compile(
    r"\b(?:fell outside|landed outside|outside the (?:base|perimeter|compound|walls)|missed"
    r"|fell short|fell (?:in|into) (?:an? )?(?:open|empty|uninhabited)"
    r"|caused no (?:damage|casualties))\b",
    re.I,
)

T = TypeVar("T", bound=Hashable)


def _vote(values: Sequence[T], key: Callable[[T], Any] | None = None) -> T:
    """The most frequent value; ties go to the first in the order given (or the least `key`)."""
    counts = Counter(values)
    best = max(counts.values())
    choices = [v for v in values if counts[v] == best]
    return min(choices, key=key) if key else choices[0]


def _order(reading: Event) -> tuple[str, str]:
    return (reading.sources[0] if reading.sources else "", reading.id)


def merge_reports(event_id: str, readings: Sequence[Event]) -> Event:
    """One event from every document's reading of it (see `wiredesk.link` for the rules)."""
    readings = sorted(readings, key=_order)
    news = [r for r in readings if not r.background] or readings
    sub_type = _vote([r.sub_event_type for r in news])
    typed = next(r for r in news if r.sub_event_type == sub_type)
    merged = Event(
        id=event_id,
        event_type=typed.event_type,
        sub_event_type=sub_type,
        plover=typed.plover,
        background=all(r.background for r in readings),
    )
    dated = [r for r in news if r.date is not None] or [r for r in readings if r.date is not None]
    if dated:
        best = min(_DATE_RANK[r.date_precision] for r in dated)
        precise = [r for r in dated if _DATE_RANK[r.date_precision] == best]
        day = _vote([r.date for r in precise], key=lambda d: d)
        chosen = next(r for r in precise if r.date == day)
        merged.date, merged.date_end = chosen.date, chosen.date_end
        merged.date_precision, merged.date_text = chosen.date_precision, chosen.date_text
    placed = [r for r in news if r.location.precision != "unknown"] or [
        r for r in readings if r.location.precision != "unknown"
    ]
    if placed:
        best = min(GEO_PRECISION_RANK[r.location.precision] for r in placed)
        precise = [r for r in placed if GEO_PRECISION_RANK[r.location.precision] == best]
        name = _vote([r.location.name for r in precise])
        merged.location = next(r.location for r in precise if r.location.name == name)
    merged.actors = _merge_actors(news)
    stating = [r for r in news if r.fatalities is not None or r.injuries is not None] or readings
    merged.fatalities, killed = _figure("fatalities", stating, lambda r: r.fatalities)
    merged.injuries, injured = _figure("injuries", stating, lambda r: r.injuries)
    merged.weapons, weapon_conflicts = _merge_weapons(readings)
    merged.conflicts = [c for c in (killed, injured, *weapon_conflicts) if c is not None]
    merged.conflicts += _field_conflicts(news, readings)
    sources: set[str] = set()
    for reading in readings:
        merged.claims.extend(reading.claims)
        merged.evidence.extend(reading.evidence)
        for source in reading.sources:
            if source not in sources:
                sources.add(source)
                merged.sources.append(source)
    return merged


def _figure(
    name: str, readings: Sequence[Event], get: Callable[[Event], int | None]
) -> tuple[int | None, Conflict | None]:
    stated: dict[str, list[str]] = {}
    for reading in readings:
        value = get(reading)
        if value is not None:
            stated.setdefault(str(value), []).extend(reading.sources)
    if not stated:
        return None, None
    lowest = min(int(v) for v in stated)
    return lowest, Conflict(name, _sorted_values(stated)) if len(stated) > 1 else None


def _sorted_values(values: dict[str, list[str]]) -> dict[str, list[str]]:
    return {value: sorted(set(docs)) for value, docs in sorted(values.items())}


def _merge_actors(readings: Sequence[Event]) -> list[Actor]:
    merged: list[Actor] = []
    for role in _ROLES:
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
    # A weapon named with and without its model is one weapon (the first model, by name).
    for name, model in sorted(by_kind, key=lambda k: (k[0], k[1] or "")):
        if model is None and (name, None) in by_kind:
            modelled = sorted(k[1] for k in by_kind if k[0] == name and k[1])
            if modelled:
                by_kind[(name, modelled[0])].extend(by_kind.pop((name, None)))
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
            conflicts.append(Conflict(f"weapons.{name}.count", _sorted_values(counts)))
    return weapons, conflicts


def _outcome(reading: Event) -> str | None:
    """ "hit" or "missed" when a reading's evidence and claims say only one of them."""
    return _outcome_of(
        tuple(e.text for e in reading.evidence) + tuple(c.text for c in reading.claims)
    )


# A stored reading is merged again each time a new report joins its event: its texts are
# read once.
@lru_cache(maxsize=4096)
def _outcome_of(texts: tuple[str, ...]) -> str | None:
    hit = any(_HIT.search(t) for t in texts)
    missed = any(_MISSED.search(t) for t in texts)
    if hit == missed:
        return None
    return "hit" if hit else "missed"


def _field_conflicts(news: Sequence[Event], readings: Sequence[Event]) -> list[Conflict]:
    conflicts = []
    fields: list[tuple[str, Callable[[Event], str | None]]] = [
        ("sub_event_type", lambda r: r.sub_event_type),
        ("date", lambda r: r.date.isoformat() if r.date and r.date_precision == "day" else None),
        (
            "location",
            lambda r: r.location.name if r.location.precision in ("facility", "town") else None,
        ),
        (
            "actor1",
            lambda r: next(
                (a.name for a in r.actors if a.role == "actor1" and not a.claimed), None
            ),
        ),
    ]
    for name, get in fields:
        values: dict[str, list[str]] = {}
        for reading in news:
            value = get(reading)
            if value is not None:
                values.setdefault(value, []).extend(reading.sources)
        if len(values) > 1:
            conflicts.append(Conflict(name, _sorted_values(values)))
    outcomes: dict[str, list[str]] = {}
    for reading in readings:
        outcome = _outcome(reading)
        if outcome is not None:
            outcomes.setdefault(outcome, []).extend(reading.sources)
    if len(outcomes) > 1:
        conflicts.append(Conflict("outcome", _sorted_values(outcomes)))
    stated: dict[str, list[str]] = {}
    for reading in readings:
        for claim in reading.claims:
            if claim.kind in ("responsibility", "report", "denial"):
                stated.setdefault(claim.kind, []).append(claim.document)
    if "denial" in stated and len(stated) > 1:
        conflicts.append(Conflict("claims", _sorted_values(stated)))
    return conflicts
