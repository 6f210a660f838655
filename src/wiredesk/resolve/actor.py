"""Actors: names as written in, canonical names with ACLED actor types out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from wiredesk.knowledge import load_toml
from wiredesk.nlp.wordscan import WordStarts, gate, word_pattern
from wiredesk.records import Span


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str  # canonical; generic entries hold "{country}" to be filled from the event's place
    inter: str | None
    country: str | None = None
    generic: bool = False
    armed_force: str | None = None  # the canonical actor that carries out its violent acts

    def named_for(self, country_name: str | None) -> str:
        """The canonical name, with a generic entry's country filled in."""
        if not self.generic:
            return self.name
        if country_name:
            return self.name.format(country=country_name)
        # No country known: drop the placeholder and what binds it ("Civilians", "Police Forces").
        return re.sub(r"\s*(?:\(\{country\}\)|of \{country\})", "", self.name)


@dataclass(frozen=True, slots=True)
class ActorMention:
    span: Span
    entry: ActorEntry


class ActorDictionary:
    """Every alias of every known actor, matched longest first on word boundaries."""

    def __init__(
        self,
        entries: list[tuple[ActorEntry, list[str]]],
        capitals: list[tuple[ActorEntry, str]],
        place_words: list[str],
    ) -> None:
        self._aliases: list[tuple[re.Pattern[str], ActorEntry]] = []
        self._by_name = {entry.name: entry for entry, _ in entries}
        self._resolved: dict[str, ActorEntry | None] = {}
        alternatives: list[str] = []
        for entry, aliases in entries:
            for alias in aliases:
                self._aliases.append((re.compile(alias, re.IGNORECASE), entry))
                alternatives.append(alias)
        for entry, city in capitals:
            self._aliases.append((re.compile(city, re.IGNORECASE), entry))
            alternatives.append(city)
        self._capitals = {city.lower() for _, city in capitals}
        self._place_before = (
            re.compile(rf"\b(?:{'|'.join(place_words)})\s+(?:the\s+)?$", re.IGNORECASE)
            if place_words
            else None
        )
        self._starts = gate(alternatives)
        self._any = word_pattern(alternatives)
        # Each generic name, the pattern of it written with a country, and it written without.
        self._generic = [
            (
                entry.name,
                re.compile(re.escape(entry.name).replace(r"\{country\}", "(.*)")),
                entry.named_for(None),
            )
            for entry in self._by_name.values()
            if entry.generic
        ]

    def named(self, canonical: str) -> ActorEntry | None:
        return self._by_name.get(canonical)

    def generic_names(self) -> list[str]:
        return [name for name, entry in self._by_name.items() if entry.generic]

    def generic_fills(self, name: str) -> list[tuple[str, str | None]]:
        """The generic names that `name` is one of, each with the words in its country's place
        ("Bandits (Mali)": "Mali"), or None for the name written with no country ("Bandits")."""
        found: list[tuple[str, str | None]] = []
        for template, with_country, bare in self._generic:
            filled = with_country.fullmatch(name)
            if filled:
                found.append((template, filled[1]))
            elif name == bare:
                found.append((template, None))
        return found

    def military_of(self, code: str) -> ActorEntry | None:
        """The known military of a country, if the dictionary has it."""
        return next(
            (
                e
                for e in self._by_name.values()
                if e.country == code and e.name.startswith("Military Forces of")
            ),
            None,
        )

    def entry_for(self, written: str) -> ActorEntry | None:
        """The actor an exact name (an alias or a canonical name) refers to."""
        key = written.strip().lower()
        if key not in self._resolved:  # the same few names recur across every document
            self._resolved[key] = next(
                (
                    entry
                    for pattern, entry in self._aliases
                    if pattern.fullmatch(key) or entry.name.lower() == key
                ),
                None,
            )
        return self._resolved[key]

    def find(
        self, text: str, start: int = 0, end: int | None = None, words: WordStarts | None = None
    ) -> list[ActorMention]:
        """Known actors named in `text` (`words`: its word starts, when already indexed)."""
        found = []
        for match in (words or WordStarts(text)).finditer(self._any, self._starts, start, end):
            entry = self.entry_for(match[0])
            if entry is not None and not self._names_the_place(text, match):
                found.append(ActorMention(Span(match.start(), match.end(), match[0]), entry))
        return found

    def _names_the_place(self, text: str, match: re.Match[str]) -> bool:
        """Whether a capital found as an actor names the city instead."""
        return match[0].lower() in self._capitals and self.names_a_place(
            text, match.start(), match.end()
        )

    def names_a_place(self, text: str, start: int, end: int) -> bool:
        """Whether a capital or country at `start:end` names the place, not the state ("a
        strike on Kyiv", "in Israel", "the Kyiv City Administration", "Israel Police")."""
        before = text[max(0, start - 30) : start]
        return bool(
            re.match(r"(?:['’]s)?\s+[A-Z]", text[end : end + 4])
            or (self._place_before is not None and self._place_before.search(before))
        )

    def government_of(self, code: str) -> ActorEntry | None:
        """A country's government as a party ("Israel and Hezbollah agreed"), which carries
        out its violent acts by its military."""
        known = next(
            (
                e
                for e in self._by_name.values()
                if e.country == code and e.name.startswith("Government of")
            ),
            None,
        )
        name = country_name(code)
        if known is not None or name is None:
            return known
        military = self.military_of(code)
        force = military.name if military else f"Military Forces of {name}"
        return ActorEntry(f"Government of {name}", "State forces", code, armed_force=force)


