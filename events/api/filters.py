"""The events API's filters: the events list's FilterSet, with DRF's names for search and order.

`?search=` is the list's `?q=`; every other filter (when, month, country, city, attendance,
free, area) is the same parameter with the same values, so the list's query string can be
copied to the API and gives the same events in the same order. `?ordering=` may choose another
order: start, -start, published, -published, or relevance (with a search). The parameters'
descriptions in the schema are in events.api.views.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.api.filters import BY_PUBLICATION_OR_RELEVANCE
from core.api.filters import ApiOrderingMixin
from core.api.filters import ordering_filter
from core.api.filters import ordering_pair
from core.api.filters import search_filter
from core.filters import MonthFilter
from events.filters import PAST
from events.filters import EventFilterSet
from events.filters import VocabularyChoiceFilter

# Values are slugs of rows an admin may change, or months: text, for the schema (as for the
# directory's filters); events.api.views describes each parameter.
for filter_class in (VocabularyChoiceFilter, MonthFilter):
    extend_schema_field(OpenApiTypes.STR)(filter_class)

API_ORDERINGS = {
    **ordering_pair("start", "shown_starts_at"),
    **ordering_pair("published", "published_at"),
}
ORDERING_CHOICES = [
    ("start", _("Earliest first, by the time shown (the default for upcoming events)")),
    ("-start", _("Latest first, by the time shown (the default for past events)")),
    *BY_PUBLICATION_OR_RELEVANCE,
]


class ApiEventFilterSet(ApiOrderingMixin, EventFilterSet):
    search = search_filter(
        _(
            "Words to find in titles, descriptions, organisers, tags and places; every word "
            "must match, as the beginning of a word, ignoring case and accents."
        )
    )
    ordering = ordering_filter(
        ORDERING_CHOICES,
        _(
            "By default the events list's order: upcoming events soonest first, past ones "
            "latest first, by the time each shows (the next, or the last)."
        ),
    )
    orderings = API_ORDERINGS

    class Meta(EventFilterSet.Meta):
        fields = [
            "search",
            "when",
            "month",
            "country",
            "city",
            "attendance",
            "free",
            "area",
            "ordering",
        ]

    def default_ordering(self, queryset) -> list:
        return API_ORDERINGS["-start" if self.chosen_when == PAST else "start"]

    def filter_queryset(self, queryset):
        """The list's filters, window and annotations, then the chosen order."""
        return self.api_ordered(super().filter_queryset(queryset))


# The list's name for the search: one name for it in the API (and its schema).
del ApiEventFilterSet.base_filters["q"]
