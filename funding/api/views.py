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

import hashlib

from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.filters import ApiFilterBackend
from core.api.pagination import ApiPagination
from core.api.schema import ERRORS, PROFILE_PARAMETERS
from core.page_cache import PAGE_CACHE_SECONDS
from funding.api.filters import ApiOpportunityFilterSet
from funding.api.serializers import OpportunitySerializer
from funding.models import Opportunity
from funding.services import opportunities_cache, opportunities_cached

# Large columns no answer shows: the search text, and the funder's own profile.
UNSHOWN = (
    "search_title",
    "search_body",
    "search_vector",
    "facet_keys",
    "rejection_reason",
    "funder__description",
    "funder__search_title",
    "funder__search_body",
    "funder__search_vector",
    "funder__facet_keys",
    "funder__spam_signals",
    "funder__rejection_reason",
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


def _list_cache_key(request, day) -> str:
    query = urlencode(
        sorted((name, value) for name, values in request.query_params.lists() for value in values)
    )
    digest = hashlib.sha1(
        f"{request.get_host()}?{query}".encode(), usedforsecurity=False
    ).hexdigest()
    return f"funding:api:list:{get_language()}:{digest}:day:{day.isoformat()}"


# What the schema cannot tell from the filters alone (their values are rows, or free text).
LIST_PARAMETERS = [
    *PROFILE_PARAMETERS,
    OpenApiParameter(
        "search",
        OpenApiTypes.STR,
        description=_(
            "Words to find in titles, descriptions, funders, types, who may apply, countries "
            "and social areas; every word must match, as the beginning of a word, ignoring case "
            "and accents (at most 200 characters)."
        ),
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
        {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
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
    OpenApiParameter(
        "area",
        OpenApiTypes.STR,
        description=_(
            "An area of social impact, by its slug (see /api/v1/social-areas/), e.g. "
            "health-and-care."
        ),
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary=_("Published funding opportunities"),
        description=_(
            "Opportunities open today by default, closing soonest first and rolling ones last "
            "(`status=upcoming` for those opening later, `status=closed` for closed ones, "
            "latest first): the same parameters as the funding page, with `search` and "
            "`ordering`. Filters combine with AND."
        ),
        responses={200: OpportunitySerializer(many=True), **ERRORS},
        parameters=LIST_PARAMETERS,
    ),
    retrieve=extend_schema(
        summary=_("One published funding opportunity"),
        description=_("Whatever its state: open, opening later or closed."),
        responses={200: OpportunitySerializer, 404: ERRORS[404], 429: ERRORS[429]},
        parameters=PROFILE_PARAMETERS,
    ),
)
class FundingViewSet(viewsets.ReadOnlyModelViewSet):
    # Read-only viewsets offer only safe methods: anything else is a 405, for anyone.
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = ApiPagination
    filter_backends = [ApiFilterBackend]
    filterset_class = ApiOpportunityFilterSet
    serializer_class = OpportunitySerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The day this answer is made for, read once: the filters, every item's state and the
        # cache key all use it, even across midnight.
        request.funding_day = timezone.localdate()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["today"] = getattr(self.request, "funding_day", None)
        return context

    def get_queryset(self):
        opportunities = Opportunity.objects.published()
        if self.action == "retrieve":
            return with_api_details(opportunities)
        return opportunities

    def filter_queryset(self, queryset):
        # An item is found by its slug alone; the list's filters are for lists.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list(self, request, *args, **kwargs):
        """A list page, cached whole like the funding pages: per query string, language, host
        (its links are absolute) and day, stamped with the opportunities' version and read
        with it."""
        key = _list_cache_key(request, request.funding_day)
        version, entry = opportunities_cached(key)
        if entry is not None:
            return Response(entry["data"])
        response = self._list()
        opportunities_cache(
            key, {"data": response.data}, version=version, timeout=PAGE_CACHE_SECONDS
        )
        return response

    def _list(self):
        ordered = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(with_api_details(ordered))
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)
