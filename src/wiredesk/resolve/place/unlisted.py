"""Places the gazetteer does not hold, found by what the text says of them.

Landmarks: a run of capitalised words that ends in a landmark word (street, church, school,
court ...; `landmark_heads` in lexicon.toml), or is followed by one in lower case: "Royal
Street", "Holy Redeemer Church", "Ghazl market", "14th St."; a few words are landmarks alone
("the state Capitol"; `landmark_alone`). A landmark is in the town its sentence names (the
nearest; for any but a street, `street_heads`, a county too), else in the town the document
is about (the town it names most in the province it names most), else in the province its
sentence names, and is returned with `precision == "facility"`. A landmark that holds a
place name ("Hartford Hospital", "Texas Southern University") is left to that name,
which says where it is, unless that name is a far village ("Carnegie Library" in a report
from New Orleans; also "Elysian Fields", a longer name a far village only heads). A vehicle
maker's name before a model's ("Toyota Prius"; `vehicle_makes`) is neither place nor landmark.

Named by their kind: "the village of Akuressa", "the villages of Nuli and Avnevi", "the
Artibonite region", "Wedza district", "Al-Manishiyah District", and names after "in", "near",
"at" or "outside" (the kind words and locatives of lexicon.toml). Such a place is near the
closest place below the country level that its sentence names, else in the document's town,
and takes the precision of its kind word (a town after a locative).

Every name must look like a place's: no number, owner, short acronym, organisation, title,
first name, demonym or common English word. All come with the coordinates, country and
province of the place that locates them and `feature == UNLISTED_FEATURE`. A document that
names nothing to locate them gets none.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from wiredesk.records import GeoPrecision, Place, Span, distance_km
from wiredesk.resolve.place import curated, model
from wiredesk.resolve.place.detect import LIST_GAP, kind_words
from wiredesk.resolve.place.model import DEMONYM_FEATURE
from wiredesk.resolve.place.text import fold

# The `Place.feature` of a place the gazetteer lacks, located by a place the document names.
UNLISTED_FEATURE = "UNLISTED"

# A word of a name: a capital and what follows it ("Al-Manishiyah"), or a number and what
# follows its first digit ("14th").
_AFTER_CAPITAL = r"[\w'’&]*(?:-[\w'’&]+)*"
_AFTER_DIGIT = r"\d*(?:st|nd|rd|th)?"
_WORD = rf"(?:[A-Z]{_AFTER_CAPITAL}|\d{_AFTER_DIGIT})"
# A full stop goes on with the name only after a two-letter abbreviation ("St. Peter's
# Basilica", "Mt. Sinai Hospital"). The first word's first character is read before which
# kind of word it is: a pattern that opens with a character class is searched for by
# skipping to each capital or digit, which costs less than trying every offset.
_RUN = re.compile(
    rf"[A-Z\d](?:(?<=[A-Z]){_AFTER_CAPITAL}|(?<=\d){_AFTER_DIGIT})"
    rf"(?:(?:(?<=\b[A-Z][a-z])\.)?[ \t]+(?:(?:of|the|de|del|la|le|du|des)[ \t]+)?{_WORD})*"
)
_TOKEN = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"['’]s?$")
_OWNER = re.compile(r"['’](?:s\b|\s|$)")
_COMPOUND = re.compile(r"\w-[a-z]")  # "Vatican-owned", "US-led"
_NAME_GOES_ON = re.compile(r"(?:['’]s)?\s+\S")
_LOWER_HEAD = re.compile(r"[ \t]+([a-z]+)\b")
_TOWN_PRECISION = ("town", "district")
# A town inside a landmark that lies farther than this from the document's town is a homonym.
_STRAY_KM = 300.0
# GeoNames codes of populated places that are no capital or seat of government.
_MINOR_FEATURES = frozenset(["PPL", "PPLL", "PPLX", "PPLF", "PPLS", "PPLW", "PPLQ", "PPLH"])
_LOCAL_PRECISION = ("town", "district", "province", "facility")
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")


@cache
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    words = curated.folded_words
    return words("landmark_heads"), words("landmark_generic"), words("landmark_openers")


def _landmark_spans(text: str, runs: list[re.Match[str]]) -> list[tuple[int, int]]:
    heads, generic, openers = _words()
    alone = curated.folded_words("landmark_alone")
    spans = []
    for run in runs:
        lowered = run.group().lower()
        if lowered in alone:
            spans.append((run.start(), run.end()))  # "the state Capitol"
            continue
        if not _may_hold_head(text, run.end(), lowered):
            continue
        tokens = [
            (m.start() + run.start(), m.end() + run.start(), m.group())
            for m in _TOKEN.finditer(run.group())
        ]
        words = [fold(_POSSESSIVE.sub("", t[2])) for t in tokens]
        if len(words) >= 2 and words[0] in curated.folded_words("landmark_prefixes"):
            owned = _POSSESSIVE.search(tokens[-1][2])  # "Rue Casa Calvo's"
            spans.append((tokens[0][0], tokens[-1][1] - (len(owned.group()) if owned else 0)))
            continue
        last = max((i for i, w in enumerate(words) if w in heads), default=-1)
        if last >= 1:
            owned = _POSSESSIVE.search(tokens[last][2])  # "Royal Street's"
            end = tokens[last][1] - (len(owned.group()) if owned else 0)
            if text[end - 1] == ".":
                end -= 1  # "14th St. Monday": the name ends before the full stop
        else:
            # "Methodist church", "Seasons restaurant": a landmark word in lower case after it
            lower = _LOWER_HEAD.match(text, run.end())
            if (
                not lower
                or lower.group(1) not in heads
                or not _plausible(run.group())
                or words[-1] in curated.folded_words("faith_words")
            ):
                continue
            last, end = len(tokens), lower.end(1)
        first = 0
        for i in range(last):
            if _COMPOUND.search(tokens[i][2]):
                first = i + 1  # "Vatican-owned Bambino Gesu Hospital"
        # "Britain's High Court", "Utah's Zion National Park": the landmark follows its owner
        # (but "Alder Hey Children's Hospital" is one name)
        owner = max((i + 1 for i in range(first, last) if _OWNER.search(tokens[i][2])), default=0)
        if owner and not all(w in generic or w in heads for w in words[owner:last]):
            first = owner
        while first < last and words[first] in openers:
            first += 1  # "The Third Presbyterian Church", "In Royal Street ..."
        names = words[first:last]
        if not names or all(w in generic or w in heads for w in names):
            continue  # "High School", "Supreme Court": which one is not said
        spans.append((tokens[first][0], end))
    return spans


@cache
def _first_test_words() -> frozenset[str]:
    """Landmark words and kind-first words, lower-cased, bare and with a full stop ("St."
    of "14th St.") (a cheap first test)."""
    lex = curated.lexicon()
    words = [w.lower() for w in (*lex["landmark_heads"], *lex["landmark_prefixes"])]
    return frozenset([*words, *(f"{w}." for w in words)])


def _may_hold_head(text: str, end: int, lowered: str) -> bool:
    """Whether a landmark word is in a run (`lowered`, in lower case) or is the word after it
    (at `end`)."""
    words = _first_test_words()
    for w in lowered.split():
        if w in words or w.rstrip("'’s") in words:
            return True
    lower = _LOWER_HEAD.match(text, end)
    return bool(lower and lower.group(1) in words)


def focal_town(places: list[Place]) -> Place | None:
    """The town the document is about: in the province it names most (its places and their
    towns counted together), the town it names most; the first of them on a tie."""
    literal = [p for p in places if p.feature != DEMONYM_FEATURE]
    towns = [p for p in literal if p.precision in _TOWN_PRECISION and p.lat is not None]
    if not towns:
        return None
    provinces = Counter((p.country, p.admin1) for p in literal if p.admin1)
    if provinces:
        top = provinces.most_common(1)[0][0]
        towns = [p for p in towns if (p.country, p.admin1) == top] or towns
    counts = Counter(p.name for p in towns)
    best = max(counts.values())
    return next(p for p in towns if counts[p.name] == best)


@cache
def _cue_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """What may come before a name ("(the) villages of", "in") and after it ("district"):
    `unlisted_kinds_before`, `unlisted_locatives` and `unlisted_kinds_after` in lexicon.toml."""
    lex = curated.lexicon()

    def alternatives(words: list[str]) -> str:
        ordered = sorted((fold(w) for w in words), key=len, reverse=True)
        return "|".join(re.escape(w).replace(r"\-", r"[\s-]") for w in ordered)

    before = re.compile(
        rf"\b(?i:(?P<kind>{alternatives(lex['unlisted_kinds_before'])})s?\s+of)\s+$"
    )
    locative = re.compile(rf"\b(?:{alternatives(lex['unlisted_locatives'])})\s+$")
    after = re.compile(rf"\s+(?P<kind>{alternatives(lex['unlisted_kinds_after'])})s?\b")
    return before, locative, after


@cache
def _locatives() -> tuple[str, ...]:
    """The words of `unlisted_locatives`, folded as their pattern matches them."""
    return tuple(fold(w) for w in curated.lexicon()["unlisted_locatives"])


@cache
def _not_names() -> frozenset[str]:
    """Words that make a capitalised run something other than a place name."""
    words = curated.folded_words
    return words("org_words") | words("titles") | frozenset(curated.demonyms())


def _cued_spans(text: str, runs: list[re.Match[str]]) -> list[tuple[int, int, GeoPrecision]]:
    """Capitalised names that a kind word says are places, with the precision it implies:
    "the village of X", "the villages of X, Y and Z", "in X", "X district"."""
    before, locative, after = _cue_patterns()
    locatives = _locatives()
    kinds = kind_words()
    out: list[tuple[int, int, GeoPrecision]] = []
    listed: str | None = None  # the kind of the list the previous name opened
    previous_end = -1
    for run in runs:
        start, end = run.start(), run.end()
        head = text[max(0, start - 40) : start]
        # A cue before a name ends in "of" or in a locative: a cheap test before the patterns.
        trimmed = head.rstrip()
        cue = before.search(head) if trimmed[-2:].lower() == "of" else None
        kind: str | None = None
        if cue:
            kind = fold(cue.group("kind"))
        elif listed and LIST_GAP.fullmatch(text[previous_end:start]):
            kind = listed
        listed, previous_end = kind, end
        if (
            kind is None
            and trimmed.endswith(locatives)
            and locative.search(head)
            and not _title_case_line(text, start)
        ):
            kind = "town"
        if kind is None:
            tail = after.match(text, end)
            kind = fold(tail.group("kind")) if tail else None
        if kind is None:
            # "Al-Manishiyah District", "Busue Village": the kind word ends the name
            last = run.group().rsplit(None, 1)
            if len(last) == 2 and after.match(" " + last[1].lower()):
                kind = fold(last[1])
                if not _plausible(last[0]):
                    continue
        if kind is not None and _plausible(text[start:end]):
            out.append((start, end, model.PRECISION[kinds.get(kind, model.TOWN)]))
    return out


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_HEADLINE_MAX = 160  # characters either side of a name


def _title_case_line(text: str, at: int) -> bool:
    """Whether the line holding `at` is a headline in title case ("Father of 4 Killed in
    Shooting Speaks Out"): there a capital after "in" says nothing of a name."""
    left = text.rfind("\n", max(0, at - _HEADLINE_MAX), at) + 1
    right = text.find("\n", at, at + _HEADLINE_MAX)
    if (right < 0 and len(text) - at > _HEADLINE_MAX) or (left == 0 and at > _HEADLINE_MAX):
        return False  # a line this long is running text
    count = 0
    for word in _LONG_WORD.finditer(text, left, right if right >= 0 else len(text)):
        if not word.group()[0].isupper():
            return False  # running text, mostly: known from its first long lower-case word
        count += 1
    return count >= 4


def _plausible(name: str) -> bool:
    """Whether a capitalised run the gazetteer lacks can be a place's name: not a number, an
    owner, an acronym, an organisation, a person, a demonym or an English word."""
    words = fold(name).split()
    return not (
        not words
        or any(ch.isdigit() for ch in name)
        or _OWNER.search(name)  # "Obama's", "Michael Marshall's Rallye"
        or (name.isupper() and len(name) <= 5)  # "TIF districts", "NGO"
        or words[0] in curated.folded_words("first_names")  # "Max Poikonen"
        or any(w in _not_names() for w in words)  # "Interior Ministry", "Chechen"
        or all(w in curated.folded_words("stop_words") for w in words)  # "March", "North"
        or (len(words) == 1 and words[0] in curated.common_words())  # "Instead", "Any"
    )


def _locating(
    places: list[Place], text: str, start: int, end: int, precisions: tuple[str, ...]
) -> Place | None:
    """The nearest place of one of `precisions` named in the same sentence."""
    left = _sentence_start(text, start)
    right_end = _SENTENCE_END.search(text, end)
    right = right_end.start() if right_end else len(text)
    near = [
        p
        for p in places
        if left <= p.span.start
        and p.span.end <= right
        and p.precision in precisions
        and p.feature != DEMONYM_FEATURE
        and p.lat is not None
    ]
    return min(near, key=lambda p: abs(p.span.start - start), default=None)


def _sentence_start(text: str, at: int) -> int:
    """Just past the last sentence end before `at` (0 when there is none), looked for in ever
    wider stretches before `at` rather than from the start of the text."""
    width = 256
    while True:
        low = max(0, at - width)
        ends = [m.end() for m in _SENTENCE_END.finditer(text, low, at)]
        if ends or not low:
            return ends[-1] if ends else 0
        width *= 4


def add_unlisted(text: str, places: list[Place]) -> list[Place]:
    """`places` with the landmarks and kind-named places the gazetteer lacks added."""
    runs = list(_RUN.finditer(text))
    landmarks = _landmark_spans(text, runs)
    cued = _cued_spans(text, runs)
    town = focal_town(places)
    # Longer names that a far village only heads ("Elysian Fields" in a report from New
    # Orleans is no place in Elysian, Minnesota) are landmarks of the document's town too.
    if town is not None:
        headed = _headed_runs(text, runs, places)
        landmarks += [(s, e) for s, e in headed if _stray_towns(places, town, s, e)]
    replaced = {id(p) for s, e in landmarks for p in _stray_towns(places, town, s, e)}
    # "a silver Toyota Prius", "a Dodge Durango": a vehicle, no place and no landmark
    vehicles = _vehicle_spans(runs)
    replaced |= {id(p) for p in places for s, e in vehicles if _inside(p, s, e)}
    kept = [p for p in places if id(p) not in replaced]
    # A far village is no place to locate a landmark by ("Bourbon and Dauphine streets" in a
    # report from New Orleans: not Bourbon, Indiana).
    locators_ok = [p for p in kept if not _stray_towns([p], town, p.span.start, p.span.end)]
    taken = [(p.span.start, p.span.end) for p in kept] + vehicles
    added: list[Place] = []
    facility: GeoPrecision = "facility"
    located: list[tuple[int, int, GeoPrecision, tuple[str, ...]]]
    # A street runs through a town, not a county: one the sentence names only with a county
    # ("heading home to Sheboygan County on I-43 near Capitol Drive") is the document's town's.
    streets = curated.folded_words("street_heads")
    located = [
        (s, e, facility, ("town",) if _last_word(text, s, e) in streets else _TOWN_PRECISION)
        for s, e in landmarks
    ]
    located += [(s, e, p, _LOCAL_PRECISION) for s, e, p in cued]
    for start, end, precision, locators in located:
        # A place name inside ("Hartford Hospital", "Texas Southern University", "British
        # Embassy") already says where it is; so does a gazetteer facility.
        if any(s < end and start < e for s, e in taken):
            continue
        where = _locating(locators_ok, text, start, end, locators) or town
        if where is None:
            # "the Tishreen Dam that links the Aleppo and Al-Raqqa Governorates": a document
            # with no town puts a landmark in the province its sentence names
            where = _locating(locators_ok, text, start, end, ("province",))
        if where is None:
            continue
        taken.append((start, end))
        added.append(
            Place(
                span=Span(start, end, text[start:end]),
                name=text[start:end],
                lat=where.lat,
                lon=where.lon,
                country=where.country,
                admin1=where.admin1,
                admin2=where.admin2,
                feature=UNLISTED_FEATURE,
                precision=precision,
            )
        )
    if not added:
        return kept
    return sorted(kept + added, key=lambda p: p.span.start)


def _headed_runs(
    text: str, runs: list[re.Match[str]], places: list[Place]
) -> list[tuple[int, int]]:
    """Runs of capitalised words that begin with a place's name and go on past it."""
    starts = {p.span.start: p.span.end for p in places}
    out = []
    for run in runs:
        end = starts.get(run.start())
        rest = text[end : run.end()] if end is not None else ""
        if (
            end is not None
            and _NAME_GOES_ON.match(rest)  # "Eva's Village", but not "Fort Worth's" alone
            and not any(ch.isdigit() for ch in rest)  # "Rio de Janeiro 84"
            and not any(
                w in curated.folded_words("titles") for w in fold(rest).split()
            )  # "Mabini Vice-Mayor"
        ):
            out.append((run.start(), run.end()))
    return out


def _last_word(text: str, start: int, end: int) -> str:
    return fold(_POSSESSIVE.sub("", text[start:end].rsplit(None, 1)[-1])).rstrip(".")


@cache
def _vehicle_words() -> tuple[frozenset[str], frozenset[str]]:
    """Vehicle makers, and the words after one that make a landmark or a place of it."""
    other = _words()[0] | curated.folded_words("org_words") | kind_words().keys()
    return curated.folded_words("vehicle_makes"), frozenset(other)


def _vehicle_spans(runs: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Runs of a vehicle maker's name and a model's ("Toyota Prius", "Pontiac Grand Prix";
    not "Lincoln Park", "Dodge County": a landmark, kind or organisation word follows)."""
    makes, other = _vehicle_words()
    out = []
    for run in runs:
        words = run.group().split(None, 2)
        if len(words) >= 2 and fold(words[0]) in makes and fold(words[1]) not in other:
            out.append((run.start(), run.end()))
    return out


def _inside(place: Place, start: int, end: int) -> bool:
    return start <= place.span.start and place.span.end <= end


def _stray_towns(places: list[Place], town: Place | None, start: int, end: int) -> list[Place]:
    """The towns inside a landmark that lie far from the document's town ("Carnegie Library"
    in a report from New Orleans is no library in Carnegie, Pennsylvania): a homonym, not
    where the landmark is. Empty when anything else is inside it, or a capital or a seat of
    government ("Jakarta prison", "Liverpool Academy" name places of those)."""
    if town is None or town.lat is None or town.lon is None:
        return []
    inner = [p for p in places if p.span.start < end and start < p.span.end]
    if not inner or any(
        p.span.start < start
        or p.span.end > end
        or p.precision not in _TOWN_PRECISION
        or p.lat is None
        or p.lon is None
        or p.feature not in _MINOR_FEATURES
        or distance_km(p.lat, p.lon, town.lat, town.lon) <= _STRAY_KM
        for p in inner
    ):
        return []
    return inner
