"""Search and filters of published events, shared by the list and the month calendar.

As in the directory (directory.filters), every filter on a value (country, city, social area,
attendance, price) is a test on the event's `facet_keys` (GIN-indexed); `q` is the
full-text search. The list then keeps the events with an occurrence in the chosen window (upcoming
or past, and in a month if one is given) and orders them by the occurrence it shows.
"""

import datetime as dt

import django_filters
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import CityFilter
from core.filters import FacetFilter
from core.filters import ListFilterSet
from core.filters import MonthFilter
from core.filters import next_month
from core.filters import vocabulary_filter
from core.search import facet_key
from directory.vocabularies import vocabulary
from directory.vocabularies import vocabulary_choices
from events.models import Event
from events.models import EventOccurrence

UPCOMING, PAST = "upcoming", "past"


def previous_month(first_day: dt.date) -> dt.date:
    return (first_day - dt.timedelta(days=1)).replace(day=1)


def month_bounds(first_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's, in UTC."""
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=dt.UTC)
    return start, dt.datetime.combine(next_month(first_day), dt.time(), tzinfo=dt.UTC)


class VocabularyChoiceFilter(FacetFilter, django_filters.ChoiceFilter):
    """One term of a controlled vocabulary, chosen by slug: ?area=health-and-care."""

    def __init__(self, *args, facet: str, **kwargs):
        kwargs.setdefault("choices", vocabulary_choices(facet))
        super().__init__(*args, facet=facet, **kwargs)

    def keys(self, value) -> list[str]:
        ids = {term.slug: term.pk for term in vocabulary(self.facet)}
        return [facet_key(self.facet, ids[value])]


class FacetChoiceFilter(FacetFilter, django_filters.ChoiceFilter):
    """A value stored as one filter key: ?attendance=online, ?free=1."""


class EventFilterSet(ListFilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[(UPCOMING, _("Upcoming")), (PAST, _("Past"))],
        method="applied_last",
        empty_label=None,
        error_messages={"invalid_choice": _("“When” may be “upcoming” or “past”.")},
    )
    month = MonthFilter(label=_("Month"), method="applied_last")
    country = vocabulary_filter(VocabularyChoiceFilter, "country")
    city = CityFilter(
        label=_("City"),
        max_length=100,
        error_messages={"max_length": _("Please give a city name of at most 100 characters.")},
    )
    attendance = FacetChoiceFilter(
        label=_("Online or in person"),
        facet="attendance",
        choices=[("online", _("Online")), ("in_person", _("In person"))],
        empty_label=_("Either"),
        error_messages={
            "invalid_choice": _("Attendance may be “online” or “in_person”, not “%(value)s”.")
        },
    )
    free = FacetChoiceFilter(
        label=_("Price"),
        facet="free",
        choices=[("1", _("Free")), ("0", _("Paid"))],
        empty_label=_("Free or paid"),
        error_messages={"invalid_choice": _("Price may be 1 (free) or 0 (paid), not “%(value)s”.")},
    )
    area = vocabulary_filter(VocabularyChoiceFilter, "area")

    class Meta:
        model = Event
        fields = ["q", "when", "month", "country", "city", "attendance", "free", "area"]

    def __init__(self, data=None, *args, now=None, **kwargs):
        self.now = now or timezone.now()
        super().__init__(data, *args, **kwargs)

    @property
    def chosen_when(self) -> str:
        return self.cleaned_data.get("when") or UPCOMING

    @property
    def chosen_month(self) -> dt.date | None:
        return self.cleaned_data.get("month")

    def occurrence_condition(self) -> Q:
        """Which occurrences count: those not yet ended (or ended), in the month if one is given."""
        if self.chosen_when == PAST:
            condition = Q(ends_at__lt=self.now)
        else:
            condition = Q(ends_at__gte=self.now)
        if self.chosen_month is not None:
            # The month in each event's own time zone, as the month calendar shows it.
            first, following = self.chosen_month, next_month(self.chosen_month)
            condition &= Q(starts_on__lt=following, ends_on__gte=first)
        return condition

    def filter_queryset(self, queryset):
        """Filters first (kept as `self.filtered`, what the calendar uses), then the window:
        events with an occurrence in it, annotated with the one a card shows, in its order."""
        queryset = self.apply_filters(queryset)
        self.filtered = queryset

        past = self.chosen_when == PAST
        queryset = queryset.past(self.now) if past else queryset.upcoming(self.now)
        occurrences = EventOccurrence.objects.filter(
            self.occurrence_condition(), event=OuterRef("pk")
        )
        if self.chosen_month is not None:
            queryset = queryset.filter(Exists(occurrences))
        # Upcoming: the next occurrence; past: the last one.
        shown = occurrences.order_by("-starts_at" if past else "starts_at")
        queryset = queryset.annotate(
            shown_starts_at=Subquery(shown.values("starts_at")[:1]),
            shown_ends_at=Subquery(shown.values("ends_at")[:1]),
        )
        if past:
            return queryset.order_by("-shown_starts_at", "-pk")
        return queryset.order_by("shown_starts_at", "pk")
