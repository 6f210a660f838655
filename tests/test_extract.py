"""Extraction from sentences written for these tests: types, actors, weapons, casualties,
claims, background and non-events."""

from __future__ import annotations

from datetime import date

import pytest

from wiredesk.ingest.readers import make_document
from wiredesk.pipeline import process
from wiredesk.records import Event, Span
from wiredesk.resolve.actor import actor_dictionary, same_actor

PUBLISHED = date(2024, 3, 4)  # a Monday


def events_of(text: str, published: date | None = PUBLISHED) -> list[Event]:
    doc = make_document(text, source="test", published=published, outlet="Test Wire")
    found = process(doc).events
    for event in found:
        for span in event.evidence:
            assert doc.text[span.start : span.end] == span.text
        for claim in event.claims:
            assert doc.text[claim.start : claim.end] == claim.text
    return found


def main_event(text: str, published: date | None = PUBLISHED) -> Event:
    found = [e for e in events_of(text, published) if not e.background]
    assert found, "no main event"
    return found[0]


def actor(event: Event, role: str) -> str | None:
    return next((a.name for a in event.actors if a.role == role), None)


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        (
            "Three Katyusha rockets slammed into the perimeter of the airport on Sunday.",
            "Shelling/artillery/missile attack",
        ),
        ("An Israeli drone struck a car on the coastal road on Sunday.", "Air/drone strike"),
        (
            "A roadside bomb exploded under a police pickup outside Kirkuk on Sunday.",
            "Remote explosive/landmine/IED",
        ),
        (
            "A suicide bomber blew himself up at a checkpoint in Mogadishu on Sunday.",
            "Suicide bomb",
        ),
        (
            "Air defences shot down two drones over the capital on Sunday night.",
            "Disrupted weapons use",
        ),
        (
            "The air defence forces and means destroyed about twenty enemy targets over the "
            "capital on Sunday night.",
            "Disrupted weapons use",
        ),
        ("Soldiers and militia fighters clashed for hours near Goma on Sunday.", "Armed clash"),
        (
            "Two farmers were killed by cross-border fire near the frontier on Sunday.",
            "Shelling/artillery/missile attack",
        ),
        (
            "Gunmen abducted 15 farmers from their fields near Kaduna on Sunday.",
            "Abduction/forced disappearance",
        ),
        ("Police arrested 40 people in Lahore on Sunday after the unrest.", "Arrests"),
        ("Thousands of protesters marched peacefully through Basra on Sunday.", "Peaceful protest"),
        (
            "Police fired tear gas to disperse protesters in Khartoum on Sunday.",
            "Protest with intervention",
        ),
        (
            "Security forces shot dead three protesters in Omdurman on Sunday.",
            "Excessive force against protesters",
        ),
        ("Rioters torched a police station in Karachi on Sunday.", "Violent demonstration"),
        ("A mob lynched a man accused of blasphemy in Sialkot on Sunday.", "Mob violence"),
        ("Gunmen killed six villagers in a raid on a hamlet near Mopti on Sunday.", "Attack"),
        ("The two sides signed a ceasefire agreement in Doha on Sunday.", "Agreement"),
        (
            "Rebels seized control of the border town on Sunday after government troops fled.",
            "Non-state actor overtakes territory",
        ),
        ("The army recaptured the city of Wad Madani on Sunday.", "Government regains territory"),
    ],
)
def test_sub_event_types(sentence: str, sub_type: str) -> None:
    assert main_event(sentence).sub_event_type == sub_type


@pytest.mark.parametrize(
    "sentence",
    [
        "Analysts warned that the militia could launch rockets at the base if talks fail.",
        "The ministry denied that any airstrike had taken place in the province.",
        "Since the start of the war, shelling has killed more than 10,000 civilians.",
        "The striker's late attack won the match for the home side on Sunday.",
        "Heavy rain flooded dozens of homes in the valley on Sunday.",
        "Iraq handed the ambassador a strongly worded note of protest on Sunday.",
        "Our town doesn't need protests, the mayor told reporters on Sunday.",
        "Residents don’t want protests in the old town, the mayor said on Sunday.",
    ],
)
def test_non_events_yield_nothing(sentence: str) -> None:
    assert events_of(sentence) == []


