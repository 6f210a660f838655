"""The extractor's knowledge, compiled once from the data files."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from wiredesk.knowledge import load_toml
from wiredesk.nlp.wordscan import (
    WordHeads,
    gate,
    literal_start,
    matches_at,
    opened_by,
    word_pattern,
)

# The key of a word list in an index of word lists: a name, or a position in a tuple.
K = TypeVar("K", str, int)
# The characters that case-insensitive patterns and `str.lower` fold apart: "ı" and "ſ"
# match "i" and "s", and "İ" lowers to two characters.
FOLDED_APART = frozenset("ıſİ")


def lower_case(text: str) -> str | None:
    """A text in lower case, at the same offsets, where a case-sensitive pattern in lower
    case matches what it matches case-insensitively in the text; None where it may not."""
    return text.lower() if text.isascii() or FOLDED_APART.isdisjoint(text) else None


# What a regular expression writes with capitals that is no letter it matches: escapes
# ("\S") and named groups ("(?P<at>").
_CASED_SYNTAX = re.compile(r"\\[A-Za-z]|\(\?P[<=]")


def require_lower_case(pattern: str, where: str) -> None:
    """Refuse a data file's pattern with a capital letter to match: it is matched
    case-sensitively in lower-cased text (`lower_case`), where a capital never matches."""
    letters = _CASED_SYNTAX.sub("", pattern)
    if letters != letters.lower():
        raise ValueError(f"{where}: write {pattern!r} in lower case")


@dataclass(frozen=True, slots=True)
class Rule:
    """One trigger rule of events/triggers.toml (see the comments at the top of that file)."""

    event_type: str
    sub_event_type: str
    plover: str | None
    any: tuple[str, ...]
    all: tuple[str, ...]
    none: tuple[str, ...]
    near: tuple[str, ...] = ()  # one word of one of these lists within `window` of the trigger
    window: int = 0
    agent: tuple[str, ...] = ()  # the role list (or "unknown") the trigger's doer must come from
    patient: tuple[str, ...] = ()  # the same, for whom or what it was done to
    group: str | None = None  # rules of one group compete: the earliest trigger wins


@dataclass(frozen=True, slots=True)
class Taxonomy:
    event_type_of: dict[str, str]  # sub-event type -> event type
    plover_of: dict[str, str]
    disorder_of: dict[str, str]  # event type -> ACLED disorder type
    inter_labels: dict[int, str]


@dataclass(frozen=True, slots=True)
class Roles:
    """How the doer and the done-to of a trigger are read: the word lists that can fill a
    role, and the words that mark a trigger as passive ("was shelled", "came under fire")."""

    lists: tuple[str, ...]
    passive_before: re.Pattern[str]  # matches the end of the text before a passive trigger
    passive_trigger: re.Pattern[str]  # a trigger that is passive in itself
    agent_after: re.Pattern[str]  # what joins a passive trigger to its doer ("... by")
    agent_gap: int  # how far after the trigger that joining word may come
    agent_reach: int  # how far before an active trigger its doer may stand
    oblique: re.Pattern[str]  # matches the end of the text before a role word a preposition governs
    conjunction: re.Pattern[str]  # the whole gap between two role words of one coordinated doer


@dataclass(frozen=True, slots=True)
class TriggerLexicon:
    cues: dict[str, re.Pattern[str]]
    # The first one to four letters every match of a cue list starts with (None: not
    # known): a list is tried only at the words of a clause that start so (see wordscan).
    gates: dict[str, frozenset[str] | None]
    # A word's head (`wordscan.word_heads`) -> the cue lists it can start, with the lists
    # that have no gate (tried on every clause).
    cues_of_head: ListsOfHead[str]
    rules: tuple[Rule, ...]
    filters: dict[str, re.Pattern[str]]
    filters_of_head: ListsOfHead[str]  # the same, for the filters
    triggering: tuple[str, ...]  # the cue lists some rule triggers on (its `any`)
    rules_of: dict[str, tuple[int, ...]]  # a triggering cue list -> the rules it triggers, by index
    roles: Roles
    clause_break: re.Pattern[str]  # where a sentence's sub-clauses start
    # The same, case-sensitive, for a sentence in lower case (`lower_case`): the same
    # matches, found faster.
    lowered_clause_break: re.Pattern[str]
    filter_window: int  # how far before a trigger a modal or denial word governs it
    default_window: int  # `window` of a rule with `near` and no window of its own
    story_of: dict[str, str]  # sub-event type -> the story it tells (one sentence, one each)
    consequences: tuple[str, ...]  # cues that never start a second event in a sentence


class ListsOfHead(dict[str, tuple[K, ...]]):
    """A word's head -> the word lists (by their keys) whose gate holds one of its first one
    to four letters, worked out the first time the head is looked up (a plain lookup after
    that); with the lists that have no gate, tried everywhere."""

    __slots__ = ("opened_by", "ungated")
    opened_by: dict[str, tuple[K, ...]]  # a word start -> the lists whose gate holds it
    ungated: frozenset[K]

    def __init__(self, opened_by: dict[str, tuple[K, ...]], ungated: Iterable[K]) -> None:
        super().__init__()
        self.opened_by = opened_by
        self.ungated = frozenset(ungated)

    def __missing__(self, head: str) -> tuple[K, ...]:
        opened_by = self.opened_by
        keys = set[K]().union(*(opened_by.get(head[:size], ()) for size in range(1, len(head) + 1)))
        found = self[head] = tuple(sorted(keys))
        return found

    def starts(self, heads: WordHeads) -> dict[K, list[int]]:
        """The lists some word of a text can start, each with where those words start, in
        order, from the heads of the text's words (`wordscan.word_heads`)."""
        starts: dict[K, list[int]] = {}
        for position, head in heads:
            for key in self[head]:
                found = starts.get(key)
                if found is None:
                    starts[key] = [position]
                else:
                    found.append(position)
        return starts

    def find(
        self,
        starts: dict[K, list[int]],
        key: K,
        pattern: re.Pattern[str],
        text: str,
        start: int = 0,
        end: int | None = None,
    ) -> Iterator[re.Match[str]]:
        """`pattern.finditer(text, start, end)` for the word list `key`, tried only at the
        words that can start it (`starts` of the text), or everywhere when it has no gate."""
        stop = len(text) if end is None else end
        positions = starts.get(key)
        if positions is not None:
            return matches_at(pattern, text, positions, start, stop)
        if key in self.ungated:
            return pattern.finditer(text, start, stop)
        return iter(())


