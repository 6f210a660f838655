"""Events of one document: mentions grouped into events, every field with its evidence."""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, timedelta
from typing import TypeVar

from wiredesk.extract.claims import SpeakerMemory, find_attributions
from wiredesk.extract.dating import event_time
from wiredesk.extract.drafts import Draft, SentenceReading, family_of, overlaps, same_place
from wiredesk.extract.fields import build_event, states_casualties
from wiredesk.extract.lexicon import triggers
from wiredesk.extract.mentions import Mention, find_mentions
from wiredesk.extract.roles import DocumentContext, roles
from wiredesk.nlp.wordscan import WordHeads
from wiredesk.records import (
    GEO_PRECISION_RANK,
    DateInterval,
    Document,
    Event,
    Place,
    Span,
    TimeExpression,
)
from wiredesk.resolve.actor import ActorMention
from wiredesk.resolve.place import event_place

# Demonstrations the police or the army acted against.
_INTERVENTIONS = ("Protest with intervention", "Excessive force against protesters")
# An event this many days before the lead event can still be part of its story (the riot the
# day before the arrests it led to).
_SAME_STORY_DAYS = timedelta(days=1)
# An event dated this long before publication is background, not the news.
BACKGROUND_AFTER = timedelta(days=7)
_PROPERTY_DESTRUCTION = "Looting/property destruction"
# "the same base", "the airbase": the facility named before.
_SAME_PLACE = re.compile(
    r"\bthe (?:same )?(?:[\w-]+ ){0,2}"
    r"(?:base|air ?base|airbase|airfield|facility|garrison|camp|outpost)\b",
    re.IGNORECASE,
)


def _same_family(draft: Draft, mention: Mention) -> bool:
    """Whether a mention can tell more of a draft's event: violence with violence,
    demonstrations with demonstrations, a strategic development only with its own kind;
    property destruction belongs to whatever event it happened in."""
    if mention.rule.sub_event_type == _PROPERTY_DESTRUCTION:
        return True
    if draft.rule.event_type == "Strategic developments":
        return draft.rule.sub_event_type == mention.rule.sub_event_type
    return family_of(draft.rule) == family_of(mention.rule)


def _other_town(place: Place, told: Place, draft: Draft, mention: Mention) -> bool:
    """Another kind of attack in another named town nearby is another event ("shelling in
    Nikopol; hours later a drone hit Marhanets"), however close the towns."""
    return (
        mention.rule.sub_event_type != draft.rule.sub_event_type
        and place.precision == told.precision == "town"
        and place.name != told.name
    )


def _other_actor(
    told: ActorMention, actor1: ActorMention, mention: Mention, context: DocumentContext
) -> bool:
    """Whether a mention is done by another actor than the draft's: both named ("the
    militants" stand for the story's group, "gunmen" and "bandits" for any), and the draft's
    actor on neither side of the mention ("CODECO militiamen killed in clashes" and "soldiers
    clashed with CODECO" are one clash)."""
    drafted, acting = context.resolve(told), context.resolve(actor1)
    if drafted == acting or drafted.generic or acting.generic:
        return False
    _, acted_on = roles(mention, context)
    return drafted not in {context.resolve(a) for a in acted_on}


def _compatible(
    draft: Draft,
    mention: Mention,
    interval: DateInterval | None,
    place: Place | None,
    actor1: ActorMention | None,
    context: DocumentContext,
) -> bool:
    if not _same_family(draft, mention):
        return False
    if interval and draft.interval and not overlaps(interval, draft.interval):
        return False
    if draft.rule.sub_event_type == mention.rule.sub_event_type == "Agreement":
        return True  # one agreement, whichever party or party's country a sentence names
    if actor1 and draft.actor1 and _other_actor(draft.actor1, actor1, mention, context):
        return False
    if place and draft.place and _other_town(place, draft.place, draft, mention):
        return False
    if place and draft.place and not same_place(place, draft.place):
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


