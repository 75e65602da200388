"""Editorial admins write stories and case studies, keep the clusters and list resources."""

from django import forms
from django.contrib import admin
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from reversion.admin import VersionAdmin

from core.content_admin import ContentAdminMixin
from core.content_admin import ContentTermAdminMixin
from core.images import DeferredImage
from core.images import clean_image_upload
from core.pending_images import form_note_pending_images
from core.pending_images import pending_image_queue
from core.widgets import RichTextWidget
from stories.apps import UNVERSIONED
from stories.models import Category
from stories.models import Cluster
from stories.models import Resource
from stories.models import Story
from stories.resources_import import ResourceImportForm
from stories.resources_import import import_resources
from stories.services import resource_set_search_fields
from stories.services import stories_changed
from stories.services import story_clean_body
from stories.services import story_reindex

FEATURED_IMAGE_SIZE = (2000, 1200)


@admin.register(Category)
class CategoryAdmin(ContentTermAdminMixin, TranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    content_changed = staticmethod(stories_changed)


# How the story's change form groups its fields, which are StoryAdminForm's.
STORY_FIELDSETS = [
    (None, {"fields": ["kind", "title", "slug", "summary", "body"]}),
    (_("Image"), {"fields": ["featured_image", "featured_image_alt"]}),
    (_("About"), {"fields": ["categories", "social_areas", "project", "organisations"]}),
    (
        _("Publication"),
        {"fields": ["author", "author_name", "status", "publish_at", "is_featured"]},
    ),
]


class StoryAdminForm(forms.ModelForm):
    """The text is cleaned to the hub's safe HTML; the image is checked and re-encoded."""

    class Meta:
        model = Story
        fields = flatten_fieldsets(STORY_FIELDSETS)
        widgets = {"body": RichTextWidget()}

    def clean_body(self):
        return story_clean_body(self.cleaned_data.get("body", ""))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_note_pending_images(self)

    def clean_featured_image(self):
        return clean_image_upload(
            self.cleaned_data.get("featured_image"),
            max_size=FEATURED_IMAGE_SIZE,
            name_prefix="story",
        )

    def _post_clean(self):
        # A heavy image is not set on the story: the admin queues it (StoryAdmin.save_model).
        image = self.cleaned_data.get("featured_image")
        if isinstance(image, DeferredImage):
            del self.cleaned_data["featured_image"]
        super()._post_clean()
        if isinstance(image, DeferredImage):
            self.cleaned_data["featured_image"] = image

    def deferred_image(self) -> DeferredImage | None:
        image = self.cleaned_data.get("featured_image")
        return image if isinstance(image, DeferredImage) else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("featured_image") and not cleaned.get("featured_image_alt"):
            self.add_error(
                "featured_image_alt",
                forms.ValidationError(
                    _("Please describe the image for people who cannot see it."), code="alt"
                ),
            )
        return cleaned


@admin.register(Story)
class StoryAdmin(ContentAdminMixin, VersionAdmin):
    form = StoryAdminForm
    list_display = ["title", "kind", "status", "publish_at", "is_featured"]
    list_filter = ["kind", "status", "is_featured", "categories", "social_areas"]
    search_fields = ["title", "summary", "author_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["project", "organisations", "author"]
    filter_horizontal = ["categories", "social_areas"]
    date_hierarchy = "publish_at"
    fieldsets = STORY_FIELDSETS
    content_changed = staticmethod(stories_changed)

    def reversion_register(self, model, **kwargs):
        super().reversion_register(model, exclude=UNVERSIONED, **kwargs)

    def save_model(self, request, obj, form, change):
        # In the admin's transaction: the image waits for its task with the story saved.
        super().save_model(request, obj, form, change)
        if image := form.deferred_image():
            pending_image_queue(obj=obj, field="featured_image", image=image, user=request.user)

    def save_related(self, request, form, formsets, change):
        # Every save (a revert too) refreshes the search text and the cached pages.
        super().save_related(request, form, formsets, change)
        story_reindex(form.instance)
        self.content_changed()


@admin.register(Cluster)
class ClusterAdmin(VersionAdmin):
    list_display = ["__str__", "lead_partner_name", "order"]
    list_editable = ["order"]
    autocomplete_fields = ["lead_partner"]
    formfield_overrides = {models.TextField: {"widget": RichTextWidget()}}  # the introduction

    def save_model(self, request, obj, form, change):
        obj.introduction = story_clean_body(obj.introduction)
        super().save_model(request, obj, form, change)
        stories_changed()


@admin.register(Resource)
class ResourceAdmin(VersionAdmin):
    list_display = ["title", "kind", "publisher", "published_on", "is_listed"]
    list_filter = ["kind", "is_listed", "social_areas"]
    search_fields = ["title", "publisher", "url"]
    filter_horizontal = ["social_areas"]
    change_list_template = "admin/stories/resource/change_list.html"
    formfield_overrides = {models.TextField: {"widget": RichTextWidget()}}  # the description

    def reversion_register(self, model, **kwargs):
        super().reversion_register(model, exclude=UNVERSIONED, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.description = story_clean_body(obj.description)
        # The social areas are saved after the resource (save_related): the form holds them.
        areas = form.cleaned_data.get("social_areas")
        if areas is None:
            areas = obj.social_areas.all() if obj.pk else []
        resource_set_search_fields(obj, areas=areas)
        super().save_model(request, obj, form, change)
        stories_changed()

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="stories_resource_import",
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        """An import creates and updates: both permissions are needed."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Resources from a CSV file: all rows or none (stories.resources_import)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        report = None
        if request.method == "POST":
            form = ResourceImportForm(request.POST, request.FILES)
            if form.is_valid():
                report = import_resources(form.cleaned_data["file"].read())
                if report.ok:
                    self.message_user(
                        request,
                        _("Resources imported: created %(created)s, updated %(updated)s.")
                        % {"created": report.created, "updated": report.updated},
                        messages.SUCCESS,
                    )
                    return redirect("admin:stories_resource_changelist")
        else:
            form = ResourceImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import resources from a CSV file"),
            "form": form,
            "report": report,
        }
        status = 400 if request.method == "POST" and (report is None or not report.ok) else 200
        return TemplateResponse(
            request, "admin/stories/resource/import.html", context, status=status
        )
