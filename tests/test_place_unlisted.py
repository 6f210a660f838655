"""Geoparser: landmarks the gazetteer lacks, placed at the document's town; curated rivers,
deltas, ranges and islands."""

from __future__ import annotations

import pytest

from wiredesk.records import Place, distance_km
from wiredesk.resolve.place import Geoparser
from wiredesk.resolve.place.unlisted import UNLISTED_FEATURE


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return Geoparser.default()


def by_text(places: list[Place]) -> dict[str, Place]:
    return {p.span.text: p for p in places}


def test_a_street_is_placed_at_the_town_the_document_names_most(parser: Geoparser) -> None:
    text = (
        "Fire crews in New Orleans were called to Desire Street on Friday. "
        "New Orleans officials said a second fire broke out in Baton Rouge."
    )
    places = by_text(parser.parse(text))
    street = places["Desire Street"]
    assert street.feature == UNLISTED_FEATURE
    assert street.precision == "facility"
    assert street.country == "US"
    assert street.lat is not None and street.lon is not None
    assert distance_km(street.lat, street.lon, 29.95, -90.07) < 20  # New Orleans


def test_landmark_names_keep_their_words_but_not_the_sentence_opener(parser: Geoparser) -> None:
    text = (
        "The defendant appeared in Dublin today. The Central Mental Hospital said he was "
        "treated there. At Cloverhill District Court the case was adjourned."
    )
    spans = {p.span.text for p in parser.parse(text) if p.feature == UNLISTED_FEATURE}
    assert spans == {"Central Mental Hospital", "Cloverhill District Court"}


def test_a_name_that_says_only_the_kind_is_no_landmark(parser: Geoparser) -> None:
    text = "Students at the High School in Toledo met the Supreme Court clerk."
    assert all(p.feature != UNLISTED_FEATURE for p in parser.parse(text))


def test_a_landmark_holding_a_place_name_is_left_to_that_name(parser: Geoparser) -> None:
    text = "He was treated at Hartford Hospital and studied at Texas Southern University."
    places = by_text(parser.parse(text))
    assert places["Hartford"].precision == "town"
    assert places["Texas"].precision == "province"
    assert all(p.feature != UNLISTED_FEATURE for p in places.values())


def test_an_owner_before_the_landmark_stays_a_place(parser: Geoparser) -> None:
    text = "Doctors in Wichita said the patient at Wichita's Wesley Medical Center is stable."
    places = by_text(parser.parse(text))
    assert places["Wesley Medical Center"].feature == UNLISTED_FEATURE
    assert places["Wichita"].precision == "town"


def test_without_a_town_there_is_nowhere_to_put_a_landmark(parser: Geoparser) -> None:
    text = "Protesters gathered on Royal Street after the ruling in France."
    assert all(p.feature != UNLISTED_FEATURE for p in parser.parse(text))


@pytest.mark.parametrize(
    ("text", "surface", "lat", "lon"),
    [
        ("Farmers want more water from the Cauvery this year.", "Cauvery", 11.1, 79.9),
        ("Militants fled to South Waziristan last week.", "South Waziristan", 32.3, 69.8),
        ("Oil spills keep hurting the Niger Delta.", "Niger Delta", 4.8, 6.0),
        ("Snow closed roads across the Appalachians.", "Appalachians", 40.0, -78.0),
        ("Tourists returned to Bali after the eruption.", "Bali", -8.4, 115.2),
        ("Flights to Cape Verde resumed.", "Cape Verde", 16.0, -24.0),
        ("Pig farms in Nueva Ecija and Pangasinan were culled.", "Nueva Ecija", 15.6, 121.0),
        ("Cholera spread in the Artibonite region of Haiti.", "Artibonite", 19.3, -72.5),
        ("A fire broke out in Co. Cork last night.", "Co. Cork", 51.95, -8.7),
        ("Walkers were found near New Quay, Ceredigion.", "Ceredigion", 52.2, -3.9),
        ("A New Jersey man went to Disneyworld in a T-shirt.", "Disneyworld", 28.4, -81.6),
        ("The base at Pearl Harbor was expanded.", "Pearl Harbor", 21.35, -157.95),
        (
            "Chiefs in Limpopo and North West hold land in post-apartheid SA.",
            "SA",
            -29.0,
            24.0,
        ),
    ],
)
def test_curated_physical_features_and_regions(
    parser: Geoparser, text: str, surface: str, lat: float, lon: float
) -> None:
    place = by_text(parser.parse(text))[surface]
    assert place.lat is not None and place.lon is not None
    assert distance_km(place.lat, place.lon, lat, lon) < 50


def test_a_village_named_by_its_kind_is_placed_at_the_place_its_sentence_names(
    parser: Geoparser,
) -> None:
    text = (
        "A suicide bombing occurred in the town of Akuressa, in Matara district. "
        "Later, shelling hit the villages of Nuli and Avnevi near Tskhinvali."
    )
    places = by_text(parser.parse(text))
    matara, tskhinvali = places["Matara"], places["Tskhinvali"]
    for name, where in (("Akuressa", matara), ("Nuli", tskhinvali), ("Avnevi", tskhinvali)):
        assert places[name].feature == UNLISTED_FEATURE
        assert places[name].precision == "town"
        assert (places[name].lat, places[name].lon) == (where.lat, where.lon)


