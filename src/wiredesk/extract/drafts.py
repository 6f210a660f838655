"""Drafts of events: what a sentence tells and what an event gathers while being read."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from wiredesk.extract.claims import Attribution
from wiredesk.extract.lexicon import Rule
from wiredesk.extract.mentions import Mention
from wiredesk.records import (
    DateInterval,
    Document,
    Evidence,
    Place,
    Span,
    TimeExpression,
    distance_km,
)
from wiredesk.resolve.actor import ActorEntry, ActorMention

# Two mentions whose places are this close can be one event.
SAME_PLACE_KM = 60.0


@dataclass(slots=True)
class SentenceReading:
    span: Span
    attributions: list[Attribution]
    times: list[TimeExpression]
    places: list[Place]


@dataclass(slots=True)
class Draft:
    rule: Rule
    mentions: list[Mention] = field(default_factory=list)
    sentences: list[SentenceReading] = field(default_factory=list)
    time: TimeExpression | None = None
    interval: DateInterval | None = None
    place: Place | None = None
    actor1: ActorMention | None = None
    background_cue: bool = False
    last_sentence: int = 0
    inherited_target: ActorEntry | None = None  # who was hit at "the same base", from before
    # "officials said on Saturday": the day it was told, for an event with no date of its own.
    told: tuple[TimeExpression, DateInterval] | None = None
    # "Strikes hit Odesa and Dnipro": the town of a list this event was read for; the other
    # towns' events come from the same mention.
    listed_town: Place | None = None
    # "In a separate incident, ...": an event told in passing, which mentions in later
    # sentences do not add to.
    told_apart: bool = False


def _km(a: Place, b: Place) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def same_place(a: Place, b: Place) -> bool:
    if a.name == b.name or _km(a, b) <= SAME_PLACE_KM:
        return True
    coarse = {"province", "country", "district"}
    # A province or country holds the towns and bases inside it.
    if a.precision in coarse or b.precision in coarse:
        outer, inner = (a, b) if a.precision in coarse else (b, a)
        if outer.precision == "country":
            return outer.country == inner.country
        return outer.country == inner.country and outer.admin1 == inner.admin1
    return False


def overlaps(a: DateInterval, b: DateInterval) -> bool:
    return a.start <= b.end and b.start <= a.end


def family_of(rule: Rule) -> str:
    if rule.event_type in ("Protests", "Riots"):
        return "demonstration"
    return "development" if rule.event_type == "Strategic developments" else "violence"


def evidence_for(doc: Document, span: Span, name: str) -> Evidence:
    return Evidence(doc.id, span.start, span.end, span.text, name)
