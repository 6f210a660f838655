"""Clusters of readings: a deterministic function of the set of readings, not of their order."""

from __future__ import annotations

import heapq
from collections.abc import MutableMapping, Sequence

from wiredesk.link.rules import Reading, Relation, relate

__all__ = ["PairCache", "partition", "related"]

# (key, key) with the smaller key first -> how the two readings relate. Readings never change
# once stored, so one store can keep these across documents (see `SqlLinks.pairs`).
PairCache = MutableMapping[tuple[tuple[str, str], tuple[str, str]], Relation]


def related(a: Reading, b: Reading, cache: PairCache | None = None) -> Relation:
    """`relate(a, b)`, through `cache` when one is given."""
    if cache is None:
        return relate(a, b)
    pair = (a.key, b.key) if a.key <= b.key else (b.key, a.key)
    found = cache.get(pair)
    if found is None:
        found = cache[pair] = relate(a, b)
    return found


def partition(readings: Sequence[Reading], cache: PairCache | None = None) -> list[list[Reading]]:
    """Group readings into incidents by agglomeration.

    Two groups may merge when no reading of one conflicts with any reading of the other
    (`rules.conflict`, a complete link: a chain of near misses, shelling on the 1st, 2nd and
    3rd of a month, never collapses into one event) and at least one pair across them is
    compatible (`rules.compatible`: there is evidence they are one incident). Among the
    merges allowed, the one with the highest mean affinity over all pairs goes first; ties go
    to the groups whose first readings sort first. Readings are sorted by (document,
    mention) before anything else, so the result depends on the set alone. Groups come out
    sorted by their first reading.
    """
    items = sorted(readings, key=_key)
    n = len(items)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    version = [0] * n  # -1 once merged away, so that its stale heap entries are skipped
    # Between two current groups a < c that do not conflict, under a * n + c: [pairs that
    # support a merge, affinity].
    between: dict[int, tuple[int, float]] = {}
    heap: list[tuple[float, int, int, int, int]] = []
    for i, relations in enumerate(_relations(items, cache)):
        row = i * n
        for j, (conflicts, compatible, affinity) in enumerate(relations, i + 1):
            if not conflicts:
                between[row + j] = (int(compatible), affinity)
                if compatible:
                    heap.append((-affinity, i, j, 0, 0))
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        _, a, b, seen_a, seen_b = pop(heap)
        if version[a] != seen_a or version[b] != seen_b:
            continue  # a stale entry: one of the groups has changed since
        merged = members[a] = members[a] + members.pop(b)
        version[a] += 1
        version[b] = -1
        del between[a * n + b]
        size = len(merged)
        for c in members:
            if c == a:
                continue
            key_a = a * n + c if a < c else c * n + a
            with_a = between.pop(key_a, None)
            with_b = between.pop(b * n + c if b < c else c * n + b, None)
            if with_a is None or with_b is None:
                continue  # one side conflicts with c: never one group
            support, total = with_a[0] + with_b[0], with_a[1] + with_b[1]
            between[key_a] = (support, total)
            if support:
                mean = total / (size * len(members[c]))
                if a < c:
                    push(heap, (-mean, a, c, version[a], version[c]))
                else:
                    push(heap, (-mean, c, a, version[c], version[a]))
    groups = [[items[i] for i in sorted(group)] for group in members.values()]
    return sorted(groups, key=lambda g: g[0].key)


def _key(reading: Reading) -> tuple[str, str]:
    return reading.key


def _relations(items: Sequence[Reading], cache: PairCache | None) -> list[list[Relation]]:
    """For each reading of `items` (sorted by key), how it relates to each one after it."""
    if cache is None:
        return [[relate(a, b) for b in items[i + 1 :]] for i, a in enumerate(items)]
    get = cache.get
    rows: list[list[Relation]] = []
    for i, a in enumerate(items):
        row: list[Relation] = []
        first = a.key
        for b in items[i + 1 :]:
            pair = (first, b.key)
            found = get(pair)
            if found is None:
                found = cache[pair] = relate(a, b)
            row.append(found)
        rows.append(row)
    return rows
