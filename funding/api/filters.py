"""The funding API's filters: the funding list's FilterSet, with DRF's names for search and order.

`?search=` is the list's `?q=`; every other filter (status, type, target, country, closes,
amount, area) is the same parameter with the same values, so the list's query string can be
copied to the API and gives the same opportunities in the same order. `?ordering=` may choose
another order: closes, -closes, published, -published, or relevance (with a search). The
parameters' descriptions in the schema are in funding.api.views.

Open, opening later and closed are worked out against the day the request is answered for (the
view's, which its cache key carries): see FundingViewSet.
"""

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.api.filters import BY_PUBLICATION_OR_RELEVANCE
from core.api.filters import ApiOrderingMixin
from core.api.filters import ordering_filter
from core.api.filters import ordering_pair
from core.api.filters import search_filter
from funding.filters import ClosingMonthFilter
from funding.filters import OpportunityFilterSet
from funding.filters import TermChoiceFilter
from funding.filters import TermsFilter

# Values are slugs of rows an admin may change, or months: text, for the schema (as for the
# directory's and events' filters); funding.api.views describes each parameter.
for filter_class in (TermChoiceFilter, TermsFilter, ClosingMonthFilter):
    extend_schema_field(OpenApiTypes.STR)(filter_class)

API_ORDERINGS = {
    # Rolling opportunities (no closing date) close last, so come last, or first in reverse.
    "closes": [F("closes_on").asc(nulls_last=True), "pk"],
    "-closes": [F("closes_on").desc(nulls_first=True), "-pk"],
    **ordering_pair("published", "published_at"),
}
ORDERING_CHOICES = [
    ("closes", _("Closing soonest first, rolling ones last")),
    ("-closes", _("Rolling ones first, then closing latest first")),
    *BY_PUBLICATION_OR_RELEVANCE,
]


class ApiOpportunityFilterSet(ApiOrderingMixin, OpportunityFilterSet):
    search = search_filter(
        _(
            "Words to find in titles, descriptions, funders, types, who may apply, countries "
            "and social areas; every word must match, as the beginning of a word, ignoring case "
            "and accents."
        )
    )
    ordering = ordering_filter(
        ORDERING_CHOICES,
        _(
            "By default the funding list's order: open ones closing soonest first (rolling ones "
            "last), those opening later opening soonest first, closed ones latest closed first."
        ),
    )
    orderings = API_ORDERINGS

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

    def default_ordering(self, queryset) -> list:
        """The list's order, that of the status (relevance without a search is that too)."""
        return list(queryset.query.order_by)

    def filter_queryset(self, queryset):
        """The list's filters, status on the day and order, then the chosen order if any."""
        return self.api_ordered(super().filter_queryset(queryset))


# The list's name for the search: one name for it in the API (and its schema).
del ApiOpportunityFilterSet.base_filters["q"]
