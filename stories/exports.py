"""Bulk downloads of published stories: /data/stories.csv and /data/stories.json.

Built with the directory's machinery (directory.exports): each column is defined once, and the
files, the `datapackage.json` schema and the data page are generated from the definitions. One
row per story that is public (StoryQuerySet.published: neither a draft nor archived, and its
moment has come), newest first. The rows are filtered by the stories list's FilterSet, so a
download takes the list's query string (q, kind, category, area); the order is always newest
first (the list's unfiltered page puts featured case studies first, a choice of presentation).

As for the directory, a download is one query read with a server-side cursor, plus two small
lookups made once (the categories' names, and the published organisations case studies are
about; the social areas come from the vocabularies' cache); a row's categories, social areas
and organisations are array subqueries of the same query, dates are written by Postgres. A case
study's project and organisations are given while they are published, as on its page.

The whole download is kept as a file (directory.download_files) under the stories' version,
which every admin save moves on. A scheduled story comes out with no save: so the file's name
also carries the moment of the latest story out, and a new file is made once a scheduled
story's moment has come; and the directory's version, for the profiles case studies name and
the social areas (see stories_file_version).
"""

import datetime as dt
from dataclasses import dataclass
from dataclasses import field

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField
from django.db.models import Max
from django.db.models import Min
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Value
from django.db.models.functions import Cast
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.export_columns import moment_annotations
from core.export_columns import page_columns
from core.export_columns import submitted_tail
from core.exports import INTEGER
from core.exports import STRING
from core.exports import Column
from core.exports import Derived
from core.exports import Export
from core.exports import Lookups
from core.exports import cleaned_html
from core.exports import url_parts
from core.models import Status
from core.models import absolute_url
from directory.export_values import english_vocabularies
from directory.export_values import facet_column
from directory.export_values import submitted_lookups
from directory.export_values import term_facets
from directory.models import Organisation
from stories.filters import StoryFilterSet
from stories.models import Category
from stories.models import EditorialStatus
from stories.models import Kind
from stories.models import Story
from stories.services import seconds_until
from stories.services import stories_cache
from stories.services import stories_cached

# How long the moments of the stories' scheduling are kept for one version (they are read
# again sooner, once the next scheduled moment has come).
MOMENTS_CACHE_SECONDS = 24 * 60 * 60
MOMENTS_KEY = "stories:downloads:moments"


def _moments(now) -> tuple[tuple[int, int], dict]:
    """The stories' and the directory's versions, and the moments of the stories' scheduling:
    the latest story out by `now` and the next one to come (None if there is none). Cached
    under the versions: no query while no scheduled moment has passed, one once one has."""
    version, entry = stories_cached(MOMENTS_KEY)
    if entry is None or (entry["next"] is not None and entry["next"] <= now):
        moments = Story.objects.filter(status=EditorialStatus.PUBLISHED).aggregate(
            latest=Max("publish_at", filter=Q(publish_at__lte=now)),
            next=Min("publish_at", filter=Q(publish_at__gt=now)),
        )
        entry = stories_cache(MOMENTS_KEY, moments, version=version, timeout=MOMENTS_CACHE_SECONDS)
    return version, entry


def stories_file_version() -> tuple[int, str]:
    """What a kept whole download of stories is made for: the stories' version, and what else
    its rows follow. That is the moment of the latest story out by now (ISO 8601; empty if none
    is): nothing is saved when a scheduled story comes out, so the version alone would keep
    sending a file without it. And the directory's version: case studies name their project
    and organisations only while those are published, and social areas are the directory's
    vocabulary, neither of which moves the stories' version when it changes."""
    (version, directory), moments = _moments(timezone.now())
    latest = moments["latest"]
    out = latest.astimezone(dt.UTC).isoformat() if latest is not None else ""
    return version, f"{out}|{directory}"


def stories_download_max_age(longest: int) -> int:
    """How long browsers and proxies may keep a stories download: `longest` seconds, or less
    so that none is kept past the next scheduled story's moment."""
    return seconds_until(_moments(timezone.now())[1]["next"], longest)


