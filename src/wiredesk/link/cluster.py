"""Clusters of readings: a deterministic function of the set of readings, not of their order."""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import MutableMapping, Sequence

from wiredesk.link.rules import Reading, Relation, relate

__all__ = ["OneGroupSets", "PairCache", "partition", "partition_grown", "related"]

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


class OneGroupSets:
    """The sets of readings (by key) that `partition` lately put in one group, the most
    recent `limit` of them."""

    def __init__(self, limit: int = 256) -> None:
        self.limit = limit
        self._sets: OrderedDict[frozenset[tuple[str, str]], None] = OrderedDict()

    def __contains__(self, keys: frozenset[tuple[str, str]]) -> bool:
        if keys not in self._sets:
            return False
        self._sets.move_to_end(keys)
        return True

    def add(self, keys: frozenset[tuple[str, str]]) -> None:
        self._sets[keys] = None
        self._sets.move_to_end(keys)
        while len(self._sets) > self.limit:
            self._sets.popitem(last=False)


def partition_grown(
    stored: Sequence[Reading],
    fresh: Sequence[Reading],
    cache: PairCache,
    one_group: OneGroupSets,
) -> list[list[Reading]]:
    """`partition` of `stored` and `fresh` together, without comparing every pair when
    `partition` put `stored` in one group before (`one_group` remembers such sets).

    `partition` makes one group of a set exactly when no pair of it conflicts and its
    compatible pairs connect it: each merge needs both, and while two groups are left that
    conflict nowhere and have a compatible pair across, their merge waits on the heap. So
    `stored` and `fresh` are one group when `stored` was, no fresh reading conflicts with
    any reading, and each fresh reading reaches `stored` through compatible pairs: a check
    linear in the readings, where `partition` is quadratic.
    """
    readings = [*fresh, *stored]
    if (
        stored
        and frozenset(_key(r) for r in stored) in one_group
        and _extends(stored, fresh, cache)
    ):
        groups = [sorted(readings, key=_key)]
    else:
        groups = partition(readings, cache)
    if len(groups) == 1:
        one_group.add(frozenset(_key(r) for r in readings))
    return groups


def _extends(stored: Sequence[Reading], fresh: Sequence[Reading], cache: PairCache) -> bool:
    """Whether no fresh reading conflicts with any other reading and each reaches `stored`
    through compatible pairs."""
    reached: list[int] = []  # fresh readings compatible with a stored one
    for index, reading in enumerate(fresh):
        found = False
        for other in stored:
            relation = _ordered(reading, other, cache)
            if relation.conflict:
                return False
            found = found or relation.compatible
        if found:
            reached.append(index)
    near: dict[int, list[int]] = {i: [] for i in range(len(fresh))}
    for i, reading in enumerate(fresh):
        for j in range(i + 1, len(fresh)):
            relation = _ordered(reading, fresh[j], cache)
            if relation.conflict:
                return False
            if relation.compatible:
                near[i].append(j)
                near[j].append(i)
    seen = set(reached)
    while reached:
        for j in near[reached.pop()]:
            if j not in seen:
                seen.add(j)
                reached.append(j)
    return len(seen) == len(fresh)


def _ordered(a: Reading, b: Reading, cache: PairCache) -> Relation:
    """`related`, computed (when not cached) with the readings in key order, as `partition`
    computes it."""
    return related(a, b, cache) if a.key <= b.key else related(b, a, cache)


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
