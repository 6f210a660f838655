"""Store: documents and linked events in SQLite (default) or PostgreSQL, one transaction a batch."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from wiredesk.records import (
    Document,
    Event,
    Extraction,
    document_to_json,
    event_from_json,
    event_to_json,
)
from wiredesk.store.schema import MIGRATIONS, documents, events, migrations_table, reports

__all__ = ["EventFilter", "IngestCounts", "Store", "StoreError", "database_url"]

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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Store:
    """A library first: the CLI and the API are thin layers over these methods."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = sa.create_engine(url)
        except (sa.exc.ArgumentError, ImportError, ValueError) as err:
            raise StoreError(f"cannot open database {url!r}: {err}") from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _on_sqlite_connect)
        try:
            self.migrate()
        except sa.exc.SQLAlchemyError as err:
            raise StoreError(f"cannot open database {url!r}: {err.__class__.__name__}: "
                             f"{str(err.orig) if hasattr(err, 'orig') else err}") from None

    @classmethod
    def open(cls, db: str | None = None) -> Store:
        return cls(database_url(db))

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
        if not ids:
            return set()
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(documents.c.id).where(documents.c.id.in_(list(ids))))
            return {r[0] for r in rows}

    def add(self, batch: Sequence[Extraction]) -> IngestCounts:
        """Store a batch of documents and their events in one transaction.

        Documents already stored are skipped whole; each event is linked to the stored
        event it reports, or stored as a new one.
        """
        from wiredesk.link import link_event

        counts = IngestCounts()
        known = self.known_documents([e.document.id for e in batch])
        with self.engine.begin() as connection:
            for extraction in batch:
                doc = extraction.document
                if doc.id in known:
                    counts.known_documents += 1
                    continue
                known.add(doc.id)
                connection.execute(documents.insert().values(**_document_row(doc)))
                counts.new_documents += 1
                for event in extraction.events:
                    merged, is_new = link_event(self, connection, event, doc)
                    self._write_event(connection, merged, is_new)
                    connection.execute(
                        reports.insert().values(
                            event_id=merged.id,
                            document_id=doc.id,
                            mention_id=event.id,
                            record=json.dumps(event_to_json(event)),
                        )
                    )
                    if is_new:
                        counts.new_events += 1
                    else:
                        counts.linked_events += 1
        return counts

    def _write_event(self, connection: sa.Connection, event: Event, is_new: bool) -> None:
        row = _event_row(event)
        if is_new:
            connection.execute(events.insert().values(**row))
        else:
            connection.execute(events.update().where(events.c.id == event.id).values(**row))

    # --- reading ---

    def candidates(self, connection: sa.Connection, event: Event, since: date, until: date) -> list[Event]:
        """Stored events of the same type whose dates fall in a window: what linking compares."""
        query = sa.select(events.c.record).where(
            events.c.event_type == event.event_type,
            events.c.date >= since.isoformat(),
            events.c.date <= until.isoformat(),
        )
        return [event_from_json(json.loads(r[0])) for r in connection.execute(query)]

    def readings(self, connection: sa.Connection, event_id: str) -> list[Event]:
        """Every document's own reading of a stored event."""
        query = sa.select(reports.c.record).where(reports.c.event_id == event_id)
        return [event_from_json(json.loads(r[0])) for r in connection.execute(query)]

    def events(self, where: EventFilter | None = None) -> Iterator[Event]:
        where = where or EventFilter()
        query = sa.select(events.c.record).order_by(
            events.c.date.desc().nulls_last(), events.c.id
        )
        if where.since:
            query = query.where(events.c.date >= where.since.isoformat())
        if where.until:
            query = query.where(events.c.date <= where.until.isoformat())
        if where.event_type:
            query = query.where(
                sa.or_(
                    events.c.event_type == where.event_type,
                    events.c.sub_event_type == where.event_type,
                )
            )
        if where.country:
            query = query.where(sa.func.upper(events.c.country) == where.country.upper())
        if where.actor:
            query = query.where(events.c.actors.ilike(f"%{_escape_like(where.actor)}%", escape="\\"))
        if where.text:
            query = query.where(
                events.c.search_text.ilike(f"%{_escape_like(where.text)}%", escape="\\")
            )
        if not where.include_background:
            query = query.where(events.c.background.is_(False))
        if where.limit:
            query = query.limit(where.limit)
        with self.engine.connect() as connection:
            for row in connection.execute(query):
                yield event_from_json(json.loads(row[0]))

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
            row = connection.execute(
                sa.select(documents).where(documents.c.id == document_id)
            ).mappings().first()
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
                table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in (documents, events, reports)
            }


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _document_row(doc: Document) -> dict[str, Any]:
    row = document_to_json(doc)
    row.pop("language")
    return {**row, "language": doc.language, "origin": doc.origin, "text": doc.text,
            "ingested_at": _now()}


def _event_row(event: Event) -> dict[str, Any]:
    record = event_to_json(event)
    loc = event.location
    texts = [e.text for e in event.evidence] + [c.text for c in event.claims]
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

