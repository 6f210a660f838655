"""The store's side of linking: candidate lookup through the spatial-temporal index, the
events of a component, and every write linking makes (events, reports, index, history)."""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from wiredesk.link.cluster import OneGroupSets, PairCache
from wiredesk.link.incremental import Change, StoredEvent
from wiredesk.link.rules import Reach, Reading, reach
from wiredesk.records import Event, event_from_json, event_to_json
from wiredesk.store.schema import documents, event_history, event_index, events, reports

__all__ = ["HistoryEntry", "Runner", "SqlLinks", "history", "index_existing_events"]

_MOVE_REPORT = (
    reports.update()
    .where(
        reports.c.document_id == sa.bindparam("doc"),
        reports.c.mention_id == sa.bindparam("mention"),
    )
    .values(event_id=sa.bindparam("to"))
)
_UPDATE_INDEX = (
    event_index.update()
    .where(event_index.c.event_id == sa.bindparam("key"))
    .values(
        {
            c: sa.bindparam(c)
            for c in (
                "family",
                "component",
                "day_lo",
                "day_hi",
                "lat_lo",
                "lat_hi",
                "lon_lo",
                "lon_hi",
            )
        }
    )
)

# Events whose reach intersects a box: the R*Tree on SQLite, the GiST index on PostGIS.
_CANDIDATES_SQLITE = sa.text(
    "SELECT i.event_id, i.component FROM event_reach r "
    "CROSS JOIN event_index i ON i.rid = r.rid "  # CROSS: the R*Tree first, always
    "WHERE r.day_lo <= :day_hi AND r.day_hi >= :day_lo "
    "AND r.lat_lo <= :lat_hi AND r.lat_hi >= :lat_lo "
    "AND r.lon_lo <= :lon_hi AND r.lon_hi >= :lon_lo AND i.family = :family"
)
_CANDIDATES_POSTGIS = sa.text(
    "SELECT event_id, component FROM event_index "
    "WHERE family = :family AND day_lo <= :day_hi AND day_hi >= :day_lo "
    "AND area && ST_MakeEnvelope(:lon_lo, :lat_lo, :lon_hi, :lat_hi, 4326)"
)
_ID_TAKEN = sa.text(
    "SELECT 1 FROM events WHERE id = :id UNION ALL "
    "SELECT 1 FROM event_history WHERE event_id = :id LIMIT 1"
)

_READING_CACHE = 4_000  # readings kept parsed (a few KiB each)
_RECORD_CACHE = 500  # stored events' records kept parsed (a big event's is large)

# A stable number for pg_advisory_xact_lock: one writer links at a time.
_LINK_LOCK = 0x77697265  # "wire"


