"""Store: documents and linked events in SQLite (default) or PostgreSQL, one transaction a batch."""

from __future__ import annotations

import importlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

import sqlalchemy as sa

from wiredesk.records import (
    Document,
    Event,
    Extraction,
    document_to_json,
    event_from_json,
    event_to_json,
)
from wiredesk.store.linking import HistoryEntry, SqlLinks, history
from wiredesk.store.schema import MIGRATIONS, documents, events, migrations_table, reports

__all__ = [
    "EventFilter",
    "EventStats",
    "HistoryEntry",
    "IngestCounts",
    "Report",
    "Store",
    "StoreError",
    "StoredEvent",
    "database_url",
]

DEFAULT_DB = "wiredesk.db"


class StoreError(Exception):
    """A database that cannot be opened or written; the message is for the user."""


def database_url(db: str | None) -> str:
    """The SQLAlchemy URL for `--db`, else `WIREDESK_DB`, else ./wiredesk.db."""
    value = db or os.environ.get("WIREDESK_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


@dataclass(slots=True)
class IngestCounts:
    new_documents: int = 0
    known_documents: int = 0
    new_events: int = 0
    linked_events: int = 0


@dataclass(slots=True)
class EventFilter:
    since: date | None = None
    until: date | None = None
    event_type: str | None = None  # an event type or a sub-event type
    country: str | None = None
    actor: str | None = None
    text: str | None = None
    include_background: bool = True
    limit: int | None = None
    # what the API adds; `order` set pages in (date, id) order, from after `after`
    admin1: str | None = None
    event_types: tuple[str, ...] = ()  # exact event types, any of
    sub_event_types: tuple[str, ...] = ()  # exact sub-event types, any of
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    conflicting: bool = False  # only events whose sources disagree on a field
    order: Literal["desc", "asc"] | None = None  # None: newest first, undated last, then id
    after: tuple[str | None, str] | None = None  # (date, id) of the previous page's last event

    @property
    def reads_far(self) -> bool:
        """Whether a page may read far into the store: words, actors and conflicts are
        checked event by event, and a rare match (or a short word the trigram index cannot
        look up) leaves an index range scan to read on until a page fills. The other filters
        are index ranges or checked inside an index."""
        return bool(self.text or self.actor or self.conflicting)


class _Listing(NamedTuple):
    """A listing query compiled for one dialect, to run on the driver with a filter's values."""

    sql: str
    names: tuple[str, ...] | None  # the order of the parameters, for a positional driver
    fixed: dict[str, Any]  # values the compiler added itself (SQLite's OFFSET 0)


class StoredEvent(NamedTuple):
    """An event row as stored: `record` is the contract's JSON text, as event_to_json wrote it."""

    id: str
    date: str | None
    lat: float | None
    lon: float | None
    record: str


@dataclass(slots=True)
class Report:
    """One document's report of an event: where it came from, and its own reading."""

    document: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    ingested_at: str
    reading: Event


@dataclass(slots=True)
class EventStats:
    total: int
    by_type: dict[str, int]
    by_country: dict[str, int]  # "" for events with no country
    by_week: dict[str, int]  # ISO week, "2024-W03"; "unknown" for undated events


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_MMAP_BYTES = 2**31
_CACHE_KIB = 64 * 1024


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Room for a whole ingest batch's changed pages (the default is 2 MiB): past it, SQLite
    # writes dirty pages out to the log mid-transaction, and again each time one changes.
    cursor.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
    cursor.close()


def _map_reads(dbapi_connection: Any, _record: Any) -> None:
    # Pages come from the OS cache, shared by every connection and server process, with no
    # read call each (SQLite caps the size at its build limit).
    dbapi_connection.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")


# SQLite calls a connection's progress handler every this many virtual machine steps.
_STEPS_A_CALL = 1000


class _OverBudget(Exception):
    """A bounded read that needs work no budget bounds (`Store._unbounded_step`)."""


class _ReadBudget(threading.local):
    """Until when (this thread's CPU time) a read on this thread may run; None: no bound.

    A bounded read's connection calls `spent` as it works (`Store._bounded`): a read that
    runs past its time is interrupted, and its caller can run it again where a long read
    does no harm."""

    until: float | None = None

    def spent(self) -> bool:
        return self.until is not None and time.thread_time() > self.until


class Store:
    """A library first: the CLI and the API are thin layers over these methods."""

    def __init__(self, url: str, *, map_reads: bool = False) -> None:
        """`map_reads`: read a SQLite file through a memory map, as a server does: many small
        reads scattered over the file, from several processes. (Off for a one-off scan such
        as an export, whose mapped pages would all count as its resident memory.)"""
        self.url = url
        try:
            self.engine = sa.create_engine(_engine_url(url))
        except (sa.exc.ArgumentError, ImportError, ValueError) as err:
            raise StoreError(f"cannot open database {url!r}: {err}") from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _on_sqlite_connect)
            if map_reads:
                sa.event.listen(self.engine, "connect", _map_reads)
        self._budget = _ReadBudget()
        self._index_drives = _DriveMemo(self._few_enough_to_drive)  # the R*Tree's
        self._text_drives = _DriveMemo(self._few_enough_words)
        self._listings: dict[tuple[Any, ...], list[_Listing]] = {}
        self._write_event = _inserting_or_replacing(self.engine.dialect.name)
        self._links = SqlLinks(
            self.engine.dialect.name,
            lambda connection, written: self._write_events(connection, written),
        )
        try:
            self.migrate()
        except sa.exc.SQLAlchemyError as err:
            raise StoreError(
                f"cannot open database {url!r}: {err.__class__.__name__}: "
                f"{str(err.orig) if hasattr(err, 'orig') else err}"
            ) from None

    @classmethod
    def open(cls, db: str | None = None, *, map_reads: bool = False) -> Store:
        return cls(database_url(db), map_reads=map_reads)

    def close(self) -> None:
        self.engine.dispose()

    # --- schema ---

    def migrate(self) -> list[int]:
        """Apply every migration the database lacks; return the versions applied."""
        applied: list[int] = []
        with self.engine.begin() as connection:
            migrations_table.create(connection, checkfirst=True)
            done = {row[0] for row in connection.execute(sa.select(migrations_table.c.version))}
            for version, name, apply in MIGRATIONS:
                if version in done:
                    continue
                apply(connection)
                connection.execute(
                    migrations_table.insert().values(version=version, name=name, applied_at=_now())
                )
                applied.append(version)
        return applied

    def schema_versions(self) -> list[int]:
        with self.engine.connect() as connection:
            return sorted(r[0] for r in connection.execute(sa.select(migrations_table.c.version)))

    # --- writing ---

    def known_documents(self, ids: Sequence[str]) -> set[str]:
        """The ids among `ids` of documents already stored."""
        with self.engine.connect() as connection:
            return _known(connection, ids)

    def add(self, batch: Sequence[Extraction]) -> IngestCounts:
        """Store a batch of documents and their events in one transaction.

        Documents already stored are skipped whole; each event is linked to the stored
        event it reports, or stored as a new one.
        """
        from wiredesk.link import link_document

        counts = IngestCounts()
        self._links.begin()
        with self.engine.begin() as connection:
            self._links.lock(connection)
            known = _known(connection, [e.document.id for e in batch])
            for extraction in batch:
                doc = extraction.document
                if doc.id in known:
                    counts.known_documents += 1
                    continue
                known.add(doc.id)
                self._links.run(connection, _INSERT_DOCUMENT, _document_row(doc))
                counts.new_documents += 1
                linked = link_document(self._links, connection, doc, extraction.events)
                counts.new_events += linked.new_events
                counts.linked_events += linked.linked_events
            self._links.flush(connection)
        return counts

    def history(self, event_id: str) -> list[HistoryEntry]:
        """Every recorded change to an event, oldest first, each with the document that
        caused it (an event merged into another keeps its history under its own id)."""
        with self.engine.connect() as connection:
            return history(connection, event_id)

    def _write_events(self, connection: sa.Connection, written: Sequence[Event]) -> list[str]:
        rows = [_event_row(event) for event in written]
        self._links.run.together(connection, self._write_event, rows)
        return [row["record"] for row in rows]

    # --- reading ---

    def events(self, where: EventFilter | None = None) -> Iterator[Event]:
        for row in self.event_rows(where or EventFilter()):
            yield event_from_json(json.loads(row.record))

    def event_rows(self, where: EventFilter) -> Iterator[StoredEvent]:
        """The events `where` selects, as stored, streamed in batches (constant memory)."""
        params = self._params(where)
        if where.limit:
            params["limit"] = where.limit
        shape = (tuple(sorted(params)), where.include_background, where.conflicting, where.order)
        statements = self._listings.get(shape)
        if statements is None:
            if len(self._listings) >= 1024:  # shapes are few; bound them all the same
                self._listings.clear()
            statements = self._listings[shape] = self._listing_sql(where, params)
        remaining = where.limit or None
        with self.engine.connect() as connection, self._bounded(connection):
            for sql, names, fixed in statements:
                if remaining is not None:
                    params["limit"] = remaining
                values = {**fixed, **params}
                given = tuple(values[n] for n in names) if names else values
                for part in _batches(connection, sql, given):
                    yield from map(StoredEvent._make, part)
                    if remaining is not None:
                        remaining -= len(part)
                if remaining == 0:
                    return

    def count_lookups(self, where: EventFilter) -> None:
        """Count, and remember for a while, how many events the index lookups `where` may use
        find (whether each should drive the query): what `event_page` leaves undone."""
        self._params(where)

    @contextmanager
    def _bounded(self, connection: sa.Connection) -> Iterator[None]:
        """Interrupt the connection's reads past this thread's budget, when it has one. Only
        then: a progress handler takes the GIL every `_STEPS_A_CALL` steps, and a long read
        in a thread would wait for it each time while the event loop runs Python."""
        if self._budget.until is None:
            yield
            return
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.set_progress_handler(self._budget.spent, _STEPS_A_CALL)
        try:
            yield
        finally:
            driver.set_progress_handler(None, 0)

    def event_page(self, where: EventFilter, seconds: float) -> list[StoredEvent] | None:
        """The events `where` selects (a page: its `limit` set), when reading them takes at
        most `seconds` of CPU time; None when it would take more, or when the database cannot
        bound a read and `where` may read far (`EventFilter.reads_far`).

        A server reads a page this way where a long read would hold up other requests. On
        None, it counts the page's index lookups elsewhere (`count_lookups`: an uncounted
        lookup is one thing this leaves undone), tries again, and on None again reads the
        page elsewhere."""
        if self.engine.dialect.name != "sqlite":
            return None if where.reads_far else list(self.event_rows(where))
        self._budget.until = time.thread_time() + seconds
        try:
            return list(self.event_rows(where))
        except _OverBudget:
            return None
        except sqlite3.OperationalError as err:
            if err.sqlite_errorcode == sqlite3.SQLITE_INTERRUPT:
                return None
            raise
        finally:
            self._budget.until = None

    def _unbounded_step(self) -> None:
        """Refuse work that no budget bounds in a bounded read (`event_page`): a trigram
        lookup (or counting its matches), where one step of SQLite's can read index lists
        as long as a phrase's commonest trigram's (a rare phrase of common ones: 0.2 s). An
        R*Tree lookup goes a few nodes a step, and its count stops at `_DRIVE_AT_MOST` keys
        (a few milliseconds): both run within a bounded read."""
        if self._budget.until is not None:
            raise _OverBudget

    def _listing_sql(self, where: EventFilter, params: dict[str, Any]) -> list[_Listing]:
        """The SQL of a listing of `where`'s shape (which filters, which order), compiled once
        and then run with each request's values: building and compiling the statement cost
        more than reading a page."""
        columns = (events.c.id, events.c.date, events.c.lat, events.c.lon, events.c.record)
        base = sa.select(*columns).where(*self._conditions(where, params))
        if where.order is None:
            queries = [base.order_by(events.c.date.desc().nulls_last(), events.c.id)]
        else:
            queries = _keyset(base, where.order, "after_date" in params, "after_id" in params)
        if "limit" in params:
            queries = [query.limit(sa.bindparam("limit")) for query in queries]
        compiled = [query.compile(dialect=self.engine.dialect) for query in queries]
        # SQLite's planner cannot tell that the text is read from the index: it is named
        # (SQLAlchemy renders no index hints for SQLite).
        named = "text_indexed" in params
        return [
            _Listing(
                _naming_index(str(c)) if named else str(c),
                tuple(c.positiontup) if c.positiontup else None,
                {name: value for name, value in c.params.items() if name not in params},
            )
            for c in compiled
        ]

    def _params(self, where: EventFilter) -> dict[str, Any]:
        """The values `where` binds in its conditions, by parameter name: the names present
        also say which conditions `_conditions` builds (and which index lookups narrow)."""
        params: dict[str, Any] = {}
        if where.since:
            params["since"] = where.since.isoformat()
        if where.until:
            params["until"] = where.until.isoformat()
        if where.event_type:
            params["event_type"] = where.event_type
        for n, value in enumerate(where.event_types):
            params[f"event_type_{n}"] = value
        for n, value in enumerate(where.sub_event_types):
            params[f"sub_event_type_{n}"] = value
        if where.country:
            params["country"] = where.country.upper()
        if where.admin1:
            params["admin1"] = where.admin1
        sqlite = self.engine.dialect.name == "sqlite"
        for column, words in (("actors", where.actor), ("search_text", where.text)):
            if not words:
                continue
            params[f"like_{column}"] = f"%{_escape_like(words)}%"
            if sqlite and len(words.strip()) >= 3:  # the trigram index matches substrings
                phrase = words.strip().replace('"', '""')
                fts = {f"fts_{column}": f'{column}: "{phrase}"'}
                if self._text_drives.drives(_text_keys(column), fts):
                    self._unbounded_step()
                    params.update(fts)
        # A text search within a country that the trigram index does not drive reads the text
        # from events_country_text.
        text_search = "like_search_text" in params and "fts_search_text" not in params
        if sqlite and where.country and text_search:
            params["text_indexed"] = True
        if where.bbox:
            keys, box = _box_keys(where.bbox)
            params.update(box)
            if sqlite and self._index_drives.drives(keys, box):
                params["box_narrows"] = True
        if where.conflicting and not sqlite:
            params["no_conflicts"] = '%"conflicts": []%'
        if where.after:
            day, ident = where.after
            params["after_id"] = ident
            if day is not None:
                params["after_date"] = day
        return params

    def _conditions(
        self, where: EventFilter, params: dict[str, Any]
    ) -> list[sa.ColumnElement[bool]]:
        """The conditions of `where`, with `_params`'s values as named parameters."""
        found: list[sa.ColumnElement[bool]] = []
        if "since" in params:
            found.append(events.c.date >= sa.bindparam("since"))
        if "until" in params:
            found.append(events.c.date <= sa.bindparam("until"))
        if "event_type" in params:
            found.append(
                sa.or_(
                    events.c.event_type == sa.bindparam("event_type"),
                    events.c.sub_event_type == sa.bindparam("event_type"),
                )
            )
        for typed, name, count in (
            (events.c.event_type, "event_type", len(where.event_types)),
            (events.c.sub_event_type, "sub_event_type", len(where.sub_event_types)),
        ):
            if count:
                found.append(typed.in_([sa.bindparam(f"{name}_{n}") for n in range(count)]))
        if "country" in params:
            found.append(events.c.country == sa.bindparam("country"))
        if "admin1" in params:
            found.append(events.c.admin1 == sa.bindparam("admin1"))
        sqlite = self.engine.dialect.name == "sqlite"
        for column in ("actors", "search_text"):
            if f"like_{column}" not in params:
                continue
            # SQLite's LIKE folds ASCII case, as its lower() does: no lower() of every row.
            field, pattern = (
                getattr(events.c, column),
                sa.bindparam(f"like_{column}", type_=sa.Text),
            )
            found.append(
                field.like(pattern, escape="\\") if sqlite else field.ilike(pattern, escape="\\")
            )
            if f"fts_{column}" in params:
                found.append(_narrowed(_text_keys(column)))
        if "text_indexed" in params:  # the condition of events_country_text
            found.append(events.c.search_text != sa.literal_column("''"))
        if not where.include_background:
            found.append(events.c.background.is_(False))
        if where.bbox:
            found.append(_in_box(where.bbox))
            if "box_narrows" in params:
                found.append(_narrowed(_box_keys(where.bbox)[0]))
        if where.conflicting:
            if sqlite:  # the same words as the partial index events_conflicting
                found.append(
                    sa.literal_column(
                        "json_array_length(events.record, '$.conflicts') > 0", sa.Boolean
                    )
                )
            else:
                found.append(events.c.record.not_like(sa.bindparam("no_conflicts")))
        return found

    def _few_enough_words(self, keys: str, params: dict[str, Any]) -> bool:
        """`_few_enough_to_drive` for the trigram index: never within a bounded read."""
        self._unbounded_step()
        return self._few_enough_to_drive(keys, params)

    def _few_enough_to_drive(self, keys: str, params: dict[str, Any]) -> bool:
        probe = sa.text(f"SELECT count(*) FROM ({keys} LIMIT {_DRIVE_AT_MOST})")
        with self.engine.connect() as connection:
            found: int = connection.execute(probe.bindparams(**params)).scalar_one()
        return found < _DRIVE_AT_MOST

    def stats(self, where: EventFilter | None = None) -> EventStats:
        """Counts of the events `where` selects: by type, by country, by ISO week."""
        where = where or EventFilter()
        params = self._params(where)
        conditions = self._conditions(where, params)
        count = sa.func.count().label("n")

        sqlite = self.engine.dialect.name == "sqlite"

        def grouped(column: sa.Column[Any]) -> list[tuple[Any, int]]:
            key: sa.ColumnElement[Any] = column
            if conditions and sqlite:  # "+": the filter, not the grouping, picks the index
                key = sa.literal_column(f"+events.{column.name}")
            query = sa.select(key, count).where(*conditions).group_by(key)
            return [(r[0], r[1]) for r in connection.execute(query, params)]

        with self.engine.connect() as connection:
            by_type = dict(grouped(events.c.event_type))
            by_country = {code or "": n for code, n in grouped(events.c.country)}
            by_week: dict[str, int] = {}
            for day, n in grouped(events.c.date):
                week = "unknown"
                if day:
                    year, number, _ = date.fromisoformat(day).isocalendar()
                    week = f"{year}-W{number:02d}"
                by_week[week] = by_week.get(week, 0) + n
        return EventStats(sum(by_type.values()), by_type, by_country, by_week)

    def reports_of(self, event_id: str) -> list[Report]:
        """Every document that reports an event, oldest first, with its own reading of it."""
        query = (
            sa.select(
                documents.c.id,
                documents.c.title,
                documents.c.url,
                documents.c.outlet,
                documents.c.published,
                documents.c.ingested_at,
                reports.c.record,
            )
            .join(documents, documents.c.id == reports.c.document_id)
            .where(reports.c.event_id == event_id)
            .order_by(documents.c.ingested_at, documents.c.published, documents.c.id)
        )
        with self.engine.connect() as connection:
            return [
                Report(
                    document=row.id,
                    title=row.title,
                    url=row.url,
                    outlet=row.outlet,
                    published=row.published,
                    ingested_at=row.ingested_at,
                    reading=event_from_json(json.loads(row.record)),
                )
                for row in connection.execute(query)
            ]

    def document_events(self, document_id: str) -> list[Event]:
        """The stored (linked) events a document reports, newest first."""
        reported = sa.select(reports.c.event_id).where(reports.c.document_id == document_id)
        query = (
            sa.select(events.c.record)
            .where(events.c.id.in_(reported))
            .order_by(events.c.date.desc().nulls_last(), events.c.id)
        )
        with self.engine.connect() as connection:
            return [event_from_json(json.loads(r[0])) for r in connection.execute(query)]

    def event(self, event_id: str) -> Event | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(events.c.record).where(events.c.id == event_id)
            ).first()
            if row is None and len(event_id) >= 4:
                rows = connection.execute(
                    sa.select(events.c.record).where(events.c.id.startswith(event_id)).limit(2)
                ).all()
                row = rows[0] if len(rows) == 1 else None
        return event_from_json(json.loads(row[0])) if row else None

    def document(self, document_id: str) -> Document | None:
        with self.engine.connect() as connection:
            row = (
                connection.execute(sa.select(documents).where(documents.c.id == document_id))
                .mappings()
                .first()
            )
        if row is None:
            return None
        return Document(
            id=row["id"],
            text=row["text"],
            title=row["title"],
            url=row["url"],
            outlet=row["outlet"],
            published=date.fromisoformat(row["published"]) if row["published"] else None,
            language=row["language"] or "en",
            origin=row["origin"],
        )

    def outlets(self, document_ids: Sequence[str]) -> dict[str, str]:
        """The outlet (or title) of each document, for listings."""
        if not document_ids:
            return {}
        query = sa.select(documents.c.id, documents.c.outlet, documents.c.title).where(
            documents.c.id.in_(sorted(set(document_ids)))
        )
        with self.engine.connect() as connection:
            return {r.id: r.outlet or r.title or r.id for r in connection.execute(query)}

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                table.name: connection.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
                for table in (documents, events, reports)
            }


