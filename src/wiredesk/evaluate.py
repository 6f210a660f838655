"""Scoring extracted events against gold events (the shape of the seeds' gold.jsonl).

One scorer serves the tests, the benchmarks and anyone scoring their own gold file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from wiredesk.extract.figures import read_weapons
from wiredesk.records import Event, Span, distance_km
from wiredesk.resolve.actor import actor_keys, same_actor

# A gold place within this distance of the extracted one counts as right.
PLACE_KM = 25.0
_SPELLING_RATIO = 85
# How far apart two reports of one event may place it, for matching without a quote.
_SAME_EVENT_KM = 50.0


@dataclass(slots=True)
class FieldCheck:
    document: str
    key: str
    field: str
    gold: Any
    found: Any
    ok: bool


@dataclass(slots=True)
class Score:
    gold_required: int = 0
    required_found: int = 0
    extracted: int = 0
    extracted_matched: int = 0
    checks: list[FieldCheck] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)  # (document, key)
    spurious: list[tuple[str, str]] = field(default_factory=list)  # (document, event id)

    @property
    def recall(self) -> float:
        return self.required_found / self.gold_required if self.gold_required else 1.0

    @property
    def precision(self) -> float:
        return self.extracted_matched / self.extracted if self.extracted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_accuracy(self) -> dict[str, float]:
        totals: dict[str, list[int]] = {}
        for check in self.checks:
            totals.setdefault(check.field, [0, 0])
            totals[check.field][0] += check.ok
            totals[check.field][1] += 1
        return {name: ok / n for name, (ok, n) in sorted(totals.items())}

    def failures(self) -> list[FieldCheck]:
        return [c for c in self.checks if not c.ok]


def _norm(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def _quote_span(text: str, quote: str | None) -> tuple[int, int] | None:
    if not quote:
        return None
    at = text.find(quote)
    return (at, at + len(quote)) if at >= 0 else None


def _overlap(event: Event, span: tuple[int, int] | None) -> int:
    if span is None:
        return 0
    return sum(max(0, min(e.end, span[1]) - max(e.start, span[0])) for e in event.evidence)


def _same_day_and_place(gold: Mapping[str, Any], event: Event) -> bool:
    """An event of the gold's type on its day (a day either side) and at its place."""
    if event.event_type != gold.get("event_type") or event.date is None or not gold.get("date"):
        return False
    wanted = date.fromisoformat(
        gold["date"][:10] if len(gold["date"]) >= 10 else f"{gold['date']}-01"
    )
    if abs((event.date - wanted).days) > 1:
        return False
    loc = event.location
    if gold.get("lat") is None or loc.lat is None or loc.lon is None:
        return gold.get("country") is not None and gold.get("country") == loc.country
    return distance_km(gold["lat"], gold["lon"], loc.lat, loc.lon) <= _SAME_EVENT_KM


def _match(gold: Mapping[str, Any], events: list[Event], text: str) -> Event | None:
    """The extracted event that reports a gold event: its evidence overlaps the gold quote;
    failing that, it has the gold sub-type and date; failing that, the gold type on the gold
    day (one either side) at the gold place."""
    span = _quote_span(text, gold.get("quote"))
    by_quote = [e for e in events if _overlap(e, span) > 0]
    if by_quote:
        return max(
            by_quote,
            key=lambda e: (e.sub_event_type == gold.get("sub_event_type"), _overlap(e, span)),
        )
    same = [
        e
        for e in events
        if e.sub_event_type == gold.get("sub_event_type")
        and (e.date.isoformat() if e.date else None) == gold.get("date")
    ]
    if same:
        return same[0]
    return next((e for e in events if _same_day_and_place(gold, e)), None)


def _actor(event: Event, role: str) -> tuple[str | None, bool]:
    found = next((a for a in event.actors if a.role == role), None)
    return (found.name, found.claimed) if found else (None, False)


def _names_match(gold: str, found: str | None) -> bool:
    """Gold names are free text ("Sudanese Armed Forces (SAF)"): they match when they name
    the same known actor anywhere in them, or one contains the other."""
    if found is None:
        return False
    if same_actor(gold, found) or _norm(gold) in _norm(found) or _norm(found) in _norm(gold):
        return True
    return bool(actor_keys(gold) & actor_keys(found))


def _weapon_classes(written: str) -> set[str]:
    """The weapon classes a gold string names ("tear gas; water cannon"), read with the same
    lexicon as the extractor so that "firearms" and "firearm" agree; unknown words stay as
    written."""
    classes: set[str] = set()
    for part in re.split(r"[;,]| and ", written):
        part = part.strip()
        if not part:
            continue
        found = read_weapons(Span(0, len(part), part))
        classes |= {w.weapon.name for w in found} if found else {_norm(part)}
    return classes


def _weapon_model(written: str) -> str | None:
    found = read_weapons(Span(0, len(written), written))
    return next((w.weapon.model for w in found if w.weapon.model), written)


def _claim_kind(kind: str) -> str:
    """Reports and statements are both things a source says; coders split them differently,
    so they score as one kind. Responsibility, denial and casualty figures must match."""
    return "says" if kind in ("report", "statement") else kind


