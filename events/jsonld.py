"""schema.org JSON-LD for event pages: an Event, for search engines and linked data.

Built from what the detail page has loaded (the event with its country and organiser, see
EventQuerySet.with_details): no query of its own. Only what the page shows publicly goes in.
"""

import datetime as dt

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from core.jsonld import SCHEMA_ORG
from core.jsonld import geo_coordinates
from core.jsonld import jsonld_script_text
from core.jsonld import organization
from events.ical import event_time_zone
from events.ical import organiser_url
from events.ical import plain_text
from events.models import Attendance
from events.models import Event
from events.occurrences import clean_rule

DESCRIPTION_CHARS = 300
ATTENDANCE_MODES = {
    Attendance.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Attendance.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Attendance.BOTH: "https://schema.org/MixedEventAttendanceMode",
}
EVENT_SCHEDULED = "https://schema.org/EventScheduled"
FREE_PRICE_CURRENCY = "EUR"
# RFC 5545 FREQ -> the unit of an ISO 8601 duration (schema.org repeatFrequency).
FREQUENCY_UNITS = {"DAILY": "D", "WEEKLY": "W", "MONTHLY": "M", "YEARLY": "Y"}
WEEKDAYS = {
    "MO": "https://schema.org/Monday",
    "TU": "https://schema.org/Tuesday",
    "WE": "https://schema.org/Wednesday",
    "TH": "https://schema.org/Thursday",
    "FR": "https://schema.org/Friday",
    "SA": "https://schema.org/Saturday",
    "SU": "https://schema.org/Sunday",
}


def _description(event: Event) -> str:
    if event.short_description:
        return event.short_description
    return Truncator(" ".join(plain_text(event.description).split())).chars(DESCRIPTION_CHARS)


def _duration(delta: dt.timedelta) -> str:
    """An ISO 8601 duration such as PT2H30M (or P1DT2H)."""
    seconds = int(delta.total_seconds())
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    time = "".join(
        f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if value
    )
    text = "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")
    return text if text != "P" else "PT0S"


def _place(event: Event) -> dict | None:
    address = {"@type": "PostalAddress"}
    if event.address:
        address["streetAddress"] = event.address
    if event.city:
        address["addressLocality"] = event.city
    if event.country_id:
        address["addressCountry"] = event.country.code
    place = {"@type": "Place"}
    if name := event.venue or event.city:
        place["name"] = name
    if len(address) > 1:
        place["address"] = address
    if geo := geo_coordinates(event):
        place["geo"] = geo
    return place if len(place) > 1 else None


def _locations(event: Event) -> list[dict]:
    locations = []
    if event.is_in_person and (place := _place(event)):
        locations.append(place)
    if event.is_online:
        locations.append(
            {"@type": "VirtualLocation", "url": event.link or event.get_permanent_url()}
        )
    return locations


def _organizer(event: Event) -> dict | None:
    name = event.organiser_label
    return organization(name, organiser_url(event)) if name else None


def _offer(event: Event) -> dict:
    offer = {"@type": "Offer"}
    if event.is_free:
        offer |= {"price": 0, "priceCurrency": FREE_PRICE_CURRENCY}
    elif event.price_note:
        offer["description"] = event.price_note
    if event.link:
        offer["url"] = event.link
    return offer


def _schedule(event: Event, zone) -> dict:
    """The series' rule as a schema.org Schedule: how often, on which days, until when."""
    parts = dict(part.split("=", 1) for part in clean_rule(event.recurrence).split(";"))
    start = timezone.localtime(event.starts_at, zone)
    end = timezone.localtime(event.ends_at, zone)
    schedule = {
        "@type": "Schedule",
        "scheduleTimezone": event.time_zone,
        "startDate": start.date().isoformat(),
        "startTime": start.time().isoformat("seconds"),
        "endTime": end.time().isoformat("seconds"),
        "duration": _duration(event.ends_at - event.starts_at),
        "repeatFrequency": f"P{int(parts.get('INTERVAL', 1))}{FREQUENCY_UNITS[parts['FREQ']]}",
    }
    if days := parts.get("BYDAY"):
        # A plain weekday as a DayOfWeek; "1TU" (the first Tuesday) in iCal's own syntax,
        # which schema.org accepts as text.
        schedule["byDay"] = [WEEKDAYS.get(day, day) for day in days.split(",")]
    if month_days := parts.get("BYMONTHDAY"):
        schedule["byMonthDay"] = [int(day) for day in month_days.split(",")]
    if months := parts.get("BYMONTH"):
        schedule["byMonth"] = [int(month) for month in months.split(",")]
    if count := parts.get("COUNT"):
        schedule["repeatCount"] = int(count)
    if until := parts.get("UNTIL"):
        schedule["endDate"] = f"{until[:4]}-{until[4:6]}-{until[6:8]}"
    return schedule


def event_jsonld(event: Event, *, occurrence=None) -> dict:
    """A schema.org Event. Its dates are the event's own (a series' first time), or those of
    `occurrence` (anything with starts_at and ends_at, such as the next EventOccurrence) when
    given, so that a series under way is not shown as past; a series also has its Schedule."""
    zone = event_time_zone(event)
    starts_at = occurrence.starts_at if occurrence is not None else event.starts_at
    ends_at = occurrence.ends_at if occurrence is not None else event.ends_at
    url = event.get_permanent_url()
    data = {
        "@context": SCHEMA_ORG,
        "@type": "Event",
        "@id": f"{url}#event",
        "url": url,
        "name": event.title,
        "startDate": timezone.localtime(starts_at, zone).isoformat(),
        "endDate": timezone.localtime(ends_at, zone).isoformat(),
        "eventAttendanceMode": ATTENDANCE_MODES.get(
            event.attendance, ATTENDANCE_MODES["in_person"]
        ),
        "eventStatus": EVENT_SCHEDULED,
    }
    if description := _description(event):
        data["description"] = description
    if locations := _locations(event):
        data["location"] = locations[0] if len(locations) == 1 else locations
    if organizer := _organizer(event):
        data["organizer"] = organizer
    data["offers"] = _offer(event)
    if event.recurrence:
        data["eventSchedule"] = _schedule(event, zone)
    return data


def event_jsonld_script(event: Event, *, occurrence=None) -> SafeString:
    """The whole <script type="application/ld+json"> element for the event's page, safe to put
    in the HTML as it is: <, > and & in values are escaped (directory.jsonld.jsonld_script_text),
    so no value can end the script."""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        SafeString(jsonld_script_text(event_jsonld(event, occurrence=occurrence))),
    )
