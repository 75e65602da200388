"""Events for calendar apps and feed readers: iCalendar files and an Atom feed."""

from django.urls import path

from events import views_feeds
from events.feeds import UpcomingEventsFeed

urlpatterns = [
    # Before "<slug>.ics": "calendar" is a reserved slug (events.services.RESERVED_SLUGS).
    path("calendar.ics", views_feeds.list_ics, name="list_ics"),
    path("feed.atom", UpcomingEventsFeed(), name="event_feed"),
    path("<slug:slug>.ics", views_feeds.event_ics, name="event_ics"),
]