@dataclass(frozen=True, slots=True)
class WeaponKind:
    name: str
    model: str | None
    pattern: re.Pattern[str]
    starts: frozenset[str] | None  # the pattern's gate (see wordscan)


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
    # The literal text every match of the three `none` lists starts with (`literal_start`),
    # in lower case; None when some entry opens with syntax.
    none_prefixes: frozenset[str] | None


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


_UNKNOWN_ROLE = "unknown"


def _rule(
    spec: dict[str, Any],
    cues: dict[str, re.Pattern[str]],
    role_lists: tuple[str, ...],
    types: Taxonomy,
    default_window: int,
) -> Rule:
    sub_type = spec["sub_event_type"]
    where = f"events/triggers.toml: rule for {sub_type!r}"
    if sub_type not in types.event_type_of:
        raise ValueError(f"events/triggers.toml: unknown sub-event type {sub_type!r}")
    if not spec.get("any"):
        raise ValueError(f"{where} has no `any` cue to trigger on")
    for cue in (
        *spec.get("any", []),
        *spec.get("all", []),
        *spec.get("none", []),
        *spec.get("near", []),
    ):
        if cue not in cues:
            raise ValueError(f"{where} names no cue {cue!r}")
    for role in (*spec.get("agent", []), *spec.get("patient", [])):
        if role != _UNKNOWN_ROLE and role not in role_lists:
            raise ValueError(f"{where} names {role!r}, which is not in [roles] lists")
    near = tuple(spec.get("near", []))
    return Rule(
        event_type=types.event_type_of[sub_type],
        sub_event_type=sub_type,
        plover=types.plover_of.get(sub_type),
        any=tuple(spec.get("any", [])),
        all=tuple(spec.get("all", [])),
        none=tuple(spec.get("none", [])),
        near=near,
        window=int(spec.get("window", default_window if near else 0)),
        agent=tuple(spec.get("agent", [])),
        patient=tuple(spec.get("patient", [])),
        group=spec.get("group"),
    )


