"""Form fields and texts every app's forms share."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.html import ALLOWED_TAGS


def strip_control_characters(text: str) -> str:
    """Control characters mean nothing in a search: drop them rather than fail."""
    return "".join(ch for ch in (text or "") if unicodedata.category(ch)[0] != "C").strip()


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the hub"),
        max_length=200,
        required=False,
        error_messages={
            "max_length": _("Your search is too long: please use at most 200 characters.")
        },
    )

    def clean_q(self):
        return strip_control_characters(self.cleaned_data["q"])


class LinesField(forms.CharField):
    """Several values, one per line, each checked by a field of its own."""

    def __init__(self, *, item_field, max_items, **kwargs):
        self.item_field = item_field
        self.max_items = max_items
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def clean(self, value):
        items = self.to_python(value)
        self.validate(items)
        if len(items) > self.max_items:
            raise ValidationError(
                _("Please give at most %(max)s.") % {"max": self.max_items}, code="too_many"
            )
        cleaned = []
        for number, item in enumerate(items, start=1):
            try:
                cleaned.append(self.item_field.clean(item))
            except ValidationError as error:
                raise ValidationError(
                    _("Line %(number)s: %(error)s")
                    % {"number": number, "error": " ".join(error.messages)},
                    code="item_invalid",
                ) from None
        return list(dict.fromkeys(cleaned))


HONEYPOT = "fax_number"


MAX_TEXT = 50_000


NEW_ACCOUNT_MAX_LINKS = 2


SEVERAL_HELP = _("Hold Ctrl (or Cmd on a Mac) to choose several.")


def _allowed_tags_text() -> str:
    return ", ".join(sorted(ALLOWED_TAGS))


HTML_HELP = format_lazy(
    "{} {}",
    _(
        "You may format the text with HTML; these tags are kept and everything else (scripts, "
        "images, styles) is removed:"
    ),
    _allowed_tags_text(),
)


class Honeypot(forms.CharField):
    """A field people never see and screen readers never announce; bots fill it in."""

    is_honeypot = True  # partials/form_fields.html hides it

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(
                attrs={"autocomplete": "off", "tabindex": "-1", "aria-hidden": "true"}
            ),
            **kwargs,
        )
