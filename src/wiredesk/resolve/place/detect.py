"""Toponym detection: the index's names looked up in the folded text at every word where a
name may start (not in lower case, or an Arabic article: "al-Asad"), then boundary,
capitalisation, stop-list, person-name and longest-match checks.

The same look-up finds demonyms ("Iraqi", "South African"; `Mention.demonym`), which name their
country or region. Two letters in mixed case ("Pa", "Ed") name only well-known places
(countries, curated places, towns of 100,000+). Then, in order: common English words that
name only small places are dropped where their capital letter has another reason (sentence
start, inside a longer capitalised name: "Drone hits ...", "Security Media Cell"); a short or
obscure name heading capitalised words that are neither places nor English words ("Tal" of
"Tal Qasimiyeh": a longer name the gazetteer lacks); names inside a byline ("By Rania
Haddad, Levant Daily Monitor"); person names (after titles or known first names, "coach
Ripley", "Welch said", "Hamdi, 21,") and their surnames; and a US state's postal code after
"Town, " ("Trenton, NJ") is added as a place. A name before a disease word ("West Nile
virus") or a street's kind word ("Gillis Street") is no place. Last, kind hints: "Anbar
province" (not "Aleppo state media"; a plural after a list, "Idlib and Hama provinces", for
every name of the list), and a name the document calls a province is the province in its
bare mentions too, except in a sentence that speaks of a town ("rebels entered Aleppo")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from wiredesk.nlp.wordscan import initials
from wiredesk.resolve.place import curated, model
from wiredesk.resolve.place.index import KEY_MAX_LEN, PlaceIndex
from wiredesk.resolve.place.text import FOLD_TABLE, FOLDED_BELOW, FoldedText, fold
from wiredesk.resolve.place.variants import ARTICLES

# Lower-case words allowed inside a capitalised place name ("Ain al-Asad", "Isle of Man").
_PARTICLES = (
    frozenset(
        [
            "of",
            "the",
            "de",
            "del",
            "della",
            "di",
            "da",
            "do",
            "dos",
            "das",
            "du",
            "des",
            "la",
            "le",
            "les",
            "los",
            "las",
            "ibn",
            "bin",
            "bint",
            "bou",
            "ben",
            "upon",
            "on",
            "and",
            "y",
            "e",
            "i",
            "im",
            "am",
            "der",
            "den",
            "van",
            "von",
            "zu",
            "sur",
            "sous",
            "aan",
            "au",
            "aux",
            "d",
            "l",
            "lo",
            "dei",
            "in",
            "under",
            "op",
            "ter",
            "ten",
        ]
    )
    | ARTICLES
)  # Arabic articles too: "Ain al-Asad", "Deir ez-Zor"
# Kind words that may follow a name in lower case: "Ain al-Asad air base", "Anbar province".
_GENERIC = frozenset(
    [
        "air",
        "base",
        "airbase",
        "airport",
        "airfield",
        "field",
        "military",
        "international",
        "province",
        "governorate",
        "district",
        "county",
        "region",
        "camp",
        "garrison",
        "oil",
        "gas",
        "refugee",
    ]
)
_ARTICLE_HEADS = frozenset(
    ["al ", "al-", "el ", "el-", "ar-", "as-", "ad-", "an-", "at-", "az-", "ash", "adh", "ath"]
)
_ELIDED = re.compile(r"[a-z]['’][A-Z]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_OFFSET = re.compile(
    r"(?:(?:about|some|around|roughly|nearly|approximately|almost|over|more than|less than)\s+)?"
    r"\d[\d,.]*\s*(?:-\s*)?(?:km|kms|kilometers|kilometres|miles|mile|mi)\b\.?\s*"
    r"(?:\([^)]{0,30}\)\s*)?(?:to the\s+)?"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|"
    r"south-east|south-west)(?:ern|ward)?\s+(?:of\s+)?(?:the\s+)?(?:city\s+of\s+|town\s+of\s+)?$",
    re.IGNORECASE,
)
_NEAR = re.compile(
    r"\b(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|"
    r"north-west|south-east|south-west)(?:ern|ward)?\s+of|near|nearby|outside|close to|"
    r"on the outskirts of|in the outskirts of|in the vicinity of|just outside|near the|"
    r"outskirts of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# Words one of which every _NEAR phrase holds, and the words it ends in before its spaces
# (cheap tests before the expression).
_NEAR_WORDS = ("of", "near", "outside", "close to", "outskirts", "vicinity")
_NEAR_END = re.compile(r"(?:of|near|nearby|outside|to|the)$", re.IGNORECASE)
# What every _OFFSET phrase holds: a digit and one of these words (in any case).
_DIGIT = re.compile(r"\d")
_COMPASS_WORDS = ("north", "south", "east", "west")
# "Gillis Street": a street named for a place (but "the Florida Highway Patrol" is the state's)
_STREET = re.compile(
    r"\s+(?:St|Street|Rd|Road|Ave|Avenue|Dr|Drive|Blvd|Boulevard|Lane|Ln|Way|Circle|Ct|Court|"
    r"Highway(?!\s+(?:Patrol|Safety|Department))|Hwy|Parkway|Pkwy|Pike|Place|Pl|Terrace|Trail|"
    r"Square)\b"
)
# "the 1700 block of West Highland": a street named for a place, said without its kind word.
_BLOCK_OF = re.compile(r"\d\s+blocks?\s+of\s+(?:(?:North|South|East|West|[NSEW]\.?)\s+)?$")
_QUARTER = re.compile(r"\s+Quarter\b")
# What separates the names of a list: "Idlib, Hama and Homs", "Cooke or Grayson".
LIST_GAP = re.compile(r",\s*|,?\s+(?:and|or)\s+")
_CITY_OF = re.compile(
    r"\b(city|town|village|province|governorate|district|county|region|state)\s+of\s+$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Mention:
    """A place name found in the text, with the gazetteer entries it may name."""

    start: int
    end: int
    text: str
    key: str  # the folded name: `fold(text)`
    candidates: list[tuple[int, int]]  # (entry, link flags)
    hint: int | None = None  # model kind said by a neighbouring word ("province" -> ADMIN1)
    offset: str | None = None  # "160 kilometers west of" when this place is an anchor
    scores: list[float] = field(default_factory=list)
    demonym: bool = False  # "Russian", "Iraqis": names its country (or region) as a modifier
    # "province" in "Gaziantep province" (or said of the name elsewhere in the document):
    # such a mention names the province apart from the name's bare mentions (the city)
    division: bool = False


@cache
def _lexicon_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str], dict[str, int]]:
    lex = curated.lexicon()
    stop, titles = curated.folded_words("stop_words"), curated.folded_words("titles")
    first = curated.folded_words("first_names")
    kinds = {
        "admin1": model.ADMIN1,
        "admin2": model.ADMIN2,
        "town": model.TOWN,
        "facility": model.FACILITY,
        "region": model.REGION,
    }
    kind_words = {fold(w): kinds[k] for w, k in lex["kind_words"].items()}
    return stop, titles, first, kind_words


@cache
def _disease_after() -> re.Pattern[str]:
    """A disease word right after a name: "West Nile virus", "Lassa fever"."""
    words = curated.alternation("disease_words")
    return re.compile(rf"[ \t]+(?:{words})\b", re.IGNORECASE)


@cache
def kind_word_set() -> frozenset[str]:
    """Folded kind words ("province", "state", "refugee camp")."""
    return frozenset(_lexicon_sets()[3])


def kind_words() -> dict[str, int]:
    """Folded kind words and the model kind each says ("province" -> ADMIN1)."""
    return _lexicon_sets()[3]


@cache
def _kind_plurals() -> dict[str, str]:
    """Folded plurals of kind words that are not the word and an "s" -> the word."""
    return {fold(p): fold(w) for p, w in curated.lexicon()["kind_word_plurals"].items()}


@cache
def _kind_pattern() -> re.Pattern[str]:
    words = sorted([*_lexicon_sets()[3], *_kind_plurals()], key=len, reverse=True)
    alt = "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in words)
    # "Aleppo state media", "Kaduna state-run radio": "state" as an adjective, not a kind
    return re.compile(
        rf"^[\s-]*{initials(words)}({alt})s?\b(?!\s*-?\s*{_STATE_ADJECTIVE})",
        re.IGNORECASE,
    )


_STATE_ADJECTIVE = (
    r"(?:media|tv|television|news|radio|broadcaster|press|agency|run|owned|controlled|"
    r"affiliated|officials?|security|forces|employees|workers|funeral|visit|secretary|"
    r"department|ministry|capital|of\s+emergency)\b"
)


def _capitalised(surface: str) -> bool:
    if surface.isalpha():  # one word, as most names are
        return surface[0].isupper()
    words = _WORD.findall(surface)
    if not words:
        return False
    first = words[0]
    particle_head = first.lower() in _PARTICLES and len(words) >= 2 and words[1][0].isupper()
    if not (first[0].isupper() or first[0].isdigit() or particle_head):
        return False
    for w in words[1:]:
        low = w.lower()
        ok = w[0].isupper() or w[0].isdigit() or low in _PARTICLES or low in _GENERIC
        if not ok and not _ELIDED.match(w):  # "d'Ivoire", "l'Aquila"
            return False
    return len(words) == 1 or not (words[-1].islower() and words[-1] in _PARTICLES)


def _links_ok(
    index: PlaceIndex, key: int, name: str, surface: str, after: str, dateline: bool
) -> list[tuple[int, int]]:
    """The links of key number `key` (folded `name`) that `surface` may stand for."""
    out = []
    letters = surface.replace(".", "").replace(" ", "")
    upper = letters.isupper()
    # "FDA", "HIV": only known abbreviations; but "CAIRO -" opening a dateline is a name
    acronym = upper and len(letters) <= 5 and not (dateline and len(letters) >= 4)
    short = len(letters) <= 3
    # "Pa", "Ed": two letters in mixed case name only well-known places (a word, an initial
    # or the head of a longer name is far more likely than a village of that name)
    tiny = len(letters) <= 2 and not upper
    common = name in index.common  # "Part", "Cell": alternates of foreign towns
    for i in index.links(key):
        flags = index.link_flags[i]
        if (
            tiny
            and not flags & (model.UPPER | model.DOT)
            and not well_known(index, index.link_entry[i])
        ):
            continue
        if common and not flags & (model.PRIMARY | model.UPPER | model.DOT | model.STRIPPED):
            entry = index.link_entry[i]
            if index.kind[entry] == model.TOWN and index.pop[entry] < 100_000:
                continue
        if flags & model.UPPER and not upper:
            continue
        if acronym and not flags & model.UPPER and not index.names[index.link_entry[i]].isupper():
            continue
        if short and not flags & (model.PRIMARY | model.UPPER | model.DOT):
            continue  # "Be", "Li": short alternates of foreign towns
        if flags & model.DOT and not after.startswith("."):
            continue
        out.append((index.link_entry[i], flags))
    if after == "." and any(f & model.DOT for _, f in out):
        out = [(e, f) for e, f in out if f & model.DOT]  # "Kan." is Kansas, not a town Kan
    return out


def well_known(index: PlaceIndex, entry: int) -> bool:
    """A country, a curated place (not a bare airfield) or a place of 100,000+ people."""
    if model.curated_id(index.gid[entry]):
        return True
    return index.kind[entry] == model.COUNTRY or index.pop[entry] >= 100_000


def _bare_airfield(index: PlaceIndex, entry: int) -> bool:
    """An airfield known only from the airfield list, not curated."""
    return index.kind[entry] == model.FACILITY and str(index.gid[entry]).startswith("wd:icao")


_ARTICLE_WORDS = frozenset(["al", "el", "ad", "as", "an", "ar", "at", "az", "ash", "ed", "es"])
_GLUED_NAME = re.compile(r"[-‑ ]?[A-Z‘’']")


@cache
def _start_marks() -> dict[int, str]:
    """What a character says of a name starting with it, as a translation table: " " it folds
    to a space, "l" a lower-case letter (no name starts there), "a" a letter that starts an
    Arabic article, "U" anything else. Characters from `FOLDED_BELOW` on are left as they
    are, and so count as possible starts."""
    article = {head[0] for head in _ARTICLE_HEADS}
    marks: dict[int, str] = {}
    for cp in range(FOLDED_BELOW):
        ch = chr(cp)
        if FOLD_TABLE.get(cp, ch) == " ":
            marks[cp] = " "
        elif ch in article:
            marks[cp] = "a"
        else:
            marks[cp] = "l" if ch.islower() else "U"
    return marks


@cache
def _folded_heads() -> frozenset[str]:
    """The article heads as the folded text holds them ("al-" -> "al ")."""
    return frozenset(head.translate(FOLD_TABLE) for head in _ARTICLE_HEADS)


_WORD_START = re.compile(r" [^l]")  # in the marks: a word that may start a name


def _name_hits(index: PlaceIndex, ft: FoldedText) -> list[tuple[int, int]]:
    """(end, key number) of every name of the index that the folded text holds from a word
    where a name may start: the automaton's matches there, found by looking names up at those
    words alone (scanning the whole text, mostly lower-case words, costs far more)."""
    marks = ft.aligned(_start_marks())
    folded = ft.folded
    automaton = index.automaton
    heads = _folded_heads()
    hits = []
    for word in _WORD_START.finditer(marks):
        at = word.start()  # the space before the word, where a key begins
        if marks[at + 1] == "a" and folded[at + 1 : at + 4] not in heads:
            continue  # a lower-case word that is no article
        reach = at + automaton.longest_prefix(folded[at : at + KEY_MAX_LEN + 2])
        end = folded.find(" ", at + 1)
        while 0 <= end < reach:  # every space a key from `at` may end at
            number = automaton.get(folded[at : end + 1], -1)
            if number >= 0:
                hits.append((end, number))
            end = folded.find(" ", end + 1)
    return hits


def find_mentions(index: PlaceIndex, text: str) -> list[Mention]:
    stop, _, _, _ = _lexicon_sets()
    disease = _disease_after()
    ft = FoldedText(text)
    found: list[Mention] = []
    for end, key in _name_hits(index, ft):
        fstart = end - index.key_len[key]  # first folded character of the name
        start = ft.original(fstart)
        if text[start].islower() and text[start : start + 3].lower() not in _ARTICLE_HEADS:
            continue
        if start and text[start - 1] == ".":
            continue  # inside "U.S." or "S.Ossetian"
        stop_at = ft.original(end - 1) + 1
        surface = text[start:stop_at]
        if surface.lower() in _ARTICLE_WORDS and _GLUED_NAME.match(text, stop_at):
            continue  # the "Al" of "Al-Masdar": an article, not the Norwegian town Ål
        if not _capitalised(surface):
            continue
        name = ft.folded[fstart:end]  # fold(surface), with or without a full stop after
        after = text[stop_at : stop_at + 1]
        dateline = surface.isupper() and _is_dateline(text, start, stop_at)
        links = _links_ok(index, key, name, surface, after, dateline)
        last_space = surface.rfind(" ")
        if last_space > 0 and surface[last_space + 1].islower():
            # "the Amsterdam airport": the airport of the town, not an airfield so named
            links = [(e, f) for e, f in links if not _bare_airfield(index, e)]
        if not links:
            continue
        demonym = [(e, f) for e, f in links if f & model.DEMONYM]
        if demonym and (_STREET.match(text, stop_at) or _QUARTER.match(text, stop_at)):
            continue  # "Frenchmen Street", "the French Quarter": a landmark's name
        if demonym:  # "Jordanian", "Kurdish": a demonym, even where a place is so named
            mention = Mention(start, stop_at, surface, name, demonym)
            mention.demonym = True
            found.append(mention)
            continue
        if any(flags & model.DOT for _, flags in links) and after == ".":
            stop_at += 1
            surface = text[start:stop_at]
        if name in stop and not _followed_by_container(text, stop_at):
            # Not a place ("Ahrar al-Sham"), and no shorter name inside it either.
            found.append(Mention(start, stop_at, surface, name, []))
            continue
        if _STREET.match(text, stop_at) or _BLOCK_OF.search(text, max(0, start - 24), start):
            continue  # "Orchard St.", "Gillis Street", "the 1700 block of West Highland"
        if disease.match(text, stop_at):
            continue  # "West Nile virus", "Reston ebolavirus": a disease, no place
        found.append(Mention(start, stop_at, surface, name, links))
    return [m for m in _longest(found, len(text)) if m.candidates]


_DATELINE_AFTER = re.compile(r"(?:,[ \t]+[A-Z][\w.' ]{1,30})?[ \t]*(?:\(|[-—–]|:)")


def _is_dateline(text: str, start: int, end: int) -> bool:
    """'CAIRO - ...', 'GAZA CITY, May 3 (Reuters) -': a name in capitals opening a line."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and bool(_DATELINE_AFTER.match(text, end))


