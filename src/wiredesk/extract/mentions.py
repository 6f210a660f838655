"""Event mentions: the sentences (or clauses) where a trigger rule fires.

The knowledge is events/triggers.toml: cue word lists, rules tried in order, the role lists
that say who acted and who was acted on, and filters (forecasts, denials, tallies, figurative
use). This module only reads a clause against them. It stays cheap on every sentence of every
article: a cue list is tried only at the words of the clause that start the way one of the
list's words does (see wordscan), and at most once per clause; a clause none of whose words
can start a trigger costs one split into words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from wiredesk.extract.lexicon import (
    Rule,
    TriggerLexicon,
    lower_case,
    taxonomy,
    triggers,
)
from wiredesk.nlp.wordscan import WordHeads, heads_within, word_heads
from wiredesk.records import Span

_UNKNOWN = "unknown"
# A passive trigger that ends in the word joining it to its doer ("fell to").
_JOINED = re.compile(r"\b(?:to|by)$", re.IGNORECASE)
# "The rebels said they had liberated the town": the speaker did it.
SPEAKER_PRONOUN = re.compile(
    r"\b(?:it|they|we)\s+(?:(?:had|has|have|would|will)\s+)?(?:(?:been|also|now)\s+)?$",
    re.IGNORECASE,
)
# Filters that govern a trigger only from shortly before it, inside its own sub-clause.
_WINDOW_FILTERS = ("modality", "denial", "cause", "recollection")
# Filters that void every trigger of the sub-clause they occur in.
_CLAUSE_FILTERS = ("tally", "figurative")


@dataclass(frozen=True, slots=True)
class Mention:
    sentence: Span
    clause: Span  # the part of the sentence the event is read from (not the speaker's words)
    rule: Rule
    trigger: Span


@dataclass(frozen=True, slots=True)
class _RoleWord:
    start: int
    end: int
    role: str  # the name of the role list the word belongs to


class _Clause:
    """One clause's text, with each cue list's matches found once and kept."""

    __slots__ = (
        "_bounds",
        "_filter_starts",
        "_hits",
        "_live",
        "_roles",
        "_roles_at",
        "_voided",
        "heads",
        "lexicon",
        "possible",
        "said_by",
        "starts",
        "text",
    )

    def __init__(
        self,
        text: str,
        lexicon: TriggerLexicon,
        said_by: str = "",
        heads: WordHeads | None = None,
    ) -> None:
        self.text = text
        self.lexicon = lexicon
        # The words before what a speaker is said to have said ("rebels said they had ..."),
        # for a pronoun that stands for the speaker.
        self.said_by = said_by
        self._hits: dict[str, list[re.Match[str]]] = {}
        self._roles: list[_RoleWord] | None = None
        self._voided: dict[int, bool] = {}
        self._live: list[Rule] | None = None
        self._roles_at: dict[tuple[int, int], tuple[str, str]] = {}
        self._filter_starts: dict[str, list[int]] | None = None
        self.heads = word_heads(text) if heads is None else heads
        # The cue lists that can match: those with no gate, and those some word of the clause
        # can start (its head is in their gate), each with the words that can start it.
        starts = lexicon.cues_of_head.starts(self.heads)
        self.starts = starts
        self.possible = lexicon.cues_of_head.ungated.union(starts)
        self._bounds: list[tuple[int, int]] | None = None

    @property
    def bounds(self) -> list[tuple[int, int]]:
        """The sub-clauses, as (start, end); found when first asked for (most clauses hold
        no trigger and never are)."""
        if self._bounds is None:
            lowered = lower_case(self.text)
            if lowered is None:
                found = self.lexicon.clause_break.finditer(self.text)
            else:
                found = self.lexicon.lowered_clause_break.finditer(lowered)
            breaks = (m.start("at") if m["at"] else m.start() for m in found)
            edges = sorted({0, *breaks, len(self.text)})
            self._bounds = [(a, b) for a, b in pairwise(edges) if b > a]
        return self._bounds

    def hits(self, cue: str) -> list[re.Match[str]]:
        found = self._hits.get(cue)
        if found is None:
            lexicon = self.lexicon
            found = list(lexicon.cues_of_head.find(self.starts, cue, lexicon.cues[cue], self.text))
            self._hits[cue] = found
        return found

    def live_rules(self) -> list[Rule]:
        """The rules, in order, that have a trigger word somewhere in the clause."""
        if self._live is None:
            lexicon = self.lexicon
            rules_of = lexicon.rules_of
            live = {
                index
                for cue in self.possible.intersection(lexicon.triggering)
                if self.hits(cue)
                for index in rules_of[cue]
            }
            self._live = [lexicon.rules[index] for index in sorted(live)]
        return self._live

    def may_trigger(self) -> bool:
        """Whether any word of the clause can start a trigger of some rule (most sentences of
        an article are dismissed here)."""
        return not self.possible.isdisjoint(self.lexicon.triggering)

    def has(self, cue: str, start: int, end: int) -> bool:
        return any(start <= m.start() < end for m in self.hits(cue))

    def voided(self, start: int, end: int) -> bool:
        """Whether a tally or a figurative phrase voids every trigger of a sub-clause."""
        found = self._voided.get(start)
        if found is None:
            found = any(self.filter_holds(name, start, end) for name in _CLAUSE_FILTERS)
            self._voided[start] = found
        return found

    def filter_holds(self, name: str, start: int, end: int) -> bool:
        """Whether words of a filter occur between `start` and `end` (tried only at the words
        that can start them)."""
        lexicon = self.lexicon
        if self._filter_starts is None:
            self._filter_starts = lexicon.filters_of_head.starts(self.heads)
        found = lexicon.filters_of_head.find(
            self._filter_starts, name, lexicon.filters[name], self.text, start, end
        )
        return next(found, None) is not None

    def roles_of(self, trigger: re.Match[str]) -> tuple[str, str]:
        """The role lists of the doer and the done-to of a trigger (`_roles_of`), read once
        for all the rules that ask."""
        found = self._roles_at.get(trigger.span())
        if found is None:
            found = self._roles_at[trigger.span()] = _roles_of(self, trigger)
        return found

    def sub_clause(self, at: int) -> tuple[int, int]:
        return next(((a, b) for a, b in self.bounds if a <= at < b), (0, len(self.text)))

    def roles(self) -> list[_RoleWord]:
        """Words that can fill a role, left to right; where two overlap, the longer."""
        if self._roles is None:
            words = sorted(
                (
                    _RoleWord(m.start(), m.end(), name)
                    for name in self.lexicon.roles.lists
                    for m in self.hits(name)
                ),
                key=lambda w: (w.start, -(w.end - w.start)),
            )
            kept: list[_RoleWord] = []
            for word in words:
                if kept and word.start < kept[-1].end:
                    if word.end - word.start > kept[-1].end - kept[-1].start:
                        kept[-1] = word
                    continue
                kept.append(word)
            self._roles = kept
        return self._roles


def _oblique(clause: _Clause, word: _RoleWord) -> bool:
    """Whether a role word is the object of a preposition ("clashed with rebels")."""
    lead = clause.text[max(0, word.start - 40) : word.start]
    return bool(clause.lexicon.roles.oblique.search(lead))


def _first_conjunct(clause: _Clause, before: list[_RoleWord]) -> _RoleWord:
    """The nearest role word, or the first of a run joined by "and" ("the army and allied
    fighters": the army)."""
    chosen = before[-1]
    for word in reversed(before[:-1]):
        if not clause.lexicon.roles.conjunction.fullmatch(clause.text, word.end, chosen.start):
            break
        chosen = word
    return chosen


def _roles_of(clause: _Clause, trigger: re.Match[str]) -> tuple[str, str]:
    """(agent, patient) of a trigger: the names of the role lists of its doer and of what
    it was done to, or "unknown". Active voice: the doer is the nearest role word before
    the trigger that no preposition governs, the done-to the first one after it in its
    sub-clause. Passive voice turns both round, the doer coming after "by"."""
    roles = clause.lexicon.roles
    text = clause.text
    start, end = trigger.start(), trigger.end()
    sub_end = clause.sub_clause(start)[1]
    words = clause.roles()
    before = [w for w in words if w.end <= start and not _oblique(clause, w)]
    near_before = [w for w in before if start - w.end <= roles.agent_reach]
    after = [w for w in words if end <= w.start < sub_end]
    passive = bool(roles.passive_trigger.fullmatch(trigger[0])) or bool(
        roles.passive_before.search(text, max(0, start - 40), start)
    )
    agent_word = None
    if passive:
        # "was seized by government troops", "fell to the rebels": the doer follows.
        joined = end if _JOINED.search(trigger[0]) else None
        if joined is None:
            by = roles.agent_after.match(text, end, min(len(text), end + roles.agent_gap))
            joined = by.end() if by else None
        if joined is not None:
            agent_word = next((w for w in words if joined <= w.start < sub_end), None)
    elif near_before:
        agent_word = _first_conjunct(clause, near_before)
    elif SPEAKER_PRONOUN.search(text, max(0, start - roles.agent_reach), start):
        return _speaker_role(clause), after[0].role if after else _UNKNOWN
    if passive:
        patient_word = before[-1] if before else None
    else:
        patient_word = next((w for w in after if w is not agent_word), None)
    return (
        agent_word.role if agent_word else _UNKNOWN,
        patient_word.role if patient_word else _UNKNOWN,
    )


def _near(rule: Rule, clause: _Clause, trigger: re.Match[str]) -> bool:
    """Whether a word of one of the rule's `near` lists is within its window of the trigger,
    in the trigger's own sub-clause."""
    sub_start, sub_end = clause.sub_clause(trigger.start())
    low = max(sub_start, trigger.start() - rule.window)
    high = min(sub_end, trigger.end() + rule.window)
    span = trigger.span()
    return any(
        m.end() > low and m.start() < high and m.span() != span
        for cue in rule.near
        for m in clause.hits(cue)
    )


def _filtered(clause: _Clause, at: int) -> bool:
    """Whether a forecast, denial, grievance, recollection, tally or figurative phrase governs
    the trigger at `at`: the first four shortly before it in its sub-clause, the last two
    anywhere in its sub-clause."""
    lexicon = clause.lexicon
    start, end = clause.sub_clause(at)
    window_start = max(start, at - lexicon.filter_window)
    if any(clause.filter_holds(name, window_start, at) for name in _WINDOW_FILTERS):
        return True
    return clause.voided(start, end)


def _fires(
    rule: Rule, clause: _Clause, start: int, end: int, second: bool = False, reach: int = 0
) -> re.Match[str] | None:
    """The first trigger of a rule between `start` and `end` that meets all its conditions
    (for a sentence's second event, no trigger that only counts casualties). A `none` word
    vetoes the rule up to `reach` when that is further than `end` (the rest of the sub-clause:
    "rounded up and kidnapped" is no arrest)."""
    consequences = clause.lexicon.consequences
    found = [
        hits
        for cue in rule.any
        if not (second and cue in consequences) and (hits := clause.hits(cue))
    ]
    if not found:
        return None
    candidates = sorted(
        (m for hits in found for m in hits if start <= m.start() < end), key=lambda m: m.start()
    )
    if not candidates or any(clause.has(c, start, max(end, reach)) for c in rule.none):
        return None
    if not all(clause.has(c, start, end) for c in rule.all):
        return None
    for match in candidates:
        if rule.near and not _near(rule, clause, match):
            continue
        if rule.agent or rule.patient:
            agent, patient = clause.roles_of(match)
            if rule.agent and agent not in rule.agent:
                continue
            if rule.patient and patient not in rule.patient:
                continue
        if _filtered(clause, match.start()):
            continue
        return match
    return None


def _first_rule(
    clause: _Clause,
    start: int,
    end: int,
    after: Rule | None = None,
    other_disorder: bool = False,
    reach: int = 0,
) -> tuple[Rule, re.Match[str]] | None:
    """The first rule that fires between `start` and `end`; of rules of one group, the one
    whose trigger comes first. `after`: the sentence's first event, whose story a second
    event must not tell again (nor its kind of disorder, with `other_disorder`); `reach`: the
    end of the sub-clause, for `none` words."""
    lexicon = clause.lexicon
    rules = clause.live_rules()
    index = 0
    while index < len(rules):
        rule = rules[index]
        group = [rule]
        while (
            rule.group
            and index + len(group) < len(rules)
            and rules[index + len(group)].group == rule.group
        ):
            group.append(rules[index + len(group)])
        index += len(group)
        fired = [
            (candidate, match)
            for candidate in group
            if not (after and _same_story(lexicon, candidate, after, other_disorder))
            and (
                match := _fires(
                    candidate, clause, start, end, second=after is not None, reach=reach
                )
            )
        ]
        if fired:
            return min(fired, key=lambda pair: pair[1].start())
    return None


def _same_story(lexicon: TriggerLexicon, rule: Rule, other: Rule, by_disorder: bool) -> bool:
    if rule.sub_event_type == other.sub_event_type:
        return True
    if by_disorder:
        disorder = taxonomy().disorder_of
        if disorder[rule.event_type] == disorder[other.event_type]:
            return True
    story = lexicon.story_of.get(rule.sub_event_type)
    return story is not None and story == lexicon.story_of.get(other.sub_event_type)


def find_mentions(sentence: Span, clause: Span, heads: WordHeads | None = None) -> list[Mention]:
    """Event mentions in a clause: the first rule that fires, and a second event of another
    story when another sub-clause, or the words before the first trigger, fire a rule of their
    own ("shot down hours after rockets struck"). `heads`: the heads of the sentence's words
    (`wordscan.word_heads`), when they have been read."""
    lexicon = triggers()
    said_by = sentence.text[: max(0, clause.start - sentence.start)]
    reading = _Clause(clause.text, lexicon, said_by, _heads_within(sentence, clause, heads))
    first = _first_rule(reading, 0, len(clause.text)) if reading.may_trigger() else None
    if first is None:
        if clause == sentence:
            return []
        # What a speaker is said to have said holds no event: read the whole sentence (the
        # speaker's words were taken for the content, "X happened, police said, as ...").
        clause = sentence
        reading = _Clause(clause.text, lexicon, heads=heads)
        first = _first_rule(reading, 0, len(clause.text)) if reading.may_trigger() else None
        if first is None:
            return []
    found = [_mention(sentence, clause, *first)]
    first_at = first[1].start()
    for start, clause_end in reading.bounds:
        same_clause = start <= first_at < clause_end
        # In the first event's own sub-clause, only what comes before its trigger, and of
        # another kind of disorder ("arrested 31 people over a protest that turned violent").
        end = first_at if same_clause else clause_end
        second = (
            _first_rule(
                reading, start, end, after=first[0], other_disorder=same_clause, reach=clause_end
            )
            if end > start
            else None
        )
        if second is not None:
            found.append(_mention(sentence, clause, *second))
            # Two clauses tell two events in reading order; a lesser event named before the
            # trigger of the sentence's main one ("arrested 31 over a riot") comes after it.
            return found if same_clause else sorted(found, key=lambda m: m.trigger.start)
    return found


def _heads_within(sentence: Span, clause: Span, heads: WordHeads | None) -> WordHeads | None:
    """The heads of a clause's words, from those of its sentence's (None when unknown)."""
    if heads is None:
        return None
    offset = clause.start - sentence.start
    return heads_within(sentence.text, heads, offset, offset + len(clause.text))


def _speaker_role(clause: _Clause) -> str:
    """The role list of the last role word before what a speaker is said to have said."""
    words = _Clause(clause.said_by, clause.lexicon).roles() if clause.said_by else []
    return words[-1].role if words else _UNKNOWN


def _mention(sentence: Span, clause: Span, rule: Rule, match: re.Match[str]) -> Mention:
    start = clause.start + match.start()
    return Mention(sentence, clause, rule, Span(start, clause.start + match.end(), match[0]))