def extract_events(
    doc: Document,
    sentence_spans: list[Span],
    times: list[TimeExpression],
    places: list[Place],
) -> list[Event]:
    """The events a document reports, the news first, background after, in reading order."""
    context = DocumentContext(doc, sentence_spans, places)
    assembler = _Assembler(context)
    memory = SpeakerMemory()
    times_in = _by_sentence(sentence_spans, [t.span.start for t in times], times)
    places_in = _by_sentence(sentence_spans, [p.span.start for p in places], places)
    for index, span in enumerate(sentence_spans):
        # The heads of the sentence's words, read once for its attributions and its mentions.
        heads = context.heads_in(span)
        sentence = SentenceReading(
            span, find_attributions(span, memory, heads), times_in[index], places_in[index]
        )
        assembler.read(index, sentence, heads)
    return _finish(assembler.drafts, assembler.context)


_T = TypeVar("_T")


def _by_sentence(spans: list[Span], starts: list[int], items: list[_T]) -> list[list[_T]]:
    """The items that start inside each sentence, in their own order (sentences are in text
    order and do not overlap)."""
    found: list[list[_T]] = [[] for _ in spans]
    firsts = [span.start for span in spans]
    for start, item in zip(starts, items, strict=True):
        index = bisect_right(firsts, start) - 1
        if index >= 0 and start < spans[index].end:
            found[index].append(item)
    return found


