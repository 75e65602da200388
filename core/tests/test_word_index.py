"""The word index of the search tables (core.word_index): the same ids as Postgres for any
search, followed through every change in the same process, and left alone inside a
transaction. The tests commit (committed): inside a test's transaction the index is not
used, as it would not be in a request's."""

import random
import time

import pytest
from django.db import connection
from django.db import transaction
from pyroaring import BitMap

from core.models import Status
from core.search import compound_query_text
from core.search import search_words
from core.tests.outages import cache_on_throwaway_redis
from core.text_index import matching_ids
from core.text_index import text_index
from directory.models import Organisation
from directory.models import Project
from directory.search import profile_reindex
from directory.services.profiles import profile_archive
from directory.services.profiles import profile_update
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

VOCABULARY = [
    "open", "opendata", "data", "fab", "lab", "fablab", "labs", "fabric", "care", "carebase",
    "base", "basement", "community", "commons", "comm", "unity", "digital", "digit", "2012",
    "2030", "20", "a1", "x", "societe", "ouverte", "strasse", "daten", "koln", "smart", "city",
    "cit", "kitchen", "kitchens", "maker", "makers", "space", "makerspace", "civic", "tech",
    "civictech", "energy", "cooperative", "coop",
]  # fmt: skip
# Written apart, together, out of order, with hyphens, hosts and addresses: what the parser
# makes of them is what the index must agree with.
EXTRA = [
    "lab of fab",  # both words of "fablab", not adjacent: a compound split must not match
    "fab-lab",
    "the lab fab",
    "care basement",
    "www.opendata.example.org",
    "info@fablab.example.com",
    "Société Ouverte",
    "Łódź Straße Köln",
    "o'reilly & partners | data",
    "civic-tech 2030",
    "makerspace maker space",
]
QUERIES = [
    "open", "o", "op", "ope", "fablab", "fab lab", "Fab-Lab", "fab lab catania", "lab fab",
    "carebase", "care base", "care", "opendata", "open data", "makerspace", "maker space",
    "civictech", "civic tech", "2012", "20", "2", "a1", "a", "societe", "Société", "straße",
    "strasse", "koln", "lodz", "Łódź", "www", "example", "info", "oreilly", "o'reilly",
    "partners data", "nothingmatchesthis", "zzz", "open data lab city", "the",
    "community unity", "comm unity", "communit", "opendatalab", "open " * 20, "🙂 open",
    "москва", "東京",
]  # fmt: skip


def postgres_ids(model, text: str) -> BitMap:
    """What the search table's GIN finds: the truth the index must equal."""
    words = search_words(text)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {text_index(model).table} WHERE vector @@ to_tsquery('simple', %s)",
            [compound_query_text(words)],
        )
        return BitMap(row[0] for row in cursor.fetchall())


def index_ids(model, text: str) -> BitMap | None:
    words = search_words(text)
    return text_index(model).words.matching(words, compound_query_text(words), None)


def corpus(count: int, seed: int) -> list[tuple[str, str]]:
    chooser = random.Random(seed)
    rows = []
    for number in range(count):
        title = " ".join(chooser.sample(VOCABULARY, chooser.randint(1, 3)))
        body = " ".join(chooser.choice(VOCABULARY) for _ in range(chooser.randint(0, 8)))
        if number % 7 == 0:
            body += " " + chooser.choice(EXTRA)
        rows.append((title, body))
    return rows


@pytest.fixture
def committed(django_db_serialized_rollback, transactional_db):
    """Rows committed as a request's are (the vocabularies kept across the flush)."""


@pytest.fixture
def profiles(committed):
    for number, (title, body) in enumerate(corpus(240, seed=11)):
        status = Status.DRAFT if number % 9 == 0 else Status.PUBLISHED
        description = f"<p>{body}</p>"
        OrganisationFactory(
            name=title.title(), slug=f"o-{number}", description=description, status=status
        )
        if number % 2:
            ProjectFactory(
                name=f"{title} project", slug=f"p-{number}", description=description, status=status
            )


def drawn_queries(seed: int) -> list[str]:
    """Words of the data, their prefixes of 1-5 letters, pairs and triples of them."""
    chooser = random.Random(seed)
    words = [word for text in VOCABULARY + EXTRA for word in search_words(text)]
    queries = []
    for _ in range(150):
        picked = chooser.sample(words, chooser.choice([1, 1, 1, 2, 2, 3]))
        queries.append(" ".join(word[: chooser.randint(1, 5)] for word in picked))
        queries.append(" ".join(picked))
    return queries


@pytest.mark.parametrize("model", [Organisation, Project])
def test_the_index_finds_what_postgres_finds(profiles, model):
    answered = found_some = 0
    for text in QUERIES + drawn_queries(seed=3):
        expected = postgres_ids(model, text)
        found = index_ids(model, text)
        plain = all(word.isascii() for word in search_words(text))
        if plain:
            assert found is not None, text  # answered by the index, not by Postgres again
        if found is not None:
            assert found == expected, text
            answered += 1
            found_some += bool(found)
    assert answered > 300
    assert found_some > 200  # both sides empty would agree too
    assert index_ids(model, "москва") is None  # words the parser may read otherwise: Postgres


