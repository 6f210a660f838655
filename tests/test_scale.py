"""Scale: extraction on worker processes and on a Dask cluster gives what one process gives,
and an ingest killed with SIGKILL loses nothing committed and duplicates nothing when rerun."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from wiredesk.pipeline import process
from wiredesk.records import Document, Extraction, extraction_to_json
from wiredesk.scale import ScaleError, extract_all, ingest
from wiredesk.store import IngestCounts, Store

PLACES = [
    "Baghdad",
    "Basra",
    "Mosul",
    "Kirkuk",
    "Erbil",
    "Kidal",
    "Gao",
    "Nyala",
    "Kharkiv",
    "Nikopol",
]
WEAPONS = ["rockets", "mortar shells", "drones"]


def small_documents(count: int) -> list[Document]:
    """`count` short reports: several outlets on each of a few dozen attacks."""
    docs = []
    for n in range(count):
        incident = n // 3
        day = date(2024, 1, 1) + timedelta(days=2 * incident)
        place = PLACES[incident % len(PLACES)]
        text = (
            f"{3 + n % 3} {WEAPONS[incident % 3]} struck {place} on {day:%B} {day.day}, "
            f"officials said. No group claimed the attack. (Report {n})"
        )
        docs.append(
            Document(
                id=f"doc{n:04d}",
                text=text,
                outlet=f"Outlet {n % 3}",
                published=day + timedelta(days=1),
            )
        )
    return docs


def write_jsonl(docs: list[Document], folder: Path, per_file: int = 20) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(docs), per_file):
        with (folder / f"part{start // per_file:03d}.jsonl").open("w", encoding="utf-8") as out:
            for doc in docs[start : start + per_file]:
                row = {
                    "id": doc.id,
                    "text": doc.text,
                    "outlet": doc.outlet,
                    "published": doc.published.isoformat() if doc.published else None,
                }
                out.write(json.dumps(row) + "\n")
    return folder


def clusters(store: Store) -> list[list[tuple[str, str]]]:
    with store.engine.connect() as connection:
        found: dict[str, list[tuple[str, str]]] = {}
        rows = connection.execute(sa.text("SELECT event_id, document_id, mention_id FROM reports"))
        for event_id, doc, mention in rows:
            found.setdefault(event_id, []).append((doc, mention))
    return sorted(sorted(c) for c in found.values())


def wiredesk(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "wiredesk", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_worker_processes_extract_what_one_process_extracts() -> None:
    docs = small_documents(30)
    alone = [extraction_to_json(process(doc)) for doc in docs]
    pooled = [extraction_to_json(x) for x in extract_all(iter(docs), workers=2)]
    assert pooled == alone  # and in input order


def _printed_by(probe: str) -> list[str]:
    """The words a Python program prints, run in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=os.environ
    )
    return done.stdout.split()


def test_the_worker_server_loads_the_knowledge_before_it_forks_a_worker() -> None:
    # In a fresh interpreter, as the forkserver imports it: the import alone loads it all.
    probe = (
        "import wiredesk.warm, gc\n"
        "from wiredesk.extract.lexicon import triggers\n"
        "from wiredesk.resolve.place.geoparser import _default\n"
        "print(triggers.cache_info().currsize, _default.cache_info().currsize, "
        "gc.get_freeze_count() > 0)\n"
    )
    assert _printed_by(probe) == ["1", "1", "True"]


def test_the_worker_server_can_start_before_the_first_document_is_read() -> None:
    pytest.importorskip("psutil")
    # In a fresh interpreter: one that has started no worker server yet.
    probe = (
        "import psutil\n"
        "from wiredesk.scale import start_workers\n"
        "start_workers(1)\n"
        "before = psutil.Process().children()\n"
        "start_workers(2)\n"
        "after = psutil.Process().children()\n"
        "servers = [c for c in after if 'forkserver' in ' '.join(c.cmdline())]\n"
        "print(len(before), len(servers))\n"
    )
    assert _printed_by(probe) == ["0", "1"]


def test_an_ingest_collects_garbage_less_often_and_restores_the_collector() -> None:
    import gc

    from wiredesk.scale import _INGEST_GC_THRESHOLD

    seen: list[tuple[int, int, int]] = []

    class Recorder:
        def add(self, batch: Sequence[Extraction]) -> IngestCounts:
            seen.append(gc.get_threshold())
            return IngestCounts(new_documents=len(batch))

        def known_documents(self, ids: Sequence[str]) -> set[str]:
            return set()

    before = gc.get_threshold()
    docs = [Document(id=f"gc-{n}", text="Rockets hit a base near Baghdad.") for n in range(3)]
    totals = ingest(docs, Recorder(), batch_size=2)
    assert (totals.new, totals.batches) == (3, 2)
    assert seen == [_INGEST_GC_THRESHOLD, _INGEST_GC_THRESHOLD]
    assert gc.get_threshold() == before


