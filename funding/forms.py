"""The form practitioners submit funding opportunities with.

Forms only validate. They never write: OpportunityForm hands plain values (`field_values()`) and
related rows (`relation_rows()`) to funding.services, which sanitises the description, keeps the
history and the search fields. Whether an opportunity is open is never asked: it follows from
its dates (no closing date: rolling).
"""

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_INPUT
from core.forms import HONEYPOT
from core.forms import SEVERAL_HELP
from core.forms import HoneypotMixin
from core.forms import SubmissionForm
from core.forms import section_fields
from directory.models import Country
from directory.models import Organisation
from directory.models import SocialArea
from funding.models import FundingTarget
from funding.models import FundingType
from funding.models import Opportunity

# The currencies funders in and around Europe give amounts in.
CURRENCIES = ["EUR", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN", "CZK", "HUF", "RON", "BGN", "USD"]
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]
# Amounts given are never negative (the public form, the admin's).
NOT_NEGATIVE = MinValueValidator(0, message=_("Amounts cannot be negative."))
# Fields of the form that are not the opportunity's own.
FORM_ONLY = (HONEYPOT, "rolling")


def currency_choices(current: str = "") -> list[tuple[str, str]]:
    """The choices, with an opportunity's own (older or imported) currency kept if unusual."""
    if current and current not in CURRENCIES:
        return [(current, current), *CURRENCY_CHOICES]
    return CURRENCY_CHOICES


# How the page groups and orders the fields: (anchor, heading, field names).
SECTIONS = [
    (
        "what",
        _("What"),
        [HONEYPOT, "title", "short_description", "description", "funding_type"],
    ),
    ("who", _("Who and where"), ["targets", "countries", "social_areas"]),
    ("amount", _("How much"), ["amount_min", "amount_max", "currency"]),
    ("when", _("When to apply"), ["opens_on", "closes_on", "rolling", "link"]),
    ("funder", _("Who offers it"), ["funder", "funder_name", "funder_website"]),
]


class OpportunityForm(SubmissionForm):
    """What an opportunity's author gives: what, for whom, where, how much, when, from whom."""

    rolling = forms.BooleanField(
        label=_("Rolling: applications are accepted until further notice (no closing date)"),
        required=False,
        help_text=_("Tick this and leave “Closes” empty when there is no deadline."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="EUR")

    class Meta:
        model = Opportunity
        fields = [name for name in section_fields(SECTIONS) if name not in FORM_ONLY]
        widgets = {
            "short_description": forms.TextInput(),
            "description": forms.Textarea(attrs={"rows": 12}),
            "targets": forms.CheckboxSelectMultiple,
            "countries": forms.SelectMultiple(attrs={"size": 10}),
            "social_areas": forms.CheckboxSelectMultiple,
            "opens_on": DATE_INPUT,
            "closes_on": DATE_INPUT,
        }

    sections = SECTIONS
    relations = ("targets", "countries", "social_areas")
    # A draft may leave these out (asked for at submission, funding.services), and the closing
    # date and the funder too (require_one_of).
    needed_at_submission = ("funding_type", "link")
    too_many_links_message = _(
        "New accounts can include at most %(max)s links in the text. Please remove "
        "some; the page to apply on goes in “Link”."
    )
    description_help = _("What it offers, for whom, and how to apply.")
    link_help = _("Where to read more and apply, e.g. https://…")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opportunity = self.instance
        fields = self.fields
        fields["short_description"].help_text = _("One sentence, shown in lists and feeds.")
        fields["funding_type"].queryset = FundingType.objects.order_by("order", "name")
        fields["funding_type"].empty_label = _("(choose a type)")
        fields["targets"].queryset = FundingTarget.objects.order_by("order", "name")
        fields["targets"].help_text = _("Tick everyone who may apply.")
        fields["countries"].queryset = Country.objects.by_name()
        fields["countries"].help_text = format_lazy(
            "{} {}",
            _("Leave empty when it is open everywhere; otherwise choose the countries."),
            SEVERAL_HELP,
        )
        fields["social_areas"].queryset = SocialArea.objects.order_by("order", "name")
        fields["social_areas"].help_text = _("What it supports, if any of these.")
        for name in ("amount_min", "amount_max"):
            fields[name].validators.append(NOT_NEGATIVE)
            fields[name].widget.attrs.update(min="0", step="any", inputmode="decimal")
        fields["amount_min"].help_text = _("Optional, e.g. 5000. Leave empty if not given.")
        fields["amount_max"].help_text = _("Optional, e.g. 50000.")
        current = opportunity.currency if opportunity.pk else ""
        fields["currency"].choices = currency_choices(current)
        fields["opens_on"].help_text = _("Optional, e.g. 2026-05-14. Empty: open already.")
        fields["closes_on"].help_text = _(
            "The deadline, e.g. 2026-06-30: the last day applications are taken. Leave it empty "
            "only for rolling applications (and tick “Rolling” below)."
        )
        funders = Organisation.objects.managed_by(self.user).values("pk")
        condition = Q(pk__in=funders)
        if opportunity.funder_id:
            condition |= Q(pk=opportunity.funder_id)
        fields["funder"].queryset = Organisation.objects.filter(condition).order_by("name", "pk")
        fields["funder"].label = _("Funder: one of your organisations")
        fields["funder"].empty_label = _("(none of mine)")
        fields["funder"].help_text = _(
            "An organisation you manage in the directory. Otherwise, give the funder's name and "
            "website below."
        )
        fields["funder_name"].help_text = _("Who offers it, if not one of your organisations.")
        fields["funder_website"].assume_scheme = "https"
        if opportunity.pk and not self.is_bound:
            self.initial["rolling"] = opportunity.closes_on is None

    # --- Validation ------------------------------------------------------------------------------

    def clean_funder_name(self):
        return " ".join(self.cleaned_data["funder_name"].split())

    def clean(self):
        cleaned = super().clean()
        self._clean_amounts(cleaned)
        self._clean_dates(cleaned)
        self._clean_funder(cleaned)
        return cleaned

    def _clean_amounts(self, cleaned) -> None:
        low, high = cleaned.get("amount_min"), cleaned.get("amount_max")
        if low is not None and high is not None and high < low:
            self.add_field_error(
                "amount_max", _("The largest amount cannot be below the smallest."), code="amounts"
            )

    def _clean_dates(self, cleaned) -> None:
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if "closes_on" in self.errors:
            return
        one_given = self.require_one_of(
            "closes_on",
            first=bool(cleaned.get("rolling")),
            second=closes is not None,
            neither=(
                _("Please give the closing date, or tick “Rolling” if there is none."),
                "required",
            ),
            both=(_("Rolling applications have no closing date: leave this empty."), "rolling"),
        )
        if one_given and opens is not None and closes is not None and closes < opens:
            self.add_field_error("closes_on", _("It cannot close before it opens."), code="order")

    def _clean_funder(self, cleaned) -> None:
        if "funder" in self.errors:
            return
        self.require_one_of(
            "funder_name",
            first=cleaned.get("funder") is not None,
            second=bool(cleaned.get("funder_name")),
            neither=(
                _("Please give the funder's name, or choose one of your organisations."),
                "required",
            ),
            both=(_("Leave this empty when the funder is one of your organisations."), "both"),
        )


class OpportunityCreateForm(HoneypotMixin, OpportunityForm):
    """A new opportunity: with a field only bots fill in."""