def test_a_name_before_a_lower_case_kind_word_takes_its_precision(parser: Geoparser) -> None:
    text = "Farmers in the Wedza district of Zimbabwe lost their cattle, officials in Harare said."
    wedza = by_text(parser.parse(text))["Wedza"]
    assert wedza.feature == UNLISTED_FEATURE
    assert wedza.precision == "district"
    assert wedza.country == "ZW"


@pytest.mark.parametrize(
    "text",
    [
        "Officials from the Interior Ministry district office in Baghdad spoke.",
        "There are 29 states with full coverage, officials in Austin said.",
        "Instead county police in Dallas took over.",
        "In the city of Boston, singer Annie Lennox spoke on Friday.",
    ],
)
def test_organisations_numbers_and_words_are_no_kind_named_places(
    parser: Geoparser, text: str
) -> None:
    assert all(p.feature != UNLISTED_FEATURE for p in parser.parse(text))


def test_a_name_after_in_that_the_gazetteer_lacks_is_a_town_near_its_sentence_place(
    parser: Geoparser,
) -> None:
    text = "There are 26 applicants in Portroe with 24 in Toomevara, near Nenagh in Tipperary."
    places = by_text(parser.parse(text))
    assert places["Portroe"].feature == UNLISTED_FEATURE
    assert places["Portroe"].country == "IE"
    assert places["Toomevara"].country == "IE"


@pytest.mark.parametrize(
    "text",
    [
        "She gave a talk in Stephen Hawking's Universe, a film shown in Denver.",
        "He found a good wrestler in Max Poikonen, coaches in Denver said.",
        "Attendance in Congress fell while rallies in Denver grew.",
    ],
)
def test_people_and_words_after_in_are_no_places(parser: Geoparser, text: str) -> None:
    assert all(p.feature != UNLISTED_FEATURE for p in parser.parse(text))


def test_a_far_homonym_inside_a_landmark_gives_way_to_the_landmark(parser: Geoparser) -> None:
    text = (
        "New Orleans officials reopened the Carnegie Library this week. "
        "Visitors to New Orleans can see it."
    )
    places = by_text(parser.parse(text))
    library = places["Carnegie Library"]
    assert library.feature == UNLISTED_FEATURE
    assert library.lat is not None and library.lon is not None
    assert distance_km(library.lat, library.lon, 29.95, -90.07) < 20
    assert "Carnegie" not in places


@pytest.mark.parametrize(
    ("text", "landmark"),
    [
        (
            "Doctors in Liverpool said Alder Hey Children's Hospital will keep him.",
            "Alder Hey Children's Hospital",
        ),
        (
            "Parents in Rome took him to the Vatican-owned Bambino Gesu Hospital in Rome.",
            "Bambino Gesu Hospital",
        ),
        ("A bomb went off in the Ghazl market in Baghdad on Friday.", "Ghazl market"),
        ("Police in Chattanooga arrested him on 14th St. Monday night.", "14th St"),
        ("Traffic in Tulsa was stopped on Peoria Ave near the river.", "Peoria Ave"),
        (
            "Pilgrims filled St. Peter's Basilica on Sunday. Police in Rome closed the "
            "streets around it, and Rome buses were rerouted.",
            "St. Peter's Basilica",
        ),
    ],
)
def test_landmark_name_edges(parser: Geoparser, text: str, landmark: str) -> None:
    places = by_text(parser.parse(text))
    assert places[landmark].feature == UNLISTED_FEATURE


def test_a_faith_with_a_lower_case_landmark_word_names_no_landmark(parser: Geoparser) -> None:
    text = "Gunmen attacked a Sufi shrine in Peshawar on Friday."
    places = by_text(parser.parse(text))
    assert "Sufi shrine" not in places
    assert places["Peshawar"].precision == "town"


def test_a_far_village_heading_a_longer_name_gives_way_to_it(parser: Geoparser) -> None:
    text = (
        "New Orleans planners walked along Elysian Fields toward the river. "
        "New Orleans has many such avenues."
    )
    places = by_text(parser.parse(text))
    avenue = places["Elysian Fields"]
    assert avenue.feature == UNLISTED_FEATURE
    assert avenue.lat is not None and avenue.lon is not None
    assert distance_km(avenue.lat, avenue.lon, 29.95, -90.07) < 20


def test_a_capital_inside_a_landmark_keeps_its_place(parser: Geoparser) -> None:
    text = "Police in Dallas said the men face years in a Jakarta prison. Dallas police agreed."
    places = by_text(parser.parse(text))
    assert places["Jakarta"].country == "ID"
    assert "Jakarta prison" not in places


