"""The store: migrations, idempotent ingest, linking through the store, filters, atomic batches."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import wiredesk.store as store_module
from wiredesk.records import Actor, Document, Event, Evidence, Extraction, Location, Weapon
from wiredesk.store import EventFilter, Store, database_url
from wiredesk.store.schema import MIGRATIONS


def doc(
    ident: str,
    text: str = "Rockets hit the base.",
    published: date = date(2024, 1, 20),
    outlet: str = "Tigris Wire",
) -> Document:
    return Document(id=ident, text=text, outlet=outlet, published=published)


def attack(
    ident: str,
    source: str,
    *,
    rockets: int | None = 4,
    day: date = date(2024, 1, 20),
    killed: int | None = None,
) -> Event:
    return Event(
        id=ident,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        date=day,
        date_precision="day",
        location=Location(
            "Ain al-Asad Air Base",
            33.7856,
            42.4412,
            "IQ",
            "Anbar",
            precision="facility",
            text="Ain al-Asad",
        ),
        actors=[
            Actor(
                "Islamic Resistance in Iraq",
                "actor1",
                "Political militia",
                "Islamic Resistance in Iraq",
                claimed=True,
            )
        ],
        weapons=[Weapon("rocket", None, rockets, None)],
        fatalities=killed,
        evidence=[Evidence(source, 0, 7, "Rockets", "trigger")],
        sources=[source],
    )


def protest(ident: str, source: str) -> Event:
    return Event(
        id=ident,
        event_type="Protests",
        sub_event_type="Peaceful protest",
        date=date(2024, 1, 19),
        date_precision="day",
        location=Location("Basra", 30.5085, 47.7804, "IQ", "Basra", precision="town"),
        actors=[Actor("Protesters (Iraq)", "actor1", "Protesters", "protesters")],
        evidence=[Evidence(source, 0, 7, "protest", "trigger")],
        sources=[source],
    )


def test_database_url_defaults_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIREDESK_DB", raising=False)
    assert database_url(None) == "sqlite:///wiredesk.db"
    monkeypatch.setenv("WIREDESK_DB", "/tmp/other.db")
    assert database_url(None) == "sqlite:////tmp/other.db"
    assert database_url("postgresql://u@localhost/x") == "postgresql://u@localhost/x"


def test_migrations_are_recorded_and_run_once(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    first = Store.open(str(path))
    assert first.schema_versions() == [v for v, _, _ in MIGRATIONS]
    assert first.migrate() == []  # nothing left to apply
    first.close()
    again = Store.open(str(path))
    assert again.migrate() == []
    with again.engine.connect() as connection:
        mode = connection.execute(sa.text("PRAGMA journal_mode")).scalar_one()
    assert mode == "wal"
    again.close()


def _text_and_place_indexes_agree(store: Store) -> None:
    """The trigram index holds each event's text, and the R*Tree its place, as the rows do."""
    with store.engine.connect() as connection:
        connection.exec_driver_sql(
            "INSERT INTO events_fts (events_fts, rank) VALUES ('integrity-check', 1)"
        )
        places = connection.exec_driver_sql(
            "SELECT k.id, r.min_lon, r.min_lat FROM events_rtree r "
            "JOIN event_keys k ON k.key = r.key ORDER BY k.id"
        ).all()
        rows = connection.exec_driver_sql(
            "SELECT id, lon, lat FROM events WHERE lat IS NOT NULL ORDER BY id"
        ).all()
    assert [(i, round(lon, 3), round(lat, 3)) for i, lon, lat in places] == [
        (i, round(lon, 3), round(lat, 3)) for i, lon, lat in rows
    ]


