"""The `wiredesk` command: a thin layer over the library."""

from __future__ import annotations

import csv
import gc
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from wiredesk.ingest import ReadError, read_inputs
from wiredesk.knowledge import KnowledgeError
from wiredesk.records import (
    Document,
    Event,
    event_to_json,
    extraction_to_json,
    place_to_json,
    time_to_json,
)

if TYPE_CHECKING:
    from wiredesk.store import Store

app = typer.Typer(
    help="Turn armed-conflict news reports into an incident log with provenance for every field.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
gazetteer_app = typer.Typer(help="Manage the place-name gazetteer.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")

out = Console(highlight=False, soft_wrap=True)
if not out.is_terminal:
    out.width = 200  # piped tables keep whole labels
err = Console(stderr=True, highlight=False)
_state = {"debug": False, "failed": 0, "read": 0}

BATCH_SIZE = 64


class UserError(Exception):
    """A failure to report in one line, with a non-zero exit."""


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class EventsFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLite file or postgresql:// URL (default: $WIREDESK_DB or ./wiredesk.db)."
    ),
]
Inputs = Annotated[
    list[str] | None,
    typer.Argument(help="Files, directories, or - for standard input.", show_default=False),
]
PublishedOption = Annotated[
    str | None,
    typer.Option(
        "--published", help="Publication date (YYYY-MM-DD) for documents that carry none."
    ),
]


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def _documents(inputs: Iterable[str], published: date | None) -> Iterator[Document]:
    """Documents of every input; each unreadable input is reported in one line and skipped."""
    for item in read_inputs(inputs, published):
        if isinstance(item, ReadError):
            _state["failed"] += 1
            err.print(f"wiredesk: {escape(str(item))}", soft_wrap=True)
            continue
        _state["read"] += 1
        yield item


def _write_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


@contextmanager
def _progress(label: str) -> Iterator[Progress]:
    progress = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with progress:
        yield progress


def _sample_inputs() -> list[str]:
    corpus = resources.files("wiredesk.data").joinpath("corpus", "articles.jsonl")
    return [str(corpus)]


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug


@app.command()
def extract(
    inputs: Inputs = None,
    published: PublishedOption = None,
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.jsonl,
) -> None:
    """Extract events from documents, without storing them: one record per document."""
    from wiredesk.pipeline import process

    day = _day(published, "--published")
    results = (process(doc) for doc in _documents(_require(inputs), day))
    if format is ExtractFormat.json:
        records = [extraction_to_json(r) for r in results]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif format is ExtractFormat.jsonl:
        for result in results:
            _write_json(extraction_to_json(result))
    else:
        done = list(results)
        _print_events(
            [e for r in done for e in r.events],
            {r.document.id: r.document.outlet or "" for r in done},
        )
    _finish_inputs()


@app.command()
def ingest(
    inputs: Inputs = None,
    db: DbOption = None,
    published: PublishedOption = None,
    sample: Annotated[
        bool, typer.Option("--sample", help="Ingest the bundled sample corpus.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", "-j", min=1, help="Extract on this many processes (this machine)."
        ),
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Extract on the Dask cluster whose scheduler is at tcp://host:port "
            "(needs the `cluster` extra); this process still does every write.",
        ),
    ] = None,
    batch_size: Annotated[
        int,
        typer.Option("--batch-size", min=1, help="Documents stored per transaction."),
    ] = BATCH_SIZE,
) -> None:
    """Extract events from documents, link them with the stored ones, and store them.

    Each batch of documents is one transaction: an ingest that is killed keeps every batch
    it committed, and running it again stores only the documents still missing.
    """
    from wiredesk.scale import ScaleError, start_workers
    from wiredesk.scale import ingest as run

    day = _day(published, "--published")
    sources = _require(list(inputs or []) + (_sample_inputs() if sample else []))
    if scheduler and workers > 1:
        raise UserError("--workers and --scheduler do not go together (the cluster has its own)")
    start_workers(workers, scheduler)  # they load while the store is opened and inputs read
    from wiredesk.store import Store

    store = Store.open(db)
    try:
        with _progress("ingesting") as progress:
            task = progress.add_task("ingest", total=None)
            totals = run(
                _documents(sources, day),
                store,
                workers=workers,
                scheduler=scheduler,
                batch_size=batch_size,
                progress=lambda n: progress.advance(task, n),
            )
    except ScaleError as error:
        raise UserError(str(error)) from None
    finally:
        store.close()
    # What the ingest built (the linker's caches, with one process the extractor's data)
    # goes with the process: frozen, the collector neither walks it again nor frees it
    # object by object on the way out.
    gc.freeze()
    err.print(
        f"documents: {totals.new} new, {totals.known} already stored; "
        f"events: {totals.events} new, {totals.linked} reports linked to known events"
    )
    _finish_inputs()


