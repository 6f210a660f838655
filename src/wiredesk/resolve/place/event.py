"""Choosing where an event happened among the places of its sentence."""

from __future__ import annotations

import re

from wiredesk.nlp.wordscan import initials
from wiredesk.records import Place, Span
from wiredesk.resolve.place.detect import person_noun_after
from wiredesk.resolve.place.model import DEMONYM_FEATURE

# The words before a place that say the event happened there, as an alternation.
_AT_WORDS = (
    "in|at|near|outside|inside|into|on|over|across|around|within|through|throughout|along|"
    "off|targeting|targeted|hit|hitting|"
    "struck|striking|attacked|attacking|stormed|bombed|shelled|raided|captured|seized|entered|"
    "of|toward|towards|from the town of|village of|city of|town of|area of|outskirts of"
)
_AT = re.compile(
    rf"\b{initials(_AT_WORDS.split('|'))}(?:{_AT_WORDS})"
    r"\s+(?:the\s+)?(?:[a-z]+\s+){0,2}$",
    re.IGNORECASE,
)
_SPEAKER = re.compile(
    r"\b(?:said|says|told|reported|announced|statement|speaking|briefing|conference|"
    r"spokesman|spokeswoman|official|officials|ministry|agency|correspondent|reporter|"
    r"reporters|quoted|dateline)\b[^.;]{0,40}\b(?:in|from)\s+(?:the\s+)?$"
    r"|\b(?:based|headquartered|stationed)\s+in\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# What every _SPEAKER phrase ends in before its spaces, and every _RESIDENCE phrase (a cheap
# test of the last few characters before the patterns, which try every offset).
_SPEAKER_END = re.compile(r"(?:in|from|the)$", re.IGNORECASE)
_RESIDENCE_END = ("of", "from")
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?(?:[a-z]+\s+){0,2}$", re.IGNORECASE)
# Between the trigger and a place: another clause ("..., while another soldier died near X").
_CLAUSE = re.compile(r";|\s[-–—]\s|,\s+(?:while|but|whereas|and\s+(?:later|then))\b|\bwhile\b")
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
    r"^\.?\s+(?:(?:and|or)\s+[A-Z][\w.]*\s+)?(?:-?led\s+)?(?:special\s+|military\s+|armed\s+|"
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
# "Washington's envoy", "Iraq's government": the place owns an actor.
_POSSESSIVE_ACTOR = re.compile(
    r"^['’]s?\s+(?:new\s+|top\s+|former\s+|own\s+)?(?:government|ministry|president|"
    r"ambassador|envoy|army|military|forces|troops|police|prime|foreign|interior|defen[cs]e|"
    r"leaders?|officials?|spokes\w+|embassy|authorities|regime|allies|invasion|decision)\b",
    re.IGNORECASE,
)
# "Moussa Ranimat, 28, of Kafr Tsurif": where a person is from.
_RESIDENCE = re.compile(r"(?:\d{1,3},\s+|\b(?:resident|native|man|woman)\s+)(?:of|from)\s+$")
_AFTER_SPEAKER = re.compile(r"^(?:-based|\s+based\b|['’]s\s+(?:government|ministry|president))")
_PRECISION_BONUS = {
    "facility": 3.0,
    "town": 1.5,
    "district": 1.0,
    "province": 0.0,
    "country": -0.5,
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
    trimmed = before.rstrip()
    speaker = _SPEAKER_END.search(trimmed, len(trimmed) - 4) and _SPEAKER.search(before)
    if speaker or _AFTER_SPEAKER.match(after):
        score -= 4.0
    elif _FROM.search(before):
        score -= 1.5  # "fired from Gaza", "returned from Kabul": rarely where it happened
    if _POSSESSIVE_ACTOR.match(after):
        score -= 3.0  # "Washington's envoy", "Iraq's invasion of Kuwait"
    elif _POSSESSIVE.match(after):
        score -= 1.0  # "Baghdad's northern neighborhood of Qahira"
    residence = trimmed.endswith(_RESIDENCE_END) and _RESIDENCE.search(before)
    if residence or person_noun_after().match(after):
        score -= 2.0  # "Ali, 28, of Hebron", "a Corpus Christi firefighter": a home
    if place.anchor_offset and any(ch.isdigit() for ch in place.anchor_offset) and has_facility:
        score -= 4.0  # "160 km west of Baghdad" is a reference point for the named base
    if place.span.start >= trigger.end:
        between = text[trigger.end - offset : start]
        gap = place.span.start - trigger.end
        score += 0.5
    else:
        between = text[end : trigger.start - offset]
        gap = trigger.start - place.span.end if place.span.end <= trigger.start else 0
    score -= min(gap, 300) / 40.0
    if _CLAUSE.search(between):
        score -= 1.5
    return score


def _contains(outer: Place, inner: Place) -> bool:
    """Whether `outer` (a country or a province) holds `inner`, a finer place."""
    if outer is inner or not outer.country or outer.country != inner.country:
        return False
    finer = _FINENESS.get(inner.precision, 0) > _FINENESS.get(outer.precision, 0)
    if outer.precision == "country":
        return finer
    if outer.precision == "province":
        return finer and outer.admin1 is not None and inner.admin1 == outer.admin1
    return False


_FINENESS = {"country": 1, "province": 2, "district": 3, "town": 4, "facility": 5}
_FAR = re.compile(r"\d|north|south|east|west", re.IGNORECASE)
_DIRECTION = re.compile(r"\bof$|\bnear$|\boutside$", re.IGNORECASE)


_ACTOR_OF = re.compile(
    r"\b(?:forces|troops|soldiers|warplanes|jets|aircraft|planes|navy|army|military|"
    r"government|governments|officials|embassy|embassies|ambassador|president|allies)\s+of\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)


def _modifier(place: Place, sentence: Span) -> bool:
    """Whether a place only modifies an actor: "US-led", "US forces", "a US base",
    "warplanes of the U.S."."""
    start = place.span.start - sentence.start
    end = place.span.end - sentence.start
    after = sentence.text[end : end + 40]
    if _COMPOUND.match(after):
        return True
    if place.precision != "country":
        return False
    return bool(
        _ACTOR_NOUN.match(after) or _ACTOR_OF.search(sentence.text[max(0, start - 40) : start])
    )


def event_place(places: list[Place], sentence: Span, trigger: Span) -> Place | None:
    """The place where the event at `trigger` happened, among the places of `sentence`.

    Prefers named facilities, places after "in/at/near", places close to the trigger and in
    its clause, and a town over the province or country that holds it. Never a demonym
    ("Russian"), nor a country that only modifies an actor ("US forces", "US-led", "a US
    base", "warplanes of the U.S."). Passed over: a speaker's location ("said in Baghdad"),
    a reference anchor ("In Minya, 240 km south of Cairo", "Mauthausen, near Linz"), a
    person's home ("Ali, 28, of Hebron"), an owner ("Washington's envoy").
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
    scored = []
    for p in inside:
        s = _score(p, text, trigger, has_facility, sentence.start)
        others = [q for q in inside if q is not p]
        if any(_contains(p, q) for q in others):
            s -= 1.0  # "Mubi" over "Adamawa State", a town over its country
        elif any(_contains(q, p) for q in others):
            s += 0.5
        if p.anchor_offset and _DIRECTION.search(p.anchor_offset):
            # "In Mallawi, 260 km south of Cairo", "South of Baghdad, ... in Suwayra",
            # "Mauthausen, near Linz": the anchor places another named place
            far = bool(_FAR.search(p.anchor_offset))
            if any(not q.anchor_offset and (far or q.span.start < p.span.start) for q in others):
                s -= 3.0
        scored.append((s, p))
    return max(scored, key=lambda sp: sp[0])[1]
