"""The public story pages: the list (filters, search, pages, bad input) and a story's page."""

import datetime as dt
import json
import re
import time

import pytest
from django.utils import timezone

from core.models import Status
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from stories.models import Category
from stories.models import EditorialStatus
from stories.models import Kind
from stories.models import Story
from stories.tests.factories import ago
from stories.tests.factories import story

LIST = "/en/stories/"


def detail(story) -> str:
    return f"/en/stories/{story.slug}/"


def titles(response):
    return [story.title for story in response.context["stories"]]


@pytest.fixture
def stories(db):
    events = Category.objects.create(name="Events", slug="events")
    health = SocialArea.objects.get(slug="health-and-care")
    return {
        "news": story("Open data week", publish_at=ago(hours=1), categories=[events]),
        "blog": story("Why commons matter", kind=Kind.BLOG, publish_at=ago(days=1), areas=[health]),
        "case": story("Clinic maps", kind=Kind.CASE_STUDY, publish_at=ago(days=2)),
        "featured": story(
            "Featured repair cafes", kind=Kind.CASE_STUDY, is_featured=True, publish_at=ago(days=9)
        ),
        "draft": story("Draft story", status=EditorialStatus.DRAFT, publish_at=ago(days=1)),
        "archived": story(
            "Archived story", status=EditorialStatus.ARCHIVED, publish_at=ago(days=1)
        ),
        "scheduled": story("Scheduled story", publish_at=timezone.now() + dt.timedelta(days=1)),
    }


# --- The list ------------------------------------------------------------------------------


def test_the_list_shows_published_stories_newest_with_featured_case_studies_first(client, stories):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == [
        "Featured repair cafes",
        "Open data week",
        "Why commons matter",
        "Clinic maps",
    ]
    html = response.content.decode()
    assert "Featured case study" in html
    for hidden in ("Draft story", "Archived story", "Scheduled story"):
        assert hidden not in html


def test_a_filtered_list_is_newest_first_without_pinning(client, stories):
    response = client.get(LIST, {"kind": "case_study"})
    assert titles(response) == ["Clinic maps", "Featured repair cafes"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "news"}, ["Open data week"]),
        ({"kind": "blog"}, ["Why commons matter"]),
        ({"category": "events"}, ["Open data week"]),
        ({"area": "health-and-care"}, ["Why commons matter"]),
        ({"q": "commons"}, ["Why commons matter"]),
        ({"q": "CLIN"}, ["Clinic maps"]),  # a word's beginning, any case
        ({"q": "scheduled"}, []),
        ({"q": "draft"}, []),
        ({"kind": "news", "category": "events", "q": "open"}, ["Open data week"]),
        (
            {"q": "   "},
            ["Featured repair cafes", "Open data week", "Why commons matter", "Clinic maps"],
        ),
    ],
)
def test_each_filter_of_the_list(client, stories, query, expected):
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "podcast"}, "is not a kind of story"),
        ({"category": "nope"}, "is not a category we know"),
        ({"area": "nope"}, "is not a social area we know"),
        ({"q": "x" * 201}, "at most 200 characters"),
        ({"page": "0"}, "whole number from 1 upwards"),
        ({"page": "abc"}, "whole number from 1 upwards"),
        ({"page": "²"}, "whole number from 1 upwards"),
    ],
)
def test_bad_list_queries_get_400_and_a_message(client, stories, query, message):
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_page_past_the_end_is_not_found(client, stories):
    response = client.get(LIST, {"page": "2"})
    assert response.status_code == 404
    assert "There is no page 2" in response.content.decode()


def test_the_list_is_in_pages_of_twenty(client, db):
    for number in range(23):
        story(f"Story {number:02}", publish_at=ago(hours=number + 1))
    first = client.get(LIST)
    assert titles(first) == [f"Story {number:02}" for number in range(20)]
    assert 'rel="next"' in first.content.decode()
    assert titles(client.get(LIST, {"page": "2"})) == ["Story 20", "Story 21", "Story 22"]


# --- A story's page ------------------------------------------------------------------------


def test_a_story_page_shows_what_it_is(client, stories):
    shown = stories["news"]
    shown.social_areas.set([SocialArea.objects.get(slug="health-and-care")])
    html = client.get(detail(shown)).content.decode()
    assert '<h1 id="story-title">Open data week</h1>' in html
    assert "By Hub editors" in html
    assert f'<time datetime="{timezone.localtime(shown.publish_at):%Y-%m-%dT%H:%M:%S}' in html
    assert "Labs, projects and people" in html
    assert 'href="/en/stories/?category=events"' in html
    assert 'href="/en/stories/?area=health-and-care"' in html


