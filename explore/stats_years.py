"""Founding and joining years of the published profiles as bitmaps of ids, per year.

Years are not facet keys, so the statistics count them by intersecting the facet index's result
with one bitmap per year. The bitmaps of a model are read from Postgres in one query (the id
and both years of every published row) once per content version, shared between workers
through the cache (serialized, a few hundred kB at 100,000 rows) and kept in each worker's
memory until the version moves on. The years are those Postgres gives (`ExtractYear` in the
site's time zone), as the Postgres path of explore.stats counts them.

After a change, `current_year_bitmaps` answers with the worker's previous bitmaps (saying they
are not current) while a background thread reads the new ones, as the facet index and the map's
fine grid do (`FACET_INDEX_BACKGROUND`): a change does not make the next statistics request of
every worker wait for a read of every row. Pages made from such bitmaps are not cached.
"""

import logging
import pickle
import threading
import time
from array import array

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models.functions import ExtractYear
from pyroaring import BitMap

# Year columns: the name the statistics use -> the model's field.
YEAR_COLUMNS = {"founded": "start_date", "joined": "listed_at"}
CACHE_SECONDS = 60 * 60
# Without a version (Redis down), a worker reads the years again after so long.
UNVERSIONED_SECONDS = 60

logger = logging.getLogger(__name__)
_kept: dict[str, tuple[object, float, dict]] = {}
_refreshing: set[str] = set()
_lock = threading.Lock()


def _read(model) -> dict[str, dict[int, BitMap]]:
    queryset = model.objects.published().order_by()
    rows = queryset.values_list(
        "pk", *(ExtractYear(source) for source in YEAR_COLUMNS.values())
    ).query
    sql, params = rows.sql_with_params()
    found: dict[str, dict[int, array]] = {column: {} for column in YEAR_COLUMNS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, *years in cursor.fetchall():
            for column, year in zip(YEAR_COLUMNS, years, strict=True):
                if year is not None:
                    ids = found[column].get(year)
                    if ids is None:
                        ids = found[column][year] = array("I")
                    ids.append(pk)
    return {
        column: {int(year): BitMap(ids) for year, ids in by_year.items()}
        for column, by_year in found.items()
    }


def year_bitmaps(model, *, version) -> dict[str, dict[int, BitMap]]:
    """ "founded"/"joined" -> year -> the published ids of `model` with that year, as of the
    content `version` (from this worker's memory, the cache, or one query)."""
    name = model._meta.model_name
    with _lock:
        kept = _kept.get(name)
    if _is_current(kept, version):
        return kept[2]
    key = f"explore:years:{name}:{version}"
    blob = cache.get(key) if version is not None else None
    if blob is not None:
        bitmaps = {
            column: {year: BitMap.deserialize(data) for year, data in by_year.items()}
            for column, by_year in pickle.loads(blob).items()  # noqa: S301 - our own cache
        }
    else:
        bitmaps = _read(model)
        if version is not None:
            blob = pickle.dumps(
                {
                    column: {year: bitmap.serialize() for year, bitmap in by_year.items()}
                    for column, by_year in bitmaps.items()
                }
            )
            cache.set(key, blob, timeout=CACHE_SECONDS)
    with _lock:
        _kept[name] = (version, time.monotonic(), bitmaps)
    return bitmaps


def _is_current(kept, version) -> bool:
    return (
        kept is not None
        and kept[0] == version
        and (version is not None or time.monotonic() - kept[1] < UNVERSIONED_SECONDS)
    )


def current_year_bitmaps(model, *, version) -> tuple[dict[str, dict[int, BitMap]], bool]:
    """The bitmaps of `version` and True; or, while this worker holds older ones and reads the
    new ones in the background, the older ones and False."""
    name = model._meta.model_name
    with _lock:
        kept = _kept.get(name)
        if kept is None or _is_current(kept, version) or not settings.FACET_INDEX_BACKGROUND:
            stale = False
        else:
            stale = True
            if name not in _refreshing:
                _refreshing.add(name)
                threading.Thread(
                    target=_refresh, args=(model, version), name=f"years-{name}", daemon=True
                ).start()
    if stale:
        return kept[2], False
    return year_bitmaps(model, version=version), True


def _refresh(model, version) -> None:
    try:
        year_bitmaps(model, version=version)
    except Exception:  # the next request tries again
        logger.exception("years of %s not read", model._meta.label)
    finally:
        with _lock:
            _refreshing.discard(model._meta.model_name)
        connection.close()


def years_forget() -> None:
    """Forget every worker-kept year (tests: each test's rows are rolled back)."""
    with _lock:
        _kept.clear()
