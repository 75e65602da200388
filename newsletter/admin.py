"""Subscribers in the admin: who signed up, in which language, to what, and their consent."""

from django.contrib import admin

from newsletter.models import Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    filter_horizontal = ["social_areas", "countries"]
    readonly_fields = [
        "consent_text",
        "consent_at",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