class StoryDownloadFilterSet(StoryFilterSet):
    """The stories list's filters, newest first whatever is chosen."""

    def filter_queryset(self, queryset):
        for name, value in self.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset.newest()


@dataclass
class StoryLookups(Lookups):
    """The social areas (as the directory's lookups hold them), the categories' English names
    in their display order, the published organisations case studies are about, and the other
    addresses and the licence stories' rows carry."""

    categories: dict[int, tuple[int, str]] = field(default_factory=dict)
    organisations: dict[int, tuple[str, str]] = field(default_factory=dict)
    project_prefix: str = ""
    project_suffix: str = ""
    image_storage: object = None


# --- Derived values: functions of (what they read, lookups) -------------------------------------


def byline(read, lookups) -> str:
    """As Story.byline: the name the story gives, or its author account's name."""
    author_name, account_name = read
    return author_name or account_name or ""


def image_url(name, lookups) -> str:
    return absolute_url(lookups.image_storage.url(name)) if name else ""


def category_names(pks, lookups) -> list[str]:
    categories = lookups.categories
    return [name for _order, name in sorted(categories[pk] for pk in pks if pk in categories)]


def _project(read):
    """A case study's project's value (its id, name or slug), while the project is published."""
    kind, value, status = read
    return value if kind == Kind.CASE_STUDY and status == Status.PUBLISHED else None


def project_id(read, lookups) -> int | None:
    return _project(read)


def project_name(read, lookups) -> str:
    return _project(read) or ""


def project_url(read, lookups) -> str:
    slug = _project(read)
    return lookups.project_prefix + slug + lookups.project_suffix if slug else ""


def _organisations(read, lookups) -> list[tuple[str, str, int]]:
    """A case study's published organisations, by name: (name, slug, pk) each."""
    kind, pks = read
    if kind != Kind.CASE_STUDY or not pks:
        return []
    found = lookups.organisations
    return sorted((found[pk][0], found[pk][1], pk) for pk in pks if pk in found)


def organisation_ids(read, lookups) -> list[int]:
    return [pk for _name, _slug, pk in _organisations(read, lookups)]


def organisation_names(read, lookups) -> list[str]:
    return [name for name, _slug, _pk in _organisations(read, lookups)]


def organisation_urls(read, lookups) -> list[str]:
    prefix, suffix = lookups.organisation_prefix, lookups.organisation_suffix
    return [prefix + slug + suffix for _name, slug, _pk in _organisations(read, lookups)]


def _organisation_columns(*, names: str, ids: str, urls: str) -> list[Column]:
    """A case study's published organisations (see _organisations): their names, their ids and
    their pages, in the same order."""
    reads = ("kind", "organisation_ids")
    return [
        Column("organisations", STRING, names, Derived(organisation_names, *reads), many=True),
        Column("organisation_ids", INTEGER, ids, Derived(organisation_ids, *reads), many=True),
        Column(
            "organisation_urls",
            STRING,
            urls,
            Derived(organisation_urls, *reads),
            many=True,
            format="uri",
        ),
    ]


def _annotations() -> dict:
    links = Story.organisations.through.objects.filter(story_id=OuterRef("pk")).order_by()
    return {
        **moment_annotations("publish_at"),
        # The social areas as filter keys ("area:3"): named by facet_names, as for events.
        "facet_keys": ArraySubquery(
            Story.social_areas.through.objects.filter(story_id=OuterRef("pk"))
            .order_by()
            .annotate(key=Concat(Value("area:"), Cast("socialarea_id", CharField())))
            .values("key")
        ),
        "category_ids": ArraySubquery(
            Story.categories.through.objects.filter(story_id=OuterRef("pk"))
            .order_by()
            .values("category_id")
        ),
        "organisation_ids": ArraySubquery(links.values("organisation_id")),
    }


