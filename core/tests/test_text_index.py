"""Full-text matching through the narrow search tables (core.text_index): the same rows as
`.published().matching(q)`, kept in step by the tables' triggers however a row is written,
cached per content version, and a relevance order with title hits first."""

import random

import pytest
from django.db import connection
from django.db import transaction
from pyroaring import BitMap

from core.models import Status
from core.search import search_words
from core.tests.outages import cache_on_throwaway_redis
from core.text_index import matching_ids
from core.text_index import relevance_page
from directory.models import Organisation
from directory.models import Project
from directory.search import profile_reindex
from directory.services.profiles import profile_archive
from directory.services.profiles import profile_update
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from directory.versions import DIRECTORY

NAMES = [
    ("Open Data Lab", "<p>Open data for the city of Łódź.</p>"),
    ("Fab Lab Barcelona", "<p>Making things, a fab lab since 2012.</p>"),
    ("Fablab Catania", "<p>Making things together.</p>"),
    ("Carebase", "<p>A care platform for families.</p>"),
    ("Care Base Network", "<p>Open source care, openly governed.</p>"),
    ("Société Ouverte", "<p>Liberté, égalité: la société ouverte.</p>"),
    ("Straße der Daten", "<p>Offene Daten in Köln und München.</p>"),
    ("Community Kitchens", "<p>Open kitchens run by the community.</p>"),
    ("Digital Democracy Now", "<p>Participation, digital tools, open government.</p>"),
    ("The Open University of the Commons", "<p>Learning in the open, for the commons.</p>"),
    ("O'Reilly & Partners", "<p>Publishing: data | code | !important notes.</p>"),
    ("Smart City 2030", "<p>Sensors, data and the people of the city.</p>"),
    ("Ørsted Æbleskiver", "<p>Þórsmörk and ıstanbul.</p>"),
]

QUERIES = [
    "open",
    "Open",
    "OPEN data",
    "ope",
    "o",
    "data",
    "lodz",
    "Łódź",
    "LODZ city",
    "fablab",
    "fab lab",
    "Fab-Lab",
    "fab lab catania",
    "carebase",
    "care base",
    "care",
    "societe",
    "société ouverte",
    "strasse",
    "straße",
    "koln",
    "munchen",
    "orsted",
    "aebleskiver",
    "thorsmork",
    "istanbul",
    "the",
    "de",
    "of the",
    "community",
    "digital",
    "2012",
    "20",
    "city 2030",
    "kitchens community open",
    "",
    "   ",
    "'",
    '"',
    "&",
    "|",
    "!",
    ":*",
    "open:*",
    "open & data",
    "open | data",
    "!open",
    "o'reilly",
    "reilly partners",
    "(((",
    "a:* & b",
    "<->",
    "\\",
    "%_",
    "🙂 open",
    "open " * 20,
    "nothingmatchesthis",
    "a b c d e f g h i j k l m n",
]


def published_ids(model, text: str) -> set[int]:
    return set(model.objects.published().matching(text).values_list("pk", flat=True))


@pytest.fixture
def profiles(db):
    made = []
    for number, (name, description) in enumerate(NAMES):
        made.append(OrganisationFactory(name=name, description=description))
        made.append(ProjectFactory(name=f"{name} project", description=description))
        if number % 4 == 0:  # not public: never found
            OrganisationFactory(name=f"{name} draft", description=description, status=Status.DRAFT)
            ProjectFactory(name=f"{name} archived", status=Status.ARCHIVED)
    return made


@pytest.mark.parametrize("model", [Organisation, Project])
def test_matching_ids_are_the_published_rows_matching_finds(profiles, model):
    found_some = 0
    for text in QUERIES:
        found = matching_ids(model, text)
        assert isinstance(found, BitMap)
        assert set(found) == published_ids(model, text), text
        found_some += bool(found)
    assert found_some > len(QUERIES) // 2  # both sides empty would agree too
    # A few answers known from NAMES, independent of either path.
    names = dict(model.objects.values_list("pk", "name"))
    suffix = "" if model is Organisation else " project"
    assert {names[pk] for pk in matching_ids(model, "lodz")} == {f"Open Data Lab{suffix}"}
    assert {names[pk] for pk in matching_ids(model, "fab lab catania")} == {
        f"Fablab Catania{suffix}"
    }
    assert {names[pk] for pk in matching_ids(model, "strasse")} == {f"Straße der Daten{suffix}"}


