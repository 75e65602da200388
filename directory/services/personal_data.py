"""A person's part in the directory, for their download and for deleting their account
(connected to accounts.signals in directory.receivers).

The download lists their memberships, the invitations they sent and received, their requests to
join, claims and reports, each with its dates. When the account goes: profiles they own where
others remain pass to the longest-standing admin (else member); a published profile only they
looked after stays public with nobody looking after it (anyone at the organisation may claim
it), as the privacy page promises; their unpublished profiles go with files and history.
Invitations to their addresses, requests to join and claims go; invitations they sent and
reports they made stay for the profiles' people and the moderators, no longer linked to them.
Cached pages that named them are dropped as soon as this commits.
"""

from django.db import transaction
from django.db.models import Case
from django.db.models import Q
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Lower

from core.models import Status
from core.personal_data import dated
from core.personal_data import item_delete
from core.personal_data import notices_forget
from core.personal_data import outgoing_emails_forget
from directory.models import Claim
from directory.models import Invitation
from directory.models import JoinRequest
from directory.models import Membership
from directory.models import Report
from directory.models import Role
from directory.services.members import verified_emails
from directory.versions import directory_changed


def _about(row) -> dict:
    """The profile a row is about: its kind, name and (when public) address."""
    profile = row.profile
    return {
        "kind": profile.kind,
        "name": profile.name,
        "address": profile.get_permanent_url() if profile.is_published else None,
    }


def _invitations_to(user):
    return Invitation.objects.annotate(email_lower=Lower("email")).filter(
        email_lower__in=verified_emails(user)
    )


def _rows(queryset):
    return queryset.select_related("organisation", "project").order_by("created_at", "pk")


def person_data(*, user) -> dict:
    """The directory's sections of a person's download."""
    return {
        "memberships": [
            {
                **_about(membership),
                "role": membership.role,
                "shown_on_profile": membership.is_public,
                "joined": dated(membership.created_at),
            }
            for membership in _rows(Membership.objects.filter(user=user))
        ],
        "invitations_received": [
            {
                **_about(invitation),
                "email": invitation.email,
                "role": invitation.role,
                "invited_by": invitation.invited_by.name if invitation.invited_by else None,
                "state": invitation.state,
                "sent": dated(invitation.created_at),
                "answered": dated(invitation.decided_at),
            }
            for invitation in _rows(_invitations_to(user)).select_related("invited_by")
        ],
        "invitations_sent": [
            {
                **_about(invitation),
                "email": invitation.email,
                "role": invitation.role,
                "state": invitation.state,
                "sent": dated(invitation.created_at),
                "answered": dated(invitation.decided_at),
            }
            for invitation in _rows(Invitation.objects.filter(invited_by=user))
        ],
        "join_requests": [
            {
                **_about(join_request),
                "message": join_request.message,
                "state": join_request.state,
                "sent": dated(join_request.created_at),
                "answered": dated(join_request.decided_at),
            }
            for join_request in _rows(JoinRequest.objects.filter(user=user))
        ],
        "claims": [
            {
                **_about(claim),
                "role": claim.role,
                "message": claim.message,
                "evidence_url": claim.evidence_url,
                "evidence_email": claim.evidence_email,
                "email_confirmed": dated(claim.email_verified_at),
                "status": claim.status,
                "submitted": dated(claim.submitted_at),
                "decided": dated(claim.decided_at),
                "rejection_reason": claim.rejection_reason,
            }
            for claim in Claim.objects.of_claimant(user)
        ],
        "reports": [
            {
                **_about(report),
                "reason": report.reason,
                "message": report.message,
                "state": report.state,
                "reported": dated(report.created_at),
                "resolved": dated(report.resolved_at),
            }
            for report in _rows(Report.objects.filter(reporter=user))
        ],
    }


def _successor(profile, membership) -> Membership | None:
    """Who takes a profile over: the longest-standing admin, else member."""
    return (
        Membership.objects.filter(**Membership.profile_kwargs(profile))
        .exclude(pk=membership.pk)
        .select_for_update()
        .annotate(rank=Case(When(role=Role.ADMIN, then=Value(0)), default=Value(1)))
        .order_by("rank", "created_at", "pk")
        .first()
    )


def _profiles_hand_over(user) -> None:
    owned = Membership.objects.filter(user=user, role=Role.OWNER).select_related(
        "organisation", "project"
    )
    for membership in owned:
        profile = membership.profile
        # Serialised with other changes to its members (directory.services.members locks so).
        type(profile).objects.select_for_update().only("pk").get(pk=profile.pk)
        successor = _successor(profile, membership)
        if successor is not None:
            # The old owner's row goes first: one owner at any moment.
            membership.delete()
            successor.role = Role.OWNER
            successor.save(update_fields=["role"])
        elif profile.is_published:
            membership.delete()  # public with nobody looking after it, to be claimed
        else:
            item_delete(profile)


@transaction.atomic
def person_forget(*, user) -> None:
    """For a person deleting their account: what the directory holds of them goes, or passes
    to others without their name (see the module's docstring)."""
    published = Q(organisation__status=Status.PUBLISHED) | Q(project__status=Status.PUBLISHED)
    shown = Membership.objects.filter(user=user, is_public=True).filter(published).exists()
    _profiles_hand_over(user)
    _invitations_to(user).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    Report.objects.filter(reporter=user).update(reporter=None)
    claims = list(Claim.objects.filter(user=user))
    notices_forget(Claim, [claim.pk for claim in claims])
    outgoing_emails_forget(addresses=[claim.evidence_email for claim in claims])
    Claim.objects.filter(pk__in=[claim.pk for claim in claims]).delete()
    JoinRequest.objects.filter(user=user).delete()
    if shown:
        directory_changed()
