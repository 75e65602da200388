"""The API's filters: the HTML lists' FilterSets, with DRF's names for search and order.

`?search=` is the pages' `?q=`, and `?ordering=` (name, -name, published, -published, updated,
-updated, relevance) the pages' `?sort=`; every other filter is the same parameter with the
same values, so a list's query string can be copied to the API.
"""

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.api.filters import BY_RELEVANCE
from core.api.filters import FIRST_PUBLISHED
from core.api.filters import LEAST_RECENTLY_UPDATED
from core.api.filters import NEWEST
from core.api.filters import RECENTLY_UPDATED
from core.api.filters import ordering_filter
from core.api.filters import ordering_pair
from core.api.filters import search_filter
from core.filters import CityFilter
from core.filters import SearchFilter
from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.filters import TagFilter
from directory.filters import VocabularyFilter
from directory.models.querysets import NEWEST_FIRST

# Values are slugs (see /api/v1/countries/ and the other vocabularies, or a page's facet links);
# the schema says so rather than listing them, as vocabularies are rows an admin may change.
for filter_class in (VocabularyFilter, TagFilter, CityFilter, SearchFilter):
    extend_schema_field(OpenApiTypes.STR)(filter_class)

API_ORDERINGS = {
    **ordering_pair("name", "search_title"),  # the folded name (directory.filters.ORDERINGS)
    # As the lists' "newest": by when the profile first appeared in a directory (see
    # Profile.listed_at), those of unknown date last either way.
    "published": [F("listed_at").asc(nulls_last=True), "pk"],
    "-published": list(NEWEST_FIRST),
    **ordering_pair("updated", "updated_at"),
}
ORDERING_CHOICES = [
    BY_RELEVANCE,
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    FIRST_PUBLISHED,
    NEWEST,
    LEAST_RECENTLY_UPDATED,
    RECENTLY_UPDATED,
]


class ApiFilterMixin(django_filters.FilterSet):
    search = search_filter(
        _(
            "Words to find in names, descriptions, tags and places; every word must match, as "
            "the beginning of a word, ignoring case and accents."
        )
    )
    ordering = ordering_filter(
        ORDERING_CHOICES, _("Relevance with a search, otherwise name, unless you choose.")
    )

    search_param = "search"
    sort_param = "ordering"
    orderings = API_ORDERINGS


def api_fields(fields: list[str]) -> list[str]:
    """A list's parameters under the API's names for its search and order."""
    names = {"q": "search", "sort": "ordering"}
    return [names.get(name, name) for name in fields]


class ApiOrganisationFilterSet(ApiFilterMixin, OrganisationFilterSet):
    class Meta(OrganisationFilterSet.Meta):
        fields = api_fields(OrganisationFilterSet.Meta.fields)


class ApiProjectFilterSet(ApiFilterMixin, ProjectFilterSet):
    class Meta(ProjectFilterSet.Meta):
        fields = api_fields(ProjectFilterSet.Meta.fields)


# The pages' names for the same two parameters: one name for each in the API (and its schema).
for filterset_class in (ApiOrganisationFilterSet, ApiProjectFilterSet):
    for name in ("q", "sort"):
        del filterset_class.base_filters[name]
