"""The events API's filters: the events list's FilterSet, with DRF's names for search and order.

`?search=` is the list's `?q=`; every other filter (when, month, country, city, attendance,
free, area) is the same parameter with the same values, so the list's query string can be
copied to the API and gives the same events in the same order. `?ordering=` may choose another
order: start, -start, published, -published, or relevance (with a search). The parameters'
descriptions in the schema are in events.api.views.
"""

import django_filters
from django.contrib.postgres.search import SearchRank
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import MonthFilter, SearchFilter
from core.search import search_query
from events.filters import PAST, EventFilterSet, VocabularyChoiceFilter

# Values are slugs of rows an admin may change, or months: text, for the schema (as for the
# directory's filters); events.api.views describes each parameter.
for filter_class in (VocabularyChoiceFilter, MonthFilter):
    extend_schema_field(OpenApiTypes.STR)(filter_class)

API_ORDERINGS = {
    "start": ["shown_starts_at", "pk"],
    "-start": ["-shown_starts_at", "-pk"],
    "published": ["published_at", "pk"],
    "-published": ["-published_at", "-pk"],
}
ORDERING_CHOICES = [
    ("start", _("Earliest first, by the time shown (the default for upcoming events)")),
    ("-start", _("Latest first, by the time shown (the default for past events)")),
    ("published", _("First published first")),
    ("-published", _("Newest first")),
    ("relevance", _("Most relevant first (with a search)")),
]


class ApiEventFilterSet(EventFilterSet):
    search = SearchFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_(
            "Words to find in titles, descriptions, organisers, tags and places; every word "
            "must match, as the beginning of a word, ignoring case and accents."
        ),
        error_messages={
            "max_length": _("Your search is too long: please use at most 200 characters.")
        },
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=ORDERING_CHOICES,
        method="filter_ordering",
        empty_label=None,
        help_text=_(
            "By default the events list's order: upcoming events soonest first, past ones "
            "latest first, by the time each shows (the next, or the last)."
        ),
    )

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

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset

    def ordering_value(self) -> str:
        ordering = self.cleaned_data.get("ordering")
        text = self.cleaned_data.get("search")
        if ordering == "relevance" and not (text and search_query(text) is not None):
            ordering = None
        return ordering or ("-start" if self.chosen_when == PAST else "start")

    def filter_queryset(self, queryset):
        """The list's filters, window and annotations, then the chosen order."""
        queryset = super().filter_queryset(queryset)
        ordering = self.ordering_value()
        if ordering == "relevance":
            query = search_query(self.cleaned_data["search"])
            return queryset.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
                "-rank", *API_ORDERINGS["-start" if self.chosen_when == PAST else "start"]
            )
        return queryset.order_by(*API_ORDERINGS[ordering])


# The list's name for the search: one name for it in the API (and its schema).
del ApiEventFilterSet.base_filters["q"]
