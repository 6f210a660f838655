"""Event mentions from sentences written for these tests: one per ACLED sub-event type, the
filters that make a sentence no event, who did what to whom, and a sentence's second event."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiredesk.extract.lexicon import taxonomy, triggers
from wiredesk.extract.mentions import Mention, _Clause, find_mentions
from wiredesk.nlp.wordscan import WordStarts, gate
from wiredesk.records import Span


def mentions(text: str) -> list[Mention]:
    span = Span(0, len(text), text)
    return find_mentions(span, span)


def types_of(text: str) -> list[str]:
    return [m.rule.sub_event_type for m in mentions(text)]


def first_type(text: str) -> str | None:
    found = mentions(text)
    return found[0].rule.sub_event_type if found else None


SUB_TYPES = [
    # Battles
    (
        "Government troops and rebel fighters clashed for six hours outside the district town.",
        "Armed clash",
    ),
    ("Insurgents attacked an army outpost on the ridge, killing four soldiers.", "Armed clash"),
    (
        "The army retook the river port from the insurgents after a week of fighting.",
        "Government regains territory",
    ),
    (
        "Jihadist fighters captured the district headquarters and two nearby villages on Friday.",
        "Non-state actor overtakes territory",
    ),
    # Explosions/Remote violence
    ("A warplane bombed a fuel depot on the edge of the town, residents said.", "Air/drone strike"),
    ("An armed drone struck a pickup truck on the border highway.", "Air/drone strike"),
    (
        "Mortar rounds slammed into the crowded bus terminal on Monday.",
        "Shelling/artillery/missile attack",
    ),
    (
        "A cruise missile hit a power substation outside the regional capital overnight.",
        "Shelling/artillery/missile attack",
    ),
    (
        "A roadside bomb exploded as a fuel convoy passed the checkpoint, wounding two drivers.",
        "Remote explosive/landmine/IED",
    ),
    (
        "A shepherd was wounded when he stepped on a landmine near the old front line.",
        "Remote explosive/landmine/IED",
    ),
    (
        "A suicide bomber detonated his explosive vest at the entrance of the stadium.",
        "Suicide bomb",
    ),
    ("An attacker on a motorbike hurled a grenade into the crowded tea shop.", "Grenade"),
    (
        "Doctors said dozens were treated after chlorine gas was dropped on the suburb.",
        "Chemical weapon",
    ),
    # Violence against civilians
    ("Gunmen opened fire on worshippers leaving the village church.", "Attack"),
    ("Armed men raided the hamlet at dawn and shot dead seven farmers.", "Attack"),
    (
        "Bandits kidnapped the parish priest and two teachers on the highway.",
        "Abduction/forced disappearance",
    ),
    ("Witnesses said soldiers raped two women during the house searches.", "Sexual violence"),
    # Protests
    (
        "Hundreds of nurses marched peacefully to the health ministry to demand back pay.",
        "Peaceful protest",
    ),
    (
        "Riot police fired tear gas and water cannon to disperse students rallying outside "
        "the parliament.",
        "Protest with intervention",
    ),
    (
        "Police detained forty protesters outside the electoral commission.",
        "Protest with intervention",
    ),
    (
        "Troops opened fire on unarmed demonstrators in the main square, killing five.",
        "Excessive force against protesters",
    ),
    # Riots
    (
        "Protesters hurled stones at police and set fire to a bank in the old town.",
        "Violent demonstration",
    ),
    ("An angry mob beat a suspected thief to death at the cattle market.", "Mob violence"),
    # Strategic developments
    ("The two militias signed a ceasefire agreement in the capital on Thursday.", "Agreement"),
    ("Police arrested the opposition party's spokesman at his home on Sunday.", "Arrests"),
    (
        "A splinter faction announced it had defected to the government side with 200 fighters.",
        "Change to group/activity",
    ),
    (
        "Border units deployed extra troops and armoured vehicles to the frontier crossing.",
        "Change to group/activity",
    ),
    (
        "The army set up a new military base outside the oil town.",
        "Headquarters or base established",
    ),
    (
        "Soldiers found a cache of rifles, ammunition and explosives in an abandoned farmhouse.",
        "Disrupted weapons use",
    ),
    (
        "Air defences intercepted three missiles over the coastal city on Tuesday night.",
        "Disrupted weapons use",
    ),
    ("Engineers defused a bomb planted under the bridge.", "Disrupted weapons use"),
    (
        "Gangs looted shops and warehouses in the market district overnight.",
        "Looting/property destruction",
    ),
    (
        "The militia handed over control of the airport to the national army without a fight.",
        "Non-violent transfer of territory",
    ),
    ("The army staged a coup and dissolved parliament on Wednesday.", "Other"),
]


@pytest.mark.parametrize(("sentence", "sub_type"), SUB_TYPES)
def test_each_sub_event_type(sentence: str, sub_type: str) -> None:
    assert first_type(sentence) == sub_type


def test_every_acled_sub_event_type_is_covered() -> None:
    assert {s for _, s in SUB_TYPES} == set(taxonomy().event_type_of)


@pytest.mark.parametrize(
    "sentence",
    [
        # forecasts, threats, conditions
        "The rebels threatened to shell the airport if the talks collapse.",
        "Officials warned that militants could attack polling stations next week.",
        "The ministry is planning to deploy drones along the border.",
        # denials
        "The army denied that any airstrike had taken place in the valley.",
        # statistics over a whole war
        "Since the start of the war, shelling has killed more than 9,000 civilians.",
        # sport and figure of speech
        "The striker's late attack won the match for the visitors.",
        "The minister hit back at critics in a heated debate on Monday.",
        "She has been fighting cancer for two years.",
        # disasters, diplomacy, crime
        "A gas explosion at a chemical plant killed three workers on Friday.",
        "An earthquake killed 40 people and injured hundreds in the mountain villages.",
        "The government expelled four diplomats and summoned the ambassador.",
        "North Korea test-fired two ballistic missiles into the sea, the military said.",
        "Police seized counterfeit watches and arrested two smugglers at the port.",
        # a casualty count with nobody who acted
        "Seven people were killed.",
    ],
)
def test_non_events_yield_no_mention(sentence: str) -> None:
    assert mentions(sentence) == []


def test_a_filter_governs_only_its_own_sub_clause() -> None:
    text = "Rockets struck the base on Sunday, while officials warned of more attacks."
    assert types_of(text) == ["Shelling/artillery/missile attack"]


def test_the_doer_decides_who_took_territory() -> None:
    assert first_type("Government forces recaptured the hill town.") == (
        "Government regains territory"
    )
    assert first_type("Militants recaptured the hill town.") == (
        "Non-state actor overtakes territory"
    )
    # Passive voice: the doer follows "by".
    assert first_type("The hill town was seized by the rebels on Monday.") == (
        "Non-state actor overtakes territory"
    )
    # The first of two coordinated doers counts.
    assert first_type("The army and allied fighters captured the border district.") == (
        "Government regains territory"
    )


def test_whom_the_violence_hit_decides_between_battle_and_attack() -> None:
    assert first_type("Militants ambushed a police patrol near the bridge.") == "Armed clash"
    assert first_type("Militants ambushed a bus carrying pilgrims near the bridge.") == "Attack"


def test_a_person_captured_is_an_arrest_not_territory() -> None:
    assert first_type("Special forces captured a senior commander of the group in the town.") == (
        "Arrests"
    )


def test_precedence_among_protest_types() -> None:
    # Protesters who fight make a violent demonstration even when police intervene.
    assert first_type("Police fired tear gas after protesters threw petrol bombs.") == (
        "Violent demonstration"
    )
    # Killing peaceful protesters is excessive force, not an attack on civilians.
    assert first_type("Security forces shot dead two protesters at the sit-in.") == (
        "Excessive force against protesters"
    )
    # A suicide bomber is a suicide bomb although there was an explosion.
    assert first_type("An explosion ripped through the market when a suicide bomber struck.") == (
        "Suicide bomb"
    )


def test_a_protest_about_a_killing_is_not_force_against_protesters() -> None:
    assert first_type("Hundreds rallied peacefully over the killing of a teenager.") == (
        "Peaceful protest"
    )


def test_a_sentence_can_report_two_events() -> None:
    found = mentions("Air defences shot down two drones hours after rockets struck the airport.")
    assert [m.rule.sub_event_type for m in found] == [
        "Disrupted weapons use",
        "Shelling/artillery/missile attack",
    ]
    assert [m.trigger.text for m in found] == ["shot down", "rockets"]


def test_an_event_named_before_the_main_one_is_a_second_event() -> None:
    # The riot is the sentence's event; the arrest that set it off is reported too, after it.
    found = types_of("The arrest of the opposition leader sparked riots in the capital.")
    assert found == ["Violent demonstration", "Arrests"]
    # Of the same kind of disorder, it is part of the main event, not a second one.
    assert types_of("Gunmen attacked the village with a grenade.") == ["Grenade"]


def test_one_story_is_not_told_twice() -> None:
    # The tear gas and the stones are one demonstration; the deaths are part of the attack.
    assert types_of("Police fired tear gas as protesters hurled stones.") == [
        "Violent demonstration"
    ]
    assert types_of("Two soldiers were killed when militants attacked an army post.") == [
        "Armed clash"
    ]


def test_trigger_spans_point_into_the_document() -> None:
    text = "Officials said: rockets struck the airport on Sunday."
    sentence = Span(100, 100 + len(text), text)
    clause_text = text[16:]
    clause = Span(116, 116 + len(clause_text), clause_text)
    (found,) = find_mentions(sentence, clause)
    assert (found.trigger.start, found.trigger.end, found.trigger.text) == (116, 123, "rockets")
    assert found.rule.event_type == "Explosions/Remote violence"
    assert found.rule.plover == "ASSAULT"


def test_a_clause_read_with_its_sentence_word_heads_finds_what_it_finds_alone() -> None:
    from wiredesk.nlp.wordscan import word_heads

    for text, at, end in (
        ("Officials said: rockets struck the airport on Sunday.", 16, None),
        ("Police said gunmen attacked a checkpoint, wounding two.", 12, None),
        ("The army said it had shelled rebel positions, officials said.", 14, -15),
        ("Counter-attacks repelled: the army shelled the hills.", 8, None),  # inside a word
        ("Witnesses said rockets hit the market and killed three", 15, 50),  # cuts a word
    ):
        sentence = Span(40, 40 + len(text), text)
        part = text[at:end]
        clause = Span(40 + at, 40 + at + len(part), part)
        alone = find_mentions(sentence, clause)
        assert find_mentions(sentence, clause, word_heads(text)) == alone, text


def test_a_sentence_with_no_trigger_word_is_dismissed_by_the_word_starts() -> None:
    text = "The choir sang hymns at noon."
    assert not _Clause(text, triggers()).may_trigger()
    assert mentions(text) == []


def test_matching_at_word_starts_finds_what_a_whole_scan_finds() -> None:
    lexicon = triggers()
    texts = [
        "U.S. troops and al-Shabaab gunmen clashed; IS fighters stepped on a landmine, "
        "riot police used smoke grenades, air-strikes hit a de-mining team's AK-47 cache.",
        "Militants shelled the town; the army said soldiers were wounded and two were killed.",
        "Protesters re-attacked the ministry, where self-defense units and police clashed.",
        "İzmir riot police clashed with Ürün protesters; Öcalan supporters were shelled.",
    ]
    for text in texts:
        words = WordStarts(text)
        clause = _Clause(text, lexicon)
        for name, pattern in lexicon.cues.items():
            expected = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in words.finditer(pattern, lexicon.gates[name])] == expected
            assert [m.span() for m in clause.hits(name)] == expected, name
            assert (name in clause.possible) >= bool(expected), name
            middle = len(text) // 2
            part = [m.span() for m in pattern.finditer(text, 5, middle)]
            found = words.finditer(pattern, lexicon.gates[name], 5, middle)
            assert [m.span() for m in found] == part, name
            first = words.search(pattern, lexicon.gates[name], 5, middle)
            assert (first.span() if first else None) == (part[0] if part else None), name
            # A second search with the same list reads the positions kept from the first.
            again = words.finditer(pattern, lexicon.gates[name], 5, middle)
            assert [m.span() for m in again] == part, name
    assert any(lexicon.cues[name].search(texts[1]) for name in lexicon.triggering)


def test_a_gate_holds_the_starts_of_every_branch() -> None:
    assert gate(["attack(?:s|ed)?", "(?:set|sets) up", "shell|bomb", "U\\.S\\. forces"]) == {
        "atta",
        "set",
        "sets",
        "shel",
        "bomb",
        "u",
    }
    assert gate(["(?:the )?army"]) is None  # an optional group: no start is certain
    assert gate(["[Ss]helled"]) is None


def test_user_rules_extend_the_packaged_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = tmp_path / "events"
    events.mkdir()
    (events / "triggers.toml").write_text(
        '[cues]\ncyber = ["hacked the (?:grid|network)"]\n\n'
        '[[rule]]\nsub_event_type = "Other"\nany = ["cyber"]\n',
        "utf-8",
    )
    monkeypatch.setenv("WIREDESK_DATA", str(tmp_path))
    triggers.cache_clear()
    try:
        assert first_type("Saboteurs hacked the grid on Monday.") == "Other"
    finally:
        monkeypatch.delenv("WIREDESK_DATA")
        triggers.cache_clear()


def test_a_doubled_backslash_in_a_cue_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = tmp_path / "events"
    events.mkdir()
    (events / "triggers.toml").write_text("[cues]\nbad = ['shot \\\\w+']\n", "utf-8")
    monkeypatch.setenv("WIREDESK_DATA", str(tmp_path))
    triggers.cache_clear()
    try:
        with pytest.raises(ValueError, match="doubled backslash"):
            triggers()
    finally:
        monkeypatch.delenv("WIREDESK_DATA")
        triggers.cache_clear()


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        ("Overnight strikes on the port killed six dock workers.", "Air/drone strike"),
        ("Dock workers went on strike over unpaid wages.", "Peaceful protest"),
        ("The rebels freed 40 prisoners of war in exchange for two captured pilots.", "Agreement"),
        ("The truce, brokered by tribal elders, held through the night.", "Agreement"),
    ],
)
def test_strikes_and_truces(sentence: str, sub_type: str) -> None:
    assert first_type(sentence) == sub_type


def test_a_football_strike_is_no_event() -> None:
    assert mentions("The winger killed off the game with a curling strike in stoppage time.") == []


def test_a_headline_shooting_without_its_auxiliary_and_a_town_named_roundup() -> None:
    assert first_type("Four people shot outside Kokomo nightclub") == "Attack"
    assert first_type("Two men shot at the officers before fleeing") != "Attack"
    assert mentions("Young people shot mobile phone videos of the crowd.") == []
    # "Roundup", the Montana town, is no round-up of suspects.
    assert "Arrests" not in types_of("A woman shot her son in Roundup last week.")
    assert first_type("Police said the round-up of suspects continued overnight.") == "Arrests"


def test_a_gun_found_and_fired_is_a_shooting_not_a_seizure() -> None:
    assert first_type("Girl, 4, shot self with pistol she found under the sofa") == "Attack"
    assert first_type("The toddler found the gun in a drawer and shot himself.") == "Attack"
    # A lone gun picked up at a scene is no disrupted weapons use; arms in number are.
    assert mentions("Deputies recovered a gun near the parked car.") == []
    assert first_type("Deputies recovered guns and ammunition from the parked car.") == (
        "Disrupted weapons use"
    )


def test_an_accidental_shooting_is_a_shooting() -> None:
    assert first_type("A hunter was accidentally shot by his cousin near the lake.") == "Attack"
    assert first_type("The teenager accidentally shot himself while cleaning a rifle.") == "Attack"


def test_what_a_charge_says_happened_is_not_governed_by_the_trial_forecast() -> None:
    found = mentions("A man will stand trial on charges he shot and killed a neighbour in May.")
    assert [(m.rule.sub_event_type, m.trigger.text) for m in found] == [
        ("Attack", "shot and killed")
    ]
    assert mentions("The man will be tried next month.") == []


def test_shot_by_what_a_gun_fired_and_a_gun_that_fell_to_the_ground() -> None:
    assert first_type("A jogger was struck by two stray bullets near the park.") == "Attack"
    assert first_type("Man shoots and kills himself at a gas station") == "Attack"
    assert mentions("The rifle fell to the floor and nobody was hurt.") == []
    assert first_type("The border town fell to the rebels on Monday.") == (
        "Non-state actor overtakes territory"
    )


def test_killing_oneself_is_a_suicide_bombing_only_with_an_explosive() -> None:
    assert first_type("The attacker set off his explosives at the gate, killing himself.") == (
        "Suicide bomb"
    )
    assert "Suicide bomb" not in types_of("He took the rifle from the shed before killing himself.")


def test_a_sale_agreed_is_no_agreement_between_armed_sides() -> None:
    assert mentions("She said she had agreed to sell the pistol to a neighbour.") == []
    assert first_type("The two militias agreed to a truce on Friday.") == "Agreement"


def test_live_rules_are_the_rules_with_a_trigger_word_in_file_order() -> None:
    lexicon = triggers()
    for text in (
        "Gunmen attacked a checkpoint and shelled the market before protesters rallied.",
        "Soldiers clashed with rebels; an airstrike killed three and police arrested two.",
        "The choir sang hymns at noon.",
    ):
        clause = _Clause(text, lexicon)
        present = {cue for cue in lexicon.triggering if lexicon.cues[cue].search(text)}
        expected = [rule for rule in lexicon.rules if present.intersection(rule.any)]
        assert clause.live_rules() == expected


def test_the_cue_lists_of_a_word_head_are_those_whose_gate_holds_a_start_of_it() -> None:
    lexicon = triggers()
    for head in ("shel", "atta", "kill", "zzzz", "a"):
        expected = sorted(
            name
            for name, starts in lexicon.gates.items()
            if starts and any(head[:size] in starts for size in range(1, len(head) + 1))
        )
        assert list(lexicon.cues_of_head[head]) == expected
        assert lexicon.cues_of_head[head] is lexicon.cues_of_head[head]  # worked out once
    assert lexicon.cues_of_head["shel"]  # "shelled" starts a cue list


def test_any_of_finds_a_match_exactly_when_one_of_its_patterns_does() -> None:
    import re

    from wiredesk.nlp.wordscan import any_of, word_pattern

    said = re.compile(word_pattern(["said", "told"]).pattern)  # case-sensitive
    blamed = word_pattern(["blamed", "claimed responsibility"])
    either = any_of([said, blamed])
    for text in (
        "The ministry said the road was shut.",
        "Nobody CLAIMED RESPONSIBILITY for the blast.",
        "SAID nothing; the choir sang.",
        "The unsaid words stayed unsaid.",
        "",
    ):
        expected = bool(said.search(text) or blamed.search(text))
        assert bool(either.search(text)) == expected, text
    with pytest.raises(ValueError):
        any_of([re.compile("x", re.MULTILINE)])


def test_word_lists_are_found_by_the_starts_their_gates_hold() -> None:
    from wiredesk.nlp.wordscan import opened_by

    by_start, ungated = opened_by(
        [("shelling", gate(["shell(?:ing|ed)?"])), ("any", None), ("shots", gate(["shots?"]))]
    )
    assert by_start == {"shel": ("shelling",), "shot": ("shots",)}
    assert ungated == ("any",)


def test_a_pattern_matched_in_lower_case_text_is_written_in_lower_case() -> None:
    from wiredesk.extract.lexicon import require_lower_case

    require_lower_case(r"(?P<n>\d+) killed\b|\S+ dead", "events/casualties.toml")  # no letters
    with pytest.raises(ValueError, match=r"casualties\.toml: write 'Killed' in lower case"):
        require_lower_case("Killed", "events/casualties.toml")
