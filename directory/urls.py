"""The directory's pages: browsing, practitioners' guided forms, editing, the dashboard and the
picker's lookup, members (invitations, requests to join), visitors' reports, and the feed of new
profiles (included apart, under /<language>/feeds/, as `feed_urlpatterns`).

Fixed paths ("new", "lookup") come before the slug patterns.
"""

from django.urls import path

from directory.feeds import NewProfilesFeed
from directory.views import browse
from directory.views import claims
from directory.views import dashboard
from directory.views import lookup
from directory.views import manage
from directory.views import members
from directory.views import moderation

app_name = "directory"

KINDS = ("organisation", "project")


def profile_paths(*pages: tuple) -> list:
    """Each page, given as (route, view, name), for each kind of profile, a kind's pages
    together: `<kind>s/<route>`, named `<kind>_<name>`, the view told which kind."""
    return [
        path(f"{kind}s/{route}", view, {"kind": kind}, name=f"{kind}_{name}")
        for kind in KINDS
        for route, view, name in pages
    ]


manage_urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/withdraw/", dashboard.own_request_withdraw, name="own_request_withdraw"),
    path("lookup/organisations/", lookup.organisation_lookup, name="organisation_lookup"),
    path("lookup/places/", lookup.place_lookup, name="place_lookup"),
    *profile_paths(
        ("new/", manage.profile_create, "create"),
        ("<slug:slug>/edit/", manage.profile_edit, "edit"),
        ("<slug:slug>/edit/<slug:step>/", manage.profile_edit, "edit_step"),
        ("<slug:slug>/preview/", manage.profile_preview, "preview"),
        ("<slug:slug>/submit/", manage.profile_submit, "submit"),
        ("<slug:slug>/archive/", manage.profile_archive, "archive"),
    ),
]

member_urlpatterns = [
    path("invitations/<int:pk>/", members.invitation_respond, name="invitation_respond"),
    *profile_paths(
        ("<slug:slug>/members/", members.profile_members, "members"),
        ("<slug:slug>/join/", members.profile_join, "join"),
        ("<slug:slug>/claim/", claims.profile_claim, "claim"),
    ),
    path("claims/confirm/<str:token>/", claims.claim_verify, name="claim_verify"),
]

report_urlpatterns = profile_paths(("<slug:slug>/report/", moderation.profile_report, "report"))

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
