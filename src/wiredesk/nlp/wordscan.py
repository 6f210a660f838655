"""Word lists matched only at the words of a text that can start one of their entries.

A knowledge file's word list compiles to one case-insensitive alternation that matches at the
start of a run of word characters and hyphens. Scanning a whole text with it tries every
alternative at every word, though most words start with letters no entry starts with. So a
list also keeps its gate, the first one to four letters every match of it starts with
(`gate`), and a text is indexed once by the starts of its words (`WordStarts`): the pattern is
then tried only at words whose start is in the gate, and finds the same matches, in the same
order, as a scan of the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from operator import itemgetter
from typing import TypeVar

__all__ = [
    "WordHeads",
    "WordStarts",
    "any_of",
    "gate",
    "heads_within",
    "initials",
    "literal_start",
    "literal_starts",
    "matches_at",
    "opened_by",
    "word_heads",
    "word_pattern",
]

_REGEX_SYNTAX = set("()[]{}\\.^$|*+?")
_GATE = 4  # at most this many letters of a word's start are compared with a gate
_LOOKBEHIND = re.compile(r"^\(\?<[!=][^()]*\)")
# Where a match of a word list can start: a run of word characters and hyphens.
_WORD = re.compile(r"(?<![\w-])[\w-]+")
_HEAD = re.compile(rf"(?<![\w-])[\w-]{{1,{_GATE}}}")  # a word's first one to four characters
_WORD_CHAR = re.compile(r"[\w-]")  # a character that continues a word
# Where each word of a text starts, with its head (`word_heads`).
WordHeads = list[tuple[int, str]]
_position = itemgetter(0)


def literal_start(alternative: str, *, spaces: bool = False) -> str:
    """The literal letters every match of a regular expression starts with, up to the first
    character that is not a letter, digit or hyphen ("attack(?:s|ed)?" gives "attack",
    "ieds?" gives "ied", "air ?strikes?" gives "air"), lower-cased; "" when it starts with
    syntax. With `spaces`, spaces count as letters ("no (?:one|body) died" gives "no ")."""
    out: list[str] = []
    for char in alternative:
        if char in _REGEX_SYNTAX:
            if char in "?*{" and out:
                out.pop()  # the character before an optional quantifier may be absent
            break
        if not (char.isalnum() or char in "-_" or (spaces and char == " ")):
            break
        out.append(char)
    return "".join(out).lower()


def _group_end(pattern: str) -> int:
    """Where the group that opens a pattern closes."""
    depth = 0
    escaped = False
    for at, char in enumerate(pattern):
        if escaped:
            escaped = False
            continue
        escaped = char == "\\"
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return at
    return len(pattern)


def _branches(body: str) -> list[str]:
    """The top-level alternatives of a group's body."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in body:
        if char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        depth += char in "(["
        depth -= char in ")]"
        current.append(char)
    parts.append("".join(current))
    return parts


@cache
def literal_starts(alternative: str) -> frozenset[str] | None:
    """The starts (one to four letters) that every match of one alternative begins with,
    also when it opens with a group ("(?:set|sets) up" gives {"set", "sets"}); None when
    unknown. Kept: a list's gate, its pattern and other lists share entries."""
    branches = _branches(alternative)
    if len(branches) > 1:  # "shell|shelled": each branch starts in its own way
        return _union(branches)
    while _LOOKBEHIND.match(alternative):
        alternative = _LOOKBEHIND.sub("", alternative, count=1)
    for opener in ("(?:", "(?-i:"):
        if alternative.startswith(opener):
            end = _group_end(alternative)
            if alternative[end + 1 : end + 2] in ("?", "*", "{"):
                return None
            return _union(_branches(alternative[len(opener) : end]))
    start = literal_start(alternative)[:_GATE]
    return frozenset((start,)) if start else None


def _union(alternatives: Iterable[str]) -> frozenset[str] | None:
    starts: set[str] = set()
    for alternative in alternatives:
        found = literal_starts(alternative)
        if found is None:
            return None
        starts |= found
    return frozenset(starts)


def gate(alternatives: Iterable[str]) -> frozenset[str] | None:
    """The starts every match of a word list begins with; None when some entry's are unknown
    (such a list is scanned over the whole text)."""
    return _union(alternatives)


List = TypeVar("List")


