"""schema.org Event JSON-LD for event pages: its shape, its values and its safety in HTML."""

import datetime as dt
import json
import zoneinfo

import jsonschema
import pytest
from django.utils import timezone
from django.utils.safestring import SafeString

from core.models import Status
from directory.models import Country
from directory.tests.factories import OrganisationFactory
from events.jsonld import event_jsonld
from events.jsonld import event_jsonld_script
from events.models import Attendance
from events.models import Event
from events.models import EventOccurrence
from events.services import LIFECYCLE
from events.tests.factories import EventFactory

SITE = "https://hub.example.org"
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
ABSOLUTE = {"type": "string", "pattern": "^https://hub\\.example\\.org/"}
WEB_URL = {"type": "string", "pattern": "^https?://"}
# ISO 8601 with the offset of the event's zone, as schema.org and search engines want it.
DATE_TIME = {
    "type": "string",
    "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$",
}
PLACE = {
    "type": "object",
    "required": ["@type", "name"],
    "properties": {
        "@type": {"const": "Place"},
        "name": {"type": "string"},
        "address": {
            "type": "object",
            "required": ["@type"],
            "properties": {
                "@type": {"const": "PostalAddress"},
                "streetAddress": {"type": "string"},
                "addressLocality": {"type": "string"},
                "addressCountry": {"type": "string", "pattern": "^[A-Z]{2}$"},
            },
            "additionalProperties": False,
        },
        "geo": {
            "type": "object",
            "required": ["@type", "latitude", "longitude"],
            "properties": {
                "@type": {"const": "GeoCoordinates"},
                "latitude": {"type": "number"},
                "longitude": {"type": "number"},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
VIRTUAL = {
    "type": "object",
    "required": ["@type", "url"],
    "properties": {"@type": {"const": "VirtualLocation"}, "url": WEB_URL},
    "additionalProperties": False,
}
MODES = [
    "https://schema.org/OfflineEventAttendanceMode",
    "https://schema.org/OnlineEventAttendanceMode",
    "https://schema.org/MixedEventAttendanceMode",
]
# What the pages may say, and nothing else: an unknown key fails, so a new field is a choice.
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": [
        "@context",
        "@type",
        "@id",
        "url",
        "name",
        "startDate",
        "endDate",
        "eventAttendanceMode",
        "eventStatus",
        "offers",
    ],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "Event"},
        "@id": ABSOLUTE,
        "url": ABSOLUTE,
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "startDate": DATE_TIME,
        "endDate": DATE_TIME,
        "eventAttendanceMode": {"enum": MODES},
        "eventStatus": {"const": "https://schema.org/EventScheduled"},
        "location": {
            "oneOf": [
                PLACE,
                VIRTUAL,
                {"type": "array", "prefixItems": [PLACE, VIRTUAL], "items": False, "minItems": 2},
            ]
        },
        "organizer": {
            "type": "object",
            "required": ["@type", "name"],
            "properties": {
                "@type": {"const": "Organization"},
                "name": {"type": "string"},
                "url": ABSOLUTE,
            },
            "additionalProperties": False,
        },
        "offers": {
            "type": "object",
            "required": ["@type"],
            "properties": {
                "@type": {"const": "Offer"},
                "price": {"const": 0},
                "priceCurrency": {"const": "EUR"},
                "description": {"type": "string"},
                "url": WEB_URL,
            },
            "dependentRequired": {"price": ["priceCurrency"]},
            "additionalProperties": False,
        },
        "eventSchedule": {
            "type": "object",
            "required": ["@type", "repeatFrequency", "startDate", "scheduleTimezone"],
            "properties": {
                "@type": {"const": "Schedule"},
                "repeatFrequency": {"type": "string", "pattern": "^P\\d+[DWMY]$"},
                "scheduleTimezone": {"type": "string"},
                "startDate": {"type": "string", "format": "date"},
                "endDate": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                "startTime": {"type": "string", "pattern": "^\\d{2}:\\d{2}:\\d{2}$"},
                "endTime": {"type": "string", "pattern": "^\\d{2}:\\d{2}:\\d{2}$"},
                "duration": {
                    "type": "string",
                    "pattern": "^P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+S)?)?$",
                },
                "byDay": {"type": "array", "items": {"type": "string"}},
                "byMonthDay": {"type": "array", "items": {"type": "integer"}},
                "byMonth": {"type": "array", "items": {"type": "integer"}},
                "repeatCount": {"type": "integer"},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def valid(data: dict) -> dict:
    """The data as a page would carry it: through JSON text and back, then checked."""
    data = json.loads(json.dumps(data))
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    return data


def loaded(event: Event) -> Event:
    """The event as its page loads it."""
    return Event.objects.with_details().get(pk=event.pk)


def next_summer(hour: int = 18) -> dt.datetime:
    return dt.datetime(timezone.now().year + 1, 7, 1, hour, tzinfo=MADRID)


@pytest.fixture
def event(db):
    start = next_summer()
    return EventFactory(
        title="Open data & care",
        slug="open-data-care",
        short_description="",
        description="<p>Bring <strong>your</strong> laptop &amp; ideas.</p>",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        time_zone="Europe/Madrid",
        venue="Impact Hub",
        address="Carrer de Pujades 350",
        city="Barcelona",
        country=Country.objects.get(code="ES"),
        latitude=41.4036,
        longitude=2.1936,
        organiser=OrganisationFactory(name="Fundació Salut"),
        link="https://example.org/register",
    )


def test_an_event_in_person_is_a_scheduled_event_at_a_place(event, django_assert_num_queries):
    event = loaded(event)
    with django_assert_num_queries(0):  # from what the page has loaded
        data = valid(event_jsonld(event))
    assert data["@id"] == f"{SITE}/en/events/open-data-care/#event"
    assert data["url"] == f"{SITE}/en/events/open-data-care/"
    assert data["name"] == "Open data & care"
    assert data["description"] == "Bring your laptop & ideas."
    year = event.starts_at.year
    assert data["startDate"] == f"{year}-07-01T18:00:00+02:00"  # local time, with its offset
    assert data["endDate"] == f"{year}-07-01T20:00:00+02:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Impact Hub",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Carrer de Pujades 350",
            "addressLocality": "Barcelona",
            "addressCountry": "ES",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 41.4036, "longitude": 2.1936},
    }
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Fundació Salut",
        "url": f"{SITE}/en/organisations/{event.organiser.slug}/",
    }
    assert data["offers"] == {
        "@type": "Offer",
        "price": 0,
        "priceCurrency": "EUR",
        "url": "https://example.org/register",
    }
    assert "eventSchedule" not in data


def test_an_online_event_has_a_virtual_location(db):
    event = EventFactory(
        attendance=Attendance.ONLINE, venue="", city="", link="https://meet.example.org/x"
    )
    data = valid(event_jsonld(loaded(event)))
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.org/x"}


def test_an_event_in_person_and_online_has_both_locations(db):
    event = EventFactory(attendance=Attendance.BOTH, link="")
    data = valid(event_jsonld(loaded(event)))
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, virtual = data["location"]
    assert place["name"] == "Fab Lab Barcelona"
    assert virtual["url"] == f"{SITE}/en/events/{event.slug}/"


def test_a_paid_event_describes_its_price_and_an_organiser_by_name_has_no_page(db):
    event = EventFactory(
        is_free=False, price_note="€10, free for students", organiser_name="A collective"
    )
    data = valid(event_jsonld(loaded(event)))
    assert data["offers"] == {"@type": "Offer", "description": "€10, free for students"}
    assert data["organizer"] == {"@type": "Organization", "name": "A collective"}
    assert data["description"] == event.short_description


def test_an_organiser_not_published_in_the_directory_is_neither_named_nor_linked(event):
    event.organiser.status = Status.DRAFT
    event.organiser.save()
    data = valid(event_jsonld(loaded(event)))
    assert "Fundació Salut" not in str(data)


def test_a_weekly_series_has_its_schedule(user):
    start = next_summer(19)
    event = LIFECYCLE.create(
        user=user,
        title="Weekly hack night",
        fields={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2, minutes=30),
            "time_zone": "Europe/Madrid",
            "recurrence": "FREQ=WEEKLY;BYDAY=TH,FR;COUNT=4",
        },
        status=Status.PUBLISHED,
    )
    schedule = valid(event_jsonld(loaded(event)))["eventSchedule"]
    assert schedule == {
        "@type": "Schedule",
        "scheduleTimezone": "Europe/Madrid",
        "startDate": f"{start.year}-07-01",
        "startTime": "19:00:00",
        "endTime": "21:30:00",
        "duration": "PT2H30M",
        "repeatFrequency": "P1W",
        "byDay": ["https://schema.org/Thursday", "https://schema.org/Friday"],
        "repeatCount": 4,
    }


