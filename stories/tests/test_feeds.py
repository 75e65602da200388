"""The Atom feed of stories, newest published first."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from stories.models import Category
from stories.models import EditorialStatus
from stories.models import Kind
from stories.services import story_reindex
from stories.tests.factories import StoryFactory

SITE = "https://hub.example.org"
FEED = "/en/stories/feed.atom"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def entries(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content).findall("atom:entry", ATOM)


def titles(response) -> list[str]:
    return [entry.findtext("atom:title", namespaces=ATOM) for entry in entries(response)]


def ago(**delta):
    return timezone.now() - dt.timedelta(**delta)


@pytest.fixture
def stories(db):
    return {
        "old": StoryFactory(title="Old news", publish_at=ago(days=30)),
        "new": StoryFactory(title="New post", kind=Kind.BLOG, publish_at=ago(hours=1)),
        "middle": StoryFactory(title="Middle case", kind=Kind.CASE_STUDY, publish_at=ago(days=3)),
        "draft": StoryFactory(title="Draft", status=EditorialStatus.DRAFT),
        "archived": StoryFactory(title="Archived", status=EditorialStatus.ARCHIVED),
        "scheduled": StoryFactory(
            title="Scheduled", publish_at=timezone.now() + dt.timedelta(days=1)
        ),
    }


def test_the_feed_lists_published_stories_newest_first(client, stories):
    response = client.get(FEED)
    assert titles(response) == ["New post", "Middle case", "Old news"]
    feed = ET.fromstring(response.content)
    assert feed.findtext("atom:title", namespaces=ATOM) == "Stories on DSI Hub"
    assert feed.find("atom:link[@rel='self']", ATOM).get("href") == f"{SITE}/en/stories/feed.atom"
    entry = entries(response)[0]
    new = stories["new"]
    assert entry.find("atom:link", ATOM).get("href") == f"{SITE}/en/stories/{new.slug}/"
    assert entry.findtext("atom:id", namespaces=ATOM) == f"{SITE}/en/stories/{new.slug}/"
    assert entry.findtext("atom:summary", namespaces=ATOM) == new.summary
    assert entry.findtext("atom:author/atom:name", namespaces=ATOM) == "Hub editors"
    published = dt.datetime.fromisoformat(entry.findtext("atom:published", namespaces=ATOM))
    assert abs(published - new.publish_at) < dt.timedelta(seconds=1)


def test_the_feed_has_the_thirty_newest(client, db):
    for number in range(32):
        StoryFactory(title=f"Story {number:02}", publish_at=ago(hours=number + 1))
    assert titles(client.get(FEED)) == [f"Story {number:02}" for number in range(30)]


def test_categories_and_escaped_summaries(client, db):
    shown = StoryFactory(title="<b>Bold</b> & co", summary="Less <script>x</script> than")
    shown.categories.set([Category.objects.create(name="Interviews", slug="interviews")])
    story_reindex(shown)
    entry = entries(client.get(FEED))[0]
    assert entry.findtext("atom:title", namespaces=ATOM) == "<b>Bold</b> & co"
    # a summary of type html: the plain text is escaped into it, so no reader runs it
    assert entry.findtext("atom:summary", namespaces=ATOM) == (
        "Less &lt;script&gt;x&lt;/script&gt; than"
    )
    assert [c.get("term") for c in entry.findall("atom:category", ATOM)] == ["Interviews"]


@pytest.mark.parametrize("count", [1, 20])
def test_feed_query_count_is_pinned(client, db, count, django_assert_num_queries):
    for number in range(count):
        StoryFactory(title=f"Story {number}")
    # the stories with their authors, their categories, their social areas, and when the next
    # scheduled story comes out; then nothing: the feed from the cache
    with django_assert_num_queries(4):
        entries(client.get(FEED))
    with django_assert_num_queries(0):
        entries(client.get(FEED))


def test_a_scheduled_story_is_not_kept_out_of_the_feed_by_the_cache(client, db):
    import time

    StoryFactory(title="Out")
    soon = StoryFactory(title="Soon", publish_at=timezone.now() + dt.timedelta(seconds=2))
    assert titles(client.get(FEED)) == ["Out"]
    time.sleep(max(0, (soon.publish_at - timezone.now()).total_seconds()) + 0.2)
    assert titles(client.get(FEED)) == ["Soon", "Out"]
