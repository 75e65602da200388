"""Full-text matching fast for any word, a common one included: the ids a search finds as a
compressed bitmap, and a relevance page of them (issue 15).

Each searchable model registers a narrow search table (core.text_index_tables: the published
rows' ids, titles and vectors, kept in step by triggers) and the content version that moves on
when its published rows change. `matching_ids` gives exactly the rows `.published().matching(q)`
gives (the same folding, prefix words and compound words: core.search), through that table's
GIN in 20-40 ms for a word in nearly every row, against 300-700 ms through the model's own
table; the answer is cached in Redis as a serialized roaring bitmap stamped with the content
version, so a repeated search is one round trip. `relevance_page` puts the rows whose title
matches first (ranked by how well their title matches), then the others by name.

A search not cached yet is answered by the worker's word index of the table (core.word_index)
once it is built, in a few milliseconds; Postgres answers meanwhile.

Redis unavailable: every answer comes from the word index or Postgres (core.cache turns the
outage into misses). Inside a transaction the cache and the word index are left alone: the
transaction may see (and must not publish) rows that are not committed.
"""

import hashlib
from array import array
from dataclasses import dataclass

from django.db import connection
from pyroaring import BitMap

from core.search import compound_query_text
from core.search import search_words
from core.text_index_tables import matching_function
from core.versions import ContentVersion
from core.word_index import WordIndex
from core.word_index import int4_ids

# A search's cached ids live this long at most (a new content version makes them stale before).
CACHE_SECONDS = 3600
# The name order is cut in buckets of this many rows: a page skips whole buckets by their counts.
BUCKET = 1024


@dataclass(frozen=True)
class TextIndex:
    model: type
    table: str
    version: ContentVersion
    words: WordIndex

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_indexes: dict[type, TextIndex] = {}


def register_text_index(model, index_model, *, version: ContentVersion) -> None:
    """Search `model`'s published rows through `index_model` (a TextIndexRow whose table a
    migration set up with core.text_index_tables.text_index_operations); cached answers are
    stamped with `version`. Called from the app's AppConfig.ready()."""
    table = index_model._meta.db_table
    words = WordIndex(model._meta.label_lower, table)
    _indexes[model] = TextIndex(model, table, version, words)


def has_text_index(model) -> bool:
    return model in _indexes


def text_index(model) -> TextIndex:
    try:
        return _indexes[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} has no registered text index") from None


def _bitmap(ids: array) -> BitMap:
    bitmap = BitMap(ids)
    bitmap.run_optimize()
    return bitmap


def _key(index: TextIndex, query: str, part: str) -> str:
    digest = hashlib.sha1(query.encode(), usedforsecurity=False).hexdigest()[:20]
    return f"text:{index.label}:{part}:{digest}"


def _cacheable() -> bool:
    return not connection.in_atomic_block


def _matching_from_db(index: TextIndex, query: str) -> BitMap:
    """The ids matching `query` through the table's GIN."""
    with connection.cursor() as cursor:
        function = matching_function(index.table)
        cursor.execute(f"SELECT {function}(to_tsquery('simple', %s))", [query])
        return _bitmap(int4_ids(cursor.fetchone()[0]))


def _matching(index: TextIndex, query: str, words: list[str], version) -> BitMap:
    """The ids matching `query` (typed as `words`): from the word index where it can say."""
    found = index.words.matching(words, query, version)
    return _matching_from_db(index, query) if found is None else found