def test_matching_ids_agree_on_random_words_and_prefixes_of_the_data(profiles):
    words = sorted({word for name, text in NAMES for word in search_words(f"{name} {text}")})
    assert len(words) > 50
    chooser = random.Random(15)
    found_some = 0
    for _ in range(60):
        picked = chooser.sample(words, chooser.choice([1, 1, 2, 3]))
        typed = " ".join(word[: chooser.randint(1, len(word))] for word in picked)
        for model in (Organisation, Project):
            found = set(matching_ids(model, typed))
            assert found == published_ids(model, typed), typed
            found_some += bool(found)
    assert found_some > 30  # words of the data find their rows, not only nothing


def test_nothing_searchable_matches_nothing(profiles):
    for text in ("", "  ", "&|!", ":*", None):
        assert matching_ids(Organisation, text) == BitMap()


def agrees(*texts: str) -> None:
    for model in (Organisation, Project):
        for text in texts:
            assert set(matching_ids(model, text)) == published_ids(model, text), (model, text)


def test_the_index_follows_every_way_a_profile_changes(db, user):
    organisation = OrganisationFactory(name="Zephyr Works", owner=user, status=Status.DRAFT)
    assert len(matching_ids(Organisation, "zephyr")) == 0  # a draft is not public
    Organisation.objects.filter(pk=organisation.pk).update(status=Status.PUBLISHED)
    assert set(matching_ids(Organisation, "zephyr")) == {organisation.pk}
    organisation.refresh_from_db()
    profile_update(profile=organisation, user=user, fields={"name": "Quokka Works"})
    assert matching_ids(Organisation, "zephyr") == BitMap()
    assert set(matching_ids(Organisation, "quokka")) == {organisation.pk}
    profile_archive(profile=organisation, user=user)
    assert matching_ids(Organisation, "quokka") == BitMap()
    organisation.status = Status.PUBLISHED
    organisation.save()
    assert set(matching_ids(Organisation, "quokka")) == {organisation.pk}
    # Text written straight to the row (as bulk imports do) is followed too.
    Organisation.objects.filter(pk=organisation.pk).update(search_body="wombat")
    assert set(matching_ids(Organisation, "wombat")) == {organisation.pk}
    profile_reindex(organisation)
    assert matching_ids(Organisation, "wombat") == BitMap()
    project = ProjectFactory(name="Quokka Project")
    agrees("quokka", "works", "project")
    organisation.delete()
    project.delete()
    assert matching_ids(Organisation, "quokka") == BitMap()
    assert matching_ids(Project, "quokka") == BitMap()


def test_bulk_writes_are_followed(db):
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Bulk {number}",
            slug=f"bulk-{number}",
            status=Status.PUBLISHED if number % 2 else Status.PENDING,
            search_title=f"bulk {number}",
            search_body="numbat",
        )
        for number in range(50)
    )
    agrees("numbat", "bulk", "bulk 7")
    assert len(matching_ids(Organisation, "numbat")) == 25
    Organisation.objects.filter(search_body="numbat").update(status=Status.PUBLISHED)
    assert len(matching_ids(Organisation, "numbat")) == 50
    Organisation.objects.filter(search_title__in=["bulk 1", "bulk 2"]).delete()
    agrees("numbat", "bulk")
    assert len(matching_ids(Organisation, "numbat")) == 48


# --- Relevance -----------------------------------------------------------------------------------


def test_title_hits_come_first_then_the_rest_by_name(profiles):
    every = matching_ids(Organisation, "open")
    order = relevance_page(Organisation, "open", every, 0, 100)
    assert set(order) == set(every)
    names = dict(Organisation.objects.values_list("pk", "search_title"))
    titled = [pk for pk in order if "open" in search_words(names[pk])]
    assert order[: len(titled)] == titled and titled
    rest = order[len(titled) :]
    assert rest == sorted(rest, key=lambda pk: (names[pk], pk)) and rest
    # The best title match first: "Open Data Lab" (one word in three) before the longer name.
    assert names[order[0]] == "open data lab"


