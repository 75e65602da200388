"""An Atom feed of the upcoming events most recently published on the hub."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.models import absolute_url
from events.ical import event_location, event_time_zone
from events.models import Event, EventOccurrence
from events.services import events_cache, events_cached

FEED_SIZE = 50
FEED_CACHE_SECONDS = 15 * 60
CACHED_HEADERS = ("Content-Type", "Last-Modified")


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


class UpcomingEventsFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        """The feed from the cache per language while the events' version holds (read in one
        round trip with it): a warm feed runs no query."""
        key = f"events:feed:{get_language()}"
        version, entry = events_cached(key)
        if entry is None:
            response = super().__call__(request, *args, **kwargs)
            headers = {name: response[name] for name in CACHED_HEADERS if name in response}
            entry = events_cache(
                key,
                {"content": response.content, "headers": headers},
                version=version,
                timeout=FEED_CACHE_SECONDS,
            )
        return HttpResponse(entry["content"], headers=entry["headers"])

    # Addresses are built on SITE_URL, never on the request's host.
    def title(self):
        return _("Events on %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _("Upcoming events of digital social innovation, as they are published.")

    def link(self):
        return absolute_url(reverse("events:event_list"))

    def feed_url(self):
        return absolute_url(reverse("events:event_feed"))

    def feed_guid(self):
        return self.feed_url()

    def author_name(self):
        return settings.SITE_NAME

    def author_link(self):
        return absolute_url(reverse("home"))

    def items(self):
        return newest_events()

    def item_title(self, item):
        return item.title  # plain text; the XML writer escapes it

    def item_description(self, item):
        # Atom1Feed writes <summary type="html">: every value is escaped into that HTML.
        lines = [when_text(item), event_location(item), item.short_description]
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines if line))

    def item_link(self, item):
        return item.get_permanent_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [area.name for area in item.social_areas.all()]
