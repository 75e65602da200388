"""An in-memory index of a table in each worker process, built from Postgres on first use and
kept in step with the changes its triggers log (core.facets.changes): the life cycle that the
facet index (core.facets.index) and the word index (core.word_index) share.

Postgres stays the truth. A worker looks for changes when the content version it was given
has moved on since its last look, and at least every FACET_INDEX_POLL_SECONDS otherwise (so a
change that moves no version, or a Redis that is down, is still seen within that time); a look
is one small indexed query. While the index is being built (in a background thread unless
FACET_INDEX_BACKGROUND is off), or after an error, `current` answers None and the caller uses
its Postgres path.
"""

import contextlib
import ctypes
import ctypes.util
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from core.facets.changes import CHANGES_SQL
from core.facets.changes import KEEP_SECONDS

logger = logging.getLogger(__name__)

# More changed rows than this in one look: build again rather than move them one by one.
REBUILD_OVER = 20_000
RETRY_AFTER_SECONDS = 30
LOADED = object()  # the token of an index loaded from a shared copy: it looks at once

_every_index: list["LiveIndex"] = []


def every_index_reset() -> None:
    """Forget every index (tests: each test's rows are rolled back, the indexes would keep
    them)."""
    for index in _every_index:
        index.reset()


def release_freed_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's malloc_trim): a build frees
    the rows it read between the bitmaps it keeps, which would hold the process's memory
    (at 100,000 + 100,000 rows of the word index: 109 MB kept, 23 MB after the trim)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def horizon_sql(label_param: str = "%s") -> str:
    """The columns a build reads beside its rows, from the same snapshot: the horizon of the
    next look and the changes the snapshot already shows (that look skips them). Select them
    `FROM h` with `h` defined by HORIZON_CTE."""
    return (
        "h.horizon, (SELECT coalesce(array_agg(seq), '{}') FROM core_facetchange c"
        f" WHERE c.label = {label_param} AND c.xid >= h.horizon)"
    )


HORIZON_CTE = "h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon)"


class LiveIndex:
    """The life cycle of one in-memory index of the rows logged under `label`: subclasses say
    how to build the state (`build`, which ends with `install`, and may load the copy another
    worker `share`d under `shared_key`), which rows a change look reads again
    (`changed_rows`) and how they enter the state (`apply`)."""

    kind = "index"  # in log lines and thread names

    def __init__(self, label: str):
        self.label = label
        self.lock = threading.RLock()
        self.state = None
        self._horizon = 0  # xmin of the snapshot of the last look
        self._seen: set[int] = set()  # seqs applied with xid >= _horizon
        self._token = None  # the content version at the last look
        self._looked = 0.0  # time.monotonic() of the last look
        self._building = False
        self._failed_at = 0.0
        self.build_ms = 0.0
        _every_index.append(self)

    # --- What a kind of index says --------------------------------------------------------

    def build(self) -> None:
        """Read the rows and `install` the state."""
        raise NotImplementedError

    def changed_rows(self, cursor, changed: list[int]) -> list[tuple]:
        """The current rows of the ids `changed` that belong in the index."""
        raise NotImplementedError

    def apply(self, changed: list[int], rows: list[tuple]) -> None:
        """Bring the ids `changed` to their state in `rows` (called under the lock)."""
        self.state.apply(changed, rows)

    def shared_key(self) -> str:
        """The cache key of the copy a worker that built the index shares with the others."""
        raise NotImplementedError

    # --- Sharing between workers ----------------------------------------------------------

    def shared(self) -> dict | None:
        """The copy another worker shared (None if none, or Redis is down): loading it and
        catching up from the change log beats building again."""
        return cache.get(self.shared_key())

    def share(self, entry: dict) -> None:
        """Share a state just built (`entry`: its snapshot, horizon and changes seen) for
        FACET_INDEX_SHARE_SECONDS."""
        if settings.FACET_INDEX_SHARE_SECONDS:
            cache.set(self.shared_key(), entry, timeout=settings.FACET_INDEX_SHARE_SECONDS)

    def forget_shared(self) -> None:
        """Drop the shared copy (after a failed look: the next worker builds from Postgres)."""
        cache.delete(self.shared_key())

    # --- Building ------------------------------------------------------------------------

    def install(self, state, horizon: int, seen, started: float, *, loaded: bool = False):
        """Put a built (or `loaded` from a shared copy) state in place, with the horizon and
        the changes seen of the snapshot it was read in."""
        with self.lock:
            self.state = state
            self._horizon, self._seen = horizon, set(seen)
            self._looked = time.monotonic()
            if loaded:  # the next use looks for changes since
                self._token = LOADED
            self.build_ms = (time.perf_counter() - started) * 1000

    def _built(self) -> bool:
        """Build; on failure note when (callers use Postgres until RETRY_AFTER_SECONDS)."""
        try:
            self.build()
            release_freed_memory()
            return True
        except Refused as refused:  # by choice: no stack to read
            logger.warning("%s %s: not built, %s", self.kind, self.label, refused)
        except Exception:
            logger.exception("%s %s: build failed", self.kind, self.label)
        self._failed_at = time.monotonic()
        return False

    def _build_in_background(self) -> None:
        def run():
            try:
                self._built()
            finally:
                self._building = False
                connection.close()

        self._building = True
        name = f"{self.kind}-{self.label}"
        threading.Thread(target=run, name=name, daemon=True).start()

    def reset(self) -> None:
        """Forget the index (tests; a failure): the next use builds it again."""
        with self.lock:
            self.state = None
            self._token = None
            self._failed_at = 0.0

    # --- Keeping in step -----------------------------------------------------------------

    def _look(self) -> None:
        """Apply the changes logged since the last look (see core.facets.changes)."""
        with connection.cursor() as cursor:
            cursor.execute(CHANGES_SQL, [self.label, self._horizon])
            horizon, seqs, ids, _ = cursor.fetchone()
            new = {seq: pk for seq, pk in zip(seqs, ids, strict=True) if seq not in self._seen}
            if len(new) > REBUILD_OVER:
                raise OverflowError(f"{len(new)} changes")
            changed = sorted(set(new.values()))
            rows = self.changed_rows(cursor, changed) if changed else []
        if changed:
            self.apply(changed, rows)
        # The next look reads again some of these (those of transactions then running):
        # applied already, they are skipped.
        self._horizon, self._seen = horizon, set(seqs)

    def current(self, token=None):
        """The state, brought up to date first when the version `token` moved on since the
        last look or the last look is older than FACET_INDEX_POLL_SECONDS; None while it is
        being built or after a failure (the caller uses Postgres)."""
        with self.lock:
            if self.state is None:
                if self._building or time.monotonic() - self._failed_at < RETRY_AFTER_SECONDS:
                    return None
                if settings.FACET_INDEX_BACKGROUND:
                    self._build_in_background()
                    return None
                if not self._built():
                    return None
                if self._token is not LOADED:
                    self._token = token
                    return self.state
            now = time.monotonic()
            if now - self._looked > KEEP_SECONDS:
                self.state = None  # older changes may be gone: start again
                return self.current(token)
            if token != self._token or now - self._looked >= settings.FACET_INDEX_POLL_SECONDS:
                try:
                    self._look()
                except Exception:
                    logger.exception("%s %s: changes not applied", self.kind, self.label)
                    self.forget_shared()  # build from Postgres, not a stale copy
                    self.reset()
                    self._failed_at = 0.0 if settings.FACET_INDEX_BACKGROUND else now
                    return None
                self._token, self._looked = token, now
            return self.state


class Refused(Exception):
    """An index not built by choice (a table too large for it): its callers use Postgres."""
