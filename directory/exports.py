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

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.exports import (
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    ISO_MOMENT,
    NUMBER,
    STRING,
    Column,
    Derived,
    Export,
    Lookups,
    formatted,
    licence_name,
    licence_url,
    page_url,
    url_parts,
)
from core.models import Status
from core.search import facet_key
from directory.filters import OrganisationFilterSet, ProjectFilterSet
from directory.models import Country, Organisation, Project, ProjectOrganisation, Tag
from directory.versions import directory_version
from directory.vocabularies import vocabulary_tables

OTHER_KIND = {"organisation": Project, "project": Organisation}
UNPUBLISHED = [status for status in Status.values if status != Status.PUBLISHED]


def tags_in_both(projects: QuerySet):
    """(project, tag) for the tags that these projects list both as tags and as "who we help"."""
    return (
        Project.tags.through.objects.filter(
            project_id__in=projects.order_by().values("pk"),
        )
        .filter(
            Exists(
                Project.who_we_help.through.objects.filter(
                    project_id=OuterRef("project_id"), tag_id=OuterRef("tag_id")
                )
            )
        )
        .order_by()
        .values_list("project_id", "tag_id")
    )


def vocabulary_lookups() -> dict:
    """What every download names its rows' terms and tags with: the vocabularies (English
    names, from their cache), the countries' codes and the tags' names, as Lookups' fields
    `facets`, `names`, `country_codes` and `tags`. Two queries, whatever the number of rows."""
    with translation.override(settings.LANGUAGE_CODE):
        tables = vocabulary_tables()
    codes = dict(Country.objects.order_by().values_list("pk", "code"))
    tags = dict(Tag.objects.order_by().values_list("pk", "name"))
    facets = {
        facet_key(name, term.pk): (name, position, term.name, codes.get(term.pk, ""), term.pk)
        for name, terms in tables.items()
        for position, term in enumerate(terms)
    }
    for name in ("tag", "network"):
        facets.update(
            (facet_key(name, pk), (name, tag.casefold(), tag, "", pk)) for pk, tag in tags.items()
        )
    return {
        "facets": facets,
        "names": {name: {term.pk: term.name for term in terms} for name, terms in tables.items()},
        "country_codes": codes,
        "tags": tags,
    }


def lookups_for(kind: str, queryset: QuerySet) -> Lookups:
    """The vocabularies, countries and tags (see vocabulary_lookups) and the unpublished
    profiles of the other kind (and for projects, the tags they list twice): one query each
    but for the vocabularies, whatever the number of rows."""
    in_both = {}
    if kind == "project":
        for project, tag in tags_in_both(queryset):
            in_both.setdefault(project, set()).add(tag)
    url_prefix, url_suffix = url_parts(f"directory:{kind}_detail")
    return Lookups(
        **vocabulary_lookups(),
        in_both=in_both,
        hidden=frozenset(
            OTHER_KIND[kind]
            .objects.filter(status__in=UNPUBLISHED)  # not exclude(): this one uses an index
            .order_by()
            .values_list("pk", flat=True)
        ),
        url_prefix=url_prefix,
        url_suffix=url_suffix,
    )


# --- Values the query selects beyond the model's fields ----------------------------------------


def dates(*names: str) -> dict:
    """The profile's dates as YYYY-MM-DD, its creation day in UTC (as the 2017 export gave it)
    and the moments of publication and change in UTC."""
    return {
        **{f"{name}_text": formatted(name, "YYYY-MM-DD", utc=False) for name in names},
        "created_day": formatted("created_at", "YYYY-MM-DD"),
        "published_utc": formatted("published_at", ISO_MOMENT),
        "updated_utc": formatted("updated_at", ISO_MOMENT),
    }


# --- Derived values: functions of (what they read, lookups) -------------------------------------
# A row's filter keys are turned into hits once (see Export.row_builder), read as "facet_hits".