def test_actor_aliases_resolve_to_one_canonical_actor() -> None:
    dictionary = actor_dictionary()
    assert dictionary.entry_for("Hashd al-Sha'abi") == dictionary.entry_for(
        "Popular Mobilization Units"
    )
    assert same_actor("IRGC", "Islamic Revolutionary Guard Corps")
    assert same_actor("US forces", "Military Forces of the United States")
    assert not same_actor("US forces", "Turkish military")


def test_roles_follow_voice_and_claims() -> None:
    active = main_event("Turkish warplanes bombed PKK positions near Amadiya on Sunday.")
    assert actor(active, "actor1") == "Military Forces of Turkey"
    assert actor(active, "actor2") == "PKK: Kurdistan Workers' Party"
    passive = main_event("US forces were attacked by Kataib Hezbollah near the airport on Sunday.")
    assert actor(passive, "actor1") == "Kataib Hezbollah"
    assert actor(passive, "actor2") == "Military Forces of the United States"
    claimed = main_event(
        "Rockets struck a base housing US forces on Sunday. A group calling itself the "
        "Islamic Resistance in Iraq claimed responsibility for the attack."
    )
    first = next(a for a in claimed.actors if a.role == "actor1")
    assert (first.name, first.claimed) == ("Islamic Resistance in Iraq", True)
    assert actor(claimed, "actor2") == "Military Forces of the United States"


def test_generic_actors_take_the_country_and_unknown_ones_are_kept() -> None:
    event = main_event("Gunmen killed four civilians in Kidal, Mali, on Sunday.")
    names = {a.name for a in event.actors}
    assert "Civilians (Mali)" in names


def test_weapons_with_model_count_and_qualifier() -> None:
    event = main_event("At least four BM-21 Grad rockets were fired at the base on Sunday.")
    (weapon,) = event.weapons
    assert (weapon.name, weapon.model, weapon.count, weapon.qualifier) == (
        "rocket",
        "BM-21 Grad",
        4,
        "at least",
    )
    drone = main_event("Air defences downed an MQ-9 Reaper over the province on Sunday.")
    assert any(w.model == "MQ-9 Reaper" for w in drone.weapons)


@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("Shelling killed dozens of people in the market on Sunday.", 12, None),
        (
            "At least seven soldiers were killed and 12 wounded when mortars hit the post "
            "on Sunday.",
            7,
            12,
        ),
        ("Rockets hit the base on Sunday, causing no casualties.", 0, 0),
        ("Rockets hit the base on Sunday.", None, None),
        ("A car bomb exploded in the square on Sunday, killing more than 20 people.", 20, None),
    ],
)
def test_casualties_follow_acled_conventions(
    sentence: str, killed: int | None, injured: int | None
) -> None:
    event = main_event(sentence)
    assert (event.fatalities, event.injuries) == (killed, injured)


def test_casualties_are_read_the_same_in_lower_case_as_in_any_case() -> None:
    import re
    import string
    import sys

    from wiredesk.extract.figures import read_casualties
    from wiredesk.extract.lexicon import FOLDED_APART

    # A character a case-insensitive pattern takes for an ASCII letter lowers to that letter,
    # and one that lowers to several characters is set apart, unless it is in FOLDED_APART.
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    letters = set(string.ascii_lowercase)
    for char in re.findall("[a-z]", everything, re.IGNORECASE):
        if char not in FOLDED_APART:
            assert char.lower() in letters and re.fullmatch(char.lower(), char, re.IGNORECASE)
    assert {c for c in everything if len(c.lower()) != 1} <= FOLDED_APART
    for text, killed, injured in (
        ("Seven soldiers were slain and three hurt, police said.", 7, 3),
        ("Seven \u017foldiers were \u017flain and three hurt, police \u017faid.", 7, 3),
        ("\u201cSEVEN SOLDIERS WERE KILLED,\u201d police said; no one was injured.", 7, 0),
    ):
        figures = read_casualties(Span(5, 5 + len(text), text))
        assert figures.killed is not None and figures.injured is not None
        assert (figures.killed.value, figures.injured.value) == (killed, injured), text


