"""Events of one document: mentions grouped into events, every field with its evidence."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from wiredesk.extract.claims import Attribution, SpeakerMemory, find_attributions
from wiredesk.extract.figures import Figure, WeaponMention, read_casualties, read_weapons
from wiredesk.extract.lexicon import Rule, triggers
from wiredesk.extract.mentions import Mention, find_mentions
from wiredesk.records import (
    Actor,
    Claim,
    DateInterval,
    Document,
    Event,
    Evidence,
    Location,
    Place,
    Span,
    TimeExpression,
)
from wiredesk.resolve.actor import ActorEntry, ActorMention, actor_dictionary
from wiredesk.resolve.place import event_place
from wiredesk.resolve.time import shift_from_event

# An event dated this long before publication is background, not the news.
BACKGROUND_AFTER = timedelta(days=7)
# Two mentions whose places are this close can be one event.
SAME_PLACE_KM = 60.0
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_AGENT = re.compile(r"^\W*(?:\w+\s+){0,3}?by\s+(?:the\s+)?$", re.IGNORECASE)
_ARMED_GENERIC = "Unidentified Armed Group ({country})"


@dataclass(slots=True)
class _Sentence:
    span: Span
    attributions: list[Attribution]
    times: list[TimeExpression]
    places: list[Place]


@dataclass(slots=True)
class _Draft:
    rule: Rule
    mentions: list[Mention] = field(default_factory=list)
    sentences: list[_Sentence] = field(default_factory=list)
    time: TimeExpression | None = None
    interval: DateInterval | None = None
    place: Place | None = None
    actor1: ActorMention | None = None
    background_cue: bool = False
    last_sentence: int = 0


def _km(a: Place, b: Place) -> float:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return math.inf
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _same_place(a: Place, b: Place) -> bool:
    if a.name == b.name or _km(a, b) <= SAME_PLACE_KM:
        return True
    coarse = {"province", "country", "district"}
    # A province or country holds the towns and bases inside it.
    if a.precision in coarse or b.precision in coarse:
        outer, inner = (a, b) if a.precision in coarse else (b, a)
        if outer.precision == "country":
            return outer.country == inner.country
        return outer.country == inner.country and outer.admin1 == inner.admin1
    return False


def _overlaps(a: DateInterval, b: DateInterval) -> bool:
    return a.start <= b.end and b.start <= a.end


def _sentence_time(sentence: _Sentence, near: int) -> TimeExpression | None:
    """The date expression of a sentence closest to a position (usually the trigger)."""
    dated = [t for t in sentence.times if t.type in ("DATE", "TIME")]
    return min(dated, key=lambda t: abs(t.span.start - near), default=None)


def _interval(
    expr: TimeExpression, drafts: list[_Draft], text: str
) -> DateInterval | None:
    if not expr.anchored_to_event:
        return expr.interval
    anchor = next((d.interval for d in reversed(drafts) if d.interval), None)
    if anchor is None:
        return None
    forward = shift_from_event(expr, anchor)
    if forward is None:
        return None
    # "Two days after the attack, X": X is later. "The strike comes a day after Y": Y is earlier.
    after = text[expr.span.end : expr.span.end + 40]
    if re.match(r"\s*(?:the|that|this)\s+\w+\s*,", after):
        return forward
    shift = forward.start - anchor.start
    return DateInterval(anchor.start - shift, anchor.end - shift, forward.precision)


def _compatible(draft: _Draft, mention: Mention, interval: DateInterval | None, place: Place | None,
                actor1: ActorMention | None) -> bool:
    if draft.rule.event_type != mention.rule.event_type:
        return False
    if draft.rule.event_type == "Strategic developments" and draft.rule != mention.rule:
        return False
    if interval and draft.interval and not _overlaps(interval, draft.interval):
        return False
    if place and draft.place and not _same_place(place, draft.place):
        return False
    return not (actor1 and draft.actor1 and actor1.entry != draft.actor1.entry)


class _DocumentContext:
    """What the events of one document share: its text, actors and the armed group it is about."""

    def __init__(self, doc: Document, sentences: list[Span], places: list[Place]) -> None:
        self.doc = doc
        lead_end = sentences[min(2, len(sentences) - 1)].end if sentences else 0
        self.lead_place = next(
            (p for p in places if p.span.start < lead_end and p.precision != "unknown"), None
        )
        self.actor_mentions = actor_dictionary().find(doc.text)
        named = Counter(
            m.entry for m in self.actor_mentions
            if not m.entry.generic and m.entry.inter in ("Rebel group", "Political militia")
        )
        self.dominant_group: ActorEntry | None = named.most_common(1)[0][0] if named else None

    def actors_in(self, start: int, end: int) -> list[ActorMention]:
        return [m for m in self.actor_mentions if m.span.start >= start and m.span.end <= end]

    def resolve(self, mention: ActorMention) -> ActorEntry:
        """A generic armed-group word ("the militants") stands for the document's named group."""
        if mention.entry.generic and mention.entry.name == _ARMED_GENERIC and self.dominant_group:
            return self.dominant_group
        return mention.entry


