"""Temporal tagger benchmark: TempEval-3 (TimeBank + AQUAINT) and MEANTIME-en, TE3 measures.

Run `make bench-time` (or `python bench/time_bench.py --errors 30` to also list the most
common misses, wrong values and spurious expressions). Reads the shared benchmark data from
`../shared/bench` (or the directory named by WIREDESK_SHARED), prints a table and writes
bench/results/time.json.

Each document's text (TimeML without its tags; for MEANTIME the title and the first
sentences, the only ones whose time expressions are marked) is tagged with its creation time
as the publication date and scored against the gold TIMEX3, the creation time left out:
strict and relaxed (any overlap) extent P/R/F1, and for type and value the TE3 attribute F1,
relaxed F1 times the attribute's accuracy over the relaxed matches.

As the TempEval-3 scorer (evaluate_entities.py of the TE3 toolkit) does, only the <TEXT> of a
TimeML file is tagged and scored: the <DCT> creation time, <TITLE> and <EXTRAINFO> are left
out, and a TIMEX3 without text is skipped. (In TBAQ-cleaned every non-DCT TIMEX3 is inside
<TEXT> and none is empty; `read_timeml` counts any that are not, to say so.) Matching is one
to one: each gold expression takes the unmatched system expression that overlaps it most, so
a system span that overlaps a gold one with other boundaries still matches it (relaxed), as in
the TE3 scorer. The value F1 is reported both ways TE3 defines it, and they agree: relaxed F1
times value accuracy over the matches, and the F1 of P = right values / system expressions
and R = right values / gold expressions.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from wiredesk.records import TimeExpression
from wiredesk.resolve.time import tag_times

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "time.json"


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    type: str
    value: str


@dataclass(slots=True)
class Doc:
    name: str
    text: str
    published: date
    gold: list[Timex]


def shared_dir() -> Path:
    env = os.environ.get("WIREDESK_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def _dct(value: str) -> date:
    day_first = re.fullmatch(r"(\d\d)-(\d\d)-(\d{4})", value)  # one MEANTIME DCT: 03-02-2009
    if day_first:
        return date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    return date.fromisoformat(value[:10])


# --- TimeML (.tml) -------------------------------------------------------------------------


def _timeml_text(elem: ET.Element, out: list[str], gold: list[Timex], pos: list[int]) -> None:
    """Append the text under `elem` to `out`, recording TIMEX3 offsets in `gold`."""
    if elem.text:
        out.append(elem.text)
        pos[0] += len(elem.text)
    for child in elem:
        start = pos[0]
        _timeml_text(child, out, gold, pos)
        if child.tag == "TIMEX3" and child.get("functionInDocument") != "CREATION_TIME":
            gold.append(Timex(start, pos[0], child.get("type", ""), child.get("value", "")))
        if child.tail:
            out.append(child.tail)
            pos[0] += len(child.tail)


# gold TIMEX3 the TE3 scorer leaves out: outside <TEXT> (besides the creation time) or empty
LEFT_OUT: Counter[str] = Counter()


def read_timeml(path: Path) -> Doc | None:
    root = ET.parse(path).getroot()
    dct = next(
        (t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None
    )
    body = root.find("TEXT")
    if dct is None or body is None:
        return None
    inside = {id(t) for t in body.iter("TIMEX3")}
    LEFT_OUT["outside <TEXT>"] += sum(
        1
        for t in root.iter("TIMEX3")
        if id(t) not in inside and t.get("functionInDocument") != "CREATION_TIME"
    )
    out: list[str] = []
    gold: list[Timex] = []
    _timeml_text(body, out, gold, [0])
    text = "".join(out)
    kept = [g for g in gold if text[g.start : g.end].strip()]
    LEFT_OUT["empty"] += len(gold) - len(kept)
    return Doc(path.stem, text, _dct(dct.get("value", "")), kept)


# --- MEANTIME (CAT XML, tokens) ------------------------------------------------------------

MEANTIME_SENTENCES = 5
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "%", "'s", "n't", "'", "'re", "'ve"}
_NO_SPACE_AFTER = {"(", "[", "$", "``"}


def read_meantime(path: Path) -> Doc | None:
    root = ET.parse(path).getroot()
    tokens = [
        (t.get("t_id", ""), int(t.get("sentence", "0")), t.text or "") for t in root.iter("token")
    ]
    timexes = [t for t in root.iter("TIMEX3") if t.findall("token_anchor")]
    sentence_of = {tid: s for tid, s, _ in tokens}

    def in_dateline(t: ET.Element) -> bool:  # the dateline is sentence 1, after the title
        return all(sentence_of.get(a.get("t_id", "")) == 1 for a in t.findall("token_anchor"))

    dct = next((t for t in timexes if t.get("functionInDocument") == "CREATION_TIME"), None)
    dct = dct if dct is not None else next((t for t in timexes if in_dateline(t)), None)
    if dct is None:
        return None
    dct_ids = {a.get("t_id") for a in dct.findall("token_anchor")}
    dct_sentences = {s for tid, s, _ in tokens if tid in dct_ids}
    # MEANTIME marks time expressions only in the title, the dateline and the first sentences
    # (0-5); the rest of the text is left out so that unmarked expressions do not count as errors
    tokens = [t for t in tokens if t[1] <= MEANTIME_SENTENCES]
    text: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    pos = 0
    prev_sentence: int | None = None
    prev_tok = ""
    for tid, sentence, tok in tokens:
        if sentence in dct_sentences:
            continue
        if prev_sentence is not None:
            sep = "\n" if sentence != prev_sentence else " "
            if sep == " " and (tok in _NO_SPACE_BEFORE or prev_tok in _NO_SPACE_AFTER):
                sep = ""
            text.append(sep)
            pos += len(sep)
        offsets[tid] = (pos, pos + len(tok))
        text.append(tok)
        pos += len(tok)
        prev_sentence, prev_tok = sentence, tok
    gold: list[Timex] = []
    for t in timexes:
        if t is dct or t.get("functionInDocument") == "CREATION_TIME":
            continue
        spans = [
            offsets[a.get("t_id", "")]
            for a in t.findall("token_anchor")
            if a.get("t_id") in offsets
        ]
        if spans:
            gold.append(
                Timex(
                    min(s for s, _ in spans),
                    max(e for _, e in spans),
                    t.get("type", ""),
                    t.get("value", ""),
                )
            )
    gold.sort(key=lambda g: g.start)
    return Doc(path.stem, "".join(text), _dct(dct.get("value", "")), gold)


# --- corpora -------------------------------------------------------------------------------


def corpora(shared: Path) -> dict[str, list[Doc]]:
    bench = shared / "bench"
    out: dict[str, list[Doc]] = {}
    te3 = bench / "TempEval-3" / "TBAQ-cleaned"
    te3_files = sorted(te3.glob("TimeBank/*.tml")) + sorted(te3.glob("AQUAINT/*.tml"))
    if te3_files:
        out["TimeBank+AQUAINT"] = [d for d in map(read_timeml, te3_files) if d is not None]
    meantime = sorted((bench / "MEANTIME-en").glob("intra_cross-doc_annotation/*/*.xml"))
    if meantime:
        out["MEANTIME-en"] = [d for d in map(read_meantime, meantime) if d is not None]
    return out


# --- TE3 scores ----------------------------------------------------------------------------


@dataclass(slots=True)
class Score:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0
    misses: Counter[str] = field(default_factory=Counter)
    wrong: Counter[str] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)

    def add(self, doc: Doc, found: list[TimeExpression]) -> None:
        self.gold += len(doc.gold)
        self.system += len(found)
        used: set[int] = set()
        for gold in doc.gold:
            best, overlap = -1, 0
            for i, sys_ in enumerate(found):
                common = min(gold.end, sys_.span.end) - max(gold.start, sys_.span.start)
                if i not in used and common > overlap:
                    best, overlap = i, common
            text = doc.text[gold.start : gold.end]
            if best < 0:
                self.misses[f"{text!r} {gold.type} {gold.value}"] += 1
                continue
            used.add(best)
            sys_ = found[best]
            self.relaxed += 1
            self.strict += (sys_.span.start, sys_.span.end) == (gold.start, gold.end)
            self.type_ok += sys_.type == gold.type
            if sys_.value == gold.value:
                self.value_ok += 1
            else:
                key = f"{text!r}->{sys_.span.text!r} gold {gold.value} got {sys_.value}"
                self.wrong[f"{key} (dct {doc.published})"] += 1
        for i, sys_ in enumerate(found):
            if i not in used:
                context = doc.text[max(0, sys_.span.start - 30) : sys_.span.end + 20].replace(
                    "\n", " "
                )
                self.spurious[f"{sys_.span.text!r} {sys_.value} | {context}"] += 1

    def figures(self) -> dict[str, float | int]:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        def prf(hits: int) -> tuple[float, float, float]:
            p = hits / self.system if self.system else 0.0
            r = hits / self.gold if self.gold else 0.0
            return p, r, f1(p, r)

        sp, sr, sf = prf(self.strict)
        rp, rr, rf = prf(self.relaxed)
        type_acc = self.type_ok / self.relaxed if self.relaxed else 0.0
        value_acc = self.value_ok / self.relaxed if self.relaxed else 0.0
        # TE3's attribute F1 (relaxed F1 x accuracy) is the F1 of the right values over the
        # system's and the gold expressions: the same number, two ways
        vp, vr, vf = prf(self.value_ok)
        assert abs(vf - rf * value_acc) < 1e-9, (vf, rf * value_acc)
        return {
            "gold": self.gold,
            "system": self.system,
            "strict_p": sp,
            "strict_r": sr,
            "strict_f1": sf,
            "relaxed_p": rp,
            "relaxed_r": rr,
            "relaxed_f1": rf,
            "type_accuracy": type_acc,
            "type_f1": rf * type_acc,
            "value_accuracy": value_acc,
            "value_p": vp,
            "value_r": vr,
            "value_f1": vf,
        }


# --- speed ---------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


def sentences(docs: list[Doc]) -> list[str]:
    return [s for d in docs for s in (m.group().strip() for m in _SENTENCE.finditer(d.text)) if s]


def speed(docs: list[Doc], rounds: int = 3) -> tuple[int, float]:
    """Sentences per second on one core, tagging sentence by sentence (best of `rounds`).

    Timed in CPU seconds of this process, so that other work on the machine does not count.
    """
    items = [(s, d.published) for d in docs for s in sentences([d])]
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for text, published in items:
            tag_times(text, published)
        best = min(best, time.process_time() - start)
    return len(items), len(items) / best if best else 0.0


# --- report --------------------------------------------------------------------------------


def _row(name: str, fig: dict[str, float | int]) -> str:
    return (
        f"{name:<18} {fig['gold']:>5} {fig['system']:>5}  "
        f"{fig['strict_p']:.3f} {fig['strict_r']:.3f} {fig['strict_f1']:.3f}  "
        f"{fig['relaxed_p']:.3f} {fig['relaxed_r']:.3f} {fig['relaxed_f1']:.3f}  "
        f"{fig['type_f1']:.3f}  {fig['value_accuracy']:.3f} {fig['value_f1']:.3f}"
    )


def _errors(score: Score, top: int) -> Iterator[str]:
    for title, counter in (
        ("missed", score.misses),
        ("wrong value", score.wrong),
        ("spurious", score.spurious),
    ):
        yield f"  most common {title}:"
        for text, n in counter.most_common(top):
            yield f"    {n:>3}  {text}"


def main(argv: list[str]) -> int:
    top = int(argv[argv.index("--errors") + 1]) if "--errors" in argv else 0
    shared = shared_dir()
    sets = corpora(shared)
    if not sets:
        print(f"time bench: no benchmark data under {shared / 'bench'}; skipped")
        return 0
    results: dict[str, object] = {}
    header = (
        f"{'corpus':<18} {'gold':>5} {'sys':>5}  {'strict P/R/F1':<17}  {'relaxed P/R/F1':<17}  "
        f"{'typeF1':<6} {'valAcc':<5} {'valF1'}"
    )
    print(header)
    for name, docs in sets.items():
        score = Score()
        for doc in docs:
            score.add(doc, tag_times(doc.text, doc.published))
        fig = score.figures()
        results[name] = {"documents": len(docs), **{k: round(v, 4) for k, v in fig.items()}}
        print(_row(name, fig))
        if top:
            print("\n".join(_errors(score, top)))
    if sum(LEFT_OUT.values()):
        print(f"gold TIMEX3 left out as TE3 does: {dict(LEFT_OUT)}")
    all_docs = [d for docs in sets.values() for d in docs]
    count, rate = speed(all_docs)
    results["speed"] = {
        "sentences": count,
        "sentences_per_second": round(rate),
        "timer": "CPU time of one process, best of 3 runs",
    }
    print(f"speed: {rate:,.0f} sentences/s on one core ({count} sentences)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