def _followed_by_container(text: str, end: int) -> bool:
    """'Mobile, Alabama': a stop-listed name followed by a comma and a capitalised word."""
    return bool(re.match(r",\s+[A-Z]", text[end : end + 4]))


def _longest(found: list[Mention], size: int) -> list[Mention]:
    """The longest of overlapping mentions (the first of equal ones), in text order."""
    found.sort(key=lambda m: (m.start - m.end, m.start))
    taken: list[Mention] = []
    used = bytearray(size + 1)  # 1 at each offset a taken mention covers
    for m in found:
        if used.find(1, m.start, m.end) < 0:
            taken.append(m)
            used[m.start : m.end] = b"\x01" * (m.end - m.start)
    taken.sort(key=lambda m: m.start)
    return taken


# Capitalised words on one line; a full stop only after an initial or a short abbreviation
# ("Carey L. Biron", "Mr. Jordan"), not at the end of a sentence ("... Al-Bashir. Egyptian").
# Words are matched possessively (`*+`): no shorter word can be followed by what follows a
# word, so a lone capitalised word fails at once instead of giving back letter by letter.
_RUN = re.compile(
    r"[A-Z][\w'’]*+(?:(?:(?<![a-z]{2})\.)?(?:[ \t]+|[ \t]*-[ \t]*)"
    r"(?:(?:al|el|bin|ibn|abu|de|van|von)[ \t-]+)?[A-Z][\w'’]*+)+"
)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]+")
_NAME_WORD = re.compile(r"[A-Z][a-z][\w'’]*")
_LOWER_TITLE = re.compile(r"\b([a-z]++(?: [a-z]++)?)\s+$")


