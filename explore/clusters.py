"""The map's clusters: how many organisations, projects and upcoming events lie in each grid cell
of the current view, for the lists' own filters and search.

Organisations and projects are counted by the directory's facet index: the filters give the
result bitmap, and each Web-Mercator cell of the view is a facet key (`cell:<z>:<x>:<y>`,
core.search.grid_keys, at zooms 3, 5 and 7), so a cluster is one bitmap intersection. A
cluster sits at the mean position of the published rows of its cell (one grouped query per
model, cached for an hour: a mean lies inside its cell whatever changed since) or, for a cell
not in it yet, at the cell's centre. Past the deepest grid the cells of the view give the ids,
and Postgres groups those ids' coordinates by a finer grid. When the view holds few points
(POINTS_LIMIT) they are returned one by one, read from Postgres by id and box. Events (few,
not indexed) are grouped by Postgres with the same grid arithmetic. While the index is not
built, Postgres filters and groups the profiles the same way.
"""

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from dataclasses import field
from itertools import islice

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pyroaring import BitMap

from core.search import GRID_ZOOMS
from core.search import MERCATOR_MAX_LATITUDE
from core.search import grid_cell
from directory.facets import FACET_INDEXES
from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.models import Organisation
from directory.models import Project
from events.models import Event
from explore.filter_fields import given
from explore.fine_grid import FINE_ZOOMS
from explore.fine_grid import FineGrid

KINDS = ("organisations", "projects", "events")
PROFILE_KINDS = {
    "organisations": (Organisation, OrganisationFilterSet),
    "projects": (Project, ProjectFilterSet),
}
MAX_ZOOM = 18
# A view with this many points or fewer shows them one by one.
POINTS_LIMIT = 300
# Ids of a kind's cells in the view read for its points at most (past POINTS_ZOOM).
POINTS_IDS = 4 * POINTS_LIMIT
# A cluster's cell is about a quarter of a 256-pixel tile of the map at its zoom (grid_for).
GRID_OFFSET = 2
# Cells of the grid a view may span; a wider view takes a coarser grid.
MAX_CELLS = 4096
# From this map zoom on, points only (the first POINTS_LIMIT of each kind, said "truncated").
POINTS_ZOOM = 14
# Each worker's fine grid of each profile kind (explore.fine_grid).
FINE_GRIDS = {"organisations": FineGrid(Organisation), "projects": FineGrid(Project)}


class BadQuery(ValueError):
    """A parameter the endpoint cannot use; its message says why (a 400)."""


@dataclass(frozen=True)
class View:
    west: float
    south: float
    east: float
    north: float
    zoom: int
    kinds: tuple[str, ...]


def _number(text: str, name: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadQuery(_("%(name)s must be a number.") % {"name": name}) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise BadQuery(
            _("%(name)s must be between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return value


def parse_view(params) -> View:
    """The view asked for: bbox=west,south,east,north (degrees), zoom, kinds (any of KINDS;
    all when none is given)."""
    parts = params.get("bbox", "").split(",")
    if len(parts) != 4:
        raise BadQuery(_("bbox must be four numbers: west,south,east,north."))
    west = _number(parts[0], "west", -180, 180)
    south = _number(parts[1], "south", -90, 90)
    east = _number(parts[2], "east", -180, 180)
    north = _number(parts[3], "north", -90, 90)
    if west >= east or south >= north:
        raise BadQuery(_("bbox must have west below east and south below north."))
    try:
        zoom = int(params.get("zoom", ""))
    except ValueError:
        raise BadQuery(_("zoom must be a whole number.")) from None
    if not 0 <= zoom <= MAX_ZOOM:
        raise BadQuery(_("zoom must be between 0 and %(max)s.") % {"max": MAX_ZOOM})
    kinds = params.getlist("kinds") if hasattr(params, "getlist") else params.get("kinds", [])
    kinds = [kind for value in kinds for kind in value.split(",") if kind]
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise BadQuery(_("kinds takes organisations, projects and events."))
    chosen = tuple(kind for kind in KINDS if kind in kinds) if kinds else KINDS
    return View(west, south, east, north, zoom, chosen)


# --- Grid arithmetic ---------------------------------------------------------------------------


def cell_range(view: View, zoom: int) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1), inclusive, of the cells at `zoom` the view touches."""
    x0, y0 = grid_cell(view.north, view.west, zoom)
    x1, y1 = grid_cell(view.south, view.east, zoom)
    return x0, y0, x1, y1


def cell_bounds(zoom: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a cell."""
    tiles = 2**zoom

    def latitude(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / tiles))))

    return latitude(y + 1), x / tiles * 360 - 180, latitude(y), (x + 1) / tiles * 360 - 180


