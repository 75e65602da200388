"""The lists made from the facet index (directory.facets, core.facets): totals, disjunctive
counts and every sort's pages equal to a brute-force count over the rows, on random queries;
changes reach the next request (services, a transaction that commits late, Redis away); the
Postgres path answers while the index is not available."""

import random

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Status
from core.search import city_value
from core.tests.outages import cache_on_throwaway_redis
from directory.facets import FACET_INDEXES
from directory.filters import ORDERINGS
from directory.models import Country
from directory.models import Organisation
from directory.models import Project
from directory.models import SocialArea
from directory.models import Tag
from directory.search import profile_search_fields
from directory.services.profiles import profile_approve
from directory.services.profiles import profile_archive
from directory.services.profiles import profile_update
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from directory.vocabularies import vocabulary

LISTS = {"organisation": "/en/organisations/", "project": "/en/projects/"}
MODELS = {"organisation": Organisation, "project": Project}
CITIES = ["Barcelona", "Madrid", "Lyon", "Porto", "Gent"]
WORDS = ["open", "data", "civic", "lab", "care", "commons"]


def _values(kind: str) -> dict[str, list]:
    """(key, URL value) pairs each facet of a list draws from."""
    tags = list(Tag.objects.order_by("pk"))
    values = {
        "country": [(f"country:{c.pk}", c.slug) for c in vocabulary("country")[:5]],
        "city": [(f"city:{city_value(city)}", city) for city in CITIES],
        "tag": [(f"tag:{tag.pk}", tag.slug) for tag in tags[:5]],
        "network": [(f"network:{tag.pk}", tag.slug) for tag in tags[5:]],
    }
    if kind == "organisation":
        for facet in ("type", "size"):
            values[facet] = [(f"{facet}:{t.pk}", t.slug) for t in vocabulary(facet)[:4]]
    else:
        for facet in ("area", "tech", "focus"):
            values[facet] = [(f"{facet}:{t.pk}", t.slug) for t in vocabulary(facet)[:4]]
        values["live"] = [("live:1", "live"), ("live:0", "closed")]
    return values


@pytest.fixture
def seeded(db):
    """A couple of hundred profiles with random filter keys, names and dates (some not
    published): built by the factories, their search text made as the services make it, and
    written in one statement per list."""
    rng = random.Random(15)
    for number in range(10):
        Tag.objects.create(name=f"Tag {number}", slug=f"tag-{number}")
    for kind, factory in (("organisation", OrganisationFactory), ("project", ProjectFactory)):
        values = _values(kind)
        profiles = []
        for number in range(110):
            status = Status.PUBLISHED if rng.random() < 0.9 else Status.DRAFT
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {number}"
            profile = factory.build(name=name, status=status, city=rng.choice(CITIES))
            if rng.random() < 0.2:
                profile.published_at = None
            else:
                profile.published_at -= timezone.timedelta(days=rng.randrange(30))
            for field, value in profile_search_fields(profile, tags={}).items():
                setattr(profile, field, value)
            keys = set()
            for facet, pairs in values.items():
                count = 1 if facet in ("city", "live") else rng.choice([0, 1, 1, 2])
                keys.update(key for key, _ in rng.sample(pairs, count))
            profile.facet_keys = sorted(keys)
            profiles.append(profile)
        MODELS[kind].objects.bulk_create(profiles)
        with connection.cursor() as cursor:  # many equal times: the id decides between them
            cursor.execute(
                f"UPDATE {MODELS[kind]._meta.db_table} "
                "SET updated_at = now() - (id % 7) * interval '1 hour'"
            )
    return rng


def _brute_force(kind: str, chosen: dict[str, list[str]], text: str | None):
    """Result ids and disjunctive counts computed in Python from the rows."""
    model = MODELS[kind]
    rows = dict(model.objects.published().values_list("pk", "facet_keys"))
    if text is not None:
        matching = set(model.objects.published().matching(text).values_list("pk", flat=True))
        rows = {pk: keys for pk, keys in rows.items() if pk in matching}

    def passes(keys, skip=None):
        return all(set(keys) & set(want) for facet, want in chosen.items() if facet != skip)

    result = [pk for pk, keys in rows.items() if passes(keys)]
    counts = {}
    for keys in rows.values():
        for key in keys:
            facet = key.partition(":")[0]
            if passes(keys, skip=facet):
                counts[key] = counts.get(key, 0) + 1
    return result, counts


