"""The open-data API: read-only, published profiles only, the lists' filters and caches.

A list request is filtered by the same FilterSets as the HTML lists; its count and the ids of
its page come from the worker's facet index (directory.facets, as the lists' do) or, while it
has none or for an order it does not keep, from Postgres, cached under the directory's version
with the same keys the pages use, so the API and the pages warm each other. Rows are then
loaded by id with their related rows prefetched: a bounded number of queries whatever the page
size. The whole answer is cached too, until published content changes.
"""

from django.core.cache import cache
from django.db.models import F
from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.api.geojson import GeoJSONListMixin
from core.api.schema import list_and_item_schema
from core.api.serializers import VocabularyDetailSerializer
from core.api.viewsets import ApiViewSet
from core.api.viewsets import PublishedViewSet
from directory.api.filters import ApiOrganisationFilterSet
from directory.api.filters import ApiProjectFilterSet
from directory.api.serializers import VOCABULARY_MODELS
from directory.api.serializers import CountryDetailSerializer
from directory.api.serializers import OrganisationSerializer
from directory.api.serializers import ProjectSerializer
from directory.facets import CACHE_SECONDS
from directory.facets import indexed_results
from directory.facets import result_page_ids
from directory.facets import results_key
from directory.models import Organisation
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.versions import DIRECTORY
from directory.views.browse import LIST_CACHE_SECONDS

# The API's orders by the facet index's names for them, which are the lists' names where the
# lists have them (shared cache keys). "-newest" is the index's "newest" the other way round,
# NULLs at the same end (core.facets.state.FacetState.page_backwards): "published" puts the
# profiles of unknown date last, as "-published" does.
PAGE_SORTS = {
    "name": "name",
    "-name": "-name",
    "relevance": "relevance",
    "published": "-newest",
    "-published": "newest",
    "updated": "-updated",
    "-updated": "updated",
}
NOT_SEARCH = {"ordering", "page", "page_size", "format"}
# Columns the API never shows, left out of its queries.
API_DEFERRED = ["search_title", "search_body", "search_vector", "facet_keys", "spam_signals"]


def published_links(*, own: str, other: str, order: list[str]) -> Prefetch:
    """A profile's links to published profiles of the other kind ("project" or "organisation"),
    loaded with what the API shows of them (role, slug, name), as `published_<other>_links`."""
    links = (
        ProjectOrganisation.objects.filter(**{f"{other}__status": "published"})
        .select_related(other)
        .only("role", f"{own}_id", f"{other}__slug", f"{other}__name")
        .order_by(*order)
    )
    return Prefetch(f"links_to_{other}s", queryset=links, to_attr=f"published_{other}_links")


class CachedResults:
    """A page-able view of filtered results: count and page ids from the facet index's answer
    (`indexed`) or, without one, from Postgres through the directory's cache."""

    ordered = True  # by the FilterSet: the paginator need not warn

    def __init__(self, *, ordered, filtered, key: str, sort: str, rows, indexed=None):
        self.results, self.filtered, self.key, self.sort = ordered, filtered, key, sort
        self.rows, self.indexed = rows, indexed

    def count(self) -> int:
        if self.indexed is not None:
            return self.indexed.total
        found = cache.get_many([f"{self.key}:facets", f"{self.key}:count"])
        if f"{self.key}:facets" in found:
            return found[f"{self.key}:facets"]["total"]
        if f"{self.key}:count" in found:
            return found[f"{self.key}:count"]
        total = self.filtered.order_by().count()
        cache.set(f"{self.key}:count", total, timeout=CACHE_SECONDS)
        return total

    def __getitem__(self, window: slice):
        ids = result_page_ids(
            self.indexed,
            self.results,
            key=self.key,
            sort=self.sort,
            start=window.start,
            size=window.stop - window.start,
        )
        found = self.rows.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


