"""Full-text search and filter keys for profiles.

Postgres's `unaccent` and `pg_trgm` are extensions a host may not offer, so accents are folded
in Python: the same fold runs on the stored text (search_title, search_body) and on what people
type, and Postgres builds a weighted `tsvector` from the folded text with the `simple`
configuration (no stemming: names and places in many languages). Words typed match as prefixes.

`facet_keys` holds one "kind:value" string per filterable value of a profile (its country, its
social areas, its tags...): filters become one array containment test on a GIN index, and facet
counts one GROUP BY over the unnested keys of the current results.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery
from django.utils.html import strip_tags

# Letters NFKD does not take apart.
EXTRA_FOLDS = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ı": "i",
    }
)
WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 12


def fold(text: str) -> str:
    """Lower case, without accents: "Liberté, Łódź" -> "liberte, lodz"."""
    text = unicodedata.normalize("NFKD", (text or "").translate(EXTRA_FOLDS))
    return "".join(char for char in text if not unicodedata.combining(char)).lower()


def search_words(text: str) -> list[str]:
    return WORD.findall(fold(text).replace("_", " "))[:MAX_QUERY_WORDS]


def search_query(text: str) -> SearchQuery | None:
    """Every typed word must match, each as a prefix; None when nothing searchable was typed."""
    words = search_words(text)
    if not words:
        return None
    return SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
    )


def _text(*parts) -> str:
    return fold(" ".join(strip_tags(part) for part in parts if part))


def facet_key(kind: str, value) -> str:
    return f"{kind}:{value}"


def city_value(city: str) -> str:
    """Cities are free text: the key is the folded name, so "Malmö" and "malmo" are one place."""
    return " ".join(search_words(city))


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
        "search_title": _text(profile.name),
        "search_body": _text(
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
    for name, value in fields.items():
        setattr(profile, name, value)
    type(profile).objects.filter(pk=profile.pk).update(**fields)