def _shown_counts(response, kind: str) -> dict[str, int]:
    """The page's facet counts by key (values with a count)."""
    by_value = {}
    for facet, pairs in _values(kind).items():
        for key, value in pairs:
            by_value[(facet, city_value(value) if facet == "city" else value)] = key
    shown = {}
    for facet in response.context["facets"]:
        for value in facet.values:
            name = city_value(value.value) if facet.name == "city" else value.value
            if value.count:
                shown[by_value[(facet.name, name)]] = value.count
    return shown


def _random_query(rng, kind: str):
    values = _values(kind)
    params, chosen = [], {}
    for facet in rng.sample(list(values), rng.choice([0, 1, 1, 2, 3])):
        single = facet in ("city", "live")
        for key, value in rng.sample(values[facet], 1 if single else rng.choice([1, 1, 2])):
            params.append((facet, value))
            chosen.setdefault(facet, []).append(key)
    text = rng.choice(WORDS) if rng.random() < 0.3 else None
    if text:
        params.append(("q", text))
    sort = rng.choice(["name", "newest", "updated"])
    page = rng.choice([1, 1, 2, 3])
    params += [("sort", sort), ("page", str(page))]
    return params, chosen, text, sort, page


@pytest.mark.parametrize("kind", ["organisation", "project"])
def test_random_queries_equal_a_brute_force_count(client, seeded, kind):
    _check_random_queries(client, seeded, kind, count=150)


def test_a_worker_loads_the_index_another_shared_and_catches_up(client, seeded):
    url = LISTS["project"]
    total = client.get(url, {"sort": "name"}).context["total"]  # built, and shared in Redis
    index = FACET_INDEXES["project"]
    index.reset()  # another worker, with nothing in memory
    fresh = ProjectFactory(
        name="After the snapshot",
        vocabularies__countries=[Country.objects.get(pk=vocabulary("country")[0].pk)],
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"sort": "newest"})
    assert not index.state.built  # loaded, not built: no statement reads every row
    assert not [query for query in queries if "LEFT JOIN directory_project" in query["sql"]]
    assert response.context["total"] == total + 1
    assert response.context["profiles"][0].pk == fresh.pk  # caught up from the change log
    _check_random_queries(client, seeded, "project", count=40)


def _check_random_queries(client, rng, kind: str, *, count: int) -> None:
    asked, filled = set(), 0
    while len(asked) < count:
        params, chosen, text, sort, page = _random_query(rng, kind)
        if str(params) in asked:  # a page asked again comes from the page cache
            continue
        asked.add(str(params))
        response = client.get(LISTS[kind], params)
        result, counts = _brute_force(kind, chosen, text)
        assert response.context["total"] == len(result), params
        if response.status_code == 404:  # past the last page
            assert len(result) <= (page - 1) * 20
            continue
        assert "facets;dur=" in response["Server-Timing"]
        assert _shown_counts(response, kind) == counts, params
        ordered = MODELS[kind].objects.filter(pk__in=result).order_by(*ORDERINGS[sort])
        expected = list(ordered.values_list("pk", flat=True)[(page - 1) * 20 : page * 20])
        assert [profile.pk for profile in response.context["profiles"]] == expected, params
        filled += bool(expected) and bool(chosen)
    assert filled > count // 4  # filtered pages that show rows, not only empty ones


def test_paging_through_a_search_asks_postgres_for_its_matches_once(client, seeded):
    url = LISTS["organisation"]
    first = client.get(url, {"q": "open", "sort": "name"})
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, {"q": "open", "sort": "name", "page": "2", "city": "Madrid"})
    # Either path asks Postgres through a tsquery: the narrow search table's matching function
    # (core.text_index) or the model's own search_vector.
    searches = [query for query in queries if "tsquery" in query["sql"]]
    assert not searches, searches
    result, _ = _brute_force("organisation", {"city": ["city:madrid"]}, "open")
    assert first.context["total"] > second.context["total"] == len(result)


