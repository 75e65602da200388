"""Members of organisation and project profiles: invitations, requests to join, roles, ownership.

One owner per profile (a database constraint); owners and admins manage members; only the owner
makes or unmakes admins and hands the profile over. Every write checks who is asking, and side
effects (emails, cache invalidation) happen once the transaction commits.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case
from django.db.models import IntegerField
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.services import user_confirmed_emails
from core.hosts import site_url
from core.models import Status
from core.ratelimit import rate_limit_hit
from core.spam import defang
from directory.models import MANAGING_ROLES
from directory.models import Invitation
from directory.models import JoinRequest
from directory.models import Membership
from directory.models import Organisation
from directory.models import Project
from directory.models import Role
from directory.services import invitation_rules
from directory.versions import directory_changed

Profile = Organisation | Project

JOIN_REQUESTS_PER_DAY = 10
DAY = 24 * 60 * 60
INVITABLE_ROLES = (Role.ADMIN, Role.MEMBER)


class RateLimited(ValidationError):
    """Too many attempts in a day: views answer 429."""


# --- Reads ------------------------------------------------------------------------------------


def members_of(profile: Profile):
    """A profile's members: the owner first, then admins, then members, oldest first."""
    return (
        Membership.objects.filter(**Membership.profile_kwargs(profile))
        .select_related("user")
        .annotate(
            rank=Case(
                When(role=Role.OWNER, then=Value(0)),
                When(role=Role.ADMIN, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "created_at", "pk")
    )


def pending_invitations_of(profile: Profile):
    return Invitation.objects.filter(
        state=Invitation.State.PENDING, **Invitation.profile_kwargs(profile)
    ).order_by("created_at", "pk")


def pending_join_requests_of(profile: Profile):
    return (
        JoinRequest.objects.filter(
            state=JoinRequest.State.PENDING, **JoinRequest.profile_kwargs(profile)
        )
        .select_related("user")
        .order_by("created_at", "pk")
    )


def profile_has_owner(profile: Profile) -> bool:
    """Whether someone owns the profile (imported profiles start with no one)."""
    return Membership.objects.filter(role=Role.OWNER, **Membership.profile_kwargs(profile)).exists()


def verified_emails(user) -> list[str]:
    """The user's verified email addresses, lower-cased (none for a visitor)."""
    return user_confirmed_emails(user) if user.is_authenticated else []


def invitations_for(user):
    """Invitations waiting for the user, sent to any of their verified addresses."""
    emails = verified_emails(user)
    if not emails:
        return Invitation.objects.none()
    return (
        Invitation.objects.annotate(email_lower=Lower("email"))
        .filter(state=Invitation.State.PENDING, email_lower__in=emails)
        .select_related("organisation", "project", "invited_by")
        .order_by("created_at", "pk")
    )


def is_addressed_to(invitation: Invitation, user) -> bool:
    return invitation.email.lower() in verified_emails(user)


# --- Helpers ----------------------------------------------------------------------------------


def _membership(profile: Profile, user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, **Membership.profile_kwargs(profile)).first()


def _is_staff_editor(profile: Profile, user) -> bool:
    return user.is_authenticated and user.has_perm(f"directory.change_{profile.kind}")


def _can_manage(profile: Profile, user) -> bool:
    membership = _membership(profile, user)
    if membership is not None and membership.role in MANAGING_ROLES:
        return True
    return _is_staff_editor(profile, user)


def _is_owner(profile: Profile, user) -> bool:
    membership = _membership(profile, user)
    return membership is not None and membership.role == Role.OWNER


def _require_manager(profile: Profile, user) -> None:
    if not _can_manage(profile, user):
        raise PermissionDenied(_("Only the profile's owner and admins can manage its members."))


def _require_owner_or_staff(profile: Profile, user) -> None:
    if not (_is_owner(profile, user) or _is_staff_editor(profile, user)):
        raise PermissionDenied(_("Only the profile's owner can change who is an admin."))


def _members_changed(profile: Profile) -> None:
    """Published profiles show their public members: cached pages must refresh."""
    if profile.status == Status.PUBLISHED:
        directory_changed()


def _lock(profile: Profile) -> Profile:
    """Serialise member changes on one profile (owner hand-overs, invitations racing)."""
    return type(profile).objects.select_for_update().only("pk").get(pk=profile.pk)


def _absolute(path: str) -> str:
    return f"{site_url()}{path}"


def _send(*, to: list[str], subject: str, template: str, context: dict) -> None:
    to = [address for address in to if address]
    if not to:
        return
    body = render_to_string(template, {**context, "site_url": site_url()})
    send_mail(subject, body, None, to)


def _managers(profile: Profile):
    return [
        membership.user
        for membership in Membership.objects.filter(
            role__in=MANAGING_ROLES, **Membership.profile_kwargs(profile)
        ).select_related("user")
    ]


def _profile_of(row) -> Profile:
    return row.organisation if row.organisation_id else row.project


def _lock_managed(row, user):
    """The profile a row belongs to, once `user` is found to manage it, and the row read again
    and locked (another request may have answered or removed it meanwhile)."""
    profile = _profile_of(row)
    _require_manager(profile, user)
    return profile, type(row).objects.select_for_update().get(pk=row.pk)


def _invitation_email(invitation: Invitation, profile: Profile, *, existing_user: bool) -> None:
    respond = reverse("directory:invitation_respond", kwargs={"pk": invitation.pk})
    query = urlencode({"next": respond})
    context = {
        "invitation": invitation,
        "profile": profile,
        "inviter": invitation.invited_by,
        "role": invitation.get_role_display(),
        "respond_url": _absolute(respond),
        "login_url": _absolute(f"{reverse('account_login')}?{query}"),
        "signup_url": _absolute(f"{reverse('account_signup')}?{query}"),
        "existing_user": existing_user,
    }
    _send(
        to=[invitation.email],
        subject=_("You are invited to join %(name)s on the DSI Hub")
        % {"name": defang(profile.name)},
        template="directory/email/invitation.txt",
        context=context,
    )


# --- Invitations ------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, profile: Profile, user, email: str, role: str = Role.MEMBER) -> Invitation:
    """Invite someone by email to become a member (or an admin) of a profile, and tell them."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    _require_manager(profile, user)
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": _("Please choose a role: admin or member.")}, code="role")
    if role == Role.ADMIN:
        _require_owner_or_staff(profile, user)
    email = email.strip()
    if not email:
        raise ValidationError({"email": _("Please give an email address.")}, code="required")
    if invitation_rules.invitation_limit_reached(user):
        raise RateLimited(
            _("You have sent a lot of invitations today. Please try again tomorrow."),
            code="rate_limited",
        )
    _lock(profile)
    kwargs = Membership.profile_kwargs(profile)
    invitee_ids = set(
        EmailAddress.objects.filter(email__iexact=email).values_list("user_id", flat=True)
    ) | set(User.objects.filter(email__iexact=email).values_list("pk", flat=True))
    invitation_rules.invitation_check_recipient(profile=profile, has_account=bool(invitee_ids))
    if invitee_ids and Membership.objects.filter(user_id__in=invitee_ids, **kwargs).exists():
        raise ValidationError(
            {"email": _("The person with this email address is already a member.")},
            code="member",
        )
    if (
        Invitation.objects.filter(state=Invitation.State.PENDING, **kwargs)
        .filter(email__iexact=email)
        .exists()
    ):
        raise ValidationError(
            {"email": _("An invitation to this email address is already waiting for an answer.")},
            code="duplicate",
        )
    invitation = Invitation.objects.create(email=email, role=role, invited_by=user, **kwargs)
    invitation_rules.invitation_count(user)
    with translation.override(settings.LANGUAGE_CODE):
        _invitation_email(invitation, profile, existing_user=bool(invitee_ids))
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, user) -> None:
    """Withdraw an invitation that has not been answered yet."""
    _profile, invitation = _lock_managed(invitation, user)
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(_("This invitation has already been answered."), code="state")
    invitation.state = Invitation.State.WITHDRAWN
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["state", "decided_at"])


def _check_invitation(invitation: Invitation, user) -> Invitation:
    if not is_addressed_to(invitation, user):
        raise PermissionDenied(_("This invitation was sent to someone else."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(_("This invitation is no longer open."), code="state")
    return invitation


def _accept(invitation: Invitation, user) -> Membership:
    profile = _profile_of(invitation)
    membership, created = Membership.objects.get_or_create(
        user=user, **Membership.profile_kwargs(profile), defaults={"role": invitation.role}
    )
    if not created and membership.role == Role.MEMBER and invitation.role == Role.ADMIN:
        membership.role = Role.ADMIN
        membership.save(update_fields=["role"])
    invitation.state = Invitation.State.ACCEPTED
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["state", "decided_at"])
    _members_changed(profile)
    return membership


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """The invited person says yes: they become a member with the role they were invited to."""
    invitation = _check_invitation(invitation, user)
    return _accept(invitation, user)


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user) -> None:
    """The invited person says no."""
    invitation = _check_invitation(invitation, user)
    invitation.state = Invitation.State.DECLINED
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["state", "decided_at"])


# --- Requests to join -------------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, profile: Profile, user, message: str = "") -> JoinRequest:
    """Ask to join a published profile; its owner and admins are emailed."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to ask to join."))
    if profile.status != Status.PUBLISHED:
        raise PermissionDenied(_("Only published profiles take requests to join."))
    kwargs = JoinRequest.profile_kwargs(profile)
    if Membership.objects.filter(user=user, **kwargs).exists():
        raise ValidationError(_("You are already a member of %(name)s.") % {"name": profile.name})
    if JoinRequest.objects.filter(user=user, state=JoinRequest.State.PENDING, **kwargs).exists():
        raise ValidationError(
            _("You have already asked to join %(name)s; its admins will answer soon.")
            % {"name": profile.name},
            code="duplicate",
        )
    managers = _managers(profile)
    if not managers:
        # Nobody would ever read it: the person is asked to claim the profile instead.
        raise ValidationError(
            _("No one looks after %(name)s on the hub yet: if it is yours, claim it.")
            % {"name": profile.name},
            code="no_owner",
        )
    if not rate_limit_hit(action="join", key=str(user.pk), limit=JOIN_REQUESTS_PER_DAY, period=DAY):
        raise RateLimited(
            _("You have asked to join many profiles today. Please try again tomorrow."),
            code="rate_limited",
        )
    join_request = JoinRequest.objects.create(user=user, message=message.strip()[:1000], **kwargs)
    members_url = _absolute(
        reverse(f"directory:{profile.kind}_members", kwargs={"slug": profile.slug})
    )
    with translation.override(settings.LANGUAGE_CODE):
        for manager in managers:
            _send(
                to=[manager.email],
                subject=_("%(person)s asks to join %(name)s")
                % {"person": user.name or user.email, "name": profile.name},
                template="directory/email/join_request.txt",
                context={
                    "recipient": manager,
                    "requester": user,
                    "join_request": join_request,
                    "profile": profile,
                    "members_url": members_url,
                },
            )
    return join_request