def _roles(spec: dict[str, Any], cues: dict[str, re.Pattern[str]]) -> Roles:
    lists = tuple(spec["lists"])
    for name in lists:
        if name not in cues:
            raise ValueError(f"events/triggers.toml: [roles] names no cue {name!r}")
    return Roles(
        lists=lists,
        passive_before=re.compile(rf"(?:{spec['passive_before']})$", re.IGNORECASE),
        passive_trigger=re.compile(spec["passive_trigger"], re.IGNORECASE),
        agent_after=re.compile(spec["agent_after"], re.IGNORECASE),
        agent_gap=int(spec["agent_gap"]),
        agent_reach=int(spec["agent_reach"]),
        oblique=re.compile(rf"(?:{spec['oblique']})$", re.IGNORECASE),
        conjunction=re.compile(spec["conjunction"], re.IGNORECASE),
    )


@cache
def triggers() -> TriggerLexicon:
    data = load_toml("events/triggers.toml")
    types = taxonomy()
    for name, words in (*data["cues"].items(), *data["filters"].items()):
        for word in words:
            if "\\\\" in word:
                raise ValueError(
                    f"events/triggers.toml: {name!r} has a doubled backslash in {word!r}; in a "
                    "'single-quoted' TOML string write one (\\w), in a \"double-quoted\" one two"
                )
    cues = {name: word_pattern(words) for name, words in data["cues"].items()}
    settings = data.get("settings", {})
    default_window = int(settings.get("near_window", 80))
    roles = _roles(data["roles"], cues)
    rules = tuple(_rule(spec, cues, roles.lists, types, default_window) for spec in data["rule"])
    filters = {name: word_pattern(words) for name, words in data["filters"].items()}
    story_of = {
        sub_type: story
        for story, sub_types in data.get("stories", {}).items()
        for sub_type in sub_types
    }
    for sub_type in story_of:
        if sub_type not in types.event_type_of:
            raise ValueError(
                f"events/triggers.toml: [stories] names unknown sub-event type {sub_type!r}"
            )
    consequences = tuple(data["clauses"].get("consequences", []))
    for cue in consequences:
        if cue not in cues:
            raise ValueError(f"events/triggers.toml: [clauses] consequences names no cue {cue!r}")
    gates = {name: gate(words) for name, words in data["cues"].items()}
    breaks = "|".join(data["clauses"]["breaks"])
    require_lower_case(breaks, "events/triggers.toml: clauses.breaks")
    return TriggerLexicon(
        cues=cues,
        gates=gates,
        cues_of_head=ListsOfHead(*opened_by(gates.items())),
        rules=rules,
        filters=filters,
        filters_of_head=ListsOfHead(
            *opened_by((name, gate(words)) for name, words in data["filters"].items())
        ),
        triggering=tuple(sorted({cue for rule in rules for cue in rule.any})),
        rules_of=_rules_of(rules),
        roles=roles,
        clause_break=re.compile(breaks, re.IGNORECASE),
        lowered_clause_break=re.compile(breaks),
        filter_window=int(settings.get("filter_window", 60)),
        default_window=default_window,
        story_of=story_of,
        consequences=consequences,
    )


def _rules_of(rules: tuple[Rule, ...]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for index, rule in enumerate(rules):
        for cue in dict.fromkeys(rule.any):
            found.setdefault(cue, []).append(index)
    return {cue: tuple(indices) for cue, indices in found.items()}


@dataclass(frozen=True, slots=True)
class WeaponLexicon:
    kinds: tuple[WeaponKind, ...]  # models first, then weapons, in file order
    # A word's head -> the kinds (indices into `kinds`) it can start, with those that have
    # no gate.
    kinds_of_head: ListsOfHead[int]


@cache
def weapons() -> WeaponLexicon:
    data = load_toml("events/weapons.toml")
    kinds = [
        WeaponKind(m["name"], m["model"], word_pattern(m["words"]), gate(m["words"]))
        for m in data["model"]
    ]
    kinds += [
        WeaponKind(w["name"], None, word_pattern(w["words"]), gate(w["words"]))
        for w in data["weapon"]
    ]
    return WeaponLexicon(tuple(kinds), ListsOfHead(*opened_by(enumerate(k.starts for k in kinds))))


def _prefixes(alternatives: list[str]) -> frozenset[str] | None:
    prefixes = frozenset(literal_start(a, spaces=True) for a in alternatives)
    return None if "" in prefixes else prefixes


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
        none_prefixes=_prefixes(words["none_both"] + words["none_killed"] + words["none_injured"]),
    )
