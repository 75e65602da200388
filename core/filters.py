"""Filters every app's lists share: search text, cities, and the cap on values per filter."""

import django_filters
from django import forms

from core.forms import strip_control_characters
from core.search import city_value, facet_key

MAX_VALUES_PER_FILTER = 10


class SearchTextField(forms.CharField):
    def to_python(self, value):
        return strip_control_characters(super().to_python(value))


class SearchFilter(django_filters.CharFilter):
    field_class = SearchTextField


class CityFilter(django_filters.CharFilter):
    def filter(self, qs, value):
        value = city_value(value or "")
        if not value:
            return qs
        return qs.filter(facet_keys__contains=[facet_key("city", value)])
