"""The practitioner's dashboard: their profiles with their review status, invitations for them,
requests to join waiting on them, and their own requests to join and claims with their state."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from directory.models import MANAGING_ROLES
from directory.models import Claim
from directory.models import Invitation
from directory.models import JoinRequest
from directory.models import Membership
from directory.services import profiles as services
from directory.views.manage import profile_urls

DASHBOARD_REQUESTS_SHOWN = 100
# One's own requests and claims: those still open, and those answered lately.
OWN_SHOWN = 50
ANSWERED_SHOWN_DAYS = 60


def _still_shown(state_field: str, decided_field: str) -> Q:
    since = timezone.now() - dt.timedelta(days=ANSWERED_SHOWN_DAYS)
    return Q(**{state_field: "pending"}) | Q(**{f"{decided_field}__gte": since})


@login_required
@require_GET
def dashboard(request):
    """My profiles with their review status, invitations for me, requests waiting on me."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation", "project")
        .order_by(Coalesce("organisation__updated_at", "project__updated_at").desc())
    )
    rows = {"organisation": [], "project": []}
    for membership in memberships:
        profile = membership.profile
        rows[profile.kind].append(
            {
                "profile": profile,
                "role": membership.get_role_display(),
                "urls": profile_urls(profile),
                "can_manage": membership.role in MANAGING_ROLES,
                "can_submit": membership.role in MANAGING_ROLES
                and profile.status in services.SUBMITTABLE,
            }
        )
    invitations = [
        (invitation, reverse("directory:invitation_respond", kwargs={"pk": invitation.pk}))
        for invitation in Invitation.objects.pending_for(request.user)
    ]
    join_requests = [
        (
            join_request,
            reverse(
                f"directory:{join_request.profile.kind}_members",
                kwargs={"slug": join_request.profile.slug},
            ),
        )
        for join_request in JoinRequest.objects.pending_for_managers(request.user)[
            :DASHBOARD_REQUESTS_SHOWN
        ]
    ]
    own_requests = JoinRequest.objects.of_requester(request.user).filter(
        _still_shown("state", "decided_at")
    )[:OWN_SHOWN]
    claims = Claim.objects.of_claimant(request.user).filter(_still_shown("status", "decided_at"))[
        :OWN_SHOWN
    ]
    return render(
        request,
        "directory/dashboard.html",
        {
            "organisations": rows["organisation"],
            "projects": rows["project"],
            "invitations": invitations,
            "join_requests": join_requests,
            "own_requests": list(own_requests),
            "claims": list(claims),
        },
    )
