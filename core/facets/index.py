"""A model's facet index in each worker process: built from Postgres on first use, kept in step
with the changes the trigger logs (core.facets.changes, core.facets.live), and answering a
list's total, disjunctive facet counts and a page of ids at any depth in any of its orders in
about a millisecond (core.facets.state). While the index is being built, or after an error,
`results` answers None and the list is made by its Postgres path.
"""

import itertools
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from pyroaring import BitMap

from core.facets.live import HORIZON_CTE
from core.facets.live import LiveIndex
from core.facets.live import Refused
from core.facets.live import horizon_sql
from core.facets.state import MAX_ID
from core.facets.state import FacetState
from core.facets.state import IndexSort
from core.search import search_words
from core.text_index import has_text_index
from core.text_index import matching_ids
from core.text_index import relevance_page

logger = logging.getLogger(__name__)

RELEVANCE = "relevance"  # the sort a search may ask for (core.text_index ranks it)
C_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8"}
# Searches whose matches each worker keeps (as bitmaps, a few kB each), until a change applies:
# paging through a search, or changing its filters or order, asks Postgres once.
SEARCHES_KEPT = 128


class TooLarge(Refused):
    """A table over FACET_INDEX_MAX_ROWS (or with ids past MAX_ID): its list uses Postgres."""


@dataclass
class FacetResults:
    """What a list page needs of the index for its query."""

    total: int
    counts: dict[str, int]  # "kind:value" -> disjunctive count
    result: BitMap
    index: "FacetIndex"
    state: FacetState
    ms: float  # the index's own time for the request so far
    search_ms: float  # the text search's query
    text: str | None = None

    def page(self, sort: str, *, start: int, size: int) -> list[int] | None:
        """The page's ids in `sort`, or None when the index cannot order by it (relevance
        without a text index, or text under a collation other than C, or an order it does not
        keep): the caller asks Postgres. Relevance comes from the model's text index (title
        matches first). "-newest" is "newest" the other way round, NULLs at the same end
        (FacetState.page_backwards)."""
        if sort == RELEVANCE and self.text is not None and has_text_index(self.index.model):
            by_name = self._by_name if self._keeps("name") else None
            started = time.perf_counter()
            ids = relevance_page(
                self.index.model, self.text, self.result, start, size, by_name=by_name
            )
            self.search_ms += (time.perf_counter() - started) * 1000
            return ids
        backwards = sort.startswith("-")
        sort = sort.removeprefix("-")
        if not self._keeps(sort):
            return None
        started = time.perf_counter()
        with self.index.lock:
            if backwards:
                ids = self.state.page_backwards(self.result, sort, start, size)
            else:
                ids = self.state.page(self.result, sort, start, size)
        self.ms += (time.perf_counter() - started) * 1000
        return ids

    def _keeps(self, sort: str) -> bool:
        """Whether the index holds `sort` in the order Postgres would give."""
        kept = self.state.sorts.get(sort)
        return kept is not None and (not kept.sort.text or self.index.text_order_exact)

    def _by_name(self, ids: BitMap, start: int, size: int) -> list[int]:
        with self.index.lock:
            return self.state.page(ids, "name", start, size)


def _text_ids(model, q: str) -> BitMap:
    """The published rows matching the typed words, as the list's search finds them: from the
    model's narrow search table (core.text_index) where it has one."""
    if has_text_index(model):
        return matching_ids(model, q)
    return BitMap(model.objects.published().matching(q).values_list("pk", flat=True))