def test_casualties_are_never_summed_across_events() -> None:
    found = events_of(
        "A drone strike killed three fighters near Idlib on Sunday. "
        "Separately, a roadside bomb killed two soldiers in Deir ez-Zor on Sunday."
    )
    assert sorted(e.fatalities or 0 for e in found) == [2, 3]


def test_claims_keep_who_says_what_including_contradictions_and_denials() -> None:
    event = main_event(
        "Rockets targeted the Harir base on Sunday evening.\n"
        "The Security Media Cell said two rockets fell outside the base.\n"
        "The Islamic Resistance in Iraq said its rockets directly hit their targets.\n"
        "Kataib Hezbollah denied any role in the attack."
    )
    claims = {(c.by, c.kind) for c in event.claims}
    assert ("Security Media Cell", "report") in claims
    assert ("Islamic Resistance in Iraq", "report") in claims or (
        "Islamic Resistance in Iraq",
        "statement",
    ) in claims
    assert ("Kataib Hezbollah", "denial") in claims


def test_a_background_paragraph_keeps_its_own_date() -> None:
    found = events_of(
        "Drones attacked the Erbil air base on Sunday, officials said.\n\n"
        "On January 8, 2020, Iranian ballistic missiles struck the same base."
    )
    main = [e for e in found if not e.background]
    background = [e for e in found if e.background]
    assert [e.date for e in main] == [date(2024, 3, 3)]
    assert [e.date for e in background] == [date(2020, 1, 8)]


def test_one_event_told_in_several_sentences_is_one_event() -> None:
    found = events_of(
        "Rockets hit the Ain al-Asad air base on Saturday.\n"
        "The rockets landed near the runway, the army said.\n"
        "Two of the rockets failed to explode, according to a security source."
    )
    assert len([e for e in found if not e.background]) == 1


def test_a_sentence_with_two_events() -> None:
    found = events_of(
        "The drone was shot down over Diyala hours after rockets struck the Balad air base "
        "on Sunday."
    )
    assert {e.sub_event_type for e in found} == {
        "Disrupted weapons use",
        "Shelling/artillery/missile attack",
    }


def test_relative_dates_without_a_publication_date_stay_unknown() -> None:
    event = main_event("Rockets hit the base on Saturday evening.", published=None)
    assert event.date is None and event.date_precision == "unknown"


def test_the_day_of_the_telling_does_not_date_the_event() -> None:
    # Published Monday 4 March 2024: "said on Monday" is the report, Saturday the rockets.
    event = main_event(
        "KIRKUK, March 4 - The army said on Monday that rockets struck the K1 air base near "
        "Kirkuk on Saturday."
    )
    assert event.date == date(2024, 3, 2)


def test_an_event_with_no_date_of_its_own_takes_the_day_it_was_told() -> None:
    event = main_event("Police arrested 40 people in Basra, officials said on Sunday.")
    assert event.sub_event_type == "Arrests"
    assert event.date == date(2024, 3, 3)


@pytest.mark.parametrize(
    "text",
    [
        "Police on Sunday said a man was shot dead in Kano. Relatives said gunmen came to his "
        "house on Friday night.",
        "The governor on Sunday announced that gunmen had killed four farmers near Kano. "
        "Villagers said the attack began on Friday evening.",
        "The governor said in Kano on Sunday that gunmen killed four farmers. Villagers said "
        "the attack began on Friday evening.",
        "At a news conference in Kano on Sunday, the governor said gunmen killed four farmers. "
        "Villagers said the attack began on Friday evening.",
        "Gunmen killed four farmers near Kano, the governor told a Sunday news conference. "
        "Villagers said the attack began on Friday evening.",
        "On Sunday, the state governor confirmed gunmen killed four farmers near Kano. "
        "Villagers said the attack began on Friday evening.",
    ],
)
def test_the_day_of_the_telling_in_other_words_does_not_date_the_event(text: str) -> None:
    # Sunday is when it was told; Friday, from the next sentence, is when it happened.
    assert main_event(text).date == date(2024, 3, 1)


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed four farmers near Kano on Friday, said police.",
        "A bomb blast in Kano on Friday claimed four lives.",
    ],
)
def test_a_day_not_right_before_a_verb_of_telling_dates_the_event(text: str) -> None:
    event = main_event(f"{text} Relatives said the funeral was held on Saturday.")
    assert event.date == date(2024, 3, 1)


