"""The API's filter backend, shared by every app's viewsets, and the pieces of the API's
FilterSets that the lists' own lack: DRF's names for the search (`?search=`) and the order
(`?ordering=`), with the orders several kinds offer."""

import django_filters
from django.contrib.postgres.search import SearchRank
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from core.filters import SearchFilter
from core.search import search_query


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter's backend, which also reports what is found while filtering (too many
    values for one filter) as a 400 with a message per parameter."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        results = filterset.qs
        if filterset.errors:
            raise ValidationError(
                {
                    name: [str(error) for error in errors]
                    for name, errors in filterset.errors.items()
                }
            )
        view.filterset = filterset
        return results


def search_filter(help_text) -> SearchFilter:
    """`?search=`: the list's `?q=` under DRF's name, with what a kind's search looks in."""
    return SearchFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=help_text,
        error_messages={
            "max_length": _("Your search is too long: please use at most 200 characters.")
        },
    )


def ordering_filter(choices, help_text) -> django_filters.ChoiceFilter:
    """`?ordering=`: one of `choices`, applied after the filters (by the FilterSet)."""
    return django_filters.ChoiceFilter(
        label=_("Order"),
        choices=choices,
        method="applied_last",
        empty_label=None,
        help_text=help_text,
    )


def ordering_pair(name: str, field: str) -> dict[str, list[str]]:
    """`name` (by `field`, ascending) and `-name` (descending), ties broken by the primary key."""
    return {name: [field, "pk"], f"-{name}": [f"-{field}", "-pk"]}


# Orders several kinds offer: (their value in `?ordering=`, what they are called).
BY_RELEVANCE = ("relevance", _("Most relevant first (with a search)"))
FIRST_PUBLISHED = ("published", _("First published first"))
NEWEST = ("-published", _("Newest first"))
LEAST_RECENTLY_UPDATED = ("updated", _("Least recently updated first"))
RECENTLY_UPDATED = ("-updated", _("Recently updated first"))
# What the kinds listed by date (events, funding) offer after their own orders.
BY_PUBLICATION_OR_RELEVANCE = [FIRST_PUBLISHED, NEWEST, BY_RELEVANCE]


class ApiOrderingMixin:
    """The order of an API FilterSet's results: the one `?ordering=` chooses among
    `orderings`, relevance (with a search that has words to rank by; the default order
    among equally relevant ones), or the default (`default_ordering()`)."""

    orderings: dict[str, list] = {}

    def default_ordering(self, queryset) -> list:
        raise NotImplementedError

    def api_ordered(self, queryset):
        ordering = self.cleaned_data.get("ordering")
        text = self.cleaned_data.get("search")
        query = search_query(text) if text else None
        if ordering == "relevance" and query is not None:
            ranked = queryset.annotate(rank=SearchRank(F("search_vector"), query))
            return ranked.order_by("-rank", *self.default_ordering(queryset))
        if ordering in self.orderings:
            return queryset.order_by(*self.orderings[ordering])
        return queryset.order_by(*self.default_ordering(queryset))
