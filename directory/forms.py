"""Practitioners' forms: the guided steps that create and edit organisation and project profiles.

Forms only validate. They never write: each step form hands plain values (`fields()`) and related
rows (`relations()`) to directory.services.profiles, which keeps the history and the search index.
ModelForms here borrow the models' labels, limits and choices, but do not touch the instance
(see `StepForm._post_clean`), so the service can tell what changed.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxLengthValidator
from django.forms import modelform_factory
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_TEXT
from core.forms import NEW_ACCOUNT_MAX_LINKS
from core.forms import SEVERAL_HELP
from core.forms import CommaSeparatedField
from core.forms import DraftFormMixin
from core.forms import HoneypotMixin
from core.forms import LinksField
from core.forms import rich_text_help
from core.forms import use_rich_text
from core.images import DeferredImage
from core.images import clean_image_upload
from core.pending_images import form_note_pending_images
from core.spam import account_is_new
from core.spam import count_links
from directory.forms_picker import ProjectOrganisationsForm
from directory.models import Country
from directory.models import Organisation
from directory.models import Project
from directory.places import FROM_GAZETTEER
from directory.places import FROM_PROFILE
from directory.places import add_location_picker
from directory.places import clean_coordinates
from directory.places import coordinate_field
from directory.places import latitude_field
from directory.places import location_picker_media
from directory.services.profiles import tags_from_names

MAX_TAGS = 20
MAX_LINKS = 10
LOGO_SIZE = (512, 512)
HEADER_SIZE = (2000, 800)
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
IMAGE_HELP = _("A JPEG, PNG, WebP or GIF of at most 5 MB and 40 megapixels.")


# --- Fields ------------------------------------------------------------------------------------


class TagsField(CommaSeparatedField):
    """Free tags as comma-separated text ("refugees, open data"); cleans to a list of names."""

    max_items = MAX_TAGS
    max_item_length = 100
    too_many_message = _("Please give at most %(max)s tags.")
    too_long_message = _("Each tag can be at most 100 characters long.")
    too_long_code = "long"

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("help_text", _("Separate tags with commas, e.g. open data, refugees."))
        super().__init__(**kwargs)

    def normalise(self, part: str) -> str:
        return " ".join(part.split())


# --- Step forms --------------------------------------------------------------------------------


class StepForm(DraftFormMixin, forms.ModelForm):
    """One step of the guided form, for the profile given as `instance`; a draft's step saves
    whatever is valid (core.forms.DraftFormMixin: `needed_at_submission`, `kept_together`),
    and profile_missing lists what it lacks on the submit step."""

    # Text fields that hold free tags: form field name -> many-to-many name on the model.
    tag_fields: dict[str, str] = {}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, relation in self.tag_fields.items():
            if self.instance.pk and name in self.fields and not self.is_bound:
                self.initial[name] = [tag.name for tag in getattr(self.instance, relation).all()]
        self.relax_for_draft()

    def _post_clean(self):
        # The service writes the profile and validates the model; leave the instance as it is.
        pass

    def field_values(self) -> dict:
        """Plain values for the service."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name in self.cleaned_data and not self._is_many_to_many(name)
        }

    def relation_rows(self) -> dict:
        """Related rows for the service (vocabularies, and tags created where new)."""
        relations = {
            name: list(self.cleaned_data[name])
            for name in self.Meta.fields
            if name in self.cleaned_data and self._is_many_to_many(name)
        }
        for name, relation in self.tag_fields.items():
            if name in self.cleaned_data:
                relations[relation] = tags_from_names(self.cleaned_data[name])
        return relations

    def _is_many_to_many(self, name: str) -> bool:
        return self._meta.model._meta.get_field(name).many_to_many