class _Assembler:
    """Reads a document sentence by sentence, growing one draft per real-world event."""

    def __init__(self, context: DocumentContext) -> None:
        self.context = context
        self.drafts: list[Draft] = []
        self.current: Draft | None = None

    def read(self, index: int, sentence: SentenceReading, heads: WordHeads) -> None:
        """Reads a sentence, whose words' heads are `heads` (`wordscan.word_heads`)."""
        text = self.context.doc.text
        said = next((a for a in sentence.attributions if a.kind == "said"), None)
        clause = said.content if said else sentence.span
        mentions = [m for m in find_mentions(sentence.span, clause, heads) if not _negated(m, text)]
        for mention in mentions:
            others = tuple(m.trigger.start for m in mentions if m is not mention)
            self._add(index, sentence, clause, mention, others)
        current = self.current
        if (
            not mentions
            and current is not None
            and _continues(current, sentence, self.drafts, text)
        ):
            current.sentences.append(sentence)
            current.last_sentence = index
            if current.interval is None:
                expr, interval = event_time(sentence, sentence.span.start, self.drafts, text)
                if interval is not None:
                    current.time, current.interval = expr, interval
            self._spread(index, sentence, current)

    def _spread(self, index: int, sentence: SentenceReading, current: Draft) -> None:
        """ "Six were killed in Omdurman, one in Bahri": a sentence that goes on about an
        event town by town tells one event in each town (the first is the event's own when it
        has no town yet), as last told."""
        text = self.context.doc.text
        first = next((p for p in sentence.places if p.precision == "town"), None)
        towns = _listed_towns(first, sentence.places, text)
        if not 1 < len(towns) <= _MOST_LISTED_TOWNS or current.rule.event_type == (
            "Strategic developments"
        ):
            return
        if current.place is None or (
            GEO_PRECISION_RANK[current.place.precision] > GEO_PRECISION_RANK["town"]
        ):
            current.place = towns[0]
        start = sentence.span.start
        for town in towns:
            told = Span(start, town.span.end, text[start : town.span.end])
            start = town.span.end
            if not _elsewhere(current, town) or any(
                d.listed_town is not None
                and d.listed_town.name == town.name
                and d.rule == current.rule
                for d in self.drafts
            ):
                continue
            # Before the event it spreads from, which later sentences go on about.
            self.drafts.insert(
                self.drafts.index(current),
                Draft(
                    current.rule,
                    mentions=current.mentions[-1:],
                    sentences=[SentenceReading(told, [], [], [town])],
                    time=current.time,
                    interval=current.interval,
                    place=town,
                    actor1=current.actor1,
                    background_cue=current.background_cue,
                    last_sentence=index,
                    listed_town=town,
                ),
            )

    def _add(
        self,
        index: int,
        sentence: SentenceReading,
        clause: Span,
        mention: Mention,
        others: tuple[int, ...],
    ) -> None:
        context = self.context
        text = context.doc.text
        expr, interval = event_time(
            sentence, mention.trigger.start, self.drafts, text, others=others
        )
        published = context.doc.published
        if interval is not None and published is not None and interval.start > published:
            return  # a forecast or an announcement: no event, and no date for one told before
        candidates = _event_places(sentence, clause, context, mention.trigger)
        place = event_place(candidates, sentence.span, mention.trigger)
        acting, _ = roles(mention, context)
        actor1 = acting[0] if acting else None
        cue = bool(triggers().filters["background"].search(sentence.span.text))
        # "In a separate incident, ...": no event told before.
        separate = bool(triggers().filters["separate"].search(sentence.span.text))
        listed = _listed_towns(place, candidates, text)
        if len(listed) > _MOST_LISTED_TOWNS:
            return  # "protests started in Rawalpindi, Lahore, Karachi, ...": a summary
        # "Strikes hit Kharkiv, Odesa and Dnipro": one event in each town of a short list; a
        # strategic development (a truce mediated by elders of two towns) stays one act.
        split = len(listed) > 1 and mention.rule.event_type != "Strategic developments"
        towns: list[Place | None] = [*listed] if split else [place]
        for town in towns:
            target = self._continued(index, mention, interval)
            if split and target is not None and _elsewhere(target, town):
                target = None
            target = (
                target
                or self._matching(mention, interval, town, actor1, cue, split)
                or self._intervention(mention, interval, town)
            )
            if separate and target is not None and sentence not in target.sentences:
                target = None
            target = self._tell(index, sentence, mention, target, expr, interval, town, cue)
            target.told_apart = target.told_apart or separate
            if split and target.listed_town is None and len(target.mentions) == 1:
                target.listed_town = town
            target.actor1 = target.actor1 or actor1
            self.current = target

    def _tell(
        self,
        index: int,
        sentence: SentenceReading,
        mention: Mention,
        target: Draft | None,
        expr: TimeExpression | None,
        interval: DateInterval | None,
        place: Place | None,
        cue: bool,
    ) -> Draft:
        """Adds a mention to the draft of its event (a new one when `target` is None)."""
        context, drafts = self.context, self.drafts
        text = context.doc.text
        if target is None:
            target = Draft(mention.rule, background_cue=cue)
            # An undated, actorless mention right after a background event continues its story.
            if (
                interval is None
                and not roles(mention, context)[0]
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
        if target.interval is None and target.told is None:
            told, told_interval = event_time(
                sentence, mention.trigger.start, drafts, text, telling=True
            )
            if told is not None and told_interval is not None:
                target.told = told, told_interval
        if place is not None and (
            target.place is None
            or GEO_PRECISION_RANK[place.precision] < GEO_PRECISION_RANK[target.place.precision]
        ):
            target.place = place
        if target.place is None and _SAME_PLACE.search(mention.clause.text):
            _inherit_place(target, drafts, context)
        target.last_sentence = index
        return target

    def _continued(
        self, index: int, mention: Mention, interval: DateInterval | None
    ) -> Draft | None:
        """The event just told, when the mention points back at it ("the attack wounded three")."""
        current = self.current
        if (
            current is None
            or current.told_apart
            or index - current.last_sentence > 2
            or self._headline_of_another_kind(current, mention)
        ):
            return None
        noun = _REFERS_BACK.search(mention.clause.text)
        if noun is not None and _ANCHORED_ON.search(mention.clause.text, 0, noun.start()):
            return None  # "hours after the shelling, a drone hit ...": another event
        if (
            noun is None
            or _family(noun["noun"]) != family_of(current.rule)
            or not _same_family(current, mention)
        ):
            return None
        if interval and current.interval and not overlaps(interval, current.interval):
            return None
        return current

    def _intervention(
        self, mention: Mention, interval: DateInterval | None, place: Place | None
    ) -> Draft | None:
        """Arrests made when the police broke up a demonstration are part of that intervention
        ("police fired tear gas ... 23 people had been arrested"): an arrest with no place of its
        own joins the last demonstration the police intervened in on its day."""
        if mention.rule.sub_event_type != "Arrests" or place is not None:
            return None
        return next(
            (
                d
                for d in reversed(self.drafts)
                if d.rule.sub_event_type in _INTERVENTIONS
                and not d.background_cue
                and (interval is None or d.interval is None or overlaps(interval, d.interval))
            ),
            None,
        )

    def _headline_of_another_kind(self, draft: Draft, mention: Mention) -> bool:
        """A headline sums up one event: until the body tells it, the headline's draft takes
        only mentions of its own sub-type ("Troops free captives after gun battle" does not
        take the abduction the body recalls)."""
        end = _headline_end(self.context.doc)
        return draft.rule.sub_event_type != mention.rule.sub_event_type and all(
            m.trigger.end <= end for m in draft.mentions
        )

    def _matching(
        self,
        mention: Mention,
        interval: DateInterval | None,
        place: Place | None,
        actor1: ActorMention | None,
        cue: bool,
        apart: bool,
    ) -> Draft | None:
        """An earlier event this mention agrees with. A mention with no date or place of its own
        adds to the story of its kind told last; one with a place but no date, to one of the
        last few; a dated one, to any it agrees with. A town told `apart` from the others of
        its list joins only an event in that town."""
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
                and not d.told_apart
                and not self._headline_of_another_kind(d, mention)
                and not (apart and _elsewhere(d, place))
                and _compatible(d, mention, interval, place, actor1, self.context)
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
# "after the shelling", "two days before the attack": the reference dates another event.
_ANCHORED_ON = re.compile(r"\b(?:after|before|following|since|until)\s+$", re.IGNORECASE)
_DEMONSTRATION_NOUNS = ("protest", "demonstration", "rally", "rallies", "riot", "unrest", "march")


def _family(noun: str) -> str:
    return "demonstration" if noun.lower().startswith(_DEMONSTRATION_NOUNS) else "violence"


_NEGATION = re.compile(
    r"\b(?:no|not|never|without|nor|neither|[a-z]+n['’]t)\s+(?:[\w-]+\s+)?$", re.IGNORECASE
)


def _negated(mention: Mention, text: str) -> bool:
    """ "No arrests were made", "without firing a shot", "the city doesn't need protests": a
    trigger that says nothing happened."""
    return bool(_NEGATION.search(text, max(0, mention.trigger.start - 25), mention.trigger.start))


def _continues(draft: Draft, sentence: SentenceReading, drafts: list[Draft], text: str) -> bool:
    """Whether a sentence with no trigger of its own goes on about the event just told: it
    attributes something or states casualties, close by, and names no other time."""
    span = sentence.span
    if sentence.span.start - draft.sentences[-1].span.end > _CONTINUATION_CHARS:
        return False
    # The toll is read first: most sentences state none, and a tally is a dearer search.
    if not sentence.attributions and (
        not states_casualties(span) or triggers().filters["tally"].search(span.text)
    ):
        return False
    if draft.interval is not None:
        _, interval = event_time(sentence, span.start, drafts, text)
        if interval is not None and not overlaps(interval, draft.interval):
            return False
    return True


# Words after which a place is the reason or the backdrop of an event, not where it happened.
_BACKDROP = re.compile(
    r"\b(?:in (?:retaliation|response|revenge) (?:for|to)|in support of|in solidarity with|"
    r"over (?:the|its|their)|amid|because of|following|demanding|(?:to )?(?:demand|call) for|"
    r"calling for)\b",
    re.IGNORECASE,
)


def _event_places(
    sentence: SentenceReading, clause: Span, context: DocumentContext, trigger: Span
) -> list[Place]:
    """Places of a sentence that can be where its event happened: in the event's clause,
    before any backdrop phrase, not part of an actor's name ("Islamic Resistance in Iraq"),
    and, when the sentence names others, not in an opening phrase about another event, a
    contrasted clause, nor a landmark that locates another place."""
    if not sentence.places:
        return []
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
        # "the US sanctioned Central Reserve Forces": the place qualifies an actor.
        and not _QUALIFIES_ACTOR.match(text, p.span.end)
    ]
    if len(usable) > 1:  # one place stays the event's place, wherever it stands
        aside = [
            (sentence.span.start + m.start(), sentence.span.start + m.end())
            for pattern in (_OPENING_ANCHOR, _LANDMARK, _CONTRAST)
            for m in pattern.finditer(sentence.span.text)
        ]
        usable = [
            p
            for p in usable
            if not any(a <= p.span.start < b and not a <= trigger.start < b for a, b in aside)
        ] or usable
        # A dateline ("KHARTOUM, Dec 9 -") names where the story was filed: the event's place
        # only when the sentence names no other.
        dateline = _DATELINE_PLACE.match(sentence.span.text)
        if dateline:
            cut = sentence.span.start + dateline.end()
            filed_elsewhere = [p for p in usable if p.span.start >= cut]
            usable = filed_elsewhere or usable
    in_clause = [p for p in usable if clause.start <= p.span.start < end]
    return in_clause or [p for p in usable if p.span.start < end or p.span.start >= clause.end]


