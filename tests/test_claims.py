"""Who claims, says or denies what in a sentence."""

from __future__ import annotations

from wiredesk.extract.claims import SpeakerMemory, find_attributions
from wiredesk.records import Span


def attributions(text: str, last: str | None = None) -> list[tuple[str | None, str]]:
    memory = SpeakerMemory()
    memory.last = last
    return [(a.by, a.kind) for a in find_attributions(Span(0, len(text), text), memory)]


def test_a_claimant_after_the_clause_that_tells_the_attack() -> None:
    assert attributions(
        "A mine killed four border guards near Turbat on Friday, and the Balochistan "
        "Liberation Front claimed the attack."
    ) == [("Balochistan Liberation Front", "responsibility")]


def test_a_time_phrase_after_the_claimant_is_not_its_name() -> None:
    assert attributions("The Mahdi Army last month claimed the attack on the convoy.") == [
        ("Mahdi Army", "responsibility")
    ]


def test_the_group_with_a_time_phrase_stands_for_the_source_named_before() -> None:
    assert attributions(
        "The group earlier this week claimed responsibility for the raid.", last="Ansar Dine"
    ) == [("Ansar Dine", "responsibility")]


def test_no_claimant_in_a_coordinated_clause_claims_nothing() -> None:
    assert attributions("A car bomb exploded, but no group has claimed responsibility.") == []
