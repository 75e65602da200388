"""What people ask of profiles, in the admin: requests to join and claims.

Neither is edited by hand: a request to join is accepted or declined, and a claim approved or
rejected with a reason, by actions that call the member and claim services (which create the
membership and email the person). Claims wait in the moderation queue beside submissions.
"""

from django.contrib import admin
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Case
from django.db.models import IntegerField
from django.db.models import Q
from django.db.models import Value
from django.db.models import When
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.utils.translation import ngettext_lazy

from core.admin_filters import ChoicesFilter
from core.moderation_admin import ModerationAdminMixin
from core.moderation_admin import RejectForm
from core.moderation_admin import approve_action
from core.moderation_admin import reject_action
from directory.models import Claim
from directory.models import JoinRequest
from directory.services.claims import claim_approve
from directory.services.claims import claim_reject
from directory.services.claims import claims_close_for
from directory.services.members import join_request_accept
from directory.services.members import join_request_decline


class AboutAProfileAdmin(admin.ModelAdmin):
    list_select_related = ["organisation", "project"]
    autocomplete_fields = ["organisation", "project"]

    @admin.display(description=_("profile"))
    def profile_link(self, obj):
        profile = obj.profile
        url = reverse(f"admin:directory_{profile.kind}_change", args=[profile.pk])
        return format_html('<a href="{}">{}</a>', url, profile)

    @admin.display(description=_("public page"))
    def public_link(self, obj):
        profile = obj.profile
        if not profile.is_published:
            return "–"
        return format_html('<a href="{}">{}</a>', profile.get_absolute_url(), gettext("View"))


class DecidedByActionsMixin:
    """Rows changed only by actions: their change form has nothing to save."""

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)


# --- Requests to join ---------------------------------------------------------------------------