def test_the_featured_image_has_its_description(client, stories):
    shown = stories["news"]
    Story.objects.filter(pk=shown.pk).update(
        featured_image="stories/story-photo.jpg", featured_image_alt="People at a repair café"
    )
    html = client.get(detail(shown)).content.decode()
    assert re.search(
        r'<img src="[^"]*stories/story-photo\.jpg" alt="People at a repair café">', html
    )


@pytest.mark.parametrize("name", ["draft", "archived", "scheduled"])
def test_stories_not_public_are_not_found(client, stories, name):
    assert client.get(detail(stories[name])).status_code == 404


def test_unknown_story_is_not_found(client, db):
    assert client.get("/en/stories/no-such-story/").status_code == 404


def test_a_case_study_links_its_published_project_and_organisations_only(client, stories):
    case = stories["case"]
    project = ProjectFactory(name="Open clinic map")
    shown_org = OrganisationFactory(name="Health commons lab")
    hidden_org = OrganisationFactory(name="Secret draft org", status=Status.DRAFT)
    case.project = project
    case.save()
    case.organisations.set([shown_org, hidden_org])
    html = client.get(detail(case)).content.decode()
    assert f'<a href="{project.get_absolute_url()}">Open clinic map</a>' in html
    assert f'<a href="{shown_org.get_absolute_url()}">Health commons lab</a>' in html
    assert "Secret draft org" not in html

    project.status = Status.DRAFT
    project.save()
    html = client.get(detail(case), HTTP_COOKIE="sessionid=x").content.decode()
    assert "Open clinic map" not in html


def test_a_body_stored_with_a_script_is_cleaned_on_the_page(client, stories):
    shown = stories["news"]
    Story.objects.filter(pk=shown.pk).update(
        body='<p onclick="steal()">Hello</p><script>alert("x")</script>'
        '<a href="javascript:x()">l</a>',
        title="</script><script>alert(1)</script>",
    )
    html = client.get(detail(shown)).content.decode()
    assert "<p>Hello</p>" in html
    assert 'alert("x")' not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<script>alert(1)</script>" not in html
    # Only the JSON-LD script is on the page from the story, and its value cannot end it.
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert json.loads(jsonld)["headline"] == "</script><script>alert(1)</script>"


# --- JSON-LD ------------------------------------------------------------------------------


def jsonld(client, shown) -> dict:
    html = client.get(detail(shown)).content.decode()
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )


@pytest.mark.parametrize(
    ("name", "schema_type"),
    [("news", "NewsArticle"), ("blog", "BlogPosting"), ("case", "Article")],
)
def test_json_ld_is_an_article_of_the_story_kind(client, settings, stories, name, schema_type):
    settings.SITE_URL = "https://hub.example.org"
    shown = stories[name]
    data = jsonld(client, shown)
    url = f"https://hub.example.org/en/stories/{shown.slug}/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type
    assert data["@id"] == f"{url}#article"
    assert data["url"] == url
    assert data["headline"] == shown.title
    assert data["description"] == shown.summary
    assert data["datePublished"] == shown.publish_at.isoformat()
    assert data["author"] == {"@type": "Person", "name": "Hub editors"}
    assert data["publisher"]["@type"] == "Organization"


def test_json_ld_names_only_published_profiles(client, stories):
    case = stories["case"]
    case.project = ProjectFactory(name="Open clinic map", status=Status.DRAFT)
    case.save()
    case.organisations.set(
        [
            OrganisationFactory(name="Shown lab"),
            OrganisationFactory(name="Hidden", status=Status.DRAFT),
        ]
    )
    data = jsonld(client, case)
    assert [item["name"] for item in data["about"]] == ["Shown lab"]
    assert data["about"][0]["@type"] == "Organization"


# --- Queries and the cache -----------------------------------------------------------------


@pytest.fixture
def many(db):
    def make(count):
        events = Category.objects.create(name="Events", slug="events")
        health = SocialArea.objects.get(slug="health-and-care")
        for number in range(count):
            story(
                f"Story {number}",
                kind=[Kind.NEWS, Kind.BLOG, Kind.CASE_STUDY][number % 3],
                publish_at=ago(hours=number + 1),
                categories=[events],
                areas=[health],
            )
        story("Later", publish_at=timezone.now() + dt.timedelta(days=3))

    return make


