from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Left, Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.models import (
    LICENCE_URLS,
    Licence,
    SearchableQuerySet,
    SearchText,
    Status,
    Vocabulary,
    absolute_url,
    default_licence,
)

# --- Controlled vocabularies: rows, editable by admins and translated (django-modeltranslation).


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


class Tag(models.Model):
    """A free tag ("refugees", "FabLab network"); one row per spelling, matched by slug."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


# --- Profiles: organisations and projects --------------------------------------------------


# Columns that cards never show, left out of list queries (they are most of a row's size).
CARD_DEFERRED = [
    "description",
    "search_title",
    "search_body",
    "search_vector",
    "facet_keys",
    "spam_signals",
    "rejection_reason",
    "links",
]


class ProfileQuerySet(SearchableQuerySet):
    relevance_then = ("name", "pk")

    def published(self):
        """What the public may see: published profiles only, everywhere."""
        return self.filter(status=Status.PUBLISHED)

    def newest(self):
        return self.order_by("-published_at", "-pk")

    def for_cards(self):
        """Leave out the long text and search columns a card never shows: lists load fast."""
        return self.defer(*CARD_DEFERRED).annotate(excerpt=Left("description", 400))

    def managed_by(self, user):
        """Profiles the user may edit: those where they are owner or admin."""
        return self.filter(
            memberships__user=user, memberships__role__in=[Role.OWNER, Role.ADMIN]
        ).distinct()


class OrganisationQuerySet(ProfileQuerySet):
    def with_cards(self):
        """What a card shows: the country and type, without a query per card."""
        return self.select_related("country", "organisation_type").for_cards()

    def with_details(self):
        """What the detail page shows, in a bounded number of queries."""
        return self.select_related(
            "country", "organisation_type", "organisation_size"
        ).prefetch_related("tags", "network_tags")


class ProjectQuerySet(ProfileQuerySet):
    def with_cards(self):
        return self.prefetch_related("countries").for_cards().defer("social_impact")

    def with_details(self):
        return self.prefetch_related(
            "countries",
            "social_areas",
            "technologies",
            "focus",
            "who_we_help",
            "network_tags",
            "tags",
        )


class Profile(SearchText):
    """What organisations and projects share: identity, text, place, images, lifecycle, search."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    short_description = models.CharField(
        _("short description"),
        max_length=300,
        blank=True,
        help_text=_("One sentence, shown on cards and in search results."),
    )
    description = models.TextField(_("description"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    links = ArrayField(
        models.URLField(max_length=500),
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
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    spam_score = models.PositiveSmallIntegerField(
        _("spam score"),
        default=0,
        help_text=_("0 to 100: how much the submission looks like spam."),
    )
    spam_signals = models.JSONField(_("spam signals"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    legacy_id = models.PositiveIntegerField(
        _("ID on digitalsocial.eu"), null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    # Kept in step by directory.search.profile_reindex: accent-folded text and filter keys.
    facet_keys = ArrayField(models.CharField(max_length=140), default=list, editable=False)

    class Meta:
        abstract = True
        ordering = ["name"]

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
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    @property
    def kind(self) -> str:
        return self._meta.model_name


def profile_indexes(prefix: str) -> list:
    published = models.Q(status=Status.PUBLISHED)
    return [
        models.Index(fields=["status", "-published_at"], name=f"{prefix}_status_pub"),
        models.Index(fields=["name", "id"], condition=published, name=f"{prefix}_pub_name"),
        models.Index(
            fields=["-published_at", "-id"], condition=published, name=f"{prefix}_pub_new"
        ),
        models.Index(fields=["-updated_at", "-id"], condition=published, name=f"{prefix}_pub_upd"),
        GinIndex(fields=["search_vector"], condition=published, name=f"{prefix}_pub_search"),
        GinIndex(fields=["facet_keys"], condition=published, name=f"{prefix}_pub_facets"),
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
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
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
    start_date = models.DateField(_("founded"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")

    objects = OrganisationQuerySet.as_manager()

    class Meta(Profile.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = profile_indexes("org")
        constraints = coordinate_constraints("org")


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

    class Meta:
        verbose_name = _("organisation behind a project")
        verbose_name_plural = _("organisations behind projects")
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="proj_org_once"),
        ]
        indexes = [models.Index(fields=["organisation", "project"], name="proj_org_by_org")]

    def __str__(self):
        return f"{self.organisation} – {self.project} ({self.get_role_display()})"


# --- People around profiles: members, invitations, requests to join, reports ----------------


class Role(models.TextChoices):
    OWNER = "owner", _("owner")
    ADMIN = "admin", _("admin")
    MEMBER = "member", _("member")


MANAGING_ROLES = (Role.OWNER, Role.ADMIN)


class AboutAProfile(models.Model):
    """Belongs to exactly one organisation or one project."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, project__isnull=True)
                | models.Q(organisation__isnull=True, project__isnull=False),
                name="%(class)s_one_profile",
            )
        ]

    @property
    def profile(self):
        return self.organisation or self.project

    @classmethod
    def profile_kwargs(cls, profile) -> dict:
        """The filter/create arguments that point at this profile."""
        return {profile.kind: profile}


class Membership(AboutAProfile):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_public = models.BooleanField(_("shown on the profile"), default=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta(AboutAProfile.Meta):
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            *AboutAProfile.Meta.constraints,
            models.UniqueConstraint(fields=["user", "organisation"], name="member_of_org_once"),
            models.UniqueConstraint(fields=["user", "project"], name="member_of_proj_once"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(role="owner"),
                name="one_owner_per_org",
            ),
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(role="owner"), name="one_owner_per_proj"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) – {self.profile}"


class Invitation(AboutAProfile):
    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", _("cancelled")

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta(AboutAProfile.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(Lower("email"), "state", name="invitation_email_state")]

    def __str__(self):
        return f"{self.email} → {self.profile}"


class JoinRequest(AboutAProfile):
    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(AboutAProfile.Meta):
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")

    def __str__(self):
        return f"{self.user} → {self.profile}"


class Report(AboutAProfile):
    """A visitor's report that a profile is spam, wrong or offensive, for moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        INACCURATE = "inaccurate", _("wrong or out-of-date information")
        OFFENSIVE = "offensive", _("offensive or harmful content")
        DUPLICATE = "duplicate", _("a duplicate of another profile")
        OTHER = "other", _("something else")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")
        DISMISSED = "dismissed", _("dismissed")

    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    message = models.TextField(_("details"), max_length=2000, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(AboutAProfile.Meta):
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.profile}"
