"""Spelling variants of a folded place name (transliterations news uses)."""

from __future__ import annotations

# Countries where Arabic articles (al-, el-, as-, ash- ...) appear in transliterated names.
ARABIC_COUNTRIES = frozenset(
    [
        "IQ",
        "SY",
        "YE",
        "SA",
        "JO",
        "LB",
        "PS",
        "IL",
        "EG",
        "LY",
        "TN",
        "DZ",
        "MA",
        "SD",
        "KW",
        "QA",
        "AE",
        "OM",
        "BH",
        "MR",
        "SO",
        "DJ",
        "TD",
        "EH",
    ]
)
ARTICLES = frozenset(
    [
        "al",
        "el",
        "ar",
        "as",
        "ash",
        "ad",
        "an",
        "at",
        "az",
        "ath",
        "adh",
        "ed",
        "es",
        "et",
        "er",
        "ez",
        "en",
        "ul",
        "ud",
        "us",
        "ut",
    ]
)
_FIRST_WORD = {
    "ain": ("ayn", "ein", "ayin", "en"),
    "ayn": ("ain", "ein"),
    "ein": ("ain", "ayn"),
    "saint": ("st", "san"),
    "st": ("saint",),
    "sainte": ("ste",),
    "ste": ("sainte",),
    "mount": ("mt",),
    "mt": ("mount",),
    "fort": ("ft",),
    "ft": ("fort",),
    "tal": ("tall", "tell", "tel"),
    "tall": ("tal", "tell", "tel"),
    "tell": ("tal", "tall", "tel"),
    "tel": ("tal", "tall", "tell"),
    "deir": ("dayr", "dair", "der"),
    "dayr": ("deir", "dair"),
    "kafr": ("kfar", "kafar"),
    "kfar": ("kafr",),
    "jabal": ("jebel", "jabal", "jbel"),
    "jebel": ("jabal",),
    "qasr": ("kasr",),
    "khan": ("han",),
    "wadi": ("wad",),
    "bir": ("beer", "bi r"),
    "ras": ("raas",),
}
_LETTERS = (("ou", "u"), ("dh", "d"), ("kh", "k"), ("q", "k"), ("ee", "i"), ("oo", "u"))


def variants(key: str, country: str) -> set[str]:
    """Other keys news may use for `key` (already folded): 'ar ramadi' -> 'ramadi', 'al ramadi'."""
    out: set[str] = set()
    words = key.split(" ")
    arabic = country in ARABIC_COUNTRIES
    if arabic and len(words) >= 2 and words[0] in ARTICLES:
        rest = " ".join(words[1:])
        if len(rest) >= 4:
            out.add(rest)
        out.add("al " + rest)
        out.add("el " + rest)
    if arabic and len(words) >= 3:
        inner = [("al" if w in ARTICLES and i > 0 else w) for i, w in enumerate(words)]
        out.add(" ".join(inner))
    if arabic and words[-1].endswith("ah") and len(words[-1]) >= 5:
        # Amadiyah / Amadiya, Sulaymaniyah / Sulaymaniya
        for base in [key, *out]:
            if base.endswith("ah"):
                out.add(base[:-1])
    if words[0] in _FIRST_WORD:
        for alt in _FIRST_WORD[words[0]]:
            out.add(" ".join([alt, *words[1:]]))
    if arabic and len(key) >= 6:
        for a, b in _LETTERS[:1]:
            if a in key:
                out.add(key.replace(a, b))
    if "-" in key:
        out.add(key.replace("-", " "))
    out.discard(key)
    return {v for v in out if len(v) >= 3}
