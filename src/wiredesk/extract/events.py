"""Events of one document: mentions grouped into events, every field with its evidence."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from wiredesk.extract.claims import Attribution, SpeakerMemory, find_attributions
from wiredesk.extract.figures import Figure, WeaponMention, read_casualties, read_weapons
from wiredesk.extract.lexicon import Rule, triggers
from wiredesk.extract.mentions import Mention, find_mentions
from wiredesk.knowledge import load_toml
from wiredesk.records import (
    GEO_PRECISION_RANK,
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
    Weapon,
    distance_km,
)
from wiredesk.resolve.actor import (
    ActorEntry,
    ActorMention,
    RoleRule,
    actor_dictionary,
    country_name,
    group_names,
    role_rules,
    state_forces,
)
from wiredesk.resolve.place import event_place, is_demonym
from wiredesk.resolve.time import shift_from_event

# An event this many days before the lead event can still be part of its story (the riot the
# day before the arrests it led to).
_SAME_STORY_DAYS = timedelta(days=1)
# An event dated this long before publication is background, not the news.
BACKGROUND_AFTER = timedelta(days=7)
# Two mentions whose places are this close can be one event.
SAME_PLACE_KM = 60.0
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_AGENT = re.compile(r"^\W*(?:\w+\s+){0,3}?by\s+(?:the\s+)?$", re.IGNORECASE)
_BY = re.compile(r"\bby\s+(?:the\s+)?(?:former\s+|then[- ]|acting\s+)?$", re.IGNORECASE)
_VERB_CUES = ("attack_verb", "kill", "intercept", "abduct", "arrest", "clash", "overtake", "regain")
_VERB_FORM = re.compile(
    r"(?:ed|en|hit|struck|fell|shot down|brought down|fought|overran|retook)$", re.IGNORECASE
)
_ARMED_GENERIC = "Unidentified Armed Group ({country})"
_PROPERTY_DESTRUCTION = "Looting/property destruction"
_VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
# "the same base", "the airbase": the facility named before.
_SAME_PLACE = re.compile(
    r"\bthe (?:same )?(?:[\w-]+ ){0,2}"
    r"(?:base|air ?base|airbase|airfield|facility|garrison|camp|outpost)\b",
    re.IGNORECASE,
)


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
    inherited_target: ActorEntry | None = None  # who was hit at "the same base", from before


def _km(a: Place, b: Place) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    return distance_km(a.lat, a.lon, b.lat, b.lon)


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


# A clock time alone ("at 11:15 p.m.") names no day: the day comes from the story around it.
_NAMES_A_DAY = re.compile(
    r"\b(?:mon|tues?|wednes|thurs?|fri|satur|sun)(?:day)?s?\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec)[a-z]*\b|\d{4}-\d{2}-\d{2}|yesterday|today|tonight|last night|overnight",
    re.IGNORECASE,
)


def _sentence_time(sentence: _Sentence, near: int) -> TimeExpression | None:
    """The date expression of a sentence that dates the event at a position (its trigger):
    not one inside a side clause about something else ("a group that emerged in February");
    a shift from another event right at the trigger ("two days after deadly fighting"), else
    the nearest explicit date ("hours after ... late on March 2"), else the nearest shift."""
    text = sentence.span.text
    dated = [
        t
        for t in sentence.times
        if (
            t.type == "DATE"
            or t.anchored_to_event
            or (t.type == "TIME" and _NAMES_A_DAY.search(t.span.text))
        )
        and not _in_side_clause(
            text, t.span.start - sentence.span.start, near - sentence.span.start
        )
    ]

    def rank(t: TimeExpression) -> tuple[bool, bool, int]:
        distance = min(abs(t.span.start - near), abs(t.span.end - near))
        return (distance > _AT_TRIGGER, t.anchored_to_event, distance)

    return min(dated, key=rank, default=None)


_SIDE_CLAUSE = re.compile(r",\s+(?:a|an|which|who|whose|that)\b[^,]*(?:,|$)")
# A time expression this close (in characters) to the trigger dates it, shift or not.
_AT_TRIGGER = 12


def _in_side_clause(text: str, at: int, trigger: int) -> bool:
    """Whether a position lies in an appositive or relative clause that the trigger is not in."""
    return any(
        m.start() <= at < m.end() and not m.start() <= trigger < m.end()
        for m in _SIDE_CLAUSE.finditer(text)
    )


def _interval(expr: TimeExpression, drafts: list[_Draft], text: str) -> DateInterval | None:
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


def _same_family(draft: _Draft, mention: Mention) -> bool:
    """Whether a mention can tell more of a draft's event: violence with violence,
    demonstrations with demonstrations, a strategic development only with its own kind;
    property destruction belongs to whatever event it happened in."""
    if mention.rule.sub_event_type == _PROPERTY_DESTRUCTION:
        return True
    if draft.rule.event_type == "Strategic developments":
        return draft.rule.sub_event_type == mention.rule.sub_event_type
    return _family_of(draft.rule) == _family_of(mention.rule)


def _compatible(
    draft: _Draft,
    mention: Mention,
    interval: DateInterval | None,
    place: Place | None,
    actor1: ActorMention | None,
) -> bool:
    if not _same_family(draft, mention):
        return False
    if interval and draft.interval and not _overlaps(interval, draft.interval):
        return False
    if actor1 and draft.actor1 and actor1.entry != draft.actor1.entry:
        return False
    if place and draft.place and not _same_place(place, draft.place):
        # The same actor doing the same thing, told once by region and once by town.
        coarse = {"province", "country", "district"}
        same_story = (
            actor1 is not None
            and draft.actor1 is not None
            and draft.rule == mention.rule
            and place.country == draft.place.country
            and (place.precision in coarse or draft.place.precision in coarse)
        )
        return same_story
    return True


class _DocumentContext:
    """What the events of one document share: its text, actors and the armed group it is about."""

    def __init__(self, doc: Document, sentences: list[Span], places: list[Place]) -> None:
        self.doc = doc
        lead_end = sentences[min(2, len(sentences) - 1)].end if sentences else 0
        self.lead_place = next(
            (
                p
                for p in places
                if p.span.start < lead_end and p.precision != "unknown" and not is_demonym(p)
            ),
            None,
        )
        found = actor_dictionary().find(doc.text)
        # Armed forces named by their country, then groups known only by the shape of their
        # names, count where no actor found before already covers the words.
        for extra in (state_forces(doc.text), group_names().find(doc.text)):
            found += [
                m
                for m in extra
                if not any(k.span.start < m.span.end and m.span.start < k.span.end for k in found)
            ]
        self.actor_mentions = sorted(found, key=lambda m: m.span.start)
        named = Counter(
            m.entry
            for m in self.actor_mentions
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


def _verb(mention: Mention, text: str) -> Span:
    """The verb the roles hang on: the first action word of the clause, else the trigger."""
    cues = triggers().cues
    found = [
        m
        for name in _VERB_CUES
        if (m := cues[name].search(text, mention.clause.start, mention.clause.end))
        and _VERB_FORM.search(m[0])
    ]
    if not found:
        return mention.trigger
    first = min(found, key=lambda m: m.start())
    return Span(first.start(), first.end(), first[0])


def _roles(
    mention: Mention, context: _DocumentContext
) -> tuple[list[ActorMention], list[ActorMention]]:
    """Who acted and who was acted on, from the voice of the verb and word order around it."""
    text = context.doc.text
    verb = _verb(mention, text)
    acting: list[ActorMention] = []
    acted_on: list[ActorMention] = []
    passive = bool(_PASSIVE.search(text[mention.clause.start : verb.start]))
    for actor in context.actors_in(mention.clause.start, mention.clause.end):
        if actor.span.start >= verb.end:
            lead = text[max(verb.end, actor.span.start - 40) : actor.span.start]
            agent = _AGENT.match(text[verb.end : actor.span.start]) or (
                passive and _BY.search(lead)
            )
            (acting if agent else acted_on).append(actor)
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
    assembler = _Assembler(_DocumentContext(doc, sentence_spans, places))
    memory = SpeakerMemory()
    for index, span in enumerate(sentence_spans):
        sentence = _Sentence(
            span,
            find_attributions(span, memory),
            [t for t in times if span.start <= t.span.start < span.end],
            [p for p in places if span.start <= p.span.start < span.end],
        )
        assembler.read(index, sentence)
    return _finish(assembler.drafts, assembler.context)


class _Assembler:
    """Reads a document sentence by sentence, growing one draft per real-world event."""

    def __init__(self, context: _DocumentContext) -> None:
        self.context = context
        self.drafts: list[_Draft] = []
        self.current: _Draft | None = None

    def read(self, index: int, sentence: _Sentence) -> None:
        text = self.context.doc.text
        said = next((a for a in sentence.attributions if a.kind == "said"), None)
        clause = said.content if said else sentence.span
        mentions = [m for m in find_mentions(sentence.span, clause) if not _negated(m, text)]
        for mention in mentions:
            self._add(index, sentence, clause, mention)
        current = self.current
        if (
            not mentions
            and current is not None
            and _continues(current, sentence, self.drafts, text)
        ):
            current.sentences.append(sentence)
            current.last_sentence = index
            if current.interval is None:
                expr = _sentence_time(sentence, sentence.span.start)
                if expr is not None and (interval := _interval(expr, self.drafts, text)):
                    current.time, current.interval = expr, interval

    def _add(self, index: int, sentence: _Sentence, clause: Span, mention: Mention) -> None:
        context, drafts = self.context, self.drafts
        text = context.doc.text
        expr = _sentence_time(sentence, mention.trigger.start)
        interval = _interval(expr, drafts, text) if expr else None
        place = event_place(
            _event_places(sentence, clause, context), sentence.span, mention.trigger
        )
        acting, _ = _roles(mention, context)
        actor1 = acting[0] if acting else None
        cue = bool(triggers().filters["background"].search(sentence.span.text))
        target = self._continued(index, mention, interval) or self._matching(
            mention, interval, place, actor1, cue
        )
        if target is None:
            target = _Draft(mention.rule, background_cue=cue)
            # An undated, actorless mention right after a background event continues its story.
            if (
                interval is None
                and actor1 is None
                and drafts
                and index - drafts[-1].last_sentence <= 2
            ):
                previous = drafts[-1]
                if previous.interval and _is_background(previous, context.doc.published):
                    interval, expr = previous.interval, None
                    target.background_cue = True
            drafts.append(target)
        target.mentions.append(mention)
        if sentence not in target.sentences:
            target.sentences.append(sentence)
        if target.interval is None and interval is not None:
            target.time, target.interval = expr, interval
        if place is not None and (
            target.place is None
            or GEO_PRECISION_RANK[place.precision] < GEO_PRECISION_RANK[target.place.precision]
        ):
            target.place = place
        if target.place is None and _SAME_PLACE.search(mention.clause.text):
            _inherit_place(target, drafts, context)
        target.actor1 = target.actor1 or actor1
        target.last_sentence = index
        self.current = target

    def _continued(
        self, index: int, mention: Mention, interval: DateInterval | None
    ) -> _Draft | None:
        """The event just told, when the mention points back at it ("the attack wounded three")."""
        current = self.current
        if current is None or index - current.last_sentence > 2:
            return None
        noun = _REFERS_BACK.search(mention.clause.text)
        if noun is None or _family(noun["noun"]) != _family_of(current.rule):
            return None
        if interval and current.interval and not _overlaps(interval, current.interval):
            return None
        return current

    def _matching(
        self,
        mention: Mention,
        interval: DateInterval | None,
        place: Place | None,
        actor1: ActorMention | None,
        cue: bool,
    ) -> _Draft | None:
        """An earlier event this mention agrees with. A mention with no date or place of its own
        adds to the story of its kind told last; one with a place but no date, to one of the
        last few; a dated one, to any it agrees with."""
        if interval is None and place is None:
            candidates = self.drafts[::-1]
        else:
            candidates = self.drafts[::-1] if interval else self.drafts[::-1][:3]
        return next(
            (
                d
                for d in candidates
                # An earlier event's story goes on in the sentences right after it.
                if (d.background_cue == cue or (not cue and d is self.current))
                and _compatible(d, mention, interval, place, actor1)
            ),
            None,
        )


# "The attack wounded three", "Sunday's blast": a definite reference to an event told before.
_REFERS_BACK = re.compile(
    r"\b(?:the|this|that|these|those|[A-Z][a-z]+day['’]s|the weekend['’]s|last night['’]s)\s+"
    r"(?:[\w-]+\s+){0,2}?(?P<noun>attacks?|strikes?|blasts?|bombings?|explosions?|raids?|assaults?|"
    r"shelling|ambush|clashes|fighting|violence|protests?|demonstrations?|rall(?:y|ies)|riots?|"
    r"unrest|march)\b"
)
_DEMONSTRATION_NOUNS = ("protest", "demonstration", "rally", "rallies", "riot", "unrest", "march")


def _family(noun: str) -> str:
    return "demonstration" if noun.lower().startswith(_DEMONSTRATION_NOUNS) else "violence"


def _family_of(rule: Rule) -> str:
    if rule.event_type in ("Protests", "Riots"):
        return "demonstration"
    return "development" if rule.event_type == "Strategic developments" else "violence"


_NEGATION = re.compile(r"\b(?:no|not|never|without|nor|neither)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


def _negated(mention: Mention, text: str) -> bool:
    """ "No arrests were made", "without firing a shot": a trigger that says nothing happened."""
    return bool(_NEGATION.search(text, max(0, mention.trigger.start - 25), mention.trigger.start))


def _continues(draft: _Draft, sentence: _Sentence, drafts: list[_Draft], text: str) -> bool:
    """Whether a sentence with no trigger of its own goes on about the event just told: it
    attributes something or states casualties, close by, and names no other time."""
    span = sentence.span
    if sentence.span.start - draft.sentences[-1].span.end > _CONTINUATION_CHARS:
        return False
    tally = triggers().filters["tally"].search(span.text)
    if not sentence.attributions and (tally or not _states_casualties(span)):
        return False
    expr = _sentence_time(sentence, span.start)
    if expr is not None and draft.interval is not None:
        interval = _interval(expr, drafts, text)
        if interval is not None and not _overlaps(interval, draft.interval):
            return False
    return True


# Words after which a place is the reason or the backdrop of an event, not where it happened.
_BACKDROP = re.compile(
    r"\b(?:in (?:retaliation|response|revenge) (?:for|to)|in support of|in solidarity with|"
    r"over (?:the|its|their)|amid|because of|following)\b",
    re.IGNORECASE,
)


def _event_places(sentence: _Sentence, clause: Span, context: _DocumentContext) -> list[Place]:
    """Places of a sentence that can be where its event happened: in the event's clause,
    before any backdrop phrase, and not part of an actor's name ("Islamic Resistance in Iraq")."""
    backdrop = _BACKDROP.search(clause.text)
    end = clause.start + backdrop.start() if backdrop else clause.end
    actors = context.actors_in(sentence.span.start, sentence.span.end)
    text = context.doc.text
    usable = [
        p
        for p in sentence.places
        if not any(a.span.start <= p.span.start and p.span.end <= a.span.end for a in actors)
        # "Iran's Revolutionary Guards": the country owns the actor, the event is elsewhere.
        and not (
            text.startswith(("'s", "’s"), p.span.end)
            and any(0 <= a.span.start - p.span.end <= 4 for a in actors)
        )
    ]
    # A dateline ("KHARTOUM, Dec 9 -") names where the story was filed: the event's place only
    # when the sentence names no other.
    dateline = _DATELINE_PLACE.match(sentence.span.text)
    if dateline:
        cut = sentence.span.start + dateline.end()
        filed_elsewhere = [p for p in usable if p.span.start >= cut]
        usable = filed_elsewhere or usable
    in_clause = [p for p in usable if clause.start <= p.span.start < end]
    return in_clause or [p for p in usable if p.span.start < end or p.span.start >= clause.end]