# An index lookup (R*Tree, trigram) drives a query when it finds fewer events than this.
_DRIVE_AT_MOST = 5000


class _DriveMemo:
    """Whether an index lookup finds few enough events to drive a query, remembered for a
    minute: counting a common word's matches costs more than the page it serves, and the
    answer moves only as the store grows. A stale answer can cost speed, never a result."""

    def __init__(
        self, probe: Callable[[str, dict[str, Any]], bool], size: int = 4096, seconds: float = 60
    ) -> None:
        self._probe, self._size, self._seconds = probe, size, seconds
        self._known: dict[tuple[Any, ...], tuple[bool, float]] = {}

    def drives(self, keys: str, params: dict[str, Any]) -> bool:
        key = (keys, *sorted(params.items()))
        now = time.monotonic()
        known = self._known.get(key)
        if known is not None and now - known[1] < self._seconds:
            return known[0]
        answer = self._probe(keys, params)
        if len(self._known) >= self._size:
            self._known.clear()
        self._known[key] = (answer, now)
        return answer


def _naming_index(sql: str) -> str:
    """A listing's SQL reading the events through the index that holds their text."""
    table = "FROM events "
    if table not in sql:
        raise AssertionError(f"no {table!r} to name an index in: {sql}")
    return sql.replace(table, "FROM events INDEXED BY events_country_text ", 1)


