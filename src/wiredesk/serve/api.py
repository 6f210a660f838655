"""The HTTP API and the map page: `create_app(store, settings)`, a thin layer over the library.

Reads (`/events`, `/events/{id}`, `/documents/{id}`, `/stats`, `/export`) are open unless
`WIREDESK_READ_TOKEN` is set; `POST /documents` needs the bearer token in `WIREDESK_TOKEN`
and is refused while that is unset. The docs, the page and their scripts are served from
this app (front-end packages from npm's node_modules), never from another host.
"""

import base64
import binascii
import csv
import gc
import hmac
import io
import json
import os
import sys
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar, get_origin

import anyio.to_thread
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathPart
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from wiredesk import __version__
from wiredesk.extract.lexicon import taxonomy
from wiredesk.records import SCHEMA_VERSION, Event, document_to_json, event_to_json
from wiredesk.serve.acled import ACLED_COLUMNS, acled_row
from wiredesk.serve.export import (
    MEDIA_TYPES,
    SUFFIXES,
    ExportError,
    GeoJSONCounter,
    acled_csv_chunks,
    export_chunks,
    parse_bbox,
)
from wiredesk.serve.middleware import BodyLimit, SecurityHeaders
from wiredesk.store import EventFilter, Report, Store, StoredEvent

__all__ = ["VENDOR", "ApiError", "Settings", "create_app", "find_assets"]

# The npm packages the page and the docs use: URL name -> directory inside node_modules.
VENDOR = {
    "leaflet": "leaflet/dist",
    "markercluster": "leaflet.markercluster/dist",
    "topojson": "topojson-client/dist",
    "world-atlas": "world-atlas",
    "swagger-ui": "swagger-ui-dist",
}
# The CPU time an /events page may take on the event loop: a filtered page of a million
# events takes 0.3-3 ms (more on a busy machine). A page sent to a thread waits for the
# loop to come round again, behind every request read meanwhile: the bound is for reads
# that are long, not for ones a little slower.
_LOOP_READ_SECONDS = 0.02
_SWITCH_SECONDS = 0.0005  # the GIL switch interval of a started server (Python's: 5 ms)
_MAP_PACKAGES = ("leaflet", "markercluster", "topojson", "world-atlas")
_REPO = Path(__file__).resolve().parents[3]  # a source checkout: src/wiredesk/serve/api.py

INSTALL_HINT = (
    "run `npm ci --omit=dev --ignore-scripts` in the wiredesk source directory "
    "(`make install` does it), or set WIREDESK_ASSETS to a node_modules directory "
    "that holds leaflet, leaflet.markercluster, topojson-client, world-atlas and swagger-ui-dist"
)


@dataclass(frozen=True, slots=True)
class Settings:
    """What the app is allowed and how much it takes; `from_env` reads the environment."""

    write_token: str | None = None  # WIREDESK_TOKEN: POST /documents needs it; unset: refused
    read_token: str | None = None  # WIREDESK_READ_TOKEN: set, reads need it (or the write token)
    assets: Path | None = None  # WIREDESK_ASSETS: a node_modules directory
    max_body: int = 5 * 1024 * 1024  # bytes of a request body
    max_limit: int = 500  # events a page
    default_limit: int = 100
    max_batch: int = 100  # documents a POST
    threads: int = 4  # reads in threads at once (short /events pages run on the event loop)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        assets = env.get("WIREDESK_ASSETS")
        return cls(
            write_token=env.get("WIREDESK_TOKEN") or None,
            read_token=env.get("WIREDESK_READ_TOKEN") or None,
            assets=Path(assets).expanduser() if assets else None,
            threads=int(env.get("WIREDESK_THREADS") or 4),
        )


def find_assets(settings: Settings) -> Path | None:
    """The node_modules directory with the front-end packages, or None when not installed."""
    candidates = (
        [settings.assets]
        if settings.assets
        else [_REPO / "node_modules", Path.cwd() / "node_modules"]
    )
    for candidate in candidates:
        if (candidate / VENDOR["leaflet"] / "leaflet.js").is_file():
            return candidate
    return None


