"""Pairwise rules: whether two readings can report one incident, and how close they are.

A *reading* is one document's own record of an event. Two readings are *compatible* when
their structured fields agree (type family, dates by precision, place by precision, who
acted) and that agreement is strong enough to stand on (see `compatible`). Each linkable
reading also has a *reach*: a box in (day, latitude, longitude) that holds every reading it
can be compatible with, so that the store finds candidates through a spatial and temporal
index instead of scanning (`compatible(a, b)` implies that the reaches of `a` and `b`
intersect; a property test holds the two together).
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from wiredesk.records import GEO_PRECISION_RANK, Event, Location, distance_km
from wiredesk.resolve.actor import actor_dictionary, same_actor

__all__ = [
    "Reach",
    "Reading",
    "Relation",
    "affinity",
    "compatible",
    "conflict",
    "family",
    "is_same_incident",
    "place_agreement",
    "reach",
    "relate",
    "window",
]

# --- type families ---------------------------------------------------------------------

# Outlets code one violent incident differently (an IED "attack", a drone "strike", a raid as
# a "clash"), so the three violent types form one family; across types within it, linking
# asks for more (see `compatible`). Demonstrations (protests and riots) are one family; each
# strategic development is a family of its own sub-type (an arrest never joins an agreement).
_VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_DEMONSTRATIONS = frozenset({"Protests", "Riots"})


def family(event: Event) -> str:
    """The type family that candidate lookup filters on: only readings of one family link."""
    if event.event_type in _VIOLENT:
        return "political violence"
    if event.event_type in _DEMONSTRATIONS:
        return "demonstrations"
    return f"{event.event_type}/{event.sub_event_type}"


# --- dates ------------------------------------------------------------------------------

# One day either side of what a report states: "late on Saturday" in one outlet is "Sunday
# night" in another, and a time zone apart. Coarser precisions already span their period.
SLACK_DAYS = 1
# A report that gives no date speaks of the days before it was published.
UNDATED_DAYS = 7
_FINE_DATE_DAYS = 3  # a window this short (a stated day) is a precise date


def _period_end(day: date, precision: str) -> date:
    if precision == "week":
        return day + timedelta(days=6)
    if precision == "month":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == "year":
        return day.replace(month=12, day=31)
    if precision == "unknown":
        return day + timedelta(days=UNDATED_DAYS - 1)
    return day


def window(event: Event, published: date | None) -> tuple[date, date] | None:
    """The days the event may have happened on, slack included; None when nothing says.

    A dated event covers its date to `date_end` (or to the end of its week, month or year);
    an undated news report covers the week before publication; an undated background
    mention covers nothing (it cannot be placed in time, so it is never linked).
    """
    if event.date is not None:
        end = max(event.date_end or _period_end(event.date, event.date_precision), event.date)
        slack = timedelta(days=SLACK_DAYS)
        return event.date - slack, end + slack
    if published is not None and not event.background:
        return published - timedelta(days=UNDATED_DAYS), published
    return None


# --- places -----------------------------------------------------------------------------

_FINE_PLACES = frozenset({"facility", "town", "district"})
# Greatest distance at which two places of these precisions are one place. Two different
# towns 18 km apart (Nikopol and Marhanets) are two places; a base and the town it is
# named after or near are one.
_SAME_SPOT_KM = {
    ("facility", "facility"): 5.0,
    ("facility", "town"): 30.0,
    ("town", "town"): 10.0,
}
_DISTRICT_KM = 50.0  # any fine place against a district ("a village 12 km south of Kidal")
_SAME_NAME_KM = 50.0  # one id or name, resolved to two gazetteer entries close together
_PROVINCE_KM = 250.0  # a province-level place against any place near it
_ADMIN1_KM = 800.0  # the same province named on both sides, even a large one
# Half-size of a reading's reach, by its precision: for any two precisions p, q the pair's
# limit above is at most REACH_KM[p] + REACH_KM[q], which keeps `reach` a superset.
REACH_KM = {"facility": 25.0, "town": 25.0, "district": 50.0, "province": _ADMIN1_KM}

FINE, COARSE = 2, 1  # how well two places agree; 0 = they do not
TEXT_AGREES = 0.3  # evidence this alike (Jaccard of words) counts as one more agreement


def km(a: Location, b: Location) -> float:
    """Great-circle distance; infinite when either place has no coordinates."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _precision(loc: Location) -> str:
    """The precision a place can be compared at: `unknown` with a country is the country."""
    if loc.precision == "unknown":
        return "country" if loc.country else "unknown"
    if loc.precision in _FINE_PLACES and (loc.lat is None or loc.lon is None) and not loc.name:
        return "country" if loc.country else "unknown"
    return loc.precision


