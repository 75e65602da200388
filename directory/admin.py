"""The directory in the Django admin: vocabularies, and the moderators' queue of profiles.

Community admins (accounts.roles) work here: they see pending profiles first with their spam
score, preview them as the public would, approve or reject them (one or many, rejection with a
reason), read each profile's history and revert it, and deal with visitors' reports. Every state
change goes through the same services as the rest of the hub.
"""

from django.contrib import admin
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count
from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import Subquery
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from reversion.admin import VersionAdmin

from core.admin_filters import ChoicesFilter
from core.content_admin import ContentTermAdminMixin
from core.models import Status
from core.moderation_admin import ModerationAdminMixin
from core.moderation_admin import approve_action
from core.moderation_admin import reject_action
from directory.admin_requests import AboutAProfileAdmin
from directory.models import Country
from directory.models import DSIFocus
from directory.models import Invitation
from directory.models import Membership
from directory.models import Organisation
from directory.models import OrganisationSize
from directory.models import OrganisationType
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import Report
from directory.models import Role
from directory.models import SocialArea
from directory.models import Tag
from directory.models import Technology
from directory.search import LINKED_KIND
from directory.search import linked_ids
from directory.search import links_reindex
from directory.search import profile_links_reindex
from directory.search import profile_reindex
from directory.services.claims import claims_close_for
from directory.services.members import profile_has_owner
from directory.services.moderation import report_resolve
from directory.services.profiles import profile_approve
from directory.services.profiles import profile_reject
from directory.versions import directory_changed

# --- Vocabularies ------------------------------------------------------------------------------


class VocabularyAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(VocabularyAdmin):
    list_display = ["name", "code", "slug", "order"]
    search_fields = ["name", "code", "slug"]


@admin.register(SocialArea, Technology)
class AliasedVocabularyAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "order", "aliases"]


admin.site.register([OrganisationType, OrganisationSize, DSIFocus], VocabularyAdmin)