_QUALIFIES_ACTOR = re.compile(
    r"\s+(?:sanctioned|backed|led|trained|funded|armed|allied|aligned|designated|supported)\s+"
    r"(?:[A-Z][\w-]*\s+){0,3}(?:[Ff]orces|[Tt]roops|[Mm]ilitias?|[Gg]roups?|[Ff]ighters|[Aa]rmy)\b"
)
# "Hours after the shelling of Nikopol, a drone hit Marhanets": the opening phrase places
# another event.
_OPENING_ANCHOR = re.compile(
    r"^(?:[\w-]+\s+){0,3}?(?:after|before|following)\b[^,;]{3,160},", re.IGNORECASE
)
# "Marhanets, a town east of Nikopol": a landmark that locates the place before it.
_LANDMARK = re.compile(
    r",\s+an?\s+(?:[\w-]+\s+){0,2}(?:town|city|village|district|suburb|area|region|port|"
    r"neighbou?rhood)\b[^,.;]*"
)
# "police fired tear gas in the capital, while a march in Kisumu passed off peacefully": the
# contrasted clause tells another event.
_CONTRAST = re.compile(r"(?:,\s*|\s)(?:while|whereas)\b[^.;]*", re.IGNORECASE)
_DATELINE_PLACE = re.compile(r"^[A-Z][A-Z .'/-]{2,}(?:,[^:–—-]{0,30})?\s*[:–—-]")
# A sentence this far (in characters) after an event's last one no longer continues it.
_CONTINUATION_CHARS = 900