_SITE_LEAD = re.compile(
    r"\b(?:at|in|inside|outside|near|on|into|onto|targeting|targeted|hit|hitting|struck|striking|"
    r"bombed|shelled|stormed|attacked|raided|besieged|seized)\s+$",
    re.IGNORECASE,
)
# A site this far (in characters) from the trigger is another clause's business.
_SITE_REACH = 80
_DATELINE_PLACE = re.compile(r"^[A-Z][A-Z .'/-]{2,}(?:,[^:–—-]{0,30})?\s*[:–—-]")
# A sentence this far (in characters) after an event's last one no longer continues it.
_CONTINUATION_CHARS = 900


def _inherit_place(draft: _Draft, drafts: list[_Draft], context: _DocumentContext) -> None:
    """ "The same base": the last facility named, and whoever was hit there."""
    for earlier in reversed(drafts):
        if earlier is draft or earlier.place is None or earlier.place.precision != "facility":
            continue
        draft.place = earlier.place
        for mention in earlier.mentions:
            _, acted_on = _roles(mention, context)
            if acted_on:
                draft.inherited_target = context.resolve(acted_on[0])
                return
        return


def _states_casualties(span: Span) -> bool:
    figures = read_casualties(span)
    return figures.killed is not None or figures.injured is not None


def _is_background(draft: _Draft, published: date | None) -> bool:
    if draft.background_cue:
        return True
    if draft.interval and published:
        return draft.interval.end < published - BACKGROUND_AFTER
    return False