_PARTICLE = r"(?:al|el|ad|an|ar|as|ash|at|ath|az|bin|ibn|wa|wal|of|the|for|and|de|du|la|le|del)"
# A capitalised word, and the space and particles after one in a name; each run is taken
# whole (`*+`, `++`), as what follows never opens with what the run is made of.
_WORD = r"[A-Z][\w'’-]*+"
_GAP = rf"\s++(?:{_PARTICLE}[\s-]++)*"


class GroupNames:
    """Armed groups the dictionary does not know, found by the shape of their names."""

    def __init__(self, heads: dict[str, str], not_actors: list[str]) -> None:
        self._heads = [(re.compile(rf"\b(?:{h})\b"), inter) for h, inter in heads.items()]
        alternation = "|".join(f"(?:{h})" for h in heads)
        self._pattern = re.compile(
            # One to five words, the first opening with its capital (not with a look-behind)
            # so that a search skips to capitals.
            rf"[A-Z](?<![\w-][A-Z])[\w'’-]*+{_GAP}(?:{_WORD}{_GAP}){{0,4}}(?:{alternation})"
            rf"(?:\s+(?:for|of)(?:\s+the)?(?:\s+{_WORD}){{1,3}}(?:\s+of(?:\s+the)?(?:\s+{_WORD}){{1,2}})?)?"
            r"(?![\w-])"
        )
        self._not = (
            re.compile(rf"(?:{'|'.join(not_actors)})$", re.IGNORECASE) if not_actors else None
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
        found = []
        for match in self._pattern.finditer(text, start, len(text) if end is None else end):
            name = re.sub(r"^(?:The|A|An)\s+", "", match[0])
            if self._not is not None and self._not.search(name):
                continue
            inter = next((i for h, i in self._heads if h.search(name)), None)
            offset = match.end() - len(name)
            found.append(ActorMention(Span(offset, match.end(), name), ActorEntry(name, inter)))
        return found


@cache
def group_names() -> GroupNames:
    data = load_toml("actors/groups.toml")
    return GroupNames(dict(data["heads"]), list(data["not_actors"]["names"]))


@cache
def _roles_file() -> dict[str, Any]:
    return load_toml("actors/roles.toml")


@dataclass(frozen=True, slots=True)
class RoleRule:
    """Who may fill one role of one sub-event type (see data/actors/roles.toml)."""

    inter: tuple[str, ...] = ()
    default: str | None = None
    recode_as: str | None = None  # "protesters" who riot are coded as rioters
    civilian_default: str | None = None
    # The types are a preference: with none of them named, word order alone decides.
    preferred: bool = False
    # Both sides do the same thing (clash, agree): two sides named together before the verb
    # fill both roles; with none named before it, a state's forces lead, else the first named.
    either_side: bool = False
    countries: bool = False  # a country named as a side is its government


@cache
def role_rules() -> dict[str, dict[str, RoleRule]]:
    data = _roles_file()
    return {
        sub_type: {
            role: RoleRule(
                tuple(spec.get("inter", ())),
                spec.get("default"),
                spec.get("as"),
                spec.get("civilian_default"),
                bool(spec.get("preferred", False)),
                bool(spec.get("either_side", False)),
                bool(spec.get("countries", False)),
            )
            for role, spec in roles.items()
        }
        for sub_type, roles in data["roles"].items()
    }


@cache
def never_actor1() -> frozenset[str]:
    """Actor types that never fill actor1 (roles.toml)."""
    return frozenset(_roles_file()["never_actor1"]["inter"])


@cache
def agent_cue() -> re.Pattern[str]:
    """Words right before an actor that make it the one who acted (roles.toml)."""
    words = "|".join(_roles_file()["agent_cues"]["words"])
    return re.compile(rf"\b(?:{words})\s+(?:the\s+)?$", re.IGNORECASE)


@cache
def target_noun() -> re.Pattern[str]:
    """A place or thing named by the actor right before it (roles.toml)."""
    words = "|".join(_roles_file()["target_nouns"]["words"])
    return re.compile(rf"\s+(?:{words})\b", re.IGNORECASE)


@cache
def weapon_named() -> tuple[re.Pattern[str], frozenset[str]]:
    """An actor named by its weapon or strike (roles.toml), and the sub-types where that
    does not make it the one that acted."""
    data = _roles_file()["weapon_named"]
    words = "|".join(data["words"])
    return re.compile(rf"(?:\b|\s)(?:{words})$", re.IGNORECASE), frozenset(data["except"])


@cache
def country_code(name: str) -> str | None:
    """ISO alpha-2 for a country's name or adjective as news writes it ("Russian", "Russia")."""
    import pycountry

    from wiredesk.resolve.place import demonym_country

    word = name.strip().removesuffix("'s").removesuffix("’s")
    extra = _roles_file().get("country_names", {})
    if word in extra:
        return str(extra[word])
    found = demonym_country(word)
    if found:
        return found
    try:
        return str(pycountry.countries.lookup(word).alpha_2)
    except LookupError:
        return None


def _country_before(nouns: list[str]) -> re.Pattern[str]:
    """A country's name or adjective before one of these nouns."""
    alternation = "|".join(sorted(nouns, key=len, reverse=True))
    # Opening with the capital ("U.S." too), not \b, lets a search skip to capitals; a
    # shorter run of any quantifier never lets what follows match, so none is tried (`*+`,
    # `++`).
    return re.compile(
        rf"(?P<who>[A-Z](?<!\w[A-Z])[\w.]*+(?:\s[A-Z][a-z]++)?(?:['’]s)?)\s++"
        rf"(?:(?P<between>[a-z-]++)\s++)?(?:(?P<system>[A-Z][\w-]*+)\s++)?"
        rf"(?:{alternation})\b"
    )


@cache
def _country_noun_patterns() -> tuple[re.Pattern[str], list[tuple[str, re.Pattern[str]]]]:
    """A country before any of the nouns of state forces and civilians, and for each ACLED
    name, a country before one of its own nouns."""
    names: dict[str, list[str]] = _roles_file()["country_nouns"]["names"]
    every_noun = [noun for nouns in names.values() for noun in nouns]
    return _country_before(every_noun), [
        (template, _country_before(nouns)) for template, nouns in names.items()
    ]


@cache
def country_name(code: str | None) -> str | None:
    """A country's name as ACLED writes it in actor names."""
    import pycountry

    if not code:
        return None
    labels = _roles_file().get("country_labels", {})
    if code in labels:
        return str(labels[code])
    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or country.name) if country else None


