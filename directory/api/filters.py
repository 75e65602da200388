"""The API's filters: the HTML lists' FilterSets, with DRF's names for search and order.

`?search=` is the pages' `?q=`, and `?ordering=` (name, -name, published, -published, updated,
-updated, relevance) the pages' `?sort=`; every other filter is the same parameter with the
same values, so a list's query string can be copied to the API.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import CityFilter, SearchFilter
from directory.filters import OrganisationFilterSet, ProjectFilterSet, TagFilter, VocabularyFilter

# Values are slugs (see /api/v1/countries/ and the other vocabularies, or a page's facet links);
# the schema says so rather than listing them, as vocabularies are rows an admin may change.
for filter_class in (VocabularyFilter, TagFilter, CityFilter, SearchFilter):
    extend_schema_field(OpenApiTypes.STR)(filter_class)

API_ORDERINGS = {
    "name": ["name", "pk"],
    "-name": ["-name", "-pk"],
    "published": ["published_at", "pk"],
    "-published": ["-published_at", "-pk"],
    "updated": ["updated_at", "pk"],
    "-updated": ["-updated_at", "-pk"],
}
ORDERING_CHOICES = [
    ("relevance", _("Most relevant first (with a search)")),
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("published", _("First published first")),
    ("-published", _("Newest first")),
    ("updated", _("Least recently updated first")),
    ("-updated", _("Recently updated first")),
]


class ApiFilterMixin(django_filters.FilterSet):
    search = SearchFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_(
            "Words to find in names, descriptions, tags and places; every word must match, as "
            "the beginning of a word, ignoring case and accents."
        ),
        error_messages={
            "max_length": _("Your search is too long: please use at most 200 characters.")
        },
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=ORDERING_CHOICES,
        method="applied_last",
        empty_label=None,
        help_text=_("Relevance with a search, otherwise name, unless you choose."),
    )

    search_param = "search"
    sort_param = "ordering"
    orderings = API_ORDERINGS


class ApiOrganisationFilterSet(ApiFilterMixin, OrganisationFilterSet):
    class Meta(OrganisationFilterSet.Meta):
        fields = ["search", "country", "city", "type", "size", "tag", "network", "ordering"]


class ApiProjectFilterSet(ApiFilterMixin, ProjectFilterSet):
    class Meta(ProjectFilterSet.Meta):
        fields = [
            "search",
            "area",
            "tech",
            "focus",
            "country",
            "city",
            "live",
            "tag",
            "network",
            "ordering",
        ]


# The pages' names for the same two parameters: one name for each in the API (and its schema).
for filterset_class in (ApiOrganisationFilterSet, ApiProjectFilterSet):
    for name in ("q", "sort"):
        del filterset_class.base_filters[name]