def _require(inputs: list[str] | None) -> list[str]:
    if not inputs:
        raise UserError("no input given (name files, directories, or - for standard input)")
    return inputs


def _finish_inputs() -> None:
    if _state["failed"]:
        raise typer.Exit(2 if _state["read"] == 0 else 1)


@app.command()
def events(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="Events on or after this day.")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before this day.")] = None,
    type: Annotated[
        str | None, typer.Option("--type", help="Event type or sub-event type.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 country code.")] = None,
    actor: Annotated[str | None, typer.Option(help="Part of an actor's name.")] = None,
    text: Annotated[str | None, typer.Option(help="Words in the evidence or claims.")] = None,
    background: Annotated[
        bool, typer.Option("--background/--no-background", help="Include background events.")
    ] = True,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    format: Annotated[EventsFormat, typer.Option("--format", "-f")] = EventsFormat.table,
) -> None:
    """List stored events, newest first."""
    from wiredesk.store import EventFilter, Store

    store = Store.open(db)
    where = EventFilter(
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        event_type=type,
        country=country,
        actor=actor,
        text=text,
        include_background=background,
        limit=limit,
    )
    found = store.events(where)
    if format is EventsFormat.jsonl:
        for event in found:
            _write_json(event_to_json(event))
    elif format is EventsFormat.csv:
        from wiredesk.serve.acled import ACLED_COLUMNS, acled_row

        writer = csv.DictWriter(sys.stdout, fieldnames=ACLED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for event in found:
            writer.writerow(acled_row(event, store.outlets(event.sources)))
    else:
        listed = list(found)
        _print_events(listed, store.outlets([s for e in listed for s in e.sources]))


def _actor(event: Event, role: str) -> str:
    actor = next((a for a in event.actors if a.role == role), None)
    if actor is None:
        return ""
    return f"{actor.name} (claimed)" if actor.claimed else actor.name


def _print_events(listed: list[Event], outlets: dict[str, str]) -> None:
    table = Table(title=f"{len(listed)} events", show_lines=False)
    for column in ("id", "date", "type", "place", "actor1", "actor2", "killed", "sources"):
        table.add_column(column, overflow="fold")
    for event in listed:
        when = event.date.isoformat() if event.date else "?"
        if event.date_precision not in ("day", "unknown"):
            when += f" ({event.date_precision})"
        place = ", ".join(p for p in (event.location.name, event.location.country) if p)
        kind = event.sub_event_type + (" [background]" if event.background else "")
        names = sorted({outlets.get(s) or s[:8] for s in event.sources})
        table.add_row(
            event.id[:10],
            when,
            escape(kind),
            escape(place),
            escape(_actor(event, "actor1")),
            escape(_actor(event, "actor2")),
            "" if event.fatalities is None else str(event.fatalities),
            escape(f"{len(event.sources)}: " + ", ".join(names)),
        )
    out.print(table)


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="An event id, or a unique prefix of one.")],
    db: DbOption = None,
) -> None:
    """Show one event: its fields, every claim, and the evidence sentences with spans marked."""
    from wiredesk.store import Store

    store = Store.open(db)
    event = store.event(event_id)
    if event is None:
        merged = [e for e in store.history(event_id) if e.change == "merged into"]
        if not merged:
            raise UserError(f"no event {event_id!r} in {store.url}")
        out.print(f"{escape(event_id)} was merged into {escape(merged[-1].new or '?')}")
        _print_history(store, event_id)
        return
    record = event_to_json(event)
    out.print(
        f"[bold]{escape(event.sub_event_type)}[/bold] ({escape(event.event_type)})  {event.id}"
    )
    for key in (
        "date",
        "date_end",
        "date_precision",
        "date_text",
        "fatalities",
        "injuries",
        "background",
        "plover",
    ):
        if record[key] is not None:
            out.print(f"  {key}: {escape(str(record[key]))}")
    loc = event.location
    if loc.name:
        out.print(
            f"  location: {escape(loc.name)} ({loc.precision}) {loc.country or ''} "
            f"{escape(loc.admin1 or '')} {loc.lat}, {loc.lon}"
        )
    for actor in event.actors:
        claimed = " (claimed)" if actor.claimed else ""
        out.print(f"  {actor.role}: {escape(actor.name)} [{escape(actor.inter or '?')}]{claimed}")
    for weapon in event.weapons:
        count = f"{weapon.qualifier + ' ' if weapon.qualifier else ''}{weapon.count or ''}".strip()
        out.print(f"  weapon: {escape(weapon.model or weapon.name)} {count}")
    for conflict in event.conflicts:
        values = "; ".join(
            f"{v} ({len(d)} source{'s' if len(d) > 1 else ''})" for v, d in conflict.values.items()
        )
        out.print(f"  [yellow]conflict[/yellow] {escape(conflict.field)}: {escape(values)}")
    out.print(f"\n[bold]claims[/bold] ({len(event.claims)})")
    for claim in event.claims:
        out.print(f"  {claim.kind} by {escape(claim.by or 'unattributed')}: “{escape(claim.text)}”")
    out.print("\n[bold]evidence[/bold]")
    for doc_id in event.sources:
        doc = store.document(doc_id)
        if doc is None:
            continue
        out.print(f"  [dim]{escape(doc.outlet or doc.id)}, {doc.published or 'undated'}[/dim]")
        for sentence in _marked_sentences(doc, [e for e in event.evidence if e.document == doc.id]):
            out.print(f"    {sentence}")
    _print_history(store, event.id)