def published_links(pks, lookups) -> list[int]:
    hidden = lookups.hidden
    return sorted(pk for pk in pks if pk not in hidden) if hidden else sorted(pks)


def vocabulary_name(kind: str) -> Callable:
    def name(pk, lookups) -> str:
        return lookups.names[kind].get(pk, "") if pk is not None else ""

    return name


def facet_names(kind: str) -> Callable:
    """The names of a kind of vocabulary term (or tag), in their display order."""

    def names(hits, lookups) -> list[str]:
        found = hits.get(kind)
        return [hit[2] for hit in sorted(found)] if found else []

    return names


def first_country(hits, lookups) -> str:
    found = hits.get("country")
    return min(found)[2] if found else ""


def country_codes(hits, lookups) -> list[str]:
    found = hits.get("country")
    return [hit[3] for hit in sorted(found)] if found else []


def country_code(pk, lookups) -> str:
    return lookups.country_codes.get(pk, "") if pk is not None else ""


def who_we_help(pks, lookups) -> list[str]:
    return lookups.sorted_tags(pks)


def project_tags(read, lookups) -> list[str]:
    """A project's own tags: its filter keys hold them together with "who we help", so those
    are set aside, unless the project lists them as tags too."""
    hits, who, pk = read
    found = hits.get("tag")
    if not found:
        return []
    if who:
        keep = lookups.in_both.get(pk, ())
        found = [hit for hit in found if hit[4] not in who or hit[4] in keep]
    return [hit[2] for hit in sorted(found)]


# --- The two downloads -------------------------------------------------------------------------


def _licence_description():
    return _(
        "The licence of the record's content, by its short name: records added on the hub are "
        "under the site's licence (CC BY 4.0 unless the site says otherwise), records imported "
        "from the 2017 digitalsocial.eu export under CC BY-NC-SA 4.0."
    )


