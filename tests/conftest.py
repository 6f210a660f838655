"""Shared fixtures: the sibling `shared/` folder (when present) and small stores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pg import PostgresServer
from wiredesk.store import Store

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    """`../shared` beside the checkout, or $WIREDESK_SHARED; None when absent."""
    candidate = Path(os.environ.get("WIREDESK_SHARED") or REPO.parent / "shared")
    return candidate if candidate.is_dir() else None


@pytest.fixture
def shared() -> Path:
    found = shared_dir()
    if found is None:
        pytest.skip("the shared data folder (../shared or $WIREDESK_SHARED) is not here")
    return found


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(str(tmp_path / "test.db"))
    yield opened
    opened.close()


# --- PostgreSQL + PostGIS: one throwaway server a session, one database a test (tests/pg.py) ---

PG_INSTALL = "apt-get install -y postgresql-15 postgresql-15-postgis-3"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    reason = PostgresServer.unavailable()
    if reason is not None:
        pytest.skip(f"PostgreSQL tests skipped: {reason} ({PG_INSTALL})")
    server = PostgresServer.start()
    yield server
    server.stop()


@pytest.fixture
def pg_store(postgres_server: PostgresServer) -> Iterator[Store]:
    opened = Store.open(postgres_server.new_database())
    yield opened
    opened.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh store on each backend: SQLite in a temporary file, PostgreSQL + PostGIS."""
    if request.param == "postgresql":
        yield request.getfixturevalue("pg_store")
        return
    opened = Store.open(str(tmp_path / "any.db"))
    yield opened
    opened.close()
