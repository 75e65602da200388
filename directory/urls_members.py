"""Members of a profile: the members page, invitations and requests to join."""

from django.urls import path

from directory.views import members

urlpatterns = [
    path("invitations/<int:pk>/", members.invitation_respond, name="invitation_respond"),
]
for kind in ("organisation", "project"):
    prefix = f"{kind}s"
    urlpatterns += [
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