def _common_tail(legacy_description: str) -> list[Column]:
    return [
        Column(
            "published",
            DATETIME,
            _("When the profile was published on the hub, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            "published_utc",
        ),
        Column(
            "updated",
            DATETIME,
            _("When the profile last changed, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            "updated_utc",
        ),
        Column("licence", STRING, _licence_description(), Derived(licence_name, "licence")),
        Column(
            "licence_url",
            STRING,
            _("The address of the licence's text."),
            Derived(licence_url, "licence"),
            format="uri",
        ),
        Column("legacy_id", INTEGER, legacy_description, "legacy_id"),
    ]


@dataclass(frozen=True)
class ProfileExport(Export):
    """Organisations or projects, kept as whole files under the directory's version."""

    kept_version: Callable[[], tuple[int, str]] | None = lambda: (directory_version(), "")

    def lookups(self, queryset: QuerySet) -> Lookups:
        return lookups_for(self.kind, queryset)


# The links are read without joining the other side (its unpublished profiles are left out in
# Python, see Lookups.hidden) nor sorting: the join would triple the query's time.


def _organisation_annotations():
    return {
        **dates("start_date"),
        "linked_ids": ArraySubquery(
            ProjectOrganisation.objects.filter(organisation=OuterRef("pk"))
            .order_by()
            .values("project_id")
        ),
    }


def _project_annotations():
    return {
        **dates("start_date", "end_date"),
        "linked_ids": ArraySubquery(
            ProjectOrganisation.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("organisation_id")
        ),
        # The filter keys hold tags and "who we help" alike: this tells them apart.
        "who_we_help_ids": ArraySubquery(
            Project.who_we_help.through.objects.filter(project_id=OuterRef("pk")).values("tag_id")
        ),
    }


def _place_columns() -> list[Column]:
    return [
        Column(
            "region",
            STRING,
            _("The city or town (the 2017 export's name for it; the same as city)."),
            "city",
            since_2017=True,
        ),
        Column("city", STRING, _("The city or town, as written on the profile."), "city"),
        Column(
            "latitude",
            NUMBER,
            _("Latitude of the place, in decimal degrees (WGS 84)."),
            "latitude",
            since_2017=True,
        ),
        Column(
            "longitude",
            NUMBER,
            _("Longitude of the place, in decimal degrees (WGS 84)."),
            "longitude",
            since_2017=True,
        ),
    ]


ORGANISATIONS = ProfileExport(
    kind="organisation",
    order=10,
    plural="organisations",
    title=_("Organisations"),
    description=_(
        "The published organisations of the directory of digital social innovation: one row each."
    ),
    filterset_class=OrganisationFilterSet,
    fields=(
        "id",
        "name",
        "slug",
        "website",
        "short_description",
        "description",
        "city",
        "latitude",
        "longitude",
        "address",
        "country_id",
        "organisation_type_id",
        "organisation_size_id",
        "links",
        "licence",
        "legacy_id",
        "facet_keys",
    ),
    annotations=_organisation_annotations,
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
        Column(
            "organisation_name",
            STRING,
            _("The organisation's name."),
            "name",
            since_2017=True,
        ),
        Column(
            "slug",
            STRING,
            _("The organisation's short name in addresses, unique among organisations."),
            "slug",
        ),
        Column(
            "url",
            STRING,
            _("The address of the organisation's page on the hub (in English)."),
            Derived(page_url, "slug"),
            format="uri",
        ),
        Column(
            "website",
            STRING,
            _("The organisation's own website."),
            "website",
            format="uri",
            since_2017=True,
        ),
        Column(
            "short_description",
            STRING,
            _("What the organisation does, in one sentence."),
            "short_description",
            since_2017=True,
        ),
        Column(
            "long_description",
            STRING,
            _("The full description, as HTML limited to text, lists and links."),
            "description",
            since_2017=True,
        ),
        Column(
            "country",
            STRING,
            _("The country, by its English name."),
            Derived(vocabulary_name("country"), "country_id"),
            since_2017=True,
        ),
        Column(
            "country_code",
            STRING,
            _("The country's two-letter ISO 3166-1 code."),
            Derived(country_code, "country_id"),
        ),
        *_place_columns(),
        Column(
            "address",
            STRING,
            _("The postal address, when the organisation gives one."),
            "address",
            since_2017=True,
        ),
        Column(
            "organisation_type",
            STRING,
            _(
                "The kind of organisation, by its English name (the 2017 export gave an object "
                "with an id and a name)."
            ),
            Derived(vocabulary_name("type"), "organisation_type_id"),
            since_2017=True,
        ),
        Column(
            "organisation_size",
            STRING,
            _("How many people work there, by the English name of the range."),
            Derived(vocabulary_name("size"), "organisation_size_id"),
            since_2017=True,
        ),
        Column(
            "startDate",
            DATE,
            _("When the organisation was founded (YYYY-MM-DD)."),
            "start_date_text",
            since_2017=True,
        ),
        Column(
            "linked_project_ids",
            INTEGER,
            _("The ids (project_id) of the published projects the organisation takes part in."),
            Derived(published_links, "linked_ids"),
            many=True,
            since_2017=True,
        ),
        Column(
            "tags",
            STRING,
            _("Free tags describing the organisation's work."),
            Derived(facet_names("tag"), "facet_hits"),
            many=True,
            since_2017=True,
        ),
        Column(
            "networkTags",
            STRING,
            _("Networks the organisation belongs to."),
            Derived(facet_names("network"), "facet_hits"),
            many=True,
            since_2017=True,
        ),
        Column(
            "links",
            STRING,
            _("Other pages of the organisation, such as its social media accounts."),
            "links",
            many=True,
            format="uri",
        ),
        Column(
            "created",
            DATE,
            _("When the profile was created (YYYY-MM-DD, UTC)."),
            "created_day",
            since_2017=True,
        ),
        *_common_tail(
            _(
                "The organisation's id on digitalsocial.eu (organisation_id in the 2017 export), "
                "for the records imported from it; empty for the others."
            )
        ),
    ),
)


PROJECTS = ProfileExport(
    kind="project",
    order=20,
    plural="projects",
    title=_("Projects"),
    description=_(
        "The published projects of the directory of digital social innovation: one row each."
    ),
    filterset_class=ProjectFilterSet,
    fields=(
        "id",
        "name",
        "slug",
        "website",
        "short_description",
        "description",
        "social_impact",
        "city",
        "latitude",
        "longitude",
        "live",
        "links",
        "licence",
        "legacy_id",
        "facet_keys",
    ),
    annotations=_project_annotations,
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
        Column(
            "slug",
            STRING,
            _("The project's short name in addresses, unique among projects."),
            "slug",
        ),
        Column(
            "url",
            STRING,
            _("The address of the project's page on the hub (in English)."),
            Derived(page_url, "slug"),
            format="uri",
        ),
        Column(
            "website",
            STRING,
            _("The project's own website."),
            "website",
            format="uri",
            since_2017=True,
        ),
        Column(
            "short_description",
            STRING,
            _("What the project does, in one sentence."),
            "short_description",
            since_2017=True,
        ),
        Column(
            "long_description",
            STRING,
            _("The full description, as HTML limited to text, lists and links."),
            "description",
            since_2017=True,
        ),
        Column(
            "social_impact",
            STRING,
            _("The difference the project makes, as HTML limited to text, lists and links."),
            "social_impact",
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
            "live",
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
        Column(
            "countries",
            STRING,
            _("Every country the project works in, by English name."),
            Derived(facet_names("country"), "facet_hits"),
            many=True,
        ),
        Column(
            "country_codes",
            STRING,
            _("The two-letter ISO 3166-1 codes of those countries, in the same order."),
            Derived(country_codes, "facet_hits"),
            many=True,
        ),
        *_place_columns(),
        Column(
            "linked_organisation_ids",
            INTEGER,
            _("The ids (organisation_id) of the published organisations behind the project."),
            Derived(published_links, "linked_ids"),
            many=True,
            since_2017=True,
        ),
        Column(
            "who_we_help_tags",
            STRING,
            _("The people the project helps, as free tags."),
            Derived(who_we_help, "who_we_help_ids"),
            many=True,
            since_2017=True,
        ),
        Column(
            "support_tags",
            STRING,
            _("The areas of social impact the project works in, by English name."),
            Derived(facet_names("area"), "facet_hits"),
            many=True,
            since_2017=True,
        ),
        Column(
            "focus",
            STRING,
            _("The open-technology trends of digital social innovation the project follows."),
            Derived(facet_names("focus"), "facet_hits"),
            many=True,
            since_2017=True,
        ),
        Column(
            "technology",
            STRING,
            _("The technologies the project uses, by English name."),
            Derived(facet_names("tech"), "facet_hits"),
            many=True,
            since_2017=True,
        ),
        Column(
            "tags",
            STRING,
            _("Free tags describing the project."),
            Derived(project_tags, "facet_hits", "who_we_help_ids", "id"),
            many=True,
        ),
        Column(
            "networkTags",
            STRING,
            _("Networks the project belongs to."),
            Derived(facet_names("network"), "facet_hits"),
            many=True,
        ),
        Column(
            "links",
            STRING,
            _("Other pages of the project, such as its social media accounts."),
            "links",
            many=True,
            format="uri",
        ),
        Column(
            "creation_date",
            DATE,
            _("When the profile was created (YYYY-MM-DD, UTC)."),
            "created_day",
            since_2017=True,
        ),
        *_common_tail(
            _(
                "The project's id on digitalsocial.eu (project_id in the 2017 export), for the "
                "records imported from it; empty for the others."
            )
        ),
    ),
)