def _decide(join_request: JoinRequest, user, state: str) -> JoinRequest:
    profile, join_request = _lock_managed(join_request, user)
    if join_request.state != JoinRequest.State.PENDING:
        raise ValidationError(_("This request has already been answered."), code="state")
    join_request.state = state
    join_request.decided_at = timezone.now()
    join_request.decided_by = user
    join_request.save(update_fields=["state", "decided_at", "decided_by"])
    return join_request


def _tell_requester(join_request: JoinRequest, profile: Profile, *, accepted: bool) -> None:
    requester = join_request.user
    with translation.override(settings.LANGUAGE_CODE):
        if accepted:
            subject = _("You are now a member of %(name)s") % {"name": profile.name}
        else:
            subject = _("Your request to join %(name)s") % {"name": profile.name}
        _send(
            to=[requester.email],
            subject=subject,
            template=f"directory/email/join_request_{'accepted' if accepted else 'declined'}.txt",
            context={
                "requester": requester,
                "profile": profile,
                "profile_url": _absolute(profile.get_absolute_url()),
            },
        )


@transaction.atomic
def join_request_accept(*, join_request: JoinRequest, user) -> Membership:
    """Let the person in as a member, and tell them."""
    join_request = _decide(join_request, user, JoinRequest.State.ACCEPTED)
    profile = _profile_of(join_request)
    membership, _created = Membership.objects.get_or_create(
        user=join_request.user, **Membership.profile_kwargs(profile)
    )
    _members_changed(profile)
    _tell_requester(join_request, profile, accepted=True)
    return membership


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, user) -> None:
    """Turn the request down, and tell the person."""
    join_request = _decide(join_request, user, JoinRequest.State.DECLINED)
    _tell_requester(join_request, _profile_of(join_request), accepted=False)


