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
    items = sorted(readings, key=lambda r: r.key)
    n = len(items)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    version = dict.fromkeys(range(n), 0)
    # Between two current groups that do not conflict: [pairs that support a merge, affinity].
    between: dict[tuple[int, int], tuple[int, float]] = {}
    heap: list[tuple[float, int, int, int, int]] = []
    for i in range(n):
        for j in range(i + 1, n):
            relation = related(items[i], items[j], cache)
            if not relation.conflict:
                between[(i, j)] = (int(relation.compatible), relation.affinity)
                if relation.compatible:
                    heap.append((-relation.affinity, i, j, 0, 0))
    heapq.heapify(heap)
    while heap:
        _, a, b, seen_a, seen_b = heapq.heappop(heap)
        if a not in members or b not in members or (version[a], version[b]) != (seen_a, seen_b):
            continue  # a stale entry: one of the groups has changed since
        members[a] = members[a] + members.pop(b)
        version[a] += 1
        del between[(a, b)]
        for c in list(members):
            if c == a:
                continue
            with_a = between.pop((min(a, c), max(a, c)), None)
            with_b = between.pop((min(b, c), max(b, c)), None)
            if with_a is None or with_b is None:
                continue  # one side conflicts with c: never one group
            support, total = with_a[0] + with_b[0], with_a[1] + with_b[1]
            low, high = min(a, c), max(a, c)
            between[(low, high)] = (support, total)
            if support:
                mean = total / (len(members[a]) * len(members[c]))
                heapq.heappush(heap, (-mean, low, high, version[low], version[high]))
    groups = [[items[i] for i in sorted(group)] for group in members.values()]
    return sorted(groups, key=lambda g: g[0].key)
