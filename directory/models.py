from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Controlled vocabularies: rows, editable by admins and translated (django-modeltranslation).


class Vocabulary(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Country(Vocabulary):
    """A country, from ISO 3166-1 (pycountry); names are translated from its own catalogues."""

    code = models.CharField(_("ISO 3166-1 code"), max_length=2, unique=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["order", "name"]


class OrganisationType(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("organisation type")
        verbose_name_plural = _("organisation types")


class OrganisationSize(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("organisation size")
        verbose_name_plural = _("organisation sizes")


class SocialArea(Vocabulary):
    """An area of social impact ("Health and care"); 2017 names are kept as aliases."""

    aliases = models.JSONField(_("former names"), default=list, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("social area")
        verbose_name_plural = _("social areas")


class Technology(Vocabulary):
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")


class DSIFocus(Vocabulary):
    """One of the four open-technology trends of digital social innovation."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("DSI focus")
        verbose_name_plural = _("DSI focus areas")


# --- Profiles: organisations and projects --------------------------------------------------


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PENDING = "pending", _("pending review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    ARCHIVED = "archived", _("archived")


class ProfileQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published profiles only, everywhere."""
        return self.filter(status=Status.PUBLISHED)

    def newest(self):
        return self.order_by("-published_at", "-pk")

    def matching(self, text: str):
        """Profiles whose name, card line or city contains the text (any case)."""
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(short_description__icontains=text)
            | models.Q(city__icontains=text)
        )


class OrganisationQuerySet(ProfileQuerySet):
    def with_cards(self):
        """What a card shows: the country and type, without a query per card."""
        return self.select_related("country", "organisation_type")


class ProjectQuerySet(ProfileQuerySet):
    def with_cards(self):
        return self.prefetch_related("countries")


class Profile(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    website = models.URLField(_("website"), blank=True)
    short_description = models.CharField(_("short description"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(Profile):
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, null=True, blank=True
    )
    organisation_type = models.ForeignKey(
        OrganisationType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    organisation_size = models.ForeignKey(
        OrganisationSize,
        verbose_name=_("size"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta(Profile.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["status", "-published_at"])]


class Project(Profile):
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
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="projects"
    )

    objects = ProjectQuerySet.as_manager()

    class Meta(Profile.Meta):
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["status", "-published_at"])]