def check_fields(
    gold: Mapping[str, Any], event: Event, text: str
) -> list[tuple[str, Any, Any, bool]]:
    """(field, gold, found, right) for every field the gold row gives."""
    out: list[tuple[str, Any, Any, bool]] = []
    loc = event.location

    def add(name: str, gold_value: Any, found: Any, ok: bool) -> None:
        out.append((name, gold_value, found, ok))

    for name in ("event_type", "sub_event_type", "date_precision", "background"):
        if name in gold:
            value = getattr(event, name)
            add(name, gold[name], value, value == gold[name])
    if "date" in gold:
        found = event.date.isoformat() if event.date else None
        wanted = gold["date"]
        ok = found == wanted or (
            wanted is not None
            and found is not None
            and len(wanted) == 7
            and found.startswith(wanted)
        )
        add("date", wanted, found, ok)
    if gold.get("lat") is not None and gold.get("lon") is not None:
        if loc.lat is None or loc.lon is None:
            add("location", gold.get("location"), loc.name, False)
        else:
            km = distance_km(gold["lat"], gold["lon"], loc.lat, loc.lon)
            add("location", gold.get("location"), f"{loc.name} ({km:.0f} km)", km <= PLACE_KM)
    if gold.get("country"):
        add("country", gold["country"], loc.country, loc.country == gold["country"])
    if gold.get("admin1"):
        # Transliterations differ ("Banadir", "Banaadir"): near-identical spellings agree.
        ok = bool(loc.admin1) and (
            _norm(gold["admin1"]) in _norm(loc.admin1)
            or _norm(loc.admin1) in _norm(gold["admin1"])
            or fuzz.ratio(_norm(gold["admin1"]), _norm(loc.admin1)) >= _SPELLING_RATIO
        )
        add("admin1", gold["admin1"], loc.admin1, ok)
    if gold.get("geo_precision"):
        add(
            "geo_precision",
            gold["geo_precision"],
            loc.precision,
            loc.precision == gold["geo_precision"],
        )
    for role in ("actor1", "actor2"):
        if gold.get(role):
            actor_name, claimed = _actor(event, role)
            add(role, gold[role], actor_name, _names_match(gold[role], actor_name))
            if role == "actor1" and "actor1_claimed" in gold:
                add(
                    "actor1_claimed",
                    gold["actor1_claimed"],
                    claimed,
                    claimed == bool(gold["actor1_claimed"]),
                )
    if gold.get("weapon"):
        wanted = _weapon_classes(gold["weapon"])
        have = {w.name for w in event.weapons} | {_norm(w.model) for w in event.weapons if w.model}
        hit = next((w for w in event.weapons if w.name in wanted or _norm(w.model) in wanted), None)
        add("weapon", gold["weapon"], [w.model or w.name for w in event.weapons], wanted <= have)
        if gold.get("weapon_model"):
            model = _weapon_model(gold["weapon_model"])
            add(
                "weapon_model",
                gold["weapon_model"],
                hit.model if hit else None,
                hit is not None and model is not None and _norm(hit.model) == _norm(model),
            )
        if gold.get("weapon_count") is not None:
            add(
                "weapon_count",
                gold["weapon_count"],
                hit.count if hit else None,
                hit is not None and hit.count == gold["weapon_count"],
            )
    for name in ("fatalities", "injuries"):
        if name in gold:
            value = getattr(event, name)
            add(name, gold[name], value, value == gold[name])
    for claim in gold.get("claims") or []:
        span = _quote_span(text, claim.get("quote"))
        said = any(
            _claim_kind(c.kind) == _claim_kind(claim["kind"])
            and _names_match(claim["by"], c.by)
            and (span is None or (c.start < span[1] and span[0] < c.end))
            for c in event.claims
        )
        add(
            "claims",
            f"{claim['kind']} by {claim['by']}",
            [(c.kind, c.by) for c in event.claims],
            said,
        )
    return out


def score(
    gold_rows: Iterable[Mapping[str, Any]],
    extracted: Mapping[str, list[Event]],
    texts: Mapping[str, str],
) -> Score:
    """Score extracted events (by document id) against gold rows (by `document` or `article_id`)."""
    result = Score()
    by_document: dict[str, list[Mapping[str, Any]]] = {}
    for row in gold_rows:
        by_document.setdefault(row.get("document") or row["article_id"], []).append(row)
    for document, events in extracted.items():
        text = texts[document]
        rows = by_document.get(document, [])
        used: set[str] = set()
        for row in sorted(rows, key=lambda r: not r.get("required", True)):
            key = row.get("key") or row.get("incident_id") or ""
            candidates = [e for e in events if e.id not in used]
            event = _match(row, candidates, text)
            required = bool(row.get("required", True))
            result.gold_required += required
            if event is None:
                if required:
                    result.missed.append((document, key))
                continue
            used.add(event.id)
            if required:
                result.required_found += 1
                for name, gold_value, found, ok in check_fields(row, event, text):
                    result.checks.append(FieldCheck(document, key, name, gold_value, found, ok))
        result.extracted += len(events)
        result.extracted_matched += len(used)
        result.spurious += [(document, e.id) for e in events if e.id not in used]
    return result