class ApiError(Exception):
    """A request the API refuses: an HTTP status, a short code and a message for people."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers, self.details = headers, details


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "code": code, "message": message, **extra}}, status_code=status
    )


# --- request parts ---


class DocumentIn(BaseModel):
    """A document to ingest: its text, and what is known of where it came from."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The article text (plain text).")
    id: str | None = Field(
        None, min_length=1, max_length=200, description="Default: a hash of the text."
    )
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=4000)
    outlet: str | None = Field(None, max_length=500)
    published: date | None = Field(
        None, description="YYYY-MM-DD; dates like 'Saturday' resolve to it."
    )

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        return value


class EventQuery(BaseModel):
    """The filters that /events, /stats and /export share (query parameters)."""

    since: date | None = Field(None, description="Events on or after this day.")
    until: date | None = Field(None, description="Events on or before this day.")
    bbox: str | None = Field(
        None,
        max_length=200,
        description="minlon,minlat,maxlon,maxlat (minlon > maxlon crosses 180°).",
        examples=["38.8,29.0,48.6,37.4"],
    )
    country: str | None = Field(None, pattern="^[A-Za-z]{2}$", description="ISO 3166 alpha-2.")
    admin1: str | None = Field(None, max_length=200, description="Province, as stored.")
    type: list[str] = Field(
        default_factory=list,
        description=f"Event type, repeatable: {', '.join(taxonomy().disorder_of)}.",
    )
    sub_type: list[str] = Field(default_factory=list, description="Sub-event type, repeatable.")
    actor: str | None = Field(None, max_length=200, description="Part of an actor's name.")
    q: str | None = Field(None, max_length=500, description="Words in the evidence or claims.")
    conflicts: bool = Field(False, description="Only events whose sources disagree.")
    background: bool = Field(True, description="Include events mentioned only as context.")


QueryModel = TypeVar("QueryModel", bound=BaseModel)


class QueryParameters(Generic[QueryModel]):
    """Query parameters read into a pydantic model in one validation pass.

    FastAPI's own handling of a query model walks its fields one by one, and cost more than
    the rest of an /events request; this keeps the model's checks and messages (a bad value
    is the same 422) and describes each field as a query parameter in the OpenAPI schema.
    """

    def __init__(self, model: type[QueryModel]) -> None:
        self.model = model
        self.repeatable = frozenset(
            name
            for name, field in model.model_fields.items()
            if get_origin(field.annotation) is list
        )
        schema = model.model_json_schema()
        self.openapi: list[dict[str, Any]] = [
            {
                "name": name,
                "in": "query",
                "required": name in schema.get("required", ()),
                "schema": field,
                **({"description": field["description"]} if "description" in field else {}),
            }
            for name, field in schema["properties"].items()
        ]

    def read(self, request: Request) -> QueryModel:
        given = request.query_params
        values = {
            name: given.getlist(name) if name in self.repeatable else value
            for name, value in given.items()
        }
        try:
            return self.model.model_validate(values)
        except ValidationError as err:
            problems = [{**e, "loc": ("query", *e["loc"])} for e in err.errors()]
            raise RequestValidationError(problems) from None


_DOCUMENTS = TypeAdapter(list[DocumentIn])


