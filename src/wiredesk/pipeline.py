"""The pipeline: a document through nlp, time, place and extraction, into its events."""

from __future__ import annotations

from wiredesk.extract import extract_events
from wiredesk.nlp import sentences
from wiredesk.records import Document, Extraction
from wiredesk.resolve.place import parse_places
from wiredesk.resolve.time import tag_times


def process(doc: Document) -> Extraction:
    """Every event a document reports, with its fields and their evidence."""
    spans = sentences(doc.text)
    times = tag_times(doc.text, doc.published)
    places = parse_places(doc.text, doc.outlet)
    return Extraction(doc, extract_events(doc, spans, times, places))
