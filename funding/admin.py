"""Funding opportunities in the Django admin: the moderators' queue, editors adding opportunities
themselves, and the two vocabularies (types of funding, who may apply).

Community admins see pending opportunities first, preview them as the public would, approve or
reject them (one or many, rejection with a reason the author is emailed), and read or revert each
opportunity's history. Whether an opportunity is open is never stored: the list's "open now"
column and filter work it out from the dates, today. Every admin save rewrites the opportunity's
search fields and moves the funding version on when the public sees a change.
"""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.content_admin import ContentTermAdminMixin
from core.moderation_admin import MODERATION_FIELDSET
from core.moderation_admin import SubmissionAdminForm
from core.moderation_admin import approve_action
from core.moderation_admin import reject_action
from core.submission_admin import SubmissionAdmin
from directory.admin import VocabularyAdmin
from funding import views
from funding.forms import NOT_NEGATIVE
from funding.forms import currency_choices
from funding.models import FundingTarget
from funding.models import FundingType
from funding.models import Opportunity
from funding.services import LIFECYCLE
from funding.services import RESERVED_SLUGS
from funding.services import opportunities_changed


class OpportunityAdminForm(SubmissionAdminForm):
    """The admin's form: a slug made from the title when left empty, a currency from the list,
    and the dates and amounts checked next to their fields."""

    currency = forms.ChoiceField(label=_("currency"), choices=currency_choices(), initial="EUR")
    unique_slug = staticmethod(LIFECYCLE.unique_slug)
    reserved_slugs = RESERVED_SLUGS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "currency" in self.fields:
            self.fields["currency"].choices = currency_choices(self.instance.currency or "")
        for name in ("amount_min", "amount_max"):
            if name in self.fields:
                self.fields[name].validators.append(NOT_NEGATIVE)

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens is not None and closes is not None and closes < opens:
            self.add_error("closes_on", _("It cannot close before it opens."))
        low, high = cleaned.get("amount_min"), cleaned.get("amount_max")
        if low is not None and high is not None and high < low:
            self.add_error("amount_max", _("The largest amount cannot be below the smallest."))
        return cleaned


class OpenStateFilter(admin.SimpleListFilter):
    """Open now, closing soon, opening later, closed or rolling: from the dates, today."""

    title = _("open or closed")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [
            ("open", _("Open now")),
            ("closing_soon", _("Closing soon")),
            ("later", _("Opens later")),
            ("closed", _("Closed")),
            ("rolling", _("Rolling (no closing date)")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "open":
            return queryset.open_on(today)
        if value == "closing_soon":
            return queryset.closing_soon(today)
        if value == "later":
            return queryset.opening_later(today)
        if value == "closed":
            return queryset.closed_on(today)
        if value == "rolling":
            return queryset.filter(closes_on__isnull=True)
        return queryset


@admin.register(Opportunity)
class OpportunityAdmin(SubmissionAdmin):
    pages = views.pages
    form = OpportunityAdminForm
    list_columns = ["funder_column", "funding_type", "closes_column", "open_now"]
    list_filter = ["status", "funding_type", "targets", OpenStateFilter]
    list_select_related = ["funder", "funding_type", "created_by"]
    search_fields = ["title", "funder_name", "funder__name", "slug"]
    autocomplete_fields = ["funder"]
    filter_horizontal = ["targets", "countries", "social_areas"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "short_description", "description", "link"]}),
        (
            _("Type, who and where"),
            {"fields": ["funding_type", "targets", "countries", "social_areas"]},
        ),
        (_("Amount"), {"fields": [("amount_min", "amount_max", "currency")]}),
        (
            _("Dates"),
            {
                "fields": [("opens_on", "closes_on")],
                "description": _("Leave “closes” empty for rolling applications."),
            },
        ),
        (_("Funder"), {"fields": ["funder", "funder_name", "funder_website"]}),
        MODERATION_FIELDSET,
    ]

    @admin.display(description=_("funder"), ordering="funder_name")
    def funder_column(self, obj):
        return obj.funder_label or "–"

    @admin.display(description=_("closes"), ordering="closes_on")
    def closes_column(self, obj):
        return obj.closes_on or gettext("rolling")

    @admin.display(description=_("open now?"), boolean=True)
    def open_now(self, obj):
        return obj.is_open(timezone.localdate())

    # Saving (who added it, derived rows, cache version): core.moderation_admin.

    # Approve and reject: bulk actions and single buttons (core.moderation_admin), through the
    # lifecycle (core.submission_admin).

    def nothing_pending_message(self) -> str:
        return gettext(
            "None of the selected funding opportunities is waiting for review: nothing changed."
        )

    approve_selected = approve_action(_("Approve and publish the selected funding opportunities"))
    reject_selected = reject_action(
        _("Reject the selected funding opportunities (asks for a reason)")
    )


# --- Vocabularies ------------------------------------------------------------------------------


@admin.register(FundingType, FundingTarget)
class FundingVocabularyAdmin(ContentTermAdminMixin, VocabularyAdmin):
    """Types of funding and who may apply, with their names in every language. Lists, pages and
    feeds of opportunities name them: a change moves the funding version on."""

    content_changed = staticmethod(opportunities_changed)