@pytest.mark.parametrize("count", [1, 25])
def test_list_query_count_is_pinned(client, many, count, django_assert_num_queries):
    many(count)
    # the vocabularies (6 tables, read once and cached), the categories, the count, the page,
    # its categories and social areas, and when the next scheduled story comes out
    with django_assert_num_queries(12):
        assert client.get(LIST, {"area": "health-and-care"}).status_code == 200
    with django_assert_num_queries(0):  # again: the whole page from the cache
        assert client.get(LIST, {"area": "health-and-care"}).status_code == 200
    with django_assert_num_queries(6):  # another page: the vocabularies are held
        assert client.get(LIST, {"kind": "news"}).status_code == 200


@pytest.mark.parametrize("count", [1, 4])
def test_detail_query_count_is_pinned(client, db, count, django_assert_num_queries):
    case = story(
        "Pinned case",
        kind=Kind.CASE_STUDY,
        categories=[Category.objects.create(name="Events", slug="events")],
        areas=SocialArea.objects.all()[:count],
    )
    case.project = ProjectFactory()
    case.save()
    case.organisations.set([OrganisationFactory() for _ in range(count)])
    # the story with its author and project, its categories, social areas and organisations,
    # and when the next scheduled story comes out
    with django_assert_num_queries(5):
        assert client.get(detail(case)).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(detail(case)).status_code == 200


def test_cached_pages_follow_changes_to_stories(
    client, stories, django_capture_on_commit_callbacks
):
    from stories.services import stories_changed

    assert "Open data week" in client.get(LIST).content.decode()
    Story.objects.filter(pk=stories["news"].pk).update(status=EditorialStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        stories_changed()
    assert "Open data week" not in client.get(LIST).content.decode()
    assert client.get(detail(stories["news"])).status_code == 404


def test_a_cached_page_is_kept_no_later_than_the_next_scheduled_story(db):
    from stories.views import PAGE_CACHE_SECONDS
    from stories.views import seconds_until_next_story

    now = timezone.now()
    assert seconds_until_next_story(now, PAGE_CACHE_SECONDS) == PAGE_CACHE_SECONDS
    story("In an hour", publish_at=now + dt.timedelta(hours=1))
    assert seconds_until_next_story(now, PAGE_CACHE_SECONDS) == PAGE_CACHE_SECONDS
    story("In a minute", publish_at=now + dt.timedelta(seconds=60))
    assert 58 <= seconds_until_next_story(now, PAGE_CACHE_SECONDS) <= 60
    story("Due", status=EditorialStatus.DRAFT, publish_at=now + dt.timedelta(seconds=5))
    assert 58 <= seconds_until_next_story(now, PAGE_CACHE_SECONDS) <= 60  # drafts don't count


def test_a_scheduled_story_appears_at_its_moment_not_later(client, db, django_assert_num_queries):
    story("Out already", publish_at=ago(hours=1))
    soon = story("Out soon", publish_at=timezone.now() + dt.timedelta(seconds=3))
    assert titles(client.get(LIST)) == ["Out already"]
    assert client.get(detail(soon)).status_code == 404
    with django_assert_num_queries(0):  # cached meanwhile
        assert client.get(LIST).status_code == 200
    # Nothing is saved at its moment (publication is only a date): the cached page expires.
    time.sleep(max(0, (soon.publish_at - timezone.now()).total_seconds()) + 0.2)
    assert titles(client.get(LIST)) == ["Out soon", "Out already"]
    assert client.get(detail(soon)).status_code == 200


def test_a_story_card_does_not_repeat_its_kind_as_a_category(client, db):
    news = Category.objects.get(slug="news")
    interview = Category.objects.get(slug="interview")
    story("Open data week", publish_at=ago(hours=1), categories=[news, interview])
    html = client.get(LIST).content.decode()
    card = html.split(">Open data week</a>", 1)[0].rsplit("<li", 1)[1]
    card += html.split(">Open data week</a>", 1)[1].split("</li>\n", 1)[0]
    assert '<p class="story-kind">News</p>' in card
    assert '<span class="chip">News</span>' not in card
    assert '<span class="chip">Interview</span>' in card
