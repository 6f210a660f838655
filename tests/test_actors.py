"""Actors: who fills each role, and how names as written resolve to ACLED's names. Every
sentence here was written for these tests."""

from __future__ import annotations

from datetime import date

from wiredesk.ingest.readers import make_document
from wiredesk.pipeline import process
from wiredesk.records import Event
from wiredesk.resolve.actor import actor_dictionary, actor_keys, country_actors

PUBLISHED = date(2024, 3, 4)  # a Monday


def main_event(text: str) -> Event:
    doc = make_document(text, source="test", published=PUBLISHED, outlet="Test Wire")
    found = [e for e in process(doc).events if not e.background]
    assert found, "no main event"
    return found[0]


def actor(event: Event, role: str) -> str | None:
    return next((a.name for a in event.actors if a.role == role), None)


def test_protesters_are_actor1_of_excessive_force_against_them() -> None:
    event = main_event(
        "Kenyan riot police shot dead three demonstrators who were marching peacefully "
        "against the new tax law in Kisumu on Saturday."
    )
    assert event.sub_event_type == "Excessive force against protesters"
    assert actor(event, "actor1") == "Protesters (Kenya)"
    assert actor(event, "actor2") == "Police Forces of Kenya"


def test_the_side_taking_territory_is_actor1_whatever_the_word_order() -> None:
    event = main_event(
        "Clashing with Sudanese army soldiers for days, the Rapid Support Forces finally "
        "captured the town of Sinja on Sunday."
    )
    assert event.sub_event_type == "Non-state actor overtakes territory"
    assert actor(event, "actor1") == "Rapid Support Forces"
    assert actor(event, "actor2") == "Military Forces of Sudan"


def test_a_country_word_before_police_names_that_country_s_police() -> None:
    found = country_actors("Ugandan police officers dispersed the crowd.")
    assert [(m.span.text, m.entry.name) for m in found] == [
        ("Ugandan police officers", "Police Forces of Uganda")
    ]


def test_rebels_of_a_country_are_not_its_state_forces() -> None:
    assert country_actors("Syrian rebel forces entered the city.") == []
    assert country_actors("Iraqi resistance fighters fired rockets.") == []
    assert [m.entry.name for m in country_actors("Syrian government forces withdrew.")] == [
        "Military Forces of Syria"
    ]


def test_a_generic_name_filled_with_a_country_is_that_country_s_force() -> None:
    assert actor_keys("Military Forces of Mexico") & actor_keys("Mexican military")
    assert actor_keys("Police Forces of Kenya") & actor_keys("Kenyan police")
    assert "Military Forces of Chile" not in actor_keys("Peruvian army")


def test_a_capital_names_its_state_only_where_it_does_not_name_the_city() -> None:
    dictionary = actor_dictionary()

    def found(text: str) -> list[str]:
        return [m.entry.name for m in dictionary.find(text)]

    assert found("Moscow rejected the accusation on Tuesday.") == ["Military Forces of Russia"]
    assert found("Drones struck a warehouse on the edge of Kyiv overnight.") == []
    assert found("Three people were hurt in Moscow when debris fell.") == []
    assert found("The Kyiv Regional Administration counted the damage.") == []


def test_civilians_are_never_the_side_that_acted() -> None:
    event = main_event(
        "Villagers and their children died on Tuesday when a military jet bombed a market "
        "in Tabayin, in Myanmar's Sagaing region."
    )
    assert actor(event, "actor1") != "Civilians (Myanmar)"
    assert actor(event, "actor2") == "Civilians (Myanmar)"


def test_an_attack_claimed_by_or_blamed_on_a_group_has_it_as_actor1() -> None:
    claimed = main_event(
        "At least twelve people died in a car bombing outside a hotel in Baidoa on Friday, "
        "claimed by al-Shabaab in a statement."
    )
    assert actor(claimed, "actor1") == "Al Shabaab"
    blamed = main_event(
        "Two roadside bombs killed four farmers near Gao on Monday, an attack blamed on JNIM "
        "by local officials."
    )
    assert actor(blamed, "actor1") == "JNIM: Jama'at Nusrat al-Islam wal-Muslimin"
    assert actor(blamed, "actor2") == "Civilians (Mali)"


def test_a_headline_passive_puts_the_victims_second() -> None:
    event = main_event("Three Nigerian soldiers killed by roadside bomb near Damboa")
    assert actor(event, "actor1") is None
    assert actor(event, "actor2") == "Military Forces of Nigeria"


def test_the_actor_of_a_when_clause_acted() -> None:
    event = main_event(
        "Eleven traders were killed on Sunday when gunmen opened fire on a market in Gwoza."
    )
    assert actor(event, "actor1") == "Unidentified Armed Group (Nigeria)"
    assert actor(event, "actor2") == "Civilians (Nigeria)"


def test_fighting_between_two_sides_puts_the_state_first() -> None:
    event = main_event(
        "Heavy fighting broke out on Tuesday between the RSF and the Sudanese army in El Obeid."
    )
    assert event.sub_event_type == "Armed clash"
    assert actor(event, "actor1") == "Military Forces of Sudan"
    assert actor(event, "actor2") == "Rapid Support Forces"


def test_a_junta_is_the_military_of_the_event_s_country() -> None:
    event = main_event(
        "Junta soldiers burned houses and shot two farmers in the village of Ber, near "
        "Timbuktu in Mali, on Friday."
    )
    assert actor(event, "actor1") == "Military Forces of Mali"