def _batches(connection: sa.Connection, sql: str, given: Any) -> Iterator[Sequence[Any]]:
    """The rows of a listing's statement, 500 at a time (constant memory). On SQLite from the
    driver's own cursor, which reads as it is fetched: SQLAlchemy's result around it cost a
    fifth of a page's read. Elsewhere a streamed result (a server-side cursor)."""
    if connection.dialect.name != "sqlite":
        streamed = connection.execution_options(stream_results=True)
        yield from streamed.exec_driver_sql(sql, given).partitions(500)
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        cursor.execute(sql, given)
        while part := cursor.fetchmany(500):
            yield part
    finally:
        cursor.close()


def _keyset(
    base: sa.Select[Any], order: Literal["desc", "asc"], after_date: bool, after_id: bool
) -> list[sa.Select[Any]]:
    """Queries that list `base` in (date, id) order after a key, undated events at the low end.

    The key is the parameters `after_date` (None for an undated event: then absent) and
    `after_id`. Dated and undated events are two index range scans, one after the other, so a
    page deep in a million events costs what the first page costs.
    """
    desc = order == "desc"
    ident = sa.bindparam("after_id", type_=sa.Text)
    dated: sa.Select[Any] | None = base.where(events.c.date.is_not(None))
    undated: sa.Select[Any] | None = base.where(events.c.date.is_(None))
    if after_id and not after_date:
        dated = None if desc else dated
        assert undated is not None
        undated = undated.where(events.c.id < ident if desc else events.c.id > ident)
    elif after_id:
        assert dated is not None
        key = sa.tuple_(events.c.date, events.c.id)
        last = sa.tuple_(sa.bindparam("after_date"), ident)
        dated = dated.where(key < last if desc else key > last)
        undated = undated if desc else None
    if dated is not None:
        if desc:
            dated = dated.order_by(events.c.date.desc(), events.c.id.desc())
        else:
            dated = dated.order_by(events.c.date.asc(), events.c.id.asc())
    if undated is not None:
        undated = undated.order_by(events.c.id.desc() if desc else events.c.id.asc())
    parts = [dated, undated] if desc else [undated, dated]
    return [part for part in parts if part is not None]