def test_relevance_pages_follow_on_and_keep_to_the_candidates(profiles):
    every = matching_ids(Project, "open")
    whole = relevance_page(Project, "open", every, 0, 1000)
    paged = [
        pk for start in range(0, 30, 3) for pk in relevance_page(Project, "open", every, start, 3)
    ]
    assert paged == whole[:30]
    some = BitMap(whole[1::2]) | BitMap([max(Project.objects.values_list("pk", flat=True))])
    kept = relevance_page(Project, "open", some, 0, 1000)
    assert kept == [pk for pk in whole if pk in some]  # the non-matching candidate left out
    assert relevance_page(Project, "open", some, 2, 2) == kept[2:4]
    assert relevance_page(Project, "open", BitMap(), 0, 20) == []
    assert relevance_page(Project, "open", every, 10_000, 20) == []


def test_with_nothing_searchable_the_candidates_come_by_name(profiles):
    candidates = BitMap(Organisation.objects.published().values_list("pk", flat=True)[:7])
    names = dict(Organisation.objects.values_list("pk", "search_title"))
    by_name = sorted(candidates, key=lambda pk: (names[pk], pk))
    assert relevance_page(Organisation, "&", candidates, 0, 20) == by_name
    assert relevance_page(Organisation, "", candidates, 3, 2) == by_name[3:5]


# --- The cache -----------------------------------------------------------------------------------


def cached_profiles(owner=None) -> list:
    return [
        OrganisationFactory(name=name, description=text, owner=owner) for name, text in NAMES[:6]
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_repeated_search_is_answered_from_redis_until_the_directory_changes(
    django_assert_num_queries, user
):
    made = cached_profiles(owner=user)
    before = published_ids(Organisation, "care")
    with django_assert_num_queries(1):
        assert set(matching_ids(Organisation, "care")) == before
    with django_assert_num_queries(0):
        assert set(matching_ids(Organisation, "care")) == before
    with django_assert_num_queries(2):  # the title hits, and the name order of this version
        relevance_page(Organisation, "care", BitMap(before), 0, 10)
    with django_assert_num_queries(0):
        assert relevance_page(Organisation, "care", BitMap(before), 0, 10)
    profile_update(profile=made[0], user=user, fields={"name": "Open Care Lab"})
    after = published_ids(Organisation, "care")
    assert made[0].pk in after and after != before
    assert set(matching_ids(Organisation, "care")) == after
    first = relevance_page(Organisation, "care", BitMap(after), 0, 3)
    assert set(first) == {made[0].pk, made[3].pk, made[4].pk}  # the names with "care"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inside_a_transaction_the_cache_is_left_alone(django_assert_num_queries):
    cached_profiles()
    matching_ids(Organisation, "fablab")
    with transaction.atomic():
        added = OrganisationFactory(name="Fablab Torino")
        assert added.pk in matching_ids(Organisation, "fablab")  # its own uncommitted row
        transaction.set_rollback(True)
    assert added.pk not in matching_ids(Organisation, "fablab")


@pytest.fixture
def redis_server(settings):
    started = cache_on_throwaway_redis(settings)
    yield started
    started.kill()


@pytest.mark.outage
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_gone_searches_are_answered_from_postgres(redis_server):
    cached_profiles()
    expected = published_ids(Organisation, "open")
    assert set(matching_ids(Organisation, "open")) == expected
    DIRECTORY.current()
    redis_server.kill()
    assert set(matching_ids(Organisation, "open")) == expected
    page = relevance_page(Organisation, "open", matching_ids(Organisation, "open"), 0, 20)
    assert set(page) == expected


def test_the_table_holds_no_vector_in_its_rows(profiles):
    """Vectors live out of line (TOAST), so the GIN's ids come without reading one back."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = "
            "'directory_organisationtext'::regclass AND attname IN ('vector', 'title_vector')"
        )
        assert dict(cursor.fetchall()) == {"vector": "e", "title_vector": "m"}
