"""The directory's figures for the statistics pages: counts by country, city, social area,
technology, DSI focus, organisation type and size, founding and joining years, and social area
by technology, for the lists' own filters and search.

The counts come from each worker's facet index (directory.facets.FACET_INDEXES): one call per
kind gives the total and the disjunctive count of every value of every facet asked (each facet
counted within the other filters, as the lists count them), the years are the index's year keys
("founded:2015", "joined:2017": directory.facets.YEAR_KEYS) intersected with the result, and the
area-by-technology grid is the result intersected with an area's bitmap, then with each
technology's. The index keeps all of them in step with every change (core.facets.changes).
While a kind has no index (being built, over FACET_INDEX_MAX_ROWS), Postgres counts the same
figures by the same rules: the lists' cached facet summary, one grouped query per year column
and one for the grid, over the filtered rows.
"""

from dataclasses import dataclass
from dataclasses import field

from django.db import connection
from django.db.models import Count
from django.db.models.functions import ExtractYear

from core.search import facet_key
from directory.facets import FACET_INDEXES
from directory.facets import YEAR_KEYS
from directory.facets import city_labels
from directory.facets import facet_summary
from directory.facets import results_key
from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.models import Organisation
from directory.models import Project

# The facets the statistics count, in the order of the page.
STAT_FACETS = ("country", "city", "area", "tech", "focus", "type", "size")
HOTBEDS = 20  # cities shown
KINDS = {
    "organisation": (Organisation, OrganisationFilterSet),
    "project": (Project, ProjectFilterSet),
}


@dataclass
class KindFigures:
    """The figures of one kind (organisations or projects) for one set of filters."""

    total: int
    counts: dict[str, int]  # "country:12" -> disjunctive count (vocabulary facets)
    cities: list[tuple[str, str, int]]  # (folded key, label, count), the biggest first
    years: dict[str, dict[int, int]]  # "founded"/"joined" -> year -> count
    undated: dict[str, int]  # "founded"/"joined" -> rows without that date
    heat: dict[tuple[str, str], int] = field(default_factory=dict)  # (area key, tech key)
    indexed: bool = True


def kind_filterset(kind: str, data):
    """The list's FilterSet of `kind` over its published rows, validated, not yet filtered."""
    model, filterset_class = KINDS[kind]
    filterset = filterset_class(data, queryset=model.objects.published())
    filterset.validate()  # no queryset: the index needs none (`filterset.qs` makes it)
    return filterset


class CountryFilters:
    """The list's filters for one country (`term`), as the figures and the newest cards read
    them: the country's facet key for the index, with no FilterSet to build and validate (a
    millisecond a kind); the list's own FilterSet is made only when something else is asked
    of it (Postgres counts while the index is not there)."""

    search_param = "q"
    cleaned_data: dict = {}  # nothing searched; the country's key is in `chosen_keys`

    def __init__(self, kind: str, term):
        self.kind, self.term = kind, term
        self.facets = KINDS[kind][1].facets
        self._filterset = None

    def chosen_keys(self) -> dict[str, list[str]]:
        return {"country": [facet_key("country", self.term.pk)]}

    def __getattr__(self, name: str):
        if self.__dict__.get("_filterset") is None:
            self._filterset = kind_filterset(self.kind, {"country": [self.term.slug]})
        return getattr(self._filterset, name)


def _top_cities(model, counts: dict[str, int], version) -> list[tuple[str, str, int]]:
    found = [(key[5:], n) for key, n in counts.items() if key.startswith("city:")]
    found.sort(key=lambda item: (-item[1], item[0]))
    found = found[:HOTBEDS]
    labels = city_labels(model, version) if found else {}
    return [(value, labels.get(value) or value.title(), n) for value, n in found]