def _ids(client, url, **params) -> list[int]:
    return [profile.pk for profile in client.get(url, params).context["profiles"]]


def test_changes_through_the_services_reach_the_next_request(
    client, seeded, user, admin_user, django_capture_on_commit_callbacks
):
    url = LISTS["project"]
    client.get(url)  # the index is built
    health = SocialArea.objects.get(slug="health-and-care")
    pending = ProjectFactory(name="Aaa pending", status=Status.PENDING, owner=user)
    assert pending.pk not in _ids(client, url, sort="name")
    with django_capture_on_commit_callbacks(execute=True):
        profile_approve(profile=pending, moderator=admin_user)
    assert _ids(client, url, sort="name")[0] == pending.pk  # published
    assert _ids(client, url, sort="newest")[0] == pending.pk
    assert client.get(url, {"q": "zzz"}).context["total"] == 0  # the search is kept
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(
            profile=pending,
            user=user,
            fields={"name": "Zzz renamed"},
            relations={"social_areas": [health]},
        )
    assert client.get(url, {"q": "zzz", "sort": "name"}).context["total"] == 1  # not kept
    pages = client.get(url, {"area": "health-and-care"}).context["pages"]
    assert _ids(client, url, area="health-and-care", sort="name", page=pages)[-1] == pending.pk
    assert pending.pk in _ids(client, url, area="health-and-care", sort="updated")[:1]
    with django_capture_on_commit_callbacks(execute=True):
        profile_archive(profile=pending, user=user)
    assert pending.pk not in _ids(client, url, area="health-and-care", sort="updated")
    # a deleted row leaves the counts too (another address: no page cached for it)
    victim = Project.objects.published().first()
    total = client.get(url, {"sort": "name"}).context["total"]
    victim.delete()
    assert client.get(url, {"sort": "newest"}).context["total"] == total - 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_that_commits_after_a_later_one_is_not_missed(client):
    """A change whose transaction began first and commits last (its log row's seq is smaller
    than one already read) still reaches the counts."""
    spain = Country.objects.get(code="ES")
    first = OrganisationFactory(name="First", country=spain)
    url = LISTS["organisation"]
    assert client.get(url, {"sort": "name"}).context["total"] == 1
    late = psycopg.connect(**_connection_params())
    try:
        late.execute(
            "UPDATE directory_organisation SET status = 'archived' WHERE id = %s", [first.pk]
        )
        OrganisationFactory(name="Second")  # committed while the first is still open
        assert client.get(url, {"sort": "newest"}).context["total"] == 2
        late.commit()
    finally:
        late.close()
    response = client.get(url, {"sort": "updated"})
    assert response.context["total"] == 1
    assert [p.name for p in response.context["profiles"]] == ["Second"]


def _connection_params() -> dict:
    settings = connection.settings_dict
    return {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "host": settings["HOST"],
        "port": settings["PORT"] or 5432,
        "password": settings["PASSWORD"] or None,
    }


@pytest.mark.outage
def test_with_redis_away_the_counts_still_follow_changes(client, seeded, settings):
    """The version cannot be read: the index looks for changes at every request instead."""
    server = cache_on_throwaway_redis(settings)
    settings.FACET_INDEX_POLL_SECONDS = 3600  # only a moved version makes it look
    url = LISTS["organisation"]
    try:
        total = client.get(url).context["total"]
        server.kill()
        OrganisationFactory(name="During the outage")
        response = client.get(url, {"q": "outage"})
        assert response.status_code == 200 and response.context["total"] == 1
        assert client.get(url).context["total"] == total + 1
    finally:
        server.kill()


def test_a_moved_version_makes_the_index_look(
    client, seeded, settings, django_capture_on_commit_callbacks
):
    settings.FACET_INDEX_POLL_SECONDS = 3600
    url = LISTS["organisation"]
    total = client.get(url).context["total"]
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory(name="New")
        from directory.versions import directory_changed

        directory_changed()
    assert client.get(url, {"sort": "newest"}).context["total"] == total + 1


