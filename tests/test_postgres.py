"""The store on PostgreSQL + PostGIS: the same migrations, the spatial index, and every store
test of test_store.py run again against a real server (tests/pg.py starts one)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

import test_store
from pg import PostgresServer
from wiredesk.store import Store
from wiredesk.store.schema import MIGRATIONS

# Every test of test_store.py that takes the `store` fixture runs here too, on PostgreSQL.
for _name, _test in vars(test_store).items():
    if _name.startswith("test_") and "store" in inspect.signature(_test).parameters:
        globals()[_name] = _test


@pytest.fixture
def store(pg_store: Store) -> Iterator[Store]:
    yield pg_store


def test_the_same_migrations_build_the_schema_with_postgis(postgres_server: PostgresServer) -> None:
    url = postgres_server.new_database()
    first = Store.open(url)
    assert first.engine.dialect.name == "postgresql"
    assert first.schema_versions() == [v for v, _, _ in MIGRATIONS]
    assert first.migrate() == []
    first.close()
    again = Store.open(url)
    assert again.migrate() == []
    with again.engine.connect() as connection:
        columns = {
            (r[0], r[1]): r[2]
            for r in connection.execute(
                sa.text("SELECT f_table_name, f_geometry_column, type FROM geometry_columns")
            )
        }
        indexes = {
            r[0]: r[1]
            for r in connection.execute(
                sa.text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
            )
        }
        # a batch writes its events last: what refers to them is checked at the commit
        deferrable = connection.execute(
            sa.text(
                "SELECT conrelid::regclass::text, condeferrable FROM pg_constraint "
                "WHERE contype = 'f' AND confrelid = 'events'::regclass"
            )
        ).all()
    again.close()
    assert sorted(deferrable) == [("event_index", True), ("reports", True)]
    assert columns[("event_index", "area")] == "POLYGON"
    assert columns[("events", "geom")] == "POINT"
    assert "USING gist (area)" in indexes["event_index_area"]
    assert "USING gist (geom)" in indexes["events_geom"]


def test_a_bad_server_url_is_a_store_error() -> None:
    from wiredesk.store import StoreError

    with pytest.raises(StoreError):
        Store.open("postgresql://nobody@127.0.0.1:1/none")
