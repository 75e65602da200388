"""The moderators' machinery shared by the admins of things practitioners submit for review.

Directory profiles and events are both drafts until submitted, then pending until a community
admin approves them (published) or rejects them with a reason their author is emailed. This mixin
gives a ModelAdmin the approve and reject bulk actions' workings, the page that asks for the
reason, the single "Approve and publish" button, the URL of a preview, and what every save and
delete refreshes; the admin supplies the services to call (moderation_approve,
moderation_reject, reindex, content_changed), the preview itself and its wording.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Case
from django.db.models import IntegerField
from django.db.models import Value
from django.db.models import When
from django.http import Http404
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_POST
from reversion.models import Version

from core.content_admin import ContentAdminMixin
from core.models import Status
from core.moderation import busy_accounts
from core.moderation import moderation_queue
from core.version_diff import version_changes

MAX_SELECTED = 500
# The versions offered for comparison: the latest ones.
MAX_VERSIONS = 200


def reason_field(*, label, help_text) -> forms.CharField:
    """The reason for a rejection, emailed to whoever submitted the item."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=help_text,
        max_length=2000,
    )


class RejectForm(forms.Form):
    """The reason, required, asked of the moderator who rejects items; emailed to their owner.
    `RejectForm.asking(...)` makes the form whose reason is for someone else."""

    reason = reason_field(
        label=_("Reason, for the owner"),
        help_text=_("Emailed to the owner: say what to correct before they submit again."),
    )
    missing_reason = _("Please give the owner a reason.")

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(self.missing_reason, code="required")
        return reason

    @classmethod
    def asking(cls, *, label, help_text, missing_reason) -> type["RejectForm"]:
        """The form with the reason's label, help and missing-reason error naming its reader."""
        attrs = {
            "__module__": cls.__module__,
            "reason": reason_field(label=label, help_text=help_text),
            "missing_reason": missing_reason,
        }
        return type(cls)(cls.__name__, (cls,), attrs)


# The reason asked of the moderator of what an author submitted (events, funding...).
AuthorRejectForm = RejectForm.asking(
    label=_("Reason, for the author"),
    help_text=_("Emailed to the author: say what to correct before they submit again."),
    missing_reason=_("Please give the author a reason."),
)


def approve_action(description):
    """The bulk action that approves the selected items, described for their kind."""

    @admin.action(description=description)
    def approve_selected(modeladmin, request, queryset):
        modeladmin.approve_queryset(request, queryset)

    return approve_selected


def reject_action(description):
    """The bulk action that asks for the reason to reject the selected items."""

    @admin.action(description=description)
    def reject_selected(modeladmin, request, queryset):
        return modeladmin.reject_queryset(request, queryset)

    return reject_selected


