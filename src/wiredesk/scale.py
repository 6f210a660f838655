"""Scale: extraction on several processes (`--workers N`) or a Dask cluster
(`--scheduler tcp://host:port`), with every write made by the one calling process.

Extraction is the expensive, embarrassingly parallel part; linking and storing are not
(each document's events are linked against everything stored before it), so workers only
extract, and the caller writes their results in batches, one transaction each. Results come
back in input order, with a bounded number of documents in flight, so memory stays flat
whatever the size of the corpus.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import forkserver
from typing import Any, Protocol

from wiredesk.records import Document, Extraction

__all__ = ["IngestTotals", "ScaleError", "Sink", "extract_all", "ingest", "start_workers"]

CHUNK = 8  # documents per task: large enough to amortise the hand-off, small enough to balance
# Tasks in flight per worker: enough that the workers keep extracting while the caller
# stores a whole batch (a batch takes as long to store as several tasks take to extract).
IN_FLIGHT = 8


class ScaleError(Exception):
    """A cluster that cannot be reached, or options that do not go together."""


class Sink(Protocol):
    """Where extractions go: `wiredesk.store.Store` (its `add` is one transaction a batch)."""

    def add(self, batch: Sequence[Extraction]) -> Any: ...

    def known_documents(self, ids: Sequence[str]) -> set[str]: ...


@dataclass(slots=True)
class IngestTotals:
    documents: int = 0  # extracted (documents already stored are not)
    new: int = 0
    known: int = 0
    events: int = 0
    linked: int = 0
    batches: int = 0


def _process_chunk(chunk: list[Document]) -> list[Extraction]:
    from wiredesk.pipeline import process

    return [process(doc) for doc in chunk]


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for doc in documents:
        chunk.append(doc)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_all(
    documents: Iterable[Document], workers: int = 1, scheduler: str | None = None
) -> Iterator[Extraction]:
    """`process` over every document, in input order: in this process, on `workers`
    processes, or on the Dask cluster whose scheduler is at `scheduler`."""
    if scheduler and workers > 1:
        raise ScaleError("--workers and --scheduler do not go together (the cluster has its own)")
    if scheduler:
        yield from _on_cluster(documents, scheduler)
    elif workers > 1:
        yield from _on_processes(documents, workers)
    else:
        from wiredesk.pipeline import process

        for doc in documents:
            yield process(doc)


def _worker_context() -> multiprocessing.context.ForkServerContext:
    # forkserver: workers start from a clean single-threaded server, not from a copy of a
    # parent that may hold database connections and progress-bar threads. The server loads
    # the extractor's knowledge before it forks them (`wiredesk.warm`).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["wiredesk.warm"])
    return context


def start_workers(workers: int, scheduler: str | None = None) -> None:
    """When `extract_all` will extract on `workers` processes of this machine, start the
    server that forks them now: it loads the extractor's knowledge (a second or so) while
    this process goes on opening its store and reading its inputs."""
    if workers > 1 and not scheduler:
        _worker_context()
        forkserver.ensure_running()


def _on_processes(documents: Iterable[Document], workers: int) -> Iterator[Extraction]:
    context = _worker_context()
    pending: deque[Future[list[Extraction]]] = deque()
    limit = workers * IN_FLIGHT
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for chunk in _chunks(documents, CHUNK):
            pending.append(pool.submit(_process_chunk, chunk))
            while len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _on_cluster(documents: Iterable[Document], scheduler: str) -> Iterator[Extraction]:
    try:
        import distributed
    except ImportError:
        raise ScaleError(
            "--scheduler needs Dask distributed: pip install 'wiredesk[cluster]'"
        ) from None
    _probe(scheduler)
    connect: Any = distributed.Client  # untyped
    try:
        client: Any = connect(scheduler, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise ScaleError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    try:
        workers = max(1, sum(client.nthreads().values()))
        pending: deque[Any] = deque()
        limit = workers * IN_FLIGHT
        for chunk in _chunks(documents, CHUNK):
            pending.append(client.submit(_process_chunk, chunk, pure=False))
            while len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()


def _probe(scheduler: str) -> None:
    """Fail at once, in one line, when nothing listens at a tcp:// scheduler address."""
    import socket
    from urllib.parse import urlsplit

    if not scheduler.startswith("tcp://"):
        return
    address = urlsplit(scheduler)
    if address.hostname is None or address.port is None:
        raise ScaleError(f"--scheduler {scheduler!r}: expected tcp://host:port")
    try:
        with socket.create_connection((address.hostname, address.port), timeout=10):
            pass
    except OSError as err:
        raise ScaleError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None


def ingest(
    documents: Iterable[Document],
    store: Sink,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> IngestTotals:
    """Extract every document (in parallel when asked) and store the results in batches of
    `batch_size` documents, one transaction each: a crash loses at most the batch in hand,
    and running the same ingest again stores only what is missing."""
    totals = IngestTotals()
    batch: list[Extraction] = []

    def unseen() -> Iterator[Document]:
        """Documents the store lacks: a rerun after a crash extracts only what is missing."""
        for chunk in _chunks(documents, 256):
            known = store.known_documents([doc.id for doc in chunk])
            totals.known += sum(doc.id in known for doc in chunk)
            if progress is not None and known:
                progress(len(known))
            yield from (doc for doc in chunk if doc.id not in known)

    def flush() -> None:
        counts = store.add(batch)
        totals.new += counts.new_documents
        totals.known += counts.known_documents
        totals.events += counts.new_events
        totals.linked += counts.linked_events
        totals.batches += 1
        batch.clear()

    with _fewer_collections():
        for extraction in extract_all(unseen(), workers, scheduler):
            batch.append(extraction)
            totals.documents += 1
            if progress is not None:
                progress(1)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    return totals


# While ingesting, the cyclic garbage collector runs after this many allocations of new
# objects, and collects older generations this rarely: linking allocates many short-lived
# objects and few cycles, and a full collection walks the linker's caches of readings and
# pairs for little it can free.
_INGEST_GC_THRESHOLD = (20_000, 20, 20)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*_INGEST_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)
