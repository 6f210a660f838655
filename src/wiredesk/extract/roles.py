"""Actors of an event: who acted and who was acted on, by word order and role rules."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from wiredesk.extract.drafts import Draft, evidence_for
from wiredesk.extract.lexicon import triggers
from wiredesk.extract.mentions import SPEAKER_PRONOUN, Mention
from wiredesk.knowledge import load_toml
from wiredesk.nlp.wordscan import WordHeads, WordStarts, heads_within, word_heads, word_pattern
from wiredesk.records import Actor, Document, Event, Evidence, Place, Span
from wiredesk.resolve.actor import (
    ActorEntry,
    ActorMention,
    RoleRule,
    actor_dictionary,
    agent_cue,
    country_actors,
    group_names,
    never_actor1,
    role_rules,
    target_noun,
    weapon_named,
)
from wiredesk.resolve.place import focal_town, is_demonym

_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_AGENT = re.compile(r"^\W*(?:\w+\s+){0,3}?by\s+(?:the\s+)?$", re.IGNORECASE)
_BY = re.compile(r"\bby\s+(?:the\s+)?(?:former\s+|then[- ]|acting\s+)?$", re.IGNORECASE)
_BY_NEXT = re.compile(r"\s+by\b", re.IGNORECASE)
_GERUND = re.compile(r"\w+ing\b", re.IGNORECASE)
_VERB_CUES = ("attack_verb", "kill", "intercept", "abduct", "arrest", "clash", "overtake", "regain")
_VERB_FORM = re.compile(
    r"(?:ed|en|hit|struck|fell|shot down|brought down|fought|overran|retook)$", re.IGNORECASE
)
_ARMED_GENERIC = "Unidentified Armed Group ({country})"
_MILITARY_GENERIC = "Military Forces of {country}"
_VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def _story_place(sentences: list[Span], places: list[Place]) -> Place | None:
    """Where the story happens: the first place its lead (three sentences) names; else, when
    captions and page furniture fill the lead, the town the story is about."""
    lead_end = sentences[min(2, len(sentences) - 1)].end if sentences else 0
    lead = next(
        (
            p
            for p in places
            if p.span.start < lead_end and p.precision != "unknown" and not is_demonym(p)
        ),
        None,
    )
    return lead or focal_town(places)


class DocumentContext:
    """What the events of one document share: its text, actors and the armed group it is about."""

    def __init__(self, doc: Document, sentences: list[Span], places: list[Place]) -> None:
        self.doc = doc
        self.lead_place = _story_place(sentences, places)
        # The heads of the document's words: indexed for every word-list search in the
        # document, and cut up for the word lists read sentence by sentence.
        self.heads = word_heads(doc.text)
        self.words = WordStarts(doc.text, self.heads)
        found = actor_dictionary().find(doc.text, words=self.words)
        # Forces and civilians named by their country, then groups known only by the shape
        # of their names, count where no actor found before already covers the words.
        for extra in (country_actors(doc.text), group_names().find(doc.text)):
            found += [
                m
                for m in extra
                if not any(k.span.start < m.span.end and m.span.start < k.span.end for k in found)
            ]
        self.actor_mentions = sorted(found, key=lambda m: m.span.start)
        # Countries named as a side ("Israel and Hezbollah agreed"), for the sub-types whose
        # role rules take them, kept apart from the actors so that they stay places.
        dictionary = actor_dictionary()
        parties = [
            ActorMention(p.span, entry)
            for p in places
            if p.precision == "country"
            and p.country
            and not is_demonym(p)
            and not dictionary.names_a_place(doc.text, p.span.start, p.span.end)
            and not any(k.span.start < p.span.end and p.span.start < k.span.end for k in found)
            and (entry := dictionary.government_of(p.country)) is not None
        ]
        self.sides = sorted(found + parties, key=lambda m: m.span.start)
        named = Counter(
            m.entry
            for m in self.actor_mentions
            if not m.entry.generic and m.entry.inter in ("Rebel group", "Political militia")
        )
        # A group named once, in passing, is not what the story is about; then the kind of
        # armed men the story names ("bandits") is.
        kinds = Counter(
            m.entry
            for m in self.actor_mentions
            if m.entry.generic
            and m.entry.inter == "Political militia"
            and m.entry.name != _ARMED_GENERIC
        )
        ranked = [e for e, n in named.most_common(1) if n > 1]
        ranked += [e for e, _ in kinds.most_common(1)] + [e for e, _ in named.most_common(1)]
        self.dominant_group: ActorEntry | None = ranked[0] if ranked else None
        self._action_words: dict[tuple[int, int], Span | None] = {}

    def heads_in(self, span: Span) -> WordHeads:
        """The heads of the words of a span of the document (`wordscan.word_heads` of its
        text), cut from the document's."""
        return heads_within(self.doc.text, self.heads, span.start, span.end)

    def action_word(self, clause: Span) -> Span | None:
        """The first action word of a clause (the roles of each event told in it hang on
        it): found once per clause."""
        key = (clause.start, clause.end)
        if key not in self._action_words:
            self._action_words[key] = _action_word(self.words, clause.start, clause.end)
        return self._action_words[key]

    def actors_in(self, start: int, end: int) -> list[ActorMention]:
        return [m for m in self.actor_mentions if m.span.start >= start and m.span.end <= end]

    def sides_in(self, start: int, end: int) -> list[ActorMention]:
        """The actors, and countries named as a side, between `start` and `end`."""
        return [m for m in self.sides if m.span.start >= start and m.span.end <= end]

    def resolve(self, mention: ActorMention) -> ActorEntry:
        """A generic armed-group word ("the militants") stands for the group the story is
        about, or the kind of armed men it names ("bandits")."""
        if mention.entry.generic and mention.entry.name == _ARMED_GENERIC and self.dominant_group:
            return self.dominant_group
        return mention.entry