def test_a_party_named_for_a_holiday_does_not_date_the_event() -> None:
    # Published in early March: the tagger reads "Christmas" as last December's, but the
    # party is the occasion, held on a day the story does not give.
    event = main_event("Three people were shot during a Christmas party at a bar in Dayton.")
    assert event.date is None and not event.background
    dated = main_event(
        "Gunmen killed three villagers near Jos on Christmas Day.", published=date(2023, 12, 27)
    )
    assert dated.date == date(2023, 12, 25)


def test_news_with_no_place_of_its_own_happened_where_the_lead_says() -> None:
    found = events_of(
        "Rioters set fire to the governor's office in Basra on Sunday. On Monday, police "
        "arrested 20 people in raids across the city."
    )
    arrests = next(e for e in found if e.sub_event_type == "Arrests")
    assert not arrests.background and arrests.location.name == "Basrah"


def test_a_date_beyond_another_events_trigger_belongs_to_that_event() -> None:
    found = events_of(
        "Police said on Monday they had arrested three men suspected of planting a roadside "
        "bomb that killed two soldiers near Kirkuk on Friday."
    )
    days = {e.sub_event_type: e.date for e in found}
    assert days["Remote explosive/landmine/IED"] == date(2024, 3, 1)
    assert days["Arrests"] == date(2024, 3, 4)


def test_a_date_across_after_dates_the_other_clause() -> None:
    found = events_of(
        "Troops freed eight villagers abducted near Gusau on February 25 after a gun battle "
        "with their captors on Saturday, the army said."
    )
    days = {e.sub_event_type: e.date for e in found}
    assert days["Armed clash"] == date(2024, 3, 2)
    assert days["Abduction/forced disappearance"] == date(2024, 2, 25)


def test_a_headline_takes_only_its_own_kind_of_event() -> None:
    doc = make_document(
        "Troops free captives after gun battle near Gusau\n\n"
        "Nigerian troops freed villagers abducted near Gusau on February 25 after a gun battle "
        "with bandits on Saturday, the army said.",
        source="test",
        title="Troops free captives after gun battle near Gusau",
        published=PUBLISHED,
    )
    found = process(doc).events
    clashes = [e for e in found if e.sub_event_type == "Armed clash"]
    assert [e.date for e in clashes] == [date(2024, 3, 2)]
    assert any(e.sub_event_type == "Abduction/forced disappearance" for e in found)


def test_weapons_seized_in_an_arrest_are_part_of_the_arrest() -> None:
    found = events_of(
        "Police arrested two suspects in Mosul on Sunday and seized explosives and detonators "
        "from their house."
    )
    assert [e.sub_event_type for e in found] == ["Arrests"]


@pytest.mark.parametrize(
    "text",
    [
        "The ministry said it had struck a deal with a Chinese consortium to build a refinery.",
        "The freed captives were receiving treatment in a hospital in Gusau on Sunday.",
        "The rebel alliance has since carried out ambushes on army positions in the north.",
        "The army has repeatedly shelled villages along the river.",
        "Officials said the army remained in control of the airport.",
        "The rebels had ordered government soldiers to surrender by Monday.",
        "Analysts stressed the complexities of regaining control over the north.",
        "A resident said the bandits marched their captives into the forest.",
        "More than 120 soldiers surrendered into Rwanda and were disarmed, Kigali said.",
        "The detainees were caught in the act of attacking public property, police said.",
    ],
)
def test_commerce_freed_people_and_habits_are_no_events(text: str) -> None:
    assert events_of(text) == []