# --- Roles, removal, leaving, ownership -------------------------------------------------------


@transaction.atomic
def membership_make_owner(*, profile: Profile, user) -> Membership:
    """Make a person the owner of a profile that has none (an approved claim); a member or admin
    already there moves up. Callers check who may decide this."""
    _lock(profile)
    kwargs = Membership.profile_kwargs(profile)
    if Membership.objects.filter(role=Role.OWNER, **kwargs).exists():
        raise ValidationError(_("%(name)s already has an owner.") % {"name": profile.name})
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, **kwargs, defaults={"role": Role.OWNER}
    )
    if not created:
        membership.role = Role.OWNER
        membership.save(update_fields=["role"])
    # Their own request to join and claim, if any, are answered by this (Membership.save).
    _members_changed(profile)
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, user, role: str) -> Membership:
    """Make a member an admin or an admin a member; only the owner decides who is an admin."""
    profile = _profile_of(membership)
    _require_manager(profile, user)
    _require_owner_or_staff(profile, user)
    if role not in INVITABLE_ROLES:
        raise ValidationError(_("Please choose a role: admin or member."), code="role")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.OWNER:
        raise ValidationError(
            _("The owner's role changes only by handing the profile over to someone else."),
            code="owner",
        )
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, user) -> None:
    """Take someone off a profile; admins are removed only by the owner, the owner by nobody."""
    profile, membership = _lock_managed(membership, user)
    if membership.role == Role.OWNER:
        raise ValidationError(_("The owner cannot be removed."), code="owner")
    if membership.role == Role.ADMIN and membership.user_id != user.pk:
        _require_owner_or_staff(profile, user)
    membership.delete()
    _members_changed(profile)