def _headline_end(doc: Document) -> int:
    title = (doc.title or "").strip()
    at = doc.text.find(title) if title else -1
    return at + len(title) if 0 <= at < 40 else 0


def _fold_headlines(drafts: list[_Draft], doc: Document) -> list[_Draft]:
    """A headline sums up an event the body tells: its mentions join that event (one of the
    same type if the body has one, else one of the same family)."""
    end = _headline_end(doc)
    if not end:
        return drafts
    body = [
        d
        for d in drafts
        if not d.background_cue and any(m.trigger.start >= end for m in d.mentions)
    ]
    kept: list[_Draft] = []
    for draft in drafts:
        if draft in body or not all(m.trigger.end <= end for m in draft.mentions):
            kept.append(draft)
            continue
        target = next((d for d in body if d.rule.event_type == draft.rule.event_type), None)
        target = target or next(
            (d for d in body if _family_of(d.rule) == _family_of(draft.rule)), None
        )
        if target is None:
            kept.append(draft)
            continue
        target.mentions[:0] = draft.mentions
        target.sentences[:0] = [s for s in draft.sentences if s not in target.sentences]
        target.place = target.place or draft.place
        target.inherited_target = target.inherited_target or draft.inherited_target
    return kept


def _finish(drafts: list[_Draft], context: _DocumentContext) -> list[Event]:
    doc = context.doc
    drafts = _fold_headlines(drafts, doc)
    if doc.published is not None:
        # A date after publication is a forecast or an announcement, not an event.
        drafts = [d for d in drafts if d.interval is None or d.interval.start <= doc.published]
    lead = next((d for d in drafts if not _is_background(d, doc.published)), None)
    _date_from_story(drafts, doc.published)
    events = []
    for draft in drafts:
        is_background = draft is not lead and (
            _is_background(draft, doc.published)
            or bool(
                lead
                and lead.interval
                and draft.interval
                and draft.interval.end < lead.interval.start - _SAME_STORY_DAYS
            )
        )
        if draft is lead and draft.place is None:
            # The news event with no place in its own sentences happened where the lead says.
            draft.place = context.lead_place
        if is_background and (draft.interval is None or draft.interval.precision == "year"):
            continue  # an earlier event with no month to it is context, not a record
        events.append(_build(draft, context, is_background))
    return events


