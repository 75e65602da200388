from django.contrib import admin
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext_lazy as _

from core.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "attempts", "failure", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["message_id"]
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
