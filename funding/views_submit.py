"""Practitioners' pages for funding opportunities: add one, edit it, preview it, submit it for
review, and the list of "my funding opportunities" with their review status.

Views stay thin: funding.forms validates, funding.services writes (history, search, caches).
New opportunities are rate-limited like new events and directory profiles, and carry a
honeypot field. Everything works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory.models import Status
from dsi_hub.submissions import CreationLimits
from funding import services
from funding.display import present
from funding.forms import OpportunityCreateForm, OpportunityForm
from funding.models import Opportunity

CREATES_PER_ACCOUNT = 10
CREATES_PER_ADDRESS = 20
MINE_PER_PAGE = 50
SUBMITTABLE = (Status.DRAFT, Status.REJECTED)


# --- Helpers -----------------------------------------------------------------------------------


def _opportunity_for(request, slug: str, queryset=None) -> Opportunity:
    """The opportunity its author (or staff) may change; 403 for everyone else."""
    opportunity = get_object_or_404(
        queryset if queryset is not None else Opportunity.objects, slug=slug
    )
    if not services.opportunity_can_edit(opportunity, request.user):
        raise PermissionDenied(
            gettext("Only the person who submitted this funding opportunity can do that.")
        )
    return opportunity


def opportunity_urls(opportunity: Opportunity) -> dict[str, str]:
    urls = {
        name: reverse(f"funding:opportunity_{name}", kwargs={"slug": opportunity.slug})
        for name in ("edit", "preview", "submit")
    }
    urls["detail"] = opportunity.get_absolute_url() if opportunity.is_published else ""
    return urls


CREATION_LIMITS = CreationLimits(
    "opportunity", per_account=CREATES_PER_ACCOUNT, per_address=CREATES_PER_ADDRESS
)


def _too_many(request):
    return render(
        request,
        "funding/opportunity_rate_limited.html",
        {"per_account": CREATES_PER_ACCOUNT},
        status=429,
    )


def _form_page(request, form, *, opportunity=None):
    return render(
        request,
        "funding/opportunity_form.html",
        {
            "form": form,
            "opportunity": opportunity,
            "urls": opportunity_urls(opportunity) if opportunity else {},
        },
        status=400 if form.errors else 200,
    )


# --- Add and edit ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create(request):
    """The whole opportunity on one page; saved as a draft, previewed, then submitted."""
    if CREATION_LIMITS.reached(request):
        return _too_many(request)
    data = request.POST if request.method == "POST" else None
    form = OpportunityCreateForm(data, user=request.user)
    if data is not None and form.is_valid():
        if form.is_bot():
            # Tell a bot nothing: it sees the usual next page, and nothing was created.
            return redirect("funding:opportunity_mine")
        if not CREATION_LIMITS.count(request):
            return _too_many(request)
        try:
            opportunity = services.opportunity_create(
                user=request.user,
                title=form.cleaned_data["title"],
                fields=form.field_values(),
                relations=form.relation_rows(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext(
                    "Your draft is saved. Check it below, then submit it for review: nobody else "
                    "sees it until a community admin has approved it."
                ),
            )
            return redirect("funding:opportunity_preview", slug=opportunity.slug)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, slug):
    """Change any of the details; a published opportunity's changes go live at once."""
    opportunity = _opportunity_for(request, slug)
    data = request.POST if request.method == "POST" else None
    form = OpportunityForm(data, instance=opportunity, user=request.user)
    if data is not None and form.is_valid():
        try:
            services.opportunity_update(
                opportunity=opportunity,
                user=request.user,
                fields={"title": form.cleaned_data["title"], **form.field_values()},
                relations=form.relation_rows(),
            )
        except ValidationError as error:
            opportunity.refresh_from_db()
            form.add_service_error(error)
        else:
            if opportunity.is_published:
                messages.success(request, gettext("Your changes are saved and live."))
            else:
                messages.success(request, gettext("Your changes are saved."))
            return redirect("funding:opportunity_preview", slug=opportunity.slug)
    return _form_page(request, form, opportunity=opportunity)


# --- Preview and submit --------------------------------------------------------------------------


def preview_context(opportunity: Opportunity) -> dict:
    """What the preview shows: the opportunity with its dates and amounts in words, as its
    public page says them today."""
    return {"opportunity": present(opportunity, timezone.localdate())}


def _preview_page(request, opportunity: Opportunity, *, status: int = 200, error: str = ""):
    return render(
        request,
        "funding/opportunity_preview.html",
        {
            **preview_context(opportunity),
            "urls": opportunity_urls(opportunity),
            "can_submit": opportunity.status in SUBMITTABLE,
            "submit_error": error,
        },
        status=status,
    )


@login_required
@require_GET
def opportunity_preview(request, slug):
    """The opportunity as the public will see it, with its status and what to do next."""
    opportunity = _opportunity_for(request, slug, queryset=Opportunity.objects.with_details())
    return _preview_page(request, opportunity)


@login_required
@require_POST
def opportunity_submit(request, slug):
    """Send a draft (or a corrected rejected opportunity) to the community admins."""
    opportunity = _opportunity_for(request, slug)
    try:
        services.opportunity_submit(opportunity=opportunity, user=request.user)
    except ValidationError as error:
        opportunity = _opportunity_for(request, slug, queryset=Opportunity.objects.with_details())
        return _preview_page(request, opportunity, status=400, error=" ".join(error.messages))
    messages.success(
        request,
        gettext(
            "Thank you: %(title)s is now waiting for review. A community admin will look at it "
            "soon and we will email you when it is published."
        )
        % {"title": opportunity.title},
    )
    return redirect("funding:opportunity_mine")


# --- My funding opportunities -------------------------------------------------------------------


@login_required
@require_GET
def opportunity_mine(request):
    """The opportunities I submitted, newest change first, with review status and reasons."""
    opportunities = (
        Opportunity.objects.managed_by(request.user)
        .select_related("funding_type", "funder")
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(opportunities, MINE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "opportunity": opportunity,
            "urls": opportunity_urls(opportunity),
            "can_submit": opportunity.status in SUBMITTABLE,
        }
        for opportunity in page
    ]
    return render(
        request,
        "funding/opportunity_mine.html",
        {"rows": rows, "page": page, "today": timezone.localdate()},
    )