@cache
def _site_pattern() -> re.Pattern[str]:
    nouns = "|".join(load_toml("events/sites.toml")["nouns"])
    return re.compile(
        rf"\b(?:the|a|an|its|their)\s+(?P<site>(?:[\w'’-]+\s+){{0,3}}?(?:{nouns})"
        rf"(?:\s+of\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s*){{1,3}})?)(?![\w-])",
        re.IGNORECASE,
    )


def _site(draft: _Draft) -> Span | None:
    """The site the event hit, named in the clause of its first mention near the trigger."""
    mention = draft.mentions[0]
    clause = mention.clause
    sites = [
        m
        for m in _site_pattern().finditer(clause.text)
        if abs(clause.start + m.start() - mention.trigger.start) <= _SITE_REACH
        # "the hospital was hit", "at a bar", "struck the market"; not "taken to the hospital"
        and (
            clause.start + m.end() <= mention.trigger.start
            or _SITE_LEAD.search(clause.text, 0, m.start())
        )
    ]
    if not sites:
        return None
    best = min(sites, key=lambda m: abs(clause.start + m.start() - mention.trigger.end))
    start, end = clause.start + best.start("site"), clause.start + best.end("site")
    return Span(start, end, clause.text[best.start("site") : best.end("site")].rstrip())


