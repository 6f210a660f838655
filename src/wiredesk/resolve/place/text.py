"""Text folding shared by the gazetteer keys and the documents they are matched against.

`fold` maps a name to its matching key: diacritics stripped, lower case, every run of
punctuation, hyphens, apostrophes and white space turned into one space. `FoldedText` does
the same to a document while remembering where each folded character came from, so a match
in folded text maps back to an exact span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

# Letters whose decomposition does not give a plain ASCII letter.
_SPECIAL = {
    "ß": "s",
    "ø": "o",
    "Ø": "o",
    "đ": "d",
    "Đ": "d",
    "ł": "l",
    "Ł": "l",
    "æ": "a",
    "Æ": "a",
    "œ": "o",
    "Œ": "o",
    "ı": "i",
    "ð": "d",
    "þ": "t",
    "ħ": "h",
}


def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    base = base.lower()
    if len(base) == 1 and base.isalnum():
        return base
    if ch.isalnum():
        return ch.lower()[:1] or " "
    return " "


# Characters from here on fold to themselves.
FOLDED_BELOW = 0x2E80


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(FOLDED_BELOW):
        ch = chr(cp)
        folded = _fold_char(ch)
        if folded != ch:
            table[cp] = folded
    return table


FOLD_TABLE = _table()
_SPACES = re.compile(r" {2,}")


def fold(name: str) -> str:
    """The matching key of a name: 'Ma’arrat al-Nu‘man' -> 'ma arrat al nu man'."""
    folded = name.translate(FOLD_TABLE)
    if "  " in folded:  # most names have no run of spaces to collapse
        folded = _SPACES.sub(" ", folded)
    return folded.strip()


def squash(name: str) -> str:
    """The key with apostrophes dropped instead of spaced: 'Ma'arrat' -> 'maarrat'."""
    return fold(re.sub(r"['’‘ʼʻ`´]", "", name))


class FoldedText:
    """A document folded for matching, padded with one space at each end."""

    __slots__ = ("_cuts", "_shift", "folded", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        raw = " " + text.translate(FOLD_TABLE) + " "
        # Collapse runs of spaces; remember, for each folded position, how far it moved.
        cuts: list[int] = []
        shift: list[int] = [0]
        parts: list[str] = []
        last = 0
        removed = 0
        for m in _SPACES.finditer(raw):
            parts.append(raw[last : m.start() + 1])
            removed += m.end() - m.start() - 1
            last = m.end()
            cuts.append(m.start() + 1 - (removed - (m.end() - m.start() - 1)))
            shift.append(removed)
        parts.append(raw[last:])
        self.folded = "".join(parts)
        self._cuts = cuts
        self._shift = shift

    def aligned(self, table: dict[int, str]) -> str:
        """The document translated by `table` and collapsed as the folded text is, position
        for position; `table` must map to a space exactly what `FOLD_TABLE` does."""
        return _SPACES.sub(" ", " " + self.text.translate(table) + " ")

    def original(self, pos: int) -> int:
        """The offset in the original text of folded position `pos` (padding counted)."""
        return pos + self._shift[bisect_right(self._cuts, pos)] - 1
