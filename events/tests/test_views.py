"""The public event pages: the list, the month calendar and an event's page."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from core.models import Status
from directory.models import Country
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from events.models import Attendance
from events.models import Event
from events.services import LIFECYCLE
from events.tests.factories import EventFactory
from events.tests.factories import community_admin
from events.tests.factories import event
from events.tests.factories import in_days

LIST = "/en/events/"
CALENDAR = "/en/events/calendar/"


def titles(response):
    return [event.title for event in response.context["events"]]


def happening(title, starts_at, ends_at):
    return EventFactory(title=title, starts_at=starts_at, ends_at=ends_at)


def month_ahead(months=2) -> dt.date:
    """The first day of a month a little ahead (within the series' horizon)."""
    return (timezone.now() + dt.timedelta(days=31 * months)).date().replace(day=1)


def series(user, title, *, starts_at, rule="FREQ=WEEKLY;COUNT=4", **fields):
    return LIFECYCLE.create(
        user=user,
        title=title,
        fields={
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(hours=2),
            "recurrence": rule,
            "time_zone": "Europe/Madrid",
            "city": "Valencia",
            **fields,
        },
        status=Status.PUBLISHED,
    )


@pytest.fixture
def events(db):
    spain = Country.objects.get(code="ES")
    health = SocialArea.objects.get(slug="health-and-care")
    return {
        "barcelona": event("Barcelona meetup", days=3, country=spain, areas=[health]),
        "webinar": event("Open data webinar", days=5, attendance=Attendance.ONLINE, city=""),
        "paid": event("Paid masterclass", days=9, is_free=False, price_note="30 € per person"),
        "old": event("Autumn summit", days=-30),
    }


# --- The list ------------------------------------------------------------------------------


def test_the_list_shows_upcoming_published_events_in_order(client, events):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Barcelona meetup", "Open data webinar", "Paid masterclass"]
    html = response.content.decode()
    assert "3 upcoming events" in html
    assert f'href="{events["barcelona"].get_absolute_url()}"' in html
    assert "(Europe/Brussels time)" in html  # the zone is named
    assert "Fab Lab Barcelona, Barcelona, Spain" in html
    assert "Online" in html and "Paid" in html and "Free" in html
    for label in ("Search", "When", "Month", "Country", "City", "Social area", "Price"):
        assert re.search(rf'<label for="id_\w+">{label}</label>', html), label
    assert "Autumn summit" not in html


def test_past_events_most_recent_first(client, events):
    event("Older summit", days=-90)
    response = client.get(LIST, {"when": "past"})
    assert response.status_code == 200
    assert titles(response) == ["Autumn summit", "Older summit"]
    assert "2 past events" in response.content.decode()


def test_the_card_shows_times_in_the_events_own_zone(client, db):
    starts_at = dt.datetime.combine(month_ahead(), dt.time(16), tzinfo=dt.UTC)
    EventFactory(
        title="Tokyo talk",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        time_zone="Asia/Tokyo",
    )
    html = client.get(LIST).content.decode()
    assert "01:00</time>–<time" in html and ">02:00</time>" in html  # 16:00 UTC = 01:00 Tokyo
    assert "(Asia/Tokyo time)" in html


def test_a_series_is_listed_once_at_its_next_date_and_says_it_repeats(client, user):
    starts_at = in_days(-8, hour=10)  # two of its four weeks are over
    series(user, "Weekly repair café", starts_at=starts_at)
    response = client.get(LIST)
    [shown] = response.context["events"]
    assert shown.shown_starts_at == starts_at + dt.timedelta(days=14)
    assert "Repeats" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "spain"}, ["Barcelona meetup"]),
        ({"city": "BARCELONA"}, ["Barcelona meetup", "Paid masterclass"]),
        ({"attendance": "online"}, ["Open data webinar"]),
        ({"attendance": "in_person"}, ["Barcelona meetup", "Paid masterclass"]),
        ({"free": "1"}, ["Barcelona meetup", "Open data webinar"]),
        ({"free": "0"}, ["Paid masterclass"]),
        ({"area": "health-and-care"}, ["Barcelona meetup"]),
        ({"q": "webin"}, ["Open data webinar"]),
        ({"q": "masterclass", "free": "1"}, []),
    ],
)
def test_each_filter_of_the_list(client, events, query, expected):
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert titles(response) == expected
    if not expected:
        assert "No events match" in response.content.decode()