def _posted_documents(body: bytes, max_batch: int) -> list[DocumentIn]:
    """The documents of a POST body: one JSON object, or a list of them."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "invalid_json", "the body is not JSON") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ApiError(422, "invalid_request", "no documents in the request")
    if len(items) > max_batch:
        raise ApiError(422, "invalid_request", f"at most {max_batch} documents a request")
    try:
        return _DOCUMENTS.validate_python(items)
    except ValidationError as err:
        details = []
        for problem in err.errors():
            number, *field = problem["loc"]
            where = f"documents[{number}]" + "".join(f".{part}" for part in field)
            if not isinstance(data, list):
                where = where.removeprefix("documents[0]").lstrip(".") or "body"
            details.append({"where": where, "message": problem["msg"]})
        first = details[0]
        raise ApiError(
            422, "invalid_request", f"{first['where']}: {first['message']}", details=details
        ) from None


def _encode_cursor(order: str, row: StoredEvent) -> str:
    raw = json.dumps([order, row.date, row.id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, order: str) -> tuple[str | None, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made_for, day, ident = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise ApiError(422, "invalid_cursor", "cursor is not one this API gave out") from None
    if not (isinstance(day, str | None) and isinstance(ident, str)):
        raise ApiError(422, "invalid_cursor", "cursor is not one this API gave out")
    if made_for != order:
        raise ApiError(422, "invalid_cursor", "cursor belongs to the other sort order")
    return day, ident


def _media(format: str | None, accept: str | None, allowed: tuple[str, ...]) -> str:
    """The format asked for by `format=`, else by the Accept header, else JSON."""
    if format:
        return format
    accept = (accept or "").lower()
    for media, name in (("application/geo+json", "geojson"), ("text/csv", "acled-csv")):
        if media in accept and name in allowed:
            return name
    return "json"


def _json(value: Any, status: int = 200, media_type: str = "application/json") -> Response:
    return Response(
        json.dumps(value, ensure_ascii=False), status_code=status, media_type=media_type
    )


def _csv(events: list[Event], store: Store) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    outlets = store.outlets([s for e in events for s in e.sources])
    for event in events:
        writer.writerow(acled_row(event, outlets))
    return buffer.getvalue()


# --- the app ---


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    """The API and the page over one store."""
    settings = settings or Settings()
    bearer = HTTPBearer(
        auto_error=False, description="WIREDESK_TOKEN (writes), WIREDESK_READ_TOKEN (reads)"
    )
    write_lock = threading.Lock()  # SQLite takes one writer; the pipeline runs under it too
    assets = find_assets(settings)
    web = resources.files("wiredesk.serve").joinpath("web")
    event_types = tuple(taxonomy().disorder_of)
    sub_event_types = tuple(taxonomy().event_type_of)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Few threads for the store: more only contend for the GIL and stretch the tail.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        # What the app holds from here on lives as long as the process: the collector need
        # not walk it again, and a full collection no longer pauses every request in flight.
        gc.collect()
        gc.freeze()
        # A read in a thread takes the GIL back after every SQLite call; while the event loop
        # runs Python, each time waits out the switch interval (5 ms by default).
        sys.setswitchinterval(_SWITCH_SECONDS)
        yield

    app = FastAPI(
        title="wiredesk",
        version=__version__,
        summary="An ACLED-coded incident log read from news reports, with evidence for each field.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )

    # --- errors: one JSON shape for every refusal ---

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        extra = {"details": error.details} if error.details else {}
        response = _error(error.status, error.code, error.message, **extra)
        response.headers.update(error.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in error.errors()
        ]
        first = details[0] if details else {"where": "request", "message": "invalid"}
        return _error(
            422, "invalid_request", f"{first['where']}: {first['message']}", details=details
        )

    @app.exception_handler(Exception)
    async def _internal(_request: Request, error: Exception) -> JSONResponse:
        message = f"internal error: {type(error).__name__}"
        return _error(500, "internal_error", message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
        response = _error(
            error.status_code, codes.get(error.status_code, "http_error"), str(error.detail)
        )
        response.headers.update(error.headers or {})
        return response

    # --- who may ---

    def _token_is(given: str, expected: str | None) -> bool:
        return expected is not None and hmac.compare_digest(given.encode(), expected.encode())

    async def may_read(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> None:
        if settings.read_token is None:
            return
        given = credentials.credentials if credentials else ""
        if not (_token_is(given, settings.read_token) or _token_is(given, settings.write_token)):
            raise ApiError(
                401, "unauthorized", "reading needs a bearer token", {"WWW-Authenticate": "Bearer"}
            )

    async def may_write(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> None:
        if settings.write_token is None:
            raise ApiError(
                403,
                "writes_disabled",
                "posting documents is disabled: the server has no WIREDESK_TOKEN set",
            )
        if credentials is None or not _token_is(credentials.credentials, settings.write_token):
            raise ApiError(
                401,
                "unauthorized",
                "posting documents needs the bearer token",
                {"WWW-Authenticate": "Bearer"},
            )

    Read = Depends(may_read)

    # --- filters shared by /events, /stats and /export ---

    ReadFormat = Literal["json", "geojson", "acled-csv"]

    default_limit, max_limit = settings.default_limit, settings.max_limit

    class PageQuery(EventQuery):
        """/events: the filters, and which page of them in which order and format."""

        sort: Literal["-date", "date"] = Field("-date", description="-date: newest first.")
        limit: int = Field(default_limit, ge=1, le=max_limit)
        cursor: str | None = Field(
            None, max_length=1000, description="next_cursor of the previous page."
        )
        format: ReadFormat | None = Field(
            None, description="Default: the Accept header, else json."
        )

    filter_parameters = QueryParameters(EventQuery)
    page_parameters = QueryParameters(PageQuery)

    async def filters(request: Request) -> EventFilter:
        return event_filter(filter_parameters.read(request))

    def event_filter(query: EventQuery) -> EventFilter:
        since, until, type, sub_type = query.since, query.until, query.type, query.sub_type
        if since and until and since > until:
            raise ApiError(422, "invalid_request", "since is after until")
        for value in type:
            if value not in event_types:
                raise ApiError(
                    422,
                    "invalid_request",
                    f"type: unknown event type {value!r} (one of {', '.join(event_types)})",
                )
        for value in sub_type:
            if value not in sub_event_types:
                raise ApiError(
                    422, "invalid_request", f"sub_type: unknown sub-event type {value!r}"
                )
        box = None
        if query.bbox:
            try:
                box = parse_bbox(query.bbox)
            except ValueError as err:
                raise ApiError(422, "invalid_request", f"bbox: {err}") from None
        return EventFilter(
            since=since,
            until=until,
            country=query.country.upper() if query.country else None,
            admin1=query.admin1 or None,
            event_types=tuple(type),
            sub_event_types=tuple(sub_type),
            actor=query.actor or None,
            text=query.q or None,
            include_background=query.background,
            bbox=box,
            conflicting=query.conflicts,
        )

    Filters = Annotated[EventFilter, Depends(filters)]
    with_filters = {"parameters": filter_parameters.openapi}

    # --- reads ---

    # Most pages are a short read, done on the event loop: handing one to a thread and back
    # cost more CPU than the read itself, and server processes (`--workers`), not threads, are
    # what run requests side by side. A read that runs past a few milliseconds' work on the
    # loop (`_LOOP_READ_SECONDS`) stops there and is read again in a thread. (A page read in
    # a thread while the loop is busy waits for the GIL at every row: threads only for what
    # the loop cannot bound.)
    @app.get(
        "/events",
        dependencies=[Read],
        tags=["events"],
        openapi_extra={"parameters": page_parameters.openapi},
    )
    async def list_events(request: Request) -> Response:
        """Events, filtered, a page at a time (`next_cursor` continues the same query)."""
        page = page_parameters.read(request)
        where, limit = event_filter(page), page.limit
        order: Literal["desc", "asc"] = "desc" if page.sort == "-date" else "asc"
        after = _decode_cursor(page.cursor, order) if page.cursor else None
        paged = replace(where, order=order, after=after, limit=limit + 1)
        rows = store.event_page(paged, _LOOP_READ_SECONDS)
        if rows is None:  # counting an index lookup's matches can take long: in a thread
            await run_in_threadpool(store.count_lookups, paged)
            rows = store.event_page(paged, _LOOP_READ_SECONDS)
        if rows is None:  # a long read: in a thread, so that it holds up no other request
            rows = await run_in_threadpool(lambda: list(store.event_rows(paged)))
        following = _encode_cursor(order, rows[limit - 1]) if len(rows) > limit else None
        rows = rows[:limit]
        headers = {"X-Event-Count": str(len(rows))}
        if following:
            headers["Link"] = f'<{request.url.include_query_params(cursor=following)}>; rel="next"'
            headers["X-Next-Cursor"] = following
        kind = _media(page.format, request.headers.get("accept"), ("geojson", "acled-csv"))
        tail = f'"count": {len(rows)}, "next_cursor": {json.dumps(following)}'
        if kind == "geojson":
            counter = GeoJSONCounter()
            features = ",\n".join(counter.features_of(rows))
            body = (
                f'{{"type": "FeatureCollection", "features": [{features}], '
                f'"properties": {json.dumps(counter.properties())}, {tail}}}'
            )
            return Response(body, media_type=MEDIA_TYPES["geojson"], headers=headers)
        if kind == "acled-csv":
            table = b"".join(acled_csv_chunks(store, rows))
            return Response(table, media_type=MEDIA_TYPES["acled-csv"], headers=headers)
        # The stored record is event_to_json's text: sent as stored, not parsed and re-made.
        records = ",\n".join(row.record for row in rows)
        body = f'{{"schema_version": {SCHEMA_VERSION}, "events": [{records}], {tail}}}'
        return Response(body, media_type="application/json", headers=headers)

    @app.get("/events/{event_id}", dependencies=[Read], tags=["events"])
    def one_event(
        request: Request,
        event_id: Annotated[str, PathPart(max_length=200)],
        format: Annotated[ReadFormat | None, Query()] = None,
    ) -> Response:
        """One event (an id or a unique prefix of one): its record, sources and history."""
        event = store.event(event_id)
        if event is None:
            merged = [e.new for e in store.history(event_id) if e.change == "merged into"]
            if merged and merged[-1]:
                raise ApiError(
                    404,
                    "merged",
                    f"event {event_id!r} was merged into {merged[-1]!r}",
                    details=[{"merged_into": merged[-1]}],
                )
            raise ApiError(404, "not_found", f"no event {event_id!r}")
        kind = _media(format, request.headers.get("accept"), ("geojson", "acled-csv"))
        if kind == "acled-csv":
            return Response(_csv([event], store), media_type=MEDIA_TYPES["acled-csv"])
        record = event_to_json(event)
        reports = store.reports_of(event.id)
        known = {r.document for r in reports}
        missing = [s for s in event.sources if s not in known]
        record["documents"] = [
            {
                "id": r.document,
                "title": r.title,
                "url": r.url,
                "outlet": r.outlet,
                "published": r.published,
            }
            for r in reports
        ] + [
            {
                "id": d.id,
                "title": d.title,
                "url": d.url,
                "outlet": d.outlet,
                "published": d.published.isoformat() if d.published else None,
            }
            for d in (store.document(s) for s in missing)
            if d is not None
        ]
        record["reports"] = [
            {
                "document": r.document,
                "outlet": r.outlet,
                "published": r.published,
                "ingested_at": r.ingested_at,
                "reading": _reading(r.reading),
            }
            for r in reports
        ]
        record["history"] = _history(store, event.id, reports)
        if kind == "geojson":
            loc = event.location
            geometry = (
                {"type": "Point", "coordinates": [loc.lon, loc.lat]}
                if loc.lat is not None and loc.lon is not None
                else None
            )
            feature = {
                "type": "Feature",
                "id": event.id,
                "geometry": geometry,
                "properties": record,
            }
            return _json(feature, media_type=MEDIA_TYPES["geojson"])
        return _json(record)

    @app.get("/documents/{document_id}", dependencies=[Read], tags=["documents"])
    def one_document(document_id: Annotated[str, PathPart(max_length=200)]) -> Response:
        """A stored document: its metadata, its text and the (linked) events it reports."""
        doc = store.document(document_id)
        if doc is None:
            raise ApiError(404, "not_found", f"no document {document_id!r}")
        events = [event_to_json(e) for e in store.document_events(doc.id)]
        return _json({**document_to_json(doc), "text": doc.text, "events": events})

    @app.get("/stats", dependencies=[Read], tags=["events"], openapi_extra=with_filters)
    def stats(where: Filters) -> Response:
        """Counts of the filtered events: by event type, by country and by ISO week."""
        found = store.stats(where)
        return _json(
            {
                "total": found.total,
                "by_type": dict(sorted(found.by_type.items())),
                "by_country": dict(sorted(found.by_country.items())),
                "by_week": dict(sorted(found.by_week.items())),
            }
        )

    @app.get("/export", dependencies=[Read], tags=["events"], openapi_extra=with_filters)
    def export(
        where: Filters,
        format: Annotated[Literal["jsonl", "geojson", "acled-csv", "parquet"], Query()] = "jsonl",
    ) -> StreamingResponse:
        """Every filtered event in one file, streamed as it is read (no paging)."""
        try:
            chunks = export_chunks(store, where, format)
        except ExportError as err:
            raise ApiError(422, "invalid_request", str(err)) from None
        name = f"wiredesk-events{SUFFIXES[format]}"
        return StreamingResponse(
            chunks,
            media_type=MEDIA_TYPES[format],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    # --- writes ---

    one_document_schema = DocumentIn.model_json_schema()
    posted_schema = {
        "oneOf": [
            one_document_schema,
            {"type": "array", "items": one_document_schema, "maxItems": settings.max_batch},
        ]
    }

    @app.post(
        "/documents",
        dependencies=[Depends(may_write)],
        status_code=201,
        tags=["documents"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": posted_schema}},
            }
        },
    )
    async def post_documents(request: Request) -> Response:
        """Ingest one document or a list of them: extract, link and store, in one transaction.

        Needs `Authorization: Bearer $WIREDESK_TOKEN`. A document already stored (the same
        text) is not stored again.
        """
        given = _posted_documents(await request.body(), settings.max_batch)
        return await run_in_threadpool(ingest, given)

    def ingest(given: list[DocumentIn]) -> Response:
        from wiredesk.ingest.readers import headline, make_document
        from wiredesk.pipeline import process

        docs = []
        for item in given:
            text = item.text.replace("\r\n", "\n").replace("\r", "\n")
            docs.append(
                make_document(
                    text,
                    source="api",
                    id=item.id,
                    title=item.title or headline(text),
                    url=item.url,
                    outlet=item.outlet,
                    published=item.published,
                )
            )
        with write_lock:
            known = store.known_documents([d.id for d in docs])
            counts = store.add([process(d) for d in docs if d.id not in known])
            stored = [
                {
                    "id": d.id,
                    "new": d.id not in known,
                    "events": [e.id for e in store.document_events(d.id)],
                }
                for d in docs
            ]
        return _json(
            {
                "documents": stored,
                "new_documents": counts.new_documents,
                "known_documents": len(docs) - counts.new_documents,
                "new_events": counts.new_events,
                "linked_events": counts.linked_events,
            },
            status=201,
        )

    # --- the page, the docs and their assets ---

    @app.get("/health", include_in_schema=False)
    def health() -> Response:
        return _json({"status": "ok", "assets": assets is not None})

    def _page(name: str, packages: tuple[str, ...]) -> Response:
        if assets is None or any(not (assets / VENDOR[p]).is_dir() for p in packages):
            return HTMLResponse(_missing_assets_page(), status_code=200)
        return FileResponse(str(web.joinpath(name)), media_type="text/html")

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return _page("index.html", _MAP_PACKAGES)

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return _page("docs.html", ("swagger-ui",))

    app.mount("/static", StaticFiles(directory=str(web)), name="static")
    if assets is not None:
        for name, folder in VENDOR.items():
            if (assets / folder).is_dir():
                app.mount(f"/vendor/{name}", StaticFiles(directory=assets / folder), name=name)

    app.add_middleware(BodyLimit, limit=settings.max_body)
    app.add_middleware(SecurityHeaders)  # outermost: every response gets the policy
    return app


def _history(store: Store, event_id: str, reports: list[Report]) -> list[dict[str, Any]]:
    """Every recorded change to the event, oldest first.

    A store written before it kept history has only its reports: each becomes a
    "source added" entry, at the time its document was stored.
    """
    entries = store.history(event_id)
    if entries:
        return [
            {
                "at": e.at,
                "change": e.change,
                "field": e.field,
                "old": e.old,
                "new": e.new,
                "document": e.document,
            }
            for e in entries
        ]
    return [
        {
            "at": r.ingested_at,
            "change": "source added",
            "field": None,
            "old": None,
            "new": r.document,
            "document": r.document,
        }
        for r in reports
    ]


def _reading(event: Event) -> dict[str, Any]:
    """What one document said of an event, in brief (its full reading is in the store)."""
    return {
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "date": event.date.isoformat() if event.date else None,
        "date_precision": event.date_precision,
        "location": event.location.name,
        "fatalities": event.fatalities,
        "injuries": event.injuries,
        "actors": [a.name for a in event.actors],
        "background": event.background,
    }


def _missing_assets_page() -> str:
    from html import escape

    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>wiredesk</title></head>"
        "<body><h1>wiredesk</h1><p>The map page's front-end packages are not installed: "
        f"{escape(INSTALL_HINT)}.</p><p>The API works without them: "
        "<a href='events'>events</a>, <a href='stats'>stats</a>, "
        "<a href='openapi.json'>openapi.json</a>.</p></body></html>"
    )


def app_from_env() -> FastAPI:
    """The app over $WIREDESK_DB with settings from the environment (`uvicorn --factory`)."""
    # Under uvicorn's own `--workers`, server processes share one listening socket, and
    # uvloop's libuv takes every pending connection at once: the first process awake would
    # take a whole burst of clients. One connection a turn spreads them somewhat
    # (`wiredesk serve --workers` gives each process a socket of its own instead).
    os.environ.setdefault("UV_TCP_SINGLE_ACCEPT", "1")
    return create_app(Store.open(None, map_reads=True), Settings.from_env())