# Lower-case words before a run of capitalised words that make it a person's name only
# weakly ("said Alachua County Sheriff's Office ..."): such a run hides no major place.
_VERB_TITLES = frozenset(["said", "says", "told", "according to", "by"])
# Words that make a run of capitalised words an organisation or a place, not a person.


def person_spans(text: str) -> tuple[list[tuple[int, int, bool]], set[str]]:
    """Runs of capitalised words that name a person, and the surnames they end with (and
    the known first names they start with, when a surname-like word follows: "Ava Smith").

    A run is a person's name after a title ("President Barham Salih", "president Trump",
    "suspect Chad Couture"), after an age ("a 3-year-old Ann Smith") or when it starts with
    a known first name ("Ali Riza Guney", "Donald Trump"); never
    when one of its words names an organisation or a kind of place ("Sam Houston State
    University", "Gainesville Police"). Each span says whether it is strong: a span after
    "said", "told" or "according to" alone is weak and hides only minor places."""
    stop_words, titles, first, kind_words = _lexicon_sets()
    org_words = curated.folded_words("org_words")
    spans: list[tuple[int, int, bool]] = []
    surnames: set[str] = set()
    for m in _RUN.finditer(text):
        words = list(_WORD.finditer(m.group()))
        cut = next((k for k in range(1, len(words)) if _ACRONYM.fullmatch(words[k].group())), None)
        if cut is not None:
            words = words[:cut]  # "Henry Lazenby US-based": the acronym is no part of the name
            if len(words) < 2:
                continue
        folded = [fold(w.group()) for w in words]
        if any(f in org_words or f in kind_words for f in folded[1:]):
            continue
        end = m.start() + words[-1].end()
        title = max((k for k in range(len(words) - 1) if folded[k] in titles), default=None)
        given = next((k for k in range(len(words) - 1) if folded[k] in first), None)
        strong = True
        if title is not None:
            start = m.start() + words[title + 1].start()  # "Russian President Vladimir Putin"
            strong = folded[title] not in _VERB_TITLES  # "By Trend Iran's trade"
        elif given is not None:
            start = m.start() + words[given].start()  # "Sens. Tim Grendell"
        else:
            before = text[max(0, m.start() - 24) : m.start()]
            lower = _LOWER_TITLE.search(before)
            word = fold(lower.group(1)) if lower else ""
            if word not in titles:
                word = word.rsplit(" ", 1)[-1]  # "year-old suspect Chad Couture"
            # "a 3-year-old Ann Smith" (but a place before a person noun keeps its name:
            # "a 20-year-old Baton Rouge man")
            aged = _AGED.search(before) and not person_noun_after().match(text, end)
            if word not in titles and not aged:
                continue
            start = m.start()
            strong = aged or word not in _VERB_TITLES
        spans.append((start, end, bool(strong)))
        last = words[-1].group()
        # "John Smith" ... "Smith"; "Pope Francis" ... "Francis": a titled first name alone
        named = start < m.start() + words[-1].start() or (title is not None and folded[-1] in first)
        if strong and named and _NAME_WORD.fullmatch(last):
            surnames.add(last)
        if given is not None and _NAME_WORD.fullmatch(words[given].group()):
            # "Ava Smith" ... "Ava" (but "in Clinton April 4" is no person's name)
            surname = folded[given + 1]
            if surname not in stop_words and surname not in _english_words():
                surnames.add(words[given].group())
    return spans, surnames


