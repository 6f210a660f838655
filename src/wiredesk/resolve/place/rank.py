"""Candidate ranking: a prior from the gazetteer, then the document's own context.

prior:   population, kind (a country over a same-named town, a capital over a village),
         how the name matched (own name, alternate, generated variant), kind words
         ("Anbar province").
context: all mentions of a name share one sense (those called a province apart from the
         bare ones: "Gaziantep province" / "rebels entered Gaziantep"); each name's
         candidates are scored, in two rounds, against the other names' likely candidates
         (weighted by how likely each is): the countries and first-level divisions they lie
         in (a named state counts double), how near they are, and how many of them are
         countries or divisions of one country ("Georgia, Alabama and Texas"). "Ramadi,
         Anbar" / "Amadiya in Duhok" containers (and the container itself: "Blakely,
         Georgia" is the state), the outlet's country. So the places of a local story draw
         together ("Lebanon" near "Myerstown" is the Pennsylvania town). A place the
         document names in full elsewhere is what a shorter name most likely means ("FATA"
         after "Federally Administered Tribal Areas").
after:   `misplaced` drops what the text contradicts: "Kuriga, a town in Kaduna State" when
         no Kuriga lies in Nigeria, and a small namesake abroad that nothing else in the
         document supports. No place is better than a wrong country.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from wiredesk.resolve.place import model
from wiredesk.resolve.place.detect import LIST_GAP, Mention, kind_word_set
from wiredesk.resolve.place.index import PlaceIndex

_KIND_PRIOR = {
    model.COUNTRY: 6.0,
    model.CONTINENT: 6.0,
    model.ADMIN1: 2.5,
    model.REGION: 4.0,
    model.WATER: 3.0,
    model.ADMIN2: 1.0,
    model.TOWN: 0.0,
    model.FACILITY: 1.0,
}
_FEATURE_PRIOR = {"PPLC": 2.5, "PPLA": 1.0, "MILB": 3.0, "AIRB": 1.0}
_CONTAINER_GAP = re.compile(
    r"^\s*,\s*$|^\s+(?:area\s+|district\s+)?in\s+(?:the\s+)?$"
    # "Kuriga, a town in Kaduna State", "Dibis, a district of northern Kirkuk"
    r"|^\s*,\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:town|village|city|district|area|region|"
    r"locality|community|suburb|neighbou?rhood|hamlet|settlement|camp|municipality|county|"
    r"province|state|port|enclave)\s+(?:in|of)\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}$"
)
_LOCAL = (model.TOWN, model.ADMIN2, model.FACILITY, model.ADMIN1)
MAX_CANDIDATES = 40


def prior(index: PlaceIndex, entry: int, flags: int, hint: int | None) -> float:
    kind = index.kind[entry]
    score = math.log10(index.pop[entry] + 10) + _KIND_PRIOR[kind]
    score += _FEATURE_PRIOR.get(index.feature[entry], 0.0)
    if kind == model.FACILITY and model.curated_id(index.gid[entry]):
        score += 4.5  # a curated facility
    if flags & model.PRIMARY:
        score += 0.5
    if flags & model.VARIANT:
        score -= 0.7
    if flags & model.STRIPPED:
        score -= 3.0
    if hint is not None:
        if hint == kind or (hint == model.ADMIN1 and kind == model.REGION):
            score += 6.0
        elif hint == model.FACILITY:
            score -= 1.0
        elif hint in (model.ADMIN1, model.ADMIN2) and kind == model.TOWN:
            score -= 2.0  # "Becker and Clay counties": not the towns
        elif kind in (model.COUNTRY, model.CONTINENT):
            score -= 4.0
    return score


def _contains(index: PlaceIndex, outer: int, inner: int) -> bool:
    """Whether entry `outer` (a country or admin1) contains entry `inner`."""
    if index.country[outer] != index.country[inner] or outer == inner:
        return False
    kind = index.kind[outer]
    if kind == model.COUNTRY:
        return True
    if kind == model.ADMIN1:
        a1 = index.admin1[outer]
        return a1 >= 0 and index.admin1[inner] == a1
    return False


def _near(lat: float, lon: float, points: list[tuple[float, float]]) -> float:
    """Distance in km (equirectangular) to the nearest of `points`."""
    best = 1e9
    cos = math.cos(math.radians(lat))
    for plat, plon in points:
        dx = (lon - plon) * cos
        dy = lat - plat
        d = dx * dx + dy * dy
        if d < best:
            best = d
    return math.sqrt(best) * 111.2


Candidates = list[tuple[int, int]]  # (entry, link flags)


def _prune(
    index: PlaceIndex, candidates: Candidates, hint: int | None
) -> tuple[Candidates, list[float]]:
    """The best few candidates by their prior, and their priors."""
    scored = [(prior(index, e, f, hint), e, f) for e, f in candidates]
    # A division named like a big town of its country is the town unless the text says
    # otherwise ("New York", "Baghdad"; but "Baghdad province").
    towns = {
        index.country[e]
        for _, e, _ in scored
        if index.kind[e] == model.TOWN and index.pop[e] >= 100_000
    }
    if towns and hint is None:
        scored = [
            (s - 3.0, e, f)
            if index.kind[e] == model.ADMIN1 and index.country[e] in towns
            else (s, e, f)
            for s, e, f in scored
        ]
    # A big town's own name is not another town's alternate ("Cancun" is Cancún, not
    # Changchun, one of whose many foreign spellings it is).
    if any(
        f & model.PRIMARY and index.kind[e] == model.TOWN and index.pop[e] >= 100_000
        for _, e, f in scored
    ):
        scored = [
            (s - 3.0, e, f)
            if index.kind[e] == model.TOWN and not f & (model.PRIMARY | model.UPPER | model.DOT)
            else (s, e, f)
            for s, e, f in scored
        ]
    scored.sort(key=lambda x: -x[0])
    scored = scored[:MAX_CANDIDATES]
    return [(e, f) for _, e, f in scored], [s for s, _, _ in scored]


class _Group:
    """All mentions of one name in a document: they share one sense."""

    __slots__ = (
        "base",
        "entries",
        "flags",
        "key",
        "mentions",
        "own_a1",
        "own_c",
        "own_division",
        "own_nation",
        "p",
        "weight",
    )

    def __init__(self, key: str) -> None:
        self.key = key
        self.mentions: list[int] = []
        self.entries: list[int] = []
        self.flags: list[int] = []
        self.base: list[float] = []
        self.p: list[float] = []
        self.weight = 1.0
        self.own_c: dict[str, float] = {}
        self.own_a1: dict[int, float] = {}
        self.own_nation = 0.0
        self.own_division: dict[str, float] = {}


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exp = [math.exp(s - top) for s in scores]
    total = sum(exp)
    return [x / total for x in exp]


def _groups(
    index: PlaceIndex, text: str, mentions: list[Mention], priors: list[list[float]]
) -> list[_Group]:
    by_key: dict[str, _Group] = {}
    for i, m in enumerate(mentions):
        key = group_key(m)
        g = by_key.get(key)
        if g is None:
            g = by_key[key] = _Group(key)
        g.mentions.append(i)
    groups = list(by_key.values())
    for g in groups:
        best: dict[int, float] = {}
        flags: dict[int, int] = {}
        for i in g.mentions:
            m = mentions[i]
            container = _container(index, text, mentions, i)
            inner = _contained(index, text, mentions, i)
            for (entry, f), base in zip(m.candidates, priors[i], strict=True):
                if container and any(_contains(index, o, entry) for o in container):
                    base += 12.0  # "Ramadi, Anbar": said by the text itself
                elif inner and any(_contains(index, entry, o) for o in inner):
                    base += 6.0  # "Anbar" as the container of "Ramadi"
                if base > best.get(entry, -1e9):
                    best[entry] = base
                    flags[entry] = f
        order = sorted(best, key=best.__getitem__, reverse=True)[:MAX_CANDIDATES]
        floor = best[order[0]] - _MAX_CONTEXT
        order = [e for e in order if best[e] >= floor]  # too far behind to win
        g.entries = order
        g.flags = [flags[e] for e in order]
        g.base = [best[e] for e in order]
        demonym = all(mentions[i].demonym for i in g.mentions)
        g.weight = (0.5 if demonym else 1.0) + 0.25 * min(len(g.mentions) - 1, 4)
    return groups


def _proximity(d: float) -> float:
    return 1.0 if d < 40 else 0.8 if d < 100 else 0.5 if d < 200 else 0.2 if d < 400 else 0.0


def rank(
    index: PlaceIndex, text: str, mentions: list[Mention], outlet_country: str | None
) -> list[int]:
    """The chosen entry for each mention (by position).

    All mentions of a name share one sense. Each name's candidates start from their prior;
    then, twice, every name's candidates are scored against the evidence of the other
    names (weighted by how likely each of their candidates is): the countries and first-level
    divisions they lie in, and how near they are. The document's places so draw together.
    """
    priors: list[list[float]] = []
    # Mentions of a name with the same candidates and kind hint have the same priors.
    pruned: dict[object, tuple[Candidates, list[float]]] = {}
    for m in mentions:
        key = (tuple(m.candidates), m.hint)
        if key not in pruned:
            pruned[key] = _prune(index, m.candidates, m.hint)
        m.candidates, prior_of = pruned[key]
        priors.append(prior_of)
    groups = _groups(index, text, mentions, priors)
    for g in groups:
        g.p = _softmax(g.base)
    scores: list[list[float]] = [g.base for g in groups]
    for _ in range(2):
        scores = _context_round(index, groups, outlet_country)
        for g, sc in zip(groups, scores, strict=True):
            g.p = _softmax(sc)
    chosen_of: dict[str, int] = {}
    for g, sc in zip(groups, scores, strict=True):
        best = max(range(len(sc)), key=sc.__getitem__)
        chosen_of[g.key] = g.entries[best]
        score_of = dict(zip(g.entries, sc, strict=True))
        for i in g.mentions:
            m = mentions[i]
            m.scores = [score_of.get(e, -99.0) for e, _ in m.candidates]
    return [chosen_of[group_key(m)] for m in mentions]


def group_key(m: Mention) -> str:
    """Mentions of one name share one sense, except where a kind word sets them apart:
    "Gaziantep province" and "rebels entered Gaziantep" are the province and the city."""
    return f"{m.key}#division" if m.division else m.key


_EVIDENCE_MIN_P = 0.05
_NAMED_IN_FULL = 2.0
# The most that context can add to a candidate (country, division, nearness, outlet, the
# same place named in full).
_MAX_CONTEXT = 4.0 + 3.5 + 3.0 + 1.5 + _NAMED_IN_FULL
_POINT_KINDS = (model.TOWN, model.ADMIN2, model.FACILITY)


# How much a candidate of each kind says about its first-level division.
_ADMIN1_WEIGHT = {model.ADMIN1: 2.0, model.ADMIN2: 1.5, model.TOWN: 1.0, model.FACILITY: 1.0}


def _context_round(
    index: PlaceIndex, groups: list[_Group], outlet_country: str | None
) -> list[list[float]]:
    countries: dict[str, float] = defaultdict(float)
    admin1s: dict[int, float] = defaultdict(float)
    # Siblings: other names that are likely countries, or divisions of a country ("Georgia,
    # Alabama and Texas" are states; "Georgia, Russia and Ukraine" are countries).
    nations = 0.0
    divisions: dict[str, float] = defaultdict(float)
    points: list[tuple[float, float, float]] = []  # lat, lon, weight
    spans: list[tuple[int, int]] = []  # each group's points: points[start:end]
    # How likely each entry is named in full (by its own name) elsewhere in the document:
    # "FATA" after "Federally Administered Tribal Areas" is that region, not a province that
    # took the abbreviation.
    named: dict[int, float] = defaultdict(float)
    for g in groups:
        first_point = len(points)
        own_c: dict[str, float] = defaultdict(float)
        own_a1: dict[int, float] = defaultdict(float)
        g.own_nation = 0.0
        g.own_division = defaultdict(float)
        for entry, flags, p in zip(g.entries, g.flags, g.p, strict=True):
            if p < _EVIDENCE_MIN_P:
                continue
            if flags & model.PRIMARY:
                named[entry] += p
            w = g.weight * p
            kind = index.kind[entry]
            country = index.country[entry]
            if country:
                own_c[country] += w * (2.0 if kind in (model.COUNTRY, model.ADMIN1) else 1.0)
            a1 = index.admin1[entry]
            if a1 >= 0 and kind in _ADMIN1_WEIGHT:
                own_a1[a1] += w * _ADMIN1_WEIGHT[kind]
            if kind in _POINT_KINDS:
                points.append((index.lat[entry], index.lon[entry], w))
            elif kind == model.COUNTRY:
                g.own_nation += w
            elif kind == model.ADMIN1:
                g.own_division[country] += w
        g.own_c, g.own_a1 = own_c, own_a1
        spans.append((first_point, len(points)))
        for c, v in own_c.items():
            countries[c] += v
        for a, v in own_a1.items():
            admin1s[a] += v
        nations += g.own_nation
        for c, v in g.own_division.items():
            divisions[c] += v
    out = []
    for g, (start, end) in zip(groups, spans, strict=True):
        others = points[:start] + points[end:]
        scores = []
        for entry, flags, base, own_p in zip(g.entries, g.flags, g.base, g.p, strict=True):
            s = base
            local = 1.0 if flags & model.PRIMARY else 0.5  # "Mexico" names Mexico City too
            country = index.country[entry]
            kind = index.kind[entry]
            in_country = countries.get(country, 0.0) - g.own_c.get(country, 0.0)
            if in_country > 0.05:
                s += min(4.0, 1.5 * math.log2(1 + 2 * in_country))
            a1 = index.admin1[entry]
            if a1 >= 0 and kind != model.ADMIN1:
                in_a1 = admin1s.get(a1, 0.0) - g.own_a1.get(a1, 0.0)
                if in_a1 > 0.05:
                    s += local * min(3.5, 1.5 * math.log2(1 + 2 * in_a1))
            if kind in _LOCAL and kind != model.ADMIN1 and others:
                s += local * min(3.0, 1.5 * _near_sum(index.lat[entry], index.lon[entry], others))
            elif kind == model.COUNTRY:
                sib = nations - g.own_nation
                s += min(2.0, max(0.0, math.log2(1 + sib) - 0.5))
            elif kind == model.ADMIN1:
                sib = divisions.get(country, 0.0) - g.own_division.get(country, 0.0)
                s += min(2.5, max(0.0, 1.25 * math.log2(1 + 2 * sib) - 1.5))
            if outlet_country and country == outlet_country:
                s += 1.5
            elsewhere = named.get(entry)
            if elsewhere:
                if flags & model.PRIMARY and own_p >= _EVIDENCE_MIN_P:
                    elsewhere -= own_p
                if elsewhere > _EVIDENCE_MIN_P:
                    s += _NAMED_IN_FULL * min(1.0, elsewhere)
            scores.append(s)
        out.append(scores)
    return out


def _near_sum(lat: float, lon: float, points: list[tuple[float, float, float]]) -> float:
    """Weighted nearness of the other names' likely places to a point."""
    total = 0.0
    cos = math.cos(math.radians(lat))
    for plat, plon, w in points:
        dy = lat - plat
        if dy > 3.6 or dy < -3.6:
            continue
        dx = (lon - plon) * cos
        d = math.sqrt(dx * dx + dy * dy) * 111.2
        if d < 400:
            total += w * _proximity(d)
    return total


