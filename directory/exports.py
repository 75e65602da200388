"""Bulk downloads of the published directory: organisations and projects (engine: core.exports).

Where the 2017 digitalsocial.eu export had a field, the column keeps its name
(`organisation_name`, `support_tags`, `startDate`...) so that scripts written against it keep
working.

Besides the one query, a download makes a few small lookups once (the countries' codes, the tags'
names, the unpublished profiles of the other kind; the vocabularies come from their cache). The
links between organisations and projects, and a project's "who we help" tags (which the filter
keys do not tell apart from its other tags), are array subqueries of the same query.

Events, funding and stories name their rows' terms with the same lookups (vocabulary_lookups).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.export_columns import html_description
from core.export_columns import licence_columns
from core.export_columns import moment_columns
from core.export_columns import page_columns
from core.exports import BOOLEAN
from core.exports import DATE
from core.exports import INTEGER
from core.exports import NUMBER
from core.exports import STRING
from core.exports import Column
from core.exports import Derived
from core.exports import Export
from core.exports import Lookups
from core.exports import licence_name
from core.exports import licence_url
from directory.export_values import country_codes_column
from directory.export_values import country_columns
from directory.export_values import dates
from directory.export_values import facet_column
from directory.export_values import first_country
from directory.export_values import lookups_for
from directory.export_values import project_tags
from directory.export_values import published_links
from directory.export_values import vocabulary_column
from directory.export_values import who_we_help
from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.versions import directory_version

# --- The two downloads -------------------------------------------------------------------------


def _licence_description():
    return _(
        "The licence of the record's content, by its short name: records added on the hub are "
        "under the site's licence (CC BY 4.0 unless the site says otherwise), records imported "
        "from the 2017 digitalsocial.eu export under CC BY-NC-SA 4.0."
    )


def _profile_head(*, slug: str, url: str, website: str, short_description: str) -> list[Column]:
    """The columns that follow a profile's id and name: its addresses and descriptions."""
    return [
        *page_columns(slug=slug, url=url),
        Column("website", STRING, website, format="uri", since_2017=True),
        Column("short_description", STRING, short_description, since_2017=True),
        Column("long_description", STRING, html_description(), "description", since_2017=True),
    ]