@admin.register(JoinRequest)
class JoinRequestAdmin(DecidedByActionsMixin, AboutAProfileAdmin):
    list_display = ["user", "profile_link", "state", "created_at", "decided_by"]
    list_filter = ["state"]
    list_select_related = ["user", "decided_by", "organisation", "project"]
    search_fields = ["user__email", "user__name", "organisation__name", "project__name"]
    # Answered by the actions (which make the membership and tell the person), never typed in.
    readonly_fields = [
        "user",
        "profile_link",
        "message",
        "state",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    fields = readonly_fields
    actions = ["accept_selected", "decline_selected"]

    def _answer(self, request, queryset, service, done) -> None:
        answered, refused = [], []
        for join_request in queryset.select_related("user", "organisation", "project"):
            try:
                service(join_request=join_request, user=request.user)
            except (PermissionDenied, ValidationError):
                refused.append(str(join_request))
            else:
                answered.append(str(join_request))
        if answered:
            self.message_user(request, done % {"names": ", ".join(answered)}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                gettext("Already answered, or not yours to answer, so left unchanged: %(names)s.")
                % {"names": ", ".join(refused)},
                messages.WARNING if answered else messages.ERROR,
            )

    @admin.action(description=_("Accept the selected requests (they become members)"))
    def accept_selected(self, request, queryset):
        done = gettext("Accepted: %(names)s. They are members now and were emailed.")
        self._answer(request, queryset, join_request_accept, done)

    @admin.action(description=_("Decline the selected requests"))
    def decline_selected(self, request, queryset):
        done = gettext("Declined: %(names)s. They were emailed.")
        self._answer(request, queryset, join_request_decline, done)


# --- Claims --------------------------------------------------------------------------------------


ClaimRejectForm = RejectForm.asking(
    label=_("Reason, for the claimant"),
    help_text=_("Emailed to the claimant: say what would show that the profile is theirs."),
    missing_reason=_("Please give the claimant a reason."),
)


class VerifiedFilter(ChoicesFilter):
    title = _("address confirmed")
    parameter_name = "verified"
    options = (
        ("yes", _("Yes"), Q(email_verified_at__isnull=False)),
        ("no", _("No"), Q(email_verified_at__isnull=True)),
    )


def _no_public_change() -> None:
    """Claims are not on any public page: nothing cached to refresh."""


@admin.register(Claim)
class ClaimAdmin(DecidedByActionsMixin, ModerationAdminMixin, AboutAProfileAdmin):
    """Claims in the moderators' queue: verified ones first among the waiting."""

    content_changed = staticmethod(_no_public_change)
    reject_form_class = ClaimRejectForm
    reject_template = "admin/directory/claim_reject.html"
    change_form_template = "admin/directory/claim_change_form.html"
    moderation_ordering = ["submitted_at", "pk"]
    ordering = [
        Case(When(status="pending", then=Value(0)), default=Value(1), output_field=IntegerField()),
        "email_verified_at",
        "submitted_at",
    ]
    list_display = [
        "summary",
        "profile_link",
        "status",
        "verified",
        "evidence_email",
        "submitted_at",
        "decided_by",
    ]
    list_filter = ["status", VerifiedFilter]
    list_select_related = ["user", "decided_by", "organisation", "project"]
    search_fields = ["summary", "user__email", "user__name", "organisation__name", "project__name"]
    readonly_fields = [
        "profile_link",
        "public_link",
        "user",
        "role",
        "message",
        "evidence_link",
        "evidence_email",
        "email_verified_at",
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "rejection_reason",
    ]
    fields = readonly_fields
    approve_selected = approve_action(_("Approve the selected claims (the claimant becomes owner)"))
    reject_selected = reject_action(_("Reject the selected claims (asks for a reason)"))
    approved_message = ngettext_lazy(
        "Approved: %(names)s. The claimant is the owner now and was emailed.",
        "Approved: %(names)s. The claimants are the owners now and were emailed.",
        "count",
    )
    rejected_message = ngettext_lazy(
        "Rejected: %(names)s. The claimant was emailed the reason.",
        "Rejected: %(names)s. The claimants were emailed the reason.",
        "count",
    )

    def get_urls(self):
        # Claims keep no versions (django-reversion): no page comparing two of them.
        return [url for url in super().get_urls() if not (url.name or "").endswith("_compare")]

    def history_view(self, request, object_id, extra_context=None):
        # The admin's own log of who did what: claims keep no versions.
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def save_related(self, request, form, formsets, change):
        # Nothing of a claim is edited here; no search text to rebuild.
        admin.ModelAdmin.save_related(self, request, form, formsets, change)

    def nothing_pending_message(self) -> str:
        return gettext("None of the selected claims is waiting for review: nothing changed.")

    @admin.display(description=_("address confirmed"), boolean=True)
    def verified(self, obj):
        return obj.is_verified

    @admin.display(description=_("link showing it"))
    def evidence_link(self, obj):
        if not obj.evidence_url:
            return "–"
        return format_html(
            '<a href="{}" rel="nofollow noopener noreferrer">{}</a>',
            obj.evidence_url,
            obj.evidence_url,
        )

    # Approve: through the claim service, one by one; a profile that meanwhile gained an owner
    # is reported, and its open claims are closed.

    def approve_queryset(self, request, queryset) -> None:
        self._approve_claims(request, list(queryset.order_by("pk")))

    def approve_view(self, request, object_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        claim = self.moderated_object_or_404(Claim.objects.all(), object_id)
        self._approve_claims(request, [claim])
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:directory_claim_change", args=[claim.pk])
        )

    def _approve_claims(self, request, claims) -> None:
        approved, skipped = [], []
        for claim in claims:
            try:
                claim_approve(claim=claim, moderator=request.user)
            except ValidationError as error:
                if error.code == "owned":
                    closed = claims_close_for(profile=claim.profile)
                    self.message_user(
                        request,
                        ngettext(
                            "%(name)s already has an owner: %(count)d open claim was closed.",
                            "%(name)s already has an owner: %(count)d open claims were closed.",
                            len(closed),
                        )
                        % {"name": claim.profile.name, "count": len(closed)},
                        messages.WARNING,
                    )
                else:
                    skipped.append(str(claim))  # decided meanwhile
            else:
                approved.append(str(claim))
        self.report_approvals(request, approved, skipped)

    def moderation_approve(self, request, obj) -> None:
        claim_approve(claim=obj, moderator=request.user)

    def moderation_reject(self, request, obj, *, reason: str) -> None:
        claim_reject(claim=obj, moderator=request.user, reason=reason)

    def preview_view(self, request, object_id):
        """The claimed profile: its public page when published, else its admin page."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        claim = self.moderated_object_or_404(Claim.objects.all(), object_id)
        profile = claim.profile
        if profile.is_published:
            return HttpResponseRedirect(profile.get_absolute_url())
        return HttpResponseRedirect(
            reverse(f"admin:directory_{profile.kind}_change", args=[profile.pk])
        )
