"""Geoparser benchmark: toponym P/R, Acc@161km and median error on GeoWebNews, LGL and
GeoVirus (dev), event-location accuracy on EventLocation-Halterman2019 (dev), and speed.

End to end: the geoparser finds its own toponyms (no gold spans are given to it).
Figures go to bench/results/place.json. Needs the shared benchmark folder
(`../shared` next to the repository, or $WIREDESK_SHARED); skips cleanly without it.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

from wiredesk.records import distance_km

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "place.json"
SHOW_MISSES = int(os.environ.get("PLACE_BENCH_MISSES", "25"))

Gold = dict[str, Any]
Doc = tuple[str, list[Gold]]


def shared_dir() -> Path:
    env = os.environ.get("WIREDESK_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def _num(value: str | None) -> float | None:
    return float(value) if value not in (None, "") else None


# GeoWebNews annotation types that are not toponyms at all.
_GWN_NOT_TOPONYM = {"Literal_Expression", "Non_Lit_Expression", "Non_Toponym"}


def load_gwn(path: Path) -> list[Doc]:
    docs = []
    for a in ET.parse(path).getroot().iter("article"):
        text = a.findtext("text") or ""
        gold = []
        for t in a.iter("toponym"):
            kind = t.findtext("type") or ""
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            if kind in _GWN_NOT_TOPONYM or start < 0:
                continue
            gold.append(
                {
                    "start": start,
                    "end": end,
                    "name": t.findtext("extractedName") or "",
                    "lat": _num(t.findtext("latitude")),
                    "lon": _num(t.findtext("longitude")),
                    "demonym": kind in ("Demonym", "Language") or _is_demonym(t),
                }
            )
        docs.append((text, gold))
    return docs


def _is_demonym(t: ET.Element) -> bool:
    from wiredesk.resolve.place import demonym_country

    return demonym_country(t.findtext("extractedName") or "") is not None


def load_lgl(path: Path) -> list[Doc]:
    from wiredesk.resolve.place import demonym_country

    docs = []
    for a in ET.parse(path).getroot().iter("article"):
        text = a.findtext("text") or ""
        gold = []
        for t in a.iter("toponym"):
            gz = t.find("gaztag")
            phrase = t.findtext("phrase") or ""
            gold.append(
                {
                    "start": int(t.findtext("start") or 0),
                    "end": int(t.findtext("end") or 0),
                    "name": phrase,
                    "lat": _num(gz.findtext("lat")) if gz is not None else None,
                    "lon": _num(gz.findtext("lon")) if gz is not None else None,
                    "demonym": demonym_country(phrase) is not None,
                }
            )
        docs.append((text, gold))
    return docs


def load_geovirus(path: Path) -> list[Doc]:
    from wiredesk.resolve.place import demonym_country

    docs = []
    for a in ET.parse(path).getroot().iter("article"):
        text = a.findtext("text") or ""
        gold = []
        locations = a.find("locations")
        for t in locations.iter("location") if locations is not None else []:
            name = t.findtext("name") or ""
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            # The upstream offsets are one character late; find the name near them.
            for shift in (-1, 0, -2, 1):
                if text[start + shift : end + shift] == name:
                    start, end = start + shift, end + shift
                    break
            gold.append(
                {
                    "start": start,
                    "end": end,
                    "name": name,
                    "lat": _num(t.findtext("lat")),
                    "lon": _num(t.findtext("lon")),
                    "demonym": demonym_country(name) is not None,
                }
            )
        docs.append((text, gold))
    return docs


def evaluate(name: str, docs: list[Doc]) -> dict[str, Any]:
    from wiredesk.resolve.place import parse_places

    tp_pred = n_pred = tp_gold = n_gold = 0
    errors: list[float] = []
    correct = total = correct_nd = total_nd = 0
    missed: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    spurious: Counter[str] = Counter()
    for text, gold in docs:
        places = parse_places(text)
        n_pred += len(places)
        n_gold += len(gold)
        for p in places:
            if any(p.span.start < g["end"] and g["start"] < p.span.end for g in gold):
                tp_pred += 1
            else:
                spurious[p.span.text] += 1
        for g in gold:
            hits = [p for p in places if p.span.start < g["end"] and g["start"] < p.span.end]
            if hits:
                tp_gold += 1
            if g["lat"] is None:
                continue
            total += 1
            total_nd += not g["demonym"]
            good = False
            if hits and hits[0].lat is not None and hits[0].lon is not None:
                err = distance_km(g["lat"], g["lon"], hits[0].lat, hits[0].lon)
                errors.append(err)
                good = err <= 161
                if not good:
                    h = hits[0]
                    wrong[f"{g['name']} -> {h.name} ({h.country}, {h.admin1}) {err:.0f} km"] += 1
            elif not g["demonym"]:
                missed[g["name"]] += 1
            correct += good
            correct_nd += good and not g["demonym"]
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    out = {
        "documents": len(docs),
        "gold_toponyms": n_gold,
        "predicted": n_pred,
        "toponym_precision": round(precision, 4),
        "toponym_recall": round(recall, 4),
        "toponym_f1": round(2 * precision * recall / (precision + recall), 4) if n_pred else 0.0,
        "gold_with_coordinates": total,
        "acc_161km": round(correct / total, 4) if total else 0.0,
        "acc_161km_without_demonyms": round(correct_nd / total_nd, 4) if total_nd else 0.0,
        "median_error_km": round(statistics.median(errors), 1) if errors else None,
        "resolved": len(errors),
    }
    print(f"\n== {name}: {json.dumps(out)}")
    if SHOW_MISSES:
        print("  missed:", missed.most_common(SHOW_MISSES))
        print("  wrong:", wrong.most_common(SHOW_MISSES))
        print("  spurious:", spurious.most_common(SHOW_MISSES))
    return out


def event_location(path: Path) -> dict[str, Any]:
    from wiredesk.records import Span
    from wiredesk.resolve.place import event_place, parse_places

    rows = json.loads(path.read_text(encoding="utf-8"))
    right = total = found = 0
    for row in rows:
        spans = [_char_span(row, s) for s in row.get("spans") or []]
        verbs = [s for s in spans if s.get("label") == "VERB"]
        golds = [s for s in spans if s.get("label") == "LOCATION"]
        if not verbs or not golds:
            continue
        text = row["text"]
        total += 1
        verb = verbs[0]
        places = parse_places(text)
        if any(p.span.start < g["end"] and g["start"] < p.span.end for p in places for g in golds):
            found += 1
        choice = event_place(
            places,
            Span(0, len(text), text),
            Span(verb["start"], verb["end"], text[verb["start"] : verb["end"]]),
        )
        if choice and any(
            choice.span.start < g["end"] and g["start"] < choice.span.end for g in golds
        ):
            right += 1
    out = {
        "rows_with_location": total,
        "accuracy": round(right / total, 4) if total else 0.0,
        "gold_location_detected": round(found / total, 4) if total else 0.0,
    }
    print(f"\n== EventLocation-Halterman2019: {json.dumps(out)}")
    return out


def _char_span(row: dict[str, Any], span: dict[str, Any]) -> dict[str, Any]:
    """Some rows give token numbers in `start`/`end`: take the characters from the tokens."""
    text = row["text"]
    if "text" not in span or text[span["start"] : span["end"]] == span["text"]:
        return span
    tokens = {t["id"]: t for t in row.get("tokens") or []}
    first, last = tokens.get(span.get("token_start")), tokens.get(span.get("token_end"))
    if first is None or last is None:
        return span
    return {**span, "start": first["start"], "end": last["end"]}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss survives exec on Linux)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed_child(texts_path: str) -> None:
    """Run in a fresh process: index load time, parse speed and peak memory."""
    from wiredesk.resolve.place.geoparser import Geoparser
    from wiredesk.resolve.place.index import PlaceIndex, index_path

    if not index_path().exists():
        raise SystemExit("the place index is not built")

    start = time.perf_counter()
    index = PlaceIndex.load(index_path())
    load_s = time.perf_counter() - start
    parser = Geoparser(index)
    texts = json.loads(Path(texts_path).read_text(encoding="utf-8"))
    parser.parse(texts[0])
    start = time.perf_counter()
    for t in texts:
        parser.parse(t)
    elapsed = time.perf_counter() - start
    rss = peak_rss_mb()
    print(json.dumps({"load_s": load_s, "docs": len(texts), "elapsed_s": elapsed, "rss_mb": rss}))


def speed(docs: list[Doc]) -> dict[str, Any]:
    words: list[str] = []
    texts: list[str] = []
    for text, _ in docs:
        words.extend(text.split())
        while len(words) >= 600:
            texts.append(" ".join(words[:600]))
            words = words[600:]
    tmp = ROOT / "bench" / "results" / ".place_speed_texts.json"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(json.dumps(texts), encoding="utf-8")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    cmd = [sys.executable, __file__, "--speed-child", str(tmp)]
    if sys.platform.startswith("linux"):
        cmd = ["taskset", "-c", "0", *cmd]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    tmp.unlink(missing_ok=True)
    child = json.loads(done.stdout.strip().splitlines()[-1])
    out = {
        "documents_600_words": child["docs"],
        "docs_per_second_one_core": round(child["docs"] / child["elapsed_s"], 1),
        "index_load_s": round(child["load_s"], 3),
        "peak_rss_mb": round(child["rss_mb"], 1),
    }
    print(f"\n== speed: {json.dumps(out)}")
    return out


def main() -> int:
    shared = shared_dir() / "bench"
    if not shared.is_dir():
        print(f"place bench: skipped, no shared benchmark data at {shared}")
        return 0
    from wiredesk.resolve.place.geoparser import load_index

    start = time.perf_counter()
    load_index()
    print(f"index ready in {time.perf_counter() - start:.1f} s (built if it was missing)")
    results: dict[str, Any] = {}
    sets = [
        ("GeoWebNews", shared / "GeoWebNews" / "GWN_dev.xml", load_gwn),
        ("LGL", shared / "LGL" / "lgl_dev.xml", load_lgl),
        ("GeoVirus", shared / "GeoVirus" / "GeoVirus.xml", load_geovirus),
    ]
    all_docs: list[Doc] = []
    for name, path, loader in sets:
        if not path.exists():
            print(f"{name}: skipped, {path} is missing")
            continue
        docs = loader(path)
        all_docs.extend(docs)
        results[name] = evaluate(name, docs)
    ev = shared / "EventLocation-Halterman2019" / "labeled_text_dev.json"
    if ev.exists():
        results["EventLocation-Halterman2019"] = event_location(ev)
    if all_docs and "--no-speed" not in sys.argv:
        results["speed"] = speed(all_docs)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--speed-child":
        speed_child(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
