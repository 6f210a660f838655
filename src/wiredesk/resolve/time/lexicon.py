"""The tagger's word knowledge, read from the JSON files under `wiredesk/data/time/`.

A user's own files, in the directory named by the WIREDESK_TIME_DATA environment variable,
extend them (see `USER_DATA`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Unit:
    """A calendar unit: its TIMEX3 letter, whether it takes the `T` of clock units, a size."""

    name: str
    code: str
    clock: bool = False
    times: int = 1


@dataclass(frozen=True, slots=True)
class Offset:
    sign: int
    from_publication: bool


@dataclass(frozen=True, slots=True)
class Holiday:
    date: tuple[int, int] | None = None
    nth_weekday: tuple[int, int, int] | None = None
    easter: int | None = None
    election: bool = False
    hijri: tuple[int, int] | None = None  # month, day of the Islamic calendar
    hijri_month: int | None = None  # a whole Islamic month (Ramadan)


@dataclass(frozen=True, slots=True)
class Cues:
    """Context words (cues.json): tense cues and the words that make a bare name a time."""

    future_cues: frozenset[str]
    past_cues: frozenset[str]
    telling_verbs: frozenset[str]
    passive_before: frozenset[str]
    deadline_before: frozenset[str]
    adjective_before: frozenset[str]
    not_past: frozenset[str]
    abbreviations: frozenset[str]
    name_prepositions: frozenset[str]
    part_prepositions: frozenset[str]
    bare_unit_before: frozenset[str]
    long_span_before: frozenset[str]
    era_nouns: frozenset[str]
    day_verbs: frozenset[str]
    result_nouns: frozenset[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    months: dict[str, int]
    months_ambiguous: frozenset[str]
    weekdays: dict[str, int]
    weekday_epithets: frozenset[str]
    seasons: dict[str, str]
    season_months: dict[str, tuple[int, int]]
    parts_of_day: dict[str, str]
    parts_of_named_day: frozenset[str]
    clock_words: dict[str, str]
    timezones: dict[str, str | None]
    quarters: dict[str, int]
    halves: dict[str, int]
    decades: dict[str, int]
    number_units: dict[str, int]
    number_tens: dict[str, int]
    number_scales: dict[str, int]
    ordinals: dict[str, int]
    vague: frozenset[str]
    fractions: dict[str, float]
    units: dict[str, Unit]  # singular and plural spellings
    vague_codes: dict[str, str]
    sets: dict[str, str]
    set_adjectives: frozenset[str]
    deictic_days: dict[str, int]
    deictic_parts: dict[str, str]
    refs: dict[str, str]
    ref_adjectives: dict[str, str]
    ref_adjective_nouns: frozenset[str]
    period_adjectives: dict[str, str]
    period_nouns: frozenset[str]
    shift: dict[str, int]
    anchored_shift: dict[str, int]
    offsets: dict[str, Offset]
    event_signals: dict[str, int]
    mods: dict[str, str]
    approx: dict[str, str]
    holidays: dict[str, Holiday]
    weak_starts: frozenset[str]
    cues: Cues
    glue: frozenset[str]


# A directory of JSON files with the same names as the packaged ones; what they hold is added
# to the packaged words (new holidays, more trigger words). Read once, at first use.
USER_DATA = "WIREDESK_TIME_DATA"


def _read(name: str) -> dict[str, Any]:
    text = resources.files("wiredesk").joinpath("data", "time", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    folder = os.environ.get(USER_DATA)
    if folder and (Path(folder) / name).is_file():
        _extend(data, json.loads((Path(folder) / name).read_text(encoding="utf-8")))
    return data


def _extend(base: dict[str, Any], extra: dict[str, Any]) -> None:
    """Add `extra` to `base`: tables merge, lists grow, other values are replaced."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _extend(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = base[key] + [v for v in value if v not in base[key]]
        else:
            base[key] = value


def _units(data: dict[str, Any]) -> dict[str, Unit]:
    units = {
        name: Unit(name, spec["code"], bool(spec.get("clock", False)), int(spec.get("times", 1)))
        for name, spec in data["units"].items()
    }
    units.update({plural: units[singular] for plural, singular in data["plurals"].items()})
    return units


def _holiday(spec: dict[str, Any]) -> Holiday:
    fixed = spec.get("date")
    nth = spec.get("nth_weekday")
    return Holiday(
        date=(fixed[0], fixed[1]) if fixed else None,
        nth_weekday=(nth[0], nth[1], nth[2]) if nth else None,
        easter=spec.get("easter"),
        election=bool(spec.get("election", False)),
        hijri=(spec["hijri"][0], spec["hijri"][1]) if spec.get("hijri") else None,
        hijri_month=spec.get("hijri_month"),
    )


@cache
def lexicon() -> Lexicon:
    """The packaged lexicon, read once."""
    cal = _read("calendar.json")
    num = _read("numbers.json")
    uni = _read("units.json")
    rel = _read("relative.json")
    hol = _read("holidays.json")
    return Lexicon(
        months=cal["months"],
        months_ambiguous=frozenset(cal["months_ambiguous"]),
        weekdays=cal["weekdays"],
        weekday_epithets=frozenset(cal["weekday_epithets"]),
        seasons=cal["seasons"],
        season_months={k: (v[0], v[1]) for k, v in cal["season_months"].items()},
        parts_of_day=cal["parts_of_day"],
        parts_of_named_day=frozenset(cal["parts_of_named_day"]),
        clock_words=cal["clock_words"],
        timezones=cal["timezones"],
        quarters=cal["quarters"],
        halves=cal["halves"],
        decades=cal["decades"],
        number_units=num["units"],
        number_tens=num["tens"],
        number_scales=num["scales"],
        ordinals=num["ordinals"],
        vague=frozenset(num["vague"]),
        fractions=num["fractions"],
        units=_units(uni),
        vague_codes=uni["vague_codes"],
        sets=uni["sets"],
        set_adjectives=frozenset(uni["set_adjectives"]),
        deictic_days=rel["deictic_days"],
        deictic_parts=rel["deictic_parts"],
        refs=rel["refs"],
        ref_adjectives=rel["ref_adjectives"],
        ref_adjective_nouns=frozenset(rel["ref_adjective_nouns"]),
        period_adjectives=rel["period_adjectives"],
        period_nouns=frozenset(rel["period_nouns"]),
        shift=rel["shift"],
        anchored_shift=rel["anchored_shift"],
        offsets={
            k: Offset(v["sign"], v["from"] == "publication") for k, v in rel["offsets"].items()
        },
        event_signals=rel["event_signals"],
        mods=rel["mods"],
        approx=rel["approx"],
        holidays={k: _holiday(v) for k, v in hol["holidays"].items()},
        weak_starts=frozenset(rel["weak_starts"]),
        cues=Cues(**{k: frozenset(v) for k, v in _read("cues.json").items() if k[0] != "_"}),
        glue=frozenset(rel["glue"]),
    )


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words` (lower case), as a trie so that a failed match is cheap.

    A space in a word matches any run of white space.
    """
    root: dict[str, Any] = {}
    for word in set(words):
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return "(?:" + _trie(root) + ")"


def _trie(node: dict[str, Any]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def normal(text: str) -> str:
    """Lower case with white space folded and curly apostrophes straightened, for lookups."""
    return " ".join(text.lower().replace("’", "'").split())