def opened_by(
    gates: Iterable[tuple[List, frozenset[str] | None]],
) -> tuple[dict[str, tuple[List, ...]], tuple[List, ...]]:
    """For word lists with these gates: a word start -> the lists whose gate holds it, and
    the lists with no gate (tried at every word), each in the order given."""
    found: dict[str, list[List]] = {}
    ungated: list[List] = []
    for name, starts in gates:
        if starts is None:
            ungated.append(name)
        for start in starts or ():
            found.setdefault(start, []).append(name)
    return {start: tuple(names) for start, names in found.items()}, tuple(ungated)


def initials(alternatives: Iterable[str]) -> str:
    """A look-ahead for the first letters (either case) of a word list's matches, to put
    before its alternation: at most positions of a text a search then fails on one test
    instead of one per alternative. "" when some entry's start is unknown."""
    starts = gate(alternatives)
    if not starts:
        return ""
    return _opening_with({start[0] for start in starts})


def _opening_with(letters: Iterable[str]) -> str:
    """A look-ahead for any of these letters, in either case."""
    cases = {case for letter in letters for case in (letter, letter.upper())}
    return f"(?=[{''.join(re.escape(case) for case in sorted(cases))}])"


def _by_initial(ordered: list[str]) -> str:
    """The alternation of a word list, its entries grouped by the letters their matches can
    start with (see `_either`)."""
    entries: list[tuple[str, frozenset[str]]] = []
    for alternative in ordered:
        starts = literal_starts(alternative)
        if starts is None:  # some entry may start anywhere: no grouping
            return "|".join(f"(?:{a})" for a in ordered)
        entries.append((alternative, frozenset(start[0] for start in starts)))
    return _either(entries)