def _print_history(store: Store, event_id: str) -> None:
    """The event's history: every change, when, and the document whose ingest caused it."""
    entries = store.history(event_id)
    out.print(f"\n[bold]history[/bold] ({len(entries)})")
    named = [e.document for e in entries] + [e.new for e in entries] + [e.old for e in entries]
    outlets = store.outlets([n for n in named if n])
    for entry in entries:
        cause = f"{outlets.get(entry.document, '')} {entry.document[:10]}" if entry.document else ""
        if entry.change == "field changed":
            what = f"{entry.field}: {entry.old or '-'} -> {entry.new or '-'}"
        elif entry.change == "conflict":
            what = f"sources disagree on {entry.field}: {entry.new}"
        elif entry.change in ("source added", "source removed"):
            source = entry.new or entry.old or ""
            what = f"{entry.change}: {outlets.get(source, '')} {source[:10]}".rstrip()
        elif entry.change == "merged":
            what = f"merged with {entry.old}"
        elif entry.change == "merged into":
            what = f"merged into {entry.new}"
        else:
            what = entry.change
        out.print(f"  {entry.at}  {escape(what)}  [dim]({escape(cause.strip())})[/dim]")


def _marked_sentences(doc: Document, evidence: list[Any]) -> list[str]:
    """The sentences that hold evidence, with each evidence span in bold."""
    from wiredesk.nlp import sentences

    marked = []
    for sentence in sentences(doc.text):
        inside = sorted(
            {
                (e.start, e.end)
                for e in evidence
                if sentence.start <= e.start and e.end <= sentence.end
            }
        )
        if not inside:
            continue
        parts, cursor = [], sentence.start
        for start, end in inside:
            if start < cursor:
                continue
            parts.append(escape(doc.text[cursor:start]))
            parts.append(f"[bold underline]{escape(doc.text[start:end])}[/bold underline]")
            cursor = end
        parts.append(escape(doc.text[cursor : sentence.end]))
        marked.append("".join(parts))
    return marked


@app.command()
def times(
    inputs: Inputs = None,
    published: PublishedOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl")] = "jsonl",
) -> None:
    """Run the time stage alone: one JSON object per time expression."""
    from wiredesk.resolve.time import tag_times

    _only_jsonl(format)
    for doc in _documents(_require(inputs), _day(published, "--published")):
        for expr in tag_times(doc.text, doc.published):
            _write_json(time_to_json(doc.id, expr))
    _finish_inputs()


@app.command()
def places(
    inputs: Inputs = None,
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl")] = "jsonl",
) -> None:
    """Run the place stage alone: one JSON object per place name."""
    from wiredesk.resolve.place import parse_places

    _only_jsonl(format)
    for doc in _documents(_require(inputs), None):
        for place in parse_places(doc.text, doc.outlet):
            _write_json(place_to_json(doc.id, place))
    _finish_inputs()


def _only_jsonl(format: str) -> None:
    if format != "jsonl":
        raise UserError(f"--format {format!r}: this command writes jsonl only")