def _action_word(words: WordStarts, start: int, end: int) -> Span | None:
    """The first action word between `start` and `end`, if any."""
    lexicon = triggers()
    found = [
        m
        for name in _VERB_CUES
        if (m := words.search(lexicon.cues[name], lexicon.gates[name], start, end))
        and _VERB_FORM.search(m[0])
    ]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return Span(first.start(), first.end(), first[0])


def _verb(mention: Mention, context: DocumentContext) -> Span:
    """The verb the roles hang on: the first action word of the clause, else the trigger."""
    return context.action_word(mention.clause) or mention.trigger


@cache
def _telling() -> re.Pattern[str]:
    """A verb of reporting right after an actor (claims.toml), and what it tells not opening
    with a word that stands for the teller ("the army said it had killed")."""
    verbs = word_pattern(load_toml("events/claims.toml")["reporting_verbs"]).pattern
    return re.compile(
        rf"\s+(?:[\w-]+\s+){{0,2}}?(?:{verbs})(?!(?:\s+that)?\s+(?:it|its|they|their|we|our)\b)"
    )


def _tells(text: str, actor: ActorMention) -> bool:
    """Whether an actor is who tells of the event, not a side of it ("State police say a
    father killed ...", "..., police said")."""
    return bool(_telling().match(text, actor.span.end))


def roles(
    mention: Mention, context: DocumentContext, countries: bool = False
) -> tuple[list[ActorMention], list[ActorMention]]:
    """Who acted and who was acted on, from the voice of the verb and word order around it;
    with `countries`, also the countries named as a side where the sub-type's role rules
    take them (for the event's actors, not for telling one event from another)."""
    text = context.doc.text
    verb = _verb(mention, context)
    acting: list[ActorMention] = []
    acted_on: list[ActorMention] = []
    # "were killed by", or a headline's "Soldiers killed by roadside bomb"; "has been
    # fighting" is no passive.
    before = text[mention.clause.start : verb.start]
    passive = bool(
        (_PASSIVE.search(before) and not _GERUND.match(verb.text)) or _BY_NEXT.match(text, verb.end)
    )
    rule = role_rules().get(mention.rule.sub_event_type, {}).get("actor1")
    named = context.sides_in if countries and rule and rule.countries else context.actors_in
    weapon, weapons_acted_on = weapon_named()
    by_weapon = mention.rule.sub_event_type not in weapons_acted_on
    for actor in named(mention.clause.start, mention.clause.end):
        if _tells(text, actor):
            continue
        if target_noun().match(text, actor.span.end):
            acted_on.append(actor)  # "a bombing at a police checkpoint"
        elif by_weapon and weapon.search(actor.span.text):
            acting.append(actor)  # "killed in the Russian missile strike"
        elif actor.span.start >= verb.end:
            lead = text[max(verb.end, actor.span.start - 40) : actor.span.start]
            agent = (
                _AGENT.match(text[verb.end : actor.span.start])
                or (passive and _BY.search(lead))
                or agent_cue().search(lead)
            )
            (acting if agent else acted_on).append(actor)
        else:
            (acted_on if passive else acting).append(actor)
    # "The army said it had killed 20 militants": the speaker did what it tells (not "said it
    # had arrested men who planted the bomb").
    trigger = mention.trigger
    if (
        not passive
        and mention.clause.start > mention.sentence.start
        and SPEAKER_PRONOUN.search(
            text, max(mention.clause.start, trigger.start - 30), trigger.start
        )
    ):
        speakers = named(mention.sentence.start, mention.clause.start)
        acting[:0] = speakers[-1:]
    return acting, acted_on


