"""Linking one new document into the store, touching only the events it can belong to.

The clusters are a function of the set of readings: a document's readings join the
*components* (readings connected by compatible pairs) they are compatible with, components
that a new reading bridges are joined, and the joined component is re-partitioned whole
(`partition`; `partition_grown` spares comparing every pair when the outcome is known to
be one event). The last reading to arrive in a component always sees all of it, so any
arrival order ends in the same clusters. Stored events keep their ids where their readings
stay together: each new cluster takes the id of the stored event it shares most readings
with, and an event whose readings all moved elsewhere is recorded as merged into them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from wiredesk.link.cluster import OneGroupSets, PairCache, partition_grown, related
from wiredesk.link.merge import merge_reports
from wiredesk.link.rules import Reach, Reading, reach
from wiredesk.records import Document, Event

if TYPE_CHECKING:
    import sqlalchemy as sa

__all__ = ["Change", "LinkBackend", "LinkOutcome", "StoredEvent", "link_document", "readings_of"]


@dataclass(slots=True)
class StoredEvent:
    id: str
    order: int  # creation order in the store: older events keep their ids first
    component: str
    record: Event
    readings: list[Reading]


@dataclass(slots=True)
class Change:
    """One line of an event's history: what changed, and the document that caused it."""

    event_id: str
    document_id: str | None
    change: (
        str  # created, source added, source removed, field changed, conflict, merged, merged into
    )
    field: str | None = None
    old: str | None = None
    new: str | None = None


@dataclass(slots=True)
class LinkOutcome:
    new_events: int = 0  # clusters made only of the new document's readings
    linked_events: int = 0  # new readings that joined readings of earlier documents
    merged_events: int = 0  # stored events absorbed into others because a reading bridged them


class LinkBackend(Protocol):
    """What linking asks of a store; `wiredesk.store.linking` implements it in SQL."""

    pairs: PairCache  # how stored readings relate, kept across documents
    one_group: OneGroupSets  # sets of readings lately clustered as one, kept across documents

    def candidates(self, connection: sa.Connection, box: Reach) -> list[tuple[str, str]]:
        """(event id, component) of every stored event whose reach intersects `box`."""
        ...

    def readings(
        self, connection: sa.Connection, event_ids: Sequence[str]
    ) -> dict[str, list[Reading]]:
        """Every stored reading of each event."""
        ...

    def component_events(
        self,
        connection: sa.Connection,
        components: Sequence[str],
        known: Mapping[str, list[Reading]],
    ) -> list[StoredEvent]:
        """Every stored event of the components, with its readings (those of `known` events
        are already loaded)."""
        ...

    def stored_events(
        self,
        connection: sa.Connection,
        event_ids: Sequence[str],
        known: Mapping[str, list[Reading]],
    ) -> list[StoredEvent]:
        """The stored events of these ids, with their readings."""
        ...

    def component_size(self, connection: sa.Connection, components: Sequence[str]) -> int:
        """How many readings the components hold."""
        ...

    def rename_components(self, connection: sa.Connection, old: Sequence[str], new: str) -> None:
        """Make the events of components `old` members of component `new`."""
        ...

    def id_taken(self, connection: sa.Connection, event_id: str) -> bool: ...

    def insert_event(
        self, connection: sa.Connection, event: Event, box: Reach | None, component: str
    ) -> None: ...

    def update_event(
        self, connection: sa.Connection, event: Event, box: Reach | None, component: str
    ) -> None: ...

    def delete_event(self, connection: sa.Connection, event_id: str) -> None: ...

    def insert_reports(
        self, connection: sa.Connection, rows: Sequence[tuple[str, Reading]]
    ) -> None:
        """Store each (event id, reading) as a document's report of that event."""
        ...

    def move_reports(self, connection: sa.Connection, rows: Sequence[tuple[str, Reading]]) -> None:
        """Point each stored reading's report at another event."""
        ...

    def add_history(self, connection: sa.Connection, changes: Sequence[Change]) -> None: ...


def readings_of(doc: Document, events: Sequence[Event]) -> list[Reading]:
    """A document's events as readings: its own id as their only source, unique mention ids."""
    readings: list[Reading] = []
    seen: set[str] = set()
    for event in events:
        mention = event.id
        suffix = 2
        while mention in seen:
            mention, suffix = f"{event.id}-{suffix}", suffix + 1
        seen.add(mention)
        event.sources = [doc.id]
        readings.append(Reading(doc.id, mention, event, doc.published))
    return readings


class _Groups:
    """Union-find over new readings (ints) and stored components (strings)."""

    def __init__(self) -> None:
        self.parent: dict[int | str, int | str] = {}

    def find(self, node: int | str) -> int | str:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: int | str, b: int | str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb, key=str)] = min(ra, rb, key=str)


# A component with more readings than this is no longer re-partitioned whole (the cost is
# quadratic in its readings): a new reading joins the best event it is compatible with and
# conflicts with no reading of, or starts its own (`_attach`).
EXACT_LIMIT = 100
_PAIR_CACHE_LIMIT = 100_000