class ProfileCreateForm(HoneypotMixin, StepForm):
    """Step 1: what we need to look for similar profiles before creating a draft."""

    class Meta:
        fields = ["name", "short_description", "website", "city"]
        widgets = {"short_description": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "organization"
        self.fields["website"].assume_scheme = "https"
        self.fields["website"].help_text = _("Its address, e.g. https://example.org.")
        if "city" in self.fields:
            self.fields["city"].help_text = _("Where you are based, if anywhere.")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not any(char.isalnum() for char in name):
            raise ValidationError(_("Please give a name with letters or digits."), code="name")
        return name

    def field_values(self) -> dict:
        values = super().field_values()
        values.pop("name")
        return values


OrganisationCreateForm = modelform_factory(Organisation, form=ProfileCreateForm)
ProjectCreateForm = modelform_factory(Project, form=ProfileCreateForm)


class BasicsForm(ProfileCreateForm):
    """Name, card line and website of an existing profile (no honeypot: drafts are not spam)."""

    fax_number = None

    class Meta(ProfileCreateForm.Meta):
        fields = ["name", "short_description", "website"]

    def field_values(self) -> dict:
        return StepForm.field_values(self)


OrganisationBasicsForm = modelform_factory(Organisation, form=BasicsForm)
ProjectBasicsForm = modelform_factory(Project, form=BasicsForm)


class AboutForm(StepForm):
    """Rich text, sanitised by the service; new accounts may include only a couple of links."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))
            self.fields[name].widget.attrs.update(maxlength=MAX_TEXT)
            use_rich_text(self.fields[name])
        self.fields["description"].help_text = rich_text_help(_("What you do, for whom and how."))

    def clean(self):
        cleaned = super().clean()
        if account_is_new(self.user):
            texts = {name: cleaned.get(name, "") for name in self.Meta.fields}
            if count_links(*texts.values()) > NEW_ACCOUNT_MAX_LINKS:
                with_links = [name for name, text in texts.items() if count_links(text)]
                self.add_error(
                    with_links[-1],
                    ValidationError(
                        _(
                            "New accounts can include at most %(max)s links in the text. Please "
                            "remove some; you can list your website and social media pages in "
                            "the “Images and links” step."
                        )
                        % {"max": NEW_ACCOUNT_MAX_LINKS},
                        code="too_many_links",
                    ),
                )
        return cleaned


OrganisationAboutForm = modelform_factory(Organisation, form=AboutForm, fields=["description"])


class ProjectAboutForm(AboutForm):
    class Meta:
        model = Project
        fields = ["description", "social_impact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_impact"].help_text = rich_text_help(
            _("What difference the project makes, and for whom.")
        )


class PlaceForm(StepForm):
    """Where the profile is; coordinates optional, both or neither, found from the city when
    left empty (directory.places), and placed on a map where JavaScript runs."""

    latitude = latitude_field()
    longitude = coordinate_field(
        label=_("Longitude"),
        limit=180,
        help_text=_(
            "Optional, in decimal degrees between -180 and 180, e.g. 2.1686. If you leave both "
            "empty we use those of another profile in the same city, or those of the city "
            "itself when we know it."
        ),
    )
    # Where the coordinates were found, when they were left empty: another profile's, or the
    # city's in the gazetteer.
    coordinates_reused = False
    coordinates_from_city = False
    kept_together = (frozenset({"latitude", "longitude"}),)
    countries_field = "country"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"
        add_location_picker(self, countries=self.countries_field)

    @property
    def media(self):
        return super().media + location_picker_media()

    def country_ids(self) -> list[int]:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        source = clean_coordinates(self, cleaned, self.country_ids())
        self.coordinates_reused = source == FROM_PROFILE
        self.coordinates_from_city = source == FROM_GAZETTEER
        return cleaned


class OrganisationPlaceForm(PlaceForm):
    class Meta:
        model = Organisation
        fields = ["country", "city", "address", "latitude", "longitude"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.by_name()
        self.fields["country"].empty_label = _("(choose a country)")
        self.fields["country"].help_text = _("Needed before you submit the profile.")
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"

    def country_ids(self) -> list[int]:
        country = self.cleaned_data.get("country")
        return [country.pk] if country else []


class ProjectPlaceForm(PlaceForm):
    countries_field = "countries"

    class Meta:
        model = Project
        fields = ["countries", "city", "latitude", "longitude"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].queryset = Country.objects.by_name()
        self.fields["countries"].widget.attrs["size"] = 10
        self.fields["countries"].help_text = format_lazy(
            "{} {}", _("The countries the project works in."), SEVERAL_HELP
        )
        self.fields["city"].help_text = _("The city the project is based in, if any.")

    def country_ids(self) -> list[int]:
        return [country.pk for country in self.cleaned_data.get("countries") or []]


class OrganisationDetailsForm(StepForm):
    tags_text = TagsField(label=_("Tags"))
    networks_text = TagsField(
        label=_("Networks"),
        help_text=_("Networks you belong to, separated by commas, e.g. FabLab network."),
    )
    tag_fields = {"tags_text": "tags", "networks_text": "network_tags"}

    class Meta:
        model = Organisation
        fields = ["organisation_type", "organisation_size", "start_date"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_type"].empty_label = _("(not stated)")
        self.fields["organisation_size"].empty_label = _("(not stated)")
        self.fields["start_date"].help_text = _("The date it was founded, e.g. 2015-03-01.")


class ProjectTopicsForm(StepForm):
    who_text = TagsField(
        label=_("Who we help"),
        help_text=_("Groups of people, separated by commas, e.g. refugees, older people."),
    )
    networks_text = TagsField(
        label=_("Networks"),
        help_text=_("Networks the project belongs to, separated by commas."),
    )
    tags_text = TagsField(label=_("Other tags"))
    tag_fields = {"who_text": "who_we_help", "networks_text": "network_tags", "tags_text": "tags"}
    needed_at_submission = ("social_areas", "technologies")

    class Meta:
        model = Project
        fields = ["social_areas", "technologies", "focus"]
        widgets = {
            "social_areas": forms.CheckboxSelectMultiple,
            "technologies": forms.CheckboxSelectMultiple,
            "focus": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_areas"].help_text = _("Choose at least one.")
        self.fields["technologies"].help_text = _("Choose at least one.")
        self.fields["focus"].help_text = _("The open-technology trends the project belongs to.")
        self.fields["social_areas"].error_messages["required"] = _(
            "Please choose at least one social area."
        )
        self.fields["technologies"].error_messages["required"] = _(
            "Please choose at least one technology."
        )


class ProjectDatesForm(StepForm):
    class Meta:
        model = Project
        fields = ["start_date", "end_date", "live"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                ValidationError(_("The end date cannot be before the start date."), code="order"),
            )
        return cleaned


class ImagesForm(StepForm):
    """Logo, header image (validated and re-encoded) and links."""

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=format_lazy("{} {}", IMAGE_HELP, _("Shown at up to 512 × 512 pixels.")),
    )
    header_image = forms.FileField(
        label=_("Header image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=format_lazy("{} {}", IMAGE_HELP, _("A wide picture, shown across the page.")),
    )
    links = LinksField(
        max_items=MAX_LINKS,
        max_length=500,
        help_text=_("Social media and other pages, one address per line (at most 10)."),
    )

    class Meta:
        fields = ["logo", "header_image", "links"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_note_pending_images(self)

    def _clean_image(self, name: str, max_size: tuple[int, int]):
        return clean_image_upload(
            self.cleaned_data.get(name), max_size=max_size, name_prefix=name.replace("_", "-")
        )

    def clean_logo(self):
        return self._clean_image("logo", LOGO_SIZE)

    def clean_header_image(self):
        return self._clean_image("header_image", HEADER_SIZE)

    def field_values(self) -> dict:
        values = {"links": self.cleaned_data["links"]} if "links" in self.cleaned_data else {}
        for name in ("logo", "header_image"):
            value = self.cleaned_data.get(name)
            if isinstance(value, ContentFile | DeferredImage):
                values[name] = value
            elif value is False:  # "Clear" ticked
                values[name] = ""
        return values


OrganisationImagesForm = modelform_factory(Organisation, form=ImagesForm)
ProjectImagesForm = modelform_factory(Project, form=ImagesForm)


STEP_FORMS = {
    "organisation": {
        "basics": OrganisationBasicsForm,
        "about": OrganisationAboutForm,
        "place": OrganisationPlaceForm,
        "details": OrganisationDetailsForm,
        "images": OrganisationImagesForm,
    },
    "project": {
        "basics": ProjectBasicsForm,
        "about": ProjectAboutForm,
        "place": ProjectPlaceForm,
        "topics": ProjectTopicsForm,
        "dates": ProjectDatesForm,
        "organisations": ProjectOrganisationsForm,
        "images": ProjectImagesForm,
    },
}
CREATE_FORMS = {"organisation": OrganisationCreateForm, "project": ProjectCreateForm}


class SubmitForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    consent = forms.BooleanField(
        label=_("I agree to publish this profile’s text under the licence stated above."),
        required=True,
        error_messages={"required": _("Please tick the box to agree to the licence.")},
    )


class ConfirmForm(forms.Form):
    """A POST with nothing but CSRF: for confirmations such as archiving."""
