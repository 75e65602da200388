"""Search and filters of published funding opportunities, for the list and its pages.

As in the directory and events (directory.filters, events.filters), every filter on a term
(type, who may apply, country, social area) is a containment test on the opportunity's
`facet_keys` (GIN-indexed); `q` is the full-text search. Then the status, worked out from the
dates against the page's day: open (the default), opening later, or closed.
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import F
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FacetFilter
from core.filters import ListFilterSet
from core.filters import MonthField
from core.filters import next_month
from core.filters import vocabulary_filter
from core.search import facet_key
from directory.vocabularies import Term
from directory.vocabularies import vocabulary
from directory.vocabularies import vocabulary_choices
from funding.models import FundingTarget
from funding.models import FundingType
from funding.models import Opportunity

OPEN, UPCOMING, CLOSED = "open", "upcoming", "closed"
# The funding vocabularies' facet kinds (Opportunity.facet_keys) -> their models.
FUNDING_VOCABULARIES = {"type": FundingType, "target": FundingTarget}


AMOUNT_ERROR = _(
    "Please give the amount as a number from 0 upwards, with at most two decimals and no "
    "thousands separators, e.g. 20000."
)

AMOUNT_ERROR_CODES = (
    "invalid",
    "min_value",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
)


def funding_terms() -> dict[str, list[Term]]:
    """Types of funding and who may apply, in the current language and display order: one
    query each (small tables, read once per list page that is not served from the cache)."""
    return {
        kind: [Term(row.pk, row.slug, row.name) for row in model.objects.all()]
        for kind, model in FUNDING_VOCABULARIES.items()
    }


class ClosingMonthFilter(django_filters.Filter):
    """?closes=2027-03: opportunities that close in that month."""

    field_class = MonthField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(closes_on__gte=value, closes_on__lt=next_month(value))


class AmountFilter(django_filters.NumberFilter):
    """?amount=20000: opportunities whose range covers the amount (at least the smallest, at
    most the largest; with no largest amount, anything from the smallest up; with no smallest,
    anything up to the largest). Opportunities that give no amount at all are left out."""

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(
            Q(amount_min__isnull=False) | Q(amount_max__isnull=False),
            Q(amount_min__isnull=True) | Q(amount_min__lte=value),
            Q(amount_max__isnull=True) | Q(amount_max__gte=value),
        )


class TermChoiceFilter(FacetFilter, django_filters.ChoiceFilter):
    """One term of a vocabulary, chosen by slug: ?type=grant-funding, ?area=health-and-care."""

    def keys(self, value) -> list[str]:
        return [facet_key(self.facet, self.parent.term_id(self))]


class CountryFilter(TermChoiceFilter):
    """?country=spain: open in that country, or open everywhere ("country:any")."""

    lookup = "overlap"

    def keys(self, value) -> list[str]:
        return [*super().keys(value), facet_key(self.facet, "any")]


class TermsField(django_filters.fields.MultipleChoiceField):
    def to_python(self, value):
        """Empty values (?target=) stand for no choice, as an empty single choice does."""
        return [item for item in super().to_python(value) if item != ""]


class TermsFilter(FacetFilter, django_filters.MultipleChoiceFilter):
    """Several terms, any of which will do: ?target=startup&target=individuals."""

    field_class = TermsField
    lookup = "overlap"

    def keys(self, value) -> list[str]:
        ids = {term.slug: term.pk for term in self.parent.terms(self.facet)}
        return [facet_key(self.facet, ids[slug]) for slug in value]


class OpportunityFilterSet(ListFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[
            (OPEN, _("Open now")),
            (UPCOMING, _("Opening later")),
            (CLOSED, _("Closed")),
        ],
        method="applied_last",
        empty_label=None,
        error_messages={"invalid_choice": _("“Show” may be “open”, “upcoming” or “closed”.")},
    )
    type = TermChoiceFilter(
        label=_("Type of funding"),
        facet="type",
        empty_label=_("Any type"),
        unknown=_("“%(value)s” is not a type of funding we know."),
    )
    target = TermsFilter(
        label=_("Who may apply"),
        facet="target",
        widget=forms.CheckboxSelectMultiple,
        unknown=_("“%(value)s” is not one of the kinds of applicant we know."),
    )
    country = vocabulary_filter(CountryFilter, "country", choices=vocabulary_choices("country"))
    closes = ClosingMonthFilter(label=_("Closing in"))
    amount = AmountFilter(
        label=_("Amount"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages=dict.fromkeys(AMOUNT_ERROR_CODES, AMOUNT_ERROR),
    )
    area = vocabulary_filter(TermChoiceFilter, "area", choices=vocabulary_choices("area"))

    shared_form_class = False  # each FilterSet reads the funding vocabularies' choices

    class Meta:
        model = Opportunity
        fields = ["q", "status", "type", "target", "country", "closes", "amount", "area"]

    def __init__(self, data=None, *args, today: dt.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(data, *args, **kwargs)
        self._terms = funding_terms()
        for kind in FUNDING_VOCABULARIES:
            self.filters[kind].extra["choices"] = [
                (term.slug, term.name) for term in self._terms[kind]
            ]

    def terms(self, kind: str) -> list[Term]:
        return self._terms[kind] if kind in self._terms else vocabulary(kind)

    def term_id(self, filter_) -> int:
        slug = self.cleaned_data[filter_.field_name]
        return next(term.pk for term in self.terms(filter_.facet) if term.slug == slug)

    @property
    def chosen_status(self) -> str:
        return self.cleaned_data.get("status") or OPEN

    def filter_queryset(self, queryset):
        """Filters first, then the status on the day, in its order: open ones closing soonest
        first (rolling last), those opening later soonest first, closed ones latest first."""
        queryset = self.apply_filters(queryset)
        status = self.chosen_status
        if status == CLOSED:
            return queryset.closed_on(self.today).order_by("-closes_on", "-pk")
        if status == UPCOMING:
            return queryset.opening_later(self.today).order_by(
                "opens_on", F("closes_on").asc(nulls_last=True), "pk"
            )
        return queryset.open_on(self.today).order_by(F("closes_on").asc(nulls_last=True), "pk")