# The words around a one-word name that make it a person's: "Welch said", "Hamdi, 21,",
# "coach Ripley.", "the 25-year-old Jimenez", "identified only as Hamid".
_SAID_NEXT = re.compile(
    r"\s+(?:said|says|told|added|explained|stated|noted|wrote|asked|replied|recalled|"
    r"admitted|insisted|exclaimed|exclaims|commented|comments|testified)\b|,\s+\d{1,3},"
)
_AGE_BEFORE = re.compile(r"\b\d{1,3}-year-old\s+$|\bidentified\s+(?:only\s+)?as\s+$")
_AGED = re.compile(r"\b\d{1,3}[- ]years?[- ]old\s+$")


@cache
def person_noun_after() -> re.Pattern[str]:
    """A person noun right after a name: "Woodville man", "Chalmette teens"."""
    nouns = curated.alternation("person_nouns")
    return re.compile(rf"\s+(?:{nouns})s?\b", re.IGNORECASE)


_LOWER_BEFORE = re.compile(r"\b([a-z]++)\s+$")
_NAME_END = re.compile(r"\s*(?:[.,;:!?\"”]|$)|\s+[a-z(]")


def speaker_names(text: str, mentions: list[Mention]) -> set[str]:
    """One-word mentions that the text uses, somewhere, as a person's name."""
    titles = _lexicon_sets()[1]
    found: set[str] = set()
    for m in mentions:
        if m.text in found or " " in m.text or not _NAME_WORD.fullmatch(m.text):
            continue
        after = text[m.end : m.end + 16]
        before = text[max(0, m.start - 24) : m.start]
        # "the 25-year-old Jimenez said", but not "a 22-year-old Woodville man" (a town
        # as a modifier) nor "a 16-year-old Bladensburg High School student" (a longer name)
        aged = (
            _AGE_BEFORE.search(before)
            and _NAME_END.match(after)
            and not person_noun_after().match(after)
        )
        if _SAID_NEXT.match(after) or aged:
            found.add(m.text)
            continue
        lower = _LOWER_BEFORE.search(before)
        word = lower.group(1) if lower else ""
        if word in titles and word not in ("by", "st", "saint") and _NAME_END.match(after):
            found.add(m.text)
    return found


