"""The in-memory state of a facet index: one compressed bitmap (pyroaring) per facet key, the
set of every published id, and per sort order the rows in buckets of consecutive ranks.

Counting is set arithmetic on bitmaps: a facet's values are counted within the rows that pass
every other facet's filter (disjunctive facets). A page of any depth in any order skips whole
buckets by their count within the result, then orders the rows of the one or two buckets it
needs. Rows that change are moved between bitmaps and buckets one by one; nothing is rebuilt.
"""

import pickle
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from pyroaring import BitMap

BUCKET = 1024  # rows per rank bucket at build; a bucket grows or shrinks as rows move
REORDER_OVER = 8 * BUCKET  # a bucket grown this big: that order is ranked again
MAX_ID = 2**32 - 1  # pyroaring holds 32-bit ids
NULL = -(2**63)  # a NULL date in the integer key arrays


@dataclass(frozen=True)
class IndexSort:
    """One order of a list: a column (text, or a date read as microseconds), ascending or
    descending, then the id in the same direction, with NULLs where Postgres puts them unless
    `nulls_last` says otherwise. Text is compared as Python compares strings, which is the
    database's order under the C collation (core.facets.index checks it at build)."""

    column: str
    descending: bool = False
    nulls_last: bool | None = None
    text: bool = False

    @property
    def nulls_at_end(self) -> bool:
        return (not self.descending) if self.nulls_last is None else self.nulls_last

    def sql(self, table: str = "") -> str:
        """The column as the index reads it: text as is, a date as integer microseconds."""
        column = f"{table}.{self.column}" if table else self.column
        if self.text:
            return column
        return f"(extract(epoch from {column}) * 1000000)::bigint"


@dataclass
class SortData:
    sort: IndexSort
    values: list | array  # by id: the sort column (text) or microseconds (dates, NULL sentinel)
    rank: array  # by id: the row's position at build
    bounds: list  # the smallest key of each bucket (the first is below every key)
    buckets: list  # BitMaps
    moved: BitMap = field(default_factory=BitMap)  # placed since the build: order by key

    def __post_init__(self):
        self.key = self._key_function()

    def _key_function(self):
        """The row's place in this order as a tuple Python sorts ascending (a closure: the
        build calls it for every row of every order)."""
        values, at_end, descending = self.values, self.sort.nulls_at_end, self.sort.descending
        present = not at_end

        def key(pk: int):
            value = values[pk] if pk < len(values) else None
            if value is None or value == NULL:
                return (at_end, 0, -pk if descending else pk)
            if descending:
                return (present, -value, -pk)
            return (present, value, pk)

        return key

    def bucket_of(self, key) -> BitMap:
        return self.buckets[max(0, bisect_right(self.bounds, key) - 1)]


def _grow(values, size: int, fill) -> None:
    if len(values) < size:
        values.extend([fill] * (size - len(values)))