@dataclass(frozen=True)
class StoryExport(Export):
    def lookups(self, queryset) -> StoryLookups:
        """The social areas (from the vocabularies' cache), the categories and the published
        organisations that stories link to, and the addresses rows are made of: two queries,
        whatever the number of rows."""
        areas = english_vocabularies()["area"]
        with translation.override(settings.LANGUAGE_CODE):
            categories = {
                category.pk: (position, category.name)
                for position, category in enumerate(Category.objects.all())
            }
        linked = Story.organisations.through.objects.values("organisation_id")
        organisations = {
            pk: (name, slug)
            for pk, name, slug in Organisation.objects.published()
            .filter(pk__in=linked)
            .order_by()
            .values_list("pk", "name", "slug")
        }
        project_prefix, project_suffix = url_parts("directory:project_detail")
        return StoryLookups(
            facets=term_facets({"area": areas}),
            names={},
            country_codes={},
            tags={},
            **submitted_lookups("stories:story_detail"),
            categories=categories,
            organisations=organisations,
            project_prefix=project_prefix,
            project_suffix=project_suffix,
            image_storage=Story._meta.get_field("featured_image").storage,
        )


STORIES = StoryExport(
    order=40,
    plural="stories",
    title=_("Stories"),
    description=_(
        "The published stories of the hub: news, blog posts and case studies of digital social "
        "innovation, one row each, newest first."
    ),
    filterset_class=StoryDownloadFilterSet,
    kept_version=stories_file_version,
    max_age=stories_download_max_age,
    annotations=_annotations,
    columns=(
        Column("story_id", INTEGER, _("The story's id on the hub; it never changes."), "id"),
        Column(
            "kind",
            STRING,
            _("What the story is: news, blog (a blog post) or case_study (a case study)."),
        ),
        Column("title", STRING, _("The story's title.")),
        *page_columns(
            slug=_("The story's short name in addresses, unique among stories."),
            url=_("The address of the story's page on the hub (in English)."),
        ),
        Column("summary", STRING, _("What the story is about, in a sentence or two.")),
        Column(
            "body",
            STRING,
            _("The story's text, as HTML limited to text, lists and links."),
            Derived(cleaned_html, "body"),
        ),
        Column(
            "author",
            STRING,
            _("Who wrote the story, as the story names them; empty if it names no one."),
            Derived(byline, "author_name", "author__name"),
        ),
        Column(
            "featured_image",
            STRING,
            _("The address of the story's image, if it has one."),
            Derived(image_url, "featured_image"),
            format="uri",
        ),
        Column(
            "featured_image_alt", STRING, _("What the image shows, for people who cannot see it.")
        ),
        Column(
            "categories",
            STRING,
            _("The story's categories, by English name."),
            Derived(category_names, "category_ids"),
            many=True,
        ),
        facet_column(
            "social_areas",
            "area",
            _("The areas of social impact the story is about, by English name."),
        ),
        Column(
            "project",
            STRING,
            _("For a case study, the name of the project it is about, when it is published."),
            Derived(project_name, "kind", "project__name", "project__status"),
        ),
        Column(
            "project_id",
            INTEGER,
            _(
                "That project's id in the directory (project_id in the projects files); empty "
                "otherwise."
            ),
            Derived(project_id, "kind", "project_id", "project__status"),
        ),
        Column(
            "project_url",
            STRING,
            _("The address of that project's page on the hub."),
            Derived(project_url, "kind", "project__slug", "project__status"),
            format="uri",
        ),
        *_organisation_columns(
            names=_("For a case study, the published organisations it is about, by name."),
            ids=_(
                "Their ids in the directory (organisation_id in the organisations files), in "
                "the same order."
            ),
            urls=_("The addresses of their pages on the hub, in the same order."),
        ),
        *submitted_tail(
            published=_("When the story was published on the hub, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            updated=_("When the story last changed, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            licence=_(
                "The licence of the story's text, by its short name: the site's licence for "
                "contributions (CC BY 4.0 unless the site says otherwise)."
            ),
        ),
    ),
)
