"""The engine of the open-data API's viewsets: one kind of published content, read-only, an item
by its slug, lists filtered like the HTML pages and cached whole under the content's version."""

import hashlib

from django.utils.http import urlencode
from django.utils.translation import get_language
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.filters import ApiFilterBackend
from core.api.pagination import ApiPagination
from core.page_cache import PAGE_CACHE_SECONDS
from core.page_cache import variant_admitted

# Columns of a reviewed row (core.models.Reviewed: profiles, events, funding opportunities) that
# no API answer shows, left out of the API's queries: its search text and filter keys, and why
# it was once rejected.
REVIEWED_UNSHOWN = (
    "search_title",
    "search_body",
    "search_vector",
    "facet_keys",
    "rejection_reason",
)


def related_columns(relation: str, names) -> tuple[str, ...]:
    """`names`, columns of the row that `relation` links to, as defer() and only() name them."""
    return tuple(f"{relation}__{name}" for name in names)


def query_digest(request) -> str:
    """The query string (in any order) and host (the answers' links are absolute), hashed."""
    query = urlencode(
        sorted((name, value) for name, values in request.query_params.lists() for value in values)
    )
    return hashlib.sha1(f"{request.get_host()}?{query}".encode(), usedforsecurity=False).hexdigest()


class ApiViewSet(viewsets.ReadOnlyModelViewSet):
    """Every viewset of the API: read-only, an item by its slug, lists in pages."""

    # Read-only viewsets offer only safe methods: anything else is a 405, for anyone.
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = ApiPagination


class PublishedViewSet(ApiViewSet):
    """Subclasses set `version` (a core.versions.ContentVersion), `cache_name` (the start of the
    lists' cache keys), `cache_seconds`, the filterset and serializer, `published()` (the rows
    the public may see) and `with_details()` (what a page of them needs, in a few queries)."""

    # (The docstring is in the schema, as the operations' description.) Without a `published()`
    # of their own, the rows the public may see are the `model`'s published ones. The `model`
    # is the serializer's unless set, and `cache_name` "<its app>:api:list" unless set.

    filter_backends = [ApiFilterBackend]
    model = None
    version = None
    cache_name = ""
    # As long as the site's pages are kept (core.page_cache), unless the kind keeps its own less.
    cache_seconds = PAGE_CACHE_SECONDS

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is None:
            cls.model = getattr(getattr(cls.serializer_class, "Meta", None), "model", None)
        if not cls.cache_name and cls.model is not None:
            cls.cache_name = f"{cls.model._meta.app_label}:api:list"

    def published(self):
        return self.model.objects.published()

    def with_details(self, queryset):
        return queryset

    def get_queryset(self):
        published = self.published()
        return self.with_details(published) if self.action == "retrieve" else published

    def filter_queryset(self, queryset):
        # An item is found by its slug alone; the list's filters are for lists.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list_cache_key(self, request) -> str:
        """One key per query string, language and host."""
        return f"{self.cache_name}:{get_language()}:{query_digest(request)}"

    def cache_list(self, key: str, data, *, version) -> None:
        self.version.cache(key, {"data": data}, version=version, timeout=self.cache_seconds)

    def list(self, request, *args, **kwargs):
        """A list page, cached whole like the HTML pages, stamped with the content's version
        and read with it in one round trip."""
        key = self.list_cache_key(request)
        version, entry = self.version.cached(key)
        if entry is not None:
            return Response(entry["data"])
        response = self.uncached_list(request, version=version)
        if not request.GET or variant_admitted(self.cache_name, timeout=self.cache_seconds):
            self.cache_list(key, response.data, version=version)
        return response

    def uncached_list(self, request, *, version=None):
        """The list's answer, made now; `version` is the content's version read for the
        cache (a list served from an index passes it on as the index's token)."""
        ordered = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(self.with_details(ordered))
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)
