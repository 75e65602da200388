"""The directory's pages: browsing, practitioners' guided forms, editing, the dashboard and the
picker's lookup, members (invitations, requests to join), visitors' reports, and the feed of new
profiles (included apart, under /<language>/feeds/, as `feed_urlpatterns`).

Fixed paths ("new", "lookup") come before the slug patterns.
"""

from django.urls import path

from directory.feeds import NewProfilesFeed
from directory.views import browse
from directory.views import dashboard
from directory.views import lookup
from directory.views import manage
from directory.views import members
from directory.views import moderation

app_name = "directory"

manage_urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("lookup/organisations/", lookup.organisation_lookup, name="organisation_lookup"),
]
for kind in ("organisation", "project"):
    prefix = f"{kind}s"
    manage_urlpatterns += [
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

member_urlpatterns = [
    path("invitations/<int:pk>/", members.invitation_respond, name="invitation_respond"),
]
for kind in ("organisation", "project"):
    prefix = f"{kind}s"
    member_urlpatterns += [
        path(
            f"{prefix}/<slug:slug>/members/",
            members.profile_members,
            {"kind": kind},
            name=f"{kind}_members",
        ),
        path(
            f"{prefix}/<slug:slug>/join/", members.profile_join, {"kind": kind}, name=f"{kind}_join"
        ),
    ]

report_urlpatterns = [
    path(
        f"{kind}s/<slug:slug>/report/",
        moderation.profile_report,
        {"kind": kind},
        name=f"{kind}_report",
    )
    for kind in ("organisation", "project")
]

urlpatterns = [
    *manage_urlpatterns,
    *member_urlpatterns,
    *report_urlpatterns,
    path("organisations/", browse.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", browse.organisation_detail, name="organisation_detail"),
    path("projects/", browse.project_list, name="project_list"),
    path("projects/<slug:slug>/", browse.project_detail, name="project_detail"),
]

# Under /<language>/feeds/, in the "feeds" namespace.
feed_urlpatterns = [
    path("new.atom", NewProfilesFeed(), name="new"),
]
