"""Facet counts for the directory's lists: how many results each filter value would give.

The lists ask each worker's facet index (core.facets, `FACET_INDEXES`) for the total, the
counts and the page's ids: each facet's values are counted with the other filters applied but
not its own (disjunctive facets). While the index is not available (being built, an error),
Postgres counts by the same rule: one query counts every value of every facet over the current
results (the unnested `facet_keys`, grouped) together with the total, and one more per chosen
facet counts its values over the results of the other filters; cached under the directory's
version. Labels of free tags and cities are resolved from the counts either way.
"""

import hashlib
from dataclasses import dataclass
from dataclasses import field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.facets.index import FacetIndex
from core.facets.index import FacetResults
from core.search import city_value
from directory.filters import INDEX_SORTS
from directory.models import Organisation
from directory.models import Project
from directory.models import Tag
from directory.versions import directory_version
from directory.vocabularies import VOCABULARIES
from directory.vocabularies import vocabulary

# How many values a facet shows at most (the biggest first); vocabularies show all they have.
FREE_FACET_LIMIT = 25
CACHE_SECONDS = 15 * 60
FACET_LABELS = {
    "country": _("Country"),
    "city": _("City"),
    "type": _("Type"),
    "size": _("Size"),
    "area": _("Social area"),
    "tech": _("Technology"),
    "focus": _("DSI focus"),
    "live": _("Live or closed"),
    "tag": _("Tags"),
    "network": _("Networks"),
}
FREE_FACETS = {"city", "tag", "network"}
# Year keys the index adds to each profile's own ("founded:2015", "joined:2017"; none for a
# missing date), for the statistics: the year of `start_date`, and of `listed_at` in the
# site's time zone, as Django's ExtractYear reads them. The change triggers watch both columns.
YEAR_KEYS = {"founded": "start_date", "joined": "listed_at"}
_ZONE = settings.TIME_ZONE.replace("'", "")
YEAR_KEYS_SQL = (
    "ARRAY['founded:' || extract(year from {t}start_date)::int, "
    f"'joined:' || extract(year from {{t}}listed_at AT TIME ZONE '{_ZONE}')::int]"
)
# Each worker's index of the published profiles, by model name.
FACET_INDEXES = {
    "organisation": FacetIndex(Organisation, sorts=INDEX_SORTS, derived_keys=YEAR_KEYS_SQL),
    "project": FacetIndex(Project, sorts=INDEX_SORTS, derived_keys=YEAR_KEYS_SQL),
}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]


def count_facets(queryset) -> tuple[int, dict[str, int]]:
    """The total and the count per facet key of the results, in one query."""
    try:
        sql, params = queryset.order_by().values("facet_keys").query.sql_with_params()
    except EmptyResultSet:  # a search with no searchable words
        return 0, {}
    with connection.cursor() as cursor:
        # Each row adds one empty key as well, whose count is the number of results: the total
        # comes from the same single pass over the rows.
        cursor.execute(
            f"""
            SELECT key, count(*)
            FROM ({sql}) AS results, unnest(array_append(results.facet_keys, '')) AS key
            GROUP BY key
            """,
            params,
        )
        rows = cursor.fetchall()
    counts = dict(rows)
    return counts.pop("", 0), counts


# The labels each process read last, with the directory version it read them under.
_city_labels: dict[str, tuple[object, dict[str, str]]] = {}


def city_labels(model, version=None) -> dict[str, str]:
    """How each city is written, by its folded key ("zurich" -> "Zürich"), for facet labels.

    Cities are free text, so the most common spelling among published profiles is shown. The
    map changes slowly and is cached for an hour, apart from the directory's version; given
    the `version` a page is made under, the process keeps its copy for it (thousands of cities
    are not read from Redis on every page).
    """
    name = model._meta.model_name
    held = _city_labels.get(name)
    if version is not None and held is not None and held[0] == version:
        return held[1]
    key = f"directory:cities:{name}"
    labels = cache.get(key)
    if labels is None:
        spellings = (
            model.objects.published()
            .exclude(city="")
            .values_list("city")
            .annotate(n=Count("pk"))
            .order_by("n")
        )
        labels = {city_value(city): city for city, _ in spellings}
        cache.set(key, labels, timeout=60 * 60)
    if version is not None:
        _city_labels[name] = (version, labels)
    return labels