def test_another_attack_in_a_nearby_town_is_another_event() -> None:
    found = events_of(
        "Russian shelling killed two people in Nikopol on Saturday.\n"
        "Hours after the shelling of Nikopol, a drone hit a bus station in Marhanets, wounding "
        "a driver."
    )
    places = {e.sub_event_type: e.location.name for e in found}
    assert places["Shelling/artillery/missile attack"] == "Nikopol"
    assert places["Air/drone strike"] == "Marhanets"


def test_a_landmark_does_not_place_the_event() -> None:
    found = events_of(
        "Russian shelling killed two people in Nikopol on Saturday.\n"
        "The same day, a drone struck a bus station in Marhanets, a town east of Nikopol, "
        "wounding a driver."
    )
    drone = next(e for e in found if e.sub_event_type == "Air/drone strike")
    assert drone.location.name == "Marhanets"


def test_a_list_of_many_towns_is_a_summary_not_an_event() -> None:
    found = events_of(
        "Protests started on Sunday in Rawalpindi, Lahore, Karachi, Multan and Peshawar."
    )
    assert found == []


def test_a_short_list_of_towns_is_one_event_in_each() -> None:
    found = events_of("Russian missiles struck Kharkiv, Odesa and Dnipro on Sunday night.")
    assert sorted((e.sub_event_type, e.location.name) for e in found) == [
        ("Shelling/artillery/missile attack", "Dnipro"),
        ("Shelling/artillery/missile attack", "Kharkiv"),
        ("Shelling/artillery/missile attack", "Odesa"),
    ]
    assert len({e.id for e in found}) == 3


def test_a_listed_town_joins_the_event_already_told_there() -> None:
    found = events_of(
        "Police fired tear gas at protesters in Lahore on Sunday.\n"
        "Police also used water cannon against protesters in Karachi and Lahore on Sunday."
    )
    assert sorted(e.location.name for e in found) == ["Karachi", "Lahore"]


def test_a_toll_told_town_by_town_is_one_event_in_each_town() -> None:
    found = events_of(
        "Security forces opened fire on protesters across Yemen on Sunday.\n"
        "Four were killed in Aden, two in Mukalla and one in Zinjibar."
    )
    assert sorted(e.location.name for e in found) == ["Aden", "Mukalla", "Zinjibār"]
    assert {e.sub_event_type for e in found} == {"Excessive force against protesters"}
    assert len({e.id for e in found}) == 3


def test_separate_strikes_are_another_event_that_later_mentions_do_not_join() -> None:
    found = events_of(
        "Russian missiles struck a power plant in Kharkiv on Sunday, killing two workers.\n"
        "In Kharkiv, three more people were killed in separate strikes.\n"
        "The missile strike on the power plant also wounded five workers."
    )
    assert sorted(e.fatalities or 0 for e in found) == [2, 3]
    plant = next(e for e in found if e.fatalities == 2)
    assert plant.injuries == 5


def test_a_truce_mediated_from_two_towns_is_one_agreement() -> None:
    found = events_of(
        "The two militias agreed a ceasefire on Sunday after mediation by elders from "
        "Misrata and Zawiya."
    )
    assert [e.sub_event_type for e in found] == ["Agreement"]


def test_a_forecast_does_not_date_an_event_told_before() -> None:
    found = events_of(
        "Police fired tear gas at protesters in Nairobi.\n"
        "Organisers said the next protest in Nairobi is on March 12."
    )
    assert [(e.sub_event_type, e.location.name) for e in found] == [
        ("Protest with intervention", "Nairobi")
    ]


def test_a_bare_plural_after_the_news_names_a_kind_of_event() -> None:
    found = events_of(
        "Rockets hit the Balad air base on Sunday, wounding two soldiers.\n"
        "Aid groups say air strikes in Diyala province are a growing worry for farmers."
    )
    assert [e.sub_event_type for e in found] == ["Shelling/artillery/missile attack"]


