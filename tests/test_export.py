"""Exports: every format, filters, Parquet read back by pyarrow, and streaming in batches."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from test_api import fill
from wiredesk.records import event_to_json
from wiredesk.serve import export as exports
from wiredesk.serve.acled import ACLED_COLUMNS
from wiredesk.serve.cli import app
from wiredesk.store import EventFilter, Store, StoredEvent

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture
def filled(store: Store) -> Store:
    return fill(store)


def run(store: Store, format: str, where: EventFilter | None = None) -> tuple[int, bytes]:
    out = io.BytesIO()
    count = exports.export(store, where or EventFilter(), format, out)
    return count, out.getvalue()


def test_jsonl_is_one_contract_record_a_line(filled: Store) -> None:
    count, data = run(filled, "jsonl")
    lines = data.decode().splitlines()
    assert count == len(lines) == 6
    for line in lines:
        record = json.loads(line)
        stored = filled.event(record["id"])
        assert stored is not None and record == event_to_json(stored)


def test_geojson_leaves_out_and_counts_events_without_coordinates(filled: Store) -> None:
    count, data = run(filled, "geojson")
    collection = json.loads(data)
    assert collection["type"] == "FeatureCollection"
    assert count == 6
    assert len(collection["features"]) == 5
    assert collection["properties"] == {"features": 5, "without_coordinates": 1}
    assert "ev-accord" not in {f["id"] for f in collection["features"]}
    fiji = next(f for f in collection["features"] if f["id"] == "ev-fiji")
    assert fiji["geometry"] == {"type": "Point", "coordinates": [178.4415, -18.1416]}


def test_geojson_of_nothing_is_still_valid(filled: Store) -> None:
    _, data = run(filled, "geojson", EventFilter(country="ZZ"))
    assert json.loads(data) == {
        "type": "FeatureCollection",
        "features": [],
        "properties": {"features": 0, "without_coordinates": 0},
    }


def test_acled_csv_header_and_rows(filled: Store) -> None:
    count, data = run(filled, "acled-csv", EventFilter(country="ML"))
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert count == 1
    assert tuple(csv.reader(io.StringIO(data.decode())).__next__()) == ACLED_COLUMNS
    [row] = rows
    assert row["event_id_cnty"] == "ev-bus"
    assert row["sub_event_type"] == "Abduction/forced disappearance"
    assert row["country"] == "Mali" and row["iso"] == "466"
    assert row["actor2"] == "Civilians (Mali)"
    assert row["source"] == "Sahel Test Monitor"
    assert row["fatalities"] == ""  # the report gives no figure


def test_acled_csv_of_nothing_is_the_header(filled: Store) -> None:
    _, data = run(filled, "acled-csv", EventFilter(country="ZZ"))
    assert data.decode().strip() == ",".join(ACLED_COLUMNS)


def test_parquet_reads_back_with_pyarrow(filled: Store, tmp_path: Path) -> None:
    count, data = run(filled, "parquet")
    path = tmp_path / "events.parquet"
    path.write_bytes(data)
    table = pq.read_table(path)
    assert count == table.num_rows == 6
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("fatalities").type == pa.int64()
    rows = {r["id"]: r for r in table.to_pylist()}
    rockets = rows["ev-rockets"]
    assert rockets["date"].isoformat() == "2024-03-02"
    assert rockets["location"]["country"] == "IQ"
    assert rockets["actors"][0]["name"] == "Islamic Resistance in Iraq"
    assert sorted(rockets["sources"]) == ["d-rockets", "d-rockets-2"]
    assert rockets["conflicts"], "the two reports disagree"
    values = dict(rockets["conflicts"][0]["values"])
    assert all(isinstance(docs, list) for docs in values.values())
    assert rows["ev-accord"]["date"] is None


@pytest.mark.parametrize("format", ["jsonl", "geojson", "acled-csv", "parquet"])
def test_filters_apply_to_every_format(filled: Store, format: str) -> None:
    where = EventFilter(country="IQ", include_background=False)
    count, _ = run(filled, format, where)
    assert count == 2  # the rockets and the teachers; the Mosul riot is background


def test_unknown_formats_are_refused(filled: Store) -> None:
    with pytest.raises(exports.ExportError, match="unknown export format"):
        run(filled, "xlsx")


class Watched:
    """The store's rows, counting how many were read before each chunk came out."""

    def __init__(self, store: Store) -> None:
        self.event_rows = store.event_rows
        self.read = 0

    def rows(self, where: EventFilter) -> Iterator[StoredEvent]:
        for row in self.event_rows(where):
            self.read += 1
            yield row


@pytest.mark.parametrize("format", ["jsonl", "geojson", "acled-csv", "parquet"])
def test_exports_stream_batch_by_batch(
    filled: Store, monkeypatch: pytest.MonkeyPatch, format: str
) -> None:
    monkeypatch.setattr(exports, "BATCH", 2)
    monkeypatch.setattr(exports, "PARQUET_ROW_GROUP", 2)
    watched = Watched(filled)
    monkeypatch.setattr(filled, "event_rows", watched.rows)
    chunks = exports.export_chunks(filled, EventFilter(), format)
    assert watched.read == 0  # nothing is read until a chunk is asked for
    read_at_each_chunk: list[int] = []
    parts: list[bytes] = []
    for chunk in chunks:
        parts.append(chunk)
        read_at_each_chunk.append(watched.read)
    assert watched.read == 6
    assert read_at_each_chunk[0] < 6 or format == "geojson"  # geojson opens with a header
    assert any(0 < n < 6 for n in read_at_each_chunk), read_at_each_chunk
    if format == "parquet":
        table = pq.ParquetFile(pa.BufferReader(b"".join(parts)))
        assert table.metadata.num_row_groups == 3
        assert table.metadata.num_rows == 6


def test_event_rows_come_from_a_streaming_cursor(filled: Store) -> None:
    rows: Any = filled.event_rows(EventFilter())
    first = next(rows)
    assert isinstance(first, StoredEvent)
    rows.close()  # a generator: the rest is never fetched


# --- the command ---


@pytest.mark.parametrize(
    ("format", "check"),
    [
        ("jsonl", lambda data: len(data.splitlines()) == 3),
        ("acled-csv", lambda data: data.splitlines()[0].decode() == ",".join(ACLED_COLUMNS)),
        ("geojson", lambda data: len(json.loads(data)["features"]) == 3),
        ("parquet", lambda data: pq.read_table(pa.BufferReader(data)).num_rows == 3),
    ],
)
def test_the_export_command_writes_a_file(
    filled: Store, tmp_path: Path, format: str, check: Any
) -> None:
    output = tmp_path / f"out.{format}"
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--db",
            filled.url.removeprefix("sqlite:///"),
            "--format",
            format,
            "--country",
            "iq",
            "--output",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    assert check(output.read_bytes())


def test_the_export_command_takes_the_api_filters(filled: Store) -> None:
    db = filled.url.removeprefix("sqlite:///")
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--db",
            db,
            "--bbox",
            "170,-25,-170,-10",
            "--type",
            "Riots",
            "--since",
            "2024-01-01",
        ],
    )
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert json.loads(line)["id"] == "ev-fiji"
