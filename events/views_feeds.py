"""Events for calendar apps: one event, or the upcoming list, as an iCalendar (.ics) file."""

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.filters import EventFilterSet
from events.ical import calendar_bytes, events_calendar
from events.models import Event
from events.services import events_cache, events_cached

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
MAX_CALENDAR_EVENTS = 1000
LIST_CACHE_SECONDS = 15 * 60
LIST_FILENAME = "events.ics"


def _calendar_response(content: bytes, *, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=CALENDAR_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@require_safe
def event_ics(request, slug):
    """One published event, to add to a calendar: two queries (the event with its country and
    organiser, its social areas)."""
    event = get_object_or_404(Event.objects.published().with_cards(), slug=slug)
    calendar = events_calendar([event], name=event.title)
    return _calendar_response(calendar_bytes(calendar), filename=f"{event.slug}.ics")


def event_filterset(data, *, queryset):
    """The events list's filters (events.filters.EventFilterSet), so that a calendar follows
    the same query string as the page it was found on, in the same order: the upcoming events
    by their next occurrence, unless the query asks for others (?when=past, ?month=...)."""
    return EventFilterSet(data, queryset=queryset)


def _list_cache_key(params: list[tuple[str, str]]) -> str:
    """One key per filter values, in the order given (a filter taking one value takes the last
    one given, so "?area=a&area=b" and "?area=b&area=a" are two calendars), and language."""
    digest = hashlib.sha1(urlencode(params).encode(), usedforsecurity=False).hexdigest()
    return f"events:ics:list:{get_language()}:{digest}"


def _bad_request(errors) -> HttpResponse:
    lines = [
        _("The calendar was refused: these query parameters are not valid."),
        *(f"{name}: {message}" for name, found in errors.items() for message in found),
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


@require_safe
def list_ics(request):
    """The upcoming events as one calendar to subscribe to, filtered like the events list:
    each series once, with its rule; at most MAX_CALENDAR_EVENTS, the list's first. Cached
    per filter values and language under the events' version (a warm calendar runs no query);
    parameters the filters don't know are left out of the key, as they are of the filtering."""
    filterset = event_filterset(request.GET, queryset=Event.objects.published())
    params = [
        (name, value)
        for name, values in request.GET.lists()
        if name in filterset.filters
        for value in values
    ]
    key = _list_cache_key(params)
    version, entry = events_cached(key)
    if entry is None:
        queryset = filterset.qs  # validates, then filters
        if filterset.errors:
            return _bad_request(filterset.errors)
        events = queryset.with_cards()[:MAX_CALENDAR_EVENTS]
        calendar = events_calendar(
            events,
            name=_("%(site)s events") % {"site": settings.SITE_NAME},
            description=_("Upcoming events of digital social innovation in Europe."),
            subscribe=True,
        )
        entry = events_cache(
            key, {"content": calendar_bytes(calendar)}, version=version, timeout=LIST_CACHE_SECONDS
        )
    return _calendar_response(entry["content"], filename=LIST_FILENAME)