def _either(entries: list[tuple[str, frozenset[str]]]) -> str:
    """The alternation of these entries (each with the first letters of its matches), their
    letters split in two halves, each half's entries behind a look-ahead for its letters, and
    so on down to single letters: at a word, only the entries of its first letter are tried,
    after about two look-aheads per halving. An entry whose letters fall in both halves
    stands between them, once: the entries before it, then it, then those after it. Entries
    of different halves never match at the same place, and each half keeps the list's order,
    so the entry found first is the one the plain alternation finds."""
    letters = list(dict.fromkeys(letter for _, own in entries for letter in sorted(own)))
    if len(letters) == 1:
        return "|".join(f"(?:{a})" for a, _ in entries)
    halves = (frozenset(letters[: len(letters) // 2]), frozenset(letters[len(letters) // 2 :]))
    parts: list[str] = []
    run: list[tuple[str, frozenset[str]]] = []  # entries within one half or the other

    def close_run() -> None:
        for half in halves:
            inside = [entry for entry in run if entry[1] <= half]
            if inside:
                opening = _opening_with(letter for _, own in inside for letter in own)
                parts.append(f"{opening}(?:{_either(inside)})")
        run.clear()

    for entry in entries:
        if entry[1] <= halves[0] or entry[1] <= halves[1]:
            run.append(entry)
        else:
            close_run()
            parts.append(f"(?:{entry[0]})")
    close_run()
    return "|".join(parts)


def word_pattern(alternatives: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern for a word list, longest alternative first, on word edges
    (a match starts at a word start, so `WordStarts` can gate it)."""
    ordered = sorted(alternatives, key=len, reverse=True)
    body = _by_initial(ordered)
    return re.compile(rf"(?<![\w-]){initials(ordered)}(?:{body})(?![\w-])", re.IGNORECASE)


def any_of(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that finds a match somewhere in a text exactly when one of `patterns`
    does (each keeps its own case-sensitivity): one scan tells that a text needs none of the
    others'."""
    parts = []
    for pattern in patterns:
        if pattern.flags & ~(re.IGNORECASE | re.UNICODE):
            raise ValueError(f"any_of: flags other than IGNORECASE in {pattern.pattern!r}")
        case = "i" if pattern.flags & re.IGNORECASE else "-i"
        parts.append(f"(?{case}:{pattern.pattern})")
    return re.compile("|".join(parts))


def word_heads(text: str) -> WordHeads:
    """Where each word of a text starts, with its first one to four letters, lower-cased
    (what a gate compares)."""
    if text.isascii():  # lower-casing keeps every offset: the words of the lowered text
        return [(head.start(), head[0]) for head in _HEAD.finditer(text.lower())]
    return [(word.start(), word[0].lower()[:_GATE]) for word in _WORD.finditer(text)]


def heads_within(text: str, heads: WordHeads, start: int, end: int) -> WordHeads:
    """The heads of the words of `text[start:end]`, at their offsets in it, cut from `heads`,
    those of the whole text (a text is split into words once): the words that start in it,
    unless it starts inside a word (then it is split on its own). A word cut by `end` keeps
    its longer head, which can open more word lists, never fewer (what the lists match in
    the part does not change)."""
    if start == 0 and end >= len(text):
        return heads
    if start > 0 and _WORD_CHAR.match(text, start - 1):
        return word_heads(text[start:end])
    first = bisect_left(heads, start, key=_position)
    last = bisect_left(heads, end, first, key=_position)
    return [(position - start, head) for position, head in heads[first:last]]


def matches_at(
    pattern: re.Pattern[str], text: str, positions: Iterable[int], start: int, stop: int
) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in `text[start:stop]` that start at one of `positions`
    (ascending), without overlap: what `pattern.finditer` finds when only those positions
    can start a match."""
    free = start  # where the previous match ended: matches do not overlap
    for position in positions:
        if position >= stop:
            break
        if position < free:
            continue
        match = pattern.match(text, position, stop)
        if match is not None:
            yield match
            free = max(match.end(), position + 1)


class WordStarts:
    """A text indexed by the first one to four letters (lower-cased) of each of its words."""

    __slots__ = ("_at", "_merged", "_ordered", "text")

    def __init__(self, text: str, heads: WordHeads | None = None) -> None:
        """`heads`: the text's `word_heads`, when the caller has them already."""
        self.text = text
        # A word's head -> where the words with that head start, ascending.
        at: dict[str, list[int]] = {}
        for position, head in word_heads(text) if heads is None else heads:
            found = at.get(head)
            if found is None:
                at[head] = [position]
            else:
                found.append(position)
        self._at = at
        self._ordered: list[str] | None = None  # the heads, sorted: those a start opens follow it
        # A gate -> the positions of the words that can start its list, ascending: a text
        # indexed once (a whole document) is searched with the same lists many times.
        self._merged: dict[frozenset[str], list[int]] = {}

    def finditer(
        self,
        pattern: re.Pattern[str],
        starts: frozenset[str] | None,
        start: int = 0,
        end: int | None = None,
    ) -> list[re.Match[str]]:
        """`pattern.finditer(text, start, end)` for a word-list pattern whose gate is
        `starts`: the same matches, trying it only at the words that can start one."""
        return list(self._matches(pattern, starts, start, end))

    def search(
        self,
        pattern: re.Pattern[str],
        starts: frozenset[str] | None,
        start: int = 0,
        end: int | None = None,
    ) -> re.Match[str] | None:
        """`pattern.search(text, start, end)`, the same way."""
        return next(self._matches(pattern, starts, start, end), None)

    def positions(self, starts: frozenset[str]) -> list[int]:
        """Where the words start that a list with gate `starts` can match at, ascending."""
        found = self._merged.get(starts)
        if found is None:
            heads = {head for start in starts for head in self._opened_by(start)}
            at = self._at
            if len(heads) == 1:
                found = at[heads.pop()]
            else:
                found = sorted([position for head in heads for position in at[head]])
            self._merged[starts] = found
        return found

    def _opened_by(self, start: str) -> list[str]:
        """The heads of the words that begin with `start`."""
        if len(start) >= _GATE:  # a whole head
            return [start] if start in self._at else []
        if self._ordered is None:
            self._ordered = sorted(self._at)
        ordered = self._ordered
        first = bisect_left(ordered, start)
        # Every head that begins with `start` sorts before `start` followed by the last
        # character there is.
        return ordered[first : bisect_left(ordered, start + "\U0010ffff", first)]

    def _matches(
        self, pattern: re.Pattern[str], starts: frozenset[str] | None, start: int, end: int | None
    ) -> Iterator[re.Match[str]]:
        stop = len(self.text) if end is None else end
        if starts is None:
            yield from pattern.finditer(self.text, start, stop)
            return
        positions = self.positions(starts)
        if not positions:
            return
        first = bisect_left(positions, start) if start else 0
        yield from matches_at(pattern, self.text, islice(positions, first, None), start, stop)