def _top(counts: dict[str, int], kind: str) -> list[tuple[str, int]]:
    prefix = f"{kind}:"
    values = [
        (key[len(prefix) :], count) for key, count in counts.items() if key.startswith(prefix)
    ]
    values.sort(key=lambda item: (-item[1], item[0]))
    return values[:FREE_FACET_LIMIT]


def summary_from_counts(model, total: int, counts: dict[str, int], *, version=None) -> dict:
    """What the page needs of the counts: vocabulary counts by id, free facets with labels."""
    summary = {"total": total, "counts": {}, "free": {}}
    for key, count in counts.items():
        kind, _, value = key.partition(":")
        if kind in VOCABULARIES or kind == "live":
            summary["counts"][key] = count
    tag_ids = set()
    for kind in ("tag", "network"):
        top = _top(counts, kind)
        summary["free"][kind] = top
        tag_ids.update(int(value) for value, _ in top)
    tags = {}
    if tag_ids:
        tags = {
            pk: (slug, name)
            for pk, slug, name in Tag.objects.filter(pk__in=tag_ids).values_list(
                "pk", "slug", "name"
            )
        }
    for kind in ("tag", "network"):
        summary["free"][kind] = [
            (*tags[int(value)], count)
            for value, count in summary["free"][kind]
            if int(value) in tags
        ]
    cities = city_labels(model, version) if any(k.startswith("city:") for k in counts) else {}
    summary["free"]["city"] = [
        (label, label, count)
        for value, count in _top(counts, "city")
        for label in [cities.get(value) or value.title()]
    ]
    return summary


def _summary(filterset) -> dict:
    """The total and the disjunctive counts from Postgres: every facet's over the results,
    then each chosen facet's again over the results of the other filters (one query each)."""
    total, counts = count_facets(filterset.filtered)
    for name in filterset.chosen_keys():
        prefix = f"{name}:"
        counts = {key: count for key, count in counts.items() if not key.startswith(prefix)}
        _, without = count_facets(filterset.filtered_without(name))
        counts.update((key, count) for key, count in without.items() if key.startswith(prefix))
    return summary_from_counts(filterset.queryset.model, total, counts)


def indexed_results(filterset, *, token=None, counts: bool = True) -> FacetResults | None:
    """The index's answer for a list's valid filters and search (None while it has none):
    `token` is the directory's version the caller read, which tells the index to look for
    changes; without `counts` (the API shows none) only the total and the result, not every
    facet value's count."""
    index = FACET_INDEXES[filterset.queryset.model._meta.model_name]
    return index.results(
        chosen=filterset.chosen_keys(),
        facets=filterset.facets if counts else (),
        text=filterset.cleaned_data.get(filterset.search_param) or None,
        token=token,
    )


def results_key(*, model_name: str, params: list[tuple[str, str]]) -> str:
    """The cache key of a result set: the filter params, under the directory's version."""
    canonical = urlencode(sorted(params))
    digest = hashlib.sha1(canonical.encode(), usedforsecurity=False).hexdigest()
    return f"directory:results:{model_name}:{directory_version()}:{digest}"


def facet_summary(filterset, *, key: str) -> dict:
    """The cached summary (total, disjunctive facet counts) of a list's results."""
    summary = cache.get(f"{key}:facets")
    if summary is None:
        summary = _summary(filterset)
        cache.set(f"{key}:facets", summary, timeout=CACHE_SECONDS)
    return summary


def page_ids(queryset, *, key: str, start: int, size: int) -> list[int]:
    """The ids of one page of the ordered results, cached like the counts."""
    cache_key = f"{key}:page:{start}:{size}"
    ids = cache.get(cache_key)
    if ids is None:
        ids = list(queryset.values_list("pk", flat=True)[start : start + size])
        cache.set(cache_key, ids, timeout=CACHE_SECONDS)
    return ids


