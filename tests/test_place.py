"""Geoparser: detection, ranking, variants, offsets, demonyms, persons and event places."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wiredesk.records import Place, Span
from wiredesk.resolve.place import Geoparser, demonym_country, event_place, parse_places
from wiredesk.resolve.place.geoparser import KEPT_OTHER_INDEXES, drop_stale_indexes
from wiredesk.resolve.place.model import DEMONYM_FEATURE
from wiredesk.resolve.place.text import FoldedText, fold
from wiredesk.resolve.place.variants import variants


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return Geoparser.default()


def by_text(places: list[Place]) -> dict[str, Place]:
    return {p.span.text: p for p in places}


def test_spans_are_exact(parser: Geoparser) -> None:
    text = "Shells fell on  Ma’arrat al-Nu’man and   Idlib, Syria, on Tuesday."
    places = parser.parse(text)
    assert places
    for p in places:
        assert text[p.span.start : p.span.end] == p.span.text


def test_folded_text_maps_back() -> None:
    text = "Al-Qaim ,  near  Ḥusaybah"
    ft = FoldedText(text)
    assert ft.folded == " al qaim near husaybah "
    start = ft.folded.index("husaybah")
    assert text[ft.original(start)] == "Ḥ"


def test_fold_and_variants() -> None:
    assert fold("Ma’arrat al-Nu‘man") == "ma arrat al nu man"
    assert fold("Şırnak") == "sirnak"
    assert "ramadi" in variants("ar ramadi", "IQ")
    assert "al ramadi" in variants("ar ramadi", "IQ")
    assert "ayn al asad" in variants("ain al asad", "IQ")
    assert "amadiya" in variants("al amadiyah", "IQ")
    assert variants("an giang", "VN") == set()  # no Arabic articles outside Arabic names


def test_transliteration_variants_resolve(parser: Geoparser) -> None:
    for spelling in ("Ain al-Asad", "Ayn al-Asad", "Ain Al Asad", "Al-Asad Air Base"):
        places = parser.parse(f"A drone was downed over {spelling} on Friday.")
        assert [p.geonames_id for p in places] == ["wd:ain-al-asad"], spelling
    for spelling in ("Dohuk", "Duhok", "Dahuk"):
        places = parser.parse(f"Clashes were reported in {spelling} province.")
        assert places and places[0].country == "IQ" and places[0].precision == "province"


def test_facility_with_lowercase_kind_word(parser: Geoparser) -> None:
    text = "Two rockets struck Ain al-Asad airbase in Anbar province late on Monday."
    places = by_text(parser.parse(text))
    base = places["Ain al-Asad airbase"]
    assert base.precision == "facility"
    assert (base.lat, base.lon) == (33.7856, 42.4412)
    assert places["Anbar"].precision == "province"
    assert places["Anbar"].country == "IQ"


def test_province_word_prefers_the_division(parser: Geoparser) -> None:
    town = by_text(parser.parse("Police in Baghdad said three people were hurt."))["Baghdad"]
    province = parser.parse("Villages across Baghdad province lost power.")[0]
    assert province.span.text.startswith("Baghdad")
    assert town.precision == "town" and town.feature == "PPLC"
    assert province.precision == "province"


def test_country_beats_same_named_town(parser: Geoparser) -> None:
    place = parser.parse("Delegates from Jordan arrived for the talks.")[0]
    assert place.precision == "country" and place.country == "JO"


def test_container_picks_the_town_in_that_division(parser: Geoparser) -> None:
    text = "Flooding closed roads in Alexandria, Louisiana, on Sunday."
    place = by_text(parser.parse(text))["Alexandria"]
    assert place.country == "US" and place.admin1 == "Louisiana"
    text = "Turkish jets struck the Amadiya area in Duhok on Sunday."
    place = by_text(parser.parse(text))["Amadiya"]
    assert place.country == "IQ" and place.admin1 == "Duhok" and place.precision == "town"


def test_document_context_picks_the_local_town(parser: Geoparser) -> None:
    text = (
        "Columbus police closed two roads. Crews from Grove City and Hilliard helped, "
        "and the Dublin fire chief said the storm was the worst in Ohio this year."
    )
    dublin = by_text(parser.parse(text))["Dublin"]
    assert dublin.country == "US" and dublin.admin1 == "Ohio"


def test_outlet_region_breaks_ties(parser: Geoparser) -> None:
    text = "The governor toured Hamilton after the storm."
    default = parser.parse(text)[0]
    local = parser.parse(text, outlet="cbc.ca")[0]
    assert local.country == "CA"
    assert default.span == local.span


def test_offset_phrase_keeps_anchor_and_offset(parser: Geoparser) -> None:
    text = "The base lies about 160 kilometers (100 miles) west of Baghdad."
    baghdad = by_text(parser.parse(text))["Baghdad"]
    assert baghdad.anchor_offset == "about 160 kilometers (100 miles) west of"
    border = by_text(parser.parse("Shelling hit villages near the Syrian border."))
    place = border["Syrian border"]
    assert place.country == "SY" and place.anchor_offset == "near the border of"


def test_demonyms_are_country_places_of_their_own_feature(parser: Geoparser) -> None:
    assert demonym_country("Turkish") == "TR"
    assert demonym_country("Iraqi") == "IQ"
    assert demonym_country("Iraqis") == "IQ"
    assert demonym_country("Tuesday") is None
    assert demonym_country("European") is None  # a region: a place, but no country
    places = parser.parse("Turkish warplanes and Iraqi soldiers were seen by European monitors.")
    assert [(p.span.text, p.country, p.feature) for p in places] == [
        ("Turkish", "TR", DEMONYM_FEATURE),
        ("Iraqi", "IQ", DEMONYM_FEATURE),
        ("European", None, DEMONYM_FEATURE),
    ]
    assert [p.precision for p in places[:2]] == ["country", "country"]
    assert places[2].name == "Europe"


def test_the_people_of_a_nation_within_a_state_name_that_nation(parser: Geoparser) -> None:
    assert demonym_country("English") == "GB"  # English police are British
    assert demonym_country("Welsh") == "GB"
    text = "The English coast and the Scottish hills drew Welsh walkers."
    places = by_text(parser.parse(text))
    assert {w: places[w].name for w in ("English", "Scottish", "Welsh")} == {
        "English": "England",
        "Scottish": "Scotland",
        "Welsh": "Wales",
    }
    assert all(places[w].feature == DEMONYM_FEATURE for w in places)


def test_demonyms_inside_longer_names_and_person_titles(parser: Geoparser) -> None:
    text = "Russian President Vladimir Putin flew over the Indian Ocean to the Russian Federation."
    places = [(p.span.text, p.feature) for p in parser.parse(text)]
    assert places == [
        ("Russian", DEMONYM_FEATURE),
        ("Indian Ocean", "OCN"),
        ("Russian Federation", "PCLI"),
    ]
    assert [p.span.text for p in parser.parse("Bill English spoke to Texans.")] == ["Texans"]


def test_a_titled_first_name_is_that_person_all_through(parser: Geoparser) -> None:
    text = "Pope Francis spoke in Rome on Sunday. Francis then greeted pilgrims from Brazil."
    assert [p.span.text for p in parser.parse(text)] == ["Rome", "Brazil"]


def test_a_place_naming_a_disease_is_no_place(parser: Geoparser) -> None:
    text = "Pigs in Bulacan carried the Reston ebolavirus, and West Nile virus reached Texas."
    assert [p.span.text for p in parser.parse(text)] == ["Bulacan", "Texas"]


def test_a_states_highway_patrol_names_the_state(parser: Geoparser) -> None:
    text = "Troopers of the Ohio Highway Patrol closed Gillis Highway after the crash."
    assert [(p.span.text, p.precision) for p in parser.parse(text)] == [("Ohio", "province")]


def test_event_place_never_chooses_a_demonym(parser: Geoparser) -> None:
    text = "Russian jets bombed the town."
    places = parser.parse(text)
    assert places and places[0].feature == DEMONYM_FEATURE
    assert event_place(places, _sentence(text), _trigger(text, "bombed")) is None
    text = "Russian jets bombed Idlib."
    place = event_place(parser.parse(text), _sentence(text), _trigger(text, "bombed"))
    assert place is not None and place.span.text == "Idlib"


def test_person_names_are_not_places(parser: Geoparser) -> None:
    text = (
        "Donald Trump spoke to Ali Riza Guney on the phone. President Barham Salih "
        "and Mr. Jordan were not there; Michael Jordan was in Chicago."
    )
    names = [p.span.text for p in parser.parse(text)]
    assert names == ["Chicago"]


def test_stop_words_are_not_places(parser: Geoparser) -> None:
    text = "Of the two, Best Buy will open in March. Police said the Mobile app is free."
    assert parser.parse(text) == []
    mobile = parser.parse("Storms hit Mobile, Alabama.")
    assert [p.span.text for p in mobile] == ["Mobile", "Alabama"]
    assert mobile[0].admin1 == "Alabama"


def test_abbreviations_need_capitals_and_dots(parser: Geoparser) -> None:
    assert [p.name for p in parser.parse("Most of us agreed.")] == []
    us = parser.parse("The US embassy and the U.S. Congress.")
    assert [p.country for p in us] == ["US", "US"]
    assert [p.name for p in parser.parse("He moved to Charleston, W.Va. last year.")] == [
        "Charleston",
        "West Virginia",
    ]
    assert parser.parse("The FDA approved it.") == []


def test_places_carry_ids_and_precision(parser: Geoparser) -> None:
    places = by_text(parser.parse("Fighting spread from Mosul to Syria and to Tower 22."))
    assert isinstance(places["Mosul"].geonames_id, int)
    assert places["Mosul"].precision == "town" and places["Mosul"].admin1 == "Nineveh"
    assert places["Syria"].precision == "country" and places["Syria"].feature == "PCLI"
    assert places["Tower 22"].geonames_id == "wd:tower-22"
    assert places["Tower 22"].country == "JO"


def test_parse_places_uses_the_default_parser() -> None:
    assert [p.name for p in parse_places("Protests in Kabul.")] == ["Kabul"]


def _sentence(text: str) -> Span:
    return Span(0, len(text), text)


def _trigger(text: str, word: str) -> Span:
    i = text.index(word)
    return Span(i, i + len(word), word)


def test_event_place_prefers_the_named_base_over_the_reference_capital(
    parser: Geoparser,
) -> None:
    text = "Rockets hit Ain al-Asad air base, 160 kilometers west of Baghdad, on Saturday."
    place = event_place(parser.parse(text), _sentence(text), _trigger(text, "hit"))
    assert place is not None and place.geonames_id == "wd:ain-al-asad"


def test_event_place_skips_the_speakers_location(parser: Geoparser) -> None:
    text = "A spokesman said in Baghdad that a drone struck a convoy near Qaim."
    place = event_place(parser.parse(text), _sentence(text), _trigger(text, "struck"))
    assert place is not None and place.span.text == "Qaim"


def test_event_place_is_none_without_places_in_the_sentence(parser: Geoparser) -> None:
    text = "Two soldiers were killed. Later, Erbil was quiet."
    first = Span(0, 25, text[:25])
    assert event_place(parser.parse(text), first, _trigger(text, "killed")) is None


def test_common_words_at_sentence_start_are_not_small_towns(parser: Geoparser) -> None:
    assert parser.parse("Drone hits inside the compound were reported.") == []
    assert parser.parse("A statement from the Security Media Cell followed.") == []
    assert parser.parse("The C-RAM system engaged two rockets.") == []
    assert parser.parse("Cell members met on Monday.") == []


def test_bylines_and_person_contexts_are_not_places(parser: Geoparser) -> None:
    text = "By Rania Haddad, Levant Daily Monitor\nBAGHDAD — Two rockets hit the airport."
    assert [p.name for p in parser.parse(text)] == ["Baghdad"]
    text = "Coach Ripley praised the team. Ripley said the win mattered."
    assert parser.parse(text) == []
    text = "Welch said the meeting in Charleston, W.Va., went well."
    assert [p.span.text for p in parser.parse(text)] == ["Charleston", "W.Va."]


def test_country_modifying_an_actor_is_never_the_event_place(parser: Geoparser) -> None:
    text = "US forces were attacked near a checkpoint."
    place = event_place(parser.parse(text), _sentence(text), _trigger(text, "attacked"))
    assert place is None
    text = "A US-led coalition strike hit Raqqa on Sunday."
    place = event_place(parser.parse(text), _sentence(text), _trigger(text, "hit"))
    assert place is not None and place.span.text == "Raqqa"
    us = [p for p in parser.parse(text) if p.span.text == "US"]
    assert us and us[0].country == "US"  # still a place, just not where it happened


def test_dateline_state_and_postal_codes_pick_the_us_town(parser: Geoparser) -> None:
    dublin = parser.parse("DUBLIN, Ohio (AP) — The city council met on Monday.")[0]
    assert dublin.country == "US" and dublin.admin1 == "Ohio"
    places = by_text(
        parser.parse("The plant in Albany, GA, closed, and so did one in Trenton, NJ.")
    )
    assert places["Albany"].admin1 == "Georgia"
    assert places["Trenton"].admin1 == "New Jersey"
    assert places["GA"].precision == "province"


def test_a_container_resolves_to_the_division_that_holds_the_town(parser: Geoparser) -> None:
    georgia = by_text(parser.parse("The factory in Blakely, Georgia, recalled its butter."))
    assert georgia["Georgia"].country == "US"
    lists = by_text(parser.parse("Cases rose in Mexico, China, Japan and Brazil."))
    assert lists["China"].country == "CN"


def test_nearby_places_pull_same_named_towns_together(parser: Geoparser) -> None:
    text = (
        "The Lebanon school board met Tuesday. Parents from Lebanon, Myerstown and "
        "Hershey came to hear about the new buses."
    )
    lebanon = by_text(parser.parse(text))["Lebanon"]
    assert lebanon.country == "US" and lebanon.admin1 == "Pennsylvania"


def test_us_counties_sit_at_their_centroids(parser: Geoparser) -> None:
    hall = by_text(parser.parse("Hall County commissioners approved the budget."))["Hall County"]
    assert hall.admin1 == "Georgia"
    assert hall.lat is not None and hall.lon is not None
    assert abs(hall.lat - 34.3) < 0.2 and abs(hall.lon + 83.8) < 0.2


def test_event_place_passes_over_reference_anchors_and_residences(parser: Geoparser) -> None:
    text = "In Minya, 240 kilometers south of Cairo, gunmen shot a guard."
    place = event_place(parser.parse(text), _sentence(text), _trigger(text, "shot"))
    assert place is not None and place.span.text == "Minya"
    text = "A 30-year-old man, of Ramallah, detonated a bomb in Jerusalem."
    place = event_place(parser.parse(text), _sentence(text), _trigger(text, "detonated"))
    assert place is not None and place.span.text == "Jerusalem"
    text = "Bombs killed 12 people in Mosul as Washington's new envoy arrived."
    place = event_place(parser.parse(text), _sentence(text), _trigger(text, "killed"))
    assert place is not None and place.span.text == "Mosul"


def test_event_place_prefers_the_town_over_its_province(parser: Geoparser) -> None:
    text = "Gunmen seized the main market town of Nineveh province, Tal Afar, on Friday."
    place = event_place(parser.parse(text), _sentence(text), _trigger(text, "seized"))
    assert place is not None and place.span.text == "Tal Afar"


def test_a_town_after_an_age_and_before_a_person_noun_stays_a_place(parser: Geoparser) -> None:
    found = by_text(parser.parse("Deputies said a 19-year-old Slidell woman was hurt at home."))
    assert found["Slidell"].admin1 == "Louisiana"
    # a bare name after an age is still a person's: "the 31-year-old Slidell said"
    assert "Slidell" not in by_text(parser.parse("The 31-year-old Slidell said nothing more."))


def test_a_town_heading_a_school_name_after_an_age_is_kept(parser: Geoparser) -> None:
    text = (
        "A 15-year-old Ponchatoula High School pupil was wounded on Friday. "
        "Ponchatoula police are still looking for the shooter."
    )
    towns = [p for p in parser.parse(text) if p.span.text == "Ponchatoula"]
    assert towns and all(p.admin1 == "Louisiana" for p in towns)


def test_a_first_name_after_a_kin_word_is_a_person(parser: Geoparser) -> None:
    text = "He shot his wife Brenda, then called police in Lubbock."
    found = by_text(parser.parse(text))
    assert "Brenda" not in found
    assert found["Lubbock"].admin1 == "Texas"


def test_a_named_part_of_a_town_is_put_in_that_town(parser: Geoparser) -> None:
    text = (
        "Two men were hurt in a shooting in Lebanon on Sunday night, Nashville police said. "
        "The shots were fired outside a bar in Nashville's Lebanon neighborhood."
    )
    parts = [p for p in parser.parse(text) if p.span.text == "Lebanon"]
    assert len(parts) == 2
    nashville = by_text(parser.parse(text))["Nashville"]
    for p in parts:
        assert p.country == "US" and p.admin1 == "Tennessee"
        assert (p.lat, p.lon) == (nashville.lat, nashville.lon)


def test_a_listed_part_of_the_document_town_wins_over_a_far_namesake(parser: Geoparser) -> None:
    text = (
        "Salt Lake City police said two men were hurt in a Capitol Hill apartment. "
        "Officers from Salt Lake City searched the building."
    )
    found = by_text(parser.parse(text))
    hill, city = found["Capitol Hill"], found["Salt Lake City"]
    assert hill.admin1 == "Utah"
    assert (hill.lat, hill.lon) == (city.lat, city.lon)
    text = "Pittsburgh police arrested a man from Allentown after the robbery on Friday."
    found = by_text(parser.parse(text))
    assert found["Allentown"].lat is not None and found["Allentown"].lon is not None
    assert found["Allentown"].lon < -79.5  # Pittsburgh's part, not the town in the east


def test_a_listed_part_of_a_town_keeps_a_namesake_the_text_places(parser: Geoparser) -> None:
    text = "Pittsburgh police sent two detectives to Allentown, Pennsylvania, on Friday."
    assert by_text(parser.parse(text))["Allentown"].lon > -76.0
    text = "Senators met on Capitol Hill in Washington before flying to Denver."
    assert by_text(parser.parse(text))["Capitol Hill"].admin1 == "District of Columbia"


def test_a_part_of_a_town_the_gazetteer_places_nearby_keeps_its_entry(parser: Geoparser) -> None:
    text = "Shots rang out in the Kensington section of Philadelphia late on Monday."
    found = by_text(parser.parse(text))
    assert found["Kensington"].admin1 == "Pennsylvania"
    assert found["Kensington"].feature != "UNLISTED"


def test_a_people_named_before_a_part_of_a_town_stays_a_demonym(parser: Geoparser) -> None:
    found = by_text(parser.parse("Shells fell on the Armenian quarter of Aleppo on Monday."))
    assert found["Armenian"].feature == DEMONYM_FEATURE
    assert found["Armenian"].country == "AM"


def test_event_place_passes_over_a_town_that_says_where_someone_works(parser: Geoparser) -> None:
    text = "A Beaumont nurse was shot near Lumberton on Friday."
    place = event_place(parser.parse(text), _sentence(text), _trigger(text, "shot"))
    assert place is not None and place.span.text == "Lumberton"


def test_a_name_after_a_numbered_block_is_a_street(parser: Geoparser) -> None:
    text = "Officers found him in the 2300 block of East Denton, in Amarillo."
    found = by_text(parser.parse(text))
    assert "Denton" not in found
    assert found["Amarillo"].admin1 == "Texas"


def test_a_surname_after_a_listed_first_name_is_no_town_later(parser: Geoparser) -> None:
    text = "Deputies in Jackson spoke with Mickey Collins. Collins drove to the station at once."
    found = by_text(parser.parse(text))
    assert "Collins" not in found
    assert found["Jackson"].country == "US"


@pytest.mark.parametrize(
    "text",
    [
        "Officers in Fresno held the 30-year-old suspect Chad Merriweather overnight.",
        "A 30-year old Chad Merriweather of Fresno was held overnight.",
    ],
)
def test_a_country_as_the_given_name_of_a_suspect_is_no_place(parser: Geoparser, text: str) -> None:
    found = by_text(parser.parse(text))
    assert "Chad" not in found
    assert found["Fresno"].admin1 == "California"


def test_an_aged_person_named_like_a_town_is_that_person_all_through(parser: Geoparser) -> None:
    text = (
        "Police in Detroit said 4-year-old Keyana Montgomery was shot at home. "
        "Montgomery died at a hospital in Detroit."
    )
    found = by_text(parser.parse(text))
    assert "Montgomery" not in found
    assert found["Detroit"].admin1 == "Michigan"


def test_a_listed_first_name_is_that_person_all_through(parser: Geoparser) -> None:
    text = (
        "Ava Kowalczyk, 6, was hurt when her family drove through Racine. "
        "Doctors said Ava was recovering, and Ava's father thanked Racine police."
    )
    found = by_text(parser.parse(text))
    assert "Ava" not in found
    assert found["Racine"].admin1 == "Wisconsin"


def test_a_first_name_before_a_month_keeps_the_town(parser: Geoparser) -> None:
    text = "A fair is planned in Clinton April 4. Clinton officials expect crowds."
    assert any(p.span.text == "Clinton" for p in parser.parse(text))


def test_a_surname_after_an_unlisted_given_name_is_no_town_later(parser: Geoparser) -> None:
    text = (
        "Kenzie Thompson was 24 years old. Troopers said a man shot Thompson outside a "
        "house in Scranton, and Thompson died there."
    )
    found = by_text(parser.parse(text))
    assert "Thompson" not in found
    assert found["Scranton"].admin1 == "Pennsylvania"


def test_a_guessed_surname_after_a_locative_stays_a_place(parser: Geoparser) -> None:
    text = (
        "Kenzie Thompson spoke at the meeting in Hartford. "
        "She said the new clinic in Thompson opens in May."
    )
    towns = [p for p in parser.parse(text) if p.span.text == "Thompson"]
    assert len(towns) == 1 and towns[0].admin1 == "Connecticut"


def test_indexes_of_other_data_versions_are_kept_only_while_recently_used(
    tmp_path: Path,
) -> None:
    current = tmp_path / "index-current.pkl"
    others = [tmp_path / f"index-v{n}.pkl" for n in range(KEPT_OTHER_INDEXES + 2)]
    for age, path in enumerate(others):
        path.write_bytes(b"x")
        os.utime(path, (1_000_000 - age, 1_000_000 - age))  # v0 is the most recently used
    unrelated = tmp_path / "geonames-overlay.tsv"
    unrelated.write_text("rows")
    drop_stale_indexes(current)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [unrelated.name, *(p.name for p in others[:KEPT_OTHER_INDEXES])]
    )