def _container(index: PlaceIndex, text: str, mentions: list[Mention], i: int) -> list[int]:
    """Entries that the text says contain mention i: 'Ramadi, Anbar' or 'Amadiya in Duhok'.

    Not in a list of countries ("Mexico, China, Japan"): a name that is first of all a
    country is contained in nothing."""
    if i + 1 >= len(mentions):
        return []
    m, nxt = mentions[i], mentions[i + 1]
    if m.demonym or nxt.demonym or not _CONTAINER_GAP.match(text[m.end : nxt.start]):
        return []
    if m.candidates and index.kind[m.candidates[0][0]] == model.COUNTRY:
        return []
    if _after_divisions(index, text, mentions, i):
        return []  # "Utah, Virginia, Washington, West Virginia and Wyoming": a list
    return [e for e, _ in nxt.candidates if index.kind[e] in (model.COUNTRY, model.ADMIN1)]


def _after_divisions(index: PlaceIndex, text: str, mentions: list[Mention], i: int) -> bool:
    """Whether mention i comes in a list after at least two first-level divisions."""
    if i < 2:
        return False
    for j in (i - 1, i - 2):
        m, nxt = mentions[j], mentions[j + 1]
        if (
            not m.candidates
            or index.kind[m.candidates[0][0]] != model.ADMIN1
            or not LIST_GAP.fullmatch(text[m.end : nxt.start])
        ):
            return False
    return True


