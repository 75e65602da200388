"""Full-text search text and filter keys of profiles (the folding and keys are core.search).

A profile's own keys come from its own rows (profile_search_fields); two kinds come from the
profiles it is linked to (ProjectOrganisation), so that a filter finds what the links say:

- an organisation has the social areas, technologies and DSI focus (`area:`, `tech:`,
  `focus:`) of the published projects it runs or partners in;
- a project that names no country of its own has the countries (`country:`) of its published
  organisations ("inferred": the pages say so).

links_reindex() brings those keys up to date in SQL, in a fixed number of queries for any
number of profiles; profile_reindex() calls it for the profile and those linked to it, and
the services that change links, statuses or deletions call it for the profiles affected, and it
moves the links' version on (directory.versions.LINKS, which the network keys on) unless told
that no link or status changed (a profile's fields edited: profile_reindex(links=False)).
"""

from collections.abc import Iterable

from django.db import connection

from core.models import Status
from core.search import city_value
from core.search import facet_key
from core.search import folded_text
from core.search import grid_keys
from core.search import store_search_fields
from directory.models import ProjectOrganisation
from directory.versions import LINKS
from directory.vocabularies import Term
from directory.vocabularies import vocabulary


def profile_search_fields(profile, *, tags: dict[str, list]) -> dict:
    """search_title, search_body and facet_keys for a profile and its related rows.

    `tags` maps each many-to-many name to the related rows (countries, social_areas, tags...),
    so bulk callers can pass what they already hold instead of querying per profile.
    """
    names = [str(row) for rows in tags.values() for row in rows]
    places = [profile.city]
    keys = grid_keys(profile.latitude, profile.longitude)
    if profile.city:
        keys.append(facet_key("city", city_value(profile.city)))
    if profile.kind == "organisation":
        country = profile.country
        extra = [profile.address]
        if country is not None:
            places.append(country.name)
            keys.append(facet_key("country", country.pk))
        for name, value in (
            ("type", profile.organisation_type_id),
            ("size", profile.organisation_size_id),
        ):
            if value is not None:
                keys.append(facet_key(name, value))
    else:
        extra = [profile.social_impact]
        keys.append(facet_key("live", int(profile.live)))
    filter_kinds = {
        "countries": "country",
        "social_areas": "area",
        "technologies": "tech",
        "focus": "focus",
        "tags": "tag",
        "who_we_help": "tag",
        "network_tags": "network",
    }
    for relation, rows in tags.items():
        kind = filter_kinds.get(relation)
        if kind:
            keys.extend(facet_key(kind, row.pk) for row in rows)
        if relation == "countries":
            places.extend(row.name for row in rows)
    return {
        "search_title": folded_text(profile.name),
        "search_body": folded_text(
            profile.short_description, *names, *places, profile.description, *extra
        ),
        "facet_keys": sorted(set(keys)),
    }


PROFILE_RELATIONS = {
    "organisation": ["tags", "network_tags"],
    "project": [
        "countries",
        "social_areas",
        "technologies",
        "focus",
        "tags",
        "who_we_help",
        "network_tags",
    ],
}


def profile_reindex(profile, *, links: bool = True) -> None:
    """Bring a saved profile's search text and filter keys up to date, with the keys that
    profiles linked to it take from it (a few small queries). `links=False` says that neither
    its links nor its status changed (its fields were edited): the links' version stays."""
    tags = {name: list(getattr(profile, name).all()) for name in PROFILE_RELATIONS[profile.kind]}
    fields = profile_search_fields(profile, tags=tags)
    store_search_fields(profile, fields)
    profile_links_reindex(profile, links=links)


def profile_links_reindex(
    profile, *, organisation_ids=(), project_ids=(), links: bool = True
) -> None:
    """The keys taken from linked profiles, of `profile` and of the profiles linked to it (or
    linked to it until now: `organisation_ids`, `project_ids`), after its status, vocabularies,
    country or links changed (two or three queries); `links` as for links_reindex."""
    organisation_ids, project_ids = set(organisation_ids), set(project_ids)
    if profile.kind == "organisation":
        organisation_ids.add(profile.pk)
        project_ids.update(linked_ids(organisation_ids=[profile.pk]))
    else:
        project_ids.add(profile.pk)
        organisation_ids.update(linked_ids(project_ids=[profile.pk]))
    changed = links_reindex(organisation_ids=organisation_ids, project_ids=project_ids, links=links)
    keys = changed[profile.kind].get(profile.pk)
    if keys is not None:
        profile.facet_keys = keys


# --- Keys taken from linked profiles ------------------------------------------------------------


