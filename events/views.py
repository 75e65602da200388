"""Events' pages: the list (upcoming or past), the month calendar and an event's page; the
iCalendar files of one event or of any filtered list; and practitioners' pages to add, edit,
preview and submit an event, and "my events".

Every state is in the query string and the pages work without JavaScript. Anonymous visitors
get whole pages from the cache (core.page_cache), stamped with the events' version; since
"upcoming" moves with the clock, those pages are kept only a few minutes. The practitioners'
pages are core.submission_views's, shared with funding opportunities; the events' own are their
forms, services, preview (repeats in words, next times) and what "my events" shows of each.
"""

import calendar
import datetime as dt
import hashlib
import zoneinfo

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.detail_pages import detail_context
from core.detail_pages import published_or_404
from core.filters import FIRST_YEAR
from core.filters import LAST_YEAR
from core.filters import MONTH_ERROR
from core.filters import next_month
from core.filters import parse_month
from core.listing import FilteredListPage
from core.listing import query_errors
from core.listing import query_link
from core.listing import valid_query
from core.page_cache import cache_for_visitors
from core.submission_views import SubmissionViews
from events import services
from events.filters import PAST
from events.filters import EventFilterSet
from events.filters import month_bounds
from events.filters import previous_month
from events.forms import EventCreateForm
from events.forms import EventForm
from events.forms import repeat_label
from events.ical import calendar_bytes
from events.ical import events_calendar
from events.jsonld import event_jsonld_script
from events.models import Event
from events.models import EventOccurrence
from events.occurrences import local_days
from events.services import events_cache
from events.services import events_cached

PAGE_SIZE = 20
# Pages depend on the clock (what is upcoming): kept for minutes, not until the next change.
PAGE_CACHE_SECONDS = 5 * 60
FILTER_PARAMS = ("q", "country", "city", "attendance", "free", "area")
LIST_PARAMS = {*FILTER_PARAMS, "when", "month", "page"}
CALENDAR_PARAMS = {*FILTER_PARAMS, "month"}
# A month of a busy calendar is still one bounded query; past this, people are asked to filter.
MAX_CALENDAR_OCCURRENCES = 500
UPCOMING_DATES_SHOWN = 10

lists_for_visitors = cache_for_visitors(
    events_cached, events_cache, params=LIST_PARAMS, timeout=PAGE_CACHE_SECONDS
)
calendar_for_visitors = cache_for_visitors(
    events_cached, events_cache, params=CALENDAR_PARAMS, timeout=PAGE_CACHE_SECONDS
)
detail_for_visitors = cache_for_visitors(events_cached, events_cache, timeout=PAGE_CACHE_SECONDS)


@require_safe
@lists_for_visitors
def event_list(request):
    """Upcoming published events by their next occurrence, or past ones (?when=past), latest
    first; filtered, searched and in pages of PAGE_SIZE."""
    filterset = EventFilterSet(request.GET, queryset=Event.objects.published())
    listing = FilteredListPage(
        request, filterset, page_size=PAGE_SIZE, params=LIST_PARAMS, filter_params=FILTER_PARAMS
    )
    events = listing.rows(filterset.qs.with_cards())

    filters = listing.filters
    month = [("month", value) for key, value in listing.query if key == "month"]
    list_url = request.path
    context = {
        **listing.list_context(),
        "events": events,
        "past": filterset.chosen_when == PAST,
        "upcoming_url": query_link(list_url, [*filters, *month]),
        "past_url": query_link(list_url, [*filters, *month, ("when", PAST)]),
        "calendar_url": query_link(reverse("events:event_calendar"), [*filters, *month]),
        # These events in a calendar app: a subscription that follows the same filters.
        "ics_url": query_link(reverse("events:list_ics"), [*filters, *month]),
        "filtered": bool(filters or month),
        "downloads": listing.download_links("events"),
    }
    return TemplateResponse(request, "events/event_list.html", context, status=listing.status)


def _zone(name: str, zones: dict) -> dt.tzinfo:
    if name not in zones:
        try:
            zones[name] = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            zones[name] = dt.UTC
    return zones[name]


def _month_grid(first_day: dt.date, occurrences, today: dt.date) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with the occurrences on it in its event's zone."""
    last_day = next_month(first_day) - dt.timedelta(days=1)
    days: dict[dt.date, list] = {}
    zones: dict[str, dt.tzinfo] = {}
    for occurrence in occurrences:
        begins, ends = local_days(
            occurrence.starts_at, occurrence.ends_at, _zone(occurrence.event.time_zone, zones)
        )
        day = max(begins, first_day)
        while day <= min(ends, last_day):
            days.setdefault(day, []).append(
                {"occurrence": occurrence, "event": occurrence.event, "starts": day == begins}
            )
            day += dt.timedelta(days=1)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first_day.year, first_day.month)
    return [
        [
            {
                "date": day,
                "in_month": day.month == first_day.month,
                "today": day == today,
                "items": days.get(day, []) if day.month == first_day.month else [],
            }
            for day in week
        ]
        for week in weeks
    ]