class ExportFormat(StrEnum):
    acled_csv = "acled-csv"
    geojson = "geojson"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="File format.")
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Events on or after this day.")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before this day.")] = None,
    type: Annotated[
        list[str] | None, typer.Option("--type", help="Event type (repeatable).")
    ] = None,
    sub_type: Annotated[
        list[str] | None, typer.Option("--sub-type", help="Sub-event type (repeatable).")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 country code.")] = None,
    admin1: Annotated[str | None, typer.Option(help="Province, as stored.")] = None,
    actor: Annotated[str | None, typer.Option(help="Part of an actor's name.")] = None,
    text: Annotated[str | None, typer.Option(help="Words in the evidence or claims.")] = None,
    bbox: Annotated[
        str | None, typer.Option(help="minlon,minlat,maxlon,maxlat: events inside the box.")
    ] = None,
    conflicts: Annotated[
        bool, typer.Option("--conflicts", help="Only events whose sources disagree.")
    ] = False,
    background: Annotated[
        bool, typer.Option("--background/--no-background", help="Include background events.")
    ] = True,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many events.")] = None,
) -> None:
    """Export stored events, newest first, streamed in constant memory.

    ACLED-column CSV, GeoJSON (events without coordinates left out and counted), JSON Lines
    of the event record, or Parquet (needs the `parquet` extra).
    """
    from wiredesk.serve.export import ExportError, parse_bbox
    from wiredesk.serve.export import export as write_export
    from wiredesk.store import EventFilter, Store

    box = None
    if bbox:
        try:
            box = parse_bbox(bbox)
        except ValueError as error:
            raise UserError(f"--bbox: {error}") from None
    where = EventFilter(
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        event_types=tuple(type or ()),
        sub_event_types=tuple(sub_type or ()),
        country=country.upper() if country else None,
        admin1=admin1,
        actor=actor,
        text=text,
        include_background=background,
        bbox=box,
        conflicting=conflicts,
        limit=limit,
    )
    if output is None and format is ExportFormat.parquet and sys.stdout.isatty():
        raise UserError("parquet is binary: name a file with --output")
    store = Store.open(db)
    try:
        if output is None:
            count = write_export(store, where, format.value, sys.stdout.buffer)
        else:
            with output.open("wb") as stream:
                count = write_export(store, where, format.value, stream)
    except ExportError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        if output is None or isinstance(error, BrokenPipeError):
            raise  # standard output closed early (`| head`): main() ends quietly
        raise UserError(f"{output}: {error.strerror or error}") from None
    err.print(f"exported {count:,} events" + (f" to {output}" if output else ""))


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
) -> None:
    """Serve the HTTP API (docs at /docs) and the map page (/) over the stored events.

    Reads are open unless WIREDESK_READ_TOKEN is set; POST /documents needs the bearer token
    in WIREDESK_TOKEN and is refused while it is unset.
    """
    import os

    import uvicorn

    from wiredesk.serve.api import INSTALL_HINT, Settings, create_app, find_assets
    from wiredesk.serve.processes import serve_processes
    from wiredesk.store import Store

    # opened here first: a bad --db is a one-line error, and migrated
    store = Store.open(db, map_reads=True)
    settings = Settings.from_env()
    if find_assets(settings) is None:
        err.print(f"wiredesk: the map page's assets are not installed: {INSTALL_HINT}")
    if settings.write_token is None:
        err.print("wiredesk: POST /documents is off (set WIREDESK_TOKEN to allow it)")
    where = store.engine.url.render_as_string(hide_password=True)
    err.print(f"wiredesk: serving {where} at http://{host}:{port}/ (API docs at /docs)")
    if workers == 1:
        uvicorn.run(create_app(store, settings), host=host, port=port)
        return
    store.close()
    os.environ["WIREDESK_DB"] = store.url
    try:
        serve_processes(host, port, workers)
    except OSError as error:
        raise UserError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


@gazetteer_app.command("import")
def gazetteer_import(
    file: Annotated[
        Path, typer.Argument(help="A GeoNames dump: allCountries.zip, a country zip or .txt.")
    ],
) -> None:
    """Add a full GeoNames dump to the gazetteer."""
    from wiredesk.resolve.place import import_geonames

    if not file.is_file():
        raise UserError(f"{file}: no such file")
    rows = import_geonames(file)
    err.print(f"gazetteer: {rows:,} places imported from {file}")


def _fail(error: Exception) -> NoReturn:
    """A failure a user can cause: one line on stderr."""
    err.print(f"wiredesk: error: {escape(str(error))}", soft_wrap=True)
    sys.exit(2)


def main() -> None:
    """Entry point: every failure a user can cause is one line on stderr and a non-zero exit."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except (UserError, KnowledgeError, ReadError) as error:
        if _state["debug"]:
            raise
        _fail(error)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`| head`): not an error
        sys.exit(0)
    except KeyboardInterrupt:
        err.print("wiredesk: interrupted")
        sys.exit(130)
    except Exception as error:  # the last line of defence for users
        import click

        # Imported here, not with this module: only the commands that open a store need
        # SQLAlchemy, and `ingest` starts its workers before it imports it.
        from wiredesk.store import StoreError

        if isinstance(error, click.exceptions.ClickException):
            error.show()
            sys.exit(error.exit_code)
        if isinstance(error, click.exceptions.Abort):
            sys.exit(1)
        if _state["debug"]:
            raise
        if isinstance(error, StoreError):
            _fail(error)
        err.print(
            f"wiredesk: internal error: {type(error).__name__}: {escape(str(error))} "
            "(run with --debug for the traceback)",
            soft_wrap=True,
        )
        sys.exit(70)