def test_a_monthly_series_keeps_its_ordinal_days_and_end(user):
    start = next_summer(19)
    event = LIFECYCLE.create(
        user=user,
        title="Monthly meetup",
        fields={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "time_zone": "Europe/Madrid",
            "recurrence": f"FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU;UNTIL={start.year + 1}0630",
        },
        status=Status.PUBLISHED,
    )
    schedule = valid(event_jsonld(loaded(event)))["eventSchedule"]
    assert schedule["repeatFrequency"] == "P2M"
    assert schedule["byDay"] == ["1TU"]  # iCal's syntax, which schema.org accepts as text
    assert schedule["endDate"] == f"{start.year + 1}-06-30"


def test_a_series_under_way_can_give_its_next_time(user):
    start = next_summer(19)
    event = LIFECYCLE.create(
        user=user,
        title="Weekly hack night",
        fields={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "time_zone": "Europe/Madrid",
            "recurrence": "FREQ=WEEKLY;COUNT=4",
        },
        status=Status.PUBLISHED,
    )
    third = EventOccurrence.objects.filter(event=event).order_by("starts_at")[2]
    data = valid(event_jsonld(loaded(event), occurrence=third))
    assert data["startDate"] == f"{start.year}-07-15T19:00:00+02:00"
    assert data["endDate"] == f"{start.year}-07-15T21:00:00+02:00"


def test_the_script_element_is_safe_in_html_and_parses(db):
    event = EventFactory(
        title="</script><script>alert(1)</script> & <!-- more",
        short_description="Tags <b>stay</b> text",
    )
    script = event_jsonld_script(loaded(event))
    assert isinstance(script, SafeString)
    opening = '<script type="application/ld+json">'
    assert script.startswith(opening) and script.endswith("</script>")
    body = script[len(opening) : -len("</script>")]
    assert "<" not in body and ">" not in body and "&" not in body
    assert "</script" not in body.lower() and "<!--" not in body
    data = valid(json.loads(body))
    assert data["name"] == "</script><script>alert(1)</script> & <!-- more"