@admin.register(Tag)
class TagAdmin(ContentTermAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # Profiles' pages, facets and downloads name their tags: a renamed tag changes them.
    content_changed = staticmethod(directory_changed)


# --- Profiles: the moderation queue -------------------------------------------------------------


def close_claims_if_owned(profile) -> None:
    """Memberships edited here may give the profile an owner: its other open claims are then
    answered (closed, their claimants told), as when a claim is approved. The person made a
    member has their own requests answered by Membership.save."""
    if profile_has_owner(profile):
        claims_close_for(profile=profile)


class OpenReportsFilter(ChoicesFilter):
    title = _("reports")
    parameter_name = "reports"
    options = (
        ("open", _("Has open reports"), Q(open_reports__gt=0)),
        ("none", _("No open reports"), Q(open_reports=0)),
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "is_public", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]
    extra = 0


class ProjectOrganisationInline(admin.TabularInline):
    model = ProjectOrganisation
    fields = ["organisation", "role"]
    autocomplete_fields = ["organisation"]
    extra = 1


# What the change forms of organisations and projects show first, and last.
PROFILE_TEXT = ["name", "slug", "website", "short_description", "description"]
PROFILE_TAGS_AND_IMAGES = ["tags", "network_tags", "links", "logo", "header_image"]


class ProfileAdmin(ModerationAdminMixin, VersionAdmin):
    """What organisations and projects share in the admin: the queue, actions and history."""

    reindex = staticmethod(profile_reindex)
    content_changed = staticmethod(directory_changed)
    change_form_template = "admin/directory/profile_change_form.html"
    reject_template = "admin/directory/profile_reject.html"
    moderation_ordering = ["name", "pk"]
    list_display = [
        "name",
        "status",
        "spam_score",
        "open_reports",
        "submitted_at",
        "owner",
        "country_names",
        "updated_at",
    ]
    list_filter = ["status", OpenReportsFilter]
    search_fields = ["name", "city", "slug"]
    moderation_fieldset = (
        _("Moderation"),
        {
            "fields": [
                "status",
                "rejection_reason",
                "spam_score",
                "spam_signals_list",
                "created_by",
                ("created_at", "updated_at"),
                ("submitted_at", "published_at"),
                "legacy_id",
            ]
        },
    )
    # Set by the moderation or worked out, never typed in.
    readonly_fields = flatten_fieldsets([moderation_fieldset])

    # The queue: pending first, oldest submission first; a bounded number of queries.

    def get_queryset(self, request):
        kind = self.model._meta.model_name
        open_reports = (
            Report.objects.filter(state=Report.State.OPEN, **{kind: OuterRef("pk")})
            .order_by()
            .values(kind)
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(open_reports=Coalesce(Subquery(open_reports), Value(0)))
        )

    def get_changelist(self, request, **kwargs):
        model_admin = self

        class ProfileChangeList(ChangeList):
            def get_queryset(self, request, exclude_parameters=None):
                queryset = super().get_queryset(request, exclude_parameters)
                return model_admin.with_list_rows(queryset)

        return ProfileChangeList

    def with_list_rows(self, queryset):
        """What the queue's columns show, without a query per row."""
        owners = Membership.objects.filter(role=Role.OWNER).select_related("user")
        return queryset.prefetch_related(
            Prefetch("memberships", queryset=owners, to_attr="owner_memberships")
        )

    @admin.display(description=_("open reports"), ordering="open_reports")
    def open_reports(self, obj):
        return obj.open_reports

    @admin.display(description=_("owner"))
    def owner(self, obj):
        memberships = getattr(obj, "owner_memberships", None)
        person = memberships[0].user if memberships else obj.created_by
        return person.email if person else "–"

    @admin.display(description=_("spam signals"))
    def spam_signals_list(self, obj):
        if not obj.spam_signals:
            return gettext("None")
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((s,) for s in obj.spam_signals))
        )

    # History and search: every admin save (including a revert) rebuilds the search index
    # (core.moderation_admin).

    def save_related(self, request, form, formsets, change):
        # The inline may unlink profiles: they lose what they took from this one.
        obj = form.instance
        before = linked_ids(**{f"{obj.kind}_ids": [obj.pk]})
        super().save_related(request, form, formsets, change)
        profile_links_reindex(obj, **{f"{LINKED_KIND[obj.kind]}_ids": before})
        close_claims_if_owned(obj)

    # Deleting published profiles: those linked to them lose what they took from them.

    def delete_model(self, request, obj):
        before = linked_ids(**{f"{obj.kind}_ids": [obj.pk]})
        super().delete_model(request, obj)
        links_reindex(**{f"{LINKED_KIND[obj.kind]}_ids": before})

    def delete_queryset(self, request, queryset):
        kind = self.model._meta.model_name
        before = linked_ids(**{f"{kind}_ids": list(queryset.values_list("pk", flat=True))})
        super().delete_queryset(request, queryset)
        links_reindex(**{f"{LINKED_KIND[kind]}_ids": before})

    # Approve and reject: bulk actions, and single buttons on the change form (see
    # core.moderation_admin for the workings).

    def moderation_approve(self, request, obj) -> None:
        profile_approve(profile=obj, moderator=request.user)

    def moderation_reject(self, request, obj, *, reason: str) -> None:
        profile_reject(profile=obj, moderator=request.user, reason=reason)

    def moderation_label(self, obj) -> str:
        return obj.name

    approve_selected = approve_action(_("Approve and publish the selected profiles"))
    reject_selected = reject_action(_("Reject the selected profiles (asks for a reason)"))

    def preview_view(self, request, object_id):
        """The public detail page of any profile, as it would look once published."""
        profile = self.preview_object(request, object_id)
        members = (
            Membership.objects.filter(is_public=True, **Membership.profile_kwargs(profile))
            .select_related("user")
            .order_by("created_at")
        )
        context = {
            "profile": profile,
            "preview": not profile.is_published,
            "members": members,
            "is_member": False,
            "can_edit": False,
            "moderation": self.moderation_context(request, profile),
        }
        # The linked profiles the public page shows: published ones only.
        if isinstance(profile, Organisation):
            context["project_links"] = (
                ProjectOrganisation.objects.filter(
                    organisation=profile, project__status=Status.PUBLISHED
                )
                .select_related("project")
                .order_by("project__name")
            )
        else:
            profile.organisation_links = list(
                ProjectOrganisation.objects.filter(
                    project=profile, organisation__status=Status.PUBLISHED
                )
                .select_related("organisation__country")
                .order_by("role", "organisation__name")
            )
        return TemplateResponse(request, f"directory/{self.opts.model_name}_detail.html", context)

    def get_fieldsets(self, request, obj=None):
        return [*self.content_fieldsets, self.moderation_fieldset]