def drop_persons(index: PlaceIndex, text: str, mentions: list[Mention]) -> list[Mention]:
    spans, surnames = person_spans(text)
    speakers = speaker_names(text, mentions)
    if speakers:
        mentions = [
            m
            for m in mentions
            if m.demonym or m.text not in speakers or not _small(index, m, 50_000)
        ]
    if not spans:
        return mentions
    out = []
    for m in mentions:
        inside = [(s, e) for s, e, strong in spans if m.start < e and s < m.end]
        if m.demonym:
            inside = [(s, e) for s, e in inside if s < m.start]  # "Russian President Putin"
        if inside and _major(index, m):
            weak = {(s, e) for s, e, strong in spans if not strong}
            inside = [x for x in inside if x not in weak]
        if inside and not any(m.start <= s and e <= m.end for s, e in inside):
            continue  # part of a person's name and not covering it
        if m.text in surnames and not m.demonym and not _prominent(m):
            continue  # "... said Smith" after "John Smith"
        out.append(m)
    return out


def _prominent(m: Mention) -> bool:
    return any(flags & model.PRIMARY and flags & model.UPPER for _, flags in m.candidates)


# Capitalised words that begin both place names and other names: before a common word they
# make a name ("Northern Alliance", "New Hope"), not a place.
_NAME_QUALIFIERS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "greater",
        "new",
        "old",
    ]
)


