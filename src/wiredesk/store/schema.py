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


# --- migration 2: what the API's filters and paging read (serve layer) ---

# Listings page through events in (date, id) order, alone or after an equality filter;
# trailing columns let a second filter (a box, a country) be checked inside the index.
_SERVING_INDEXES = {
    "events_date_id": "date, id, lat, lon",  # lat, lon: boxes checked in the index
    "events_country_date": "country, date, id, event_type",
    "events_admin1_date": "admin1, date, id",
    "events_type_date": "event_type, date, id, country",
    "events_subtype_date": "sub_event_type, date, id",
}

# SQLite only. `event_keys` gives every event an INTEGER PRIMARY KEY (VACUUM may renumber
# the events table's own rowids), which keys the R*Tree of coordinates and the trigram FTS5
# index of actors and evidence/claims text. Triggers keep both in step with every write.
_SQLITE_SERVING = [
    "CREATE TABLE event_keys (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE events_rtree USING rtree(key, min_lon, max_lon, min_lat, max_lat)",
    "CREATE VIEW events_search AS SELECT k.key AS key, e.actors AS actors, "
    "e.search_text AS search_text FROM event_keys k JOIN events e ON e.id = k.id",
    "CREATE VIRTUAL TABLE events_fts USING fts5(actors, search_text, content='events_search', "
    "content_rowid='key', tokenize='trigram')",
    "INSERT INTO event_keys (id) SELECT id FROM events ORDER BY rowid",
    "INSERT INTO events_rtree SELECT k.key, e.lon, e.lon, e.lat, e.lat FROM event_keys k "
    "JOIN events e ON e.id = k.id WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL",
    "INSERT INTO events_fts (events_fts) VALUES ('rebuild')",
    """CREATE TRIGGER events_serving_insert AFTER INSERT ON events BEGIN
        INSERT INTO event_keys (id) VALUES (new.id);
        INSERT INTO events_rtree SELECT key, new.lon, new.lon, new.lat, new.lat FROM event_keys
            WHERE id = new.id AND new.lat IS NOT NULL AND new.lon IS NOT NULL;
        INSERT INTO events_fts (rowid, actors, search_text)
            SELECT key, new.actors, new.search_text FROM event_keys WHERE id = new.id;
    END""",
    """CREATE TRIGGER events_serving_update AFTER UPDATE ON events BEGIN
        INSERT INTO events_fts (events_fts, rowid, actors, search_text)
            SELECT 'delete', key, old.actors, old.search_text FROM event_keys WHERE id = old.id;
        DELETE FROM events_rtree WHERE key = (SELECT key FROM event_keys WHERE id = old.id);
        UPDATE event_keys SET id = new.id WHERE id = old.id AND new.id != old.id;
        INSERT INTO events_rtree SELECT key, new.lon, new.lon, new.lat, new.lat FROM event_keys
            WHERE id = new.id AND new.lat IS NOT NULL AND new.lon IS NOT NULL;
        INSERT INTO events_fts (rowid, actors, search_text)
            SELECT key, new.actors, new.search_text FROM event_keys WHERE id = new.id;
    END""",
    """CREATE TRIGGER events_serving_delete AFTER DELETE ON events BEGIN
        INSERT INTO events_fts (events_fts, rowid, actors, search_text)
            SELECT 'delete', key, old.actors, old.search_text FROM event_keys WHERE id = old.id;
        DELETE FROM events_rtree WHERE key = (SELECT key FROM event_keys WHERE id = old.id);
        DELETE FROM event_keys WHERE id = old.id;
    END""",
    # Events whose sources disagree, in date order (the API's `conflicts=true`).
    "CREATE INDEX events_conflicting ON events (date, id) "
    "WHERE json_array_length(record, '$.conflicts') > 0",
]