def link_document(
    backend: LinkBackend, connection: sa.Connection, doc: Document, events: Sequence[Event]
) -> LinkOutcome:
    """Store a new document's events: each joins the stored event it reports or starts one."""
    new = readings_of(doc, events)
    boxes = [reach(r) for r in new]
    groups = _Groups()
    cache: dict[str, list[Reading]] = {}
    touched: dict[str, set[str]] = {}  # component -> events compatible with a new reading
    pairs = backend.pairs
    if len(pairs) > _PAIR_CACHE_LIMIT:
        pairs.clear()
    for i, (reading, box) in enumerate(zip(new, boxes, strict=True)):
        groups.find(i)
        if box is None:
            continue
        found = backend.candidates(connection, box)
        missing = [event_id for event_id, _ in found if event_id not in cache]
        if missing:
            cache.update(backend.readings(connection, missing))
        for event_id, component in found:
            if any(related(reading, stored, pairs).compatible for stored in cache[event_id]):
                groups.union(i, component)
                touched.setdefault(component, set()).add(event_id)
    for i in range(len(new)):
        for j in range(i + 1, len(new)):
            linkable = boxes[i] is not None and boxes[j] is not None
            if linkable and related(new[i], new[j], pairs).compatible:
                groups.union(i, j)
    by_root: dict[int | str, tuple[list[int], list[str]]] = {}
    for node in list(groups.parent):
        fresh, components = by_root.setdefault(groups.find(node), ([], []))
        (fresh if isinstance(node, int) else components).append(node)  # type: ignore[arg-type]
    outcome = LinkOutcome()
    # A document's new reports and its history are written once, after all its groups: no
    # group reads what another wrote (each has its own components).
    written = _Written()
    for fresh, components in sorted(by_root.values(), key=lambda g: min(g[0], default=-1)):
        readings = [new[i] for i in sorted(fresh)]
        components.sort()
        size = backend.component_size(connection, components) if components else 0
        if size + len(readings) <= EXACT_LIMIT:
            stored = backend.component_events(connection, components, cache) if components else []
            held = [r for e in stored for r in e.readings]
            clusters = partition_grown(held, readings, pairs, backend.one_group)
        else:
            near = sorted({e for c in components for e in touched.get(c, ())})
            stored = backend.stored_events(connection, near, cache)
            clusters = _attach(readings, stored, pairs)
        _apply(backend, connection, doc, readings, components, stored, clusters, outcome, written)
    backend.insert_reports(connection, written.reports)
    backend.add_history(connection, written.changes)
    return outcome


@dataclass(slots=True)
class _Written:
    """What the groups of one document wrote, until it is written."""

    reports: list[tuple[str, Reading]] = field(default_factory=list)  # (event id, new reading)
    changes: list[Change] = field(default_factory=list)
    retired: set[str] = field(default_factory=set)  # ids of events merged away: not reused


def _attach(
    fresh: list[Reading], stored: list[StoredEvent], pairs: PairCache
) -> list[list[Reading]]:
    """Past `EXACT_LIMIT`: each new reading (in key order) joins the stored or new group whose
    readings it is compatible with (one at least) and conflicts with none, the closest by mean
    affinity; stored readings stay where they are."""
    groups = [list(event.readings) for event in stored]
    for reading in sorted(fresh, key=lambda r: r.key):
        best: tuple[float, int] | None = None
        for index, group in enumerate(groups):
            relations = [related(reading, other, pairs) for other in group]
            if any(r.conflict for r in relations) or not any(r.compatible for r in relations):
                continue
            score = sum(r.affinity for r in relations) / len(relations)
            if best is None or score > best[0]:
                best = (score, index)
        if best is None:
            groups.append([reading])
        else:
            groups[best[1]].append(reading)
    return [sorted(group, key=lambda r: r.key) for group in groups]


def _apply(
    backend: LinkBackend,
    connection: sa.Connection,
    doc: Document,
    fresh: list[Reading],
    components: list[str],
    stored: list[StoredEvent],
    clusters: list[list[Reading]],
    outcome: LinkOutcome,
    written: _Written,
) -> None:
    """Write the new clusters over the stored events they replace, with their history."""
    owner = {r.key: event.id for event in stored for r in event.readings}
    ids = _assign_ids(backend, connection, clusters, stored, written.retired)
    component = components[0] if components else ids[0]
    by_id = {event.id: event for event in stored}
    new_keys = {r.key for r in fresh}
    changes = written.changes
    inserted = written.reports
    moved: list[tuple[str, Reading]] = []
    for cluster, event_id in zip(clusters, ids, strict=True):
        old = by_id.get(event_id)
        if old is None:
            merged = merge_reports(event_id, [r.event for r in cluster])
            backend.insert_event(connection, merged, _union(cluster), component)
            changes.append(Change(event_id, doc.id, "created", new=_summary(merged)))
        elif {r.key for r in old.readings} != {r.key for r in cluster}:
            merged = merge_reports(event_id, [r.event for r in cluster])
            backend.update_event(connection, merged, _union(cluster), component)
            changes += _diff(old.record, merged, doc.id)
        for reading in cluster:
            if reading.key in new_keys:
                inserted.append((event_id, reading))
            elif owner[reading.key] != event_id:
                moved.append((event_id, reading))
        if all(r.key in new_keys for r in cluster):
            outcome.new_events += 1
        else:
            outcome.linked_events += sum(r.key in new_keys for r in cluster)
    backend.move_reports(connection, moved)
    if len(components) > 1:  # a reading bridged components: they are one from now on
        backend.rename_components(connection, components[1:], component)
    kept = set(ids)
    for event in stored:
        if event.id in kept:
            continue
        went = sorted(
            {ids[i] for i, c in enumerate(clusters) for r in c if owner.get(r.key) == event.id}
        )
        for survivor in went:
            changes.append(Change(survivor, doc.id, "merged", old=event.id))
        changes.append(Change(event.id, doc.id, "merged into", new=", ".join(went)))
        backend.delete_event(connection, event.id)
        written.retired.add(event.id)
        outcome.merged_events += 1


