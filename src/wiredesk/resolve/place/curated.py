"""Readers for the analyst-editable data files in `wiredesk/data/places/`."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from wiredesk.resolve.place.text import fold

DATA_FILES = (
    "countries.tsv",
    "admin1.tsv",
    "regions.tsv",
    "facilities.tsv",
    "demonyms.tsv",
    "outlets.tsv",
    "lexicon.toml",
    "common_words.txt",
    "us_counties.tsv",
    "town_names.tsv",
    "towns.tsv",
)


def data_dir() -> Path:
    return Path(str(resources.files("wiredesk") / "data" / "places"))


def read_text(name: str) -> str:
    return (data_dir() / name).read_text(encoding="utf-8")


def data_digest() -> str:
    """A digest of every data file: a changed file gives a new index version."""
    h = hashlib.sha256()
    for name in DATA_FILES:
        h.update(name.encode())
        h.update((data_dir() / name).read_bytes())
    return h.hexdigest()[:12]


def rows(name: str) -> list[list[str]]:
    """The rows of a TSV data file, comments and blank lines skipped, cells stripped."""
    out: list[list[str]] = []
    for line in read_text(name).splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append([cell.strip() for cell in line.split("\t")])
    return out


def cell(row: list[str], i: int) -> str:
    return row[i] if i < len(row) else ""


def names_of(value: str) -> list[str]:
    return [n.strip() for n in value.split("|") if n.strip()]


def opt_float(value: str) -> float | None:
    return float(value) if value else None


@dataclass(frozen=True, slots=True)
class CuratedPlace:
    id: str
    name: str
    alternates: tuple[str, ...]
    feature: str
    country: str
    admin1: str
    icao: str
    lat: float | None
    lon: float | None


def facilities() -> list[CuratedPlace]:
    out = []
    for r in rows("facilities.tsv"):
        out.append(
            CuratedPlace(
                id=r[0],
                name=r[1],
                alternates=tuple(names_of(cell(r, 2))),
                feature=cell(r, 3) or "MILB",
                country=cell(r, 4),
                admin1=cell(r, 5),
                icao=cell(r, 6),
                lat=opt_float(cell(r, 7)),
                lon=opt_float(cell(r, 8)),
            )
        )
    return out


def regions() -> list[CuratedPlace]:
    out = []
    for r in rows("regions.tsv"):
        out.append(
            CuratedPlace(
                id=r[0],
                name=r[1],
                alternates=tuple(names_of(cell(r, 2))),
                feature=cell(r, 3) or "RGN",
                country=cell(r, 4),
                admin1="",
                icao="",
                lat=opt_float(cell(r, 5)),
                lon=opt_float(cell(r, 6)),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class CuratedAdmin1:
    country: str
    name: str
    alternates: tuple[str, ...]
    capital: str
    lat: float | None
    lon: float | None


def admin1() -> list[CuratedAdmin1]:
    return [
        CuratedAdmin1(
            country=r[0],
            name=r[1],
            alternates=tuple(names_of(cell(r, 2))),
            capital=cell(r, 3),
            lat=opt_float(cell(r, 4)),
            lon=opt_float(cell(r, 5)),
        )
        for r in rows("admin1.tsv")
    ]


def countries() -> dict[str, tuple[float | None, float | None, tuple[str, ...]]]:
    out: dict[str, tuple[float | None, float | None, tuple[str, ...]]] = {}
    for r in rows("countries.tsv"):
        out[r[0]] = (opt_float(cell(r, 1)), opt_float(cell(r, 2)), tuple(names_of(cell(r, 3))))
    return out


@cache
def lexicon() -> dict[str, Any]:
    return tomllib.loads(read_text("lexicon.toml"))


@cache
def folded_words(key: str) -> frozenset[str]:
    """One word list of `lexicon.toml`, folded the way the geoparser compares words."""
    return frozenset(fold(w) for w in lexicon()[key])


def alternation(key: str) -> str:
    """One word list of `lexicon.toml` as a regular expression alternation of its literal
    words, longest first."""
    return "|".join(map(re.escape, sorted(lexicon()[key], key=len, reverse=True)))


@cache
def demonym_places() -> dict[str, str]:
    """Lower-cased demonym -> what it names: an ISO2 code or another entry's id (wd:europe)."""
    out: dict[str, str] = {}
    for r in rows("demonyms.tsv"):
        for word in names_of(cell(r, 1)):
            out[word.lower()] = r[0]
    return out


def is_country_code(ref: str) -> bool:
    return len(ref) == 2 and ref.isalpha() and ref.isupper()


@cache
def demonyms() -> dict[str, str]:
    """Lower-cased demonym -> ISO2: a country's, or a nation's within a state whose line
    gives that state ('English' -> GB)."""
    out: dict[str, str] = {}
    for r in rows("demonyms.tsv"):
        iso = r[0] if is_country_code(r[0]) else cell(r, 2)
        for word in names_of(cell(r, 1)) if iso else ():
            out[word.lower()] = iso
    return out


def town_names() -> list[tuple[str, str, tuple[str, ...]]]:
    """(country, town, the extra names news uses for it) from town_names.tsv."""
    return [(r[0], r[1], tuple(names_of(cell(r, 2)))) for r in rows("town_names.tsv")]


@cache
def town_quarters() -> dict[tuple[str, str, str], frozenset[str]]:
    """(country, province, town) -> the folded names of its parts, from town_quarters.tsv."""
    return {
        (r[0], r[1], r[2]): frozenset(fold(n) for n in names_of(cell(r, 3)))
        for r in rows("town_quarters.tsv")
    }


def towns() -> list[tuple[str, str, str, int, float, float]]:
    """(country, province, name, population, lat, lon) of the towns in towns.tsv."""
    return [(r[0], r[1], r[2], int(r[3]), float(r[4]), float(r[5])) for r in rows("towns.tsv")]


def us_county_centroids() -> dict[str, tuple[float, float]]:
    """FIPS code -> the county's centroid (lat, lon)."""
    return {r[0]: (float(r[2]), float(r[3])) for r in rows("us_counties.tsv")}


@cache
def common_words() -> frozenset[str]:
    """Common lower-case English words (see common_words.txt)."""
    lines = read_text("common_words.txt").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def outlets() -> dict[str, str]:
    return {r[0].lower(): r[1] for r in rows("outlets.tsv")}
