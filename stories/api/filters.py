"""The stories API's filters: the stories list's FilterSet, with DRF's names for search and order.

`?search=` is the list's `?q=`; kind, category and area are the same parameters with the same
values, so the list's query string can be copied to the API and gives the same stories. The
order is the API's own: newest first by default (the list's unfiltered page puts featured case
studies first, a choice of presentation, not of data); `?ordering=` may choose another:
published, -published, updated, -updated, or relevance (with a search). The parameters'
descriptions in the schema are in stories.api.views.
"""

import copy

import django_filters
from django.contrib.postgres.search import SearchRank
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes

from core.filters import SearchFilter
from core.search import search_query
from stories.filters import StoryFilterSet

API_ORDERINGS = {
    "published": ["publish_at", "pk"],
    "-published": ["-publish_at", "-pk"],
    "updated": ["updated_at", "pk"],
    "-updated": ["-updated_at", "-pk"],
}
DEFAULT_ORDERING = "-published"
ORDERING_CHOICES = [
    ("-published", _("Newest first (the default)")),
    ("published", _("First published first")),
    ("-updated", _("Recently updated first")),
    ("updated", _("Least recently updated first")),
    ("relevance", _("Most relevant first (with a search)")),
]


def _as_text(declared: django_filters.Filter) -> django_filters.Filter:
    """A copy of one of the list's filters whose values are slugs of rows an admin may change:
    text, for the schema (stories.api.views describes the parameter), as for the directory's."""
    found = copy.deepcopy(declared)
    set_override(found, "field", OpenApiTypes.STR)
    return found


class ApiStoryFilterSet(StoryFilterSet):
    search = SearchFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_(
            "Words to find in titles, summaries, authors, categories, social areas and texts; "
            "every word must match, as the beginning of a word, ignoring case and accents."
        ),
        error_messages={
            "max_length": _("Your search is too long: please use at most 200 characters.")
        },
    )
    category = _as_text(StoryFilterSet.declared_filters["category"])
    area = _as_text(StoryFilterSet.declared_filters["area"])
    ordering = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=ORDERING_CHOICES,
        method="filter_ordering",
        empty_label=None,
        help_text=_("Newest first, by the moment of publication, unless you choose."),
    )

    class Meta(StoryFilterSet.Meta):
        fields = ["search", "kind", "category", "area", "ordering"]

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset

    def ordering_value(self) -> str:
        ordering = self.cleaned_data.get("ordering") or DEFAULT_ORDERING
        text = self.cleaned_data.get("search")
        if ordering == "relevance" and not (text and search_query(text) is not None):
            return DEFAULT_ORDERING
        return ordering

    def filter_queryset(self, queryset):
        """The list's filters, then the chosen order (newest first unless asked)."""
        for name, value in self.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        ordering = self.ordering_value()
        if ordering == "relevance":
            query = search_query(self.cleaned_data["search"])
            return queryset.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
                "-rank", *API_ORDERINGS[DEFAULT_ORDERING]
            )
        return queryset.order_by(*API_ORDERINGS[ordering])


# The list's name for the search: one name for it in the API (and its schema).
del ApiStoryFilterSet.base_filters["q"]
