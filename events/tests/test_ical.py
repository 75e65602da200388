"""Events as iCalendar files, read back with the icalendar library as a calendar app would."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from core.models import Status
from directory.models import Country
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from directory.vocabularies import vocabulary
from events import views
from events.models import Attendance
from events.services import LIFECYCLE
from events.tests.factories import EventFactory

SITE = "https://hub.example.org"
LIST = "/en/events/calendar.ics"
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def next_summer(hour: int = 18) -> dt.datetime:
    """1 July next year at `hour` in Madrid (summer time, UTC+2)."""
    return dt.datetime(timezone.now().year + 1, 7, 1, hour, tzinfo=MADRID)


def calendar(response) -> Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def summaries(response) -> list[str]:
    return sorted(str(item["SUMMARY"]) for item in calendar(response).walk("VEVENT"))


@pytest.fixture
def event(db):
    health = SocialArea.objects.get(slug="health-and-care")
    start = next_summer()
    event = EventFactory(
        title="Open data & care",
        slug="open-data-care",
        short_description="Talks and a workshop.",
        description="<p>Bring <strong>your</strong> laptop &amp; ideas.</p><ul><li>Talks</li></ul>",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2, minutes=30),
        time_zone="Europe/Madrid",
        venue="Impact Hub",
        address="Carrer de Pujades 350",
        city="Barcelona",
        country=Country.objects.get(code="ES"),
        latitude=41.4036,
        longitude=2.1936,
        organiser_name="Open Care Collective",
        link="https://example.org/register",
    )
    event.social_areas.set([health])
    return event


def test_an_event_is_a_calendar_with_one_vevent_in_its_own_time_zone(client, event):
    response = client.get(f"/en/events/{event.slug}.ics")
    assert response["Content-Disposition"] == 'attachment; filename="open-data-care.ics"'
    cal = calendar(response)
    assert str(cal["PRODID"]) == "-//DSI Hub//Events//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Open data & care"
    [item] = cal.walk("VEVENT")
    assert str(item["UID"]) == f"event-{event.pk}@hub.example.org"
    assert item.decoded("DTSTAMP").tzinfo is not None
    # Local wall-clock time with its TZID, not UTC.
    assert item["DTSTART"].params["TZID"] == "Europe/Madrid"
    assert item["DTEND"].params["TZID"] == "Europe/Madrid"
    assert item.decoded("DTSTART") == next_summer()
    assert item.decoded("DTSTART").hour == 18
    assert item.decoded("DTEND") == next_summer() + dt.timedelta(hours=2, minutes=30)
    assert b"DTSTART;TZID=Europe/Madrid:" in response.content
    [zone] = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Madrid"
    assert zone.walk("DAYLIGHT") or zone.walk("STANDARD")
    assert "RRULE" not in item
    assert str(item["SUMMARY"]) == "Open data & care"
    description = str(item["DESCRIPTION"])
    assert description.startswith("Talks and a workshop.\n\nBring your laptop & ideas.\n\nTalks")
    assert "<" not in description and "&amp;" not in description
    assert str(item["LOCATION"]) == "Impact Hub, Carrer de Pujades 350, Barcelona, Spain"
    assert str(item["URL"]) == f"{SITE}/en/events/open-data-care/"
    assert (item["GEO"].latitude, item["GEO"].longitude) == (41.4036, 2.1936)
    organiser = item["ORGANIZER"]
    assert organiser.params["CN"] == "Open Care Collective"
    assert "mailto:" not in str(organiser)
    assert [str(name) for name in item["CATEGORIES"].cats] == ["Health and care"]
    assert str(item["STATUS"]) == "CONFIRMED"
    event.refresh_from_db()
    assert item.decoded("LAST-MODIFIED") == event.updated_at.replace(microsecond=0)


def test_an_organiser_in_the_directory_is_named_with_its_page(client, event):
    organisation = OrganisationFactory(name="Fundació Salut")
    event.organiser = organisation
    event.save()
    item = calendar(client.get(f"/en/events/{event.slug}.ics")).walk("VEVENT")[0]
    assert item["ORGANIZER"].params["CN"] == "Fundació Salut"
    assert str(item["ORGANIZER"]) == f"{SITE}/en/organisations/{organisation.slug}/"


def test_an_online_event_is_located_online_without_geo(client, db):
    event = EventFactory(attendance=Attendance.ONLINE, venue="", city="")
    item = calendar(client.get(f"/en/events/{event.slug}.ics")).walk("VEVENT")[0]
    assert str(item["LOCATION"]) == "Online"
    assert "GEO" not in item and "ORGANIZER" not in item and "CATEGORIES" not in item


def test_a_series_is_one_vevent_with_its_rule(client, user):
    start = next_summer(19)
    event = LIFECYCLE.create(
        user=user,
        title="Weekly hack night",
        fields={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=3),
            "time_zone": "Europe/Madrid",
            "recurrence": "FREQ=WEEKLY;COUNT=4",
        },
        status=Status.PUBLISHED,
    )
    cal = calendar(client.get(f"/en/events/{event.slug}.ics"))
    [item] = cal.walk("VEVENT")
    assert item["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=4"
    assert item.decoded("DTSTART") == start
    assert item["DTSTART"].params["TZID"] == "Europe/Madrid"
    # The zone covers later times too: the series goes on past summer time's end elsewhere.
    assert cal.walk("VTIMEZONE")[0].walk("STANDARD")


def test_until_is_given_in_utc_as_the_hub_reads_it(client, user):
    start = next_summer(19)
    year = start.year
    event = LIFECYCLE.create(
        user=user,
        title="Monthly meetup",
        fields={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "time_zone": "Europe/Madrid",
            "recurrence": f"FREQ=MONTHLY;BYDAY=1TU;UNTIL={year}1231",
        },
        status=Status.PUBLISHED,
    )
    item = calendar(client.get(f"/en/events/{event.slug}.ics")).walk("VEVENT")[0]
    rule = item["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["BYDAY"] == ["1TU"]
    # Midnight starting 31 December in Madrid (winter, UTC+1) is 23:00 UTC the day before.
    assert rule["UNTIL"] == [dt.datetime(year, 12, 30, 23, tzinfo=dt.UTC)]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.REJECTED])
def test_an_event_not_published_is_not_found(client, db, status):
    event = EventFactory(status=status)
    assert client.get(f"/en/events/{event.slug}.ics").status_code == 404


def test_an_unknown_event_is_not_found(client, db):
    assert client.get("/en/events/no-such-event.ics").status_code == 404


def test_an_event_file_takes_two_queries(client, event, django_assert_num_queries):
    with django_assert_num_queries(2):  # the event with its country and organiser; its areas
        assert client.get(f"/en/events/{event.slug}.ics").status_code == 200


# --- The list as one calendar -----------------------------------------------------------------


@pytest.fixture
def listed(db, user):
    health = SocialArea.objects.get(slug="health-and-care")
    start = next_summer()
    events = {
        "health": EventFactory(title="Care data"),
        "other": EventFactory(title="Open maps"),
        "past": EventFactory(
            title="Last year",
            starts_at=timezone.now() - dt.timedelta(days=30),
            ends_at=timezone.now() - dt.timedelta(days=30, hours=-2),
        ),
        "draft": EventFactory(title="Draft", status=Status.DRAFT),
        "series": LIFECYCLE.create(
            user=user,
            title="Weekly hack night",
            fields={
                "starts_at": start,
                "ends_at": start + dt.timedelta(hours=2),
                "recurrence": "FREQ=WEEKLY;COUNT=4",
            },
            relations={"social_areas": [health]},
            status=Status.PUBLISHED,
        ),
    }
    events["health"].social_areas.set([health])
    from events.services import event_reindex

    event_reindex(events["health"])
    return events


def test_the_list_calendar_holds_the_upcoming_published_events_each_series_once(client, listed):
    response = client.get(LIST)
    assert response["Content-Disposition"] == 'attachment; filename="events.ics"'
    cal = calendar(response)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "DSI Hub events"
    items = {str(item["SUMMARY"]): item for item in cal.walk("VEVENT")}
    assert sorted(items) == ["Care data", "Open maps", "Weekly hack night"]
    assert items["Weekly hack night"]["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=4"
    assert "RRULE" not in items["Care data"]
    assert len({str(item["UID"]) for item in items.values()}) == 3
    # Each zone used is described once.
    assert [str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]


def test_the_list_calendar_is_filtered_like_the_list(client, listed):
    assert summaries(client.get(LIST + "?area=health-and-care")) == [
        "Care data",
        "Weekly hack night",
    ]
    assert summaries(client.get(LIST + "?area=health-and-care&utm_source=x")) == [
        "Care data",
        "Weekly hack night",
    ]


def test_the_list_calendar_follows_the_lists_window_and_search(client, listed):
    assert summaries(client.get(LIST + "?when=past")) == ["Last year"]
    assert summaries(client.get(LIST + "?q=maps")) == ["Open maps"]


@pytest.mark.parametrize(
    ("query", "value"),
    [("?area=no-such-area", "no-such-area"), ("?area=health-and-care&area=nope", "nope")],
)
def test_bad_parameters_are_refused_with_a_plain_text_message(client, listed, query, value):
    response = client.get(LIST + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("The calendar was refused")
    assert f"area: “{value}”" in text


def test_the_list_calendar_queries_are_bounded_and_cached_until_events_change(
    client, listed, user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    vocabulary("area")  # the vocabularies are read once per process, not per calendar
    with django_assert_num_queries(2):  # the events with country and organiser; their areas
        client.get(LIST)
    for number in range(5):
        EventFactory(title=f"More {number}")
    with django_assert_num_queries(0):  # cached under the events' version
        assert "More 0" not in summaries(client.get(LIST))
    with django_assert_num_queries(2):  # other filters, another entry: still two, with 8 rows
        assert summaries(client.get(LIST + "?area=health-and-care"))
    with django_capture_on_commit_callbacks(execute=True):
        LIFECYCLE.archive(listed["series"], user=user)
    shown = summaries(client.get(LIST))
    assert "Weekly hack night" not in shown and "More 4" in shown


def test_the_list_calendar_is_cached_per_language(client, listed):
    assert str(calendar(client.get(LIST)).walk("VEVENT")[0]["URL"]).startswith(f"{SITE}/en/")
    german = calendar(client.get("/de/events/calendar.ics")).walk("VEVENT")[0]
    assert str(german["URL"]).startswith(f"{SITE}/de/")


def test_the_list_calendar_holds_at_most_its_limit(client, listed, monkeypatch):
    monkeypatch.setattr(views, "MAX_CALENDAR_EVENTS", 2)
    assert len(calendar(client.get(LIST)).walk("VEVENT")) == 2