def _roles(mention: Mention, context: _DocumentContext) -> tuple[list[ActorMention], list[ActorMention]]:
    """Who acted and who was acted on, from word order around the trigger."""
    text = context.doc.text
    acting: list[ActorMention] = []
    acted_on: list[ActorMention] = []
    before = text[mention.clause.start : mention.trigger.start]
    passive = bool(_PASSIVE.search(before))
    for actor in context.actors_in(mention.clause.start, mention.clause.end):
        if actor.span.start >= mention.trigger.end:
            between = text[mention.trigger.end : actor.span.start]
            (acting if _AGENT.match(between) else acted_on).append(actor)
        else:
            (acted_on if passive else acting).append(actor)
    return acting, acted_on


def _event_id(doc: Document, mention: Mention) -> str:
    key = f"{doc.id}:{mention.trigger.start}:{mention.rule.sub_event_type}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def extract_events(
    doc: Document,
    sentence_spans: list[Span],
    times: list[TimeExpression],
    places: list[Place],
) -> list[Event]:
    """The events a document reports, the news first, background after, in reading order."""
    context = _DocumentContext(doc, sentence_spans, places)
    memory = SpeakerMemory()
    drafts: list[_Draft] = []
    background = triggers().filters["background"]
    current: _Draft | None = None
    for index, span in enumerate(sentence_spans):
        sentence = _Sentence(
            span,
            find_attributions(span, memory),
            [t for t in times if span.start <= t.span.start < span.end],
            [p for p in places if span.start <= p.span.start < span.end],
        )
        said = next((a for a in sentence.attributions if a.kind == "said"), None)
        clause = said.content if said else span
        mentions = find_mentions(span, clause)
        for mention in mentions:
            expr = _sentence_time(sentence, mention.trigger.start)
            interval = _interval(expr, drafts, doc.text) if expr else None
            in_clause = [p for p in sentence.places if clause.start <= p.span.start < clause.end]
            place = event_place(in_clause or sentence.places, span, mention.trigger)
            acting, _ = _roles(mention, context)
            actor1 = acting[0] if acting else None
            candidates = drafts if interval else drafts[::-1][:3]
            target = next(
                (d for d in reversed(candidates) if _compatible(d, mention, interval, place, actor1)),
                None,
            )
            if target is None:
                target = _Draft(mention.rule, background_cue=bool(background.search(span.text)))
                # An undated mention right after a background event continues its story.
                if interval is None and drafts and index - drafts[-1].last_sentence <= 2:
                    previous = drafts[-1]
                    if previous.interval and _is_background(previous, doc.published):
                        interval, expr = previous.interval, None
                        target.background_cue = True
                drafts.append(target)
            target.mentions.append(mention)
            if sentence not in target.sentences:
                target.sentences.append(sentence)
            if target.interval is None and interval is not None:
                target.time, target.interval = expr, interval
            target.place = target.place or place
            target.actor1 = target.actor1 or actor1
            target.last_sentence = index
            current = target
        if (
            not mentions
            and current is not None
            and index - current.last_sentence <= 2
            and (sentence.attributions or _states_casualties(span))
            and not triggers().filters["tally"].search(span.text)
        ):
            current.sentences.append(sentence)
            current.last_sentence = index
            if current.interval is None:
                expr = _sentence_time(sentence, span.start)
                if expr is not None and (interval := _interval(expr, drafts, doc.text)):
                    current.time, current.interval = expr, interval
    return _finish(drafts, context)


def _states_casualties(span: Span) -> bool:
    figures = read_casualties(span)
    return figures.killed is not None or figures.injured is not None


def _is_background(draft: _Draft, published: date | None) -> bool:
    if draft.background_cue:
        return True
    if draft.interval and published:
        return draft.interval.end < published - BACKGROUND_AFTER
    return False


def _finish(drafts: list[_Draft], context: _DocumentContext) -> list[Event]:
    doc = context.doc
    lead = next((d for d in drafts if not _is_background(d, doc.published)), None)
    events = []
    for draft in drafts:
        is_background = draft is not lead and (
            _is_background(draft, doc.published)
            or bool(
                lead and lead.interval and draft.interval
                and draft.interval.end < lead.interval.start
            )
        )
        if draft is lead and draft.place is None:
            # The news event with no place in its own sentences happened where the lead says.
            draft.place = context.lead_place
        events.append(_build(draft, context, is_background))
    return events


