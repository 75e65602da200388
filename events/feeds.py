"""An Atom feed of the upcoming events most recently published on the hub."""

from django.conf import settings
from django.db.models import OuterRef
from django.db.models import Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from core.feeds import FEED_SIZE
from core.feeds import CachedAtomFeed
from events.ical import event_location
from events.ical import event_time_zone
from events.models import Event
from events.models import EventOccurrence
from events.services import EVENTS


def newest_events(size: int = FEED_SIZE, *, now=None) -> list[Event]:
    """The upcoming events published most recently, newest first, each with the start of its
    next occurrence (`next_starts_at`, from the occurrences' (event, starts_at) index): one query
    for the events, one for their social areas."""
    now = now or timezone.now()
    next_start = (
        EventOccurrence.objects.filter(event=OuterRef("pk"), ends_at__gte=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return list(
        Event.objects.published()
        .upcoming(now)
        .filter(published_at__isnull=False)
        .with_cards()
        .annotate(next_starts_at=Subquery(next_start))
        .order_by("-published_at", "-pk")[:size]
    )


def _day(moment) -> str:
    return f"{date_format(moment, 'D')} {date_format(moment, 'DATE_FORMAT')}"


def when_text(event: Event) -> str:
    """When the event (or a series' next time) is, in its own time zone and the reader's
    language, as on its page (templates/events/partials/event_when.html):
    "Thu 12 March 2027, 18:00–20:00 (Europe/Madrid time)"."""
    zone = event_time_zone(event)
    starts_at = getattr(event, "next_starts_at", None) or event.starts_at
    start = timezone.localtime(starts_at, zone)
    end = timezone.localtime(starts_at + (event.ends_at - event.starts_at), zone)
    text = f"{_day(start)}, {date_format(start, 'H:i')}"
    if end != start:
        end_day = f"{_day(end)}, " if end.date() != start.date() else ""
        text += f"–{end_day}{date_format(end, 'H:i')}"
    text += " (%s)" % (_("%(zone)s time") % {"zone": event.time_zone})
    if event.repeats:
        text = _("Next: %(when)s, and repeats") % {"when": text}
    return text


class UpcomingEventsFeed(CachedAtomFeed):
    version = EVENTS
    cache_name = "events:feed"
    page_url_name = "events:event_list"
    feed_url_name = "events:event_feed"

    def title(self):
        return _("Events on %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _("Upcoming events of digital social innovation, as they are published.")

    def items(self):
        return newest_events()

    def item_description(self, item):
        # Atom1Feed writes <summary type="html">: every value is escaped into that HTML.
        lines = [when_text(item), event_location(item), item.short_description]
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines if line))

    def item_categories(self, item):
        return [area.name for area in item.social_areas.all()]
