"""The database schema, and the numbered migrations that build it."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

metadata = sa.MetaData()

migrations_table = sa.Table(
    "wiredesk_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", sa.Text, nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("published", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("origin", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.Text, nullable=False),
)

# One row per real-world event: the merged record, and the columns queries filter on.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("sub_event_type", sa.Text, nullable=False),
    sa.Column("date", sa.Text),
    sa.Column("date_end", sa.Text),
    sa.Column("date_precision", sa.Text, nullable=False),
    sa.Column("country", sa.Text),
    sa.Column("admin1", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("actors", sa.Text, nullable=False),  # canonical names, one per line, for filtering
    sa.Column("search_text", sa.Text, nullable=False),  # evidence and claims, for text search
    sa.Column("background", sa.Boolean, nullable=False),
    sa.Column("record", sa.Text, nullable=False),  # the contract's JSON record
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Index("events_date", "date"),
    sa.Index("events_type", "event_type", "sub_event_type"),
    sa.Index("events_country", "country", "admin1"),
)

# What each document said about each event: its own reading, kept whole.
reports = sa.Table(
    "reports",
    metadata,
    sa.Column("event_id", sa.Text, sa.ForeignKey("events.id"), primary_key=True),
    sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id"), primary_key=True),
    sa.Column("mention_id", sa.Text, primary_key=True),
    sa.Column("record", sa.Text, nullable=False),
    sa.Index("reports_document", "document_id"),
)


def _create(*tables: sa.Table) -> Callable[[sa.Connection], None]:
    def apply(connection: sa.Connection) -> None:
        for table in tables:
            table.create(connection)

    return apply


# Numbered, named, applied in order, each recorded in wiredesk_migrations. Never edit one
# that has shipped: add the next.
MIGRATIONS: list[tuple[int, str, Callable[[sa.Connection], None]]] = [
    (1, "documents, events and reports", _create(documents, events, reports)),
]