@dataclass(slots=True)
class HistoryEntry:
    """One recorded change to an event (see `Change`), with when it was recorded."""

    id: int
    event_id: str
    document: str | None
    change: str
    field: str | None
    old: str | None
    new: str | None
    at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Runner:
    """Runs the statements of linking and storing. On SQLite each statement is compiled once
    (per set of parameter names) and run on the driver's own cursor: SQLAlchemy's work for
    each call (compiled-cache lookup, parameter processing, result wrapping) costs several
    times what SQLite's does for these small statements. Elsewhere it runs through SQLAlchemy.
    Rows come back as sequences: read them by position."""

    def __init__(self, dialect: str) -> None:
        self.direct = dialect == "sqlite"
        # (statement, parameter names) -> (SQL, the names in placeholder order)
        self._compiled: dict[tuple[Any, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}

    def __call__(self, connection: sa.Connection, statement: Any, params: dict[str, Any]) -> Any:
        """The statement run with `params`; the result has `fetchone`, `fetchall` and
        `rowcount`, and iterates over rows. A list value fills an expanding IN."""
        if not self.direct or any(isinstance(v, list) and not v for v in params.values()):
            return connection.execute(statement, params)  # an empty IN: SQLAlchemy renders it
        sql, names = self._compile(connection, statement, tuple(params))
        values: list[Any] = []
        for name in names:
            value = params[name]
            if isinstance(value, list):
                sql = sql.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * len(value)))
                values.extend(value)
            else:
                values.append(value)
        return self._cursor(connection).execute(sql, values)

    def many(
        self, connection: sa.Connection, statement: Any, rows: Sequence[dict[str, Any]]
    ) -> None:
        """The statement run once for each of `rows` (all with the same names)."""
        if not self.direct:
            connection.execute(statement, list(rows))
            return
        sql, names = self._compile(connection, statement, tuple(rows[0]))
        self._cursor(connection).executemany(sql, [[row[n] for n in names] for row in rows])

    def together(
        self, connection: sa.Connection, statement: Any, rows: Sequence[dict[str, Any]]
    ) -> None:
        """An INSERT of one row run for all of `rows` (all with the same names) in a few
        statements of many rows on SQLite (as `many` elsewhere). SQLite's full-text index
        writes out the text it holds whenever a statement that writes starts or ends: a
        statement a row writes a small index segment for each row, and merging them costs
        more than indexing the text. Each statement writes a power of two of rows: the
        driver keeps every statement prepared, with the last values bound to it, and these
        are few (a statement for every count of rows would keep a batch's rows each)."""
        if not self.direct:
            self.many(connection, statement, rows)
            return
        sql, names = self._compile(connection, statement, tuple(rows[0]))
        placeholders = "(" + ", ".join("?" * len(names)) + ")"
        driver = connection.connection.driver_connection
        assert driver is not None and placeholders in sql
        most = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(names)
        start = 0
        while start < len(rows):
            count = 1 << (min(len(rows) - start, most).bit_length() - 1)
            part = rows[start : start + count]
            many_rows = sql.replace(placeholders, ", ".join([placeholders] * count), 1)
            self._cursor(connection).execute(many_rows, [row[n] for row in part for n in names])
            start += count

    @staticmethod
    def _cursor(connection: sa.Connection) -> Any:
        return connection.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def _compile(
        self, connection: sa.Connection, statement: Any, keys: tuple[str, ...]
    ) -> tuple[str, tuple[str, ...]]:
        found = self._compiled.get((statement, keys))
        if found is None:
            compiled = statement.compile(dialect=connection.dialect, column_keys=list(keys))
            found = (compiled.string, tuple(compiled.positiontup or ()))
            self._compiled[(statement, keys)] = found
        return found


def _index_row(event_id: str, box: Reach, component: str) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "family": box.family,
        "component": component,
        "day_lo": box.day_lo,
        "day_hi": box.day_hi,
        "lat_lo": box.lat_lo,
        "lat_hi": box.lat_hi,
        "lon_lo": box.lon_lo,
        "lon_hi": box.lon_hi,
    }


def _reading(row: Sequence[Any]) -> Reading:
    """A reading from a row of (event id, document id, mention id, record, published)."""
    _, document_id, mention_id, record, published = row
    day = date.fromisoformat(published) if published else None
    return Reading(document_id, mention_id, event_from_json(json.loads(record)), day)