# Capitalised words that may stand before a place name without making it a surname.
_BEFORE_PLACE = (
    frozenset(
        [
            "the",
            "in",
            "at",
            "on",
            "from",
            "to",
            "of",
            "for",
            "by",
            "and",
            "or",
            "but",
            "near",
            "into",
            "across",
            "downtown",
            "metro",
            "suburban",
            "rural",
            "mount",
            "lake",
            "fort",
            "port",
            "saint",
            "st",
            "san",
            "santa",
            "los",
            "las",
            "el",
            "la",
            "le",
            "al",
            "ain",
            "tell",
            "deir",
            "kafr",
            "camp",
            "bir",
            "wadi",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "last",
            "this",
            "next",
            "after",
            "before",
            "during",
            "while",
            "when",
            "if",
            "as",
            "with",
            "without",
            "outside",
            "inside",
            "around",
            "beyond",
            "between",
            "through",
            "throughout",
            "since",
            "until",
            "via",
            "per",
            "about",
            "against",
            "among",
            "along",
            "behind",
            "below",
            "beneath",
            "beside",
            "over",
            "under",
            "within",
            "both",
            "all",
            "many",
            "some",
            "most",
            "several",
            "a",
            "an",
            "another",
            "every",
            "each",
            "his",
            "her",
            "its",
            "our",
            "their",
            "my",
            "your",
            "that",
            "these",
            "those",
            "which",
            "where",
            "whose",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "no",
            "more",
            "other",
            "former",
            "native",
            "suburban",
            "nearby",
            "neighboring",
            "neighbouring",
            "then",
            "now",
        ]
    )
    | _NAME_QUALIFIERS
)


def drop_surnames(index: PlaceIndex, text: str, mentions: list[Mention]) -> list[Mention]:
    """'Kristina Ripley': a one-word town name right after a capitalised word that is no
    place (or only a one-word town) is a surname; so are its other mentions in the document,
    except where a containing place follows ("Ripley, W.Va."), or, after a given name we do
    not list ("Sharae Thompson"), where a locative word comes before ("in Thompson")."""
    by_end = {m.end: m for m in mentions}
    surnames: set[str] = set()
    guessed: set[str] = set()  # surnames all through but where a locative word comes before
    drop: set[int] = set()
    for m in mentions:
        if " " in m.text or m.demonym or _major(index, m):
            continue
        w = re.search(r"([A-Z][\w'’]*) $", text[max(0, m.start - 30) : m.start])
        if not w or fold(w.group(1)) in _BEFORE_PLACE:
            continue
        prev = by_end.get(m.start - 1)
        if prev is not None:
            if " " in prev.text or prev.demonym or _major(index, prev):
                continue
            drop.add(prev.start)
        drop.add(m.start)
        given = fold(w.group(1))
        if given in _lexicon_sets()[2]:
            surnames.add(m.text)  # after a known first name: a surname all through
        elif prev is None and _name_like(w.group(1)):
            guessed.add(m.text)  # after a name that is no word ("Sharae Thompson")
    if not drop:
        return mentions
    out = []
    for i, m in enumerate(mentions):
        contained = i + 1 < len(mentions) and re.fullmatch(
            r",\s*", text[m.end : mentions[i + 1].start]
        )
        if (m.text in surnames or m.start in drop) and not contained:
            continue
        if (
            m.text in guessed
            and not contained
            and not _LOCATIVE_BEFORE.search(text, max(0, m.start - 16), m.start)
        ):
            continue
        out.append(m)
    return out


def _name_like(word: str) -> bool:
    """Whether a capitalised word may be a given name: one capital then small letters (not
    "StandUp" nor "Army's"), and no English word or word that opens a place's name
    ("Faubourg")."""
    key = fold(word)
    return bool(_GIVEN_NAME.fullmatch(word)) and not (
        key in _english_words() or key in curated.folded_words("landmark_prefixes")
    )


_GIVEN_NAME = re.compile(r"[A-Z][a-z]+")


# A word before a name that makes it a place where a person's would make no sense.
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|from|to|into|outside|of|toward|towards|across|around)\s+$", re.IGNORECASE
)


def _major(index: PlaceIndex, m: Mention) -> bool:
    """Whether a mention may name a country, a division, a region or a big town."""
    for entry, _ in m.candidates:
        kind = index.kind[entry]
        if kind in (model.COUNTRY, model.ADMIN1, model.REGION, model.CONTINENT, model.WATER):
            return True
        if index.pop[entry] >= 200_000:
            return True
    return False


# Kind words that, once used of a name ("Idlib province"), make its bare mentions elsewhere
# in the document the division too ("state" and "region" are used too loosely for that).
DIVISION_WORDS = frozenset(["province", "governorate", "oblast", "prefecture", "wilayah"])
# Words of a sentence that speak of a town, not a division: "rebels entered Aleppo".
_TOWN_CUE = re.compile(
    r"\b(?:entered|enters|entering|stormed|storming|city\s+of|town\s+of|city\s+cent(?:re|er)|"
    r"downtown|streets\s+of|neighbou?rhoods?\s+of|districts?\s+of|outskirts\s+of)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")


