"""Forms of the pages that span the site."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HONEYPOT
from core.forms import HoneypotMixin
from core.forms import strip_control_characters

MESSAGE_MAX_LENGTH = 5000


class OneLineField(forms.CharField):
    """Text on one line: line breaks and other control characters are dropped (an email's
    subject cannot hold them)."""

    def to_python(self, value):
        return strip_control_characters(super().to_python(value))


class ContactForm(HoneypotMixin, forms.Form):
    """A message to the hub's admins: who writes, their address for the answer, and what about."""

    name = OneLineField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We answer to this address and use it for nothing else."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = OneLineField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("At most 5,000 characters."),
    )

    field_order = ["name", "email", "subject", "message"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Not displayed at all, so no browser fills it in for a person (as on the sign-up form).
        self.fields[HONEYPOT].widget.attrs["hidden"] = True