def _profile_tail(*, links: str, created: str, legacy_id: str) -> list[Column]:
    """A profile's last columns: its other pages, its dates, its licence and its 2017 id."""
    return [
        Column("links", STRING, links, many=True, format="uri"),
        Column(
            created,
            DATE,
            _("When the profile was created (YYYY-MM-DD, UTC)."),
            "created_day",
            since_2017=True,
        ),
        *moment_columns(
            published=_(
                "When the profile was published on the hub, in UTC (YYYY-MM-DDThh:mm:ssZ)."
            ),
            updated=_("When the profile last changed, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
        ),
        *licence_columns(_licence_description(), licence_name, licence_url, "licence"),
        Column("legacy_id", INTEGER, legacy_id),
    ]


@dataclass(frozen=True)
class ProfileExport(Export):
    """Organisations or projects, kept as whole files under the directory's version."""

    kept_version: Callable[[], tuple[int, str]] | None = lambda: (directory_version(), "")

    def lookups(self, queryset: QuerySet) -> Lookups:
        return lookups_for(self.kind, queryset)


# The links are read without joining the other side (its unpublished profiles are left out in
# Python, see Lookups.hidden) nor sorting: the join would triple the query's time.


def _linked_ids(kind: str, other: str) -> ArraySubquery:
    """The ids of the profiles of the `other` kind that a profile of `kind` is linked to."""
    links = ProjectOrganisation.objects.filter(**{kind: OuterRef("pk")}).order_by()
    return ArraySubquery(links.values(f"{other}_id"))


def _linked_ids_column(other: str, description: str) -> Column:
    """The ids of the published profiles of the `other` kind a profile is linked to."""
    return Column(
        f"linked_{other}_ids",
        INTEGER,
        description,
        Derived(published_links, "linked_ids"),
        many=True,
        since_2017=True,
    )


def _organisation_annotations():
    return {**dates("start_date"), "linked_ids": _linked_ids("organisation", "project")}


def _project_annotations():
    return {
        **dates("start_date", "end_date"),
        "linked_ids": _linked_ids("project", "organisation"),
        # The filter keys hold tags and "who we help" alike: this tells them apart.
        "who_we_help_ids": ArraySubquery(
            Project.who_we_help.through.objects.filter(project_id=OuterRef("pk")).values("tag_id")
        ),
        # Its filter keys hold its organisations' countries when it names none of its own.
        "has_own_countries": Exists(
            Project.countries.through.objects.filter(project_id=OuterRef("pk"))
        ),
    }


def _countries_inferred(read, lookups) -> bool:
    hits, own = read
    return not own and bool(hits.get("country"))


def _place_columns() -> list[Column]:
    return [
        Column(
            "region",
            STRING,
            _("The city or town (the 2017 export's name for it; the same as city)."),
            "city",
            since_2017=True,
        ),
        Column("city", STRING, _("The city or town, as written on the profile.")),
        Column(
            "latitude",
            NUMBER,
            _("Latitude of the place, in decimal degrees (WGS 84)."),
            since_2017=True,
        ),
        Column(
            "longitude",
            NUMBER,
            _("Longitude of the place, in decimal degrees (WGS 84)."),
            since_2017=True,
        ),
    ]


ORGANISATIONS = ProfileExport(
    order=10,
    plural="organisations",
    title=_("Organisations"),
    description=_(
        "The published organisations of the directory of digital social innovation: one row each."
    ),
    filterset_class=OrganisationFilterSet,
    annotations=_organisation_annotations,
    geo=(
        ("name", "organisation_name"),
        ("url", "url"),
        ("city", "city"),
        ("country_code", "country_code"),
        ("country", "country"),
        ("organisation_type", "organisation_type"),
        ("organisation_size", "organisation_size"),
        ("tags", "tags"),
    ),
    columns=(
        Column(
            "organisation_id",
            INTEGER,
            _(
                "The organisation's id on the hub; it never changes. Projects refer to it in "
                "linked_organisation_ids."
            ),
            "id",
            since_2017=True,
        ),
        Column("organisation_name", STRING, _("The organisation's name."), "name", since_2017=True),
        *_profile_head(
            slug=_("The organisation's short name in addresses, unique among organisations."),
            url=_("The address of the organisation's page on the hub (in English)."),
            website=_("The organisation's own website."),
            short_description=_("What the organisation does, in one sentence."),
        ),
        *country_columns(since_2017=True),
        *_place_columns(),
        Column(
            "address",
            STRING,
            _("The postal address, when the organisation gives one."),
            since_2017=True,
        ),
        vocabulary_column(
            "organisation_type",
            "type",
            _(
                "The kind of organisation, by its English name (the 2017 export gave an object "
                "with an id and a name)."
            ),
            since_2017=True,
        ),
        vocabulary_column(
            "organisation_size",
            "size",
            _("How many people work there, by the English name of the range."),
            since_2017=True,
        ),
        Column(
            "startDate",
            DATE,
            _("When the organisation was founded (YYYY-MM-DD)."),
            "start_date_text",
            since_2017=True,
        ),
        _linked_ids_column(
            "project",
            _("The ids (project_id) of the published projects the organisation takes part in."),
        ),
        facet_column(
            "tags", "tag", _("Free tags describing the organisation's work."), since_2017=True
        ),
        facet_column(
            "networkTags", "network", _("Networks the organisation belongs to."), since_2017=True
        ),
        *_profile_tail(
            links=_("Other pages of the organisation, such as its social media accounts."),
            created="created",
            legacy_id=_(
                "The organisation's id on digitalsocial.eu (organisation_id in the 2017 export), "
                "for the records imported from it; empty for the others."
            ),
        ),
    ),
)


PROJECTS = ProfileExport(
    order=20,
    plural="projects",
    title=_("Projects"),
    description=_(
        "The published projects of the directory of digital social innovation: one row each."
    ),
    filterset_class=ProjectFilterSet,
    annotations=_project_annotations,
    geo=(
        ("name", "project_name"),
        ("url", "url"),
        ("city", "city"),
        ("country_codes", "country_codes"),
        ("countries", "countries"),
        ("live", "live"),
        ("support_tags", "support_tags"),
        ("technology", "technology"),
    ),
    columns=(
        Column(
            "project_id",
            INTEGER,
            _(
                "The project's id on the hub; it never changes. Organisations refer to it in "
                "linked_project_ids."
            ),
            "id",
            since_2017=True,
        ),
        Column("project_name", STRING, _("The project's name."), "name", since_2017=True),
        *_profile_head(
            slug=_("The project's short name in addresses, unique among projects."),
            url=_("The address of the project's page on the hub (in English)."),
            website=_("The project's own website."),
            short_description=_("What the project does, in one sentence."),
        ),
        Column(
            "social_impact",
            STRING,
            _("The difference the project makes, as HTML limited to text, lists and links."),
            since_2017=True,
        ),
        Column(
            "start_date",
            DATE,
            _("When the project started (YYYY-MM-DD)."),
            "start_date_text",
            since_2017=True,
        ),
        Column(
            "end_date",
            DATE,
            _("When the project ended or will end (YYYY-MM-DD); empty if it is ongoing."),
            "end_date_text",
            since_2017=True,
        ),
        Column(
            "live",
            BOOLEAN,
            _("Whether the project is still running (true) or has come to an end (false)."),
        ),
        Column(
            "country",
            STRING,
            _(
                "The project's first country by English name (the 2017 export had one country "
                "per project); see countries for all of them."
            ),
            Derived(first_country, "facet_hits"),
            since_2017=True,
        ),
        facet_column(
            "countries",
            "country",
            _(
                "Every country the project works in, by English name; for a project that names "
                "none, those of its published organisations (see countries_inferred)."
            ),
        ),
        country_codes_column(),
        Column(
            "countries_inferred",
            BOOLEAN,
            _(
                "Whether the countries are those of the project's published organisations "
                "(true), as it names none of its own, rather than its own (false)."
            ),
            Derived(_countries_inferred, "facet_hits", "has_own_countries"),
        ),
        *_place_columns(),
        _linked_ids_column(
            "organisation",
            _("The ids (organisation_id) of the published organisations behind the project."),
        ),
        Column(
            "who_we_help_tags",
            STRING,
            _("The people the project helps, as free tags."),
            Derived(who_we_help, "who_we_help_ids"),
            many=True,
            since_2017=True,
        ),
        facet_column(
            "support_tags",
            "area",
            _("The areas of social impact the project works in, by English name."),
            since_2017=True,
        ),
        facet_column(
            "focus",
            "focus",
            _("The open-technology trends of digital social innovation the project follows."),
            since_2017=True,
        ),
        facet_column(
            "technology",
            "tech",
            _("The technologies the project uses, by English name."),
            since_2017=True,
        ),
        Column(
            "tags",
            STRING,
            _("Free tags describing the project."),
            Derived(project_tags, "facet_hits", "who_we_help_ids", "id"),
            many=True,
        ),
        facet_column("networkTags", "network", _("Networks the project belongs to.")),
        *_profile_tail(
            links=_("Other pages of the project, such as its social media accounts."),
            created="creation_date",
            legacy_id=_(
                "The project's id on digitalsocial.eu (project_id in the 2017 export), for the "
                "records imported from it; empty for the others."
            ),
        ),
    ),
)
