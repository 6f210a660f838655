"""Exports of stored events: JSON Lines, GeoJSON, ACLED-column CSV and Parquet, streamed.

Every format is a generator of byte chunks over `Store.event_rows`, which reads the store in
batches, so a million events go out in constant memory; the CLI writes the chunks to a file
and the API sends them as a streaming response.

The stored `record` is the contract's JSON text exactly as `records.event_to_json` wrote it,
so JSON Lines and GeoJSON pass it through unparsed; CSV and Parquet parse it per batch.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any, Literal, TypeVar

from wiredesk.records import event_from_json
from wiredesk.serve.acled import ACLED_COLUMNS, acled_row
from wiredesk.store import EventFilter, Store, StoredEvent

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "ExportError",
    "GeoJSONCounter",
    "acled_csv_chunks",
    "export",
    "export_chunks",
    "geojson_feature",
    "parse_bbox",
]

Format = Literal["jsonl", "geojson", "acled-csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "geojson", "acled-csv", "parquet")
MEDIA_TYPES: dict[str, str] = {
    "jsonl": "application/x-ndjson",
    "geojson": "application/geo+json",
    "acled-csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
SUFFIXES: dict[str, str] = {
    "jsonl": ".jsonl",
    "geojson": ".geojson",
    "acled-csv": ".csv",
    "parquet": ".parquet",
}

BATCH = 1000  # events parsed, written and flushed together
PARQUET_ROW_GROUP = 10_000
_NO_PYARROW = "the parquet format needs pyarrow: pip install 'wiredesk[parquet]'"


class ExportError(Exception):
    """An export that cannot be made (a bad option, a missing optional package)."""


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """`minlon,minlat,maxlon,maxlat` in degrees; minlon > maxlon crosses the 180th meridian."""
    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError("bbox must be four numbers: minlon,minlat,maxlon,maxlat")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise ValueError("bbox must be four numbers: minlon,minlat,maxlon,maxlat") from None
    for lon in (min_lon, max_lon):
        if not -180.0 <= lon <= 180.0:
            raise ValueError("bbox longitudes must lie in -180..180")
    for lat in (min_lat, max_lat):
        if not -90.0 <= lat <= 90.0:
            raise ValueError("bbox latitudes must lie in -90..90")
    if min_lat > max_lat:
        raise ValueError("bbox minlat must not exceed maxlat")
    return min_lon, min_lat, max_lon, max_lat


T = TypeVar("T")


def _batches(rows: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    size = size or BATCH
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- JSON Lines ---


def jsonl_chunks(rows: Iterable[StoredEvent]) -> Iterator[bytes]:
    for batch in _batches(rows):
        yield "".join(row.record + "\n" for row in batch).encode("utf-8")


# --- GeoJSON ---


def geojson_feature(row: StoredEvent) -> str | None:
    """A GeoJSON Feature (a Point, the record as its properties); None without coordinates."""
    if row.lat is None or row.lon is None:
        return None
    return (
        f'{{"type": "Feature", "id": {json.dumps(row.id)}, '
        f'"geometry": {{"type": "Point", "coordinates": [{row.lon!r}, {row.lat!r}]}}, '
        f'"properties": {row.record}}}'
    )


class GeoJSONCounter:
    """Features of rows, counting the events left out for want of coordinates."""

    def __init__(self) -> None:
        self.features = 0
        self.without_coordinates = 0

    def features_of(self, rows: Iterable[StoredEvent]) -> Iterator[str]:
        for row in rows:
            feature = geojson_feature(row)
            if feature is None:
                self.without_coordinates += 1
            else:
                self.features += 1
                yield feature

    def properties(self) -> dict[str, int]:
        return {"features": self.features, "without_coordinates": self.without_coordinates}


def geojson_chunks(rows: Iterable[StoredEvent]) -> Iterator[bytes]:
    """One FeatureCollection; its `properties` (written last) count the events left out."""
    counter = GeoJSONCounter()
    yield b'{"type": "FeatureCollection", "features": ['
    first = True
    for batch in _batches(counter.features_of(rows)):
        text = ",\n".join(batch)
        yield (text if first else ",\n" + text).encode("utf-8")
        first = False
    yield f'], "properties": {json.dumps(counter.properties())}}}\n'.encode()


# --- ACLED-column CSV ---


def acled_csv_chunks(
    store: Store, rows: Iterable[StoredEvent], header: bool = True
) -> Iterator[bytes]:
    """ACLED's columns in ACLED's order; the `source` column names each source's outlet."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    for batch in _batches(rows):
        found = [event_from_json(json.loads(row.record)) for row in batch]
        outlets = store.outlets([s for event in found for s in event.sources])
        for event in found:
            writer.writerow(acled_row(event, outlets))
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if header and buffer.tell():
        yield buffer.getvalue().encode("utf-8")  # the header alone, when nothing matched


# --- Parquet ---


