"""Feeds of the directory (language-prefixed)."""

from django.urls import path

from directory.feeds import NewProfilesFeed

app_name = "feeds"

urlpatterns = [
    path("new.atom", NewProfilesFeed(), name="new"),
]
