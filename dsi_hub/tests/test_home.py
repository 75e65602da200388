"""The home page's events: the next few upcoming ones and their count, cached per language."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from directory.models import Status
from events.services import events_changed
from events.tests.factories import EventFactory


def in_days(days, hour=17):
    return (timezone.now() + dt.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def event(title, *, days, hours=2, **fields):
    starts_at = in_days(days)
    return EventFactory(
        title=title, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours), **fields
    )


def upcoming_titles(html: str) -> list[str]:
    section = html.split('id="upcoming-events-title"', 1)[1].split("</section>", 1)[0]
    return [part.split("</a>", 1)[0].split(">")[-1] for part in section.split("<h3>")[1:]]


@pytest.fixture
def events(db):
    return {
        "later": event("Later summit", days=20),
        "soon": event("Soon meetup", days=2),
        # A weekly series that began two weeks ago: placed by its next date, in six days.
        "series": event(
            "Weekly repair cafe",
            days=-15,
            recurrence="FREQ=WEEKLY;COUNT=6",
            time_zone="Europe/Madrid",
        ),
        "third": event("Third thing", days=10),
        "fifth": event("Fifth gathering", days=30),
        "past": event("Autumn summit", days=-30),
        "draft": event("Draft hackathon", days=1, status=Status.DRAFT),
    }


def test_the_home_page_shows_the_next_four_upcoming_events(client, events):
    response = client.get("/en/")
    html = response.content.decode()
    assert upcoming_titles(html) == [
        "Soon meetup",
        "Weekly repair cafe",
        "Third thing",
        "Later summit",
    ]
    assert "Fifth gathering" not in html
    assert "Autumn summit" not in html and "Draft hackathon" not in html
    # Five published events are upcoming; the past one and the draft are not counted.
    assert response.context["upcoming_event_count"] == 5
    assert "<dt>Upcoming events</dt><dd>5</dd>" in html
    assert f'href="{events["soon"].get_absolute_url()}"' in html
    assert 'href="/en/events/">All 5 upcoming events</a>' in html
    assert 'href="/en/events/calendar/">Month calendar</a>' in html
    assert '<section class="container home-events" aria-labelledby="upcoming-events-title">' in html
    assert '<h2 id="upcoming-events-title">Upcoming events</h2>' in html


def test_an_event_is_shown_at_its_next_date_in_its_own_time_zone(client, db):
    starts_at = in_days(3, hour=17)  # 17:00 UTC is 02:00 the next day in Tokyo
    EventFactory(
        title="Tokyo civic hack",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        time_zone="Asia/Tokyo",
        city="Tokyo",
        venue="Code for Japan",
    )
    html = client.get("/en/").content.decode()
    local = starts_at.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert f'<time datetime="{local.isoformat()}">' in html
    assert ", 02:00</time>–<time" in html and ">04:00</time>" in html
    assert "(Asia/Tokyo time)" in html
    assert "Code for Japan, Tokyo" in html


def test_a_repeating_event_shows_its_next_date_not_its_first(client, events):
    html = client.get("/en/").content.decode()
    item = html.split("Weekly repair cafe", 1)[1].split("</li>", 1)[0]
    following = in_days(6).astimezone(dt.UTC)
    assert following.strftime("%Y-%m-%d") in item
    assert "Repeats" in item


def test_without_upcoming_events_the_home_page_says_so(client, db):
    event("Autumn summit", days=-30)
    html = client.get("/en/").content.decode()
    assert "No upcoming events at the moment" in html
    assert "<dt>Upcoming events</dt><dd>0</dd>" in html
    assert 'href="/en/events/?when=past">Past events</a>' in html
    assert "Autumn summit" not in html


def test_a_warm_home_page_makes_no_query_for_events(client, events, django_assert_num_queries):
    # Cold, for a session-less visitor: the directory's two counts and two lists (one prefetch
    # for projects), then the events' count and the next four events with their next date and
    # country in one query.
    with django_assert_num_queries(6):
        cold = client.get("/en/").content.decode()
    # Warm: the events' part (count and list) comes from Redis; the directory's four remain.
    with django_assert_num_queries(4):
        warm = client.get("/en/").content.decode()
    assert upcoming_titles(warm) == upcoming_titles(cold)
    assert "<dt>Upcoming events</dt><dd>5</dd>" in warm


def test_with_fewer_than_four_upcoming_events_no_count_is_needed(
    client, db, django_assert_num_queries
):
    event("Only meetup", days=2)
    # The list shows them all, so its length is the count: five queries, not six.
    with django_assert_num_queries(5):
        html = client.get("/en/").content.decode()
    assert "<dt>Upcoming events</dt><dd>1</dd>" in html
    assert "All 1 upcoming event<" in html


def test_the_events_part_is_cached_per_language(client, events, django_assert_num_queries):
    client.get("/en/")
    with django_assert_num_queries(6):
        german = client.get("/de/").content.decode()
    with translation.override("de"):
        heading = translation.gettext("Upcoming events")
    assert f'<h2 id="upcoming-events-title">{heading}</h2>' in german
    assert 'href="/de/events/calendar/"' in german
    assert 'href="/en/events/' not in german
    with django_assert_num_queries(4):
        client.get("/de/")


def test_a_change_to_published_events_shows_on_the_next_visit(
    client, events, django_capture_on_commit_callbacks
):
    client.get("/en/")
    with django_capture_on_commit_callbacks(execute=True):
        event("Tomorrow workshop", days=1)
        events_changed()
    response = client.get("/en/")
    assert upcoming_titles(response.content.decode())[0] == "Tomorrow workshop"
    assert response.context["upcoming_event_count"] == 6


def test_titles_are_escaped_in_the_cached_part(client, db):
    event("<script>alert(1)</script>", days=2)
    client.get("/en/")
    html = client.get("/en/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