# Statements built once: building one and computing its cache key costs more than many a
# run of it. `:keys` takes a list.
_KEYS: sa.BindParameter[list[str]] = sa.bindparam("keys", expanding=True)
_READINGS_OF_DOCUMENTS = (
    sa.select(
        reports.c.event_id, reports.c.document_id, reports.c.mention_id, reports.c.record,
        documents.c.published,
    )
    .join(documents, documents.c.id == reports.c.document_id)
    .where(reports.c.document_id.in_(_KEYS))
)  # fmt: skip
_REPORTS_OF_EVENTS = sa.select(
    reports.c.event_id, reports.c.document_id, reports.c.mention_id
).where(reports.c.event_id.in_(_KEYS))
_INDEXED = ("family", "component", "day_lo", "day_hi", "lat_lo", "lat_hi", "lon_lo", "lon_hi")
# An event written in this batch has no row until the batch's end (`SqlLinks.flush`): its
# record is read from the batch.
_STORED = (
    sa.select(
        event_index.c.event_id,
        events.c.record,
        event_index.c.rid,
        *(event_index.c[c] for c in _INDEXED),
    )
    .select_from(event_index.outerjoin(events, events.c.id == event_index.c.event_id))
    .order_by(event_index.c.rid)
)
_STORED_IN_COMPONENTS = _STORED.where(event_index.c.component.in_(_KEYS))
_STORED_WITH_IDS = _STORED.where(event_index.c.event_id.in_(_KEYS))
_COMPONENT_SIZE = (
    sa.select(sa.func.count())
    .select_from(reports)
    .join(event_index, event_index.c.event_id == reports.c.event_id)
    .where(event_index.c.component.in_(_KEYS))
)
_INSERT_INDEX = event_index.insert()
_DELETE_INDEX = event_index.delete().where(event_index.c.event_id == sa.bindparam("key"))
_DELETE_EVENT = events.delete().where(events.c.id == sa.bindparam("key"))
_INSERT_REPORTS = reports.insert()
_INSERT_HISTORY = event_history.insert()


