"""Readers: bytes of one input in, documents out, or a ReadError that says why not."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from wiredesk.records import Document, document_id


class ReadError(Exception):
    """An input that could not be read; the message is one line naming the input and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


Reader = Callable[[bytes, str], Iterator[Document]]

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_published(value: object) -> date | None:
    """A publication date from the forms feeds and exports use; None when there is none."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE.search(value)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM is dropped), or a ReadError for binary and other encodings."""
    if b"\x00" in data[:8192]:
        raise ReadError(source, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReadError(source, f"not UTF-8 text (invalid byte at offset {err.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def make_document(
    text: str,
    *,
    source: str,
    id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: date | None = None,
) -> Document:
    return Document(
        id=id or document_id(text),
        text=text,
        title=title,
        url=url,
        outlet=outlet,
        published=published,
        origin=source,
    )


def _require_text(text: str, source: str) -> str:
    if not text.strip():
        raise ReadError(source, "no text in it")
    return text


_HEADLINE_MAX = 200


def headline(text: str) -> str | None:
    """The first line when it reads as a headline: short, not a sentence, followed by more text."""
    first, sep, rest = text.strip().partition("\n")
    first = first.strip()
    if not sep or not rest.strip() or not first or len(first) > _HEADLINE_MAX:
        return None
    if first.endswith((".", ",", ";", ":")) and not first.endswith("..."):
        return None
    return first


def read_text(data: bytes, source: str) -> Iterator[Document]:
    text = _require_text(decode_text(data, source), source)
    yield make_document(text, source=source, title=headline(text))


def read_html(data: bytes, source: str) -> Iterator[Document]:
    import trafilatura

    if b"\x00" in data[:8192]:
        raise ReadError(source, "binary file, not HTML")
    try:
        markup = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4096])
        if not declared:
            raise ReadError(source, "HTML that is not UTF-8 and declares no charset") from None
        try:
            markup = data.decode(declared[1].decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            raise ReadError(source, f"HTML not in its declared charset {declared[1]!r}") from None
    result = trafilatura.bare_extraction(markup, with_metadata=True, favor_recall=True)
    body = getattr(result, "text", None) if result is not None else None
    if not body or not body.strip():
        raise ReadError(source, "HTML with no readable main text")
    title = getattr(result, "title", None) or None
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    yield make_document(
        text,
        source=source,
        title=title,
        url=getattr(result, "url", None) or None,
        outlet=getattr(result, "sitename", None) or None,
        published=parse_published(getattr(result, "date", None)),
    )


def _field(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return str(value) if value not in (None, "") else None


def read_jsonl(data: bytes, source: str) -> Iterator[Document]:
    text = decode_text(data, source)
    found = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise ReadError(where, f"malformed JSON ({err.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise ReadError(where, "each line must be a JSON object with a string 'text'")
        body = _require_text(record["text"], where)
        found = True
        yield make_document(
            body,
            source=where,
            id=_field(record, "id"),
            title=_field(record, "title") or headline(body),
            url=_field(record, "url"),
            outlet=_field(record, "outlet"),
            published=parse_published(record.get("published")),
        )
    if not found:
        raise ReadError(source, "no documents in it")


def _telegram_text(value: object) -> str:
    """Telegram stores formatted text as a list of plain strings and {"type", "text"} pieces."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in value
            if isinstance(part, (str, dict))
        )
    return ""


def read_telegram(data: bytes, source: str) -> Iterator[Document]:
    try:
        export = json.loads(decode_text(data, source))
    except json.JSONDecodeError as err:
        raise ReadError(source, f"malformed JSON ({err.msg} at line {err.lineno})") from None
    if not isinstance(export, dict):
        raise ReadError(source, "not a Telegram export (expected a JSON object)")
    chats = export.get("chats", {}).get("list") if isinstance(export.get("chats"), dict) else None
    channels = chats if isinstance(chats, list) else [export]
    found = False
    for channel in channels:
        if not isinstance(channel, dict) or not isinstance(channel.get("messages"), list):
            continue
        name = _field(channel, "name")
        for message in channel["messages"]:
            if not isinstance(message, dict) or message.get("type", "message") != "message":
                continue
            text = _telegram_text(message.get("text")).strip()
            if not text:
                continue
            found = True
            yield make_document(
                text,
                source=f"{source}#{message.get('id')}",
                title=headline(text),
                outlet=name,
                published=parse_published(message.get("date")),
            )
    if not found:
        raise ReadError(source, "no text messages (expected a Telegram Desktop 'result.json')")


def _html_fragment_text(markup: str) -> str:
    import lxml.html

    if "<" not in markup:
        return markup.strip()
    try:
        return str(lxml.html.fromstring(markup).text_content()).strip()
    except (ValueError, lxml.etree.ParserError):
        return re.sub(r"<[^>]*>", " ", markup).strip()


def read_feed(data: bytes, source: str) -> Iterator[Document]:
    import feedparser

    if b"\x00" in data[:8192]:
        raise ReadError(source, "binary file, not a feed")
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = "malformed feed" if feed.get("bozo") else "a feed with no items"
        raise ReadError(source, reason)
    outlet = feed.feed.get("title") or None
    found = False
    for number, entry in enumerate(feed.entries, start=1):
        contents = entry.get("content") or []
        markup = contents[0].get("value", "") if contents else entry.get("summary", "")
        body = _html_fragment_text(markup or "")
        title = (entry.get("title") or "").strip() or None
        if not body:
            continue
        found = True
        text = f"{title}\n\n{body}" if title else body
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
        yield make_document(
            text,
            source=f"{source}#{number}",
            id=None,
            title=title,
            url=entry.get("link") or None,
            outlet=outlet,
            published=published,
        )
    if not found:
        raise ReadError(source, "a feed whose items have no text")


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_telegram,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
}


def sniff_reader(data: bytes) -> Reader:
    """The reader for input with no file name (stdin), from its first bytes."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"{"):
        first_line = data.lstrip().split(b"\n", 1)[0]
        try:
            json.loads(first_line)
            return read_jsonl
        except ValueError:
            return read_telegram
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return read_feed
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return read_html
    return read_text
