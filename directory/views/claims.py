"""Claiming a profile nobody owns, and confirming the address given as evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from directory.forms_members import ClaimForm
from directory.models import Claim
from directory.models import Organisation
from directory.models import Project
from directory.services import claims as services
from directory.services.members import RateLimited
from directory.services.members import profile_has_owner

MODELS = {"organisation": Organisation, "project": Project}


def claim_page(request, profile, *, form=None, status=200, initial=None):
    """The claim form of a profile, or why it cannot be claimed (it has an owner, or the
    person's claim already waits)."""
    owned = profile_has_owner(profile)
    waiting = None if owned else services.open_claim(profile, request.user)
    if form is None and not owned and waiting is None:
        form = ClaimForm(domain=services.website_domain(profile), initial=initial)
    context = {
        "profile": profile,
        "form": None if owned or waiting else form,
        "owned": owned,
        "waiting": waiting,
        "domain": services.website_domain(profile),
    }
    return render(request, "directory/members/claim.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile_claim(request, slug, kind):
    """ "This is ours": a published profile with no owner, claimed with a reason and evidence,
    for the community admins to decide."""
    profile = get_object_or_404(MODELS[kind].objects.published(), slug=slug)
    if request.method == "GET":
        return claim_page(request, profile)
    domain = services.website_domain(profile)
    form = ClaimForm(request.POST, domain=domain)
    if not form.is_valid():
        return claim_page(request, profile, form=form, status=400)
    try:
        claim = services.claim_create(profile=profile, user=request.user, **form.cleaned_data)
    except RateLimited as error:
        form.add_error(None, error)
        return claim_page(request, profile, form=form, status=429)
    except ValidationError as error:
        if getattr(error, "code", None) in ("owned", "duplicate"):
            return claim_page(request, profile, status=400)
        form.add_error(None, error)  # a dict of field errors lands on its fields
        return claim_page(request, profile, form=form, status=400)
    if claim.evidence_email:
        messages.success(
            request,
            _(
                "Your claim on %(name)s is with the community admins. We have emailed "
                "%(email)s a link: follow it to mark your claim verified."
            )
            % {"name": profile.name, "email": claim.evidence_email},
        )
    else:
        messages.success(
            request,
            _("Your claim on %(name)s is with the community admins; they will email you.")
            % {"name": profile.name},
        )
    return redirect("directory:dashboard")


@require_http_methods(["GET", "POST"])
def claim_verify(request, token):
    """The link emailed to the claimed address: a button confirms it (links opened by mail
    scanners change nothing)."""
    try:
        claim = services.claim_from_token(token)
    except ValidationError as error:
        context = {"errors": list(error.messages)}
        return render(request, "directory/members/claim_verify.html", context, status=400)
    errors = []
    status = 200
    if request.method == "POST":
        try:
            claim = services.claim_verify_email(token=token)
        except ValidationError as error:
            errors = list(error.messages)
            status = 400
        else:
            messages.success(
                request,
                _("Thank you: %(email)s is confirmed, and the claim on %(name)s is verified.")
                % {"email": claim.evidence_email, "name": claim.profile.name},
            )
            return redirect(claim.profile.get_absolute_url())
    context = {
        "claim": claim,
        "profile": claim.profile,
        "errors": errors,
        "decided": claim.status != Claim.Status.PENDING,
    }
    return render(request, "directory/members/claim_verify.html", context, status=status)
