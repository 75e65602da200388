"""Practitioners' pages for events: add one, edit it, preview it, submit it for review, and the
list of "my events" with their review status.

Views stay thin: events.forms validates, events.services writes (history, occurrences, search,
caches). New events are rate-limited like new directory profiles, and carry a honeypot field.
Everything works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory.models import Status
from dsi_hub.submissions import CreationLimits
from events import services
from events.forms import EventCreateForm, EventForm, repeat_label
from events.models import Event

CREATES_PER_ACCOUNT = 10
CREATES_PER_ADDRESS = 20
MINE_PER_PAGE = 50
SUBMITTABLE = (Status.DRAFT, Status.REJECTED)
NEXT_TIMES_SHOWN = 5


# --- Helpers -----------------------------------------------------------------------------------


def _event_for(request, slug: str, queryset=None) -> Event:
    """The event its author (or staff) may change; 403 for everyone else."""
    event = get_object_or_404(queryset if queryset is not None else Event.objects, slug=slug)
    if not services.event_can_edit(event, request.user):
        raise PermissionDenied(gettext("Only the person who submitted this event can do that."))
    return event


def event_urls(event: Event) -> dict[str, str]:
    urls = {
        name: reverse(f"events:event_{name}", kwargs={"slug": event.slug})
        for name in ("edit", "preview", "submit")
    }
    urls["detail"] = event.get_absolute_url() if event.is_published else ""
    return urls


CREATION_LIMITS = CreationLimits(
    "event", per_account=CREATES_PER_ACCOUNT, per_address=CREATES_PER_ADDRESS
)


def _too_many(request):
    return render(
        request,
        "events/event_rate_limited.html",
        {"per_account": CREATES_PER_ACCOUNT},
        status=429,
    )


def _form_page(request, form, *, event=None):
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": event, "urls": event_urls(event) if event else {}},
        status=400 if form.errors else 200,
    )


# --- Add and edit ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    """The whole event on one page; saved as a draft, then previewed before it is submitted."""
    if CREATION_LIMITS.reached(request):
        return _too_many(request)
    data = request.POST if request.method == "POST" else None
    form = EventCreateForm(data, user=request.user)
    if data is not None and form.is_valid():
        if form.is_bot():
            # Tell a bot nothing: it sees the usual next page, and nothing was created.
            return redirect("events:event_mine")
        if not CREATION_LIMITS.count(request):
            return _too_many(request)
        try:
            event = services.event_create(
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
            return redirect("events:event_preview", slug=event.slug)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug):
    """Change any of the event's details; a published event's changes go live at once."""
    event = _event_for(request, slug)
    data = request.POST if request.method == "POST" else None
    form = EventForm(data, instance=event, user=request.user)
    if data is not None and form.is_valid():
        try:
            services.event_update(
                event=event,
                user=request.user,
                fields={"title": form.cleaned_data["title"], **form.field_values()},
                relations=form.relation_rows(),
            )
        except ValidationError as error:
            event.refresh_from_db()
            form.add_service_error(error)
        else:
            if event.is_published:
                messages.success(request, gettext("Your changes are saved and live."))
            else:
                messages.success(request, gettext("Your changes are saved."))
            return redirect("events:event_preview", slug=event.slug)
    return _form_page(request, form, event=event)


# --- Preview and submit --------------------------------------------------------------------------


def preview_context(event: Event) -> dict:
    """What the preview shows besides the event: its repeats in words and its next times."""
    return {
        "event": event,
        "repeat_label": repeat_label(event),
        "next_times": list(event.occurrences.all()[:NEXT_TIMES_SHOWN]) if event.repeats else [],
    }


def _preview_page(request, event: Event, *, status: int = 200, error: str = ""):
    return render(
        request,
        "events/event_preview.html",
        {
            **preview_context(event),
            "urls": event_urls(event),
            "can_submit": event.status in SUBMITTABLE,
            "submit_error": error,
        },
        status=status,
    )


@login_required
@require_GET
def event_preview(request, slug):
    """The event as the public will see it, with its status and what its author can do next."""
    event = _event_for(request, slug, queryset=Event.objects.with_details())
    return _preview_page(request, event)


@login_required
@require_POST
def event_submit(request, slug):
    """Send a draft (or a corrected rejected event) to the community admins."""
    event = _event_for(request, slug)
    try:
        services.event_submit(event=event, user=request.user)
    except ValidationError as error:
        event = _event_for(request, slug, queryset=Event.objects.with_details())
        return _preview_page(request, event, status=400, error=" ".join(error.messages))
    messages.success(
        request,
        gettext(
            "Thank you: %(title)s is now waiting for review. A community admin will look at it "
            "soon and we will email you when it is published."
        )
        % {"title": event.title},
    )
    return redirect("events:event_mine")


# --- My events ---------------------------------------------------------------------------------


@login_required
@require_GET
def event_mine(request):
    """The events I submitted, newest change first, with their review status and reasons."""
    events = (
        Event.objects.managed_by(request.user)
        .select_related("country", "organiser")
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(events, MINE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"event": event, "urls": event_urls(event), "can_submit": event.status in SUBMITTABLE}
        for event in page
    ]
    return render(request, "events/event_mine.html", {"rows": rows, "page": page})