class ModerationAdminMixin(ContentAdminMixin):
    """Approve and reject (one or many, rejection with a required reason) and preview; every
    save (a revert too) rebuilds the item's derived rows, and moves the content's version on
    when the public sees a change.

    Mix in before the ModelAdmin class (e.g. reversion's VersionAdmin). Subclasses set
    `reject_template`, `reindex` and `content_changed` (services' functions, as staticmethods),
    the actions `approve_selected = approve_action(...)` and `reject_selected =
    reject_action(...)` with their own descriptions, and implement moderation_approve,
    moderation_reject and preview_view.
    """

    reject_form_class = RejectForm
    reject_template = ""
    # How the objects on the reject page are listed.
    moderation_ordering = ["pk"]
    # The queue: waiting items first, the longest waiting on top. Expressions, not annotations:
    # the admin also orders other models' choices of an item with this.
    ordering = [
        Case(
            When(status=Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ).asc(),
        "submitted_at",
        "-updated_at",
    ]
    list_per_page = 50
    actions = ["approve_selected", "reject_selected"]
    history_latest_first = True
    object_history_template = "admin/moderation_history.html"
    reindex = None

    def __init__(self, *args, **kwargs):
        # Skip VersionAdmin's auto-registration: each app registers its model with
        # django-reversion in its apps.py (what is versioned and followed), after the admin.
        admin.ModelAdmin.__init__(self, *args, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        """An editor adding an item chooses its status (e.g. published at once)."""
        if obj is None:
            return [field for field in self.readonly_fields if field != "status"]
        return self.readonly_fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        self.reindex(obj)
        reverting = "/history/" in request.path
        if obj.is_published or "status" in form.changed_data or reverting:
            self.content_changed()

    # --- What each admin supplies ----------------------------------------------------------------

    def moderation_approve(self, request, obj) -> None:
        raise NotImplementedError

    def moderation_reject(self, request, obj, *, reason: str) -> None:
        raise NotImplementedError

    def preview_view(self, request, object_id):
        raise NotImplementedError

    def moderation_label(self, obj) -> str:
        return str(obj)

    # What the moderator is told after approving or rejecting: with the items' `names`, in the
    # singular or the plural by their `count`.
    approved_message = ngettext_lazy(
        "Approved and published: %(names)s. The owner was emailed.",
        "Approved and published: %(names)s. The owners were emailed.",
        "count",
    )
    rejected_message = ngettext_lazy(
        "Rejected: %(names)s. The owner was emailed the reason.",
        "Rejected: %(names)s. The owners were emailed the reason.",
        "count",
    )

    def nothing_pending_message(self) -> str:
        return gettext("None of the selected profiles is waiting for review: nothing changed.")

    def skipped_message(self, names: str) -> str:
        return gettext("Not waiting for review, so left unchanged: %(names)s.") % {"names": names}

    # --- URLs ------------------------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("reject/", view(self.reject_view), name=f"{prefix}_reject"),
            path(
                "<path:object_id>/approve/",
                view(require_POST(self.approve_view)),
                name=f"{prefix}_approve",
            ),
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name=f"{prefix}_preview",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name=f"{prefix}_compare",
            ),
            *super().get_urls(),
        ]

    def _url(self, name: str, *args) -> str:
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
        )

    # --- Approve ---------------------------------------------------------------------------------

    def _approve(self, request, objects) -> None:
        approved = []
        skipped = []
        for obj in objects:
            if obj.status != Status.PENDING:
                skipped.append(self.moderation_label(obj))
                continue
            self.moderation_approve(request, obj)
            approved.append(self.moderation_label(obj))
        self.report_approvals(request, approved, skipped)

    def report_approvals(self, request, approved, skipped) -> None:
        """Tell the moderator which items an approval published and which it left alone."""
        if approved:
            self.message_user(
                request,
                self.approved_message % {"names": ", ".join(approved), "count": len(approved)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                self.skipped_message(", ".join(skipped)),
                messages.WARNING if approved else messages.ERROR,
            )

    def approve_queryset(self, request, queryset) -> None:
        """The bulk action's work: approve each selected object still pending."""
        self._approve(request, list(queryset.order_by("pk")))

    def moderated_object_or_404(self, queryset, object_id):
        """The object an admin URL names, or a 404 (not a 500) for an id that is not one."""
        try:
            return get_object_or_404(queryset, pk=unquote(object_id))
        except (ValueError, ValidationError) as error:
            raise Http404 from error

    def preview_object(self, request, object_id):
        """The object a preview shows, with what its public page needs; for those who may see
        it in the admin."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return self.moderated_object_or_404(self.model.objects.with_details(), object_id)

    def approve_view(self, request, object_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        obj = self.moderated_object_or_404(self.model.objects.all(), object_id)
        self._approve(request, [obj])
        return HttpResponseRedirect(self._url("change", obj.pk))

    def moderation_context(self, request, obj) -> dict:
        """What a moderator's preview of `obj` offers: the way back to the admin, its changes,
        and approve and reject (with a reason) while it waits for review."""
        return {
            "pk": obj.pk,
            "pending": obj.status == Status.PENDING,
            "can_moderate": self.has_change_permission(request, obj),
            "change_url": self._url("change", obj.pk),
            "compare_url": self._url("compare", obj.pk),
            "approve_url": self._url("approve", obj.pk),
            "reject_url": self._url("reject"),
            "reject_form": self.reject_form_class(auto_id="moderation-%s"),
        }

    # --- History: the versions, and what changed between two -----------------------------------

    def object_versions(self, object_id):
        """The item's versions, latest first, with who made them (one query)."""
        return (
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision__user")
            .order_by("-revision__date_created", "-pk")
        )

    def history_view(self, request, object_id, extra_context=None):
        """reversion's history (revert to a version), each entry linking to what it changed."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        versions = list(self.object_versions(object_id)[:MAX_VERSIONS])
        compare = self._url("compare", unquote(object_id))
        action_list = [
            {
                "revision": version.revision,
                "url": self._url("revision", version.object_id, version.pk),
                "changes_url": f"{compare}?from={older.pk}&to={version.pk}" if older else "",
            }
            for version, older in zip(versions, [*versions[1:], None], strict=True)
        ]
        context = {"action_list": action_list, "compare_url": compare if len(versions) > 1 else ""}
        # Not reversion's history_view: it would read the versions again.
        return admin.ModelAdmin.history_view(
            self, request, object_id, {**context, **(extra_context or {})}
        )

    def compare_view(self, request, object_id):
        """Two versions of an item side by side, field by field (by default the latest and the
        one before it): `from` and `to` in the query string name them."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.moderated_object_or_404(self.model.objects.all(), object_id)
        versions = list(self.object_versions(str(obj.pk))[:MAX_VERSIONS])
        by_id = {str(version.pk): version for version in versions}
        error = ""
        chosen = [request.GET.get("from"), request.GET.get("to")]
        if chosen == [None, None]:
            before, after = (versions[1], versions[0]) if len(versions) > 1 else (None, None)
        else:
            before, after = (by_id.get(value or "") for value in chosen)
            if before is None or after is None:
                error = gettext("Please choose two versions of this item from the lists.")
        if before is not None and after is not None and before.pk > after.pk:
            before, after = after, before
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": gettext("What changed in %(name)s") % {"name": self.moderation_label(obj)},
            "versions": versions,
            "before": before,
            "after": after,
            "changes": version_changes(self.model, before.field_dict, after.field_dict)
            if before is not None and after is not None
            else [],
            "error": error,
            "history_url": self._url("history", obj.pk),
        }
        return TemplateResponse(
            request, "admin/moderation_compare.html", context, status=400 if error else 200
        )

    # --- Reject ----------------------------------------------------------------------------------

    def reject_queryset(self, request, queryset):
        """The bulk action's work: on to the page that asks for the reason."""
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        return HttpResponseRedirect(
            self._url("reject") + "?" + urlencode([("ids", pk) for pk in ids])
        )

    def reject_view(self, request):
        """Ask for the reason (required), then reject each selected object still pending."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        ids = [value for value in source.getlist("ids") if value.isdigit()][:MAX_SELECTED]
        objects = list(self.model.objects.filter(pk__in=ids).order_by(*self.moderation_ordering))
        pending = [obj for obj in objects if obj.status == Status.PENDING]
        skipped = [obj for obj in objects if obj.status != Status.PENDING]
        if not pending:
            self.message_user(request, self.nothing_pending_message(), messages.ERROR)
            return HttpResponseRedirect(self._url("changelist"))
        form = self.reject_form_class(request.POST if request.method == "POST" else None)
        if form.is_valid():
            for obj in pending:
                self.moderation_reject(request, obj, reason=form.cleaned_data["reason"])
            self.message_user(
                request,
                self.rejected_message
                % {
                    "names": ", ".join(self.moderation_label(obj) for obj in pending),
                    "count": len(pending),
                },
                messages.SUCCESS,
            )
            if skipped:
                self.message_user(
                    request,
                    self.skipped_message(", ".join(self.moderation_label(obj) for obj in skipped)),
                    messages.WARNING,
                )
            if len(pending) == 1:
                return HttpResponseRedirect(self._url("change", pending[0].pk))
            return HttpResponseRedirect(self._url("changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Reject %(kind)s") % {"kind": self.opts.verbose_name_plural}
            if len(pending) > 1
            else gettext("Reject %(name)s") % {"name": self.moderation_label(pending[0])},
            "pending": pending,
            "skipped": skipped,
            "form": form,
            "ids": [obj.pk for obj in pending],
        }
        return TemplateResponse(
            request, self.reject_template, context, status=400 if form.is_bound else 200
        )


# The last part of a submitted item's change form.
MODERATION_FIELDSET = (
    _("Moderation"),
    {
        "fields": [
            "status",
            "rejection_reason",
            "created_by",
            ("created_at", "updated_at"),
            ("submitted_at", "published_at"),
        ]
    },
)


class SubmissionAdminForm(forms.ModelForm):
    """The admin's form of submitted content: a slug made from the title when left empty, and
    never one of the kind's reserved addresses. Subclasses set `unique_slug` (the service's
    function, as a staticmethod) and `reserved_slugs`."""

    unique_slug = None
    reserved_slugs = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Made from the title if left empty.")

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if not slug:
            title = self.cleaned_data.get("title", "")
            return self.unique_slug(title, exclude_pk=self.instance.pk)
        if slug in self.reserved_slugs:
            raise forms.ValidationError(
                _("“%(slug)s” is the address of another page: please choose another.")
                % {"slug": slug},
                code="reserved",
            )
        return slug


class SubmissionAdminMixin(ModerationAdminMixin):
    """The admin of what practitioners submit and editors add (events, funding): who added it,
    its preview (`preview_template`, rendered with `preview_context`, the public page's context
    for an item, as a staticmethod), and messages that speak of authors."""

    moderation_ordering = ["title", "pk"]
    reject_form_class = AuthorRejectForm
    # Set by the moderation, never typed in: its status moves with approve and reject.
    readonly_fields = flatten_fieldsets([MODERATION_FIELDSET])
    preview_template = ""
    preview_context = None

    @admin.display(description=_("submitted by"), ordering="created_by__email")
    def author(self, obj):
        return obj.created_by.email if obj.created_by else "–"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.status == Status.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)

    def preview_view(self, request, object_id):
        """The item as the public will see it once published."""
        obj = self.preview_object(request, object_id)
        context = {
            **self.preview_context(obj),
            "admin_preview": True,
            "admin_change_url": self._url("change", obj.pk),
            "moderation": self.moderation_context(request, obj),
        }
        return TemplateResponse(request, self.preview_template, context)

    def moderation_label(self, obj) -> str:
        return obj.title

    approved_message = ngettext_lazy(
        "Approved and published: %(names)s. The author was emailed.",
        "Approved and published: %(names)s. The authors were emailed.",
        "count",
    )
    rejected_message = ngettext_lazy(
        "Rejected: %(names)s. The author was emailed the reason.",
        "Rejected: %(names)s. The authors were emailed the reason.",
        "count",
    )


def moderation_queue_view(request):
    """One page for every kind that waits for review (profiles, events, funding...): what each
    holds, the longest waiting first, each item linking to its page in the admin."""
    queue = moderation_queue(request.user)
    if not queue:
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": gettext("Moderation queue"),
        "queue": queue,
        "waiting": sum(kind["count"] for kind in queue),
        "watched": busy_accounts(request.user),
    }
    return TemplateResponse(request, "admin/moderation_queue.html", context)
