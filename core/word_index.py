"""The words of a narrow search table (core.text_index_tables) in each worker's memory: every
lexeme, sorted, with a compressed bitmap of the rows holding it. A search nobody made before
is answered in a few milliseconds in the process instead of 30-120 ms through the table's GIN
(whose bitmap scan visits the heap page of every match).

Built in one statement (the lexemes of every vector, grouped) on first use, in a background
thread while requests use Postgres, and kept in step like the facet index (core.facets.live):
row triggers on the search table log `text:<model label>` in the change log, and a look
re-reads the words of the rows changed since.

The answer is exactly Postgres's: a prefix word `w:*` is the union of the lexemes starting
with `w` (C order, as Postgres compares them); a compound split `(a <-> b:*)` cannot be decided
without positions, so it is read as `a & b:*`, and the rows it alone may add are checked by
Postgres with the whole query. Only words Postgres's parser takes as they are (ASCII letters
and digits, which folded Latin text always is) are answered here; others go to Postgres.
"""

import logging
import pickle
import re
import sys
import time
from array import array
from bisect import bisect_left
from bisect import insort

from django.conf import settings
from django.db import connection
from pyroaring import BitMap

from core.facets.changes import text_change_label
from core.facets.live import HORIZON_CTE
from core.facets.live import LiveIndex
from core.facets.live import Refused
from core.facets.live import horizon_sql
from core.search import Piece
from core.search import Term
from core.search import compound_query

logger = logging.getLogger(__name__)

# Words the index answers: those Postgres's parser takes as one lexeme spelled the same.
PLAIN_WORD = re.compile(r"[a-z0-9]{1,100}")
# More rows than this to check with Postgres (compound splits of common words, such as "open
# <-> net:*" for "opennet"): the whole query goes to the GIN instead, which is then as fast as
# the check (at 100,000 rows: 3,000 rows to check, 12-15 ms either way; 40,000, 150 against
# 280 ms).
RECHECK_MAX = 2_000


def int4_ids(data: bytes | memoryview | None) -> array:
    """Big-endian int4s (Postgres's int4send) as an array of ids."""
    ids = array("I")
    if data:
        ids.frombytes(bytes(data))
        if sys.byteorder == "little":
            ids.byteswap()
    return ids