def grid_for(view: View) -> int | None:
    """The grid a view's clusters are counted on: the deepest of the index's and the fine
    zooms up to the map's zoom + GRID_OFFSET whose cells in the view are no more than
    MAX_CELLS; None from POINTS_ZOOM on (points only)."""
    if view.zoom >= POINTS_ZOOM:
        return None
    wanted = view.zoom + GRID_OFFSET
    for zoom in sorted((*GRID_ZOOMS, *FINE_ZOOMS), reverse=True):
        if zoom > wanted:
            continue
        x0, y0, x1, y1 = cell_range(view, zoom)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= MAX_CELLS:
            return zoom
    return GRID_ZOOMS[0]


# Grid cells in SQL, the same arithmetic as core.search.grid_cell over a subquery's columns.
_LAT = MERCATOR_MAX_LATITUDE
CELL_SQL = f"""
    LEAST(GREATEST(floor((p.longitude + 180.0) / 360.0 * %(tiles)s), 0), %(last)s)::int,
    LEAST(GREATEST(floor((1.0 - asinh(tan(radians(
        LEAST(GREATEST(p.latitude, -{_LAT}), {_LAT})))) / pi()) / 2.0 * %(tiles)s), 0),
        %(last)s)::int
"""


def _grouped(subquery: str, params, zoom: int) -> list[tuple[int, int, int, float, float]]:
    """(x, y, count, mean latitude, mean longitude) per cell at `zoom` of the rows of
    `subquery`, which gives `latitude` and `longitude`."""
    tiles = 2**zoom
    cells = CELL_SQL % {"tiles": tiles, "last": tiles - 1}
    sql = (
        f"SELECT {cells}, count(*), avg(p.latitude), avg(p.longitude) "
        f"FROM ({subquery}) AS p GROUP BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- What each kind gives ----------------------------------------------------------------------


@dataclass
class Cells:
    """One kind's count per cell of the view (at `zoom`; None: the points' zoom), with mean
    positions where known, and the ids in those cells when the index gave them."""

    zoom: int | None
    counts: dict[tuple[int, int], int] = field(default_factory=dict)
    positions: dict[tuple[int, int], tuple[float, float]] = field(default_factory=dict)
    ids: BitMap | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _postgres_cells(queryset, view: View, zoom: int | None) -> Cells:
    """Counts and mean positions per cell at `zoom` of a queryset's rows inside the view."""
    queryset = queryset.filter(
        latitude__range=(view.south, view.north), longitude__range=(view.west, view.east)
    ).order_by()
    sql, params = queryset.values("latitude", "longitude").query.sql_with_params()
    found = Cells(zoom)
    for x, y, n, lat, lng in _grouped(sql, params, zoom or FINE_ZOOMS[-1]):
        found.counts[(x, y)] = n
        found.positions[(x, y)] = (lat, lng)
    return found


def _filtered(kind: str, params):
    """The kind's published rows through its list's FilterSet (Postgres's path)."""
    filterset = filtersets(params)[kind]
    filterset.qs  # noqa: B018 - filters (`filtered`)
    return filterset.filtered


def _profile_cells(
    kind: str, filters: "Filters", params, view: View, zoom: int | None, token
) -> Cells:
    """The kind's count per cell of the view: the index's result (the filters and search)
    intersected with each cell's bitmap, from the index at its grid zooms and from the fine
    grid past them; Postgres groups the filtered rows while the index is not built."""
    model = PROFILE_KINDS[kind][0]
    results = FACET_INDEXES[model._meta.model_name].results(
        chosen=filters.chosen[kind], facets=(), text=filters.text[kind], token=token
    )
    if results is None:
        return _postgres_cells(_filtered(kind, params), view, zoom)
    fine = FINE_GRIDS[kind].current(token)
    grid = zoom or FINE_ZOOMS[-1]
    x0, y0, x1, y1 = cell_range(view, grid)
    found = Cells(zoom)
    bitmaps = []
    result = results.result
    spots = [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    if grid in GRID_ZOOMS:
        with results.index.lock:
            kept = results.state.bitmaps
            cells = [(cell, kept.get(f"cell:{grid}:{cell[0]}:{cell[1]}")) for cell in spots]
    else:
        kept = fine.cells[grid]
        cells = [(cell, kept.get(cell)) for cell in spots]
    for cell, bitmap in cells:
        if bitmap is None:
            continue
        n = result.intersection_cardinality(bitmap)
        if n:
            found.counts[cell] = n
            bitmaps.append(bitmap)
            mean = fine.means.get((grid, *cell))
            if mean is not None:
                found.positions[cell] = mean
    found.ids = result & BitMap.union(*bitmaps) if bitmaps else BitMap()
    return found


# The lists' filters events have too (their filter keys are written alike); the others
# (technology, organisation type...) do not apply to events, as the map page says.
EVENT_FACETS = ("country", "city", "area")


def _events(filters: "Filters"):
    """Published upcoming events matching the search and the filters they share with the
    profiles (events have no facet index: Postgres filters them by their GIN-indexed keys)."""
    queryset = Event.objects.published().upcoming(timezone.now())
    for keys in filters.event_keys:
        queryset = queryset.filter(facet_keys__overlap=list(keys))
    if filters.event_text:
        queryset = queryset.matching(filters.event_text)
    return queryset


def _detail_url(name: str):
    prefix, _, suffix = reverse(name, kwargs={"slug": "SLUG"}).rpartition("SLUG")
    return lambda slug: f"{prefix}{slug}{suffix}"


# --- The answer ----------------------------------------------------------------------------------


def filtersets(params) -> dict:
    """The organisations' and projects' FilterSets over the same query string (empty values
    left out)."""
    params = given(params)
    return {
        kind: filterset_class(params, queryset=model.objects.published())
        for kind, (model, filterset_class) in PROFILE_KINDS.items()
    }


def query_problems(sets: dict) -> list[str]:
    """The filters' errors (a bad slug, too long a city, too many values), each once. The
    forms are validated, not filtered: the index takes `chosen_keys()`, and Postgres filters
    only while there is no index (`_profile_cells`)."""
    messages = []
    for filterset in sets.values():
        filterset.validate()
        for name, errors in filterset.errors.items():
            for error in errors:
                message = f"{name}: {error}"
                if message not in messages:
                    messages.append(message)
    return messages


@dataclass(frozen=True)
class Filters:
    """What the lists' filters of a query come to: their problems, and per kind the keys they
    choose and the search text (for the index), and what events take of them (the keys of
    each EVENT_FACETS filter chosen, and the search text)."""

    problems: tuple[str, ...]
    chosen: dict
    text: dict
    event_keys: tuple[tuple[str, ...], ...]
    event_text: str | None


# The view's own parameters: everything else is the lists' (filters, search, order).
VIEW_PARAMS = {"bbox", "zoom", "kinds"}
# Filters validated per worker, by content version and query: panning and zooming keep them.
FILTERS_KEPT = 512
_filters_kept: OrderedDict = OrderedDict()
_filters_lock = threading.Lock()


def parsed_filters(params, token) -> Filters:
    """The query's Filters, validated by the lists' own FilterSets once per content version
    (`token`) and worker."""
    key = (
        token,
        tuple(sorted((k, v) for k, vs in params.lists() for v in vs if k not in VIEW_PARAMS)),
    )
    with _filters_lock:
        found = _filters_kept.get(key)
        if found is not None:
            _filters_kept.move_to_end(key)
            return found
    sets = filtersets(params)
    problems = query_problems(sets)
    organisations = sets["organisations"]
    chosen = organisations.chosen_keys()
    found = Filters(
        problems=tuple(problems),
        chosen={kind: filterset.chosen_keys() for kind, filterset in sets.items()},
        text={
            kind: filterset.cleaned_data.get(filterset.search_param) or None
            for kind, filterset in sets.items()
        },
        event_keys=tuple(tuple(chosen[name]) for name in EVENT_FACETS if name in chosen),
        event_text=organisations.cleaned_data.get(organisations.search_param) or None,
    )
    if token is not None:
        with _filters_lock:
            _filters_kept[key] = found
            while len(_filters_kept) > FILTERS_KEPT:
                _filters_kept.popitem(last=False)
    return found


def filters_forget() -> None:
    with _filters_lock:
        _filters_kept.clear()


def clusters(params, *, token=None) -> dict:
    """The view's clusters or points (see the module's docstring); raises BadQuery."""
    view = parse_view(params)
    filters = parsed_filters(params, token)
    if filters.problems:
        raise BadQuery(" ".join(filters.problems))
    zoom = grid_for(view)
    per_kind: dict[str, Cells] = {}
    for kind in view.kinds:
        if kind in PROFILE_KINDS:
            per_kind[kind] = _profile_cells(kind, filters, params, view, zoom, token)
    # Events (not indexed, few): one grouped query on the same grid.
    if "events" in view.kinds:
        per_kind["events"] = _postgres_cells(_events(filters), view, zoom)
    total = sum(cells.total for cells in per_kind.values())
    answer = {
        "zoom": view.zoom,
        "grid": zoom,
        "kinds": list(view.kinds),
        "total": total,
        "clusters": [],
        "points": [],
        "truncated": False,
    }
    if total <= POINTS_LIMIT or zoom is None:
        answer["points"] = _points(per_kind, view, params, filters)
        answer["truncated"] = any(cells.total > POINTS_LIMIT for cells in per_kind.values())
        return answer
    answer["clusters"] = _merged(per_kind)
    return answer


def _merged(per_kind: dict[str, Cells]) -> list[dict]:
    """One cluster per cell, over the kinds (which are counted on the same grid, except a
    coarser grid a wide view forces on one kind: those cells then stand alone)."""
    merged: dict[tuple[int, int, int], dict] = {}
    for kind, cells in per_kind.items():
        for (x, y), n in cells.counts.items():
            cluster = merged.get((cells.zoom, x, y))
            lat, lng = cells.positions.get((x, y)) or _centre(cells.zoom, x, y)
            if cluster is None:
                south, west, north, east = cell_bounds(cells.zoom, x, y)
                cluster = merged[(cells.zoom, x, y)] = {
                    "cell": f"{cells.zoom}:{x}:{y}",
                    "count": 0,
                    "counts": {},
                    "bounds": [
                        round(south, 5),
                        round(west, 5),
                        round(north, 5),
                        round(east, 5),
                    ],
                    "_sum": [0.0, 0.0],
                }
            cluster["count"] += n
            cluster["counts"][kind] = n
            cluster["_sum"][0] += lat * n
            cluster["_sum"][1] += lng * n
    out = []
    for cluster in merged.values():
        lat_sum, lng_sum = cluster.pop("_sum")
        cluster["lat"] = round(lat_sum / cluster["count"], 5)
        cluster["lng"] = round(lng_sum / cluster["count"], 5)
        out.append(cluster)
    out.sort(key=lambda cluster: cluster["cell"])
    return out


def _centre(zoom: int, x: int, y: int) -> tuple[float, float]:
    south, west, north, east = cell_bounds(zoom, x, y)
    return (south + north) / 2, (west + east) / 2


def _points(per_kind: dict[str, Cells], view: View, params, filters: Filters) -> list[dict]:
    """The view's points one by one (at most POINTS_LIMIT + 1 per kind, one query each)."""
    points = []
    box = {
        "latitude__range": (view.south, view.north),
        "longitude__range": (view.west, view.east),
    }
    for kind, cells in per_kind.items():
        if not cells.total:
            continue
        if kind == "events":
            queryset = _events(filters).filter(**box)
            url = _detail_url("events:event_detail")
            label = "title"
        else:
            model = PROFILE_KINDS[kind][0]
            if cells.ids is not None:
                ids = list(islice(cells.ids, POINTS_IDS))  # bounded, truncated past it
                queryset = model.objects.published().filter(pk__in=ids, **box)
            else:
                queryset = _filtered(kind, params).filter(**box)
            url = _detail_url(f"directory:{model._meta.model_name}_detail")
            label = "name"
        for pk, name, slug, lat, lng in queryset.order_by("pk").values_list(
            "pk", label, "slug", "latitude", "longitude"
        )[: POINTS_LIMIT + 1]:
            points.append(
                {"kind": kind, "id": pk, "name": name, "url": url(slug), "lat": lat, "lng": lng}
            )
    return points
