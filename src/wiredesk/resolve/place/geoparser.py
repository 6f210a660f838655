"""The geoparser: detection, ranking and the `Place` records handed to the extractor.

Demonyms and country adjectives ("Russian", "Iraqis", "European") are returned as places
too, resolved to the country (or region) they name, with `feature == DEMONYM` (see
`model.DEMONYM_FEATURE`) and the precision of what they name. They tell which countries a
document is about and who an actor is, but an event never happens *at* a demonym:
`event_place` never chooses one, and consumers that want only literal places drop them.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from functools import cache
from pathlib import Path

from wiredesk.records import Place, Span
from wiredesk.resolve.place import curated, model
from wiredesk.resolve.place.detect import Mention, detect
from wiredesk.resolve.place.index import PlaceIndex, index_path
from wiredesk.resolve.place.model import DEMONYM_FEATURE
from wiredesk.resolve.place.quarters import place_quarters
from wiredesk.resolve.place.rank import misplaced, rank
from wiredesk.resolve.place.text import fold
from wiredesk.resolve.place.unlisted import add_unlisted

_LOCK = threading.Lock()
_BORDER = re.compile(
    r"\b(?P<offset>(?:near|along|on|at|across|close to|towards?|by)\s+the)\s+"
    r"(?P<place>(?P<demonym>[A-Z][a-z]+)(?:\s*[-–/]\s*[A-Z][a-z]+)?\s+(?:border|frontier))\b"
)


def load_index(rebuild: bool = False) -> PlaceIndex:
    """The compiled index from the cache directory, built there first if missing or stale."""
    path = index_path()
    with _LOCK:
        if path.exists() and not rebuild:
            try:
                index = PlaceIndex.load(path)
            except (OSError, EOFError, TypeError, AttributeError, ValueError):
                pass  # a damaged or foreign file: build again
            else:
                with contextlib.suppress(OSError):  # a read-only cache is still usable
                    os.utime(path)  # its time says when it was last used
                return index
        # Building needs numpy and the source packages, which a loaded index does not.
        from wiredesk.resolve.place.build import build_index

        index = build_index()
        drop_stale_indexes(path)
        index.save(path)
        return index


# Indexes of other data versions kept beside the current one, so that two installs sharing
# a cache (a release and a checkout, or two checkouts) do not rebuild each other's in turn.
KEPT_OTHER_INDEXES = 2


def drop_stale_indexes(current: Path) -> None:
    """Delete the cached indexes of other data versions but the most recently used few."""
    others = [p for p in current.parent.glob("index-*.pkl") if p != current]
    others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in others[KEPT_OTHER_INDEXES:]:
        stale.unlink(missing_ok=True)


def outlet_country(outlet: str | None) -> str | None:
    if not outlet:
        return None
    key = outlet.strip().lower()
    key = re.sub(r"^https?://", "", key).split("/")[0].removeprefix("www.")
    return curated.outlets().get(key)


class Geoparser:
    """Finds and resolves every place name in a text."""

    def __init__(self, index: PlaceIndex) -> None:
        self.index = index

    @classmethod
    def default(cls) -> Geoparser:
        return _default()

    def mentions(self, text: str, outlet: str | None = None) -> list[tuple[Mention, int]]:
        """Detected mentions and the entry chosen for each (for tools and benchmarks)."""
        found = detect(self.index, text)
        if not found:
            return []
        country = outlet_country(outlet)
        chosen = rank(self.index, text, found, country)
        drop = misplaced(self.index, text, found, chosen, country)
        return [(m, e) for i, (m, e) in enumerate(zip(found, chosen, strict=True)) if i not in drop]

    def parse(self, text: str, outlet: str | None = None) -> list[Place]:
        places = [self.place(text, m, e) for m, e in self.mentions(text, outlet)]
        borders = self._borders(text, [p for p in places if p.feature != DEMONYM_FEATURE])
        if borders:
            places = [p for p in places if not any(_overlap(p.span, b.span) for b in borders)]
            places.extend(borders)
        places.sort(key=lambda p: p.span.start)
        return add_unlisted(text, place_quarters(text, places))

    def place(self, text: str, mention: Mention, entry: int) -> Place:
        ix = self.index
        kind = ix.kind[entry]
        a1 = ix.admin1[entry]
        return Place(
            span=Span(mention.start, mention.end, text[mention.start : mention.end]),
            name=ix.names[entry],
            lat=ix.lat[entry],
            lon=ix.lon[entry],
            country=ix.country[entry] or None,
            admin1=ix.admin1_names[a1] if a1 >= 0 else None,
            admin2=ix.admin2[entry] or None,
            geonames_id=ix.gid[entry],
            feature=DEMONYM_FEATURE if mention.demonym else ix.feature[entry] or None,
            precision=model.PRECISION[kind],
            anchor_offset=mention.offset,
        )

    def _borders(self, text: str, places: list[Place]) -> list[Place]:
        """'near the Syrian border': the country as an anchor, the phrase as its offset."""
        out: list[Place] = []
        if "border" not in text and "frontier" not in text:
            return out  # the words every such phrase ends in: a cheap test before the pattern
        taken = [(p.span.start, p.span.end) for p in places]
        for m in _BORDER.finditer(text):
            iso = demonym_country(m.group("demonym"))
            entry = self.index.country_entry.get(iso or "")
            if entry is None:
                continue
            start, end = m.span("place")
            if any(start < e and s < end for s, e in taken):
                continue
            name = text[start:end]
            mention = Mention(start, end, name, fold(name), [(entry, 0)])
            mention.offset = f"{m.group('offset')} border of"
            out.append(self.place(text, mention, entry))
        return out


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


@cache
def _default() -> Geoparser:
    return Geoparser(load_index())


def parse_places(text: str, outlet: str | None = None) -> list[Place]:
    return Geoparser.default().parse(text, outlet)


def demonym_country(word: str) -> str | None:
    """'Turkish' -> 'TR', 'Iraqis' -> 'IQ'; None when the word is no demonym."""
    return curated.demonyms().get(word.strip().lower())