def _spans(box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    min_lon, _, max_lon, _ = box
    return [(min_lon, max_lon)] if min_lon <= max_lon else [(min_lon, 180.0), (-180.0, max_lon)]


def _in_box(box: tuple[float, float, float, float]) -> sa.ColumnElement[bool]:
    """Events inside a box (min_lon, min_lat, max_lon, max_lat); min_lon > max_lon wraps at 180.
    Its bounds are `_box_keys`'s parameters."""
    return sa.and_(
        events.c.lat.between(sa.bindparam("box_s"), sa.bindparam("box_n")),
        sa.or_(
            *(
                events.c.lon.between(sa.bindparam(f"box_w{n}"), sa.bindparam(f"box_e{n}"))
                for n in range(len(_spans(box)))
            )
        ),
    )


def _box_keys(box: tuple[float, float, float, float]) -> tuple[str, dict[str, Any]]:
    """The R*Tree query for the keys of the events in a box (its float32 boxes only narrow)."""
    params: dict[str, Any] = {"box_s": box[1], "box_n": box[3]}
    selects = []
    for n, (low, high) in enumerate(_spans(box)):
        params[f"box_w{n}"], params[f"box_e{n}"] = low, high
        selects.append(
            "SELECT key FROM events_rtree "
            f"WHERE max_lon >= :box_w{n} AND min_lon <= :box_e{n} "
            "AND max_lat >= :box_s AND min_lat <= :box_n"
        )
    return " UNION ALL ".join(selects), params


def _text_keys(column: str) -> str:
    """The trigram index query for the keys of the events whose `column` holds a phrase."""
    return f"SELECT rowid FROM events_fts WHERE events_fts MATCH :fts_{column}"


def _narrowed(keys: str) -> sa.ColumnElement[bool]:
    """`events.id IN` the events whose `event_keys` a spatial or text index query gives: added
    when they are few enough to drive the query (`_DriveMemo`); when they are many, the exact
    condition, checked row by row while the date or another index drives, is faster (and the
    index would only have narrowed: the exact condition decides either way)."""
    ids = sa.text(f"SELECT id FROM event_keys WHERE key IN ({keys})")
    return events.c.id.in_(ids.columns(sa.column("id")))


_INSERT_DOCUMENT = documents.insert()


def _inserting_or_replacing(dialect: str) -> Any:
    """An events row inserted, or replacing the stored row of its id (each dialect says so
    in its own words)."""
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert(events)
    replaced = {c.name: insert.excluded[c.name] for c in events.c if c.name != "id"}
    return insert.on_conflict_do_update(index_elements=[events.c.id], set_=replaced)


def _engine_url(url: str) -> str:
    """`postgresql://` means psycopg 3 (the `postgres` extra), not SQLAlchemy's psycopg2."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def _known(connection: sa.Connection, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    unique = sorted(set(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        rows = connection.execute(sa.select(documents.c.id).where(documents.c.id.in_(chunk)))
        found.update(r[0] for r in rows)
    return found


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _document_row(doc: Document) -> dict[str, Any]:
    row = document_to_json(doc)
    row.pop("language")
    return {
        **row,
        "language": doc.language,
        "origin": doc.origin,
        "text": doc.text,
        "ingested_at": _now(),
    }


def _event_row(event: Event) -> dict[str, Any]:
    record = event_to_json(event)
    loc = event.location
    # Each text once (an event's reports repeat much of each other's evidence): a search
    # matches the same, and re-indexing an event's text costs by its length.
    texts = dict.fromkeys([e.text for e in event.evidence] + [c.text for c in event.claims])
    return {
        "id": event.id,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "date": record["date"],
        "date_end": record["date_end"],
        "date_precision": event.date_precision,
        "country": loc.country,
        "admin1": loc.admin1,
        "location": loc.name,
        "lat": loc.lat,
        "lon": loc.lon,
        "actors": "\n".join(
            [a.name for a in event.actors] + [a.text for a in event.actors if a.text]
        ),
        "search_text": "\n".join(texts),
        "background": event.background,
        "record": json.dumps(record, ensure_ascii=False),
        "updated_at": _now(),
    }
