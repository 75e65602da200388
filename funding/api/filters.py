"""The funding API's filters: the funding list's FilterSet, with DRF's names for search and order.

`?search=` is the list's `?q=`; every other filter (status, type, target, country, closes,
amount, area) is the same parameter with the same values, so the list's query string can be
copied to the API and gives the same opportunities in the same order. `?ordering=` may choose
another order: closes, -closes, published, -published, or relevance (with a search). The
parameters' descriptions in the schema are in funding.api.views.

Open, opening later and closed are worked out against the day the request is answered for (the
view's, which its cache key carries): see FundingViewSet.
"""

import django_filters
from django.contrib.postgres.search import SearchRank
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import SearchFilter
from core.search import search_query
from funding.filters import (
    ClosingMonthFilter,
    OpportunityFilterSet,
    TermChoiceFilter,
    TermsFilter,
)

# Values are slugs of rows an admin may change, or months: text, for the schema (as for the
# directory's and events' filters); funding.api.views describes each parameter.
for filter_class in (TermChoiceFilter, TermsFilter, ClosingMonthFilter):
    extend_schema_field(OpenApiTypes.STR)(filter_class)

API_ORDERINGS = {
    # Rolling opportunities (no closing date) close last, so come last, or first in reverse.
    "closes": [F("closes_on").asc(nulls_last=True), "pk"],
    "-closes": [F("closes_on").desc(nulls_first=True), "-pk"],
    "published": ["published_at", "pk"],
    "-published": ["-published_at", "-pk"],
}
ORDERING_CHOICES = [
    ("closes", _("Closing soonest first, rolling ones last")),
    ("-closes", _("Rolling ones first, then closing latest first")),
    ("published", _("First published first")),
    ("-published", _("Newest first")),
    ("relevance", _("Most relevant first (with a search)")),
]


class ApiOpportunityFilterSet(OpportunityFilterSet):
    search = SearchFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_(
            "Words to find in titles, descriptions, funders, types, who may apply, countries "
            "and social areas; every word must match, as the beginning of a word, ignoring case "
            "and accents."
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
            "By default the funding list's order: open ones closing soonest first (rolling ones "
            "last), those opening later opening soonest first, closed ones latest closed first."
        ),
    )

    class Meta(OpportunityFilterSet.Meta):
        fields = [
            "search",
            "status",
            "type",
            "target",
            "country",
            "closes",
            "amount",
            "area",
            "ordering",
        ]

    def __init__(self, data=None, queryset=None, *, request=None, today=None, **kwargs):
        # The day the view answers for, which its cache key carries (FundingViewSet.list).
        today = today or getattr(request, "funding_day", None)
        super().__init__(data, queryset, request=request, today=today, **kwargs)

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset

    def ordering_value(self) -> str | None:
        """The order chosen, or None for the list's (relevance without a search is that too)."""
        ordering = self.cleaned_data.get("ordering")
        text = self.cleaned_data.get("search")
        if ordering == "relevance" and not (text and search_query(text) is not None):
            return None
        return ordering or None

    def filter_queryset(self, queryset):
        """The list's filters, status on the day and order, then the chosen order if any."""
        queryset = super().filter_queryset(queryset)
        ordering = self.ordering_value()
        if ordering is None:
            return queryset
        if ordering == "relevance":
            query = search_query(self.cleaned_data["search"])
            listed = queryset.query.order_by  # the status's order, among equally relevant ones
            return queryset.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
                "-rank", *listed
            )
        return queryset.order_by(*API_ORDERINGS[ordering])


# The list's name for the search: one name for it in the API (and its schema).
del ApiOpportunityFilterSet.base_filters["q"]
