"""The practitioners' pages shared by the things they submit for review (events, funding
opportunities): add one, edit it, preview it, submit it for review, and the list of "mine" with
their review status.

An app subclasses SubmissionViews, says what is its own (its lifecycle, which gives the model and
its services; forms, the preview, the 403's reason) and serves an instance's pages from its
urls.py: `*views.pages.urlpatterns()`. The rest follows the app's names:
`<namespace>:<name>_<page>` for the URLs, `<namespace>/<name>_<page>.html` for the templates,
`<name>` for the object in them and for the rate limits' key.

Views stay thin: the app's forms validate, its services write (history, search, caches). New
submissions are rate-limited like new directory profiles (CreationLimits), and the form that adds
one carries a honeypot field. Everything works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import path
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods
from django.views.decorators.http import require_POST

from core.detail_pages import refuse_change
from core.forms import DRAFT_STATUSES
from core.submissions import CreationLimits

SUBMITTABLE = DRAFT_STATUSES


def save_valid_part(request, form, save):
    """A draft keeps whatever of a form was valid (core.forms.DraftFormMixin.valid_part):
    `save(fields, relations)` writes it through the kind's service; the form, shown again with
    its errors, keeps what was typed in the fields to correct (the rules of complete content
    apply at submission). What `save` returned, or None when the service refused (its errors
    are then on the form)."""
    fields, relations = form.valid_part()
    try:
        saved = save(fields, relations)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return None
    if saved:
        messages.warning(
            request,
            gettext(
                "We saved your draft, except the fields marked below: please correct them and "
                "save again."
            ),
        )
    return saved


class SubmissionViews:
    """Add, edit, preview, submit and "mine" for one kind of submitted content.

    Subclasses set the kind's `lifecycle` (its services, core.lifecycle.SubmissionLifecycle, which
    also gives the model and its name), forms and wording, and implement the methods under "What
    each app supplies"; the views are the instance's `create_view`, `edit_view`, `preview_view`,
    `submit_view` and `mine_view`, each for logged-in people only and for its own HTTP methods.
    """

    # The kind's services: who may edit it, create, update, submit.
    lifecycle = None
    create_form = None
    edit_form = None
    # Why someone who is neither its author nor allowed to change any gets a 403 (on what is
    # published; anything else answers 404 to them).
    forbidden_message = ""
    # What each row of "mine" shows besides the object itself.
    mine_related = ()
    creates_per_account = 10
    creates_per_address = 20
    mine_per_page = 50

    def __init__(self):
        self.model = self.lifecycle.model
        # "event": the URL names' and templates' prefix, the object's name in them, the limits' key.
        self.name = self.lifecycle.name
        # "events": the URL namespace and the templates' folder.
        self.namespace = self.model._meta.app_label
        self.creation_limits = CreationLimits(
            self.name, per_account=self.creates_per_account, per_address=self.creates_per_address
        )
        get_or_post = require_http_methods(["GET", "POST"])
        self.create_view = self._view("create", get_or_post(self.create))
        self.edit_view = self._view("edit", get_or_post(self.edit))
        self.preview_view = self._view("preview", require_GET(self.preview))
        self.submit_view = self._view("submit", require_POST(self.submit))
        self.mine_view = self._view("mine", require_GET(self.mine))

    def _view(self, page: str, view):
        """The page's view for the app's URLs: logged-in people only (a visitor is sent to log in
        whatever the method), named as the app's own (`events.views.event_create`)."""
        view = login_required(view)
        view.__name__ = view.__qualname__ = f"{self.name}_{page}"
        view.__module__ = type(self).__module__
        return view

    def urlpatterns(self) -> list:
        """The five pages' URLs, to come first in the app's urls.py so that "new/" and "mine/"
        win over an item's "<slug>/" (the app reserves both as slugs)."""
        return [
            path("new/", self.create_view, name=f"{self.name}_create"),
            path("mine/", self.mine_view, name=f"{self.name}_mine"),
            path("<slug:slug>/edit/", self.edit_view, name=f"{self.name}_edit"),
            path("<slug:slug>/preview/", self.preview_view, name=f"{self.name}_preview"),
            path("<slug:slug>/submit/", self.submit_view, name=f"{self.name}_submit"),
        ]

    # --- What each app supplies ------------------------------------------------------------------

    def preview_context(self, obj) -> dict:
        """What the preview shows, the object itself included (under its name)."""
        raise NotImplementedError

    def mine_context(self) -> dict:
        """What "mine" shows besides its rows and page."""
        return {}

    # --- Helpers ---------------------------------------------------------------------------------

    def _url_name(self, page: str) -> str:
        return f"{self.namespace}:{self.name}_{page}"

    def _template(self, page: str) -> str:
        return f"{self.namespace}/{self.name}_{page}.html"

    def object_for(self, request, slug: str, queryset=None):
        """The object its author (or staff) may change; for everyone else a 403 if it is
        published, a 404 if not (core.detail_pages.refuse_change)."""
        obj = get_object_or_404(queryset if queryset is not None else self.model.objects, slug=slug)
        if not self.lifecycle.can_edit(obj, request.user):
            refuse_change(obj, str(self.forbidden_message))
        return obj

    def urls(self, obj) -> dict[str, str]:
        urls = {
            page: reverse(self._url_name(page), kwargs={"slug": obj.slug})
            for page in ("edit", "preview", "submit")
        }
        urls["detail"] = obj.get_absolute_url() if obj.is_published else ""
        return urls

    def _too_many(self, request):
        return render(
            request,
            self._template("rate_limited"),
            {"per_account": self.creates_per_account},
            status=429,
        )

    def _form_page(self, request, form, *, obj=None):
        return render(
            request,
            self._template("form"),
            {"form": form, self.name: obj, "urls": self.urls(obj) if obj else {}},
            status=400 if form.errors else 200,
        )

    def _preview_page(self, request, obj, *, status: int = 200, error: str = ""):
        return render(
            request,
            self._template("preview"),
            {
                **self.preview_context(obj),
                "urls": self.urls(obj),
                "can_submit": obj.status in SUBMITTABLE,
                "submit_error": error,
            },
            status=status,
        )

    # --- Add and edit ----------------------------------------------------------------------------

    def create(self, request):
        """The whole thing on one page; saved as a draft, then previewed before it is submitted.
        A draft needs only its title: with other fields in error, what is valid is saved and
        the form comes back with what was typed, posting to the new draft's edit page."""
        if self.creation_limits.reached(request):
            return self._too_many(request)
        data = request.POST if request.method == "POST" else None
        form = self.create_form(data, user=request.user)
        if data is None:
            return self._form_page(request, form)
        valid = form.is_valid()
        if form.is_bot():
            # Tell a bot nothing: it sees the usual next page, and nothing was created.
            return redirect(self._url_name("mine"))
        if not (valid or "title" in form.cleaned_data):
            return self._form_page(request, form)
        if not self.creation_limits.count(request):
            return self._too_many(request)
        title = form.cleaned_data["title"]

        def create(fields, relations):
            return self.lifecycle.create(
                user=request.user, title=title, fields=fields, relations=relations
            )

        if not valid:
            return self._form_page(request, form, obj=save_valid_part(request, form, create))
        try:
            obj = create(form.field_values(), form.relation_rows())
        except ValidationError as error:
            form.add_service_error(error)
            return self._form_page(request, form)
        messages.success(
            request,
            gettext(
                "Your draft is saved. Check it below, then submit it for review: nobody "
                "else sees it until a community admin has approved it."
            ),
        )
        return redirect(self._url_name("preview"), slug=obj.slug)

    def edit(self, request, slug):
        """Change any of the details; a published object's changes go live at once, and a
        draft keeps whatever is valid (the rules apply when it is submitted)."""
        obj = self.object_for(request, slug)
        data = request.POST if request.method == "POST" else None
        form = self.edit_form(data, instance=obj, user=request.user)
        if data is not None and form.is_valid():
            try:
                self.lifecycle.update(
                    obj,
                    user=request.user,
                    fields={"title": form.cleaned_data["title"], **form.field_values()},
                    relations=form.relation_rows(),
                )
            except ValidationError as error:
                obj.refresh_from_db()
                form.add_service_error(error)
            else:
                if obj.is_published:
                    messages.success(request, gettext("Your changes are saved and live."))
                else:
                    messages.success(request, gettext("Your changes are saved."))
                return redirect(self._url_name("preview"), slug=obj.slug)
        elif data is not None and form.is_draft:
            title = {"title": form.cleaned_data["title"]} if "title" in form.cleaned_data else {}

            def update(fields, relations):
                return self.lifecycle.update(
                    obj, user=request.user, fields={**title, **fields}, relations=relations
                )

            if save_valid_part(request, form, update) is None:
                obj.refresh_from_db()
        return self._form_page(request, form, obj=obj)

    # --- Preview and submit ----------------------------------------------------------------------

    def preview(self, request, slug):
        """As the public will see it, with its status and what its author can do next."""
        obj = self.object_for(request, slug, queryset=self.model.objects.with_details())
        return self._preview_page(request, obj)

    def submit(self, request, slug):
        """Send a draft (or a corrected rejected one) to the community admins."""
        obj = self.object_for(request, slug)
        try:
            self.lifecycle.submit(obj, user=request.user)
        except ValidationError as error:
            obj = self.object_for(request, slug, queryset=self.model.objects.with_details())
            return self._preview_page(request, obj, status=400, error=" ".join(error.messages))
        messages.success(
            request,
            gettext(
                "Thank you: %(title)s is now waiting for review. A community admin will look at "
                "it soon and we will email you when it is published."
            )
            % {"title": obj.title},
        )
        return redirect(self._url_name("mine"))

    # --- Mine ------------------------------------------------------------------------------------

    def mine(self, request):
        """What I submitted, newest change first, with the review status and reasons."""
        objects = self.model.objects.managed_by(request.user).order_by("-updated_at", "-pk")
        if self.mine_related:  # select_related() with no names would follow every foreign key
            objects = objects.select_related(*self.mine_related)
        page = Paginator(objects, self.mine_per_page).get_page(request.GET.get("page"))
        rows = [
            {self.name: obj, "urls": self.urls(obj), "can_submit": obj.status in SUBMITTABLE}
            for obj in page
        ]
        return render(
            request, self._template("mine"), {"rows": rows, "page": page, **self.mine_context()}
        )
