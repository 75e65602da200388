"""What the downloads name their rows' terms with: the vocabularies, countries and tags read once
per download (vocabulary_lookups, lookups_for), and the derived values that turn a row's filter
keys and ids into names (facet_names, country_codes...). The directory's downloads use them
(directory.exports), and so do those of events, funding and stories.
"""

from collections.abc import Callable

from django.conf import settings
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.export_columns import moment_annotations
from core.exports import INTEGER
from core.exports import LICENCE_NAMES
from core.exports import STRING
from core.exports import Column
from core.exports import Derived
from core.exports import Hit
from core.exports import Lookups
from core.exports import formatted
from core.exports import url_parts
from core.models import LICENCE_URLS
from core.models import Status
from core.models import default_licence
from core.search import facet_key
from directory.models import Country
from directory.models import Organisation
from directory.models import Project
from directory.models import Tag
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


def english_vocabularies() -> dict:
    """The directory's vocabularies with their English names, from their cache."""
    with translation.override(settings.LANGUAGE_CODE):
        return vocabulary_tables()


def country_codes_by_pk() -> dict[int, str]:
    return dict(Country.objects.order_by().values_list("pk", "code"))


def term_facets(tables: dict, codes: dict[int, str] | None = None) -> dict[str, Hit]:
    """The Hit each term of these vocabularies (by name) is known by from its filter key, in
    their display order; a country's carries its code."""
    codes = codes or {}
    return {
        facet_key(name, term.pk): (name, position, term.name, codes.get(term.pk, ""), term.pk)
        for name, terms in tables.items()
        for position, term in enumerate(terms)
    }


def term_names(tables: dict) -> dict[str, dict[int, str]]:
    """Each vocabulary's terms' names by pk (Lookups.names)."""
    return {name: {term.pk: term.name for term in terms} for name, terms in tables.items()}


def vocabulary_lookups() -> dict:
    """What every download names its rows' terms and tags with: the vocabularies (English
    names, from their cache), the countries' codes and the tags' names, as Lookups' fields
    `facets`, `names`, `country_codes` and `tags`. Two queries, whatever the number of rows."""
    tables = english_vocabularies()
    codes = country_codes_by_pk()
    tags = dict(Tag.objects.order_by().values_list("pk", "name"))
    facets = term_facets(tables, codes)
    for name in ("tag", "network"):
        facets.update(
            (facet_key(name, pk), (name, tag.casefold(), tag, "", pk)) for pk, tag in tags.items()
        )
    return {
        "facets": facets,
        "names": term_names(tables),
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
        **moment_annotations(),
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


# --- Content submitted to the hub, linked to an organisation of the directory ------------------


def submitted_lookups(detail_url_name: str) -> dict:
    """Lookups' fields for events, funding opportunities and stories: their own page's address
    and a linked organisation's, cut around the slug, and the site's licence. No profile is
    hidden: an organisation that is not published is named, not linked (see organisation_id)."""
    url_prefix, url_suffix = url_parts(detail_url_name)
    organisation_prefix, organisation_suffix = url_parts("directory:organisation_detail")
    licence = default_licence()
    return {
        "hidden": frozenset(),
        "url_prefix": url_prefix,
        "url_suffix": url_suffix,
        "organisation_prefix": organisation_prefix,
        "organisation_suffix": organisation_suffix,
        "licence": LICENCE_NAMES.get(licence, licence),
        "licence_url": LICENCE_URLS.get(licence, ""),
    }


def organisation_or_name(read, lookups) -> str:
    """The organisation in the directory, if one is linked, or the name given instead."""
    organisation_name, name = read
    return organisation_name or name


def organisation_id(read, lookups) -> int | None:
    """A linked organisation's id, while it is published."""
    pk, status = read
    return pk if status == Status.PUBLISHED else None


def organisation_url(read, lookups) -> str:
    """A linked organisation's page, while it is published."""
    slug, status = read
    if status != Status.PUBLISHED:
        return ""
    return lookups.organisation_prefix + slug + lookups.organisation_suffix


def linked_organisation_columns(
    role: str, *, name: str, organisation: str, url: str
) -> tuple[Column, Column, Column]:
    """Who a row names in the role `role` (organiser, funder): by name, and when it is a
    published organisation of the directory, its id and its page."""
    return (
        Column(role, STRING, name, Derived(organisation_or_name, f"{role}__name", f"{role}_name")),
        Column(
            f"{role}_organisation_id",
            INTEGER,
            organisation,
            Derived(organisation_id, f"{role}_id", f"{role}__status"),
        ),
        Column(
            f"{role}_url",
            STRING,
            url,
            Derived(organisation_url, f"{role}__slug", f"{role}__status"),
            format="uri",
        ),
    )


# --- Columns several downloads define alike -----------------------------------------------------


def facet_column(name: str, kind: str, description: str, *, since_2017=False) -> Column:
    """The names of the row's terms of a vocabulary (or its tags), from its filter keys."""
    return Column(
        name,
        STRING,
        description,
        Derived(facet_names(kind), "facet_hits"),
        many=True,
        since_2017=since_2017,
    )


def vocabulary_column(name: str, kind: str, description: str, *, since_2017=False) -> Column:
    """The English name of the row's one term of a vocabulary, from its id (`<name>_id`)."""
    named = Derived(vocabulary_name(kind), f"{name}_id")
    return Column(name, STRING, description, named, since_2017=since_2017)


def country_columns(*, since_2017=False) -> list[Column]:
    """The row's one country: its English name and its code."""
    return [
        vocabulary_column(
            "country", "country", _("The country, by its English name."), since_2017=since_2017
        ),
        Column(
            "country_code",
            STRING,
            _("The country's two-letter ISO 3166-1 code."),
            Derived(country_code, "country_id"),
        ),
    ]


def country_codes_column() -> Column:
    """The codes of the row's countries, after a column of their names."""
    return Column(
        "country_codes",
        STRING,
        _("The two-letter ISO 3166-1 codes of those countries, in the same order."),
        Derived(country_codes, "facet_hits"),
        many=True,
    )
