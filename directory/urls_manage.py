"""Practitioners' pages: the guided forms, editing, the dashboard and the picker's lookup."""

from django.urls import path

from directory.views import dashboard, lookup, manage

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("lookup/organisations/", lookup.organisation_lookup, name="organisation_lookup"),
]
for kind in ("organisation", "project"):
    prefix = f"{kind}s"
    urlpatterns += [
        path(f"{prefix}/new/", manage.profile_create, {"kind": kind}, name=f"{kind}_create"),
        path(
            f"{prefix}/<slug:slug>/edit/", manage.profile_edit, {"kind": kind}, name=f"{kind}_edit"
        ),
        path(
            f"{prefix}/<slug:slug>/edit/<slug:step>/",
            manage.profile_edit,
            {"kind": kind},
            name=f"{kind}_edit_step",
        ),
        path(
            f"{prefix}/<slug:slug>/preview/",
            manage.profile_preview,
            {"kind": kind},
            name=f"{kind}_preview",
        ),
        path(
            f"{prefix}/<slug:slug>/submit/",
            manage.profile_submit,
            {"kind": kind},
            name=f"{kind}_submit",
        ),
        path(
            f"{prefix}/<slug:slug>/archive/",
            manage.profile_archive,
            {"kind": kind},
            name=f"{kind}_archive",
        ),
    ]
