"""The stories' open-data API: /api/v1/stories/, its items, filters, ordering, caches, query
counts and schema.

What every app's API shares (refusals, pages, reading only, cross-origin reads, cached lists, the
schema's common parts, the fuzz run) is tested once for each in core/tests/test_api.py, with
api_sample() from factories.py."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from stories.models import Category
from stories.models import Kind
from stories.models import Story
from stories.tests.factories import ago
from stories.tests.factories import api_sample
from stories.tests.factories import story

API = "/api/v1/stories/"


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


@pytest.fixture
def stories(db):
    return api_sample()


PUBLIC = ["Open data week", "Why commons matter", "Clinic maps", "Repair cafes", "Funding round"]


# --- Lists and items --------------------------------------------------------------------------


def test_published_stories_newest_first_with_the_public_fields(client, stories, settings):
    response = client.get(API, HTTP_ACCEPT="application/json")
    body = response.json()
    assert body["count"] == 5 and body["next"] is None and body["previous"] is None
    assert titles(response) == PUBLIC  # no draft, archived or scheduled story
    news = body["results"][0]
    shown = stories["news"]
    assert news["id"] == shown.pk and news["slug"] == shown.slug and news["kind"] == "news"
    assert news["url"] == f"{settings.SITE_URL}/en/stories/{shown.slug}/"
    assert news["api_url"] == f"{settings.SITE_URL}/api/v1/stories/{shown.slug}/"
    assert news["summary"] == shown.summary and news["body"] == shown.body
    assert news["author"] == "Ada Lovelace"
    assert news["featured_image"] is None and news["featured_image_alt"] == ""
    assert news["categories"] == [{"slug": "events", "name": "Events"}]
    assert news["social_areas"] == []
    assert news["project"] is None and news["organisations"] == []
    assert news["licence"] == {
        "code": "CC-BY-4.0",
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert dt.datetime.fromisoformat(news["published"]) == shown.publish_at
    assert dt.datetime.fromisoformat(news["updated"]) == shown.updated_at
    for private in ("status", "is_featured", "created_at", "publish_at", "author_name"):
        assert private not in news
    content = response.content.decode()
    assert "search_" not in content and "@example.org" not in content

    blog = body["results"][1]
    assert blog["kind"] == "blog" and blog["author"] == "Grace Hopper"  # the account's name
    assert blog["social_areas"] == [
        {"slug": "health-and-care", "name": "Health and care"},
        {"slug": "digital-democracy", "name": "Digital democracy"},
    ]


def test_a_case_study_shows_only_its_published_project_and_organisations(client, stories, settings):
    items = {item["title"]: item for item in client.get(API).json()["results"]}
    case = items["Clinic maps"]
    assert case["kind"] == "case_study"
    project = stories["case"].project
    assert case["project"] == {
        "id": project.pk,
        "slug": project.slug,
        "name": "Open clinic map",
        "url": f"{settings.SITE_URL}/en/projects/{project.slug}/",
        "api_url": f"{settings.SITE_URL}/api/v1/projects/{project.slug}/",
    }
    assert [org["name"] for org in case["organisations"]] == ["Fab Lab Barcelona"]
    assert case["organisations"][0]["api_url"].endswith("/api/v1/organisations/fab-lab-barcelona/")
    assert [category["slug"] for category in case["categories"]] == ["events", "interviews"]
    # a draft project or organisation is neither named nor linked
    hidden = items["Repair cafes"]
    assert hidden["project"] is None and hidden["organisations"] == []
    assert items["Funding round"]["project"] is None  # not a case study
    content = client.get(API).content.decode()
    assert "Secret draft" not in content
    detail = client.get(f"{API}{stories['case'].slug}/").json()
    assert detail == case


def test_a_profile_unpublished_later_is_no_longer_shown(client, stories):
    project = stories["case"].project
    project.status = Status.ARCHIVED
    project.save()
    assert client.get(f"{API}{stories['case'].slug}/").json()["project"] is None


def test_the_featured_image_is_an_absolute_address(client, stories, settings):
    Story.objects.filter(pk=stories["news"].pk).update(
        featured_image="stories/photo.jpg", featured_image_alt="People at a repair café"
    )
    item = client.get(f"{API}{stories['news'].slug}/").json()
    assert item["featured_image"] == f"{settings.SITE_URL}{settings.MEDIA_URL}stories/photo.jpg"
    assert item["featured_image_alt"] == "People at a repair café"


def test_bodies_are_cleaned_even_if_stored_otherwise(client, stories):
    shown = stories["news"]
    Story.objects.filter(pk=shown.pk).update(
        body='<p onclick="x()">Hi<script>alert(1)</script></p><a href="javascript:x()">l</a>'
    )
    for url in (API, f"{API}{shown.slug}/"):
        body = client.get(url).json()
        item = body["results"][0] if "results" in body else body
        assert "script" not in item["body"] and "onclick" not in item["body"]
        assert item["body"].startswith("<p>Hi</p>")


def test_one_item_by_slug_and_stories_not_public_are_not_found(client, stories):
    response = client.get(f"{API}{stories['blog'].slug}/")
    assert response.status_code == 200 and response.json()["title"] == "Why commons matter"
    for name in ("draft", "archived", "scheduled"):
        assert client.get(f"{API}{stories[name].slug}/").status_code == 404
    missing = client.get(f"{API}no-such-story/")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_names_in_the_asked_language_one_address_whatever_the_language(client, stories):
    Category.objects.filter(slug="events").update(name_de="Veranstaltungen")
    item = client.get(f"{API}{stories['case'].slug}/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert {"slug": "events", "name": "Veranstaltungen"} in item["categories"]
    health = SocialArea.objects.get(slug="health-and-care")
    assert item["social_areas"][0]["name"] == health.name_de
    assert "/en/stories/" in item["url"] and "/en/projects/" in item["project"]["url"]


# --- Filters, search, ordering, pagination ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "news"}, ["Open data week", "Funding round"]),
        ({"kind": "blog"}, ["Why commons matter"]),
        ({"kind": "case_study"}, ["Clinic maps", "Repair cafes"]),
        ({"category": "events"}, ["Open data week", "Clinic maps"]),
        ({"category": "interviews"}, ["Clinic maps"]),
        ({"area": "health-and-care"}, ["Why commons matter", "Clinic maps"]),
        ({"area": "digital-democracy", "kind": "blog"}, ["Why commons matter"]),
        ({"area": "digital-democracy", "kind": "news"}, []),
        ({"search": "clinic"}, ["Clinic maps"]),
        ({"search": "lovelace"}, ["Open data week"]),  # the byline is searched
        ({"search": "draft"}, []),  # never what is not public
        ({"search": "scheduled"}, []),
        ({"q": "clinic"}, PUBLIC),  # the list's name for the search is not the API's
    ],
)
def test_each_filter_of_the_list(client, stories, query, expected):
    assert titles(client.get(API, query)) == expected


def test_the_same_filters_give_the_same_stories_as_the_page(client, stories):
    for query in ({"kind": "news"}, {"category": "events"}, {"area": "health-and-care"}):
        page = client.get("/en/stories/", query)
        assert [s.title for s in page.context["stories"]] == titles(client.get(API, query))


def test_ordering(client, stories):
    assert titles(client.get(API, {"ordering": "-published"})) == PUBLIC
    assert titles(client.get(API, {"ordering": "published"})) == PUBLIC[::-1]
    now = timezone.now()
    for days, name in (
        (1, "case"),
        (2, "news"),
        (3, "blog"),
        (4, "hidden_links"),
        (5, "news_with_project"),
    ):
        Story.objects.filter(pk=stories[name].pk).update(updated_at=now - dt.timedelta(days=days))
    updated = [
        "Clinic maps",
        "Open data week",
        "Why commons matter",
        "Repair cafes",
        "Funding round",
    ]
    assert titles(client.get(API, {"ordering": "-updated"})) == updated
    assert titles(client.get(API, {"ordering": "updated"})) == updated[::-1]


def test_relevance_with_a_search_and_newest_first_without(client, db):
    story("Open data day", publish_at=ago(days=3), summary="Open data, open data, open data")
    story("Meetup about data", publish_at=ago(days=1), summary="Some talks")
    found = titles(client.get(API, {"search": "data", "ordering": "relevance"}))
    assert found == ["Open data day", "Meetup about data"]
    assert titles(client.get(API, {"search": "data"})) == found[::-1]  # newest first
    assert titles(client.get(API, {"ordering": "relevance"})) == found[::-1]


def test_featured_case_studies_are_not_pinned_first(client, stories):
    Story.objects.filter(pk=stories["case"].pk).update(is_featured=True)
    assert titles(client.get(API)) == PUBLIC


# --- Caches, scheduling and query counts ------------------------------------------------------


@pytest.fixture
def many(db):
    from directory.vocabularies import vocabulary_tables

    def add(count):
        events = Category.objects.create(name="Events", slug="events")
        areas = list(SocialArea.objects.all()[:2])
        organisations = [OrganisationFactory(), OrganisationFactory(status=Status.DRAFT)]
        project = ProjectFactory()
        for n in range(count):
            story(
                f"Story {n}",
                kind=[Kind.NEWS, Kind.BLOG, Kind.CASE_STUDY][n % 3],
                publish_at=ago(hours=n + 1),
                categories=[events],
                areas=areas,
                project=project,
                organisations=organisations,
                author=UserFactory(),
                author_name="",
            )
        story("Later", publish_at=timezone.now() + dt.timedelta(days=3))

    vocabulary_tables()  # read once per process, as a running site has them
    return add


@pytest.mark.parametrize("count", [1, 15])
def test_list_query_counts_are_pinned(client, many, count, django_assert_num_queries):
    many(count)
    # the categories (to check the filter's value), the count, the rows (with the author's
    # name and the project), their categories, social areas and published organisations, and
    # when the next scheduled story comes out (how long the answer may be cached)
    with django_assert_num_queries(7):
        response = client.get(API, {"area": "health-and-care", "page_size": 50})
        assert response.json()["count"] == count
    # the same request again: the whole answer comes from the cache
    with django_assert_num_queries(0):
        assert client.get(API, {"area": "health-and-care", "page_size": 50}).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(API, {"search": "story", "ordering": "relevance"}).status_code == 200


@pytest.mark.parametrize("count", [1, 4])
def test_item_query_count_is_pinned(client, db, count, django_assert_num_queries):
    case = story(
        "Pinned case",
        kind=Kind.CASE_STUDY,
        categories=[Category.objects.create(name="Events", slug="events")],
        areas=SocialArea.objects.all()[:count],
        project=ProjectFactory(),
        organisations=[
            *(OrganisationFactory() for _ in range(count)),
            OrganisationFactory(status=Status.DRAFT),
        ],
        author=UserFactory(),
    )
    with django_assert_num_queries(4):  # the row, its categories, social areas, organisations
        response = client.get(f"{API}{case.slug}/")
        assert response.status_code == 200
    item = response.json()
    assert len(item["organisations"]) == count and len(item["social_areas"]) == count


def test_cached_lists_follow_the_directory(client, db, django_capture_on_commit_callbacks):
    """A case study names its project and organisations only while they are published: the
    cached list follows the directory's version as well as the stories'."""
    from directory.versions import directory_changed

    project = ProjectFactory(name="Soon hidden project")
    organisation = OrganisationFactory(name="Soon hidden organisation")
    story(
        "Case",
        kind=Kind.CASE_STUDY,
        project=project,
        organisations=[organisation],
        publish_at=ago(hours=1),
    )
    listed = client.get(API).content.decode()
    assert "Soon hidden project" in listed and "Soon hidden organisation" in listed
    with django_capture_on_commit_callbacks(execute=True):
        for profile in (project, organisation):
            profile.status = Status.ARCHIVED
            profile.save()
        directory_changed()
    listed = client.get(API).content.decode()
    assert "Soon hidden project" not in listed and "Soon hidden organisation" not in listed


def test_a_scheduled_story_appears_at_its_moment_not_later(client, db, django_assert_num_queries):
    story("Out already", publish_at=ago(hours=1))
    coming = story("Out soon", publish_at=timezone.now() + dt.timedelta(seconds=2))
    assert titles(client.get(API)) == ["Out already"]
    assert client.get(f"{API}{coming.slug}/").status_code == 404
    with django_assert_num_queries(0):  # cached meanwhile
        assert titles(client.get(API)) == ["Out already"]
    # Nothing is saved at its moment (publication is only a date): the cached list expires.
    time.sleep(max(0, (coming.publish_at - timezone.now()).total_seconds()) + 0.2)
    assert titles(client.get(API)) == ["Out soon", "Out already"]
    assert client.get(f"{API}{coming.slug}/").status_code == 200


def test_a_list_is_not_cached_past_the_next_scheduled_moment(client, db):
    from django.core.cache import cache

    story("Out already", publish_at=ago(hours=1))
    story("Out soon", publish_at=timezone.now() + dt.timedelta(seconds=90))
    redis = cache._cache.get_client()
    client.get(API)
    keys = redis.keys("*stories:api:list*")
    assert len(keys) == 1 and 0 < redis.ttl(keys[0]) <= 90


# --- Schema -----------------------------------------------------------------------------------


def test_the_schema_describes_the_stories_filters_and_fields(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/stories/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert {"kind", "category"} <= set(parameters)
    assert sorted(parameters["kind"]["schema"]["enum"]) == ["blog", "case_study", "news"]
    # Rows an admin may add: the slugs there are when the schema is made.
    assert {"news", "blog"} <= set(parameters["category"]["schema"]["enum"])
    assert "health-and-care" in parameters["area"]["schema"]["enum"]
    assert parameters["ordering"]["schema"]["enum"] == sorted(
        ["published", "-published", "updated", "-updated", "relevance"]
    )
    fields = schema["components"]["schemas"]["Story"]["properties"]
    assert {"body", "author", "project", "organisations", "published"} <= set(fields)
    assert not {"status", "is_featured", "author_name", "search_vector"} & set(fields)


def test_the_schema_is_made_without_warnings_or_errors(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI document
    assert not GENERATOR_STATS, [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert "/api/v1/stories/" in schema["paths"]
