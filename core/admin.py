from django.contrib import admin

from core.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    readonly_fields = ["message", "status", "attempts", "last_error", "created_at", "sent_at"]

    def has_add_permission(self, request):
        return False