def test_the_month_filter_keeps_overlapping_events(client, db):
    month = month_ahead()
    start = dt.datetime.combine(month, dt.time(), tzinfo=dt.UTC)
    happening("Overnight", start - dt.timedelta(hours=2), start + dt.timedelta(hours=2))
    happening("Mid-month", start + dt.timedelta(days=14), start + dt.timedelta(days=14, hours=2))
    happening(
        "The month before",
        start - dt.timedelta(days=3),
        start - dt.timedelta(days=3) + dt.timedelta(hours=2),
    )
    response = client.get(LIST, {"month": f"{month:%Y-%m}"})
    assert titles(response) == ["Overnight", "Mid-month"]


def test_an_empty_list_says_so(client, db):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "0 upcoming events" in html and "No upcoming events at the moment" in html


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED])
def test_unpublished_events_never_appear(client, db, status):
    hidden = event("Hidden gathering", status=status)
    old = event("Hidden past gathering", days=-20, status=status)
    month = f"{timezone.localdate() + dt.timedelta(days=7):%Y-%m}"
    for url, query in [
        (LIST, {}),
        (LIST, {"when": "past"}),
        (LIST, {"q": "hidden"}),
        (CALENDAR, {"month": month}),
    ]:
        response = client.get(url, query)
        assert response.status_code == 200
        assert "Hidden" not in response.content.decode(), (url, query)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(old.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"month": "2027-13"}, "is not a month we can show"),
        ({"area": "knitting"}, "“knitting” is not a social area we know."),
        ({"country": "narnia"}, "“narnia” is not a country we know."),
        ({"attendance": "maybe"}, "“online” or “in_person”"),
        ({"free": "2"}, "1 (free) or 0 (paid)"),
        ({"when": "soon"}, "“upcoming” or “past”"),
        ({"page": "abc"}, "The page number must be a whole number from 1 upwards."),
        ({"page": "²"}, "The page number must be a whole number from 1 upwards."),
        ({"page": "0"}, "The page number must be a whole number from 1 upwards."),
    ],
)
def test_bad_list_queries_get_400_and_a_message(client, events, query, message):
    response = client.get(LIST, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message.replace("“", "&ldquo;") in html or message in html
    assert 'role="alert"' in html


def test_pagination(client, db):
    for number in range(23):
        event(f"Event {number:02}", days=1 + number)
    first = client.get(LIST)
    assert len(first.context["events"]) == 20 and first.context["pages"] == 2
    assert 'href="?page=2" rel="next"' in first.content.decode()
    second = client.get(LIST, {"page": "2"})
    assert titles(second) == ["Event 20", "Event 21", "Event 22"]
    beyond = client.get(LIST, {"page": "3"})
    assert beyond.status_code == 404
    assert "There is no page 3" in beyond.content.decode()


# --- The calendar --------------------------------------------------------------------------


def day_cells(response):
    """{day of the month: [titles]} from the rendered grid."""
    return {
        day["date"].day: [item["event"].title for item in day["items"]]
        for week in response.context["weeks"]
        for day in week
        if day["in_month"]
    }


def test_a_series_appears_on_each_day_it_happens(client, user):
    month = month_ahead()
    starts_at = dt.datetime.combine(month.replace(day=2), dt.time(18), tzinfo=dt.UTC)
    series(user, "Weekly repair café", starts_at=starts_at)  # 20:00 in Madrid, or 19:00
    response = client.get(CALENDAR, {"month": f"{month:%Y-%m}"})
    assert response.status_code == 200
    days = day_cells(response)
    assert [day for day, found in days.items() if found] == [2, 9, 16, 23]
    assert days[9] == ["Weekly repair café"]
    assert response.context["count"] == 4
    html = response.content.decode()
    assert html.count("Weekly repair café</a>") == 4


def test_the_calendar_is_an_accessible_table_with_month_links(client, events):
    month = month_ahead()
    response = client.get(CALENDAR, {"month": f"{month:%Y-%m}", "country": "spain"})
    html = response.content.decode()
    assert f"<caption>Events in {month:%B %Y}</caption>" in html
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in html
    following = (month + dt.timedelta(days=32)).replace(day=1)
    before = (month - dt.timedelta(days=1)).replace(day=1)
    assert f'href="{CALENDAR}?country=spain&amp;month={following:%Y-%m}" rel="next"' in html
    assert f'href="{CALENDAR}?country=spain&amp;month={before:%Y-%m}" rel="prev"' in html
    assert f'href="{LIST}?country=spain">Back to the list of events' in html


def test_the_calendar_defaults_to_this_month_and_takes_the_filters(client, events):
    response = client.get(CALENDAR)
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)
    month = f"{events['barcelona'].starts_at:%Y-%m}"
    shown = {t for ts in day_cells(client.get(CALENDAR, {"month": month})).values() for t in ts}
    assert "Barcelona meetup" in shown
    only_online = client.get(CALENDAR, {"month": month, "attendance": "online"})
    shown = {t for ts in day_cells(only_online).values() for t in ts}
    assert "Barcelona meetup" not in shown