def test_a_bare_plural_with_its_own_day_or_first_in_the_report_is_an_event() -> None:
    first = events_of("Air strikes hit villages in Idlib province, killing four civilians.")
    assert [e.sub_event_type for e in first] == ["Air/drone strike"]
    dated = events_of(
        "Rockets hit the Balad air base on Sunday, wounding two soldiers.\n"
        "On Saturday, air strikes hit villages in Idlib province."
    )
    assert "Air/drone strike" in {e.sub_event_type for e in dated}


def test_arrests_in_a_protest_intervention_are_part_of_it() -> None:
    found = events_of(
        "Police fired tear gas at protesters marching on parliament in Nairobi on Sunday.\n"
        "Several thousand people took part, organisers said.\n"
        "A police commander said 23 people had been arrested."
    )
    assert [e.sub_event_type for e in found] == ["Protest with intervention"]


def test_a_contrasted_clause_does_not_place_the_event() -> None:
    event = main_event(
        "NAIROBI, March 3 - Police fired tear gas at protesters on Sunday, while a separate "
        "march in the western city of Kisumu passed off peacefully."
    )
    assert event.sub_event_type == "Protest with intervention"
    assert event.location.name == "Nairobi"


@pytest.mark.parametrize(
    "text",
    [
        "Troops raided a farmhouse and seized drone parts and a launching ramp.",
        "Air defence systems built to stop aircraft and ballistic missiles struggle with drones.",
    ],
)
def test_weapon_parts_and_capabilities_are_no_strikes(text: str) -> None:
    assert not any(
        e.sub_event_type in ("Air/drone strike", "Shelling/artillery/missile attack")
        for e in events_of(text)
    )


def test_a_truce_that_has_come_into_force_is_an_agreement() -> None:
    event = main_event(
        "The ceasefire between the army and the rebels has officially come into force on Sunday."
    )
    assert event.sub_event_type == "Agreement"


def test_rebels_entering_a_city_fight_for_it() -> None:
    event = main_event("Rebel forces entered the country's second-largest city on Sunday.")
    assert event.sub_event_type == "Armed clash"


def test_a_date_after_since_bounds_a_period_and_dates_no_event() -> None:
    event = main_event(
        "Rebels fighting the army have reached Aleppo for the first time since being forced "
        "out in 2016."
    )
    assert event.date is None or event.date.year == 2024


def test_a_publication_stamp_does_not_date_the_event() -> None:
    event = main_event("date 2024-03-04 Protesters on Sunday blocked the main road in Basra.")
    assert event.date == date(2024, 3, 3)


def test_a_town_taken_after_fighting_is_no_peaceful_transfer() -> None:
    event = main_event(
        "Militants seized the town of Jowhar on Sunday after troops withdrew following "
        "overnight fighting."
    )
    assert event.sub_event_type == "Non-state actor overtakes territory"


def test_the_militants_are_the_named_group_of_the_story() -> None:
    found = events_of(
        "Al-Shabaab fighters seized the town of Jowhar on Sunday, residents said.\n"
        "The militants entered the town from the east in the early hours."
    )
    assert [e.sub_event_type for e in found] == ["Non-state actor overtakes territory"]


def test_one_protester_killed_is_force_against_protesters() -> None:
    event = main_event("A protester was killed by security forces gunfire in Khartoum on Sunday.")
    assert event.sub_event_type == "Excessive force against protesters"


def test_kidnap_victims_recovered_are_no_new_abduction() -> None:
    found = events_of("The bodies of six kidnap victims were recovered from a tunnel on Sunday.")
    assert not any(e.sub_event_type == "Abduction/forced disappearance" for e in found)


def test_a_country_that_qualifies_an_actor_does_not_place_the_event() -> None:
    event = main_event(
        "The US sanctioned Central Reserve Forces fired tear gas at protesters in Omdurman "
        "on Sunday."
    )
    assert event.location.name == "Omdurman"