def test_a_compound_word_is_not_found_in_words_apart(profiles):
    apart = OrganisationFactory(name="Lab of Fab", description="")
    joined = OrganisationFactory(name="Fab Lab Catania", description="")
    assert apart.pk in index_ids(Organisation, "fab lab")
    assert apart.pk not in index_ids(Organisation, "fablab")
    assert joined.pk in index_ids(Organisation, "fablab")
    assert index_ids(Organisation, "fablab") == postgres_ids(Organisation, "fablab")


def test_matching_ids_answers_from_the_index_once_built(profiles):
    index = text_index(Organisation).words
    assert matching_ids(Organisation, "open") == postgres_ids(Organisation, "open")
    assert index.state is not None  # built (in the request, as the tests' settings ask)
    assert matching_ids(Organisation, "fab lab") == postgres_ids(Organisation, "fab lab")


def test_changes_are_followed_without_a_rebuild(committed, user):
    OrganisationFactory(name="Open Data Lab")
    assert index_ids(Organisation, "quokka") == BitMap()
    built = text_index(Organisation).words.state
    organisation = OrganisationFactory(name="Zephyr Works", owner=user, status=Status.DRAFT)
    assert index_ids(Organisation, "zephyr") == BitMap()  # a draft is not public
    Organisation.objects.filter(pk=organisation.pk).update(status=Status.PUBLISHED)
    assert index_ids(Organisation, "zephyr") == BitMap([organisation.pk])
    organisation.refresh_from_db()
    profile_update(profile=organisation, user=user, fields={"name": "Quokka Works"})
    assert index_ids(Organisation, "zephyr") == BitMap()
    assert index_ids(Organisation, "quokk") == BitMap([organisation.pk])
    profile_archive(profile=organisation, user=user)
    assert index_ids(Organisation, "quokka") == BitMap()
    organisation.status = Status.PUBLISHED
    organisation.save()
    assert index_ids(Organisation, "quokka works") == BitMap([organisation.pk])
    # Text written straight to the row (as bulk imports do) is followed too.
    Organisation.objects.filter(pk=organisation.pk).update(search_body="wombat")
    assert index_ids(Organisation, "wombat") == BitMap([organisation.pk])
    profile_reindex(organisation)
    assert index_ids(Organisation, "wombat") == BitMap()
    organisation.delete()
    assert index_ids(Organisation, "quokka") == BitMap()
    assert text_index(Organisation).words.state is built
    for text in ("open", "works", "quokka", "zephyr", "data lab"):
        assert index_ids(Organisation, text) == postgres_ids(Organisation, text)


def test_inside_a_transaction_postgres_answers(committed):
    OrganisationFactory(name="Open Data Lab")
    assert index_ids(Organisation, "open") is not None
    with transaction.atomic():
        organisation = OrganisationFactory(name="Numbat Collective")
        # Not committed: only this transaction sees it; the index does not answer nor look.
        assert set(matching_ids(Organisation, "numbat")) == {organisation.pk}
        assert index_ids(Organisation, "numbat") is None
    assert index_ids(Organisation, "numbat") == BitMap([organisation.pk])


def test_redis_down_the_index_still_answers(committed, settings):
    server = cache_on_throwaway_redis(settings)
    OrganisationFactory(name="Open Data Lab")
    server.kill()
    assert matching_ids(Organisation, "open data") == postgres_ids(Organisation, "open data")
    organisation = OrganisationFactory(name="Open Kitchens")
    assert matching_ids(Organisation, "kitchens") == BitMap([organisation.pk])
    assert text_index(Organisation).words.state is not None


def test_built_in_the_background_while_postgres_answers(committed, settings):
    settings.FACET_INDEX_BACKGROUND = True
    organisation = OrganisationFactory(name="Open Kitchens")
    index = text_index(Organisation).words
    assert index_ids(Organisation, "kitchens") is None  # building: the caller asks Postgres
    assert matching_ids(Organisation, "kitchens") == BitMap([organisation.pk])
    deadline = time.monotonic() + 30
    while index.state is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert index_ids(Organisation, "kitchens") == BitMap([organisation.pk])


def test_another_worker_loads_the_shared_copy_and_catches_up(committed):
    kept = OrganisationFactory(name="Open Kitchens")
    index = text_index(Organisation).words
    assert index_ids(Organisation, "kitchens") == BitMap([kept.pk])  # built, and shared
    index.reset()  # another worker: nothing in memory, the copy in Redis
    added = OrganisationFactory(name="Kitchens United")
    assert index_ids(Organisation, "kitchens") == BitMap([kept.pk, added.pk])
    assert not index.state.built  # loaded, then brought up to date from the change log


def test_a_table_over_the_cap_is_searched_in_postgres(committed, settings):
    settings.FACET_INDEX_MAX_ROWS = 1
    made = [OrganisationFactory(name="Open Kitchens"), OrganisationFactory(name="Open Data")]
    assert index_ids(Organisation, "open") is None
    assert text_index(Organisation).words.state is None  # refused, not built
    assert matching_ids(Organisation, "open") == BitMap(pk.pk for pk in made)