def country_actors(text: str) -> list[ActorMention]:
    """State forces and civilians named by their country: "Russian missiles", "a Sudanese
    army warplane", "Kenyan police", "Sudanese refugees"."""
    found: list[ActorMention] = []
    dictionary = actor_dictionary()
    not_after = set(_roles_file()["country_nouns"]["not_after"])
    any_noun, patterns = _country_noun_patterns()
    # Each name's pattern matches only where the pattern of every noun does: that one alone
    # is searched for through the text.
    starts = []
    at = 0
    while match := any_noun.search(text, at):
        starts.append(match.start())
        at = match.start() + 1
    for template, pattern in patterns:
        at = 0  # where the name's next match can start (the search's position)
        for start in starts:
            if start < at or (match := pattern.match(text, start)) is None:
                continue
            at = match.start() + 1
            code = country_code(match["who"])
            name = country_name(code)
            if code is None or name is None or match["between"] in not_after:
                continue
            # A named weapon system between needs the country's possessive ("Israel's Arrow
            # defence system"), not a country that ends a clause ("Israel said Russian forces").
            if match["system"] and not re.search(r"['’]s$", match["who"]):
                continue
            if any(m.span.start < match.end() and match.start() < m.span.end for m in found):
                continue
            at = match.end()
            kind = dictionary.named(template)
            known = dictionary.military_of(code) if template.startswith("Military") else None
            # Civilians of a country stay a kind of actor, like civilians of no country told.
            entry = known or ActorEntry(
                template.format(country=name),
                kind.inter if kind else None,
                code,
                generic=kind is not None and kind.inter == "Civilians",
            )
            found.append(ActorMention(Span(match.start(), match.end(), match[0]), entry))
    return sorted(found, key=lambda m: m.span.start)