class FacetState:
    """Bitmaps and sort data of one model's published rows (see the module's docstring)."""

    def __init__(self, rows: Iterable[tuple], sorts: dict[str, IndexSort], *, size: int = 0):
        """`rows`: (id, facet_keys, *sort values in the order of `sorts`) of published rows,
        read once as they come (a build holds no more than the index itself); `size`: above
        the largest id, if known."""
        self.built = True  # from rows, not loaded from a snapshot
        ids_by_key: dict[str, array] = {}
        every = array("I")
        values: list[list | array] = [
            [None] * size if sort.text else array("q", [NULL]) * size for sort in sorts.values()
        ]
        for row in rows:
            pk, keys = row[0], row[1]
            every.append(pk)
            for key in keys:
                ids = ids_by_key.get(key)
                if ids is None:
                    ids = ids_by_key[key] = array("I")
                ids.append(pk)
            for column, sort in enumerate(sorts.values()):
                kept = values[column]
                if pk >= len(kept):
                    _grow(kept, max(pk + 1, 2 * len(kept)), None if sort.text else NULL)
                value = row[column + 2]
                kept[pk] = NULL if value is None and not sort.text else value
        self.bitmaps: dict[str, BitMap] = {key: BitMap(ids) for key, ids in ids_by_key.items()}
        del ids_by_key
        for bitmap in self.bitmaps.values():
            bitmap.run_optimize()
        self.all = BitMap(every)
        self.keys_of_facet: dict[str, list[str]] = {}
        for key in self.bitmaps:
            self.keys_of_facet.setdefault(key.partition(":")[0], []).append(key)
        size = max(len(column) for column in values) if values else 0
        self.sorts: dict[str, SortData] = {}
        for column, (name, sort) in enumerate(sorts.items()):
            data = SortData(sort, values[column], array("i", bytes(4 * size)), [], [])
            self._order(data)
            self.sorts[name] = data

    def _order(self, data: SortData) -> None:
        """Rank every row and cut the order into buckets (at build, and again when rows that
        moved since have made a bucket too big: every edit goes to the top of "updated")."""
        ordered = sorted(self.all, key=data.key)
        _grow(data.rank, len(data.values), 0)
        for position, pk in enumerate(ordered):
            data.rank[pk] = position
        data.bounds, data.buckets, data.moved = [], [], BitMap()
        for start in range(0, len(ordered), BUCKET):
            data.bounds.append(data.key(ordered[start]) if start else (False,))
            data.buckets.append(BitMap(ordered[start : start + BUCKET]))
        if not data.buckets:
            data.bounds.append((False,))
            data.buckets.append(BitMap())

    # --- Sharing between workers --------------------------------------------------------

    def snapshot(self) -> bytes:
        """Everything in one value, for another worker to load instead of building."""
        return pickle.dumps(
            {
                "bitmaps": {key: bitmap.serialize() for key, bitmap in self.bitmaps.items()},
                "all": self.all.serialize(),
                "sorts": {
                    name: {
                        "values": data.values if data.sort.text else data.values.tobytes(),
                        "rank": data.rank.tobytes(),
                        "bounds": data.bounds,
                        "buckets": [bucket.serialize() for bucket in data.buckets],
                        "moved": data.moved.serialize(),
                    }
                    for name, data in self.sorts.items()
                },
            },
            protocol=pickle.HIGHEST_PROTOCOL,
        )

    @classmethod
    def from_snapshot(cls, blob: bytes, sorts: dict[str, IndexSort]) -> "FacetState":
        parts = pickle.loads(blob)  # noqa: S301 - written by a worker of ours, in our Redis
        state = cls([], {})
        state.built = False
        state.bitmaps = {key: BitMap.deserialize(raw) for key, raw in parts["bitmaps"].items()}
        state.all = BitMap.deserialize(parts["all"])
        for key in state.bitmaps:
            state.keys_of_facet.setdefault(key.partition(":")[0], []).append(key)
        for name, sort in sorts.items():
            part = parts["sorts"][name]
            values = part["values"] if sort.text else array("q", part["values"])
            state.sorts[name] = SortData(
                sort,
                values,
                array("i", part["rank"]),
                part["bounds"],
                [BitMap.deserialize(raw) for raw in part["buckets"]],
                BitMap.deserialize(part["moved"]),
            )
        return state

    # --- Changes ----------------------------------------------------------------------------

    def apply(self, changed: list[int], rows: list[tuple]) -> None:
        """Bring the rows `changed` to their current state: `rows` holds those still published
        ((id, facet_keys, *sort values)); the others leave the index."""
        gone = BitMap(changed)
        for data in self.sorts.values():
            for pk in gone & self.all:
                data.bucket_of(data.key(pk)).discard(pk)
        for bitmap in self.bitmaps.values():
            bitmap.difference_update(gone)
        self.all.difference_update(gone)
        for row in rows:
            pk, keys = row[0], row[1]
            self.all.add(pk)
            for key in keys:
                bitmap = self.bitmaps.get(key)
                if bitmap is None:
                    bitmap = self.bitmaps[key] = BitMap()
                    self.keys_of_facet.setdefault(key.partition(":")[0], []).append(key)
                bitmap.add(pk)
            for column, data in enumerate(self.sorts.values(), start=2):
                fill = None if data.sort.text else NULL
                _grow(data.values, pk + 1, fill)
                _grow(data.rank, pk + 1, 0)
                value = row[column]
                data.values[pk] = NULL if value is None and not data.sort.text else value
                data.bucket_of(data.key(pk)).add(pk)
                data.moved.add(pk)
        for data in self.sorts.values():
            if any(len(bucket) > REORDER_OVER for bucket in data.buckets):
                self._order(data)

    # --- Reads ------------------------------------------------------------------------------

    def union(self, keys: list[str]) -> BitMap:
        bitmaps = [self.bitmaps[key] for key in keys if key in self.bitmaps]
        return BitMap.union(*bitmaps) if bitmaps else BitMap()

    def counts(
        self, base: BitMap, chosen: dict[str, list[str]], facets: tuple[str, ...]
    ) -> tuple[BitMap, dict[str, int]]:
        """The result (`base` within every facet's chosen keys: keys of one facet OR, facets
        AND) and the count of every key of `facets` within the rows that pass every filter but
        the one on its own facet (facets without a filter: within the result)."""
        unions = {name: self.union(keys) for name, keys in chosen.items() if keys}
        result = base
        for bitmap in unions.values():
            result = result & bitmap
        counts: dict[str, int] = {}
        for facet in facets:
            within = result
            if facet in unions:
                within = base
                for other, bitmap in unions.items():
                    if other != facet:
                        within = within & bitmap
            if not within:
                continue
            for key in self.keys_of_facet.get(facet, ()):
                n = within.intersection_cardinality(self.bitmaps[key])
                if n:
                    counts[key] = n
        return result, counts

    def page(self, result: BitMap, sort: str, start: int, size: int) -> list[int]:
        """The ids at positions start..start+size of `result` in the order `sort`."""
        data = self.sorts[sort]
        seen, found = 0, []
        for bucket in data.buckets:
            n = result.intersection_cardinality(bucket)
            if seen + n <= start:
                seen += n
                continue
            rows = result & bucket
            if rows.intersect(data.moved):
                ordered = sorted(rows, key=data.key)
            else:
                ordered = sorted(rows, key=data.rank.__getitem__)
            found.extend(ordered[max(0, start - seen) :])
            seen += n
            if len(found) >= size:
                break
        return found[:size]

    def nulls(self, result: BitMap, sort: str) -> int:
        """How many rows of `result` have no value in `sort`'s column. Their keys sort at one
        end: only the bucket where they begin is looked at row by row."""
        data = self.sorts[sort]
        at_end = data.sort.nulls_at_end  # the first item of a NULL's key; the others' is not
        count = 0
        for number, bucket in enumerate(data.buckets):
            low = data.bounds[number] if number else None
            high = data.bounds[number + 1] if number + 1 < len(data.bounds) else None
            begins_null = low is not None and low[0] == at_end
            ends_null = high is not None and high[0] == at_end
            if (begins_null and at_end) or (ends_null and not at_end):  # NULLs alone
                count += result.intersection_cardinality(bucket)
            elif (high is not None and not ends_null and at_end) or (
                low is not None and not begins_null and not at_end
            ):  # values alone
                continue
            else:
                count += sum(1 for pk in result & bucket if data.key(pk)[0] == at_end)
        return count

    def page_backwards(self, result: BitMap, sort: str, start: int, size: int) -> list[int]:
        """The ids at positions start..start+size of `result` in `sort` the other way round:
        the column and the id in the other direction, NULLs at the same end (as Postgres
        orders `col ASC NULLS LAST, id` against `col DESC NULLS LAST, id DESC`); for a column
        without NULLs, the exact reverse."""
        total = len(result)
        nulls = self.nulls(result, sort)
        split = total - nulls if self.sorts[sort].sort.nulls_at_end else nulls
        found, offset = [], 0
        for low, high in ((0, split), (split, total)):  # each part reversed, in its place
            first, last = max(start, offset), min(start + size, offset + high - low)
            if first < last:
                forward = self.page(result, sort, high - (last - offset), last - first)
                found.extend(reversed(forward))
            offset += high - low
        return found

    def size_bytes(self) -> int:
        """About what the bitmaps and sort data take (their serialized size, the arrays)."""
        total = sum(len(bitmap.serialize()) for bitmap in self.bitmaps.values())
        total += len(self.all.serialize())
        for data in self.sorts.values():
            total += sum(len(bucket.serialize()) for bucket in data.buckets)
            total += data.rank.itemsize * len(data.rank)
            if data.sort.text:
                total += sum(len(value) + 50 for value in data.values if value is not None)
                total += 8 * len(data.values)
            else:
                total += data.values.itemsize * len(data.values)
        return total