@lru_cache(maxsize=16384)  # place names recur in every comparison of their readings
def _norm(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "", (name or "").lower())


def place_agreement(a: Location, b: Location) -> int:
    """FINE when two places are one spot (by their precisions), COARSE when they agree only
    at province or country level, 0 when they differ or either is unknown."""
    return _place_agreement(a, b, km(a, b))


def _place_agreement(a: Location, b: Location, distance: float) -> int:
    pa, pb = _precision(a), _precision(b)
    if pa == "unknown" or pb == "unknown":
        return 0
    if a.country and b.country and a.country != b.country:
        return 0
    coarse = pa if GEO_PRECISION_RANK[pa] >= GEO_PRECISION_RANK[pb] else pb
    if coarse == "country":
        return COARSE if a.country and a.country == b.country else 0
    if coarse == "province":
        same_admin1 = bool(a.admin1) and _norm(a.admin1) == _norm(b.admin1)
        if (same_admin1 and (distance <= _ADMIN1_KM or math.isinf(distance))) or (
            distance <= _PROVINCE_KM
        ):
            return COARSE
        return 0
    same_id = a.geonames_id is not None and str(a.geonames_id) == str(b.geonames_id)
    same_name = bool(_norm(a.name)) and _norm(a.name) == _norm(b.name)
    if (same_id or same_name) and (distance <= _SAME_NAME_KM or math.isinf(distance)):
        return FINE
    if "district" in (pa, pb):
        limit = _DISTRICT_KM
    else:
        limit = _SAME_SPOT_KM[(pa, pb) if (pa, pb) in _SAME_SPOT_KM else (pb, pa)]
    return FINE if distance <= limit else 0


# --- readings ---------------------------------------------------------------------------


