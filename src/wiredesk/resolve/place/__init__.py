"""Offline geoparser: find place names in news text and resolve them to coordinates.

>>> from wiredesk.resolve.place import parse_places
>>> [p.name for p in parse_places("Rockets hit Ain al-Asad air base in Anbar province.")]
['Ain al-Asad Air Base', 'Anbar']
"""

from __future__ import annotations

from wiredesk.records import Place
from wiredesk.resolve.place.event import event_place
from wiredesk.resolve.place.geonames import import_geonames
from wiredesk.resolve.place.geoparser import Geoparser, demonym_country, parse_places
from wiredesk.resolve.place.model import DEMONYM_FEATURE
from wiredesk.resolve.place.unlisted import focal_town


def is_demonym(place: Place) -> bool:
    """A country named by its adjective ("Turkish"): an actor's country, never an event's place."""
    return place.feature == DEMONYM_FEATURE


__all__ = [
    "Geoparser",
    "demonym_country",
    "event_place",
    "focal_town",
    "import_geonames",
    "is_demonym",
    "parse_places",
]