def _serving(connection: sa.Connection) -> None:
    for name, columns in _SERVING_INDEXES.items():
        connection.execute(sa.text(f"CREATE INDEX {name} ON events ({columns})"))
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_SERVING:
            connection.execute(sa.text(statement))
    else:
        connection.execute(sa.text("CREATE INDEX events_lon_lat ON events (lon, lat)"))


# --- migration 3: linking at scale (candidate index, components) and event history ---

# One row per linkable event: the box of (day, latitude, longitude) that its readings can
# link within (`wiredesk.link.rules.reach`), its type family, and the component of readings
# it belongs to (what a bridging report re-partitions). SQLite indexes the box with an
# R*Tree (`event_reach`); PostgreSQL with a PostGIS envelope and a GiST index.
event_index = sa.Table(
    "event_index",
    metadata,
    sa.Column("rid", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.Text, sa.ForeignKey("events.id"), nullable=False, unique=True),
    sa.Column("family", sa.Text, nullable=False),
    sa.Column("component", sa.Text, nullable=False),
    sa.Column("day_lo", sa.Integer, nullable=False),  # date.toordinal()
    sa.Column("day_hi", sa.Integer, nullable=False),
    sa.Column("lat_lo", sa.Float, nullable=False),
    sa.Column("lat_hi", sa.Float, nullable=False),
    sa.Column("lon_lo", sa.Float, nullable=False),
    sa.Column("lon_hi", sa.Float, nullable=False),
    sa.Index("event_index_component", "component"),
    sa.Index("event_index_family_days", "family", "day_lo", "day_hi"),
)

# Every change to a stored event, with the document whose ingest caused it.
event_history = sa.Table(
    "event_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.Text, nullable=False),  # no foreign key: merged events go
    sa.Column("document_id", sa.Text),
    sa.Column("change", sa.Text, nullable=False),
    sa.Column("field", sa.Text),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("at", sa.Text, nullable=False),
    sa.Index("event_history_event", "event_id", "id"),
)

_SQLITE_REACH = [
    "CREATE VIRTUAL TABLE event_reach "
    "USING rtree(rid, day_lo, day_hi, lat_lo, lat_hi, lon_lo, lon_hi)",
    """CREATE TRIGGER event_index_insert AFTER INSERT ON event_index BEGIN
        INSERT INTO event_reach VALUES (new.rid, new.day_lo, new.day_hi, new.lat_lo, new.lat_hi,
                                        new.lon_lo, new.lon_hi);
    END""",
    """CREATE TRIGGER event_index_update AFTER UPDATE ON event_index BEGIN
        UPDATE event_reach SET day_lo = new.day_lo, day_hi = new.day_hi, lat_lo = new.lat_lo,
            lat_hi = new.lat_hi, lon_lo = new.lon_lo, lon_hi = new.lon_hi WHERE rid = new.rid;
    END""",
    """CREATE TRIGGER event_index_delete AFTER DELETE ON event_index BEGIN
        DELETE FROM event_reach WHERE rid = old.rid;
    END""",
]

_POSTGIS_REACH = [
    "CREATE EXTENSION IF NOT EXISTS postgis",
    "ALTER TABLE event_index ADD COLUMN area geometry(Polygon, 4326) GENERATED ALWAYS AS "
    "(ST_MakeEnvelope(lon_lo, lat_lo, lon_hi, lat_hi, 4326)) STORED",
    "CREATE INDEX event_index_area ON event_index USING gist (area)",
    "ALTER TABLE events ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS "
    "(CASE WHEN lat IS NULL OR lon IS NULL THEN NULL "
    "ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED",
    "CREATE INDEX events_geom ON events USING gist (geom)",
]


def _linking(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(_POSTGIS_REACH[0]))
    event_index.create(connection)
    event_history.create(connection)
    statements = _SQLITE_REACH if connection.dialect.name == "sqlite" else _POSTGIS_REACH[1:]
    for statement in statements:
        connection.execute(sa.text(statement))
    from wiredesk.store.linking import index_existing_events

    index_existing_events(connection)


# --- migration 4: text search within a country read from an index (SQLite) ---

