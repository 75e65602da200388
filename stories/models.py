"""Stories: news, blog posts and case studies written by editorial admins; the six thematic
clusters of the community; resources (reports, toolkits, open data sets).

A story is public once it is published and its publication moment has come: scheduling is
only a date in the future, worked out on every read, never a job that must run on time.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.content_models import DetailPage
from core.content_models import name_given_field
from core.content_models import published_index
from core.fields import WebAddressField
from core.models import SearchableQuerySet
from core.models import SearchText
from core.models import Timestamped
from core.models import Titled
from core.models import Vocabulary
from core.models import absolute_url
from core.models import optional_foreign_key
from directory.models import Organisation
from directory.models import Project
from directory.models import SocialArea
from directory.models.vocabularies import social_areas_field


class Category(Vocabulary):
    """News, blog, interview... (edited and translated in the admin)."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Kind(models.TextChoices):
    NEWS = "news", _("news")
    BLOG = "blog", _("blog post")
    CASE_STUDY = "case_study", _("case study")


class EditorialStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class StoryQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see: published, and its publication moment has come."""
        return self.filter(status=EditorialStatus.PUBLISHED, publish_at__lte=now or timezone.now())

    def scheduled(self, now=None):
        return self.filter(status=EditorialStatus.PUBLISHED, publish_at__gt=now or timezone.now())

    def case_studies(self):
        return self.filter(kind=Kind.CASE_STUDY)

    def next_publish_at(self, now=None):
        """When the next scheduled story comes out (None if none is scheduled): what is made
        of the stories now holds until then. One query."""
        return (
            self.scheduled(now).order_by("publish_at").values_list("publish_at", flat=True).first()
        )

    def newest(self):
        return self.order_by("-publish_at", "-pk")

    def with_cards(self):
        return self.select_related("author").prefetch_related("categories", "social_areas")


class Story(DetailPage, SearchText, Titled, Timestamped):
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NEWS)
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences for cards.")
    )
    body = models.TextField(_("text"), blank=True)
    author = optional_foreign_key(settings.AUTH_USER_MODEL, _("author"))
    author_name = name_given_field(
        _("author's name"), _("As shown on the story; the author account's name if left empty.")
    )
    featured_image = models.ImageField(_("featured image"), upload_to="stories/", blank=True)
    featured_image_alt = models.CharField(
        _("featured image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="+"
    )
    social_areas = social_areas_field()
    # Case studies: the initiative they are about, in the directory.
    project = optional_foreign_key(Project, _("project"), related_name="case_studies")
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="case_studies"
    )
    is_featured = models.BooleanField(_("featured"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EditorialStatus.choices,
        default=EditorialStatus.DRAFT,
    )
    publish_at = models.DateTimeField(
        _("publication"),
        default=timezone.now,
        help_text=_("A moment in the future schedules the story: it appears then."),
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-publish_at", "-pk"]
        indexes = [
            published_index("-publish_at", "-id", name="story_pub_newest"),
            published_index("search_vector", name="story_pub_search", index=GinIndex),
        ]

    def get_permanent_url(self) -> str:
        """Its page in the site's default language, as an absolute URL."""
        with translation.override(settings.LANGUAGE_CODE):
            return absolute_url(self.get_absolute_url())

    @property
    def byline(self) -> str:
        if self.author_name:
            return self.author_name
        return getattr(self.author, "name", "") if self.author_id else ""

    def listed_categories(self) -> list:
        """The categories its card lists: not one that only repeats its kind (the "News"
        category of a news story, shown as its kind already). Uses prefetched categories."""
        return [category for category in self.categories.all() if category.slug != self.kind]


class Cluster(models.Model):
    """One of the six thematic communities: its social area, lead partner and introduction.
    Its page gathers everything in the hub tagged with that social area."""

    social_area = models.OneToOneField(
        SocialArea, verbose_name=_("social area"), on_delete=models.PROTECT, related_name="cluster"
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    introduction = models.TextField(_("introduction"), blank=True)
    lead_partner = optional_foreign_key(Organisation, _("lead partner in the directory"))
    lead_partner_name = models.CharField(_("lead partner"), max_length=200)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.social_area.name


class ResourceKind(models.TextChoices):
    REPORT = "report", pgettext_lazy("kind of resource", "report")
    TOOLKIT = "toolkit", _("toolkit")
    DATASET = "dataset", _("open data set")
    OTHER = "other", _("other")


class ResourceQuerySet(SearchableQuerySet):
    # Equally relevant: newest publication first, those without a date last.
    relevance_then = (models.F("published_on").desc(nulls_last=True), "-pk")

    def listed(self):
        """What the public may see: the resources an editor has not unlisted."""
        return self.filter(is_listed=True)

    def newest(self):
        """Newest publication first; those without a date last."""
        return self.order_by(*self.relevance_then)


class Resource(SearchText):
    """A report, toolkit or open data set elsewhere on the web, listed on cluster pages."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ResourceKind.choices, default=ResourceKind.REPORT
    )
    description = models.TextField(_("description"), blank=True)
    url = WebAddressField(_("address"), max_length=500, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("published"), null=True, blank=True)
    social_areas = social_areas_field()
    is_listed = models.BooleanField(_("listed"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    # Kept in step by stories.services.resource_search_fields on every write (the admin, the
    # CSV import, the demo content).

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-published_on", "title"]
        indexes = [
            GinIndex(
                fields=["search_vector"],
                name="resource_listed_search",
                condition=Q(is_listed=True),
            ),
        ]

    def __str__(self):
        return self.title