# "in Karachi, Lahore and Quetta", "six in Omdurman, one in Bahri": what separates the towns
# of a list.
_LIST_GAP = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)"
    r"(?:(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|another)\s+(?=in\s))?"
    r"(?:in\s+)?(?:the\s+)?"
)
# A list of more towns than this is a summary of many events ("protests started in
# Rawalpindi, Lahore, Karachi, Multan and Peshawar"), none of which it tells.
_MOST_LISTED_TOWNS = 3


def _listed_towns(place: Place | None, candidates: list[Place], text: str) -> list[Place]:
    """The towns listed together with the place read for an event, that place included."""
    if place is None or place.precision != "town":
        return []
    towns = sorted((p for p in candidates if p.precision == "town"), key=lambda p: p.span.start)
    at = next((i for i, p in enumerate(towns) if p is place), None)
    if at is None:
        return [place]
    first = last = at
    while first > 0 and _LIST_GAP.fullmatch(
        text, towns[first - 1].span.end, towns[first].span.start
    ):
        first -= 1
    while last + 1 < len(towns) and _LIST_GAP.fullmatch(
        text, towns[last].span.end, towns[last + 1].span.start
    ):
        last += 1
    return towns[first : last + 1]


def _elsewhere(draft: Draft, town: Place | None) -> bool:
    """Whether a draft happened in another town than `town`."""
    return (
        town is not None
        and draft.place is not None
        and draft.place.precision == "town"
        and draft.place.name != town.name
    )


