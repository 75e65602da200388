"""Search, filters and sorting of the directory, shared by the HTML pages, the API and downloads.

Every filter on a facet (country, social area, tag...) becomes an overlap test on the
profile's `facet_keys` (see directory.search): values of the same filter combine with OR ("Spain
or Portugal"), different filters with AND. The lists count each facet's values with the other
filters applied but not its own (disjunctive facets, directory.facets), so choosing Spain still
shows how many Portugal would add. `chosen_keys()` gives the facet index the same filters.
Organisations are found by the social areas, technologies and DSI focus of their published
projects, and projects without a country of their own by their organisations' countries.
"""

import time

import django_filters
from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

from core.facets.state import IndexSort
from core.filters import CityFilter
from core.filters import FacetFilter
from core.filters import ListFilterSet
from core.search import facet_key
from directory.models import Organisation
from directory.models import Project
from directory.models import Tag
from directory.models.querysets import BY_NAME
from directory.models.querysets import NEWEST_FIRST
from directory.vocabularies import slug_ids
from directory.vocabularies import vocabulary_choices


class VocabularyField(django_filters.fields.MultipleChoiceField):
    """The slugs of the vocabulary `vocabulary` (None: of the choices given), each checked in
    the cached table's slugs rather than by walking its choices as Django does: a list's
    query checks a few values against some 350 terms."""

    def __init__(self, *args, vocabulary: str | None = None, **kwargs):
        self.vocabulary = vocabulary
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        """Each form's copy shares the choices (a callable's iterator, which keeps no state)
        rather than copying them deeply as Django's choice fields do."""
        if self.vocabulary is None:
            return super().__deepcopy__(memo)
        return forms.Field.__deepcopy__(self, memo)

    def valid_value(self, value) -> bool:
        if self.vocabulary is None:
            return super().valid_value(value)
        return str(value) in slug_ids(self.vocabulary)


class VocabularyFilter(FacetFilter, django_filters.MultipleChoiceFilter):
    """A controlled vocabulary, chosen by slug, any of the values given:
    ?area=health-and-care&area=science."""

    field_class = VocabularyField

    def __init__(self, *args, facet: str, **kwargs):
        if "choices" not in kwargs:
            kwargs.update(choices=vocabulary_choices(facet), vocabulary=facet)
        super().__init__(*args, facet=facet, **kwargs)

    def keys(self, value) -> list[str]:
        ids = slug_ids(self.facet)
        return [facet_key(self.facet, ids[slug]) for slug in value]


# Tags each process has looked up, by slug, and when: a slug is read again after TAG_SECONDS
# (a tag renamed or deleted in the admin), and at most KNOWN_TAGS are kept.
TAG_SECONDS = 60
KNOWN_TAGS = 5000
_known_tags: dict[str, tuple[float, Tag]] = {}


def tags_by_slug(slugs) -> dict[str, Tag]:
    """The tags of these slugs that exist (id, slug and name), from this process's recent
    lookups, reading only the others (one query): filters check every value of every list
    request with it. A slug that exists is kept for TAG_SECONDS; one that does not is asked
    again each time."""
    now = time.monotonic()
    found, missing = {}, []
    for slug in slugs:
        held = _known_tags.get(slug)
        if held is not None and now - held[0] < TAG_SECONDS:
            found[slug] = held[1]
        else:
            missing.append(slug)
    if missing:
        if len(_known_tags) > KNOWN_TAGS:
            _known_tags.clear()
        # Inside a transaction a tag read may not be committed: not kept.
        keep = not connection.in_atomic_block
        for tag in Tag.objects.filter(slug__in=missing).only("pk", "slug", "name"):
            if keep:
                _known_tags[tag.slug] = (now, tag)
            found[tag.slug] = tag
    return found


class TagField(django_filters.fields.ModelMultipleChoiceField):
    def clean(self, value):
        # None given: an empty list rather than `queryset.none()`, which costs the SQL
        # compiler's work each time it is tested (on every list request).
        if not value and not self.required:
            return []
        return super().clean(value)

    def _check_values(self, value) -> list[Tag]:
        """Django's check (a list; each value a tag's slug, else `invalid_choice`), through
        `tags_by_slug`: no query for tags looked up lately."""
        try:
            slugs = list(dict.fromkeys(value))
        except TypeError:
            raise forms.ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        for slug in slugs:
            self.validate_no_null_characters(slug)
        found = tags_by_slug(slugs)
        for slug in slugs:
            if slug not in found:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": slug},
                )
        return [found[slug] for slug in slugs]


class TagFilter(FacetFilter, django_filters.ModelMultipleChoiceFilter):
    """Free tags or networks, chosen by slug, any of the values given (one query to check
    they exist)."""

    field_class = TagField

    def __init__(self, *args, facet: str, **kwargs):
        kwargs.setdefault("queryset", Tag.objects.all())
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, facet=facet, **kwargs)

    def keys(self, value) -> list[str]:
        return [facet_key(self.facet, tag.pk) for tag in value]


