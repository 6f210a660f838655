"""Numbers written as digits or words ("18", "twenty-four", "a few", "one and a half")."""

from __future__ import annotations

import re
from functools import cache

from wiredesk.resolve.time.lexicon import Lexicon, alternation, lexicon, normal


@cache
def number_pattern() -> str:
    """A regex for a count: digits, number words, vague words; no capture groups."""
    lex = lexicon()
    units = alternation(w for w in lex.number_units if " " not in w and w not in ("a", "an"))
    tens = alternation(lex.number_tens)
    word = rf"(?:{tens}(?:[\s-]+{units})?|{units})"
    scaled = rf"(?:(?:{word}|a)\s+)?(?:hundred|thousand)(?:\s+(?:and\s+)?{word})?"
    digits = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+\d/\d)?"
    multi = alternation(w for w in lex.number_units if " " in w)
    vague = alternation(lex.vague)
    fraction = rf"(?:(?:{word}|a|an|\d+)\s+and\s+(?:a\s+)?half|half\s+an?)"
    return rf"(?:{fraction}|{digits}|{scaled}|{word}|{multi}|{vague}|an?)"


_FRACTION = re.compile(r"(\d+)\s+(\d)/(\d)$")


def parse_number(text: str, lex: Lexicon | None = None) -> float | None:
    """The value of a count written as digits or words; None for a vague one ("several")."""
    lex = lex or lexicon()
    words = normal(text).replace("-", " ")
    if words in lex.vague:
        return None
    if words in ("half a", "half an"):
        return 0.5
    fraction = _FRACTION.match(words)
    if fraction:
        return int(fraction[1]) + int(fraction[2]) / int(fraction[3])
    if words.endswith("and a half") or words.endswith("and half"):
        head = parse_number(words.split(" and ")[0], lex)
        return None if head is None else head + 0.5
    if words in lex.number_units:
        return float(lex.number_units[words])
    try:
        return float(words.replace(",", ""))
    except ValueError:
        pass
    total = 0.0
    current = 0.0
    seen = False
    for word in words.split():
        if word == "and":
            continue
        if word in lex.number_units:
            current += lex.number_units[word]
        elif word in lex.number_tens:
            current += lex.number_tens[word]
        elif word in lex.number_scales:
            current = (current or 1) * lex.number_scales[word]
            if lex.number_scales[word] >= 1000:
                total, current = total + current, 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_ordinal(text: str, lex: Lexicon | None = None) -> int | None:
    """1 for "first", "1st", "1"; 21 for "twenty-first"; None when not an ordinal."""
    lex = lex or lexicon()
    word = normal(text).rstrip(".")
    digits = re.match(r"(\d+)(?:st|nd|rd|th)?$", word)
    if digits:
        return int(digits[1])
    if word in lex.ordinals:
        return lex.ordinals[word]
    parts = re.split(r"[\s-]+", word)
    if len(parts) == 2 and parts[0] in lex.number_tens and parts[1] in lex.ordinals:
        return lex.number_tens[parts[0]] + lex.ordinals[parts[1]]
    return None
