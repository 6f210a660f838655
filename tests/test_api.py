"""The HTTP API: filters, paging, formats, auth, validation, limits, local docs, CSP.

The store is built from hand-made documents and events (no model load); one test runs the
real pipeline through POST /documents.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import re
import sys
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from wiredesk.records import (
    Actor,
    Claim,
    Document,
    Event,
    Evidence,
    Extraction,
    Location,
    Weapon,
    event_to_json,
)
from wiredesk.serve.acled import ACLED_COLUMNS
from wiredesk.serve.api import Settings, app_from_env, create_app, find_assets
from wiredesk.store import EventFilter, Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about its httpx-based client
    from fastapi.testclient import TestClient

TOKEN = "write-secret-for-tests"
READ_TOKEN = "read-secret-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# --- a small store, written by hand: six reports of five events ---

TEXTS = {
    "d-rockets": (
        "Four rockets hit Ain al-Asad air base in Anbar on Saturday, officials said. "
        "The Islamic Resistance in Iraq claimed the attack in a statement."
    ),
    "d-rockets-2": (
        "Six rockets struck Ain al-Asad air base on Saturday and two contractors were killed, "
        "a security source told reporters."
    ),
    "d-teachers": (
        "Hundreds of teachers rallied outside the governorate building in Basra on Tuesday, "
        "demanding wages unpaid since January."
    ),
    "d-bus": (
        "Gunmen abducted twelve passengers from a bus near Gao on Saturday, a local official said. "
        "Earlier, in December, rioters had burned tyres in Mosul."
    ),
    "d-accord": "The two factions signed an accord, their spokesmen said, without giving a date.",
    "d-fiji": "Police fired tear gas at stone-throwing youths in Suva on Friday, witnesses said.",
}
OUTLETS = {
    "d-rockets": ("Tigris Test Wire", date(2024, 3, 2)),
    "d-rockets-2": ("Test Courier", date(2024, 3, 3)),
    "d-teachers": ("Basra Test Herald", date(2024, 3, 5)),
    "d-bus": ("Sahel Test Monitor", date(2024, 2, 11)),
    "d-accord": ("Test Gazette", None),
    "d-fiji": ("Pacific Test News", date(2024, 1, 13)),
}


def _span(doc: str, words: str, field: str) -> Evidence:
    start = TEXTS[doc].index(words)
    return Evidence(doc, start, start + len(words), words, field)


def _claim(doc: str, words: str, by: str, kind: Any = "report") -> Claim:
    start = TEXTS[doc].index(words)
    return Claim(by, kind, words, start, start + len(words), doc)


AIN_AL_ASAD = Location(
    "Ain al-Asad Air Base", 33.7856, 42.4412, "IQ", "Anbar", None, None, "facility", "Ain al-Asad"
)


def _events() -> dict[str, list[Event]]:
    rockets = dict(
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        date=date(2024, 3, 2),
        date_precision="day",
        date_text="Saturday",
        location=AIN_AL_ASAD,
    )
    return {
        "d-rockets": [
            Event(
                id="ev-rockets",
                **rockets,  # type: ignore[arg-type]
                actors=[
                    Actor(
                        "Islamic Resistance in Iraq",
                        "actor1",
                        "Political militia",
                        "Islamic Resistance in Iraq",
                        claimed=True,
                    ),
                ],
                weapons=[Weapon("rocket", None, 4, None)],
                fatalities=0,
                claims=[
                    _claim(
                        "d-rockets",
                        "The Islamic Resistance in Iraq claimed the attack",
                        "Islamic Resistance in Iraq",
                        "responsibility",
                    ),
                ],
                evidence=[
                    _span("d-rockets", "rockets", "trigger"),
                    _span("d-rockets", "Ain al-Asad", "location"),
                ],
                sources=["d-rockets"],
            )
        ],
        "d-rockets-2": [
            Event(
                id="ev-rockets-2",
                **rockets,  # type: ignore[arg-type]
                weapons=[Weapon("rocket", None, 6, None)],
                fatalities=2,
                claims=[
                    _claim(
                        "d-rockets-2",
                        "two contractors were killed",
                        "a security source",
                        "casualty_figure",
                    )
                ],
                evidence=[_span("d-rockets-2", "rockets", "trigger")],
                sources=["d-rockets-2"],
            )
        ],
        "d-teachers": [
            Event(
                id="ev-teachers",
                event_type="Protests",
                sub_event_type="Peaceful protest",
                date=date(2024, 3, 5),
                date_precision="day",
                location=Location("Basra", 30.5085, 47.7804, "IQ", "Basra", precision="town"),
                actors=[Actor("Protesters (Iraq)", "actor1", "Protesters", "teachers")],
                evidence=[_span("d-teachers", "rallied", "trigger")],
                sources=["d-teachers"],
            )
        ],
        "d-bus": [
            Event(
                id="ev-bus",
                event_type="Violence against civilians",
                sub_event_type="Abduction/forced disappearance",
                date=date(2024, 2, 10),
                date_precision="day",
                location=Location("Gao", 16.2666, -0.0400, "ML", "Gao", precision="town"),
                actors=[
                    Actor(
                        "Unidentified Armed Group (Mali)", "actor1", "Political militia", "Gunmen"
                    ),
                    Actor("Civilians (Mali)", "actor2", "Civilians", "passengers"),
                ],
                evidence=[_span("d-bus", "abducted", "trigger")],
                sources=["d-bus"],
            ),
            Event(
                id="ev-riot",
                event_type="Riots",
                sub_event_type="Violent demonstration",
                date=date(2023, 12, 1),
                date_precision="month",
                location=Location("Mosul", 36.335, 43.1189, "IQ", "Nineveh", precision="town"),
                background=True,
                evidence=[_span("d-bus", "rioters had burned tyres", "trigger")],
                sources=["d-bus"],
            ),
        ],
        "d-accord": [
            Event(
                id="ev-accord",
                event_type="Strategic developments",
                sub_event_type="Agreement",
                evidence=[_span("d-accord", "signed an accord", "trigger")],
                claims=[_claim("d-accord", "The two factions signed an accord", "their spokesmen")],
                sources=["d-accord"],
            )
        ],
        "d-fiji": [
            Event(
                id="ev-fiji",
                event_type="Riots",
                sub_event_type="Mob violence",
                date=date(2024, 1, 12),
                date_precision="day",
                location=Location("Suva", -18.1416, 178.4415, "FJ", "Central", precision="town"),
                evidence=[_span("d-fiji", "stone-throwing youths", "trigger")],
                sources=["d-fiji"],
            )
        ],
    }


def fill(store: Store) -> Store:
    """Store the hand-made reports, one batch each (the second rockets report links)."""
    for doc_id, events in _events().items():
        outlet, published = OUTLETS[doc_id]
        doc = Document(
            doc_id,
            TEXTS[doc_id],
            title=f"Report {doc_id}",
            outlet=outlet,
            published=published,
            url=f"https://news.example.test/{doc_id}",
        )
        store.add([Extraction(doc, events)])
    return store


@pytest.fixture
def filled(store: Store) -> Store:
    return fill(store)


@pytest.fixture
def client(filled: Store) -> Iterator[TestClient]:
    with TestClient(create_app(filled, Settings(write_token=TOKEN))) as test_client:
        yield test_client


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["events"]]


def all_ids(store: Store, **where: Any) -> set[str]:
    return {e.id for e in store.events(EventFilter(**where))}


# --- listing and filters ---


def test_events_are_the_contract_record_newest_first_undated_last(
    client: TestClient, filled: Store
) -> None:
    body = client.get("/events").json()
    assert body["schema_version"] == 1
    assert body["next_cursor"] is None
    dates = [e["date"] for e in body["events"]]
    assert dates[-1] is None  # the undated accord comes last
    assert dates[:-1] == sorted(dates[:-1], reverse=True)
    assert body["count"] == len(body["events"]) == len(all_ids(filled))
    for record in body["events"]:
        stored = filled.event(record["id"])
        assert stored is not None
        assert record == event_to_json(stored)


def test_linked_reports_are_one_event_with_both_sources(client: TestClient) -> None:
    rockets = [e for e in client.get("/events").json()["events"] if "d-rockets" in e["sources"]]
    assert len(rockets) == 1
    assert sorted(rockets[0]["sources"]) == ["d-rockets", "d-rockets-2"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"since": "2024-03-01"}, lambda e: e.date is not None and e.date >= date(2024, 3, 1)),
        ({"until": "2024-02-10"}, lambda e: e.date is not None and e.date <= date(2024, 2, 10)),
        ({"country": "ml"}, lambda e: e.location.country == "ML"),
        ({"admin1": "Basra"}, lambda e: e.location.admin1 == "Basra"),
        ({"type": "Riots"}, lambda e: e.event_type == "Riots"),
        ({"sub_type": "Peaceful protest"}, lambda e: e.sub_event_type == "Peaceful protest"),
        ({"actor": "islamic resist"}, lambda e: any("Islamic" in a.name for a in e.actors)),
        ({"q": "TEAR GAS"}, lambda e: False),  # in the text, not in evidence or claims
        ({"q": "stone-throwing"}, lambda e: e.id == "ev-fiji"),
        ({"q": "contractors were"}, lambda e: "d-rockets-2" in e.sources),
        ({"background": "false"}, lambda e: not e.background),
        ({"conflicts": "true"}, lambda e: bool(e.conflicts)),
        ({"bbox": "38,29,49,38"}, lambda e: e.location.country == "IQ"),
    ],
)
def test_each_filter_selects_what_it_names(
    client: TestClient, filled: Store, params: dict[str, str], expected: Any
) -> None:
    found = set(ids(client.get("/events", params=params)))
    assert found == {e.id for e in filled.events() if expected(e)}
    assert found or params == {"q": "TEAR GAS"}, f"the fixture should have events for {params}"


def test_filters_combine_and_types_repeat(client: TestClient) -> None:
    both = ids(client.get("/events", params=[("type", "Riots"), ("type", "Protests")]))
    assert set(both) == {"ev-riot", "ev-fiji", "ev-teachers"}
    narrowed = ids(client.get("/events", params=[("type", "Riots"), ("country", "IQ")]))
    assert narrowed == ["ev-riot"]


def test_a_box_across_the_antimeridian(client: TestClient) -> None:
    assert ids(client.get("/events", params={"bbox": "170,-25,-170,-10"})) == ["ev-fiji"]
    assert "ev-fiji" not in ids(client.get("/events", params={"bbox": "-10,-25,10,-10"}))


# --- paging ---


@pytest.mark.parametrize("sort", ["-date", "date"])
def test_cursor_paging_visits_every_event_once(
    client: TestClient, filled: Store, sort: str
) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2, "sort": sort}
    for _ in range(20):
        response = client.get("/events", params=params)
        page = response.json()
        seen += [e["id"] for e in page["events"]]
        if page["next_cursor"] is None:
            assert "link" not in response.headers
            break
        assert 'rel="next"' in response.headers["link"]
        assert response.headers["x-next-cursor"] == page["next_cursor"]
        params["cursor"] = page["next_cursor"]
    assert len(seen) == len(set(seen)) == len(all_ids(filled))
    whole = ids(client.get("/events", params={"sort": sort, "limit": 500}))
    assert seen == whole


def test_sort_ascending_puts_undated_first(client: TestClient) -> None:
    events = client.get("/events", params={"sort": "date"}).json()["events"]
    assert events[0]["date"] is None
    dated = [e["date"] for e in events[1:]]
    assert dated == sorted(dated)


def test_cursor_paging_keeps_the_filters(client: TestClient) -> None:
    first = client.get("/events", params={"country": "IQ", "limit": 1}).json()
    rest = client.get(
        "/events", params={"country": "IQ", "limit": 10, "cursor": first["next_cursor"]}
    ).json()
    found = [e["id"] for e in first["events"] + rest["events"]]
    assert set(found) == {"ev-rockets", "ev-teachers", "ev-riot"}


def test_a_page_too_long_for_the_event_loop_is_read_in_a_thread_with_the_same_result(
    client: TestClient, filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries: list[dict[str, Any]] = [
        {},
        {"country": "IQ", "limit": 1},
        {"q": "rockets"},
        {"actor": "resistance", "sort": "date"},
        {"bbox": "38.8,29.0,48.6,37.4", "since": "2024-01-01"},
    ]
    on_the_loop = [client.get("/events", params=query).json() for query in queries]
    monkeypatch.setattr(filled, "event_page", lambda where, seconds: None)  # none fits
    in_a_thread = [client.get("/events", params=query).json() for query in queries]
    assert in_a_thread == on_the_loop
    assert [page["count"] for page in on_the_loop] == [6, 1, 1, 1, 2]


def test_a_running_server_leaves_its_startup_objects_to_no_collection(filled: Store) -> None:
    gc.unfreeze()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # Python's default (an earlier started app lowered it)
    try:
        with TestClient(create_app(filled, Settings())) as started:
            assert started.get("/health").status_code == 200
            assert gc.get_freeze_count() > 0
            assert sys.getswitchinterval() < 0.005  # threads get the GIL back sooner
    finally:
        gc.unfreeze()
        sys.setswitchinterval(interval)


def test_server_processes_take_connections_one_at_a_time(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("UV_TCP_SINGLE_ACCEPT", raising=False)
    monkeypatch.setenv("WIREDESK_DB", filled.url)
    app_from_env()
    assert os.environ["UV_TCP_SINGLE_ACCEPT"] == "1"
    monkeypatch.setenv("UV_TCP_SINGLE_ACCEPT", "0")  # an operator's own choice stands
    app_from_env()
    assert os.environ["UV_TCP_SINGLE_ACCEPT"] == "0"


# --- formats ---


def test_geojson_is_a_feature_collection_of_points(client: TestClient, filled: Store) -> None:
    response = client.get("/events", params={"format": "geojson"})
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    located = {e.id: e for e in filled.events() if e.location.lat is not None}
    assert {f["id"] for f in collection["features"]} == set(located)
    assert collection["properties"]["without_coordinates"] == 1  # the accord
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        event = located[feature["id"]]
        assert feature["geometry"]["coordinates"] == [event.location.lon, event.location.lat]
        assert feature["properties"] == event_to_json(event)


def test_format_follows_the_accept_header(client: TestClient) -> None:
    geo = client.get("/events", headers={"Accept": "application/geo+json"})
    assert geo.json()["type"] == "FeatureCollection"
    table = client.get("/events", headers={"Accept": "text/csv"})
    assert table.headers["content-type"].startswith("text/csv")
    plain = client.get("/events", headers={"Accept": "text/html,*/*"})
    assert "events" in plain.json()
    assert client.get("/events", params={"format": "xml"}).status_code == 422


def test_acled_csv_has_acleds_columns_in_order(client: TestClient) -> None:
    response = client.get("/events", params={"format": "acled-csv", "country": "IQ"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert rows[0][:3] == ["event_id_cnty", "event_date", "year"]
    assert rows[0][-1] == "timestamp"
    records = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(records) == {"ev-rockets", "ev-teachers", "ev-riot"}
    rockets = records["ev-rockets"]
    assert rockets["event_date"] == "2024-03-02"
    assert rockets["year"] == "2024"
    assert rockets["time_precision"] == "1"
    assert rockets["event_type"] == "Explosions/Remote violence"
    assert rockets["iso"] == "368"
    assert rockets["country"] == "Iraq"
    assert rockets["admin1"] == "Anbar"
    assert (rockets["latitude"], rockets["longitude"]) == ("33.7856", "42.4412")
    assert rockets["actor1"] == "Islamic Resistance in Iraq"
    assert set(rockets["source"].split("; ")) == {"Tigris Test Wire", "Test Courier"}
    for lacking in ("region", "admin3", "source_scale", "tags", "timestamp", "civilian_targeting"):
        assert rockets[lacking] == "", lacking  # not invented
    assert records["ev-riot"]["time_precision"] == "3"  # a month


# --- one event, one document, stats ---


def test_one_event_has_claims_sources_evidence_and_history(client: TestClient) -> None:
    record = client.get("/events/ev-rockets").json()
    assert record["id"] == "ev-rockets"
    assert {c["kind"] for c in record["claims"]} == {"responsibility", "casualty_figure"}
    documents = {d["id"]: d for d in record["documents"]}
    assert documents["d-rockets"]["outlet"] == "Tigris Test Wire"
    assert documents["d-rockets"]["published"] == "2024-03-02"
    assert documents["d-rockets-2"]["title"] == "Report d-rockets-2"
    for span in record["evidence"]:
        assert TEXTS[span["document"]][span["start"] : span["end"]] == span["text"]
    assert {h["document"] for h in record["history"]} == {"d-rockets", "d-rockets-2"}
    assert {r["document"] for r in record["reports"]} == {"d-rockets", "d-rockets-2"}
    assert record["conflicts"], "four rockets against six, none killed against two"
    assert client.get("/events/ev-rock").json()["id"] == "ev-rockets"  # a unique prefix
    feature = client.get("/events/ev-accord", params={"format": "geojson"}).json()
    assert feature["type"] == "Feature" and feature["geometry"] is None


def test_unknown_ids_are_json_404s(client: TestClient) -> None:
    for path in ("/events/nothing-here", "/documents/nothing-here", "/no-such-route"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["status"] == 404


def test_a_document_comes_with_its_text_and_events(client: TestClient) -> None:
    doc = client.get("/documents/d-bus").json()
    assert doc["text"] == TEXTS["d-bus"]
    assert doc["outlet"] == "Sahel Test Monitor"
    assert {e["id"] for e in doc["events"]} == {"ev-bus", "ev-riot"}


def test_stats_count_by_type_country_and_iso_week(client: TestClient) -> None:
    stats = client.get("/stats").json()
    assert stats["total"] == 6
    assert stats["by_type"]["Riots"] == 2
    assert stats["by_country"] == {"": 1, "FJ": 1, "IQ": 3, "ML": 1}
    assert stats["by_week"]["2024-W09"] == 1  # Saturday 2 March 2024
    assert stats["by_week"]["2024-W10"] == 1  # Tuesday 5 March 2024
    assert stats["by_week"]["unknown"] == 1
    iraq = client.get("/stats", params={"country": "IQ", "background": "false"}).json()
    assert iraq["total"] == 2


# --- writes and who may make them ---


def _stub_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    import wiredesk.pipeline

    def process(doc: Document) -> Extraction:
        start = doc.text.index("blast")
        event = Event(
            id=f"ev-{doc.id}",
            event_type="Explosions/Remote violence",
            sub_event_type="Remote explosive/landmine/IED",
            date=doc.published,
            date_precision="day",
            location=Location("Kirkuk", 35.4681, 44.3922, "IQ", "Kirkuk", precision="town"),
            evidence=[Evidence(doc.id, start, start + 5, "blast", "trigger")],
            sources=[doc.id],
        )
        return Extraction(doc, [event])

    monkeypatch.setattr(wiredesk.pipeline, "process", process)


def test_posting_needs_the_right_token(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    _stub_pipeline(monkeypatch)
    doc = {"text": "A roadside blast hit a convoy near Kirkuk.", "published": "2024-03-07"}
    missing = client.post("/documents", json=doc)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = client.post("/documents", json=doc, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "unauthorized"
    right = client.post("/documents", json=doc, headers=AUTH)
    assert right.status_code == 201, right.text
    stored = right.json()
    assert stored["new_documents"] == 1
    [entry] = stored["documents"]
    assert entry["new"] is True and entry["events"] == [f"ev-{entry['id']}"]
    assert client.get(f"/documents/{entry['id']}").json()["published"] == "2024-03-07"
    again = client.post("/documents", json=[doc], headers=AUTH).json()
    assert again["documents"][0]["new"] is False and again["new_documents"] == 0


def test_posting_is_refused_without_a_configured_token(filled: Store) -> None:
    with TestClient(create_app(filled, Settings())) as no_writes:
        response = no_writes.post("/documents", json={"text": "x"}, headers=AUTH)
    assert response.status_code == 403
    assert "WIREDESK_TOKEN" in response.json()["error"]["message"]


def test_settings_come_from_the_environment() -> None:
    settings = Settings.from_env({"WIREDESK_TOKEN": "w", "WIREDESK_READ_TOKEN": "r"})
    assert (settings.write_token, settings.read_token) == ("w", "r")
    assert Settings.from_env({"WIREDESK_TOKEN": ""}).write_token is None


def test_reads_can_be_closed_with_a_read_token(filled: Store) -> None:
    settings = Settings(write_token=TOKEN, read_token=READ_TOKEN)
    with TestClient(create_app(filled, settings)) as closed:
        assert closed.get("/events").status_code == 401
        assert closed.get("/events/ev-fiji").status_code == 401
        assert closed.get("/stats", headers={"Authorization": "Bearer wrong"}).status_code == 401
        reader = {"Authorization": f"Bearer {READ_TOKEN}"}
        assert closed.get("/events", headers=reader).status_code == 200
        assert closed.get("/documents/d-fiji", headers=reader).status_code == 200
        assert closed.get("/events", headers=AUTH).status_code == 200  # the writer may read
        assert closed.post("/documents", json={"text": "x"}, headers=reader).status_code == 401


@pytest.mark.slow
def test_a_posted_report_goes_through_the_real_pipeline(client: TestClient) -> None:
    text = (
        "A car bomb exploded near a market in Mosul on Monday, killing at least four people "
        "and wounding 11, police said."
    )
    response = client.post(
        "/documents",
        json={"text": text, "outlet": "Test Wire", "published": "2025-03-05"},
        headers=AUTH,
    )
    assert response.status_code == 201, response.text
    [entry] = response.json()["documents"]
    assert entry["events"], "the pipeline should find the bombing"
    record = client.get(f"/events/{entry['events'][0]}").json()
    assert record["event_type"] == "Explosions/Remote violence"
    assert entry["id"] in record["sources"]


# --- validation and limits ---


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"since": "2024-13-01"}, "since"),
        ({"since": "2024-03-05", "until": "2024-03-01"}, "since is after until"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "1,95,3,96"}, "latitudes"),
        ({"type": "Skirmish"}, "unknown event type"),
        ({"sub_type": "Skirmish"}, "unknown sub-event type"),
        ({"country": "IRQ"}, "country"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"sort": "fatalities"}, "sort"),
    ],
)
def test_bad_parameters_are_clear_422s(
    client: TestClient, params: dict[str, str], needle: str
) -> None:
    response = client.get("/events", params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["status"] == 422
    assert needle in error["message"]


def test_a_cursor_is_tied_to_its_sort_order(client: TestClient) -> None:
    cursor = client.get("/events", params={"limit": 1}).json()["next_cursor"]
    response = client.get("/events", params={"limit": 1, "cursor": cursor, "sort": "date"})
    assert response.status_code == 422
    assert "sort order" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"{not json", "not JSON"),
        (b'{"txt": "a report"}', "text"),
        (b'{"text": "   "}', "blank"),
        (b'{"text": "a report", "published": "yesterday"}', "published"),
        (b"[]", "no documents"),
        (b'[{"text": "one"}, {"text": 2}]', "documents[1].text"),
    ],
)
def test_bad_documents_are_clear_422s(client: TestClient, body: bytes, needle: str) -> None:
    response = client.post(
        "/documents", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert needle in response.json()["error"]["message"]


def test_a_batch_is_capped(filled: Store) -> None:
    with TestClient(create_app(filled, Settings(write_token=TOKEN, max_batch=2))) as small:
        response = small.post("/documents", json=[{"text": "a"}] * 3, headers=AUTH)
    assert response.status_code == 422
    assert "at most 2" in response.json()["error"]["message"]


def test_bodies_over_the_limit_are_refused(filled: Store) -> None:
    with TestClient(create_app(filled, Settings(write_token=TOKEN, max_body=1000))) as small:
        declared = small.post("/documents", content=b"x" * 2000, headers=AUTH)
        assert declared.status_code == 413
        assert declared.json()["error"]["code"] == "body_too_large"

        def chunks() -> Iterator[bytes]:
            for _ in range(4):
                yield b"y" * 400

        streamed = small.post("/documents", content=chunks(), headers=AUTH)
        assert streamed.status_code == 413
        assert "content-security-policy" in streamed.headers


# --- the docs, the page and the headers ---

EXTERNAL = re.compile(r"(https?:)?//[^\s\"'<>]+", re.IGNORECASE)


def _references(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html, re.IGNORECASE)


def test_docs_are_served_from_this_app_only(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    page = response.text
    assert not EXTERNAL.findall(page), EXTERNAL.findall(page)
    assert "<script>" not in page.replace(" ", "")  # no inline script: all from files
    if find_assets(Settings()) is None:
        assert "npm ci" in page
        return
    references = _references(page)
    assert any(r.endswith("swagger-ui-bundle.js") for r in references)
    for reference in references:
        if reference.startswith("data:"):
            continue
        assert client.get("/" + reference).status_code == 200, reference
    script = client.get("/static/docs.js").text
    assert "openapi.json" in script and not EXTERNAL.findall(script.replace("://", ""))
    schema = client.get("/openapi.json").json()
    assert {"/events", "/events/{event_id}", "/documents", "/stats", "/export"} <= set(
        schema["paths"]
    )


def test_every_response_carries_a_strict_content_security_policy(client: TestClient) -> None:
    for path in ("/", "/docs", "/events", "/static/app.js", "/events/nothing"):
        policy = client.get(path).headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert "unsafe-inline" not in policy
        assert directives["connect-src"] == "'self'"


def test_the_page_is_served_with_local_scripts_only(client: TestClient) -> None:
    if find_assets(Settings()) is None:
        pytest.skip("the front-end packages are not installed (npm ci)")
    page = client.get("/").text
    assert "<script>" not in page.replace(" ", "")
    assert not EXTERNAL.findall(page)
    for reference in _references(page):
        if not reference.startswith("data:"):
            assert client.get("/" + reference).status_code == 200, reference
    atlas = client.get("/vendor/world-atlas/countries-50m.json")
    assert atlas.json()["type"] == "Topology"


def test_without_the_front_end_packages_the_page_says_how_to_install(
    filled: Store, tmp_path: Path
) -> None:
    settings = Settings(assets=tmp_path / "node_modules")
    with TestClient(create_app(filled, settings)) as bare:
        page = bare.get("/")
        assert page.status_code == 200
        assert "npm ci" in page.text
        assert bare.get("/events").status_code == 200  # the API still works
        assert bare.get("/vendor/leaflet/leaflet.js").status_code == 404


def test_export_streams_a_whole_filtered_file(client: TestClient) -> None:
    response = client.get("/export", params={"format": "jsonl", "country": "IQ"})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.splitlines()
    assert len(lines) == 3
    parquet = client.get("/export", params={"format": "parquet"})
    assert parquet.content[:4] == b"PAR1" and parquet.content[-4:] == b"PAR1"


def test_the_server_factory_reads_the_environment(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiredesk.serve.api import app_from_env

    monkeypatch.setenv("WIREDESK_DB", filled.url)
    monkeypatch.setenv("WIREDESK_READ_TOKEN", READ_TOKEN)
    monkeypatch.delenv("WIREDESK_TOKEN", raising=False)
    with TestClient(app_from_env()) as from_env:
        assert from_env.get("/events").status_code == 401
        reader = {"Authorization": f"Bearer {READ_TOKEN}"}
        assert from_env.get("/stats", headers=reader).json()["total"] == 6
        assert from_env.post("/documents", json={"text": "x"}, headers=reader).status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "38,29,49,38"},
        {"bbox": "170,-25,-170,-10"},
        {"q": "rockets"},
        {"actor": "civilians"},
    ],
)
def test_index_narrowing_never_changes_the_answer(
    client: TestClient, filled: Store, monkeypatch: pytest.MonkeyPatch, params: dict[str, str]
) -> None:
    import wiredesk.store

    narrowed = ids(client.get("/events", params=params))
    monkeypatch.setattr(wiredesk.store, "_DRIVE_AT_MOST", 0)  # as when the index finds many
    fresh = Store(filled.url)  # a store that has not yet probed the index
    with TestClient(create_app(fresh)) as unnarrowed:
        assert ids(unnarrowed.get("/events", params=params)) == narrowed
    assert narrowed


@pytest.mark.parametrize("drive_at_most", [5000, 0])
def test_a_remembered_index_probe_never_hides_a_new_event(
    filled: Store, monkeypatch: pytest.MonkeyPatch, drive_at_most: int
) -> None:
    import wiredesk.store

    monkeypatch.setattr(wiredesk.store, "_DRIVE_AT_MOST", drive_at_most)
    with TestClient(create_app(filled)) as client:
        before = ids(client.get("/events", params={"q": "rockets"}))
        text = "Two rockets hit a depot near Gao on Sunday, residents said."
        event = Event(
            id="ev-depot",
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            date=date(2024, 3, 10),
            date_precision="day",
            location=Location("Gao", 16.27, -0.04, "ML", "Gao", precision="town"),
            evidence=[Evidence("d-depot", 4, 15, "rockets hit", "trigger")],
            sources=["d-depot"],
        )
        filled.add([Extraction(Document("d-depot", text, outlet="Test Wire"), [event])])
        after = ids(client.get("/events", params={"q": "rockets"}))
    assert "ev-depot" not in before
    assert set(after) == set(before) | {"ev-depot"}


def test_the_schema_lists_every_query_parameter(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    filters = {"since", "until", "bbox", "country", "admin1", "type", "sub_type", "actor", "q"}
    filters |= {"conflicts", "background"}
    for path in ("/events", "/stats", "/export"):
        named = {p["name"]: p for p in paths[path]["get"]["parameters"] if p["in"] == "query"}
        assert filters <= set(named), path
        assert named["type"]["schema"]["type"] == "array", "type repeats"
    listing = {p["name"]: p for p in paths["/events"]["get"]["parameters"]}
    assert {"sort", "limit", "cursor", "format"} <= set(listing)
    assert listing["limit"]["schema"]["maximum"] == Settings().max_limit


def test_a_server_reads_its_store_through_a_memory_map(tmp_path: Path) -> None:
    import sqlalchemy as sa

    def mapped_bytes(store: Store) -> int:
        with store.engine.connect() as connection:
            return int(connection.execute(sa.text("PRAGMA mmap_size")).scalar_one())

    path = str(tmp_path / "mapped.db")
    served, scanned = Store.open(path, map_reads=True), Store.open(path)
    assert mapped_bytes(served) > 0
    assert mapped_bytes(scanned) == 0  # an export's scan keeps the plain page cache


def _listening_sockets(port: int) -> int:
    """How many sockets listen on `port` on this machine (Linux's socket tables)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            count += state == "0A" and int(local.rsplit(":", 1)[1], 16) == port
    return count


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket tables")
def test_server_processes_each_listen_on_the_port_and_stop_together(tmp_path: Path) -> None:
    import signal
    import socket
    import subprocess
    import time

    import httpx

    db = tmp_path / "served.db"
    Store.open(str(db)).close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "wiredesk", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen([*command, "--workers", "2"], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _listening_sockets(port) < 2:
            time.sleep(0.2)
        # a socket each: the kernel spreads connections over the processes, not a race
        assert _listening_sockets(port) == 2
        for _ in range(10):  # each on a new connection
            assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) >= 2
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    assert _listening_sockets(port) == 0
    deadline = time.monotonic() + 10  # helpers of the processes see their parent gone
    while time.monotonic() < deadline and any(Path(f"/proc/{c}").exists() for c in children):
        time.sleep(0.1)
    assert not any(Path(f"/proc/{child}").exists() for child in children)

    # A port another program holds is a one-line error.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = [*command[:-1], str(taken.getsockname()[1]), "--workers", "2"]
        refused = subprocess.run(busy, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    assert refused.stderr.strip().splitlines()[-1].startswith("wiredesk: error: cannot listen on")