@cache
def actor_dictionary() -> ActorDictionary:
    data = load_toml("actors/actors.toml")
    entries = [
        (
            ActorEntry(
                a["name"], a.get("inter"), a.get("country"), armed_force=a.get("armed_force")
            ),
            list(a.get("aliases", [])),
        )
        for a in data.get("actor", [])
    ]
    entries += [
        (ActorEntry(a["name"], a.get("inter"), None, generic=True), list(a.get("aliases", [])))
        for a in data.get("generic", [])
    ]
    capitals = [
        (entry, city)
        for (entry, _), a in zip(entries, data.get("actor", []), strict=False)  # actors first
        for city in a.get("capitals", [])
    ]
    place_words = list(data.get("capitals", {}).get("not_after", []))
    return ActorDictionary(entries, capitals, place_words)


def same_actor(a: str, b: str) -> bool:
    """Whether two written or canonical names refer to the same known actor."""
    if a.strip().lower() == b.strip().lower():
        return True
    dictionary = actor_dictionary()
    left, right = dictionary.entry_for(a), dictionary.entry_for(b)
    return left is not None and left == right


def actor_keys(written: str) -> set[str]:
    """Every actor a free-text name points at: known actors named anywhere in it, state forces
    named by country, and for ACLED-style generic names ("Civilians (Myanmar)") the generic
    kind itself. Two names that share a key can refer to the same actor."""
    dictionary = actor_dictionary()
    keys: set[str] = set()
    whole = dictionary.entry_for(written)
    if whole is not None:
        keys.add(whole.name)
    keys |= {m.entry.name for m in dictionary.find(written)}
    keys |= {m.entry.name for m in country_actors(written)}
    keys |= {m.entry.name for m in group_names().find(written)}
    for template, filled in dictionary.generic_fills(written):
        # Filled with a country, a generic name is that country's own force or people, as
        # state forces named by their country are ("Mexican military").
        if filled and (name := country_name(country_code(filled))):
            keys.add(template.format(country=name))
            keys.add(template)
    if keys:
        return keys
    for template in dictionary.generic_names():
        head = template.split("{country}")[0].rstrip(" (")
        if written.lower().startswith(head.lower()):
            keys.add(template)
    return keys
