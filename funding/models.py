"""Funding opportunities: grants, investment, incubators and other support practitioners can
apply for, from a funder in the directory or a named source.

An opportunity is open between its opening and closing dates (no closing date: rolling, open
until withdrawn). Whether it is open is worked out from the dates on every read, never set by
hand: a closed opportunity can never show as open. Moderated like directory profiles.
"""

import datetime as dt

from django.db import models
from django.db.models import F
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.content_models import DetailPage
from core.content_models import name_given_field
from core.content_models import published_index
from core.fields import WebAddressField
from core.models import Submission
from core.models import SubmissionQuerySet
from core.models import Vocabulary
from core.models import optional_foreign_key
from core.models import published_name
from core.models import short_description_field
from core.models import submission_indexes
from directory.models import Country
from directory.models import Organisation
from directory.models.vocabularies import social_areas_field

# "Closing soon": open, and closing within this many days.
CLOSING_SOON_DAYS = 14


class FundingType(Vocabulary):
    """Grant funding, investment, incubators... (shared/docs/taxonomy.md)."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("type of funding")
        verbose_name_plural = _("types of funding")


class FundingTarget(Vocabulary):
    """Who may apply: government, research, startups, non-profits, individuals."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("who may apply")
        verbose_name_plural = _("who may apply")


class OpportunityQuerySet(SubmissionQuerySet):
    relevance_then = ("closes_on", "pk")

    def open_on(self, day: dt.date | None = None):
        """Open on that day (today by default): opened, and not yet closed (or rolling)."""
        day = day or timezone.localdate()
        return self.filter(Q(opens_on__isnull=True) | Q(opens_on__lte=day)).filter(
            Q(closes_on__isnull=True) | Q(closes_on__gte=day)
        )

    def closing_first(self):
        """Soonest to close first, rolling ones last, with what their cards show: the home
        page's and a country's statistics page's."""
        return self.select_related("funding_type", "funder").order_by(
            F("closes_on").asc(nulls_last=True), "pk"
        )

    def closed_on(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(closes_on__lt=day)

    def opening_later(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(opens_on__gt=day)

    def closing_soon(self, day: dt.date | None = None, days: int = CLOSING_SOON_DAYS):
        day = day or timezone.localdate()
        return self.open_on(day).filter(closes_on__lte=day + dt.timedelta(days=days))

    def with_cards(self):
        return self.select_related("funding_type", "funder").prefetch_related("targets")

    def with_details(self):
        return self.select_related("funding_type", "funder").prefetch_related(
            "targets", "countries", "social_areas"
        )


class Opportunity(DetailPage, Submission):
    short_description = short_description_field(_("One sentence, shown on cards and in feeds."))
    description = models.TextField(_("description"), blank=True)
    funder = optional_foreign_key(
        Organisation, _("funder in the directory"), related_name="funding_opportunities"
    )
    funder_name = name_given_field(
        _("funder"), _("Who offers it, if they are not in the directory.")
    )
    funder_website = WebAddressField(_("funder's website"), max_length=500, blank=True)
    # Empty only in drafts (funding.services: asked for at submission).
    funding_type = models.ForeignKey(
        FundingType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+", null=True
    )
    targets = models.ManyToManyField(
        FundingTarget, verbose_name=_("who may apply"), blank=True, related_name="+"
    )
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("countries where it is open"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty when it is open everywhere."),
    )
    social_areas = social_areas_field()
    amount_min = models.DecimalField(
        _("smallest amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("largest amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", help_text=_("ISO 4217 code, e.g. EUR.")
    )
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(
        _("closes"), null=True, blank=True, help_text=_("Leave empty for rolling applications.")
    )
    link = WebAddressField(_("link"), max_length=500, help_text=_("Where to read more and apply."))

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding opportunity")
        verbose_name_plural = _("funding opportunities")
        ordering = ["closes_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True)
                | Q(opens_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="opportunity_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_max__gte=models.F("amount_min")),
                name="opportunity_amounts_in_order",
            ),
            models.CheckConstraint(
                condition=Q(amount_min__gte=0) | Q(amount_min__isnull=True),
                name="opportunity_amount_not_negative",
            ),
        ]
        indexes = [
            published_index("closes_on", "opens_on", name="opp_pub_dates"),
            *submission_indexes("opp"),
        ]

    @property
    def funder_label(self) -> str:
        return published_name(self.funder, self.funder_name)

    @property
    def is_rolling(self) -> bool:
        return self.closes_on is None

    def is_open(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (self.opens_on is None or self.opens_on <= day) and (
            self.closes_on is None or self.closes_on >= day
        )

    def is_closing_soon(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.is_open(day)
            and self.closes_on is not None
            and self.closes_on <= day + dt.timedelta(days=CLOSING_SOON_DAYS)
        )
