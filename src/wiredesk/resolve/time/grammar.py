"""The patterns of time expressions, built from the lexicon into one regular expression.

Each rule is a named group `(?P<rule>...)`; its parts are named `<prefix>_<part>`. At one
position the first rule that matches wins, so the longer and more specific rules come first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from wiredesk.resolve.time.lexicon import alternation, lexicon
from wiredesk.resolve.time.numbers import number_pattern


def _names(names: dict[str, int]) -> str:
    """Full names, and short forms with an optional full stop ("Jan.", "Sept", "Tues.")."""
    full = [n for n in names if len(n) > 5 or n in ("may", "june", "july", "march", "april")]
    short = [n for n in names if n not in full]
    return rf"(?:{alternation(full)}\b|{alternation(short)}\b\.?)"


@cache
def fragments() -> dict[str, str]:
    """Named building blocks shared by the rules (no capture groups)."""
    lex = lexicon()
    units = alternation(u for u in lex.units if u not in ("weekend", "weekends"))
    ordinal_word = alternation(lex.ordinals)
    tens = alternation(lex.number_tens)
    small = alternation(w for w, n in lex.number_units.items() if 1 <= n <= 19 and " " not in w)
    teens_and_tens = rf"(?:{tens}(?:[\s-]+{small})?|{small})"
    return {
        "MONTH": _names(lex.months),
        "WEEKDAY": _names(lex.weekdays),
        "WEEKDAYS": alternation(f"{day}s" for day in lex.weekdays if len(day) > 5) + r"\b",
        "DAY": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b",
        "DAYWORD": rf"(?:(?:twenty|thirty)[\s-]+)?{ordinal_word}",
        "YEAR": r"(?:1[0-9]\d\d|20\d\d)\b(?![.,]\d)",
        "YEARWORDS": (
            rf"(?:(?:nineteen|twenty)[\s-]+(?:{teens_and_tens}|hundred|oh[\s-]+{small})"
            rf"|two\s+thousand(?:\s+and)?(?:[\s-]+{small})?)\b"
        ),
        "NUM": number_pattern(),
        "UNIT": units,
        "PART": alternation(lex.parts_of_day),
        "SEASON": alternation(lex.seasons),
        "MOD": alternation(lex.mods),
        "APPROX": alternation(lex.approx),
        "SHIFT": alternation(lex.shift),
        "TZ": alternation(lex.timezones),
        "HOLIDAY": alternation(lex.holidays),
        "REF": alternation(lex.refs),
        "REFADJ": alternation(lex.ref_adjectives),
        "PERIODADJ": alternation(lex.period_adjectives),
        "PERIODNOUN": alternation(lex.period_nouns),
        "SETWORD": alternation(lex.sets),
        "DECADEWORD": alternation(lex.decades),
        "ORDINAL": rf"(?:\d{{1,2}}(?:st|nd|rd|th)|{ordinal_word})",
        "CLOCKWORD": alternation(lex.clock_words),
        "HOUR": r"(?:[01]?\d|2[0-4])",
        "HOURWORD": alternation(w for w, n in lex.number_units.items() if 1 <= n <= 12),
    }


# Each rule, in the order tried at one position. {NAME} are fragments.
RULES: list[tuple[str, str]] = [
    (
        "range",
        r"""(?:between|from)\s+(?P<ra_w1>{WEEKDAY})\s+(?:and|to|until|till|through)\s+(?P<ra_w2>{WEEKDAY})
        |(?:(?:the\s+)?(?P<ra_part>night|nights|weekend|morning|evening)\s+of\s+)?
        (?:(?P<ra_m1>{MONTH})\s+(?P<ra_d1>{DAY})\s*(?:-|–|—|to|and|through|until)\s*
           (?:(?P<ra_m2>{MONTH})\s+)?(?P<ra_d2>{DAY})
         |(?P<ra_d3>{DAY})\s*(?:-|–|—|to|and)\s*(?P<ra_d4>{DAY})\s+(?:of\s+)?(?P<ra_m3>{MONTH}))
        (?:,?\s+(?P<ra_y>{YEAR}))?""",
    ),
    (
        "clock",
        r"""(?:(?P<ck_approx>around|about|approximately|roughly|shortly\s+(?:before|after)
              |just\s+(?:before|after))\s+)?
        (?:(?P<ck_h1>{HOUR})(?:[:.](?P<ck_m1>[0-5]\d))?\s*(?P<ck_ap>[ap]\.?\s?m\b\.?)
         |(?P<ck_h2>{HOUR}):(?P<ck_m2>[0-5]\d)(?::[0-5]\d)?(?:\s*(?:hours|hrs|h)\b)?
         |(?P<ck_h3>[0-2]\d)(?P<ck_m3>[0-5]\d)\s*(?:hours|hrs|h\b)?(?=\s*(?:\(?(?:gmt|utc|local\s+time)))
         |(?P<ck_word>{CLOCKWORD})
         |(?P<ck_h4>{HOUR}|{HOURWORD})\s+(?:o'clock\s+)?in\s+the\s+(?P<ck_part>morning|afternoon|evening|night)
         |(?P<ck_h5>{HOUR}|{HOURWORD})\s+o['’]clock)
        (?:\s*(?P<ck_tz>{TZ})\b|\s*\((?P<ck_tz2>{TZ})\b[^)(]{{0,6}}\))?
        (?:,?\s+(?P<ck_day>{WEEKDAY}|today|yesterday|tomorrow|tonight|{MONTH}\s+{DAY}))?""",
    ),
    (
        "date",
        r"""(?:(?P<dt_week>the\s+week\s+of\s+)|(?:the\s+)?(?P<dt_part>{PART})\s+of\s+)?
        (?:(?:(?:this\s+coming|this\s+past|this|next|last|coming|past)\s+)?
           (?P<dt_wd>{WEEKDAY}),?\s+(?:the\s+)?)?
        (?:(?P<dt_iso>\d{{4}}-[01]\d-[0-3]\d)(?:T(?P<dt_time>[0-2]\d:[0-5]\d))?
         |(?P<dt_num>[0-3]?\d[/.][0-3]?\d[/.](?:\d{{4}}|\d{{2}}))
         |(?:the\s+)?(?P<dt_d1>{DAY}|{DAYWORD})(?:\s+of)?\s+(?P<dt_m1>{MONTH})(?:,?\s+(?P<dt_y1>{YEAR}))?
         |(?P<dt_m2>{MONTH})\s+(?:the\s+)?(?P<dt_d2>{DAY}|{DAYWORD})(?!\s*(?:%|percent|[:.,]\d))
          (?:,?\s+(?P<dt_y2>{YEAR}))?)""",
    ),
    (
        "monthyear",
        r"""(?:(?P<my_mod>{MOD})[\s-]+)?(?P<my_m>{MONTH})(?:\s+of)?,?\s+(?P<my_y>{YEAR}|{YEARWORDS}|['’]\d\d\b)""",
    ),
    (
        "offset",
        r"""(?:(?P<of_approx>{APPROX})\s+)?
        (?:(?P<of_num>{NUM})[\s-]+(?:more\s+|full\s+|long\s+)?)?(?P<of_unit>{UNIT})
        (?P<of_half>\s+and\s+a\s+half)?(?:\s+or\s+so)?
        \s+(?P<of_word>ago|back|earlier|later|before|after|afterwards?|previously|from\s+now|hence
            |into|following|prior\s+to|ahead\s+of)\b""",
    ),
    (
        "quarter",
        r"""(?:(?P<qu_mod>{MOD})[\s-]+)?
        (?:(?P<qu_det>the|its|their|this|that|a|his|her)\s+)?
        (?:(?P<qu_y1>{YEAR})\s+|(?P<qu_ys>this|last|next)\s+year['’]s\s+)?
        (?P<qu_rel>(?:(?:latest|current|year-earlier|year-ago|year\s+earlier|year\s+ago|comparable
            |same|corresponding|previous|prior|past|recent|latest|flat|fiscal|year-before)[\s-]+)*)
        (?:(?P<qu_y2>{YEAR})\s+)?
        (?:(?P<qu_ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last)[\s-]+)?
        (?:fiscal[\s-]+)?(?P<qu_unit>quarter|half|period|two\s+quarters)(?!-)
        (?:\s+of\s+(?:(?P<qu_y3>{YEAR})|(?P<qu_ys2>this|last|next)\s+year|the\s+(?P<qu_ys3>year)
              |fiscal\s+(?P<qu_y4>{YEAR}))
         |\s+(?P<qu_ago>a\s+year\s+(?:ago|earlier)|last\s+year))?
        |(?P<qu_q>q[1-4])(?:\s+(?P<qu_y5>{YEAR}))?""",
    ),
    (
        "weekday",
        r"""(?:(?P<wd_mod>early|late|earlier|later|mid)\s+)?
        (?:(?P<wd_shift>last|next|this\s+past|this\s+coming|this|coming|past|(?:the\s+)?previous
            |(?:the\s+)?following|that)\s+)?
        (?P<wd_day>{WEEKDAY})(?:\s+(?P<wd_part>{PART}))?
        |(?:the\s+)?(?P<wd_prepart>{PART})\s+of\s+(?P<wd_day2>{WEEKDAY})""",
    ),
    (
        "deictic",
        r"""(?:(?P<dx_mod>early|late|earlier|later|mid)[\s-]*)?
        (?:(?P<dx_prepart>morning|afternoon|evening|night)\s+(?P<dx_day1>yesterday|today|tomorrow)
         |the\s+day\s+(?P<dx_ba>before\s+yesterday|after\s+tomorrow)
         |(?P<dx_day>yesterday|today|tomorrow|tonight)(?:\s+(?P<dx_part>{PART}))?
         |(?P<dx_this>last|this|tomorrow|the)\s+(?P<dx_part2>night|morning|afternoon|evening)
         |(?P<dx_over>overnight)
         |(?P<dx_weekend>the\s+weekend)
         |(?P<dx_theday>the\s+day)(?!\s+(?:before|after|of|when|that|and|is|was)\b)
         |(?P<dx_bare>morning|afternoon|evening))""",
    ),
    (
        "weekof",
        r"""(?:the\s+)?(?P<wk_ord>first|second|third|fourth|last|final)\s+(?:full\s+)?week\s+of\s+
        (?P<wk_m>{MONTH})(?:,?\s+(?P<wk_y>{YEAR}))?""",
    ),
    (
        "nth",
        r"""(?:(?P<nt_det>the|a)\s+)?(?P<nt_ord>{ORDINAL})\s+(?:(?:straight|consecutive|successive)\s+)?
        (?P<nt_unit>day|week|month|year)(?![\w-])
        (?!\s+of\s+(?:(?:the|this|that|each|every|a|its|their|next|last)\s+)?(?:{MONTH}|{UNIT}|\d))""",
    ),
    (
        "span",
        r"""(?:(?P<sp_approx>{APPROX})\s+)?
        (?:(?P<sp_det>the|these|those|its|their|his|her|our|each\s+of\s+the)\s+)?
        (?:(?P<sp_dir>past|last|next|coming|first|final|latest|previous|following|remaining|recent
            |initial|early|preceding|year-earlier|year-ago|comparable|corresponding)\s+)?
        (?:(?:(?P<sp_low>{NUM})\s*(?P<sp_to>to|or|and|–|-(?=\s*\d))\s*)?(?P<sp_num>{NUM})[\s-]+(?:more\s+|additional\s+|full\s+|straight\s+|consecutive\s+
            |long\s+|trading\s+|working\s+|business\s+|calendar\s+|or\s+so\s+)?)?
        (?P<sp_unit>{UNIT})(?P<sp_half>[\s-]+and\s+a[\s-]+half)?
        (?P<sp_tail>[\s-]+(?:long|old)\b|\s+or\s+so\b)?""",
    ),
    (
        "unit",
        r"""(?:(?P<un_mod>{MOD})[\s-]+)?(?:the\s+)?
        (?P<un_shift>{SHIFT}|following|same|that|that\s+same)\s+
        (?P<un_what>week|weekend|month|year|quarter|decade|century|fiscal\s+year|day|night|morning
            |afternoon|evening|time)\b
        (?P<un_ago>\s+a\s+year\s+(?:ago|earlier|before))?""",
    ),
    (
        "anchor",
        r"""(?:(?P<an_mod>earlier|later|early|late)\s+(?:on\s+)?)?
        the\s+(?P<an_what>day|night|morning|evening|week|month|year)\s+(?P<an_ba>before|after|earlier|later|prior|previous)
        (?!\s+(?:yesterday|tomorrow))
        |(?P<an_in>{MOD}|(?:earlier|later|early|late)\s+in)\s+the\s+(?P<an_unit>day|week|weekend|month|year|quarter)
        |(?P<an_year>the\s+(?:full\s+|entire\s+|whole\s+|fiscal\s+|calendar\s+)?year)
            (?![\s-]+(?:\d|earlier|ago|before|after|later|two|nineteen|twenty|of(?!\s+[$£€#]))\b|['’]s)
            (?=(?P<an_ended>\s+(?:ended|ending|to))?)
        |(?P<an_week>the\s+week)(?![\w-])""",
    ),
    (
        "yearago",
        r"""(?P<ya_word>year-(?:earlier|ago|before)|year[\s-]end|year['’]s\s+end)""",
    ),
    (
        "season",
        r"""(?:(?P<se_mod>{MOD})[\s-]+)?
        (?:(?P<se_det>the|this\s+past|this\s+coming|this|last|next|that|past|coming)\s+)?
        (?P<se_name>{SEASON})(?:(?:\s+of)?,?\s+(?P<se_y>{YEAR}|{YEARWORDS}|['’]\d\d\b))?""",
    ),
    (
        "decade",
        r"""(?:(?P<dc_the>the)\s+)?(?:(?P<dc_mod>{MOD})[\s-]+)?
        (?:(?P<dc_y>1\d\d0|20\d0)['’]?s
         |['’‘](?P<dc_yy>\d0)['’]?s
         |(?P<dc_yy2>\d0)s
         |(?P<dc_w>{DECADEWORD}))\b""",
    ),
    (
        "century",
        r"""(?:(?P<ce_the>the)\s+)?(?:(?P<ce_mod>{MOD})[\s-]+)?(?P<ce_ord>{ORDINAL})[\s-]+century""",
    ),
    (
        "holiday",
        r"""(?:(?P<ho_mod>{MOD})[\s-]+)?(?:(?P<ho_shift>last|this|next)\s+)?
        (?P<ho_name>{HOLIDAY})(?P<ho_week>\s+week)?(?:,?\s+(?P<ho_y>{YEAR}))?""",
    ),
    (
        "years",
        r"""(?:from|between)\s+(?P<ys_from>{YEAR})\s+(?:to|and|until|till|through)\s+(?P<ys_to>{YEAR})""",
    ),
    (
        "year",
        r"""(?:(?P<yr_mod>{MOD}|post|pre)[\s-]+)?
        (?P<yr_pre>(?:the\s+)?(?:fiscal\s+year|fiscal|calendar\s+year|calendar|year|FY)\s*)?
        (?P<yr_y>{YEAR}|{YEARWORDS}|['’‘]\d\d\b(?!['’]?s))(?:\s*(?:-|–|/)\s*(?P<yr_y2>{YEAR}|\d\d)\b)?""",
    ),
    (
        "month",
        r"""(?:(?P<mo_mod>{MOD})[\s-]+)?
        (?:(?P<mo_shift>last|this\s+past|this\s+coming|this|next|past|coming|that)\s+)?
        (?P<mo_m>{MONTH})(?:\s+(?:of\s+)?(?P<mo_rel>last|this|next)\s+year)?""",
    ),
    (
        "set",
        r"""(?P<st_every>every|each|per)\s+(?:other\s+)?(?:(?P<st_num>{NUM})\s+)?
            (?P<st_what>{UNIT}|{WEEKDAY}|{MONTH}|{SEASON}|{PART}|weekend|weekday)
        |(?P<st_word>{SETWORD})
        |(?P<st_times>once|twice|thrice|{NUM}\s+times)\s+(?:a|an|per|every|each)\s+(?P<st_unit>{UNIT})
        |(?P<st_wds>{WEEKDAYS})
        |(?P<st_wdp>{WEEKDAY})\s+(?P<st_parts>nights|mornings|evenings|afternoons)""",
    ),
    ("ref", r"""(?P<rf_word>{REF})"""),
    ("refadj", r"""(?P<rj_then>then[\s-]+)?(?P<rj_word>{REFADJ})(?=\s+(?P<rj_noun>[a-z]+))"""),
    ("period", r"""(?P<pa_word>{PERIODADJ})(?=\s+(?:net\s+)?{PERIODNOUN}\b)"""),
]

# A rule starts only where no word, number or currency sign runs into it.
BEFORE = r"(?<![\w$£€#@.,/-])"
AFTER = r"(?![\w])"


def _first_words(phrases: Iterable[str]) -> set[str]:
    return {p.split()[0] for p in phrases}


@cache
def starts() -> str:
    """A lookahead for the places where a rule may start: a time word or phrase, a number
    that a time word follows, or a common word ("the", "two", "about") followed by a time
    word. It keeps the rules from being tried at every word, which is where the speed
    comes from."""
    lex = lexicon()
    phrases = (
        set(lex.months)
        | set(lex.weekdays)
        | {f"{day}s" for day in lex.weekdays}
        | set(lex.deictic_days)
        | set(lex.deictic_parts)
        | set(lex.refs)
        | set(lex.ref_adjectives)
        | set(lex.period_adjectives)
        | set(lex.seasons)
        | set(lex.holidays)
        | set(lex.sets)
        | set(lex.clock_words)
        | set(lex.units)
        | set(lex.decades)
        | set(lex.ordinals)
        | set(lex.vague)
        | set(lex.mods)
        | set(lex.shift)
        | set(lex.anchored_shift)
        | set(lex.approx)
        | {"once", "twice", "thrice", "every", "per", "fiscal", "half", "mid", "post", "pre"}
    )
    numbers = set(lex.number_units) | set(lex.number_tens) | set(lex.number_scales)
    weak = set(lex.weak_starts) | numbers | {p for p in lex.approx if " " not in p}
    weak |= {"some", "that", "this", "recent", "then"}
    strong = {p for p in phrases if p not in weak}
    second = _first_words(phrases | weak | lex.glue | set(lex.parts_of_day))
    second |= {word for phrase in lex.refs for word in phrase.split()}
    time_word = alternation(second)
    digits = (
        r"\d{4}(?!\d)|\d{1,2}[:./]\d|\d0s\b"  # a year, a clock time, a numeric date, a decade
        rf"|\d[\d,.]*(?:st|nd|rd|th)?(?:-\d+)?[\s-]*(?:{time_word}(?![\w])|[ap]\.?\s?m\b|o['’]clock"
        r"|gmt|utc|local|h\b|hrs\b|\(|\d/\d)"
    )
    return (
        rf"(?={digits}|['’‘]\d|q[1-4]|{alternation(strong)}(?![\w])"
        rf"|{alternation(weak)}[\s-]+(?:\d|['’‘]\d|{time_word}(?![\w])))"
    )


# A group of a rule's own: `master` leaves them out.
_PART = re.compile(r"\(\?P<\w+>")


@cache
def master() -> re.Pattern[str]:
    """All rules in one pattern, for lower-cased text: where the next expression starts and
    which rule matched there, named by the pattern's only groups (empty, one at the end of
    each rule). Without the rules' own groups, which the matcher saves and restores at every
    step back, it runs twice as fast; the rule's pattern then reads the parts."""
    frags = fragments()
    body = "|".join(
        f"(?:{_PART.sub('(?:', pattern.format(**frags))})(?P<{name}>)" for name, pattern in RULES
    )
    return re.compile(f"{BEFORE}{starts()}(?:{body}){AFTER}", re.VERBOSE)


@cache
def rule_patterns() -> dict[str, re.Pattern[str]]:
    """Each rule on its own, in order: to read the parts of what `master` found, and to try
    the next rules where a match was rejected."""
    frags = fragments()
    return {
        name: re.compile(f"{BEFORE}(?P<{name}>{pattern.format(**frags)}){AFTER}", re.VERBOSE)
        for name, pattern in RULES
    }
