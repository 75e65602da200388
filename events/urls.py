"""The events' pages, feeds and forms, under /<language>/events/."""

from django.urls import include, path

app_name = "events"

urlpatterns = [
    path("", include("events.urls_submit")),
    path("", include("events.urls_feeds")),
    path("", include("events.urls_pages")),
]