def _inherit_place(draft: Draft, drafts: list[Draft], context: DocumentContext) -> None:
    """ "The same base": the last facility named, and whoever was hit there."""
    for earlier in reversed(drafts):
        if earlier is draft or earlier.place is None or earlier.place.precision != "facility":
            continue
        draft.place = earlier.place
        for mention in earlier.mentions:
            _, acted_on = roles(mention, context)
            if acted_on:
                draft.inherited_target = context.resolve(acted_on[0])
                return
        return


def _is_background(draft: Draft, published: date | None) -> bool:
    if draft.background_cue:
        return True
    if draft.interval and published:
        return draft.interval.end < published - BACKGROUND_AFTER
    return False


def _headline_end(doc: Document) -> int:
    title = (doc.title or "").strip()
    at = doc.text.find(title) if title else -1
    return at + len(title) if 0 <= at < 40 else 0


def _fold_headlines(drafts: list[Draft], doc: Document) -> list[Draft]:
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
    kept: list[Draft] = []
    for draft in drafts:
        if draft in body or not all(m.trigger.end <= end for m in draft.mentions):
            kept.append(draft)
            continue
        target = next((d for d in body if d.rule.event_type == draft.rule.event_type), None)
        target = target or next(
            (d for d in body if family_of(d.rule) == family_of(draft.rule)), None
        )
        if target is None:
            kept.append(draft)
            continue
        target.mentions[:0] = draft.mentions
        target.sentences[:0] = [s for s in draft.sentences if s not in target.sentences]
        target.place = target.place or draft.place
        target.inherited_target = target.inherited_target or draft.inherited_target
    return kept


def _finish(drafts: list[Draft], context: DocumentContext) -> list[Event]:
    doc = context.doc
    drafts = _fold_headlines(drafts, doc)
    if doc.published is not None:
        # A date after publication is a forecast or an announcement, not an event.
        drafts = [d for d in drafts if d.interval is None or d.interval.start <= doc.published]
    drafts = [d for d in drafts if not _generic(d, drafts)]
    lead = next((d for d in drafts if not _is_background(d, doc.published)), None)
    for draft in drafts:
        if draft.interval is None and draft.told is not None:
            draft.time, draft.interval = draft.told
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
        if not is_background and draft.place is None:
            # News with no place in its own sentences happened where the lead says.
            draft.place = context.lead_place
        if is_background and (draft.interval is None or draft.interval.precision == "year"):
            continue  # an earlier event with no month to it is context, not a record
        events.append(build_event(draft, context, is_background))
    return events


# What makes a plural noun name particular events: "the strikes", "its raids", "two attacks".
_DETERMINED = re.compile(
    r"(?:\b(?:the|this|that|these|those|its|their|his|her|our|both|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|several|dozens of|\d+)|['’]s?)\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)


def _generic(draft: Draft, drafts: list[Draft]) -> bool:
    """ "Retaliatory strikes", "air strikes in Darfur have become a main cause of death": a
    bare plural noun told once, in a sentence that names no time, no place finer than a province, no
    toll and no other event in its sentence (not "an arrest that set off gunfights"), names a
    kind of event, not one that happened. The first event a report tells is never generic."""
    if draft is drafts[0] or len(draft.mentions) != 1 or any(s.times for s in draft.sentences):
        return False
    mention = draft.mentions[0]
    trigger, sentence = mention.trigger, mention.sentence
    words = trigger.text.lower().split()
    if (
        len(words) > 2
        or not words[-1].endswith("s")
        or words[-1].endswith("ss")
        or any(w.endswith(("ed", "ing")) for w in words)
    ):
        return False
    if any(m.sentence == sentence for d in drafts if d is not draft for m in d.mentions):
        return False
    before = sentence.text[: trigger.start - sentence.start]
    return (
        not _DETERMINED.search(before)
        and (draft.place is None or draft.place.precision in ("province", "country"))
        and not states_casualties(sentence)
    )


def _date_from_story(drafts: list[Draft], published: date | None) -> None:
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
            and (draft.interval is None or overlaps(draft.interval, source.interval))
        ):
            draft.time, draft.interval = source.time, source.interval
