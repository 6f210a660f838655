"""Typed records passed between the stages, and their one JSON form (the contract)."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

SCHEMA_VERSION = 1
Day = date  # for fields of records that have a field named `date`

Precision = Literal["day", "week", "month", "year", "unknown"]
GeoPrecision = Literal["facility", "town", "district", "province", "country", "unknown"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
ClaimKind = Literal["responsibility", "report", "denial", "casualty_figure", "statement"]
ActorRole = Literal["actor1", "actor2", "assoc_actor_1", "assoc_actor_2"]


# Finer first: how much a place says, from a named facility down to nothing at all.
GEO_PRECISION_RANK: dict[str, int] = {
    "facility": 0,
    "town": 1,
    "district": 2,
    "province": 3,
    "country": 4,
    "unknown": 5,
}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class Span:
    """Characters `start:end` of a document's text, and the text they hold."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Document:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    language: str = "en"
    origin: str | None = None  # the file (and item) it was read from, for messages

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])


def normalise_text(text: str) -> str:
    """The form of a text that its id is computed from: NFC, white space folded."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def document_id(text: str) -> str:
    """A stable id for a text: the same words give the same id whatever the spacing."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class DateInterval:
    """The days an expression or event covers, and how precisely they are known."""

    start: date
    end: date
    precision: Precision


@dataclass(slots=True)
class TimeExpression:
    """A time expression found in text, normalised to TIMEX3."""

    span: Span
    type: TimexType
    value: str  # TIMEX3 value: 2024-01-20, 2024-W03, 2022-04, P1M, PRESENT_REF, XXXX-XX-XX
    interval: DateInterval | None = None  # for DATE/TIME values that name days
    anchored_to_event: bool = False  # "two days after the attack": shift from that event's date


@dataclass(slots=True)
class Place:
    """A place name found in text and resolved against the gazetteer."""

    span: Span
    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166 alpha-2
    admin1: str | None = None
    admin2: str | None = None
    geonames_id: int | str | None = None  # a GeoNames id, or a curated id ("wd:ain-al-asad")
    feature: str | None = None  # GeoNames feature code (PPLC, ADM1, PCLI, AIRB ...)
    precision: GeoPrecision = "unknown"
    anchor_offset: str | None = None  # "160 kilometers west of" when the span is an anchor


@dataclass(slots=True)
class Location:
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    geonames_id: int | str | None = None
    precision: GeoPrecision = "unknown"
    text: str | None = None

    @classmethod
    def from_place(cls, place: Place) -> Location:
        return cls(
            name=place.name,
            lat=place.lat,
            lon=place.lon,
            country=place.country,
            admin1=place.admin1,
            admin2=place.admin2,
            geonames_id=place.geonames_id,
            precision=place.precision,
            text=place.span.text,
        )


@dataclass(slots=True)
class Actor:
    name: str
    role: ActorRole
    inter: str | None = None
    text: str | None = None
    claimed: bool = False


@dataclass(slots=True)
class Weapon:
    name: str
    model: str | None = None
    count: int | None = None
    qualifier: str | None = None


@dataclass(slots=True)
class Claim:
    by: str | None
    kind: ClaimKind
    text: str
    start: int
    end: int
    document: str


@dataclass(slots=True)
class Evidence:
    document: str
    start: int
    end: int
    text: str
    field: str | None = None  # which field the span backs: trigger, actor1, weapon ...


@dataclass(slots=True)
class Conflict:
    """Sources that disagree about one field: each value with the documents that give it."""

    field: str
    values: dict[str, list[str]]  # the value as text -> ids of the documents that state it


@dataclass(slots=True)
class Event:
    id: str
    event_type: str
    sub_event_type: str
    plover: str | None = None
    date: Day | None = None
    date_end: Day | None = None
    date_precision: Precision = "unknown"
    date_text: str | None = None
    location: Location = field(default_factory=Location)
    actors: list[Actor] = field(default_factory=list)
    weapons: list[Weapon] = field(default_factory=list)
    fatalities: int | None = None
    injuries: int | None = None
    background: bool = False
    claims: list[Claim] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass(slots=True)
class Extraction:
    """One document and the events read from it."""

    document: Document
    events: list[Event]