def test_what_protesters_demand_does_not_place_the_protest() -> None:
    found = events_of(
        "Police fired tear gas at protesters in Haifa on Saturday.\n"
        "Protesters on Sunday flooded the streets demanding a deal for the release of hostages "
        "held in the Gaza Strip."
    )
    assert found and all(e.location.name != "Gaza Strip" for e in found)


def test_claims_told_in_the_passive_after_a_quotation_and_as_denials() -> None:
    event = main_event(
        "A suicide car bomber hit a police checkpoint in Bannu on Sunday.\n"
        '"The car was packed with explosives," a local police chief told the Test Wire.\n'
        "Responsibility was claimed by Jaish al-Fursan, a little-known group.\n"
        "The TTP said it was not involved."
    )
    claims = {(c.by, c.kind) for c in event.claims}
    assert ("local police chief", "report") in claims
    assert ("Jaish al-Fursan", "responsibility") in claims
    assert ("TTP", "denial") in claims


def test_a_source_giving_a_count_of_the_dead_gives_a_casualty_figure() -> None:
    event = main_event(
        "Soldiers clashed with militiamen near Djugu on Sunday.\n"
        "Seventeen assailants were killed in the fighting, an army spokesman said.\n"
        "Two projectiles fell outside the base without causing casualties, the police said."
    )
    kinds = {c.by: c.kind for c in event.claims}
    assert kinds["army"] == "casualty_figure"
    assert kinds["police"] == "report"


def test_a_headline_with_the_other_side_as_subject_is_the_same_clash() -> None:
    doc = make_document(
        "17 CODECO militiamen killed in Djugu clashes\n\n"
        "Congolese soldiers clashed with fighters of the CODECO militia near Djugu on Thursday, "
        "the army said.",
        source="test",
        title="17 CODECO militiamen killed in Djugu clashes",
        published=PUBLISHED,
    )
    found = process(doc).events
    assert [e.sub_event_type for e in found] == ["Armed clash"]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Bandits abducted 40 villagers near Gusau on Sunday.", "Bandits (Nigeria)"),
        (
            "Radaa fighters clashed with the 444 Brigade near Mitiga airport in Tripoli on Sunday.",
            "Radaa Special Deterrence Force",
        ),
        (
            "CODECO militiamen attacked a displacement camp near Djugu on Sunday.",
            "CODECO: Cooperative for the Development of Congo",
        ),
    ],
)
def test_armed_groups_of_the_dictionary(sentence: str, name: str) -> None:
    assert actor(main_event(sentence), "actor1") == name


def test_fighters_who_have_surrendered_make_an_agreement() -> None:
    event = main_event("More than 70 armed opposition fighters have surrendered to the army.")
    assert event.sub_event_type == "Agreement"


def test_one_agreement_whichever_partys_country_a_sentence_names() -> None:
    found = events_of(
        "Israel and Hezbollah agreed to a ceasefire on Sunday, Israeli officials said.\n"
        "The ceasefire agreement in Lebanon was confirmed by the prime minister on Sunday."
    )
    assert [e.sub_event_type for e in found] == ["Agreement"]


def test_one_agreement_whichever_party_a_sentence_names_as_signatory() -> None:
    found = events_of(
        "The Sudanese army signed a truce with the RSF in Jeddah on Sunday.\n"
        "The Rapid Support Forces signed the truce agreement in Jeddah on Sunday."
    )
    assert [e.sub_event_type for e in found] == ["Agreement"]


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        (
            "Rebel fighters said they had liberated the town of Sake on Sunday.",
            "Non-state actor overtakes territory",
        ),
        (
            "The army said it had liberated the town of Sake on Sunday.",
            "Government regains territory",
        ),
    ],
)
def test_a_place_taken_by_whoever_says_they_took_it(sentence: str, sub_type: str) -> None:
    assert main_event(sentence).sub_event_type == sub_type


def test_people_rounded_up_by_their_kidnappers_are_not_arrested() -> None:
    found = events_of(
        "Dozens of farmers were rounded up and kidnapped by gunmen near Zaria on Sunday."
    )
    assert [e.sub_event_type for e in found] == ["Abduction/forced disappearance"]