class WordState:
    """The sorted lexemes and, per lexeme, the ids of the rows whose vector holds it."""

    def __init__(self, rows):
        """`rows`: (lexeme, ids as int4send bytes)."""
        self.built = True  # from rows, not loaded from a snapshot
        self.bitmaps: dict[str, BitMap] = {}
        for lexeme, data in rows:
            bitmap = BitMap(int4_ids(data))
            bitmap.run_optimize()
            self.bitmaps[lexeme] = bitmap
        # Python compares code points, which is UTF-8's byte order: Postgres's for prefixes.
        self.lexemes = sorted(self.bitmaps)

    def snapshot(self) -> bytes:
        """Everything in one value, for another worker to load instead of building."""
        serialized = {lexeme: bitmap.serialize() for lexeme, bitmap in self.bitmaps.items()}
        return pickle.dumps(serialized, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_snapshot(cls, blob: bytes) -> "WordState":
        state = cls([])
        state.built = False
        parts = pickle.loads(blob)  # noqa: S301 - written by a worker of ours, in our Redis
        state.bitmaps = {lexeme: BitMap.deserialize(raw) for lexeme, raw in parts.items()}
        state.lexemes = sorted(state.bitmaps)
        return state

    def exact(self, lexeme: str) -> BitMap:
        return self.bitmaps.get(lexeme) or BitMap()

    def prefixed(self, prefix: str) -> BitMap:
        """The rows holding a lexeme that starts with `prefix`."""
        found = []
        for position in range(bisect_left(self.lexemes, prefix), len(self.lexemes)):
            lexeme = self.lexemes[position]
            if not lexeme.startswith(prefix):
                break
            found.append(self.bitmaps[lexeme])
        return BitMap.union(*found) if found else BitMap()

    def apply(self, changed: list[int], rows: list[tuple]) -> None:
        """Bring the rows `changed` to their current words: `rows` holds (id, lexemes) of
        those still in the table; the others leave the index."""
        gone = BitMap(changed)
        for bitmap in self.bitmaps.values():
            bitmap.difference_update(gone)
        for pk, lexemes in rows:
            for lexeme in lexemes:
                bitmap = self.bitmaps.get(lexeme)
                if bitmap is None:
                    bitmap = self.bitmaps[lexeme] = BitMap()
                    insort(self.lexemes, lexeme)
                bitmap.add(pk)

    def postings(self) -> int:
        return sum(len(bitmap) for bitmap in self.bitmaps.values())

    def size_bytes(self) -> int:
        """About what the bitmaps and lexemes take (serialized bitmaps, the strings)."""
        total = sum(len(bitmap.serialize()) for bitmap in self.bitmaps.values())
        return total + sum(len(lexeme) + 100 for lexeme in self.lexemes)

    # --- Evaluating a query -------------------------------------------------------------

    def _piece(self, piece: Piece) -> tuple[BitMap, BitMap]:
        """What a piece surely matches, and what it may match."""
        found = [
            self.prefixed(lexeme) if prefix else self.exact(lexeme) for lexeme, prefix in piece
        ]
        if len(found) == 1:
            return found[0], found[0]
        return BitMap(), BitMap.intersection(*found)  # adjacency unknown: a superset

    def _term(self, term: Term) -> tuple[BitMap, BitMap]:
        pieces = [self._piece(piece) for piece in term]
        if len(pieces) == 1:
            return pieces[0]
        return BitMap.union(*(sure for sure, _ in pieces)), BitMap.union(
            *(may for _, may in pieces)
        )

    def bounds(self, alternatives: list[list[Term]]) -> tuple[BitMap, BitMap]:
        """The rows the query surely matches and the rows it may match (a superset)."""
        sure_any, may_any = [], []
        for terms in alternatives:
            found = [self._term(term) for term in terms]
            sure_any.append(BitMap.intersection(*(sure for sure, _ in found)))
            may_any.append(BitMap.intersection(*(may for _, may in found)))
        return BitMap.union(*sure_any), BitMap.union(*may_any)


class WordIndex(LiveIndex):
    """The word index of one search table (`table`) of `model_label`'s rows."""

    kind = "word index"

    def __init__(self, model_label: str, table: str):
        super().__init__(text_change_label(model_label))
        self.table = table
        self.state: WordState | None = None

    def shared_key(self) -> str:
        return f"words:index:1:{self.table}"

    def build(self) -> None:
        """Load the index another worker shared in Redis (it catches up from the change log
        like any other look), or read every lexeme with its rows in one statement (its
        snapshot gives the horizon of the next look), and share it. Refuses tables over the
        facet index's size cap."""
        started = time.perf_counter()
        shared = self.shared()
        if shared is not None:
            state = WordState.from_snapshot(shared["state"])
            self.install(state, shared["horizon"], shared["seen"], started, loaded=True)
            self._log(state)
            return
        # The row count gates the aggregate (a one-time filter): a table over the cap costs
        # a count, not a build.
        sql = (
            f"WITH {HORIZON_CTE}, n AS (SELECT count(*) AS rows FROM {self.table})"
            f" SELECT {horizon_sql()}, n.rows, w.lexeme, w.ids FROM h CROSS JOIN n LEFT JOIN ("
            " SELECT lexeme, string_agg(int4send(id), ''::bytea) AS ids"
            f" FROM {self.table}, unnest(tsvector_to_array(vector)) AS lexeme"
            " WHERE (SELECT rows FROM n) <= %s GROUP BY lexeme"
            ") AS w ON true"
        )
        cap = settings.FACET_INDEX_MAX_ROWS
        with connection.chunked_cursor() as cursor:
            cursor.cursor.itersize = 2000
            cursor.execute(sql, [self.label, cap])
            first = None

            def rows():
                nonlocal first
                for row in cursor:
                    if first is None:
                        first = row
                    if row[3] is not None:
                        yield row[3], row[4]

            state = WordState(rows())
        if first[2] > cap:
            raise Refused(f"{first[2]} rows (cap {cap})")
        self.install(state, first[0], first[1], started)
        self._log(state)
        if settings.FACET_INDEX_SHARE_SECONDS:
            self.share({"state": state.snapshot(), "horizon": first[0], "seen": first[1]})

    def _log(self, state: WordState) -> None:
        logger.info(
            "word index %s: %d lexemes, %d postings, %s in %.0f ms, about %.1f MB",
            self.table,
            len(state.lexemes),
            state.postings(),
            "built" if state.built else "loaded from Redis",
            self.build_ms,
            state.size_bytes() / (1 << 20),
        )

    def changed_rows(self, cursor, changed: list[int]) -> list[tuple]:
        cursor.execute(
            f"SELECT id, tsvector_to_array(vector) FROM {self.table} WHERE id = ANY(%s)",
            [changed],
        )
        return cursor.fetchall()

    def matching(self, words: list[str], query: str, token) -> BitMap | None:
        """The ids matching the typed `words` (whose tsquery is `query`), exactly as Postgres
        finds them; None when the index cannot say (not built, words it does not answer, too
        much to check, inside a transaction, which may see rows not committed that the index
        must not take in): the caller asks Postgres."""
        if connection.in_atomic_block or not settings.WORD_INDEX:
            return None
        if not all(PLAIN_WORD.fullmatch(word) for word in words):
            return None
        with self.lock:
            state = self.current(token)
            if state is None:
                return None
            sure, may = state.bounds(compound_query(words))
        unsure = may - sure
        if not unsure:
            return sure
        if len(unsure) > RECHECK_MAX:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT string_agg(int4send(id), ''::bytea) FROM {self.table} "
                "WHERE id = ANY(%s) AND vector @@ to_tsquery('simple', %s)",
                [list(unsure), query],
            )
            return sure | BitMap(int4_ids(cursor.fetchone()[0]))