class SqlLinks:
    """`wiredesk.link.LinkBackend` over the store's tables, on SQLite or PostgreSQL.

    The events rows a batch creates or changes are written once, at its end (`begin`, then
    `flush` before the commit), together (`Runner.together`): an event that several
    documents of a batch report changes several times, and every write of the events
    table re-indexes the event's text. Until then the latest record of each event stays
    here, and reads during the batch see it; reports and the index refer to events not yet
    written, so the batch checks its foreign keys at the commit (`lock`).
    `write_events(connection, events)` writes rows, inserted or replacing the stored ones,
    and returns their records' texts (the store's own writer, so that one code path builds
    them).
    """

    def __init__(
        self,
        dialect: str,
        write_events: Callable[[sa.Connection, Sequence[Event]], list[str]],
    ) -> None:
        self.dialect = dialect
        self.write_events = write_events
        self.run = Runner(dialect)
        self.pairs: PairCache = {}
        self.one_group = OneGroupSets()
        self._readings: OrderedDict[tuple[str, str], Reading] = OrderedDict()
        self._records: OrderedDict[str, Event] = OrderedDict()  # record text -> parsed
        self._unwritten: dict[str, Event] = {}  # id -> latest record, written in this batch
        self._created: set[str] = set()  # ids of the events this batch created
        # id -> its index row's values (`_INDEXED`) as last read or written in this batch
        self._indexed: dict[str, tuple[Any, ...]] = {}

    def begin(self) -> None:
        """Start a batch (what a failed one left unwritten is dropped with it)."""
        self._unwritten.clear()
        self._created.clear()
        self._indexed.clear()

    def flush(self, connection: sa.Connection) -> None:
        """Write the events rows the batch created or changed."""
        # Stored events first: the text index takes rows in key order (new events take the
        # highest keys), and writes out what it holds whenever a key comes lower than the last.
        written = sorted(self._unwritten.values(), key=lambda event: event.id in self._created)
        self._unwritten.clear()
        self._created.clear()
        if written:
            records = self.write_events(connection, written)
            for event, record in zip(written, records, strict=True):
                self._keep_record(record, event)  # the next batch to read it need not parse it

    def lock(self, connection: sa.Connection) -> None:
        """Start a batch's transaction: linking writers one at a time, and foreign keys
        checked at the commit (the batch writes its events rows last)."""
        if self.dialect == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LINK_LOCK})
            connection.execute(sa.text("SET CONSTRAINTS ALL DEFERRED"))
        else:  # the write lock now, for the reads linking does before it writes
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")

    # --- reading ---

    def candidates(self, connection: sa.Connection, box: Reach) -> list[tuple[str, str]]:
        params = {
            "family": box.family,
            "day_lo": box.day_lo,
            "day_hi": box.day_hi,
            "lat_lo": box.lat_lo,
            "lat_hi": box.lat_hi,
            "lon_lo": box.lon_lo,
            "lon_hi": box.lon_hi,
        }
        query = _CANDIDATES_SQLITE if self.dialect == "sqlite" else _CANDIDATES_POSTGIS
        return [(row[0], row[1]) for row in self.run(connection, query, params)]

    def readings(
        self, connection: sa.Connection, event_ids: Sequence[str]
    ) -> dict[str, list[Reading]]:
        """Which readings each event holds comes from the database; the readings themselves,
        which never change once stored, from a cache when they were read lately."""
        found: dict[str, list[Reading]] = {event_id: [] for event_id in event_ids}
        wanted: list[tuple[str, tuple[str, str]]] = []
        for chunk in _chunks(event_ids):
            for event_id, document_id, mention_id in self.run(
                connection, _REPORTS_OF_EVENTS, {"keys": list(chunk)}
            ):
                wanted.append((event_id, (document_id, mention_id)))
        missing = sorted({key for _, key in wanted if key not in self._readings})
        for start in range(0, len(missing), 200):
            documents_ = {d for d, _ in missing[start : start + 200]}
            rows = self.run(connection, _READINGS_OF_DOCUMENTS, {"keys": sorted(documents_)})
            for row in rows:
                self._remember(_reading(row))
        for event_id, key in wanted:
            reading = self._readings.get(key)
            if reading is None:  # pragma: no cover - just stored, so just cached
                continue
            self._readings.move_to_end(key)
            found[event_id].append(reading)
        return found

    def _remember(self, reading: Reading) -> None:
        self._readings[reading.key] = reading
        self._readings.move_to_end(reading.key)
        while len(self._readings) > _READING_CACHE:
            self._readings.popitem(last=False)

    def component_events(
        self,
        connection: sa.Connection,
        components: Sequence[str],
        known: Mapping[str, list[Reading]],
    ) -> list[StoredEvent]:
        return self._stored(connection, _STORED_IN_COMPONENTS, components, known)

    def stored_events(
        self,
        connection: sa.Connection,
        event_ids: Sequence[str],
        known: Mapping[str, list[Reading]],
    ) -> list[StoredEvent]:
        return self._stored(connection, _STORED_WITH_IDS, event_ids, known)

    def _stored(
        self,
        connection: sa.Connection,
        query: sa.Select[Any],
        keys: Sequence[str],
        known: Mapping[str, list[Reading]],
    ) -> list[StoredEvent]:
        stored = []
        for event_id, record, rid, *indexed in self.run(connection, query, {"keys": list(keys)}):
            self._indexed[event_id] = tuple(indexed)
            stored.append(
                StoredEvent(event_id, rid, indexed[1], self._record(event_id, record), [])
            )
        missing = self.readings(connection, [e.id for e in stored if e.id not in known])
        for event in stored:
            event.readings = list(known[event.id]) if event.id in known else missing[event.id]
        return stored

    def _record(self, event_id: str, record: str | None) -> Event:
        unwritten = self._unwritten.get(event_id)
        if unwritten is not None:
            return unwritten
        assert record is not None  # an event with no row yet was written in this batch
        # A big event is read again by every document that reaches it: its record is parsed
        # once per text (a changed event has a new text, so nothing stale is ever returned).
        parsed = self._records.get(record)
        if parsed is None:
            parsed = event_from_json(json.loads(record))
        self._keep_record(record, parsed)
        return parsed

    def _keep_record(self, record: str, event: Event) -> None:
        self._records[record] = event
        self._records.move_to_end(record)
        while len(self._records) > _RECORD_CACHE:
            self._records.popitem(last=False)

    def component_size(self, connection: sa.Connection, components: Sequence[str]) -> int:
        return int(self.run(connection, _COMPONENT_SIZE, {"keys": list(components)}).fetchone()[0])

    def rename_components(self, connection: sa.Connection, old: Sequence[str], new: str) -> None:
        self._indexed.clear()
        connection.execute(
            event_index.update().where(event_index.c.component.in_(list(old))).values(component=new)
        )

    def id_taken(self, connection: sa.Connection, event_id: str) -> bool:
        if event_id in self._unwritten:
            return True
        return self.run(connection, _ID_TAKEN, {"id": event_id}).fetchone() is not None

    # --- writing ---

    def insert_event(
        self, connection: sa.Connection, event: Event, box: Reach | None, component: str
    ) -> None:
        self._unwritten[event.id] = event
        self._created.add(event.id)
        if box is not None:
            self.run(connection, _INSERT_INDEX, _index_row(event.id, box, component))

    def update_event(
        self, connection: sa.Connection, event: Event, box: Reach | None, component: str
    ) -> None:
        self._unwritten[event.id] = event
        indexed = self._indexed.pop(event.id, None)
        if box is None:
            self.run(connection, _DELETE_INDEX, {"key": event.id})
            return
        row = _index_row(event.id, box, component)
        values = tuple(row[c] for c in _INDEXED)
        self._indexed[event.id] = values
        if values == indexed:
            return  # a report inside its reach: rewriting the row would re-index it for nothing
        done = self.run(connection, _UPDATE_INDEX, {**row, "key": event.id})
        if done.rowcount == 0:
            self.run(connection, _INSERT_INDEX, row)

    def delete_event(self, connection: sa.Connection, event_id: str) -> None:
        self._indexed.pop(event_id, None)
        self.run(connection, _DELETE_INDEX, {"key": event_id})
        self._unwritten.pop(event_id, None)
        self._created.discard(event_id)
        self.run(connection, _DELETE_EVENT, {"key": event_id})

    def insert_reports(
        self, connection: sa.Connection, rows: Sequence[tuple[str, Reading]]
    ) -> None:
        if rows:
            for _, reading in rows:  # the next document to reach them need not parse them
                self._remember(reading)
            self.run.many(
                connection,
                _INSERT_REPORTS,
                [
                    {
                        "event_id": event_id,
                        "document_id": reading.document,
                        "mention_id": reading.mention,
                        "record": json.dumps(event_to_json(reading.event), ensure_ascii=False),
                    }
                    for event_id, reading in rows
                ],
            )

    def move_reports(self, connection: sa.Connection, rows: Sequence[tuple[str, Reading]]) -> None:
        if rows:
            self.run.many(
                connection,
                _MOVE_REPORT,
                [{"to": e, "doc": r.document, "mention": r.mention} for e, r in rows],
            )

    def add_history(self, connection: sa.Connection, changes: Sequence[Change]) -> None:
        if not changes:
            return
        at = _now()
        self.run.many(
            connection,
            _INSERT_HISTORY,
            [
                {
                    "event_id": c.event_id,
                    "document_id": c.document_id,
                    "change": c.change,
                    "field": c.field,
                    "old": c.old,
                    "new": c.new,
                    "at": at,
                }
                for c in changes
            ],
        )