def test_a_store_of_an_earlier_version_is_migrated_and_its_indexes_kept_in_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "earlier.db")
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:4])
    earlier = Store.open(path)
    earlier.add([Extraction(doc("d1"), [attack("e1", "d1")])])
    earlier.close()
    monkeypatch.undo()
    store = Store.open(path)
    assert store.schema_versions() == [v for v, _, _ in MIGRATIONS]

    def found(**kwargs: object) -> list[str]:
        return [r.id for r in store.event_rows(EventFilter(**kwargs))]  # type: ignore[arg-type]

    def text_index() -> list[Any]:
        with store.engine.connect() as connection:
            return connection.exec_driver_sql("SELECT * FROM events_fts_data").all()

    # A second report with the same evidence text: the row changes, not the text index.
    before = text_index()
    store.add([Extraction(doc("d2", "Rockets hit the base again."), [attack("e2", "d2")])])
    assert found(text="rockets") == ["e1"] and store.counts()["reports"] == 2
    assert text_index() == before
    _text_and_place_indexes_agree(store)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE events SET search_text = 'mortars', lat = 30.5, lon = 47.8 WHERE id = 'e1'"
        )
    assert found(text="mortars") == ["e1"] and found(text="rockets") == []
    assert (
        found(bbox=(47.0, 30.0, 48.0, 31.0)) == ["e1"]
        and found(bbox=(42.0, 33.0, 43.0, 34.0)) == []
    )
    renaming = sqlite3.connect(path)  # its reports still name e1: no foreign keys
    with renaming:
        renaming.execute("UPDATE events SET id = 'e1b' WHERE id = 'e1'")
    renaming.close()
    assert found(text="mortars") == ["e1b"]
    assert found(bbox=(47.0, 30.0, 48.0, 31.0)) == ["e1b"]
    _text_and_place_indexes_agree(store)
    store.close()


def test_the_same_document_twice_stores_nothing_new(store: Store) -> None:
    batch = [Extraction(doc("d1"), [attack("e1", "d1")])]
    first = store.add(batch)
    assert (first.new_documents, first.new_events) == (1, 1)
    second = store.add(batch)
    assert (second.new_documents, second.known_documents, second.new_events) == (0, 1, 0)
    assert store.counts() == {"documents": 1, "events": 1, "reports": 1}


def test_two_outlets_on_one_attack_are_one_event_with_both_sources(store: Store) -> None:
    store.add([Extraction(doc("d1"), [attack("e1", "d1", rockets=4)])])
    counts = store.add(
        [
            Extraction(
                doc("d2", "Six rockets hit the base."), [attack("e2", "d2", rockets=6, killed=0)]
            )
        ]
    )
    assert (counts.new_events, counts.linked_events) == (0, 1)
    (event,) = store.events()
    assert sorted(event.sources) == ["d1", "d2"]
    assert event.weapons[0].count == 4  # the lowest figure heads the record
    conflict = next(c for c in event.conflicts if c.field == "weapons.rocket.count")
    assert conflict.values == {"4": ["d1"], "6": ["d2"]}
    assert event.fatalities == 0


def test_filters(store: Store) -> None:
    store.add(
        [
            Extraction(doc("d1"), [attack("e1", "d1")]),
            Extraction(
                doc("d3", "Protesters marched in Basra.", date(2024, 1, 19)), [protest("e3", "d3")]
            ),
        ]
    )

    def ids(**kwargs: object) -> list[str]:
        return [e.id for e in store.events(EventFilter(**kwargs))]  # type: ignore[arg-type]

    assert ids() == ["e1", "e3"]  # newest first
    assert ids(event_type="Protests") == ["e3"]
    assert ids(event_type="Shelling/artillery/missile attack") == ["e1"]
    assert ids(since=date(2024, 1, 20)) == ["e1"]
    assert ids(until=date(2024, 1, 19)) == ["e3"]
    assert ids(country="iq") == ["e1", "e3"]
    assert ids(country="SY") == []
    assert ids(actor="resistance") == ["e1"]
    assert ids(text="protest") == ["e3"]
    assert ids(text="100%") == []
    assert store.event("e1") is not None and store.event("nope") is None