class LiveFilter(FacetFilter, django_filters.ChoiceFilter):
    """Projects still running (?live=live) or closed (?live=closed)."""

    lookup = "contains"

    def keys(self, value) -> list[str]:
        return [facet_key(self.facet, int(value == "live"))]


SORTS = {
    "relevance": _("Relevance"),
    "name": _("Name"),
    "newest": _("Newest"),
    "updated": _("Recently updated"),
}
ORDERINGS = {
    "name": list(BY_NAME),  # case and accents ignored
    "newest": list(NEWEST_FIRST),
    "updated": ["-updated_at", "-pk"],
}
# The same orders for the facet index (core.facets): directory/tests/test_facets.py checks
# that both give the same pages.
INDEX_SORTS = {
    "name": IndexSort("search_title", text=True),
    "newest": IndexSort("listed_at", descending=True, nulls_last=True),
    "updated": IndexSort("updated_at", descending=True),
}


# The lists' parameters that make a result set, in the order forms show them (page and sort
# change no count): the pages, their embeds, the map and the statistics take the same ones.
RESULT_PARAMS = (
    "q",
    "country",
    "city",
    "area",
    "tech",
    "focus",
    "type",
    "size",
    "live",
    "tag",
    "network",
)


class ProfileFilterSet(ListFilterSet):
    country = VocabularyFilter(label=_("Country"), facet="country")
    city = CityFilter(label=_("City"), max_length=100)
    tag = TagFilter(label=_("Tag"), facet="tag")
    network = TagFilter(label=_("Network"), facet="network")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=list(SORTS.items()), method="applied_last", empty_label=None
    )

    # Facet kinds shown beside the results, in order (the parameter names above).
    facets: tuple[str, ...] = ()
    # The parameters that carry the search text and the order (the API names them otherwise).
    search_param = "q"
    sort_param = "sort"
    orderings = ORDERINGS

    def sort_value(self) -> str:
        sort = self.cleaned_data.get(self.sort_param)
        text = self.cleaned_data.get(self.search_param)
        if sort == "relevance" and not text:
            sort = None
        return sort or ("relevance" if text else "name")

    def chosen_keys(self) -> dict[str, list[str]]:
        """The facet keys each applied filter chose, by facet (after validation): a filter in
        error is not applied, here as in `apply_filters`."""
        chosen = {}
        for name in self.facets:
            value = self.cleaned_data.get(name)
            if not value or name in self.form.errors:
                continue
            keys = self.filters[name].keys(value)
            if keys:
                chosen[name] = keys
        return chosen

    def filtered_without(self, name: str):
        """The results with every valid filter applied but `name` (its facet's counts, which
        are disjunctive: directory.facets)."""
        self.qs  # noqa: B018 - validated, and the filters' errors on the form
        return self.apply_filters(self.queryset.all(), leaving_out=name)

    def filter_queryset(self, queryset):
        """Filters first (kept as `self.filtered` for facet counts), then the order."""
        queryset = self.apply_filters(queryset)
        self.filtered = queryset
        sort = self.sort_value()
        if sort == "relevance":
            return queryset.by_relevance(self.cleaned_data[self.search_param])
        return queryset.order_by(*self.orderings[sort])


class OrganisationFilterSet(ProfileFilterSet):
    type = VocabularyFilter(label=_("Type"), facet="type")
    size = VocabularyFilter(label=_("Size"), facet="size")
    # Through the organisation's published projects (directory.search).
    area = VocabularyFilter(label=_("Social area"), facet="area")
    tech = VocabularyFilter(label=_("Technology"), facet="tech")
    focus = VocabularyFilter(label=_("DSI focus"), facet="focus")

    facets = ("country", "city", "area", "tech", "focus", "type", "size", "tag", "network")

    class Meta:
        model = Organisation
        fields = [
            "q",
            "country",
            "city",
            "area",
            "tech",
            "focus",
            "type",
            "size",
            "tag",
            "network",
            "sort",
        ]


class ProjectFilterSet(ProfileFilterSet):
    area = VocabularyFilter(label=_("Social area"), facet="area")
    tech = VocabularyFilter(label=_("Technology"), facet="tech")
    focus = VocabularyFilter(label=_("DSI focus"), facet="focus")
    live = LiveFilter(
        facet="live",
        label=_("Live or closed"),
        choices=[("live", _("Live")), ("closed", _("Closed"))],
    )

    facets = ("area", "tech", "focus", "country", "city", "live", "tag", "network")

    class Meta:
        model = Project
        fields = ["q", "area", "tech", "focus", "country", "city", "live", "tag", "network", "sort"]