def _build(draft: _Draft, context: _DocumentContext, background: bool) -> Event:
    doc = context.doc
    first = draft.mentions[0]
    evidence = [Evidence(doc.id, m.trigger.start, m.trigger.end, m.trigger.text, "trigger") for m in draft.mentions]
    event = Event(
        id=_event_id(doc, first),
        event_type=draft.rule.event_type,
        sub_event_type=draft.rule.sub_event_type,
        plover=draft.rule.plover,
        background=background,
        sources=[doc.id],
    )
    if draft.interval is not None:
        event.date = draft.interval.start
        event.date_end = draft.interval.end if draft.interval.end != draft.interval.start else None
        event.date_precision = draft.interval.precision
        if draft.time is not None:
            event.date_text = draft.time.span.text
            evidence.append(_evidence(doc, draft.time.span, "date"))
    place = draft.place
    if place is not None:
        event.location = Location.from_place(place)
        evidence.append(_evidence(doc, place.span, "location"))
    country = _country_name(place.country if place else None)
    _fill_actors(event, draft, context, country, evidence)
    _fill_weapons_and_casualties(event, draft, evidence, doc)
    _fill_claims(event, draft, doc, evidence)
    event.evidence = sorted(evidence, key=lambda e: (e.start, e.end))
    return event


def _evidence(doc: Document, span: Span, name: str) -> Evidence:
    return Evidence(doc.id, span.start, span.end, span.text, name)


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return str(getattr(country, "common_name", None) or country.name)


def _fill_actors(event: Event, draft: _Draft, context: _DocumentContext, country: str | None,
                 evidence: list[Evidence]) -> None:
    acting: list[ActorMention] = []
    acted_on: list[ActorMention] = []
    for mention in draft.mentions:
        a, b = _roles(mention, context)
        acting += a
        acted_on += b
    claimed_by = next(
        (a.by for s in draft.sentences for a in s.attributions if a.kind == "responsibility" and a.by),
        None,
    )
    chosen: list[tuple[str, ActorEntry | None, str, ActorMention | None, bool]] = []
    if acting:
        chosen.append(("actor1", context.resolve(acting[0]), acting[0].span.text, acting[0], False))
    elif claimed_by:
        entry = actor_dictionary().entry_for(claimed_by)
        chosen.append(("actor1", entry, claimed_by, None, True))
    first_entry = chosen[0][1] if chosen else None
    for candidate in acted_on:
        entry = context.resolve(candidate)
        if entry != first_entry:
            chosen.append(("actor2", entry, candidate.span.text, candidate, False))
            break
    for role, entry, written, mention, claimed in chosen:
        name = entry.named_for(country) if entry else written
        inter = entry.inter if entry else None
        event.actors.append(Actor(name, role, inter, written, claimed))  # type: ignore[arg-type]
        if mention is not None:
            evidence.append(_evidence(context.doc, mention.span, role))


def _fill_weapons_and_casualties(event: Event, draft: _Draft, evidence: list[Evidence],
                                 doc: Document) -> None:
    seen: dict[tuple[str, str | None], WeaponMention] = {}
    killed: Figure | None = None
    injured: Figure | None = None
    for mention in draft.mentions:
        for weapon in read_weapons(mention.clause):
            key = (weapon.weapon.name, weapon.weapon.model)
            if key not in seen or (seen[key].weapon.count is None and weapon.weapon.count):
                seen[key] = weapon
    for sentence in draft.sentences:
        figures = read_casualties(sentence.span)
        if figures.killed and (killed is None or figures.killed.value > killed.value):
            killed = figures.killed
        if figures.injured and (injured is None or figures.injured.value > injured.value):
            injured = figures.injured
    event.weapons = [w.weapon for w in seen.values()]
    evidence.extend(_evidence(doc, w.span, "weapon") for w in seen.values())
    if killed is not None:
        event.fatalities = killed.value
        evidence.append(_evidence(doc, killed.span, "fatalities"))
    if injured is not None:
        event.injuries = injured.value
        evidence.append(_evidence(doc, injured.span, "injuries"))


def _fill_claims(event: Event, draft: _Draft, doc: Document, evidence: list[Evidence]) -> None:
    actor_names = {a.text for a in event.actors if a.text} | {a.name for a in event.actors}
    dictionary = actor_dictionary()
    actor_entries = {dictionary.entry_for(n) for n in actor_names} - {None}
    for sentence in draft.sentences:
        for attribution in sentence.attributions:
            if attribution.kind == "responsibility":
                kind = "responsibility"
            elif attribution.kind == "denial":
                kind = "denial"
            elif _states_casualties(attribution.content):
                kind = "casualty_figure"
            elif attribution.by and (
                attribution.by in actor_names or dictionary.entry_for(attribution.by) in actor_entries
            ):
                kind = "statement"
            else:
                kind = "report"
            content = attribution.content
            event.claims.append(
                Claim(attribution.by, kind, content.text, content.start, content.end, doc.id)  # type: ignore[arg-type]
            )
            evidence.append(_evidence(doc, content, "claim"))