@admin.register(Organisation)
class OrganisationAdmin(ProfileAdmin):
    list_filter = [*ProfileAdmin.list_filter, "organisation_type", "country"]
    list_select_related = ["country", "created_by"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country", "tags", "network_tags"]
    inlines = [MembershipInline]
    content_fieldsets = [
        (None, {"fields": [*PROFILE_TEXT, "licence"]}),
        (
            _("Place"),
            {"fields": ["country", "city", "address", ("latitude", "longitude")]},
        ),
        (
            _("About"),
            {
                "fields": [
                    "organisation_type",
                    "organisation_size",
                    "start_date",
                    *PROFILE_TAGS_AND_IMAGES,
                ]
            },
        ),
    ]

    @admin.display(description=_("country"), ordering="country__name")
    def country_names(self, obj):
        return obj.country or "–"


@admin.register(Project)
class ProjectAdmin(ProfileAdmin):
    list_filter = [*ProfileAdmin.list_filter, "live", "social_areas"]
    list_select_related = ["created_by"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["tags", "network_tags", "who_we_help"]
    filter_horizontal = ["countries", "social_areas", "technologies", "focus"]
    inlines = [ProjectOrganisationInline, MembershipInline]
    content_fieldsets = [
        (None, {"fields": [*PROFILE_TEXT, "social_impact", "licence"]}),
        (
            _("Place and time"),
            {
                "fields": [
                    "countries",
                    "city",
                    ("latitude", "longitude"),
                    "live",
                    ("start_date", "end_date"),
                ]
            },
        ),
        (
            _("Topics"),
            {
                "fields": [
                    "social_areas",
                    "technologies",
                    "focus",
                    "who_we_help",
                    *PROFILE_TAGS_AND_IMAGES,
                ]
            },
        ),
    ]

    def with_list_rows(self, queryset):
        return super().with_list_rows(queryset).prefetch_related("countries")

    @admin.display(description=_("countries"))
    def country_names(self, obj):
        return ", ".join(country.name for country in obj.countries.all()) or "–"


# --- People around profiles and reports (requests to join and claims: admin_requests.py) --------


@admin.register(Membership)
class MembershipAdmin(AboutAProfileAdmin):
    list_display = ["user", "role", "profile_link", "is_public", "created_at"]
    list_filter = ["role", "is_public"]
    list_select_related = ["user", "organisation", "project"]
    search_fields = ["user__email", "user__name", "organisation__name", "project__name"]
    autocomplete_fields = ["user", "organisation", "project"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        close_claims_if_owned(obj.profile)


@admin.register(Invitation)
class InvitationAdmin(AboutAProfileAdmin):
    list_display = ["email", "role", "profile_link", "state", "invited_by", "created_at"]
    list_filter = ["state", "role"]
    list_select_related = ["invited_by", "organisation", "project"]
    search_fields = ["email", "organisation__name", "project__name"]
    autocomplete_fields = ["invited_by", "organisation", "project"]


@admin.register(Report)
class ReportAdmin(AboutAProfileAdmin):
    list_display = [
        "reason",
        "profile_link",
        "profile_status",
        "public_link",
        "state",
        "created_at",
        "reporter",
        "resolved_by",
    ]
    list_filter = ["state", "reason"]
    list_select_related = ["reporter", "resolved_by", "organisation", "project"]
    search_fields = ["message", "organisation__name", "project__name", "reporter__email"]
    readonly_fields = [
        "profile_link",
        "public_link",
        "reason",
        "message",
        "reporter",
        "state",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    fields = readonly_fields
    actions = ["resolve_selected", "dismiss_selected"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("profile status"))
    def profile_status(self, obj):
        return obj.profile.get_status_display()

    def _close(self, request, queryset, state) -> int:
        closed = sum(
            report_resolve(report=report, moderator=request.user, state=state)
            for report in queryset.select_related(None)
        )
        return closed

    @admin.action(description=_("Mark the selected reports resolved"))
    def resolve_selected(self, request, queryset):
        closed = self._close(request, queryset, Report.State.RESOLVED)
        self._report_message(request, closed, queryset.count())

    @admin.action(description=_("Dismiss the selected reports"))
    def dismiss_selected(self, request, queryset):
        closed = self._close(request, queryset, Report.State.DISMISSED)
        self._report_message(request, closed, queryset.count())

    def _report_message(self, request, closed: int, selected: int) -> None:
        if closed:
            self.message_user(
                request,
                ngettext("%(count)d report closed.", "%(count)d reports closed.", closed)
                % {"count": closed},
                messages.SUCCESS,
            )
        if closed < selected:
            self.message_user(
                request,
                gettext("Reports already closed were left unchanged."),
                messages.WARNING if closed else messages.ERROR,
            )