# --- the contract's JSON form: the only place records become dicts and back ---


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def document_to_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "outlet": doc.outlet,
        "published": _iso(doc.published),
        "language": doc.language,
    }


def event_to_json(event: Event) -> dict[str, Any]:
    loc = event.location
    return {
        "id": event.id,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "plover": event.plover,
        "date": _iso(event.date),
        "date_end": _iso(event.date_end),
        "date_precision": event.date_precision,
        "date_text": event.date_text,
        "location": {
            "name": loc.name,
            "lat": loc.lat,
            "lon": loc.lon,
            "country": loc.country,
            "admin1": loc.admin1,
            "admin2": loc.admin2,
            "geonames_id": loc.geonames_id,
            "precision": loc.precision,
            "text": loc.text,
        },
        "actors": [
            {"name": a.name, "role": a.role, "inter": a.inter, "text": a.text, "claimed": a.claimed}
            for a in event.actors
        ],
        "weapons": [
            {"name": w.name, "model": w.model, "count": w.count, "qualifier": w.qualifier}
            for w in event.weapons
        ],
        "fatalities": event.fatalities,
        "injuries": event.injuries,
        "background": event.background,
        "claims": [
            {
                "by": c.by,
                "kind": c.kind,
                "text": c.text,
                "start": c.start,
                "end": c.end,
                "document": c.document,
            }
            for c in event.claims
        ],
        "evidence": [
            {
                "document": e.document,
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "field": e.field,
            }
            for e in event.evidence
        ],
        "sources": list(event.sources),
        "conflicts": [{"field": c.field, "values": c.values} for c in event.conflicts],
    }


def event_from_json(data: dict[str, Any]) -> Event:
    loc = data.get("location") or {}
    return Event(
        id=data["id"],
        event_type=data["event_type"],
        sub_event_type=data["sub_event_type"],
        plover=data.get("plover"),
        date=_day(data.get("date")),
        date_end=_day(data.get("date_end")),
        date_precision=data.get("date_precision", "unknown"),
        date_text=data.get("date_text"),
        location=Location(
            name=loc.get("name"),
            lat=loc.get("lat"),
            lon=loc.get("lon"),
            country=loc.get("country"),
            admin1=loc.get("admin1"),
            admin2=loc.get("admin2"),
            geonames_id=loc.get("geonames_id"),
            precision=loc.get("precision", "unknown"),
            text=loc.get("text"),
        ),
        actors=[
            Actor(a["name"], a["role"], a.get("inter"), a.get("text"), bool(a.get("claimed")))
            for a in data.get("actors", [])
        ],
        weapons=[
            Weapon(w["name"], w.get("model"), w.get("count"), w.get("qualifier"))
            for w in data.get("weapons", [])
        ],
        fatalities=data.get("fatalities"),
        injuries=data.get("injuries"),
        background=bool(data.get("background")),
        claims=[
            Claim(c.get("by"), c["kind"], c["text"], c["start"], c["end"], c["document"])
            for c in data.get("claims", [])
        ],
        evidence=[
            Evidence(e["document"], e["start"], e["end"], e["text"], e.get("field"))
            for e in data.get("evidence", [])
        ],
        sources=list(data.get("sources", [])),
        conflicts=[Conflict(c["field"], c["values"]) for c in data.get("conflicts", [])],
    )


def extraction_to_json(extraction: Extraction) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "document": document_to_json(extraction.document),
        "events": [event_to_json(e) for e in extraction.events],
    }


def time_to_json(document: str, expr: TimeExpression) -> dict[str, Any]:
    interval = expr.interval
    return {
        "document": document,
        "start": expr.span.start,
        "end": expr.span.end,
        "text": expr.span.text,
        "type": expr.type,
        "value": expr.value,
        "date": _iso(interval.start) if interval else None,
        "date_end": _iso(interval.end) if interval else None,
        "precision": interval.precision if interval else "unknown",
    }


def place_to_json(document: str, place: Place) -> dict[str, Any]:
    return {
        "document": document,
        "start": place.span.start,
        "end": place.span.end,
        "text": place.span.text,
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "geonames_id": place.geonames_id,
        "country": place.country,
        "admin1": place.admin1,
        "admin2": place.admin2,
        "feature": place.feature,
        "precision": place.precision,
        "offset": place.anchor_offset,
    }
