"""Parts of a town that share their name with a town elsewhere.

"Pittsburgh's Allentown neighborhood" or "the Allentown section of Pittsburgh" say that
Allentown is in Pittsburgh, and so does town_quarters.tsv (the parts of towns that news
names alone) in a document that names Pittsburgh; every mention of that name in the
document is then put at the town the text names for it (not at Allentown, Pennsylvania,
400 km away), with `feature == UNLISTED_FEATURE`. The words that make a name a part of a
town are `quarter_words` in lexicon.toml."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from wiredesk.records import Place, Span, distance_km
from wiredesk.resolve.place import curated
from wiredesk.resolve.place.model import DEMONYM_FEATURE
from wiredesk.resolve.place.text import fold
from wiredesk.resolve.place.unlisted import UNLISTED_FEATURE

# A part of a town this near the town may well be the gazetteer's own entry for it.
_SAME_PLACE_KM = 25.0
_CONTAINER_AFTER = re.compile(r"\s*,\s*[A-Z]|\s+in\s+[A-Z]")
_NAME = r"(?P<name>[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2})"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """'<town>'s <name> <quarter word>' (the town ends right before) and 'the <name>
    <quarter word> of <town>' (the town starts right after)."""
    kind = "(?:" + curated.alternation("quarter_words") + ")s?"
    owned = re.compile(rf"['’]s[ \t]+{_NAME}[ \t]+{kind}\b")
    # "the" comes first and its word boundary is tested after it: a pattern that opens with
    # a literal is searched for by skipping to each "the", which costs far less
    of_town = re.compile(
        rf"the(?<=\bthe)[ \t]+{_NAME}[ \t]+{kind}[ \t]+of[ \t]+(?:the[ \t]+city[ \t]+of[ \t]+)?"
    )
    return owned, of_town


def place_quarters(text: str, places: list[Place]) -> list[Place]:
    """The places with every mention of a town's named part moved to that town."""
    towns = [p for p in places if p.precision == "town" and p.feature != DEMONYM_FEATURE]
    found = _known_quarters(text, places, towns)
    if any(w in text for w in curated.lexicon()["quarter_words"]):
        ends = {p.span.end: p for p in towns}
        starts = {p.span.start: p for p in towns}
        owned, of_town = _patterns()
        for m in owned.finditer(text):
            town = ends.get(m.start())
            if town is not None:
                found.append((*m.span("name"), town))
        for m in of_town.finditer(text):
            town = starts.get(m.end())
            if town is not None:
                found.append((*m.span("name"), town))
    if not found:
        return places
    out = list(places)
    for start, end, town in found:
        key = fold(text[start:end])
        if town.lat is None or town.lon is None or fold(town.span.text) == key:
            continue
        if any(
            p.feature == DEMONYM_FEATURE and p.span.start < end and start < p.span.end for p in out
        ):
            continue  # "the Kurdish enclave of Afrin": a people's part, not a named one
        same = [p for p in out if fold(p.span.text) == key and p.feature != DEMONYM_FEATURE]
        if any(
            p.lat is not None
            and p.lon is not None
            and distance_km(p.lat, p.lon, town.lat, town.lon) <= _SAME_PLACE_KM
            for p in same
        ):
            continue  # the gazetteer knows the part ("Brooklyn" of New York)
        part = replace(
            town,
            name=text[start:end],
            geonames_id=None,
            feature=UNLISTED_FEATURE,
            anchor_offset=None,
        )
        out = [p for p in out if not (p.span.start < end and start < p.span.end) or p is town]
        out = [replace(part, span=p.span) if p in same else p for p in out]
        out.append(replace(part, span=Span(start, end, text[start:end])))
    out.sort(key=lambda p: p.span.start)
    return out


def _known_quarters(
    text: str, places: list[Place], towns: list[Place]
) -> list[tuple[int, int, Place]]:
    """Mentions of a part of a town the document names, as town_quarters.tsv lists them
    ("Capitol Hill" in a report from Salt Lake City), unless a mention of that name is
    followed by the name of where it is ("Allentown, Pa.", "Capitol Hill in Washington"):
    there it is that place."""
    table = curated.town_quarters()
    found: list[tuple[int, int, Place]] = []
    for town in towns:
        parts = table.get((town.country or "", town.admin1 or "", town.name))
        if not parts:
            continue
        for p in places:
            key = fold(p.span.text)
            if key in parts and not any(
                _CONTAINER_AFTER.match(text, q.span.end) for q in places if fold(q.span.text) == key
            ):
                found.append((p.span.start, p.span.end, town))
    return found
