"""Every seed place with coordinates resolves within 25 km from the seed texts."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from wiredesk.resolve.place import parse_places


def _shared() -> Path:
    env = os.environ.get("WIREDESK_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


SEEDS = _shared() / "seeds"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(a))


def _golds() -> list[dict[str, object]]:
    if not (SEEDS / "gold.jsonl").exists():
        return []
    lines = (SEEDS / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [g for g in map(json.loads, filter(None, lines)) if g.get("lat") is not None]


@pytest.mark.slow
@pytest.mark.skipif(not (SEEDS / "gold.jsonl").exists(), reason="no shared seed data")
@pytest.mark.parametrize("gold", _golds(), ids=lambda g: str(g["key"]))
def test_seed_place_resolves_within_25_km(gold: dict[str, object]) -> None:
    docs = {}
    for line in (SEEDS / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            docs[d["id"]] = d
    doc = docs[str(gold["document"])]
    text = (SEEDS / doc["file"]).read_text(encoding="utf-8")
    places = [p for p in parse_places(text, doc.get("outlet")) if p.lat is not None]
    lat, lon = float(str(gold["lat"])), float(str(gold["lon"]))
    best = min(places, key=lambda p: _km(lat, lon, p.lat or 0.0, p.lon or 0.0))
    assert best.lat is not None and best.lon is not None
    assert _km(lat, lon, best.lat, best.lon) <= 25, (gold["location"], best)