def test_without_the_index_the_lists_come_from_postgres(client, seeded, settings):
    """The same results, disjunctive counts and pages."""
    settings.FACET_INDEX_MAX_ROWS = 0  # the index refuses to build
    rng, asked, filled = seeded, set(), 0
    while len(asked) < 20:
        params, chosen, text, sort, page = _random_query(rng, "project")
        if str(params) in asked:
            continue
        asked.add(str(params))
        response = client.get(LISTS["project"], params)
        assert "Server-Timing" not in response
        result, counts = _brute_force("project", chosen, text)
        assert response.context["total"] == len(result), params
        assert _shown_counts(response, "project") == counts, params
        if response.status_code == 200:
            ordered = Project.objects.filter(pk__in=result).order_by(*ORDERINGS[sort])
            expected = list(ordered.values_list("pk", flat=True)[(page - 1) * 20 : page * 20])
            assert [profile.pk for profile in response.context["profiles"]] == expected
            filled += bool(expected)
    assert filled > 5  # pages that show rows, not only 404s past the last one


def test_the_page_s_toggler_links_as_toggle_does():
    import random

    from directory.facets import Toggler
    from directory.facets import toggle

    rng = random.Random("toggler")
    pairs = [("country", "spain"), ("country", "france"), ("area", "health"), ("city", "Köln")]
    pairs += [("q", "open & close"), ("page", "3"), ("sort", "name"), ("live", "live")]
    for _ in range(300):
        query = rng.sample(pairs, rng.randint(0, len(pairs)))
        link = Toggler(query)
        for name, value in [*pairs, ("tag", "a b"), ("country", "italy")]:
            single = name in ("city", "live")
            assert link(name, value, single=single) == toggle(query, name, value, single=single)


def test_a_facet_list_escapes_labels_and_links_and_marks_the_chosen():
    from directory.facets import Facet
    from directory.facets import FacetValue
    from directory.templatetags.directory_tags import facet_list

    facet = Facet(
        "tag",
        "Tags",
        [
            FacetValue("a", 'Art & "craft" <b>', 1234, selected=True, url="?tag=a&q=x"),
            FacetValue("b", "Bees'", 5, url="?tag=b"),
        ],
    )
    html = facet_list(facet, "Remove:")
    assert html == (
        '<ul><li><a href="?tag=a&amp;q=x" rel="nofollow" aria-current="true" class="selected">'
        '<span class="visually-hidden">Remove: </span>Art &amp; &quot;craft&quot; &lt;b&gt;</a> '
        '<span class="count">1,234</span></li>\n'
        '<li><a href="?tag=b" rel="nofollow">Bees&#x27;</a> <span class="count">5</span></li></ul>'
    )


def test_the_api_asks_the_index_for_its_total_and_page_but_no_counts(seeded):
    """An API list shows no facet counts: the index counts none for it, and its total and
    pages are those of the lists' full answer."""
    from django.http import QueryDict

    from directory.facets import indexed_results
    from directory.filters import ProjectFilterSet

    keys = [k for p in Project.objects.published() for k in p.facet_keys]
    country = Country.objects.get(pk=next(k for k in keys if k.startswith("country:"))[8:])
    query = QueryDict(f"country={country.slug}")
    filtersets = []
    for _ in range(2):
        filterset = ProjectFilterSet(query, queryset=Project.objects.published())
        filterset.qs  # validates  # noqa: B018
        filtersets.append(filterset)
    full = indexed_results(filtersets[0])
    bare = indexed_results(filtersets[1], counts=False)
    assert full.counts and bare.counts == {}
    assert bare.total == full.total > 0
    assert bare.page("name", start=0, size=50) == full.page("name", start=0, size=50)


def test_the_lists_filter_with_the_core_s_facet_filters():
    """Each facet of the lists is filtered by a core.filters FacetFilter (or the city's filter):
    one `keys()` tells Postgres and the index what a value stands for."""
    from core.filters import CityFilter
    from core.filters import FacetFilter
    from directory.filters import OrganisationFilterSet
    from directory.filters import ProjectFilterSet

    for filterset_class in (OrganisationFilterSet, ProjectFilterSet):
        for name in filterset_class.facets:
            assert isinstance(filterset_class.base_filters[name], FacetFilter | CityFilter), name