class ProfileViewSet(PublishedViewSet):
    version = DIRECTORY
    cache_seconds = LIST_CACHE_SECONDS

    # The other kind of profile (its published ones are listed with each row), in what order.
    linked_kind = ""
    links_order: list[str] = []

    def rows(self):
        """Published profiles with all the API shows of them: what their detail page loads,
        and their links to published profiles of the other kind."""
        return (
            self.model.objects.published()
            .with_details()
            .defer(*API_DEFERRED)
            .prefetch_related(
                published_links(
                    own=self.model._meta.model_name, other=self.linked_kind, order=self.links_order
                )
            )
        )

    def get_queryset(self):
        return self.rows() if self.action == "retrieve" else self.published()

    @property
    def cache_name(self) -> str:
        return f"directory:api:{self.model._meta.model_name}"

    def uncached_list(self, request, *, version=None):
        ordered = self.filter_queryset(self.get_queryset())
        filterset = self.filterset
        params = [
            ("q" if name == "search" else name, value)
            for name, values in request.query_params.lists()
            if name in filterset.filters and name not in NOT_SEARCH
            for value in values
        ]
        sort = filterset.sort_value()
        results = CachedResults(
            ordered=ordered,
            filtered=filterset.filtered,
            key=results_key(model_name=self.model._meta.model_name, params=params),
            sort=PAGE_SORTS.get(sort, f"api:{sort}"),
            rows=self.rows(),
            # `version`, read for the cache, tells the index to look for changes; the API
            # shows no facet counts, so the index makes none.
            indexed=indexed_results(filterset, token=version, counts=False),
        )
        page = self.paginate_queryset(results)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


@list_and_item_schema(
    OrganisationSerializer,
    list_summary=_("Published organisations"),
    list_description=_(
        "Different filters combine with AND; repeat a filter for several values, any of "
        "which will do (OR). `area`, `tech` and `focus` find organisations through their "
        "published projects. The same parameters as the organisations page, with `search` "
        "and `ordering`."
    ),
    item_summary=_("One published organisation"),
)
class OrganisationViewSet(GeoJSONListMixin, ProfileViewSet):
    model = Organisation
    serializer_class = OrganisationSerializer
    filterset_class = ApiOrganisationFilterSet
    linked_kind = "project"
    links_order = ["project__name"]


@list_and_item_schema(
    ProjectSerializer,
    list_summary=_("Published projects"),
    list_description=_(
        "Different filters combine with AND; repeat a filter for several values, any of "
        "which will do (OR). `country` also finds a project that names no country of its "
        "own under its published organisations' countries (`countries_inferred`). The same "
        "parameters as the projects page, with `search` and `ordering`."
    ),
    item_summary=_("One published project"),
)
class ProjectViewSet(GeoJSONListMixin, ProfileViewSet):
    model = Project
    serializer_class = ProjectSerializer
    filterset_class = ApiProjectFilterSet
    linked_kind = "organisation"
    links_order = ["role", "organisation__name"]

    def rows(self):
        # Its filter keys name the countries inferred from its organisations (the serializer's
        # countries_inferred), read with the row.
        return super().rows().annotate(filter_keys=F("facet_keys"))


class VocabularyViewSet(ApiViewSet):
    """A controlled vocabulary: slugs to filter by, and names in the asked language."""

    filter_backends = []
    model = None

    def get_queryset(self):
        # Each vocabulary's own order (countries: by their folded names), in the asked language.
        return self.model.objects.order_by(*self.model._meta.ordering, "pk")


def vocabulary_viewset(basename: str):
    model = VOCABULARY_MODELS[basename]
    plural, singular = str(model._meta.verbose_name_plural), str(model._meta.verbose_name)
    serializer = CountryDetailSerializer if basename == "countries" else VocabularyDetailSerializer
    return list_and_item_schema(
        serializer,
        list_summary=capfirst(plural),
        item_summary=capfirst(singular),
    )(
        type(
            f"{model.__name__}ViewSet",
            (VocabularyViewSet,),
            {"model": model, "serializer_class": serializer},
        )
    )
