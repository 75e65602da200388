"""Funding opportunities' pages, feeds and forms, under /<language>/funding/."""

from django.urls import include, path

app_name = "funding"

urlpatterns = [
    path("", include("funding.urls_submit")),
    path("", include("funding.urls_feeds")),
    path("", include("funding.urls_pages")),
]
