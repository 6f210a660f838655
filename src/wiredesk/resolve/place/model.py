"""Kinds of gazetteer entries and flags of the name -> entry links."""

from __future__ import annotations

from typing import Final

from wiredesk.records import GeoPrecision

COUNTRY: Final = 0
ADMIN1: Final = 1
ADMIN2: Final = 2
TOWN: Final = 3
FACILITY: Final = 4
REGION: Final = 5
CONTINENT: Final = 6
WATER: Final = 7

KIND_NAMES: Final = (
    "country",
    "admin1",
    "admin2",
    "town",
    "facility",
    "region",
    "continent",
    "water",
)

PRECISION: Final[dict[int, GeoPrecision]] = {
    COUNTRY: "country",
    ADMIN1: "province",
    ADMIN2: "district",
    TOWN: "town",
    FACILITY: "facility",
    REGION: "province",
    CONTINENT: "unknown",
    WATER: "unknown",
}

# The `Place.feature` of a demonym or country adjective ("Russian"): a place that names its
# country (or region) as a modifier, never where an event happened.
DEMONYM_FEATURE: Final = "DEMONYM"

# Link flags: how a key names an entry.
PRIMARY: Final = 1  # the entry's own name (not an alternate)
UPPER: Final = 2  # an abbreviation: the text must be in capitals ("US", "UAE")
DOT: Final = 4  # an abbreviation that ends in a full stop in the text ("Calif.")
VARIANT: Final = 8  # a generated spelling variant, not in any source
STRIPPED: Final = 16  # the name with its kind word dropped ("Anbar" for "Anbar Governorate")
DEMONYM: Final = 32  # a demonym or adjective of the entry ("Iraqi" for Iraq)

# Id prefixes of entries from lists that are no curated places: an airfield of the airfield
# list, a town of towns.tsv (both count by their size, as a gazetteer town does).
UNCURATED_IDS: Final = ("wd:icao", "wd:town")


def curated_id(gid: int | str) -> bool:
    """Whether an entry id is that of a curated place (a country, region, facility ...)."""
    return isinstance(gid, str) and not gid.startswith(UNCURATED_IDS)