def result_page_ids(
    indexed: FacetResults | None, results, *, key: str, sort: str, start: int, size: int
) -> list[int]:
    """The ids of one page of a list's results in `sort` (an index's sort name): from the
    index where it has that order, else from Postgres (`results`, ordered so), cached under
    `key` like the counts."""
    if size <= 0:
        return []
    ids = indexed.page(sort, start=start, size=size) if indexed is not None else None
    if ids is None:
        ids = page_ids(results, key=f"{key}:{sort}", start=start, size=size)
    return ids


def build_facets(
    summary: dict, *, names: tuple[str, ...], selected: dict[str, list[str]], query: list
) -> list[Facet]:
    """Facets ready for the template: labels, counts, whether chosen, and the toggling link."""
    facets = []
    link = Toggler(query)
    for name in names:
        chosen = set(selected.get(name, []))
        if name in VOCABULARIES:
            values = [
                FacetValue(term.slug, term.name, summary["counts"].get(f"{name}:{term.pk}", 0))
                for term in vocabulary(name)
            ]
            values = [value for value in values if value.count or value.value in chosen]
            values.sort(key=lambda value: -value.count)
        elif name == "live":
            values = [
                FacetValue("live", str(_("Live")), summary["counts"].get("live:1", 0)),
                FacetValue("closed", str(_("Closed")), summary["counts"].get("live:0", 0)),
            ]
            values = [value for value in values if value.count or value.value in chosen]
        else:
            values = [
                FacetValue(value, label, count) for value, label, count in summary["free"][name]
            ]
            if name == "city":
                chosen_places = {city_value(city) for city in chosen}
                for value in values:
                    if city_value(value.value) in chosen_places:
                        chosen = {
                            city for city in chosen if city_value(city) != city_value(value.value)
                        }
                        chosen.add(value.value)
            shown = {value.value for value in values}
            # A chosen value not among those shown: none of the rows has it, unless the list
            # was cut at the most common ones.
            unknown = summary["total"] if len(values) >= FREE_FACET_LIMIT else 0
            values += [FacetValue(value, value, unknown) for value in chosen if value not in shown]
        for value in values:
            value.selected = value.value in chosen
            value.url = "?" + link(name, value.value, single=name in ("city", "live"))
        if values:
            facets.append(Facet(name, str(FACET_LABELS[name]), values))
    return facets


def toggle(query: list[tuple[str, str]], name: str, value: str, *, single: bool = False) -> str:
    """The query string with a filter value added, or removed if it was there (page reset)."""
    present = (name, value) in query
    kept = [
        (key, val)
        for key, val in query
        if key != "page" and (key, val) != (name, value) and not (single and key == name)
    ]
    if not present:
        kept.append((name, value))
    return urlencode(kept)


class Toggler:
    """toggle() for every value of a page's facets: the query's own pairs are encoded once, so
    the link that adds a value (nearly all of them) costs one pair's encoding, not the whole
    query's (a list page has a hundred or more such links)."""

    def __init__(self, query: list[tuple[str, str]]):
        self.query = query
        self.present = set(query)
        kept = [(key, val) for key, val in query if key != "page"]
        self.base = urlencode(kept)

    def __call__(self, name: str, value: str, *, single: bool = False) -> str:
        if single or (name, value) in self.present:
            return toggle(self.query, name, value, single=single)
        added = urlencode([(name, value)])
        return f"{self.base}&{added}" if self.base else added


def lists_warm() -> None:
    """Fill the cache for the unfiltered lists, the costliest counts, after content changed."""
    from directory.filters import OrganisationFilterSet
    from directory.filters import ProjectFilterSet
    from directory.models import Organisation
    from directory.models import Project

    for model, filterset_class in (
        (Organisation, OrganisationFilterSet),
        (Project, ProjectFilterSet),
    ):
        filterset = filterset_class({}, queryset=model.objects.published())
        results = filterset.qs
        key = results_key(model_name=model._meta.model_name, params=[])
        facet_summary(filterset, key=key)
        page_ids(results, key=f"{key}:{filterset.sort_value()}", start=0, size=20)