def history(connection: sa.Connection, event_id: str) -> list[HistoryEntry]:
    query = (
        sa.select(event_history)
        .where(event_history.c.event_id == event_id)
        .order_by(event_history.c.id)
    )
    return [
        HistoryEntry(r.id, r.event_id, r.document_id, r.change, r.field, r.old, r.new, r.at)
        for r in connection.execute(query)
    ]


def index_existing_events(connection: sa.Connection) -> None:
    """Index events stored before linking had an index: each its own component."""
    boxes: dict[str, Reach] = {}
    query = (
        sa.select(
            reports.c.event_id,
            reports.c.document_id,
            reports.c.mention_id,
            reports.c.record,
            documents.c.published,
        )
        .join(documents, documents.c.id == reports.c.document_id)
        .order_by(reports.c.event_id)
    )
    for row in connection.execute(query):
        box = reach(_reading(row))
        if box is None:
            continue
        event_id = row[0]
        known = boxes.get(event_id)
        if known is None:
            boxes[event_id] = box
        elif known.family == box.family:
            boxes[event_id] = known.union(box)
    rows = [_index_row(event_id, box, event_id) for event_id, box in boxes.items()]
    for start in range(0, len(rows), 1000):
        connection.execute(_INSERT_INDEX, rows[start : start + 1000])


def _chunks(values: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
