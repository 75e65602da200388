from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import global_settings
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import SEVERAL_HELP
from core.forms import CommaSeparatedField
from core.forms import Honeypot
from core.forms import LinksField
from core.images import DeferredImage
from core.images import clean_image_upload
from core.moderation import kinds_moderated_by
from core.pending_images import form_note_pending_images

AVATAR_SIZE = (512, 512)
MAX_SKILLS = 20
MAX_LINKS = 5
# The autocomplete tokens (WCAG 1.3.5) of the fields about the person filling in the form.
PROFILE_AUTOCOMPLETE = {
    "name": "name",
    "job_title": "organization-title",
    "city": "address-level2",
    "country": "country-name",
}
# What a person's profile shows besides their name: the profile form's fields, the admin's.
PROFILE_DETAILS = [
    "job_title",
    "bio",
    "city",
    "country",
    "skills",
    "languages",
    "links",
    "avatar",
    "show_email",
]


def _terms_label():
    return mark_safe(
        gettext(
            'I accept the <a href="%(terms)s">terms of use</a> and the '
            '<a href="%(privacy)s">privacy policy</a>.'
        )
        % {"terms": reverse_lazy("terms"), "privacy": reverse_lazy("privacy")}
    )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (email, passwords, honeypot) with a name and consent to the terms.

    allauth puts its honeypot at right:-99999px, which makes the page scroll sideways at any
    width: here it is the hub's Honeypot, hidden where it stands (templates/account/signup.html
    renders it with partials/form_fields.html). A filled honeypot gets the same form back with
    a neutral message: no account, no email, and nobody is told an email was sent."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    accept_terms = forms.BooleanField(label=lazy(_terms_label, str)(), required=True)

    field_order = ["name", "email", "password1", "password2", "accept_terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.honeypot_name = settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD
        if self.honeypot_name:
            honeypot = Honeypot()
            # Not displayed at all (display:none), so no browser fills it in for a person.
            honeypot.widget.attrs["hidden"] = True
            self.fields[self.honeypot_name] = honeypot

    def clean(self):
        super().clean()
        if self.honeypot_name and self.cleaned_data.get(self.honeypot_name):
            # Shown empty again: a person sending the form back is not caught twice.
            self.data = self.data.copy()
            self.data[self.honeypot_name] = ""
            raise forms.ValidationError(
                _("We could not create your account. Please check the form and send it again."),
                code="honeypot",
            )
        return self.cleaned_data


def language_choices():
    """Languages a person may say they speak, named in the language of the page."""
    choices = []
    for code, _name in global_settings.LANGUAGES:
        if "-" in code:
            continue
        try:
            choices.append((code, get_language_info(code)["name_translated"]))
        except KeyError:
            continue
    return sorted(choices, key=lambda choice: choice[1].casefold())


class SkillsField(CommaSeparatedField):
    """Skills as comma-separated words."""

    max_items = MAX_SKILLS
    max_item_length = 50
    too_many_message = _("Please list at most %(max)s skills.")
    too_long_message = _("Each skill can be at most 50 characters long.")


class ProfileForm(forms.ModelForm):
    label_suffix = ""

    skills = SkillsField(
        label=_("Skills"),
        required=False,
        help_text=_("Separate skills with commas, e.g. open data, service design, Python."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        required=False,
        choices=language_choices,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=SEVERAL_HELP,
    )
    links = LinksField(
        max_items=MAX_LINKS,
        max_length=200,
        help_text=_("Your website or social media profiles, one per line (at most 5)."),
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
        help_text=_("A JPEG, PNG, WebP or GIF of at most 5 MB. We crop it to 512 × 512 pixels."),
    )

    class Meta:
        model = User
        fields = ["name", *PROFILE_DETAILS, "moderation_notices"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "maxlength": 1000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        # Sorted by the name in the page's language, case and accents aside (a fresh queryset:
        # the form's was made when the module was imported, in its language).
        self.fields["country"].queryset = self.fields["country"].queryset.by_name()
        self.fields["country"].empty_label = _("(none)")
        for name, token in PROFILE_AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        # Only moderators (staff who may review a kind) get notices to switch off.
        if not (self.instance.is_staff and kinds_moderated_by(self.instance)):
            del self.fields["moderation_notices"]
        form_note_pending_images(self)

    def clean_avatar(self):
        return clean_image_upload(
            self.cleaned_data.get("avatar"), max_size=AVATAR_SIZE, name_prefix="avatar", square=True
        )

    def profile_changes(self) -> dict:
        """The plain fields, for the service; the avatar travels separately."""
        return {field: self.cleaned_data[field] for field in self.fields if field != "avatar"}

    def new_avatar(self):
        """The re-encoded avatar, or a DeferredImage for a task to re-encode, or None."""
        upload = self.cleaned_data.get("avatar")
        return upload if isinstance(upload, ContentFile | DeferredImage) else None

    def avatar_removed(self) -> bool:
        return self.cleaned_data.get("avatar") is False

    def _post_clean(self):
        # The service writes the model; only the fields' own validation runs here.
        avatar = self.cleaned_data.pop("avatar", None)
        super()._post_clean()
        self.cleaned_data["avatar"] = avatar


class AccountDeleteForm(forms.Form):
    confirm_email = forms.EmailField(
        label=_("Type your email address to confirm"),
        help_text=_("This cannot be undone."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_confirm_email(self):
        email = self.cleaned_data["confirm_email"]
        if email.strip().lower() != self.user.email.lower():
            raise ValidationError(
                _("That is not the email address of your account."), code="mismatch"
            )
        return email