# A text search with a country filter pages through an index in date order and tests each
# entry's evidence text; with the text (and the background flag) in the index, only the
# rows of the page are read from the table, not every row the search passes over (3-6
# table rows a match for a common word). The index is partial, and only text searches state
# its condition and name it (`wiredesk.store`): entries this wide would slow every other
# country listing. PostgreSQL caps the size of an index entry (a long evidence text would
# not fit): it has no such index.
_COUNTRY_TEXT = (
    "CREATE INDEX events_country_text ON events (country, date, id, background, search_text) "
    "WHERE search_text != ''"
)


def _country_text(connection: sa.Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.execute(sa.text(_COUNTRY_TEXT))


# --- migration 5: a batch writes its events rows last, and re-indexes only what changed ---

# A batch writes the events rows it created or changed once, at its end (`wiredesk.store.
# linking.SqlLinks`): its reports and index rows refer to events not yet written, so their
# foreign keys are checked at the commit. SQLite defers any foreign key for a transaction
# (`PRAGMA defer_foreign_keys`); PostgreSQL only those declared deferrable.
_DEFERRABLE_KEYS = """
    SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c
    WHERE c.contype = 'f' AND c.confrelid = 'events'::regclass AND NOT c.condeferrable
"""

# SQLite's update trigger re-indexed an event's text and place on every write of its row;
# these do each only when what it indexes changed (a report that adds only evidence text
# the event holds already changes neither). An event's key never changes: the text and
# place are found by the key of whichever of its ids `event_keys` holds when they run.
_SQLITE_SERVING_UPDATES = [
    "DROP TRIGGER events_serving_update",
    """CREATE TRIGGER events_key_update AFTER UPDATE OF id ON events
    WHEN new.id IS NOT old.id BEGIN
        UPDATE event_keys SET id = new.id WHERE id = old.id;
    END""",
    """CREATE TRIGGER events_place_update AFTER UPDATE ON events
    WHEN new.lat IS NOT old.lat OR new.lon IS NOT old.lon BEGIN
        DELETE FROM events_rtree
            WHERE key = (SELECT key FROM event_keys WHERE id IN (old.id, new.id));
        INSERT INTO events_rtree SELECT key, new.lon, new.lon, new.lat, new.lat FROM event_keys
            WHERE id IN (old.id, new.id) AND new.lat IS NOT NULL AND new.lon IS NOT NULL;
    END""",
    """CREATE TRIGGER events_text_update AFTER UPDATE ON events
    WHEN new.actors IS NOT old.actors OR new.search_text IS NOT old.search_text BEGIN
        INSERT INTO events_fts (events_fts, rowid, actors, search_text)
            SELECT 'delete', key, old.actors, old.search_text FROM event_keys
            WHERE id IN (old.id, new.id);
        INSERT INTO events_fts (rowid, actors, search_text)
            SELECT key, new.actors, new.search_text FROM event_keys WHERE id IN (old.id, new.id);
    END""",
]


def _written_last(connection: sa.Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_SERVING_UPDATES:
            connection.execute(sa.text(statement))
        return
    for table, constraint in connection.execute(sa.text(_DEFERRABLE_KEYS)).all():
        connection.execute(
            sa.text(f'ALTER TABLE {table} ALTER CONSTRAINT "{constraint}" DEFERRABLE')
        )


# Numbered, named, applied in order, each recorded in wiredesk_migrations. Never edit one
# that has shipped: add the next.
MIGRATIONS: list[tuple[int, str, Callable[[sa.Connection], None]]] = [
    (1, "documents, events and reports", _create(documents, events, reports)),
    (2, "serving: paging indexes, R*Tree of coordinates, trigram text index", _serving),
    (3, "linking: candidate index (R*Tree or PostGIS), components, event history", _linking),
    (4, "serving: text searches within a country read from the index", _country_text),
    (
        5,
        "writing: events rows written last in a batch, re-indexed only where changed",
        _written_last,
    ),
]