def test_the_army_of_a_known_country_takes_the_dictionary_name() -> None:
    event = main_event("Rebel fighters of the M23 attacked an army post near Rutshuru on Thursday.")
    assert actor(event, "actor1") == "M23: March 23 Movement"
    assert actor(event, "actor2") == "Military Forces of the Democratic Republic of Congo"


def test_one_actor_written_two_ways_is_not_both_sides() -> None:
    event = main_event(
        "Myanmar regime jets bombed Kyaukme on Friday; the junta aircraft killed four villagers."
    )
    assert actor(event, "actor1") == "Military Forces of Myanmar"
    assert actor(event, "actor2") != "Military Forces of Myanmar"


def test_civilians_named_by_their_country_keep_it() -> None:
    found = country_actors("Militiamen stopped a bus of Ethiopian migrants near the border.")
    assert [(m.span.text, m.entry.name, m.entry.inter) for m in found] == [
        ("Ethiopian migrants", "Civilians (Ethiopia)", "Civilians")
    ]
    assert actor_keys("Thai hostages") & actor_keys("Civilians (Thailand)")


def test_a_country_s_air_defences_are_its_military() -> None:
    found = country_actors("Poland's new Patriot air defence system downed two drones.")
    assert [m.entry.name for m in found] == ["Military Forces of Poland"]
    # A capitalised word between needs the possessive: here it only ends a clause.
    found = country_actors("Near Poland Belarusian troops gathered.")
    assert [m.entry.name for m in found] == ["Military Forces of Belarus"]


def test_people_arrested_without_a_group_are_civilians() -> None:
    event = main_event("Police arrested twelve people in night raids in Mombasa on Monday.")
    assert event.sub_event_type == "Arrests"
    assert actor(event, "actor1") == "Police Forces of Kenya"
    assert actor(event, "actor2") == "Civilians (Kenya)"


def test_an_actor_naming_a_place_or_convoy_is_the_target() -> None:
    event = main_event(
        "A suicide bombing at a police checkpoint in Quetta killed three officers on Monday."
    )
    assert actor(event, "actor1") != "Police Forces of Pakistan"
    assert actor(event, "actor2") == "Police Forces of Pakistan"


def test_countries_that_agree_are_their_governments() -> None:
    event = main_event("Ethiopia and Eritrea signed a peace agreement in Jeddah on Sunday.")
    assert event.sub_event_type == "Agreement"
    assert actor(event, "actor1") == "Government of Ethiopia"
    assert actor(event, "actor2") == "Government of Eritrea"


def test_two_sides_named_together_before_a_clash_fill_both_roles() -> None:
    event = main_event(
        "Sudanese army soldiers and Rapid Support Forces fighters clashed in El Obeid on Monday."
    )
    assert event.sub_event_type == "Armed clash"
    assert actor(event, "actor1") == "Military Forces of Sudan"
    assert actor(event, "actor2") == "Rapid Support Forces"


def test_an_actor_named_by_its_weapon_acted_unless_the_weapon_was_downed() -> None:
    strike = main_event(
        "Four farmers were killed on Monday in a Turkish drone strike near Qamishli, Syria."
    )
    assert actor(strike, "actor1") == "Military Forces of Turkey"
    assert actor(strike, "actor2") != "Military Forces of Turkey"
    downed = main_event(
        "Ukrainian air defences shot down eleven Russian drones over Odesa on Tuesday night."
    )
    assert downed.sub_event_type == "Disrupted weapons use"
    assert actor(downed, "actor1") == "Military Forces of Ukraine"
    assert actor(downed, "actor2") == "Military Forces of Russia"


def test_gunmen_are_the_story_s_bandits_not_a_group_named_in_passing() -> None:
    event = main_event(
        "Gunmen kidnapped 20 villagers in Tsafe, Zamfara State, Nigeria, on Sunday. Residents "
        "said the bandits came on motorcycles. Unlike Boko Haram in the north-east, the "
        "bandits seek ransom."
    )
    assert actor(event, "actor1") == "Bandits (Nigeria)"


def test_brigades_aligned_with_the_tripoli_government_are_its_forces() -> None:
    event = main_event(
        "Brigades aligned with the Tripoli-based government fought the 444 Brigade in "
        "Tripoli's Ain Zara district on Friday, Libya's Presidential Council said."
    )
    assert actor(event, "actor1") == "Military Forces of Libya (Government of National Unity)"
    assert actor(event, "actor2") == "444 Brigade"


def test_the_body_not_the_headline_decides_who_acted() -> None:
    title = "Nine ADF fighters killed in Beni clashes"
    text = (
        f"{title}\n\nCongolese soldiers clashed with ADF fighters near Beni in North Kivu, "
        "Democratic Republic of Congo, on Friday, killing nine of them, the army said."
    )
    doc = make_document(text, source="test", title=title, published=PUBLISHED, outlet="Wire")
    event = next(e for e in process(doc).events if e.sub_event_type == "Armed clash")
    assert actor(event, "actor1") == "Military Forces of the Democratic Republic of Congo"
    assert actor(event, "actor2") == "ADF: Allied Democratic Forces"


def test_a_progressive_is_no_passive() -> None:
    event = main_event(
        "Houthi fighters have been fighting government troops near Marib, Yemen, since Sunday."
    )
    assert event.sub_event_type == "Armed clash"
    assert actor(event, "actor1") == "Houthis"
    assert actor(event, "actor2") == "Military Forces of Yemen"