def test_the_calendar_counts_events_and_their_dates_in_words(client, user):
    month = month_ahead()
    starts_at = dt.datetime.combine(month.replace(day=2), dt.time(17), tzinfo=dt.UTC)
    series(user, "Weekly repair café", starts_at=starts_at, rule="FREQ=WEEKLY;COUNT=3")
    happening("One-off talk", starts_at, starts_at + dt.timedelta(hours=2))
    html = client.get(CALENDAR, {"month": f"{month:%Y-%m}"}).content.decode()
    assert "2 events this month. Some repeat: 4 dates in all." in html
    assert "times events happen" not in html
    one = client.get(CALENDAR, {"month": f"{month:%Y-%m}", "q": "talk"}).content.decode()
    assert "1 event this month. Times are given" in one


def test_an_event_over_several_days_fills_each_day(client, db):
    month = month_ahead()
    starts_at = dt.datetime.combine(month.replace(day=10), dt.time(8), tzinfo=dt.UTC)
    happening("Three-day camp", starts_at, starts_at + dt.timedelta(days=2, hours=8))
    days = day_cells(client.get(CALENDAR, {"month": f"{month:%Y-%m}"}))
    assert [day for day, found in days.items() if found] == [10, 11, 12]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"month": "2027-13"}, "is not a month we can show"),
        ({"month": "next"}, "please write it as YYYY-MM"),
        ({"area": "knitting"}, "is not a social area we know"),
    ],
)
def test_bad_calendar_queries_get_400_and_a_message(client, db, query, message):
    response = client.get(CALENDAR, query)
    assert response.status_code == 400
    assert message in response.content.decode()


# --- An event's page -----------------------------------------------------------------------


def test_the_detail_page_shows_everything(client, db):
    organiser = OrganisationFactory(name="Fab Lab Barcelona")
    health = SocialArea.objects.get(slug="health-and-care")
    shown = EventFactory(
        title="Open hardware day",
        short_description="Build things together.",
        description="<p>Bring a <strong>laptop</strong>.</p>",
        address="Carrer de Pujades 102",
        country=Country.objects.get(code="ES"),
        link="https://example.org/hardware",
        is_free=False,
        price_note="10 € for the materials",
        organiser=organiser,
        attendance=Attendance.BOTH,
    )
    shown.social_areas.set([health])
    response = client.get(shown.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "<h1>Open hardware day</h1>",
        "Build things together.",
        "<p>Bring a <strong>laptop</strong>.</p>",
        "Carrer de Pujades 102",
        "Fab Lab Barcelona",
        "Spain",
        "https://example.org/hardware",
        "10 € for the materials",
        "In person and online",
        "Europe/Brussels",
        f'href="{organiser.get_absolute_url()}"',
        f'href="{LIST}?area=health-and-care"',
    ):
        assert text in html, text


def test_the_detail_page_names_an_organiser_outside_the_directory(client, db):
    shown = EventFactory(organiser_name="Neighbourhood association", is_free=True)
    html = client.get(shown.get_absolute_url()).content.decode()
    assert "Neighbourhood association" in html and "Free" in html


