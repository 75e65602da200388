"""The controlled vocabularies, as small cached tables for filters, facets and labels.

They change only through the admin, so each language's tables sit in the cache under a version
that any save or delete of a vocabulary row moves on (the receivers are plumbing, in apps.py).
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete
from django.db.models.signals import post_save
from django.utils.translation import get_language

from core.versions import ContentVersion
from directory.models import Country
from directory.models import DSIFocus
from directory.models import OrganisationSize
from directory.models import OrganisationType
from directory.models import SocialArea
from directory.models import Technology
from directory.versions import directory_changed

# Facet kind (also the query-string parameter) -> vocabulary model.
VOCABULARIES = {
    "country": Country,
    "area": SocialArea,
    "tech": Technology,
    "focus": DSIFocus,
    "type": OrganisationType,
    "size": OrganisationSize,
}
VERSION_KEY = "vocabularies:version"


@dataclass(frozen=True)
class Term:
    pk: int
    slug: str
    name: str
    code: str = ""  # a country's ISO code


# A content version (core.versions), so that a change made while Redis was away is not
# forgotten once it is back.
VOCABULARIES_VERSION = ContentVersion(VERSION_KEY)


def _version() -> int:
    return VOCABULARIES_VERSION.current()


# Each process keeps the tables it has read, and asks the cache for the version at most every
# LOCAL_SECONDS: a list page reads them several times, and they rarely change.
LOCAL_SECONDS = 30
_local: dict[str, tuple[float, int, dict]] = {}


def vocabulary_tables() -> dict[str, list[Term]]:
    """Every vocabulary in the current language, in display order."""
    language = get_language()
    now = time.monotonic()
    held = _local.get(language)
    if held and now - held[0] < LOCAL_SECONDS:
        return held[2]
    version = _version()
    if held and held[1] == version:
        _local[language] = (now, version, held[2])
        return held[2]
    key = f"vocabularies:{version}:{language}"
    tables = cache.get(key)
    if tables is None:
        tables = {
            kind: [
                Term(row.pk, row.slug, row.name, getattr(row, "code", ""))
                for row in model.objects.all()
            ]
            for kind, model in VOCABULARIES.items()
        }
        cache.set(key, tables, timeout=24 * 60 * 60)
    _local[language] = (now, version, tables)
    return tables


def vocabulary(kind: str) -> list[Term]:
    return vocabulary_tables()[kind]


_slug_ids: dict[tuple[str, str], tuple[dict, dict[str, int]]] = {}


def slug_ids(kind: str) -> dict[str, int]:
    """slug -> id of a vocabulary's terms, made once per tables read (filters check and turn
    every value of every query with it)."""
    tables = vocabulary_tables()
    held = _slug_ids.get((kind, get_language()))
    if held is not None and held[0] is tables:
        return held[1]
    ids = {term.slug: term.pk for term in tables[kind]}
    _slug_ids[(kind, get_language())] = (tables, ids)
    return ids


def vocabulary_choices(kind: str):
    """Choices for a filter field, as a callable so they are read when a form is built."""
    return lambda: [(term.slug, term.name) for term in vocabulary(kind)]


def forget_tables() -> None:
    """Drop this process's copy of the tables (they are read again from the cache)."""
    _local.clear()


def vocabulary_changed(**kwargs) -> None:
    """A term was added, renamed or removed: the tables are read again, and pages and
    downloads that name terms (cached under the directory's version) are made again."""

    forget_tables()
    VOCABULARIES_VERSION.bump()
    directory_changed()


def connect_receivers() -> None:
    for model in VOCABULARIES.values():
        post_save.connect(
            vocabulary_changed, sender=model, dispatch_uid=f"vocab-save-{model.__name__}"
        )
        post_delete.connect(
            vocabulary_changed, sender=model, dispatch_uid=f"vocab-delete-{model.__name__}"
        )
