"""ACLED's export columns, filled from an event record; what wiredesk lacks stays empty."""

from __future__ import annotations

from functools import cache

import pycountry

from wiredesk.extract.lexicon import taxonomy
from wiredesk.records import Event

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

_TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
_GEO_PRECISION = {"facility": 1, "town": 1, "district": 2, "province": 3}


@cache
def _inter_codes() -> dict[str, int]:
    return {label: code for code, label in taxonomy().inter_labels.items()}


def acled_row(event: Event, outlets: dict[str, str] | None = None) -> dict[str, str]:
    """One CSV row in ACLED's columns. `outlets` maps document ids to outlet names."""
    row = dict.fromkeys(ACLED_COLUMNS, "")
    loc = event.location
    country = pycountry.countries.get(alpha_2=loc.country) if loc.country else None
    roles = {a.role: a for a in event.actors}
    codes = _inter_codes()
    row.update(
        event_id_cnty=event.id,
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        disorder_type=taxonomy().disorder_of.get(event.event_type, ""),
        admin1=loc.admin1 or "",
        admin2=loc.admin2 or "",
        location=loc.name or "",
        notes=_notes(event),
        fatalities="" if event.fatalities is None else str(event.fatalities),
    )
    if event.date:
        row["event_date"] = event.date.isoformat()
        row["year"] = str(event.date.year)
        precision = _TIME_PRECISION.get(event.date_precision)
        row["time_precision"] = str(precision) if precision else ""
    if country is not None:
        row["iso"] = str(int(country.numeric))
        row["country"] = str(getattr(country, "common_name", None) or country.name)
    if loc.lat is not None and loc.lon is not None:
        row["latitude"], row["longitude"] = f"{loc.lat:.4f}", f"{loc.lon:.4f}"
        geo = _GEO_PRECISION.get(loc.precision)
        row["geo_precision"] = str(geo) if geo else ""
    inter_codes: list[int] = []
    for role, column, inter_column in (
        ("actor1", "actor1", "inter1"),
        ("actor2", "actor2", "inter2"),
    ):
        actor = roles.get(role)  # type: ignore[call-overload]
        if actor is None:
            continue
        row[column] = actor.name
        code = codes.get(actor.inter or "")
        if code is not None:
            row[inter_column] = str(code)
            inter_codes.append(code)
    for role in ("assoc_actor_1", "assoc_actor_2"):
        actor = roles.get(role)  # type: ignore[call-overload]
        if actor is not None:
            row[role] = actor.name
    if len(inter_codes) == 2:
        row["interaction"] = "".join(str(c) for c in sorted(inter_codes))
    elif len(inter_codes) == 1 and "actor1" in roles:
        row["interaction"] = f"{inter_codes[0]}0"
    if outlets:
        row["source"] = "; ".join(sorted({outlets[s] for s in event.sources if s in outlets}))
    return row


def _notes(event: Event) -> str:
    """ACLED's notes column: the sentences the event was read from."""
    triggers = [e.text for e in event.evidence if e.field == "claim"] or [
        e.text for e in event.evidence if e.field == "trigger"
    ]
    return " | ".join(dict.fromkeys(triggers))
