"""Events as iCalendar (RFC 5545) files, for calendar apps: one event, or a list as one calendar.

Written with the `icalendar` library. Times keep the event's own time zone (DTSTART;TZID=...,
with its VTIMEZONE), so a weekly 18:00 meeting stays at 18:00 local time across summer time in
every client, as on the hub (events.occurrences). A series is one VEVENT with its RRULE, never
expanded: clients repeat it themselves, beyond the hub's own horizon too.
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from html import unescape
from urllib.parse import urlsplit

from dateutil import parser as date_parser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from icalendar import vCalAddress
from icalendar import vDuration
from icalendar import vRecur
from icalendar import vUri

from core.models import Status
from core.models import absolute_url
from events.models import Attendance
from events.models import Event
from events.occurrences import clean_rule
from events.occurrences import event_zone

PRODUCT_ID = "-//DSI Hub//Events//EN"
# What calendar apps that subscribe to a list are asked to wait between two reads (RFC 7986).
REFRESH_INTERVAL = dt.timedelta(hours=1)
# icalendar writes a time zone's transitions as dates up to this day by default; a series may
# go on after its last occurrence written out on the hub, so its zones are written that far.
ZONE_LAST_DATE = dt.date(2038, 1, 1)

# Block-level ends of the tags sanitize_html keeps (core.html): a line break in plain text.
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|pre)>|<hr\s*/?>", re.IGNORECASE)


def plain_text(html: str) -> str:
    """User HTML (a description) as plain text: tags gone, entities read, paragraphs kept as
    blank-line-separated lines."""
    if not html:
        return ""
    text = unescape(strip_tags(_BLOCK_END.sub("\n", html)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_uid(event: Event) -> str:
    """Stable across edits and languages, so a calendar updates the event instead of adding it."""
    return f"event-{event.pk}@{site_host()}"


def event_time_zone(event: Event) -> zoneinfo.ZoneInfo:
    try:
        return event_zone(event.time_zone)
    except ValidationError:  # checked on save; should the zone leave tzdata, UTC still works
        return zoneinfo.ZoneInfo("UTC")


def calendar_rule(rule: str, zone: zoneinfo.ZoneInfo) -> vRecur:
    """The event's rule for a calendar whose DTSTART has a TZID: its UNTIL in UTC, as RFC 5545
    asks. The hub reads UNTIL as a local date or time in the event's zone (events.occurrences
    reads rules with ignoretz), so it is converted from there and both give the same times."""
    recurrence = vRecur.from_ical(clean_rule(rule))
    if "UNTIL" in recurrence:
        text = clean_rule(rule).split("UNTIL=", 1)[1].split(";", 1)[0]
        local = date_parser.parse(text, ignoretz=True)
        recurrence["UNTIL"] = [local.replace(tzinfo=zone).astimezone(dt.UTC)]
    return recurrence


def event_location(event: Event) -> str:
    """Where, on one line: the place's parts, or "Online" for an event only online."""
    parts = [event.venue, event.address, event.city]
    if event.country_id:
        parts.append(event.country.name)
    place = ", ".join(part.strip() for part in parts if part and part.strip())
    if event.attendance == Attendance.ONLINE or (not place and event.is_online):
        return _("Online")
    return place


def organiser_url(event: Event) -> str:
    """The organiser's page in the directory, when they are there and published."""
    organiser = event.organiser if event.organiser_id else None
    if organiser is None or organiser.status != Status.PUBLISHED:
        return ""
    return absolute_url(organiser.get_absolute_url())


def _description(event: Event) -> str:
    parts = [event.short_description.strip(), plain_text(event.description)]
    if not event.is_free and event.price_note:
        parts.append(_("Price: %(price)s") % {"price": event.price_note})
    if event.link:
        parts.append(event.link)
    return "\n\n".join(part for part in parts if part)


def _organizer(event: Event) -> vCalAddress | None:
    """The organiser by name (CN) only: the hub has no address of theirs to give. The value
    must be a URI (RFC 5545 CAL-ADDRESS): their directory page, or else the event's link or
    page, where to reach them."""
    name = event.organiser_label
    if not name:
        return None
    address = vCalAddress(organiser_url(event) or event.link or event.get_permanent_url())
    address.params["CN"] = name
    return address


def calendar_event(event: Event, *, stamp: dt.datetime) -> CalendarEvent:
    """One VEVENT. Expects the event's country, organiser and social areas loaded
    (EventQuerySet.with_cards)."""
    zone = event_time_zone(event)
    item = CalendarEvent()
    item.add("uid", event_uid(event))
    item.add("dtstamp", stamp)
    item.add("dtstart", timezone.localtime(event.starts_at, zone))
    item.add("dtend", timezone.localtime(event.ends_at, zone))
    if event.recurrence:
        item.add("rrule", calendar_rule(event.recurrence, zone))
    item.add("summary", event.title)
    if description := _description(event):
        item.add("description", description)
    if location := event_location(event):
        item.add("location", location)
    item.add("url", vUri(event.get_permanent_url()))
    if event.latitude is not None and event.longitude is not None:
        item.add("geo", (event.latitude, event.longitude))
    if organizer := _organizer(event):
        item.add("organizer", organizer)
    if areas := [area.name for area in event.social_areas.all()]:
        item.add("categories", areas)
    item.add("status", "CONFIRMED")
    item.add("class", "PUBLIC")
    item.add("created", event.created_at.astimezone(dt.UTC))
    item.add("last-modified", event.updated_at.astimezone(dt.UTC))
    return item


def _zone_dates(events: list[Event]) -> tuple[dt.date, dt.date]:
    """The days the VTIMEZONEs must cover: the first start to the last end, or on to
    ZONE_LAST_DATE when a series may go on."""
    first = min(event.starts_at for event in events).date() - dt.timedelta(days=1)
    ends = [(event.last_ends_at or event.ends_at) for event in events]
    last = max(ends).date() + dt.timedelta(days=2)
    if any(event.recurrence for event in events):
        last = max(last, ZONE_LAST_DATE)
    return first, last


def events_calendar(
    events: Iterable[Event], *, name: str, description: str = "", subscribe: bool = False
) -> Calendar:
    """A VCALENDAR to publish `events` (METHOD:PUBLISH): one VEVENT each, with the VTIMEZONE
    of each zone they use. `subscribe` marks a list that calendar apps read again and again."""
    events = list(events)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    if description:
        calendar.add("x-wr-caldesc", description)
        calendar.add("description", description)
    if subscribe:
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for event in events:
        calendar.add_component(calendar_event(event, stamp=stamp))
    if events:
        first, last = _zone_dates(events)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar


def calendar_bytes(calendar: Calendar) -> bytes:
    return calendar.to_ical()