def _sentence_of(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] (roughly: between full stops)."""
    ends = _SENTENCE_END.finditer(text, max(0, start - 300), start)
    left = max((m.end() for m in ends), default=0)
    right = _SENTENCE_END.search(text, end)
    return text[max(left, start - 300) : right.start() if right else min(len(text), end + 300)]


def share_division_hints(text: str, mentions: list[Mention]) -> None:
    """'Aleppo province ... shelling in Aleppo': a name the document calls a province is the
    province elsewhere too, unless that sentence speaks of a town ("rebels entered Aleppo",
    "the city of Aleppo")."""
    pattern = _kind_pattern()
    divisions: set[str] = set()
    for m in mentions:
        after = pattern.match(text[m.end : m.end + 24])
        words = m.key.split(" ")
        if after and fold(after.group(1)) in DIVISION_WORDS:
            divisions.add(m.key)
        elif len(words) > 1 and words[-1] in DIVISION_WORDS:
            divisions.add(" ".join(words[:-1]))  # "Aleppo Province" named as one key
    if not divisions:
        return
    for m in mentions:
        if (
            m.hint is None
            and not m.demonym
            and m.key in divisions
            and not _TOWN_CUE.search(_sentence_of(text, m.start, m.end))
        ):
            m.hint = model.ADMIN1
            m.division = True


def annotate(text: str, mentions: list[Mention]) -> None:
    """Kind hints from neighbouring words and offset phrases before each mention."""
    kind_words = _lexicon_sets()[3]
    plurals = _kind_plurals()
    pattern = _kind_pattern()
    listed: set[int] = set()  # mentions followed by a plural kind word ("... counties")
    for i, m in enumerate(mentions):
        after = pattern.match(text[m.end : m.end + 24])
        if after:
            word = fold(after.group(1))
            if word in plurals or (after.group(0).rstrip()[-1] in "sS" and word[-1] != "s"):
                listed.add(i)
            word = plurals.get(word, word)
            m.hint = kind_words.get(word)
            m.division = word in DIVISION_WORDS
        before = text[max(0, m.start - 80) : m.start]
        tail = before[-48:].lower()
        if m.hint is None and "of" in tail[-6:]:
            of = _CITY_OF.search(before)
            if of:
                m.hint = kind_words.get(fold(of.group(1)))
        offset = None
        if _DIGIT.search(before) and any(map(before.casefold().__contains__, _COMPASS_WORDS)):
            offset = _OFFSET.search(before)
        trimmed = before.rstrip()
        if (
            offset is None
            and _NEAR_END.search(trimmed, max(0, len(trimmed) - len("outside")))
            and any(map(tail.__contains__, _NEAR_WORDS))
        ):
            offset = _NEAR.search(before)
        if offset:
            m.offset = offset.group(0).strip()
    # "Cooke, Grayson and Love counties": the plural kind word says every listed name's kind
    for i in range(len(mentions) - 2, -1, -1):
        m, nxt = mentions[i], mentions[i + 1]
        if i + 1 in listed and m.hint is None and LIST_GAP.fullmatch(text[m.end : nxt.start]):
            m.hint, m.division = nxt.hint, nxt.division
            listed.add(i)


_SENTENCE_START = re.compile(r"(?:^|[.!?:;|•]|\n|[—–]|\s-)[\s\"'“‘(\[*]*$")
_CAP_BEFORE = re.compile(r"([A-Z][\w'’]*)[ -]$")
_CAP_AFTER = re.compile(r"^[ -]([A-Z][\w'’]*)")
_THE_BEFORE = re.compile(r"\bthe $")
_ORDINAL_BEFORE = re.compile(r"\b\d+(?:st|nd|rd|th)?\s$")
_ALLOWED_WORDS = frozenset(["city", "town", "village", "county", "district", "province", "area"])


def _small(index: PlaceIndex, m: Mention, pop: int = 100_000) -> bool:
    """Whether a mention names only towns, districts or facilities of under `pop` people."""
    for entry, _ in m.candidates:
        if index.kind[entry] not in (model.TOWN, model.ADMIN2, model.FACILITY):
            return False
        if index.pop[entry] >= pop:
            return False
    return True


def weak_capital(text: str, start: int, end: int, taken: set[int]) -> bool:
    """Whether a capital letter at `start` may be there for another reason than a name: the
    start of a sentence, a line or a headline, or a word inside a longer capitalised name
    ("Security Media Cell", "Drone Strike Unit")."""
    if _SENTENCE_START.search(text[max(0, start - 8) : start]):
        return True
    if _ORDINAL_BEFORE.search(text[max(0, start - 12) : start]):
        return True  # "5th Fleet", "3 Commando"
    before = _CAP_BEFORE.search(text[max(0, start - 30) : start])
    if before:
        word = fold(before.group(1))
        if word not in _BEFORE_PLACE or word in _NAME_QUALIFIERS:
            return True  # "Northern Alliance", "Security Media Cell", "Boston Globe"
    if _THE_BEFORE.search(text[max(0, start - 5) : start]):
        return True  # "the Alliance", "the Fleet"
    after = _CAP_AFTER.match(text[end : end + 30])
    if after:
        word = fold(after.group(1))
        if end + 1 not in taken and word not in _lexicon_sets()[3] and word not in _ALLOWED_WORDS:
            return True
    return False


def drop_common_words(index: PlaceIndex, text: str, mentions: list[Mention]) -> list[Mention]:
    """'Drone hits inside ...': a common English word that names only small places is taken
    as a place only where its capital letter cannot have another reason."""
    starts = {m.start for m in mentions}
    out = []
    for m in mentions:
        if (
            not m.demonym
            and m.key in index.common
            and _small(index, m)
            and not _followed_by_container(text, m.end)
            and weak_capital(text, m.start, m.end, starts)
        ):
            continue
        out.append(m)
    return out


@cache
def _english_words() -> frozenset[str]:
    return curated.common_words()


# The next word of a name in title case ("Zi", "Mustawi"; not "MDC", "H.S.").
_NEXT_WORD = re.compile(r"[ \t]+([A-Z][a-z][\w'’]*|[A-Z](?![\w.]))")


def _obscure(index: PlaceIndex, m: Mention) -> bool:
    """Whether a one-word mention is short (three letters or fewer) or names only small,
    uncurated places: too weak to stand for a longer name it heads."""
    if " " in m.text or "-" in m.text or m.demonym:
        return False
    if any(well_known(index, e) for e, _ in m.candidates):
        return False
    letters = sum(ch.isalpha() for ch in m.text)
    return letters <= 3 or _small(index, m, 20_000)


def drop_name_heads(index: PlaceIndex, text: str, mentions: list[Mention]) -> list[Mention]:
    """'Pa Zi Gyi village': a short or obscure name followed by capitalised words that are
    neither places nor English words heads a longer name that the gazetteer lacks; it is not
    that name."""
    by_start = {m.start: m for m in mentions}
    english = _english_words()
    kind_words = _lexicon_sets()[3]
    org_words = curated.folded_words("org_words")
    out = []
    for m in mentions:
        nxt = _NEXT_WORD.match(text, m.end)
        if nxt and _obscure(index, m) and not (m.start and text[m.start - 1] == "-"):
            word = fold(nxt.group(1))
            other = by_start.get(nxt.start(1))
            unknown = not any(
                w in english or w in kind_words or w in org_words
                for w in (word, word.removesuffix("s"))  # "Elks"
            )
            if unknown and (other is None or _obscure(index, other)):
                continue
        out.append(m)
    return out


# "By Rania Haddad, Levant Daily Monitor": a byline names a writer and an outlet. Its
# capitalised words (names, initials, "and", commas) run to the end of the line or sentence.
_BYLINE = re.compile(
    r"(?m)^[ \t]*By:?[ \t]+(?:(?:[A-Z][\w'’.-]*|and|&|of|the|for|[,/|])[ \t]*){1,14}"
    r"(?=$|[.:—–-][ \t]|\n)"
)


def drop_bylines(index: PlaceIndex, text: str, mentions: list[Mention]) -> list[Mention]:
    """Names inside a byline are a writer's and an outlet's, except a dateline's capitals
    ("By NAIROBI, Kenya") and countries."""
    spans = [m.span() for m in _BYLINE.finditer(text[:2000])]
    spans += [m.span() for m in _BYLINE.finditer(text, 2000)] if len(text) > 2000 else []
    if not spans:
        return mentions
    out = []
    for m in mentions:
        inside = any(s <= m.start and m.end <= e for s, e in spans)
        country = any(index.kind[e] == model.COUNTRY for e, _ in m.candidates[:1])
        if inside and not m.text.isupper() and not country:
            continue
        out.append(m)
    return out


_USPS = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}
_STATE_CODE = re.compile(r",[ \t]+([A-Z]{2})(?![\w'’-])(?!\.\w)")


def add_state_codes(index: PlaceIndex, text: str, mentions: list[Mention]) -> list[Mention]:
    """'Trenton, NJ': a US state's postal code right after a place name and a comma."""
    ends = {m.end for m in mentions}
    added = []
    for match in _STATE_CODE.finditer(text):
        name = _USPS.get(match.group(1))
        if name is None or match.start() not in ends:
            continue
        entries = [
            e
            for e in index.lookup(fold(name))
            if index.kind[e] == model.ADMIN1 and index.country[e] == "US"
        ]
        if entries:
            start, end = match.span(1)
            code = match.group(1)
            added.append(Mention(start, end, code, fold(code), [(entries[0], model.PRIMARY)]))
    if not added:
        return mentions
    taken = {(m.start, m.end) for m in mentions}
    return sorted(mentions + [m for m in added if (m.start, m.end) not in taken], key=_start)


def _start(m: Mention) -> int:
    return m.start


def detect(index: PlaceIndex, text: str) -> list[Mention]:
    mentions = find_mentions(index, text)
    mentions = drop_common_words(index, text, mentions)
    mentions = drop_name_heads(index, text, mentions)
    mentions = drop_bylines(index, text, mentions)
    mentions = drop_persons(index, text, mentions)
    mentions = drop_surnames(index, text, mentions)
    mentions = add_state_codes(index, text, mentions)
    annotate(text, mentions)
    share_division_hints(text, mentions)
    return mentions
