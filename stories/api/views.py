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

from django.db.models import F
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from core.api.schema import AREA_PARAMETER
from core.api.schema import PROFILE_PARAMETERS
from core.api.schema import list_and_item_schema
from core.api.schema import search_parameter
from core.api.viewsets import REVIEWED_UNSHOWN
from core.api.viewsets import PublishedViewSet
from core.api.viewsets import related_columns
from directory.models import Organisation
from stories.api.filters import ApiStoryFilterSet
from stories.api.serializers import StorySerializer
from stories.models import Kind
from stories.services import STORIES
from stories.views import PAGE_CACHE_SECONDS
from stories.views import stories_cache_until

# Large columns no answer shows: the search text, and the project's own profile.
UNSHOWN = (
    "search_title",
    "search_body",
    "search_vector",
    *related_columns(
        "project", ["description", "social_impact", "spam_signals", "links", *REVIEWED_UNSHOWN]
    ),
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


# What the schema cannot tell from the filters alone (their values are rows, or free text).
LIST_PARAMETERS = [
    *PROFILE_PARAMETERS,
    search_parameter(
        _(
            "Words to find in titles, summaries, authors, categories, social areas and texts; "
            "every word must match, as the beginning of a word, ignoring case and accents (at "
            "most 200 characters)."
        )
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
    AREA_PARAMETER,
]


@list_and_item_schema(
    StorySerializer,
    list_summary=_("Published stories"),
    list_description=_(
        "News, blog posts and case studies, newest first: the same parameters as the "
        "stories page, with `search` and `ordering`. Filters combine with AND. A story "
        "scheduled for later appears once its moment has come."
    ),
    list_parameters=LIST_PARAMETERS,
    item_summary=_("One published story"),
)
class StoryViewSet(PublishedViewSet):
    filterset_class = ApiStoryFilterSet
    serializer_class = StorySerializer
    version = STORIES
    cache_seconds = PAGE_CACHE_SECONDS

    now = None  # the list's moment: it is filtered, and cached, against one moment

    def published(self):
        return self.model.objects.published(self.now)

    def with_details(self, queryset):
        return with_api_details(queryset)

    def uncached_list(self, request, *, version=None):
        self.now = timezone.now()
        return super().uncached_list(request, version=version)

    def cache_list(self, key: str, data, *, version) -> None:
        """Kept no later than the next scheduled story's moment."""
        stories_cache_until(self.now)(
            key, {"data": data}, version=version, timeout=self.cache_seconds
        )
