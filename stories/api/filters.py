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
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes

from core.api.filters import BY_RELEVANCE
from core.api.filters import FIRST_PUBLISHED
from core.api.filters import LEAST_RECENTLY_UPDATED
from core.api.filters import RECENTLY_UPDATED
from core.api.filters import ApiOrderingMixin
from core.api.filters import ordering_filter
from core.api.filters import ordering_pair
from core.api.filters import search_filter
from stories.filters import StoryFilterSet

API_ORDERINGS = {
    **ordering_pair("published", "publish_at"),
    **ordering_pair("updated", "updated_at"),
}
DEFAULT_ORDERING = "-published"
ORDERING_CHOICES = [
    ("-published", _("Newest first (the default)")),
    FIRST_PUBLISHED,
    RECENTLY_UPDATED,
    LEAST_RECENTLY_UPDATED,
    BY_RELEVANCE,
]


def _as_text(declared: django_filters.Filter) -> django_filters.Filter:
    """A copy of one of the list's filters whose values are slugs of rows an admin may change:
    text, for the schema (stories.api.views describes the parameter), as for the directory's."""
    found = copy.deepcopy(declared)
    set_override(found, "field", OpenApiTypes.STR)
    return found


class ApiStoryFilterSet(ApiOrderingMixin, StoryFilterSet):
    search = search_filter(
        _(
            "Words to find in titles, summaries, authors, categories, social areas and texts; "
            "every word must match, as the beginning of a word, ignoring case and accents."
        )
    )
    category = _as_text(StoryFilterSet.declared_filters["category"])
    area = _as_text(StoryFilterSet.declared_filters["area"])
    ordering = ordering_filter(
        ORDERING_CHOICES, _("Newest first, by the moment of publication, unless you choose.")
    )
    orderings = API_ORDERINGS

    class Meta(StoryFilterSet.Meta):
        fields = ["search", "kind", "category", "area", "ordering"]

    def default_ordering(self, queryset) -> list:
        return API_ORDERINGS[DEFAULT_ORDERING]

    def filter_queryset(self, queryset):
        """The list's filters, then the chosen order (newest first unless asked)."""
        for name, value in self.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        return self.api_ordered(queryset)


# The list's name for the search: one name for it in the API (and its schema).
del ApiStoryFilterSet.base_filters["q"]
