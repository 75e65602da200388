"""Finer map cells than the facet index keeps, and the mean position of every cell, per worker.

The facet index holds grid cells at zooms 3, 5 and 7 (core.search.grid_keys). Closer in, the
map counts on cells at FINE_ZOOMS, kept here the same way: one bitmap of published ids per
cell, built from one read of the published rows' coordinates, with the mean position of each
cell at every zoom (where a cluster is drawn). It is built again when the directory's version
moves on: in a background thread while the previous one still answers (as the facet index,
`FACET_INDEX_BACKGROUND`), in the request the first time or when that setting is off.
"""

import logging
import math
import threading
import time
from array import array

from django.conf import settings
from django.db import connection
from pyroaring import BitMap

from core.search import GRID_ZOOMS
from core.search import MERCATOR_MAX_LATITUDE

logger = logging.getLogger(__name__)

FINE_ZOOMS = (9, 11, 13)


def fractions(latitude: float, longitude: float) -> tuple[float, float]:
    """The point's place on the Web-Mercator square, 0..1 from the west and from the north
    (core.search.grid_cell's arithmetic: the cell at zoom z is int(f * 2**z))."""
    latitude = max(-MERCATOR_MAX_LATITUDE, min(MERCATOR_MAX_LATITUDE, latitude))
    fx = (longitude + 180.0) / 360.0
    fy = (1.0 - math.asinh(math.tan(math.radians(latitude))) / math.pi) / 2.0
    return fx, fy


def _cell(fraction: float, tiles: int) -> int:
    return min(max(int(fraction * tiles), 0), tiles - 1)


class FineGrid:
    """One model's fine cells and cell means (see the module's docstring)."""

    def __init__(self, model):
        self.model = model
        self.lock = threading.Lock()
        self._build_lock = threading.Lock()  # one build at a time; the others wait for it
        self.cells: dict[int, dict[tuple[int, int], BitMap]] | None = None
        self.means: dict[tuple[int, int, int], tuple[float, float]] = {}
        self._token = None
        self._building = False

    def _read(self):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, latitude, longitude FROM {self.model._meta.db_table} "
                "WHERE status = 'published' AND latitude IS NOT NULL AND longitude IS NOT NULL"
            )
            return cursor.fetchall()

    def build(self, token) -> None:
        started = time.perf_counter()
        rows = self._read()
        ids: dict[int, dict[tuple[int, int], array]] = {zoom: {} for zoom in FINE_ZOOMS}
        sums: dict[tuple[int, int, int], list] = {}
        every = (*GRID_ZOOMS, *FINE_ZOOMS)
        for pk, latitude, longitude in rows:
            fx, fy = fractions(latitude, longitude)
            for zoom in every:
                tiles = 1 << zoom
                cell = (_cell(fx, tiles), _cell(fy, tiles))
                total = sums.get((zoom, *cell))
                if total is None:
                    sums[(zoom, *cell)] = [1, latitude, longitude]
                else:
                    total[0] += 1
                    total[1] += latitude
                    total[2] += longitude
                if zoom in ids:
                    kept = ids[zoom].get(cell)
                    if kept is None:
                        kept = ids[zoom][cell] = array("I")
                    kept.append(pk)
        cells = {
            zoom: {cell: BitMap(kept) for cell, kept in by.items()} for zoom, by in ids.items()
        }
        means = {key: (lat / n, lng / n) for key, (n, lat, lng) in sums.items()}
        with self.lock:
            self.cells, self.means, self._token = cells, means, token
        logger.info(
            "fine map grid %s: %d points in %.0f ms",
            self.model._meta.label_lower,
            len(rows),
            (time.perf_counter() - started) * 1000,
        )

    def current(self, token) -> "FineGrid":
        """Itself, built for `token` (or being built again in the background)."""
        if self.cells is not None and (token is None or token == self._token):
            return self
        if self.cells is None or not settings.FACET_INDEX_BACKGROUND:
            with self._build_lock:
                if self.cells is None or (token is not None and token != self._token):
                    self.build(token)
            return self
        with self.lock:
            if self._building:
                return self
            self._building = True

        def run():
            try:
                with self._build_lock:
                    self.build(token)
            except Exception:
                logger.exception("fine map grid %s failed", self.model._meta.label_lower)
            finally:
                self._building = False
                connection.close()

        threading.Thread(target=run, daemon=True, name="fine-map-grid").start()
        return self

    def reset(self) -> None:
        with self.lock:
            self.cells, self.means, self._token = None, {}, None
