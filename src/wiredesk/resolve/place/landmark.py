"""Named landmarks the gazetteer does not hold: "Royal Street", "Holy Redeemer Church",
"Cloverhill District Court".

A run of capitalised words that ends in a landmark word (street, church, school, court ...;
`landmark_heads` in lexicon.toml) names a place in the town the document is about: the town
it mentions most (the first of them on a tie). Such a landmark is returned with that town's
coordinates, country and province, `precision == "facility"` and `feature == LANDMARK_FEATURE`.
A landmark that holds a place name ("Hartford Hospital", "Texas Southern University") is
left to that name, which says where it is.
A document that names no town gets no landmarks: there is nothing to place them in.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from wiredesk.records import Place, Span
from wiredesk.resolve.place import curated
from wiredesk.resolve.place.model import DEMONYM_FEATURE
from wiredesk.resolve.place.text import fold

# The `Place.feature` of a landmark placed at the town of its document.
LANDMARK_FEATURE = "LANDMARK"

_WORD = r"(?:[A-Z][\w'’&-]*|\d+(?:st|nd|rd|th)?)"
_RUN = re.compile(rf"{_WORD}(?:[ \t]+(?:(?:of|the|de|del|la|le|du|des)[ \t]+)?{_WORD})*")
_TOKEN = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n])[\s\"'“‘(]*$")
_ARTICLES = frozenset(["the", "a", "an"])
_TOWN_PRECISION = ("town", "district")


@cache
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    lex = curated.lexicon()
    heads = frozenset(fold(w) for w in lex["landmark_heads"])
    generic = frozenset(fold(w) for w in lex["landmark_generic"])
    stop = frozenset(fold(w) for w in lex["stop_words"])
    return heads, generic, stop


def _landmark_spans(text: str) -> list[tuple[int, int]]:
    heads, generic, stop = _words()
    spans = []
    for run in _RUN.finditer(text):
        tokens = [
            (m.start() + run.start(), m.end() + run.start(), m.group())
            for m in _TOKEN.finditer(run.group())
        ]
        words = [fold(_POSSESSIVE.sub("", t[2])) for t in tokens]
        last = max((i for i, w in enumerate(words) if w in heads), default=-1)
        if last < 1:
            continue
        # "Britain's High Court", "Utah's Zion National Park": the landmark follows the owner
        first = max((i + 1 for i in range(last) if _POSSESSIVE.search(tokens[i][2])), default=0)
        while first < last and (
            words[first] in _ARTICLES
            or (words[first] in stop and _SENTENCE_START.search(text, 0, tokens[first][0]))
        ):
            first += 1  # "The Third Presbyterian Church", "In Royal Street ..."
        names = words[first:last]
        if not names or all(w in generic or w in heads for w in names):
            continue  # "High School", "Supreme Court": which one is not said
        owner = _POSSESSIVE.search(tokens[last][2])  # "Royal Street's"
        end = tokens[last][1] - (len(owner.group()) if owner else 0)
        spans.append((tokens[first][0], end))
    return spans


def _focal_town(places: list[Place]) -> Place | None:
    towns = [
        p
        for p in places
        if p.precision in _TOWN_PRECISION and p.lat is not None and p.feature != DEMONYM_FEATURE
    ]
    if not towns:
        return None
    counts = Counter(p.name for p in towns)
    best = max(counts.values())
    return next(p for p in towns if counts[p.name] == best)


def add_landmarks(text: str, places: list[Place]) -> list[Place]:
    """`places` with the document's landmarks added (and the names inside them dropped)."""
    spans = _landmark_spans(text)
    if not spans:
        return places
    # A place name inside ("Hartford Hospital", "Texas Southern University", "British
    # Embassy") already says where the landmark is; so does a gazetteer facility.
    kept_spans = [
        (start, end)
        for start, end in spans
        if not any(p.span.start < end and start < p.span.end for p in places)
    ]
    if not kept_spans:
        return places
    town = _focal_town(places)
    if town is None:
        return places
    landmarks = [
        Place(
            span=Span(s, e, text[s:e]),
            name=text[s:e],
            lat=town.lat,
            lon=town.lon,
            country=town.country,
            admin1=town.admin1,
            admin2=town.admin2,
            feature=LANDMARK_FEATURE,
            precision="facility",
        )
        for s, e in kept_spans
    ]
    return sorted(places + landmarks, key=lambda p: p.span.start)
