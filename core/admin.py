from django.contrib import admin
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import OutgoingEmail
from core.outbox import outgoing_email_retry


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "attempts", "failure", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["message_id"]
    actions = ["retry"]
    readonly_fields = [
        "message",
        "message_id",
        "status",
        "attempts",
        "lease_until",
        "last_error",
        "created_at",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("last error"))
    def failure(self, email):
        """Why the last attempt failed (permanently, for a failed row): the list shows it so a
        stuck or refused message is seen without opening it."""
        return truncatechars(email.last_error, 120)

    @admin.action(description=_("Send the failed messages again"), permissions=["change"])
    def retry(self, request, queryset):
        count = outgoing_email_retry(email_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
        )