def _titled_from_db(index: TextIndex, query: str, words: list[str], version) -> array:
    """The rows whose title matches, best first (title rank, shorter titles first), ties in
    the order of their folded titles' characters (the language's collation would cost more than
    the rest of the query: 30 ms against 12 for 1,300 titles)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(int4send(id), ''::bytea ORDER BY "
            'ts_rank(title_vector, query, 1) DESC, title COLLATE "C", id) '
            f"FROM {index.table}, to_tsquery('simple', %s) AS query "
            "WHERE title_vector @@ query",
            [query],
        )
        return int4_ids(cursor.fetchone()[0])


def _query_text(text: str) -> tuple[list[str], str | None]:
    """The typed words, and their tsquery (None when nothing searchable was typed)."""
    words = search_words(text or "")
    return words, (compound_query_text(words) if words else None)


# What is cached of a query, by part: how it is found (from the query, the words and the
# version), written to and read from the cache entry.
_PARTS = {
    "ids": (_matching, lambda ids: ids.serialize(), BitMap.deserialize),
    "titled": (_titled_from_db, lambda titled: titled.tobytes(), lambda data: array("I", data)),
}


def _cached_parts(index: TextIndex, words: list[str], query: str, parts: list[str]):
    """The version (None inside a transaction) and each part of `query`: from the cache where
    it has them (one round trip for all), else found (and cached). Inside a transaction,
    from Postgres."""
    if not _cacheable():
        return None, [_PARTS[part][0](index, query, words, None) for part in parts]
    keys = [_key(index, query, part) for part in parts]
    version, entries = index.version.cached_many(keys)
    found = []
    for part, key, entry in zip(parts, keys, entries, strict=True):
        find, encode, decode = _PARTS[part]
        if entry is not None:
            found.append(decode(entry[part]))
            continue
        value = find(index, query, words, version)
        index.version.cache(key, {part: encode(value)}, version=version, timeout=CACHE_SECONDS)
        found.append(value)
    return version, found


def matching_ids(model, text: str) -> BitMap:
    """The ids of `model`'s published rows matching `text` as `.matching(text)` finds them
    (none when nothing searchable was typed)."""
    index = text_index(model)
    words, query = _query_text(text)
    if query is None:
        return BitMap()
    return _cached_parts(index, words, query, ["ids"])[1][0]


class NameOrder:
    """A model's published rows in name order (folded title, then id), in buckets whose
    counts let a page skip most of them."""

    def __init__(self, ordered: array):
        self.ordered = ordered
        self.buckets = [
            BitMap(ordered[start : start + BUCKET]) for start in range(0, len(ordered), BUCKET)
        ]

    def page(self, ids: BitMap, start: int, size: int) -> list[int]:
        """Rows `start` to `start + size` of `ids` in name order."""
        seen, found = 0, []
        for number, bucket in enumerate(self.buckets):
            count = ids.intersection_cardinality(bucket)
            if seen + count <= start:
                seen += count
                continue
            rows = self.ordered[number * BUCKET : (number + 1) * BUCKET]
            within = [pk for pk in rows if pk in ids]
            found.extend(within[max(0, start - seen) :])
            seen += count
            if len(found) >= size:
                break
        return found[:size]


_name_orders: dict[str, tuple] = {}


def _name_order_from_db(index: TextIndex) -> NameOrder:
    with connection.cursor() as cursor:
        # In the order of the (title, id) index: an ORDER BY inside the aggregate would sort
        # 100,000 titles by collation instead (2 s against 30 ms).
        cursor.execute(
            "SELECT string_agg(int4send(id), ''::bytea) "
            f"FROM (SELECT id FROM {index.table} ORDER BY title, id) AS ordered"
        )
        return NameOrder(int4_ids(cursor.fetchone()[0]))


def _name_order(index: TextIndex, version) -> NameOrder:
    """The name order of this content version, kept by the process until the version moves."""
    if version is None:
        return _name_order_from_db(index)
    kept = _name_orders.get(index.label)
    if kept is not None and kept[0] == version:
        return kept[1]
    order = _name_order_from_db(index)
    _name_orders[index.label] = (version, order)
    return order


def ranked_titles(model, text: str) -> array:
    """The published rows whose title matches `text`, most relevant first (cached per content
    version, as the matches are)."""
    index = text_index(model)
    words, query = _query_text(text)
    if query is None:
        return array("I")
    return _cached_parts(index, words, query, ["titled"])[1][0]


def relevance_page(
    model, text: str, candidate_ids: BitMap, start: int, size: int, *, by_name=None
) -> list[int]:
    """Ids `start` to `start + size` of the candidates that match `text`, most relevant first:
    rows whose title matches (the best title matches first), then the others by name. With
    nothing searchable typed, every candidate by name.

    `by_name(ids, start, size)`, where given, pages the rest by name and says the candidates
    all match already (the facet index's result of the search: core.facets): no matches to
    read again, no name order of this module's own."""
    index = text_index(model)
    start, size = max(0, start), max(0, size)
    words, query = _query_text(text)
    version = None
    if by_name is not None:
        candidates, titled = candidate_ids, ranked_titles(model, text)
    elif query is None:
        version = index.version.current() if _cacheable() else None
        return _name_order(index, version).page(candidate_ids, start, size)
    else:
        version, (matching, titled) = _cached_parts(index, words, query, ["ids", "titled"])
        candidates = candidate_ids & matching
        by_name = _name_order(index, version).page
    titled_ids = BitMap(titled)
    titled_count = candidates.intersection_cardinality(titled_ids)
    page: list[int] = []
    if start < titled_count:
        position = 0
        for pk in titled:
            if pk in candidates:
                if position >= start:
                    page.append(pk)
                    if len(page) == size:
                        return page
                position += 1
    rest = candidates - titled_ids
    rest_start = max(0, start - titled_count)
    return page + by_name(rest, rest_start, size - len(page))
