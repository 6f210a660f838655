"""Geoparser: first-level divisions of towns, short and out-of-context names, a city over
its same-named province."""

from __future__ import annotations

import pytest

from wiredesk.records import Place
from wiredesk.resolve.place import Geoparser, model
from wiredesk.resolve.place.admin import _same_stem


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return Geoparser.default()


def by_text(places: list[Place]) -> dict[str, Place]:
    return {p.span.text: p for p in places}


# Countries where every GeoNames admin1 code is named (curated rows, airfields, ISO 3166-2).
_NAMED_COUNTRIES = ("SD", "CD", "UA", "NG", "LY", "LB", "SO", "SS", "YE", "SY", "IQ", "AF")


def test_every_town_of_the_covered_countries_has_its_division(parser: Geoparser) -> None:
    ix = parser.index
    missing = [
        (ix.names[e], ix.country[e])
        for e in range(len(ix.names))
        if ix.kind[e] == model.TOWN
        and ix.country[e] in _NAMED_COUNTRIES
        and ix.pop[e] >= 10_000
        and ix.admin1[e] < 0
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "name", "country", "admin1"),
    [
        ("Shelling hit the market of Wad Madani on Sunday.", "Wad Madani", "SD", "Al Jazirah"),
        ("Fighters took Atbara overnight.", "Atbara", "SD", "River Nile"),
        ("Rebels advanced towards Goma.", "Goma", "CD", "North Kivu"),
        ("Clashes broke out in Mbandaka.", "Mbandaka", "CD", "Equateur"),
        ("Missiles struck Kyiv before dawn.", "Kyiv", "UA", "Kyiv City"),
        ("A drone hit a depot near Lutsk.", "Lutsk", "UA", "Volyn Oblast"),
        ("Gunmen attacked a village outside Abeokuta.", "Abeokuta", "NG", "Ogun"),
        ("Troops moved into Tobruk.", "Tobruk", "LY", "Butnan"),
        ("An airstrike hit Baalbek.", "Baalbek", "LB", "Baalbek-Hermel"),
        ("Fighting spread to Malakal.", "Malakal", "SS", "Upper Nile"),
    ],
)
def test_towns_carry_their_division(
    parser: Geoparser, text: str, name: str, country: str, admin1: str
) -> None:
    place = by_text(parser.parse(text))[name]
    assert (place.country, place.admin1) == (country, admin1)


def test_an_iso_adjective_names_the_division_of_its_seat() -> None:
    assert _same_stem("chernihivska", "chernihiv")
    assert _same_stem("ivanovskaya", "ivanovo")
    assert not _same_stem("volynska", "lutsk")
    assert not _same_stem("bar", "bari")


def test_two_letter_words_name_only_well_known_places(parser: Geoparser) -> None:
    places = by_text(parser.parse("Villagers fled Pa Htaw Gyi after the raid in Kayin State."))
    assert "Pa" not in places  # not the Burkinabe village Pa
    assert places["Kayin State"].country == "MM"
    assert parser.parse("The Au Pair agency closed.") == []
    places = by_text(parser.parse("Shelling resumed near Ed on Sunday, Swedish police said."))
    assert "Ed" not in places
    town = by_text(parser.parse("Police in Bo detained two youths."))["Bo"]
    assert town.country == "SL"  # a city of 200,000+: two letters are enough
    state = by_text(parser.parse("Harrisburg, Pa. officials met on Monday."))["Pa."]
    assert state.name == "Pennsylvania"


def test_a_short_name_heading_an_unknown_longer_name_is_dropped(parser: Geoparser) -> None:
    text = "Militants overran Tal Qasimiyeh and shelled the outskirts of Homs."
    places = by_text(parser.parse(text))
    assert "Tal" not in places
    assert places["Homs"].country == "SY"
    # English words after the name make it an institution's, not a longer place name
    places = by_text(parser.parse("The Mansfield Police Department hired two officers."))
    assert "Mansfield" in places


def test_a_place_the_container_contradicts_is_dropped(parser: Geoparser) -> None:
    for text in (
        "Bandits stormed Kuriga, a farming town in Kaduna State, Nigeria, at dawn.",
        "Bandits stormed Kuriga, Kaduna State, at dawn.",
        "Bandits stormed Kuriga in Kaduna State at dawn.",
    ):
        places = by_text(parser.parse(text))
        assert "Kuriga" not in places, text
        assert places["Kaduna State"].country == "NG"
    # a container the text names may hold a place of an ambiguous country name
    places = by_text(parser.parse("Mortars hit Kinshasa, Congo, on Monday."))
    assert places["Kinshasa"].country == "CD" and places["Congo"].country == "CD"
    # a list of countries is no container
    places = by_text(parser.parse("Strains from Zaire, Bundibugyo, Gabon and Sudan differ."))
    assert places["Bundibugyo"].country == "UG"


def test_a_namesake_nothing_else_supports_is_dropped(parser: Geoparser) -> None:
    text = (
        "Gunmen on motorbikes raided Kuriga overnight. Police in Kaduna and Zaria said "
        "the Nigerian army pursued them; officials in Kano condemned the attack."
    )
    places = by_text(parser.parse(text))
    assert "Kuriga" not in places
    assert {places[n].country for n in ("Kaduna", "Zaria", "Kano")} == {"NG"}


def test_a_bare_name_is_the_city_unless_called_a_province(parser: Geoparser) -> None:
    city = by_text(parser.parse("Rebels entered Aleppo on Friday."))["Aleppo"]
    assert city.precision == "town"
    text = "Airstrikes hit villages across Gaziantep province. Later rebels entered Gaziantep."
    places = parser.parse(text)
    assert [p.precision for p in places] == ["province", "town"]
    text = "Airstrikes hit villages across Gaziantep province. Shelling spread in Gaziantep."
    assert [p.precision for p in parser.parse(text)] == ["province", "province"]
    # "state media" is no state
    place = by_text(parser.parse("Aleppo state media reported the blast."))["Aleppo"]
    assert place.precision == "town"