def _fits(entry: ActorEntry | None, rule: RoleRule | None) -> bool:
    return entry is not None and (rule is None or not rule.inter or entry.inter in rule.inter)


def _may_act(entry: ActorEntry) -> bool:
    return entry.inter not in never_actor1()


def _default_entry(name: str | None) -> ActorEntry | None:
    if name is None:
        return None
    return actor_dictionary().named(name) or ActorEntry(name, None, generic="{country}" in name)


def fill_actors(
    event: Event,
    draft: Draft,
    context: DocumentContext,
    country: str | None,
    evidence: list[Evidence],
) -> None:
    """actor1 and actor2 from word order, the sub-type's role rules (data/actors/roles.toml),
    claims of responsibility and what the event's sentences say of its victims."""
    acting: list[ActorMention] = []
    acted_on: list[ActorMention] = []
    # A headline drops the words that give the voice ("17 militiamen killed in clashes"):
    # the body's sentences decide the roles first.
    title = context.doc.title or ""
    headline_end = len(title) if title and context.doc.text.startswith(title) else 0
    for mention in sorted(draft.mentions, key=lambda m: m.clause.start < headline_end):
        a, b = roles(mention, context, countries=True)
        acting += a
        acted_on += b
    dictionary = actor_dictionary()
    rules = role_rules().get(event.sub_event_type, {})
    rule1, rule2 = rules.get("actor1"), rules.get("actor2")
    if rule1 and rule1.either_side and len(acting) > 1 and not acted_on:
        # "Israel and Hezbollah agreed": the second named is the other side.
        acted_on = acting[1:]
    elif rule1 and rule1.either_side and not acting and acted_on:
        # "fighting broke out between the RSF and the army": no side acted more than the
        # other, so ACLED's order holds: a state's forces lead, else the first named.
        lead = next((m for m in acted_on if context.resolve(m).inter == "State forces"), None)
        lead = lead or acted_on[0]
        acting, acted_on = [lead], [m for m in acted_on if m is not lead]
    responsibility = [
        (s, a)
        for s in draft.sentences
        for a in s.attributions
        if a.kind == "responsibility" and a.by
    ]
    claimants = {dictionary.entry_for(a.by or "") for _, a in responsibility}
    claim_sentences = {s.span for s, _ in responsibility}

    pool1 = [
        m
        for m in (acting + acted_on if rule1 and rule1.inter else acting)
        if _may_act(context.resolve(m))
    ]
    first = next((m for m in pool1 if _fits(context.resolve(m), rule1)), None)
    if first is None and rule1 and rule1.preferred:
        first = next((m for m in acting if _may_act(context.resolve(m))), None)
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

    # One actor is never both sides, however differently it is written ("the junta",
    # "the Myanmar regime").
    first_name = actor1[0].named_for(country) if actor1 and actor1[0] else None

    def other(m: ActorMention) -> bool:
        return context.resolve(m).named_for(country) != first_name

    pool2 = acted_on + acting if rule2 and rule2.inter else acted_on
    second = next((m for m in pool2 if other(m) and _fits(context.resolve(m), rule2)), None)
    if second is None and rule2 and rule2.preferred:
        second = next((m for m in acted_on if other(m)), None)
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
            who = dictionary.named(who.armed_force) or ActorEntry(
                who.armed_force, "State forces", who.country
            )
        if who and who.name == _MILITARY_GENERIC:
            # "the army" of a country the dictionary knows takes the dictionary's name.
            who = dictionary.military_of(event.location.country or "") or who
        name = who.named_for(country) if who else written
        inter = who.inter if who else None
        event.actors.append(Actor(name, role, inter, written or None, claimed))  # type: ignore[arg-type]
        if source is not None:
            evidence.append(evidence_for(context.doc, source.span, role))


def _unknown_group(name: str) -> ActorEntry | None:
    """An actor known only from what it calls itself, typed by its head word when it has one."""
    found = group_names().find(name)
    return found[0].entry if found else None