@dataclass(slots=True)
class Reading:
    """One document's own record of an event (its `sources` are that one document)."""

    document: str
    mention: str
    event: Event
    published: date | None = None
    _words: frozenset[str] | None = field(default=None, compare=False, repr=False)
    _days: tuple[date, date] | bool | None = field(default=False, compare=False, repr=False)
    _reach: Reach | bool | None = field(default=False, compare=False, repr=False)
    # (document, mention): what clustering sorts and caches by, read millions of times per
    # ingest, so kept rather than rebuilt on each read
    key: tuple[str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.key = (self.document, self.mention)

    @property
    def days(self) -> tuple[date, date] | None:
        """Its date window (`window`, computed once)."""
        if self._days is False:
            self._days = window(self.event, self.published)
        return self._days  # type: ignore[return-value]

    @property
    def words(self) -> frozenset[str]:
        """The words of its evidence and claims (computed once)."""
        if self._words is None:
            self._words = _words(self.event)
        return self._words


@dataclass(frozen=True, slots=True)
class Reach:
    """The box of (day, latitude, longitude) a reading can link within, and its family."""

    family: str
    day_lo: int  # proleptic Gregorian ordinals (date.toordinal)
    day_hi: int
    lat_lo: float = -90.0
    lat_hi: float = 90.0
    lon_lo: float = -180.0
    lon_hi: float = 180.0

    def union(self, other: Reach) -> Reach:
        return Reach(
            self.family,
            min(self.day_lo, other.day_lo),
            max(self.day_hi, other.day_hi),
            min(self.lat_lo, other.lat_lo),
            max(self.lat_hi, other.lat_hi),
            min(self.lon_lo, other.lon_lo),
            max(self.lon_hi, other.lon_hi),
        )

    def intersects(self, other: Reach) -> bool:
        return (
            self.family == other.family
            and self.day_lo <= other.day_hi
            and other.day_lo <= self.day_hi
            and self.lat_lo <= other.lat_hi
            and other.lat_lo <= self.lat_hi
            and self.lon_lo <= other.lon_hi
            and other.lon_lo <= self.lon_hi
        )


def linkable(reading: Reading) -> bool:
    """A reading links only when it can be placed in time and at least in a country."""
    event = reading.event
    return window(event, reading.published) is not None and _precision(event.location) != "unknown"


def reach(reading: Reading) -> Reach | None:
    """The reading's box, or None when it cannot link (see `linkable`); computed once."""
    if reading._reach is False:
        reading._reach = _reach(reading)
    return reading._reach  # type: ignore[return-value]


def _reach(reading: Reading) -> Reach | None:
    days = window(reading.event, reading.published)
    loc = reading.event.location
    precision = _precision(loc)
    if days is None or precision == "unknown":
        return None
    fam = family(reading.event)
    lo, hi = days[0].toordinal(), days[1].toordinal()
    radius = REACH_KM.get(precision)
    if radius is None or loc.lat is None or loc.lon is None:
        return Reach(fam, lo, hi)  # country level, or no coordinates: anywhere
    dlat = radius / 110.0
    lat_lo, lat_hi = max(-90.0, loc.lat - dlat), min(90.0, loc.lat + dlat)
    edge = max(abs(lat_lo), abs(lat_hi))
    cos = math.cos(math.radians(edge))
    if cos < 0.05:
        return Reach(fam, lo, hi, lat_lo, lat_hi)
    dlon = 1.2 * radius / (111.0 * cos)
    if loc.lon - dlon < -180.0 or loc.lon + dlon > 180.0:
        return Reach(fam, lo, hi, lat_lo, lat_hi)  # across the antimeridian: every longitude
    return Reach(fam, lo, hi, lat_lo, lat_hi, loc.lon - dlon, loc.lon + dlon)


# --- compatibility ----------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _same_actor(a: str, b: str) -> bool:
    return same_actor(a, b)


def _named(event: Event, role: str) -> str | None:
    actor = next((x for x in event.actors if x.role == role), None)
    return actor.name if actor is not None and not actor.claimed else None


# Actor types whose names identify one organisation: two of them acting are two groups (but
# not the generic ones, the "gunmen" or "bandits" of a country). Crowds, civilians and state
# forces are left out: outlets name them loosely ("protesters" and "rioters" for one crowd,
# the army for the police) and swap who acted on whom.
_ORGANISED = frozenset({"Rebel group", "Political militia", "Identity militia"})


@lru_cache(maxsize=4096)
def _generic_actor(name: str) -> bool:
    """Whether a name is a generic actor's, filled in with its country or without one
    ("Unidentified Armed Group (Mali)", "Bandits"): a kind of actor, not one organisation."""
    return bool(actor_dictionary().generic_fills(name))


def _group(event: Event) -> str | None:
    actor = next((x for x in event.actors if x.role == "actor1"), None)
    if actor is None or actor.claimed or actor.inter not in _ORGANISED:
        return None
    return None if _generic_actor(actor.name) else actor.name


def _actors_conflict(a: Event, b: Event) -> bool:
    """Both name the armed group that acted (not only by a claim) and the groups differ."""
    first, second = _group(a), _group(b)
    return first is not None and second is not None and not _same_actor(first, second)


def _actors_agree(a: Event, b: Event) -> bool:
    """Both name one actor as a side of the event, in whatever role: outlets swap who acted
    on whom ("troops hit by a roadside bomb" is the army as the target in one report and
    as the side that fought back in another)."""
    first = [name for role in ("actor1", "actor2") if (name := _named(a, role))]
    second = [name for role in ("actor1", "actor2") if (name := _named(b, role))]
    return any(_same_actor(x, y) for x in first for y in second)


def _fine_date(event: Event, days: tuple[date, date]) -> bool:
    return event.date is not None and (days[1] - days[0]).days <= _FINE_DATE_DAYS


def _adjacent_days(a: Event, b: Event) -> bool:
    """Two stated days at most `SLACK_DAYS` apart (the windows of two days overlap even two
    days apart); anything else, as far as the windows allow."""
    both_days = a.date_precision == "day" and b.date_precision == "day"
    if not both_days or a.date is None or b.date is None:
        return True
    return abs((a.date - b.date).days) <= SLACK_DAYS


_WORD = re.compile(r"[^\W\d_]{4,}")
_MIN_WORDS = 5


def _words(event: Event) -> frozenset[str]:
    texts = [e.text for e in event.evidence] + [c.text for c in event.claims]
    return frozenset(w.lower() for text in texts for w in _WORD.findall(text))


def text_similarity(a: Reading, b: Reading) -> float:
    """How alike the evidence reads: the Jaccard index of its words of four letters or more."""
    left, right = a.words, b.words
    if len(left) < _MIN_WORDS or len(right) < _MIN_WORDS:
        return 0.0  # a trigger word or two says nothing
    shared = len(left & right)
    return shared / (len(left) + len(right) - shared)  # the union's size


# Across the violent types, outlets confuse only the generic "attack" with a specific
# form of it: an IED, drone or shelling "attack", an "attack" that was a clash.
_GENERIC = ("Violence against civilians", "Attack")


def _types_can_differ(a: Event, b: Event) -> bool:
    if a.event_type == b.event_type:
        return True
    if a.event_type in _DEMONSTRATIONS and b.event_type in _DEMONSTRATIONS:
        # One crowd, one place, one day: a peaceful march to one outlet is a riot to another
        # that saw stones thrown (ACLED codes a demonstration by its place and day).
        return True
    pair = {(a.event_type, a.sub_event_type), (b.event_type, b.sub_event_type)}
    if _GENERIC not in pair:
        return False
    (other,) = pair - {_GENERIC}
    return other[0] == "Explosions/Remote violence" or other == ("Battles", "Armed clash")


class Relation(NamedTuple):
    """What holds between two readings (see `conflict`, `compatible` and `affinity`)."""

    conflict: bool
    compatible: bool
    affinity: float


_CONFLICT = Relation(True, False, 0.0)


def relate(a: Reading, b: Reading) -> Relation:
    """`conflict`, `compatible` and `affinity` of two readings at once."""
    ea, eb = a.event, b.event
    if family(ea) != family(eb) or not _types_can_differ(ea, eb):
        return _CONFLICT
    wa, wb = a.days, b.days
    if wa is None or wb is None or wa[0] > wb[1] or wb[0] > wa[1]:
        return _CONFLICT
    distance = km(ea.location, eb.location)
    place = _place_agreement(ea.location, eb.location, distance)
    if place == 0 or _actors_conflict(ea, eb):
        return _CONFLICT
    precise = _fine_date(ea, wa) and _fine_date(eb, wb)
    similar = text_similarity(a, b)
    if place == FINE:
        supported = ea.event_type == eb.event_type or precise
    elif ea.event_type == "Strategic developments" and _actors_agree(ea, eb):
        # A group's own decision ("suspends attacks"), told at country level; but one force
        # intercepts drones or makes arrests every day, so two stated days must be adjacent.
        supported = _adjacent_days(ea, eb)
    elif not precise or ea.event_type != eb.event_type:
        supported = False
    else:
        same_toll = ea.fatalities is not None and ea.fatalities == eb.fatalities
        supported = _actors_agree(ea, eb) or same_toll or similar >= TEXT_AGREES
    return Relation(False, supported, _affinity(ea, eb, place, similar, distance))


def conflict(a: Reading, b: Reading) -> bool:
    """Whether two readings cannot be one incident, whatever else is known. Any of:

    - different type families, or different violent types other than a generic attack
      against a specific form of one (an IED "attack" is an IED; an airstrike is not a
      takeover of a town); a protest and a riot may be one demonstration;
    - date windows that do not overlap (or a reading that has none);
    - places that differ by their precisions (`place_agreement`), or that are unknown;
    - two different armed groups named as the one who acted (claims aside; the generic
      "gunmen" or "bandits" of a country name no one group).
    """
    return relate(a, b).conflict


def compatible(a: Reading, b: Reading) -> bool:
    """Whether two readings are evidence of one incident: no `conflict`, and enough agreement
    to stand on:

    - one spot (`place_agreement` FINE); across event types, also a precise date on both;
    - or agreement only at province or country level, with a precise date on both, one event
      type and something more in common: an actor both name (in either role), the same
      death toll, or evidence that reads alike; a strategic development (one sub-type)
      needs only the same named actor, whatever the precision of its date (but two stated
      days at most a day apart: the same force intercepts drones every night).

    Readings that merely do not conflict can share an event only through a third reading
    compatible with both (see `cluster.partition`).
    """
    return relate(a, b).compatible


def affinity(a: Reading, b: Reading) -> float:
    """How close two readings are; orders the merges, never permits one."""
    ea, eb = a.event, b.event
    distance = km(ea.location, eb.location)
    place = _place_agreement(ea.location, eb.location, distance)
    return _affinity(ea, eb, place, text_similarity(a, b), distance)


def _affinity(ea: Event, eb: Event, place: int, similar: float, distance: float) -> float:
    score = 0.0
    if ea.sub_event_type == eb.sub_event_type:
        score += 3.0
    elif ea.event_type == eb.event_type:
        score += 1.0
    score += 2.0 * place / FINE
    if distance < math.inf:
        score += 1.0 / (1.0 + distance / 5.0)
    if ea.date and eb.date:
        score += 1.0 / (1.0 + abs((ea.date - eb.date).days))
        if ea.date_precision == eb.date_precision == "day" and ea.date == eb.date:
            score += 1.0
    names = {x.name for x in ea.actors} & {x.name for x in eb.actors}
    score += 0.5 * len(names)
    if ea.fatalities is not None and ea.fatalities == eb.fatalities:
        score += 0.5
    if ea.background == eb.background:
        score += 0.25
    return score + similar


def is_same_incident(a: Event, b: Event, published: date | None = None) -> bool:
    """Whether two event records can report one incident (`compatible` on bare events)."""
    source_a = a.sources[0] if a.sources else a.id
    source_b = b.sources[0] if b.sources else b.id
    return compatible(Reading(source_a, a.id, a, published), Reading(source_b, b.id, b, published))