def test_a_cached_page_stops_naming_an_organiser_once_it_is_unpublished(
    client, db, django_capture_on_commit_callbacks
):
    from directory.versions import directory_changed

    organiser = OrganisationFactory(name="Civic Makers Lisbon")
    shown = EventFactory(organiser=organiser)
    assert "Civic Makers Lisbon" in client.get(shown.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        organiser.status = Status.ARCHIVED
        organiser.save()
        directory_changed()  # as the directory's services do: the events' cache follows it
    assert "Civic Makers Lisbon" not in client.get(shown.get_absolute_url()).content.decode()


def test_a_series_page_lists_ten_upcoming_dates_and_counts_the_rest(client, user):
    shown = series(
        user, "Weekly coding club", starts_at=in_days(1, hour=16), rule="FREQ=WEEKLY;COUNT=14"
    )
    response = client.get(shown.get_absolute_url())
    assert len(response.context["upcoming"]) == 10
    assert response.context["more"] == 4
    html = response.content.decode()
    assert "And 4 more dates." in html and "(Europe/Madrid time)" in html


def test_a_past_event_says_it_is_over(client, db):
    shown = event("Finished fair", days=-10)
    html = client.get(shown.get_absolute_url()).content.decode()
    assert "This event is over." in html


def test_unknown_event_is_not_found(client, db):
    assert client.get("/en/events/no-such-event/").status_code == 404


# --- Queries and the cache -----------------------------------------------------------------


@pytest.fixture
def many(db, user):
    """Enough events of every kind to show the pages' queries don't grow with them."""

    def make(count):
        spain = Country.objects.get(code="ES")
        health = SocialArea.objects.get(slug="health-and-care")
        for number in range(count):
            event(f"Event {number}", days=1 + number % 20, country=spain, areas=[health])
        series(user, f"Series {count}", starts_at=in_days(2, hour=9))

    return make


@pytest.mark.parametrize("count", [1, 25])
def test_list_query_count_is_pinned(client, many, count, django_assert_num_queries):
    many(count)
    # the vocabularies (6 tables, read once and cached), the count, the page, its social areas
    with django_assert_num_queries(9):
        assert client.get(LIST, {"area": "health-and-care"}).status_code == 200
    with django_assert_num_queries(0):  # again: the whole page from the cache
        assert client.get(LIST, {"area": "health-and-care"}).status_code == 200
    with django_assert_num_queries(3):  # another page: the vocabularies are held
        assert client.get(LIST, {"country": "spain"}).status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_calendar_query_count_is_pinned(client, many, count, django_assert_num_queries):
    many(count)
    month = f"{timezone.localdate():%Y-%m}"
    with django_assert_num_queries(7):  # the vocabularies and one query for the occurrences
        assert client.get(CALENDAR, {"country": "spain"}).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(CALENDAR, {"country": "spain"}).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(CALENDAR, {"month": month}).status_code == 200


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY;COUNT=4", "FREQ=DAILY;COUNT=40"])
def test_detail_query_count_is_pinned(client, user, rule, django_assert_num_queries):
    organiser = OrganisationFactory()
    shown = series(user, "Pinned series", starts_at=in_days(1), rule=rule, organiser=organiser)
    shown.social_areas.set(SocialArea.objects.all()[:3])
    # the event with its country and organiser, its social areas, its tags, its dates
    # (and their count when there are more than ten)
    expected = 4 if rule.endswith("COUNT=4") else 5
    with django_assert_num_queries(expected):
        assert client.get(shown.get_absolute_url()).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(shown.get_absolute_url()).status_code == 200


def test_cached_pages_follow_changes_to_published_events(
    client, events, django_capture_on_commit_callbacks
):
    from events.services import LIFECYCLE

    assert "Barcelona meetup" in client.get(LIST).content.decode()
    page = client.get(events["barcelona"].get_absolute_url())
    assert page.status_code == 200
    staff = community_admin()
    with django_capture_on_commit_callbacks(execute=True):
        LIFECYCLE.archive(Event.objects.get(pk=events["barcelona"].pk), user=staff)
    assert "Barcelona meetup" not in client.get(LIST).content.decode()
    assert client.get(events["barcelona"].get_absolute_url()).status_code == 404


def test_a_card_without_a_place_does_not_start_with_a_separator(client, db):
    EventFactory(title="Somewhere unsaid", venue="", city="", country=None, is_free=True)
    html = client.get(LIST).content.decode()
    card = html.split(">Somewhere unsaid</a>", 1)[1].split("</li>", 1)[0]
    meta = re.search(r'<p class="meta">(.*?)</p>', card, re.S).group(1)
    assert meta.strip().startswith("Free")
