"""Bulk downloads of the published directory, events, stories and funding opportunities (not
under a language prefix).

A bare /data/ finds no page here, so LocaleMiddleware sends the visitor on to the data page in
their language (/en/data/).
"""

from django.urls import path

from directory.views import data

app_name = "data"

urlpatterns = [
    path(
        "organisations.csv",
        data.download,
        {"plural": "organisations", "file_format": "csv"},
        name="organisations_csv",
    ),
    path(
        "organisations.json",
        data.download,
        {"plural": "organisations", "file_format": "json"},
        name="organisations_json",
    ),
    path(
        "projects.csv",
        data.download,
        {"plural": "projects", "file_format": "csv"},
        name="projects_csv",
    ),
    path(
        "projects.json",
        data.download,
        {"plural": "projects", "file_format": "json"},
        name="projects_json",
    ),
    path(
        "events.csv",
        data.download,
        {"plural": "events", "file_format": "csv"},
        name="events_csv",
    ),
    path(
        "events.json",
        data.download,
        {"plural": "events", "file_format": "json"},
        name="events_json",
    ),
    path(
        "stories.csv",
        data.download,
        {"plural": "stories", "file_format": "csv"},
        name="stories_csv",
    ),
    path(
        "stories.json",
        data.download,
        {"plural": "stories", "file_format": "json"},
        name="stories_json",
    ),
    path(
        "funding.csv",
        data.download,
        {"plural": "funding", "file_format": "csv"},
        name="funding_csv",
    ),
    path(
        "funding.json",
        data.download,
        {"plural": "funding", "file_format": "json"},
        name="funding_json",
    ),
    path("datapackage.json", data.datapackage, name="datapackage"),
]
