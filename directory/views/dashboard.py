"""The practitioner's dashboard: their profiles with their review status, invitations for them,
requests to join waiting on them, and their own requests to join and claims with their state
(those still waiting with a button to withdraw them)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from directory.forms_members import TargetForm
from directory.models import MANAGING_ROLES
from directory.models import Claim
from directory.models import Invitation
from directory.models import JoinRequest
from directory.models import Membership
from directory.services import profiles as services
from directory.services.withdrawals import claim_withdraw
from directory.services.withdrawals import join_request_withdraw
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


@login_required
@require_POST
def own_request_withdraw(request):
    """Withdraw one of my claims or requests to join that still waits (a button beside it on
    the dashboard): `action` says which kind, `target` which one."""
    kinds = {
        "claim": (Claim, claim_withdraw, "claim"),
        "join_request": (JoinRequest, join_request_withdraw, "join_request"),
    }
    form = TargetForm(request.POST)
    if request.POST.get("action") not in kinds or not form.is_valid():
        raise Http404
    model, service, argument = kinds[request.POST["action"]]
    row = get_object_or_404(
        model.objects.select_related("organisation", "project"),
        pk=form.cleaned_data["target"],
        user=request.user,
    )
    try:
        service(**{argument: row, "user": request.user})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            _("You withdrew your claim on %(name)s.")
            if model is Claim
            else _("You withdrew your request to join %(name)s.")
        )
        messages.success(request, done % {"name": row.profile.name})
    return redirect("directory:dashboard")
