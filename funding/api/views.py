"""The funding opportunities' open-data API: /api/v1/funding/, read-only, published ones only.

A list is filtered and ordered by the funding list's FilterSet (funding.api.filters), so it gives
the same opportunities in the same order as the page with the same query string. A page is a
bounded number of queries whatever its size (the two funding vocabularies the filters check
values against, the count, the rows with their type and funder, then their targets, countries
and social areas, each in one query), and the whole answer is cached under the opportunities'
version like the pages. Open and closed follow the calendar: the day is read once per request,
the list is filtered and every item's `state` worked out for that day, and the day is part of
the cache key, so nothing that closed at midnight is ever served as open.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from core.api.schema import AREA_PARAMETER
from core.api.schema import MONTH_SCHEMA
from core.api.schema import PROFILE_PARAMETERS
from core.api.schema import list_and_item_schema
from core.api.schema import search_parameter
from core.api.viewsets import REVIEWED_UNSHOWN
from core.api.viewsets import PublishedViewSet
from core.api.viewsets import related_columns
from funding.api.filters import ApiOpportunityFilterSet
from funding.api.serializers import OpportunitySerializer
from funding.services import FUNDING

# Large columns no answer shows: the search text, and the funder's own profile.
UNSHOWN = (
    *REVIEWED_UNSHOWN,
    *related_columns("funder", ["description", "spam_signals", *REVIEWED_UNSHOWN]),
)
# The largest amount an opportunity may give (14 digits, 2 after the point).
MAX_AMOUNT = 999_999_999_999.99


def with_api_details(opportunities):
    """What an item shows, without a query per opportunity: its type and funder with it, then
    its targets, countries and social areas (one query each, for all opportunities)."""
    return (
        opportunities.select_related("funding_type", "funder")
        .defer(*UNSHOWN)
        .prefetch_related("targets", "countries", "social_areas")
    )


# What the schema cannot tell from the filters alone (their values are rows, or free text).
LIST_PARAMETERS = [
    *PROFILE_PARAMETERS,
    search_parameter(
        _(
            "Words to find in titles, descriptions, funders, types, who may apply, countries "
            "and social areas; every word must match, as the beginning of a word, ignoring case "
            "and accents (at most 200 characters)."
        )
    ),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=["open", "upcoming", "closed"],
        default="open",
        description=_(
            "open: open for applications today (rolling ones included); upcoming: opening "
            "later; closed: closed before today. Worked out from the dates, in the site's time "
            "zone."
        ),
    ),
    OpenApiParameter(
        "type",
        OpenApiTypes.STR,
        description=_(
            "A type of funding, by its slug, e.g. grant-funding (see an opportunity's `type`)."
        ),
    ),
    OpenApiParameter(
        "target",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        description=_(
            "Who may apply, by slug, e.g. startup (see an opportunity's `targets`); repeat it "
            "for any of several (at most 10)."
        ),
    ),
    OpenApiParameter(
        "country",
        OpenApiTypes.STR,
        description=_(
            "Opportunities open in a country, by its slug (see /api/v1/countries/), e.g. "
            "spain: those open everywhere included."
        ),
    ),
    OpenApiParameter(
        "closes",
        MONTH_SCHEMA,
        description=_("Opportunities that close in this month (YYYY-MM, years 1970 to 2100)."),
    ),
    OpenApiParameter(
        "amount",
        {"type": "number", "minimum": 0, "maximum": MAX_AMOUNT},
        description=_(
            "Opportunities whose range of amounts covers this one, in their own currency (a "
            "number, at most two decimals, no separators); those that give no amount are left "
            "out."
        ),
    ),
    AREA_PARAMETER,
]


@list_and_item_schema(
    OpportunitySerializer,
    list_summary=_("Published funding opportunities"),
    list_description=_(
        "Opportunities open today by default, closing soonest first and rolling ones last "
        "(`status=upcoming` for those opening later, `status=closed` for closed ones, "
        "latest first): the same parameters as the funding page, with `search` and "
        "`ordering`. Filters combine with AND."
    ),
    list_parameters=LIST_PARAMETERS,
    item_summary=_("One published funding opportunity"),
    item_description=_("Whatever its state: open, opening later or closed."),
)
class FundingViewSet(PublishedViewSet):
    filterset_class = ApiOpportunityFilterSet
    serializer_class = OpportunitySerializer
    version = FUNDING

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The day this answer is made for, read once: the filters, every item's state and the
        # cache key all use it, even across midnight.
        request.funding_day = timezone.localdate()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["today"] = getattr(self.request, "funding_day", None)
        return context

    def with_details(self, queryset):
        return with_api_details(queryset)

    def list_cache_key(self, request) -> str:
        """Per day too: what is open changes at midnight."""
        return f"{super().list_cache_key(request)}:day:{request.funding_day.isoformat()}"
