"""Full-text search text and filter keys of profiles (the folding and keys are core.search)."""

from core.search import city_value
from core.search import facet_key
from core.search import folded_text
from core.search import store_search_fields


def profile_search_fields(profile, *, tags: dict[str, list]) -> dict:
    """search_title, search_body and facet_keys for a profile and its related rows.

    `tags` maps each many-to-many name to the related rows (countries, social_areas, tags...),
    so bulk callers can pass what they already hold instead of querying per profile.
    """
    names = [str(row) for rows in tags.values() for row in rows]
    places = [profile.city]
    keys = []
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


def profile_reindex(profile) -> None:
    """Bring a saved profile's search text and filter keys up to date (a few small queries)."""
    tags = {name: list(getattr(profile, name).all()) for name in PROFILE_RELATIONS[profile.kind]}
    fields = profile_search_fields(profile, tags=tags)
    store_search_fields(profile, fields)