def test_a_landmark_is_in_the_town_its_sentence_names(parser: Geoparser) -> None:
    text = (
        "Dallas officials met on Monday. Dallas police said so. "
        "The museum is at 2700 North Fourth Street in Fort Worth."
    )
    places = by_text(parser.parse(text))
    street, town = places["2700 North Fourth Street"], places["Fort Worth"]
    assert (street.lat, street.lon) == (town.lat, town.lon)


def test_a_far_village_does_not_locate_a_landmark(parser: Geoparser) -> None:
    text = (
        "New Orleans police closed streets on Monday. New Orleans officials agreed. "
        "The parade rolled down Bourbon and on to Desire Street."
    )
    street = by_text(parser.parse(text))["Desire Street"]
    assert street.lat is not None and street.lon is not None
    assert distance_km(street.lat, street.lon, 29.95, -90.07) < 20


def test_a_capitalised_kind_word_ending_an_unknown_name(parser: Geoparser) -> None:
    text = "Shelling hit the Al-Manishiyah District on Friday, residents of Daraa said."
    place = by_text(parser.parse(text))["Al-Manishiyah District"]
    assert place.feature == UNLISTED_FEATURE
    assert place.precision == "district"
    assert place.country == "SY"


def test_a_far_village_with_a_possessive_heads_a_longer_name(parser: Geoparser) -> None:
    text = (
        "Families in Paterson will benefit from the show. Paterson officials said the money "
        "goes to Eva's Village, a shelter."
    )
    places = by_text(parser.parse(text))
    shelter = places["Eva's Village"]
    assert shelter.feature == UNLISTED_FEATURE
    assert shelter.admin1 == "New Jersey"


def test_a_kind_word_first_names_a_landmark(parser: Geoparser) -> None:
    text = (
        "New Orleans grew fast. New Orleans planners laid out the Faubourg Marigny "
        "and Rue Casa Calvo."
    )
    places = by_text(parser.parse(text))
    for name in ("Faubourg Marigny", "Rue Casa Calvo"):
        assert places[name].feature == UNLISTED_FEATURE
        assert places[name].admin1 == "Louisiana"


def test_a_capital_after_in_says_nothing_in_a_title_case_headline(parser: Geoparser) -> None:
    text = (
        "Neighbors Mourn Teenager Wounded in Crossfire Near Bus Stop\n"
        "The boy was hit on Friday in Nenagh, in Tipperary, and again at 26 applicants in Portroe."
    )
    names = by_text(parser.parse(text))
    assert "Crossfire Near Bus Stop" not in names and "Crossfire" not in names
    assert names["Portroe"].feature == UNLISTED_FEATURE


def test_a_demonym_naming_a_street_or_quarter_is_a_landmark(parser: Geoparser) -> None:
    text = "A fire broke out on Irish Street in Zanesville; smoke drifted over the Greek Quarter."
    places = by_text(parser.parse(text))
    for name in ("Irish Street", "Greek Quarter"):
        assert places[name].feature == UNLISTED_FEATURE
        assert places[name].admin1 == "Ohio"
    assert "Irish" not in places and "Greek" not in places


def test_with_no_town_a_landmark_is_in_the_province_its_sentence_names(
    parser: Geoparser,
) -> None:
    text = "Fighters captured the Tishreen Dam in Aleppo Governorate on Friday."
    dam = by_text(parser.parse(text))["Tishreen Dam"]
    assert dam.feature == UNLISTED_FEATURE
    assert dam.admin1 == "Aleppo Governorate"


def test_the_capitol_alone_is_a_landmark_of_the_documents_town(parser: Geoparser) -> None:
    places = by_text(parser.parse("Teachers in Oklahoma City filled the state Capitol on Monday."))
    assert places["Capitol"].feature == UNLISTED_FEATURE
    assert places["Capitol"].admin1 == "Oklahoma"
    federal = by_text(parser.parse("Senators returned to the U.S. Capitol in Washington."))
    assert federal["U.S. Capitol"].feature != UNLISTED_FEATURE  # the curated building


@pytest.mark.parametrize(
    ("text", "head"),
    [
        (
            "Police in Denver said the van hit a parked Toyota Prius and a fence. Denver "
            "police agreed.",
            "Toyota",
        ),
        (
            "Police in Denver spoke to Shelby Castleton, who lives next door. "
            "Castleton said Denver police came at noon.",
            "Shelby",
        ),
    ],
)
def test_a_vehicle_or_a_person_named_after_a_town_is_no_place(
    parser: Geoparser, text: str, head: str
) -> None:
    places = parser.parse(text)
    assert not any(p.span.text.startswith(head) for p in places)
    assert {p.span.text for p in places} >= {"Denver"}


def test_a_street_goes_to_the_document_town_not_a_county_its_sentence_names(
    parser: Geoparser,
) -> None:
    text = (
        "Deputies in Milwaukee County said the family was driving home to Sheboygan County "
        "on the freeway near Fond Street when a shot was fired. Milwaukee County deputies "
        "closed the road."
    )
    places = by_text(parser.parse(text))
    street = places["Fond Street"]
    county = places["Milwaukee County"]
    assert street.feature == UNLISTED_FEATURE
    assert (street.lat, street.lon) == (county.lat, county.lon)