def test_a_text_search_within_a_country_tests_the_text_in_the_index(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add(
        [
            Extraction(doc("d1"), [attack("e1", "d1")]),
            Extraction(
                doc("d3", "Protesters marched in Basra.", date(2024, 1, 19)), [protest("e3", "d3")]
            ),
        ]
    )
    if store.engine.dialect.name == "sqlite":  # PostgreSQL caps an index entry's size
        with store.engine.connect() as connection:
            columns = connection.execute(sa.text("PRAGMA index_info(events_country_text)"))
            assert [row[2] for row in columns] == [
                *("country", "date", "id", "background", "search_text")
            ]
            monkeypatch.setattr(store_module, "_DRIVE_AT_MOST", 1)  # a word too common to drive
            listing = EventFilter(country="IQ", text="protest", order="desc", limit=10)
            (sql, *_), *_ = store._listing_sql(listing, store._params(listing))
            assert "INDEXED BY events_country_text" in sql
            other = EventFilter(country="IQ", order="desc", limit=10)  # no text: not that index
            (sql, *_), *_ = store._listing_sql(other, store._params(other))
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", ("IQ",))
            assert "events_country_text" not in " ".join(str(row) for row in plan)
    found = store.events(EventFilter(country="IQ", text="protest", order="desc", limit=10))
    assert [e.id for e in found] == ["e3"]


def test_a_page_read_past_its_time_is_refused_and_can_be_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_STEPS_A_CALL", 1)  # check the time at every step
    store = Store.open(str(tmp_path / "budget.db"))
    store.add(
        [
            Extraction(doc("d1"), [attack("e1", "d1")]),
            Extraction(
                doc("d3", "Protesters marched in Basra.", date(2024, 1, 19)), [protest("e3", "d3")]
            ),
        ]
    )
    page = EventFilter(order="desc", limit=10)
    everything = list(store.event_rows(page))
    assert [row.id for row in everything] == ["e1", "e3"]
    assert store.event_page(page, 10.0) == everything
    assert store.event_page(page, -1.0) is None  # no time at all: interrupted
    assert store.event_page(page, 10.0) == everything  # the connection reads on as before
    assert list(store.event_rows(page)) == everything  # and unbounded reads are not cut
    # An R*Tree lookup is counted within a bounded read: it goes a few nodes a step.
    box = EventFilter(bbox=(42.0, 33.0, 43.0, 34.0), order="desc", limit=10)
    assert [row.id for row in store.event_page(box, 10.0) or []] == ["e1"]
    # Whether the trigram index should drive a search is counted first, never within a
    # bounded read; a search it drives stays unbounded (one step can read long lists) ...
    rare = EventFilter(text="protest", order="desc", limit=10)
    assert store.event_page(rare, 10.0) is None
    assert [row.id for row in store.event_rows(rare)] == ["e3"]
    assert store.event_page(rare, 10.0) is None
    # ... and a search for words too common to drive, once counted, is bounded.
    monkeypatch.setattr(store_module, "_DRIVE_AT_MOST", 1)
    common = EventFilter(actor="protesters", order="desc", limit=10)
    assert store.event_page(common, 10.0) is None
    assert [row.id for row in store.event_rows(common)] == ["e3"]
    assert [row.id for row in store.event_page(common, 10.0) or []] == ["e3"]
    store.close()


def test_a_failing_batch_leaves_nothing_half_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add([Extraction(doc("d1"), [attack("e1", "d1")])])

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_write_events", broken)
    with pytest.raises(RuntimeError):
        store.add([Extraction(doc("d9", "Another report."), [protest("e9", "d9")])])
    assert store.counts() == {"documents": 1, "events": 1, "reports": 1}
    assert store.document("d9") is None


def test_documents_round_trip(store: Store) -> None:
    original = doc("d1", "Text with “quotes” and ünïcode.")
    store.add([Extraction(original, [])])
    loaded = store.document("d1")
    assert loaded is not None
    assert (loaded.text, loaded.outlet, loaded.published) == (
        original.text,
        original.outlet,
        original.published,
    )


def test_link_statements_run_on_the_driver_give_what_sqlalchemy_gives(store: Store) -> None:
    from wiredesk.store.linking import _COMPONENT_SIZE, _REPORTS_OF_EVENTS, _UPDATE_INDEX

    store.add([Extraction(doc("d1"), [attack("e1", "d1")])])
    store.add([Extraction(doc("d2", published=date(2024, 2, 20)), [protest("e2", "d2")])])
    run = store._links.run
    with store.engine.begin() as connection:
        for keys in (["e1"], ["e1", "e2"], ["e2", "none"], []):
            params = {"keys": keys}
            rows = sorted(tuple(r) for r in run(connection, _REPORTS_OF_EVENTS, params))
            expected = sorted(tuple(r) for r in connection.execute(_REPORTS_OF_EVENTS, params))
            assert rows == expected
            size = run(connection, _COMPONENT_SIZE, params).fetchone()[0]
            assert size == connection.execute(_COMPONENT_SIZE, params).scalar_one()
        assert len(sorted(run(connection, _REPORTS_OF_EVENTS, {"keys": ["e1", "e2"]}))) == 2
        row = {"event_id": "e1", "family": "violence", "component": "e1", "day_lo": 1,
               "day_hi": 2, "lat_lo": 0.0, "lat_hi": 1.0, "lon_lo": 0.0, "lon_hi": 1.0}  # fmt: skip
        assert run(connection, _UPDATE_INDEX, {**row, "key": "e1"}).rowcount == 1
        assert run(connection, _UPDATE_INDEX, {**row, "key": "missing"}).rowcount == 0
        connection.rollback()
    assert run.direct == (store.engine.dialect.name == "sqlite")
