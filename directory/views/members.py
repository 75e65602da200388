"""Members' pages: the members page of a profile, requests to join, answering an invitation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.models import Status
from directory.forms_members import InvitationAnswerForm
from directory.forms_members import InvitationForm
from directory.forms_members import JoinRequestForm
from directory.forms_members import RoleForm
from directory.forms_members import TargetForm
from directory.forms_members import VisibilityForm
from directory.models import MANAGING_ROLES
from directory.models import Invitation
from directory.models import JoinRequest
from directory.models import Membership
from directory.models import Organisation
from directory.models import Project
from directory.models import Role
from directory.services import members as services
from directory.views.claims import claim_page

MODELS = {"organisation": Organisation, "project": Project}


def _profile(kind: str, slug: str):
    return get_object_or_404(MODELS[kind].objects.all(), slug=slug)


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


class _Viewer:
    """Who is looking at a members page, and what they may do there (one query for members)."""

    def __init__(self, profile, user):
        self.membership = Membership.objects.filter(
            user=user, **Membership.profile_kwargs(profile)
        ).first()
        role = self.membership.role if self.membership else None
        self.is_owner = role == Role.OWNER
        self.is_staff_editor = role is None and user.has_perm(f"directory.change_{profile.kind}")
        self.can_manage = role in MANAGING_ROLES or self.is_staff_editor
        self.can_manage_admins = self.is_owner or self.is_staff_editor


def _members_page(request, profile, viewer, *, invite_form=None, errors=(), status=200):
    members = list(services.members_of(profile))
    context = {
        "profile": profile,
        "viewer": viewer,
        "members": members,
        "errors": errors,
    }
    if viewer.can_manage:
        context["invite_form"] = invite_form or InvitationForm(
            can_invite_admins=viewer.can_manage_admins
        )
        context["invitations"] = list(services.pending_invitations_of(profile))
        context["join_requests"] = list(services.pending_join_requests_of(profile))
    return render(request, "directory/members/members.html", context, status=status)


def _target(request, model, profile):
    form = TargetForm(request.POST)
    if not form.is_valid():
        return None
    return get_object_or_404(
        model.objects.all(), pk=form.cleaned_data["target"], **model.profile_kwargs(profile)
    )


def _act(request, profile, viewer, action: str):
    """Do what the POST asks; returns a redirect, or a page with a 4xx and the reason."""
    members_url = reverse(f"directory:{profile.kind}_members", kwargs={"slug": profile.slug})
    user = request.user
    bad = _("That request was not understood. Please try again from the members page.")

    if action == "invite":
        if not viewer.can_manage:
            raise PermissionDenied
        form = InvitationForm(request.POST, can_invite_admins=viewer.can_manage_admins)
        if not form.is_valid():
            return _members_page(request, profile, viewer, invite_form=form, status=400)
        try:
            invitation = services.invitation_create(profile=profile, user=user, **form.cleaned_data)
        except services.RateLimited as error:
            form.add_error(None, error)
            return _members_page(request, profile, viewer, invite_form=form, status=429)
        except ValidationError as error:
            form.add_error(None, error)  # a dict of field errors lands on its fields
            return _members_page(request, profile, viewer, invite_form=form, status=400)
        messages.success(
            request, _("An invitation is on its way to %(email)s.") % {"email": invitation.email}
        )
        return redirect(members_url)

    if action == "leave":
        try:
            services.membership_leave(profile=profile, user=user)
        except ValidationError as error:
            return _members_page(request, profile, viewer, errors=_messages_of(error), status=400)
        messages.success(request, _("You have left %(name)s.") % {"name": profile.name})
        if profile.status == Status.PUBLISHED:
            return redirect(profile.get_absolute_url())
        return redirect("directory:dashboard")

    if action == "visibility":
        form = VisibilityForm(request.POST)
        if viewer.membership is None or not form.is_valid():
            return _members_page(request, profile, viewer, errors=[bad], status=400)
        services.membership_set_public(
            membership=viewer.membership, user=user, is_public=form.cleaned_data["is_public"]
        )
        if form.cleaned_data["is_public"]:
            messages.success(request, _("You are now shown on the profile's page."))
        else:
            messages.success(request, _("You are no longer shown on the profile's page."))
        return redirect(members_url)

    handlers = {
        "cancel": (Invitation, services.invitation_cancel, "invitation"),
        "accept": (JoinRequest, services.join_request_accept, "join_request"),
        "decline": (JoinRequest, services.join_request_decline, "join_request"),
        "remove": (Membership, services.membership_remove, "membership"),
        "role": (Membership, services.membership_change_role, "membership"),
        "transfer": (Membership, None, None),
    }
    if action not in handlers:
        return _members_page(request, profile, viewer, errors=[bad], status=400)
    model, service, argument = handlers[action]
    if action == "role":
        role_form = RoleForm(request.POST)
        if not role_form.is_valid():
            return _members_page(request, profile, viewer, errors=[bad], status=400)
    target = _target(request, model, profile)
    if target is None:
        return _members_page(request, profile, viewer, errors=[bad], status=400)
    try:
        if action == "transfer":
            services.profile_transfer_ownership(profile=profile, user=user, to=target)
        elif action == "role":
            services.membership_change_role(
                membership=target, user=user, role=role_form.cleaned_data["role"]
            )
        else:
            service(**{argument: target, "user": user})
    except ValidationError as error:
        return _members_page(request, profile, viewer, errors=_messages_of(error), status=400)
    done = {
        "cancel": _("The invitation has been cancelled."),
        "accept": _("%(person)s is now a member."),
        "decline": _("The request has been declined."),
        "remove": _("%(person)s is no longer a member."),
        "role": _("%(person)s's role has been changed."),
        "transfer": _("%(person)s now owns the profile; you stay on as an admin."),
    }[action]
    person = getattr(target, "user", None)
    if person is not None:
        done = done % {"person": person.name or person.email}
    messages.success(request, done)
    return redirect(members_url)


@login_required
@require_http_methods(["GET", "POST"])
def profile_members(request, slug, kind):
    """Members see who is on a profile; owners and admins manage them; a member may leave."""
    profile = _profile(kind, slug)
    viewer = _Viewer(profile, request.user)
    if viewer.membership is None and not viewer.is_staff_editor:
        if profile.status != Status.PUBLISHED:
            raise Http404  # drafts and pending profiles do not exist for outsiders
        raise PermissionDenied(_("Only members of this profile can see its members page."))
    if request.method == "POST":
        return _act(request, profile, viewer, request.POST.get("action", ""))
    return _members_page(request, profile, viewer)


@login_required
@require_http_methods(["GET", "POST"])
def profile_join(request, slug, kind):
    """Ask to join a published profile, with a short message to its owner and admins."""
    profile = get_object_or_404(MODELS[kind].objects.published(), slug=slug)
    kwargs = Membership.profile_kwargs(profile)
    # The person's own membership and whoever runs the profile, in one query.
    people = list(
        Membership.objects.filter(**kwargs)
        .filter(Q(user=request.user) | Q(role__in=MANAGING_ROLES))
        .values_list("user_id", "role")
    )
    is_member = any(user_id == request.user.pk for user_id, _role in people)
    if not is_member and not any(role in MANAGING_ROLES for _user, role in people):
        # No one would read a request: the person claims the profile instead, their message
        # carried over.
        return _no_one_to_ask(request, profile)
    waiting = (
        not is_member
        and JoinRequest.objects.filter(
            user=request.user, state=JoinRequest.State.PENDING, **kwargs
        ).exists()
    )
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if is_member or waiting:
            form = None
        elif form.is_valid():
            try:
                services.join_request_create(
                    profile=profile, user=request.user, message=form.cleaned_data["message"]
                )
            except services.RateLimited as error:
                form.add_error(None, error)
                status = 429
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your request has been sent to the admins of %(name)s.")
                    % {"name": profile.name},
                )
                return redirect(profile.get_absolute_url())
    context = {"profile": profile, "form": form, "is_member": is_member, "waiting": waiting}
    return render(request, "directory/members/join.html", context, status=status)


def _no_one_to_ask(request, profile):
    notice = _("No one looks after %(name)s on the hub yet: if it is yours, claim it.") % {
        "name": profile.name
    }
    if request.method == "GET":
        messages.info(request, notice)
        return redirect(f"directory:{profile.kind}_claim", slug=profile.slug)
    form = JoinRequestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    messages.info(request, notice)
    return claim_page(request, profile, initial={"message": message})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_respond(request, pk):
    """The invited person sees an invitation and accepts or declines it."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "project", "invited_by"), pk=pk
    )
    if not services.is_addressed_to(invitation, request.user):
        raise Http404  # others learn nothing about who was invited where
    profile = invitation.profile
    members_url = reverse(f"directory:{profile.kind}_members", kwargs={"slug": profile.slug})
    errors = []
    status = 200
    if request.method == "POST":
        form = InvitationAnswerForm(request.POST)
        status = 400
        if not form.is_valid():
            errors = [_("Please choose to accept or decline the invitation.")]
        else:
            try:
                if form.cleaned_data["answer"] == "accept":
                    services.invitation_accept(invitation=invitation, user=request.user)
                    messages.success(
                        request,
                        _("Welcome: you are now a member of %(name)s.") % {"name": profile.name},
                    )
                    return redirect(members_url)
                services.invitation_decline(invitation=invitation, user=request.user)
                messages.success(request, _("You have declined the invitation."))
                return redirect("directory:dashboard")
            except ValidationError as error:
                errors = _messages_of(error)
                invitation.refresh_from_db(fields=["state"])
    is_member = invitation.state == Invitation.State.ACCEPTED
    context = {
        "invitation": invitation,
        "profile": profile,
        "errors": errors,
        "members_url": members_url,
        "is_member": is_member,
    }
    return render(request, "directory/members/invitation.html", context, status=status)