@require_safe
@calendar_for_visitors
def event_calendar(request):
    """A month of published events' occurrences (?month=YYYY-MM, the current month by default),
    with the list's filters."""
    now = timezone.now()
    today = timezone.localdate(now)
    errors = []
    raw_month = request.GET.get("month", "")
    first_day = parse_month(raw_month) if raw_month else today.replace(day=1)
    if first_day is None:
        errors.append(
            str(MONTH_ERROR) % {"value": raw_month[:20], "first": FIRST_YEAR, "last": LAST_YEAR}
        )
        first_day = today.replace(day=1)

    data = request.GET.copy()
    for name in ("month", "when", "page"):
        data.pop(name, None)
    filterset = EventFilterSet(data, queryset=Event.objects.published(), now=now)
    filterset.qs  # validates and filters (filterset.filtered)  # noqa: B018
    errors += query_errors(filterset)

    # A day either side: occurrences are placed on their days in their events' own zones.
    start, end = month_bounds(first_day)
    occurrences = list(
        EventOccurrence.objects.filter(
            event__in=filterset.filtered.order_by().values("pk"),
            starts_at__lt=end + dt.timedelta(days=1),
            ends_at__gte=start - dt.timedelta(days=1),
        )
        .select_related("event")
        .only(
            "starts_at",
            "ends_at",
            "event__title",
            "event__slug",
            "event__time_zone",
            "event__recurrence",
        )
        .order_by("starts_at", "pk")[: MAX_CALENDAR_OCCURRENCES + 1]
    )
    truncated = len(occurrences) > MAX_CALENDAR_OCCURRENCES
    weeks = _month_grid(first_day, occurrences[:MAX_CALENDAR_OCCURRENCES], today)
    shown = {id(item["occurrence"]) for week in weeks for day in week for item in day["items"]}
    shown_events = {item["event"].pk for week in weeks for day in week for item in day["items"]}

    query = valid_query(request, filterset, CALENDAR_PARAMS)
    filters = [(key, value) for key, value in query if key in FILTER_PARAMS]
    previous, following = previous_month(first_day), next_month(first_day)
    path = request.path
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "month": first_day,
        "month_value": first_day.strftime("%Y-%m"),
        "weeks": weeks,
        "weekdays": [(WEEKDAYS[day], WEEKDAYS_ABBR[day]) for day in range(7)],
        "count": len(shown),
        "event_count": len(shown_events),
        "truncated": truncated,
        "max_occurrences": MAX_CALENDAR_OCCURRENCES,
        "previous_url": query_link(path, [*filters, ("month", f"{previous:%Y-%m}")])
        if previous.year >= FIRST_YEAR
        else None,
        "next_url": query_link(path, [*filters, ("month", f"{following:%Y-%m}")])
        if following.year <= LAST_YEAR
        else None,
        "previous_month": previous,
        "next_month": following,
        "list_url": query_link(reverse("events:event_list"), filters),
        "query_errors": errors,
        "clear_url": path,
        "filtered": bool(filters),
    }
    return TemplateResponse(
        request, "events/event_calendar.html", context, status=400 if errors else 200
    )


def _jsonld(event, occurrence) -> str:
    """The event's schema.org JSON-LD <script> (for the occurrence the page shows first)."""
    return event_jsonld_script(event, occurrence=occurrence)


@require_safe
@detail_for_visitors
def event_detail(request, slug):
    """A published event: when (its upcoming dates if it repeats), where, who, what it costs."""
    event = published_or_404(Event, slug)
    now = timezone.now()
    upcoming = list(
        EventOccurrence.objects.filter(event=event, ends_at__gte=now).order_by("starts_at")[
            : UPCOMING_DATES_SHOWN + 1
        ]
    )
    more = 0
    if len(upcoming) > UPCOMING_DATES_SHOWN:
        upcoming = upcoming[:UPCOMING_DATES_SHOWN]
        more = EventOccurrence.objects.filter(event=event, ends_at__gte=now).count() - len(upcoming)
    last = None
    if not upcoming:
        last = EventOccurrence.objects.filter(event=event).order_by("-starts_at").first()
    context = {
        **detail_context(
            event,
            profile_field="organiser",
            list_url_name="events:event_list",
            jsonld=_jsonld(event, upcoming[0] if upcoming else last),
        ),
        "upcoming": upcoming,
        "more": more,
        "last": last,
    }
    return TemplateResponse(request, "events/event_detail.html", context)


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


NEXT_TIMES_SHOWN = 5


def preview_context(event: Event) -> dict:
    """What the preview shows besides the event: its repeats in words and its next times."""
    return {
        "event": event,
        "repeat_label": repeat_label(event),
        "next_times": list(event.occurrences.all()[:NEXT_TIMES_SHOWN]) if event.repeats else [],
    }


class EventSubmissionViews(SubmissionViews):
    lifecycle = services.LIFECYCLE
    create_form = EventCreateForm
    edit_form = EventForm
    forbidden_message = gettext_lazy("Only the person who submitted this event can do that.")
    mine_related = ("country", "organiser")

    # The admin's preview shows the same.
    preview_context = staticmethod(preview_context)


pages = EventSubmissionViews()