def test_workers_and_a_scheduler_do_not_go_together() -> None:
    with pytest.raises(ScaleError):
        list(extract_all(iter(small_documents(1)), workers=2, scheduler="tcp://127.0.0.1:1"))


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    )
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


def test_a_dask_cluster_extracts_and_the_client_writes(dask_scheduler: str, tmp_path: Path) -> None:
    docs = small_documents(24)
    here = Store.open(str(tmp_path / "here.db"))
    there = Store.open(str(tmp_path / "cluster.db"))
    ingest(iter(docs), here, batch_size=5)
    totals = ingest(iter(docs), there, scheduler=dask_scheduler, batch_size=5)
    assert (totals.documents, totals.new, totals.batches) == (24, 24, 5)
    assert clusters(there) == clusters(here)
    here.close()
    there.close()


def test_a_dask_cluster_writes_to_postgresql(dask_scheduler: str, pg_store: Store) -> None:
    docs = small_documents(12)
    totals = ingest(iter(docs), pg_store, scheduler=dask_scheduler, batch_size=4)
    assert (totals.new, totals.batches) == (12, 3)
    assert pg_store.counts()["documents"] == 12
    assert sum(len(c) for c in clusters(pg_store)) == pg_store.counts()["reports"]


def test_the_ingest_command_runs_on_a_dask_cluster(dask_scheduler: str, tmp_path: Path) -> None:
    folder = write_jsonl(small_documents(12), tmp_path / "docs")
    db = tmp_path / "cli.db"
    done = wiredesk("ingest", str(folder), "--db", str(db), "--scheduler", dask_scheduler)
    _, stderr = done.communicate(timeout=300)
    assert done.returncode == 0, stderr
    assert "documents: 12 new" in stderr
    store = Store.open(str(db))
    assert store.counts()["documents"] == 12
    store.close()


def test_the_ingest_command_runs_on_worker_processes(tmp_path: Path) -> None:
    folder = write_jsonl(small_documents(30), tmp_path / "docs")
    done = wiredesk("ingest", str(folder), "--db", str(tmp_path / "w.db"), "--workers", "2")
    _, stderr = done.communicate(timeout=300)
    assert done.returncode == 0, stderr
    assert "documents: 30 new, 0 already stored" in stderr
    bad = wiredesk(
        "ingest",
        str(folder),
        "--db",
        str(tmp_path / "w.db"),
        "--workers",
        "2",
        "--scheduler",
        "tcp://127.0.0.1:1",
    )
    _, stderr = bad.communicate(timeout=300)
    assert bad.returncode == 2 and "do not go together" in stderr


def test_an_unreachable_scheduler_is_one_line_of_error(tmp_path: Path) -> None:
    folder = write_jsonl(small_documents(2), tmp_path / "docs")
    done = wiredesk(
        "ingest", str(folder), "--db", str(tmp_path / "u.db"), "--scheduler", "tcp://127.0.0.1:9"
    )
    _, stderr = done.communicate(timeout=300)
    assert done.returncode == 2
    assert "cannot reach the Dask scheduler" in stderr and "Traceback" not in stderr


def _documents_stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5) as connection:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_a_killed_ingest_loses_nothing_committed_and_a_rerun_duplicates_nothing(
    tmp_path: Path,
) -> None:
    total, batch = 300, 6
    docs = small_documents(total)
    folder = write_jsonl(docs, tmp_path / "docs")
    db = tmp_path / "crash.db"
    args = ("ingest", str(folder), "--db", str(db), "--batch-size", str(batch))
    running = wiredesk(*args)
    deadline = time.monotonic() + 120
    while _documents_stored(db) == 0 and time.monotonic() < deadline and running.poll() is None:
        time.sleep(0.005)
    os.kill(running.pid, signal.SIGKILL)  # kill -9, right after the first commit
    running.communicate(timeout=60)
    assert running.returncode == -signal.SIGKILL
    stored = _documents_stored(db)
    assert 0 < stored < total, "the ingest was not killed in the middle"
    assert stored % batch == 0  # whole batches only: a batch is one transaction
    rerun = wiredesk(*args)
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    assert f"documents: {total - stored} new, {stored} already stored" in stderr
    store = Store.open(str(db))
    try:
        with store.engine.connect() as connection:
            reports = connection.execute(
                sa.text(
                    "SELECT count(*), count(DISTINCT document_id || ':' || mention_id) FROM reports"
                )
            ).one()
            documents = connection.execute(sa.text("SELECT count(*) FROM documents")).scalar_one()
        assert documents == total
        assert reports[0] == reports[1] > 0  # no reading stored twice
        resumed = clusters(store)
    finally:
        store.close()
    # ... and it is the store an uninterrupted ingest builds.
    clean = Store.open(str(tmp_path / "clean.db"))
    try:
        ingest(iter(docs), clean, batch_size=50)
        assert clusters(clean) == resumed
    finally:
        clean.close()
