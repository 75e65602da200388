import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _


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
