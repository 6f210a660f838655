import re

from wiredesk.nlp.wordscan import heads_within, literal_start, word_heads, word_pattern

# Entries that start with letters of both halves of the list's letters ("(?:car|truck) bomb",
# "(?:bomb|shell)ed"), placed between shorter and longer ones of a single letter.
_LIST = [
    "attack(?:s|ed)?",
    "(?:car|truck) bombs?",
    "air ?strikes?",
    "(?:bomb|shell)ed",
    "bombs?",
    "shelling",
    "car",
    "truck",
    "clash(?:es|ed)?",
    "ambush",
    "(?:ied|mine) blasts?",
    "mine",
]
_TEXTS = [
    "A car bomb and a truck bombs attack; shelled, bombed, then shelling and clashes.",
    "Car Bombs hit; the TRUCK was bombed. An ambush, a mine blast and an IED blast.",
    "Airstrikes and air strikes attacked; mine-fields, car-parks, truckers, bombers.",
]


def test_a_word_list_finds_what_its_plain_alternation_finds() -> None:
    ordered = sorted(_LIST, key=len, reverse=True)
    plain = re.compile(rf"(?<![\w-])(?:{'|'.join(ordered)})(?![\w-])", re.IGNORECASE)
    grouped = word_pattern(_LIST)
    for text in _TEXTS:
        expected = [(m.span(), m.group()) for m in plain.finditer(text)]
        assert expected
        assert [(m.span(), m.group()) for m in grouped.finditer(text)] == expected


def test_an_entry_of_several_first_letters_is_written_once() -> None:
    assert word_pattern(_LIST).pattern.count("(?:car|truck) bombs?") == 1


def test_a_literal_start_is_the_text_every_match_starts_with() -> None:
    for alternative, words, phrase in (
        ("no (?:one|body) was killed", "no", "no "),
        ("without (?:causing )?casualties", "without", "without "),
        ("deaths?", "death", "death"),
        ("No injuries", "no", "no injuries"),
        ("(?:no|without) deaths", "", ""),
        ("a+b", "a", "a"),
        ("air ?strikes?", "air", "air"),
    ):
        assert literal_start(alternative) == words
        assert literal_start(alternative, spaces=True) == phrase
        for text in ("no one was killed", "nobody was killed", "without casualties", "deaths"):
            match = re.match(alternative, text, re.IGNORECASE)
            assert match is None or match[0].lower().startswith(phrase)


def test_the_heads_of_a_part_are_those_of_the_whole_text_moved_to_its_start() -> None:
    text = "Gunmen attacked a convoy near Gao on Friday."
    heads = word_heads(text)
    start = text.index("a convoy")
    end = text.index(" on Friday")
    assert heads_within(text, heads, start, end) == word_heads(text[start:end])
    assert heads_within(text, heads, 0, len(text)) is heads
    # a part that starts inside a word is split on its own
    inside = text.index("onvoy")
    assert heads_within(text, heads, inside, end) == word_heads(text[inside:end])
