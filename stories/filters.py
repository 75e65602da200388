"""Search and filters of published stories: kind, category, social area and words.

A category is chosen by its slug among the categories read once per list (one query); a social
area by its slug among the cached vocabularies (directory.vocabularies). Each is a single value,
so the join on its many-to-many table gives each story at most once. `q` is the full-text search
on the stories' stored vector (directory.search.search_query: every word, as a prefix).
"""

import django_filters
from django.db.models import Case
from django.db.models import IntegerField
from django.db.models import Q
from django.db.models import Value
from django.db.models import When
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet
from core.search import search_query
from directory.vocabularies import vocabulary
from directory.vocabularies import vocabulary_choices
from stories.models import Category
from stories.models import Kind
from stories.models import Story


class StoryFilterSet(ListFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Kind.choices,
        empty_label=_("News, blog posts and case studies"),
        error_messages={
            "invalid_choice": _("“%(value)s” is not a kind of story: news, blog or case_study.")
        },
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        method="filter_category",
        choices=[],
        empty_label=_("Any category"),
        error_messages={"invalid_choice": _("“%(value)s” is not a category we know.")},
    )
    area = django_filters.ChoiceFilter(
        label=_("Social area"),
        method="filter_area",
        choices=vocabulary_choices("area"),
        empty_label=_("Any social area"),
        error_messages={"invalid_choice": _("“%(value)s” is not a social area we know.")},
    )

    class Meta:
        model = Story
        fields = ["q", "kind", "category", "area"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.categories = {row.slug: row for row in Category.objects.all()}
        self.form.fields["category"].choices = [
            ("", _("Any category")),
            *((slug, row.name) for slug, row in self.categories.items()),
        ]

    def filter_search(self, queryset, name, value):
        query = search_query(value or "")
        return queryset.filter(search_vector=query) if query is not None else queryset

    def filter_category(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(categories=self.categories[value].pk)

    def filter_area(self, queryset, name, value):
        if not value:
            return queryset
        ids = {term.slug: term.pk for term in vocabulary("area")}
        return queryset.filter(social_areas=ids[value])

    @property
    def filtered(self) -> bool:
        return any(value for value in self.cleaned_data.values())

    def filter_queryset(self, queryset):
        """Filters, then newest first; with no filter, featured case studies come first."""
        queryset = self.apply_filters(queryset)
        if self.filtered:
            return queryset.newest()
        pinned = Case(
            When(Q(is_featured=True, kind=Kind.CASE_STUDY), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return queryset.annotate(pinned=pinned).order_by("-pinned", "-publish_at", "-pk")
