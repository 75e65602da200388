"""The stories' open-data API: /api/v1/stories/, read-only, published stories only.

Published means what the pages mean (StoryQuerySet.published): not a draft, not archived, and
its publication moment has come; a scheduled story is neither listed nor found until then. A
list is filtered by the stories list's FilterSet (stories.api.filters), newest first unless
asked otherwise. A page of stories is a bounded number of queries whatever its size (the
categories the filter checks values against, the count, the rows with their author's name and
project, then their categories, social areas and published organisations, each in one query),
and the whole answer is cached under the stories' version like the pages: for a few minutes,
and never past the moment the next scheduled story comes out (stories.views).
"""

import hashlib

from django.db.models import F, Prefetch
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
from directory.models import Organisation
from stories.api.filters import ApiStoryFilterSet
from stories.api.serializers import StorySerializer
from stories.models import Kind, Story
from stories.services import stories_cached
from stories.views import PAGE_CACHE_SECONDS, stories_cache_until

# Large columns no answer shows: the search text, and the project's own profile.
UNSHOWN = (
    "search_title",
    "search_body",
    "search_vector",
    "project__description",
    "project__social_impact",
    "project__search_title",
    "project__search_body",
    "project__search_vector",
    "project__facet_keys",
    "project__spam_signals",
    "project__rejection_reason",
    "project__links",
)


def with_api_details(stories):
    """What an item shows, without a query per story: its author's name and its project with
    it, then its categories, social areas and published organisations (one query each, for
    all stories). Only the author's name is read, never the rest of their account."""
    organisations = Organisation.objects.published().only("name", "slug", "status")
    return (
        stories.select_related("project")
        .defer(*UNSHOWN)
        .annotate(author_account_name=F("author__name"))
        .prefetch_related(
            "categories",
            "social_areas",
            Prefetch("organisations", queryset=organisations, to_attr="published_organisations"),
        )
    )


def _list_cache_key(request) -> str:
    query = urlencode(
        sorted((name, value) for name, values in request.query_params.lists() for value in values)
    )
    digest = hashlib.sha1(
        f"{request.get_host()}?{query}".encode(), usedforsecurity=False
    ).hexdigest()
    return f"stories:api:list:{get_language()}:{digest}"


# What the schema cannot tell from the filters alone (their values are rows, or free text).
LIST_PARAMETERS = [
    *PROFILE_PARAMETERS,
    OpenApiParameter(
        "search",
        OpenApiTypes.STR,
        description=_(
            "Words to find in titles, summaries, authors, categories, social areas and texts; "
            "every word must match, as the beginning of a word, ignoring case and accents (at "
            "most 200 characters)."
        ),
    ),
    OpenApiParameter(
        "kind",
        OpenApiTypes.STR,
        enum=Kind.values,
        description=_("news, blog (blog posts) or case_study (case studies)."),
    ),
    OpenApiParameter(
        "category",
        OpenApiTypes.STR,
        description=_("A category of stories, by its slug (as in the stories list's links)."),
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
        summary=_("Published stories"),
        description=_(
            "News, blog posts and case studies, newest first: the same parameters as the "
            "stories page, with `search` and `ordering`. Filters combine with AND. A story "
            "scheduled for later appears once its moment has come."
        ),
        responses={200: StorySerializer(many=True), **ERRORS},
        parameters=LIST_PARAMETERS,
    ),
    retrieve=extend_schema(
        summary=_("One published story"),
        responses={200: StorySerializer, 404: ERRORS[404], 429: ERRORS[429]},
        parameters=PROFILE_PARAMETERS,
    ),
)
class StoryViewSet(viewsets.ReadOnlyModelViewSet):
    # Read-only viewsets offer only safe methods: anything else is a 405, for anyone.
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = ApiPagination
    filter_backends = [ApiFilterBackend]
    filterset_class = ApiStoryFilterSet
    serializer_class = StorySerializer

    now = None  # the list's moment: it is filtered, and cached, against one moment

    def get_queryset(self):
        stories = Story.objects.published(self.now)
        if self.action == "retrieve":
            return with_api_details(stories)
        return stories

    def filter_queryset(self, queryset):
        # An item is found by its slug alone; the list's filters are for lists.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list(self, request, *args, **kwargs):
        """A list page, cached whole like the stories pages: per query string, language and
        host (its links are absolute), stamped with the stories' version and read with it, and
        kept no later than the next scheduled story's moment."""
        key = _list_cache_key(request)
        version, entry = stories_cached(key)
        if entry is not None:
            return Response(entry["data"])
        self.now = timezone.now()
        response = self._list()
        stories_cache_until(self.now)(
            key, {"data": response.data}, version=version, timeout=PAGE_CACHE_SECONDS
        )
        return response

    def _list(self):
        ordered = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(with_api_details(ordered))
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)