def test_people_rounded_up_by_police_are_arrested() -> None:
    event = main_event("Police rounded up 40 traders at a market in Kano on Sunday.")
    assert event.sub_event_type == "Arrests"


def test_a_date_opened_by_since_dates_no_event() -> None:
    found = events_of(
        "Rockets hit the Balad air base on Sunday, wounding two soldiers.\n"
        "Since October 7, the militias have fired dozens of rockets at US bases in Iraq."
    )
    assert all(e.date != date(2023, 10, 7) for e in found)


def test_protesters_dispersing_on_their_own_is_no_intervention() -> None:
    event = main_event(
        "In Nakuru a small group of protesters gathered outside the county offices on Sunday "
        "before dispersing."
    )
    assert event.sub_event_type == "Peaceful protest"
    police = main_event("Police used tear gas to disperse protesters in Nakuru on Sunday.")
    assert police.sub_event_type == "Protest with intervention"


def test_a_story_whose_lead_is_page_furniture_happens_where_it_names_most() -> None:
    text = (
        "Teen dies after shooting at party\n"
        "Watch the video\n"
        "Sign up for alerts\n"
        "Share this story\n"
        "A 17-year-old boy was shot and killed at a house party late Friday, police said.\n"
        "Officers in Overland found the boy in a back yard. Overland police are asking "
        "witnesses to call. The boy's family moved to Overland from St. Louis last year.\n"
    )
    events = events_of(text, published=date(2016, 6, 4))
    news = [e for e in events if not e.background]
    assert news and news[0].location.name == "Overland"


def test_a_province_is_refined_by_the_town_of_the_dateline() -> None:
    event = main_event(
        "SCRANTON, Pa. - State police say a man shot his neighbour dead on Sunday in "
        "northeastern Pennsylvania."
    )
    assert (event.location.name, event.location.precision) == ("Scranton", "town")
    # A dateline town in another province does not place the event.
    elsewhere = main_event(
        "PITTSBURGH - State police say a man shot his neighbour dead on Sunday in northern Ohio."
    )
    assert elsewhere.location.precision == "province"


def test_the_teller_is_not_a_side_of_what_it_tells() -> None:
    told = main_event("State police say a man killed his wife in Scranton on Sunday.")
    assert all("Police" not in a.name for a in told.actors)
    # Unless what it tells opens with a word that stands for it.
    own = main_event("The army said it had killed 20 militants near Gao on Sunday.")
    assert actor(own, "actor1") == "Military Forces of Mali"


def test_weapons_are_read_only_for_the_kinds_a_word_can_start() -> None:
    from wiredesk.extract.figures import read_weapons
    from wiredesk.extract.lexicon import weapons
    from wiredesk.nlp.wordscan import word_heads

    lexicon = weapons()
    for text in (
        "Two Grad rockets and a mortar shell hit the depot, then a drone dropped grenades.",
        "Police fired tear gas and rubber bullets; a car bomb went off near the gate.",
        "The council met on Tuesday to discuss the budget.",
    ):
        scanned = [i for i, k in enumerate(lexicon.kinds) if k.pattern.search(text)]
        opened = set(lexicon.kinds_of_head.starts(word_heads(text)))
        assert set(scanned) <= opened | lexicon.kinds_of_head.ungated
        found = {m.weapon.name for m in read_weapons(Span(0, len(text), text))}
        assert found <= {lexicon.kinds[i].name for i in scanned}
        assert bool(found) == bool(scanned)


def test_times_and_places_are_read_with_the_sentence_they_start_in() -> None:
    from wiredesk.extract.events import _by_sentence

    sentences = [Span(0, 10, "a" * 10), Span(11, 20, "b" * 9), Span(25, 30, "c" * 5)]
    starts = [12, 3, 22, 11, 29, 40, 0]
    items = ["x", "y", "gap", "z", "w", "after", "v"]
    assert _by_sentence(sentences, starts, items) == [["y", "v"], ["x", "z"], ["w"]]
