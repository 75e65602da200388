"""Visitors' reports about a profile."""

from django.urls import path

from directory.views import moderation

urlpatterns = [
    path(
        f"{kind}s/<slug:slug>/report/",
        moderation.profile_report,
        {"kind": kind},
        name=f"{kind}_report",
    )
    for kind in ("organisation", "project")
]
