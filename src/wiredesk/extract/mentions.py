"""Event mentions: the sentences (or clauses) where a trigger rule fires."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiredesk.extract.lexicon import Rule, triggers
from wiredesk.records import Span

# Words that start a new clause, so that one sentence can report two events.
_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\b(?:hours?|days?|minutes?) (?:after|before)\b|\b(?:after|before|while|as|when)\b")
# A filter word counts only this close before the trigger (a forecast far away is another clause).
_FILTER_WINDOW = 60


@dataclass(frozen=True, slots=True)
class Mention:
    sentence: Span
    clause: Span  # the part of the sentence the event is read from (not the speaker's words)
    rule: Rule
    trigger: Span


def _first(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    return pattern.search(text, start, end)


def _fires(rule: Rule, text: str, start: int, end: int) -> re.Match[str] | None:
    cues = triggers().cues
    if any(_first(cues[c], text, start, end) for c in rule.none):
        return None
    if not all(_first(cues[c], text, start, end) for c in rule.all):
        return None
    hits = [m for c in rule.any if (m := _first(cues[c], text, start, end))]
    return min(hits, key=lambda m: m.start()) if hits else None


def _filtered(text: str, trigger_start: int) -> bool:
    """Whether a modal, denial or war-tally phrase governs the trigger: in its own sub-clause,
    a modal or denial shortly before it, a tally anywhere."""
    start, end = next((a, b) for a, b in _clauses(text) if a <= trigger_start < b)
    window_start = max(start, trigger_start - _FILTER_WINDOW)
    filters = triggers().filters
    near = any(
        filters[name].search(text, window_start, trigger_start)
        for name in ("modality", "denial")
    )
    return near or bool(filters["tally"].search(text, start, end))


def _clauses(text: str) -> list[tuple[int, int]]:
    """Offsets of the sub-clauses of a clause's text."""
    bounds = [0, *(m.start() for m in _CLAUSE_BREAK.finditer(text)), len(text)]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def find_mentions(sentence: Span, clause: Span) -> list[Mention]:
    """Event mentions in a clause: the first rule that fires, and a second event of another
    type when a later sub-clause has its own trigger ("shot down hours after rockets struck")."""
    text = clause.text
    found: list[Mention] = []
    for rule in triggers().rules:
        match = _fires(rule, text, 0, len(text))
        if match is None or _filtered(text, match.start()):
            continue
        found.append(_mention(sentence, clause, rule, match))
        break
    if not found:
        return found
    first = found[0]
    first_at = first.trigger.start - clause.start
    for start, end in _clauses(text):
        if start <= first_at < end:
            continue
        for rule in triggers().rules:
            if rule.event_type == first.rule.event_type:
                continue
            match = _fires(rule, text, start, end)
            if match is not None and not _filtered(text, match.start()):
                found.append(_mention(sentence, clause, rule, match))
                return sorted(found, key=lambda m: m.trigger.start)
    return found


def _mention(sentence: Span, clause: Span, rule: Rule, match: re.Match[str]) -> Mention:
    start = clause.start + match.start()
    return Mention(sentence, clause, rule, Span(start, clause.start + match.end(), match[0]))