@transaction.atomic
def membership_leave(*, profile: Profile, user) -> None:
    """Stop being a member; the owner must hand the profile over first."""
    membership = _membership(profile, user)
    if membership is None:
        raise ValidationError(_("You are not a member of this profile."), code="not_member")
    if membership.role == Role.OWNER:
        raise ValidationError(
            _(
                "You own this profile: please make another member the owner before you leave, "
                "so that someone still looks after it."
            ),
            code="owner",
        )
    membership.delete()
    _members_changed(profile)


@transaction.atomic
def membership_set_public(*, membership: Membership, user, is_public: bool) -> Membership:
    """A member chooses whether the profile's page shows them."""
    if membership.user_id != user.pk:
        raise PermissionDenied(_("Only members themselves choose whether they are shown."))
    if membership.is_public != is_public:
        membership.is_public = is_public
        membership.save(update_fields=["is_public"])
        _members_changed(_profile_of(membership))
    return membership


def _hand_over(profile: Profile, old: Membership, new: Membership, *, old_role: str | None):
    """Move the owner's role; the old owner's row changes first (one owner at any moment)."""
    if old_role is None:
        old.delete()
    else:
        old.role = old_role
        old.save(update_fields=["role"])
    new.role = Role.OWNER
    new.save(update_fields=["role"])


@transaction.atomic
def profile_transfer_ownership(*, profile: Profile, user, to: Membership) -> Membership:
    """The owner hands the profile to another member, and stays on as an admin."""
    _lock(profile)
    current = _membership(profile, user)
    if current is None or current.role != Role.OWNER:
        raise PermissionDenied(_("Only the owner can hand the profile over."))
    new = (
        Membership.objects.select_for_update()
        .filter(pk=to.pk, **Membership.profile_kwargs(profile))
        .first()
    )
    if new is None:
        raise ValidationError(_("Please choose one of the profile's members."), code="member")
    if new.pk == current.pk:
        raise ValidationError(_("You already own this profile."), code="same")
    _hand_over(profile, current, new, old_role=Role.ADMIN)
    return new
