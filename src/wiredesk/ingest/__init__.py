"""Ingest: files, directories and stdin in; Documents out, or a one-line ReadError per bad input."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from wiredesk.ingest.readers import READERS, ReadError, parse_published, sniff_reader
from wiredesk.records import Document

__all__ = ["MAX_INPUT_BYTES", "ReadError", "parse_published", "read_inputs"]

MAX_INPUT_BYTES = 64 * 1024 * 1024


def _read_bytes(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise ReadError(str(path), f"too large ({size:,} bytes; the limit is {limit:,})")
        return path.read_bytes()
    except PermissionError:
        raise ReadError(str(path), "permission denied") from None
    except IsADirectoryError:
        raise ReadError(str(path), "is a directory") from None
    except FileNotFoundError:
        raise ReadError(str(path), "no such file or directory") from None
    except OSError as err:
        raise ReadError(str(path), err.strerror or "cannot be read") from None


def _files(path: Path) -> Iterator[Path]:
    """The readable files under a directory, recursively, in a stable order."""
    for child in sorted(path.rglob("*")):
        if child.is_file() and child.suffix.lower() in READERS and not child.name.startswith("."):
            yield child


def _read_one(source: str, data: bytes, reader_suffix: str | None) -> Iterator[Document]:
    if not data.strip():
        raise ReadError(source, "empty input")
    reader = READERS[reader_suffix] if reader_suffix else sniff_reader(data)
    yield from reader(data, source)


def _documents(data: bytes, source: str, suffix: str | None) -> Iterator[Document | ReadError]:
    """Documents of one input; a reader's error ends that input but keeps what came before."""
    try:
        yield from _read_one(source, data, suffix)
    except ReadError as err:
        yield err
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError) as err:
        # A third-party parser that gives up on malformed input is a bad input, not a crash.
        yield ReadError(source, f"cannot be parsed ({type(err).__name__})")


def read_inputs(
    inputs: Iterable[str],
    published: date | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> Iterator[Document | ReadError]:
    """Every document of every input, in order, with errors in place of unreadable inputs.

    A document's own publication date wins over `published`.
    """
    for item in inputs:
        if item == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield ReadError("<stdin>", f"too large (over {max_bytes:,} bytes)")
                continue
            stream = _documents(data, "<stdin>", None)
        else:
            path = Path(item)
            if path.is_dir():
                files = list(_files(path))
                if not files:
                    yield ReadError(item, "a directory with no readable files")
                for file in files:
                    yield from _with_date(_read_path(file, max_bytes), published)
                continue
            stream = _read_path(path, max_bytes)
        yield from _with_date(stream, published)


def _read_path(path: Path, max_bytes: int) -> Iterator[Document | ReadError]:
    suffix = path.suffix.lower()
    if path.exists() and not path.is_dir() and suffix not in READERS:
        suffix = ""
    try:
        data = _read_bytes(path, max_bytes)
    except ReadError as err:
        yield err
        return
    yield from _documents(data, str(path), suffix or None)


def _with_date(
    stream: Iterator[Document | ReadError], published: date | None
) -> Iterator[Document | ReadError]:
    for item in stream:
        if isinstance(item, Document) and item.published is None and published is not None:
            item = replace(item, published=published)
        yield item