class FacetIndex(LiveIndex):
    """The facet index of `model`'s published rows (its `facet_keys`) with `sorts` (name ->
    IndexSort); one instance per model, at module level in the app that lists it."""

    kind = "facet index"

    def __init__(self, model, *, sorts: dict[str, IndexSort], derived_keys: str = ""):
        super().__init__(model._meta.label_lower)
        self.model = model
        self.sorts = sorts
        # An SQL text[] of keys the index adds to each row's `facet_keys`, written with `{t}`
        # before each column (NULL elements are left out): values the lists do not filter
        # on but their figures count, such as years. The change triggers must watch its
        # columns.
        self.derived_keys = derived_keys
        self.state: FacetState | None = None
        self.text_order_exact = True
        self._searches: OrderedDict[str, BitMap] = OrderedDict()
        self._generation = 0  # moves on with every build and every change applied

    # --- Building ------------------------------------------------------------------------

    def _build_sql(self) -> str:
        table = self.model._meta.db_table
        columns = ", ".join(sort.sql("t") for sort in self.sorts.values())
        return (
            f"WITH {HORIZON_CTE} SELECT {horizon_sql()},"
            f" t.id, {self._keys_sql('t.')}, {columns}"
            f" FROM h LEFT JOIN {table} t ON t.status = 'published'"
        )

    def _keys_sql(self, prefix: str) -> str:
        keys = f"{prefix}facet_keys"
        if not self.derived_keys:
            return keys
        derived = self.derived_keys.format(t=prefix)
        return f"{keys}::text[] || array_remove(({derived})::text[], NULL)"

    def build(self) -> None:
        """Load the index another worker shared in Redis (it catches up from the change log
        like any other look), or read every published row in one statement (its snapshot
        gives the horizon of the next look), build the bitmaps and orders, and share them.
        Refuses tables over the size cap."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), coalesce(max(id), 0) FROM {self.model._meta.db_table} "
                "WHERE status = 'published'"
            )
            count, top = cursor.fetchone()
            if count > settings.FACET_INDEX_MAX_ROWS or top > MAX_ID:
                raise TooLarge(f"{count} rows (cap {settings.FACET_INDEX_MAX_ROWS}), id {top}")
        shared = self.shared()
        if shared is not None:
            state = FacetState.from_snapshot(shared["state"], self.sorts)
            self._install(state, shared["horizon"], shared["seen"], shared["collation"], started)
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            collation = cursor.fetchone()[0]
        # Streamed from a server-side cursor: the build never holds every row at once.
        with connection.chunked_cursor() as cursor:
            cursor.cursor.itersize = 5000
            cursor.execute(self._build_sql(), [self.label])
            stream = iter(cursor)
            first = next(stream)
            horizon, seen = first[:2]

            def rows():
                for row in itertools.chain([first], stream):
                    if row[2] is not None:
                        yield row[2:]

            state = FacetState(rows(), self.sorts, size=top + 1)
        self._install(state, horizon, seen, collation, started)
        if settings.FACET_INDEX_SHARE_SECONDS:
            shared = {"state": state.snapshot(), "horizon": horizon, "seen": seen}
            self.share({**shared, "collation": collation})

    def shared_key(self) -> str:
        return f"facets:index:2:{self.label}"  # 2: with derived keys

    def _install(self, state: FacetState, horizon: int, seen, collation: str, started) -> None:
        with self.lock:
            self.install(state, horizon, seen, started, loaded=not state.built)
            self._searches.clear()
            self._generation += 1
            self.text_order_exact = collation in C_COLLATIONS
        logger.info(
            "facet index %s: %d rows, %d keys, %s in %.0f ms, about %.1f MB",
            self.label,
            len(state.all),
            len(state.bitmaps),
            "built" if state.built else "loaded from Redis",
            self.build_ms,
            state.size_bytes() / (1 << 20),
        )

    def reset(self) -> None:
        with self.lock:
            super().reset()
            self._searches.clear()

    # --- Keeping in step -----------------------------------------------------------------

    def changed_rows(self, cursor, changed: list[int]) -> list[tuple]:
        columns = ", ".join(sort.sql() for sort in self.sorts.values())
        cursor.execute(
            f"SELECT id, {self._keys_sql('')}, {columns} FROM {self.model._meta.db_table} "
            "WHERE id = ANY(%s) AND status = 'published'",
            [changed],
        )
        return cursor.fetchall()

    def apply(self, changed: list[int], rows: list[tuple]) -> None:
        self.state.apply(changed, rows)
        self._searches.clear()  # the changed rows may match other words now
        self._generation += 1

    # --- Reading ------------------------------------------------------------------------------

    def results(
        self,
        *,
        chosen: dict[str, list[str]],
        facets: tuple[str, ...],
        text: str | None = None,
        token=None,
    ) -> FacetResults | None:
        """The total, disjunctive counts of `facets` and the result, within the rows a search
        for `text` matches or every published row, for the chosen keys per facet (values of
        one facet OR, facets AND); None when the index is not available."""
        started = time.perf_counter()
        state = self.current(token)
        if state is None:
            return None
        search_ms = 0.0
        base = state.all
        if text is not None:
            searching = time.perf_counter()
            base = self._matches(text, state)
            search_ms = (time.perf_counter() - searching) * 1000
        with self.lock:
            result, counts = state.counts(base, chosen, facets)
        ms = (time.perf_counter() - started) * 1000 - search_ms
        return FacetResults(len(result), counts, result, self, state, ms, search_ms, text)

    def _matches(self, text: str, state: FacetState) -> BitMap:
        """The published rows a search matches, kept for the next request with the same words
        until a change applies (paging through a search asks Postgres once)."""
        words = " ".join(search_words(text))
        with self.lock:
            found = self._searches.get(words)
            if found is not None:
                self._searches.move_to_end(words)
                return found
            generation = self._generation
        found = _text_ids(self.model, text) & state.all
        with self.lock:
            if self._generation == generation:  # no change applied meanwhile
                self._searches[words] = found
                while len(self._searches) > SEARCHES_KEPT:
                    self._searches.popitem(last=False)
        return found