def _linked_keys_update(table: str, keys: str) -> str:
    """The UPDATE that sets the filter keys of the rows of `table` (those of `%(ids)s`, or all
    with `%(all)s`) to `keys`, a query of them that names the row `profile`; sorted as Python
    sorts strings (code points), as profile_search_fields does, and written only where they
    differ. It returns the rows it changed and their keys."""
    return f"""
        WITH wanted AS (
            SELECT profile.id, ARRAY(
                SELECT key FROM ({keys}) AS linked ORDER BY key COLLATE "C"
            )::varchar(140)[] AS keys
            FROM {table} AS profile
            WHERE %(all)s OR profile.id = ANY(%(ids)s::bigint[])
        )
        UPDATE {table} AS profile SET facet_keys = wanted.keys
        FROM wanted
        WHERE profile.id = wanted.id AND profile.facet_keys <> wanted.keys
        RETURNING profile.id, profile.facet_keys
    """


# An organisation's own keys, and the areas, technologies and focus of its published projects.
ORGANISATION_LINKED_KEYS = _linked_keys_update(
    "directory_organisation",
    f"""
    SELECT key FROM unnest(profile.facet_keys) AS key WHERE key !~ '^(area|tech|focus):'
    UNION
    SELECT prefix || term_id
    FROM directory_projectorganisation AS link
    JOIN directory_project AS project
        ON project.id = link.project_id AND project.status = '{Status.PUBLISHED}'
    JOIN (
        SELECT project_id, 'area:' AS prefix, socialarea_id AS term_id
        FROM directory_project_social_areas
        UNION ALL
        SELECT project_id, 'tech:', technology_id FROM directory_project_technologies
        UNION ALL
        SELECT project_id, 'focus:', dsifocus_id FROM directory_project_focus
    ) AS terms ON terms.project_id = project.id
    WHERE link.organisation_id = profile.id
    """,
)
# A project's own keys, its own countries, or else those of its published organisations.
PROJECT_LINKED_KEYS = _linked_keys_update(
    "directory_project",
    f"""
    SELECT key FROM unnest(profile.facet_keys) AS key WHERE key NOT LIKE 'country:%%'
    UNION
    SELECT 'country:' || country_id FROM directory_project_countries
    WHERE project_id = profile.id
    UNION
    SELECT 'country:' || organisation.country_id
    FROM directory_projectorganisation AS link
    JOIN directory_organisation AS organisation
        ON organisation.id = link.organisation_id
        AND organisation.status = '{Status.PUBLISHED}'
        AND organisation.country_id IS NOT NULL
    WHERE link.project_id = profile.id AND NOT EXISTS (
        SELECT FROM directory_project_countries WHERE project_id = profile.id
    )
    """,
)


def links_reindex(
    *,
    organisation_ids: Iterable[int] = (),
    project_ids: Iterable[int] = (),
    everything: bool = False,
    links: bool = True,
) -> dict[str, dict[int, list[str]]]:
    """Bring the keys that profiles take from linked ones up to date: those of the given
    organisations and projects (or of `everything`), one query per kind whatever their number.
    Their own keys must be up to date (profile_search_fields). Returns the new keys of the rows
    that changed, by kind and id (for whatever keeps the keys elsewhere).

    The callers are those that change links or statuses: the links' version moves on once this
    commits, unless `links=False` says that no link or status changed."""
    if links:
        LINKS.changed()
    changed = {"organisation": {}, "project": {}}
    for kind, sql, ids in (
        ("organisation", ORGANISATION_LINKED_KEYS, organisation_ids),
        ("project", PROJECT_LINKED_KEYS, project_ids),
    ):
        ids = sorted(set(ids))
        if not ids and not everything:
            continue
        with connection.cursor() as cursor:
            cursor.execute(sql, {"all": everything, "ids": ids})
            changed[kind] = dict(cursor.fetchall())
    return changed


# The kind of profile on the other side of a ProjectOrganisation.
LINKED_KIND = {"organisation": "project", "project": "organisation"}


def linked_ids(*, organisation_ids: Iterable[int] = (), project_ids: Iterable[int] = ()) -> list:
    """The projects linked to the organisations given, or the organisations linked to the
    projects given (one query)."""
    if organisation_ids:
        links = ProjectOrganisation.objects.filter(organisation_id__in=list(organisation_ids))
        return list(links.values_list("project_id", flat=True).distinct())
    links = ProjectOrganisation.objects.filter(project_id__in=list(project_ids))
    return list(links.values_list("organisation_id", flat=True).distinct())


def countries_inferred(project) -> list[Term]:
    """The countries a project is found under through its organisations: none when it names
    countries of its own. Read from its filter keys (`facet_keys`, or `filter_keys` where a
    list annotates them) and the cached vocabulary, with no query of its own."""
    if project.countries.all():
        return []
    keys = getattr(project, "filter_keys", None)
    if keys is None:
        keys = project.facet_keys
    ids = {int(key[len("country:") :]) for key in keys if key.startswith("country:")}
    return [term for term in vocabulary("country") if term.pk in ids]
