"""Form fields and texts every app's forms share, and the base of the forms practitioners submit
content with (events, funding)."""

import unicodedata
from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.fields import WebAddressFormField
from core.html import ALLOWED_TAGS
from core.models import Status
from core.spam import account_is_new
from core.spam import count_links
from core.widgets import SiteRichTextWidget


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


class CommaSeparatedField(forms.CharField):
    """Several short values typed as one text, separated by commas ("open data, refugees"):
    at most `max_items` of at most `max_item_length` characters each. Subclasses set both and
    the messages, `too_many_message` (with %(max)s) and `too_long_message` (and its
    `too_long_code`, if any)."""

    max_items = 0
    max_item_length = 0
    too_many_message = ""
    too_long_message = ""
    too_long_code = None

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def normalise(self, part: str) -> str:
        return part.strip()

    def split(self, text: str) -> list[str]:
        """The values, in order, without empty ones or repeats."""
        return list(dict.fromkeys(self.normalise(part) for part in text.split(",") if part.strip()))

    def clean(self, value):
        items = self.split(super().clean(value))
        if len(items) > self.max_items:
            raise ValidationError(self.too_many_message % {"max": self.max_items}, code="too_many")
        if any(len(item) > self.max_item_length for item in items):
            raise ValidationError(self.too_long_message, code=self.too_long_code)
        return items


class LinksField(LinesField):
    """Web addresses, one per line (https:// when no scheme is given)."""

    def __init__(self, *, max_items, max_length, **kwargs):
        kwargs.setdefault("label", _("Links"))
        kwargs.setdefault("required", False)
        super().__init__(
            item_field=WebAddressFormField(max_length=max_length),
            max_items=max_items,
            **kwargs,
        )


HONEYPOT = "fax_number"


MAX_TEXT = 50_000


NEW_ACCOUNT_MAX_LINKS = 2


SEVERAL_HELP = _("Hold Ctrl (or Cmd on a Mac) to choose several.")


# The browser's own date and time pickers, given values in the formats they take.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DatePickerField(forms.DateField):
    """A date, typed in the browser's own date picker."""

    widget = DATE_INPUT


class TimePickerField(forms.TimeField):
    """A time of day, typed in the browser's own time picker."""

    widget = TIME_INPUT


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


def _rich_text_help(help_text="") -> SafeString:
    return format_html(
        '{}<span class="rich-text-tags">{}{}</span>',
        help_text,
        " " if help_text else "",
        HTML_HELP,
    )


# The help of a text typed in the rich-text editor (core.widgets.SiteRichTextWidget): the
# field's own help, then the note on HTML tags, which the editor hides once it is up.
rich_text_help = lazy(_rich_text_help, SafeString)


def use_rich_text(field: forms.Field, help_text="", *, rows: int = 12) -> None:
    """Give a form's text field the rich-text editor (a plain textarea of HTML without
    JavaScript) and its help; what is stored is still sanitised by the service (core.html)."""
    field.widget = SiteRichTextWidget(attrs={**field.widget.attrs, "rows": rows})
    field.help_text = rich_text_help(help_text)


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


class HoneypotMixin(forms.Form):
    """A form with a field only bots fill in (mix in before the form class)."""

    fax_number = Honeypot()

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))


def section_fields(sections) -> list[str]:
    """The names of the fields a form's sections show, in order."""
    return [name for _anchor, _heading, names in sections for name in names]


# Not yet public: saved as drafts, the rules of complete content apply when submitted.
DRAFT_STATUSES = (Status.DRAFT, Status.REJECTED)


class DraftFormMixin:
    """A form of content saved as a draft until it is submitted for review (directory profiles'
    steps, events, funding opportunities). A draft saves whatever is valid and keeps what was
    typed; the rules of complete content apply at submission (the kind's services list what is
    missing then).

    `needed_at_submission`: fields a draft may leave empty although submitted content needs
    them; `kept_together`: fields kept only together (both coordinates; an event's dates, times
    and what is worked out from them): when one is invalid, a draft keeps none of them. A
    subclass calls `relax_for_draft()` once its fields are made."""

    needed_at_submission: tuple[str, ...] = ()
    kept_together: tuple[frozenset[str], ...] = ()

    @property
    def is_draft(self) -> bool:
        """Not yet public (new content starts as a draft): what is saved need not be complete."""
        return self.instance.status in DRAFT_STATUSES

    def relax_for_draft(self) -> None:
        """In a draft, the fields needed at submission are optional, and their labels say they
        are needed to submit it (partials/required_mark.html)."""
        if self.is_draft:
            for name in self.needed_at_submission:
                self.fields[name].required = False
                self.fields[name].needed_at_submission = True

    def valid_part(self) -> tuple[dict, dict]:
        """What a draft keeps of a form with errors: the values (`field_values()`) and related
        rows (`relation_rows()`) of the fields without errors; the others stay as they were."""
        for together in self.kept_together:
            if together & set(self.errors):
                for name in together:
                    self.cleaned_data.pop(name, None)
        return self.field_values(), self.relation_rows()


