"""Profiles: organisations and projects, and the links between them."""

from django.conf import settings
from django.db import models
from django.db.models import Case
from django.db.models import F
from django.db.models import When
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.fields import SingleLineCharField
from core.fields import WebAddressesField
from core.fields import WebAddressField
from core.models import LICENCE_URLS
from core.models import Licence
from core.models import Reviewed
from core.models import Status
from core.models import absolute_url
from core.models import default_licence
from core.models import optional_foreign_key
from core.models import published_search_indexes
from core.models import short_description_field
from directory.cities import city_canonical
from directory.models.querysets import OrganisationQuerySet
from directory.models.querysets import ProjectOrganisationQuerySet
from directory.models.querysets import ProjectQuerySet
from directory.models.vocabularies import Country
from directory.models.vocabularies import DSIFocus
from directory.models.vocabularies import OrganisationSize
from directory.models.vocabularies import OrganisationType
from directory.models.vocabularies import SocialArea
from directory.models.vocabularies import Tag
from directory.models.vocabularies import Technology


class Profile(Reviewed):
    """What organisations and projects share: identity, text, place, images, lifecycle, search."""

    name = SingleLineCharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    website = WebAddressField(_("website"), max_length=500, blank=True)
    short_description = short_description_field(
        _("One sentence, shown on cards and in search results.")
    )
    description = models.TextField(_("description"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    links = WebAddressesField(
        verbose_name=_("links"),
        default=list,
        blank=True,
        help_text=_("Social media and other pages, one address per line."),
    )
    logo = models.ImageField(_("logo"), upload_to="directory/logos/", blank=True)
    header_image = models.ImageField(_("header image"), upload_to="directory/headers/", blank=True)
    network_tags = models.ManyToManyField(
        Tag, verbose_name=_("networks"), blank=True, related_name="+"
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=default_licence
    )
    spam_score = models.PositiveSmallIntegerField(
        _("spam score"),
        default=0,
        help_text=_("0 to 100: how much the submission looks like spam."),
    )
    spam_signals = models.JSONField(_("spam signals"), default=list, blank=True)
    created_by = optional_foreign_key(settings.AUTH_USER_MODEL, _("created by"))
    legacy_id = models.PositiveIntegerField(
        _("ID on digitalsocial.eu"), null=True, blank=True, unique=True, editable=False
    )
    # Dates: `created_at` is when the profile was created (on the hub, or on digitalsocial.eu for
    # an imported one: empty when the 2017 export did not know), `published_at` when it was
    # published on the hub, `updated_at` when it last changed, and an organisation's
    # `start_date` when it was founded. "Newest" reads `listed_at`: when the profile first
    # appeared in a directory, so that the 2017 profiles keep their place (or go last, undated)
    # instead of all looking new on the day they were imported.
    created_at = models.DateTimeField(
        _("created"),
        default=timezone.now,
        null=True,
        blank=True,
        help_text=_("Empty for profiles imported from digitalsocial.eu without a known date."),
    )
    listed_at = models.GeneratedField(
        expression=Case(
            When(legacy_id__isnull=False, then=F("created_at")), default=F("published_at")
        ),
        output_field=models.DateTimeField(),
        db_persist=True,
        verbose_name=_("listed since"),
    )

    class Meta:
        abstract = True
        # The folded name: case and accents ignored (querysets.BY_NAME).
        ordering = ["search_title", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(f"directory:{self.kind}_detail", kwargs={"slug": self.slug})

    def get_permanent_url(self) -> str:
        """Its page in the site's default language, as an absolute URL: one address for it
        whatever the language (the API's `url`, the JSON-LD's @id)."""
        with translation.override(settings.LANGUAGE_CODE):
            return absolute_url(self.get_absolute_url())

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    @property
    def kind(self) -> str:
        return self._meta.model_name

    # --- The city, as the gazetteer names the place (directory.cities) ---------------------------

    @classmethod
    def from_db(cls, db, field_names, values):
        profile = super().from_db(db, field_names, values)
        # As stored: an unchanged city is not looked up again on every save.
        profile._city_written = profile.__dict__.get("city")
        return profile

    def city_country_code(self) -> str | None:
        """The one country (ISO code) the city is looked up in, if the profile says which."""
        raise NotImplementedError

    def city_as_written(self, typed: str, country_code: str | None) -> str:
        """The city typed as the gazetteer names the place ("Milano" -> "Milan"), among the
        places of `country_code` when given; the next save keeps it as it is."""
        city = city_canonical(typed, country_code)[:100]
        self._city_written = city
        return city

    def save(self, *args, **kwargs):
        # Whoever saves a profile (the forms' services, the admin, a shell), its city is written
        # one way, so the lists' counts by city do not split between spellings; the services
        # say which spelling was typed in the history.
        update_fields = kwargs.get("update_fields")
        written = update_fields is None or "city" in update_fields
        if written and self.city != getattr(self, "_city_written", None):
            self.city = self.city_as_written(self.city, self.city_country_code())
        super().save(*args, **kwargs)

    @property
    def changed_since_published(self) -> bool:
        """Whether the profile changed on a later day than it was published on the hub (an
        import or an approval touches the row on its publication day: no "Last updated" then)."""
        if self.updated_at is None or self.published_at is None:
            return False
        return timezone.localdate(self.updated_at) > timezone.localdate(self.published_at)


def profile_indexes(prefix: str) -> list:
    published = models.Q(status=Status.PUBLISHED)
    return [
        models.Index(fields=["status", "-published_at"], name=f"{prefix}_status_pub"),
        # The name order (querysets.BY_NAME) of the lists, the API and the downloads.
        models.Index(fields=["search_title", "id"], condition=published, name=f"{prefix}_pub_sort"),
        models.Index(
            F("listed_at").desc(nulls_last=True),
            F("id").desc(),
            condition=published,
            name=f"{prefix}_pub_listed",
        ),
        models.Index(fields=["-updated_at", "-id"], condition=published, name=f"{prefix}_pub_upd"),
        *published_search_indexes(prefix),
    ]


def coordinate_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=models.Q(latitude__isnull=True)
            | models.Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=models.Q(longitude__isnull=True)
            | models.Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
    ]


class Organisation(Profile):
    country = optional_foreign_key(
        Country, _("country"), on_delete=models.PROTECT, related_name=None
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    organisation_type = optional_foreign_key(
        OrganisationType, _("type"), on_delete=models.PROTECT, related_name=None
    )
    organisation_size = optional_foreign_key(
        OrganisationSize, _("size"), on_delete=models.PROTECT, related_name=None
    )
    start_date = models.DateField(_("founded"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")

    objects = OrganisationQuerySet.as_manager()

    class Meta(Profile.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = profile_indexes("org")
        constraints = coordinate_constraints("org")

    def city_country_code(self) -> str | None:
        return self.country.code if self.country_id else None


class Project(Profile):
    social_impact = models.TextField(_("social impact"), blank=True)
    live = models.BooleanField(
        _("live"), default=True, help_text=_("Untick when the project has come to an end.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty if the project is ongoing.")
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="projects"
    )
    social_areas = models.ManyToManyField(
        SocialArea, verbose_name=_("social areas"), related_name="projects"
    )
    technologies = models.ManyToManyField(
        Technology, verbose_name=_("technologies"), related_name="projects"
    )
    focus = models.ManyToManyField(
        DSIFocus, verbose_name=_("DSI focus"), blank=True, related_name="projects"
    )
    who_we_help = models.ManyToManyField(
        Tag, verbose_name=_("who we help"), blank=True, related_name="+"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations"),
        through="ProjectOrganisation",
        blank=True,
        related_name="projects",
    )

    objects = ProjectQuerySet.as_manager()

    class Meta(Profile.Meta):
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = profile_indexes("proj")
        constraints = [
            *coordinate_constraints("proj"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="proj_ends_after_start",
            ),
        ]

    def city_country_code(self) -> str | None:
        """Its country when it works in exactly one (as saved: a form's new countries are
        written after the profile)."""
        if self.pk is None:
            return None
        codes = {country.code for country in self.countries.all()}
        return codes.pop() if len(codes) == 1 else None


class ProjectOrganisation(models.Model):
    """An organisation behind a project: the lead, or a partner."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead organisation")
        PARTNER = "partner", _("partner")

    # Each side is found through a two-column index holding the other side too, so a
    # profile's links are read from the index alone (proj_org_once, proj_org_by_org).
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="links_to_organisations", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="links_to_projects", db_index=False
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.PARTNER)

    objects = ProjectOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation behind a project")
        verbose_name_plural = _("organisations behind projects")
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="proj_org_once"),
        ]
        indexes = [models.Index(fields=["organisation", "project"], name="proj_org_by_org")]

    def __str__(self):
        return f"{self.organisation} – {self.project} ({self.get_role_display()})"