def _assign_ids(
    backend: LinkBackend,
    connection: sa.Connection,
    clusters: list[list[Reading]],
    stored: list[StoredEvent],
    retired: set[str],
) -> list[str]:
    """Each cluster keeps the id of the stored event it shares most readings with (older
    events choose first); the rest take a fresh id."""
    pairs = []
    for index, cluster in enumerate(clusters):
        keys = {r.key for r in cluster}
        for event in stored:
            shared = len(keys & {r.key for r in event.readings})
            if shared:
                pairs.append((-shared, event.order, index, event.id))
    ids: list[str | None] = [None] * len(clusters)
    used = set(retired)
    for _, _, index, event_id in sorted(pairs):
        if ids[index] is None and event_id not in used:
            ids[index] = event_id
            used.add(event_id)
    for index, cluster in enumerate(clusters):
        if ids[index] is None:
            ids[index] = _fresh_id(backend, connection, cluster, used)
            used.add(ids[index])  # type: ignore[arg-type]
    return [i for i in ids if i is not None]


def _fresh_id(
    backend: LinkBackend, connection: sa.Connection, cluster: list[Reading], used: set[str]
) -> str:
    first = cluster[0].mention
    if first not in used and not backend.id_taken(connection, first):
        return first
    seed = "|".join(f"{d}:{m}" for d, m in (r.key for r in cluster))
    for attempt in range(100):
        candidate = hashlib.sha256(f"{seed}#{attempt}".encode()).hexdigest()[:16]
        if candidate not in used and not backend.id_taken(connection, candidate):
            return candidate
    raise RuntimeError("no free event id")  # pragma: no cover - 100 sha256 collisions


def _union(cluster: list[Reading]) -> Reach | None:
    box: Reach | None = None
    for reading in cluster:
        found = reach(reading)
        if found is not None:
            box = found if box is None else box.union(found)
    return box


# --- history ----------------------------------------------------------------------------


def _summary(event: Event) -> str:
    return json.dumps(
        {
            "sub_event_type": event.sub_event_type,
            "date": event.date.isoformat() if event.date else None,
            "location": event.location.name,
            "sources": event.sources,
        },
        ensure_ascii=False,
    )


def _headline(event: Event) -> dict[str, Any]:
    """The fields whose changes history records, as the event's JSON record gives them (read
    from the event itself: a big event's record, all its evidence, is costly to build)."""
    return {
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "date": _iso(event.date),
        "date_end": _iso(event.date_end),
        "date_precision": event.date_precision,
        "location": event.location.name,
        "actor1": next((a.name for a in event.actors if a.role == "actor1"), None),
        "actor2": next((a.name for a in event.actors if a.role == "actor2"), None),
        "weapons": ", ".join(
            f"{w.model or w.name}" + (f" x{w.count}" if w.count is not None else "")
            for w in event.weapons
        )
        or None,
        "fatalities": event.fatalities,
        "injuries": event.injuries,
        "background": event.background,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _diff(old: Event, new: Event, document: str) -> list[Change]:
    """What a stored event's record gained or changed (sources, headline fields, conflicts)."""
    changes = [
        Change(new.id, document, "source added", new=source)
        for source in new.sources
        if source not in old.sources
    ]
    changes += [
        Change(new.id, document, "source removed", old=source)
        for source in old.sources
        if source not in new.sources
    ]
    before, after = _headline(old), _headline(new)
    changes += [
        Change(new.id, document, "field changed", name, _text(before[name]), _text(after[name]))
        for name in before
        if before[name] != after[name]
    ]
    was = {c.field: json.dumps(c.values, ensure_ascii=False) for c in old.conflicts}
    changes += [
        Change(new.id, document, "conflict", c.field, was.get(c.field), now)
        for c in new.conflicts
        if was.get(c.field) != (now := json.dumps(c.values, ensure_ascii=False))
    ]
    return changes
