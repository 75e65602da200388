"""The events' pages, feeds and forms, under /<language>/events/.

Fixed paths ("new", "mine", "calendar", "calendar.ics", "feed.atom") come before an event's
"<slug>/": they are reserved slugs (events.services.RESERVED_SLUGS).
"""

from django.urls import path

from events import views
from events.feeds import UpcomingEventsFeed

app_name = "events"

urlpatterns = [
    # Practitioners' pages: add, "mine", edit, preview, submit.
    *views.pages.urlpatterns(),
    # For calendar apps and feed readers.
    path("calendar.ics", views.list_ics, name="list_ics"),
    path("feed.atom", UpcomingEventsFeed(), name="event_feed"),
    path("<slug:slug>.ics", views.event_ics, name="event_ics"),
    # Public pages.
    path("", views.event_list, name="event_list"),
    path("calendar/", views.event_calendar, name="event_calendar"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
]
