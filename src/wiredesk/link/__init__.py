"""Link: each new event joins the stored event it reports, or starts a new one.

Every document's record of an event is kept whole as a *reading*; a stored event is a
cluster of readings, and its record is recomputed from all of them.

Which readings are one incident is decided by structured fields. Two readings *conflict*
(`rules.conflict`: they can never share an event) unless all of these hold, and they are
*compatible* (`rules.compatible`: evidence that they are one event) when, on top of that,
they agree strongly enough:

- one type family (the three violent types together; protests with riots; each strategic
  development alone); across violent types, only a generic "attack" against a specific
  form of one (an IED "attack" is the IED; an airstrike is never a takeover); a protest
  and a riot (one outlet's peaceful march is another's riot); across types, only with a
  precise date and one spot;
- overlapping date windows: a stated day +- 1, a week, month or year with its whole period
  +- 1 day; a news report with no date covers the week before it was published; a
  background mention with no date is never linked;
- agreeing places by precision: one facility within 5 km, a facility and a town within
  30 km, two towns within 10 km (or the same gazetteer id or name), a district within 50 km,
  a province by its name or within 250 km, a country by its code. Agreement only at
  province or country level also needs a precise date, one event type and one more thing
  in common (an actor both name, the same death toll, evidence that reads alike); a
  strategic development needs only the same named actor (and, when both state a day, days
  at most one apart);
- no two different armed groups named as the one who acted (a group known only from a
  claim does not count; crowds, civilians and state forces are named too loosely to tell);
- readings of one document are treated like any others: an extractor that split one
  incident in two has it joined again;
- background mentions link like news: the January 2020 strike on Ain al-Asad mentioned in
  2024 joins the January 2020 event, and never becomes a second copy of it.

How clusters form (`cluster.partition`, `incremental.link_document`): readings joined by
compatible pairs form a *component*; a component is partitioned by agglomeration: two
groups merge when no pair across them conflicts and at least one pair is compatible, the
closest first (by mean affinity), so a chain of near misses (shelling on the 1st, 2nd and
3rd of a month) never collapses into one event. A new document's readings join the
components they are compatible with; when one reading bridges two stored events, their
components are joined and re-partitioned, which merges the events (the older id survives;
the other's history says where it went). Because the partition depends only on the set of
readings of a component, any ingest order gives the same clusters. Candidates come from an
index of each event's reach (days x latitude x longitude), so a new document never re-reads
the store; its cost is that of re-partitioning the components it touches (quadratic in
their readings: an incident with hundreds of reports costs more to add to), except where a
component was one event and the new readings join it without conflict: then it stays one,
checked against the new readings alone (`cluster.partition_grown`).

Headline fields of a merged event (`merge.merge_reports`), independent of arrival order:

- votes are taken among news readings; background mentions count only when no document
  reports the event as news (they always add their sources, claims and evidence);
- type and sub-type: the one most readings give (ties: the first in document-id order);
- date: the most precise one (day over week over month over year), then the most
  reported, then the earliest;
- place: the most precise one (facility, town, district, province, country), then the most
  reported name, then the first in document-id order;
- actors: per role, the name most readings give, a named actor over one known only from a
  claim;
- fatalities, injuries and weapon counts: the lowest figure any reading states (ACLED's
  conservative rule);
- background: only when every reading mentions the event as background.

Conflicts are shown, not averaged away: `conflicts` lists every field on which sources
disagree, each value with the documents that give it: fatalities, injuries, weapon counts,
sub-type, day, place name, actor1, outcome ("hit" against "fell outside") and claims (a
denial against a report or a claim of responsibility). Every claim of every source is kept
side by side in `claims`.
"""

from __future__ import annotations

from wiredesk.link.cluster import partition
from wiredesk.link.incremental import LinkBackend, LinkOutcome, link_document, readings_of
from wiredesk.link.merge import merge_reports
from wiredesk.link.rules import Reach, Reading, compatible, is_same_incident, reach

__all__ = [
    "LinkBackend",
    "LinkOutcome",
    "Reach",
    "Reading",
    "compatible",
    "is_same_incident",
    "link_document",
    "merge_reports",
    "partition",
    "reach",
    "readings_of",
]
