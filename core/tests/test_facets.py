"""The facet index's bitmaps and orders (core.facets.state) against a brute-force count and sort
in Python, over random rows, random queries and random changes. The index wired to Postgres
(builds, changes logged by the triggers, late commits, outages) is tested through the lists
that use it, in directory/tests/test_facets.py."""

import random

import pytest
from pyroaring import BitMap

from core.facets import state as state_module
from core.facets.state import FacetState
from core.facets.state import IndexSort

FACETS = {"country": 6, "area": 5, "tag": 12, "live": 2}
SORTS = {
    "name": IndexSort("title", text=True),
    "newest": IndexSort("listed", descending=True, nulls_last=True),
    "updated": IndexSort("updated", descending=True),
}
WORDS = ["alpha", "beta", "gamma", "delta", "ab", "a b", "zeta", "Éclair", ""]


def random_row(rng: random.Random, pk: int) -> tuple:
    keys = set()
    for facet, size in FACETS.items():
        for _ in range(rng.choice([0, 1, 1, 2])):
            keys.add(f"{facet}:{rng.randrange(size)}")
    title = f"{rng.choice(WORDS)} {rng.choice(WORDS)}".strip()
    listed = None if rng.random() < 0.2 else rng.randrange(1000) * 1_000_000
    updated = rng.randrange(50) * 1_000_000  # many ties: the id decides
    return (pk, sorted(keys), title, listed, updated)


def brute_order(rows: dict[int, tuple], ids, sort: str) -> list[int]:
    """`sort`, or with a "-" the other way round as Postgres orders it: the column and the id
    in the other direction, NULLs at the same end."""

    def key(pk):
        _, _, title, listed, updated = rows[pk]
        if sort in ("name", "-name"):
            return (title, pk)
        if sort == "newest":
            return (listed is None, -(listed or 0), -pk)
        if sort == "-newest":
            return (listed is None, listed or 0, pk)
        if sort == "-updated":
            return (updated, pk)
        return (-updated, -pk)

    return sorted(ids, key=key, reverse=sort == "-name")


def page_of(state: FacetState, result: BitMap, sort: str, start: int, size: int) -> list[int]:
    if sort.startswith("-"):
        return state.page_backwards(result, sort[1:], start, size)
    return state.page(result, sort, start, size)


def brute_counts(rows, base, chosen, facets):
    def passes(pk, skip=None):
        keys = set(rows[pk][1])
        return all(
            keys & set(wanted) for facet, wanted in chosen.items() if facet != skip and wanted
        )

    result = [pk for pk in base if passes(pk)]
    counts = {}
    for facet in facets:
        for pk in base:
            if passes(pk, skip=facet):
                for key in rows[pk][1]:
                    if key.startswith(f"{facet}:"):
                        counts[key] = counts.get(key, 0) + 1
    return result, counts


def random_query(rng: random.Random) -> dict[str, list[str]]:
    chosen = {}
    for facet, size in FACETS.items():
        if rng.random() < 0.35:
            chosen[facet] = [f"{facet}:{rng.randrange(size)}" for _ in range(rng.choice([1, 2]))]
    return chosen


def check(state: FacetState, rows: dict, rng: random.Random, queries: int) -> None:
    for _ in range(queries):
        chosen = random_query(rng)
        base_ids = list(rows)
        if rng.random() < 0.3:  # a text search's matches (some of them no longer published)
            base_ids = rng.sample(base_ids, len(base_ids) // 3)
        base = BitMap(base_ids) & state.all
        result, counts = state.counts(base, chosen, tuple(FACETS))
        expected, expected_counts = brute_counts(rows, base_ids, chosen, FACETS)
        assert sorted(result) == sorted(expected)
        assert counts == expected_counts
        sort = rng.choice([*SORTS, *(f"-{name}" for name in SORTS)])
        ordered = brute_order(rows, expected, sort)
        start = rng.choice([0, 0, 7, 20, len(ordered) - 3, len(ordered) + 5])
        start = max(0, start)
        page = page_of(state, result, sort, start, 20)
        assert page == ordered[start : start + 20], (sort, start)
        undated = sum(1 for pk in expected if rows[pk][3] is None)
        assert state.nulls(result, "newest") == undated


def test_counts_and_pages_equal_a_brute_force_count_and_sort():
    rng = random.Random(15)
    rows = {pk: random_row(rng, pk) for pk in rng.sample(range(1, 4000), 1500)}
    state = FacetState(list(rows.values()), SORTS)
    check(state, rows, rng, queries=120)


@pytest.mark.parametrize(("bucket", "reorder_over"), [(1024, 8192), (16, 20)])
def test_changes_move_rows_without_a_rebuild(monkeypatch, bucket, reorder_over):
    """Rows published, edited (keys, titles, dates), unpublished and deleted, in batches; with
    small buckets, pages span several and buckets grown too big are ranked again."""
    monkeypatch.setattr(state_module, "BUCKET", bucket)
    monkeypatch.setattr(state_module, "REORDER_OVER", reorder_over)
    ordered = []
    order = FacetState._order
    monkeypatch.setattr(FacetState, "_order", lambda self, data: ordered.append(order(self, data)))
    rng = random.Random(16)
    rows = {pk: random_row(rng, pk) for pk in range(1, 1200)}
    state = FacetState(list(rows.values()), SORTS)
    for _ in range(30):
        changed = rng.sample(range(1, 1500), rng.choice([1, 3, 40]))
        current = []
        for pk in changed:
            if rng.random() < 0.25:
                rows.pop(pk, None)  # archived or deleted
            else:
                rows[pk] = random_row(rng, pk)
                current.append(rows[pk])
        state.apply(changed, current)
        check(state, rows, rng, queries=10)
    assert (len(ordered) > len(SORTS)) == (bucket == 16)  # ranked again beyond the build


def test_a_facet_without_a_filter_counts_within_the_result():
    rows = {
        1: (1, ["country:1", "area:1"], "a", None, 1),
        2: (2, ["country:2", "area:1"], "b", None, 1),
        3: (3, ["country:2", "area:2"], "c", None, 1),
    }
    state = FacetState(list(rows.values()), SORTS)
    result, counts = state.counts(state.all, {"country": ["country:1"]}, ("country", "area"))
    assert list(result) == [1]
    # country counts ignore the country filter; area counts are within it
    assert counts == {"country:1": 1, "country:2": 2, "area:1": 1}


def test_an_empty_index_answers_nothing():
    state = FacetState([], SORTS)
    result, counts = state.counts(state.all, {"area": ["area:1"]}, ("area",))
    assert not result and counts == {}
    assert state.page(result, "name", 0, 20) == []
    state.apply([5], [(5, ["area:1"], "x", None, 3)])
    result, counts = state.counts(state.all, {}, ("area",))
    assert list(result) == [5] and counts == {"area:1": 1}
    assert state.page(result, "newest", 0, 20) == [5]
