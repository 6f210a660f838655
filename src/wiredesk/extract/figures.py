"""Numbers in text: casualty figures and weapon counts, after ACLED's conventions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from wiredesk.extract.lexicon import casualties, lower_case, require_lower_case, weapons
from wiredesk.nlp.wordscan import WordHeads, gate, initials, word_heads
from wiredesk.records import Span, Weapon
from wiredesk.resolve.place import demonym_country

_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"


@dataclass(frozen=True, slots=True)
class Figure:
    value: int
    qualifier: str | None
    span: Span


@dataclass(slots=True)
class Casualties:
    killed: Figure | None = None
    injured: Figure | None = None


@dataclass(frozen=True, slots=True)
class _Kind:
    """How one kind of figure (the killed, the injured) is read."""

    patterns: tuple[re.Pattern[str], ...]
    # The same, case-sensitive, for a sentence in lower case (see `lexicon.lower_case`):
    # the same matches, found much faster (an alternative that cannot start at a character
    # is skipped at once).
    lowered: tuple[re.Pattern[str], ...]
    # Words every match of `patterns` holds (`lowered_words`: the same, for a sentence in
    # lower case), and the letters (lower-cased) those words start with: a sentence without
    # them is not scanned for a number at every word.
    words: re.Pattern[str]
    lowered_words: re.Pattern[str]
    starts: frozenset[str] | None


@dataclass(frozen=True, slots=True)
class _Patterns:
    quantity: str  # a number with its optional qualifier, as named groups q and n
    exact_quantity: str  # the same, without vague words ("dozens"), for weapon counts
    killed: _Kind
    injured: _Kind


def _words(values: list[str]) -> str:
    return "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))


@cache
def _patterns() -> _Patterns:
    lex = casualties()
    exact = [w for w, n in lex.numbers.items() if n <= 100 and w not in _VAGUE]
    number = rf"(?:{_DIGITS}|(?:{_words(list(lex.numbers))})(?:-(?:{_words(exact)}))?)"
    exact_number = rf"(?:{_DIGITS}|(?:{_words(exact)})(?:-(?:{_words(exact)}))?)"
    qualifier = _words(list(lex.qualifiers))
    for words in (qualifier, lex.killed, lex.injured):
        require_lower_case(words, "events/casualties.toml")
    quantity = rf"(?:(?P<q>{qualifier})\s+)?(?P<n>{number})"
    exact_quantity = rf"(?:(?P<q>{qualifier})\s+)?(?P<n>{exact_number})"
    # Between a number and its verb: a few words, none a number or a clause break.
    gap = r"(?:\s+(?!(?:and|but|while|after)\b)[a-z’'-]+){0,5}?"
    aux = r"(?:\s+(?:were|was|are|is|have been|had been|has been|reportedly|also|later))*"

    tolls = r"toll|number of (?:dead|deaths)"

    def build(verbs: str, active: str) -> _Kind:
        patterns = [
            rf"(?<![\w,]){quantity}{gap}{aux}\s+(?:{verbs})\b",
            rf"\b(?:{active})\s+{quantity}\b",
        ]
        words = [rf"(?:{verbs})\b", rf"\b(?:{active})\s"]
        lists = [verbs, active]
        if "killed" in verbs:
            patterns.append(
                rf"\b(?:{tolls})\b[^.;]{{0,40}}?\b(?:to|at|reached|of|was|is)\s+{quantity}\b"
            )
            words.append(rf"\b(?:{tolls})\b")
            lists.append(tolls)
        held = f"{initials(lists)}(?:{'|'.join(words)})"
        return _Kind(
            tuple(re.compile(p, re.IGNORECASE) for p in patterns),
            tuple(re.compile(p) for p in patterns),
            re.compile(held, re.IGNORECASE),
            re.compile(held),
            gate(lists),
        )

    killed = build(lex.killed, r"killing|killed|leaving|left")
    injured = build(lex.injured, r"injuring|wounding|injured|wounded")
    return _Patterns(quantity, exact_quantity, killed, injured)


_VAGUE = {
    "dozens",
    "scores",
    "several",
    "many",
    "a number of",
    "hundreds",
    "thousands",
    "a few",
    "few",
}


def number_value(text: str) -> int | None:
    """The value of a number as news writes it: 12, 1,200, twelve, twenty-five, dozens."""
    text = text.strip().lower()
    if re.fullmatch(_DIGITS, text):
        return int(text.replace(",", ""))
    numbers = casualties().numbers
    if text in numbers:
        return numbers[text]
    head, _, tail = text.partition("-")
    if head in numbers and tail in numbers:
        return numbers[head] + numbers[tail]
    return None


def _figure(match: re.Match[str], offset: int, sentence: str) -> Figure | None:
    value = number_value(match["n"])
    if value is None:
        return None
    following = re.match(r"\s+([A-Z][\w'’-]*)", sentence[match.end("n") :])
    if (
        following
        and not casualties().victims.fullmatch(following[1])
        and not demonym_country(following[1])
    ):
        return None  # "the 444 Brigade": a number in a name counts nobody
    if re.search(r"\bno\s*$", sentence[: match.start()], re.IGNORECASE):
        value = 0  # "no one was killed"
    qualifier = casualties().qualifiers.get(match["q"].lower()) if match["q"] else None
    start, end = match.start() + offset, match.end() + offset
    return Figure(value, qualifier, Span(start, end, sentence[match.start() : match.end()]))


def _may_hold(lowered: str | None, starts: frozenset[str] | None) -> bool:
    """Whether a sentence, in lower case (`lexicon.lower_case`), can hold a match of words
    whose matches start with one of `starts` (lower-cased; None when not known): whether it
    holds one of them anywhere (always when its lower case is None)."""
    return lowered is None or starts is None or any(start in lowered for start in starts)


def _best(kind: _Kind, sentence: Span, lowered: str | None) -> Figure | None:
    if not _may_hold(lowered, kind.starts):
        return None
    if lowered is None:
        patterns, words, read = kind.patterns, kind.words, sentence.text
    else:
        patterns, words, read = kind.lowered, kind.lowered_words, lowered
    if not words.search(read):
        return None
    found = [
        figure
        for pattern in patterns
        for match in pattern.finditer(read)
        if (figure := _figure(match, sentence.start, sentence.text)) is not None
    ]
    # Within one report the largest stated figure is the latest toll.
    return max(found, key=lambda f: f.value, default=None)


def _zero(pattern: re.Pattern[str], sentence: Span) -> Figure | None:
    match = pattern.search(sentence.text)
    if not match:
        return None
    start = sentence.start + match.start()
    return Figure(0, None, Span(start, sentence.start + match.end(), match[0]))


def read_casualties(sentence: Span) -> Casualties:
    """The killed and injured figures a sentence states, or None for each it does not."""
    lex = casualties()
    patterns = _patterns()
    lowered = lower_case(sentence.text)
    killed = _best(patterns.killed, sentence, lowered)
    injured = _best(patterns.injured, sentence, lowered)
    if (killed is None or injured is None) and _may_hold(lowered, lex.none_prefixes):
        none_both = _zero(lex.none_both, sentence)
        killed = killed or none_both or _zero(lex.none_killed, sentence)
        injured = injured or none_both or _zero(lex.none_injured, sentence)
    return Casualties(killed, injured)


_MAX_WEAPON_COUNT = 1000


@dataclass(frozen=True, slots=True)
class WeaponMention:
    weapon: Weapon
    span: Span


@cache
def _count_before() -> re.Pattern[str]:
    # A count right before the weapon words, with at most two words between.
    return re.compile(
        rf"(?<![\w,]){_patterns().exact_quantity}(?:\s+[A-Za-z][\w’'-]*){{0,2}}?\s+$",
        re.IGNORECASE,
    )


def read_weapons(sentence: Span, heads: WordHeads | None = None) -> list[WeaponMention]:
    """The weapons a sentence names, each with its model, count and qualifier when stated
    (`heads`: the heads of its words, `wordscan.word_heads`, when they have been read)."""
    found: list[WeaponMention] = []
    lexicon = weapons()
    # Only the kinds some word of the sentence can start, in the lexicon's order, each tried
    # only at those words.
    kinds_of_head = lexicon.kinds_of_head
    starts = kinds_of_head.starts(word_heads(sentence.text) if heads is None else heads)
    matches = [
        (lexicon.kinds[index], m)
        for index in sorted(kinds_of_head.ungated.union(starts))
        for m in kinds_of_head.find(starts, index, lexicon.kinds[index].pattern, sentence.text)
    ]
    # The longest words win: "vehicle-borne IED" is a car bomb, not an IED.
    matches.sort(key=lambda km: (-(km[1].end() - km[1].start()), km[1].start()))
    taken: list[tuple[int, int]] = []
    for kind, match in matches:
        if any(match.start() < e and s < match.end() for s, e in taken):
            continue
        taken.append((match.start(), match.end()))
        before = sentence.text[max(0, match.start() - 60) : match.start()]
        counted = _count_before().search(before)
        if (
            counted
            and counted["n"].lower() in ("a", "an")
            and counted.end() - counted.start() > len(counted[0].split()[0]) + 1
        ):
            counted = None  # "a hail of missiles" counts nothing
        count = number_value(counted["n"]) if counted else None
        if count is not None and count > _MAX_WEAPON_COUNT:
            count, counted = None, None  # a year or a tally, not a count of weapons
        qualifier = None
        if counted and counted["q"]:
            qualifier = casualties().qualifiers.get(counted["q"].lower())
        start = sentence.start + match.start()
        found.append(
            WeaponMention(
                Weapon(kind.name, kind.model, count, qualifier),
                Span(start, sentence.start + match.end(), match[0]),
            )
        )
    return _merge_models(sorted(found, key=lambda m: m.span.start), sentence)


def _merge_models(found: list[WeaponMention], sentence: Span) -> list[WeaponMention]:
    """'four BM-21 Grad rockets', 'six Katyusha rockets': adjacent words for one weapon are one."""
    merged: list[WeaponMention] = []
    for mention in found:
        last = merged[-1] if merged else None
        if (
            last is not None
            and mention.weapon.name == last.weapon.name
            and mention.span.start - last.span.end <= 1
        ):
            weapon = Weapon(
                last.weapon.name,
                last.weapon.model or mention.weapon.model,
                last.weapon.count if last.weapon.count is not None else mention.weapon.count,
                last.weapon.qualifier or mention.weapon.qualifier,
            )
            start, end = last.span.start, mention.span.end
            text = sentence.text[start - sentence.start : end - sentence.start]
            merged[-1] = WeaponMention(weapon, Span(start, end, text))
            continue
        merged.append(mention)
    return merged