def _heat_from_state(results, *, kind_facets) -> dict[tuple[str, str], int]:
    """The result's rows counted by social area and technology together."""
    state, heat = results.state, {}
    if not ({"area", "tech"} <= set(kind_facets)):
        return heat
    with results.index.lock:
        techs = [(key, state.bitmaps[key]) for key in state.keys_of_facet.get("tech", ())]
        for area in state.keys_of_facet.get("area", ()):
            within = results.result & state.bitmaps[area]
            if not within:
                continue
            for tech, bitmap in techs:
                n = within.intersection_cardinality(bitmap)
                if n:
                    heat[(area, tech)] = n
    return heat


def _years_from_state(results) -> tuple[dict[str, dict[int, int]], dict[str, int]]:
    """The result's rows counted by founding and joining year (the index's year keys)."""
    state, years, undated = results.state, {}, {}
    with results.index.lock:
        for column in YEAR_KEYS:
            by_year = {}
            for key in state.keys_of_facet.get(column, ()):
                n = results.result.intersection_cardinality(state.bitmaps[key])
                if n:
                    by_year[int(key[len(column) + 1 :])] = n
            years[column] = dict(sorted(by_year.items()))
            undated[column] = results.total - sum(by_year.values())
    return years, undated


def _indexed_figures(kind: str, filterset, *, version, heat: bool) -> KindFigures | None:
    model = KINDS[kind][0]
    facets = tuple(name for name in STAT_FACETS if name in filterset.facets)
    results = FACET_INDEXES[kind].results(
        chosen=filterset.chosen_keys(),
        facets=facets,
        text=filterset.cleaned_data.get(filterset.search_param) or None,
        token=version,
    )
    if results is None:
        return None
    years, undated = _years_from_state(results)
    counts = {key: n for key, n in results.counts.items() if not key.startswith("city:")}
    return KindFigures(
        total=results.total,
        counts=counts,
        cities=_top_cities(model, results.counts, version),
        years=years,
        undated=undated,
        heat=_heat_from_state(results, kind_facets=facets) if heat else {},
    )


def _years_from_postgres(filtered) -> tuple[dict[str, dict[int, int]], dict[str, int]]:
    years, undated = {}, {}
    for column, source in YEAR_KEYS.items():
        rows = (
            filtered.order_by()
            .annotate(year=ExtractYear(source))
            .values_list("year")
            .annotate(n=Count("pk"))
        )
        found = dict(rows)
        undated[column] = found.pop(None, 0)
        years[column] = dict(sorted(found.items()))
    return years, undated


def _heat_from_postgres(filtered) -> dict[tuple[str, str], int]:
    sql, params = filtered.order_by().values("facet_keys").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT area, tech, count(*)
            FROM ({sql}) AS results,
                 unnest(results.facet_keys) AS area,
                 unnest(results.facet_keys) AS tech
            WHERE area LIKE 'area:%%' AND tech LIKE 'tech:%%'
            GROUP BY area, tech
            """,
            params,
        )
        return {(area, tech): n for area, tech, n in cursor.fetchall()}


def _postgres_figures(kind: str, filterset, *, params, heat: bool) -> KindFigures:
    filterset.qs  # noqa: B018 - filters (`filterset.filtered`)
    key = results_key(model_name=kind, params=params)
    summary = facet_summary(filterset, key=key)
    filtered = filterset.filtered
    years, undated = _years_from_postgres(filtered)
    cities = [(city, label, n) for city, label, n in summary["free"].get("city", [])[:HOTBEDS]]
    return KindFigures(
        total=summary["total"],
        counts={k: n for k, n in summary["counts"].items() if k.partition(":")[0] in STAT_FACETS},
        cities=cities,
        years=years,
        undated=undated,
        heat=_heat_from_postgres(filtered) if heat else {},
        indexed=False,
    )


def kind_figures(kind: str, filterset, *, version, params, heat: bool = True) -> KindFigures:
    """The figures of `kind` for a validated FilterSet: from the facet index, or from Postgres
    while it has none. `params` are the query's valid result parameters (the cache key of the
    Postgres path's counts, shared with the list)."""
    figures = _indexed_figures(kind, filterset, version=version, heat=heat)
    if figures is None:
        figures = _postgres_figures(kind, filterset, params=params, heat=heat)
    return figures
