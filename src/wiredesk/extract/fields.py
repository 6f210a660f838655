"""An event record built from its draft: type, date, place, actors, weapons, casualties and
claims, each field with its evidence."""

from __future__ import annotations

import hashlib
import re
from functools import cache

from wiredesk.extract.drafts import Draft, evidence_for
from wiredesk.extract.figures import Figure, WeaponMention, read_casualties, read_weapons
from wiredesk.extract.lexicon import Rule
from wiredesk.extract.mentions import find_mentions
from wiredesk.extract.roles import DocumentContext, fill_actors
from wiredesk.knowledge import load_toml
from wiredesk.records import Claim, Document, Event, Evidence, Location, Place, Span, Weapon
from wiredesk.resolve.actor import actor_dictionary, country_name


def _event_id(doc: Document, draft: Draft) -> str:
    mention = draft.mentions[0]
    key = f"{doc.id}:{mention.trigger.start}:{mention.rule.sub_event_type}"
    if draft.listed_town is not None:
        key += f":{draft.listed_town.name}"  # one mention, one event in each listed town
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def states_casualties(span: Span) -> bool:
    figures = read_casualties(span)
    return figures.killed is not None or figures.injured is not None


@cache
def _site_pattern() -> re.Pattern[str]:
    nouns = "|".join(load_toml("events/sites.toml")["nouns"])
    return re.compile(
        rf"\b(?:the|a|an|its|their)\s+(?P<site>(?:[\w'’-]+\s+){{0,3}}?(?:{nouns})"
        rf"(?:\s+of\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s*){{1,3}})?)(?![\w-])",
        re.IGNORECASE,
    )


_SITE_LEAD = re.compile(
    r"\b(?:at|in|inside|outside|near|on|into|onto|targeting|targeted|hit|hitting|struck|striking|"
    r"bombed|shelled|stormed|attacked|raided|besieged|seized)\s+$",
    re.IGNORECASE,
)
# A site this far (in characters) from the trigger is another clause's business.
_SITE_REACH = 80


def _site(draft: Draft) -> Span | None:
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


# A demonstration told over several sentences takes its gravest turn: tear gas in the third
# sentence makes a peaceful march a protest with intervention.
_DEMONSTRATION_SEVERITY = {
    "Peaceful protest": 0,
    "Protest with intervention": 1,
    "Violent demonstration": 2,
    "Excessive force against protesters": 3,
}


def _event_rule(draft: Draft) -> Rule:
    if draft.rule.sub_event_type not in _DEMONSTRATION_SEVERITY:
        return draft.rule
    told = [m.rule for m in draft.mentions if m.rule.sub_event_type in _DEMONSTRATION_SEVERITY]
    return max(told, key=lambda r: _DEMONSTRATION_SEVERITY[r.sub_event_type], default=draft.rule)


# Places finer than a province, for the place a story's lead names.
_FINE_PRECISIONS = ("facility", "town", "district")


def _finest_place(place: Place | None, context: DocumentContext, background: bool) -> Place | None:
    """The most precise place the story gives for its news: an event its own sentences place
    only in a province happened where the lead names a town of that province ("WILKES-BARRE,
    Pa. - ... killed his son before taking his own life in northeastern Pennsylvania")."""
    lead = context.lead_place
    if background or place is None or lead is None or place.precision != "province":
        return place
    fine = lead.precision in _FINE_PRECISIONS and lead.admin1 is not None
    inside = fine and (lead.country, lead.admin1) == (place.country, place.admin1)
    return lead if inside else place


def build_event(draft: Draft, context: DocumentContext, background: bool) -> Event:
    doc = context.doc
    evidence = [
        Evidence(doc.id, m.trigger.start, m.trigger.end, m.trigger.text, "trigger")
        for m in draft.mentions
    ]
    rule = _event_rule(draft)
    event = Event(
        id=_event_id(doc, draft),
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
            evidence.append(evidence_for(doc, draft.time.span, "date"))
    place = _finest_place(draft.place, context, background)
    if place is not None:
        event.location = Location.from_place(place)
        evidence.append(evidence_for(doc, place.span, "location"))
        site = _site(draft) if place.precision == "town" else None
        if site is not None:
            # A named site in a town: facility precision at the town's coordinates.
            event.location.name = f"{site.text}, {place.name}"
            event.location.precision = "facility"
            evidence.append(evidence_for(doc, site, "location"))
    country = country_name(place.country if place else None)
    fill_actors(event, draft, context, country, evidence)
    _fill_weapons_and_casualties(event, draft, evidence, context)
    _fill_claims(event, draft, doc, evidence)
    event.evidence = sorted(evidence, key=lambda e: (e.start, e.end))
    return event


def _fill_weapons_and_casualties(
    event: Event, draft: Draft, evidence: list[Evidence], context: DocumentContext
) -> None:
    # One weapon per class: its model when any report names it, the largest count stated
    # (a later "two of them fell outside" counts part of the salvo, not another one).
    seen: dict[str, WeaponMention] = {}
    killed: Figure | None = None
    injured: Figure | None = None
    for mention in draft.mentions:
        for found in read_weapons(mention.clause, context.heads_in(mention.clause)):
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
    evidence.extend(evidence_for(context.doc, w.span, "weapon") for w in seen.values())
    if killed is not None:
        event.fatalities = killed.value
        evidence.append(evidence_for(context.doc, killed.span, "fatalities"))
    if injured is not None:
        event.injuries = injured.value
        evidence.append(evidence_for(context.doc, injured.span, "injuries"))


# "Seventeen assailants were neutralised", "they had counted 11 dead": a count of people or of
# the dead opens the words (not "two projectiles fell ... without casualties").
_TOLL_FIRST = re.compile(
    r"^(?:\S+\s+){0,6}?(?:at least |more than |about |around |some |nearly |over )?"
    r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"dozens|scores|hundreds)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:killed|dead|died|deaths|wounded|injured|hurt|neutrali[sz]ed|bodies|casualties|"
    r"people|civilians|soldiers|troops|fighters|militants|militiamen|assailants|policemen|"
    r"protesters|children|women|men)\b",
    re.IGNORECASE,
)


def _fill_claims(event: Event, draft: Draft, doc: Document, evidence: list[Evidence]) -> None:
    actor_names = {a.text for a in event.actors if a.text} | {a.name for a in event.actors}
    dictionary = actor_dictionary()
    actor_entries = {dictionary.entry_for(n) for n in actor_names} - {None}
    for sentence in draft.sentences:
        for attribution in sentence.attributions:
            if attribution.kind == "responsibility":
                kind = "responsibility"
            elif attribution.kind == "denial":
                kind = "denial"
            elif states_casualties(attribution.content) and (
                _TOLL_FIRST.match(attribution.content.text)
                or not find_mentions(attribution.content, attribution.content)
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
            evidence.append(evidence_for(doc, content, "claim"))
