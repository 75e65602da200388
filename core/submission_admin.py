"""The admin of a kind of submitted content that a core.lifecycle.SubmissionLifecycle declares
(events, funding opportunities).

It is given the kind's practitioners' pages (`pages`, a core.submission_views.SubmissionViews):
their lifecycle gives what every save rebuilds (`reindex`), the version a change to published
items moves on (`content_changed`), and the approve and reject steps; their `preview_context`
renders the admin's preview as the practitioners see theirs. Its templates are named after its
app and model, as the practitioners' pages are: `admin/<app>/<model>_change_form.html`,
`admin/<app>/<model>_reject.html`, and the preview, `<app>/<model>_preview.html`. Its list shows
the title, the kind's `list_columns`, then the moderation's: status, when submitted, by whom.
"""

from reversion.admin import VersionAdmin

from core.moderation_admin import SubmissionAdminMixin


class SubmissionAdmin(SubmissionAdminMixin, VersionAdmin):
    # The kind's core.submission_views.SubmissionViews instance.
    pages = None
    list_columns = ()
    prepopulated_fields = {"slug": ["title"]}

    def __init__(self, model, admin_site):
        self.lifecycle = self.pages.lifecycle
        self.preview_context = self.pages.preview_context
        self.list_display = ["title", *self.list_columns, "status", "submitted_at", "author"]
        super().__init__(model, admin_site)
        templates = f"{model._meta.app_label}/{model._meta.model_name}"
        self.change_form_template = f"admin/{templates}_change_form.html"
        self.reject_template = f"admin/{templates}_reject.html"
        self.preview_template = f"{templates}_preview.html"
        self.reindex = self.lifecycle.editing.reindex
        self.content_changed = self.lifecycle.editing.on_published

    def moderation_approve(self, request, obj) -> None:
        self.lifecycle.approve(obj, moderator=request.user)

    def moderation_reject(self, request, obj, *, reason: str) -> None:
        self.lifecycle.reject(obj, moderator=request.user, reason=reason)
