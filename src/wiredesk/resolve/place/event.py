"""Choosing where an event happened among the places of its sentence."""

from __future__ import annotations

import re

from wiredesk.records import Place, Span
from wiredesk.resolve.place.model import DEMONYM_FEATURE

_AT = re.compile(
    r"\b(?:in|at|near|outside|inside|into|on|over|across|around|within|through|throughout|along|"
    r"off|targeting|targeted|hit|hitting|"
    r"struck|striking|attacked|attacking|stormed|bombed|shelled|raided|captured|seized|entered|"
    r"of|toward|towards|from the town of|village of|city of|town of|area of|outskirts of)"
    r"\s+(?:the\s+)?(?:[a-z]+\s+){0,2}$",
    re.IGNORECASE,
)
_SPEAKER = re.compile(
    r"(?:\b(?:said|says|told|reported|announced|statement|speaking|briefing|conference|"
    r"spokesman|spokeswoman|official|officials|ministry|agency|correspondent|reporter|"
    r"reporters|quoted|dateline)\b[^.;]{0,40}\b(?:in|from)\s+(?:the\s+)?$)"
    r"|(?:\b(?:based|headquartered)\s+in\s+(?:the\s+)?$)|(?:\bfrom\s+(?:the\s+)?$)",
    re.IGNORECASE,
)
# "US-led", "Iran-backed", "US forces", "a US base": the place names who acts or owns, not
# where the event happened. Compounds never are the event's place; a country followed by an
# actor noun is not either.
_COMPOUND = re.compile(
    r"^\s*[-–]\s*(?:led|run|backed|based|born|made|funded|trained|brokered|sponsored|allied|"
    r"supported|owned|operated|controlled|held|linked|aligned|affiliated|financed|armed|"
    r"friendly|bound)\b",
    re.IGNORECASE,
)
_ACTOR_NOUN = re.compile(
    r"^\s+(?:(?:and|or)\s+[A-Z][\w.]*\s+)?(?:-?led\s+)?(?:special\s+|military\s+|armed\s+|"
    r"air\s+|naval\s+|ground\s+|security\s+|government\s+|coalition\s+)?"
    r"(?:forces?|troops?|soldiers?|servicem[ae]n|marines?|military|army|navy|air\s*force|"
    r"jets?|warplanes?|aircraft|planes?|drones?|helicopters?|warships?|ships?|submarines?|"
    r"officials?|officers?|government|administration|authorities|embassy|consulate|"
    r"diplomats?|envoys?|ambassadors?|president|spokes(?:man|woman|person)|citizens?|"
    r"nationals?|contractors?|personnel|coalition|police|base|bases|garrison|convoy|"
    r"patrol|commanders?|advisers?|advisors?|intelligence|proxies|allies|backed|led)\b",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"^['’]s?\s+[a-z]")
_AFTER_SPEAKER = re.compile(r"^(?:-based|\s+based\b|['’]s\s+(?:government|ministry|president))")
_PRECISION_BONUS = {
    "facility": 3.0,
    "town": 1.5,
    "district": 1.0,
    "province": 0.0,
    "country": -1.5,
    "unknown": -1.0,
}


def _score(place: Place, text: str, trigger: Span, has_facility: bool, offset: int) -> float:
    start = place.span.start - offset
    end = place.span.end - offset
    before = text[max(0, start - 60) : start]
    after = text[end : end + 24]
    score = _PRECISION_BONUS.get(place.precision, 0.0)
    if _AT.search(before):
        score += 2.0
    if _SPEAKER.search(before) or _AFTER_SPEAKER.match(after):
        score -= 4.0
    if _POSSESSIVE.match(after):
        score -= 1.5  # "Baghdad's northern neighborhood of Qahira": a modifier
    if place.anchor_offset and any(ch.isdigit() for ch in place.anchor_offset) and has_facility:
        score -= 4.0  # "160 km west of Baghdad" is a reference point for the named base
    gap = place.span.start - trigger.end if place.span.start >= trigger.end else 0
    if place.span.end <= trigger.start:
        gap = trigger.start - place.span.end
    score -= min(gap, 300) / 60.0
    if place.span.start >= trigger.end:
        score += 0.5
    return score


def _modifier(place: Place, sentence: Span) -> bool:
    """Whether a place only modifies an actor: "US-led", "US forces", "a US base"."""
    after = sentence.text[place.span.end - sentence.start : place.span.end - sentence.start + 40]
    if _COMPOUND.match(after):
        return True
    return place.precision == "country" and bool(_ACTOR_NOUN.match(after))


def event_place(places: list[Place], sentence: Span, trigger: Span) -> Place | None:
    """The place where the event at `trigger` happened, among the places of `sentence`.

    Prefers named facilities, places after "in/at/near", and places close to the trigger; a
    speaker's location ("said in Baghdad") and a distance anchor next to a named facility
    ("160 km west of Baghdad") are passed over.
    """
    inside = [
        p
        for p in places
        if sentence.start <= p.span.start
        and p.span.end <= sentence.end
        and p.feature != DEMONYM_FEATURE
        and not _modifier(p, sentence)
    ]
    if not inside:
        return None
    has_facility = any(p.precision == "facility" for p in inside)
    text = sentence.text
    scored = [(_score(p, text, trigger, has_facility, sentence.start), p) for p in inside]
    return max(scored, key=lambda sp: sp[0])[1]