class SubmissionForm(DraftFormMixin, forms.ModelForm):
    """What the forms of submitted content share: the author (`user`), the page's `sections`
    (anchor, heading, field names; the fields are shown in their order), a title and a text
    checked alike, and a service's errors shown next to the fields they name.

    Forms only validate; they never write. A service gets plain values (`field_values()`) and
    related rows (`relation_rows()`, the many-to-many fields named in `relations`), writes the
    item and validates the model, so the instance is left as it is. Subclasses set `sections`,
    `relations`, `too_many_links_message` (for a new account's text with too many links),
    `error_fields` (a model field the service may name -> the form field showing it, where
    they differ), and the help of the description (`description_help`, followed by the HTML
    it may use) and of the link (`link_help`).
    """

    sections: list = []
    relations: tuple[str, ...] = ()
    error_fields: dict[str, str] = {}
    too_many_links_message = ""
    description_help = ""
    link_help = ""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.order_fields(section_fields(self.sections))
        description = self.fields["description"]
        use_rich_text(description, self.description_help)
        description.validators.append(MaxLengthValidator(MAX_TEXT))
        link = self.fields["link"]
        link.assume_scheme = "https"
        link.help_text = self.link_help
        self.relax_for_draft()

    def grouped_fields(self) -> list[dict]:
        """The sections of the page, each shaped like a form for partials/form_fields.html."""
        return [
            {
                "anchor": anchor,
                "heading": heading,
                "fields": SimpleNamespace(
                    non_field_errors="",
                    hidden_fields=[],
                    visible_fields=[self[name] for name in names if name in self.fields],
                ),
            }
            for anchor, heading, names in self.sections
        ]

    def _post_clean(self):
        # The service writes the item and validates the model; leave the instance as it is.
        pass

    # --- Validation ------------------------------------------------------------------------------

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not any(char.isalnum() for char in title):
            raise ValidationError(_("Please give a title with letters or digits."), code="title")
        return title

    def clean_description(self):
        # As for profiles: new accounts may include only a couple of links (spam).
        description = self.cleaned_data["description"]
        if account_is_new(self.user) and count_links(description) > NEW_ACCOUNT_MAX_LINKS:
            raise ValidationError(
                self.too_many_links_message % {"max": NEW_ACCOUNT_MAX_LINKS},
                code="too_many_links",
            )
        return description

    def add_field_error(self, name: str, message, *, code: str) -> None:
        """Show `message` next to the field `name`, as the ValidationError `code`."""
        self.add_error(name, ValidationError(message, code=code))

    def require_one_of(self, name: str, *, first: bool, second: bool, neither, both) -> bool:
        """Exactly one of two ways of saying a thing must be given (a closing date or the
        "rolling" tick; one of my organisations or a name): if neither (but in a draft) or both
        are, the error `neither` or `both` (each a message and its code) next to the field
        `name`. Whether exactly one was."""
        if first != second:
            return True
        if not first and self.is_draft:
            return False  # a draft may give neither yet: the services ask at submission
        message, code = both if first else neither
        self.add_field_error(name, message, code=code)
        return False

    # --- What the service gets -------------------------------------------------------------------

    def field_values(self) -> dict:
        """Plain values for the service (the title goes separately to the create service)."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name != "title" and name not in self.relations and name in self.cleaned_data
        }

    def relation_rows(self) -> dict:
        return {
            name: list(self.cleaned_data[name])
            for name in self.relations
            if name in self.cleaned_data
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's ValidationError next to the fields it names, or above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, errors in error.message_dict.items():
            field = self.error_fields.get(name, name)
            if field not in self.fields:
                field = None
            for message in errors:
                self.add_error(field, message)
