"""Filters every app's lists share: search text, cities, filter keys and the vocabularies' texts,
months, and the cap on values per filter."""

import copy
import datetime as dt
import re
from collections import OrderedDict

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import strip_control_characters
from core.search import city_value
from core.search import facet_key

MAX_VALUES_PER_FILTER = 10


class SearchTextField(forms.CharField):
    def to_python(self, value):
        return strip_control_characters(super().to_python(value))


class SearchFilter(django_filters.CharFilter):
    field_class = SearchTextField


class CityFilter(django_filters.CharFilter):
    # Typed like a search: control characters (a NUL...) are dropped, not refused.
    field_class = SearchTextField

    def keys(self, value) -> list[str]:
        """The filter key of the city (none when nothing of it is left to search)."""
        value = city_value(value or "")
        return [facet_key("city", value)] if value else []

    def filter(self, qs, value):
        keys = self.keys(value)
        return qs.filter(facet_keys__contains=keys) if keys else qs


# --- Filter keys: ?attendance=online, ?area=health-and-care, ?target=startup&target=... -------


class FacetFilter:
    """A filter on one kind (`facet`) of the items' filter keys (`facet_keys`, GIN-indexed), to
    mix into a django-filters class before it: `unknown` (with %(value)s) is the message for a
    value the filter does not know; the items kept are those whose keys hold any of the chosen
    values' keys (`lookup` "overlap": values of one filter combine with OR, as in every list)
    or, where a filter says so, all of them ("contains"). Subclasses say which keys a value
    stands for (`keys`): by default the value itself, as stored."""

    lookup = "overlap"

    def __init__(self, *args, facet: str, unknown=None, **kwargs):
        self.facet = facet
        if unknown is not None:
            kwargs.setdefault("error_messages", {"invalid_choice": unknown})
        super().__init__(*args, **kwargs)

    def keys(self, value) -> list[str]:
        return [facet_key(self.facet, value)]

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"facet_keys__{self.lookup}": self.keys(value)})


# What every list calls the vocabularies they all filter on, and says of a slug it does not know.
VOCABULARY_TEXTS = {
    "country": {
        "label": _("Country"),
        "empty_label": _("Any country"),
        "unknown": _("“%(value)s” is not a country we know."),
    },
    "area": {
        "label": _("Social area"),
        "empty_label": _("Any social area"),
        "unknown": _("“%(value)s” is not a social area we know."),
    },
}


def vocabulary_filter(filter_class, facet: str, **kwargs):
    """A list's filter (a FacetFilter class) on one of the vocabularies of VOCABULARY_TEXTS,
    named and explained as on every other list."""
    return filter_class(facet=facet, **VOCABULARY_TEXTS[facet], **kwargs)


# --- Months: ?month=2027-03 (events), ?closes=2027-03 (funding) ---------------------------------

MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
FIRST_YEAR, LAST_YEAR = 1970, 2100
MONTH_ERROR = _(
    "“%(value)s” is not a month we can show: please write it as YYYY-MM, e.g. 2027-03 "
    "(years %(first)s to %(last)s)."
)


def parse_month(raw: str) -> dt.date | None:
    """The first day of a month written YYYY-MM, or None if it is not one we show."""
    found = MONTH.match((raw or "").strip())
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


def next_month(first_day: dt.date) -> dt.date:
    return (first_day + dt.timedelta(days=32)).replace(day=1)


class MonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(
                MONTH_ERROR,
                code="month",
                params={"value": value[:20], "first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return month


class MonthFilter(django_filters.Filter):
    field_class = MonthField


# --- The lists' FilterSets ------------------------------------------------------------------------


def _filter_copy(filter_):
    """A filter for one FilterSet: a shallow copy with its own `extra`, no form field cached
    and its `method` bound to the copy. (django-filter deep-copies every filter of the class
    for each FilterSet, labels, messages and choices included: most of a list's work.)"""
    clone = copy.copy(filter_)
    clone.extra = dict(filter_.extra)
    clone.__dict__.pop("_field", None)
    if getattr(filter_, "_method", None) is not None:
        clone.method = filter_.method  # a FilterMethod that calls the copy's parent
    return clone


class _Filters(OrderedDict):
    def __deepcopy__(self, memo):
        return type(self)((name, _filter_copy(filter_)) for name, filter_ in self.items())


class ListFilterSet(django_filters.FilterSet):
    """What every list's filters share: the words searched (`q`, the full-text search of the
    model's SearchableQuerySet), and the valid part of the query. A filter whose value is
    applied last, in filter_queryset (an order, a window in time), names `method="applied_last"`.

    The filters are copied for each FilterSet more cheaply than django-filter does, and the
    form class is made once per FilterSet class, unless a subclass sets `shared_form_class`
    False (its filters' fields differ between instances)."""

    shared_form_class = True

    q = SearchFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        error_messages={
            "max_length": _("Your search is too long: please use at most 200 characters.")
        },
    )

    @classmethod
    def get_filters(cls):
        return _Filters(super().get_filters())

    def get_form_class(self):
        if not self.shared_form_class:
            return super().get_form_class()
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    def filter_search(self, queryset, name, value):
        return queryset.matching(value) if value else queryset

    def applied_last(self, queryset, name, value):
        return queryset

    def validate(self) -> None:
        """Validate the query, without filtering: a filter given more than
        MAX_VALUES_PER_FILTER values is reported on the form, and left out of `cleaned_data`
        (callers that read only the valid values, such as the facet index, need no queryset)."""
        if getattr(self, "_validated", False):
            return
        self.form.is_valid()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, list | tuple | QuerySet) and len(value) > MAX_VALUES_PER_FILTER:
                self.form.add_error(
                    name,
                    _("Please choose at most %(max)s values for one filter.")
                    % {"max": MAX_VALUES_PER_FILTER},
                )
        self._validated = True

    def apply_filters(self, queryset, *, leaving_out: str | None = None):
        """Each valid filter in turn (but `leaving_out`; see `validate`)."""
        self.validate()
        for name, value in list(self.cleaned_data.items()):
            if name != leaving_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self.validate()
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    @property
    def cleaned_data(self) -> dict:
        """The valid part of the query (an invalid value is reported, not applied)."""
        return getattr(self.form, "cleaned_data", {})
