"""Practitioners' pages: guided creation and editing of profiles, preview, submission and
archiving (the dashboard and the picker's lookup are views.dashboard and views.lookup).

Views stay thin: forms validate, directory.services.profiles writes (history, search index,
caches). Everything works without JavaScript; static/js/picker.js only makes the picker faster.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods

from core.detail_pages import refuse_change
from core.models import Status
from core.ratelimit import client_ip
from core.ratelimit import rate_limit_exceeded
from core.ratelimit import rate_limit_hit
from core.submission_views import save_valid_part
from directory.forms import CREATE_FORMS
from directory.forms import STEP_FORMS
from directory.forms import ConfirmForm
from directory.forms import ProjectOrganisationsForm
from directory.forms import SubmitForm
from directory.models import MANAGING_ROLES
from directory.models import Membership
from directory.models import Organisation
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.services import profiles as services

MODELS = {"organisation": Organisation, "project": Project}
# The guided form's steps: every kind's first and last ones, and each kind's own in between.
FIRST_STEPS = [("basics", _("Basics")), ("about", _("About")), ("place", _("Place"))]
LAST_STEPS = [("images", _("Images and links"))]
STEPS = {
    "organisation": [*FIRST_STEPS, ("details", _("Details")), *LAST_STEPS],
    "project": [
        *FIRST_STEPS,
        ("topics", _("Topics")),
        ("dates", _("Dates")),
        ("organisations", _("Organisations")),
        *LAST_STEPS,
    ],
}
DAY = 24 * 60 * 60
CREATES_PER_ACCOUNT = 10
CREATES_PER_ADDRESS = 20
LOOKUP_RESULTS = 10
SIMILAR_SHOWN = 8


# --- Helpers -----------------------------------------------------------------------------------


@dataclass
class Access:
    can_edit: bool
    can_manage: bool


def _access(profile, user) -> Access:
    """profile_can_edit and profile_can_manage, from one membership query."""
    if user.has_perm(f"directory.change_{profile.kind}"):
        return Access(can_edit=True, can_manage=True)
    membership = services.profile_membership(profile, user)
    if membership is None:
        return Access(can_edit=False, can_manage=False)
    return Access(can_edit=True, can_manage=membership.role in MANAGING_ROLES)


def _profile_for(request, kind: str, slug: str, *, manage: bool = False, queryset=None):
    """The profile a member may edit (or, with manage, submit and archive); for others a 403,
    or a 404 if they are not members and it is unpublished (core.detail_pages.refuse_change)."""
    profile = get_object_or_404(
        queryset if queryset is not None else MODELS[kind].objects, slug=slug
    )
    access = _access(profile, request.user)
    reason = gettext("Only the people who manage this profile can do that.")
    if not access.can_edit:
        refuse_change(profile, reason)
    if manage and not access.can_manage:
        raise PermissionDenied(reason)  # a member: the draft is no secret to them
    return profile, access


@contextmanager
def _errors_on(form):
    """Run a write service for a valid form: a ValidationError it raises ends the block and is
    shown above the form, which the view then renders again."""
    try:
        yield
    except ValidationError as error:
        form.add_error(None, error.messages)


def _managed_form(request, kind: str, slug: str, form_class):
    """The profile a manager acts on, what they may do, and the form, bound when posted."""
    profile, access = _profile_for(request, kind, slug, manage=True)
    return profile, access, form_class(request.POST if request.method == "POST" else None)


def profile_urls(profile) -> dict[str, str]:
    kind, slug = profile.kind, profile.slug
    urls = {
        name: reverse(f"directory:{kind}_{name}", kwargs={"slug": slug})
        for name in ("edit", "preview", "submit", "archive", "members")
    }
    urls["detail"] = profile.get_absolute_url() if profile.is_published else ""
    return urls


def _step_links(profile, current: str) -> list[dict]:
    links = [
        {
            "number": number,
            "label": label,
            "url": reverse(
                f"directory:{profile.kind}_edit_step", kwargs={"slug": profile.slug, "step": slug}
            ),
            "current": slug == current,
        }
        for number, (slug, label) in enumerate(STEPS[profile.kind], start=1)
    ]
    links.append(
        {
            "number": len(links) + 1,
            "label": _("Preview and submit"),
            "url": reverse(f"directory:{profile.kind}_preview", kwargs={"slug": profile.slug}),
            "current": current == "preview",
        }
    )
    return links


def _next_url(profile, step: str) -> str:
    slugs = [slug for slug, _label in STEPS[profile.kind]]
    position = slugs.index(step)
    if position + 1 < len(slugs):
        return reverse(
            f"directory:{profile.kind}_edit_step",
            kwargs={"slug": profile.slug, "step": slugs[position + 1]},
        )
    return reverse(f"directory:{profile.kind}_preview", kwargs={"slug": profile.slug})


def _context(profile, access: Access, current: str, **extra) -> dict:
    steps = _step_links(profile, current)
    title = profile.name
    for item in steps:
        if item["current"]:
            title = gettext("Step %(number)s of %(total)s: %(label)s") % {
                "number": item["number"],
                "total": len(steps),
                "label": item["label"],
            }
    return {
        "title": title,
        "profile": profile,
        "kind": profile.kind,
        "verbose_name": profile._meta.verbose_name,
        "access": access,
        "steps": steps,
        "urls": profile_urls(profile),
        "can_submit": access.can_manage and profile.status in services.SUBMITTABLE,
        **extra,
    }


def _saved(request, profile, *, leaving: bool) -> None:
    if profile.is_published:
        messages.success(request, gettext("Your changes are saved and live."))
    elif leaving:
        messages.success(
            request,
            gettext("Your draft of %(name)s is saved. Come back here to continue.")
            % {"name": profile.name},
        )
    else:
        messages.success(request, gettext("Saved."))


def _after_save(request, profile, step: str):
    leaving = "leave" in request.POST
    _saved(request, profile, leaving=leaving)
    return redirect("directory:dashboard" if leaving else _next_url(profile, step))


# --- Creation ----------------------------------------------------------------------------------


def _create_limits(request) -> list[tuple[str, str, int]]:
    return [
        ("profile-create-account", str(request.user.pk), CREATES_PER_ACCOUNT),
        ("profile-create-address", client_ip(request), CREATES_PER_ADDRESS),
    ]


def _create_limit_reached(request) -> bool:
    return any(
        rate_limit_exceeded(action=action, key=key, limit=limit)
        for action, key, limit in _create_limits(request)
    )


def _count_creation(request) -> bool:
    """Count one creation against each limit; False once any is used up."""
    results = [
        rate_limit_hit(action=action, key=key, limit=limit, period=DAY)
        for action, key, limit in _create_limits(request)
    ]
    return all(results)


def _too_many(request, kind: str):
    return render(
        request,
        "directory/manage/rate_limited.html",
        {
            "verbose_name_plural": MODELS[kind]._meta.verbose_name_plural,
            "per_account": CREATES_PER_ACCOUNT,
        },
        status=429,
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_create(request, kind):
    """Step 1: name and basics; similar published profiles are offered before a draft is made."""
    model = MODELS[kind]
    if _create_limit_reached(request):
        return _too_many(request, kind)
    data = request.POST if request.method == "POST" else None
    form = CREATE_FORMS[kind](data, instance=model(), user=request.user)
    similar = []
    if data is not None and form.is_valid():
        if form.is_bot():
            # Tell a bot nothing: it sees the usual next page, and nothing was created.
            return redirect("directory:dashboard")
        if "confirm_new" not in request.POST:
            similar = list(
                model.objects.published()
                .similar_to(name=form.cleaned_data["name"], city=form.cleaned_data["city"])
                .with_cards()[:SIMILAR_SHOWN]
            )
        if not similar:
            if not _count_creation(request):
                return _too_many(request, kind)
            with _errors_on(form):
                profile = services.profile_create(
                    model=model,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    fields=form.field_values(),
                )
                messages.success(
                    request,
                    gettext(
                        "Your draft is saved. Nobody else sees it until you submit it for review."
                    ),
                )
                return redirect(
                    f"directory:{kind}_edit_step", slug=profile.slug, step=STEPS[kind][1][0]
                )
    status = 400 if form.errors else 200
    return render(
        request,
        "directory/manage/profile_create.html",
        {
            "form": form,
            "kind": kind,
            "verbose_name": model._meta.verbose_name,
            "similar": [
                (
                    profile,
                    reverse(f"directory:{kind}_join", kwargs={"slug": profile.slug}),
                )
                for profile in similar
            ],
            "step_labels": [_("Basics")] + [label for _slug, label in STEPS[kind][1:]],
        },
        status=status,
    )


# --- Editing, step by step -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, slug, kind, step=None):
    """One step of the guided form, for drafts and published profiles alike."""
    if step is None:
        profile, _unused = _profile_for(request, kind, slug)
        return redirect(f"directory:{kind}_edit_step", slug=profile.slug, step=STEPS[kind][0][0])
    if step not in STEP_FORMS[kind]:
        raise Http404
    profile, access = _profile_for(request, kind, slug)
    if step == "organisations":
        return _organisations_step(request, profile, access)
    data = request.POST if request.method == "POST" else None
    form = STEP_FORMS[kind][step](
        data,
        request.FILES if data is not None else None,
        instance=profile,
        user=request.user,
    )
    if data is not None and form.is_valid():
        try:
            services.profile_update(
                profile=profile,
                user=request.user,
                fields=form.field_values(),
                relations=form.relation_rows(),
            )
        except ValidationError as error:
            profile.refresh_from_db()
            form.add_error(None, error.messages)
        else:
            if getattr(form, "coordinates_reused", False):
                messages.info(
                    request,
                    gettext(
                        "We used the coordinates of another profile in %(city)s; you can change "
                        "them on the “Place” step."
                    )
                    % {"city": profile.city},
                )
            elif getattr(form, "coordinates_from_city", False):
                messages.info(
                    request,
                    gettext(
                        "We placed the profile at the coordinates of %(city)s; you can change "
                        "them on the “Place” step."
                    )
                    % {"city": profile.city},
                )
            return _after_save(request, profile, step)
    elif data is not None and form.is_draft:

        def update(fields, relations):
            return services.profile_update(
                profile=profile, user=request.user, fields=fields, relations=relations
            )

        if save_valid_part(request, form, update) is None:
            profile.refresh_from_db()
    status = 400 if form.errors else 200
    return render(
        request,
        "directory/manage/profile_step.html",
        _context(
            profile,
            access,
            step,
            form=form,
            step=step,
            multipart=step == "images",
            # A rename saved with other fields in error moves the draft's address.
            form_action=reverse(
                f"directory:{kind}_edit_step", kwargs={"slug": profile.slug, "step": step}
            ),
        ),
        status=status,
    )


def _organisations_step(request, project, access):
    links = project.links_to_organisations.select_related("organisation__country").order_by(
        "role", "organisation__name"
    )
    data = request.POST if request.method == "POST" else None
    form = ProjectOrganisationsForm(data, project=project, user=request.user, links=links)
    candidates, checked, status = [], set(), 200
    if data is not None and "find" in data:
        # Without JavaScript, "Find" posts the form: show matches, keep what was ticked.
        checked = set(form.added_ids())
        query = ""
        try:
            query = form.search_text()
        except ValidationError as error:
            form.add_error("q", error)
            status = 400
        linked = {link.organisation_id for link in form.links}
        ticked = list(
            Organisation.objects.linkable_by(request.user)
            .filter(pk__in=checked)
            .select_related("country")
        )
        matches = (
            Organisation.objects.picker_matches(query, request.user, limit=LOOKUP_RESULTS)
            if query
            else []
        )
        seen = set()
        for organisation in [*ticked, *matches]:
            if organisation.pk not in linked and organisation.pk not in seen:
                seen.add(organisation.pk)
                candidates.append(organisation)
        searched = bool(query)
    elif data is not None:
        searched = False
        if form.is_valid():
            with _errors_on(form):
                services.project_set_organisations(
                    project=project, user=request.user, organisations=form.cleaned_data["wanted"]
                )
                return _after_save(request, project, "organisations")
        checked = set(form.added_ids())
        candidates = list(
            Organisation.objects.linkable_by(request.user)
            .filter(pk__in=checked)
            .select_related("country")
        )
        status = 400
    else:
        searched = False
    return render(
        request,
        "directory/manage/project_organisations.html",
        _context(
            project,
            access,
            "organisations",
            form=form,
            step="organisations",
            candidates=candidates,
            checked=checked,
            searched=searched,
            lookup_url=reverse("directory:organisation_lookup"),
        ),
        status=status,
    )


# --- Preview, submit, archive --------------------------------------------------------------------


def _preview_queryset(kind: str):
    """The public page's data: its details and the profiles linked to it, those not yet
    published too (marked as such: the owner sees what will show once they are)."""
    queryset = MODELS[kind].objects.with_details()
    if kind == "project":
        queryset = queryset.prefetch_related(
            Prefetch(
                "links_to_organisations",
                queryset=ProjectOrganisation.objects.select_related("organisation__country")
                .exclude(organisation__status=Status.ARCHIVED)
                .order_by("role", "organisation__name"),
                to_attr="organisation_links",
            )
        )
    return queryset


@login_required
@require_GET
def profile_preview(request, slug, kind):
    """The profile as the public will see it, with a banner; published ones are the real page."""
    profile, access = _profile_for(request, kind, slug, queryset=_preview_queryset(kind))
    if profile.is_published:
        return redirect(profile)
    context = {
        "profile": profile,
        "preview": True,
        "members": Membership.objects.filter(is_public=True, **Membership.profile_kwargs(profile))
        .select_related("user")
        .order_by("created_at"),
        # Names of our own, for the toolbar above the page.
        "detail_template": f"directory/{kind}_detail.html",
        "preview_steps": _step_links(profile, "preview"),
        "preview_urls": profile_urls(profile),
        "preview_can_submit": access.can_manage and profile.status in services.SUBMITTABLE,
    }
    if kind == "organisation":
        context["project_links"] = (
            ProjectOrganisation.objects.filter(organisation=profile)
            .exclude(project__status=Status.ARCHIVED)
            .select_related("project")
            .order_by("project__name")
        )
    return render(request, "directory/manage/preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_submit(request, slug, kind):
    """Consent to the licence and send the profile to the moderators."""
    profile, access, form = _managed_form(request, kind, slug, SubmitForm)
    if form.is_valid():
        with _errors_on(form):
            services.profile_submit(
                profile=profile,
                user=request.user,
                licence_consent=form.cleaned_data["consent"],
                ip=client_ip(request),
            )
            messages.success(
                request,
                gettext(
                    "Thank you: %(name)s is now pending review. A community admin will look at "
                    "it soon and we will email you when it is published."
                )
                % {"name": profile.name},
            )
            return redirect("directory:dashboard")
    status = 400 if form.errors else 200
    return render(
        request,
        "directory/manage/profile_submit.html",
        _context(
            profile,
            access,
            "preview",
            form=form,
            missing=[
                (
                    message,
                    reverse(
                        f"directory:{kind}_edit_step", kwargs={"slug": profile.slug, "step": step}
                    ),
                )
                for message, step in services.profile_missing_by_step(profile)
            ],
            licence_name=profile.get_licence_display(),
            licence_url=profile.licence_url,
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_archive(request, slug, kind):
    """Take a profile out of public view (kept with its history); owners and admins only."""
    profile, access, form = _managed_form(request, kind, slug, ConfirmForm)
    if form.is_valid():
        if profile.status != Status.ARCHIVED:
            services.profile_archive(profile=profile, user=request.user)
        messages.success(
            request, gettext("%(name)s is archived and no longer public.") % {"name": profile.name}
        )
        return redirect("directory:dashboard")
    return render(
        request, "directory/manage/profile_archive.html", _context(profile, access, "", form=form)
    )


# --- Dashboard -----------------------------------------------------------------------------------
