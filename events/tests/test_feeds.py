"""The Atom feed of upcoming events, newest published first."""

import datetime as dt
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from core.models import Status
from directory.models import SocialArea
from events.services import LIFECYCLE
from events.services import event_reindex
from events.tests.factories import EventFactory

SITE = "https://hub.example.org"
FEED = "/en/events/feed.atom"
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


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def events(db):
    past_start = ago(20)
    return {
        "old": EventFactory(title="Old news", published_at=ago(30)),
        "new": EventFactory(title="New meetup", published_at=ago(1)),
        "middle": EventFactory(title="Middle meetup", published_at=ago(10)),
        "past": EventFactory(
            title="Already happened",
            starts_at=past_start,
            ends_at=past_start + dt.timedelta(hours=2),
            published_at=ago(2),
        ),
        "draft": EventFactory(title="Draft", status=Status.DRAFT, published_at=None),
        "pending": EventFactory(title="Pending", status=Status.PENDING, published_at=None),
    }


def test_the_feed_lists_upcoming_published_events_newest_first(client, events):
    response = client.get(FEED)
    assert titles(response) == ["New meetup", "Middle meetup", "Old news"]
    feed = ET.fromstring(response.content)
    assert feed.findtext("atom:title", namespaces=ATOM) == "Events on DSI Hub"
    assert feed.findtext("atom:subtitle", namespaces=ATOM)
    assert feed.findtext("atom:author/atom:name", namespaces=ATOM) == "DSI Hub"
    assert feed.find("atom:link[@rel='self']", ATOM).get("href") == f"{SITE}{FEED}"
    assert feed.find("atom:link[@rel='alternate']", ATOM).get("href") == f"{SITE}/en/events/"
    assert feed.findtext("atom:id", namespaces=ATOM) == f"{SITE}{FEED}"


def test_each_entry_links_to_its_page_with_its_date_place_and_summary(client, events):
    event = events["new"]
    event.short_description = 'Tools & <b>"data"</b>'
    event.time_zone = "Europe/Madrid"
    madrid = zoneinfo.ZoneInfo("Europe/Madrid")
    event.starts_at = dt.datetime(timezone.now().year + 1, 3, 12, 18, tzinfo=madrid)
    event.ends_at = event.starts_at + dt.timedelta(hours=2)
    event.save()
    event.social_areas.set([SocialArea.objects.get(slug="health-and-care")])
    event_reindex(event)
    entry = entries(client.get(FEED, HTTP_HOST="localhost"))[0]
    url = f"{SITE}/en/events/{event.slug}/"  # SITE_URL's host, not the request's
    assert entry.find("atom:link", ATOM).get("href") == url
    assert entry.findtext("atom:id", namespaces=ATOM) == url
    assert entry.findtext("atom:published", namespaces=ATOM) == event.published_at.isoformat()
    event.refresh_from_db()
    assert entry.findtext("atom:updated", namespaces=ATOM) == event.updated_at.isoformat()
    assert [c.get("term") for c in entry.findall("atom:category", ATOM)] == ["Health and care"]
    summary = entry.find("atom:summary", ATOM)
    assert summary.get("type") == "html"
    day = dt.date(event.starts_at.year, 3, 12)
    # The date in the event's own zone, the place, the text: values escaped into the HTML.
    assert summary.text == (
        f"<p>{day:%a} March 12, {day.year}, 18:00–20:00 (Europe/Madrid time)</p>"
        "<p>Fab Lab Barcelona, Barcelona</p>"
        "<p>Tools &amp; &lt;b&gt;&quot;data&quot;&lt;/b&gt;</p>"
    )


def test_a_series_shows_its_next_time(client, user):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=14, hours=1)
    LIFECYCLE.create(
        user=user,
        title="Weekly hack night",
        fields={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "time_zone": "UTC",
            "recurrence": "FREQ=WEEKLY;COUNT=6",
        },
        status=Status.PUBLISHED,
    )
    summary = entries(client.get(FEED))[0].findtext("atom:summary", namespaces=ATOM)
    # The third time began an hour ago and has not ended: it is the one shown.
    shown = start + dt.timedelta(days=14)
    end = shown + dt.timedelta(hours=2)
    end_day = "" if end.date() == shown.date() else f"{end:%a} {date_format(end)}, "
    assert summary == (
        f"<p>Next: {shown:%a} {date_format(shown)}, {shown:%H:%M}–{end_day}{end:%H:%M} "
        "(UTC time), and repeats</p>"
    )


def test_the_feed_holds_the_fifty_newest(client, db):
    for day in range(55):
        EventFactory(title=f"Event {day:02}", published_at=ago(day))
    shown = titles(client.get(FEED))
    assert len(shown) == 50
    assert shown[0] == "Event 00" and shown[-1] == "Event 49"


def test_the_feed_is_served_in_each_language(client, events):
    response = client.get("/fr/events/feed.atom")
    feed = ET.fromstring(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    link = entries(response)[0].find("atom:link", ATOM).get("href")
    assert link.startswith(f"{SITE}/fr/events/")


def test_feed_queries_are_bounded_and_cached_until_events_change(
    client, events, user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_num_queries(2):  # the events with their next time; their social areas
        client.get(FEED)
    for number in range(5):
        EventFactory(title=f"More {number}")  # written directly: the version stays
    with django_assert_num_queries(0):
        assert "More 0" not in titles(client.get(FEED))
    start = timezone.now() + dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        published = LIFECYCLE.create(
            user=user,
            title="Published from the admin",
            fields={"starts_at": start, "ends_at": start + dt.timedelta(hours=1)},
            status=Status.PUBLISHED,
        )
    with django_assert_num_queries(2):  # nine entries now: still two
        shown = titles(client.get(FEED))
    assert len(shown) == 9 and shown[0] == "Published from the admin"
    with django_capture_on_commit_callbacks(execute=True):
        LIFECYCLE.archive(published, user=user)
    assert "Published from the admin" not in titles(client.get(FEED))
