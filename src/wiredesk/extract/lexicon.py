"""The extractor's knowledge, compiled once from the data files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from wiredesk.knowledge import load_toml


def word_pattern(alternatives: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern for a word list, longest alternative first, on word edges."""
    ordered = sorted(alternatives, key=len, reverse=True)
    body = "|".join(f"(?:{a})" for a in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rule:
    event_type: str
    sub_event_type: str
    plover: str | None
    any: tuple[str, ...]
    all: tuple[str, ...]
    none: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    event_type_of: dict[str, str]  # sub-event type -> event type
    plover_of: dict[str, str]
    disorder_of: dict[str, str]  # event type -> ACLED disorder type
    inter_labels: dict[int, str]


@dataclass(frozen=True, slots=True)
class TriggerLexicon:
    cues: dict[str, re.Pattern[str]]
    rules: tuple[Rule, ...]
    filters: dict[str, re.Pattern[str]]


@dataclass(frozen=True, slots=True)
class WeaponKind:
    name: str
    model: str | None
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class CasualtyLexicon:
    numbers: dict[str, int]
    qualifiers: dict[str, str]
    victims: re.Pattern[str]
    killed: str  # regular-expression source, for composition
    injured: str
    none_both: re.Pattern[str]
    none_killed: re.Pattern[str]
    none_injured: re.Pattern[str]


@cache
def taxonomy() -> Taxonomy:
    data = load_toml("events/taxonomy.toml")
    event_type_of: dict[str, str] = {}
    plover_of: dict[str, str] = {}
    disorder_of: dict[str, str] = {}
    for event_type, spec in data["types"].items():
        disorder_of[event_type] = spec["disorder"]
        for sub_type, plover in spec["sub_types"].items():
            event_type_of[sub_type] = event_type
            plover_of[sub_type] = plover
    inter = {int(code): label for code, label in data["inter"].items()}
    return Taxonomy(event_type_of, plover_of, disorder_of, inter)


@cache
def triggers() -> TriggerLexicon:
    data = load_toml("events/triggers.toml")
    types = taxonomy()
    cues = {name: word_pattern(words) for name, words in data["cues"].items()}
    rules = []
    for spec in data["rule"]:
        sub_type = spec["sub_event_type"]
        if sub_type not in types.event_type_of:
            raise ValueError(f"events/triggers.toml: unknown sub-event type {sub_type!r}")
        for cue in (*spec.get("any", []), *spec.get("all", []), *spec.get("none", [])):
            if cue not in cues:
                raise ValueError(f"events/triggers.toml: rule for {sub_type!r} names no cue {cue!r}")
        rules.append(
            Rule(
                event_type=types.event_type_of[sub_type],
                sub_event_type=sub_type,
                plover=types.plover_of.get(sub_type),
                any=tuple(spec.get("any", [])),
                all=tuple(spec.get("all", [])),
                none=tuple(spec.get("none", [])),
            )
        )
    filters = {name: word_pattern(words) for name, words in data["filters"].items()}
    return TriggerLexicon(cues, tuple(rules), filters)


@cache
def weapons() -> tuple[WeaponKind, ...]:
    data = load_toml("events/weapons.toml")
    kinds = [WeaponKind(m["name"], m["model"], word_pattern(m["words"])) for m in data["model"]]
    kinds += [WeaponKind(w["name"], None, word_pattern(w["words"])) for w in data["weapon"]]
    return tuple(kinds)


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@cache
def casualties() -> CasualtyLexicon:
    data = load_toml("events/casualties.toml")
    words = data["words"]
    return CasualtyLexicon(
        numbers={k.lower(): int(v) for k, v in data["numbers"].items()},
        qualifiers=dict(data["qualifiers"]),
        victims=word_pattern(words["victims"]),
        killed=_alternation(words["killed"]),
        injured=_alternation(words["injured"]),
        none_both=word_pattern(words["none_both"]),
        none_killed=word_pattern(words["none_killed"]),
        none_injured=word_pattern(words["none_injured"]),
    )
