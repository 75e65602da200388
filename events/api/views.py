"""The events' open-data API: /api/v1/events/, read-only, published events only.

A list is filtered and ordered by the events list's FilterSet (events.api.filters), so it gives
the same events in the same order as the page with the same query string. A page of events is
a bounded number of queries whatever its size (the count, the rows with their country and
organiser, then their social areas, tags and next times, each in one query), and the whole
answer is cached under the events' version like the pages, for a few minutes only, since what
is upcoming moves with the clock.
"""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from core.api.geojson import GeoJSONListMixin
from core.api.schema import AREA_PARAMETER
from core.api.schema import MONTH_SCHEMA
from core.api.schema import PROFILE_PARAMETERS
from core.api.schema import list_and_item_schema
from core.api.schema import search_parameter
from core.api.viewsets import REVIEWED_UNSHOWN
from core.api.viewsets import PublishedViewSet
from core.api.viewsets import related_columns
from events.api.filters import ApiEventFilterSet
from events.api.serializers import NEXT_OCCURRENCES
from events.api.serializers import EventSerializer
from events.models import EventOccurrence
from events.services import EVENTS
from events.views import PAGE_CACHE_SECONDS

# Large columns no answer shows: the search text, and the organiser's own profile.
UNSHOWN = (
    *REVIEWED_UNSHOWN,
    *related_columns("organiser", ["description", "spam_signals", *REVIEWED_UNSHOWN]),
)


def with_api_details(events, *, now):
    """What an item shows, without a query per event: its country and organiser with it, then
    its social areas, tags and next NEXT_OCCURRENCES times (one query each, for all events)."""
    upcoming = EventOccurrence.objects.filter(ends_at__gte=now).order_by("starts_at", "pk")
    return (
        events.select_related("country", "organiser")
        .defer(*UNSHOWN)
        .prefetch_related(
            "social_areas",
            "tags",
            Prefetch(
                "occurrences",
                queryset=upcoming[:NEXT_OCCURRENCES],
                to_attr="next_occurrences",
            ),
        )
    )


# What the schema cannot tell from the filters alone (their values are rows, or free text).
LIST_PARAMETERS = [
    *PROFILE_PARAMETERS,
    search_parameter(
        _(
            "Words to find in titles, descriptions, organisers, tags and places; every word "
            "must match, as the beginning of a word, ignoring case and accents (at most 200 "
            "characters)."
        )
    ),
    OpenApiParameter(
        "when",
        OpenApiTypes.STR,
        enum=["upcoming", "past"],
        default="upcoming",
        description=_(
            "upcoming: events with a time that is not over yet; past: events whose every time "
            "is over."
        ),
    ),
    OpenApiParameter(
        "attendance",
        OpenApiTypes.STR,
        enum=["online", "in_person"],
        description=_("online or in_person; events held both ways match either."),
    ),
    OpenApiParameter(
        "free",
        OpenApiTypes.STR,
        enum=["1", "0"],
        description=_("1 for free events, 0 for paid ones."),
    ),
    OpenApiParameter(
        "month",
        MONTH_SCHEMA,
        description=_(
            "Events with a time in this month (YYYY-MM, years 1970 to 2100), among upcoming or "
            "past ones as `when` says."
        ),
    ),
    OpenApiParameter(
        "country",
        OpenApiTypes.STR,
        description=_("A country, by its slug (see /api/v1/countries/), e.g. spain."),
    ),
    OpenApiParameter(
        "city",
        OpenApiTypes.STR,
        description=_("A city or town, ignoring case and accents (at most 100 characters)."),
    ),
    AREA_PARAMETER,
]


@list_and_item_schema(
    EventSerializer,
    list_summary=_("Published events"),
    list_description=_(
        "Upcoming events by default, soonest first (`when=past` for past ones, latest "
        "first): the same parameters as the events page, with `search` and `ordering`. "
        "Filters combine with AND. A series is one item, with its next times."
    ),
    list_parameters=LIST_PARAMETERS,
    item_summary=_("One published event"),
)
class EventViewSet(GeoJSONListMixin, PublishedViewSet):
    filterset_class = ApiEventFilterSet
    serializer_class = EventSerializer
    version = EVENTS
    cache_seconds = PAGE_CACHE_SECONDS

    def with_details(self, queryset):
        # A list's items are shown as of the moment its filters used.
        now = self.filterset.now if self.action == "list" else timezone.now()
        return with_api_details(queryset, now=now)
