"""NLP: sentences for every text; the statistical pipeline only where a stage asks for it."""

from __future__ import annotations

import re
import string
from functools import cache
from importlib import resources

from wiredesk.records import Span

__all__ = ["sentences"]

# A stop, then optional closing quotes or brackets, then space, then what can open a sentence.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_CHARACTERS = string.ascii_letters + "."  # what a word before a stop is written with


@cache
def _abbreviations() -> frozenset[str]:
    text = resources.files("wiredesk.data.nlp").joinpath("abbreviations.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _is_abbreviation(chunk: str, stop: int) -> bool:
    before = chunk[:stop]
    # The word right before the stop: its letters and stops, from the first letter.
    written = before[len(before.rstrip(_WORD_CHARACTERS)) :].lstrip(".")
    if not written:
        return False
    word = written.lower().rstrip(".")
    # A lone capital ("J. Smith") is an initial, not the end of a sentence.
    return word in _abbreviations() or (len(word) == 1 and written[0].isupper())


def sentences(text: str) -> list[Span]:
    """Sentence spans of `text`: paragraphs (lines) split at full stops that end sentences."""
    found: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        offset, chunk = line.start(), line[0]
        start = 0
        for boundary in _BOUNDARY.finditer(chunk):
            if _is_abbreviation(chunk, boundary.start()) and boundary[0] == ".":
                continue
            _add(found, text, offset + start, offset + boundary.end())
            start = boundary.end()
        _add(found, text, offset + start, offset + len(chunk))
    return found


def _add(found: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        found.append(Span(start, end, text[start:end]))
