"""The newsletter's forms: signing up, and a subscriber's preferences."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.forms import HONEYPOT
from core.forms import HoneypotMixin
from directory.vocabularies import vocabulary
from newsletter.models import ContentKind


def _terms(kind: str):
    return lambda: [(str(term.pk), term.name) for term in vocabulary(kind)]


CONSENT_WORDING = _(
    "I want to receive the DSI Hub newsletter at this address. I can unsubscribe at any time "
    "with the link in every email."
)


class PreferencesForm(forms.Form):
    """What a subscriber receives: the language, and the interests that choose the content."""

    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES)
    social_areas = forms.TypedMultipleChoiceField(
        label=_("Social areas"),
        choices=_terms("area"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.TypedMultipleChoiceField(
        label=_("Countries"),
        choices=_terms("country"),
        coerce=int,
        required=False,
        help_text=_("Choose none to hear about every country."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    content_kinds = forms.MultipleChoiceField(
        label=_("Kinds of content"),
        choices=ContentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def interests(self) -> dict:
        """The cleaned interests, as the services take them."""
        data = self.cleaned_data
        return {
            "social_area_ids": data["social_areas"],
            "country_ids": data["countries"],
            "content_kinds": data["content_kinds"],
        }


class SignUpForm(HoneypotMixin, PreferencesForm):
    email = forms.EmailField(
        label=_("Your email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(label=CONSENT_WORDING)

    field_order = ["email", "language", "social_areas", "countries", "content_kinds", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()
        self.fields[HONEYPOT].widget.attrs["hidden"] = True

    def consent_text(self) -> str:
        """The consent wording as shown, in the language it was shown in."""
        return str(CONSENT_WORDING)