def _contained(index: PlaceIndex, text: str, mentions: list[Mention], i: int) -> list[int]:
    """Entries of the mention before mention i when the text says i contains it ('Blakely,
    Georgia': Georgia is the state that holds a Blakely)."""
    if i == 0:
        return []
    prev, m = mentions[i - 1], mentions[i]
    if prev.demonym or m.demonym or not _CONTAINER_GAP.match(text[prev.end : m.start]):
        return []
    if prev.candidates and index.kind[prev.candidates[0][0]] == model.COUNTRY:
        return []
    return [e for e, _ in prev.candidates[:12] if index.kind[e] != model.COUNTRY]


# A small place that nothing else in the document supports is dropped when at least this many
# other names agree on another country and it lies this far (km) from all of them.
_ALONE_MAX_POP = 50_000
_ALONE_MIN_AGREE = 2
_ALONE_MIN_KM = 500.0


def misplaced(
    index: PlaceIndex,
    text: str,
    mentions: list[Mention],
    chosen: list[int],
    outlet_country: str | None,
) -> set[int]:
    """Mentions (by position) whose chosen place the text contradicts; better none than a
    wrong country.

    - 'Kuriga, a town in Kaduna State' / 'X in Kaduna State': the text names the division
      or country (it resolves to one) and none of the name's candidates lies in that country.
    - A small place (under 50,000 people, or any size when only a generated spelling names
      it; not curated) in a country that no other name of
      the document (nor the outlet) lies in, while other names agree on another country and
      all lie far from it: a foreign namesake picked for want of the real place."""
    out: set[int] = set()
    countries = Counter(index.country[e] for e in chosen)
    kind_words = kind_word_set()
    for i in range(len(mentions) - 1):
        m, nxt = mentions[i], mentions[i + 1]
        if m.demonym or nxt.demonym or index.kind[chosen[i]] not in _POINT_KINDS:
            continue
        gap = _CONTAINER_GAP.match(text[m.end : nxt.start])
        outer = index.kind[chosen[i + 1]]
        if not gap or outer not in (model.COUNTRY, model.ADMIN1):
            continue
        country = index.country[chosen[i + 1]]
        if outer == model.COUNTRY and gap.group(0).strip() == "in":
            continue  # "the statue of Gregory of Narek in Vatican": where the statue is
        if _listed_with_country(index, text, mentions, chosen, i, before=True):
            continue  # "Zaire, Bundibugyo, Côte d'Ivoire": a list, not a container
        if _OWNER.match(text, nxt.end):
            continue  # "the suburb of Rosemead, Mexico's ministry said"
        # The container must be sure of itself: a country, a division named with its kind
        # word ("Kaduna State"), or one whose country another name of the text shares (not
        # "South West" of Cameroon for "South West England").
        sure = (
            outer == model.COUNTRY
            or nxt.key.rsplit(" ", 1)[-1] in kind_words
            or countries[country] - (index.country[chosen[i]] == country) > 1
        )
        # Any country the container may name ("Congo": either Congo) may hold the place.
        outers = {country} | {index.country[e] for e, _ in nxt.candidates if index.kind[e] == outer}
        if sure and country and all(index.country[e] not in outers for e, _ in m.candidates):
            out.add(i)
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_key[m.key].append(i)
    for key, idx in by_key.items():
        entry = chosen[idx[0]]
        if mentions[idx[0]].demonym or index.kind[entry] not in (model.TOWN, model.ADMIN2):
            continue
        flags = next((f for e, f in mentions[idx[0]].candidates if e == entry), 0)
        weak = bool(flags & model.VARIANT)  # "Kuriga" for Khouribga: a generated spelling
        if (index.pop[entry] >= _ALONE_MAX_POP and not weak) or _well_known(index, entry):
            continue
        if index.feature[entry] in ("PPLC", "PPLA") and not weak:
            continue  # the seat of a division ("Ramallah") is known beyond its size
        country = index.country[entry]
        if country == outlet_country or any(
            _listed_with_country(index, text, mentions, chosen, i) for i in idx
        ):
            continue
        others: dict[str, int] = defaultdict(int)
        points: list[tuple[float, float]] = []
        for other, oidx in by_key.items():
            if other == key or not oidx:
                continue
            e = chosen[oidx[0]]
            if index.country[e]:
                others[index.country[e]] += 1
            points.append((index.lat[e], index.lon[e]))
        top = max(others.values(), default=0)
        if others.get(country) or top < _ALONE_MIN_AGREE or top * 2 < sum(others.values()):
            continue  # supported, or the document is about many countries
        if _near(index.lat[entry], index.lon[entry], points) < _ALONE_MIN_KM:
            continue
        out.update(idx)
    return out


_OWNER = re.compile(r"['’]s?\b")


def _listed_with_country(
    index: PlaceIndex,
    text: str,
    mentions: list[Mention],
    chosen: list[int],
    i: int,
    before: bool = False,
) -> bool:
    """'the Zaire, Bundibugyo, Côte d'Ivoire and Sudan strains': a name listed among
    countries (right after one, with `before`) need not share a country with the rest of
    the document, nor lie in the country after it."""
    for j in (i - 1,) if before else (i - 1, i + 1):
        if 0 <= j < len(mentions) and index.kind[chosen[j]] == model.COUNTRY:
            a, b = (mentions[j], mentions[i]) if j < i else (mentions[i], mentions[j])
            if LIST_GAP.fullmatch(text[a.end : b.start]):
                return True
    return False


def _well_known(index: PlaceIndex, entry: int) -> bool:
    return model.curated_id(index.gid[entry])