def _pyarrow() -> tuple[Any, Any]:
    """pyarrow and pyarrow.parquet (the optional `parquet` extra)."""
    try:
        import pyarrow  # type: ignore[import-untyped]
        import pyarrow.parquet  # type: ignore[import-untyped]
    except ImportError:
        raise ExportError(_NO_PYARROW) from None
    return pyarrow, pyarrow.parquet


def _parquet_schema() -> Any:
    pa, _ = _pyarrow()
    text = pa.string()
    return pa.schema(
        [
            ("id", text),
            ("event_type", text),
            ("sub_event_type", text),
            ("plover", text),
            ("date", pa.date32()),
            ("date_end", pa.date32()),
            ("date_precision", text),
            ("date_text", text),
            (
                "location",
                pa.struct(
                    [
                        ("name", text),
                        ("lat", pa.float64()),
                        ("lon", pa.float64()),
                        ("country", text),
                        ("admin1", text),
                        ("admin2", text),
                        ("geonames_id", text),
                        ("precision", text),
                        ("text", text),
                    ]
                ),
            ),
            (
                "actors",
                pa.list_(
                    pa.struct(
                        [
                            ("name", text),
                            ("role", text),
                            ("inter", text),
                            ("text", text),
                            ("claimed", pa.bool_()),
                        ]
                    )
                ),
            ),
            (
                "weapons",
                pa.list_(
                    pa.struct(
                        [
                            ("name", text),
                            ("model", text),
                            ("count", pa.int64()),
                            ("qualifier", text),
                        ]
                    )
                ),
            ),
            ("fatalities", pa.int64()),
            ("injuries", pa.int64()),
            ("background", pa.bool_()),
            (
                "claims",
                pa.list_(
                    pa.struct(
                        [
                            ("by", text),
                            ("kind", text),
                            ("text", text),
                            ("start", pa.int64()),
                            ("end", pa.int64()),
                            ("document", text),
                        ]
                    )
                ),
            ),
            (
                "evidence",
                pa.list_(
                    pa.struct(
                        [
                            ("document", text),
                            ("start", pa.int64()),
                            ("end", pa.int64()),
                            ("text", text),
                            ("field", text),
                        ]
                    )
                ),
            ),
            ("sources", pa.list_(text)),
            (
                "conflicts",
                pa.list_(pa.struct([("field", text), ("values", pa.map_(text, pa.list_(text)))])),
            ),
        ]
    )


def _parquet_row(record: dict[str, Any]) -> dict[str, Any]:
    """The contract's record with what Parquet types differently: days, and a mixed id."""
    row = dict(record)
    for key in ("date", "date_end"):
        row[key] = date.fromisoformat(row[key]) if row.get(key) else None
    location = dict(row.get("location") or {})
    if location.get("geonames_id") is not None:
        location["geonames_id"] = str(location["geonames_id"])
    row["location"] = location
    return row


class _Drain(io.RawIOBase):
    """A write-only stream whose bytes are taken away as they come: Parquet's output."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._parts.append(chunk)
        return len(chunk)

    def take(self) -> bytes:
        taken, self._parts = b"".join(self._parts), []
        return taken


def parquet_chunks(rows: Iterable[StoredEvent]) -> Iterator[bytes]:
    """A Parquet file written a row group at a time; each group's bytes go out when written."""
    pa, pq = _pyarrow()
    schema = _parquet_schema()
    sink = _Drain()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    try:
        for batch in _batches(rows, PARQUET_ROW_GROUP):
            table = pa.Table.from_pylist(
                [_parquet_row(json.loads(row.record)) for row in batch], schema=schema
            )
            writer.write_table(table)
            yield sink.take()
    finally:
        writer.close()
    yield sink.take()


# --- the entry points ---


def _check(format: str) -> None:
    if format not in FORMATS:
        raise ExportError(f"unknown export format {format!r} (one of {', '.join(FORMATS)})")
    if format == "parquet":
        _pyarrow()


def _chunks(store: Store, rows: Iterable[StoredEvent], format: str) -> Iterator[bytes]:
    if format == "jsonl":
        return jsonl_chunks(rows)
    if format == "geojson":
        return geojson_chunks(rows)
    if format == "acled-csv":
        return acled_csv_chunks(store, rows)
    return parquet_chunks(rows)


def export_chunks(store: Store, where: EventFilter, format: str) -> Iterator[bytes]:
    """The export of the events `where` selects, as byte chunks, read from the store lazily.

    The format is checked now, before the first chunk is asked for.
    """
    _check(format)
    return _chunks(store, store.event_rows(where), format)


class _Counted:
    """Rows passed through, counted."""

    def __init__(self, rows: Iterable[StoredEvent]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[StoredEvent]:
        for row in self.rows:
            self.count += 1
            yield row


def export(store: Store, where: EventFilter, format: str, out: IO[bytes]) -> int:
    """Write an export to a binary stream, chunk by chunk; return the number of events."""
    _check(format)
    counted = _Counted(store.event_rows(where))
    for chunk in _chunks(store, counted, format):
        out.write(chunk)
    out.flush()
    return counted.count