@pytest.mark.parametrize(
    ("text", "city", "country"),
    [
        ("Missiles slammed into Kyiv, Ukraine, before dawn.", "Kyiv", "UA"),
        ("Drones targeted Kyiv as Ukraine braced for more strikes.", "Kyiv", "UA"),
        ("A car bomb exploded in Mogadishu, Somalia's capital.", "Mogadishu", "SO"),
        ("Clashes erupted in Khartoum as Sudan's army advanced.", "Khartoum", "SD"),
        ("Protesters marched in Bamako, Mali.", "Bamako", "ML"),
    ],
)
def test_capitals_resolve_beside_their_country(
    parser: Geoparser, text: str, city: str, country: str
) -> None:
    places = by_text(parser.parse(text))
    assert places[city].precision == "town" and places[city].country == country
    assert places[city].admin1 is not None


def test_a_big_towns_own_name_beats_another_towns_alternate(parser: Geoparser) -> None:
    place = by_text(parser.parse("Tourists flew to Cancun for the holidays."))["Cancun"]
    assert place.country == "MX"


def test_a_division_in_pieces_lies_at_its_main_part(parser: Geoparser) -> None:
    text = "Water is shared among Tamil Nadu, Karnataka, Kerala and Puducherry."
    places = by_text(parser.parse(text))
    assert places["Puducherry"].precision == "province"
    point = (places["Puducherry"].lat, places["Puducherry"].lon)
    assert point == (11.93, 79.83)  # not in Tamil Nadu, amid the territory's scattered parts


def test_the_north_atlantic_is_apart_from_the_whole_ocean(parser: Geoparser) -> None:
    places = by_text(parser.parse("Storms crossed the North Atlantic before reaching Ireland."))
    assert places["North Atlantic"].name == "North Atlantic Ocean"
    assert places["North Atlantic"].lat == 40.0


def test_a_town_and_a_lower_case_airport_is_the_towns_airport(parser: Geoparser) -> None:
    text = "Flights were cut at the Amsterdam airport, officials in the Netherlands said."
    places = by_text(parser.parse(text))
    assert places["Amsterdam"].country == "NL"  # not the airfield named Amsterdam Airport
    assert "Amsterdam airport" not in places
    named = by_text(parser.parse("A plane landed at Amsterdam Airport in Mpumalanga."))
    assert named["Amsterdam Airport"].country == "ZA"


def test_a_short_name_is_what_the_document_names_in_full(parser: Geoparser) -> None:
    text = (
        "Schools reopened across the Federally Administered Tribal Areas this spring. "
        "Officials in Peshawar said FATA will join KP and its towns will get more teachers."
    )
    places = by_text(parser.parse(text))
    assert places["FATA"].name == "Federally Administered Tribal Areas"
    assert places["KP"].name == "Khyber Pakhtunkhwa"


def test_a_name_in_a_list_of_states_is_not_contained_by_the_next(parser: Geoparser) -> None:
    text = "Cases were reported in Texas, Utah, Virginia, Washington, West Virginia and Wyoming."
    assert by_text(parser.parse(text))["Washington"].precision == "province"
    towns = by_text(parser.parse("Cases were found in Springfield, Illinois, and Columbus, Ohio."))
    assert (towns["Columbus"].precision, towns["Columbus"].admin1) == ("town", "Ohio")


def test_the_islamic_republic_alone_is_iran(parser: Geoparser) -> None:
    places = by_text(parser.parse("Exports of the Islamic Republic fell while Pakistan grew."))
    assert places["Islamic Republic"].country == "IR"
    named = by_text(parser.parse("Troops of the Islamic Republic of Pakistan moved north."))
    assert named["Islamic Republic of Pakistan"].country == "PK"


def test_the_short_names_news_uses_for_big_towns(parser: Geoparser) -> None:
    places = parser.parse("She left L.A. for Philly last spring.")
    assert [(p.name, p.admin1) for p in places] == [
        ("Los Angeles", "California"),
        ("Philadelphia", "Pennsylvania"),
    ]


def test_a_plural_kind_word_after_a_list_says_every_names_kind(parser: Geoparser) -> None:
    text = "Flooding closed roads in Becker, Clay and Wilkin counties, officials in Minnesota said."
    places = by_text(parser.parse(text))
    assert [places[n].name for n in ("Becker", "Clay", "Wilkin")] == [
        "Becker County",
        "Clay County",
        "Wilkin County",
    ]
    shelled = by_text(parser.parse("Jets shelled Idlib and Hama provinces on Friday."))
    assert shelled["Idlib"].precision == "province"


def test_a_listed_small_town_draws_a_homonym_to_its_state(parser: Geoparser) -> None:
    text = (
        "Bristol officers were called to a house on Maple Street late on Friday. "
        "The victim had lived in Bristol for years before he moved to Harwinton."
    )
    found = by_text(parser.parse(text))
    assert found["Harwinton"].admin1 == "Connecticut"
    assert found["Harwinton"].precision == "town"
    assert found["Bristol"].admin1 == "Connecticut"


def test_a_listed_small_town_is_no_curated_place(parser: Geoparser) -> None:
    entries = parser.index.lookup("harwinton")
    assert entries
    assert not any(model.curated_id(parser.index.gid[e]) for e in entries)
    assert model.curated_id("wd:capitol") and not model.curated_id(12345)