def _date_from_story(drafts: list[_Draft], published: date | None) -> None:
    """News tells its day once: an event of the news with no day of its own (no date, or only
    its year) happened on the day of the news event told before it (or, failing that, after)."""
    news = [d for d in drafts if not _is_background(d, published)]
    for index, draft in enumerate(news):
        if draft.interval is not None and draft.interval.precision != "year":
            continue
        before = [d for d in news[:index] if d.interval and d.interval.precision == "day"]
        after = [d for d in news[index + 1 :] if d.interval and d.interval.precision == "day"]
        source = before[-1] if before else (after[0] if after else None)
        if (
            source is not None
            and source.interval is not None
            and (draft.interval is None or _overlaps(draft.interval, source.interval))
        ):
            draft.time, draft.interval = source.time, source.interval


# A demonstration told over several sentences takes its gravest turn: tear gas in the third
# sentence makes a peaceful march a protest with intervention.
_DEMONSTRATION_SEVERITY = {
    "Peaceful protest": 0,
    "Protest with intervention": 1,
    "Violent demonstration": 2,
    "Excessive force against protesters": 3,
}


def _event_rule(draft: _Draft) -> Rule:
    if draft.rule.sub_event_type not in _DEMONSTRATION_SEVERITY:
        return draft.rule
    told = [m.rule for m in draft.mentions if m.rule.sub_event_type in _DEMONSTRATION_SEVERITY]
    return max(told, key=lambda r: _DEMONSTRATION_SEVERITY[r.sub_event_type], default=draft.rule)


def _build(draft: _Draft, context: _DocumentContext, background: bool) -> Event:
    doc = context.doc
    first = draft.mentions[0]
    evidence = [
        Evidence(doc.id, m.trigger.start, m.trigger.end, m.trigger.text, "trigger")
        for m in draft.mentions
    ]
    rule = _event_rule(draft)
    event = Event(
        id=_event_id(doc, first),
        event_type=rule.event_type,
        sub_event_type=rule.sub_event_type,
        plover=rule.plover,
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
        site = _site(draft) if place.precision == "town" else None
        if site is not None:
            # A named site in a town: facility precision at the town's coordinates.
            event.location.name = f"{site.text}, {place.name}"
            event.location.precision = "facility"
            evidence.append(_evidence(doc, site, "location"))
    country = country_name(place.country if place else None)
    _fill_actors(event, draft, context, country, evidence)
    _fill_weapons_and_casualties(event, draft, evidence, doc)
    _fill_claims(event, draft, doc, evidence)
    event.evidence = sorted(evidence, key=lambda e: (e.start, e.end))
    return event


def _evidence(doc: Document, span: Span, name: str) -> Evidence:
    return Evidence(doc.id, span.start, span.end, span.text, name)


def _fits(entry: ActorEntry | None, rule: RoleRule | None) -> bool:
    return entry is not None and (rule is None or not rule.inter or entry.inter in rule.inter)


def _default_entry(name: str | None) -> ActorEntry | None:
    if name is None:
        return None
    return actor_dictionary().named(name) or ActorEntry(name, None, generic="{country}" in name)


def _fill_actors(
    event: Event,
    draft: _Draft,
    context: _DocumentContext,
    country: str | None,
    evidence: list[Evidence],
) -> None:
    """actor1 and actor2 from word order, the sub-type's role rules (data/actors/roles.toml),
    claims of responsibility and what the event's sentences say of its victims."""
    acting: list[ActorMention] = []
    acted_on: list[ActorMention] = []
    for mention in draft.mentions:
        a, b = _roles(mention, context)
        acting += a
        acted_on += b
    dictionary = actor_dictionary()
    rules = role_rules().get(event.sub_event_type, {})
    rule1, rule2 = rules.get("actor1"), rules.get("actor2")
    responsibility = [
        (s, a)
        for s in draft.sentences
        for a in s.attributions
        if a.kind == "responsibility" and a.by
    ]
    claimants = {dictionary.entry_for(a.by or "") for _, a in responsibility}
    claim_sentences = {s.span for s, _ in responsibility}

    pool1 = acting + acted_on if rule1 and rule1.inter else acting
    first = next((m for m in pool1 if _fits(context.resolve(m), rule1)), None)
    actor1: tuple[ActorEntry | None, str, ActorMention | None, bool] | None = None
    if first is not None:
        entry = context.resolve(first)
        # Named only where it claims the attack: the role rests on that claim.
        claimed = entry in claimants and all(
            any(s.start <= m.span.start < s.end for s in claim_sentences)
            for m in acting
            if context.resolve(m) == entry
        )
        actor1 = (entry, first.span.text, first, claimed)
    elif responsibility:
        by = responsibility[0][1].by or ""
        actor1 = (dictionary.entry_for(by) or _unknown_group(by), by, None, True)
    elif rule1 and rule1.default:
        actor1 = (_default_entry(rule1.default), "", None, False)
    if actor1 is not None and rule1 and rule1.recode_as and actor1[0] and actor1[0].generic:
        actor1 = (_default_entry(rule1.recode_as), *actor1[1:])

    first_entry = actor1[0] if actor1 else None
    pool2 = acted_on + acting if rule2 and rule2.inter else acted_on
    second = next(
        (
            m
            for m in pool2
            if context.resolve(m) != first_entry and _fits(context.resolve(m), rule2)
        ),
        None,
    )
    actor2: tuple[ActorEntry | None, str, ActorMention | None, bool] | None = None
    if second is not None:
        actor2 = (context.resolve(second), second.span.text, second, False)
    elif draft.inherited_target is not None:
        actor2 = (draft.inherited_target, draft.inherited_target.name, None, False)
    elif rule2 and rule2.default:
        actor2 = (_default_entry(rule2.default), "", None, False)
    elif (
        rule2
        and rule2.civilian_default
        and any(triggers().cues["civilian"].search(s.span.text) for s in draft.sentences)
    ):
        actor2 = (_default_entry(rule2.civilian_default), "", None, False)

    for role, chosen in (("actor1", actor1), ("actor2", actor2)):
        if chosen is None or (chosen[0] is None and not chosen[1]):
            continue
        who, written, source, claimed = chosen
        if who and who.armed_force and event.event_type in _VIOLENT_TYPES:
            who = dictionary.named(who.armed_force) or who
        name = who.named_for(country) if who else written
        inter = who.inter if who else None
        event.actors.append(Actor(name, role, inter, written or None, claimed))  # type: ignore[arg-type]
        if source is not None:
            evidence.append(_evidence(context.doc, source.span, role))


def _unknown_group(name: str) -> ActorEntry | None:
    """An actor known only from what it calls itself, typed by its head word when it has one."""
    found = group_names().find(name)
    return found[0].entry if found else None


def _fill_weapons_and_casualties(
    event: Event, draft: _Draft, evidence: list[Evidence], doc: Document
) -> None:
    # One weapon per class: its model when any report names it, the largest count stated
    # (a later "two of them fell outside" counts part of the salvo, not another one).
    seen: dict[str, WeaponMention] = {}
    killed: Figure | None = None
    injured: Figure | None = None
    for mention in draft.mentions:
        for found in read_weapons(mention.clause):
            old = seen.get(found.weapon.name)
            if old is None:
                seen[found.weapon.name] = found
                continue
            counted = max((old, found), key=lambda w: w.weapon.count or 0)
            weapon = Weapon(
                found.weapon.name,
                old.weapon.model or found.weapon.model,
                counted.weapon.count,
                counted.weapon.qualifier,
            )
            span = old.span if old.weapon.model or not found.weapon.model else found.span
            seen[found.weapon.name] = WeaponMention(weapon, span)
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
            elif _states_casualties(attribution.content) and not find_mentions(
                attribution.content, attribution.content
            ):
                kind = "casualty_figure"  # what the source says is the toll itself
            elif attribution.by and (
                attribution.by in actor_names
                or dictionary.entry_for(attribution.by) in actor_entries
            ):
                kind = "statement"
            else:
                kind = "report"
            content = attribution.content
            event.claims.append(
                Claim(attribution.by, kind, content.text, content.start, content.end, doc.id)  # type: ignore[arg-type]
            )
            evidence.append(_evidence(doc, content, "claim"))
